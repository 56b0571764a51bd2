//! The body every business document shares (date, lines, discount,
//! adjustment, notes) and how a draft of it is checked.

use chrono::NaiveDate;
use kernel::{
    FieldErrors,
    money::{self, QUANTITY_DIGITS},
    types,
};
use rust_decimal::Decimal;
use serde::Deserialize;

pub use crate::common::lines::Item;
use crate::common::{
    ids::StaffId,
    totals::{Discount, DiscountTiming, Document, Line, Totals, parse_rate},
};

/// The totals document of a body's parts.
pub fn document(
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

/// One line of a draft.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ItemInput {
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line_required::<2000>)]
    pub description: String,
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::text::<10000>)]
    pub long_description: String,
    /// More than zero, at most three decimals.
    #[serde(default)]
    #[schema(schema_with = quantity_schema)]
    pub quantity: String,
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<30>)]
    pub unit: String,
    /// The price of one unit in the document's currency.
    #[serde(default)]
    #[schema(schema_with = rate_schema)]
    pub rate: String,
    /// At most two percent strings naming configured tax rates
    /// (`GET /tax-rates`), such as `"19"`.
    #[serde(default)]
    #[schema(schema_with = taxes_schema)]
    pub taxes: Vec<String>,
}

fn quantity_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::decimal().pattern(Some(
        r"^0*([1-9][0-9]{0,5}(\.[0-9]{1,3})?|0?\.([1-9][0-9]{0,2}|0[1-9][0-9]?|00[1-9]))$",
    ))
}

fn rate_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::decimal().pattern(Some(r"^-?[0-9]{1,8}(\.[0-9]{1,2})?$"))
}

fn taxes_schema() -> utoipa::openapi::schema::ArrayBuilder {
    use utoipa::openapi::{ObjectBuilder, schema::Type};
    utoipa::openapi::schema::ArrayBuilder::new()
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(r"^[0-9]{1,2}(\.[0-9]{1,2})?$")),
        )
        .max_items(Some(2))
        .unique_items(true)
}

/// A document body as sent by a form or the API; absent fields keep their
/// value. A draft needs at least one line; the total must not be negative.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct BodyInput {
    /// Today when absent.
    #[schema(schema_with = crate::api::schema::date)]
    pub date: Option<String>,
    /// Not before `date`; empty clears it.
    #[schema(schema_with = crate::api::schema::date_or_empty)]
    pub due_date: Option<String>,
    /// Always the customer's currency; given, it must be that one.
    #[schema(schema_with = crate::api::schema::line::<3>)]
    pub currency: Option<String>,
    #[schema(max_items = 200, min_items = 1)]
    pub items: Option<Vec<ItemInput>>,
    /// 0 to 100; not together with `discount_amount`.
    #[schema(schema_with = crate::api::schema::decimal)]
    pub discount_percent: Option<String>,
    /// Not more than the subtotal; not together with `discount_percent`.
    #[schema(schema_with = crate::api::schema::decimal)]
    pub discount_amount: Option<String>,
    pub discount_after_tax: Option<bool>,
    /// Added to the total (rounding, shipping), may be negative.
    #[schema(schema_with = crate::api::schema::decimal)]
    pub adjustment: Option<String>,
    #[schema(schema_with = crate::api::schema::text::<10000>)]
    pub client_note: Option<String>,
    #[schema(schema_with = crate::api::schema::text::<10000>)]
    pub terms: Option<String>,
    /// The staff member the document is credited to.
    pub sales_agent_id: Option<i64>,
}

/// A checked draft, ready to store.
#[derive(Clone, Debug)]
pub struct DocumentBody {
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

impl DocumentBody {
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
    /// A document without lines is refused (all but letters).
    pub lines_required: bool,
}

/// A decimal with at most `digits` decimals within ±`max`.
fn amount(text: &str, digits: u32, max: i64) -> Option<Decimal> {
    money::parse_decimal(text)
        .filter(|v| v.normalize().scale() <= digits && v.abs() <= Decimal::from(max))
}

impl DocumentBody {
    pub fn parse(
        input: &BodyInput,
        current: Option<&DocumentBody>,
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
        if rules.lines_required && items.is_empty() && !e.0.keys().any(|k| k.starts_with("items")) {
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
            match parse_rate(t) {
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
    input: &BodyInput,
    current: Option<&DocumentBody>,
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
