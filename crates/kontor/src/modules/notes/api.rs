//! `/api/v1/notes` (staff only: notes are never shown to contacts).

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use kernel::{AppError, AppResult};

use super::{
    model::{Note, NoteId, NoteInput},
    service,
};
use crate::{
    api::{ForCustomer, ListBody, all, created, schema::Creating},
    http::extract::{ApiJson, Path, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notes", get(index).post(create))
        .route("/notes/{id}", get(show).patch(update).delete(delete))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, create, show, update, delete), modifiers(&CREATING))]
pub struct Doc;

const CREATING: Creating = Creating {
    path: "/notes",
    fields: &["customer_id", "body"],
};

/// The customer's notes, newest first.
#[utoipa::path(get, path = "/notes", tag = "notes", params(ForCustomer),
    responses((status = 200, description = "The notes", body = ListBody<Note>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<ForCustomer>,
) -> AppResult<Json<ListBody<Note>>> {
    let customer = q.customer()?;
    Ok(all(service::list(&state.db, &me.actor, customer).await?))
}

#[utoipa::path(get, path = "/notes/{id}", tag = "notes", params(("id" = i64, Path)),
    responses((status = 200, description = "The note", body = Note)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Note>> {
    Ok(Json(service::get(&state.db, &me.actor, NoteId(id)).await?))
}

/// A note on the customer.
#[utoipa::path(post, path = "/notes", tag = "notes", request_body = NoteInput,
    responses((status = 201, description = "The note", body = Note)))]
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

/// Changes the note (its author or an admin).
#[utoipa::path(patch, path = "/notes/{id}", tag = "notes", params(("id" = i64, Path)),
    request_body = NoteInput,
    responses((status = 200, description = "The note", body = Note)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<NoteInput>,
) -> AppResult<Json<Note>> {
    service::update(&state.db, &me.actor, NoteId(id), &input, &state.clock).await?;
    Ok(Json(service::get(&state.db, &me.actor, NoteId(id)).await?))
}

#[utoipa::path(delete, path = "/notes/{id}", tag = "notes", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, NoteId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}
