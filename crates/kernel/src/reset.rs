//! One-time links (password reset, invitation): a random token in the
//! link, its SHA-256 in `password_resets` with an owner and an expiry. A
//! token works once.

use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use crate::{
    auth::{random_token, token_hash},
    db::sql,
};

/// How long a self-service reset waits before another mail goes out.
pub const RESEND_GAP: Duration = Duration::minutes(5);

/// Creates a token for `principal_kind`/`principal_id`, valid for
/// `lifetime`; every older unused token of the owner stops working.
pub async fn create(
    db: &impl ConnectionTrait,
    principal_kind: &str,
    principal_id: i64,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<String> {
    let token = random_token();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE password_resets SET used_at = $1, updated_at = $1 \
             WHERE principal_kind = $2 AND principal_id = $3 AND used_at IS NULL",
        ),
        [now.into(), principal_kind.into(), principal_id.into()],
    ))
    .await
    .context("void older one-time tokens")?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO password_resets (principal_kind, principal_id, token_hash, expires_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $5)",
        ),
        [principal_kind.into(), principal_id.into(), token_hash(&token).into(), (now + lifetime).into(), now.into()],
    ))
    .await
    .context("create one-time token")?;
    Ok(token)
}

/// [`create`] for "forgot password": `None` when the owner was sent a
/// token less than [`RESEND_GAP`] ago, so a flood of requests sends one
/// mail. Call it in a transaction that first locked the owner's row, so
/// concurrent requests take turns.
pub async fn create_unless_recent(
    db: &impl ConnectionTrait,
    principal_kind: &str,
    principal_id: i64,
    lifetime: Duration,
    now: DateTime<Utc>,
) -> Result<Option<String>> {
    let backend = db.get_database_backend();
    let recent = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT id FROM password_resets WHERE principal_kind = $1 AND principal_id = $2 AND created_at > $3 LIMIT 1",
            ),
            [principal_kind.into(), principal_id.into(), (now - RESEND_GAP).into()],
        ))
        .await
        .context("find a recent one-time token")?;
    if recent.is_some() {
        return Ok(None);
    }
    create(db, principal_kind, principal_id, lifetime, now)
        .await
        .map(Some)
}

#[derive(FromQueryResult)]
struct Row {
    principal_id: i64,
}

/// The owner of a live token, without using it up.
pub async fn peek(
    db: &impl ConnectionTrait,
    principal_kind: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let backend = db.get_database_backend();
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "SELECT principal_id FROM password_resets WHERE token_hash = $1 AND principal_kind = $2 AND used_at IS NULL AND expires_at > $3",
        ),
        [token_hash(token).into(), principal_kind.into(), now.into()],
    ))
    .one(db)
    .await
    .context("find one-time token")?
    .map(|r| r.principal_id))
}

/// Uses the token up and returns its owner; `None` when it is unknown,
/// expired or already used (also when two requests race for it).
pub async fn consume(
    db: &impl ConnectionTrait,
    principal_kind: &str,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<i64>> {
    let backend = db.get_database_backend();
    Ok(Row::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE password_resets SET used_at = $1, updated_at = $1 \
             WHERE token_hash = $2 AND principal_kind = $3 AND used_at IS NULL AND expires_at > $1 RETURNING principal_id",
        ),
        [now.into(), token_hash(token).into(), principal_kind.into()],
    ))
    .one(db)
    .await
    .context("use one-time token")?
    .map(|r| r.principal_id))
}
