//! The in-process worker: every registered task runs on a fixed tick until
//! shutdown. Tasks claim their work with atomic updates in the database, so
//! any number of instances can run the worker side by side. Tests call
//! [`Worker::run_once`] instead of waiting for a tick.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use anyhow::Result;
use tokio::sync::watch;

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
