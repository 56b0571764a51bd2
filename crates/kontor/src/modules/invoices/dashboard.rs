//! The invoices' panels on the dashboard: what customers owe, how much of
//! it is overdue and what falls due this week; and the net invoiced month
//! by month over the last year, as a chart drawn on the server.

use std::collections::BTreeMap;

use askama::Template;
use chrono::{Datelike, Duration, NaiveDate};
use kernel::{
    AppResult,
    money::{from_minor, minor_digits},
};
use sea_orm::DatabaseConnection;

use super::{
    repo::{self, Due},
    service::{AREA, may},
};
use crate::{
    common::{
        attach::Rendered,
        filter::{CustomerSet, InvoiceScope, KeyedSum},
    },
    http::{ctx::Ctx, identity::SignedIn},
    modules::{
        Panel, PortalWidget, Widget, customers::service as customers, portal::model::PortalUser,
    },
    policy::{self, Action, StaffActor},
    state::AppState,
};

pub const PORTAL_WIDGETS: &[PortalWidget] = &[PortalWidget {
    order: 10,
    load: |state, c, u| Box::pin(balance(state, c, u)),
}];

pub const WIDGETS: &[Widget] = &[
    Widget {
        order: 10,
        load: |state, c, me| Box::pin(receivables(state, c, me)),
    },
    Widget {
        order: 30,
        load: |state, c, me| Box::pin(revenue(state, c, me)),
    },
];

/// The invoices whose figures the actor sees; none without the invoices
/// permission.
pub async fn scope(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<Option<InvoiceScope>> {
    if !policy::may_see_some(actor, AREA) {
        return Ok(None);
    }
    Ok(Some(InvoiceScope {
        customers: customers::visible_set(db, actor, None).await?,
        own: (!may(actor, Action::View)).then_some(actor.id.0),
    }))
}

/// What is open in one currency.
struct Open {
    currency: String,
    outstanding: String,
    overdue: String,
    overdue_count: i64,
    /// What falls due this week (on staff's panel only).
    due_week: Option<String>,
}

/// An open invoice as the panel lists it.
struct DueRow {
    id: i64,
    number: String,
    customer_id: i64,
    company: String,
    due: String,
    overdue: bool,
    open: String,
}

/// What is open, for staff over their customers or for a contact over
/// its own customer.
#[derive(Template)]
#[template(path = "invoices/templates/dash_receivables.html")]
struct Receivables<'a> {
    c: &'a Ctx,
    open: Vec<Open>,
    due: Vec<DueRow>,
    portal: bool,
}

impl Receivables<'_> {
    /// The prefix of the figures' ids, which tests and links name.
    fn ids(&self) -> &'static str {
        if self.portal { "portal" } else { "dash" }
    }
}

fn amount(c: &Ctx, minor: i64, currency: &str) -> String {
    c.amount(&from_minor(minor, minor_digits(currency)), currency)
}

/// Sums per currency of the entries whose key passes `when`.
fn per_currency(sums: &[KeyedSum], when: impl Fn(&str) -> bool) -> BTreeMap<&str, (i64, i64)> {
    let mut out: BTreeMap<&str, (i64, i64)> = BTreeMap::new();
    for s in sums.iter().filter(|s| when(&s.key)) {
        let entry = out.entry(s.currency.as_str()).or_default();
        entry.0 += s.n;
        entry.1 += s.total;
    }
    out
}

async fn receivables(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    let Some(scope) = scope(&state.db, &me.actor).await? else {
        return Ok(None);
    };
    let today = state.clock.today();
    let (today_key, week_key) = (iso(today), iso(today + Duration::days(6)));
    let (sums, due) = futures::try_join!(
        repo::open_sums(&state.db, &scope),
        repo::due_by(&state.db, &scope, today + Duration::days(6), 6),
    )?;
    let all = per_currency(&sums, |_| true);
    let overdue = per_currency(&sums, |k| k < today_key.as_str());
    let week = per_currency(&sums, |k| k >= today_key.as_str() && k <= week_key.as_str());
    let open = all
        .iter()
        .map(|(currency, (_, total))| {
            let (late_n, late) = overdue.get(currency).copied().unwrap_or_default();
            let (_, soon) = week.get(currency).copied().unwrap_or_default();
            Open {
                currency: currency.to_string(),
                outstanding: amount(c, *total, currency),
                overdue: amount(c, late, currency),
                overdue_count: late_n,
                due_week: Some(amount(c, soon, currency)),
            }
        })
        .collect();
    let due = due.into_iter().map(|d| due_row(c, d, &today_key)).collect();
    Ok(Some(Panel {
        id: "dash-receivables",
        title: c.t("dashboard-receivables"),
        wide: false,
        body: Rendered::of(&Receivables {
            c,
            open,
            due,
            portal: false,
        })?,
        more: Some(("/invoices?status=unpaid".into(), c.t("dashboard-all-open"))),
    }))
}

/// How many open invoices the portal's panel lists.
const PORTAL_OPEN: u64 = 5;

