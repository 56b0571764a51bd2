//! The files panel of the portal's start page: the latest files shared
//! with the contact's customer.

use askama::Template;
use kernel::AppResult;

use super::{model::StoredFile, service};
use crate::{
    common::attach::Rendered,
    http::ctx::Ctx,
    modules::{Panel, PortalWidget, portal::model::PortalUser},
    state::AppState,
};

/// How many files the panel lists.
const RECENT: usize = 5;

pub const WIDGETS: &[PortalWidget] = &[PortalWidget {
    order: 150,
    load: |state, c, u| Box::pin(recent(state, c, u)),
}];

#[derive(Template)]
#[template(path = "files/templates/portal_recent.html")]
struct Recent<'a> {
    c: &'a Ctx,
    files: Vec<StoredFile>,
}

async fn recent(state: &AppState, c: &Ctx, u: &PortalUser) -> AppResult<Option<Panel>> {
    let mut files = service::list_shared(&state.db, &u.contact).await?;
    files.truncate(RECENT);
    Ok(Some(Panel {
        id: "portal-recent-files",
        title: c.t("portal-recent-files"),
        wide: false,
        body: Rendered::of(&Recent { c, files })?,
        more: Some(("/portal/files".into(), c.t("portal-all-files"))),
    }))
}
