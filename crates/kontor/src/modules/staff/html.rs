//! Pages: login (with TOTP step), password reset, own account, staff.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{ConnectInfo, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, i18n::Locale};
use serde::Deserialize;
use std::net::SocketAddr;

use super::{
    model::{Role, RoleId, StaffId, StaffInput, StaffMember},
    service::{self, TokenInfo},
};
use crate::{
    http::{
        client_ip,
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::{LANG_COOKIE, SESSION_COOKIE, cookie, device_cookie, device_token, removal},
    },
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(login_form).post(login))
        .route("/login/totp", get(totp_form).post(totp))
        .route("/logout", post(logout))
        .route("/language", post(language))
        .route("/password/forgot", get(forgot_form).post(forgot))
        .route("/password/reset/{token}", get(reset_form).post(reset))
        .route("/account", get(account))
        .route("/account/password", post(change_password))
        .route("/account/totp/begin", post(totp_begin))
        .route("/account/totp/confirm", post(totp_confirm))
        .route("/account/totp/disable", post(totp_disable))
        .route("/account/tokens", post(token_create))
        .route("/account/tokens/{id}/delete", post(token_delete))
        .route("/staff", get(index).post(create))
        .route("/staff/new", get(new))
        .route("/staff/{id}", post(update))
        .route("/staff/{id}/edit", get(edit))
}

fn secure(state: &AppState) -> bool {
    state.config.base_url.starts_with("https://")
}

/// Only same-site paths are followed after login.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/login.html")]
struct LoginPage {
    c: Ctx,
    f: FormState,
}

#[derive(Deserialize)]
struct NextQuery {
    next: Option<String>,
}

async fn login_form(c: Ctx, Query(q): Query<NextQuery>) -> LoginPage {
    let f = FormState::new(c.locale).with("next", q.next.unwrap_or_default());
    LoginPage { c, f }
}

#[derive(Deserialize)]
struct LoginForm {
    email: String,
    password: String,
    #[serde(default)]
    next: String,
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
    let next = form.next.clone();
    let session_secure = secure(&state);
    respond(
        result,
        |ok| {
            let mut jar = jar
                .add(cookie(SESSION_COOKIE, ok.token, session_secure))
                .add(cookie(LANG_COOKIE, ok.locale.code().into(), false));
            if new_device {
                jar = jar.add(device_cookie(device, session_secure));
            }
            let target = if ok.totp_pending {
                format!("/login/totp?next={}", url_encode(&next))
            } else {
                safe_next(Some(&next))
            };
            (jar, Redirect::to(&target)).into_response()
        },
        |errors| async move {
            let f = FormState::new(c.locale)
                .with("email", &form.email)
                .with("next", &form.next)
                .with_errors(errors);
            Ok(LoginPage { c, f })
        },
    )
    .await
}

fn url_encode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/totp.html")]
struct TotpPage {
    c: Ctx,
    f: FormState,
}

async fn totp_form(c: Ctx, Query(q): Query<NextQuery>) -> TotpPage {
    let f = FormState::new(c.locale).with("next", q.next.unwrap_or_default());
    TotpPage { c, f }
}

#[derive(Deserialize)]
struct TotpForm {
    code: String,
    #[serde(default)]
    next: String,
}

async fn totp(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Form(form): Form<TotpForm>,
) -> AppResult<Response> {
    let token = jar
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_string())
        .ok_or(AppError::Unauthorized)?;
    let target = safe_next(Some(&form.next));
    respond(
        service::verify_login_totp(&state.db, &token, &form.code, &state.clock).await,
        |()| Redirect::to(&target).into_response(),
        |errors| async move {
            let f = FormState::new(c.locale)
                .with("next", &form.next)
                .with_errors(errors);
            Ok(TotpPage { c, f })
        },
    )
    .await
}

async fn logout(State(state): State<AppState>, jar: CookieJar) -> AppResult<Response> {
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        service::logout(&state.db, &token).await?;
    }
    Ok((jar.add(removal(SESSION_COOKIE)), Redirect::to("/login")).into_response())
}

#[derive(Deserialize)]
struct LanguageForm {
    locale: String,
    #[serde(default)]
    back: String,
}

