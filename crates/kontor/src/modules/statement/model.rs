//! A customer's statement: the balance at the start of a period, every
//! movement in it with the running balance, and the summary. The balance
//! is what the customer owes: invoices raise it, payments and credit notes
//! lower it, refunds of credit raise it again; credit applied to an invoice
//! moves credit and leaves it unchanged.

use chrono::{Datelike, Months, NaiveDate};
use kernel::{FieldErrors, types, web::Page};
use serde::Serialize;

/// Movements per page of the tab, the portal and the API.
pub const PER_PAGE: u64 = 100;

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
        if preset != Preset::Custom {
            // A preset's days are its own; dates beside it must still be dates.
            let mut e = FieldErrors::new();
            types::optional_date(&mut e, "from", from);
            types::optional_date(&mut e, "to", to);
            if !e.is_empty() {
                return Err(e);
            }
        }
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

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
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

    /// The kind as stored and in the API.
    pub fn key(self) -> &'static str {
        match self {
            Self::Invoice => "invoice",
            Self::Payment => "payment",
            Self::CreditNote => "credit_note",
            Self::CreditApplied => "credit_applied",
            Self::Refund => "refund",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.key() == key)
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

/// What one kind of movement adds up to on one day, or in one month
/// (`date` is then its first day).
#[derive(Clone, Copy, Debug)]
pub struct Sum {
    pub date: NaiveDate,
    pub kind: Kind,
    pub count: u64,
    pub amount: i64,
}

/// The days whose per-day sums a page needs: those of the months holding
/// its movements (within the period), and how many movements and how much
/// balance (from zero) come before them in the period.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Span {
    pub first: NaiveDate,
    pub last: NaiveDate,
    before: u64,
    before_balance: i64,
}

/// A movement with the balance after it (minor units).
#[derive(Clone, Debug)]
pub struct Line {
    pub movement: Movement,
    pub balance: i64,
}

/// Which movements one page shows: those of the days `first..=last`,
/// after skipping `skip` of them, with the balance before the first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Window {
    pub first: NaiveDate,
    pub last: NaiveDate,
    skip: u64,
    opening: i64,
}

#[derive(Clone, Debug)]
pub struct Statement {
    pub period: Period,
    pub currency: String,
    pub beginning: i64,
    /// The lines shown: one page of them, or all for the PDF, with the
    /// count of movements in the whole period.
    pub lines: Page<Line>,
    /// The balance before the first line shown (the beginning on page 1).
    pub carried: i64,
    pub invoiced: i64,
    pub paid: i64,
    pub credited: i64,
    pub refunded: i64,
    pub ending: i64,
}

impl Statement {
    /// Every movement of the period (in date order) with the running balance
    /// from `beginning`, summed per kind: the complete statement.
    pub fn new(period: Period, currency: String, beginning: i64, movements: Vec<Movement>) -> Self {
        let total = movements.len() as u64;
        let mut s = Self::empty(period, currency, beginning, 1, total.max(1));
        s.lines.total = total;
        let mut balance = beginning;
        for m in &movements {
            s.add(m.kind, m.amount);
            balance += m.kind.sign() * m.amount;
        }
        s.ending = balance;
        s.lines.data = run(beginning, movements);
        s
    }

    /// The summary of the period from its sums per month, for page `page`
    /// (clamped to the pages there are); no lines yet: they come from the
    /// page's [`Self::span`], [`Self::window`] and [`Self::fill`].
    pub fn summary(
        period: Period,
        currency: String,
        beginning: i64,
        months: &[Sum],
        page: u64,
        per_page: u64,
    ) -> Self {
        let mut s = Self::empty(period, currency, beginning, page, per_page.max(1));
        for m in months {
            s.add(m.kind, m.amount);
            s.lines.total += m.count;
        }
        s.ending = beginning + s.invoiced - s.paid - s.credited + s.refunded;
        s.lines.page = page.clamp(1, s.lines.pages());
        s
    }

