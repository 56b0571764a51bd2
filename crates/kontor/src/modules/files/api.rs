//! `/api/v1/files`.

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Multipart, Path, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use kernel::AppResult;
use serde::Deserialize;

use super::{
    html::{DownloadQuery, serve},
    model::{FileChange, FileId, StoredFile},
    service::{self, Target, Uploader},
};
use crate::{
    api::{ListBody, all},
    http::extract::{ApiJson, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/files",
            get(index).post(create).layer(DefaultBodyLimit::disable()),
        )
        .route("/files/{id}", get(show).patch(update).delete(delete))
        .route("/files/{id}/download", get(download))
}

#[derive(Deserialize)]
struct IndexQuery {
    customer_id: Option<i64>,
}

async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<StoredFile>>> {
    let customer = q
        .customer_id
        .ok_or_else(|| kernel::AppError::field("customer_id", "error-required"))?;
    Ok(all(service::list(
        &state.db,
        &me.actor,
        CustomerId(customer),
    )
    .await?))
}

async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<StoredFile>> {
    Ok(Json(service::get(&state.db, &me.actor, FileId(id)).await?))
}

/// Multipart `customer_id`, `visible_to_customer` and one or more `file`
/// parts (the fields before the files). Answers the stored file, or the
/// list of them when several were sent.
async fn create(
    State(state): State<AppState>,
    Staff(me): Staff,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let ids = service::receive(
        &state,
        &headers,
        Uploader::Staff(&me.actor),
        Target {
            customer: None,
            record: None,
        },
        multipart,
    )
    .await?;
    let mut stored = Vec::with_capacity(ids.len());
    for id in ids {
        stored.push(service::get(&state.db, &me.actor, id).await?);
    }
    Ok(match <[StoredFile; 1]>::try_from(stored) {
        Ok([one]) => (StatusCode::CREATED, Json(one)).into_response(),
        Err(several) => (StatusCode::CREATED, all(several)).into_response(),
    })
}

async fn update(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(change): ApiJson<FileChange>,
) -> AppResult<Json<StoredFile>> {
    Ok(Json(
        service::update(&state.db, &me.actor, FileId(id), &change, &state.clock).await?,
    ))
}

async fn delete(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    service::delete(
        &state.db,
        &state.storage,
        &me.actor,
        FileId(id),
        &state.clock,
    )
    .await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn download(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
) -> AppResult<Response> {
    let file = service::get(&state.db, &me.actor, FileId(id)).await?;
    serve(&state, &file, q.inline()).await
}
