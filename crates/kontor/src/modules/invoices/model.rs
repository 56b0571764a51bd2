//! Invoice types and the validation of drafts.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{
    FieldErrors,
    money::{self, QUANTITY_DIGITS},
    types,
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use crate::common::lines::Item;
use crate::{
    common::{
        filter::{DocumentFilter, StatusKey},
        totals::{Discount, DiscountTiming, Document, Line, Totals},
    },
    modules::{customers::model::CustomerId, staff::model::StaffId},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct InvoiceId(pub i64);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Unpaid,
    PartiallyPaid,
    Paid,
    /// Cancelled by a Stornorechnung.
    Cancelled,
}

impl Status {
    pub const ALL: [Status; 5] = [
        Status::Draft,
        Status::Unpaid,
        Status::PartiallyPaid,
        Status::Paid,
        Status::Cancelled,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Unpaid => "unpaid",
            Self::PartiallyPaid => "partially_paid",
            Self::Paid => "paid",
            Self::Cancelled => "cancelled",
        }
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

    pub fn badge(self) -> &'static str {
        match self {
            Self::Draft => "bg-secondary",
            Self::Unpaid => "bg-warning text-dark",
            Self::PartiallyPaid => "bg-info text-dark",
            Self::Paid => "bg-success",
            Self::Cancelled => "bg-dark",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.key() == key)
    }

    pub fn label_key(self) -> &'static str {
        match self {
            Self::Draft => "invoice-status-draft",
            Self::Unpaid => "invoice-status-unpaid",
            Self::PartiallyPaid => "invoice-status-partially_paid",
            Self::Paid => "invoice-status-paid",
            Self::Cancelled => "invoice-status-cancelled",
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
        matches!(self.status, Status::Unpaid | Status::PartiallyPaid)
            && self.due_date.is_some_and(|d| d < today)
    }

    /// The document body, as a draft form or a copy starts from it.
    pub fn data(&self) -> InvoiceData {
        InvoiceData {
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

fn document(
    items: &[Item],
    discount: Discount,
    after_tax: bool,
    adjustment: Decimal,
    currency: &str,
) -> Document {
    Document {
        lines: items
            .iter()
            .map(|i| Line {
                quantity: i.quantity,
                rate: i.rate,
                taxes: i.taxes.clone(),
            })
            .collect(),
        discount,
        timing: if after_tax {
            DiscountTiming::AfterTax
        } else {
            DiscountTiming::BeforeTax
        },
        adjustment,
        digits: money::minor_digits(currency),
    }
}

/// Which of a customer's invoices a list or zip shows.
pub type InvoiceFilter = DocumentFilter<Status>;

impl StatusKey for Status {
    fn from_key(key: &str) -> Option<Self> {
        Self::parse(key)
    }
}

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

#[derive(Clone, Debug, Default, Deserialize)]
pub struct ItemInput {
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub long_description: String,
    #[serde(default)]
    pub quantity: String,
    #[serde(default)]
    pub unit: String,
    #[serde(default)]
    pub rate: String,
    #[serde(default)]
    pub taxes: Vec<String>,
}

/// A draft as sent by a form or the API; absent fields keep their value.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct InvoiceInput {
    pub customer_id: Option<i64>,
    pub date: Option<String>,
    pub due_date: Option<String>,
    pub currency: Option<String>,
    pub items: Option<Vec<ItemInput>>,
    pub discount_percent: Option<String>,
    pub discount_amount: Option<String>,
    pub discount_after_tax: Option<bool>,
    pub adjustment: Option<String>,
    pub client_note: Option<String>,
    pub terms: Option<String>,
    pub sales_agent_id: Option<i64>,
    /// Repeat every N units (empty or 0: not recurring).
    pub recurring_every: Option<String>,
    /// `day`, `week`, `month` or `year`.
    pub recurring_unit: Option<String>,
    /// How many copies in all (empty or 0: until stopped).
    pub recurring_cycles: Option<String>,
}

/// A checked draft, ready to store.
#[derive(Clone, Debug)]
pub struct InvoiceData {
    pub date: NaiveDate,
    pub due_date: Option<NaiveDate>,
    pub currency: String,
    pub items: Vec<Item>,
    pub discount: Discount,
    pub discount_after_tax: bool,
    pub adjustment: Decimal,
    pub client_note: String,
    pub terms: String,
    pub sales_agent_id: Option<StaffId>,
}

impl InvoiceData {
    pub fn totals(&self) -> Totals {
        document(
            &self.items,
            self.discount,
            self.discount_after_tax,
            self.adjustment,
            &self.currency,
        )
        .totals()
    }
}

const MAX_ITEMS: usize = 200;
const MAX_QUANTITY: i64 = 1_000_000;
const MAX_AMOUNT: i64 = 100_000_000;

/// What the draft is checked against.
pub struct Rules<'a> {
    /// The customer's currency: an invoice is always in it.
    pub currency: &'a str,
    /// Active tax rates in basis points.
    pub tax_rates: &'a [i32],
    pub today: NaiveDate,
}