    /// How many movements of the period come before the page's first.
    pub fn offset(&self) -> u64 {
        (self.lines.page - 1) * self.lines.per_page
    }

    /// Which days the page's movements fall on, from the period's sums per
    /// month (in date order).
    pub fn span(&self, months: &[Sum]) -> Option<Span> {
        let (offset, end) = (self.offset(), self.offset() + self.lines.per_page);
        let (mut before, mut balance) = (0u64, 0i64);
        let mut span: Option<Span> = None;
        let mut i = 0;
        while let Some(first) = months.get(i) {
            let month: Vec<&Sum> = months[i..]
                .iter()
                .take_while(|m| m.date == first.date)
                .collect();
            i += month.len();
            let count: u64 = month.iter().map(|m| m.count).sum();
            if before < end && before + count > offset {
                let month_end = first
                    .date
                    .checked_add_months(Months::new(1))
                    .and_then(|d| d.pred_opt())
                    .unwrap_or(first.date);
                let last = self.period.to.map_or(month_end, |to| to.min(month_end));
                match &mut span {
                    None => {
                        span = Some(Span {
                            first: self.period.from.map_or(first.date, |f| f.max(first.date)),
                            last,
                            before,
                            before_balance: balance,
                        })
                    }
                    Some(s) => s.last = last,
                }
            }
            before += count;
            balance += month.iter().map(|m| m.kind.sign() * m.amount).sum::<i64>();
        }
        span
    }

    /// Which movements the page shows, from the per-day sums of its span
    /// (in date order).
    pub fn window(&self, span: &Span, days: &[Sum]) -> Option<Window> {
        let (offset, end) = (self.offset(), self.offset() + self.lines.per_page);
        let mut days = days.to_vec();
        days.sort_by_key(|d| (d.date, d.kind.index()));
        let (mut before, mut balance) = (span.before, span.before_balance);
        // Where the current day starts: a window begins at the start of a day.
        let (mut day, mut day_before, mut day_balance) = (None, before, balance);
        let mut window: Option<Window> = None;
        for d in &days {
            if day != Some(d.date) {
                (day, day_before, day_balance) = (Some(d.date), before, balance);
            }
            match &mut window {
                None if before + d.count > offset => {
                    window = Some(Window {
                        first: d.date,
                        last: d.date,
                        skip: offset - day_before,
                        opening: self.beginning + day_balance,
                    });
                }
                Some(w) if before < end => w.last = d.date,
                Some(_) => break,
                None => {}
            }
            before += d.count;
            balance += d.kind.sign() * d.amount;
        }
        window
    }

    /// The page's lines from the movements of its window's days.
    pub fn fill(mut self, window: Window, movements: Vec<Movement>) -> Self {
        let mut lines = run(window.opening, movements);
        let skip = (window.skip as usize).min(lines.len());
        self.carried = if skip == 0 {
            window.opening
        } else {
            lines[skip - 1].balance
        };
        lines.drain(..skip);
        lines.truncate(self.lines.per_page as usize);
        self.lines.data = lines;
        self
    }

    fn empty(period: Period, currency: String, beginning: i64, page: u64, per_page: u64) -> Self {
        Self {
            period,
            currency,
            beginning,
            lines: Page {
                data: Vec::new(),
                page,
                per_page,
                total: 0,
            },
            carried: beginning,
            invoiced: 0,
            paid: 0,
            credited: 0,
            refunded: 0,
            ending: beginning,
        }
    }

    fn add(&mut self, kind: Kind, amount: i64) {
        match kind {
            Kind::Invoice => self.invoiced += amount,
            Kind::Payment => self.paid += amount,
            Kind::CreditNote => self.credited += amount,
            Kind::Refund => self.refunded += amount,
            Kind::CreditApplied => {}
        }
    }
}

