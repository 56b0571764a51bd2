//! Invoice types and the validation of drafts.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::FieldErrors;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::common::documents::body::{BodyInput, DocumentBody, Item, ItemInput, Rules};
use crate::common::{
    documents::{
        body::document,
        store::{Head, Listed},
    },
    filter::DocumentFilter,
    ids::{CustomerId, StaffId},
    totals::{Discount, Document, Totals},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct InvoiceId(pub i64);

crate::document_statuses! {
    #[schema(as = InvoiceStatus)]
    pub enum Status, labels "invoice-status-" {
        Draft = "draft", "bg-secondary",
        Unpaid = "unpaid", "bg-warning text-dark",
        PartiallyPaid = "partially_paid", "bg-info text-dark",
        Paid = "paid", "bg-success",
        /// Cancelled by a Stornorechnung.
        Cancelled = "cancelled", "bg-dark",
    }
}

impl Status {
    /// Open (issued, not settled) and past its `due` date.
    pub fn is_overdue(self, due: Option<NaiveDate>, today: NaiveDate) -> bool {
        matches!(self, Self::Unpaid | Self::PartiallyPaid) && due.is_some_and(|d| d < today)
    }

    /// The status of an issued invoice with `paid` of `total` settled (by
    /// payments and credit).
    pub fn of_payment(paid: Decimal, total: Decimal) -> Self {
        if paid <= Decimal::ZERO {
            Self::Unpaid
        } else if paid < total {
            Self::PartiallyPaid
        } else {
            Self::Paid
        }
    }
}

#[derive(Clone, Debug)]
pub struct Invoice {
    pub id: InvoiceId,
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub status: Status,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: String,
    pub items: Vec<Item>,
    pub discount: Discount,
    pub discount_after_tax: bool,
    pub adjustment: Decimal,
    pub amount_paid: Decimal,
    /// Credit notes applied to it.
    pub amount_credited: Decimal,
    pub client_note: String,
    pub terms: String,
    pub sales_agent_id: Option<StaffId>,
    pub created_by: StaffId,
    pub issued_at: Option<DateTime<Utc>>,
    /// When it last went to the customer (by email, or marked as sent).
    pub sent_at: Option<DateTime<Utc>>,
    /// Copies issued on a schedule, with this invoice as the template.
    pub recurrence: Option<Recurrence>,
    pub recurring_done: u32,
    /// When the next copy is due; none when finished or stopped.
    pub recurring_next: Option<NaiveDate>,
    /// The recurring invoice this one was copied from.
    pub recurring_parent: Option<InvoiceId>,
}

impl Invoice {
    pub fn document(&self) -> Document {
        document(
            &self.items,
            self.discount,
            self.discount_after_tax,
            self.adjustment,
            &self.currency,
        )
    }

    pub fn totals(&self) -> Totals {
        self.document().totals()
    }

    pub fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }

    /// What is still to be paid: the total less payments and credit applied.
    pub fn amount_due(&self) -> Decimal {
        self.totals().total - self.amount_paid - self.amount_credited
    }

    /// Issued, open and past its due date.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.status.is_overdue(self.due_date, today)
    }

    /// The header as the document core reads it.
    pub fn head(&self) -> Head {
        Head {
            id: self.id.0,
            number: self.number.clone(),
            customer_id: self.customer_id,
            status: self.status.key().to_owned(),
            body: self.data(),
            created_by: self.created_by,
            issued_at: self.issued_at,
            sent_at: self.sent_at,
        }
    }

    /// The document body, as a draft form or a copy starts from it.
    pub fn data(&self) -> DocumentBody {
        DocumentBody {
            date: self.date,
            due_date: self.due_date,
            currency: self.currency.clone(),
            items: self.items.clone(),
            discount: self.discount,
            discount_after_tax: self.discount_after_tax,
            adjustment: self.adjustment,
            client_note: self.client_note.clone(),
            terms: self.terms.clone(),
            sales_agent_id: self.sales_agent_id,
        }
    }
}

/// Which of a customer's invoices a list or zip shows.
pub type InvoiceFilter = DocumentFilter<Status>;

/// A line of the list on the customer's tab.
#[derive(Clone, Debug, Serialize)]
pub struct InvoiceRow {
    pub id: InvoiceId,
    pub number: Option<String>,
    pub status: Status,
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: String,
    pub total_minor: i64,
}

impl InvoiceRow {
    /// The badge class and label key a list shows: overdue where it is,
    /// the status otherwise (as of `today`, which templates pass by
    /// reference).
    pub fn shown_status(&self, today: &NaiveDate) -> (&'static str, &'static str) {
        if self.status.is_overdue(self.due_date, *today) {
            ("bg-danger", "invoice-overdue")
        } else {
            (self.status.badge(), self.status.label_key())
        }
    }
}

impl From<Listed> for InvoiceRow {
    fn from(l: Listed) -> Self {
        Self {
            id: InvoiceId(l.id),
            number: l.number,
            status: Status::parse(&l.status).unwrap_or(Status::Draft),
            date: l.date,
            due_date: l.due_date,
            currency: l.currency,
            total_minor: l.total_minor,
        }
    }
}

/// A draft as sent by a form or the API: the document body, the customer
/// it is for and the recurrence; absent fields keep their value. The API
/// reads the body from the same object (`ApiJsonPair`).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct InvoiceInput {
    /// On creation: the customer billed.
    #[schema(example = 1)]
    pub customer_id: Option<i64>,
    #[serde(skip)]
    pub body: BodyInput,
    /// Repeat every N units (empty or 0: not recurring).
    #[schema(schema_with = count_schema)]
    pub recurring_every: Option<String>,
    /// `day`, `week`, `month` or `year`.
    #[schema(schema_with = unit_schema)]
    pub recurring_unit: Option<String>,
    /// How many copies in all (empty or 0: until stopped).
    #[schema(schema_with = count_schema)]
    pub recurring_cycles: Option<String>,
}

