//! The state of an HTML form between submit and re-render: what the user
//! typed (kept, never lost) and the field errors in their language.

use std::collections::HashMap;

use kernel::{FieldErrors, i18n::Locale};

use crate::i18n;

#[derive(Clone, Debug, Default)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub errors: FieldErrors,
    pub locale: Locale,
}

impl FormState {
    pub fn new(locale: Locale) -> Self {
        Self {
            locale,
            ..Default::default()
        }
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.values.insert(name.to_string(), value.to_string());
        self
    }

    pub fn set(&mut self, name: &str, value: impl ToString) {
        self.values.insert(name.to_string(), value.to_string());
    }

    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.v(name), "true" | "on" | "1")
    }

    /// The translated error of a field, empty when the field is fine.
    pub fn err(&self, name: &str) -> String {
        self.errors
            .get(name)
            .map(|k| i18n::t(self.locale, k))
            .unwrap_or_default()
    }

    pub fn invalid(&self, name: &str) -> &'static str {
        if self.errors.get(name).is_some() {
            " is-invalid"
        } else {
            ""
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
