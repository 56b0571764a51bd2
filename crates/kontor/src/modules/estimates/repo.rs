//! Queries on `estimates` beyond the document core's: the answer, the
//! invoice an estimate became, the open amount. Amounts cross as minor
//! units.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryResult, Statement, Value};

use super::{
    model::{Estimate, EstimateId, EstimateRow, Status},
    service::KIND,
};
use crate::{
    common::documents::{
        accept,
        store::{self, Listed},
    },
    modules::invoices::model::InvoiceId,
};

fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    Statement::from_sql_and_values(backend, kernel::db::sql(backend, sql), values)
}

#[derive(FromQueryResult)]
struct Number {
    number: Option<String>,
}

pub async fn find(db: &impl ConnectionTrait, id: EstimateId) -> Result<Option<Estimate>, DbErr> {
    let Some((head, row)) = store::find(db, &KIND, id.0).await? else {
        return Ok(None);
    };
    let invoice: Option<i64> = row.try_get("", "invoice_id")?;
    let invoice = match invoice {
        Some(invoice) => {
            let number = Number::find_by_statement(statement(
                db,
                "SELECT number FROM invoices WHERE id = $1",
                vec![invoice.into()],
            ))
            .one(db)
            .await?
            .and_then(|n| n.number);
            Some((InvoiceId(invoice), number))
        }
        None => None,
    };
    let (accepted, declined) = accept::answer_of(&row)?;
    Ok(Some(Estimate {
        id,
        number: head.number,
        customer_id: head.customer_id,
        status: Status::parse(&head.status).unwrap_or(Status::Draft),
        body: head.body,
        created_by: head.created_by,
        issued_at: head.issued_at,
        sent_at: head.sent_at,
        public_token: row.try_get("", "public_token")?,
        accepted,
        declined_at: declined.as_ref().map(|d| d.at),
        decline_reason: declined.map(|d| d.reason).unwrap_or_default(),
        invoice,
    }))
}

/// A line of the list from the document core's.
pub fn to_row(l: Listed, row: &QueryResult) -> Result<EstimateRow, DbErr> {
    Ok(EstimateRow {
        id: EstimateId(l.id),
        number: l.number,
        status: Status::parse(&l.status).unwrap_or(Status::Draft),
        date: l.date,
        expiry_date: l.due_date,
        currency: l.currency,
        total_minor: l.total_minor,
        invoice_id: row.try_get::<Option<i64>>("", "invoice_id")?.map(InvoiceId),
    })
}

/// Links the estimate to the invoice made of it; 0 when it was converted
/// already.
pub async fn set_invoice(
    db: &impl ConnectionTrait,
    id: EstimateId,
    invoice: InvoiceId,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(db
        .execute_raw(statement(
            db,
            "UPDATE estimates SET invoice_id = $1, updated_at = $2 WHERE id = $3 AND invoice_id IS NULL",
            vec![invoice.0.into(), now.into(), id.0.into()],
        ))
        .await?
        .rows_affected())
}

#[derive(FromQueryResult)]
struct Sum {
    total: i64,
}

/// The total of the customer's open (sent, unanswered) estimates, in
/// minor units of its currency (every estimate is in it); only those `own`
/// created or is agent of when given.
pub async fn open_total(
    db: &impl ConnectionTrait,
    customer: i64,
    own: Option<i64>,
) -> Result<i64, DbErr> {
    Ok(Sum::find_by_statement(statement(
        db,
        "SELECT CAST(COALESCE(SUM(total), 0) AS BIGINT) AS total FROM estimates \
         WHERE customer_id = $1 AND status = 'sent' \
         AND ($2 IS NULL OR created_by = $2 OR sales_agent_id = $2)",
        vec![customer.into(), own.into()],
    ))
    .one(db)
    .await?
    .map_or(0, |s| s.total))
}
