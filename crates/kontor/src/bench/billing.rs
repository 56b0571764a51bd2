//! `kontor bench --suite billing`: on 100,000 customers with 1,000,000
//! invoices (five lines each, every second one paid) where one customer has
//! 5,000 of them: the overview with its key figures, the invoices and
//! payments tabs, the all-time statement of the big customer; rendering one
//! invoice PDF; issuing 1,000 invoices in a row (each archived as PDF); and
//! the zip of those 1,000 archived PDFs (time to first byte, total, memory);
//! the global search for an invoice number.

use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::{body::Body, http::Request};
use futures::StreamExt;
use rand::Rng;
use sea_orm::{FromQueryResult, Statement};
use serde_json::{Value, json};
use tower::ServiceExt;

use super::{NextRequest, Scenario, admin_session, ensure_customers, measure, ms};
use crate::common::documents::typed;
use crate::{
    app,
    demo::billing as demo,
    http::identity::SESSION_COOKIE,
    modules::{
        invoices::{
            model::InvoiceId,
            service::{self as invoices, Invoices},
        },
        staff::service as staff,
    },
    state::AppState,
};

#[derive(FromQueryResult)]
struct FirstId {
    id: Option<i64>,
}

#[derive(FromQueryResult)]
struct Number {
    number: String,
}

/// Numbers of issued invoices spread over the whole table, for the search.
async fn some_numbers(state: &AppState) -> Result<Vec<String>> {
    let backend = state.db.get_database_backend();
    let numbers: Vec<String> = Number::find_by_statement(Statement::from_string(
        backend,
        "SELECT number FROM invoices WHERE number IS NOT NULL AND id % 997 = 1 LIMIT 1000",
    ))
    .all(&state.db)
    .await?
    .into_iter()
    .map(|n| n.number)
    .collect();
    if numbers.is_empty() {
        bail!("no issued invoices to search for");
    }
    Ok(numbers)
}

