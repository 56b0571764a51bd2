//! Sending the statement by email: the PDF is rendered, kept in the file
//! storage for the outbox to attach, and the sending is logged on the
//! customer.

use kernel::{AppError, AppResult, i18n::Locale};

use super::{model::Statement, pdf};
use crate::{
    common::{
        documents::file_name,
        sending::{Dispatch, MailTemplate, Outgoing, Recipient, SendInput},
    },
    modules::{
        activity::service as activity,
        billing::service as billing,
        contacts::service as contacts,
        customers::{model::CustomerId, service as customers},
    },
    policy::{self, Action, StaffActor},
    state::AppState,
};

pub const TEMPLATE: &str = "statement";

/// Sending needs what viewing needs, and the right to change the customer's
/// invoices (it speaks for the business).
pub fn may(actor: &StaffActor) -> bool {
    super::service::may(actor)
        && policy::can(actor, crate::modules::invoices::service::AREA, Action::Edit)
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

/// What the send form needs besides the statement itself, so it can be
/// read beside it.
pub struct Materials {
    recipients: Vec<Recipient>,
    template: MailTemplate,
    customer: String,
    company: String,
    language: Locale,
}

impl Materials {
    /// The recipients, and the template filled in for statement `s`.
    pub fn fill(self, s: &Statement) -> (Vec<Recipient>, MailTemplate) {
        let l = self.language;
        let template = self.template.fill(&[
            ("customer", self.customer),
            ("company", self.company),
            ("period", pdf::period_text(l, s)),
            ("balance", pdf::amount(l, s.ending, &s.currency)),
        ]);
        (self.recipients, template)
    }
}

pub async fn materials(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Materials> {
    let recipients = contacts::recipients(&state.db, actor, (customer, "invoices")).await?;
    let (c, _) = customers::for_document(&state.db, customer).await?;
    let company = billing::sender(&state.db).await?;
    let template = billing::mail_template(&state.db, TEMPLATE, c.language).await?;
    Ok(Materials {
        recipients,
        template,
        customer: c.company,
        company: company.name,
        language: c.language,
    })
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
    let (recipients, template) = materials(state, actor, customer).await?.fill(&statement);
    let outgoing = Outgoing::check(&recipients, input, &template)?;
    let bytes = pdf::render(state, customer, &statement, state.clock.now()).await?;
    let key = format!("mail/statements/{}.pdf", kernel::auth::random_token());
    state.storage.put(&key, bytes).await?;
    let file = file_name(Some(&name(customer, &statement)), customer.0);
    let mail = outgoing.mail(file, key);
    let to = Dispatch {
        document: customers::entity(customer),
        customer,
        actor,
        action: "statement-sent",
    };
    activity::send_mail(&state.db, &outgoing, &mail, &to, &state.clock).await
}
