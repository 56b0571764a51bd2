//! Queries on `proposals` beyond the document core's: its own columns, the
//! documents made of it, and its comments.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, QueryResult, Statement, Value};

use super::{
    model::{Comment, Made, Proposal, ProposalId, ProposalRow, Status, Target},
    service::KIND,
};
use crate::{
    common::documents::{
        accept,
        store::{self, Listed},
    },
    modules::{estimates::model::EstimateId, invoices::model::InvoiceId},
};

fn statement(db: &impl ConnectionTrait, sql: &str, values: Vec<Value>) -> Statement {
    let backend = db.get_database_backend();
    Statement::from_sql_and_values(backend, kernel::db::sql(backend, sql), values)
}

#[derive(FromQueryResult)]
struct Number {
    number: Option<String>,
}

/// The document `id` of `table` made of the proposal, with its number.
async fn made<Id>(
    db: &impl ConnectionTrait,
    table: Target,
    id: Option<i64>,
    wrap: fn(i64) -> Id,
) -> Result<Made<Id>, DbErr> {
    let Some(id) = id else {
        return Ok(None);
    };
    let sql = match table {
        Target::Estimate => "SELECT number FROM estimates WHERE id = $1",
        Target::Invoice => "SELECT number FROM invoices WHERE id = $1",
    };
    let number = Number::find_by_statement(statement(db, sql, vec![id.into()]))
        .one(db)
        .await?
        .and_then(|n| n.number);
    Ok(Some((wrap(id), number)))
}

pub async fn find(db: &impl ConnectionTrait, id: ProposalId) -> Result<Option<Proposal>, DbErr> {
    let Some((head, row)) = store::find(db, &KIND, id.0).await? else {
        return Ok(None);
    };
    let estimate = made(
        db,
        Target::Estimate,
        row.try_get("", "estimate_id")?,
        EstimateId,
    )
    .await?;
    let invoice = made(
        db,
        Target::Invoice,
        row.try_get("", "invoice_id")?,
        InvoiceId,
    )
    .await?;
    let (accepted, declined) = accept::answer_of(&row)?;
    Ok(Some(Proposal {
        id,
        number: head.number,
        customer_id: head.customer_id,
        status: Status::parse(&head.status).unwrap_or(Status::Draft),
        subject: row.try_get("", "subject")?,
        content: row.try_get("", "content")?,
        body: head.body,
        created_by: head.created_by,
        issued_at: head.issued_at,
        sent_at: head.sent_at,
        public_token: row.try_get("", "public_token")?,
        accepted,
        declined_at: declined.as_ref().map(|d| d.at),
        decline_reason: declined.map(|d| d.reason).unwrap_or_default(),
        estimate,
        invoice,
    }))
}

/// A line of the list from the document core's.
pub fn to_row(l: Listed, row: &QueryResult) -> Result<ProposalRow, DbErr> {
    Ok(ProposalRow {
        id: ProposalId(l.id),
        number: l.number,
        subject: row.try_get("", "subject")?,
        status: Status::parse(&l.status).unwrap_or(Status::Draft),
        date: l.date,
        open_till: l.due_date,
        currency: l.currency,
        total_minor: l.total_minor,
    })
}

/// Links the proposal to the document made of it; 0 when one was made
/// already.
pub async fn set_made(
    db: &impl ConnectionTrait,
    id: ProposalId,
    (to, made): (Target, i64),
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let sql = match to {
        Target::Estimate => {
            "UPDATE proposals SET estimate_id = $1, updated_at = $2 WHERE id = $3 AND estimate_id IS NULL"
        }
        Target::Invoice => {
            "UPDATE proposals SET invoice_id = $1, updated_at = $2 WHERE id = $3 AND invoice_id IS NULL"
        }
    };
    Ok(db
        .execute_raw(statement(
            db,
            sql,
            vec![made.into(), now.into(), id.0.into()],
        ))
        .await?
        .rows_affected())
}

#[derive(FromQueryResult)]
struct CommentRow {
    id: i64,
    author_kind: String,
    author_name: String,
    body: String,
    created_at: DateTime<Utc>,
}

/// The proposal's comments, oldest first.
pub async fn comments(db: &impl ConnectionTrait, id: ProposalId) -> Result<Vec<Comment>, DbErr> {
    Ok(CommentRow::find_by_statement(statement(
        db,
        "SELECT id, author_kind, author_name, body, created_at FROM proposal_comments \
         WHERE proposal_id = $1 ORDER BY id",
        vec![id.0.into()],
    ))
    .all(db)
    .await?
    .into_iter()
    .map(|c| Comment {
        id: c.id,
        author_kind: c.author_kind,
        author_name: c.author_name,
        body: c.body,
        created_at: c.created_at,
    })
    .collect())
}

/// Adds a comment by `(kind, id, name)` of its author.
pub async fn add_comment(
    db: &impl ConnectionTrait,
    id: ProposalId,
    (kind, author, name): (&str, Option<i64>, &str),
    body: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    db.execute_raw(statement(
        db,
        "INSERT INTO proposal_comments (proposal_id, author_kind, author_id, author_name, body, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
        vec![
            id.0.into(),
            kind.into(),
            author.into(),
            name.into(),
            body.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}
