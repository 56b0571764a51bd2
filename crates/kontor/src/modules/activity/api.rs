//! `/api/v1/customers/{id}/activity`: the audit trail of a customer.

use axum::{Json, Router, extract::State, routing::get};
use kernel::AppResult;
use serde::Serialize;

use super::{
    model::{ActivityEntry, Change},
    service,
};
use crate::{
    http::extract::{Path, Staff},
    modules::customers::{model::CustomerId, service as customers},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}/activity", get(show))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(show))]
pub struct Doc;

/// The customer's activity and field changes, newest first.
#[derive(Serialize, utoipa::ToSchema)]
struct Trail {
    activity: Vec<ActivityEntry>,
    changes: Vec<Change>,
}

#[utoipa::path(get, path = "/customers/{id}/activity", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, description = "The audit trail", body = Trail)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Trail>> {
    customers::ensure_visible(&state.db, &me.actor, CustomerId(id)).await?;
    let (activity, changes) = service::of_customer(&state.db, &me.actor, id).await?;
    Ok(Json(Trail { activity, changes }))
}
