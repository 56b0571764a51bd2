//! What record pages exchange with the attachables (notes, files,
//! reminders) that hang on them: the forms as posted.

use kernel::{FieldErrors, i18n::Locale};
use serde::Deserialize;

use crate::http::form::FormState;

/// The note form as posted, on the Notes tab or a record's page.
#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub contacted_at: String,
}

impl NoteForm {
    /// The form as typed, to show again.
    pub fn typed(&self, locale: Locale) -> FormState {
        FormState::new(locale)
            .with("body", &self.body)
            .with("contacted_at", &self.contacted_at)
    }
}

/// The reminder form as posted, on the Reminders tab or a record's page.
#[derive(Deserialize)]
pub struct ReminderForm {
    #[serde(default)]
    pub remind_at: String,
    #[serde(default)]
    pub description: String,
    #[serde(default, deserialize_with = "kernel::web::number")]
    pub staff_id: Option<i64>,
    #[serde(default)]
    pub notify_by_email: Option<String>,
}

impl ReminderForm {
    /// The form as typed, with its errors, to show again.
    pub fn state(&self, locale: Locale, errors: FieldErrors) -> FormState {
        FormState::new(locale)
            .with("remind_at", &self.remind_at)
            .with("description", &self.description)
            .with("staff_id", self.staff_id.unwrap_or_default())
            .with("notify_by_email", self.notify_by_email.is_some())
            .with_errors(errors)
    }
}

/// A block of HTML a template has rendered (and escaped), embedded in a
/// page as it is.
pub struct Rendered(pub String);

impl Rendered {
    /// The template rendered; a template that fails is a bug, reported as
    /// an internal error.
    pub fn of(template: &impl askama::Template) -> kernel::AppResult<Self> {
        template
            .render()
            .map(Rendered)
            .map_err(|e| kernel::AppError::Internal(e.into()))
    }
}

impl std::fmt::Display for Rendered {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}
