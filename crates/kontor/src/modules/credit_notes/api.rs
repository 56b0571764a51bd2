//! `/api/v1/credit-notes`, mirroring invoices, plus applying credit,
//! refunds, voiding; and `POST /api/v1/invoices/{id}/cancel`.

use axum::{Json, Router, extract::State, routing::post};
use chrono::NaiveDate;
use kernel::{AppResult, money};
use sea_orm::QueryResult;
use serde::Serialize;

use super::{
    model::{
        AmountInput, CreditNote, CreditNoteId, CreditNoteInput, CreditNoteJson, CreditNoteRow,
        Status,
    },
    service::{self, CreditNotes},
};
use crate::{
    api::openapi::ErrorEnvelope,
    common::documents::{
        api::{self, DocumentApi},
        store::Listed,
    },
    http::extract::{ApiJson, Path, Staff},
    state::AppState,
};

/// The shared document operations and the credit note's own.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::openapi::<CreditNotes>();
    doc.merge(<Doc as utoipa::OpenApi>::openapi());
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit-notes/{id}/apply", post(apply))
        .route("/credit-notes/{id}/refund", post(refund))
        .route("/credit-notes/{id}/void", post(void))
        .merge(api::routes::<CreditNotes>())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(apply, refund, void))]
pub struct Doc;

impl DocumentApi for CreditNotes {
    type Json = CreditNoteJson;
    type RowJson = RowJson;

    async fn json(state: &AppState, note: &CreditNote) -> AppResult<CreditNoteJson> {
        service::json(&state.db, note).await
    }

    fn row_json(listed: Listed, row: &QueryResult, _: NaiveDate) -> AppResult<RowJson> {
        Ok(service::row(listed, row)?.into())
    }

    fn customer_of(fields: &CreditNoteInput) -> Option<i64> {
        fields.customer_id
    }
}

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = CreditNoteListRow)]
pub struct RowJson {
    id: CreditNoteId,
    number: Option<String>,
    status: Status,
    date: NaiveDate,
    currency: String,
    total: String,
    remaining: String,
    cancellation: bool,
}

impl From<CreditNoteRow> for RowJson {
    fn from(r: CreditNoteRow) -> Self {
        let digits = money::minor_digits(&r.currency);
        let m = |v| money::to_api(money::from_minor(v, digits), digits);
        Self {
            total: m(r.total_minor),
            remaining: m(r.remaining_minor),
            id: r.id,
            number: r.number,
            status: r.status,
            date: r.date,
            currency: r.currency,
            cancellation: r.cancellation,
        }
    }
}

/// Applies credit to one of the customer's open invoices.
#[utoipa::path(post, path = "/credit-notes/{id}/apply", tag = "credit-notes", params(("id" = i64, Path)),
    request_body = AmountInput,
    responses((status = 200, description = "The credit note", body = CreditNoteJson),
        (status = 409, description = "Not open, or not that much credit left or owed", body = ErrorEnvelope)))]
async fn apply(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmountInput>,
) -> AppResult<Json<CreditNoteJson>> {
    service::apply(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    api::json_of::<CreditNotes>(&state, &me.actor, id).await
}

/// Pays credit back to the customer.
#[utoipa::path(post, path = "/credit-notes/{id}/refund", tag = "credit-notes", params(("id" = i64, Path)),
    request_body = AmountInput,
    responses((status = 200, description = "The credit note", body = CreditNoteJson),
        (status = 409, description = "Not open, or not that much credit left", body = ErrorEnvelope)))]
async fn refund(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmountInput>,
) -> AppResult<Json<CreditNoteJson>> {
    service::refund(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    api::json_of::<CreditNotes>(&state, &me.actor, id).await
}

/// Withdraws an issued credit note none of which is used; it keeps its number.
#[utoipa::path(post, path = "/credit-notes/{id}/void", tag = "credit-notes", params(("id" = i64, Path)),
    responses((status = 200, description = "The credit note", body = CreditNoteJson),
        (status = 409, description = "Credit of it is used already, or it is not open", body = ErrorEnvelope)))]
async fn void(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CreditNoteJson>> {
    service::void(&state.db, &me.actor, CreditNoteId(id), &state.clock).await?;
    api::json_of::<CreditNotes>(&state, &me.actor, id).await
}