fn count_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::line::<4>().pattern(Some(r"^\s*[0-9]{0,3}\s*$"))
}

fn unit_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::one_of(&["", "day", "week", "month", "year"])
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = RecurringUnit)]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Day, Unit::Week, Unit::Month, Unit::Year];

    pub const fn key(self) -> &'static str {
        match self {
            Self::Day => "day",
            Self::Week => "week",
            Self::Month => "month",
            Self::Year => "year",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|u| u.key() == key)
    }
}

/// Every `every` units, `cycles` copies in all (0: until stopped).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Recurrence {
    pub every: u32,
    pub unit: Unit,
    pub cycles: u32,
}

impl Recurrence {
    /// The date one interval after `date` (month ends stay month ends:
    /// 31 January + 1 month is 28/29 February).
    pub fn after(&self, date: NaiveDate) -> Option<NaiveDate> {
        match self.unit {
            Unit::Day => date.checked_add_days(chrono::Days::new(u64::from(self.every))),
            Unit::Week => date.checked_add_days(chrono::Days::new(7 * u64::from(self.every))),
            Unit::Month => date.checked_add_months(chrono::Months::new(self.every)),
            Unit::Year => date.checked_add_months(chrono::Months::new(12 * self.every)),
        }
    }

    /// The recurrence a draft form or API call asks for. Each field given
    /// is checked, an absent one keeps its current value; an empty or zero
    /// interval removes the recurrence.
    pub fn parse(
        input: &InvoiceInput,
        current: Option<Recurrence>,
    ) -> Result<Option<Recurrence>, FieldErrors> {
        let mut e = FieldErrors::new();
        let every = match input.recurring_every.as_deref().map(str::trim) {
            None => current.map_or(0, |r| r.every),
            Some("" | "0") => 0,
            Some(t) => t
                .parse::<u32>()
                .ok()
                .filter(|n| (1..=365).contains(n))
                .unwrap_or_else(|| {
                    e.add("recurring_every", "error-recurring-every");
                    0
                }),
        };
        let unit = match input
            .recurring_unit
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            None => current.map_or(Unit::Month, |r| r.unit),
            Some(t) => Unit::parse(t).unwrap_or_else(|| {
                e.add("recurring_unit", "error-invalid");
                Unit::Month
            }),
        };
        let cycles = match input.recurring_cycles.as_deref().map(str::trim) {
            None => current.map_or(0, |r| r.cycles),
            Some("") => 0,
            Some(t) => t
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 1000)
                .unwrap_or_else(|| {
                    e.add("recurring_cycles", "error-recurring-cycles");
                    0
                }),
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok((every > 0).then_some(Recurrence {
            every,
            unit,
            cycles,
        }))
    }
}

#[cfg(test)]
mod recurrence_tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or_default()
    }

    #[test]
    fn intervals_keep_to_the_calendar() {
        let monthly = Recurrence {
            every: 1,
            unit: Unit::Month,
            cycles: 0,
        };
        assert_eq!(monthly.after(day("2026-01-31")), Some(day("2026-02-28")));
        let fortnightly = Recurrence {
            every: 2,
            unit: Unit::Week,
            cycles: 3,
        };
        assert_eq!(
            fortnightly.after(day("2026-12-25")),
            Some(day("2027-01-08"))
        );
        let yearly = Recurrence {
            every: 1,
            unit: Unit::Year,
            cycles: 0,
        };
        assert_eq!(yearly.after(day("2028-02-29")), Some(day("2029-02-28")));
    }

    #[test]
    fn bad_recurrence_is_refused_and_empty_removes_it() {
        let input = |every: &str, unit: &str, cycles: &str| InvoiceInput {
            recurring_every: Some(every.into()),
            recurring_unit: Some(unit.into()),
            recurring_cycles: Some(cycles.into()),
            ..InvoiceInput::default()
        };
        assert!(Recurrence::parse(&input("x", "month", ""), None).is_err());
        assert!(Recurrence::parse(&input("1", "fortnight", ""), None).is_err());
        assert!(Recurrence::parse(&input("1", "month", "-1"), None).is_err());
        assert_eq!(
            Recurrence::parse(&input("", "month", ""), None).ok(),
            Some(None)
        );
        assert_eq!(
            Recurrence::parse(&input("3", "day", "4"), None).ok(),
            Some(Some(Recurrence {
                every: 3,
                unit: Unit::Day,
                cycles: 4
            }))
        );
    }

    #[test]
    fn a_field_alone_is_checked_and_changes_only_itself() {
        let weekly = Recurrence {
            every: 2,
            unit: Unit::Week,
            cycles: 0,
        };
        let cycles = |c: &str| InvoiceInput {
            recurring_cycles: Some(c.into()),
            ..InvoiceInput::default()
        };
        assert!(Recurrence::parse(&cycles(" *"), None).is_err());
        assert!(Recurrence::parse(&cycles(" *"), Some(weekly)).is_err());
        assert_eq!(Recurrence::parse(&cycles("5"), None).ok(), Some(None));
        assert_eq!(
            Recurrence::parse(&cycles("5"), Some(weekly)).ok(),
            Some(Some(Recurrence {
                cycles: 5,
                ..weekly
            }))
        );
    }
}
