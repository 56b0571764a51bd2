//! The business day. Dates on documents (an invoice's date, a payment's,
//! the day an invoice becomes overdue) are days in the installation's time
//! zone (`KONTOR_TIMEZONE`), not in UTC: at 00:30 in Berlin it is already
//! the next day there.

use std::sync::OnceLock;

use chrono::{NaiveDate, Utc};
use chrono_tz::Tz;

static ZONE: OnceLock<Tz> = OnceLock::new();

/// Sets the installation's zone at start; one zone per process, the first
/// set stays.
pub fn set_zone(zone: Tz) {
    let _ = ZONE.set(zone);
}

pub fn zone() -> Tz {
    ZONE.get().copied().unwrap_or(chrono_tz::Europe::Berlin)
}

/// Today in the installation's zone.
pub fn today() -> NaiveDate {
    Utc::now().with_timezone(&zone()).date_naive()
}
