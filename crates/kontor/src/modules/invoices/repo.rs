//! Queries on `invoices` and `invoice_items`. Amounts cross this boundary
//! as integers of minor units; everything above works with `Decimal`.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money::{from_minor, minor_digits};
use rust_decimal::Decimal;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, FromQueryResult, QueryFilter, QueryOrder,
    QueryResult,
};

use super::{
    model::{DocumentBody, Invoice, InvoiceId, Recurrence, Status, Unit},
    service::KIND,
};
use crate::common::{
    documents::store::{self, Extra},
    filter::{InvoiceScope, KeyedSum},
    ids::{CustomerId, StaffId},
};

/// The columns of `invoices` this module reads and writes itself; the
/// header columns every document has are the document core's (`store`).
pub mod invoices {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub status: String,
        pub due_date: Option<String>,
        pub amount_paid: i64,
        pub amount_credited: i64,
        pub recurring_done: i32,
        pub recurring_next: Option<String>,
        pub recurring_parent_id: Option<i64>,
        pub reminded_days: i32,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn parse_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

pub fn recurrence_columns(r: Option<Recurrence>) -> Extra {
    vec![
        (
            "recurring_every",
            r.map(|r| i32::try_from(r.every).unwrap_or(1)).into(),
        ),
        ("recurring_unit", r.map(|r| r.unit.key().to_owned()).into()),
        (
            "recurring_cycles",
            r.map_or(0, |r| i32::try_from(r.cycles).unwrap_or(0)).into(),
        ),
    ]
}

pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &DocumentBody,
    recurrence: Option<Recurrence>,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<InvoiceId, DbErr> {
    let extra = recurrence_columns(recurrence);
    Ok(InvoiceId(
        store::insert(db, &KIND, customer, d, by, extra, now).await?,
    ))
}

fn minor_of(row: &QueryResult, column: &str, digits: u32) -> Result<Decimal, DbErr> {
    Ok(from_minor(row.try_get("", column)?, digits))
}

pub async fn find(db: &impl ConnectionTrait, id: InvoiceId) -> Result<Option<Invoice>, DbErr> {
    let Some((head, row)) = store::find(db, &KIND, id.0).await? else {
        return Ok(None);
    };
    let digits = minor_digits(&head.body.currency);
    let every: Option<i32> = row.try_get("", "recurring_every")?;
    let unit: Option<String> = row.try_get("", "recurring_unit")?;
    let count = |column: &str| -> Result<u32, DbErr> {
        Ok(u32::try_from(row.try_get::<i32>("", column)?).unwrap_or(0))
    };
    let b = head.body;
    Ok(Some(Invoice {
        id,
        number: head.number,
        customer_id: head.customer_id,
        status: Status::parse(&head.status).unwrap_or(Status::Draft),
        date: b.date,
        due_date: b.due_date,
        items: b.items,
        currency: b.currency,
        discount: b.discount,
        discount_after_tax: b.discount_after_tax,
        adjustment: b.adjustment,
        amount_paid: minor_of(&row, "amount_paid", digits)?,
        amount_credited: minor_of(&row, "amount_credited", digits)?,
        client_note: b.client_note,
        terms: b.terms,
        sales_agent_id: b.sales_agent_id,
        created_by: head.created_by,
        issued_at: head.issued_at,
        sent_at: head.sent_at,
        recurrence: match (every, unit.as_deref().and_then(Unit::parse)) {
            (Some(every), Some(unit)) if every > 0 => Some(Recurrence {
                every: u32::try_from(every).unwrap_or(1),
                unit,
                cycles: count("recurring_cycles")?,
            }),
            _ => None,
        },
        recurring_done: count("recurring_done")?,
        recurring_next: row
            .try_get::<Option<String>>("", "recurring_next")?
            .as_deref()
            .map(parse_date),
        recurring_parent: row
            .try_get::<Option<i64>>("", "recurring_parent_id")?
            .map(InvoiceId),
    }))
}

/// Records what has been paid and the status that follows; only for
/// issued invoices.
pub async fn set_paid(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    paid: i64,
    status: Status,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(invoices::Column::AmountPaid, paid.into())
        .col_expr(invoices::Column::Status, status.key().into())
        .col_expr(invoices::Column::UpdatedAt, now.into())
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::Status.ne(Status::Draft.key()))
        .exec(db)
        .await?;
    Ok(())
}

