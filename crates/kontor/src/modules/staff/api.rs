//! `/api/v1/me`, `/api/v1/staff`, `/api/v1/roles`.

use axum::{
    Json, Router,
    extract::{Path, State},
    http::StatusCode,
    response::IntoResponse,
    routing::get,
};
use kernel::AppResult;

use super::{
    model::{Role, RoleId, RoleInput, StaffId, StaffInput, StaffMember},
    service,
};
use crate::{
    api::{ListBody, all, created},
    http::extract::{ApiJson, Staff},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/me", get(me))
        .route("/staff", get(index).post(create))
        .route("/staff/{id}", get(show).patch(update))
        .route("/roles", get(roles).post(role_create))
        .route(
            "/roles/{id}",
            get(role_show).patch(role_update).delete(role_delete),
        )
}

async fn me(State(state): State<AppState>, Staff(me): Staff) -> AppResult<Json<StaffMember>> {
    Ok(Json(service::me(&state.db, &me).await?))
}

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<StaffMember>>> {
    Ok(all(service::list(&state.db, &me.actor).await?))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<StaffMember>> {
    Ok(Json(service::get(&state.db, &me.actor, StaffId(id)).await?))
}

async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<StaffInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StaffInput>,
) -> AppResult<Json<StaffMember>> {
    service::update(&state.db, &me.actor, StaffId(id), &input, &state.clock).await?;
    Ok(Json(service::get(&state.db, &me.actor, StaffId(id)).await?))
}

async fn roles(State(state): State<AppState>, Staff(me): Staff) -> AppResult<Json<ListBody<Role>>> {
    Ok(all(service::roles(&state.db, &me.actor).await?))
}

async fn role_show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Role>> {
    Ok(Json(service::role(&state.db, &me.actor, RoleId(id)).await?))
}

async fn role_create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<RoleInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create_role(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(service::role(&state.db, &me.actor, id).await?))
}

async fn role_update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RoleInput>,
) -> AppResult<Json<Role>> {
    service::update_role(&state.db, &me.actor, RoleId(id), &input, &state.clock).await?;
    Ok(Json(service::role(&state.db, &me.actor, RoleId(id)).await?))
}

async fn role_delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete_role(&state.db, &me.actor, RoleId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
