//! The statement's movements, read in one query over invoices, payments,
//! credit notes, credit applied and refunds (each source filtered by the
//! customer's index on (customer_id, date)), and the per-day sums of them
//! that the database keeps in `statement_days`.

use chrono::NaiveDate;
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement, Value};

use super::model::{Kind, Movement, Sum};
use crate::modules::customers::model::CustomerId;

fn iso(d: Option<NaiveDate>) -> Option<String> {
    d.map(|d| d.format("%Y-%m-%d").to_string())
}

#[derive(FromQueryResult)]
struct Row {
    date: String,
    kind: String,
    document_id: i64,
    reference: String,
    detail: String,
    amount: i64,
}

/// The date conditions of a source (only those given, so each stays a
/// range on the customer's index) and their values after the customer's.
fn range(from: Option<NaiveDate>, to: Option<NaiveDate>, column: &str) -> (String, Vec<Value>) {
    let mut sql = String::new();
    let mut values = Vec::new();
    for (day, op) in [(from, ">="), (to, "<=")] {
        if let Some(d) = iso(day) {
            values.push(d.into());
            sql.push_str(&format!(" AND {column} {op} ${}", values.len() + 1));
        }
    }
    (sql, values)
}

/// Every movement from `from` to `to` (both included, either open), in
/// date order; on one day invoices come before what settles them.
pub async fn movements(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<Vec<Movement>, DbErr> {
    let backend = db.get_database_backend();
    let (on, values) = range(from, to, "date");
    let (on_p, _) = range(from, to, "p.date");
    let (on_a, _) = range(from, to, "a.date");
    let (on_r, _) = range(from, to, "r.date");
    let sql = format!(
        "SELECT date, kind, document_id, reference, detail, amount FROM ( \
           SELECT date, 'invoice' AS kind, id AS document_id, COALESCE(number, '') AS reference, \
             '' AS detail, total AS amount, 1 AS ord, id AS seq \
           FROM invoices WHERE customer_id = $1 AND status <> 'draft'{on} \
           UNION ALL \
           SELECT p.date, 'payment', p.invoice_id, COALESCE(i.number, ''), p.transaction_id, p.amount, 2, p.id \
           FROM payments p JOIN invoices i ON i.id = p.invoice_id WHERE p.customer_id = $1{on_p} \
           UNION ALL \
           SELECT date, 'credit_note', id, COALESCE(number, ''), '', total, 3, id \
           FROM credit_notes WHERE customer_id = $1 AND status NOT IN ('draft', 'void'){on} \
           UNION ALL \
           SELECT a.date, 'credit_applied', a.credit_note_id, COALESCE(n.number, ''), COALESCE(i.number, ''), a.amount, 4, a.id \
           FROM credit_applications a JOIN credit_notes n ON n.id = a.credit_note_id \
           JOIN invoices i ON i.id = a.invoice_id WHERE a.customer_id = $1{on_a} \
           UNION ALL \
           SELECT r.date, 'refund', r.credit_note_id, COALESCE(n.number, ''), r.note, r.amount, 5, r.id \
           FROM credit_refunds r JOIN credit_notes n ON n.id = r.credit_note_id WHERE r.customer_id = $1{on_r} \
         ) m ORDER BY date, ord, seq"
    );
    let rows = Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, &sql),
        std::iter::once(customer.0.into()).chain(values),
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            Some(Movement {
                date: parse_day(&r.date)?,
                kind: Kind::parse(&r.kind)?,
                document_id: r.document_id,
                reference: r.reference,
                detail: r.detail,
                amount: r.amount,
            })
        })
        .collect())
}

fn parse_day(text: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

#[derive(FromQueryResult)]
struct SumRow {
    date: String,
    kind: String,
    n: i64,
    total: i64,
}

impl SumRow {
    fn sum(self, date: NaiveDate) -> Option<Sum> {
        Some(Sum {
            date,
            kind: Kind::parse(&self.kind)?,
            count: u64::try_from(self.n).ok()?,
            amount: self.total,
        })
    }
}

async fn sums(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    (from, to): (Option<NaiveDate>, Option<NaiveDate>),
    select: &str,
    group: &str,
) -> Result<Vec<SumRow>, DbErr> {
    let backend = db.get_database_backend();
    let (on, values) = range(from, to, "date");
    SumRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            &format!(
                "SELECT {select} FROM statement_days WHERE customer_id = $1{on}{group} ORDER BY date"
            ),
        ),
        std::iter::once(customer.0.into()).chain(values),
    ))
    .all(db)
    .await
}

/// What each kind of movement adds up to per calendar month from `from` to
/// `to` (a few dozen rows for years of movements), from the per-day sums
/// the database keeps (migration `statement_days`); `date` is the month's
/// first day.
pub async fn months(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    period: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<Vec<Sum>, DbErr> {
    let rows = sums(
        db,
        customer,
        period,
        "SUBSTR(date, 1, 7) AS date, kind, CAST(SUM(n) AS BIGINT) AS n, \
         CAST(SUM(total) AS BIGINT) AS total",
        " GROUP BY SUBSTR(date, 1, 7), kind",
    )
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let month = parse_day(&format!("{}-01", r.date))?;
            r.sum(month)
        })
        .collect())
}

/// What each kind of movement adds up to per day from `from` to `to`.
pub async fn days(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    period: (Option<NaiveDate>, Option<NaiveDate>),
) -> Result<Vec<Sum>, DbErr> {
    let rows = sums(db, customer, period, "date, kind, n, total", "").await?;
    Ok(rows
        .into_iter()
        .filter_map(|r| {
            let day = parse_day(&r.date)?;
            r.sum(day)
        })
        .collect())
}

#[derive(FromQueryResult)]
struct KindSum {
    kind: String,
    total: i64,
}

/// What the customer owed before `day`.
pub async fn balance_before(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    day: NaiveDate,
) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    let sums = KindSum::find_by_statement(Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "SELECT kind, CAST(SUM(total) AS BIGINT) AS total FROM statement_days \
             WHERE customer_id = $1 AND date < $2 GROUP BY kind",
        ),
        [customer.0.into(), day.format("%Y-%m-%d").to_string().into()],
    ))
    .all(db)
    .await?;
    Ok(sums
        .iter()
        .filter_map(|s| Some(Kind::parse(&s.kind)?.sign() * s.total))
        .sum())
}
