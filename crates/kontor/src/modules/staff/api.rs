//! `/api/v1/me`, `/api/v1/staff`, `/api/v1/roles`.

use axum::{Json, Router, extract::State, http::StatusCode, response::IntoResponse, routing::get};
use kernel::AppResult;

use super::{
    model::{Role, RoleId, RoleInput, StaffId, StaffInput, StaffMember},
    service,
};
use crate::{
    api::{ListBody, all, created, openapi::ErrorEnvelope},
    http::extract::{ApiJson, Path, Staff},
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

#[derive(utoipa::OpenApi)]
#[openapi(paths(me, index, show, create, update, roles, role_show, role_create, role_update, role_delete), modifiers(&CREATING, &CREATING_ROLE))]
pub struct Doc;

const CREATING_ROLE: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/roles",
    fields: &["name"],
};

const CREATING: crate::api::schema::Creating = crate::api::schema::Creating {
    path: "/staff",
    fields: &["email", "first_name", "password"],
};

/// The token's staff member.
#[utoipa::path(get, path = "/me", tag = "staff",
    responses((status = 200, description = "The staff member", body = StaffMember)))]
async fn me(State(state): State<AppState>, Staff(me): Staff) -> AppResult<Json<StaffMember>> {
    Ok(Json(service::me(&state.db, &me).await?))
}

#[utoipa::path(get, path = "/staff", tag = "staff",
    responses((status = 200, description = "Every staff member", body = ListBody<StaffMember>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<StaffMember>>> {
    Ok(all(service::list(&state.db, &me.actor).await?))
}

#[utoipa::path(get, path = "/staff/{id}", tag = "staff", params(("id" = i64, Path)),
    responses((status = 200, description = "The staff member", body = StaffMember)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<StaffMember>> {
    Ok(Json(service::get(&state.db, &me.actor, StaffId(id)).await?))
}

#[utoipa::path(post, path = "/staff", tag = "staff", request_body = StaffInput,
    responses((status = 201, description = "The staff member", body = StaffMember)))]
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<StaffInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(service::get(&state.db, &me.actor, id).await?))
}

#[utoipa::path(patch, path = "/staff/{id}", tag = "staff", params(("id" = i64, Path)),
    request_body = StaffInput,
    responses((status = 200, description = "The staff member", body = StaffMember),
        (status = 409, description = "The last active admin cannot lose that", body = ErrorEnvelope)))]
async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<StaffInput>,
) -> AppResult<Json<StaffMember>> {
    service::update(&state.db, &me.actor, StaffId(id), &input, &state.clock).await?;
    Ok(Json(service::get(&state.db, &me.actor, StaffId(id)).await?))
}

#[utoipa::path(get, path = "/roles", tag = "roles",
    responses((status = 200, description = "Every role", body = ListBody<Role>)))]
async fn roles(State(state): State<AppState>, Staff(me): Staff) -> AppResult<Json<ListBody<Role>>> {
    Ok(all(service::roles(&state.db, &me.actor).await?))
}

#[utoipa::path(get, path = "/roles/{id}", tag = "roles", params(("id" = i64, Path)),
    responses((status = 200, description = "The role", body = Role)))]
async fn role_show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Role>> {
    Ok(Json(service::role(&state.db, &me.actor, RoleId(id)).await?))
}

#[utoipa::path(post, path = "/roles", tag = "roles", request_body = RoleInput,
    responses((status = 201, description = "The role", body = Role)))]
async fn role_create(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(input): ApiJson<RoleInput>,
) -> AppResult<impl IntoResponse> {
    let id = service::create_role(&state.db, &me.actor, &input, &state.clock).await?;
    Ok(created(service::role(&state.db, &me.actor, id).await?))
}

#[utoipa::path(patch, path = "/roles/{id}", tag = "roles", params(("id" = i64, Path)),
    request_body = RoleInput,
    responses((status = 200, description = "The role", body = Role)))]
async fn role_update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<RoleInput>,
) -> AppResult<Json<Role>> {
    service::update_role(&state.db, &me.actor, RoleId(id), &input, &state.clock).await?;
    Ok(Json(service::role(&state.db, &me.actor, RoleId(id)).await?))
}

#[utoipa::path(delete, path = "/roles/{id}", tag = "roles", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted"),
        (status = 409, description = "Staff members still have the role", body = ErrorEnvelope)))]
async fn role_delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete_role(&state.db, &me.actor, RoleId(id)).await?;
    Ok(StatusCode::NO_CONTENT)
}
