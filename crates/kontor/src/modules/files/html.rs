//! The files tab, the portal's files page and the download responses.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, Query, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult};
use serde::Deserialize;

use super::{
    model::{FileId, StoredFile},
    service::{self, Target, Uploader},
};
use crate::http::frame::Overview;
use crate::http::portal::{Portal, ctx as portal_ctx};
use crate::{
    http::{
        ctx::Ctx,
        download::Download,
        extract::{Form, Path, Staff},
        form::done,
        identity::SignedIn,
    },
    modules::{
        Attached,
        customers::{model::CustomerId, service::overview},
        portal::model::PortalUser,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/customers/{id}/files",
            get(index).post(upload).layer(DefaultBodyLimit::disable()),
        )
        .route("/files/{id}", get(preview))
        .route("/files/{id}/download", get(download))
        .route("/files/{id}/visibility", post(visibility))
        .route("/files/{id}/delete", post(delete))
        .route(
            "/portal/files",
            get(portal_index)
                .post(portal_upload)
                .layer(DefaultBodyLimit::disable()),
        )
        .route("/portal/files/{id}/download", get(portal_download))
}

pub struct FileView {
    pub file: StoredFile,
    pub may_delete: bool,
    /// The record it is attached to, when not the customer itself.
    pub attached: Option<Attached>,
}

#[derive(Template, WebTemplate)]
#[template(path = "files/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    files: Vec<FileView>,
    may_upload: bool,
    max_bytes: u64,
    error: Option<String>,
    action: String,
    show_visible: bool,
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    error: Option<String>,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, me, customer, "files", &state.clock).await?;
    let files = service::listed(&state.db, &me.actor, customer)
        .await?
        .into_iter()
        .map(|(file, attached)| FileView {
            may_delete: service::may_delete(&me.actor, &file),
            file,
            attached,
        })
        .collect();
    Ok(IndexPage {
        may_upload: o.can_edit,
        action: format!("/customers/{}/files", customer.0),
        show_visible: true,
        c,
        o,
        files,
        max_bytes: state.config.upload_max_bytes,
        error,
    })
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    page(&state, c, &me, CustomerId(id), None).await
}

/// Whether the request came from the upload script, which wants a short
/// status instead of a page.
fn from_script(headers: &HeaderMap) -> bool {
    headers.contains_key("x-upload")
}

/// The message of a refused upload in the user's language; `None` for
/// errors that are no refusal (not found, forbidden, internal).
fn refusal(c: &Ctx, e: &AppError) -> Option<String> {
    match e {
        AppError::Validation(fields) => fields.0.values().next().map(|k| c.t(k)),
        AppError::BadRequest(key) => Some(c.t(key)),
        _ => None,
    }
}

