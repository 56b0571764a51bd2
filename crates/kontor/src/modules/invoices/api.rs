//! `/api/v1/invoices`: money as decimal strings with the currency.

use axum::{Json, Router, extract::State, response::IntoResponse, routing::post};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppResult, money};
use sea_orm::QueryResult;
use serde::Serialize;

use super::{
    model::{Invoice, InvoiceId, InvoiceInput, InvoiceRow, Status, Unit},
    service::{self, Invoices},
};
use crate::{
    api::{created, openapi::ErrorEnvelope},
    common::documents::{
        api::{self, DocumentApi},
        json::BodyJson,
        store::Listed,
    },
    http::extract::{Path, Staff},
    modules::{credit_notes::service as credit_notes, customers::model::CustomerId},
    state::AppState,
};

/// The shared document operations and the invoice's own.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::openapi::<Invoices>();
    doc.merge(<Doc as utoipa::OpenApi>::openapi());
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}/stop-recurring", post(stop_recurring))
        .route("/invoices/{id}/copy", post(copy))
        .route("/invoices/{id}/cancel", post(cancel))
        .merge(api::routes::<Invoices>())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(stop_recurring, copy, cancel))]
pub struct Doc;

impl DocumentApi for Invoices {
    type Json = InvoiceJson;
    type RowJson = RowJson;

    async fn json(state: &AppState, invoice: &Invoice) -> AppResult<InvoiceJson> {
        Ok(InvoiceJson::new(invoice, state.clock.today()))
    }

    fn row_json(listed: Listed, _: &QueryResult, today: NaiveDate) -> AppResult<RowJson> {
        Ok(RowJson::new(InvoiceRow::from(listed), today))
    }

    fn customer_of(fields: &InvoiceInput) -> Option<i64> {
        fields.customer_id
    }
}

/// An invoice; money in its `currency`.
#[derive(Serialize, utoipa::ToSchema)]
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

#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = InvoiceListRow)]
pub struct RowJson {
    id: InvoiceId,
    number: Option<String>,
    status: Status,
    date: NaiveDate,
    due_date: Option<NaiveDate>,
    currency: String,
    total: String,
    /// Open and past its due date (its `status` stays `unpaid` or
    /// `partially_paid`).
    overdue: bool,
}

impl RowJson {
    fn new(r: InvoiceRow, today: NaiveDate) -> Self {
        let digits = money::minor_digits(&r.currency);
        Self {
            overdue: r.status.is_overdue(r.due_date, today),
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

/// No further copies of a recurring invoice.
#[utoipa::path(post, path = "/invoices/{id}/stop-recurring", tag = "invoices", params(("id" = i64, Path)),
    responses((status = 200, description = "The invoice", body = InvoiceJson)))]
async fn stop_recurring(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<InvoiceJson>> {
    service::stop_recurring(&state.db, &me.actor, InvoiceId(id), &state.clock).await?;
    api::json_of::<Invoices>(&state, &me.actor, id).await
}

/// A new draft with the invoice's lines, dated today.
#[utoipa::path(post, path = "/invoices/{id}/copy", tag = "invoices", params(("id" = i64, Path)),
    responses((status = 201, description = "The new draft", body = InvoiceJson)))]
async fn copy(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<impl IntoResponse> {
    let today = state.clock.today();
    let copy = service::copy(&state.db, &me.actor, InvoiceId(id), today, &state.clock).await?;
    Ok(created(
        api::json_of::<Invoices>(&state, &me.actor, copy.0).await?.0,
    ))
}

/// Cancels the invoice; answers with the Stornorechnung.
#[utoipa::path(post, path = "/invoices/{id}/cancel", tag = "invoices", params(("id" = i64, Path)),
    responses((status = 201, description = "The Stornorechnung", body = credit_notes::CreditNoteJson),
        (status = 409, description = "Only an issued invoice with nothing paid or credited is cancelled", body = ErrorEnvelope)))]
async fn cancel(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<impl IntoResponse> {
    let note = credit_notes::cancel_invoice(&state, &me.actor, InvoiceId(id)).await?;
    let note = credit_notes::get(&state.db, &me.actor, note).await?;
    Ok(created(credit_notes::json(&state.db, &note).await?))
}
