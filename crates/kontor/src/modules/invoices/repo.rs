//! Queries on `invoices` and `invoice_items`. Amounts cross this boundary
//! as integers of minor units; everything above works with `Decimal`.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money::{from_minor, minor_digits};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, PaginatorTrait, QueryFilter, QueryOrder,
};

use super::model::{Invoice, InvoiceData, InvoiceFilter, InvoiceId, InvoiceRow, Item, Status};
use crate::{
    common::lines::{StoredAmounts, StoredLine, discount, stored_lines},
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
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod items {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "invoice_items")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub invoice_id: i64,
        pub position: i32,
        pub description: String,
        pub long_description: String,
        pub quantity_milli: i64,
        pub unit: String,
        pub rate: i64,
        pub tax1_bp: Option<i32>,
        pub tax2_bp: Option<i32>,
        pub net: i64,
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
fn fill(row: &mut invoices::ActiveModel, d: &InvoiceData, now: DateTime<Utc>) -> Result<(), DbErr> {
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
    d: &InvoiceData,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    items::Entity::delete_many()
        .filter(items::Column::InvoiceId.eq(id.0))
        .exec(db)
        .await?;
    let rows: Vec<items::ActiveModel> = stored_lines(d)?
        .into_iter()
        .enumerate()
        .map(|(n, l)| items::ActiveModel {
            invoice_id: Set(id.0),
            position: Set(n as i32),
            description: Set(l.description),
            long_description: Set(l.long_description),
            quantity_milli: Set(l.quantity_milli),
            unit: Set(l.unit),
            rate: Set(l.rate),
            tax1_bp: Set(l.tax1_bp),
            tax2_bp: Set(l.tax2_bp),
            net: Set(l.net),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        items::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &InvoiceData,
    by: StaffId,
) -> Result<InvoiceId, DbErr> {
    let now = Utc::now();
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
    d: &InvoiceData,
) -> Result<(), DbErr> {
    let now = Utc::now();
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
    let lines = items::Entity::find()
        .filter(items::Column::InvoiceId.eq(id.0))
        .order_by_asc(items::Column::Position)
        .all(db)
        .await?;
    let discount = discount(m.discount_percent_bp, m.discount_amount, digits);
    let row = to_row(&m);
    Ok(Some(Invoice {
        id,
        number: m.number,
        customer_id: CustomerId(m.customer_id),
        status: row.status,
        date: row.date,
        due_date: row.due_date,
        items: lines
            .into_iter()
            .map(|l| {
                let stored = StoredLine {
                    description: l.description,
                    long_description: l.long_description,
                    quantity_milli: l.quantity_milli,
                    unit: l.unit,
                    rate: l.rate,
                    tax1_bp: l.tax1_bp,
                    tax2_bp: l.tax2_bp,
                    net: l.net,
                };
                Item::from_stored(stored, digits)
            })
            .collect(),
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
) -> Result<u64, DbErr> {
    let now = Utc::now();
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
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(invoices::Column::AmountPaid, paid.into())
        .col_expr(invoices::Column::Status, status.key().into())
        .col_expr(invoices::Column::UpdatedAt, Utc::now().into())
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
) -> Result<(), DbErr> {
    invoices::Entity::update_many()
        .col_expr(invoices::Column::AmountCredited, credited.into())
        .col_expr(invoices::Column::Status, status.key().into())
        .col_expr(invoices::Column::UpdatedAt, Utc::now().into())
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
/// past its due date (`today` as `YYYY-MM-DD`), in minor units.
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
            "SELECT CAST(COALESCE(SUM(total - amount_paid - amount_credited), 0) AS BIGINT) AS outstanding, \
               CAST(COALESCE(SUM(CASE WHEN due_date < $2 THEN total - amount_paid - amount_credited ELSE 0 END), 0) AS BIGINT) AS overdue \
             FROM invoices WHERE customer_id = $1 AND status IN ('unpaid', 'partially_paid')",
        ),
        [customer.0.into(), today.into()],
    ))
    .one(db)
    .await?;
    Ok(found.map(|f| (f.outstanding, f.overdue)).unwrap_or((0, 0)))
}
