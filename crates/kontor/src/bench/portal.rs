//! `kontor bench --suite portal`: the portal and the files, vault and
//! reminders tabs on demo customers with attachments, the throughput of a
//! 20 MB upload and download, and how fast the worker notifies 10,000
//! reminders that fall due at once (two workers racing, as two instances
//! would).

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::{body::Body, http::Request};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{FromQueryResult, Statement};
use tokio::sync::watch;
use tower::ServiceExt;

use super::{Scenario, admin_session, ensure_customers, measure};
use crate::{
    app,
    demo::{self, Attachments},
    http::identity::SESSION_COOKIE,
    modules::{
        contacts::service::PORTAL,
        customers::model::CustomerId,
        portal::model::COOKIE as PORTAL_COOKIE,
        reminders::{model::ReminderData, service as reminders},
        staff::service as staff,
    },
    state::AppState,
};

const UPLOAD_BYTES: usize = 20 * 1024 * 1024;
const DUE_AT_ONCE: usize = 10_000;

#[derive(FromQueryResult)]
struct Id {
    id: i64,
}

#[derive(FromQueryResult)]
struct Count {
    n: i64,
}

async fn count(state: &AppState, text: &str, marker: &str) -> Result<i64> {
    let backend = state.db.get_database_backend();
    Ok(Count::find_by_statement(Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, text),
        [marker.into()],
    ))
    .one(&state.db)
    .await?
    .map(|c| c.n)
    .unwrap_or(0))
}

pub async fn run(state: AppState, customers: u64, samples: usize) -> Result<()> {
    let (lo, hi, n) = ensure_customers(&state, customers).await?;
    demo::attachments(
        &state,
        &Attachments {
            files: 20,
            vault: 10,
            reminders: 20,
        },
    )
    .await?;
    let token = admin_session(&state).await?;
    let staff_cookie = format!("{SESSION_COOKIE}={token}");
    let portal_cookies = portal_sessions(&state, lo, hi, 100).await?;
    let staff_get = move |path: String| -> Result<Request<Body>> {
        Ok(Request::get(path)
            .header("cookie", &staff_cookie)
            .body(Body::empty())?)
    };
    let portal_get = move |r: &mut StdRng, path: &str| -> Result<Request<Body>> {
        let cookie = &portal_cookies[r.gen_range(0..portal_cookies.len())];
        Ok(Request::get(path)
            .header("cookie", cookie)
            .body(Body::empty())?)
    };
    let tab = |name: &'static str, tab: &'static str| -> Scenario {
        let get = staff_get.clone();
        (
            name,
            Box::new(move |r, _| get(format!("/customers/{}/{tab}", r.gen_range(lo..=hi)))),
        )
    };
    let page = |name: &'static str, path: &'static str| -> Scenario {
        let get = portal_get.clone();
        (name, Box::new(move |r, _| get(r, path)))
    };
    let scenarios = vec![
        page("portal dashboard", "/portal"),
        page("portal files", "/portal/files"),
        page("portal vault", "/portal/vault"),
        tab("files tab (20 files)", "files"),
        tab("vault tab (10 entries)", "vault"),
        tab("reminders tab (20 reminders)", "reminders"),
    ];
    println!(
        "\n{n} customers with 20 files, 10 vault entries and 20 reminders each on {:?}, {samples} requests per row\n",
        state.db.get_database_backend()
    );
    let router = app::router(state.clone());
    measure(&router, scenarios, samples).await?;
    throughput(&state, &router, lo).await?;
    kernel::session::delete(&state.db, &token).await?;
    worker_latency(&state, lo, hi).await
}

/// Portal sessions of the primary contacts of `count` random customers.
async fn portal_sessions(state: &AppState, lo: i64, hi: i64, count: usize) -> Result<Vec<String>> {
    let backend = state.db.get_database_backend();
    let mut rng = StdRng::seed_from_u64(11);
    let mut cookies = Vec::with_capacity(count);
    while cookies.len() < count {
        let customer = rng.gen_range(lo..=hi);
        let found = Id::find_by_statement(Statement::from_sql_and_values(
            backend,
            kernel::db::sql(
                backend,
                "SELECT id FROM contacts WHERE customer_id = $1 AND is_primary AND active",
            ),
            [customer.into()],
        ))
        .one(&state.db)
        .await?;
        if let Some(Id { id }) = found {
            let token = kernel::session::create(
                &state.db,
                (PORTAL, id),
                None,
                false,
                chrono::Duration::hours(1),
                "bench",
                state.clock.now(),
            )
            .await?;
            cookies.push(format!("{PORTAL_COOKIE}={token}"));
        }
    }
    Ok(cookies)
}

