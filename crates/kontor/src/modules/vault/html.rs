//! The vault tab.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{ConnectInfo, State},
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, i18n::Locale};
use serde::Deserialize;

use super::{
    model::{Entry, EntryId, EntryInput, Port, Reveal, Visibility},
    service,
};
use crate::http::frame::Overview;
use crate::http::portal::{Portal, ctx as portal_ctx};
use crate::{
    http::{
        client_ip,
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        customers::{model::CustomerId, service::overview},
        portal::model::PortalUser,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/vault", get(index).post(create))
        .route("/vault/{id}", post(update))
        .route("/vault/{id}/edit", get(edit))
        .route("/vault/{id}/delete", post(delete))
        .route("/vault/{id}/reveal", post(reveal))
        .route("/portal/vault", get(portal_index).post(portal_create))
        .route("/portal/vault/{id}/reveal", post(portal_reveal))
}

pub struct EntryView {
    pub entry: Entry,
    pub may_change: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "vault/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    entries: Vec<EntryView>,
    f: FormState,
    unlocked: bool,
    revealed: Option<(EntryId, String, Vec<Reveal>)>,
    reveal_error: Option<(EntryId, String)>,
    visibilities: &'static [Visibility],
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    f: FormState,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, me, customer, "vault", &state.clock).await?;
    let entries = service::list(&state.db, &me.actor, customer)
        .await?
        .into_iter()
        .map(|entry| EntryView {
            may_change: service::can_change(&me.actor, &entry),
            entry,
        })
        .collect();
    let unlocked = service::unlocked(&state.db, me, &state.clock).await?;
    Ok(IndexPage {
        c,
        o,
        entries,
        f,
        unlocked,
        revealed: None,
        reveal_error: None,
        visibilities: &Visibility::ALL,
    })
}

fn new_form(locale: Locale) -> FormState {
    FormState::new(locale).with("visibility", "all")
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let f = new_form(c.locale);
    page(&state, c, &me, CustomerId(id), f).await
}

#[derive(Deserialize)]
struct EntryForm {
    #[serde(default)]
    server: String,
    #[serde(default)]
    port: String,
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    description: String,
    #[serde(default)]
    visibility: String,
    #[serde(default)]
    shared_with_contacts: Option<String>,
}

impl EntryForm {
    fn input(&self) -> EntryInput {
        EntryInput {
            customer_id: None,
            server: Some(self.server.clone()),
            port: Some(Port::Text(self.port.clone())),
            username: Some(self.username.clone()),
            password: Some(self.password.clone()),
            description: Some(self.description.clone()),
            visibility: Some(self.visibility.clone()),
            shared_with_contacts: Some(self.shared_with_contacts.is_some()),
        }
    }

    /// The form again, without the password: it is never sent back.
    fn state(&self, locale: Locale, errors: FieldErrors) -> FormState {
        FormState::new(locale)
            .with("server", &self.server)
            .with("port", &self.port)
            .with("username", &self.username)
            .with("description", &self.description)
            .with("visibility", &self.visibility)
            .with("shared_with_contacts", self.shared_with_contacts.is_some())
            .with_errors(errors)
    }
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let result = service::create(
        &state.db,
        &state.vault_key,
        &me.actor,
        CustomerId(id),
        &form.input(),
        &state.clock,
    )
    .await;
    respond(
        result,
        |_| done(jar, "flash-saved", &format!("/customers/{id}/vault")),
        |errors| async move {
            let f = form.state(c.locale, errors);
            page(&state, c, &me, CustomerId(id), f).await
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "vault/templates/edit.html")]
struct EditPage {
    c: Ctx,
    o: Overview,
    id: EntryId,
    f: FormState,
    visibilities: &'static [Visibility],
}

async fn edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<EditPage> {
    let e = service::get(&state.db, &me.actor, EntryId(id)).await?;
    if !service::can_change(&me.actor, &e) {
        return Err(AppError::Forbidden);
    }
    let o = overview(&state.db, &c, &me, e.customer_id, "vault", &state.clock).await?;
    let f = FormState::new(c.locale)
        .with("server", &e.server)
        .with("port", e.port.map(|p| p.to_string()).unwrap_or_default())
        .with("username", &e.username)
        .with("description", &e.description)
        .with("visibility", e.visibility.key())
        .with("shared_with_contacts", e.shared_with_contacts);
    Ok(EditPage {
        c,
        o,
        id: e.id,
        f,
        visibilities: &Visibility::ALL,
    })
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let e = service::get(&state.db, &me.actor, EntryId(id)).await?;
    let result = service::update(
        &state.db,
        &state.vault_key,
        &me.actor,
        e.id,
        &form.input(),
        &state.clock,
    )
    .await;
    respond(
        result,
        |()| {
            done(
                jar,
                "flash-saved",
                &format!("/customers/{}/vault", e.customer_id.0),
            )
        },
        |errors| async move {
            let o = overview(&state.db, &c, &me, e.customer_id, "vault", &state.clock).await?;
            let f = form.state(c.locale, errors);
            Ok(EditPage {
                c,
                o,
                id: e.id,
                f,
                visibilities: &Visibility::ALL,
            })
        },
    )
    .await
}

async fn delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let customer = service::delete(&state.db, &me.actor, EntryId(id), &state.clock).await?;
    Ok(done(
        jar,
        "flash-deleted",
        &format!("/customers/{}/vault", customer.0),
    ))
}

