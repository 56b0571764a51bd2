//! The estimate on its secret link (`/p/estimate/{token}`) and in the
//! portal (contacts with the `estimates` permission): the document, then
//! the legal text, then the acceptance with name, email and a drawn
//! signature, or a decline with a reason. An answer that cannot be taken
//! (answered, expired) shows the page again with why; nothing changes.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors};

use super::{
    html::{pdf_response, signed_name},
    model::{Estimate, EstimateId, EstimateRow, Status},
    service::{self, Answerer, Estimates, Settings},
};
use crate::{
    common::{
        documents::{
            accept::{AcceptInput, DeclineInput, Origin},
            typed,
        },
        totals::Totals,
    },
    http::{
        client_ip,
        ctx::Ctx,
        extract::{Form, Path},
        form::{FormState, done},
        portal::{Portal, ctx as portal_ctx},
    },
    modules::{
        billing::service as billing, customers::service as customers, portal::model::PortalUser,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/p/estimate/{token}", get(public_page))
        .route("/p/estimate/{token}/accept", post(public_accept))
        .route("/p/estimate/{token}/decline", post(public_decline))
        .route("/p/estimate/{token}/pdf", get(public_pdf))
        .route("/p/estimate/{token}/signed.pdf", get(public_signed))
        .route("/portal/estimates", get(portal_index))
        .route("/portal/estimates/{id}", get(portal_page))
        .route("/portal/estimates/{id}/accept", post(portal_accept))
        .route("/portal/estimates/{id}/decline", post(portal_decline))
        .route("/portal/estimates/{id}/pdf", get(portal_pdf))
        .route("/portal/estimates/{id}/signed.pdf", get(portal_signed))
}

/// The estimate as its customer reads and answers it: the page on the
/// secret link, and the portal's (with the portal around it).
pub struct Answer {
    company: String,
    estimate: Estimate,
    t: Totals,
    /// Where its links and forms go: `/p/estimate/{token}` or
    /// `/portal/estimates/{id}`.
    base: String,
    legal: String,
    open: bool,
    accept: FormState,
    decline: FormState,
    /// Why an answer was not taken (a message key), when it was not.
    refused: Option<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/public.html")]
struct PublicPage {
    c: Ctx,
    a: Answer,
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/portal_show.html")]
struct PortalPage {
    c: Ctx,
    u: PortalUser,
    a: Answer,
}

/// What the page shows besides the estimate: the forms as typed and why
/// an answer was refused.
#[derive(Default)]
struct Typed {
    accept: Option<FormState>,
    decline: Option<FormState>,
    refused: Option<String>,
}

async fn answer_page(
    state: &AppState,
    c: Ctx,
    estimate: Estimate,
    (base, portal): (String, Option<PortalUser>),
    typed: Typed,
) -> AppResult<Response> {
    let (company, settings) =
        futures::try_join!(billing::sender(&state.db), Settings::load(&state.db))?;
    let status = match (
        &typed.refused,
        typed.accept.is_some() || typed.decline.is_some(),
    ) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, true) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, false) => StatusCode::OK,
    };
    let a = Answer {
        company: company.name,
        t: estimate.totals(),
        open: estimate.is_open(state.clock.today()),
        legal: settings.legal_text(c.locale),
        accept: typed.accept.unwrap_or_else(|| FormState::new(c.locale)),
        decline: typed.decline.unwrap_or_else(|| FormState::new(c.locale)),
        refused: typed.refused,
        estimate,
        base,
    };
    Ok(match portal {
        Some(u) => (status, PortalPage { c, u, a }).into_response(),
        None => (status, PublicPage { c, a }).into_response(),
    })
}

/// Where an answer comes from: the client's address (through our proxies)
/// and its browser.
struct Answering(Origin);

impl FromRequestParts<AppState> for Answering {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no peer address")))?;
        let headers = &parts.headers;
        Ok(Answering(Origin {
            ip: client_ip(&state.config.trusted_proxies, addr, headers),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .take(500)
                .collect(),
        }))
    }
}

