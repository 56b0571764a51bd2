//! The first-run setup at `/setup`: one page asking what every invoice
//! needs from the seller (name, address, tax number or VAT id), the bank
//! details and logo the documents show, and the language and currency new
//! customers start with. Staff who may change the settings land on it
//! instead of the dashboard until it is done or put off; it stays
//! reachable from Settings to look at everything in one place again.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Multipart, State},
    response::Response,
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, settings};

use super::{logo, model::Company, service};
use crate::{
    http::{
        ctx::Ctx,
        extract::Staff,
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        FirstRun,
        customers::{
            defaults::{self, Defaults},
            model::CURRENCIES,
        },
    },
    policy::{self, Action},
    state::AppState,
};

pub const PATH: &str = "/setup";

/// Set once the setup was put off: the dashboard then only reminds.
const DEFERRED: &str = "setup.deferred";

pub const FIRST_RUN: &[FirstRun] = &[|state, me| Box::pin(due(state, me))];

/// The setup, for staff who may do it, while the seller details are
/// incomplete and it was not put off.
async fn due(state: &AppState, me: &SignedIn) -> AppResult<Option<&'static str>> {
    if !service::may_change(&me.actor) || settings::get_bool(&state.db, DEFERRED).await? {
        return Ok(None);
    }
    let gaps = service::sender(&state.db).await?.gaps();
    Ok((!gaps.is_empty()).then_some(PATH))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PATH, get(show).post(save))
        .route("/setup/later", post(later))
}

#[derive(Template, WebTemplate)]
#[template(path = "billing/templates/setup.html")]
struct SetupPage {
    c: Ctx,
    f: FormState,
    has_logo: bool,
    currencies: &'static [&'static str],
}

async fn page(state: &AppState, c: Ctx, f: FormState) -> AppResult<SetupPage> {
    Ok(SetupPage {
        has_logo: logo::is_set(state).await?,
        currencies: &CURRENCIES,
        c,
        f,
    })
}

async fn show(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<SetupPage> {
    policy::require(&me.actor, policy::SETTINGS, Action::Edit)?;
    let (company, d) = futures::try_join!(
        service::company(&state.db, &me.actor),
        defaults::get(&state.db),
    )?;
    let mut f = FormState::new(c.locale);
    for (field, value) in company.fields() {
        f.set(field, value);
    }
    f.set("language", d.language.code());
    f.set("currency", &d.currency);
    page(&state, c, f).await
}

/// What the form sent: its text fields, and the logo when one was chosen.
struct Sent {
    fields: HashMap<String, String>,
    logo: Option<Vec<u8>>,
    /// The body broke off, mostly for a file past the request limit.
    broken: bool,
}

impl Sent {
    async fn read(mut multipart: Multipart) -> Self {
        let mut sent = Sent {
            fields: HashMap::new(),
            logo: None,
            broken: false,
        };
        loop {
            match multipart.next_field().await {
                Ok(Some(field)) => {
                    let name = field.name().unwrap_or_default().to_owned();
                    let picked = field.file_name().is_some_and(|n| !n.is_empty());
                    match (name.as_str(), field.bytes().await) {
                        ("logo", Ok(bytes)) if picked && !bytes.is_empty() => {
                            sent.logo = Some(bytes.to_vec())
                        }
                        ("logo", Ok(_)) => {}
                        (_, Ok(bytes)) => {
                            let text = String::from_utf8_lossy(&bytes).into_owned();
                            sent.fields.insert(name, text);
                        }
                        (_, Err(_)) => sent.broken = true,
                    }
                }
                Ok(None) => break,
                Err(_) => {
                    sent.broken = true;
                    break;
                }
            }
        }
        sent
    }

    fn text(&self, name: &str) -> &str {
        self.fields.get(name).map_or("", String::as_str)
    }

    fn company(&self) -> Company {
        let typed: serde_json::Map<String, serde_json::Value> = Company::default()
            .fields()
            .iter()
            .map(|(field, _)| (field.to_string(), self.text(field).into()))
            .collect();
        serde_json::from_value(typed.into()).unwrap_or_default()
    }
}

/// Checks everything, then keeps the logo, the company details and the
/// defaults; a refusal keeps nothing and names every problem at once.
async fn set_up(state: &AppState, me: &SignedIn, sent: &Sent) -> AppResult<()> {
    policy::require(&me.actor, policy::SETTINGS, Action::Edit)?;
    let mut e = FieldErrors::new();
    if sent.broken {
        e.add("logo", "error-logo-too-large");
    }
    let typed = sent.company();
    let company = super::model::parse_company(&typed).map_err(|errors| e.merge(errors));
    for gap in typed.gaps() {
        let key = match gap {
            "tax_number" => "error-setup-tax-id",
            _ => "error-required",
        };
        e.add(gap, key);
    }
    let chosen = Defaults::parse(sent.text("language"), sent.text("currency"))
        .map_err(|errors| e.merge(errors));
    let (company, chosen) = match (company, chosen) {
        (Ok(company), Ok(chosen)) if e.is_empty() => (company, chosen),
        _ => return Err(AppError::Validation(e)),
    };
    if let Some(bytes) = &sent.logo {
        logo::save(state, &me.actor, bytes.clone(), state.clock.now()).await?;
    }
    service::save_company(&state.db, &me.actor, &company, &state.clock).await?;
    defaults::save(&state.db, &me.actor, &chosen, &state.clock).await?;
    Ok(())
}

async fn save(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    multipart: Multipart,
) -> AppResult<Response> {
    let sent = Sent::read(multipart).await;
    let result = set_up(&state, &me, &sent).await;
    respond(
        result,
        |()| done(jar, "flash-setup-done", "/"),
        |errors: FieldErrors| async move {
            let mut f = FormState::new(c.locale);
            for (field, value) in &sent.fields {
                f.set(field, value);
            }
            page(&state, c, f.with_errors(errors)).await
        },
    )
    .await
}

/// Puts the setup off: the dashboard opens, reminding of what is missing;
/// issuing stays refused until it is there.
async fn later(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
) -> AppResult<Response> {
    if !service::may_change(&me.actor) {
        return Err(AppError::Forbidden);
    }
    settings::set(&state.db, DEFERRED, "true", state.clock.now()).await?;
    Ok(done(jar, "flash-setup-later", "/"))
}
