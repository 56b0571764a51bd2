//! `/`: the modules' panels, loaded side by side.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Redirect, Response},
    routing::get,
};
use futures::future::try_join_all;
use kernel::AppResult;

use crate::{
    http::{ctx::Ctx, extract::Staff},
    modules::{Panel, first_run, widgets},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/", get(index))
}

#[derive(Template, WebTemplate)]
#[template(path = "dashboard/templates/index.html")]
struct DashboardPage {
    c: Ctx,
    panels: Vec<Panel>,
}

/// The dashboard, unless a module needs the staff member elsewhere first.
async fn index(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<Response> {
    if let Some(href) = first_run(&state, &me).await? {
        return Ok(Redirect::to(href).into_response());
    }
    let loads = widgets().into_iter().map(|w| (w.load)(&state, &c, &me));
    let panels = try_join_all(loads).await?.into_iter().flatten().collect();
    Ok(DashboardPage { c, panels }.into_response())
}