/// The contact's side of the receivables: what its company owes, how much
/// of it is overdue, and the open invoices due first.
async fn balance(state: &AppState, c: &Ctx, u: &PortalUser) -> AppResult<Option<Panel>> {
    if !u.may(AREA.key) {
        return Ok(None);
    }
    let scope = InvoiceScope {
        customers: CustomerSet::One(u.contact.customer_id.0),
        own: None,
    };
    let today = state.clock.today();
    let today_key = iso(today);
    let whenever = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(today);
    let (sums, due) = futures::try_join!(
        repo::open_sums(&state.db, &scope),
        repo::due_by(&state.db, &scope, whenever, PORTAL_OPEN),
    )?;
    let overdue = per_currency(&sums, |k| k < today_key.as_str());
    let open = per_currency(&sums, |_| true)
        .iter()
        .map(|(currency, (_, total))| {
            let (late_n, late) = overdue.get(currency).copied().unwrap_or_default();
            Open {
                currency: currency.to_string(),
                outstanding: amount(c, *total, currency),
                overdue: amount(c, late, currency),
                overdue_count: late_n,
                due_week: None,
            }
        })
        .collect();
    let due = due.into_iter().map(|d| due_row(c, d, &today_key)).collect();
    Ok(Some(Panel {
        id: "portal-balance",
        title: c.t("portal-balance"),
        wide: false,
        body: Rendered::of(&Receivables {
            c,
            open,
            due,
            portal: true,
        })?,
        more: Some(("/portal/invoices".into(), c.t("portal-all-invoices"))),
    }))
}

fn due_row(c: &Ctx, d: Due, today: &str) -> DueRow {
    let date = NaiveDate::parse_from_str(&d.due_date, "%Y-%m-%d").ok();
    DueRow {
        id: d.id,
        number: d.number.unwrap_or_else(|| format!("#{}", d.id)),
        customer_id: d.customer_id,
        company: d.company,
        due: date.map(|d| c.date(&d)).unwrap_or(d.due_date.clone()),
        overdue: d.due_date.as_str() < today,
        open: amount(c, d.open, &d.currency),
    }
}

/// One month's bar of the chart.
struct Bar {
    label: String,
    amount: String,
    x: u32,
    y: u32,
    height: u32,
    current: bool,
}

/// The chart of one currency.
struct Chart {
    currency: String,
    bars: Vec<Bar>,
    total: String,
}

#[derive(Template)]
#[template(path = "invoices/templates/dash_revenue.html")]
struct Revenue<'a> {
    c: &'a Ctx,
    charts: Vec<Chart>,
}

/// The chart's drawing area in SVG units: 12 bars of `BAR` in slots of
/// `SLOT`, at most `TOP` high above the month labels.
const SLOT: u32 = 50;
const BAR: u32 = 34;
const TOP: u32 = 160;

/// The first days of the last twelve months, the oldest first.
fn last_year(today: NaiveDate) -> Vec<NaiveDate> {
    let mut months = Vec::with_capacity(12);
    let mut month = today.with_day(1).unwrap_or(today);
    for _ in 0..12 {
        months.push(month);
        month = (month - Duration::days(1)).with_day(1).unwrap_or(month);
    }
    months.reverse();
    months
}

async fn revenue(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    let Some(scope) = scope(&state.db, &me.actor).await? else {
        return Ok(None);
    };
    let months = last_year(state.clock.today());
    let first = months[0].format("%Y-%m").to_string();
    let sums = repo::invoiced_sums(&state.db, &scope, &first).await?;
    let mut by_currency: BTreeMap<&str, BTreeMap<&str, i64>> = BTreeMap::new();
    for s in &sums {
        *by_currency
            .entry(s.currency.as_str())
            .or_default()
            .entry(s.key.as_str())
            .or_default() += s.total;
    }
    let charts = by_currency
        .into_iter()
        .map(|(currency, per_month)| {
            let values: Vec<i64> = months
                .iter()
                .map(|m| {
                    per_month
                        .get(m.format("%Y-%m").to_string().as_str())
                        .copied()
                        .unwrap_or(0)
                })
                .collect();
            let max = values.iter().copied().max().unwrap_or(0).max(1);
            let bars = months
                .iter()
                .zip(&values)
                .enumerate()
                .map(|(i, (month, value))| {
                    let height = u32::try_from((*value).max(0) * i64::from(TOP) / max).unwrap_or(0);
                    Bar {
                        label: format!(
                            "{} {}",
                            c.t(&format!("month-short-{}", month.month())),
                            month.format("%y")
                        ),
                        amount: amount(c, *value, currency),
                        x: u32::try_from(i).unwrap_or(0) * SLOT + (SLOT - BAR) / 2,
                        y: TOP - height + 10,
                        height,
                        current: i == 11,
                    }
                })
                .collect();
            Chart {
                currency: currency.to_string(),
                bars,
                total: amount(c, values.iter().sum(), currency),
            }
        })
        .collect();
    Ok(Some(Panel {
        id: "dash-revenue",
        title: c.t("dashboard-revenue"),
        wide: true,
        body: Rendered::of(&Revenue { c, charts })?,
        more: None,
    }))
}

fn iso(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
