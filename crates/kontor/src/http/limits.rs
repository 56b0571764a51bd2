//! Request limits. Extractors stop at `KONTOR_MAX_BODY_BYTES` (axum's
//! `DefaultBodyLimit`); a body declared larger is refused here before it
//! is read. Multipart uploads are the exception: their routes count each
//! file against `KONTOR_UPLOAD_MAX_MB` while it streams. A URI longer
//! than [`MAX_URI_BYTES`] is refused here too, in the API's error shape.

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::state::AppState;

/// No page or API call needs more; hyper itself refuses URIs over 64 KiB
/// with an empty answer before the app sees them, so ours comes first.
pub const MAX_URI_BYTES: usize = 8 * 1024;

/// The body limit, for extractors that read a body themselves.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

pub async fn body(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(BodyLimit(state.config.max_body_bytes));
    let too_long = request
        .uri()
        .path_and_query()
        .is_some_and(|p| p.as_str().len() > MAX_URI_BYTES);
    if too_long {
        return refuse(
            &request,
            StatusCode::URI_TOO_LONG,
            "uri_too_long",
            "error-uri-too-long",
        );
    }
    let headers = request.headers();
    let multipart = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if !multipart && declared.is_some_and(|n| n > state.config.max_body_bytes) {
        return refuse(
            &request,
            StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            "error-too-large",
        );
    }
    next.run(request).await
}

/// The API's error shape (before the API's own layers run), a short text
/// in the request's language elsewhere.
fn refuse(request: &Request, status: StatusCode, code: &str, key: &str) -> Response {
    let locale = request
        .headers()
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(kernel::i18n::Locale::from_accept_language)
        .unwrap_or(kernel::i18n::Locale::En);
    let message = crate::i18n::t(locale, key);
    if request.uri().path().starts_with("/api/") {
        let body = serde_json::json!({"error": {"code": code, "message": message, "fields": {}}});
        return (status, axum::Json(body)).into_response();
    }
    (status, message).into_response()
}