#[derive(Deserialize)]
struct RevealForm {
    #[serde(default)]
    password: String,
}

/// Shows the tab with the entry's password revealed, or with the password
/// prompt and its error.
async fn reveal(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<RevealForm>,
) -> AppResult<Response> {
    let entry = service::get(&state.db, &me.actor, EntryId(id)).await?;
    let ip = client_ip(&state.config.trusted_proxies, addr, &headers);
    let result = service::reveal(
        &state.db,
        &state.vault_key,
        &me,
        entry.id,
        Some(form.password.as_str()),
        &ip,
        &state.clock,
    )
    .await;
    let f = new_form(c.locale);
    let locale = c.locale;
    let mut page = page(&state, c, &me, entry.customer_id, f).await?;
    match result {
        Ok(password) => {
            page.revealed = Some((
                entry.id,
                password,
                service::reveals(&state.db, &me.actor, entry.id).await?,
            ));
            Ok(page.into_response())
        }
        Err(AppError::Validation(errors)) => {
            let key = errors
                .get("password")
                .unwrap_or("error-invalid")
                .to_string();
            page.reveal_error = Some((entry.id, crate::i18n::t(locale, &key)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "vault/templates/portal.html")]
struct PortalPage {
    c: Ctx,
    u: PortalUser,
    entries: Vec<Entry>,
    f: FormState,
    unlocked: bool,
    revealed: Option<(EntryId, String)>,
    reveal_error: Option<(EntryId, String)>,
    visibilities: &'static [Visibility],
}

async fn portal_page(
    state: &AppState,
    c: Ctx,
    u: PortalUser,
    token: &str,
    f: FormState,
) -> AppResult<PortalPage> {
    let entries = service::list_shared(&state.db, u.contact.customer_id).await?;
    Ok(PortalPage {
        unlocked: service::portal_unlocked(&state.db, token, &state.clock).await?,
        c,
        u,
        entries,
        f,
        revealed: None,
        reveal_error: None,
        visibilities: &Visibility::ALL,
    })
}

async fn portal_index(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, token): Portal,
) -> AppResult<PortalPage> {
    let c = portal_ctx(c, Some(&u));
    let f = new_form(c.locale);
    portal_page(&state, c, u, &token, f).await
}

async fn portal_create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, token): Portal,
    Form(form): Form<EntryForm>,
) -> AppResult<Response> {
    let result = service::create_by_contact(
        &state.db,
        &state.vault_key,
        &u.contact,
        &form.input(),
        &state.clock,
    )
    .await;
    respond(
        result,
        |_| done(jar, "flash-saved", "/portal/vault"),
        |errors| async move {
            let c = portal_ctx(c, Some(&u));
            let f = form.state(c.locale, errors);
            portal_page(&state, c, u, &token, f).await
        },
    )
    .await
}

async fn portal_reveal(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, token): Portal,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<RevealForm>,
) -> AppResult<Response> {
    let ip = client_ip(&state.config.trusted_proxies, addr, &headers);
    let result = service::reveal_by_contact(
        &state.db,
        &state.vault_key,
        &u.contact,
        &token,
        EntryId(id),
        Some(&form.password),
        &ip,
        &state.clock,
    )
    .await;
    let c = portal_ctx(c, Some(&u));
    let locale = c.locale;
    let f = new_form(locale);
    let mut page = portal_page(&state, c, u, &token, f).await?;
    match result {
        Ok(password) => {
            page.revealed = Some((EntryId(id), password));
            Ok(page.into_response())
        }
        Err(AppError::Validation(errors)) => {
            let key = errors
                .get("password")
                .unwrap_or("error-invalid")
                .to_string();
            page.reveal_error = Some((EntryId(id), crate::i18n::t(locale, &key)));
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}