/// A decimal with at most `digits` decimals within ±`max`.
fn amount(text: &str, digits: u32, max: i64) -> Option<Decimal> {
    money::parse_decimal(text)
        .filter(|v| v.normalize().scale() <= digits && v.abs() <= Decimal::from(max))
}

impl InvoiceData {
    pub fn parse(
        input: &InvoiceInput,
        current: Option<&InvoiceData>,
        rules: &Rules<'_>,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let digits = money::minor_digits(rules.currency);
        let date_value = match (&input.date, current) {
            (Some(t), _) => types::date(&mut e, "date", t),
            (None, Some(c)) => Some(c.date),
            (None, None) => Some(rules.today),
        };
        let due_date = match (&input.due_date, current) {
            (Some(t), _) if t.trim().is_empty() => None,
            (Some(t), _) => types::date(&mut e, "due_date", t),
            (None, Some(c)) => c.due_date,
            (None, None) => None,
        };
        if let (Some(d), Some(due)) = (date_value, due_date)
            && due < d
        {
            e.add("due_date", "error-due-before-date");
        }
        if input
            .currency
            .as_deref()
            .is_some_and(|c| !c.trim().eq_ignore_ascii_case(rules.currency))
        {
            e.add("currency", "error-currency-of-customer");
        }
        let items = match (&input.items, current) {
            (Some(list), _) => parse_items(&mut e, list, rules, digits),
            (None, Some(c)) => c.items.clone(),
            (None, None) => Vec::new(),
        };
        // Lines refused one by one already say why; "no lines" is for none given.
        if items.is_empty() && !e.0.keys().any(|k| k.starts_with("items")) {
            e.add("items", "error-items-required");
        }
        let discount = parse_discount(&mut e, input, current, digits);
        let discount_after_tax = input
            .discount_after_tax
            .or(current.map(|c| c.discount_after_tax))
            .unwrap_or(false);
        let adjustment = match (&input.adjustment, current) {
            (Some(t), _) if t.trim().is_empty() => Decimal::ZERO,
            (Some(t), _) => amount(t, digits, 1_000_000).unwrap_or_else(|| {
                e.add("adjustment", "error-amount");
                Decimal::ZERO
            }),
            (None, Some(c)) => c.adjustment,
            (None, None) => Decimal::ZERO,
        };
        let text = |e: &mut FieldErrors,
                    field: &str,
                    new: &Option<String>,
                    old: Option<&String>| {
            match new {
                Some(v) => types::multiline(e, field, v, false, 10_000),
                None => old.cloned().unwrap_or_default(),
            }
        };
        let client_note = text(
            &mut e,
            "client_note",
            &input.client_note,
            current.map(|c| &c.client_note),
        );
        let terms = text(&mut e, "terms", &input.terms, current.map(|c| &c.terms));
        let sales_agent_id = match input.sales_agent_id {
            Some(id) => Some(StaffId(id)),
            None => current.and_then(|c| c.sales_agent_id),
        };
        let data = Self {
            date: date_value.unwrap_or(rules.today),
            due_date,
            currency: rules.currency.to_string(),
            items,
            discount,
            discount_after_tax,
            adjustment,
            client_note,
            terms,
            sales_agent_id,
        };
        if e.is_empty() {
            let t = data.totals();
            if let Discount::Amount(a) = data.discount
                && a > t.subtotal
            {
                e.add("discount_amount", "error-discount-too-large");
            }
            if t.total < Decimal::ZERO {
                e.add("items", "error-total-negative");
            }
        }
        if e.is_empty() { Ok(data) } else { Err(e) }
    }
}

