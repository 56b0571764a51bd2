//! `/api/v1/estimates`, mirroring invoices, plus recording the customer's
//! answer, taking it back and converting to an invoice.

use axum::{Json, Router, extract::State, routing::post};
use chrono::NaiveDate;
use kernel::{AppError, AppResult};
use sea_orm::QueryResult;
use serde::Deserialize;

use super::{
    model::{Converted, Estimate, EstimateId, EstimateInput, EstimateJson, EstimateRowJson},
    service::{self, Estimates},
};
use crate::{
    api::openapi::ErrorEnvelope,
    common::documents::{
        accept::DeclineInput,
        api::{self, DocumentApi},
        store::Listed,
    },
    http::extract::{ApiJson, Path, Staff},
    state::AppState,
};

/// The shared document operations and the estimate's own.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::openapi::<Estimates>();
    doc.merge(<Doc as utoipa::OpenApi>::openapi());
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/estimates/{id}/accept", post(accept))
        .route("/estimates/{id}/decline", post(decline))
        .route("/estimates/{id}/undo-answer", post(undo_answer))
        .route("/estimates/{id}/convert", post(convert))
        .merge(api::routes::<Estimates>())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(accept, decline, undo_answer, convert))]
pub struct Doc;

impl DocumentApi for Estimates {
    type Json = EstimateJson;
    type RowJson = EstimateRowJson;

    async fn json(state: &AppState, e: &Estimate) -> AppResult<EstimateJson> {
        Ok(EstimateJson::new(e, &state.config.base_url))
    }

    fn row_json(listed: Listed, row: &QueryResult, _: NaiveDate) -> AppResult<EstimateRowJson> {
        Ok(service::row(listed, row)?.into())
    }

    fn customer_of(fields: &EstimateInput) -> Option<i64> {
        fields.customer_id
    }
}

/// Who accepted, as staff record an answer given another way.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AcceptedBy {
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<200>)]
    name: String,
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<200>)]
    email: String,
}

/// Records the customer's acceptance given another way (by phone); audited.
#[utoipa::path(post, path = "/estimates/{id}/accept", tag = "estimates", params(("id" = i64, Path)),
    request_body = AcceptedBy,
    responses((status = 200, description = "The estimate", body = EstimateJson),
        (status = 409, description = "Not open: a draft, answered or expired", body = ErrorEnvelope)))]
async fn accept(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AcceptedBy>,
) -> AppResult<Json<EstimateJson>> {
    service::accept_for(&state, &me.actor, EstimateId(id), &input.name, &input.email).await?;
    api::json_of::<Estimates>(&state, &me.actor, id).await
}

/// Records the customer's decline given another way.
#[utoipa::path(post, path = "/estimates/{id}/decline", tag = "estimates", params(("id" = i64, Path)),
    request_body = DeclineInput,
    responses((status = 200, description = "The estimate", body = EstimateJson),
        (status = 409, description = "Not open: a draft, answered or expired", body = ErrorEnvelope)))]
async fn decline(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DeclineInput>,
) -> AppResult<Json<EstimateJson>> {
    let reason = input.check().map_err(AppError::Validation)?;
    service::decline_for(&state, &me.actor, EstimateId(id), reason).await?;
    api::json_of::<Estimates>(&state, &me.actor, id).await
}

/// Takes the customer's answer back while the estimate is not converted.
#[utoipa::path(post, path = "/estimates/{id}/undo-answer", tag = "estimates", params(("id" = i64, Path)),
    responses((status = 200, description = "The estimate, open again", body = EstimateJson),
        (status = 409, description = "Not answered, or converted already", body = ErrorEnvelope)))]
async fn undo_answer(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<EstimateJson>> {
    service::undo_answer(&state, &me.actor, EstimateId(id)).await?;
    api::json_of::<Estimates>(&state, &me.actor, id).await
}

/// Makes a draft invoice of the sent or accepted estimate, once.
#[utoipa::path(post, path = "/estimates/{id}/convert", tag = "estimates", params(("id" = i64, Path)),
    responses((status = 200, description = "The invoice made of it", body = Converted),
        (status = 409, description = "Converted already, or not sent or accepted", body = ErrorEnvelope)))]
async fn convert(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Converted>> {
    let invoice_id = service::convert(&state, &me.actor, EstimateId(id)).await?;
    Ok(Json(Converted { invoice_id }))
}