/// The movements with the balance after each, from `opening`.
fn run(opening: i64, movements: Vec<Movement>) -> Vec<Line> {
    let mut balance = opening;
    movements
        .into_iter()
        .map(|m| {
            balance += m.kind.sign() * m.amount;
            Line {
                movement: m,
                balance,
            }
        })
        .collect()
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
            prop_assert_eq!(s.lines.data.last().map_or(beginning, |l| l.balance), s.ending);
        }

        #[test]
        fn every_page_shows_the_lines_and_balances_of_the_complete_statement(
            beginning in -1_000_000i64..1_000_000,
            moves in proptest::collection::vec((0u32..100, kind(), 0i64..10_000_000), 0..80),
            per_page in 1u64..12,
            (start, length) in (0i64..130, 0i64..130),
        ) {
            // A period that may begin and end in the middle of a month.
            let from = day("2026-01-01") + chrono::Duration::days(start);
            let to = from + chrono::Duration::days(length);
            let period = Period { preset: Preset::Custom, from: Some(from), to: Some(to) };
            let mut movements: Vec<Movement> = moves
                .iter()
                .enumerate()
                .map(|(n, (day_no, kind, amount))| Movement {
                    // A day in one of five months, several movements a day.
                    date: day("2026-01-01") + chrono::Duration::days(i64::from(*day_no % 5 * 31 + *day_no / 20)),
                    kind: *kind,
                    document_id: n as i64,
                    reference: n.to_string(),
                    detail: String::new(),
                    amount: *amount,
                })
                .collect();
            movements.sort_by_key(|m| (m.date, m.kind.index(), m.document_id));
            // What `repo::days` reads (any range) and `repo::months` (the period).
            let mut days: Vec<Sum> = Vec::new();
            for m in &movements {
                match days.last_mut() {
                    Some(d) if d.date == m.date && d.kind == m.kind => {
                        d.count += 1;
                        d.amount += m.amount;
                    }
                    _ => days.push(Sum { date: m.date, kind: m.kind, count: 1, amount: m.amount }),
                }
            }
            movements.retain(|m| m.date >= from && m.date <= to);
            let mut months: Vec<Sum> = Vec::new();
            for d in days.iter().filter(|d| d.date >= from && d.date <= to) {
                let start = d.date.with_day(1).unwrap_or(d.date);
                match months.iter_mut().find(|m| m.date == start && m.kind == d.kind) {
                    Some(m) => {
                        m.count += d.count;
                        m.amount += d.amount;
                    }
                    None => months.push(Sum { date: start, ..*d }),
                }
            }
            months.sort_by_key(|m| m.date);
            let full = Statement::new(period, "EUR".into(), beginning, movements.clone());
            let pages = movements.len().div_ceil(per_page as usize).max(1) as u64;
            let mut shown = Vec::new();
            for page in 1..=pages {
                let s = Statement::summary(period, "EUR".into(), beginning, &months, page, per_page);
                prop_assert_eq!(s.ending, full.ending);
                prop_assert_eq!(s.invoiced, full.invoiced);
                prop_assert_eq!(s.lines.total, movements.len() as u64);
                let window = s.span(&months).and_then(|span| {
                    let of_span: Vec<Sum> = days
                        .iter()
                        .filter(|d| d.date >= span.first && d.date <= span.last)
                        .copied()
                        .collect();
                    s.window(&span, &of_span)
                });
                let s = match window {
                    Some(w) => {
                        let of_days = movements
                            .iter()
                            .filter(|m| m.date >= w.first && m.date <= w.last)
                            .cloned()
                            .collect();
                        s.fill(w, of_days)
                    }
                    None => s,
                };
                let before = shown.last().map_or(beginning, |l: &Line| l.balance);
                prop_assert_eq!(s.carried, before);
                shown.extend(s.lines.data);
            }
            let balances = |ls: &[Line]| ls.iter().map(|l| (l.movement.document_id, l.balance)).collect::<Vec<_>>();
            prop_assert_eq!(balances(&shown), balances(&full.lines.data));
        }
    }
}
