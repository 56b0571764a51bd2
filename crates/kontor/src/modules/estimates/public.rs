//! The estimate as its customer reads and answers it, on the secret link
//! (`/p/estimate/{token}`) and in the portal: the kit's answered-document
//! pages with the estimate's lines.

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};
use kernel::AppResult;
use sea_orm::{ConnectionTrait, DbErr};

use super::{
    model::{Estimate, EstimateId},
    repo,
    service::{self, Estimates},
};
use crate::{
    common::documents::answer::{self, AnswerState, Answerable, pages::AnswerView},
    http::ctx::Ctx,
    modules::portal::model::PortalUser,
    state::AppState,
};

impl Answerable for Estimates {
    const OPEN: &'static [&'static str] = &[answer::SENT];
    const CONVERTS: bool = true;
    const REMINDER: &'static str = "estimate_reminder";

    fn answer(e: &Estimate) -> AnswerState<'_> {
        AnswerState {
            token: &e.public_token,
            accepted: e.accepted.as_ref(),
            converted: e.invoice.is_some(),
        }
    }

    async fn find(db: &impl ConnectionTrait, id: i64) -> Result<Option<Estimate>, DbErr> {
        repo::find(db, EstimateId(id)).await
    }

    /// With "convert on acceptance" set, the invoice is drafted now. The
    /// acceptance stands whatever happens to the conversion; staff see an
    /// unconverted estimate and convert it themselves.
    async fn accepted(state: &AppState, id: i64) {
        let convert = match answer::Settings::load::<Estimates>(&state.db).await {
            Ok(s) => s.auto_convert,
            Err(err) => {
                tracing::warn!(id, error = %err, "reading the estimate settings failed");
                false
            }
        };
        if convert && let Err(err) = service::convert_as(state, EstimateId(id), None).await {
            tracing::warn!(id, error = %err, "converting the accepted estimate failed");
        }
    }

    async fn page(
        _: &AppState,
        c: Ctx,
        a: AnswerView<Estimates>,
        portal: Option<PortalUser>,
    ) -> AppResult<Response> {
        Ok(match portal {
            Some(u) => PortalPage { c, u, a }.into_response(),
            None => PublicPage { c, a }.into_response(),
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/public.html")]
struct PublicPage {
    c: Ctx,
    a: AnswerView<Estimates>,
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/portal_show.html")]
struct PortalPage {
    c: Ctx,
    u: PortalUser,
    a: AnswerView<Estimates>,
}
