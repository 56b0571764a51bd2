//! `/api/v1/credit-notes`, mirroring invoices, plus applying credit,
//! refunds, voiding; and `POST /api/v1/invoices/{id}/cancel`.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppError, AppResult, money};
use serde::{Deserialize, Serialize};

use super::{
    model::{
        AmountInput, Application, CreditNote, CreditNoteFilter, CreditNoteId, CreditNoteInput,
        CreditNoteRow, Status,
    },
    service,
};
use crate::common::documents::body::BodyInput;
use crate::common::documents::json::BodyJson;
use crate::{
    api::{ListBody, all, created},
    common::sending::SendInput,
    http::extract::{ApiJson, ApiJsonPair, Staff},
    modules::{customers::model::CustomerId, invoices::model::InvoiceId},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit-notes", get(index).post(create))
        .route("/credit-notes/{id}", get(show).patch(update).delete(delete))
        .route("/credit-notes/{id}/issue", post(issue))
        .route("/credit-notes/{id}/apply", post(apply))
        .route("/credit-notes/{id}/refund", post(refund))
        .route("/credit-notes/{id}/void", post(void))
        .route("/credit-notes/{id}/pdf", get(pdf))
        .route("/credit-notes/{id}/send", post(send))
        .route("/invoices/{id}/cancel", post(cancel_invoice))
}

#[derive(Serialize)]
struct ApplicationJson {
    invoice_id: InvoiceId,
    invoice_number: String,
    amount: String,
    date: NaiveDate,
}

#[derive(Serialize)]
struct CreditNoteJson {
    id: CreditNoteId,
    number: Option<String>,
    customer_id: CustomerId,
    status: Status,
    invoice_id: Option<InvoiceId>,
    cancellation: bool,
    #[serde(flatten)]
    body: BodyJson,
    amount_applied: String,
    amount_refunded: String,
    remaining: String,
    applications: Vec<ApplicationJson>,
    issued_at: Option<DateTime<Utc>>,
}

impl CreditNoteJson {
    fn new(n: &CreditNote, applications: Vec<Application>) -> Self {
        let digits = money::minor_digits(&n.body.currency);
        let m = |v| money::to_api(v, digits);
        Self {
            id: n.id,
            number: n.number.clone(),
            customer_id: n.customer_id,
            status: n.status,
            invoice_id: n.invoice_id,
            cancellation: n.cancellation,
            body: BodyJson::from(&n.body),
            amount_applied: m(n.applied),
            amount_refunded: m(n.refunded),
            remaining: m(n.remaining()),
            applications: applications
                .into_iter()
                .map(|a| ApplicationJson {
                    invoice_id: a.invoice_id,
                    invoice_number: a.invoice_number,
                    amount: m(a.amount),
                    date: a.date,
                })
                .collect(),
            issued_at: n.issued_at,
        }
    }
}

async fn json_of(
    state: &AppState,
    me: &crate::http::identity::SignedIn,
    id: CreditNoteId,
) -> AppResult<Json<CreditNoteJson>> {
    let note = service::get(&state.db, &me.actor, id).await?;
    let applications = service::applications_of(&state.db, id).await?;
    Ok(Json(CreditNoteJson::new(&note, applications)))
}

#[derive(Serialize)]
struct RowJson {
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

#[derive(Deserialize)]
struct IndexQuery {
    customer_id: Option<i64>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
}

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<RowJson>>> {
    let customer = q
        .customer_id
        .ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let filter =
        CreditNoteFilter::parse(&q.status, &q.from, &q.to).map_err(AppError::Validation)?;
    let rows = service::list(&state.db, &me.actor, CustomerId(customer), &filter).await?;
    Ok(all(rows.into_iter().map(RowJson::from).collect()))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CreditNoteJson>> {
    json_of(&state, &me, CreditNoteId(id)).await
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, CreditNoteInput>,
) -> AppResult<Response> {
    let input = CreditNoteInput { body, ..fields };
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
    Ok(created(json_of(&state, &me, id).await?.0).into_response())
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, CreditNoteInput>,
) -> AppResult<Json<CreditNoteJson>> {
    let input = CreditNoteInput { body, ..fields };
    service::update(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    json_of(&state, &me, CreditNoteId(id)).await
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, CreditNoteId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CreditNoteJson>> {
    super::pdf::issue(&state, &me.actor, CreditNoteId(id)).await?;
    json_of(&state, &me, CreditNoteId(id)).await
}

async fn apply(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmountInput>,
) -> AppResult<Json<CreditNoteJson>> {
    service::apply(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    json_of(&state, &me, CreditNoteId(id)).await
}

async fn refund(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmountInput>,
) -> AppResult<Json<CreditNoteJson>> {
    service::refund(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    json_of(&state, &me, CreditNoteId(id)).await
}

async fn void(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CreditNoteJson>> {
    service::void(&state.db, &me.actor, CreditNoteId(id), &state.clock).await?;
    json_of(&state, &me, CreditNoteId(id)).await
}

async fn pdf(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    super::pdf::download(&state, &me.actor, CreditNoteId(id))
        .await?
        .into_response()
}

/// Sends the note by email (absent fields take the defaults: contacts
/// with the invoices permission, the template in the customer's language).
async fn send(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SendInput>,
) -> AppResult<Json<CreditNoteJson>> {
    super::send::send(&state, &me.actor, CreditNoteId(id), &input).await?;
    json_of(&state, &me, CreditNoteId(id)).await
}

/// Cancels the invoice; answers with the Stornorechnung.
async fn cancel_invoice(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let note = super::pdf::cancel_invoice(&state, &me.actor, InvoiceId(id)).await?;
    Ok(created(json_of(&state, &me, note).await?.0).into_response())
}