/// Switches the language: stored on the staff member when signed in, in a
/// cookie otherwise.
async fn language(
    State(state): State<AppState>,
    jar: CookieJar,
    staff: Option<Staff>,
    Form(form): Form<LanguageForm>,
) -> AppResult<Response> {
    let locale =
        Locale::parse(&form.locale).ok_or_else(|| AppError::field("locale", "error-invalid"))?;
    if let Some(Staff(me)) = staff {
        service::set_locale(&state.db, &me, locale, &state.clock).await?;
    }
    let back = if form.back.starts_with('/') && !form.back.starts_with("//") {
        form.back
    } else {
        "/".into()
    };
    Ok((
        jar.add(cookie(LANG_COOKIE, locale.code().into(), false)),
        Redirect::to(&back),
    )
        .into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/forgot.html")]
struct ForgotPage {
    c: Ctx,
    f: FormState,
    sent: bool,
}

async fn forgot_form(c: Ctx) -> ForgotPage {
    let f = FormState::new(c.locale);
    ForgotPage { c, f, sent: false }
}

#[derive(Deserialize)]
struct ForgotForm {
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    c: Ctx,
    Form(form): Form<ForgotForm>,
) -> AppResult<ForgotPage> {
    service::request_password_reset(&state.db, &state.config, &form.email, &state.clock).await?;
    let f = FormState::new(c.locale);
    Ok(ForgotPage { c, f, sent: true })
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/reset.html")]
struct ResetPage {
    c: Ctx,
    f: FormState,
    valid: bool,
    token: String,
}

async fn reset_form(
    State(state): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
) -> AppResult<ResetPage> {
    let valid = service::reset_password_valid(&state.db, &token, &state.clock).await?;
    let f = FormState::new(c.locale);
    Ok(ResetPage { c, f, valid, token })
}

#[derive(Deserialize)]
struct ResetForm {
    password: String,
}

async fn reset(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Path(token): Path<String>,
    Form(form): Form<ResetForm>,
) -> AppResult<Response> {
    match service::reset_password(&state.db, &token, &form.password, &state.clock).await {
        Ok(()) => Ok(done(jar, "flash-password-reset", "/login")),
        Err(AppError::Validation(errors)) => {
            let f = FormState::new(c.locale).with_errors(errors);
            let page = ResetPage {
                c,
                f,
                valid: true,
                token,
            };
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::BadRequest(_)) => {
            let f = FormState::new(c.locale);
            let page = ResetPage {
                c,
                f,
                valid: false,
                token,
            };
            Ok((axum::http::StatusCode::BAD_REQUEST, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/account.html")]
struct AccountPage {
    c: Ctx,
    me: StaffMember,
    f: FormState,
    tokens: Vec<TokenInfo>,
    new_token: Option<String>,
    totp_setup: Option<(String, String)>,
    totp_enabled: bool,
    totp_base: &'static str,
    feed_url: String,
}

async fn account_page(
    state: &AppState,
    c: Ctx,
    me: &crate::http::identity::SignedIn,
    f: FormState,
) -> AppResult<AccountPage> {
    let member = service::me(&state.db, me).await?;
    Ok(AccountPage {
        totp_enabled: member.totp_enabled,
        totp_base: "/account",
        me: member,
        tokens: service::tokens(&state.db, me).await?,
        c,
        f,
        new_token: None,
        totp_setup: None,
        feed_url: crate::modules::reminders::service::feed_url(
            &state.db,
            &state.config,
            me.actor.id,
            &state.clock,
        )
        .await?,
    })
}

async fn account(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
) -> AppResult<AccountPage> {
    let f = FormState::new(c.locale);
    account_page(&state, c, &me, f).await
}

#[derive(Deserialize)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

async fn change_password(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    respond(
        service::change_password(
            &state.db,
            &me,
            &form.current_password,
            &form.new_password,
            &state.clock,
        )
        .await,
        |()| done(jar, "flash-password-changed", "/account"),
        |errors| async move {
            let f = FormState::new(c.locale).with_errors(errors);
            let page = account_page(&state, c, &me, f).await?;
            Ok(page)
        },
    )
    .await
}

async fn totp_begin(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
) -> AppResult<AccountPage> {
    let setup = service::begin_totp(&state.db, &me, &state.clock).await?;
    let f = FormState::new(c.locale);
    let mut page = account_page(&state, c, &me, f).await?;
    page.totp_setup = Some(setup);
    Ok(page)
}

#[derive(Deserialize)]
struct CodeForm {
    code: String,
}

async fn totp_confirm(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<CodeForm>,
) -> AppResult<Response> {
    respond(
        service::confirm_totp(&state.db, &me, &form.code, &state.clock).await,
        |()| done(jar, "flash-totp-enabled", "/account"),
        |errors| async move {
            let f = FormState::new(c.locale).with_errors(errors);
            let page = account_page(&state, c, &me, f).await?;
            Ok(page)
        },
    )
    .await
}

#[derive(Deserialize)]
struct ConfirmPasswordForm {
    password: String,
}

async fn totp_disable(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<ConfirmPasswordForm>,
) -> AppResult<Response> {
    respond(
        service::disable_totp(&state.db, &me, &form.password, &state.clock).await,
        |()| done(jar, "flash-totp-disabled", "/account"),
        |errors| async move {
            let f = FormState::new(c.locale).with_errors(errors);
            let page = account_page(&state, c, &me, f).await?;
            Ok(page)
        },
    )
    .await
}

#[derive(Deserialize)]
struct TokenForm {
    name: String,
}

async fn token_create(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Form(form): Form<TokenForm>,
) -> AppResult<Response> {
    match service::create_token(&state.db, me.actor.id, &form.name, &state.clock).await {
        Ok(token) => {
            let f = FormState::new(c.locale);
            let mut page = account_page(&state, c, &me, f).await?;
            page.new_token = Some(token);
            Ok(page.into_response())
        }
        Err(AppError::Validation(errors)) => {
            let mut f = FormState::new(c.locale);
            f.errors = errors;
            let page = account_page(&state, c, &me, f).await?;
            Ok((axum::http::StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

async fn token_delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    service::revoke_token(&state.db, &me, id).await?;
    Ok(done(jar, "flash-token-revoked", "/account"))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/index.html")]
struct IndexPage {
    c: Ctx,
    staff: Vec<StaffMember>,
    roles: Vec<Role>,
    can_edit: bool,
}

impl IndexPage {
    fn role_name(&self, id: &Option<RoleId>) -> String {
        id.and_then(|id| self.roles.iter().find(|r| r.id == id))
            .map(|r| r.name.clone())
            .unwrap_or_default()
    }
}

async fn index(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<IndexPage> {
    let staff = service::list(&state.db, &me.actor).await?;
    let roles = service::roles(&state.db, &me.actor).await?;
    let can_edit = crate::policy::can(&me.actor, service::AREA, Action::Edit);
    Ok(IndexPage {
        c,
        staff,
        roles,
        can_edit,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/form.html")]
struct StaffFormPage {
    c: Ctx,
    f: FormState,
    id: Option<StaffId>,
    roles: Vec<Role>,
    may_grant_admin: bool,
}

async fn new(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<StaffFormPage> {
    if !crate::policy::can(&me.actor, service::AREA, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let roles = service::roles(&state.db, &me.actor).await?;
    let f = FormState::new(c.locale)
        .with("active", "true")
        .with("locale", c.locale.code());
    Ok(StaffFormPage {
        c,
        f,
        id: None,
        roles,
        may_grant_admin: me.actor.is_admin,
    })
}

#[derive(Deserialize)]
struct StaffForm {
    email: String,
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role_id: Option<i64>,
    #[serde(default)]
    is_admin: Option<String>,
    #[serde(default)]
    active: Option<String>,
    locale: String,
}

impl StaffForm {
    fn input(&self) -> StaffInput {
        StaffInput {
            email: Some(self.email.clone()),
            first_name: Some(self.first_name.clone()),
            last_name: Some(self.last_name.clone()),
            password: Some(self.password.clone()).filter(|p| !p.is_empty()),
            role_id: Some(self.role_id.unwrap_or(0)),
            is_admin: Some(self.is_admin.is_some()),
            active: Some(self.active.is_some()),
            locale: Some(self.locale.clone()),
        }
    }

    fn state(&self, locale: Locale) -> FormState {
        FormState::new(locale)
            .with("email", &self.email)
            .with("first_name", &self.first_name)
            .with("last_name", &self.last_name)
            .with("role_id", self.role_id.unwrap_or(0))
            .with("is_admin", self.is_admin.is_some())
            .with("active", self.active.is_some())
            .with("locale", &self.locale)
    }
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    respond(
        service::create(&state.db, &me.actor, &form.input(), &state.clock).await,
        |_| done(jar, "flash-saved", "/staff"),
        |errors| async move {
            let f = form.state(c.locale).with_errors(errors);
            let roles = service::roles(&state.db, &me.actor).await?;
            let page = StaffFormPage {
                c,
                f,
                id: None,
                roles,
                may_grant_admin: me.actor.is_admin,
            };
            Ok(page)
        },
    )
    .await
}

async fn edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<StaffFormPage> {
    if !crate::policy::can(&me.actor, service::AREA, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let m = service::get(&state.db, &me.actor, StaffId(id)).await?;
    let roles = service::roles(&state.db, &me.actor).await?;
    let f = FormState::new(c.locale)
        .with("email", &m.email)
        .with("first_name", &m.first_name)
        .with("last_name", &m.last_name)
        .with("role_id", m.role_id.map(|r| r.0).unwrap_or(0))
        .with("is_admin", m.is_admin)
        .with("active", m.active)
        .with("locale", m.locale.code());
    Ok(StaffFormPage {
        c,
        f,
        id: Some(m.id),
        roles,
        may_grant_admin: me.actor.is_admin,
    })
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<StaffForm>,
) -> AppResult<Response> {
    respond(
        service::update(
            &state.db,
            &me.actor,
            StaffId(id),
            &form.input(),
            &state.clock,
        )
        .await,
        |()| done(jar, "flash-saved", "/staff"),
        |errors| async move {
            let f = form.state(c.locale).with_errors(errors);
            let roles = service::roles(&state.db, &me.actor).await?;
            let page = StaffFormPage {
                c,
                f,
                id: Some(StaffId(id)),
                roles,
                may_grant_admin: me.actor.is_admin,
            };
            Ok(page)
        },
    )
    .await
}
