//! `/api/v1/custom-fields`: field definitions.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use kernel::AppResult;

use super::{
    model::{CustomField, FieldId, FieldInput},
    service,
};
use crate::{
    api::{ListBody, all, created},
    http::extract::{ApiJson, Staff},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/custom-fields", get(index).post(create))
        .route(
            "/custom-fields/{id}",
            get(show).patch(update).delete(delete),
        )
}

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<CustomField>>> {
    Ok(all(service::all(&state.db, &me.actor).await?))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CustomField>> {
    Ok(Json(service::get(&state.db, &me.actor, FieldId(id)).await?))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<FieldInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FieldInput>,
) -> AppResult<Json<CustomField>> {
    service::update(&state.db, &me.actor, FieldId(id), &input, &state.clock).await?;
    Ok(Json(service::get(&state.db, &me.actor, FieldId(id)).await?))
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, FieldId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