/// The upload script gets a refusal in the API's error shape.
fn script_refusal(message: String) -> Response {
    let body = serde_json::json!({"error": {"code": "invalid", "message": message}});
    (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
}

fn unprocessable(mut response: Response) -> Response {
    *response.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    response
}

async fn upload(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let customer = CustomerId(id);
    let result = service::receive(
        &state,
        &headers,
        Uploader::Staff(&me.actor),
        Target {
            customer: Some(customer),
            record: None,
        },
        multipart,
    )
    .await;
    match result {
        Ok(_) if from_script(&headers) => Ok(StatusCode::CREATED.into_response()),
        Ok(_) => Ok(done(jar, "flash-uploaded", &format!("/customers/{id}/files")).into_response()),
        Err(e) => match refusal(&c, &e) {
            None => Err(e),
            Some(message) if from_script(&headers) => Ok(script_refusal(message)),
            Some(message) => Ok(unprocessable(
                page(&state, c, &me, customer, Some(message))
                    .await?
                    .into_response(),
            )),
        },
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "files/templates/preview.html")]
struct PreviewPage {
    c: Ctx,
    file: StoredFile,
}

async fn preview(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let file = service::get(&state.db, &me.actor, FileId(id)).await?;
    if !file.previewable() {
        return Ok(Redirect::to(&format!("/files/{id}/download")).into_response());
    }
    Ok(PreviewPage { c, file }.into_response())
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DownloadQuery {
    /// `1`: shown in place (images and PDFs), else a download.
    #[serde(default)]
    inline: Option<String>,
}

impl DownloadQuery {
    pub fn inline(&self) -> bool {
        self.inline.as_deref().is_some_and(|v| v == "1")
    }
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

/// The file's bytes. Images and PDFs may be shown in place (and framed by
/// our own preview page); everything else is an attachment of an opaque
/// type, so an uploaded page or SVG never runs in our origin.
pub async fn serve(state: &AppState, file: &StoredFile, inline: bool) -> AppResult<Response> {
    let body = service::open(&state.storage, file).await?;
    let previewable = file.previewable();
    Download {
        name: file.name.clone(),
        content_type: if previewable {
            file.content_type.clone()
        } else {
            "application/octet-stream".to_owned()
        },
        length: u64::try_from(file.size).ok(),
        inline: inline && previewable,
        body,
    }
    .into_response()
}

#[derive(Deserialize)]
struct VisibilityForm {
    #[serde(default)]
    visible_to_customer: Option<String>,
}

async fn visibility(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<VisibilityForm>,
) -> AppResult<Response> {
    let change = super::model::FileChange {
        name: None,
        visible_to_customer: Some(form.visible_to_customer.is_some()),
    };
    let file = service::update(&state.db, &me.actor, FileId(id), &change, &state.clock).await?;
    Ok(done(
        jar,
        "flash-saved",
        &format!("/customers/{}/files", file.customer_id.0),
    )
    .into_response())
}

async fn delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let customer = service::delete(
        &state.db,
        &state.storage,
        &me.actor,
        FileId(id),
        &state.clock,
    )
    .await?;
    Ok(done(
        jar,
        "flash-deleted",
        &format!("/customers/{}/files", customer.0),
    )
    .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "files/templates/portal.html")]
struct PortalPage {
    c: Ctx,
    u: PortalUser,
    files: Vec<StoredFile>,
    max_bytes: u64,
    error: Option<String>,
    action: String,
    show_visible: bool,
}

async fn portal_page(
    state: &AppState,
    c: Ctx,
    u: PortalUser,
    error: Option<String>,
) -> AppResult<Response> {
    let files = service::list_shared(&state.db, &u.contact).await?;
    Ok(PortalPage {
        c,
        u,
        files,
        max_bytes: state.config.upload_max_bytes,
        error,
        action: "/portal/files".into(),
        show_visible: false,
    }
    .into_response())
}

async fn portal_index(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<Response> {
    let c = portal_ctx(c, Some(&u));
    portal_page(&state, c, u, None).await
}

async fn portal_upload(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, _): Portal,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let c = portal_ctx(c, Some(&u));
    let result = service::receive(
        &state,
        &headers,
        Uploader::Contact(&u.contact),
        Target {
            customer: Some(u.contact.customer_id),
            record: None,
        },
        multipart,
    )
    .await;
    match result {
        Ok(_) if from_script(&headers) => Ok(StatusCode::CREATED.into_response()),
        Ok(_) => Ok(done(jar, "flash-uploaded", "/portal/files").into_response()),
        Err(e) => match refusal(&c, &e) {
            None => Err(e),
            Some(message) if from_script(&headers) => Ok(script_refusal(message)),
            Some(message) => Ok(unprocessable(
                portal_page(&state, c, u, Some(message)).await?,
            )),
        },
    }
}

async fn portal_download(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
    Query(q): Query<DownloadQuery>,
) -> AppResult<Response> {
    let file = service::get_shared(&state.db, &u.contact, FileId(id)).await?;
    serve(&state, &file, q.inline()).await
}
