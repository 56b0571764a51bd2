//! Reminder types and validation.

use chrono::{DateTime, NaiveDateTime, TimeZone, Utc};
use kernel::{FieldErrors, types};
use serde::{Deserialize, Serialize};

use crate::{
    common::attach::ReminderForm,
    modules::{Attached, customers::model::CustomerId, staff::model::StaffId},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct ReminderId(pub i64);

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Reminder {
    pub id: ReminderId,
    pub customer_id: Option<CustomerId>,
    /// The record it is set on: `customer`, or one of its records.
    pub entity_kind: String,
    pub entity_id: i64,
    pub remind_at: DateTime<Utc>,
    pub description: String,
    pub staff_id: StaffId,
    pub notify_by_email: bool,
    pub notified: bool,
    pub created_by: StaffId,
}

/// A new reminder needs `customer_id`, `remind_at` (ahead of now) and a
/// `description`; a change sends what changes.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ReminderInput {
    /// On creation: the customer it is about.
    pub customer_id: Option<i64>,
    /// RFC 3339 (API) or `YYYY-MM-DDTHH:MM` in the installation's time zone
    /// (form); a new or moved reminder must lie ahead.
    #[schema(schema_with = remind_at_schema)]
    pub remind_at: Option<String>,
    #[schema(schema_with = crate::api::schema::text_required::<2000>)]
    pub description: Option<String>,
    /// Whom to remind; the token's staff member when absent.
    pub staff_id: Option<i64>,
    pub notify_by_email: Option<bool>,
}

fn remind_at_schema() -> utoipa::openapi::OneOfBuilder {
    use utoipa::openapi::{KnownFormat, ObjectBuilder, SchemaFormat, schema::Type};
    utoipa::openapi::OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some(
            r"^\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])T([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?\s*$",
        )))
        .item(ObjectBuilder::new().schema_type(Type::Null))
}

pub struct ReminderData {
    pub remind_at: DateTime<Utc>,
    pub description: String,
    pub staff_id: StaffId,
    pub notify_by_email: bool,
}

/// A point in time from RFC 3339 or from a local wall-clock time.
pub fn parse_time(text: &str, tz: chrono_tz::Tz) -> Option<DateTime<Utc>> {
    let text = text.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(text) {
        return Some(at.with_timezone(&Utc));
    }
    let naive = NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(text, "%Y-%m-%dT%H:%M:%S"))
        .ok()?;
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|at| at.with_timezone(&Utc))
}

impl ReminderData {
    /// `me` is the default staff member; a new or moved reminder must lie ahead of `now`.
    pub fn parse(
        input: &ReminderInput,
        current: Option<&Reminder>,
        me: StaffId,
        now: DateTime<Utc>,
        tz: chrono_tz::Tz,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let remind_at = match input.remind_at.as_deref() {
            Some(text) => match parse_time(text, tz) {
                Some(at) if at <= now && current.is_none_or(|c| c.remind_at != at) => {
                    e.add("remind_at", "error-past");
                    None
                }
                Some(at) => Some(at),
                None => {
                    e.add(
                        "remind_at",
                        if text.trim().is_empty() {
                            "error-required"
                        } else {
                            "error-datetime"
                        },
                    );
                    None
                }
            },
            None => current.map(|c| c.remind_at).or_else(|| {
                e.add("remind_at", "error-required");
                None
            }),
        };
        let description_in = input
            .description
            .clone()
            .or_else(|| current.map(|c| c.description.clone()))
            .unwrap_or_default();
        let description = types::multiline(&mut e, "description", &description_in, true, 2000);
        let staff_id = input
            .staff_id
            .map(StaffId)
            .or(current.map(|c| c.staff_id))
            .unwrap_or(me);
        let notify_by_email = input
            .notify_by_email
            .unwrap_or(current.is_some_and(|c| c.notify_by_email));
        match remind_at {
            Some(remind_at) if e.is_empty() => Ok(Self {
                remind_at,
                description,
                staff_id,
                notify_by_email,
            }),
            _ => Err(e),
        }
    }
}

impl From<&ReminderForm> for ReminderInput {
    fn from(form: &ReminderForm) -> Self {
        Self {
            customer_id: None,
            remind_at: Some(form.remind_at.clone()),
            description: Some(form.description.clone()),
            staff_id: form.staff_id,
            notify_by_email: Some(form.notify_by_email.is_some()),
        }
    }
}

/// A reminder as a list shows it.
pub struct ReminderView {
    pub r: Reminder,
    pub staff_name: String,
    pub may_change: bool,
    /// The record it is set on, when not the customer itself.
    pub attached: Option<Attached>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn local_times_follow_the_time_zone_and_the_past_is_refused() {
        let tz = chrono_tz::Europe::Berlin;
        assert_eq!(
            parse_time("2026-12-01T09:30", tz).unwrap().to_rfc3339(),
            "2026-12-01T08:30:00+00:00"
        );
        assert_eq!(
            parse_time("2026-12-01T09:30:00Z", tz).unwrap().to_rfc3339(),
            "2026-12-01T09:30:00+00:00"
        );
        let now = parse_time("2026-11-27T12:00:00Z", tz).unwrap();
        let past = ReminderInput {
            remind_at: Some("2026-11-01T10:00".into()),
            description: Some("x".into()),
            ..Default::default()
        };
        assert_eq!(
            ReminderData::parse(&past, None, StaffId(1), now, tz)
                .err()
                .unwrap()
                .get("remind_at"),
            Some("error-past")
        );
        let bad = ReminderInput {
            remind_at: Some("morgen".into()),
            ..Default::default()
        };
        let e = ReminderData::parse(&bad, None, StaffId(1), now, tz)
            .err()
            .unwrap();
        assert_eq!(
            (e.get("remind_at"), e.get("description")),
            (Some("error-datetime"), Some("error-required"))
        );
    }
}
