//! The Proposals tab, the list across customers, the proposal page (send,
//! revise, convert, comments, and the kit's answer actions) and Settings >
//! Proposals.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, money};
use sea_orm::QueryResult;
use serde::Deserialize;

use super::{
    model::{
        Comment, ConvertInput, Proposal, ProposalId, ProposalInput, ProposalRow, Status, Target,
    },
    service::{self, Commenter, Proposals},
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
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        frame::Overview,
        identity::SignedIn,
    },
    modules::{
        estimates::service as estimates, invoices::service as invoices, staff::service as staff,
    },
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/proposals/{id}/revise", post(revise))
        .route("/proposals/{id}/convert", post(convert))
        .route("/proposals/{id}/comments", post(comment))
        .merge(pages::routes::<Proposals>())
        .merge(answer::pages::routes::<Proposals>())
}

/// The forms of the proposal page besides the core's: the answer recorded
/// for the customer, a comment.
pub enum OwnForm {
    Answer(FormState),
    Comment(FormState),
}

impl From<FormState> for OwnForm {
    fn from(f: FormState) -> Self {
        OwnForm::Answer(f)
    }
}

impl DocumentPages for Proposals {
    type Own = OwnForm;
    type Row = ProposalRow;

    fn row(listed: Listed, row: &QueryResult) -> AppResult<ProposalRow> {
        service::row(listed, row)
    }

    async fn tab(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        (o, l): (Overview, Listing<Status, ProposalRow>),
    ) -> AppResult<Response> {
        Ok(IndexPage { c, o, l }.into_response())
    }

    async fn all(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        l: Listing<Status, Across<ProposalRow>>,
    ) -> AppResult<Response> {
        Ok(AllPage { c, l }.into_response())
    }

    fn form_fields(f: &DraftForm) -> ProposalInput {
        ProposalInput {
            customer_id: None,
            subject: Some(f.subject.clone()),
            content: Some(f.content.clone()),
            open_till: None,
        }
    }

    fn refill(p: &Proposal, f: FormState) -> FormState {
        let agent = p.body.sales_agent_id.map(|s| s.0.to_string());
        f.with("sales_agent_id", agent.unwrap_or_default())
            .with("subject", &p.subject)
            .with("content", &p.content)
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
        retyped: Option<Retyped<OwnForm>>,
    ) -> AppResult<Response> {
        let proposal = service::get(&state.db, &me.actor, ProposalId(id)).await?;
        let (refilled, own) = Retyped::split(retyped);
        let (o, s) = pages::shown::<Proposals>(state, &c, me, &proposal, refilled).await?;
        let today = state.clock.today();
        let may_edit = service::may(&me.actor, Action::Edit);
        let (answer, comment) = match own {
            Some(OwnForm::Answer(f)) => (f, FormState::new(c.locale)),
            Some(OwnForm::Comment(f)) => (FormState::new(c.locale), f),
            None => (FormState::new(c.locale), FormState::new(c.locale)),
        };
        let accepted = proposal.status == Status::Accepted;
        let page = ShowPage {
            public_url: proposal.public_url(&state.config.base_url),
            comments: service::comments(&state.db, proposal.id).await?,
            may_answer: may_edit && answer::is_open::<Proposals>(&proposal, today),
            may_undo: may_edit
                && proposal.estimate.is_none()
                && proposal.invoice.is_none()
                && matches!(proposal.status, Status::Accepted | Status::Declined),
            to_estimate: may_edit
                && accepted
                && proposal.estimate.is_none()
                && !proposal.body.items.is_empty()
                && estimates::may(&me.actor, Action::Create),
            to_invoice: may_edit
                && accepted
                && proposal.invoice.is_none()
                && !proposal.body.items.is_empty()
                && invoices::may(&me.actor, Action::Create),
            may_revise: service::may(&me.actor, Action::Create)
                && matches!(
                    proposal.status,
                    Status::Sent | Status::Open | Status::Declined | Status::Expired
                ),
            past_date: answer::past_date::<Proposals>(&proposal, today),
            answer,
            comment,
            c,
            o,
            s,
            proposal,
        };
        Ok(page.into_response())
    }
}

fn amount(c: &Ctx, minor: i64, currency: &str) -> String {
    let digits = money::minor_digits(currency);
    c.amount(&money::from_minor(minor, digits), currency)
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/templates/all.html")]
struct AllPage {
    c: Ctx,
    l: Listing<Status, Across<ProposalRow>>,
}

impl AllPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    l: Listing<Status, ProposalRow>,
}

impl IndexPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/templates/show.html")]
struct ShowPage {
    c: Ctx,
    o: Overview,
    s: Shown,
    proposal: Proposal,
    public_url: String,
    comments: Vec<Comment>,
    may_answer: bool,
    may_undo: bool,
    to_estimate: bool,
    to_invoice: bool,
    may_revise: bool,
    /// Sent, but past its open-till date (the worker marks it soon).
    past_date: bool,
    answer: FormState,
    comment: FormState,
}

async fn revise(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match service::revise(&state.db, &me.actor, ProposalId(id), &state.clock).await {
        Ok(copy) => Ok(done(
            jar,
            "flash-proposal-revised",
            &format!("/proposals/{}/edit", copy.0),
        )),
        Err(e) => pages::refused(jar, e, &format!("/proposals/{id}")),
    }
}

async fn convert(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ConvertInput>,
) -> AppResult<Response> {
    let to = form.target().map_err(AppError::Validation)?;
    match service::convert(&state, &me.actor, ProposalId(id), to).await {
        Ok(made) => {
            let to = match to {
                Target::Estimate => estimates::KIND.page(made),
                Target::Invoice => invoices::KIND.page(made),
            };
            Ok(done(jar, "flash-proposal-converted", &to))
        }
        Err(e) => pages::refused(jar, e, &format!("/proposals/{id}")),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    pub comment: String,
    /// A visitor on the link names themselves.
    #[serde(default)]
    pub author_name: String,
}

async fn comment(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    let p = service::get(&state.db, &me.actor, ProposalId(id)).await?;
    let page = format!("/proposals/{id}#comments");
    let result = service::comment(&state, &p, Commenter::Staff(&me.actor), &form.comment).await;
    let result = match result {
        Err(AppError::Conflict(reason)) => return Ok(done(jar, &reason, &page)),
        other => other,
    };
    respond(
        result,
        |()| done(jar, "flash-comment-added", &page),
        |errors| async move {
            let typed = FormState::new(c.locale)
                .with("comment", &form.comment)
                .with_errors(errors);
            Proposals::show(
                &state,
                c,
                &me,
                id,
                Some(Retyped::Own(OwnForm::Comment(typed))),
            )
            .await
        },
    )
    .await
}
