//! The payments' panel on the dashboard: what came in this month and the
//! latest payments.

use askama::Template;
use chrono::Datelike;
use kernel::{
    AppResult,
    money::{from_minor, minor_digits},
};

use super::{model::Payment, repo};
use crate::{
    common::attach::Rendered,
    http::{ctx::Ctx, identity::SignedIn},
    modules::{Panel, Widget, invoices::dashboard::scope},
    state::AppState,
};

pub const WIDGETS: &[Widget] = &[Widget {
    order: 20,
    load: |state, c, me| Box::pin(received(state, c, me)),
}];

#[derive(Template)]
#[template(path = "payments/templates/dash_received.html")]
struct Received<'a> {
    c: &'a Ctx,
    /// This month's sum per currency.
    month: Vec<(String, String)>,
    latest: Vec<Payment>,
}

async fn received(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    let Some(scope) = scope(&state.db, &me.actor).await? else {
        return Ok(None);
    };
    let today = state.clock.today();
    let first = today.with_day(1).unwrap_or(today);
    let (month, day) = (
        first.format("%Y-%m").to_string(),
        first.format("%Y-%m-%d").to_string(),
    );
    let (sums, latest) = futures::try_join!(
        repo::month_sums(&state.db, &scope, &month, &day),
        repo::latest(&state.db, &scope, 5),
    )?;
    let mut per_currency: std::collections::BTreeMap<&str, i64> = Default::default();
    for s in &sums {
        *per_currency.entry(s.currency.as_str()).or_default() += s.total;
    }
    let month = per_currency
        .into_iter()
        .map(|(currency, minor)| {
            let value = from_minor(minor, minor_digits(currency));
            (currency.to_string(), c.amount(&value, currency))
        })
        .collect();
    Ok(Some(Panel {
        id: "dash-payments",
        title: c.t("dashboard-payments"),
        wide: false,
        body: Rendered::of(&Received { c, month, latest })?,
        more: None,
    }))
}
