//! `/api/v1/contacts`.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};
use kernel::{AppError, AppResult, web::Page};
use serde::Deserialize;

use super::{
    model::{Contact, ContactId, ContactInput},
    service,
};
use crate::{
    api::{ListBody, created},
    http::extract::{ApiJson, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(index).post(create))
        .route("/contacts/{id}", get(show).patch(update).delete(delete))
        .route("/contacts/{id}/make-primary", post(make_primary))
}

#[derive(Deserialize)]
struct IndexQuery {
    customer_id: Option<i64>,
}

/// Contacts are listed per customer (`?customer_id=` is required).
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<Contact>>> {
    let customer = q
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let data = service::list(&state.db, &me.actor, CustomerId(customer)).await?;
    let total = data.len() as u64;
    Ok(Json(
        Page {
            data,
            page: 1,
            per_page: total.max(1),
            total,
        }
        .into(),
    ))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Contact>> {
    Ok(Json(
        service::get(&state.db, &me.actor, ContactId(id)).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<ContactInput>,
) -> AppResult<impl IntoResponse> {
    let customer = input
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let id = service::create(&state.db, &me.actor, CustomerId(customer), &input).await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContactInput>,
) -> AppResult<Json<Contact>> {
    service::update(&state.db, &me.actor, ContactId(id), &input).await?;
    Ok(Json(
        service::get(&state.db, &me.actor, ContactId(id)).await?,
    ))
}

async fn make_primary(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Contact>> {
    service::make_primary(&state.db, &me.actor, ContactId(id)).await?;
    Ok(Json(
        service::get(&state.db, &me.actor, ContactId(id)).await?,
    ))
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, ContactId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