fn parse_items(
    e: &mut FieldErrors,
    list: &[ItemInput],
    rules: &Rules<'_>,
    digits: u32,
) -> Vec<Item> {
    if list.len() > MAX_ITEMS {
        e.add("items", "error-too-many-items");
        return Vec::new();
    }
    let mut items = Vec::with_capacity(list.len());
    for (n, i) in list.iter().enumerate() {
        let field = |name: &str| format!("items[{n}].{name}");
        let description = types::text(e, &field("description"), &i.description, true, 2000);
        let long_description = types::multiline(
            e,
            &field("long_description"),
            &i.long_description,
            false,
            10_000,
        );
        let unit = types::text(e, &field("unit"), &i.unit, false, 30);
        let quantity =
            amount(&i.quantity, QUANTITY_DIGITS, MAX_QUANTITY).filter(|q| *q > Decimal::ZERO);
        if quantity.is_none() {
            e.add(&field("quantity"), "error-quantity");
        }
        let rate = amount(&i.rate, digits, MAX_AMOUNT);
        if rate.is_none() {
            e.add(&field("rate"), "error-rate");
        }
        let mut taxes = Vec::new();
        for t in i.taxes.iter().filter(|t| !t.trim().is_empty()) {
            match crate::modules::billing::model::parse_rate(t) {
                Some(bp) if rules.tax_rates.contains(&bp) && !taxes.contains(&bp) => taxes.push(bp),
                _ => e.add(&field("taxes"), "error-unknown-tax"),
            }
        }
        if taxes.len() > 2 {
            e.add(&field("taxes"), "error-too-many-taxes");
        }
        if let (Some(quantity), Some(rate)) = (quantity, rate) {
            items.push(Item {
                description,
                long_description,
                quantity,
                unit,
                rate,
                taxes: taxes
                    .into_iter()
                    .map(|bp| Decimal::new(i64::from(bp), 2).normalize())
                    .collect(),
            });
        }
    }
    items
}

fn parse_discount(
    e: &mut FieldErrors,
    input: &InvoiceInput,
    current: Option<&InvoiceData>,
    digits: u32,
) -> Discount {
    fn given(v: &Option<String>) -> Option<&str> {
        v.as_deref().map(str::trim).filter(|v| !v.is_empty())
    }
    match (
        given(&input.discount_percent),
        given(&input.discount_amount),
    ) {
        (Some(_), Some(_)) => {
            e.add("discount_amount", "error-discount-both");
            Discount::None
        }
        (Some(p), None) => match amount(p, 2, 100).filter(|p| *p >= Decimal::ZERO) {
            Some(p) => Discount::Percent(p),
            None => {
                e.add("discount_percent", "error-discount-percent");
                Discount::None
            }
        },
        (None, Some(a)) => match amount(a, digits, MAX_AMOUNT).filter(|a| *a >= Decimal::ZERO) {
            Some(a) => Discount::Amount(a),
            None => {
                e.add("discount_amount", "error-amount");
                Discount::None
            }
        },
        (None, None) if input.discount_percent.is_some() || input.discount_amount.is_some() => {
            Discount::None
        }
        (None, None) => current.map(|c| c.discount).unwrap_or(Discount::None),
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    Day,
    Week,
    Month,
    Year,
}

impl Unit {
    pub const ALL: [Unit; 4] = [Unit::Day, Unit::Week, Unit::Month, Unit::Year];

    pub fn key(self) -> &'static str {
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

    /// The recurrence a draft form or API call asks for; absent fields keep
    /// the current one, an empty or zero interval removes it.
    pub fn parse(
        input: &InvoiceInput,
        current: Option<Recurrence>,
    ) -> Result<Option<Recurrence>, FieldErrors> {
        let mut e = FieldErrors::new();
        let Some(every) = input.recurring_every.as_deref() else {
            return Ok(current);
        };
        let every = match every.trim() {
            "" | "0" => return Ok(None),
            t => t.parse::<u32>().ok().filter(|n| (1..=365).contains(n)),
        };
        if every.is_none() {
            e.add("recurring_every", "error-recurring-every");
        }
        let unit = Unit::parse(input.recurring_unit.as_deref().unwrap_or("month").trim());
        if unit.is_none() {
            e.add("recurring_unit", "error-invalid");
        }
        let cycles = match input.recurring_cycles.as_deref().map(str::trim) {
            None | Some("") => Some(0),
            Some(t) => t.parse::<u32>().ok().filter(|n| *n <= 1000),
        };
        if cycles.is_none() {
            e.add("recurring_cycles", "error-recurring-cycles");
        }
        match (every, unit, cycles) {
            (Some(every), Some(unit), Some(cycles)) if e.is_empty() => Ok(Some(Recurrence {
                every,
                unit,
                cycles,
            })),
            _ => Err(e),
        }
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
}
