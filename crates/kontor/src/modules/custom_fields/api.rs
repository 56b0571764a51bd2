//! `/api/v1/custom-fields`: field definitions.

use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};
use kernel::AppResult;

use super::{
    model::{CustomField, FieldId, FieldInput},
    service,
};
use crate::{
    api::{ListBody, all, created, openapi::ErrorEnvelope},
    http::extract::{ApiJson, Path, Staff},
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

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, show, create, update, delete), modifiers(&CREATING))]
pub struct Doc;

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/custom-fields",
    fields: &["entity_kind", "label", "field_type"],
};

#[utoipa::path(get, path = "/custom-fields", tag = "custom-fields",
    responses((status = 200, description = "Every definition", body = ListBody<CustomField>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<CustomField>>> {
    Ok(all(service::all(&state.db, &me.actor).await?))
}

#[utoipa::path(get, path = "/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)),
    responses((status = 200, description = "The definition", body = CustomField)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CustomField>> {
    Ok(Json(service::get(&state.db, &me.actor, FieldId(id)).await?))
}

#[utoipa::path(post, path = "/custom-fields", tag = "custom-fields", request_body = FieldInput,
    responses((status = 201, description = "The definition", body = CustomField),
        (status = 409, description = "The key is taken for this kind of record", body = ErrorEnvelope)))]
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<FieldInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

#[utoipa::path(patch, path = "/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)),
    request_body = FieldInput,
    responses((status = 200, description = "The definition", body = CustomField),
        (status = 409, description = "The key is taken for this kind of record", body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<FieldInput>,
) -> AppResult<Json<CustomField>> {
    service::update(&state.db, &me.actor, FieldId(id), &input, &state.clock).await?;
    Ok(Json(service::get(&state.db, &me.actor, FieldId(id)).await?))
}

#[utoipa::path(delete, path = "/custom-fields/{id}", tag = "custom-fields", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted with its values")))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, FieldId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
