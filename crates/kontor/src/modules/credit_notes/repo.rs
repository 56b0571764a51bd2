//! Queries on `credit_notes`, their items, `credit_applications` and
//! `credit_refunds`. Amounts cross this boundary as minor units.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money::{from_minor, minor_digits};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder,
};

use super::model::{
    Application, CreditNote, CreditNoteFilter, CreditNoteId, CreditNoteRow, Refund, Status,
};
use crate::{
    common::lines::{LineTable, StoredAmounts, discount},
    modules::{
        billing::model::PaymentModeId,
        customers::model::CustomerId,
        invoices::model::{DocumentBody, InvoiceId},
        staff::model::StaffId,
    },
};

pub mod notes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_notes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: i64,
        pub number: Option<String>,
        pub status: String,
        pub date: String,
        pub currency: String,
        pub discount_percent_bp: Option<i32>,
        pub discount_amount: Option<i64>,
        pub discount_after_tax: bool,
        pub adjustment: i64,
        pub subtotal: i64,
        pub discount_total: i64,
        pub tax_total: i64,
        pub total: i64,
        pub amount_applied: i64,
        pub amount_refunded: i64,
        pub invoice_id: Option<i64>,
        pub cancellation: bool,
        pub client_note: String,
        pub terms: String,
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

pub mod applications {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_applications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub credit_note_id: i64,
        pub invoice_id: i64,
        pub customer_id: i64,
        pub amount: i64,
        pub date: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod refunds {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_refunds")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub credit_note_id: i64,
        pub customer_id: i64,
        pub amount: i64,
        pub date: String,
        pub payment_mode_id: Option<i64>,
        pub note: String,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

fn parse_date(text: &str) -> NaiveDate {
    NaiveDate::parse_from_str(text, "%Y-%m-%d").unwrap_or_default()
}

fn fill(row: &mut notes::ActiveModel, d: &DocumentBody, now: DateTime<Utc>) -> Result<(), DbErr> {
    let a = StoredAmounts::of(d)?;
    row.date = Set(iso(d.date));
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
    row.updated_at = Set(now);
    Ok(())
}

async fn replace_items(
    db: &impl ConnectionTrait,
    id: CreditNoteId,
    d: &DocumentBody,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    LineTable::CreditNote.replace(db, id.0, d, now).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &DocumentBody,
    invoice: Option<InvoiceId>,
    cancellation: bool,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<CreditNoteId, DbErr> {
    let mut row = notes::ActiveModel {
        customer_id: Set(customer.0),
        number: Set(None),
        status: Set(Status::Draft.key().to_owned()),
        amount_applied: Set(0),
        amount_refunded: Set(0),
        invoice_id: Set(invoice.map(|i| i.0)),
        cancellation: Set(cancellation),
        created_by: Set(by.0),
        issued_at: Set(None),
        sent_at: Set(None),
        created_at: Set(now),
        ..Default::default()
    };
    fill(&mut row, d, now)?;
    let id = CreditNoteId(row.insert(db).await?.id);
    replace_items(db, id, d, now).await?;
    Ok(id)
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: CreditNoteId,
    d: &DocumentBody,
    invoice: Option<InvoiceId>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut row = notes::ActiveModel {
        id: Set(id.0),
        invoice_id: Set(invoice.map(|i| i.0)),
        ..Default::default()
    };
    fill(&mut row, d, now)?;
    row.update(db).await?;
    replace_items(db, id, d, now).await
}

#[derive(FromQueryResult)]
struct Number {
    number: Option<String>,
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: CreditNoteId,
) -> Result<Option<CreditNote>, DbErr> {
    let Some(m) = notes::Entity::find_by_id(id.0).one(db).await? else {
        return Ok(None);
    };
    let digits = minor_digits(&m.currency);
    let lines = LineTable::CreditNote.load(db, id.0, digits).await?;
    let invoice_number = match m.invoice_id {
        Some(invoice) => {
            let backend = db.get_database_backend();
            Number::find_by_statement(sea_orm::Statement::from_sql_and_values(
                backend,
                kernel::db::sql(backend, "SELECT number FROM invoices WHERE id = $1"),
                [invoice.into()],
            ))
            .one(db)
            .await?
            .and_then(|n| n.number)
        }
        None => None,
    };
    Ok(Some(CreditNote {
        id,
        number: m.number,
        customer_id: CustomerId(m.customer_id),
        status: Status::parse(&m.status).unwrap_or(Status::Draft),
        body: DocumentBody {
            date: parse_date(&m.date),
            due_date: None,
            items: lines,
            discount: discount(m.discount_percent_bp, m.discount_amount, digits),
            discount_after_tax: m.discount_after_tax,
            adjustment: from_minor(m.adjustment, digits),
            client_note: m.client_note,
            terms: m.terms,
            sales_agent_id: None,
            currency: m.currency,
        },
        invoice_id: m.invoice_id.map(InvoiceId),
        invoice_number,
        cancellation: m.cancellation,
        applied: from_minor(m.amount_applied, digits),
        refunded: from_minor(m.amount_refunded, digits),
        created_by: StaffId(m.created_by),
        issued_at: m.issued_at,
    }))
}

fn to_row(m: &notes::Model) -> CreditNoteRow {
    let status = Status::parse(&m.status).unwrap_or(Status::Draft);
    CreditNoteRow {
        id: CreditNoteId(m.id),
        number: m.number.clone(),
        status,
        date: parse_date(&m.date),
        currency: m.currency.clone(),
        total_minor: m.total,
        remaining_minor: if status == Status::Open {
            m.total - m.amount_applied - m.amount_refunded
        } else {
            0
        },
        cancellation: m.cancellation,
    }
}

/// The customer's credit notes that pass the filter, newest first.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    filter: &CreditNoteFilter,
) -> Result<Vec<(CreditNoteRow, StaffId)>, DbErr> {
    let mut q = notes::Entity::find().filter(notes::Column::CustomerId.eq(customer.0));
    if let Some(s) = filter.status {
        q = q.filter(notes::Column::Status.eq(s.key()));
    }
    // ISO dates order as text.
    if let Some(from) = filter.from {
        q = q.filter(notes::Column::Date.gte(from.format("%Y-%m-%d").to_string()));
    }
    if let Some(to) = filter.to {
        q = q.filter(notes::Column::Date.lte(to.format("%Y-%m-%d").to_string()));
    }
    Ok(q.order_by_desc(notes::Column::Date)
        .order_by_desc(notes::Column::Id)
        .all(db)
        .await?
        .iter()
        .map(|m| (to_row(m), StaffId(m.created_by)))
        .collect())
}

/// Whether the customer has any credit note, draft or issued.
pub async fn any_of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<bool, DbErr> {
    Ok(notes::Entity::find()
        .filter(notes::Column::CustomerId.eq(customer.0))
        .one(db)
        .await?
        .is_some())
}

pub async fn delete_draft(db: &impl ConnectionTrait, id: CreditNoteId) -> Result<u64, DbErr> {
    Ok(notes::Entity::delete_many()
        .filter(notes::Column::Id.eq(id.0))
        .filter(notes::Column::Status.eq(Status::Draft.key()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Turns a draft into an open credit note with its number; 0 when it was
/// no draft any more.
pub async fn mark_issued(
    db: &impl ConnectionTrait,
    id: CreditNoteId,
    number: &str,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(notes::Entity::update_many()
        .col_expr(notes::Column::Number, number.into())
        .col_expr(notes::Column::Status, Status::Open.key().into())
        .col_expr(notes::Column::IssuedAt, now.into())
        .col_expr(notes::Column::UpdatedAt, now.into())
        .filter(notes::Column::Id.eq(id.0))
        .filter(notes::Column::Status.eq(Status::Draft.key()))
        .exec(db)
        .await?
        .rows_affected)
}

/// Takes the note's row lock until the transaction ends (PostgreSQL; SQLite
/// serialises writers anyway), so credit is used one change after another.
pub async fn lock(db: &impl ConnectionTrait, id: CreditNoteId) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "UPDATE credit_notes SET updated_at = updated_at WHERE id = $1",
        ),
        [id.0.into()],
    ))
    .await?;
    Ok(())
}

pub async fn set_used(
    db: &impl ConnectionTrait,
    id: CreditNoteId,
    applied: i64,
    refunded: i64,
    status: Status,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    notes::Entity::update_many()
        .col_expr(notes::Column::AmountApplied, applied.into())
        .col_expr(notes::Column::AmountRefunded, refunded.into())
        .col_expr(notes::Column::Status, status.key().into())
        .col_expr(notes::Column::UpdatedAt, now.into())
        .filter(notes::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    Ok(())
}

// The clock joined an already long list; argument structs come with the module kit (issue 11).
#[allow(clippy::too_many_arguments)]
pub async fn insert_application(
    db: &impl ConnectionTrait,
    note: CreditNoteId,
    invoice: InvoiceId,
    customer: CustomerId,
    amount: i64,
    date: NaiveDate,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    applications::ActiveModel {
        credit_note_id: Set(note.0),
        invoice_id: Set(invoice.0),
        customer_id: Set(customer.0),
        amount: Set(amount),
        date: Set(iso(date)),
        created_by: Set(by.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct ApplicationRow {
    id: i64,
    credit_note_id: i64,
    invoice_id: i64,
    invoice_number: Option<String>,
    credit_note_number: Option<String>,
    amount: i64,
    date: String,
    currency: String,
}

/// Credit applied, with both numbers, for a note or for an invoice.
pub async fn applications(
    db: &impl ConnectionTrait,
    note: Option<CreditNoteId>,
    invoice: Option<InvoiceId>,
) -> Result<Vec<Application>, DbErr> {
    let backend = db.get_database_backend();
    let rows = ApplicationRow::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "SELECT a.id, a.credit_note_id, a.invoice_id, i.number AS invoice_number, \
               n.number AS credit_note_number, a.amount, a.date, n.currency \
             FROM credit_applications a JOIN invoices i ON i.id = a.invoice_id \
             JOIN credit_notes n ON n.id = a.credit_note_id \
             WHERE ($1 IS NULL OR a.credit_note_id = $1) AND ($2 IS NULL OR a.invoice_id = $2) \
             ORDER BY a.date, a.id",
        ),
        [note.map(|n| n.0).into(), invoice.map(|i| i.0).into()],
    ))
    .all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| Application {
            id: r.id,
            credit_note_id: CreditNoteId(r.credit_note_id),
            invoice_id: InvoiceId(r.invoice_id),
            invoice_number: r.invoice_number.unwrap_or_default(),
            credit_note_number: r.credit_note_number.unwrap_or_default(),
            amount: from_minor(r.amount, minor_digits(&r.currency)),
            date: parse_date(&r.date),
        })
        .collect())
}

#[derive(FromQueryResult)]
struct Sum {
    total: i64,
}

/// The credit applied to the invoice so far, in minor units.
pub async fn applied_to_invoice(
    db: &impl ConnectionTrait,
    invoice: InvoiceId,
) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    Ok(Sum::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "SELECT CAST(COALESCE(SUM(amount), 0) AS BIGINT) AS total FROM credit_applications WHERE invoice_id = $1",
        ),
        [invoice.0.into()],
    ))
    .one(db)
    .await?
    .map_or(0, |s| s.total))
}

