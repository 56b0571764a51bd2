//! The customer's addresses in the portal: the primary contact may change
//! them when the installation allows it (Settings → Portal).

use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, extract::State, response::Response, routing::get};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult};

use super::{
    html::{CustomerForm, state_of},
    service,
};
use crate::{
    http::{
        ctx::Ctx,
        extract::Form,
        form::{FormState, done, respond},
        portal::{Portal, ctx},
    },
    modules::portal::{model::PortalUser, service as portal},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal/company", get(company).post(update_company))
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/portal_company.html")]
struct CompanyPage {
    c: Ctx,
    u: PortalUser,
    f: FormState,
}

async fn company(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<CompanyPage> {
    if !portal::may_edit_company(&state.db, &u).await? {
        return Err(AppError::NotFound);
    }
    let customer = service::of_contact(&state.db, &u.contact).await?;
    let c = ctx(c, Some(&u));
    let f = state_of(&customer, c.locale);
    Ok(CompanyPage { c, u, f })
}

async fn update_company(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, _): Portal,
    Form(form): Form<CustomerForm>,
) -> AppResult<Response> {
    if !portal::may_edit_company(&state.db, &u).await? {
        return Err(AppError::NotFound);
    }
    let input = form.input(serde_json::Map::new());
    respond(
        service::update_addresses_by_contact(&state.db, &u.contact, &input, &state.clock).await,
        |()| done(jar, "flash-saved", "/portal/company"),
        |errors| async move {
            let c = ctx(c, Some(&u));
            let f = form.state(c.locale).with_errors(errors);
            Ok(CompanyPage { c, u, f })
        },
    )
    .await
}
