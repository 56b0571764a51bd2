//! `kontor bench --suite statement`: one customer with 20,000 invoices and
//! 10,000 payments over two years (30,000 movements): pages of its
//! all-time statement (first, middle, last, any), the same through the
//! API, and the complete PDF (time, resident memory before and after).

use std::time::Instant;

use anyhow::{Context, Result, bail};
use axum::{body::Body, http::Request};
use rand::Rng;
use tower::ServiceExt;

use super::{
    NextRequest, Scenario, admin_session, anon_kib, ensure_customers, measure, ms, peak_kib,
    rss_kib,
};
use crate::{
    app, demo::billing as demo, http::identity::SESSION_COOKIE, modules::staff::service as staff,
    state::AppState,
};

const INVOICES: u64 = 20_000;
const PAGES: u64 = (INVOICES + INVOICES / 2).div_ceil(crate::modules::statement::model::PER_PAGE);

pub async fn run(state: AppState, customers: u64, samples: usize) -> Result<()> {
    ensure_customers(&state, customers).await?;
    demo::generate(&state, INVOICES, INVOICES).await?;
    let big = demo::big_customer(&state.db).await?;
    let token = admin_session(&state).await?;
    let cookie = format!("{SESSION_COOKIE}={token}");
    let admin = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    let bearer = format!(
        "Bearer {}",
        staff::create_token(&state.db, admin, "bench", &state.clock).await?
    );
    let page = move |n: u64| -> Result<Request<Body>> {
        Ok(
            Request::get(format!("/customers/{big}/statement?period=all&page={n}"))
                .header("cookie", &cookie)
                .body(Body::empty())?,
        )
    };
    let fixed = |n: u64| -> NextRequest {
        let page = page.clone();
        Box::new(move |_, _| page(n))
    };
    let notes = {
        let cookie = format!("{SESSION_COOKIE}={token}");
        move || -> Result<Request<Body>> {
            Ok(Request::get(format!("/customers/{big}/notes"))
                .header("cookie", &cookie)
                .body(Body::empty())?)
        }
    };
    let scenarios: Vec<Scenario> = vec![
        (
            "notes tab (the frame every tab shares)",
            Box::new(move |_, _| notes()),
        ),
        ("statement, first page (30,000 movements)", fixed(1)),
        ("statement, middle page", fixed(PAGES / 2)),
        ("statement, last page", fixed(PAGES)),
        (
            "statement, any page",
            Box::new({
                let page = page.clone();
                move |r, _| page(r.gen_range(1..=PAGES))
            }),
        ),
        (
            "API statement, any page",
            Box::new(move |r, _| {
                Ok(Request::get(format!(
                    "/api/v1/customers/{big}/statement?period=all&page={}",
                    r.gen_range(1..=PAGES)
                ))
                .header("authorization", &bearer)
                .body(Body::empty())?)
            }),
        ),
    ];
    println!(
        "\none customer with {INVOICES} invoices and {} payments on {:?}, {samples} requests per row\n",
        INVOICES / 2,
        state.db.get_database_backend()
    );
    let router = app::router(state.clone());
    measure(&router, scenarios, samples).await?;

    let (rss, anon) = (rss_kib(), anon_kib());
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..5 {
        let started = Instant::now();
        let response = router
            .clone()
            .oneshot(
                Request::get(format!("/customers/{big}/statement/pdf?period=all"))
                    .header("cookie", format!("{SESSION_COOKIE}={token}"))
                    .body(Body::empty())?,
            )
            .await?;
        if !response.status().is_success() {
            bail!("statement PDF: status {}", response.status());
        }
        size = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await?
            .len();
        times.push(ms(started.elapsed()));
    }
    times.sort_by(f64::total_cmp);
    println!(
        "\nstatement PDF, all time: {:.0} ms median of 5, {} KiB; resident {} -> {} KiB (peak {} before and while rendering), anonymous {anon} -> {} KiB",
        times[2],
        size / 1024,
        rss,
        rss_kib(),
        peak_kib(),
        anon_kib()
    );
    kernel::session::delete(&state.db, &token).await?;
    Ok(())
}
