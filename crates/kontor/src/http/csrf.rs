//! CSRF protection for the HTML surface. Every state-changing request
//! must come from our own origin (`Sec-Fetch-Site`, `Origin`) and echo the
//! token of its session: in an `X-CSRF-Token` header (htmx and the upload
//! script send it), a `_csrf` form field, or, for multipart forms, a
//! `_csrf` field that comes first in the body. The token is derived from
//! the session cookie (see [`identity::expected_csrf`]), so it is bound to
//! the server-side session and changes at every login; it never travels in
//! a URL.

use axum::{
    body::{Body, Bytes, to_bytes},
    extract::{Request, State},
    http::{HeaderMap, Method, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use axum_extra::extract::CookieJar;
use futures::{StreamExt, stream};
use kernel::{AppError, auth::constant_time_eq};

use crate::{http::identity, state::AppState};

/// How far into a multipart body the leading `_csrf` field is looked for.
const MULTIPART_PEEK: usize = 16 * 1024;

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
    if cross_site(request.headers(), &state.config.base_url) {
        tracing::warn!(
            origin = ?request.headers().get(header::ORIGIN),
            "refused a cross-site request"
        );
        return AppError::Csrf.into_response();
    }
    let Some(expected) = identity::expected_csrf(&jar) else {
        return AppError::Csrf.into_response();
    };
    let matches = |sent: Option<&str>| sent.is_some_and(|s| constant_time_eq(s, &expected));
    if let Some(sent) = request.headers().get("x-csrf-token") {
        return if matches(sent.to_str().ok()) {
            next.run(request).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    if let Some(boundary) = multipart_boundary(&content_type) {
        let (parts, body) = request.into_parts();
        let (sent, body) = leading_field(body, &boundary).await;
        return if matches(sent.as_deref()) {
            next.run(Request::from_parts(parts, body)).await
        } else {
            AppError::Csrf.into_response()
        };
    }
    if !content_type.starts_with("application/x-www-form-urlencoded") {
        return AppError::Csrf.into_response();
    }
    let (parts, body) = request.into_parts();
    let bytes = match to_bytes(body, state.config.max_body_bytes).await {
        Ok(b) => b,
        Err(_) => return AppError::BadRequest("error-too-large".into()).into_response(),
    };
    let sent = url::form_urlencoded::parse(&bytes)
        .find(|(k, _)| k == "_csrf")
        .map(|(_, v)| v.into_owned());
    if matches(sent.as_deref()) {
        next.run(Request::from_parts(parts, Body::from(bytes)))
            .await
    } else {
        AppError::Csrf.into_response()
    }
}

/// Whether the browser says the request comes from another site: a
/// `Sec-Fetch-Site` other than same-origin or a user's own navigation, or
/// an `Origin` that is neither the base URL's nor the requested host's.
fn cross_site(headers: &HeaderMap, base_url: &str) -> bool {
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.as_bytes(), b"same-origin" | b"none")
    {
        return true;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return false;
    };
    let Ok(origin) = origin.to_str() else {
        return true;
    };
    let own = url::Url::parse(base_url)
        .ok()
        .map(|u| u.origin().ascii_serialization());
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .unwrap_or_default();
    let by_host = [format!("http://{host}"), format!("https://{host}")];
    !(own.as_deref() == Some(origin) || by_host.iter().any(|o| o == origin))
}

fn multipart_boundary(content_type: &str) -> Option<String> {
    let rest = content_type.strip_prefix("multipart/form-data")?;
    rest.split(';').find_map(|p| {
        p.trim()
            .strip_prefix("boundary=")
            .map(|b| b.trim_matches('"').to_string())
            .filter(|b| !b.is_empty())
    })
}

/// Reads a multipart body only as far as its first field and returns that
/// field's value if it is `_csrf`, with the body whole again for the
/// handler (the rest still streams; nothing past the first field is held).
async fn leading_field(body: Body, boundary: &str) -> (Option<String>, Body) {
    let mut stream = body.into_data_stream();
    let mut head: Vec<u8> = Vec::new();
    let mut failed = None;
    let value = loop {
        if let Some(found) = first_field(&head, boundary) {
            break found;
        }
        if head.len() > MULTIPART_PEEK {
            break None;
        }
        match stream.next().await {
            Some(Ok(chunk)) => head.extend_from_slice(&chunk),
            Some(Err(e)) => {
                failed = Some(e);
                break None;
            }
            None => break None,
        }
    };
    let front = stream::iter(
        [Ok(Bytes::from(head))]
            .into_iter()
            .chain(failed.map(Err::<Bytes, axum::Error>)),
    );
    (value, Body::from_stream(front.chain(stream)))
}

/// `Some(value)` once the first part is complete: the `_csrf` value, or
/// `None` inside when the first field is another one.
fn first_field(head: &[u8], boundary: &str) -> Option<Option<String>> {
    let opening = format!("--{boundary}\r\n");
    let start = find(head, opening.as_bytes())? + opening.len();
    let headers_end = start + find(&head[start..], b"\r\n\r\n")?;
    let value_start = headers_end + 4;
    let closing = format!("\r\n--{boundary}");
    let value_end = value_start + find(&head[value_start..], closing.as_bytes())?;
    let headers = String::from_utf8_lossy(&head[start..headers_end]).to_lowercase();
    let is_token = headers
        .lines()
        .any(|l| l.starts_with("content-disposition:") && l.contains("name=\"_csrf\""));
    Some(
        is_token
            .then(|| String::from_utf8(head[value_start..value_end].to_vec()).ok())
            .flatten(),
    )
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_leading_multipart_field_is_read() {
        let body = b"--XyZ\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\nabc123\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a\"\r\n\r\n...";
        assert_eq!(first_field(body, "XyZ"), Some(Some("abc123".into())));
        let other = b"--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--XyZ";
        assert_eq!(first_field(other, "XyZ"), Some(None));
        assert_eq!(first_field(b"--XyZ\r\nContent-Disp", "XyZ"), None);
        assert_eq!(
            multipart_boundary("multipart/form-data; boundary=\"a b\""),
            Some("a b".into())
        );
    }

    #[test]
    fn another_origin_is_cross_site() {
        let base = "http://127.0.0.1:8080";
        let mut h = HeaderMap::new();
        h.insert(header::HOST, "127.0.0.1:8080".parse().unwrap());
        assert!(!cross_site(&h, base), "no Origin: an older client");
        h.insert(header::ORIGIN, "http://127.0.0.1:8080".parse().unwrap());
        assert!(!cross_site(&h, base));
        h.insert(header::ORIGIN, "http://evil.example".parse().unwrap());
        assert!(cross_site(&h, base));
        h.insert(header::ORIGIN, "null".parse().unwrap());
        assert!(cross_site(&h, base));
        let mut h = HeaderMap::new();
        h.insert("sec-fetch-site", "cross-site".parse().unwrap());
        assert!(cross_site(&h, base));
    }
}
