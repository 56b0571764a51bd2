//! `/api/v1/vault`: entries (never with their password) and `reveal`.

use std::net::SocketAddr;

use axum::{
    Json, Router,
    extract::{ConnectInfo, Query, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::{get, post},
};
use kernel::{AppError, AppResult};
use serde::{Deserialize, Serialize};

use super::{
    model::{Entry, EntryId, EntryInput},
    service,
};
use crate::{
    api::{ForCustomer, ListBody, all, created, openapi::ErrorEnvelope},
    http::{
        client_ip,
        extract::{ApiJson, Path, Staff},
    },
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/vault", get(index).post(create))
        .route("/vault/{id}", get(show).patch(update).delete(delete))
        .route("/vault/{id}/reveal", post(reveal))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, show, create, update, delete, reveal), modifiers(&CREATING))]
pub struct Doc;

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/vault",
    fields: &["customer_id", "server", "password"],
};

#[utoipa::path(get, path = "/vault", tag = "vault", params(ForCustomer),
    responses((status = 200, description = "The customer's entries the token may see", body = ListBody<Entry>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<ForCustomer>,
) -> AppResult<Json<ListBody<Entry>>> {
    let customer = q.customer()?;
    Ok(all(service::list(&state.db, &me.actor, customer).await?))
}

#[utoipa::path(get, path = "/vault/{id}", tag = "vault", params(("id" = i64, Path)),
    responses((status = 200, description = "The entry", body = Entry)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Entry>> {
    Ok(Json(service::get(&state.db, &me.actor, EntryId(id)).await?))
}

#[utoipa::path(post, path = "/vault", tag = "vault", request_body = EntryInput,
    responses((status = 201, description = "The entry", body = Entry)))]
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<EntryInput>,
) -> AppResult<impl IntoResponse> {
    let customer = input
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let id = service::create(
        &state.db,
        &state.vault_key,
        &me.actor,
        CustomerId(customer),
        &input,
        &state.clock,
    )
    .await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

#[utoipa::path(patch, path = "/vault/{id}", tag = "vault", params(("id" = i64, Path)),
    request_body = EntryInput,
    responses((status = 200, description = "The entry", body = Entry)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<EntryInput>,
) -> AppResult<Json<Entry>> {
    service::update(
        &state.db,
        &state.vault_key,
        &me.actor,
        EntryId(id),
        &input,
        &state.clock,
    )
    .await?;
    Ok(Json(service::get(&state.db, &me.actor, EntryId(id)).await?))
}

#[utoipa::path(delete, path = "/vault/{id}", tag = "vault", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, EntryId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize, utoipa::ToSchema)]
struct RevealBody {
    /// The caller's own login password.
    #[serde(default)]
    #[schema(min_length = 1)]
    password: String,
}

/// The entry's password.
#[derive(Serialize, utoipa::ToSchema)]
struct Revealed {
    password: String,
}

/// `{"password": "<your own login password>"}` -> `{"password": "<the entry's>"}`.
#[utoipa::path(post, path = "/vault/{id}/reveal", tag = "vault", params(("id" = i64, Path)),
    request_body = RevealBody,
    responses((status = 200, description = "The entry's password", body = Revealed),
        (status = 409, description = "The stored seal does not belong to this entry", body = ErrorEnvelope),
        (status = 429, description = "Too many wrong passwords; wait a while", body = ErrorEnvelope)))]
async fn reveal(
    State(state): State<AppState>,
    Staff(me): Staff,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RevealBody>,
) -> AppResult<Json<Revealed>> {
    if body.password.is_empty() {
        return Err(AppError::field("password", "error-required"));
    }
    let ip = client_ip(&state.config.trusted_proxies, addr, &headers);
    let password = service::reveal(
        &state.db,
        &state.vault_key,
        &me,
        EntryId(id),
        Some(&body.password),
        &ip,
        &state.clock,
    )
    .await?;
    Ok(Json(Revealed { password }))
}
