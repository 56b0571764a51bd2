//! `/api/v1/estimates`: the document core's operations, the kit's answer
//! operations, and converting to an invoice.

use axum::{Json, Router, extract::State, routing::post};
use chrono::NaiveDate;
use kernel::AppResult;
use sea_orm::QueryResult;

use super::{
    model::{Converted, Estimate, EstimateId, EstimateInput, EstimateJson, EstimateRowJson},
    service::{self, Estimates},
};
use crate::{
    api::openapi::ErrorEnvelope,
    common::documents::{
        answer,
        api::{self, DocumentApi},
        store::Listed,
    },
    http::extract::{Path, Staff},
    state::AppState,
};

/// The shared document operations and the estimate's own.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::openapi::<Estimates>();
    doc.merge(answer::api::openapi::<Estimates>());
    doc.merge(<Doc as utoipa::OpenApi>::openapi());
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/estimates/{id}/convert", post(convert))
        .merge(api::routes::<Estimates>())
        .merge(answer::api::routes::<Estimates>())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(convert))]
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
