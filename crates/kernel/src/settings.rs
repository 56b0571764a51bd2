//! Installation settings changed at run time (as opposed to the start-up
//! [`crate::config::Config`]): named text values in the `settings` table.

use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbErr, FromQueryResult, Statement};

use crate::db::sql;

#[derive(FromQueryResult)]
struct Value {
    value: String,
}

#[derive(FromQueryResult)]
struct Pair {
    key: String,
    value: String,
}

/// Every setting whose name starts with `prefix`, by the rest of its name.
pub async fn with_prefix(
    db: &impl ConnectionTrait,
    prefix: &str,
) -> Result<std::collections::HashMap<String, String>, DbErr> {
    let backend = db.get_database_backend();
    Ok(Pair::find_by_statement(Statement::from_string(
        backend,
        "SELECT key, value FROM settings",
    ))
    .all(db)
    .await?
    .into_iter()
    .filter_map(|p| {
        p.key
            .strip_prefix(prefix)
            .map(|rest| (rest.to_string(), p.value))
    })
    .collect())
}

pub async fn get(db: &impl ConnectionTrait, key: &str) -> Result<Option<String>, DbErr> {
    let backend = db.get_database_backend();
    Ok(Value::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(backend, "SELECT value FROM settings WHERE key = $1"),
        [key.into()],
    ))
    .one(db)
    .await?
    .map(|v| v.value))
}

pub async fn get_bool(db: &impl ConnectionTrait, key: &str) -> Result<bool, DbErr> {
    Ok(get(db, key).await?.is_some_and(|v| v == "true"))
}

pub async fn set(
    db: &impl ConnectionTrait,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO settings (key, value, created_at, updated_at) VALUES ($1, $2, $3, $3) \
             ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
        ),
        [key.into(), value.into(), now.into()],
    ))
    .await?;
    Ok(())
}

/// Sets `key` to `value` unless it holds that value already; whether this
/// call changed it. Instances sharing a database use it to agree which one
/// does a piece of work once (a day's backup).
pub async fn claim(
    db: &impl ConnectionTrait,
    key: &str,
    value: &str,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    let backend = db.get_database_backend();
    let done = db
        .execute_raw(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "INSERT INTO settings (key, value, created_at, updated_at) VALUES ($1, $2, $3, $3) \
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at \
                 WHERE settings.value <> excluded.value",
            ),
            [key.into(), value.into(), now.into()],
        ))
        .await?;
    Ok(done.rows_affected() == 1)
}
