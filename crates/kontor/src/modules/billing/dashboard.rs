//! The first-run panel on the dashboard: until the company details every
//! invoice must carry are entered, it says which are missing and leads to
//! them (issuing is refused meanwhile, see the document core).

use askama::Template;
use kernel::AppResult;

use super::service;
use crate::{
    common::{attach::Rendered, documents::parties::Company},
    http::{ctx::Ctx, identity::SignedIn},
    modules::{Panel, Widget},
    policy::{self, Action},
    state::AppState,
};

pub const WIDGETS: &[Widget] = &[Widget {
    order: 0,
    load: |state, c, me| Box::pin(setup(state, c, me)),
}];

#[derive(Template)]
#[template(path = "billing/templates/dash_setup.html")]
struct Setup<'a> {
    c: &'a Ctx,
    missing: Vec<String>,
    may_edit: bool,
}

async fn setup(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    if !policy::may_see_some(&me.actor, policy::SETTINGS) {
        return Ok(None);
    }
    let gaps = service::sender(&state.db).await?.gaps();
    if gaps.is_empty() {
        return Ok(None);
    }
    let missing = gaps
        .into_iter()
        .map(|field| c.t(Company::label_key(field)))
        .collect();
    Ok(Some(Panel {
        id: "dash-setup",
        title: c.t("dashboard-setup"),
        wide: true,
        body: Rendered::of(&Setup {
            c,
            missing,
            may_edit: policy::can(&me.actor, policy::SETTINGS, Action::Edit),
        })?,
        more: None,
    }))
}
