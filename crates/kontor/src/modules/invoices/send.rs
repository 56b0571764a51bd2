//! Sending an issued invoice by email, its archived PDF attached, to the
//! customer's contacts (those with the invoices permission are chosen
//! first) and copy recipients; or marking it as sent when it went another
//! way. Both are audited.

use chrono::Utc;
use kernel::{
    AppError, AppResult, FieldErrors,
    mail::{self, Attachment},
    types,
};
use sea_orm::TransactionTrait;
use serde::Deserialize;

use super::{
    model::{Invoice, InvoiceId},
    pdf, repo, service,
};
use crate::{
    common::mail::written,
    modules::{
        activity::{model::Author, service as activity},
        billing::service::{self as billing, MailTemplate},
        contacts::{model::Contact, service as contacts},
        customers::service as customers,
    },
    policy::{Action, StaffActor},
    state::AppState,
};

/// What a sender chooses; absent parts take the defaults (the contacts
/// with the invoices permission, the template in the customer's language).
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SendInput {
    #[serde(default)]
    pub contact_ids: Vec<i64>,
    /// Further addresses, separated by commas.
    #[serde(default)]
    pub cc: String,
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// A contact the invoice can go to.
pub struct Recipient {
    pub contact: Contact,
    /// Chosen before the sender changes anything.
    pub preselected: bool,
}

fn not_issued() -> AppError {
    AppError::Conflict("error-invoice-not-issued".into())
}

/// The contacts with an email address and the filled-in template.
pub async fn prepare(
    state: &AppState,
    actor: &StaffActor,
    invoice: &Invoice,
) -> AppResult<(Vec<Recipient>, MailTemplate)> {
    let recipients = contacts::list(&state.db, actor, invoice.customer_id)
        .await?
        .into_iter()
        .filter(|c| c.active && !c.email.is_empty())
        .map(|contact| Recipient {
            preselected: contact.permissions.iter().any(|p| p == "invoices"),
            contact,
        })
        .collect();
    let (customer, _) = customers::for_document(&state.db, invoice.customer_id).await?;
    let company = billing::sender(&state.db).await?;
    let l = customer.language;
    let template = billing::mail_template(&state.db, super::service::KIND, l).await?;
    let due = invoice.amount_due();
    let minor = kernel::money::to_minor(due, 2).unwrap_or_default();
    let filled = template.fill(&[
        ("number", invoice.number.clone().unwrap_or_default()),
        ("customer", customer.company.clone()),
        ("amount_due", l.format_money(minor, &invoice.currency)),
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
) -> AppResult<usize> {
    let invoice = service::get(&state.db, actor, id).await?;
    if !service::may(actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    if invoice.is_draft() {
        return Err(not_issued());
    }
    let (recipients, template) = prepare(state, actor, &invoice).await?;
    let mut e = FieldErrors::new();
    let to: Vec<&Contact> = recipients
        .iter()
        .filter(|r| {
            if input.contact_ids.is_empty() {
                r.preselected
            } else {
                input.contact_ids.contains(&r.contact.id.0)
            }
        })
        .map(|r| &r.contact)
        .collect();
    let cc: Vec<String> = input
        .cc
        .split([',', ';'])
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .filter_map(|a| types::email(&mut e, "cc", a).map(|m| m.into_inner()))
        .collect();
    if to.is_empty() && cc.is_empty() {
        e.add("contact_ids", "error-no-recipient");
    }
    let subject = types::text(
        &mut e,
        "subject",
        input.subject.as_deref().unwrap_or(&template.subject),
        true,
        200,
    );
    let body = types::multiline(
        &mut e,
        "body",
        input.body.as_deref().unwrap_or(&template.body),
        true,
        10_000,
    );
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    // The attachment is the archived PDF; written now if issuing could not.
    pdf::ensure_archived(state, &invoice).await?;
    let addresses: Vec<&str> = to.iter().map(|c| c.email.as_str()).collect();
    let (customer, _) = customers::for_document(&state.db, invoice.customer_id).await?;
    let mut mail = written(
        customer.language,
        &if addresses.is_empty() {
            cc.join(", ")
        } else {
            addresses.join(", ")
        },
        &subject,
        &body,
    );
    if !addresses.is_empty() {
        mail.cc = cc.clone();
    }
    mail.attachments = vec![Attachment {
        name: crate::common::documents::file_name(invoice.number.as_deref(), invoice.id.0),
        content_type: "application/pdf".into(),
        storage_key: pdf::archive_key(invoice.id),
    }];
    let everyone: Vec<String> = addresses
        .iter()
        .map(|a| (*a).to_owned())
        .chain(cc)
        .collect();
    let txn = state.db.begin().await?;
    mail::enqueue(&txn, &mail).await?;
    repo::set_sent(&txn, id, Utc::now()).await?;
    activity::record(
        &txn,
        service::entity(id),
        Some(invoice.customer_id.0),
        &Author::staff(actor),
        "sent",
        &everyone.join(", "),
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(everyone.len())
}

/// Records that the invoice went to the customer another way (post, hand).
pub async fn mark_sent(state: &AppState, actor: &StaffActor, id: InvoiceId) -> AppResult<()> {
    let invoice = service::get(&state.db, actor, id).await?;
    if !service::may(actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let txn = state.db.begin().await?;
    if repo::set_sent(&txn, id, Utc::now()).await? == 0 {
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
    )
    .await?;
    txn.commit().await?;
    Ok(())
}
