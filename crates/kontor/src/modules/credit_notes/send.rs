//! Sending an issued credit note by email, its archived PDF attached, to
//! the customer's contacts and copy recipients; audited on the note.

use kernel::{AppError, AppResult};

use super::{
    model::{CreditNote, CreditNoteId},
    pdf, service,
};
use crate::{
    common::{
        documents::{self, file_name},
        sending::{Dispatch, MailTemplate, Outgoing, Recipient, SendInput},
    },
    modules::{
        activity::service as activity, billing::service as billing, contacts::service as contacts,
        customers::service as customers,
    },
    policy::{Action, StaffActor},
    state::AppState,
};

/// Whether the actor may send the note: issued, and the right to edit
/// credit notes.
pub fn may(actor: &StaffActor, note: &CreditNote) -> bool {
    !note.is_draft() && service::may(actor, Action::Edit)
}

/// The contacts with an email address and the filled-in template.
pub async fn prepare(
    state: &AppState,
    actor: &StaffActor,
    note: &CreditNote,
) -> AppResult<(Vec<Recipient>, MailTemplate)> {
    let recipients = contacts::recipients(&state.db, actor, note.customer_id).await?;
    let (customer, _) = customers::for_document(&state.db, note.customer_id).await?;
    let company = billing::sender(&state.db).await?;
    let l = customer.language;
    let template = billing::mail_template(&state.db, service::KIND.key, l).await?;
    Ok((
        recipients,
        template.fill(&[
            ("number", note.number.clone().unwrap_or_default()),
            ("customer", customer.company),
            (
                "amount",
                documents::money(l, note.totals().total, &note.body.currency),
            ),
            ("invoice", note.invoice_number.clone().unwrap_or_default()),
            ("company", company.name),
        ]),
    ))
}

/// Queues the email; the number of recipients.
pub async fn send(
    state: &AppState,
    actor: &StaffActor,
    id: CreditNoteId,
    input: &SendInput,
) -> AppResult<usize> {
    let note = service::get(&state.db, actor, id).await?;
    if !service::may(actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    if note.is_draft() {
        return Err(AppError::Conflict("error-credit-note-not-issued".into()));
    }
    let (recipients, template) = prepare(state, actor, &note).await?;
    let outgoing = Outgoing::check(&recipients, input, &template)?;
    pdf::ensure_archived(state, &note).await?;
    let mail = outgoing.mail(
        file_name(note.number.as_deref(), note.id.0),
        pdf::archive_key(note.id),
    );
    let to = Dispatch {
        document: service::entity(id),
        customer: note.customer_id,
        actor,
        action: "sent",
    };
    activity::send_mail(&state.db, &outgoing, &mail, &to, &state.clock).await
}
