//! The API of an answered document beside the core's: staff record the
//! customer's acceptance or decline given another way, or take an answer
//! back (`{path}/{id}/accept`, `/decline`, `/undo-answer`).

use axum::{Json, Router, extract::State, routing::post};
use kernel::{AppError, AppResult};
use serde::Deserialize;
use utoipa::{
    PartialSchema, ToSchema,
    openapi::{
        ComponentsBuilder, Content, HttpMethod, KnownFormat, ObjectBuilder, OpenApi,
        OpenApiBuilder, PathsBuilder, Ref, Required, ResponseBuilder, ResponsesBuilder,
        SchemaFormat,
        path::{OperationBuilder, ParameterBuilder, ParameterIn, PathItemBuilder},
        request_body::RequestBodyBuilder,
        schema::Type,
    },
};

use super::{Answerable, accept_for, decline_for, undo_answer};
use crate::{
    common::documents::{accept::DeclineInput, api::json_of},
    http::extract::{ApiJson, Path, Staff},
    state::AppState,
};

pub fn routes<T: Answerable>() -> Router<AppState> {
    let path = T::KIND.path;
    Router::new()
        .route(&format!("{path}/{{id}}/accept"), post(accept::<T>))
        .route(&format!("{path}/{{id}}/decline"), post(decline::<T>))
        .route(&format!("{path}/{{id}}/undo-answer"), post(undo::<T>))
}

/// Who accepted, as staff record an answer given another way.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct AcceptedBy {
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<200>)]
    name: String,
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<200>)]
    email: String,
}

/// The operations' declarations under the type's path.
pub fn openapi<T: Answerable>() -> OpenApi {
    let path = T::KIND.path;
    let tag = path.trim_start_matches('/');
    let op = |name: &str, summary: &str, conflict: &str, body: Option<&str>| {
        let id = ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
            ))
            .build();
        let responses = ResponsesBuilder::new()
            .response(
                "200",
                ResponseBuilder::new().description("The document").content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name(T::Json::name()))),
                ),
            )
            .response(
                "409",
                ResponseBuilder::new().description(conflict).content(
                    "application/json",
                    Content::new(Some(Ref::from_schema_name("ErrorEnvelope"))),
                ),
            )
            .build();
        let op = OperationBuilder::new()
            .tag(tag)
            .operation_id(Some(name))
            .summary(Some(summary))
            .parameters(Some(vec![id]))
            .responses(responses);
        let op = match body {
            Some(schema) => op.request_body(Some(
                RequestBodyBuilder::new()
                    .required(Some(Required::True))
                    .content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name(schema))),
                    )
                    .build(),
            )),
            None => op,
        };
        PathItemBuilder::new()
            .operation(HttpMethod::Post, op)
            .build()
    };
    let not_open = "Not open: a draft, answered or expired";
    let paths = PathsBuilder::new()
        .path(
            format!("{path}/{{id}}/accept"),
            op(
                "accept",
                "Records the customer's acceptance given another way (by phone); audited",
                not_open,
                Some(&AcceptedBy::name()),
            ),
        )
        .path(
            format!("{path}/{{id}}/decline"),
            op(
                "decline",
                "Records the customer's decline given another way",
                not_open,
                Some(&DeclineInput::name()),
            ),
        )
        .path(
            format!("{path}/{{id}}/undo-answer"),
            op(
                "undo_answer",
                "Takes the customer's answer back while nothing was made of the document",
                "Not answered, or converted already",
                None,
            ),
        )
        .build();
    OpenApiBuilder::new()
        .paths(paths)
        .components(Some(
            ComponentsBuilder::new()
                .schema(AcceptedBy::name(), AcceptedBy::schema())
                .schema(DeclineInput::name(), DeclineInput::schema())
                .build(),
        ))
        .build()
}

async fn accept<T: Answerable>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<AcceptedBy>,
) -> AppResult<Json<T::Json>> {
    accept_for::<T>(&state, &me.actor, id, (&input.name, &input.email)).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn decline<T: Answerable>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<DeclineInput>,
) -> AppResult<Json<T::Json>> {
    let reason = input.check().map_err(AppError::Validation)?;
    decline_for::<T>(&state, &me.actor, id, reason).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn undo<T: Answerable>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    undo_answer::<T>(&state, &me.actor, id).await?;
    json_of::<T>(&state, &me.actor, id).await
}
