//! The in-process worker: every registered task runs on a fixed tick until
//! shutdown. Tasks claim their work with atomic updates in the database, so
//! any number of instances can run the worker side by side. Tests call
//! [`Worker::run_once`] instead of waiting for a tick.

use std::{future::Future, pin::Pin, sync::Arc, time::Duration};

use anyhow::Result;
use tokio::sync::watch;

pub type TaskFuture = Pin<Box<dyn Future<Output = Result<usize>> + Send>>;
type TaskFn = Arc<dyn Fn() -> TaskFuture + Send + Sync>;

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

    /// Runs every task once; returns how many items they processed.
    pub async fn run_once(&self) -> usize {
        let mut done = 0;
        for (name, run) in &self.tasks {
            match run().await {
                Ok(n) => done += n,
                Err(e) => tracing::error!(task = name, error = ?e, "worker task failed"),
            }
        }
        done
    }

    /// Runs the tasks every `tick`, and again at once while they find work,
    /// so a backlog drains without waiting a tick per batch.
    pub async fn run(self, tick: Duration, mut shutdown: watch::Receiver<bool>) {
        loop {
            let done = self.run_once().await;
            if *shutdown.borrow() {
                break;
            }
            if done > 0 {
                continue;
            }
            tokio::select! {
                _ = tokio::time::sleep(tick) => {}
                _ = shutdown.changed() => break,
            }
        }
    }
}