/// Records the credit applied and the status that follows.
pub async fn set_credited(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    credited: i64,
    status: Status,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(invoices::Column::AmountCredited, credited.into())
        .col_expr(invoices::Column::Status, status.key().into())
        .col_expr(invoices::Column::UpdatedAt, now.into())
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::Status.ne(Status::Draft.key()))
        .exec(db)
        .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct OpenAmounts {
    outstanding: i64,
    overdue: i64,
}

/// What the customer still owes on issued invoices, and the part of it
/// past its due date (`today` as `YYYY-MM-DD`), in minor units: from the
/// open amounts per due date the database keeps (migration
/// `open_invoice_sums`).
pub async fn open_amounts(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    today: &str,
) -> Result<(i64, i64), DbErr> {
    let backend = db.get_database_backend();
    let found = OpenAmounts::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS outstanding, \
               CAST(COALESCE(SUM(CASE WHEN due_date < $2 THEN total ELSE 0 END), 0) AS BIGINT) AS overdue \
             FROM open_invoice_sums WHERE customer_id = $1",
        ),
        [customer.0.into(), today.into()],
    ))
    .one(db)
    .await?;
    Ok(found.map(|f| (f.outstanding, f.overdue)).unwrap_or((0, 0)))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// When the next copy of a recurring invoice is due (none: no more).
