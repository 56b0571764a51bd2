//! The proposal as its customer reads it, on the secret link
//! (`/p/proposal/{token}`) and in the portal: the kit's answered-document
//! pages with the proposal's content, lines and comments, where the
//! customer comments too.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use axum_extra::extract::CookieJar;
use kernel::AppResult;
use sea_orm::{ConnectionTrait, DbErr, QueryResult};

use super::{
    html::CommentForm,
    model::{Comment, Proposal, ProposalId},
    repo,
    service::{self, Commenter, Proposals},
};
use crate::{
    common::documents::answer::{
        self, AnswerState, Answerable,
        pages::{AnswerView, Reader, Typed, answered, contact},
    },
    http::{
        ctx::Ctx,
        extract::{Form, Path},
        form::FormState,
        portal::Portal,
    },
    modules::portal::model::PortalUser,
    state::AppState,
};

/// The status of a proposal its customer has read.
const OPENED: &str = "open";

impl Answerable for Proposals {
    const OPEN: &'static [&'static str] = &[answer::SENT, OPENED];
    const VIEWED: Option<&'static str> = Some(OPENED);
    const REMINDER: &'static str = "proposal_reminder";

    fn answer(p: &Proposal) -> AnswerState<'_> {
        AnswerState {
            token: &p.public_token,
            accepted: p.accepted.as_ref(),
            converted: p.estimate.is_some() || p.invoice.is_some(),
        }
    }

    async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Proposal>, DbErr> {
        repo::find(db, ProposalId(id)).await
    }

    /// The kit's view with the comments.
    async fn page(
        state: &AppState,
        c: Ctx,
        mut a: AnswerView<Proposals>,
        portal: Option<PortalUser>,
    ) -> AppResult<Response> {
        let comments = service::comments(&state.db, a.doc.id).await?;
        let comment = a.own.take().unwrap_or_else(|| FormState::new(c.locale));
        Ok(match portal {
            Some(u) => PortalPage {
                c,
                u,
                a,
                comments,
                comment,
            }
            .into_response(),
            None => PublicPage {
                c,
                a,
                comments,
                comment,
            }
            .into_response(),
        })
    }

    fn portal_title(row: &QueryResult) -> Option<String> {
        row.try_get("", "subject").ok()
    }
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/p/proposal/{token}/comments", post(public_comment))
        .route("/portal/proposals/{id}/comments", post(portal_comment))
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/templates/public.html")]
struct PublicPage {
    c: Ctx,
    a: AnswerView<Proposals>,
    comments: Vec<Comment>,
    comment: FormState,
}

#[derive(Template, WebTemplate)]
#[template(path = "proposals/templates/portal_show.html")]
struct PortalPage {
    c: Ctx,
    u: PortalUser,
    a: AnswerView<Proposals>,
    comments: Vec<Comment>,
    comment: FormState,
}

async fn commented(
    (state, c, jar): (AppState, Ctx, CookieJar),
    (reader, id): (Reader, Option<i64>),
    form: CommentForm,
) -> AppResult<Response> {
    let p = reader.doc::<Proposals>(&state, id).await?;
    let by = match &reader {
        Reader::Link(_) => Commenter::Public(form.author_name.clone()),
        Reader::Contact(u) => Commenter::Contact(&u.contact),
    };
    let result = service::comment(&state, &p, by, &form.comment).await;
    let typed = |c: &Ctx, errors| Typed {
        own: Some(
            FormState::new(c.locale)
                .with("comment", &form.comment)
                .with("author_name", &form.author_name)
                .with_errors(errors),
        ),
        ..Typed::default()
    };
    answered::<Proposals>(
        (&state, c, jar),
        (reader, p),
        result,
        ("flash-comment-added", typed),
    )
    .await
}

async fn public_comment(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    commented((state, c, jar), (Reader::Link(token), None), form).await
}

async fn portal_comment(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    jar: CookieJar,
    Path(id): Path<i64>,
    Form(form): Form<CommentForm>,
) -> AppResult<Response> {
    let reader = contact::<Proposals>(u)?;
    commented((state, c, jar), (reader, Some(id)), form).await
}
