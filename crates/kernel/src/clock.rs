//! The app's clock: the one source of "now" and "today". Production reads
//! the system clock; tests hold a clock they can set and move on, so no
//! test sleeps or depends on the real calendar.
//!
//! Dates on documents (an invoice's date, a payment's, the day an invoice
//! becomes overdue) are days in the installation's time zone
//! (`KONTOR_TIMEZONE`), not in UTC: at 00:30 in Berlin it is already the
//! next day there.

use std::{
    sync::{Arc, Mutex},
    time::Instant,
};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;

#[derive(Clone)]
pub struct Clock {
    zone: Tz,
    manual: Option<Arc<Mutex<Anchor>>>,
}

/// A set clock keeps running from the moment it was set, so timestamps
/// taken one after another still differ and order as they happened.
#[derive(Clone, Copy)]
struct Anchor {
    at: DateTime<Utc>,
    since: Instant,
}

impl Clock {
    /// The system clock, in the installation's zone.
    pub fn system(zone: Tz) -> Self {
        Self { zone, manual: None }
    }

    /// A clock that starts at `at` and runs on from there; [`Clock::set`]
    /// and [`Clock::advance`] move it.
    pub fn manual(zone: Tz, at: DateTime<Utc>) -> Self {
        Self {
            zone,
            manual: Some(Arc::new(Mutex::new(Anchor {
                at,
                since: Instant::now(),
            }))),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        match &self.manual {
            None => Utc::now(),
            Some(anchor) => {
                let a = *anchor.lock().unwrap_or_else(|e| e.into_inner());
                a.at + Duration::from_std(a.since.elapsed()).unwrap_or_default()
            }
        }
    }

    /// Today in the installation's zone.
    pub fn today(&self) -> NaiveDate {
        self.now().with_timezone(&self.zone).date_naive()
    }

    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Sets a manual clock to `at`; the system clock cannot be set.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Some(anchor) = &self.manual {
            *anchor.lock().unwrap_or_else(|e| e.into_inner()) = Anchor {
                at,
                since: Instant::now(),
            };
        }
    }

    /// Moves a manual clock on by `by`.
    pub fn advance(&self, by: Duration) {
        let now = self.now();
        self.set(now + by);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn a_set_clock_runs_on_and_counts_days_in_its_zone() {
        let at = Utc.with_ymd_and_hms(2026, 12, 11, 23, 30, 0).unwrap();
        let clock = Clock::manual(chrono_tz::Europe::Berlin, at);
        let first = clock.now();
        assert!(first >= at && clock.now() >= first);
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 12, 12).unwrap()
        );
        clock.advance(Duration::days(1));
        assert_eq!(
            clock.today(),
            NaiveDate::from_ymd_opt(2026, 12, 13).unwrap()
        );
    }
}
