//! Portal pages and "login as customer".

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{HeaderMap, request::Parts},
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, i18n::Locale};
use serde::Deserialize;

use super::{
    model::{COOKIE, PortalUser},
    service,
};
use crate::http::portal::{Portal, ctx};
use crate::{
    http::{
        client_ip,
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::{LANG_COOKIE, cookie, device_cookie, device_token, removal},
    },
    i18n,
    modules::{
        self,
        contacts::{model::ContactId, model::ContactInput, service as contacts},
        customers::model::CustomerId,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal", get(dashboard))
        .route("/portal/login", get(login_form).post(login))
        .route("/portal/logout", post(logout))
        .route("/portal/leave", post(leave))
        .route("/portal/language", post(language))
        .route("/portal/password/forgot", get(forgot_form).post(forgot))
        .route("/portal/profile", get(profile).post(update_profile))
        .route("/portal/account/password", post(change_password))
        .route("/portal/login/totp", get(totp_form).post(totp))
        .route("/portal/account/totp/begin", post(totp_begin))
        .route("/portal/account/totp/confirm", post(totp_confirm))
        .route("/portal/account/totp/disable", post(totp_disable))
        .route("/settings/portal", get(settings).post(update_settings))
        .route("/customers/{id}/login-as", post(login_as))
}

fn secure(state: &AppState) -> bool {
    state.config.base_url.starts_with("https://")
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/templates/login.html")]
struct LoginPage {
    c: Ctx,
    f: FormState,
}

async fn login_form(c: Ctx) -> LoginPage {
    let c = ctx(c, None);
    let f = FormState::new(c.locale);
    LoginPage { c, f }
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    email: String,
    #[serde(default)]
    password: String,
}

async fn login(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> AppResult<Response> {
    let ip = client_ip(&state.config.trusted_proxies, addr, &headers);
    let (device, new_device) = device_token(&jar);
    let result = service::login(
        &state.db,
        &state.config,
        &form.email,
        &form.password,
        &ip,
        &device,
        &state.clock,
    )
    .await;
    let secure = secure(&state);
    respond(
        result,
        |ok| {
            let next = if ok.totp_pending {
                "/portal/login/totp"
            } else {
                "/portal"
            };
            let mut jar = jar.add(cookie(COOKIE, ok.token, secure));
            if new_device {
                jar = jar.add(device_cookie(device, secure));
            }
            (jar, Redirect::to(next)).into_response()
        },
        |errors| async move {
            let c = ctx(c, None);
            let f = FormState::new(c.locale)
                .with("email", &form.email)
                .with_errors(errors);
            Ok(LoginPage { c, f })
        },
    )
    .await
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> AppResult<Response> {
    if let Some(token) = jar.get(COOKIE).map(|c| c.value().to_string()) {
        service::logout(&state.db, &token).await?;
    }
    Ok((jar.add(removal(COOKIE)), Redirect::to("/portal/login")).into_response())
}

/// Ends a "login as customer" session and returns to the customer in the
/// staff interface; the staff session was never touched.
async fn leave(
    State(state): State<AppState>,
    jar: CookieJar,
    Portal(user, token): Portal,
) -> AppResult<Response> {
    service::logout(&state.db, &token).await?;
    let back = format!("/customers/{}", user.contact.customer_id.0);
    Ok((jar.add(removal(COOKIE)), Redirect::to(&back)).into_response())
}

#[derive(Deserialize)]
struct LanguageForm {
    locale: String,
}

async fn language(
    State(state): State<AppState>,
    jar: CookieJar,
    portal: Option<Portal>,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let locale =
        Locale::parse(&form.locale).ok_or_else(|| AppError::field("locale", "error-invalid"))?;
    if let Some(Portal(user, _)) = portal {
        contacts::set_locale(&state.db, user.contact.id, locale, &state.clock).await?;
    }
    Ok((
        jar.add(cookie(LANG_COOKIE, locale.code().into(), false)),
        Redirect::to("/portal"),
    )
        .into_response())
}

impl axum::extract::OptionalFromRequestParts<AppState> for Portal {
    type Rejection = AppError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Option<Self>, Self::Rejection> {
        match <Portal as FromRequestParts<AppState>>::from_request_parts(parts, state).await {
            Ok(p) => Ok(Some(p)),
            Err(AppError::Unauthorized) => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/templates/forgot.html")]
struct ForgotPage {
    c: Ctx,
    f: FormState,
    sent: bool,
}

async fn forgot_form(c: Ctx) -> ForgotPage {
    let c = ctx(c, None);
    let f = FormState::new(c.locale);
    ForgotPage { c, f, sent: false }
}

#[derive(Deserialize)]
struct ForgotForm {
    #[serde(default)]
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    c: Ctx,
    Form(form): Form<ForgotForm>,
) -> AppResult<ForgotPage> {
    contacts::request_portal_reset(&state.db, &state.config, &form.email, &state.clock).await?;
    let c = ctx(c, None);
    let f = FormState::new(c.locale);
    Ok(ForgotPage { c, f, sent: true })
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/templates/dashboard.html")]
struct DashboardPage {
    c: Ctx,
    u: PortalUser,
    areas: Vec<String>,
    /// The modules' panels, in order.
    panels: Vec<modules::Panel>,
}

async fn dashboard(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<DashboardPage> {
    let c = ctx(c, Some(&u));
    let areas = u
        .contact
        .permissions
        .iter()
        .map(|a| i18n::t(c.locale, &format!("area-{a}")))
        .collect();
    let loads = modules::portal_widgets()
        .into_iter()
        .map(|w| (w.load)(&state, &c, &u));
    let panels = futures::future::try_join_all(loads)
        .await?
        .into_iter()
        .flatten()
        .collect();
    Ok(DashboardPage {
        c,
        u,
        areas,
        panels,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/templates/profile.html")]
struct ProfilePage {
    c: Ctx,
    u: PortalUser,
    f: FormState,
    totp_enabled: bool,
    totp_setup: Option<(String, String)>,
    totp_base: &'static str,
    may_edit_company: bool,
}

async fn profile_page(
    state: &AppState,
    c: Ctx,
    u: PortalUser,
    f: FormState,
    totp_setup: Option<(String, String)>,
) -> AppResult<ProfilePage> {
    Ok(ProfilePage {
        totp_enabled: contacts::totp_enabled(&state.db, u.contact.id).await?,
        may_edit_company: service::may_edit_company(&state.db, &u).await?,
        totp_base: "/portal/account",
        c,
        u,
        f,
        totp_setup,
    })
}

fn profile_state(u: &PortalUser, locale: Locale) -> FormState {
    FormState::new(locale)
        .with("first_name", &u.contact.first_name)
        .with("last_name", &u.contact.last_name)
        .with("phone", &u.contact.phone)
        .with("position", &u.contact.position)
}

/// Answers a change made on the profile page: back to it with `flash`, or
/// the page again with the errors.
async fn profile_result(
    state: &AppState,
    c: Ctx,
    jar: CookieJar,
    u: PortalUser,
    result: AppResult<()>,
    flash: &'static str,
) -> AppResult<Response> {
    respond(
        result,
        |()| done(jar, flash, "/portal/profile"),
        |errors| async move {
            let c = ctx(c, Some(&u));
            let f = profile_state(&u, c.locale).with_errors(errors);
            profile_page(state, c, u, f, None).await
        },
    )
    .await
}

async fn profile(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<ProfilePage> {
    let c = ctx(c, Some(&u));
    let f = profile_state(&u, c.locale);
    profile_page(&state, c, u, f, None).await
}

#[derive(Deserialize)]
struct ProfileForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    position: String,
}

async fn update_profile(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, _): Portal,
    Form(form): Form<ProfileForm>,
) -> AppResult<Response> {
    let input = ContactInput {
        first_name: Some(form.first_name.clone()),
        last_name: Some(form.last_name.clone()),
        phone: Some(form.phone.clone()),
        position: Some(form.position.clone()),
        ..Default::default()
    };
    let result = contacts::update_own_profile(&state.db, u.contact.id, &input, &state.clock).await;
    respond(
        result,
        |()| done(jar, "flash-saved", "/portal/profile"),
        |errors| async move {
            let c = ctx(c, Some(&u));
            let f = FormState::new(c.locale)
                .with("first_name", &form.first_name)
                .with("last_name", &form.last_name)
                .with("phone", &form.phone)
                .with("position", &form.position)
                .with_errors(errors);
            profile_page(&state, c, u, f, None).await
        },
    )
    .await
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, _): Portal,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let result = contacts::change_own_password(
        &state.db,
        u.contact.id,
        &form.current_password,
        &form.new_password,
        &state.clock,
    )
    .await;
    profile_result(&state, c, jar, u, result, "flash-password-changed").await
}

#[derive(Deserialize)]
struct LoginAsForm {
    #[serde(default, deserialize_with = "kernel::web::number")]
    contact_id: Option<i64>,
}

/// "Login as customer" from the overview or a contact row.
async fn login_as(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    ConnectInfo(addr): ConnectInfo<SocketAddr>,
    headers: HeaderMap,
    Path(id): Path<i64>,
    Form(form): Form<LoginAsForm>,
) -> AppResult<Response> {
    let ip = client_ip(&state.config.trusted_proxies, addr, &headers);
    let contact = form.contact_id.map(ContactId);
    match service::login_as(
        &state.db,
        &state.config,
        &me,
        CustomerId(id),
        contact,
        &ip,
        &state.clock,
    )
    .await
    {
        Ok(token) => Ok((
            jar.add(cookie(COOKIE, token, secure(&state))),
            Redirect::to("/portal"),
        )
            .into_response()),
        Err(AppError::Conflict(key)) if key == "error-no-active-contact" => Ok(done(
            jar,
            "error-no-active-contact",
            &format!("/customers/{id}"),
        )),
        Err(e) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/templates/totp.html")]
struct TotpPage {
    c: Ctx,
    f: FormState,
}

async fn totp_form(c: Ctx) -> TotpPage {
    let c = ctx(c, None);
    let f = FormState::new(c.locale);
    TotpPage { c, f }
}

#[derive(Deserialize)]
struct CodeForm {
    #[serde(default)]
    code: String,
}

/// The second login step of a contact with TOTP.
async fn totp(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let token = jar
        .get(COOKIE)
        .map(|c| c.value().to_string())
        .ok_or(AppError::Unauthorized)?;
    respond(
        service::verify_login_totp(&state.db, &token, &form.code, &state.clock).await,
        |()| Redirect::to("/portal").into_response(),
        |errors| async move {
            let c = ctx(c, None);
            let f = FormState::new(c.locale).with_errors(errors);
            Ok(TotpPage { c, f })
        },
    )
    .await
}

async fn totp_begin(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<ProfilePage> {
    let setup = contacts::begin_totp(&state.db, &u.contact, &state.clock).await?;
    let c = ctx(c, Some(&u));
    let f = profile_state(&u, c.locale);
    profile_page(&state, c, u, f, Some(setup)).await
}

async fn totp_confirm(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, _): Portal,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    let result = contacts::confirm_totp(&state.db, &u.contact, &form.code, &state.clock).await;
    profile_result(&state, c, jar, u, result, "flash-totp-enabled").await
}

#[derive(Deserialize)]
struct PasswordOnlyForm {
    #[serde(default)]
    password: String,
}

async fn totp_disable(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Portal(u, _): Portal,
    Form(form): Form<PasswordOnlyForm>,
) -> AppResult<Response> {
    let result = contacts::disable_totp(&state.db, &u.contact, &form.password, &state.clock).await;
    profile_result(&state, c, jar, u, result, "flash-totp-disabled").await
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/templates/settings.html")]
struct SettingsPage {
    c: Ctx,
    f: FormState,
    can_edit: bool,
}

async fn settings(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
) -> AppResult<SettingsPage> {
    let s = service::settings(&state.db, &me.actor).await?;
    let f = FormState::new(c.locale).with("primary_edits_company", s.primary_edits_company);
    Ok(SettingsPage {
        can_edit: service::may_change_settings(&me.actor),
        c,
        f,
    })
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    primary_edits_company: Option<String>,
}

async fn update_settings(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    let s = service::PortalSettings {
        primary_edits_company: form.primary_edits_company.is_some(),
    };
    service::save_settings(&state.db, &me.actor, &s, &state.clock).await?;
    Ok(done(jar, "flash-saved", "/settings/portal"))
}