/// The page of a visitor on the link, in the customer's language (the
/// estimate's own).
async fn public_ctx(state: &AppState, mut c: Ctx, estimate: &Estimate) -> AppResult<Ctx> {
    c.locale = customers::for_document(&state.db, estimate.customer_id)
        .await?
        .0
        .language;
    Ok(portal_ctx(c, None))
}

fn public_base(token: &str) -> String {
    format!("/p/estimate/{token}")
}

async fn public_page(
    State(state): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let estimate = service::by_token(&state.db, &token).await?;
    let c = public_ctx(&state, c, &estimate).await?;
    answer_page(
        &state,
        c,
        estimate,
        (public_base(&token), None),
        Typed::default(),
    )
    .await
}

fn accept_typed(c: &Ctx, input: &AcceptInput, errors: FieldErrors) -> FormState {
    FormState::new(c.locale)
        .with("name", &input.name)
        .with("email", &input.email)
        .with("agree", input.agree == "1")
        .with_errors(errors)
}

/// The answer's outcome as the page shows it: back to the page with a
/// message, or the page again with the form as typed or the refusal.
async fn answered(
    (state, c, jar): (&AppState, Ctx, CookieJar),
    id: EstimateId,
    (base, portal): (String, Option<PortalUser>),
    result: AppResult<()>,
    (flash, typed): (&str, impl FnOnce(&Ctx, FieldErrors) -> Typed),
) -> AppResult<Response> {
    let retyped = match result {
        Ok(()) => return Ok(done(jar, flash, &base)),
        Err(AppError::Validation(errors)) => typed(&c, errors),
        Err(AppError::Conflict(reason)) => Typed {
            refused: Some(reason),
            ..Typed::default()
        },
        Err(e) => return Err(e),
    };
    let estimate = service::find(&state.db, id).await?;
    answer_page(state, c, estimate, (base, portal), retyped).await
}

