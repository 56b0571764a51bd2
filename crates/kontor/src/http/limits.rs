//! Request body limits. Extractors stop at `KONTOR_MAX_BODY_BYTES`
//! (axum's `DefaultBodyLimit`); a body declared larger is refused here
//! before it is read. Multipart uploads are the exception: their routes
//! count each file against `KONTOR_UPLOAD_MAX_MB` while it streams.

use axum::{
    extract::{Request, State},
    http::{StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};

use crate::state::AppState;

/// The body limit, for extractors that read a body themselves.
#[derive(Clone, Copy)]
pub struct BodyLimit(pub usize);

pub async fn body(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    request
        .extensions_mut()
        .insert(BodyLimit(state.config.max_body_bytes));
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
        if request.uri().path().starts_with("/api/") {
            // The API's error shape, before the API's own layers run.
            let locale = headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .and_then(kernel::i18n::Locale::from_accept_language)
                .unwrap_or(kernel::i18n::Locale::En);
            let body = serde_json::json!({"error": {"code": "too_large",
                "message": crate::i18n::t(locale, "error-too-large"), "fields": {}}});
            return (StatusCode::PAYLOAD_TOO_LARGE, axum::Json(body)).into_response();
        }
        return StatusCode::PAYLOAD_TOO_LARGE.into_response();
    }
    next.run(request).await
}
