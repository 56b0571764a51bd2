//! Sending an issued invoice by email, its archived PDF attached, to the
//! customer's contacts (those with the invoices permission are chosen
//! first) and copy recipients; or marking it as sent when it went another
//! way. Both are audited.

use chrono::{DateTime, Utc};
use kernel::{AppError, AppResult};
use sea_orm::TransactionTrait;

use super::{
    model::{Invoice, InvoiceId},
    pdf, service,
};
use crate::common::documents::store;
use crate::{
    common::{
        documents::file_name,
        sending::{Dispatch, MailTemplate, Outgoing, Recipient, SendInput},
    },
    modules::{
        activity::{model::Author, service as activity},
        billing::service as billing,
        contacts::service as contacts,
        customers::service as customers,
    },
    policy::{Action, StaffActor},
    state::AppState,
};

fn not_issued() -> AppError {
    AppError::Conflict("error-invoice-not-issued".into())
}

/// The contacts with an email address and the filled-in template.
pub async fn prepare(
    state: &AppState,
    actor: &StaffActor,
    invoice: &Invoice,
) -> AppResult<(Vec<Recipient>, MailTemplate)> {
    let recipients = contacts::recipients(&state.db, actor, invoice.customer_id).await?;
    let (customer, _) = customers::for_document(&state.db, invoice.customer_id).await?;
    let company = billing::sender(&state.db).await?;
    let l = customer.language;
    let template = billing::mail_template(&state.db, super::service::KIND.key, l).await?;
    let due = invoice.amount_due();
    let filled = template.fill(&[
        ("number", invoice.number.clone().unwrap_or_default()),
        ("customer", customer.company.clone()),
        ("amount_due", l.format_amount(due, &invoice.currency)),
        (
            "due_date",
            invoice
                .due_date
                .map(|d| l.format_date(d))
                .unwrap_or_default(),
        ),
        ("company", company.name),
    ]);
    Ok((recipients, filled))
}

/// Queues the email and records the invoice as sent; the number of
/// recipients.
pub async fn send(
    state: &AppState,
    actor: &StaffActor,
    id: InvoiceId,
    input: &SendInput,
    now: DateTime<Utc>,
) -> AppResult<usize> {
    let invoice = service::get(&state.db, actor, id).await?;
    if !service::may(actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    if invoice.is_draft() {
        return Err(not_issued());
    }
    let (recipients, template) = prepare(state, actor, &invoice).await?;
    let outgoing = Outgoing::check(&recipients, input, &template)?;
    // The attachment is the archived PDF; written now if issuing could not.
    pdf::ensure_archived(state, &invoice).await?;
    let mail = outgoing.mail(
        file_name(invoice.number.as_deref(), invoice.id.0),
        pdf::archive_key(invoice.id),
    );
    let to = Dispatch {
        document: service::entity(id),
        customer: invoice.customer_id,
        actor,
        action: "sent",
    };
    let txn = state.db.begin().await?;
    store::set_sent(&txn, &service::KIND, id.0, now).await?;
    activity::queue_mail(&txn, &outgoing, &mail, &to, &state.clock).await?;
    txn.commit().await?;
    Ok(outgoing.count())
}

/// Records that the invoice went to the customer another way (post, hand).
pub async fn mark_sent(
    state: &AppState,
    actor: &StaffActor,
    id: InvoiceId,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let invoice = service::get(&state.db, actor, id).await?;
    if !service::may(actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let txn = state.db.begin().await?;
    if store::set_sent(&txn, &service::KIND, id.0, now).await? == 0 {
        return Err(not_issued());
    }
    activity::record(
        &txn,
        service::entity(id),
        Some(invoice.customer_id.0),
        &Author::staff(actor),
        "marked_sent",
        "",
        None,
        &state.clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
