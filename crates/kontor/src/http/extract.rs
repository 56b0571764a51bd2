//! Extractors that turn a request into trusted values or a clean error.

use axum::{
    extract::{FromRequest, FromRequestParts, Request},
    http::request::Parts,
};
use kernel::AppError;
use serde::de::DeserializeOwned;

use crate::http::identity::{Identity, SignedIn};

/// The signed-in staff member; anonymous requests get 401 (HTML: login page).
pub struct Staff(pub SignedIn);

impl<S: Send + Sync> FromRequestParts<S> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Identity>()
            .and_then(|i| i.staff.clone())
            .map(Staff)
            .ok_or(AppError::Unauthorized)
    }
}

impl<S: Send + Sync> axum::extract::OptionalFromRequestParts<S> for Staff {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        _state: &S,
    ) -> Result<Option<Self>, Self::Rejection> {
        Ok(parts
            .extensions
            .get::<Identity>()
            .and_then(|i| i.staff.clone())
            .map(Staff))
    }
}

/// The parameters of the path. A segment that does not read as its type
/// (`/roles/abc`, `/roles/0.0`) names no record: 404, as any unknown
/// address, rather than axum's 400.
pub struct Path<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned + Send> FromRequestParts<S> for Path<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Path(p.0))
            .map_err(|_| AppError::NotFound)
    }
}

/// A url-encoded form (repeated keys fill `Vec`s); a malformed body is a 400.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        axum_extra::extract::Form::<T>::from_request(req, state)
            .await
            .map(|f| Form(f.0))
            .map_err(|_| AppError::BadRequest("error-bad-request".into()))
    }
}

/// A url-encoded form plus its raw pairs, for forms with dynamic fields
/// (custom fields) beside the typed ones.
pub struct FormWithPairs<T>(pub T, pub Vec<(String, String)>);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for FormWithPairs<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let bad = || AppError::BadRequest("error-bad-request".into());
        let bytes = axum::body::Bytes::from_request(req, state)
            .await
            .map_err(|_| bad())?;
        let typed = serde_html_form::from_bytes(&bytes).map_err(|_| bad())?;
        let pairs = url::form_urlencoded::parse(&bytes)
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect();
        Ok(Self(typed, pairs))
    }
}

/// A JSON body; malformed JSON is a 400, a value of the wrong type a 422
/// naming its field.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req).await?;
        Ok(ApiJson(parse_json(&bytes)?))
    }
}

/// One JSON object read as two types, each taking the fields it knows: a
/// document's body and the fields of its kind. Serde's `flatten` would do
/// it in one type, but it loses the path of a wrong value, and a 422 must
/// name the field (`items[0].quantity`).
pub struct ApiJsonPair<A, B>(pub A, pub B);

impl<S: Send + Sync, A: DeserializeOwned, B: DeserializeOwned> FromRequest<S>
    for ApiJsonPair<A, B>
{
    type Rejection = AppError;

    async fn from_request(req: Request, _state: &S) -> Result<Self, Self::Rejection> {
        let bytes = json_bytes(req).await?;
        Ok(ApiJsonPair(parse_json(&bytes)?, parse_json(&bytes)?))
    }
}

/// The body of a JSON request. A body over the limit (also a chunked one)
/// is a 413, one not declared as JSON a 400.
async fn json_bytes(req: Request) -> Result<Vec<u8>, AppError> {
    let json = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| {
            let v = v.split(';').next().unwrap_or_default().trim();
            v == "application/json" || v.ends_with("+json")
        });
    if !json {
        return Err(AppError::BadRequest("error-malformed-json".into()));
    }
    let limit = req
        .extensions()
        .get::<crate::http::limits::BodyLimit>()
        .map_or(2 * 1024 * 1024, |l| l.0);
    read_limited(req.into_body(), limit).await
}

/// A value of the wrong type is a 422 naming its field (`payment_mode`,
/// `items[0].quantity`); anything else unreadable is a 400.
fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut value: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|_| AppError::BadRequest("error-malformed-json".into()))?;
    // Serde would read a struct from an array of its fields in order too;
    // every body of this API is an object.
    if !value.is_object() {
        return Err(AppError::BadRequest("error-malformed-json".into()));
    }
    integers(&mut value);
    match serde_path_to_error::deserialize(value) {
        Ok(value) => Ok(value),
        Err(e) if e.inner().is_data() && e.path().to_string() != "." => {
            Err(AppError::field(&e.path().to_string(), "error-json-type"))
        }
        Err(_) => Err(AppError::BadRequest("error-malformed-json".into())),
    }
}

/// JSON knows one kind of number: `3.0` is the integer 3 to a client (and
/// to JSON Schema), so a whole number written with a fraction is read as
/// the integer it is.
fn integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integers),
        Value::Object(fields) => fields.values_mut().for_each(integers),
        _ => {}
    }
}

/// Reads a body of at most `limit` bytes. A longer one (sent chunked, so
/// nothing declared its size) is read on, up to a few times the limit, and
/// thrown away before the 413 goes out: a client still sending would
/// otherwise see the connection reset instead of the answer.
async fn read_limited(body: axum::body::Body, limit: usize) -> Result<Vec<u8>, AppError> {
    use futures::StreamExt;
    let mut stream = body.into_data_stream();
    let mut bytes = Vec::new();
    let mut seen = 0usize;
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|_| AppError::BadRequest("error-malformed-json".into()))?;
        seen = seen.saturating_add(chunk.len());
        if seen > limit.saturating_mul(4) {
            break;
        }
        if seen <= limit {
            bytes.extend_from_slice(&chunk);
        }
    }
    if seen > limit {
        return Err(AppError::TooLarge);
    }
    Ok(bytes)
}

/// A query string with repeated keys (`?id=3&id=7`, the ticked rows of a
/// list), which axum's `Query` does not read into a list; an unreadable
/// query is a bad request.
pub struct RepeatedQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for RepeatedQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        serde_html_form::from_str(parts.uri.query().unwrap_or_default())
            .map(RepeatedQuery)
            .map_err(|_| AppError::BadRequest("query".into()))
    }
}
