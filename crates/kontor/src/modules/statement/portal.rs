//! A contact with the invoices permission produces its company's statement
//! in the portal, on screen and as PDF.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Query, State},
    response::Response,
    routing::get,
};
use kernel::{AppError, AppResult};

use super::{
    html::{PeriodQuery, View},
    model::Preset,
    pdf, send, service,
};
use crate::http::portal::{Portal, ctx as portal_ctx};
use crate::{
    common::documents::{file_name, in_memory, pdf_download},
    http::ctx::Ctx,
    modules::portal::model::PortalUser,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/statement", get(index))
        .route("/portal/statement/pdf", get(download))
}

fn require(u: &PortalUser) -> AppResult<()> {
    if u.may("invoices") {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "statement/templates/portal.html")]
struct PortalPage {
    c: Ctx,
    u: PortalUser,
    v: View,
    q: PeriodQuery,
    query: String,
    presets: &'static [Preset],
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    Query(q): Query<PeriodQuery>,
) -> AppResult<PortalPage> {
    require(&u)?;
    let c = portal_ctx(c, Some(&u));
    let statement = service::for_contact(
        &state.db,
        u.contact.customer_id,
        q.period(state.clock.today())?,
        q.page(),
    )
    .await?;
    Ok(PortalPage {
        v: View::new(&c, statement, &q),
        query: q.encoded(),
        presets: &Preset::ALL,
        c,
        u,
        q,
    })
}

async fn download(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    require(&u)?;
    let customer = u.contact.customer_id;
    let statement = service::for_contact(
        &state.db,
        customer,
        q.period(state.clock.today())?,
        service::Lines::All,
    )
    .await?;
    let bytes = pdf::render(&state, customer, &statement, state.clock.now()).await?;
    pdf_download(
        file_name(Some(&send::name(customer, &statement)), customer.0),
        in_memory(bytes),
    )
    .into_response()
}
