//! `/api/v1/credit-notes`, mirroring invoices, plus applying credit,
//! refunds, voiding; and `POST /api/v1/invoices/{id}/cancel`.

use axum::{
    Json, Router,
    extract::{Path, State},
    response::{IntoResponse, Response},
    routing::post,
};
use chrono::{DateTime, NaiveDate, Utc};
use kernel::{AppResult, money};
use sea_orm::QueryResult;
use serde::Serialize;

use super::{
    model::{
        AmountInput, Application, CreditNote, CreditNoteId, CreditNoteInput, CreditNoteRow, Status,
    },
    service::{self, CreditNotes},
};
use crate::{
    api::created,
    common::documents::{
        api::{self, DocumentApi},
        json::BodyJson,
        store::Listed,
    },
    http::extract::{ApiJson, Staff},
    modules::{customers::model::CustomerId, invoices::model::InvoiceId},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit-notes/{id}/apply", post(apply))
        .route("/credit-notes/{id}/refund", post(refund))
        .route("/credit-notes/{id}/void", post(void))
        .route("/invoices/{id}/cancel", post(cancel_invoice))
        .merge(api::routes::<CreditNotes>())
}

impl DocumentApi for CreditNotes {
    type Status = Status;
    type Json = CreditNoteJson;
    type RowJson = RowJson;

    async fn json(state: &AppState, note: &CreditNote) -> AppResult<CreditNoteJson> {
        let applications = service::applications_of(&state.db, note.id).await?;
        Ok(CreditNoteJson::new(note, applications))
    }

    fn row_json(listed: Listed, row: &QueryResult) -> AppResult<RowJson> {
        Ok(service::row(listed, row)?.into())
    }

    fn customer_of(fields: &CreditNoteInput) -> Option<i64> {
        fields.customer_id
    }
}

#[derive(Serialize)]
struct ApplicationJson {
    invoice_id: InvoiceId,
    invoice_number: String,
    amount: String,
    date: NaiveDate,
}

#[derive(Serialize)]
pub struct CreditNoteJson {
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

#[derive(Serialize)]
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

async fn apply(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmountInput>,
) -> AppResult<Json<CreditNoteJson>> {
    service::apply(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    api::json_of::<CreditNotes>(&state, &me.actor, id).await
}

async fn refund(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AmountInput>,
) -> AppResult<Json<CreditNoteJson>> {
    service::refund(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await?;
    api::json_of::<CreditNotes>(&state, &me.actor, id).await
}

async fn void(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<CreditNoteJson>> {
    service::void(&state.db, &me.actor, CreditNoteId(id), &state.clock).await?;
    api::json_of::<CreditNotes>(&state, &me.actor, id).await
}

/// Cancels the invoice; answers with the Stornorechnung.
async fn cancel_invoice(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let note = service::cancel_invoice(&state, &me.actor, InvoiceId(id)).await?;
    let json = api::json_of::<CreditNotes>(&state, &me.actor, note.0).await?;
    Ok(created(json.0).into_response())
}
