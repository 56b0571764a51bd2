//! The API every document type has, once: list, read, create, change and
//! delete drafts, issue, PDF, send by email, mark as sent. Money travels as
//! decimal strings with the currency; the body's fields and the type's own
//! are one JSON object. A type's module registers these with [`routes`]
//! under its own path, next to its own actions.

use std::future::Future;

use axum::{
    Json, Router,
    extract::{Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use chrono::NaiveDate;
use kernel::{AppError, AppResult, web::ListQuery};
use sea_orm::QueryResult;
use serde::{Deserialize, Serialize};
use utoipa::{
    IntoParams, Modify, PartialSchema, ToSchema,
    openapi::{
        ComponentsBuilder, Content, HttpMethod, KnownFormat, Object, ObjectBuilder, OpenApi,
        OpenApiBuilder, PathsBuilder, Ref, RefOr, Required, ResponseBuilder, Responses,
        ResponsesBuilder, Schema, SchemaFormat,
        path::{OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItemBuilder},
        request_body::RequestBodyBuilder,
        schema::Type,
    },
};

use super::{
    body::BodyInput,
    flow::Core,
    store::Listed,
    typed::{self, DocumentType},
};
use crate::{
    api::{ListBody, created, schema::Creating},
    common::{ids::CustomerId, sending::SendInput},
    http::extract::{ApiJson, ApiJsonPair, Path, Staff},
    policy::StaffActor,
    state::AppState,
};

/// A document type as the API shows it.
pub trait DocumentApi: DocumentType<Fields: ToSchema> {
    type Json: Serialize + Send + ToSchema;
    type RowJson: Serialize + Send + ToSchema;

    fn json(
        state: &AppState,
        doc: &Self::Doc,
    ) -> impl Future<Output = AppResult<Self::Json>> + Send;

    /// A list's row (`row` holds the type's own columns), as of `today`.
    fn row_json(listed: Listed, row: &QueryResult, today: NaiveDate) -> AppResult<Self::RowJson>;

    fn customer_of(fields: &Self::Fields) -> Option<i64>;
}

/// The shared operations under the type's path.
pub fn routes<T: DocumentApi>() -> Router<AppState> {
    let path = T::KIND.path;
    Router::new()
        .route(path, get(index::<T>).post(create::<T>))
        .route(
            &format!("{path}/{{id}}"),
            get(show::<T>).patch(update::<T>).delete(delete::<T>),
        )
        .route(&format!("{path}/{{id}}/issue"), post(issue::<T>))
        .route(&format!("{path}/{{id}}/pdf"), get(pdf::<T>))
        .route(&format!("{path}/{{id}}/send"), post(send::<T>))
        .route(&format!("{path}/{{id}}/mark-sent"), post(mark_sent::<T>))
}

/// The shared operations' declarations under the type's path: its body
/// (the shared one and the type's fields in one object), its JSON and its
/// list rows.
pub fn openapi<T: DocumentApi>() -> OpenApi {
    let path = T::KIND.path;
    let tag = path.trim_start_matches('/');
    let json = || Ref::from_schema_name(T::Json::name());
    let id = || {
        ParameterBuilder::new()
            .name("id")
            .parameter_in(ParameterIn::Path)
            .required(Required::True)
            .schema(Some(
                ObjectBuilder::new()
                    .schema_type(Type::Integer)
                    .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
            ))
            .build()
    };
    let body = || {
        RequestBodyBuilder::new()
            .required(Some(Required::True))
            .content(
                "application/json",
                Content::new(Some(Ref::from_schema_name(T::Fields::name()))),
            )
            .build()
    };
    let ok = |status: &str, what: &str| {
        ResponsesBuilder::new()
            .response(
                status,
                ResponseBuilder::new()
                    .description(what)
                    .content("application/json", Content::new(Some(json()))),
            )
            .build()
    };
    let conflict = |mut responses: Responses, what: &str| {
        responses.responses.insert(
            "409".into(),
            RefOr::T(
                ResponseBuilder::new()
                    .description(what)
                    .content(
                        "application/json",
                        Content::new(Some(Ref::from_schema_name("ErrorEnvelope"))),
                    )
                    .build(),
            ),
        );
        responses
    };
    let op = |name: &str, summary: &str, params: Vec<Parameter>, responses: Responses| {
        OperationBuilder::new()
            .tag(tag)
            .operation_id(Some(name))
            .summary(Some(summary))
            .parameters(Some(params))
            .responses(responses)
    };
    let not_draft = "Only a draft may be changed this way";
    let mut list_params: Vec<Parameter> =
        <IndexQuery as IntoParams>::into_params(|| Some(ParameterIn::Query));
    list_params.push(
        ParameterBuilder::new()
            .name("status")
            .parameter_in(ParameterIn::Query)
            .schema(Some(
                // Empty is what the list's form sends for "all".
                utoipa::openapi::OneOfBuilder::new()
                    .item(Ref::from_schema_name(T::Status::name()))
                    .item(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some([""])),
                    ),
            ))
            .build(),
    );
    list_params.extend(ListQuery::into_params(|| Some(ParameterIn::Query)));
    let list = ResponsesBuilder::new()
        .response(
            "200",
            ResponseBuilder::new()
                .description("A page of documents, newest first")
                .content(
                    "application/json",
                    Content::new(Some(ListBody::<T::RowJson>::schema())),
                ),
        )
        .build();
    let pdf = ResponsesBuilder::new()
        .response(
            "200",
            ResponseBuilder::new()
                .description("The PDF (the archived one once issued)")
                .content(
                    "application/pdf",
                    Content::new(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary))),
                    )),
                ),
        )
        .build();
    let send = RequestBodyBuilder::new()
        .required(Some(Required::True))
        .content(
            "application/json",
            Content::new(Some(Ref::from_schema_name(SendInput::name()))),
        )
        .build();
    let paths = PathsBuilder::new()
        .path(
            path,
            PathItemBuilder::new()
                .operation(
                    HttpMethod::Get,
                    op("index", "Documents the token may see", list_params, list),
                )
                .operation(
                    HttpMethod::Post,
                    op("create", "A new draft", vec![], ok("201", "The draft"))
                        .request_body(Some(body())),
                )
                .build(),
        )
        .path(
            format!("{path}/{{id}}"),
            PathItemBuilder::new()
                .operation(
                    HttpMethod::Get,
                    op(
                        "show",
                        "The document",
                        vec![id()],
                        ok("200", "The document"),
                    ),
                )
                .operation(
                    HttpMethod::Patch,
                    op(
                        "update",
                        "Changes the draft",
                        vec![id()],
                        conflict(ok("200", "The draft"), not_draft),
                    )
                    .request_body(Some(body())),
                )
                .operation(
                    HttpMethod::Delete,
                    op(
                        "delete",
                        "Deletes the draft",
                        vec![id()],
                        conflict(
                            ResponsesBuilder::new()
                                .response("204", ResponseBuilder::new().description("Deleted"))
                                .build(),
                            not_draft,
                        ),
                    ),
                )
                .build(),
        )
        .path(
            format!("{path}/{{id}}/issue"),
            PathItemBuilder::new()
                .operation(
                    HttpMethod::Post,
                    op(
                        "issue",
                        "Issues the draft: its number, its archived PDF",
                        vec![id()],
                        conflict(
                            ok("200", "The document"),
                            "Issued already, or its number cannot be taken",
                        ),
                    ),
                )
                .build(),
        )
        .path(
            format!("{path}/{{id}}/pdf"),
            PathItemBuilder::new()
                .operation(
                    HttpMethod::Get,
                    op("pdf", "The document as PDF", vec![id()], pdf),
                )
                .build(),
        )
        .path(
            format!("{path}/{{id}}/send"),
            PathItemBuilder::new()
                .operation(
                    HttpMethod::Post,
                    op(
                        "send",
                        "Sends the document by email with its PDF attached",
                        vec![id()],
                        conflict(ok("200", "The document"), "A draft is not sent"),
                    )
                    .request_body(Some(send)),
                )
                .build(),
        )
        .path(
            format!("{path}/{{id}}/mark-sent"),
            PathItemBuilder::new()
                .operation(
                    HttpMethod::Post,
                    op(
                        "mark_sent",
                        "Marks the document as sent",
                        vec![id()],
                        conflict(ok("200", "The document"), "A draft is not sent"),
                    ),
                )
                .build(),
        )
        .build();
    let mut schemas = Vec::new();
    for (name, schema) in [
        (T::Json::name(), T::Json::schema()),
        (T::RowJson::name(), T::RowJson::schema()),
        (T::Fields::name(), draft::<T>()),
        (T::Status::name(), T::Status::schema()),
        (SendInput::name(), SendInput::schema()),
    ] {
        schemas.push((name.to_string(), schema));
    }
    T::Json::schemas(&mut schemas);
    T::Fields::schemas(&mut schemas);
    T::RowJson::schemas(&mut schemas);
    BodyInput::schemas(&mut schemas);
    let mut doc = OpenApiBuilder::new()
        .paths(paths)
        .components(Some(
            ComponentsBuilder::new().schemas_from_iter(schemas).build(),
        ))
        .build();
    Creating {
        path,
        fields: &["customer_id", "items"],
    }
    .modify(&mut doc);
    doc
}

