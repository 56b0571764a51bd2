//! `/api/v1/payments`.

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use chrono::NaiveDate;
use kernel::{AppError, AppResult, money};
use serde::{Deserialize, Serialize};

use super::{
    model::{Payment, PaymentFilter, PaymentId, PaymentInput},
    service,
};
use crate::{
    api::{ListBody, all, created, openapi::ErrorEnvelope},
    http::extract::{ApiJson, Path, Staff},
    modules::{customers::model::CustomerId, invoices::model::InvoiceId},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/payments", get(index).post(create))
        .route("/payments/{id}", get(show).patch(update).delete(delete))
        .route("/payments/{id}/pdf", get(pdf))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, show, create, update, delete, pdf), modifiers(&CREATING))]
pub struct Doc;

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/payments",
    fields: &["invoice_id", "amount"],
};

#[derive(Serialize, utoipa::ToSchema)]
pub struct PaymentJson {
    id: PaymentId,
    invoice_id: InvoiceId,
    invoice_number: String,
    customer_id: CustomerId,
    #[schema(pattern = r"^-?[0-9]+(\.[0-9]+)?$")]
    amount: String,
    currency: String,
    date: NaiveDate,
    payment_mode: Option<i64>,
    transaction_id: String,
    note: String,
}

impl From<Payment> for PaymentJson {
    fn from(p: Payment) -> Self {
        Self {
            amount: money::to_api(p.amount, money::minor_digits(&p.currency)),
            id: p.id,
            invoice_id: p.invoice_id,
            invoice_number: p.invoice_number,
            customer_id: p.customer_id,
            currency: p.currency,
            date: p.date,
            payment_mode: p.payment_mode.map(|m| m.0),
            transaction_id: p.transaction_id,
            note: p.note,
        }
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct IndexQuery {
    /// Only this customer's payments.
    #[serde(default, deserialize_with = "kernel::web::number")]
    #[param(schema_with = kernel::web::number_schema)]
    customer_id: Option<i64>,
    /// Only this invoice's payments (then unpaged).
    #[serde(default, deserialize_with = "kernel::web::number")]
    #[param(schema_with = kernel::web::number_schema)]
    invoice_id: Option<i64>,
    /// Received on or after this day, `YYYY-MM-DD`.
    #[serde(default)]
    #[param(schema_with = crate::api::schema::query_date)]
    from: String,
    /// Received on or before this day.
    #[serde(default)]
    #[param(schema_with = crate::api::schema::query_date)]
    to: String,
    /// A payment mode's id.
    #[serde(default)]
    #[param(pattern = "^[0-9]{0,18}$")]
    payment_mode: String,
    #[serde(flatten)]
    #[param(ignore)]
    list: kernel::web::ListQuery,
}

/// Payments the token may see, newest first, a page at a time.
#[utoipa::path(get, path = "/payments", tag = "payments", params(IndexQuery, kernel::web::ListQuery),
    responses((status = 200, description = "A page of payments", body = ListBody<PaymentJson>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<PaymentJson>>> {
    let filter =
        PaymentFilter::parse(&q.from, &q.to, &q.payment_mode).map_err(AppError::Validation)?;
    if let Some(i) = q.invoice_id {
        // An invoice has a handful of payments: one page holds them all.
        let list = service::of_invoice(&state.db, &me.actor, InvoiceId(i)).await?;
        return Ok(all(list.into_iter().map(PaymentJson::from).collect()));
    }
    let (page, _) = service::page(
        &state.db,
        &me.actor,
        q.customer_id.map(CustomerId),
        &filter,
        q.list.page(),
        q.list.per_page(),
    )
    .await?;
    Ok(Json(page.map(PaymentJson::from).into()))
}

#[utoipa::path(get, path = "/payments/{id}", tag = "payments", params(("id" = i64, Path)),
    responses((status = 200, description = "The payment", body = PaymentJson)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<PaymentJson>> {
    Ok(Json(
        service::get(&state.db, &me.actor, PaymentId(id))
            .await?
            .into(),
    ))
}

#[utoipa::path(post, path = "/payments", tag = "payments", request_body = PaymentInput,
    responses((status = 201, description = "The payment", body = PaymentJson),
        (status = 409, description = "The invoice is not open for payments", body = ErrorEnvelope)))]
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<PaymentInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    let payment: PaymentJson = service::get(&state.db, &me.actor, id).await?.into();
    Ok(created(payment))
}

#[utoipa::path(patch, path = "/payments/{id}", tag = "payments", params(("id" = i64, Path)),
    request_body = PaymentInput,
    responses((status = 200, description = "The payment", body = PaymentJson),
        (status = 409, description = "The invoice is not open for payments", body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<PaymentInput>,
) -> AppResult<Json<PaymentJson>> {
    service::update(&state.db, &me.actor, PaymentId(id), &input, &state.clock).await?;
    Ok(Json(
        service::get(&state.db, &me.actor, PaymentId(id))
            .await?
            .into(),
    ))
}

#[utoipa::path(delete, path = "/payments/{id}", tag = "payments", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted; the invoice is open again")))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, PaymentId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The payment receipt.
#[utoipa::path(get, path = "/payments/{id}/pdf", tag = "payments", params(("id" = i64, Path)),
    responses((status = 200, description = "The receipt", content_type = "application/pdf", body = Vec<u8>)))]
async fn pdf(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<axum::response::Response> {
    super::receipt::download(&state, &me.actor, PaymentId(id))
        .await?
        .into_response()
}
