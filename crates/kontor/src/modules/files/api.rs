//! `/api/v1/files`.

use axum::{
    Json, Router,
    extract::{DefaultBodyLimit, Multipart, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::get,
};
use kernel::AppResult;
use serde::Serialize;

use super::{
    html::{DownloadQuery, serve},
    model::{FileChange, FileId, StoredFile},
    service::{self, Target, Uploader},
};
use crate::{
    api::{ForCustomer, ListBody, all},
    http::extract::{ApiJson, Path, Staff},
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

#[derive(utoipa::OpenApi)]
#[openapi(paths(index, show, create, update, delete, download))]
pub struct Doc;

/// The multipart form of an upload (it streams through
/// `service::receive`): the fields before the files, no other parts.
struct Upload;

impl utoipa::PartialSchema for Upload {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{
            KnownFormat, ObjectBuilder, SchemaFormat,
            schema::{ArrayBuilder, Type},
        };
        ObjectBuilder::new()
            .property(
                "customer_id",
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .minimum(Some(1)),
            )
            .required("customer_id")
            .property(
                "visible_to_customer",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .enum_values(Some(["true", "false", "on", "off", "1", "0", ""])),
            )
            .property(
                "file",
                ArrayBuilder::new().min_items(Some(1)).items(
                    ObjectBuilder::new()
                        .schema_type(Type::String)
                        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
                ),
            )
            .required("file")
            .additional_properties(Some(
                utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
            ))
            .into()
    }
}

impl utoipa::ToSchema for Upload {}

/// One file sent answers the file, several answer the list.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
enum Uploaded {
    One(StoredFile),
    Several(ListBody<StoredFile>),
}

#[utoipa::path(get, path = "/files", tag = "files", params(ForCustomer),
    responses((status = 200, description = "The customer's files", body = ListBody<StoredFile>)))]
async fn index(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<ForCustomer>,
) -> AppResult<Json<ListBody<StoredFile>>> {
    let customer = q.customer()?;
    Ok(all(service::list(&state.db, &me.actor, customer).await?))
}

#[utoipa::path(get, path = "/files/{id}", tag = "files", params(("id" = i64, Path)),
    responses((status = 200, description = "The file's record", body = StoredFile)))]
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
#[utoipa::path(post, path = "/files", tag = "files",
    request_body(content = Upload, content_type = "multipart/form-data"),
    responses((status = 201, description = "The stored file, or the list when several were sent", body = Uploaded)))]
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
    let body = match <[StoredFile; 1]>::try_from(stored) {
        Ok([one]) => Uploaded::One(one),
        Err(several) => Uploaded::Several(all(several).0),
    };
    Ok((StatusCode::CREATED, Json(body)).into_response())
}

#[utoipa::path(patch, path = "/files/{id}", tag = "files", params(("id" = i64, Path)),
    request_body = FileChange,
    responses((status = 200, description = "The file's record", body = StoredFile)))]
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

#[utoipa::path(delete, path = "/files/{id}", tag = "files", params(("id" = i64, Path)),
    responses((status = 204, description = "Deleted")))]
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

/// The file's bytes, with its type and name.
#[utoipa::path(get, path = "/files/{id}/download", tag = "files", params(("id" = i64, Path), DownloadQuery),
    responses((status = 200, description = "The file, with the type it was stored with", content_type = "*/*", body = Vec<u8>)))]
async fn download(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
) -> AppResult<Response> {
    let file = service::get(&state.db, &me.actor, FileId(id)).await?;
    serve(&state, &file, q.inline()).await
}
