//! `/api/v1/search?q=`.

use axum::{
    Json, Router,
    extract::{Query, State},
    routing::get,
};
use kernel::AppResult;

use super::{
    model::{Results, SearchQuery},
    service,
};
use crate::{http::extract::Staff, state::AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/search", get(index))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(index))]
pub struct Doc;

/// Customers, contacts and documents the token may see, grouped by kind
/// (at most 20 of each).
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery),
    responses((status = 200, description = "The hits by kind", body = Results)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(query): Query<SearchQuery>,
) -> AppResult<Json<Results>> {
    Ok(Json(service::search(&state.db, &me.actor, &query.q).await?))
}
