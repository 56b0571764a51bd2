//! The OpenAPI 3.1 document of `/api/v1`. Each module declares its
//! operations with utoipa beside its handlers and hands them over through
//! its descriptor's `openapi`; this file merges them and adds what every
//! operation shares: bearer authentication, the error envelope and the
//! statuses any call of its shape can meet (a malformed request, a missing
//! token, a role without the right, an unknown id, a body too large).

use std::{collections::BTreeMap, sync::OnceLock};

use axum::{Json, http::StatusCode};
use serde::Serialize;
use serde_json::Value;
use utoipa::{
    ToSchema,
    openapi::{
        ComponentsBuilder, Content, HttpMethod, InfoBuilder, OpenApi, OpenApiBuilder, Ref, RefOr,
        Response, ServerBuilder,
        path::{Operation, ParameterIn},
        security::{Http, HttpAuthScheme, SecurityRequirement, SecurityScheme},
    },
};

use crate::modules::MODULES;

/// What a module without API operations declares.
pub fn none() -> OpenApi {
    OpenApi::default()
}

/// The error every failed call answers with; `fields` names each refused
/// field (`items[0].quantity`) with a message in the caller's language.
#[derive(Serialize, ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorDetail,
}

#[derive(Serialize, ToSchema)]
pub struct ErrorDetail {
    pub code: ErrorCode,
    /// In the language of the token's staff member or `Accept-Language`.
    pub message: String,
    pub fields: BTreeMap<String, String>,
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    BadRequest,
    Unauthorized,
    Forbidden,
    Csrf,
    NotFound,
    Conflict,
    TooLarge,
    UriTooLong,
    Validation,
    TooManyRequests,
    Internal,
}

fn error_response(description: &str) -> RefOr<Response> {
    RefOr::T(
        utoipa::openapi::ResponseBuilder::new()
            .description(description)
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name("ErrorEnvelope"))),
            )
            .build(),
    )
}

/// The statuses an operation of this shape can answer besides its own.
fn shared_statuses(method: &HttpMethod, op: &Operation) -> Vec<(StatusCode, &'static str)> {
    let params = op.parameters.as_deref().unwrap_or_default();
    let has_body = op.request_body.is_some();
    let has_query = params
        .iter()
        .any(|p| matches!(p, RefOr::T(p) if matches!(p.parameter_in, ParameterIn::Query)));
    let mut statuses = vec![
        (StatusCode::UNAUTHORIZED, "No valid bearer token."),
        (
            StatusCode::FORBIDDEN,
            "The token's role does not allow this.",
        ),
    ];
    if !params.is_empty() || has_body {
        statuses.push((
            StatusCode::BAD_REQUEST,
            "The request could not be read (malformed JSON, a path or query value of the wrong type).",
        ));
    }
    if !params.is_empty() || has_body {
        statuses.push((
            StatusCode::NOT_FOUND,
            "No such record (or one the token may not see), named in the path, the query or the body.",
        ));
    }
    if has_body || matches!(method, HttpMethod::Post | HttpMethod::Patch) {
        statuses.push((
            StatusCode::UNPROCESSABLE_ENTITY,
            "Refused: `fields` says which field (or which of the record's) and why.",
        ));
    }
    if has_body {
        statuses.push((StatusCode::PAYLOAD_TOO_LARGE, "The body is too large."));
    }
    if matches!(method, HttpMethod::Get) && has_query {
        statuses.push((
            StatusCode::UNPROCESSABLE_ENTITY,
            "A query value was refused; `fields` says which.",
        ));
    }
    statuses.push((StatusCode::URI_TOO_LONG, "The URI is longer than 8 KiB."));
    statuses
}

fn with_shared(method: &HttpMethod, op: &mut Operation) {
    for (status, description) in shared_statuses(method, op) {
        let key = status.as_u16().to_string();
        op.responses
            .responses
            .entry(key)
            .or_insert_with(|| error_response(description));
    }
    op.security = Some(vec![SecurityRequirement::new(
        "bearer",
        Vec::<String>::new(),
    )]);
}

/// Every module's operations with what they share.
pub fn build() -> OpenApi {
    let mut doc = OpenApiBuilder::new()
        .info(
            InfoBuilder::new()
                .title("Kontor API")
                .version(env!("CARGO_PKG_VERSION"))
                .description(Some(
                    "Money is a decimal string with the record's `currency`; dates are \
                     `YYYY-MM-DD`, timestamps RFC 3339 in UTC. Lists answer \
                     `{data, page, per_page, total}`.",
                ))
                .build(),
        )
        .servers(Some([ServerBuilder::new().url("/api/v1").build()]))
        .components(Some(
            ComponentsBuilder::new()
                .schema_from::<ErrorEnvelope>()
                .schema_from::<ErrorDetail>()
                .schema_from::<ErrorCode>()
                .security_scheme(
                    "bearer",
                    SecurityScheme::Http(Http::new(HttpAuthScheme::Bearer)),
                )
                .build(),
        ))
        .build();
    for module in MODULES {
        let mut operations = (module.openapi)();
        // Handlers are named alike across modules (`index`, `show`).
        for item in operations.paths.paths.values_mut() {
            for op in [
                &mut item.get,
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ]
            .into_iter()
            .flatten()
            {
                if let Some(id) = &op.operation_id {
                    op.operation_id = Some(format!("{}.{id}", module.key));
                }
            }
        }
        doc.merge(operations);
    }
    for item in doc.paths.paths.values_mut() {
        for (method, op) in [
            (HttpMethod::Get, &mut item.get),
            (HttpMethod::Post, &mut item.post),
            (HttpMethod::Put, &mut item.put),
            (HttpMethod::Patch, &mut item.patch),
            (HttpMethod::Delete, &mut item.delete),
        ] {
            if let Some(op) = op {
                with_shared(&method, op);
            }
        }
    }
    doc
}

/// The document as JSON, built once.
pub fn value() -> &'static Value {
    static DOC: OnceLock<Value> = OnceLock::new();
    DOC.get_or_init(|| serde_json::to_value(build()).unwrap_or(Value::Null))
}

pub async fn document() -> Json<&'static Value> {
    Json(value())
}
