//! Queries on `invoices` and `invoice_items`. Amounts cross this boundary
//! as integers of minor units; everything above works with `Decimal`.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money::{from_minor, minor_digits};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::model::{
    DocumentBody, Invoice, InvoiceFilter, InvoiceId, InvoiceRow, Recurrence, Status, Unit,
};
use crate::{
    common::lines::{LineTable, StoredAmounts, discount},
    modules::{customers::model::CustomerId, staff::model::StaffId},
};

pub mod invoices {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoices")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: i64,
        pub number: Option<String>,
        pub status: String,
        pub date: String,
        pub due_date: Option<String>,
        pub currency: String,
        pub discount_percent_bp: Option<i32>,
        pub discount_amount: Option<i64>,
        pub discount_after_tax: bool,
        pub adjustment: i64,
        pub subtotal: i64,
        pub discount_total: i64,
        pub tax_total: i64,
        pub total: i64,
        pub amount_paid: i64,
        pub amount_credited: i64,
        pub client_note: String,
        pub terms: String,
        pub sales_agent_id: Option<i64>,
        pub created_by: i64,
        pub issued_at: Option<DateTimeUtc>,
        pub sent_at: Option<DateTimeUtc>,
        pub recurring_every: Option<i32>,
        pub recurring_unit: Option<String>,
        pub recurring_cycles: i32,
        pub recurring_done: i32,
        pub recurring_next: Option<String>,
        pub recurring_parent_id: Option<i64>,
        pub reminded_days: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn parse_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn to_row(m: &invoices::Model) -> InvoiceRow {
    InvoiceRow {
        id: InvoiceId(m.id),
        number: m.number.clone(),
        status: Status::parse(&m.status).unwrap_or(Status::Draft),
        date: parse_date(&m.date),
        due_date: m.due_date.as_deref().map(parse_date),
        currency: m.currency.clone(),
        total_minor: m.total,
    }
}

/// The columns a draft's data and its totals fill.
fn fill(
    row: &mut invoices::ActiveModel,
    d: &DocumentBody,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let a = StoredAmounts::of(d)?;
    row.date = Set(d.date.format("%Y-%m-%d").to_string());
    row.due_date = Set(d.due_date.map(|x| x.format("%Y-%m-%d").to_string()));
    row.currency = Set(d.currency.clone());
    row.discount_percent_bp = Set(a.discount_percent_bp);
    row.discount_amount = Set(a.discount_amount);
    row.discount_after_tax = Set(d.discount_after_tax);
    row.adjustment = Set(a.adjustment);
    row.subtotal = Set(a.subtotal);
    row.discount_total = Set(a.discount_total);
    row.tax_total = Set(a.tax_total);
    row.total = Set(a.total);
    row.client_note = Set(d.client_note.clone());
    row.terms = Set(d.terms.clone());
    row.sales_agent_id = Set(d.sales_agent_id.map(|s| s.0));
    row.updated_at = Set(now);
    Ok(())
}

async fn replace_items(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    d: &DocumentBody,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    LineTable::Invoice.replace(db, id.0, d, now).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &DocumentBody,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<InvoiceId, DbErr> {
    let mut row = invoices::ActiveModel {
        customer_id: Set(customer.0),
        number: Set(None),
        status: Set(Status::Draft.key().to_string()),
        amount_paid: Set(0),
        created_by: Set(by.0),
        issued_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut row, d, now)?;
    let id = InvoiceId(row.insert(db).await?.id);
    replace_items(db, id, d, now).await?;
    Ok(id)
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    d: &DocumentBody,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut row = invoices::ActiveModel {
        id: Set(id.0),
        ..Default::default()
    };
    fill(&mut row, d, now)?;
    row.update(db).await?;
    replace_items(db, id, d, now).await
}

pub async fn find(db: &impl ConnectionTrait, id: InvoiceId) -> Result<Option<Invoice>, DbErr> {
    let Some(m) = invoices::Entity::find_by_id(id.0).one(db).await? else {
        return Ok(None);
    };
    let digits = minor_digits(&m.currency);
    let lines = LineTable::Invoice.load(db, id.0, digits).await?;
    let discount = discount(m.discount_percent_bp, m.discount_amount, digits);
    let row = to_row(&m);
    Ok(Some(Invoice {
        id,
        number: m.number,
        customer_id: CustomerId(m.customer_id),
        status: row.status,
        date: row.date,
        due_date: row.due_date,
        items: lines,
        currency: m.currency,
        discount,
        discount_after_tax: m.discount_after_tax,
        adjustment: from_minor(m.adjustment, digits),
        amount_paid: from_minor(m.amount_paid, digits),
        amount_credited: from_minor(m.amount_credited, digits),
        client_note: m.client_note,
        terms: m.terms,
        sales_agent_id: m.sales_agent_id.map(StaffId),
        created_by: StaffId(m.created_by),
        issued_at: m.issued_at,
        sent_at: m.sent_at,
        recurrence: match (
            m.recurring_every,
            m.recurring_unit.as_deref().and_then(Unit::parse),
        ) {
            (Some(every), Some(unit)) if every > 0 => Some(Recurrence {
                every: u32::try_from(every).unwrap_or(1),
                unit,
                cycles: u32::try_from(m.recurring_cycles).unwrap_or(0),
            }),
            _ => None,
        },
        recurring_done: u32::try_from(m.recurring_done).unwrap_or(0),
        recurring_next: m.recurring_next.as_deref().map(parse_date),
        recurring_parent: m.recurring_parent_id.map(InvoiceId),
    }))
}

/// The customer's invoices, newest first, optionally of one status.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    filter: &InvoiceFilter,
) -> Result<Vec<(InvoiceRow, StaffId, Option<StaffId>)>, DbErr> {
    let mut q = invoices::Entity::find().filter(invoices::Column::CustomerId.eq(customer.0));
    if let Some(s) = filter.status {
        q = q.filter(invoices::Column::Status.eq(s.key()));
    }
    // ISO dates order as text.
    if let Some(from) = filter.from {
        q = q.filter(invoices::Column::Date.gte(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        q = q.filter(invoices::Column::Date.lte(to.format("%Y-%m-%d").to_string()));
    }
    Ok(q.order_by_desc(invoices::Column::Date)
        .order_by_desc(invoices::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|m| {
            (
                to_row(m),
                StaffId(m.created_by),
                m.sales_agent_id.map(StaffId),
            )
        })
        .collect())
}

pub async fn count_of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<u64, DbErr> {
    invoices::Entity::find()
        .filter(invoices::Column::CustomerId.eq(customer.0))
        .count(db)
        .await
}

pub async fn delete_draft(db: &impl ConnectionTrait, id: InvoiceId) -> Result<u64, DbErr> {
    Ok(invoices::Entity::delete_many()
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::Status.eq(Status::Draft.key()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Turns a draft into an issued invoice with its number; 0 when it was no
/// draft any more (issued meanwhile by someone else).
pub async fn mark_issued(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    number: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(invoices::Entity::update_many()
        .col_expr(invoices::Column::Number, number.into())
        .col_expr(invoices::Column::Status, Status::Unpaid.key().into())
        .col_expr(invoices::Column::IssuedAt, now.into())
        .col_expr(invoices::Column::UpdatedAt, now.into())
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::Status.eq(Status::Draft.key()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Records that the issued invoice went to the customer.
pub async fn set_sent(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    at: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(invoices::Entity::update_many()
        .col_expr(invoices::Column::SentAt, at.into())
        .col_expr(invoices::Column::UpdatedAt, at.into())
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::Status.ne(Status::Draft.key()))
        .exec(db)
        .await?
        .rows_affected)
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

/// Takes the invoice's row lock until the transaction ends, so payments on
/// one invoice are summed one after the other. SQLite serialises writers
/// anyway; the update there takes its write lock early.
pub async fn lock(db: &impl ConnectionTrait, id: InvoiceId) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "UPDATE invoices SET updated_at = updated_at WHERE id = $1",
        ),
        [id.0.into()],
    ))
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

/// Sets or removes a draft's recurrence.
pub async fn set_recurrence(
    db: &impl ConnectionTrait,
    id: InvoiceId,
    r: Option<Recurrence>,
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(
            invoices::Column::RecurringEvery,
            r.map(|r| i32::try_from(r.every).unwrap_or(1)).into(),
        )
        .col_expr(
            invoices::Column::RecurringUnit,
            r.map(|r| r.unit.key().to_owned()).into(),
        )
        .col_expr(
            invoices::Column::RecurringCycles,
            r.map_or(0, |r| i32::try_from(r.cycles).unwrap_or(0)).into(),
        )
        .filter(invoices::Column::Id.eq(id.0))
        .filter(invoices::Column::Status.eq(Status::Draft.key()))
        .exec(db)
        .await?;
    Ok(())
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

#[derive(FromQueryResult)]
struct CountSum {
    n: i64,
    total: i64,
}

/// One page of the customer's invoices (newest first) with the count and
/// sum of all that pass the filter; `own` limits them to those created by
/// or assigned to that staff member.
pub async fn page_of_customer(
    db: &impl ConnectionTrait,
    customers: &crate::common::filter::CustomerSet,
    filter: &InvoiceFilter,
    own: Option<StaffId>,
    page: u64,
    per_page: u64,
) -> Result<(Vec<InvoiceRow>, u64, i64), DbErr> {
    use crate::common::filter::CustomerSet;
    use sea_orm::{Condition, QuerySelect};
    let mut condition = match customers {
        CustomerSet::One(c) => Condition::all().add(invoices::Column::CustomerId.eq(*c)),
        CustomerSet::Among(ids) => {
            Condition::all().add(invoices::Column::CustomerId.is_in(ids.iter().copied()))
        }
        CustomerSet::All => Condition::all(),
    };
    if let Some(s) = filter.status {
        condition = condition.add(invoices::Column::Status.eq(s.key()));
    }
    if let Some(from) = filter.from {
        condition = condition.add(invoices::Column::Date.gte(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        condition = condition.add(invoices::Column::Date.lte(to.format("%Y-%m-%d").to_string()));
    }
    if let Some(me) = own {
        condition = condition.add(
            Condition::any()
                .add(invoices::Column::CreatedBy.eq(me.0))
                .add(invoices::Column::SalesAgentId.eq(me.0)),
        );
    }
    let rows = invoices::Entity::find()
        .filter(condition.clone())
        .order_by_desc(invoices::Column::Date)
        .order_by_desc(invoices::Column::Id)
        .offset((page.clamp(1, kernel::web::MAX_PAGE) - 1) * per_page)
        .limit(per_page)
        .all(db);
    let totals = invoices::Entity::find()
        .select_only()
        .column_as(sea_orm::sea_query::Expr::cust("COUNT(*)"), "n")
        .column_as(
            sea_orm::sea_query::Expr::cust("CAST(COALESCE(SUM(total), 0) AS BIGINT)"),
            "total",
        )
        .filter(condition)
        .into_model::<CountSum>()
        .one(db);
    let (rows, totals) = futures::try_join!(rows, totals)?;
    let rows = rows.iter().map(to_row).collect();
    let (n, sum) = totals.map_or((0, 0), |t| (t.n, t.total));
    Ok((rows, u64::try_from(n).unwrap_or(0), sum))
}
