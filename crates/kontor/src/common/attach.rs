//! What record pages exchange with the attachables (notes, files,
//! reminders) that hang on them: the forms as posted.

use kernel::i18n::Locale;
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
