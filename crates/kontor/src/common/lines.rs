//! How the body of a billing document (items, discount, adjustment and
//! totals) is kept in a table: money in minor units, quantities in
//! thousandths, tax rates in basis points. Invoices and credit notes store
//! the same columns in their own tables.

use chrono::{DateTime, Utc};
use kernel::{
    db::sql,
    money::{QUANTITY_DIGITS, from_minor, minor_digits, to_minor},
};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement, Value};

use crate::common::{documents::body::DocumentBody, totals::Discount};

/// One stored item line.
#[derive(Clone, Debug, FromQueryResult)]
struct StoredLine {
    pub description: String,
    pub long_description: String,
    pub quantity_milli: i64,
    pub unit: String,
    pub rate: i64,
    pub tax1_bp: Option<i32>,
    pub tax2_bp: Option<i32>,
    pub net: i64,
}

/// Where a kind of document keeps its item lines: the table and the column
/// naming the document (the kind's constants, never input).
#[derive(Clone, Copy, Debug)]
pub struct LineTable {
    pub table: &'static str,
    pub column: &'static str,
}

/// Lines written per INSERT (twelve values each, well within SQLite's
/// limit of bound values).
const LINES_PER_INSERT: usize = 500;

impl LineTable {
    /// Replaces the document's lines by those of `d`, in their order.
    pub async fn replace(
        self,
        db: &impl ConnectionTrait,
        document: i64,
        d: &DocumentBody,
        now: DateTime<Utc>,
    ) -> Result<(), DbErr> {
        let backend = db.get_database_backend();
        let Self { table, column } = self;
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, &format!("DELETE FROM {table} WHERE {column} = $1")),
            [document.into()],
        ))
        .await?;
        let lines = stored_lines(d)?;
        for (chunk_no, chunk) in lines.chunks(LINES_PER_INSERT).enumerate() {
            let mut values: Vec<Value> = Vec::with_capacity(chunk.len() * 12);
            let mut rows = Vec::with_capacity(chunk.len());
            for (n, l) in chunk.iter().enumerate() {
                let position = i32::try_from(chunk_no * LINES_PER_INSERT + n).unwrap_or(i32::MAX);
                let first = values.len() + 1;
                rows.push(format!(
                    "({})",
                    (first..first + 12)
                        .map(|i| format!("${i}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
                values.extend([
                    document.into(),
                    position.into(),
                    l.description.clone().into(),
                    l.long_description.clone().into(),
                    l.quantity_milli.into(),
                    l.unit.clone().into(),
                    l.rate.into(),
                    l.tax1_bp.into(),
                    l.tax2_bp.into(),
                    l.net.into(),
                    now.into(),
                    now.into(),
                ]);
            }
            db.execute_raw(Statement::from_sql_and_values(
                backend,
                sql(
                    backend,
                    &format!(
                        "INSERT INTO {table} ({column}, position, description, long_description, \
                         quantity_milli, unit, rate, tax1_bp, tax2_bp, net, created_at, updated_at) \
                         VALUES {}",
                        rows.join(", ")
                    ),
                ),
                values,
            ))
            .await?;
        }
        Ok(())
    }

    /// The document's lines in order, in the currency's minor `digits`.
    pub async fn load(
        self,
        db: &impl ConnectionTrait,
        document: i64,
        digits: u32,
    ) -> Result<Vec<Item>, DbErr> {
        let backend = db.get_database_backend();
        let Self { table, column } = self;
        Ok(StoredLine::find_by_statement(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "SELECT description, long_description, quantity_milli, unit, rate, tax1_bp, \
                     tax2_bp, net FROM {table} WHERE {column} = $1 ORDER BY position"
                ),
            ),
            [document.into()],
        ))
        .all(db)
        .await?
        .into_iter()
        .map(|l| Item::from_stored(l, digits))
        .collect())
    }
}

/// The stored discount and totals of a document.
#[derive(Clone, Debug)]
pub struct StoredAmounts {
    pub discount_percent_bp: Option<i32>,
    pub discount_amount: Option<i64>,
    pub adjustment: i64,
    pub subtotal: i64,
    pub discount_total: i64,
    pub tax_total: i64,
    pub total: i64,
}

fn overflow() -> DbErr {
    DbErr::Custom("amount out of range".into())
}

fn minor(value: Decimal, digits: u32) -> Result<i64, DbErr> {
    to_minor(value, digits).ok_or_else(overflow)
}

fn bp(percent: Decimal) -> Result<i32, DbErr> {
    to_minor(percent, 2)
        .and_then(|v| i32::try_from(v).ok())
        .ok_or_else(overflow)
}

fn percent(bp: i32) -> Decimal {
    Decimal::new(i64::from(bp), 2).normalize()
}

impl StoredAmounts {
    pub fn of(d: &DocumentBody) -> Result<Self, DbErr> {
        let digits = minor_digits(&d.currency);
        let t = d.totals();
        let (discount_percent_bp, discount_amount) = match d.discount {
            Discount::None => (None, None),
            Discount::Percent(p) => (Some(bp(p)?), None),
            Discount::Amount(a) => (None, Some(minor(a, digits)?)),
        };
        Ok(Self {
            discount_percent_bp,
            discount_amount,
            adjustment: minor(d.adjustment, digits)?,
            subtotal: minor(t.subtotal, digits)?,
            discount_total: minor(t.discount, digits)?,
            tax_total: minor(t.tax_total, digits)?,
            total: minor(t.total, digits)?,
        })
    }
}

fn stored_lines(d: &DocumentBody) -> Result<Vec<StoredLine>, DbErr> {
    let digits = minor_digits(&d.currency);
    d.items
        .iter()
        .zip(d.totals().line_nets)
        .map(|(item, net)| {
            Ok(StoredLine {
                description: item.description.clone(),
                long_description: item.long_description.clone(),
                quantity_milli: minor(item.quantity, QUANTITY_DIGITS)?,
                unit: item.unit.clone(),
                rate: minor(item.rate, digits)?,
                tax1_bp: item.taxes.first().copied().map(bp).transpose()?,
                tax2_bp: item.taxes.get(1).copied().map(bp).transpose()?,
                net: minor(net, digits)?,
            })
        })
        .collect()
}

/// An item line of a document.
#[derive(Clone, Debug, PartialEq)]
pub struct Item {
    pub description: String,
    pub long_description: String,
    pub quantity: Decimal,
    pub unit: String,
    pub rate: Decimal,
    /// Percent, at most two.
    pub taxes: Vec<Decimal>,
}

impl Item {
    fn from_stored(l: StoredLine, digits: u32) -> Self {
        Self {
            description: l.description,
            long_description: l.long_description,
            quantity: from_minor(l.quantity_milli, QUANTITY_DIGITS).normalize(),
            unit: l.unit,
            rate: from_minor(l.rate, digits),
            taxes: [l.tax1_bp, l.tax2_bp]
                .into_iter()
                .flatten()
                .map(percent)
                .collect(),
        }
    }
}

pub fn discount(percent_bp: Option<i32>, amount: Option<i64>, digits: u32) -> Discount {
    match (percent_bp, amount) {
        (Some(p), _) => Discount::Percent(percent(p)),
        (None, Some(a)) => Discount::Amount(from_minor(a, digits)),
        (None, None) => Discount::None,
    }
}
