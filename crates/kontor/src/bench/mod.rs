//! `kontor bench`: server time of the main pages, measured in-process
//! through the real router (middleware, policy, database and templates
//! included; no network), on the data in the configured database.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::{body::Body, http::Request};
use rand::{Rng, SeedableRng, rngs::StdRng};
use sea_orm::{FromQueryResult, Statement};
use tower::ServiceExt;

use crate::{
    app, demo, http::identity::SESSION_COOKIE, modules::staff::service as staff, state::AppState,
};

pub mod answered;
pub mod billing;
pub mod portal;
pub mod statement;

#[derive(FromQueryResult)]
struct Bounds {
    lo: Option<i64>,
    hi: Option<i64>,
    n: i64,
}

/// How to build the next request for a page.
type NextRequest = Box<dyn Fn(&mut StdRng, usize) -> Result<Request<Body>>>;

/// A page to measure and how to build the next request for it.
type Scenario = (&'static str, NextRequest);

/// Terms that match thousands of the demo customers.
const BROAD: [&str; 6] = ["müller", "köln", "logistik", "krüger", "anna", "hansa bau"];

fn search_url(term: &str) -> String {
    format!(
        "/customers?q={}",
        url::form_urlencoded::byte_serialize(term.as_bytes()).collect::<String>()
    )
}

/// What people type to find one customer: its number, VAT id or email domain.
fn selective_term(rng: &mut StdRng, seq: i64) -> String {
    match rng.gen_range(0..3) {
        0 => format!("{seq:05}"),
        1 => format!("de{}", 100_000_000 + seq),
        _ => format!("kunde{seq}.example"),
    }
}

/// The demo customers' id range and count, topped up to `customers` first.
async fn ensure_customers(state: &AppState, customers: u64) -> Result<(i64, i64, i64)> {
    let backend = state.db.get_database_backend();
    let count = Statement::from_string(
        backend,
        "SELECT CAST(MIN(id) AS BIGINT) AS lo, CAST(MAX(id) AS BIGINT) AS hi, CAST(COUNT(*) AS BIGINT) AS n FROM customers",
    );
    let existing = Bounds::find_by_statement(count.clone())
        .one(&state.db)
        .await?
        .map(|b| b.n)
        .unwrap_or(0) as u64;
    if existing < customers {
        demo::generate(state, customers - existing).await?;
    }
    let bounds = Bounds::find_by_statement(count)
        .one(&state.db)
        .await?
        .context("no customers")?;
    let (Some(lo), Some(hi)) = (bounds.lo, bounds.hi) else {
        bail!("no customers to measure")
    };
    Ok((lo, hi, bounds.n))
}

/// A browser session of the first admin, for the staff pages.
async fn admin_session(state: &AppState) -> Result<String> {
    let admin = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    kernel::session::create(
        &state.db,
        (staff::PRINCIPAL, admin.0),
        None,
        false,
        chrono::Duration::hours(1),
        "bench",
        state.clock.now(),
    )
    .await
}

/// Tops the database up to `customers` demo customers, then measures the
/// customers list, search and overview tabs.
pub async fn run(state: AppState, customers: u64, samples: usize) -> Result<()> {
    let (lo, hi, n) = ensure_customers(&state, customers).await?;
    let token = admin_session(&state).await?;
    let cookie = format!("{SESSION_COOKIE}={token}");
    let get = move |path: String| -> Result<Request<Body>> {
        Ok(Request::get(path)
            .header("cookie", &cookie)
            .body(Body::empty())?)
    };
    let scenarios: Vec<Scenario> = vec![
        (
            "customers list, first page",
            Box::new({
                let get = get.clone();
                move |_, _| get("/customers".to_string())
            }),
        ),
        (
            "customers search, one customer (number, VAT id, email)",
            Box::new({
                let get = get.clone();
                move |r, _| {
                    let seq = r.gen_range(lo..=hi);
                    get(search_url(&selective_term(r, seq)))
                }
            }),
        ),
        (
            "customers search, broad term (thousands of hits)",
            Box::new({
                let get = get.clone();
                move |_, i| get(search_url(BROAD[i % BROAD.len()]))
            }),
        ),
        (
            "customer overview (profile)",
            Box::new({
                let get = get.clone();
                move |r, _| get(format!("/customers/{}", r.gen_range(lo..=hi)))
            }),
        ),
        (
            "contacts tab",
            Box::new({
                let get = get.clone();
                move |r, _| get(format!("/customers/{}/contacts", r.gen_range(lo..=hi)))
            }),
        ),
        (
            "notes tab",
            Box::new(move |r, _| get(format!("/customers/{}/notes", r.gen_range(lo..=hi)))),
        ),
    ];
    println!(
        "\n{n} customers on {:?}, {samples} requests per row\n",
        state.db.get_database_backend()
    );
    measure(&app::router(state.clone()), scenarios, samples).await?;
    kernel::session::delete(&state.db, &token).await?;
    Ok(())
}

/// Sends each scenario's requests (a tenth more as warm-up) and prints
/// p50, p99 and mean server time as a Markdown table.
async fn measure(router: &axum::Router, scenarios: Vec<Scenario>, samples: usize) -> Result<()> {
    let mut rng = StdRng::seed_from_u64(7);
    println!("| page | p50 ms | p99 ms | mean ms |");
    println!("|---|---:|---:|---:|");
    for (name, request) in scenarios {
        let mut times = Vec::with_capacity(samples);
        for i in 0..samples + samples / 10 {
            let request = request(&mut rng, i)?;
            let started = Instant::now();
            let response = router.clone().oneshot(request).await?;
            let status = response.status();
            axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            let elapsed = started.elapsed();
            // An answered form redirects to the page it changed.
            if !status.is_success() && !status.is_redirection() {
                bail!("{name}: status {status}");
            }
            if i >= samples / 10 {
                times.push(elapsed);
            }
        }
        times.sort();
        let pct = |p: f64| times[((times.len() as f64 * p) as usize).min(times.len() - 1)];
        let mean = times.iter().sum::<Duration>() / times.len() as u32;
        println!(
            "| {name} | {:.2} | {:.2} | {:.2} |",
            ms(pct(0.5)),
            ms(pct(0.99)),
            ms(mean)
        );
    }
    Ok(())
}

/// A line of `/proc/self/status` in KiB (Linux; 0 elsewhere).
fn status_kib(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// The process's resident memory in KiB, to show a download stays flat.
fn rss_kib() -> u64 {
    status_kib("VmRSS:")
}

/// The most resident memory the process has had.
fn peak_kib() -> u64 {
    status_kib("VmHWM:")
}

/// Resident memory that is the process's own (heap, stacks), not mapped files.
fn anon_kib() -> u64 {
    status_kib("RssAnon:")
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