pub async fn run(state: AppState, customers: u64, samples: usize, count: u64) -> Result<()> {
    let (lo, hi, n) = ensure_customers(&state, customers).await?;
    demo::generate(&state, count, 5_000).await?;
    let big = demo::big_customer(&state.db).await?;
    let token = admin_session(&state).await?;
    let numbers = some_numbers(&state).await?;
    let cookie = format!("{SESSION_COOKIE}={token}");
    let get = move |path: String| -> Result<Request<Body>> {
        Ok(Request::get(path)
            .header("cookie", &cookie)
            .body(Body::empty())?)
    };
    let page = |path: &'static str| -> NextRequest {
        let get = get.clone();
        Box::new(move |_, _| get(path.replace("{big}", &big.to_string())))
    };
    let scenarios: Vec<Scenario> = vec![
        ("dashboard (every customer and invoice)", page("/")),
        ("all invoices, first page", page("/invoices")),
        (
            "overview with key figures (customer with 5,000 invoices)",
            page("/customers/{big}"),
        ),
        (
            "invoices tab, first page (5,000 invoices)",
            page("/customers/{big}/invoices"),
        ),
        (
            "payments tab (2,500 payments)",
            page("/customers/{big}/payments"),
        ),
        (
            "statement, all time (7,500 movements)",
            page("/customers/{big}/statement?period=all"),
        ),
        (
            "invoices tab, any customer",
            Box::new({
                let get = get.clone();
                move |r, _| get(format!("/customers/{}/invoices", r.gen_range(lo..=hi)))
            }),
        ),
        (
            "overview, any customer",
            Box::new({
                let get = get.clone();
                move |r, _| get(format!("/customers/{}", r.gen_range(lo..=hi)))
            }),
        ),
        (
            "global search for an invoice number (all providers)",
            Box::new(move |r, _| {
                get(format!(
                    "/search?q={}",
                    numbers[r.gen_range(0..numbers.len())]
                ))
            }),
        ),
    ];
    println!(
        "\n{n} customers, {count} invoices on {:?}, {samples} requests per row\n",
        state.db.get_database_backend()
    );
    let router = app::router(state.clone());
    measure(&router, scenarios, samples).await?;

    let admin = *staff::directory_ids(&state.db)
        .await?
        .first()
        .context("no staff")?;
    let api_token = staff::create_token(&state.db, admin, "bench", &state.clock).await?;
    let bearer = format!("Bearer {api_token}");
    let call = |method: &str, path: String, body: Value| -> Result<Request<Body>> {
        Ok(Request::builder()
            .method(method)
            .uri(path)
            .header("authorization", &bearer)
            .header("content-type", "application/json")
            .body(Body::from(body.to_string()))?)
    };
    let json_of = |response: axum::response::Response| async move {
        let status = response.status();
        let bytes = axum::body::to_bytes(response.into_body(), usize::MAX).await?;
        if !status.is_success() {
            bail!("status {status}: {}", String::from_utf8_lossy(&bytes));
        }
        Ok::<Value, anyhow::Error>(serde_json::from_slice(&bytes)?)
    };

    // One invoice PDF, rendered again and again (no archive).
    let demo_invoice = InvoiceId(
        FirstId::find_by_statement(Statement::from_sql_and_values(
            state.db.get_database_backend(),
            kernel::db::sql(
                state.db.get_database_backend(),
                "SELECT CAST(MIN(id) AS BIGINT) AS id FROM invoices WHERE customer_id = $1",
            ),
            [big.into()],
        ))
        .one(&state.db)
        .await?
        .and_then(|r| r.id)
        .context("no demo invoice")?,
    );
    let invoice = invoices::find_for_document(&state.db, demo_invoice).await?;
    let mut times = Vec::new();
    for i in 0..110 {
        let started = Instant::now();
        typed::render::<Invoices>(&state, &invoice, state.clock.now()).await?;
        if i >= 10 {
            times.push(started.elapsed());
        }
    }
    times.sort();
    println!(
        "\n| invoice PDF render (5 lines, GiroCode) | p50 {:.2} ms | p99 {:.2} ms |",
        ms(times[times.len() / 2]),
        ms(times[times.len() * 99 / 100])
    );

    // 1,000 invoices issued one after the other, each archived as PDF.
    let customer = json_of(
        router
            .clone()
            .oneshot(call(
                "POST",
                "/api/v1/customers".into(),
                json!({"company": format!("Bench Zip {}", state.clock.now().timestamp())}),
            )?)
            .await?,
    )
    .await?["id"]
        .as_i64()
        .context("customer id")?;
    let mut drafts = Vec::with_capacity(1000);
    for _ in 0..1000 {
        let draft = json_of(
            router
                .clone()
                .oneshot(call(
                    "POST",
                    "/api/v1/invoices".into(),
                    json!({"customer_id": customer, "due_date": "2099-12-31", "items": [
                        {"description": "Beratung", "quantity": "2", "rate": "95.00", "taxes": ["19"]},
                        {"description": "Lizenz", "quantity": "1", "rate": "480.00", "taxes": ["19"]},
                        {"description": "Fachbuch", "quantity": "3", "rate": "39.90", "taxes": ["7"]},
                        {"description": "Anfahrt", "quantity": "1", "rate": "60.00", "taxes": ["19"]},
                        {"description": "Support", "quantity": "5", "rate": "25.00", "taxes": ["19"]}
                    ]}),
                )?)
                .await?,
        )
        .await?;
        drafts.push(draft["id"].as_i64().context("draft id")?);
    }
    let started = Instant::now();
    for id in &drafts {
        json_of(
            router
                .clone()
                .oneshot(call(
                    "POST",
                    format!("/api/v1/invoices/{id}/issue"),
                    json!({}),
                )?)
                .await?,
        )
        .await?;
    }
    let issuing = started.elapsed();
    println!(
        "| issuing 1,000 invoices in a row (number, PDF rendered and archived) | {:.1} s | {:.0} invoices/s |",
        issuing.as_secs_f64(),
        1000.0 / issuing.as_secs_f64()
    );

    // The zip of those 1,000 archived PDFs.
    let before = super::rss_kib();
    let started = Instant::now();
    let response = router.clone().oneshot(get_zip(&token, customer)?).await?;
    if !response.status().is_success() {
        bail!("zip: {}", response.status());
    }
    let mut body = response.into_body().into_data_stream();
    let mut first = None;
    let mut bytes = 0usize;
    let mut peak = before;
    while let Some(chunk) = body.next().await {
        let chunk = chunk?;
        first.get_or_insert_with(|| started.elapsed());
        bytes += chunk.len();
        peak = peak.max(super::rss_kib());
    }
    let total = started.elapsed();
    println!(
        "| zip of 1,000 archived invoice PDFs | first byte {:.0} ms | total {:.2} s | {:.1} MB | memory +{:.1} MB |",
        ms(first.unwrap_or(Duration::ZERO)),
        total.as_secs_f64(),
        bytes as f64 / 1_048_576.0,
        peak.saturating_sub(before) as f64 / 1024.0
    );
    println!(
        "\nafterwards: resident {} MB, of it anonymous (heap, not mapped files) {} MB",
        super::rss_kib() / 1024,
        super::anon_kib() / 1024
    );
    kernel::session::delete(&state.db, &token).await?;
    Ok(())
}

fn get_zip(token: &str, customer: i64) -> Result<Request<Body>> {
    Ok(Request::get(format!("/customers/{customer}/invoices/zip"))
        .header("cookie", format!("{SESSION_COOKIE}={token}"))
        .body(Body::empty())?)
}