/// Uploads and downloads a 20 MB file through the API five times each.
async fn throughput(state: &AppState, router: &axum::Router, customer: i64) -> Result<()> {
    let admin = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    let api_token = staff::create_token(&state.db, admin, "bench", &state.clock).await?;
    let mut payload = vec![0u8; UPLOAD_BYTES];
    StdRng::seed_from_u64(3).fill(&mut payload[..]);
    let boundary = "kontor-bench-boundary";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"customer_id\"\r\n\r\n{customer}\r\n\
         --{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"bench.bin\"\r\n\
         Content-Type: application/octet-stream\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(&payload);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let body = bytes::Bytes::from(body);
    let mb = UPLOAD_BYTES as f64 / (1024.0 * 1024.0);
    let (mut up, mut down) = (Vec::new(), Vec::new());
    for _ in 0..5 {
        let request = Request::post("/api/v1/files")
            .header("authorization", format!("Bearer {api_token}"))
            .header(
                "content-type",
                format!("multipart/form-data; boundary={boundary}"),
            )
            .header("content-length", body.len())
            .body(Body::from(body.clone()))?;
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let status = response.status();
        let created = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        up.push(started.elapsed());
        if !status.is_success() {
            bail!(
                "upload: status {status}: {}",
                String::from_utf8_lossy(&created)
            );
        }
        let id = serde_json::from_slice::<serde_json::Value>(&created)?["id"]
            .as_i64()
            .context("uploaded file id")?;
        let request = Request::get(format!("/api/v1/files/{id}/download"))
            .header("authorization", format!("Bearer {api_token}"))
            .body(Body::empty())?;
        let started = Instant::now();
        let response = router.clone().oneshot(request).await?;
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        down.push(started.elapsed());
        if bytes.len() != UPLOAD_BYTES {
            bail!("download returned {} bytes", bytes.len());
        }
        let request = Request::delete(format!("/api/v1/files/{id}"))
            .header("authorization", format!("Bearer {api_token}"))
            .body(Body::empty())?;
        router.clone().oneshot(request).await?;
    }
    up.sort();
    down.sort();
    println!(
        "\n| 20 MB file through /api/v1/files ({}) | median MB/s | best MB/s |",
        state.storage.label()
    );
    println!("|---|---:|---:|");
    for (name, times) in [("upload", &up), ("download", &down)] {
        println!(
            "| {name} | {:.0} | {:.0} |",
            mb / times[times.len() / 2].as_secs_f64(),
            mb / times[0].as_secs_f64()
        );
    }
    Ok(())
}

/// 10,000 reminders due at once, each with an email; two workers race for
/// them. Reports when the last email was handed to the mail transport and
/// checks that none was notified or sent twice.
async fn worker_latency(state: &AppState, lo: i64, hi: i64) -> Result<()> {
    let staff_id = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    let marker = format!(
        "bench-due-{}",
        kernel::auth::random_token()[..10].to_lowercase()
    );
    let due = state.clock.now();
    let mut rng = StdRng::seed_from_u64(5);
    let rows: Vec<(CustomerId, ReminderData)> = (0..DUE_AT_ONCE)
        .map(|n| {
            (
                CustomerId(rng.gen_range(lo..=hi)),
                ReminderData {
                    remind_at: due,
                    description: format!("{marker} {n}"),
                    staff_id,
                    notify_by_email: true,
                },
            )
        })
        .collect();
    for chunk in rows.chunks(500) {
        reminders::seed(&state.db, chunk, staff_id, &state.clock).await?;
    }
    let like = format!("{marker} %");
    let anywhere = format!("%{marker} %");
    let started = Instant::now();
    let (stop, stopped) = watch::channel(false);
    let workers: Vec<_> = (0..2)
        .map(|_| tokio::spawn(app::worker(state).run(Duration::from_millis(500), stopped.clone())))
        .collect();
    let sent_sql = "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE sent_at IS NOT NULL AND body_text LIKE $1";
    let deadline = Instant::now() + Duration::from_secs(300);
    let mut all_sent = None;
    while Instant::now() < deadline {
        if count(state, sent_sql, &anywhere).await? >= DUE_AT_ONCE as i64 {
            all_sent = Some(started.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    stop.send(true)?;
    for w in workers {
        w.await?;
    }
    let mails = count(
        state,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM outbox WHERE body_text LIKE $1",
        &anywhere,
    )
    .await?;
    let notified = count(
        state,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM reminders WHERE notified AND description LIKE $1",
        &like,
    )
    .await?;
    let notifications = count(
        state,
        "SELECT CAST(COUNT(*) AS BIGINT) AS n FROM notifications WHERE body LIKE $1",
        &like,
    )
    .await?;
    let transport = if state.config.smtp_url.is_some() {
        "SMTP"
    } else {
        ".eml files"
    };
    println!("\n| {DUE_AT_ONCE} reminders due at once, 2 workers, mail to {transport} | value |");
    println!("|---|---:|");
    match all_sent {
        Some(t) => println!(
            "| last email handed over after | {:.1} s |",
            t.as_secs_f64()
        ),
        None => println!("| last email handed over after | not within 300 s |"),
    }
    println!("| reminders notified | {notified} |");
    println!("| in-app notifications | {notifications} |");
    println!("| emails queued | {mails} |");
    if notified != DUE_AT_ONCE as i64 || notifications != notified || mails != notified {
        bail!("a reminder was notified or mailed more or less than once");
    }
    Ok(())
}
