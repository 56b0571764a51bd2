//! Prometheus text metrics: request counts by status class and latency.

use std::{
    sync::atomic::{AtomicU64, Ordering},
    time::Instant,
};

use axum::{
    extract::{Request, State},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::state::AppState;

#[derive(Default)]
pub struct Metrics {
    by_class: [AtomicU64; 5],
    duration_micros: AtomicU64,
    mails_sent: AtomicU64,
}

impl Metrics {
    pub fn record_mails(&self, n: usize) {
        self.mails_sent.fetch_add(n as u64, Ordering::Relaxed);
    }

    fn render(&self) -> String {
        let mut out = String::from(
            "# HELP kontor_http_requests_total HTTP requests by status class.\n# TYPE kontor_http_requests_total counter\n",
        );
        for (i, counter) in self.by_class.iter().enumerate() {
            out.push_str(&format!(
                "kontor_http_requests_total{{status=\"{}xx\"}} {}\n",
                i + 1,
                counter.load(Ordering::Relaxed)
            ));
        }
        let total: u64 = self
            .by_class
            .iter()
            .map(|c| c.load(Ordering::Relaxed))
            .sum();
        out.push_str("# HELP kontor_http_request_duration_seconds Time spent serving requests.\n");
        out.push_str("# TYPE kontor_http_request_duration_seconds summary\n");
        out.push_str(&format!(
            "kontor_http_request_duration_seconds_sum {:.6}\nkontor_http_request_duration_seconds_count {total}\n",
            self.duration_micros.load(Ordering::Relaxed) as f64 / 1e6
        ));
        out.push_str("# HELP kontor_mails_sent_total Emails handed to the transport.\n# TYPE kontor_mails_sent_total counter\n");
        out.push_str(&format!(
            "kontor_mails_sent_total {}\n",
            self.mails_sent.load(Ordering::Relaxed)
        ));
        out
    }
}

pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let response = next.run(request).await;
    let class = (response.status().as_u16() / 100).clamp(1, 5) as usize - 1;
    state.metrics.by_class[class].fetch_add(1, Ordering::Relaxed);
    state
        .metrics
        .duration_micros
        .fetch_add(started.elapsed().as_micros() as u64, Ordering::Relaxed);
    response
}

/// The Prometheus text, for a scraper that sends `KONTOR_METRICS_TOKEN` as
/// its bearer token; without a token configured the page does not exist.
pub async fn show(State(state): State<AppState>, headers: axum::http::HeaderMap) -> Response {
    let Some(expected) = &state.config.metrics_token else {
        return axum::http::StatusCode::NOT_FOUND.into_response();
    };
    let sent = headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !kernel::auth::constant_time_eq(sent.trim(), expected.expose()) {
        return (
            axum::http::StatusCode::UNAUTHORIZED,
            [("www-authenticate", "Bearer")],
        )
            .into_response();
    }
    (
        [("content-type", "text/plain; version=0.0.4")],
        state.metrics.render(),
    )
        .into_response()
}
