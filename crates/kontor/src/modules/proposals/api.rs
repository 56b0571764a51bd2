//! `/api/v1/proposals`: the document core's operations, the kit's answer
//! operations, converting to an estimate or an invoice, and comments.

use axum::{
    Json, Router,
    extract::State,
    http::StatusCode,
    routing::{get, post},
};
use chrono::NaiveDate;
use kernel::{AppError, AppResult};
use sea_orm::QueryResult;

use super::{
    model::{
        Comment, CommentInput, ConvertInput, Converted, Proposal, ProposalId, ProposalInput,
        ProposalJson, ProposalRowJson, Target,
    },
    service::{self, Commenter, Proposals},
};
use crate::{
    api::openapi::ErrorEnvelope,
    common::documents::{
        answer,
        api::{self, DocumentApi},
        store::Listed,
    },
    http::extract::{ApiJson, Path, Staff},
    modules::{estimates::model::EstimateId, invoices::model::InvoiceId},
    state::AppState,
};

/// The shared document operations and the proposal's own.
pub fn openapi() -> utoipa::openapi::OpenApi {
    let mut doc = api::openapi::<Proposals>();
    doc.merge(answer::api::openapi::<Proposals>());
    doc.merge(<Doc as utoipa::OpenApi>::openapi());
    doc
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/proposals/{id}/convert", post(convert))
        .route("/proposals/{id}/comments", get(comments).post(add_comment))
        .merge(api::routes::<Proposals>())
        .merge(answer::api::routes::<Proposals>())
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(convert, comments, add_comment))]
pub struct Doc;

impl DocumentApi for Proposals {
    type Json = ProposalJson;
    type RowJson = ProposalRowJson;

    async fn json(state: &AppState, p: &Proposal) -> AppResult<ProposalJson> {
        Ok(ProposalJson::new(p, &state.config.base_url))
    }

    fn row_json(listed: Listed, row: &QueryResult, _: NaiveDate) -> AppResult<ProposalRowJson> {
        Ok(service::row(listed, row)?.into())
    }

    fn customer_of(fields: &ProposalInput) -> Option<i64> {
        fields.customer_id
    }
}

/// Makes an estimate or an invoice (a draft) of the accepted proposal,
/// once each.
#[utoipa::path(post, path = "/proposals/{id}/convert", tag = "proposals", params(("id" = i64, Path)),
    request_body = ConvertInput,
    responses((status = 200, description = "The document made of it", body = Converted),
        (status = 409, description = "Not accepted, without lines, or converted to that already", body = ErrorEnvelope)))]
async fn convert(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<ConvertInput>,
) -> AppResult<Json<Converted>> {
    let to = input.target().map_err(AppError::Validation)?;
    let made = service::convert(&state, &me.actor, ProposalId(id), to).await?;
    Ok(Json(match to {
        Target::Estimate => Converted {
            estimate_id: Some(EstimateId(made)),
            invoice_id: None,
        },
        Target::Invoice => Converted {
            estimate_id: None,
            invoice_id: Some(InvoiceId(made)),
        },
    }))
}

/// The proposal's comments, both sides', oldest first.
#[utoipa::path(get, path = "/proposals/{id}/comments", tag = "proposals", params(("id" = i64, Path)),
    responses((status = 200, description = "The comments", body = Vec<Comment>)))]
async fn comments(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Json<Vec<Comment>>> {
    let p = service::get(&state.db, &me.actor, ProposalId(id)).await?;
    Ok(Json(service::comments(&state.db, p.id).await?))
}

/// Comments on the sent proposal; the customer is told by email.
#[utoipa::path(post, path = "/proposals/{id}/comments", tag = "proposals", params(("id" = i64, Path)),
    request_body = CommentInput,
    responses((status = 201, description = "The comments with the new one", body = Vec<Comment>),
        (status = 409, description = "A draft takes no comments", body = ErrorEnvelope)))]
async fn add_comment(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    ApiJson(input): ApiJson<CommentInput>,
) -> AppResult<(StatusCode, Json<Vec<Comment>>)> {
    let p = service::get(&state.db, &me.actor, ProposalId(id)).await?;
    service::comment(&state, &p, Commenter::Staff(&me.actor), &input.body).await?;
    Ok((
        StatusCode::CREATED,
        Json(service::comments(&state.db, p.id).await?),
    ))
}
