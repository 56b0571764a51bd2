//! Turns errors into what each surface expects, in the user's language:
//! an HTML page (or a redirect to the login) and a JSON error object.

use askama::Template;
use axum::{
    Json,
    extract::Request,
    http::{Method, StatusCode, header},
    middleware::Next,
    response::{Html, IntoResponse, Redirect, Response},
};
use kernel::error::ErrorBody;
use serde_json::json;

use axum_extra::extract::CookieJar;

use crate::{
    http::{ctx::Ctx, form::done, identity::Identity},
    i18n,
};

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    c: Ctx,
    status: u16,
    message: String,
}

/// Errors that did not come from our handlers (router 404, 405, body
/// limits, extractor rejections) get a body of the same shape.
fn fallback_body(status: StatusCode) -> Option<ErrorBody> {
    let (code, key) = match status {
        StatusCode::NOT_FOUND => ("not_found", "error-not-found"),
        StatusCode::METHOD_NOT_ALLOWED => ("bad_request", "error-method"),
        StatusCode::PAYLOAD_TOO_LARGE => ("too_large", "error-too-large"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE
        | StatusCode::BAD_REQUEST
        | StatusCode::UNPROCESSABLE_ENTITY => ("bad_request", "error-bad-request"),
        s if s.is_server_error() => ("internal", "error-internal"),
        _ => return None,
    };
    Some(ErrorBody {
        status,
        code,
        message_key: key.into(),
        fields: Default::default(),
    })
}

fn error_of(response: &Response) -> Option<ErrorBody> {
    if let Some(body) = response.extensions().get::<ErrorBody>() {
        return Some(body.clone());
    }
    let is_ours = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html") || v.starts_with("application/json"));
    if is_ours {
        None
    } else {
        fallback_body(response.status())
    }
}

/// The page a form was posted from, as a path of this site (`Referer` is
/// sent same-origin only, see `security`); none for htmx requests, which
/// show their errors in place.
fn posted_from(request: &Request) -> Option<String> {
    if request.method() != Method::POST || request.headers().contains_key("hx-request") {
        return None;
    }
    referring_page(request.headers())
}

/// The page of this site a request came from (`Referer`, path and query).
pub fn referring_page(headers: &axum::http::HeaderMap) -> Option<String> {
    let referer = headers.get(header::REFERER)?.to_str().ok()?;
    let url = url::Url::parse(referer).ok()?;
    let path = url.path();
    if !path.starts_with('/') || path.starts_with("//") {
        return None;
    }
    Some(match url.query() {
        Some(q) => format!("{path}?{q}"),
        None => path.to_string(),
    })
}

pub async fn html(request: Request, next: Next) -> Response {
    let identity = request
        .extensions()
        .get::<Identity>()
        .cloned()
        .unwrap_or_default();
    let back = posted_from(&request);
    let path = request.uri().path().to_string();
    let query = request
        .uri()
        .query()
        .map(|q| format!("?{q}"))
        .unwrap_or_default();
    let response = next.run(request).await;
    let Some(error) = error_of(&response) else {
        return response;
    };
    if error.status == StatusCode::UNAUTHORIZED {
        let next = url::form_urlencoded::byte_serialize(format!("{path}{query}").as_bytes())
            .collect::<String>();
        let login = if path.starts_with("/portal") {
            "/portal/login"
        } else {
            "/login"
        };
        return Redirect::to(&format!("{login}?next={next}")).into_response();
    }
    // A form refused for what the business allows (409) or for too many
    // tries (429): back to the page it came from, which says why, so a
    // reload repeats no POST.
    if matches!(
        error.status,
        StatusCode::CONFLICT | StatusCode::TOO_MANY_REQUESTS
    ) && let Some(back) = back
    {
        let jar = CookieJar::new();
        return done(jar, &error.message_key, &back);
    }
    let c = Ctx::from_identity(&identity, &path);
    let message = c.t(&error.message_key);
    let page = ErrorPage {
        c,
        status: error.status.as_u16(),
        message,
    };
    match page.render() {
        Ok(html) => (error.status, Html(html)).into_response(),
        Err(_) => error.status.into_response(),
    }
}

pub async fn api(request: Request, next: Next) -> Response {
    let locale = request
        .extensions()
        .get::<Identity>()
        .map(|i| i.locale)
        .unwrap_or_default();
    let response = next.run(request).await;
    let Some(error) = error_of(&response) else {
        return response;
    };
    let fields: serde_json::Map<String, serde_json::Value> = error
        .fields
        .0
        .iter()
        .map(|(k, v)| (k.clone(), json!(i18n::t(locale, v))))
        .collect();
    let body = json!({"error": {"code": error.code, "message": i18n::t(locale, &error.message_key), "fields": fields}});
    (error.status, Json(body)).into_response()
}