/// A draft as the API reads it: the body's fields and the type's own in
/// one object.
fn draft<T: DocumentApi>() -> RefOr<Schema> {
    let mut draft = match BodyInput::schema() {
        RefOr::T(Schema::Object(object)) => object,
        _ => Object::new(),
    };
    if let RefOr::T(Schema::Object(fields)) = T::Fields::schema() {
        draft.properties.extend(fields.properties);
        draft.description = fields.description;
    }
    RefOr::T(Schema::Object(draft))
}

/// The document as the API shows it, read again after a change.
pub async fn json_of<T: DocumentApi>(
    state: &AppState,
    actor: &StaffActor,
    id: i64,
) -> AppResult<Json<T::Json>> {
    let doc = T::get(&state.db, actor, id).await?;
    Ok(Json(T::json(state, &doc).await?))
}

#[derive(Deserialize, IntoParams)]
struct IndexQuery {
    /// Only this customer's documents.
    #[serde(default, deserialize_with = "kernel::web::number")]
    #[param(schema_with = kernel::web::number_schema)]
    customer_id: Option<i64>,
    /// Declared with the type's statuses.
    #[serde(default)]
    #[param(ignore)]
    status: String,
    /// Dated on or after this day, `YYYY-MM-DD`.
    #[serde(default)]
    #[param(schema_with = crate::api::schema::query_date)]
    from: String,
    /// Dated on or before this day.
    #[serde(default)]
    #[param(schema_with = crate::api::schema::query_date)]
    to: String,
    #[serde(flatten)]
    #[param(ignore)]
    list: ListQuery,
}

