//! Sending the statement by email: the PDF is rendered, kept in the file
//! storage for the outbox to attach, and the sending is logged on the
//! customer.

use kernel::{AppError, AppResult};

use super::{model::Statement, pdf};
use crate::{
    common::{
        documents::file_name,
        sending::{self, Outgoing, Recipient, SendInput},
    },
    modules::{
        billing::service::{self as billing, MailTemplate},
        customers::{model::CustomerId, service as customers},
    },
    policy::{self, Action, Module, StaffActor},
    state::AppState,
};

pub const TEMPLATE: &str = "statement";

/// Sending needs what viewing needs, and the right to change the customer's
/// invoices (it speaks for the business).
pub fn may(actor: &StaffActor) -> bool {
    super::service::may(actor) && policy::can(actor, Module::Invoices, Action::Edit)
}

/// `Statement-00001-2026-11-01` (file names stay ASCII).
pub fn name(customer: CustomerId, s: &Statement) -> String {
    let from = s
        .period
        .from
        .map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_else(|| "all".into());
    format!("statement-{}-{from}", customer.0)
}

pub async fn prepare(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    s: &Statement,
) -> AppResult<(Vec<Recipient>, MailTemplate)> {
    let recipients = sending::recipients(&state.db, actor, customer).await?;
    let (c, _) = customers::for_document(&state.db, customer).await?;
    let company = billing::sender(&state.db).await?;
    let l = c.language;
    let template = billing::mail_template(&state.db, TEMPLATE, l).await?;
    Ok((
        recipients,
        template.fill(&[
            ("customer", c.company),
            ("company", company.name),
            ("period", pdf::period_text(l, s)),
            ("balance", pdf::amount(l, s.ending, &s.currency)),
        ]),
    ))
}

pub async fn send(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    period: super::model::Period,
    input: &SendInput,
) -> AppResult<usize> {
    if !may(actor) {
        return Err(AppError::Forbidden);
    }
    let statement = super::service::for_staff(
        &state.db,
        actor,
        customer,
        period,
        super::service::Lines::All,
    )
    .await?;
    let (recipients, template) = prepare(state, actor, customer, &statement).await?;
    let outgoing = Outgoing::check(&recipients, input, &template)?;
    let bytes = pdf::render(state, customer, &statement, state.clock.now()).await?;
    let key = format!("mail/statements/{}.pdf", kernel::auth::random_token());
    state.storage.put(&key, bytes).await?;
    let file = file_name(Some(&name(customer, &statement)), customer.0);
    let mail = outgoing.mail(&state.db, customer, file, key).await?;
    outgoing
        .send(
            &state.db,
            &mail,
            customers::entity(customer),
            customer,
            actor,
            "statement-sent",
            &state.clock,
        )
        .await
}