pub async fn set_recurring_next(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    next: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(invoices::Column::RecurringNext, next.map(iso).into())
        .col_expr(invoices::Column::UpdatedAt, now.into())
        .filter(invoices::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Recurring invoices with a copy due on or before `today`.
pub async fn recurring_due(
    db: &impl ConnectionTrait,
    today: NaiveDate,
    limit: u64,
) -> Result<Vec<InvoiceId>, DbErr> {
    use sea_orm::QuerySelect;
    Ok(invoices::Entity::find()
        .select_only()
        .column(invoices::Column::Id)
        .filter(invoices::Column::RecurringNext.lte(iso(today)))
        .filter(invoices::Column::Status.is_not_in([Status::Draft.key(), Status::Cancelled.key()]))
        .order_by_asc(invoices::Column::RecurringNext)
        .limit(limit)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .map(InvoiceId)
        .collect())
}

/// Takes the cycle due on `due` for this instance: moves the schedule on,
/// unless another instance has taken it already (then 0).
pub async fn claim_cycle(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    due: NaiveDate,
    done: u32,
    next: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(invoices::Entity::update_many()
        .col_expr(
            invoices::Column::RecurringDone,
            i32::try_from(done).unwrap_or(i32::MAX).into(),
        )
        .col_expr(invoices::Column::RecurringNext, next.map(iso).into())
        .col_expr(invoices::Column::UpdatedAt, now.into())
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::RecurringNext.eq(iso(due)))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn set_parent(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    parent: InvoiceId,
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(invoices::Column::RecurringParentId, parent.0.into())
        .filter(invoices::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Open invoices due on or before `cutoff` whose reminders have not reached
/// `stage` days yet, with their due date and reminder stage.
pub async fn overdue(
    db: &impl ConnectionTrait,
    cutoff: NaiveDate,
    stage: i32,
    limit: u64,
) -> Result<Vec<(InvoiceId, NaiveDate, i32)>, DbErr> {
    use sea_orm::QuerySelect;
    Ok(invoices::Entity::find()
        .select_only()
        .column(invoices::Column::Id)
        .column(invoices::Column::DueDate)
        .column(invoices::Column::RemindedDays)
        .filter(invoices::Column::Status.is_in([Status::Unpaid.key(), Status::PartiallyPaid.key()]))
        .filter(invoices::Column::DueDate.lte(iso(cutoff)))
        .filter(invoices::Column::RemindedDays.lt(stage))
        .order_by_asc(invoices::Column::DueDate)
        .limit(limit)
        .into_tuple::<(i64, Option<String>, i32)>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|(id, due, stage)| Some((InvoiceId(id), parse_date(&due?), stage)))
        .collect())
}

/// Records that the reminder of `stage` days went out; 0 when it had
/// already (another instance, or an earlier run).
pub async fn claim_reminder(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    stage: i32,
) -> Result<u64, DbErr> {
    Ok(invoices::Entity::update_many()
        .col_expr(invoices::Column::RemindedDays, stage.into())
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::RemindedDays.lt(stage))
        .exec(db)
        .await?
        .rows_affected)
}

/// What is open of the invoices in scope, per currency and due date.
pub async fn open_sums(
    db: &impl ConnectionTrait,
    scope: &InvoiceScope,
) -> Result<Vec<KeyedSum>, DbErr> {
    let mut values = Vec::new();
    let query = if scope.is_everything() {
        "SELECT currency, due_date AS key, n, total FROM open_invoice_totals".to_string()
    } else {
        format!(
            "SELECT i.currency, COALESCE(i.due_date, '9999-12-31') AS key, CAST(1 AS BIGINT) AS n, \
               i.total - i.amount_paid - i.amount_credited AS total \
             FROM invoices i WHERE i.status IN ('unpaid', 'partially_paid') AND {}",
            scope.sql("i", &mut values)
        )
    };
    keyed(db, &query, values).await
}

/// What was invoiced (net, issued and not cancelled) in scope, per
/// currency and month (`2026-12`), from the month `from` on.
pub async fn invoiced_sums(
    db: &impl ConnectionTrait,
    scope: &InvoiceScope,
    from: &str,
) -> Result<Vec<KeyedSum>, DbErr> {
    let mut values = vec![from.into()];
    let query = if scope.is_everything() {
        "SELECT currency, month AS key, n, total FROM invoiced_month_totals WHERE month >= $1"
            .to_string()
    } else {
        format!(
            "SELECT i.currency, SUBSTR(i.date, 1, 7) AS key, CAST(1 AS BIGINT) AS n, \
               i.total - i.tax_total AS total \
             FROM invoices i WHERE i.status IN ('unpaid', 'partially_paid', 'paid') \
               AND i.date >= $1 AND {}",
            scope.sql("i", &mut values)
        )
    };
    keyed(db, &query, values).await
}

async fn keyed(
    db: &impl ConnectionTrait,
    query: &str,
    values: Vec<sea_orm::Value>,
) -> Result<Vec<KeyedSum>, DbErr> {
    let backend = db.get_database_backend();
    KeyedSum::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, query),
        values,
    ))
    .all(db)
    .await
}

/// An open invoice as the dashboard lists it.
#[derive(Clone, Debug, FromQueryResult)]
pub struct Due {
    pub id: i64,
    pub number: Option<String>,
    pub customer_id: i64,
    pub company: String,
    pub due_date: String,
    pub currency: String,
    pub open: i64,
}

/// The open invoices in scope due on `until` or before, those due first
/// first; at most `limit`.
pub async fn due_by(
    db: &impl ConnectionTrait,
    scope: &InvoiceScope,
    until: NaiveDate,
    limit: u64,
) -> Result<Vec<Due>, DbErr> {
    let backend = db.get_database_backend();
    let mut values: Vec<sea_orm::Value> = vec![iso(until).into()];
    let condition = scope.sql("i", &mut values);
    values.push(i64::try_from(limit).unwrap_or(5).into());
    let query = format!(
        "SELECT i.id, i.number, i.customer_id, c.company, i.due_date, i.currency, \
           i.total - i.amount_paid - i.amount_credited AS open \
         FROM invoices i JOIN customers c ON c.id = i.customer_id \
         WHERE i.status IN ('unpaid', 'partially_paid') AND i.due_date <= $1 AND {condition} \
         ORDER BY i.due_date, i.id LIMIT ${}",
        values.len()
    );
    Due::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, &query),
        values,
    ))
    .all(db)
    .await
}
