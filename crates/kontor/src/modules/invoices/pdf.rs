//! The invoice as a PDF. A draft is rendered on every download and marked
//! as a draft. An issued invoice is rendered once, when it is issued, in
//! the customer's language, and archived in the file storage: what was
//! sent is what is kept (GoBD), so later downloads, zips and emails stream
//! the archived file even after the company details change.

use chrono::{DateTime, Utc};
use kernel::AppResult;

use super::{
    model::{Invoice, InvoiceFilter, InvoiceId, InvoiceRow, Status},
    service,
};
use crate::{
    common::documents::{self, Listed, Sheet, file_name, sheet_document},
    http::download::Download,
    modules::{
        billing::service as billing,
        customers::{model::CustomerId, service as customers},
    },
    policy::StaffActor,
    state::AppState,
};

/// Where an issued invoice's PDF is archived.
pub fn archive_key(id: InvoiceId) -> String {
    documents::archive_key("invoices", id.0)
}

/// Issues the draft and archives its PDF. The invoice stays issued when the
/// archive cannot be written (the next download writes it); that is logged.
pub async fn issue(state: &AppState, actor: &StaffActor, id: InvoiceId) -> AppResult<String> {
    let number = service::issue(&state.db, actor, id, &state.clock).await?;
    let invoice = service::get(&state.db, actor, id).await?;
    if let Err(e) = archive(state, &invoice).await {
        tracing::warn!(invoice = id.0, error = %e, "archiving the invoice PDF failed");
    }
    Ok(number)
}

/// The invoice's PDF for someone already allowed to see the invoice.
pub async fn of_invoice(state: &AppState, invoice: &Invoice) -> AppResult<Download> {
    documents::archived_download(
        &state.storage,
        &archive_key(invoice.id),
        file_name(invoice.number.as_deref(), invoice.id.0),
        invoice.is_draft(),
        render(state, invoice, state.clock.now()),
    )
    .await
}

pub async fn download(state: &AppState, actor: &StaffActor, id: InvoiceId) -> AppResult<Download> {
    let invoice = service::get(&state.db, actor, id).await?;
    of_invoice(state, &invoice).await
}

/// The PDFs of the customer's invoices that pass the filter (of the chosen
/// ones among them, when some are chosen) as a zip built while it
/// downloads: archived PDFs are streamed from the storage, drafts rendered.
pub async fn zip(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &InvoiceFilter,
    chosen: &[i64],
) -> AppResult<Download> {
    let rows: Vec<InvoiceRow> = service::list(&state.db, actor, customer, filter)
        .await?
        .into_iter()
        .filter(|r| chosen.is_empty() || chosen.contains(&r.id.0))
        .collect();
    let number = customers::get(&state.db, actor, customer).await?.number;
    let items = rows
        .into_iter()
        .map(|r| Listed {
            key: archive_key(r.id),
            draft: r.status == Status::Draft,
            name: file_name(r.number.as_deref(), r.id.0),
            date: r.date,
            id: r.id,
        })
        .collect();
    let actor = actor.clone();
    Ok(documents::archived_zip(
        state,
        format!("invoices-{number}.zip"),
        items,
        move |state, id| {
            let actor = actor.clone();
            async move {
                let invoice = service::get(&state.db, &actor, id).await?;
                render(&state, &invoice, state.clock.now()).await
            }
        },
    ))
}

/// Makes sure the issued invoice's PDF is in the archive (issuing writes
/// it; this covers an archive that could not be written then).
pub async fn ensure_archived(state: &AppState, invoice: &Invoice) -> AppResult<()> {
    documents::archived_bytes(
        &state.storage,
        &archive_key(invoice.id),
        false,
        render(state, invoice, state.clock.now()),
    )
    .await
    .map(drop)
}

/// Renders the issued invoice and writes it to the archive.
pub async fn archive(state: &AppState, invoice: &Invoice) -> AppResult<()> {
    let bytes = render(state, invoice, state.clock.now()).await?;
    Ok(state.storage.put(&archive_key(invoice.id), bytes).await?)
}

pub async fn render(state: &AppState, invoice: &Invoice, now: DateTime<Utc>) -> AppResult<Vec<u8>> {
    let body = invoice.data();
    let sheet = Sheet {
        title_key: "pdf-invoice-title",
        number_key: "pdf-invoice-number",
        date_key: "pdf-invoice-date",
        number: invoice.number.as_deref(),
        draft: invoice.is_draft(),
        body: &body,
        due_date: invoice.due_date,
        to_pay: Some(invoice.amount_due()),
        refers_to: None,
        intro_key: None,
        created: invoice.issued_at.unwrap_or(now),
        ident: format!("invoice-{}", invoice.id.0),
    };
    let parties = billing::parties(state, invoice.customer_id).await?;
    documents::render(state, &parties, sheet_document(&parties, &sheet)?).await
}
