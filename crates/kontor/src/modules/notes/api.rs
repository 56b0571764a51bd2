//! `/api/v1/notes` (staff only: notes are never shown to contacts).

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use kernel::{AppError, AppResult};
use serde::Deserialize;

use super::{
    model::{Note, NoteId, NoteInput},
    service,
};
use crate::{
    api::{ListBody, all, created},
    http::extract::{ApiJson, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notes", get(index).post(create))
        .route("/notes/{id}", get(show).patch(update).delete(delete))
}

#[derive(Deserialize)]
struct IndexQuery {
    customer_id: Option<i64>,
}

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<Note>>> {
    let customer = q
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    Ok(all(service::list(
        &state.db,
        &me.actor,
        CustomerId(customer),
    )
    .await?))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Note>> {
    Ok(Json(service::get(&state.db, &me.actor, NoteId(id)).await?))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<NoteInput>,
) -> AppResult<impl IntoResponse> {
    let customer = input
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let id = service::create(
        &state.db,
        &me.actor,
        CustomerId(customer),
        &input,
        &state.clock,
    )
    .await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NoteInput>,
) -> AppResult<Json<Note>> {
    service::update(&state.db, &me.actor, NoteId(id), &input, &state.clock).await?;
    Ok(Json(service::get(&state.db, &me.actor, NoteId(id)).await?))
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, NoteId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}
