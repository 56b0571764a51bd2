//! `/api/v1/contacts`.

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};
use kernel::{AppError, AppResult, web::Page};
use serde::Serialize;
use serde_json::Value;

use super::{
    model::{Contact, ContactId, ContactInput},
    service,
};
use crate::{
    api::{ForCustomer, ListBody, created, openapi::ErrorEnvelope},
    http::{
        extract::{ApiJson, Path, Staff},
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

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, show, create, update, make_primary, invite, delete), modifiers(&CREATING))]
pub struct Doc;

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/contacts",
    fields: &["customer_id", "first_name", "last_name", "email"],
};

/// A contact as JSON, custom fields typed by their definitions.
#[derive(Serialize, utoipa::ToSchema)]
struct ContactJson<'a> {
    #[serde(flatten)]
    contact: &'a Contact,
    /// Values by the field's key.
    custom_fields: serde_json::Map<String, Value>,
}

fn json(defs: &[CustomField], contact: &Contact) -> AppResult<Value> {
    let custom_fields = custom_fields::to_json(defs, &contact.custom_fields);
    Ok(serde_json::to_value(ContactJson {
        contact,
        custom_fields,
    })
    .map_err(anyhow::Error::from)?)
}

async fn one(state: &AppState, me: &SignedIn, id: ContactId) -> AppResult<Value> {
    let contact = service::get(&state.db, &me.actor, id).await?;
    json(&service::fields(&state.db).await?, &contact)
}

/// Contacts are listed per customer (`?customer_id=` is required).
#[utoipa::path(get, path = "/contacts", tag = "contacts", params(ForCustomer),
    responses((status = 200, description = "The customer's contacts", body = ListBody<ContactJson>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<ForCustomer>,
) -> AppResult<Json<ListBody<Value>>> {
    let customer = q.customer()?;
    let contacts = service::list(&state.db, &me.actor, customer).await?;
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

#[utoipa::path(get, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, description = "The contact", body = ContactJson)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

#[utoipa::path(post, path = "/contacts", tag = "contacts", request_body = ContactInput,
    responses((status = 201, description = "The contact", body = ContactJson),
        (status = 409, description = "The email belongs to another contact", body = ErrorEnvelope)))]
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

#[utoipa::path(patch, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    request_body = ContactInput,
    responses((status = 200, description = "The contact", body = ContactJson),
        (status = 409, description = "The email belongs to another contact", body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ContactInput>,
) -> AppResult<Json<Value>> {
    service::update(&state.db, &me.actor, ContactId(id), &input, &state.clock).await?;
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

/// Makes the contact its customer's primary contact.
#[utoipa::path(post, path = "/contacts/{id}/make-primary", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, description = "The contact", body = ContactJson)))]
async fn make_primary(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    service::make_primary(&state.db, &me.actor, ContactId(id), &state.clock).await?;
    Ok(Json(one(&state, &me, ContactId(id)).await?))
}

/// Sends the invitation email with a set-password link.
#[utoipa::path(post, path = "/contacts/{id}/invite", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 200, description = "The contact, invited", body = ContactJson),
        (status = 409, description = "The contact is inactive", body = ErrorEnvelope)))]
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

#[utoipa::path(delete, path = "/contacts/{id}", tag = "contacts", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, ContactId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}
