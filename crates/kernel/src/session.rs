//! Server-side sessions in the database. The cookie holds a random token;
//! the table holds only its SHA-256, an owner (`principal_kind`, `id`) and
//! an expiry. Any instance can serve any request.

use crate::clock::Clock;
use anyhow::{Context, Result};
use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

use crate::{
    auth::{random_token, token_hash},
    db::sql,
};

#[derive(Clone, Debug, FromQueryResult)]
pub struct SessionRow {
    pub id: i64,
    pub principal_kind: String,
    pub principal_id: i64,
    pub parent_session_id: Option<i64>,
    pub totp_pending: bool,
    pub reauth_until: Option<DateTime<Utc>>,
    pub expires_at: DateTime<Utc>,
}

/// Creates a session and returns the token for the cookie. A session with
/// a `parent` (staff acting as a contact) ends when its parent ends.
pub async fn create(
    db: &impl ConnectionTrait,
    (principal_kind, principal_id): (&str, i64),
    parent: Option<i64>,
    totp_pending: bool,
    lifetime: Duration,
    ip: &str,
    now: DateTime<Utc>,
) -> Result<String> {
    let token = random_token();
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO sessions (token_hash, principal_kind, principal_id, parent_session_id, totp_pending, expires_at, ip, created_at, updated_at) \
             VALUES ($1, $2, $3, $8, $4, $5, $6, $7, $7)",
        ),
        [
            token_hash(&token).into(),
            principal_kind.into(),
            principal_id.into(),
            totp_pending.into(),
            (now + lifetime).into(),
            ip.into(),
            now.into(),
            parent.into(),
        ],
    ))
    .await
    .context("create session")?;
    Ok(token)
}

pub async fn find(
    db: &impl ConnectionTrait,
    token: &str,
    now: DateTime<Utc>,
) -> Result<Option<SessionRow>> {
    let backend = db.get_database_backend();
    SessionRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "SELECT id, principal_kind, principal_id, parent_session_id, totp_pending, reauth_until, expires_at \
             FROM sessions WHERE token_hash = $1 AND expires_at > $2",
        ),
        [token_hash(token).into(), now.into()],
    ))
    .one(db)
    .await
    .context("find session")
}

/// Marks the second factor as passed.
pub async fn complete_totp(db: &impl ConnectionTrait, id: i64, now: DateTime<Utc>) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE sessions SET totp_pending = $1, updated_at = $2 WHERE id = $3",
        ),
        [false.into(), now.into(), id.into()],
    ))
    .await
    .context("complete totp")?;
    Ok(())
}

/// Ends a session and the sessions opened from it.
pub async fn delete(db: &impl ConnectionTrait, token: &str) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "DELETE FROM sessions WHERE parent_session_id IN (SELECT id FROM sessions WHERE token_hash = $1)",
        ),
        [token_hash(token).into()],
    ))
    .await
    .context("delete child sessions")?;
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "DELETE FROM sessions WHERE token_hash = $1"),
        [token_hash(token).into()],
    ))
    .await
    .context("delete session")?;
    Ok(())
}

/// A live session by id (to check the parent of a child session).
pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<Option<SessionRow>> {
    let backend = db.get_database_backend();
    SessionRow::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "SELECT id, principal_kind, principal_id, parent_session_id, totp_pending, reauth_until, expires_at \
             FROM sessions WHERE id = $1 AND expires_at > $2",
        ),
        [id.into(), now.into()],
    ))
    .one(db)
    .await
    .context("find session by id")
}

/// Ends every session of a principal except `keep` (after a password change).
pub async fn delete_all_for(
    db: &impl ConnectionTrait,
    principal_kind: &str,
    principal_id: i64,
    keep: Option<i64>,
) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "DELETE FROM sessions WHERE principal_kind = $1 AND principal_id = $2 AND id <> $3",
        ),
        [
            principal_kind.into(),
            principal_id.into(),
            keep.unwrap_or(-1).into(),
        ],
    ))
    .await
    .context("delete sessions")?;
    Ok(())
}

