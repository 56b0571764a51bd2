//! Note types and validation.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{FieldErrors, types};
use serde::{Deserialize, Serialize};

use crate::common::ids::{CustomerId, StaffId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct NoteId(pub i64);

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Note {
    pub id: NoteId,
    /// The record it hangs on: the customer, or one of its records.
    pub entity_kind: String,
    pub entity_id: i64,
    pub customer_id: CustomerId,
    pub body: String,
    pub contacted_at: Option<NaiveDate>,
    pub created_by: StaffId,
    pub author: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Note {
    pub fn html(&self) -> String {
        kernel::markdown::render(&self.body)
    }
}

/// A note as a list shows it: rendered, and whether the viewer may change it.
pub struct NoteView {
    pub note: Note,
    pub html: String,
    pub may_change: bool,
}

pub use crate::common::attach::NoteForm;

/// A new note needs `customer_id` and `body`; a change sends what changes.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct NoteInput {
    /// On creation: the customer the note is about.
    pub customer_id: Option<i64>,
    /// Markdown.
    #[schema(schema_with = crate::api::schema::text_required::<20000>)]
    pub body: Option<String>,
    /// When the customer was contacted; empty clears it.
    #[schema(schema_with = crate::api::schema::date_or_empty)]
    pub contacted_at: Option<String>,
}

impl From<&NoteForm> for NoteInput {
    fn from(form: &NoteForm) -> Self {
        Self {
            customer_id: None,
            body: Some(form.body.clone()),
            contacted_at: Some(form.contacted_at.clone()),
        }
    }
}

pub struct NoteData {
    pub body: String,
    pub contacted_at: Option<NaiveDate>,
}

impl NoteData {
    pub fn parse(input: &NoteInput, current: Option<&Note>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let body_in = input
            .body
            .clone()
            .or_else(|| current.map(|n| n.body.clone()))
            .unwrap_or_default();
        let body = types::multiline(&mut e, "body", &body_in, true, 20_000);
        let contacted_at = match input.contacted_at.as_deref().map(str::trim) {
            None => current.and_then(|n| n.contacted_at),
            Some("") => None,
            Some(d) => types::date(&mut e, "contacted_at", d),
        };
        if e.is_empty() {
            Ok(Self { body, contacted_at })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn body_is_required_and_dates_are_iso() {
        let e = NoteData::parse(
            &NoteInput {
                body: Some(" ".into()),
                contacted_at: Some("31.12.2026".into()),
                ..Default::default()
            },
            None,
        )
        .err()
        .unwrap();
        assert_eq!(e.get("body"), Some("error-required"));
        assert_eq!(e.get("contacted_at"), Some("error-date"));
        let ok = NoteData::parse(
            &NoteInput {
                body: Some("Called".into()),
                contacted_at: Some("2026-11-27".into()),
                ..Default::default()
            },
            None,
        )
        .ok()
        .unwrap();
        assert_eq!(ok.contacted_at.unwrap().to_string(), "2026-11-27");
    }
}
