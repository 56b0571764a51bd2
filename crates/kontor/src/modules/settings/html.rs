//! `/settings`: the sections of every module's settings pages.

use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, routing::get};
use kernel::{AppError, AppResult};

use crate::{
    http::{ctx::Ctx, extract::Staff},
    modules::{SettingsPage, settings_pages},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/settings", get(hub))
}

#[derive(Template, WebTemplate)]
#[template(path = "settings/templates/hub.html")]
struct HubPage {
    c: Ctx,
    pages: Vec<&'static SettingsPage>,
}

async fn hub(c: Ctx, Staff(me): Staff) -> AppResult<HubPage> {
    let pages = settings_pages(&me.actor);
    if pages.is_empty() {
        return Err(AppError::Forbidden);
    }
    Ok(HubPage { c, pages })
}
