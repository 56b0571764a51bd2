//! Sending a document to a customer by email: the contacts it can go to
//! (those with the invoices permission come chosen), copy addresses, and
//! the subject and text from a template the sender may change.

use kernel::{
    AppError, AppResult, FieldErrors,
    i18n::Locale,
    mail::{Attachment, OutgoingMail},
    types,
};
use serde::Deserialize;

use crate::{
    common::{entity_ref::EntityRef, ids::CustomerId, mail::written},
    http::form::FormState,
    policy::StaffActor,
};

/// The longest subject and text an email may have, as sent and as a
/// template.
pub const SUBJECT_MAX: usize = 200;
pub const BODY_MAX: usize = 10_000;
/// The longest list of copy addresses, as typed.
const CC_MAX: usize = 2000;

/// What a document's email says before the sender edits it; placeholders
/// such as `{number}` or `{customer}` are filled in (each kind names its
/// own in the settings help).
#[derive(Clone, Debug, PartialEq)]
pub struct MailTemplate {
    /// The language it is written in: the customer's.
    pub locale: Locale,
    pub subject: String,
    pub body: String,
}

impl MailTemplate {
    pub fn fill(&self, values: &[(&str, String)]) -> MailTemplate {
        let fill = |text: &str| {
            values.iter().fold(text.to_owned(), |text, (name, value)| {
                text.replace(&format!("{{{name}}}"), value)
            })
        };
        MailTemplate {
            locale: self.locale,
            subject: fill(&self.subject),
            body: fill(&self.body),
        }
    }
}

/// What a sender chooses; absent parts take the defaults (the contacts
/// with the invoices permission, the template in the customer's language).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct SendInput {
    /// The customer's contacts to send to.
    #[serde(default)]
    pub contact_ids: Vec<i64>,
    /// Further addresses, separated by commas.
    #[serde(default)]
    #[schema(schema_with = cc_schema)]
    pub cc: String,
    #[schema(schema_with = crate::api::schema::line::<SUBJECT_MAX>)]
    pub subject: Option<String>,
    #[schema(schema_with = crate::api::schema::text::<BODY_MAX>)]
    pub body: Option<String>,
}

fn cc_schema() -> utoipa::openapi::ObjectBuilder {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .max_length(Some(CC_MAX))
}

/// The "send by email" form as posted from a document's page.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct SendForm {
    #[serde(default)]
    pub contact_ids: Vec<i64>,
    #[serde(default)]
    pub cc: String,
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub body: String,
}

impl SendForm {
    /// What to send. A form with no contact ticked and no copy address
    /// means nobody, not "the default contacts" as in the API.
    pub fn input(&self) -> AppResult<SendInput> {
        if self.contact_ids.is_empty() && self.cc.trim().is_empty() {
            return Err(AppError::field("contact_ids", "error-no-recipient"));
        }
        Ok(SendInput {
            contact_ids: self.contact_ids.clone(),
            cc: self.cc.clone(),
            subject: Some(self.subject.clone()),
            body: Some(self.body.clone()),
        })
    }

    /// The form as typed, with its errors, to show again.
    pub fn typed(self, locale: Locale, errors: FieldErrors) -> Typed {
        Typed {
            form: FormState::new(locale)
                .with("cc", self.cc)
                .with("subject", self.subject)
                .with("body", self.body)
                .with_errors(errors),
            chosen: self.contact_ids,
        }
    }
}

/// A send form as the sender filled it in.
pub struct Typed {
    form: FormState,
    chosen: Vec<i64>,
}

/// The "send by email" form on a document's page (the `send_form` macro
/// of `components/macros.html`).
pub struct SendDraft {
    /// Where the form posts to.
    pub action: String,
    pub recipients: Vec<Recipient>,
    pub form: FormState,
    chosen: Vec<i64>,
}

impl SendDraft {
    /// The form as the sender left it, or else filled from the template
    /// with the preselected contacts ticked.
    pub fn new(
        locale: Locale,
        action: String,
        recipients: Vec<Recipient>,
        template: MailTemplate,
        typed: Option<Typed>,
    ) -> Self {
        let typed = typed.unwrap_or_else(|| Typed {
            form: FormState::new(locale)
                .with("subject", template.subject)
                .with("body", template.body),
            chosen: recipients
                .iter()
                .filter(|r| r.preselected)
                .map(|r| r.id)
                .collect(),
        });
        Self {
            action,
            recipients,
            form: typed.form,
            chosen: typed.chosen,
        }
    }

    /// No form: the document cannot be sent, or not by this user.
    pub fn none(locale: Locale) -> Self {
        Self {
            action: String::new(),
            recipients: Vec::new(),
            form: FormState::new(locale),
            chosen: Vec::new(),
        }
    }

    pub fn is_chosen(&self, r: &Recipient) -> bool {
        self.chosen.contains(&r.id)
    }
}

/// A contact the document can go to.
pub struct Recipient {
    /// The contact's id.
    pub id: i64,
    pub name: String,
    pub email: String,
    /// Chosen before the sender changes anything.
    pub preselected: bool,
}

/// Where a sent mail is recorded: under `action` on `document`, by `actor`.
pub struct Dispatch<'a> {
    pub document: EntityRef,
    pub customer: CustomerId,
    pub actor: &'a StaffActor,
    pub action: &'static str,
}

/// A checked message, ready to queue.
pub struct Outgoing {
    /// The customer's language, which the template was written in.
    pub locale: Locale,
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
                    input.contact_ids.contains(&r.id)
                }
            })
            .map(|r| r.email.clone())
            .collect();
        if input.cc.chars().count() > CC_MAX {
            e.add("cc", "error-too-long");
        }
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
            SUBJECT_MAX,
        );
        let body = types::multiline(
            &mut e,
            "body",
            input.body.as_deref().unwrap_or(&template.body),
            true,
            BODY_MAX,
        );
        if e.is_empty() {
            Ok(Self {
                locale: template.locale,
                to,
                cc,
                subject,
                body,
            })
        } else {
            Err(AppError::Validation(e))
        }
    }

    /// The mail in the customer's language with the PDF in the storage at
    /// `storage_key` attached as `name`; with only copy addresses they
    /// become the recipients.
    pub fn mail(&self, name: String, storage_key: String) -> OutgoingMail {
        let (to, cc) = if self.to.is_empty() {
            (self.cc.join(", "), Vec::new())
        } else {
            (self.to.join(", "), self.cc.clone())
        };
        let mut mail = written(self.locale, &to, &self.subject, &self.body);
        mail.cc = cc;
        mail.attachments = vec![Attachment {
            name,
            content_type: "application/pdf".into(),
            storage_key,
        }];
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
