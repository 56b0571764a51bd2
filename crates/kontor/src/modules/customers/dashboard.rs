//! The dashboard's panel of the customers the staff member opened last.

use askama::Template;
use kernel::AppResult;

use super::service;
use crate::{
    common::attach::Rendered,
    http::{ctx::Ctx, identity::SignedIn},
    modules::{Panel, Widget},
    policy,
    state::AppState,
};

pub const WIDGETS: &[Widget] = &[Widget {
    order: 60,
    load: |state, c, me| Box::pin(recent(state, c, me)),
}];

#[derive(Template)]
#[template(path = "customers/templates/dash_recent.html")]
struct Recent<'a> {
    c: &'a Ctx,
    customers: Vec<(i64, String)>,
}

async fn recent(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    if !policy::may_see_some(&me.actor, policy::CUSTOMERS) {
        return Ok(None);
    }
    let customers = service::recently_viewed(&state.db, &me.actor).await?;
    Ok(Some(Panel {
        id: "dash-recent-customers",
        title: c.t("dashboard-recent-customers"),
        wide: false,
        body: Rendered::of(&Recent { c, customers })?,
        more: Some(("/customers".into(), c.t("dashboard-all-customers"))),
    }))
}
