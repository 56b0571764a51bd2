//! The credit note as a PDF, titled Rechnungskorrektur (Stornorechnung for
//! a cancellation) and archived when issued, as invoices are.

use kernel::AppResult;

use super::{
    model::{CreditNote, CreditNoteId},
    service,
};
use crate::{
    common::documents::{Sheet, archive_key, file_name, in_memory, pdf_download, sheet_document},
    http::download::Download,
    modules::invoices::model::InvoiceId,
    policy::StaffActor,
    state::AppState,
};

fn key(id: CreditNoteId) -> String {
    archive_key("credit-notes", id.0)
}

pub async fn render(state: &AppState, note: &CreditNote) -> AppResult<Vec<u8>> {
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
        customer: note.customer_id,
        body: &note.body,
        due_date: None,
        to_pay: None,
        refers_to: note
            .invoice_number
            .clone()
            .map(|n| ("pdf-refers-to-invoice", n)),
        intro_key,
        created: note.issued_at.unwrap_or_else(chrono::Utc::now),
        ident: format!("credit-note-{}", note.id.0),
    };
    let document = sheet_document(&state.db, &sheet).await?;
    Ok(state.pdf.render(document).await?)
}

async fn archived(state: &AppState, note: &CreditNote) -> AppResult<Vec<u8>> {
    let bytes = render(state, note).await?;
    state.storage.put(&key(note.id), bytes.clone()).await?;
    Ok(bytes)
}

async fn archive_logged(state: &AppState, actor: &StaffActor, id: CreditNoteId) -> AppResult<()> {
    let note = service::get(&state.db, actor, id).await?;
    if let Err(e) = archived(state, &note).await {
        tracing::warn!(credit_note = id.0, error = %e, "archiving the credit note PDF failed");
    }
    Ok(())
}

/// Issues the draft and archives its PDF (a failed archive is written on
/// the next download).
pub async fn issue(state: &AppState, actor: &StaffActor, id: CreditNoteId) -> AppResult<String> {
    let number = service::issue(&state.db, actor, id).await?;
    archive_logged(state, actor, id).await?;
    Ok(number)
}

/// Cancels the invoice and archives the Stornorechnung.
pub async fn cancel_invoice(
    state: &AppState,
    actor: &StaffActor,
    invoice: InvoiceId,
) -> AppResult<CreditNoteId> {
    let id = service::cancel_invoice(&state.db, actor, invoice).await?;
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
    let name = file_name(note.number.as_deref(), note.id.0);
    if note.is_draft() {
        return Ok(pdf_download(name, in_memory(render(state, note).await?)));
    }
    if let Some(body) = state.storage.read(&key(note.id)).await? {
        return Ok(pdf_download(name, body));
    }
    Ok(pdf_download(name, in_memory(archived(state, note).await?)))
}
