//! The Estimates tab, the list across customers and the estimate page
//! (send, copy, convert, and the kit's answer actions and settings page).

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use axum_extra::extract::CookieJar;
use kernel::{AppResult, money};
use sea_orm::QueryResult;

use super::{
    model::{Estimate, EstimateId, EstimateInput, EstimateRow, Status},
    service::{self, Estimates},
};
use crate::{
    common::documents::{
        answer,
        form::{Agent, DraftForm, InvoiceParts},
        pages::{self, Across, DocumentPages, Listing, Retyped, Shown},
        store::Listed,
    },
    http::{
        ctx::Ctx,
        extract::{Path, Staff},
        form::{FormState, done},
        frame::Overview,
        identity::SignedIn,
    },
    modules::{invoices::service as invoices, staff::service as staff},
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/estimates/{id}/copy", post(copy))
        .route("/estimates/{id}/convert", post(convert))
        .merge(pages::routes::<Estimates>())
        .merge(answer::pages::routes::<Estimates>())
}

impl DocumentPages for Estimates {
    /// The form recording the customer's answer.
    type Own = FormState;
    type Row = EstimateRow;

    fn row(listed: Listed, row: &QueryResult) -> AppResult<EstimateRow> {
        service::row(listed, row)
    }

    async fn tab(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        (o, l): (Overview, Listing<Status, EstimateRow>),
    ) -> AppResult<Response> {
        Ok(IndexPage { c, o, l }.into_response())
    }

    async fn all(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        l: Listing<Status, Across<EstimateRow>>,
    ) -> AppResult<Response> {
        Ok(AllPage { c, l }.into_response())
    }

    fn form_fields(_: &DraftForm) -> EstimateInput {
        EstimateInput::default()
    }

    fn refill(e: &Estimate, f: FormState) -> FormState {
        let agent = e.body.sales_agent_id.map(|s| s.0.to_string());
        f.with("sales_agent_id", agent.unwrap_or_default())
    }

    async fn form_parts(state: &AppState) -> AppResult<Option<InvoiceParts>> {
        let agents = staff::directory(&state.db)
            .await?
            .into_iter()
            .map(|a| Agent {
                id: a.id.0,
                name: format!("{} {}", a.first_name, a.last_name),
            })
            .collect();
        Ok(Some(InvoiceParts { agents, units: &[] }))
    }

    async fn show(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        id: i64,
        retyped: Option<Retyped<FormState>>,
    ) -> AppResult<Response> {
        let estimate = service::get(&state.db, &me.actor, EstimateId(id)).await?;
        let (refilled, own) = Retyped::split(retyped);
        let (o, s) = pages::shown::<Estimates>(state, &c, me, &estimate, refilled).await?;
        let today = state.clock.today();
        let may_edit = service::may(&me.actor, Action::Edit);
        let answer = own.unwrap_or_else(|| FormState::new(c.locale));
        let page = ShowPage {
            public_url: estimate.public_url(&state.config.base_url),
            may_answer: may_edit && answer::is_open::<Estimates>(&estimate, today),
            may_undo: may_edit
                && estimate.invoice.is_none()
                && matches!(estimate.status, Status::Accepted | Status::Declined),
            may_convert: may_edit
                && invoices::may(&me.actor, Action::Create)
                && estimate.invoice.is_none()
                && matches!(estimate.status, Status::Sent | Status::Accepted),
            may_copy: service::may(&me.actor, Action::Create),
            past_expiry: answer::past_date::<Estimates>(&estimate, today),
            answer,
            c,
            o,
            s,
            estimate,
        };
        Ok(page.into_response())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/all.html")]
struct AllPage {
    c: Ctx,
    l: Listing<Status, Across<EstimateRow>>,
}

impl AllPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

fn amount(c: &Ctx, minor: i64, currency: &str) -> String {
    let digits = money::minor_digits(currency);
    c.amount(&money::from_minor(minor, digits), currency)
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    l: Listing<Status, EstimateRow>,
}

impl IndexPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/show.html")]
struct ShowPage {
    c: Ctx,
    o: Overview,
    s: Shown,
    estimate: Estimate,
    public_url: String,
    /// Recording the customer's answer: open, and staff who may edit.
    may_answer: bool,
    may_undo: bool,
    may_convert: bool,
    may_copy: bool,
    /// Sent, but past its expiry date (the worker marks it soon).
    past_expiry: bool,
    answer: FormState,
}

async fn copy(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let copy = service::copy(&state.db, &me.actor, EstimateId(id), &state.clock).await?;
    Ok(done(
        jar,
        "flash-estimate-copied",
        &format!("/estimates/{}/edit", copy.0),
    ))
}

async fn convert(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match service::convert(&state, &me.actor, EstimateId(id)).await {
        Ok(invoice) => Ok(done(
            jar,
            "flash-estimate-converted",
            &format!("/invoices/{}", invoice.0),
        )),
        Err(e) => pages::refused(jar, e, &format!("/estimates/{id}")),
    }
}