#[allow(clippy::too_many_arguments)]
pub async fn insert_refund(
    db: &impl ConnectionTrait,
    note: CreditNoteId,
    customer: CustomerId,
    amount: i64,
    date: NaiveDate,
    mode: Option<PaymentModeId>,
    text: &str,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    refunds::ActiveModel {
        credit_note_id: Set(note.0),
        customer_id: Set(customer.0),
        amount: Set(amount),
        date: Set(iso(date)),
        payment_mode_id: Set(mode.map(|m| m.0)),
        note: Set(text.to_owned()),
        created_by: Set(by.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn refunds_of(
    db: &impl ConnectionTrait,
    note: CreditNoteId,
    currency: &str,
) -> Result<Vec<Refund>, DbErr> {
    let digits = minor_digits(currency);
    Ok(refunds::Entity::find()
        .filter(refunds::Column::CreditNoteId.eq(note.0))
        .order_by_asc(refunds::Column::Date)
        .order_by_asc(refunds::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Refund {
            id: r.id,
            amount: from_minor(r.amount, digits),
            date: parse_date(&r.date),
            payment_mode: r.payment_mode_id.map(PaymentModeId),
            note: r.note,
        })
        .collect())
}

/// The credit the customer still has on open credit notes, in minor units.
pub async fn available(db: &impl ConnectionTrait, customer: CustomerId) -> Result<i64, DbErr> {
    let backend = db.get_database_backend();
    Ok(Sum::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(
            backend,
            "SELECT CAST(COALESCE(SUM(total - amount_applied - amount_refunded), 0) AS BIGINT) AS total \
             FROM credit_notes WHERE customer_id = $1 AND status = 'open'",
        ),
        [customer.0.into()],
    ))
    .one(db)
    .await?
    .map_or(0, |s| s.total))
}
