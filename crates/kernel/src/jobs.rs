//! The in-process worker: every registered task runs on a fixed tick until
//! shutdown. Tasks claim their work with atomic updates in the database, so
//! any number of instances can run the worker side by side ([`Queue`]).
//! Tests call [`Worker::run_once`] instead of waiting for a tick.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use anyhow::Result;
use chrono::{DateTime, Utc};
use sea_orm::{ConnectionTrait, DbBackend, DbErr, FromQueryResult, Statement, Value};
use tokio::sync::watch;

use crate::db::sql;

/// A table whose due rows workers take in turns. Claiming a row sets its
/// lease column to when the lease ends, in one atomic UPDATE: another
/// worker (on any instance) skips the row until then, and PostgreSQL also
/// skips rows a concurrent claim holds locked. Whoever finishes a row
/// clears the lease with its own update (or [`Queue::release`] gives it
/// back for the next round); a worker that dies holding rows leaves them
/// to the next claim once the lease has run out.
pub struct Queue {
    pub table: &'static str,
    /// A nullable timestamp column: when the current claim runs out.
    pub lease: &'static str,
    pub lease_seconds: i64,
    /// When a row is due, in SQL on the table: `$2` is now, `$3`... are
    /// the values given to [`Queue::claim`].
    pub due: &'static str,
    pub order: &'static str,
    /// Further assignments made with the claim (`attempts = attempts + 1`).
    pub also: &'static str,
    /// The columns the claim returns.
    pub returning: &'static str,
}

impl Queue {
    /// Claims up to `limit` due rows that no live lease holds.
    pub async fn claim<T: FromQueryResult>(
        &self,
        db: &impl ConnectionTrait,
        now: DateTime<Utc>,
        values: Vec<Value>,
        limit: u64,
    ) -> Result<Vec<T>, DbErr> {
        let backend = db.get_database_backend();
        let lock = match backend {
            DbBackend::Postgres => " FOR UPDATE SKIP LOCKED",
            _ => "",
        };
        let Self {
            table,
            lease,
            due,
            order,
            also,
            returning,
            ..
        } = self;
        let limit_at = values.len() + 3;
        let text = format!(
            "UPDATE {table} SET {lease} = $1{also} WHERE id IN (\
               SELECT id FROM {table} WHERE ({due}) AND ({lease} IS NULL OR {lease} < $2) \
               ORDER BY {order} LIMIT ${limit_at}{lock}) RETURNING {returning}"
        );
        let until = now + chrono::Duration::seconds(self.lease_seconds);
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let bound: Vec<Value> = [until.into(), now.into()]
            .into_iter()
            .chain(values)
            .chain([limit.into()])
            .collect();
        T::find_by_statement(Statement::from_sql_and_values(
            backend,
            sql(backend, &text),
            bound,
        ))
        .all(db)
        .await
    }

    /// Gives a claimed row back (its step failed), so the next round takes
    /// it again instead of waiting out the lease.
    pub async fn release(&self, db: &impl ConnectionTrait, id: i64) -> Result<(), DbErr> {
        let backend = db.get_database_backend();
        let text = format!(
            "UPDATE {} SET {} = NULL WHERE id = $1",
            self.table, self.lease
        );
        db.execute_raw(Statement::from_sql_and_values(
            backend,
            sql(backend, &text),
            [id.into()],
        ))
        .await
        .map(drop)
    }
}

pub type TaskFuture = Pin<Box<dyn Future<Output = Result<usize>> + Send>>;
type TaskFn = Arc<dyn Fn() -> TaskFuture + Send + Sync>;

/// What one round of the worker did.
#[derive(Debug, Default)]
pub struct Round {
    pub done: usize,
    /// The tasks that failed, with their error chains.
    pub failed: Vec<(&'static str, String)>,
}

#[derive(Clone, Default)]
pub struct Worker {
    tasks: Vec<(&'static str, TaskFn)>,
}

impl Worker {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn task(
        mut self,
        name: &'static str,
        run: impl Fn() -> TaskFuture + Send + Sync + 'static,
    ) -> Self {
        self.tasks.push((name, Arc::new(run)));
        self
    }

    /// Runs every task once: how many items they processed and which
    /// tasks failed (each failure is logged; the task runs again next round).
    pub async fn run_once(&self) -> Round {
        let mut round = Round::default();
        for (name, run) in &self.tasks {
            match run().await {
                Ok(n) => round.done += n,
                Err(e) => {
                    tracing::error!(task = name, error = ?e, "worker task failed");
                    round.failed.push((name, format!("{e:#}")));
                }
            }
        }
        round
    }

    /// Runs the tasks every `tick`, and again at once while they find work,
    /// so a backlog drains without waiting a tick per batch.
    pub async fn run(self, tick: Duration, mut shutdown: watch::Receiver<bool>) {
        loop {
            let round = self.run_once().await;
            if *shutdown.borrow() {
                break;
            }
            if round.done > 0 {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(tick) => {}
                _ = shutdown.changed() => break,
            }
        }
    }
}
