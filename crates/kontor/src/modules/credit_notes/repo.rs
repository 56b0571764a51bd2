//! Queries on `credit_notes`, their items, `credit_applications` and
//! `credit_refunds`. Amounts cross this boundary as minor units.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money::{from_minor, minor_digits};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QueryResult,
};

use super::{
    model::{Application, CreditNote, CreditNoteId, CreditNoteRow, Refund, Status},
    service::KIND,
};
use crate::{
    common::{
        documents::{
            body::DocumentBody,
            store::{self, Extra, Listed},
        },
        ids::{CustomerId, StaffId},
    },
    modules::{billing::model::PaymentModeId, invoices::model::InvoiceId},
};

/// The columns of `credit_notes` this module writes itself; the header
/// columns every document has are the document core's (`store`).
pub mod notes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "credit_notes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub status: String,
        pub amount_applied: i64,
        pub amount_refunded: i64,
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

#[allow(clippy::too_many_arguments)]
pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &DocumentBody,
    invoice: Option<InvoiceId>,
    cancellation: bool,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<CreditNoteId, DbErr> {
    let extra = vec![
        ("invoice_id", invoice.map(|i| i.0).into()),
        ("cancellation", cancellation.into()),
    ];
    Ok(CreditNoteId(
        store::insert(db, &KIND, customer, d, by, extra, now).await?,
    ))
}

/// The invoice a draft refers to, as the core writes it with the body.
pub fn invoice_column(invoice: Option<InvoiceId>) -> Extra {
    vec![("invoice_id", invoice.map(|i| i.0).into())]
}

#[derive(FromQueryResult)]
struct Number {
    number: Option<String>,
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: CreditNoteId,
) -> Result<Option<CreditNote>, DbErr> {
    let Some((head, row)) = store::find(db, &KIND, id.0).await? else {
        return Ok(None);
    };
    let digits = minor_digits(&head.body.currency);
    let invoice: Option<i64> = row.try_get("", "invoice_id")?;
    let invoice_number = match invoice {
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
        number: head.number,
        customer_id: head.customer_id,
        status: Status::parse(&head.status).unwrap_or(Status::Draft),
        body: head.body,
        invoice_id: invoice.map(InvoiceId),
        invoice_number,
        cancellation: row.try_get("", "cancellation")?,
        applied: from_minor(row.try_get("", "amount_applied")?, digits),
        refunded: from_minor(row.try_get("", "amount_refunded")?, digits),
        created_by: head.created_by,
        issued_at: head.issued_at,
        sent_at: head.sent_at,
    }))
}

/// A line of the list from the document core's, with the credit left.
pub fn to_row(l: Listed, row: &QueryResult) -> Result<CreditNoteRow, DbErr> {
    let status = Status::parse(&l.status).unwrap_or(Status::Draft);
    let used = |column: &str| row.try_get::<i64>("", column);
    Ok(CreditNoteRow {
        id: CreditNoteId(l.id),
        number: l.number,
        status,
        date: l.date,
        currency: l.currency,
        total_minor: l.total_minor,
        remaining_minor: if status == Status::Open {
            l.total_minor - used("amount_applied")? - used("amount_refunded")?
        } else {
            0
        },
        cancellation: row.try_get("", "cancellation")?,
    })
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