async fn public_accept(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(token): Path<String>,
    Form(input): Form<AcceptInput>,
) -> AppResult<Response> {
    let estimate = service::by_token(&state.db, &token).await?;
    let id = estimate.id;
    let result = match input.check() {
        Ok(signed) => {
            let by = Answerer::Public(origin);
            service::accept(&state, id, by, signed).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let typed = |c: &Ctx, errors| Typed {
        accept: Some(accept_typed(c, &input, errors)),
        ..Typed::default()
    };
    let outcome = ("flash-estimate-you-accepted", typed);
    let c = public_ctx(&state, c, &estimate).await?;
    answered(
        (&state, c, jar),
        id,
        (public_base(&token), None),
        result,
        outcome,
    )
    .await
}

async fn public_decline(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(token): Path<String>,
    Form(input): Form<DeclineInput>,
) -> AppResult<Response> {
    let estimate = service::by_token(&state.db, &token).await?;
    let id = estimate.id;
    let result = match input.check() {
        Ok(reason) => {
            let by = Answerer::Public(origin);
            service::decline(&state, id, by, reason).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let typed = |c: &Ctx, errors| Typed {
        decline: Some(
            FormState::new(c.locale)
                .with("reason", &input.reason)
                .with_errors(errors),
        ),
        ..Typed::default()
    };
    let outcome = ("flash-estimate-you-declined", typed);
    let c = public_ctx(&state, c, &estimate).await?;
    answered(
        (&state, c, jar),
        id,
        (public_base(&token), None),
        result,
        outcome,
    )
    .await
}

async fn public_pdf(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let estimate = service::by_token(&state.db, &token).await?;
    typed::pdf_of::<Estimates>(&state, &estimate)
        .await?
        .into_response()
}

async fn public_signed(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    let estimate = service::by_token(&state.db, &token).await?;
    let bytes = service::signed_pdf(&state, &estimate).await?;
    Ok(pdf_response(signed_name(&estimate), bytes))
}

/// The contact's sent estimates, when the contact may see estimates.
#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/portal_index.html")]
struct PortalIndex {
    c: Ctx,
    u: PortalUser,
    rows: Vec<EstimateRow>,
}

impl PortalIndex {
    fn amount(&self, r: &EstimateRow) -> String {
        let digits = kernel::money::minor_digits(&r.currency);
        self.c.amount(
            &kernel::money::from_minor(r.total_minor, digits),
            &r.currency,
        )
    }
}

fn portal_estimates(u: &PortalUser) -> AppResult<()> {
    if u.may("estimates") {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

async fn portal_index(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<Response> {
    portal_estimates(&u)?;
    let rows = service::of_contact(&state.db, &u.contact).await?;
    Ok(PortalIndex {
        c: portal_ctx(c, Some(&u)),
        u,
        rows,
    }
    .into_response())
}

fn portal_base(id: i64) -> String {
    format!("/portal/estimates/{id}")
}

async fn portal_page(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    portal_estimates(&u)?;
    let estimate = service::get_for_contact(&state.db, &u.contact, EstimateId(id)).await?;
    let c = portal_ctx(c, Some(&u));
    answer_page(
        &state,
        c,
        estimate,
        (portal_base(id), Some(u)),
        Typed::default(),
    )
    .await
}

async fn portal_accept(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(id): Path<i64>,
    Form(input): Form<AcceptInput>,
) -> AppResult<Response> {
    portal_estimates(&u)?;
    let estimate = service::get_for_contact(&state.db, &u.contact, EstimateId(id)).await?;
    let result = match input.check() {
        Ok(signed) => {
            let by = Answerer::Contact(&u.contact, origin);
            service::accept(&state, estimate.id, by, signed).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let typed = |c: &Ctx, errors| Typed {
        accept: Some(accept_typed(c, &input, errors)),
        ..Typed::default()
    };
    let c = portal_ctx(c, Some(&u));
    let outcome = ("flash-estimate-you-accepted", typed);
    answered(
        (&state, c, jar),
        estimate.id,
        (portal_base(id), Some(u)),
        result,
        outcome,
    )
    .await
}

async fn portal_decline(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(id): Path<i64>,
    Form(input): Form<DeclineInput>,
) -> AppResult<Response> {
    portal_estimates(&u)?;
    let estimate = service::get_for_contact(&state.db, &u.contact, EstimateId(id)).await?;
    let result = match input.check() {
        Ok(reason) => {
            let by = Answerer::Contact(&u.contact, origin);
            service::decline(&state, estimate.id, by, reason).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let typed = |c: &Ctx, errors| Typed {
        decline: Some(
            FormState::new(c.locale)
                .with("reason", &input.reason)
                .with_errors(errors),
        ),
        ..Typed::default()
    };
    let c = portal_ctx(c, Some(&u));
    let outcome = ("flash-estimate-you-declined", typed);
    answered(
        (&state, c, jar),
        estimate.id,
        (portal_base(id), Some(u)),
        result,
        outcome,
    )
    .await
}

async fn portal_pdf(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    portal_estimates(&u)?;
    let estimate = service::get_for_contact(&state.db, &u.contact, EstimateId(id)).await?;
    typed::pdf_of::<Estimates>(&state, &estimate)
        .await?
        .into_response()
}

async fn portal_signed(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    portal_estimates(&u)?;
    let estimate = service::get_for_contact(&state.db, &u.contact, EstimateId(id)).await?;
    let bytes = service::signed_pdf(&state, &estimate).await?;
    Ok(pdf_response(signed_name(&estimate), bytes))
}

impl Answer {
    fn accepted(&self) -> bool {
        self.estimate.status == Status::Accepted
    }

    fn title(&self, c: &Ctx) -> String {
        match &self.estimate.number {
            Some(n) => format!("{} {n}", c.t("estimate")),
            None => c.t("estimate"),
        }
    }
}
