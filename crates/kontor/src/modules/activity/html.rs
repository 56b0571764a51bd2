//! The activity tab of the customer overview.

use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, extract::State, routing::get};
use kernel::AppResult;

use super::{
    model::{ActivityEntry, Change},
    service,
};
use crate::http::frame::Overview;
use crate::{
    http::{
        ctx::Ctx,
        extract::{Path, Staff},
    },
    modules::customers::{model::CustomerId, service::overview},
    state::AppState,
};

pub fn routes() -> axum::Router<AppState> {
    Router::new().route("/customers/{id}/activity", get(index))
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    entries: Vec<ActivityEntry>,
    changes: Vec<Change>,
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, &me, CustomerId(id), "activity", &state.clock).await?;
    let (entries, changes) = service::of_customer(&state.db, &me.actor, id).await?;
    Ok(IndexPage {
        c,
        o,
        entries,
        changes,
    })
}
