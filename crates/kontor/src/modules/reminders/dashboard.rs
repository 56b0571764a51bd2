//! The dashboard's panel of the reminders set for the signed-in staff
//! member, from today on, on customers and records they may see.

use askama::Template;
use chrono::{DateTime, Utc};
use kernel::AppResult;

use super::repo;
use crate::{
    common::attach::Rendered,
    http::{ctx::Ctx, identity::SignedIn},
    modules::{self, Panel, Widget, customers::service as customers},
    state::AppState,
};

pub const WIDGETS: &[Widget] = &[Widget {
    order: 40,
    load: |state, c, me| Box::pin(mine(state, c, me)),
}];

/// A reminder as the panel lists it.
struct Upcoming {
    at: DateTime<Utc>,
    description: String,
    company: String,
    /// The customer's reminders tab.
    href: String,
}

#[derive(Template)]
#[template(path = "reminders/templates/dash_mine.html")]
struct Mine<'a> {
    c: &'a Ctx,
    items: Vec<Upcoming>,
}

async fn mine(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    let db = &state.db;
    let start = state.clock.today().and_hms_opt(0, 0, 0).unwrap_or_default();
    let from = start
        .and_local_timezone(state.clock.zone())
        .earliest()
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| state.clock.now());
    let mut items = Vec::new();
    for r in repo::upcoming_of_staff(db, me.actor.id, from, 10).await? {
        let Some(customer) = r.customer_id else {
            continue;
        };
        let seen = customers::ensure_visible(db, &me.actor, customer).await;
        if !modules::seen(seen)?
            || modules::attached(db, &me.actor, &r.entity_kind, r.entity_id)
                .await?
                .is_none()
        {
            continue;
        }
        items.push(Upcoming {
            at: r.remind_at,
            description: r.description,
            company: customers::company_of(db, customer).await?,
            href: format!("/customers/{}/reminders", customer.0),
        });
        if items.len() == 5 {
            break;
        }
    }
    Ok(Some(Panel {
        id: "dash-reminders",
        title: c.t("dashboard-my-reminders"),
        wide: false,
        body: Rendered::of(&Mine { c, items })?,
        more: None,
    }))
}
