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
use serde_json::Value;

use super::{
    model::{Contact, ContactId, ContactInput},
    service,
};
use crate::{
    api::{ListBody, created},
    http::{
        extract::{ApiJson, Staff},
        identity::SignedIn,
    },
    modules::{
        custom_fields::{model::CustomField, service as custom_fields},
        customers::model::CustomerId,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/contacts", get(index).post(create))
        .route("/contacts/{id}", get(show).patch(update).delete(delete))
        .route("/contacts/{id}/make-primary", post(make_primary))
        .route("/contacts/{id}/invite", post(invite))
}

/// A contact as JSON, custom fields typed by their definitions.
fn json(defs: &[CustomField], contact: &Contact) -> AppResult<Value> {
    let mut value = serde_json::to_value(contact).map_err(anyhow::Error::from)?;
    value["custom_fields"] = custom_fields::to_json(defs, &contact.custom_fields);
    Ok(value)
}

async fn one(state: &AppState, me: &SignedIn, id: ContactId) -> AppResult<Value> {
    let contact = service::get(&state.db, &me.actor, id).await?;
    json(&service::fields(&state.db).await?, &contact)
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
) -> AppResult<Json<ListBody<Value>>> {
    let customer = q
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let contacts = service::list(&state.db, &me.actor, CustomerId(customer)).await?;
    let defs = service::fields(&state.db).await?;
    let data = contacts
        .iter()
        .map(|c| json(&defs, c))
        .collect::<AppResult<Vec<_>>>()?;
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
) -> AppResult<Json<Value>> {
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<ContactInput>,
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
    Ok(created(one(&state, &me, id).await?))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContactInput>,
) -> AppResult<Json<Value>> {
    service::update(&state.db, &me.actor, ContactId(id), &input, &state.clock).await?;
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

async fn make_primary(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    service::make_primary(&state.db, &me.actor, ContactId(id), &state.clock).await?;
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

/// Sends the invitation email with a set-password link.
async fn invite(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    service::invite(
        &state.db,
        &state.config,
        &me.actor,
        ContactId(id),
        &state.clock,
    )
    .await?;
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, ContactId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}
