//! `/api/v1/vault`: entries (never with their password) and `reveal`.

use std::net::SocketAddr;

use axum::{
    Json, Router,
    extract::{ConnectInfo, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::IntoResponse,
    routing::{get, post},
};
use kernel::{AppError, AppResult};
use serde::Deserialize;
use serde_json::{Value, json};

use super::{
    model::{Entry, EntryId, EntryInput},
    service,
};
use crate::{
    api::{ListBody, all, created},
    http::{
        client_ip,
        extract::{ApiJson, Staff},
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

#[derive(Deserialize)]
struct IndexQuery {
    customer_id: Option<i64>,
}

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<Entry>>> {
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
) -> AppResult<Json<Entry>> {
    Ok(Json(service::get(&state.db, &me.actor, EntryId(id)).await?))
}

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

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, EntryId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Deserialize)]
struct RevealBody {
    #[serde(default)]
    password: String,
}

/// `{"password": "<your own login password>"}` -> `{"password": "<the entry's>"}`.
async fn reveal(
    State(state): State<AppState>,
    Staff(me): Staff,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    ApiJson(body): ApiJson<RevealBody>,
) -> AppResult<Json<Value>> {
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
    Ok(Json(json!({"password": password})))
}
