//! The API every document type has, once: list, read, create, change and
//! delete drafts, issue, PDF, send by email, mark as sent. Money travels as
//! decimal strings with the currency; the body's fields and the type's own
//! are one JSON object. A type's module registers these with [`routes`]
//! under its own path, next to its own actions.

use std::future::Future;

use axum::{
    Json, Router,
    extract::{Path, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use kernel::{AppError, AppResult};
use sea_orm::QueryResult;
use serde::{Deserialize, Serialize};

use super::{
    body::BodyInput,
    flow::Core,
    store::Listed,
    typed::{self, DocumentType},
};
use crate::{
    api::{ListBody, created},
    common::{filter::StatusKey, ids::CustomerId, sending::SendInput},
    http::extract::{ApiJson, ApiJsonPair, Staff},
    policy::StaffActor,
    state::AppState,
};

/// A document type as the API shows it.
pub trait DocumentApi: DocumentType {
    type Status: StatusKey + Send + Sync;
    type Json: Serialize + Send;
    type RowJson: Serialize + Send;

    fn json(
        state: &AppState,
        doc: &Self::Doc,
    ) -> impl Future<Output = AppResult<Self::Json>> + Send;

    fn row_json(listed: Listed, row: &QueryResult) -> AppResult<Self::RowJson>;

    fn customer_of(fields: &Self::Fields) -> Option<i64>;
}

/// The shared operations under the type's path.
pub fn routes<T: DocumentApi>() -> Router<AppState> {
    let path = T::KIND.path;
    Router::new()
        .route(path, get(index::<T>).post(create::<T>))
        .route(
            &format!("{path}/{{id}}"),
            get(show::<T>).patch(update::<T>).delete(delete::<T>),
        )
        .route(&format!("{path}/{{id}}/issue"), post(issue::<T>))
        .route(&format!("{path}/{{id}}/pdf"), get(pdf::<T>))
        .route(&format!("{path}/{{id}}/send"), post(send::<T>))
        .route(&format!("{path}/{{id}}/mark-sent"), post(mark_sent::<T>))
}

/// The document as the API shows it, read again after a change.
pub async fn json_of<T: DocumentApi>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<Json<T::Json>> {
    let doc = T::get(&state.db, actor, id).await?;
    Ok(Json(T::json(state, &doc).await?))
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
async fn index<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<T::RowJson>>> {
    let filter =
        crate::common::filter::DocumentFilter::<T::Status>::parse(&q.status, &q.from, &q.to)
            .map_err(AppError::Validation)?;
    let core = Core {
        svc: T::SVC,
        kind: T::KIND,
        db: &state.db,
    };
    let customer = q.customer_id.map(CustomerId);
    let (page, _) = core
        .page(
            &me.actor,
            customer,
            &filter,
            (q.list.page(), q.list.per_page()),
        )
        .await?;
    let page = page.try_map(|(listed, row)| T::row_json(listed, &row))?;
    Ok(Json(page.into()))
}

async fn show<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    json_of::<T>(&state, &me.actor, id).await
}

async fn create<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, T::Fields>,
) -> AppResult<Response> {
    let customer =
        T::customer_of(&fields).ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let customer = CustomerId(customer);
    let id =
        typed::create::<T>(&state.db, &me.actor, customer, (body, fields), &state.clock).await?;
    Ok(created(json_of::<T>(&state, &me.actor, id).await?.0).into_response())
}

async fn update<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, T::Fields>,
) -> AppResult<Json<T::Json>> {
    typed::update::<T>(&state.db, &me.actor, id, (body, fields), &state.clock).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn delete<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    typed::delete::<T>(&state, &me.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    typed::issue::<T>(&state, &me.actor, id).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn pdf<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    typed::download::<T>(&state, &me.actor, id)
        .await?
        .into_response()
}

/// Sends the document by email (absent fields take the defaults: the
/// contacts chosen first, the template in the customer's language).
async fn send<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SendInput>,
) -> AppResult<Json<T::Json>> {
    typed::send::<T>(&state, &me.actor, id, &input).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn mark_sent<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    typed::mark_sent::<T>(&state, &me.actor, id).await?;
    json_of::<T>(&state, &me.actor, id).await
}
