//! The credit note as a PDF, titled Rechnungskorrektur (Stornorechnung for
//! a cancellation) and archived when issued, as invoices are.

use chrono::{DateTime, Utc};
use kernel::AppResult;

use super::{
    model::{CreditNote, CreditNoteFilter, CreditNoteId, CreditNoteRow, Status},
    service,
};
use crate::{
    common::documents::{self, Listed, Sheet, file_name, sheet_document},
    http::download::Download,
    modules::{
        billing::service as billing,
        customers::{model::CustomerId, service as customers},
        invoices::model::InvoiceId,
    },
    policy::StaffActor,
    state::AppState,
};

/// Where an issued credit note's PDF is archived.
pub fn archive_key(id: CreditNoteId) -> String {
    documents::archive_key("credit-notes", id.0)
}

pub async fn render(state: &AppState, note: &CreditNote, now: DateTime<Utc>) -> AppResult<Vec<u8>> {
    let (title_key, intro_key) = if note.cancellation {
        ("pdf-cancellation-title", Some("pdf-cancellation-intro"))
    } else {
        ("pdf-credit-note-title", None)
    };
    let sheet = Sheet {
        title_key,
        number_key: "pdf-credit-note-number",
        date_key: "pdf-credit-note-date",
        number: note.number.as_deref(),
        draft: note.is_draft(),
        body: &note.body,
        due_date: None,
        to_pay: None,
        refers_to: note
            .invoice_number
            .clone()
            .map(|n| ("pdf-refers-to-invoice", n)),
        intro_key,
        created: note.issued_at.unwrap_or(now),
        ident: format!("credit-note-{}", note.id.0),
    };
    let parties = billing::parties(state, note.customer_id).await?;
    documents::render(state, &parties, sheet_document(&parties, &sheet)?).await
}

async fn archive(state: &AppState, note: &CreditNote) -> AppResult<()> {
    let bytes = render(state, note, state.clock.now()).await?;
    Ok(state.storage.put(&archive_key(note.id), bytes).await?)
}

async fn archive_logged(state: &AppState, actor: &StaffActor, id: CreditNoteId) -> AppResult<()> {
    let note = service::get(&state.db, actor, id).await?;
    if let Err(e) = archive(state, &note).await {
        tracing::warn!(credit_note = id.0, error = %e, "archiving the credit note PDF failed");
    }
    Ok(())
}

/// Issues the draft and archives its PDF (a failed archive is written on
/// the next download).
pub async fn issue(state: &AppState, actor: &StaffActor, id: CreditNoteId) -> AppResult<String> {
    let number = service::issue(&state.db, actor, id, &state.clock).await?;
    archive_logged(state, actor, id).await?;
    Ok(number)
}

/// Cancels the invoice and archives the Stornorechnung.
pub async fn cancel_invoice(
    state: &AppState,
    actor: &StaffActor,
    invoice: InvoiceId,
) -> AppResult<CreditNoteId> {
    let id = service::cancel_invoice(&state.db, actor, invoice, &state.clock).await?;
    archive_logged(state, actor, id).await?;
    Ok(id)
}

pub async fn download(
    state: &AppState,
    actor: &StaffActor,
    id: CreditNoteId,
) -> AppResult<Download> {
    let note = service::get(&state.db, actor, id).await?;
    of_note(state, &note).await
}

/// The note's PDF for someone already allowed to see it.
pub async fn of_note(state: &AppState, note: &CreditNote) -> AppResult<Download> {
    documents::archived_download(
        &state.storage,
        &archive_key(note.id),
        file_name(note.number.as_deref(), note.id.0),
        note.is_draft(),
        render(state, note, state.clock.now()),
    )
    .await
}

/// Makes sure the issued note's PDF is in the archive, as sending needs it.
pub async fn ensure_archived(state: &AppState, note: &CreditNote) -> AppResult<()> {
    documents::archived_bytes(
        &state.storage,
        &archive_key(note.id),
        false,
        render(state, note, state.clock.now()),
    )
    .await
    .map(drop)
}

/// The PDFs of the customer's credit notes that pass the filter (of the
/// chosen ones, when some are chosen), zipped while they download.
pub async fn zip(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &CreditNoteFilter,
    chosen: &[i64],
) -> AppResult<Download> {
    let rows: Vec<CreditNoteRow> = service::list(&state.db, actor, customer, filter)
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
        format!("credit-notes-{number}.zip"),
        items,
        move |state, id| {
            let actor = actor.clone();
            async move {
                let note = service::get(&state.db, &actor, id).await?;
                render(&state, &note, state.clock.now()).await
            }
        },
    ))
}
