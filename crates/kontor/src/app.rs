//! Building the application: state, router, worker and the server loop.

use std::{net::SocketAddr, sync::Arc, time::Duration};

use anyhow::{Context, Result};
use axum::{Router, extract::DefaultBodyLimit, middleware, routing::get, serve::ListenerExt};
use kernel::{clock::Clock, config::Config, geocode::Geocoder, jobs::Worker, mail::Mailer};
use migration::{Migrator, MigratorTrait};
use tokio::{net::TcpListener, sync::watch};
use tower_http::{compression::CompressionLayer, trace::TraceLayer};

use crate::{
    http::{self, metrics::Metrics},
    modules::{MODULES, staff},
    state::AppState,
};

/// Connects, migrates and creates the first admin when there is no staff
/// (what `serve` does on a fresh install).
pub async fn init(config: Config) -> Result<AppState> {
    let clock = Clock::system(config.timezone);
    init_with_clock(config, clock).await
}

/// [`init`] with a given clock (tests hold a settable one).
pub async fn init_with_clock(config: Config, clock: Clock) -> Result<AppState> {
    let state = open_with_clock(config, clock).await?;
    if let Some((email, password)) =
        staff::service::ensure_first_admin(&state.db, &state.config, &state.clock).await?
    {
        match password {
            Some(p) => println!(
                "\nKontor: first start. Log in at {}/login as {email} with the one-time password {p}\n(change it under Account; set KONTOR_ADMIN_EMAIL/KONTOR_ADMIN_PASSWORD to choose them).\n",
                state.config.base_url
            ),
            None => println!(
                "\nKontor: first start. Log in at {}/login as {email}.\n",
                state.config.base_url
            ),
        }
    }
    Ok(state)
}

/// Connects and migrates, and nothing else: for the commands that must not
/// create anyone (`migrate`, `staff create`, `token create`, `restore`).
pub async fn open(config: Config) -> Result<AppState> {
    let clock = Clock::system(config.timezone);
    open_with_clock(config, clock).await
}

async fn open_with_clock(config: Config, clock: Clock) -> Result<AppState> {
    let db = kernel::db::connect(config.database_url.expose()).await?;
    Migrator::up(&db, None).await.context("run migrations")?;
    let mailer = Mailer::from_config(&config)?;
    let geocoder = config
        .geocoder_url
        .as_deref()
        .map(Geocoder::new)
        .transpose()?;
    let vault_key = crate::modules::vault::service::open_key(&db, &config, &clock).await?;
    let storage = kernel::storage::Storage::open(&config)?;
    let state = AppState {
        db,
        config: Arc::new(config),
        mailer,
        geocoder,
        metrics: Arc::new(Metrics::default()),
        vault_key,
        storage,
        pdf: crate::common::documents::renderer()?,
        clock,
    };
    Ok(state)
}

pub fn router(state: AppState) -> Router {
    let mut html = Router::new();
    let mut api = Router::new().route("/openapi.json", get(crate::api::openapi::document));
    for module in MODULES {
        html = html.merge((module.html)());
        api = api.merge((module.api)());
    }
    let html = html
        .layer(middleware::from_fn(http::errors::html))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::csrf::protect,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::identity::html,
        ));
    let api = api
        .fallback(|| async { kernel::AppError::NotFound })
        .layer(middleware::from_fn(http::errors::api))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::identity::api,
        ));
    Router::new()
        .route("/healthz", get(healthz))
        .route("/metrics", get(http::metrics::show))
        .route("/static/{*path}", get(http::assets::serve))
        .nest("/api/v1", api)
        .merge(html)
        // Extractors honour this limit; upload routes lift it and count
        // each file's bytes while streaming instead.
        .layer(DefaultBodyLimit::max(state.config.max_body_bytes))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::limits::body,
        ))
        .layer(CompressionLayer::new())
        .layer(middleware::from_fn_with_state(
            http::security::Policy::new(&state.config),
            http::security::headers,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            http::metrics::track,
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

async fn healthz(
    axum::extract::State(state): axum::extract::State<AppState>,
) -> impl axum::response::IntoResponse {
    use sea_orm::ConnectionTrait;
    match state.db.execute_unprepared("SELECT 1").await {
        Ok(_) => (axum::http::StatusCode::OK, "ok"),
        Err(_) => (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            "database unavailable",
        ),
    }
}

/// The background tasks of every instance: the modules' jobs, then the
/// app's own housekeeping, then the outbox (so mail a job queued leaves
/// in the same round).
pub fn worker(state: &AppState) -> Worker {
    let s = state.clone();
    let p = state.clone();
    let b = state.clone();
    let last_purge = Arc::new(std::sync::atomic::AtomicI64::new(0));
    let worker = crate::modules::jobs().fold(Worker::new(), |worker, job| {
        let state = state.clone();
        worker.task(job.name, move || (job.run)(state.clone()))
    });
    worker
        .task("expired sessions", move || {
            let p = p.clone();
            let last = last_purge.clone();
            Box::pin(async move {
                // Every ten minutes is often enough; the tables are only
                // scanned when that much time has passed on the app's clock.
                let now = p.clock.now();
                let previous = last.load(std::sync::atomic::Ordering::Relaxed);
                if now.timestamp() - previous >= 600 {
                    last.store(now.timestamp(), std::sync::atomic::Ordering::Relaxed);
                    let purged = kernel::session::purge(&p.db, now).await?;
                    tracing::debug!(purged, "expired sessions and login attempts removed");
                }
                // Housekeeping is not work: it must not keep the worker spinning.
                Ok(0)
            })
        })
        .task("daily backup", move || {
            let b = b.clone();
            // Written once a day, not work that keeps the worker spinning.
            Box::pin(async move { crate::backup::scheduled(&b).await.map(|_| 0) })
        })
        .task("outbox", move || {
            let s = s.clone();
            Box::pin(async move {
                let sent = kernel::mail::drain(&s.db, &s.mailer, &s.storage, &s.clock).await?;
                s.metrics.record_mails(sent);
                Ok(sent)
            })
        })
}

/// Serves until `shutdown` flips, then finishes in-flight requests; the
/// background worker runs beside it.
pub async fn serve(
    state: AppState,
    listener: TcpListener,
    shutdown: watch::Receiver<bool>,
) -> Result<()> {
    let worker = worker(&state);
    let worker_task = tokio::spawn(worker.run(Duration::from_secs(2), shutdown.clone()));
    let served = serve_requests(state, listener, shutdown).await;
    let _ = worker_task.await;
    served
}

/// Serves requests only: tests run the background work themselves
/// (`run_pending_jobs`), at the moment the story needs it, never halfway
/// through a test's setup.
pub async fn serve_requests(
    state: AppState,
    listener: TcpListener,
    mut shutdown: watch::Receiver<bool>,
) -> Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    // Without TCP_NODELAY a response's last small segment waits for the
    // client's delayed ACK on a kept-alive connection (~40 ms per download).
    let listener = listener.tap_io(|tcp| {
        if let Err(e) = tcp.set_nodelay(true) {
            tracing::warn!(error = %e, "could not set TCP_NODELAY");
        }
    });
    axum::serve(listener, app)
        .with_graceful_shutdown(async move {
            let _ = shutdown.wait_for(|stop| *stop).await;
        })
        .await
        .context("serve")
}
