//! A customer's statement: the balance at the start of a period, every
//! movement in it with the running balance, and the summary. The balance
//! is what the customer owes: invoices raise it, payments and credit notes
//! lower it, refunds of credit raise it again; credit applied to an invoice
//! moves credit and leaves it unchanged.

use chrono::{Datelike, Months, NaiveDate};
use kernel::{FieldErrors, types};
use serde::Serialize;

/// The period a statement covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Preset {
    ThisMonth,
    LastMonth,
    ThisYear,
    LastYear,
    AllTime,
    Custom,
}

impl Preset {
    pub const ALL: [Preset; 6] = [
        Preset::ThisMonth,
        Preset::LastMonth,
        Preset::ThisYear,
        Preset::LastYear,
        Preset::AllTime,
        Preset::Custom,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::ThisMonth => "this_month",
            Self::LastMonth => "last_month",
            Self::ThisYear => "this_year",
            Self::LastYear => "last_year",
            Self::AllTime => "all",
            Self::Custom => "custom",
        }
    }

    pub fn label_key(self) -> String {
        format!("period-{}", self.key())
    }
}

/// From and to, both included; `None` is open-ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    pub preset: Preset,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn month_start(d: NaiveDate) -> NaiveDate {
    d.with_day(1).unwrap_or(d)
}

impl Period {
    /// Reads `period` (a preset key, default this month) and for a custom
    /// period `from`/`to` (either may be empty).
    pub fn parse(
        period: &str,
        from: &str,
        to: &str,
        today: NaiveDate,
    ) -> Result<Self, FieldErrors> {
        let preset = match period {
            "" => Preset::ThisMonth,
            key => match Preset::ALL.into_iter().find(|p| p.key() == key) {
                Some(p) => p,
                None => return Err(FieldErrors::single("period", "error-invalid")),
            },
        };
        // A period given as from/to alone is a custom one (the API's way).
        let preset = if period.is_empty() && (!from.is_empty() || !to.is_empty()) {
            Preset::Custom
        } else {
            preset
        };
        let this_month = month_start(today);
        let year_start = NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
        let (from, to) = match preset {
            Preset::ThisMonth => (
                Some(this_month),
                this_month
                    .checked_add_months(Months::new(1))
                    .and_then(|d| d.pred_opt()),
            ),
            Preset::LastMonth => {
                let start = this_month
                    .checked_sub_months(Months::new(1))
                    .unwrap_or(this_month);
                (Some(start), this_month.pred_opt())
            }
            Preset::ThisYear => (
                Some(year_start),
                NaiveDate::from_ymd_opt(today.year(), 12, 31),
            ),
            Preset::LastYear => (
                NaiveDate::from_ymd_opt(today.year() - 1, 1, 1),
                NaiveDate::from_ymd_opt(today.year() - 1, 12, 31),
            ),
            Preset::AllTime => (None, None),
            Preset::Custom => {
                let mut e = FieldErrors::new();
                let from = types::optional_date(&mut e, "from", from);
                let to = types::optional_date(&mut e, "to", to);
                if let (Some(f), Some(t)) = (from, to)
                    && t < f
                {
                    e.add("to", "error-to-before-from");
                }
                if !e.is_empty() {
                    return Err(e);
                }
                (from, to)
            }
        };
        Ok(Self { preset, from, to })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Invoice,
    Payment,
    CreditNote,
    CreditApplied,
    Refund,
}

impl Kind {
    pub const ALL: [Kind; 5] = [
        Kind::Invoice,
        Kind::Payment,
        Kind::CreditNote,
        Kind::CreditApplied,
        Kind::Refund,
    ];

    pub fn index(self) -> usize {
        match self {
            Self::Invoice => 0,
            Self::Payment => 1,
            Self::CreditNote => 2,
            Self::CreditApplied => 3,
            Self::Refund => 4,
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        match key {
            "invoice" => Some(Self::Invoice),
            "payment" => Some(Self::Payment),
            "credit_note" => Some(Self::CreditNote),
            "credit_applied" => Some(Self::CreditApplied),
            "refund" => Some(Self::Refund),
            _ => None,
        }
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Invoice => "statement-invoice",
            Self::Payment => "statement-payment",
            Self::CreditNote => "statement-credit-note",
            Self::CreditApplied => "statement-credit-applied",
            Self::Refund => "statement-refund",
        }
    }

