//! The dashboard's panel of the signed-in staff member's unread
//! notifications.

use askama::Template;
use kernel::AppResult;

use super::{model::Notification, repo};
use crate::{
    common::attach::Rendered,
    http::{ctx::Ctx, identity::SignedIn},
    modules::{Panel, Widget},
    state::AppState,
};

pub const WIDGETS: &[Widget] = &[Widget {
    order: 50,
    load: |state, c, me| Box::pin(unread(state, c, me)),
}];

#[derive(Template)]
#[template(path = "notifications/templates/dash_unread.html")]
struct Unread<'a> {
    c: &'a Ctx,
    items: Vec<Notification>,
}

async fn unread(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<Option<Panel>> {
    let items = repo::unread(&state.db, me.actor.id, 5).await?;
    Ok(Some(Panel {
        id: "dash-notifications",
        title: c.t("nav-notifications"),
        wide: false,
        body: Rendered::of(&Unread { c, items })?,
        more: Some(("/notifications".into(), c.t("dashboard-all-notifications"))),
    }))
}
