//! `/api/v1/customers`, and `/api/v1/currencies` a customer may be billed in.

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use kernel::{AppResult, web::ListQuery};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{
    model::{CURRENCIES, CustomerFilter, CustomerId, CustomerInput, CustomerJson, CustomerRow},
    service,
};
use crate::{
    api::{ListBody, all, created, openapi::ErrorEnvelope},
    http::extract::{ApiJson, Path, Staff},
    modules::custom_fields::service as custom_fields,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(index).post(create))
        .route("/customers/{id}", get(show).patch(update).delete(delete))
        .route("/currencies", get(currencies))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(currencies, index, show, create, update, delete), modifiers(&CREATING))]
pub struct Doc;

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/customers",
    fields: &["company"],
};

#[derive(Serialize, utoipa::ToSchema)]
struct CurrencyJson {
    code: &'static str,
    /// Digits after the decimal point in amounts of this currency.
    minor_digits: u32,
}

/// The currencies a customer may be billed in.
#[utoipa::path(get, path = "/currencies", tag = "customers",
    responses((status = 200, description = "The currencies", body = ListBody<CurrencyJson>)))]
async fn currencies(Staff(_): Staff) -> Json<ListBody<CurrencyJson>> {
    all(CURRENCIES
        .iter()
        .map(|code| CurrencyJson {
            code,
            minor_digits: kernel::money::minor_digits(code),
        })
        .collect())
}

#[derive(Deserialize)]
struct IndexQuery {
    #[serde(flatten)]
    list: ListQuery,
    #[serde(flatten)]
    filter: CustomerFilter,
}

/// The customers the token may see, a page at a time.
#[utoipa::path(get, path = "/customers", tag = "customers", params(ListQuery, CustomerFilter),
    responses((status = 200, description = "A page of customers", body = ListBody<CustomerRow>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<CustomerRow>>> {
    q.filter.check().map_err(kernel::AppError::Validation)?;
    Ok(Json(
        service::list(&state.db, &me.actor, &q.list, &q.filter, &[], None)
            .await?
            .into(),
    ))
}

async fn one(
    state: &AppState,
    me: &crate::http::identity::SignedIn,
    id: CustomerId,
) -> AppResult<Value> {
    let c = service::get(&state.db, &me.actor, id).await?;
    let fields = custom_fields::to_json(&service::fields(&state.db).await?, &c.custom_fields);
    Ok(serde_json::to_value(CustomerJson::new(&c, fields)).map_err(anyhow::Error::from)?)
}

#[utoipa::path(get, path = "/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 200, description = "The customer", body = CustomerJson)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(one(&state, &me, CustomerId(id)).await?))
}

#[utoipa::path(post, path = "/customers", tag = "customers", request_body = CustomerInput,
    responses((status = 201, description = "The customer", body = CustomerJson),
        (status = 409, description = "The number is taken", body = ErrorEnvelope)))]
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<CustomerInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(one(&state, &me, id).await?))
}

#[utoipa::path(patch, path = "/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    request_body = CustomerInput,
    responses((status = 200, description = "The customer", body = CustomerJson),
        (status = 409, description = "The number is taken, or the currency of a customer with documents", body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> AppResult<Json<Value>> {
    service::update(&state.db, &me.actor, CustomerId(id), &input, &state.clock).await?;
    Ok(Json(one(&state, &me, CustomerId(id)).await?))
}

/// Deletes the customer with its contacts, notes and files; one with
/// documents is kept (deactivate it instead).
#[utoipa::path(delete, path = "/customers/{id}", tag = "customers", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "The customer has documents", body = ErrorEnvelope)))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(
        &state.db,
        &state.storage,
        &me.actor,
        CustomerId(id),
        &state.clock,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