    /// How the movement changes what the customer owes.
    pub fn sign(self) -> i64 {
        match self {
            Self::Invoice | Self::Refund => 1,
            Self::Payment | Self::CreditNote => -1,
            Self::CreditApplied => 0,
        }
    }
}

/// One movement as stored.
#[derive(Clone, Debug)]
pub struct Movement {
    pub date: NaiveDate,
    pub kind: Kind,
    /// The document's id (invoice, credit note) for links.
    pub document_id: i64,
    pub reference: String,
    /// For credit applied: the invoice it went to.
    pub detail: String,
    pub amount: i64,
}

/// A movement with the balance after it (minor units).
#[derive(Clone, Debug)]
pub struct Line {
    pub movement: Movement,
    pub balance: i64,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub period: Period,
    pub currency: String,
    pub beginning: i64,
    pub lines: Vec<Line>,
    pub invoiced: i64,
    pub paid: i64,
    pub credited: i64,
    pub refunded: i64,
    pub ending: i64,
}

impl Statement {
    /// Runs the balance from `beginning` through the movements (in date
    /// order) and sums them per kind.
    pub fn new(period: Period, currency: String, beginning: i64, movements: Vec<Movement>) -> Self {
        let mut balance = beginning;
        let (mut invoiced, mut paid, mut credited, mut refunded) = (0, 0, 0, 0);
        let lines = movements
            .into_iter()
            .map(|m| {
                balance += m.kind.sign() * m.amount;
                match m.kind {
                    Kind::Invoice => invoiced += m.amount,
                    Kind::Payment => paid += m.amount,
                    Kind::CreditNote => credited += m.amount,
                    Kind::Refund => refunded += m.amount,
                    Kind::CreditApplied => {}
                }
                Line {
                    movement: m,
                    balance,
                }
            })
            .collect();
        Self {
            period,
            currency,
            beginning,
            lines,
            invoiced,
            paid,
            credited,
            refunded,
            ending: balance,
        }
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn presets_cover_whole_months_and_years() {
        let today = day("2026-03-15");
        let p = |key| {
            Period::parse(key, "", "", today)
                .map(|p| (p.from, p.to))
                .ok()
        };
        assert_eq!(
            p("this_month"),
            Some((Some(day("2026-03-01")), Some(day("2026-03-31"))))
        );
        assert_eq!(
            p("last_month"),
            Some((Some(day("2026-02-01")), Some(day("2026-02-28"))))
        );
        assert_eq!(
            p("last_year"),
            Some((Some(day("2025-01-01")), Some(day("2025-12-31"))))
        );
        assert_eq!(p("all"), Some((None, None)));
        assert!(Period::parse("custom", "2026-03-10", "2026-03-01", today).is_err());
        assert!(Period::parse("someday", "", "", today).is_err());
        assert_eq!(
            Period::parse("", "2026-01-01", "", today)
                .map(|p| p.preset)
                .ok(),
            Some(Preset::Custom)
        );
    }

    fn kind() -> impl Strategy<Value = Kind> {
        prop_oneof![
            Just(Kind::Invoice),
            Just(Kind::Payment),
            Just(Kind::CreditNote),
            Just(Kind::CreditApplied),
            Just(Kind::Refund),
        ]
    }

    proptest! {
        #[test]
        fn the_running_balance_ends_where_the_summary_says(
            beginning in -1_000_000i64..1_000_000,
            moves in proptest::collection::vec((kind(), 0i64..10_000_000), 0..60),
        ) {
            let movements = moves
                .iter()
                .map(|(kind, amount)| Movement {
                    date: day("2026-01-01"),
                    kind: *kind,
                    document_id: 1,
                    reference: String::new(),
                    detail: String::new(),
                    amount: *amount,
                })
                .collect();
            let period = Period { preset: Preset::AllTime, from: None, to: None };
            let s = Statement::new(period, "EUR".into(), beginning, movements);
            prop_assert_eq!(s.ending, beginning + s.invoiced - s.paid - s.credited + s.refunded);
            prop_assert_eq!(s.lines.last().map_or(beginning, |l| l.balance), s.ending);
        }
    }
}
