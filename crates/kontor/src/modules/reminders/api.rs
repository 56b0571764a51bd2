//! `/api/v1/reminders`.

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use kernel::AppResult;

use super::{
    model::{Reminder, ReminderId, ReminderInput},
    service,
};
use crate::{
    api::{ForCustomer, ListBody, all, created},
    http::extract::{ApiJson, Path, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/reminders", get(index).post(create))
        .route("/reminders/{id}", get(show).patch(update).delete(delete))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, show, create, update, delete), modifiers(&CREATING))]
pub struct Doc;

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/reminders",
    fields: &["customer_id", "remind_at", "description"],
};

#[utoipa::path(get, path = "/reminders", tag = "reminders", params(ForCustomer),
    responses((status = 200, description = "The customer's reminders, the soonest first", body = ListBody<Reminder>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<ForCustomer>,
) -> AppResult<Json<ListBody<Reminder>>> {
    let customer = q.customer()?;
    Ok(all(service::list(&state.db, &me.actor, customer).await?))
}

#[utoipa::path(get, path = "/reminders/{id}", tag = "reminders", params(("id" = i64, Path)),
    responses((status = 200, description = "The reminder", body = Reminder)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Reminder>> {
    Ok(Json(
        service::get(&state.db, &me.actor, ReminderId(id)).await?,
    ))
}

#[utoipa::path(post, path = "/reminders", tag = "reminders", request_body = ReminderInput,
    responses((status = 201, description = "The reminder", body = Reminder)))]
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<ReminderInput>,
) -> AppResult<impl IntoResponse> {
    let customer = input.customer_id.ok_or_else(service::customer_required)?;
    let id = service::create(
        &state.db,
        &state.config,
        &me.actor,
        CustomerId(customer),
        &input,
        &state.clock,
    )
    .await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

#[utoipa::path(patch, path = "/reminders/{id}", tag = "reminders", params(("id" = i64, Path)),
    request_body = ReminderInput,
    responses((status = 200, description = "The reminder", body = Reminder)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ReminderInput>,
) -> AppResult<Json<Reminder>> {
    service::update(
        &state.db,
        &state.config,
        &me.actor,
        ReminderId(id),
        &input,
        &state.clock,
    )
    .await?;
    Ok(Json(
        service::get(&state.db, &me.actor, ReminderId(id)).await?,
    ))
}

#[utoipa::path(delete, path = "/reminders/{id}", tag = "reminders", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")))]
async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(&state.db, &me.actor, ReminderId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
