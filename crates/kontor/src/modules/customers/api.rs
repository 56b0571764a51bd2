//! `/api/v1/customers`, and `/api/v1/currencies` a customer may be billed in.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
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
    api::{ListBody, all, created},
    http::extract::{ApiJson, Staff},
    modules::custom_fields::service as custom_fields,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(index).post(create))
        .route("/customers/{id}", get(show).patch(update).delete(delete))
        .route("/currencies", get(currencies))
}

#[derive(Serialize)]
struct CurrencyJson {
    code: &'static str,
    /// Digits after the decimal point in amounts of this currency.
    minor_digits: u32,
}

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

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<CustomerRow>>> {
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
    let mut json = serde_json::to_value(CustomerJson::from(&c)).map_err(anyhow::Error::from)?;
    json["custom_fields"] =
        custom_fields::to_json(&service::fields(&state.db).await?, &c.custom_fields);
    Ok(json)
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Value>> {
    Ok(Json(one(&state, &me, CustomerId(id)).await?))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<CustomerInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(one(&state, &me, id).await?))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CustomerInput>,
) -> AppResult<Json<Value>> {
    service::update(&state.db, &me.actor, CustomerId(id), &input, &state.clock).await?;
    Ok(Json(one(&state, &me, CustomerId(id)).await?))
}

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
