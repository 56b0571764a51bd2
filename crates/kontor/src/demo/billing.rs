//! Demo billing data for the benchmark: issued invoices with five lines
//! each over the demo customers (one customer gets a large share), every
//! second one paid in full. Written with multi-row inserts in batches;
//! totals come from the same EN 16931 code the application uses.

use std::time::Instant;

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};
use kernel::{db::sql, money};
use rand::{Rng, SeedableRng, rngs::StdRng};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Statement, Value};

use crate::{
    common::totals::{Discount, DiscountTiming, Document, Line},
    modules::staff::service as staff,
};

const BATCH: usize = 500;
const LINES: usize = 5;
const DESCRIPTIONS: [&str; 8] = [
    "Beratung",
    "Wartung",
    "Lizenz",
    "Montage",
    "Schulung",
    "Material",
    "Anfahrt",
    "Support-Pauschale",
];

/// Quantity (thousandths), rate and net (cents), tax (basis points), text.
type DemoLine = (i64, i64, i32, i64, &'static str);

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

#[derive(FromQueryResult)]
struct IdRow {
    id: i64,
}

#[derive(FromQueryResult)]
struct Returned {
    id: i64,
    number: Option<String>,
}

/// `($1,$2,..),($n+1,..)`: the VALUES of a multi-row insert.
fn rows_of(rows: usize, width: usize) -> String {
    (0..rows)
        .map(|r| {
            let cells: Vec<String> = (1..=width).map(|c| format!("${}", r * width + c)).collect();
            format!("({})", cells.join(","))
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// The lowest customer id: the customer that gets `big` of the invoices.
pub async fn big_customer(db: &DatabaseConnection) -> Result<i64> {
    let backend = db.get_database_backend();
    Ok(IdRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT MIN(id) AS id FROM customers",
    ))
    .one(db)
    .await?
    .context("no customers: run kontor demo first")?
    .id)
}

/// Tops the demo invoices up to `count` (the big customer gets `big` of
/// them); how many there are now.
pub async fn generate(state: &crate::state::AppState, count: u64, big: u64) -> Result<u64> {
    // Databases from before issuing asked for the seller's details have
    // invoices but no company.
    super::company(state).await?;
    let db = &state.db;
    let backend = db.get_database_backend();
    let have = Count::find_by_statement(Statement::from_string(
        backend,
        "SELECT COUNT(*) AS n FROM invoices WHERE number LIKE 'DEMO-%'",
    ))
    .one(db)
    .await?
    .map_or(0, |c| c.n) as u64;
    if have >= count {
        return Ok(have);
    }
    let started = Instant::now();
    let author = staff::directory_ids(db)
        .await?
        .first()
        .context("no staff member")?
        .0;
    let big_id = big_customer(db).await?;
    let ids: Vec<i64> = IdRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT id FROM customers ORDER BY id",
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|r| r.id)
    .collect();
    let mode = IdRow::find_by_statement(Statement::from_string(
        backend,
        "SELECT MIN(id) AS id FROM payment_modes",
    ))
    .one(db)
    .await?
    .map(|r| r.id);
    let mut rng = StdRng::seed_from_u64(4242 + have);
    let today = state.clock.today();
    let now = state.clock.now();
    let mut seq = have;
    while seq < count {
        let size = (count - seq).min(BATCH as u64) as usize;
        let mut invoice_values: Vec<Value> = Vec::with_capacity(size * 14);
        let mut invoice_rows = Vec::with_capacity(size);
        let mut lines: Vec<Vec<DemoLine>> = Vec::with_capacity(size);
        let mut paid: Vec<(String, i64, NaiveDate, i64)> = Vec::new();
        for i in 0..size {
            let n = seq + i as u64 + 1;
            let customer = if n <= big {
                big_id
            } else {
                ids[rng.gen_range(0..ids.len())]
            };
            let date = today - Duration::days(rng.gen_range(0..730));
            let mut items = Vec::with_capacity(LINES);
            for _ in 0..LINES {
                let quantity = rng.gen_range(1..=10) * 1000;
                let rate = rng.gen_range(1_000..50_000);
                let tax = if rng.gen_bool(0.8) { 1900 } else { 700 };
                items.push((quantity, rate, tax, 0, DESCRIPTIONS[rng.gen_range(0..8)]));
            }
            let doc = Document {
                lines: items
                    .iter()
                    .map(|(q, r, t, _, _)| Line {
                        quantity: money::from_minor(*q, 3),
                        rate: money::from_minor(*r, 2),
                        taxes: vec![Decimal::new(i64::from(*t), 2)],
                    })
                    .collect(),
                discount: Discount::None,
                timing: DiscountTiming::BeforeTax,
                adjustment: Decimal::ZERO,
                digits: 2,
            };
            let t = doc.totals();
            for (item, net) in items.iter_mut().zip(&t.line_nets) {
                item.3 = money::to_minor(*net, 2).unwrap_or_default();
            }
            let minor = |v: Decimal| money::to_minor(v, 2).unwrap_or_default();
            let total = minor(t.total);
            let is_paid = n.is_multiple_of(2);
            let number = format!("DEMO-{n:07}");
            if is_paid {
                paid.push((
                    number.clone(),
                    customer,
                    date + Duration::days(rng.gen_range(1..30)),
                    total,
                ));
            }
            invoice_rows.push(number.clone());
            invoice_values.extend([
                Value::from(customer),
                Value::from(number),
                Value::from(if is_paid { "paid" } else { "unpaid" }),
                Value::from(date.format("%Y-%m-%d").to_string()),
                Value::from((date + Duration::days(14)).format("%Y-%m-%d").to_string()),
                Value::from("EUR"),
                Value::from(minor(t.subtotal)),
                Value::from(minor(t.tax_total)),
                Value::from(total),
                Value::from(if is_paid { total } else { 0 }),
                Value::from(author),
                Value::from(now),
                Value::from(now),
                Value::from(now),
            ]);
            lines.push(items);
        }
        let txn = kernel::db::begin_write(db).await?;
        let placeholders = rows_of(size, 14);
        let inserted = Returned::find_by_statement(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "INSERT INTO invoices (customer_id, number, status, date, due_date, currency, subtotal, \
                     tax_total, total, amount_paid, created_by, issued_at, created_at, updated_at) \
                     VALUES {placeholders} RETURNING id, number"
                ),
            ),
            invoice_values,
        ))
        .all(&txn)
        .await?;
        let by_number: std::collections::HashMap<String, i64> = inserted
            .into_iter()
            .filter_map(|r| Some((r.number?, r.id)))
            .collect();
        let mut item_values: Vec<Value> = Vec::with_capacity(size * LINES * 9);
        for (number, items) in invoice_rows.iter().zip(&lines) {
            let id = by_number[number];
            for (pos, (q, r, t, net, d)) in items.iter().enumerate() {
                item_values.extend([
                    Value::from(id),
                    Value::from(pos as i32),
                    Value::from(*d),
                    Value::from(*q),
                    Value::from(*r),
                    Value::from(*t),
                    Value::from(*net),
                    Value::from(now),
                    Value::from(now),
                ]);
            }
        }
        let rows = size * LINES;
        let placeholders = rows_of(rows, 9);
        txn.execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                &format!(
                    "INSERT INTO invoice_items (invoice_id, position, description, quantity_milli, rate, \
                     tax1_bp, net, created_at, updated_at) VALUES {placeholders}"
                ),
            ),
            item_values,
        ))
        .await?;
        if !paid.is_empty() {
            let mut values: Vec<Value> = Vec::with_capacity(paid.len() * 8);
            for (number, customer, date, amount) in &paid {
                values.extend([
                    Value::from(by_number[number]),
                    Value::from(*customer),
                    Value::from(*amount),
                    Value::from(date.format("%Y-%m-%d").to_string()),
                    Value::from(mode),
                    Value::from(author),
                    Value::from(now),
                    Value::from(now),
                ]);
            }
            let placeholders = rows_of(paid.len(), 8);
            txn.execute_raw(Statement::from_sql_and_values(
                backend,
                sql(
                    backend,
                    &format!(
                        "INSERT INTO payments (invoice_id, customer_id, amount, date, payment_mode_id, \
                         created_by, created_at, updated_at) VALUES {placeholders}"
                    ),
                ),
                values,
            ))
            .await?;
        }
        txn.commit().await?;
        seq += size as u64;
        if seq.is_multiple_of(100_000) || seq == count {
            println!("{seq} invoices ...");
        }
    }
    super::refresh_statistics(db).await?;
    println!(
        "created {} invoices ({} lines each, every second one paid) in {:.1} s",
        count - have,
        LINES,
        started.elapsed().as_secs_f64()
    );
    Ok(count)
}
