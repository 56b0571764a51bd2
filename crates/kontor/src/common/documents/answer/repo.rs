//! What the kit asks of an answered document's table beyond the core's:
//! its status moved on once, the documents past their date, and the one
//! reminder before it. Table and column names are the kind's constants.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement, Value};

use super::EXPIRED;
use crate::common::documents::kind::DocumentKind;

fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    Statement::from_sql_and_values(backend, kernel::db::sql(backend, sql), values)
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// `status IN ($from, …)` with its placeholders numbered from `first`.
fn among(statuses: &[&str], first: usize) -> (String, Vec<Value>) {
    let marks: Vec<String> = (0..statuses.len())
        .map(|i| format!("${}", first + i))
        .collect();
    (
        format!("status IN ({})", marks.join(", ")),
        statuses.iter().map(|s| (*s).into()).collect(),
    )
}

fn due(kind: &DocumentKind) -> &'static str {
    kind.due_column.unwrap_or("date")
}

fn limit(n: u64) -> Value {
    i64::try_from(n).unwrap_or(100).into()
}

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

/// Moves the document from one status to the next; 0 when it was not in
/// the first.
pub async fn set_status(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    (from, to): (&str, &str),
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let sql = format!(
        "UPDATE {} SET status = $1, updated_at = $2 WHERE id = $3 AND status = $4",
        kind.table
    );
    let values = vec![to.into(), now.into(), id.into(), from.into()];
    Ok(db
        .execute_raw(statement(db, &sql, values))
        .await?
        .rows_affected())
}

/// Open documents whose date is before `today`, at most `n`.
pub async fn past_date(
    db: &impl ConnectionTrait,
    (kind, open): (&DocumentKind, &[&str]),
    today: NaiveDate,
    n: u64,
) -> Result<Vec<i64>, DbErr> {
    let (status, mut values) = among(open, 3);
    let sql = format!(
        "SELECT id FROM {} WHERE {} < $1 AND {status} ORDER BY id LIMIT $2",
        kind.table,
        due(kind)
    );
    values.splice(0..0, [iso(today).into(), limit(n)]);
    Ok(Id::find_by_statement(statement(db, &sql, values))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Marks an open document expired; 0 when it was answered meanwhile.
pub async fn expire(
    db: &impl ConnectionTrait,
    (kind, open): (&DocumentKind, &[&str]),
    id: i64,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let (status, mut values) = among(open, 5);
    let sql = format!(
        "UPDATE {} SET status = $1, updated_at = $2 WHERE id = $3 AND {} < $4 AND {status}",
        kind.table,
        due(kind)
    );
    values.splice(
        0..0,
        [EXPIRED.into(), now.into(), id.into(), iso(today).into()],
    );
    Ok(db
        .execute_raw(statement(db, &sql, values))
        .await?
        .rows_affected())
}

/// Open documents whose date is from `today` to `until`, not reminded yet.
pub async fn to_remind(
    db: &impl ConnectionTrait,
    (kind, open): (&DocumentKind, &[&str]),
    (today, until): (NaiveDate, NaiveDate),
    n: u64,
) -> Result<Vec<i64>, DbErr> {
    let (status, mut values) = among(open, 4);
    let due = due(kind);
    let sql = format!(
        "SELECT id FROM {} WHERE reminded_at IS NULL AND {due} >= $1 AND {due} <= $2 \
         AND {status} ORDER BY id LIMIT $3",
        kind.table
    );
    values.splice(0..0, [iso(today).into(), iso(until).into(), limit(n)]);
    Ok(Id::find_by_statement(statement(db, &sql, values))
        .all(db)
        .await?
        .into_iter()
        .map(|r| r.id)
        .collect())
}

/// Claims the document's one reminder; 0 when it was sent already.
pub async fn claim_reminder(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let sql = format!(
        "UPDATE {} SET reminded_at = $1 WHERE id = $2 AND reminded_at IS NULL",
        kind.table
    );
    Ok(db
        .execute_raw(statement(db, &sql, vec![now.into(), id.into()]))
        .await?
        .rows_affected())
}
