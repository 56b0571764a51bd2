//! `/search`: the results page.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Query, State},
    routing::get,
};
use kernel::AppResult;

use super::{
    model::{Results, SearchQuery},
    service,
};
use crate::{
    http::{ctx::Ctx, extract::Staff},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(index))
}

#[derive(Template, WebTemplate)]
#[template(path = "search/templates/index.html")]
struct IndexPage {
    c: Ctx,
    q: String,
    results: Results,
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Query(query): Query<SearchQuery>,
) -> AppResult<IndexPage> {
    let results = service::search(&state.db, &me.actor, &query.q).await?;
    Ok(IndexPage {
        c,
        q: query.q,
        results,
    })
}
