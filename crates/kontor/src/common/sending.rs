//! Sending a document to a customer by email: the contacts it can go to
//! (those with the invoices permission come chosen), copy addresses, and
//! the subject and text from a template the sender may change.

use kernel::{
    AppError, AppResult, FieldErrors,
    i18n::Locale,
    mail::{Attachment, OutgoingMail},
    types,
};
use sea_orm::DatabaseConnection;
use serde::Deserialize;

use crate::{
    common::mail::written,
    modules::{
        billing::service::MailTemplate,
        contacts::{model::Contact, service as contacts},
        customers::model::CustomerId,
    },
    policy::StaffActor,
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

/// A contact the document can go to.
pub struct Recipient {
    pub contact: Contact,
    /// Chosen before the sender changes anything.
    pub preselected: bool,
}

/// The customer's active contacts with an email address.
pub async fn recipients(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<Recipient>> {
    Ok(contacts::list(db, actor, customer)
        .await?
        .into_iter()
        .filter(|c| c.active && !c.email.is_empty())
        .map(|contact| Recipient {
            preselected: contact.permissions.iter().any(|p| p == "invoices"),
            contact,
        })
        .collect())
}

/// A checked message, ready to queue.
pub struct Outgoing {
    pub to: Vec<String>,
    pub cc: Vec<String>,
    pub subject: String,
    pub body: String,
}

impl Outgoing {
    /// Checks the choice against the customer's contacts; at least one
    /// address, every copy address valid, subject and text not empty.
    pub fn check(
        recipients: &[Recipient],
        input: &SendInput,
        template: &MailTemplate,
    ) -> AppResult<Self> {
        let mut e = FieldErrors::new();
        let to: Vec<String> = recipients
            .iter()
            .filter(|r| {
                if input.contact_ids.is_empty() {
                    r.preselected
                } else {
                    input.contact_ids.contains(&r.contact.id.0)
                }
            })
            .map(|r| r.contact.email.clone())
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
        if e.is_empty() {
            Ok(Self {
                to,
                cc,
                subject,
                body,
            })
        } else {
            Err(AppError::Validation(e))
        }
    }

    /// The mail with the document attached; with only copy addresses they
    /// become the recipients.
    pub fn mail(&self, locale: Locale, attachment: Attachment) -> OutgoingMail {
        let (to, cc) = if self.to.is_empty() {
            (self.cc.join(", "), Vec::new())
        } else {
            (self.to.join(", "), self.cc.clone())
        };
        let mut mail = written(locale, &to, &self.subject, &self.body);
        mail.cc = cc;
        mail.attachments = vec![attachment];
        mail
    }

    /// Every address, for the activity log.
    pub fn everyone(&self) -> String {
        self.to
            .iter()
            .chain(&self.cc)
            .cloned()
            .collect::<Vec<_>>()
            .join(", ")
    }

    pub fn count(&self) -> usize {
        self.to.len() + self.cc.len()
    }
}
