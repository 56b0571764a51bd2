//! `/api/v1/invoices`: money as decimal strings with the currency.

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::{get, post},
};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppError, AppResult, money};
use serde::{Deserialize, Serialize};

use super::{
    model::{Invoice, InvoiceFilter, InvoiceId, InvoiceInput, InvoiceRow, Status, Unit},
    service,
};
use crate::common::documents::body::BodyInput;
use crate::{
    api::{ListBody, created},
    common::{documents::json::BodyJson, sending::SendInput},
    http::extract::{ApiJson, ApiJsonPair, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/invoices", get(index).post(create))
        .route("/invoices/{id}", get(show).patch(update).delete(delete))
        .route("/invoices/{id}/issue", post(issue))
        .route("/invoices/{id}/pdf", get(pdf))
        .route("/invoices/{id}/send", post(send))
        .route("/invoices/{id}/mark-sent", post(mark_sent))
        .route("/invoices/{id}/stop-recurring", post(stop_recurring))
        .route("/invoices/{id}/copy", post(copy))
}

#[derive(Serialize)]
pub struct InvoiceJson {
    id: InvoiceId,
    number: Option<String>,
    customer_id: CustomerId,
    status: Status,
    due_date: Option<NaiveDate>,
    #[serde(flatten)]
    body: BodyJson,
    amount_paid: String,
    amount_credited: String,
    amount_due: String,
    sales_agent_id: Option<i64>,
    created_by: i64,
    issued_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    overdue: bool,
    recurring_every: Option<u32>,
    recurring_unit: Option<Unit>,
    recurring_cycles: Option<u32>,
    recurring_done: u32,
    recurring_next: Option<NaiveDate>,
    recurring_parent_id: Option<InvoiceId>,
}

impl InvoiceJson {
    fn new(i: &Invoice, today: NaiveDate) -> Self {
        let digits = money::minor_digits(&i.currency);
        let m = |v| money::to_api(v, digits);
        Self {
            id: i.id,
            number: i.number.clone(),
            customer_id: i.customer_id,
            status: i.status,
            due_date: i.due_date,
            body: BodyJson::from(&i.data()),
            amount_paid: m(i.amount_paid),
            amount_credited: m(i.amount_credited),
            amount_due: m(i.amount_due()),
            sales_agent_id: i.sales_agent_id.map(|s| s.0),
            created_by: i.created_by.0,
            issued_at: i.issued_at,
            sent_at: i.sent_at,
            overdue: i.is_overdue(today),
            recurring_every: i.recurrence.map(|r| r.every),
            recurring_unit: i.recurrence.map(|r| r.unit),
            recurring_cycles: i.recurrence.map(|r| r.cycles),
            recurring_done: i.recurring_done,
            recurring_next: i.recurring_next,
            recurring_parent_id: i.recurring_parent,
        }
    }
}

#[derive(Serialize)]
pub struct RowJson {
    id: InvoiceId,
    number: Option<String>,
    status: Status,
    date: NaiveDate,
    due_date: Option<NaiveDate>,
    currency: String,
    total: String,
}

impl From<InvoiceRow> for RowJson {
    fn from(r: InvoiceRow) -> Self {
        let digits = money::minor_digits(&r.currency);
        Self {
            total: money::to_api(money::from_minor(r.total_minor, digits), digits),
            id: r.id,
            number: r.number,
            status: r.status,
            date: r.date,
            due_date: r.due_date,
            currency: r.currency,
        }
    }
}

#[derive(Deserialize)]
struct IndexQuery {
    #[serde(default, deserialize_with = "kernel::web::number")]
    customer_id: Option<i64>,
    #[serde(default)]
    status: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(flatten)]
    list: kernel::web::ListQuery,
}

/// Every filter is optional: without `customer_id` the list covers every
/// customer the actor sees, newest first, a page at a time.
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<RowJson>>> {
    let filter = InvoiceFilter::parse(&q.status, &q.from, &q.to).map_err(AppError::Validation)?;
    let (page, _) = service::page(
        &state.db,
        &me.actor,
        q.customer_id.map(CustomerId),
        &filter,
        q.list.page(),
        q.list.per_page(),
    )
    .await?;
    Ok(Json(page.map(RowJson::from).into()))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<InvoiceJson>> {
    let invoice = service::get(&state.db, &me.actor, InvoiceId(id)).await?;
    Ok(Json(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, InvoiceInput>,
) -> AppResult<impl IntoResponse> {
    let input = InvoiceInput { body, ..fields };
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
    let invoice = service::get(&state.db, &me.actor, id).await?;
    Ok(created(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, InvoiceInput>,
) -> AppResult<Json<InvoiceJson>> {
    let input = InvoiceInput { body, ..fields };
    service::update(&state.db, &me.actor, InvoiceId(id), &input, &state.clock).await?;
    let invoice = service::get(&state.db, &me.actor, InvoiceId(id)).await?;
    Ok(Json(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, InvoiceId(id), &state.clock).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<InvoiceJson>> {
    super::pdf::issue(&state, &me.actor, InvoiceId(id)).await?;
    let invoice = service::get(&state.db, &me.actor, InvoiceId(id)).await?;
    Ok(Json(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn pdf(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<axum::response::Response> {
    super::pdf::download(&state, &me.actor, InvoiceId(id))
        .await?
        .into_response()
}

async fn send(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SendInput>,
) -> AppResult<Json<InvoiceJson>> {
    super::send::send(&state, &me.actor, InvoiceId(id), &input, state.clock.now()).await?;
    let invoice = service::get(&state.db, &me.actor, InvoiceId(id)).await?;
    Ok(Json(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn mark_sent(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<InvoiceJson>> {
    super::send::mark_sent(&state, &me.actor, InvoiceId(id), state.clock.now()).await?;
    let invoice = service::get(&state.db, &me.actor, InvoiceId(id)).await?;
    Ok(Json(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn stop_recurring(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<InvoiceJson>> {
    service::stop_recurring(&state.db, &me.actor, InvoiceId(id), &state.clock).await?;
    let invoice = service::get(&state.db, &me.actor, InvoiceId(id)).await?;
    Ok(Json(InvoiceJson::new(&invoice, state.clock.today())))
}

async fn copy(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<impl IntoResponse> {
    let today = state.clock.today();
    let copy = service::copy(&state.db, &me.actor, InvoiceId(id), today, &state.clock).await?;
    let invoice = service::get(&state.db, &me.actor, copy).await?;
    Ok(created(InvoiceJson::new(&invoice, state.clock.today())))
}
