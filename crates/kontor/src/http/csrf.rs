//! CSRF protection for the HTML surface: every state-changing request must
//! echo the value of the `kontor_csrf` cookie (SameSite=Strict, HttpOnly)
//! in a `_csrf` form field, an `X-CSRF-Token` header (htmx sends the
//! header) or, for multipart uploads, a `_csrf` query parameter. A cross-site page can neither read the cookie nor make the
//! browser send it, so it cannot forge the pair.

use axum::{
    body::{Body, to_bytes},
    extract::{Request, State},
    http::{Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, auth::constant_time_eq};

use crate::{http::identity::CSRF_COOKIE, state::AppState};

pub async fn protect(
    State(state): State<AppState>,
    jar: CookieJar,
    request: Request,
    next: Next,
) -> Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return next.run(request).await;
    }
    let Some(expected) = jar.get(CSRF_COOKIE).map(|c| c.value().to_string()) else {
        return AppError::Csrf.into_response();
    };
    if let Some(sent) = request
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
    {
        return if constant_time_eq(sent, &expected) {
            next.run(request).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    let is_form = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        // Multipart uploads carry the token in the query string, so the body
        // can stream to its handler unread.
        let sent = request.uri().query().and_then(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .find(|(k, _)| k == "_csrf")
                .map(|(_, v)| v.into_owned())
        });
        return match sent {
            Some(sent) if constant_time_eq(&sent, &expected) => next.run(request).await,
            _ => AppError::Csrf.into_response(),
        };
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return AppError::BadRequest("error-too-large".into()).into_response(),
    };
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned());
    match sent {
        Some(sent) if constant_time_eq(&sent, &expected) => {
            next.run(Request::from_parts(parts, Body::from(bytes)))
                .await
        }
        _ => AppError::Csrf.into_response(),
    }
}