/// Every filter is optional: without `customer_id` the list covers every
/// customer the actor sees, newest first, a page at a time.
async fn index<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(q): Query<IndexQuery>,
) -> AppResult<Json<ListBody<T::RowJson>>> {
    let filter =
        crate::common::filter::DocumentFilter::<T::Status>::parse(&q.status, &q.from, &q.to)
            .map_err(AppError::Validation)?;
    let core = Core {
        svc: T::SVC,
        kind: T::KIND,
        db: &state.db,
    };
    let customer = q.customer_id.map(CustomerId);
    let (page, _) = core
        .page(
            &me.actor,
            customer,
            &filter,
            (q.list.page(), q.list.per_page()),
        )
        .await?;
    let today = state.clock.today();
    let page = page.try_map(|(listed, row)| T::row_json(listed, &row, today))?;
    Ok(Json(page.into()))
}

async fn show<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    json_of::<T>(&state, &me.actor, id).await
}

async fn create<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, T::Fields>,
) -> AppResult<Response> {
    let customer =
        T::customer_of(&fields).ok_or_else(|| AppError::field("customer_id", "error-required"))?;
    let customer = CustomerId(customer);
    let id =
        typed::create::<T>(&state.db, &me.actor, customer, (body, fields), &state.clock).await?;
    Ok(created(json_of::<T>(&state, &me.actor, id).await?.0).into_response())
}

async fn update<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJsonPair(body, fields): ApiJsonPair<BodyInput, T::Fields>,
) -> AppResult<Json<T::Json>> {
    typed::update::<T>(&state.db, &me.actor, id, (body, fields), &state.clock).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn delete<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StatusCode> {
    typed::delete::<T>(&state, &me.actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

async fn issue<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    typed::issue::<T>(&state, &me.actor, id).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn pdf<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    typed::download::<T>(&state, &me.actor, id)
        .await?
        .into_response()
}

/// Sends the document by email (absent fields take the defaults: the
/// contacts chosen first, the template in the customer's language).
async fn send<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<SendInput>,
) -> AppResult<Json<T::Json>> {
    typed::send::<T>(&state, &me.actor, id, &input).await?;
    json_of::<T>(&state, &me.actor, id).await
}

async fn mark_sent<T: DocumentApi>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<T::Json>> {
    typed::mark_sent::<T>(&state, &me.actor, id).await?;
    json_of::<T>(&state, &me.actor, id).await
}
