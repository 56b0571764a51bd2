//! Connecting to SQLite or PostgreSQL behind one SeaORM connection.

use std::time::Duration;

use anyhow::{Context, Result};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
    sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous},
};

/// Opens the database. SQLite files are created (with their directory) on
/// first use and switched to WAL so readers never wait for the writer.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    if let Some(path) = url.strip_prefix("sqlite://") {
        let file = path.split('?').next().unwrap_or(path);
        if let Some(dir) = std::path::Path::new(file)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
        }
    }
    let mut options = ConnectOptions::new(url.to_string());
    options
        .max_connections(if url.starts_with("sqlite:") { 8 } else { 16 })
        .min_connections(1)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30))
        .sqlx_logging(false)
        // Every connection of the pool, not just the first: WAL, foreign
        // keys, and reads through a memory map of the file (lists that
        // touch thousands of rows then cost no system call per page).
        .map_sqlx_sqlite_opts(|o| {
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .pragma("mmap_size", "268435456")
        });
    Database::connect(options)
        .await
        .context("connect to database")
}

/// Begins a transaction that writes. SQLite takes the write lock at once
/// (`BEGIN IMMEDIATE`, waiting for another writer as long as the busy
/// timeout allows): a transaction that read first would fail with
/// "database is locked" at its first write once another writer had
/// committed in between. PostgreSQL begins as usual.
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, DbErr> {
    db.begin_with_options(TransactionOptions {
        sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
        ..Default::default()
    })
    .await
}

/// A case-insensitive LIKE pattern for user search input, with the
/// wildcard characters of the input escaped (use with `ESCAPE '\'`).
pub fn like_pattern(input: &str) -> String {
    let mut out = String::with_capacity(input.len() + 2);
    out.push('%');
    for c in input.trim().to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(like_pattern(" 50%_A "), "%50\\%\\_a%");
    }
}

/// SQL is written once with PostgreSQL's `$n` placeholders; SQLite gets the
/// equivalent numbered `?n` form. Values are always bound, never spliced.
pub fn sql(backend: sea_orm::DbBackend, text: &str) -> String {
    if backend == sea_orm::DbBackend::Postgres {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '$' && chars.peek().is_some_and(|n| n.is_ascii_digit()) {
            out.push('?');
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod sql_tests {
    use sea_orm::DbBackend;

    use super::*;

    #[test]
    fn placeholders_follow_the_backend() {
        let text = "SELECT 1 WHERE a = $1 AND b = $12";
        assert_eq!(
            sql(DbBackend::Sqlite, text),
            "SELECT 1 WHERE a = ?1 AND b = ?12"
        );
        assert_eq!(sql(DbBackend::Postgres, text), text);
    }
}
