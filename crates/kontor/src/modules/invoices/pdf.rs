//! The invoice as a PDF. A draft is rendered on every download and marked
//! as a draft. An issued invoice is rendered once, when it is issued, in
//! the customer's language, and archived in the file storage: what was
//! sent is what is kept (GoBD), so later downloads, zips and emails stream
//! the archived file even after the company details change.

use bytes::Bytes;
use futures::StreamExt;
use kernel::{
    AppResult,
    archive::{self, Entry},
};

use super::{
    model::{Invoice, InvoiceFilter, InvoiceId, InvoiceRow, Status},
    service,
};
use crate::{
    common::documents::{
        self, Sheet, file_name, in_memory, pdf_download, read_all, sheet_document,
    },
    http::download::Download,
    modules::customers::{model::CustomerId, service as customers},
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
    let number = service::issue(&state.db, actor, id).await?;
    let invoice = service::get(&state.db, actor, id).await?;
    if let Err(e) = archived(state, &invoice).await {
        tracing::warn!(invoice = id.0, error = %e, "archiving the invoice PDF failed");
    }
    Ok(number)
}

/// The invoice's PDF for someone already allowed to see the invoice.
pub async fn of_invoice(state: &AppState, invoice: &Invoice) -> AppResult<Download> {
    let name = file_name(invoice.number.as_deref(), invoice.id.0);
    if invoice.is_draft() {
        return Ok(pdf_download(name, in_memory(render(state, invoice).await?)));
    }
    if let Some(body) = state.storage.read(&archive_key(invoice.id)).await? {
        return Ok(pdf_download(name, body));
    }
    Ok(pdf_download(
        name,
        in_memory(archived(state, invoice).await?),
    ))
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
    let (state, actor) = (state.clone(), actor.clone());
    let entries = futures::stream::iter(rows)
        .then(move |row| {
            let (state, actor) = (state.clone(), actor.clone());
            async move { zip_entry(&state, &actor, row).await }
        })
        .boxed();
    Ok(Download {
        name: format!("invoices-{number}.zip"),
        content_type: "application/zip".to_owned(),
        length: None,
        inline: false,
        body: archive::zip(entries),
    })
}

async fn zip_entry(state: &AppState, actor: &StaffActor, row: InvoiceRow) -> anyhow::Result<Entry> {
    let name = file_name(row.number.as_deref(), row.id.0);
    let modified = row.date.and_time(chrono::NaiveTime::MIN).and_utc();
    let stored = if row.status == Status::Draft {
        None
    } else {
        state.storage.read(&archive_key(row.id)).await?
    };
    let bytes = match stored {
        Some(body) => read_all(body).await?,
        None => {
            let invoice = service::get(&state.db, actor, row.id).await?;
            if invoice.is_draft() {
                render(state, &invoice).await?
            } else {
                archived(state, &invoice).await?
            }
        }
    };
    Ok(Entry {
        name,
        modified,
        bytes: Bytes::from(bytes),
    })
}

/// Makes sure the issued invoice's PDF is in the archive (issuing writes
/// it; this covers an archive that could not be written then).
pub async fn ensure_archived(state: &AppState, invoice: &Invoice) -> AppResult<()> {
    if state
        .storage
        .read(&archive_key(invoice.id))
        .await?
        .is_none()
    {
        archived(state, invoice).await?;
    }
    Ok(())
}

/// Renders the issued invoice and writes it to the archive.
pub async fn archive(state: &AppState, invoice: &Invoice) -> AppResult<()> {
    archived(state, invoice).await.map(drop)
}

async fn archived(state: &AppState, invoice: &Invoice) -> AppResult<Vec<u8>> {
    let bytes = render(state, invoice).await?;
    state
        .storage
        .put(&archive_key(invoice.id), bytes.clone())
        .await?;
    Ok(bytes)
}

pub async fn render(state: &AppState, invoice: &Invoice) -> AppResult<Vec<u8>> {
    let body = invoice.data();
    let sheet = Sheet {
        title_key: "pdf-invoice-title",
        number_key: "pdf-invoice-number",
        date_key: "pdf-invoice-date",
        number: invoice.number.as_deref(),
        draft: invoice.is_draft(),
        customer: invoice.customer_id,
        body: &body,
        due_date: invoice.due_date,
        to_pay: Some(invoice.amount_due()),
        refers_to: None,
        intro_key: None,
        created: invoice.issued_at.unwrap_or_else(chrono::Utc::now),
        ident: format!("invoice-{}", invoice.id.0),
    };
    let document = sheet_document(&state.db, &sheet).await?;
    Ok(state.pdf.render(document).await?)
}
