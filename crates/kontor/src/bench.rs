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

#[derive(FromQueryResult)]
struct Bounds {
    lo: Option<i64>,
    hi: Option<i64>,
    n: i64,
}

/// A page to measure and how to pick the next URL of it.
type Scenario = (&'static str, Box<dyn Fn(&mut StdRng, usize) -> String>);

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

/// Tops the database up to `customers` demo customers, then measures.
pub async fn run(state: AppState, customers: u64, samples: usize) -> Result<()> {
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
        demo::generate(&state, customers - existing).await?;
    }
    let bounds = Bounds::find_by_statement(count)
        .one(&state.db)
        .await?
        .context("no customers")?;
    let (Some(lo), Some(hi)) = (bounds.lo, bounds.hi) else {
        bail!("no customers to measure")
    };
    let admin = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    let token = kernel::session::create(
        &state.db,
        staff::PRINCIPAL,
        admin.0,
        None,
        false,
        chrono::Duration::hours(1),
        "bench",
    )
    .await?;
    let cookie = format!("{SESSION_COOKIE}={token}");
    let router = app::router(state.clone());
    let mut rng = StdRng::seed_from_u64(7);
    let scenarios: [Scenario; 6] = [
        (
            "customers list, first page",
            Box::new(|_, _| "/customers".to_string()),
        ),
        (
            "customers search, one customer (number, VAT id, email)",
            Box::new(move |r, _| {
                let seq = r.gen_range(lo..=hi);
                search_url(&selective_term(r, seq))
            }),
        ),
        (
            "customers search, broad term (thousands of hits)",
            Box::new(|_, i| search_url(BROAD[i % BROAD.len()])),
        ),
        (
            "customer overview (profile)",
            Box::new(move |r, _| format!("/customers/{}", r.gen_range(lo..=hi))),
        ),
        (
            "contacts tab",
            Box::new(move |r, _| format!("/customers/{}/contacts", r.gen_range(lo..=hi))),
        ),
        (
            "notes tab",
            Box::new(move |r, _| format!("/customers/{}/notes", r.gen_range(lo..=hi))),
        ),
    ];
    println!(
        "\n{} customers on {:?}, {samples} requests per row\n",
        bounds.n, backend
    );
    println!("| page | p50 ms | p99 ms | mean ms |");
    println!("|---|---:|---:|---:|");
    for (name, path) in scenarios {
        let mut times = Vec::with_capacity(samples);
        for i in 0..samples + samples / 10 {
            let request = Request::get(path(&mut rng, i))
                .header("cookie", &cookie)
                .body(Body::empty())?;
            let started = Instant::now();
            let response = router.clone().oneshot(request).await?;
            let status = response.status();
            axum::body::to_bytes(response.into_body(), usize::MAX).await?;
            let elapsed = started.elapsed();
            if !status.is_success() {
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
    kernel::session::delete(&state.db, &token).await?;
    Ok(())
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