/// Whether any bucket (an IP, an email, a person) saw `limit` or more
/// failed attempts in the last minute.
pub async fn throttled(
    db: &impl ConnectionTrait,
    buckets: &[&str],
    limit: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let since = now - Duration::minutes(1);
    for bucket in buckets {
        if recent_failures(db, bucket, since).await? >= limit {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Records one attempt's outcome in every bucket.
pub async fn record_attempts(
    db: &impl ConnectionTrait,
    buckets: &[&str],
    succeeded: bool,
    clock: &Clock,
) -> Result<()> {
    for bucket in buckets {
        record_attempt(db, bucket, succeeded, clock.now()).await?;
    }
    Ok(())
}

/// Counts recent failed logins for a throttle bucket (an IP or an email).
pub async fn recent_failures(
    db: &impl ConnectionTrait,
    bucket: &str,
    since: DateTime<Utc>,
) -> Result<i64> {
    #[derive(FromQueryResult)]
    struct Count {
        n: i64,
    }
    let backend = db.get_database_backend();
    let row = Count::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM login_attempts WHERE bucket = $1 AND succeeded = $2 AND created_at > $3",
        ),
        [bucket.into(), false.into(), since.into()],
    ))
    .one(db)
    .await
    .context("count login attempts")?;
    Ok(row.map(|r| r.n).unwrap_or(0))
}

pub async fn record_attempt(
    db: &impl ConnectionTrait,
    bucket: &str,
    succeeded: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(backend, "INSERT INTO login_attempts (bucket, succeeded, created_at, updated_at) VALUES ($1, $2, $3, $3)"),
        [bucket.into(), succeeded.into(), now.into()],
    ))
    .await
    .context("record login attempt")?;
    Ok(())
}

/// Remembers that the owner re-entered the password, until `until`.
pub async fn set_reauth(
    db: &impl ConnectionTrait,
    id: i64,
    until: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE sessions SET reauth_until = $1, updated_at = $2 WHERE id = $3",
        ),
        [until.into(), now.into(), id.into()],
    ))
    .await
    .context("set reauth")?;
    Ok(())
}

/// Whether a bucket ever saw a successful attempt (a known device).
pub async fn ever_succeeded(db: &impl ConnectionTrait, bucket: &str) -> Result<bool> {
    let backend = db.get_database_backend();
    let row = db
        .query_one_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT id FROM login_attempts WHERE bucket = $1 AND succeeded = $2 LIMIT 1",
            ),
            [bucket.into(), true.into()],
        ))
        .await
        .context("find a known device")?;
    Ok(row.is_some())
}

/// Deletes the failed attempts of one bucket and of the buckets in
/// `[from, until)`.
pub async fn delete_failures(
    db: &impl ConnectionTrait,
    bucket: &str,
    from: &str,
    until: &str,
) -> Result<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "DELETE FROM login_attempts WHERE succeeded = $1 AND (bucket = $2 OR (bucket >= $3 AND bucket < $4))",
        ),
        [false.into(), bucket.into(), from.into(), until.into()],
    ))
    .await
    .context("clear login failures")?;
    Ok(())
}

/// Removes what has run out: expired sessions, failed attempts older than
/// a day, and known devices not seen for 90 days. How many rows went.
pub async fn purge(db: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let backend = db.get_database_backend();
    let sessions = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, "DELETE FROM sessions WHERE expires_at <= $1"),
            [now.into()],
        ))
        .await
        .context("purge sessions")?
        .rows_affected();
    let attempts = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "DELETE FROM login_attempts WHERE (succeeded = $1 AND created_at < $2) OR created_at < $3",
            ),
            [
                false.into(),
                (now - Duration::days(1)).into(),
                (now - Duration::days(90)).into(),
            ],
        ))
        .await
        .context("purge login attempts")?
        .rows_affected();
    Ok(sessions + attempts)
}
