//! Who is asking: the HTML surface reads the session cookie, the API reads
//! a bearer token. Both put an [`Identity`] into the request extensions.

use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderValue, header},
    middleware::Next,
    response::Response,
};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use kernel::{auth::random_token, i18n::Locale};

use crate::{modules::staff::service as staff, policy::StaffActor, state::AppState};

pub const SESSION_COOKIE: &str = "kontor_session";
/// A contact's session (the portal), separate from staff sessions.
pub const PORTAL_COOKIE: &str = "kontor_portal";
/// The CSRF token of a visitor without a session (login, reset forms).
pub const CSRF_COOKIE: &str = "kontor_csrf";
pub const LANG_COOKIE: &str = "kontor_lang";
/// Marks a browser that signed in before, so the login throttle can tell
/// its owner from someone guessing on the same network.
pub const DEVICE_COOKIE: &str = "kontor_device";
pub const FLASH_COOKIE: &str = "kontor_flash";

#[derive(Clone, Debug)]
pub struct SignedIn {
    pub actor: StaffActor,
    pub email: String,
    pub session_id: Option<i64>,
}

#[derive(Clone, Debug)]
pub struct Identity {
    pub staff: Option<SignedIn>,
    /// Password was right, the second factor is still missing.
    pub totp_pending: bool,
    pub locale: Locale,
    pub csrf: String,
    pub flash: Option<String>,
    /// Where mails are written when no SMTP server is configured.
    pub mail_dir: Option<String>,
    pub timezone: chrono_tz::Tz,
    /// Unread in-app notifications of the signed-in staff member.
    pub unread: u64,
}

fn accept_language(headers: &HeaderMap) -> Option<Locale> {
    headers
        .get(header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .and_then(Locale::from_accept_language)
}

pub fn cookie(name: &'static str, value: String, secure: bool) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .build()
}

/// The browser's device token, and whether it is new (then the response
/// of a successful login sets [`device_cookie`]).
pub fn device_token(jar: &CookieJar) -> (String, bool) {
    match jar
        .get(DEVICE_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 64)
    {
        Some(token) => (token, false),
        None => (random_token(), true),
    }
}

pub fn device_cookie(token: String, secure: bool) -> Cookie<'static> {
    let mut c = cookie(DEVICE_COOKIE, token, secure);
    c.set_max_age(time::Duration::days(365));
    c
}

pub fn removal(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::build((name, "")).path("/").build();
    c.make_removal();
    c
}

impl Default for Identity {
    fn default() -> Self {
        Self {
            staff: None,
            totp_pending: false,
            locale: Locale::default(),
            csrf: String::new(),
            flash: None,
            mail_dir: None,
            timezone: chrono_tz::Europe::Berlin,
            unread: 0,
        }
    }
}

pub async fn html(
    State(state): State<AppState>,
    jar: CookieJar,
    mut request: Request,
    next: Next,
) -> Response {
    let mut identity = Identity::default();
    if let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) {
        match staff::identify_session(&state.db, &token, &state.clock).await {
            Ok(Some(found)) if found.totp_pending => identity.totp_pending = true,
            Ok(Some(found)) => {
                identity.locale = found.locale;
                identity.unread = found.unread;
                identity.staff = Some(found.signed_in);
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = ?e, "session lookup failed"),
        }
    }
    if identity.staff.is_none() {
        identity.locale = jar
            .get(LANG_COOKIE)
            .and_then(|c| Locale::parse(c.value()))
            .or_else(|| accept_language(request.headers()))
            .unwrap_or_default();
    }
    let expected = expected_csrf(&jar);
    let new_anonymous = expected.is_none();
    identity.csrf = expected.unwrap_or_else(random_token);
    identity.flash = jar.get(FLASH_COOKIE).map(|c| c.value().to_string());
    identity.mail_dir = state.mailer.file_dir().map(|d| d.display().to_string());
    identity.timezone = state.config.timezone;
    let had_flash = identity.flash.is_some();
    let csrf = identity.csrf.clone();
    request.extensions_mut().insert(identity);
    let mut response = next.run(request).await;
    let secure = state.config.base_url.starts_with("https://");
    if new_anonymous {
        let mut c = cookie(CSRF_COOKIE, csrf, secure);
        c.set_same_site(SameSite::Strict);
        append_cookie(&mut response, &c);
    }
    let sets_flash = response
        .headers()
        .get_all(header::SET_COOKIE)
        .iter()
        .any(|v| v.as_bytes().starts_with(FLASH_COOKIE.as_bytes()));
    if had_flash && !sets_flash && !response.status().is_redirection() {
        append_cookie(&mut response, &removal(FLASH_COOKIE));
    }
    response
}

/// The CSRF token this request must echo: bound to its session (staff
/// first, then portal), or for a visitor without one the anonymous cookie.
pub fn expected_csrf(jar: &CookieJar) -> Option<String> {
    let session = [SESSION_COOKIE, PORTAL_COOKIE]
        .into_iter()
        .find_map(|name| jar.get(name).map(|c| c.value()).filter(|v| !v.is_empty()));
    match session {
        Some(token) => Some(kernel::auth::csrf_for_session(token)),
        None => jar
            .get(CSRF_COOKIE)
            .map(|c| c.value().to_string())
            .filter(|v| v.len() == 64),
    }
}

pub fn append_cookie(response: &mut Response, cookie: &Cookie<'_>) {
    if let Ok(value) = HeaderValue::from_str(&cookie.to_string()) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}

pub async fn api(State(state): State<AppState>, mut request: Request, next: Next) -> Response {
    let mut identity = Identity {
        locale: accept_language(request.headers()).unwrap_or(Locale::En),
        ..Default::default()
    };
    let bearer = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(|t| t.trim().to_string());
    if let Some(token) = bearer {
        match staff::identify_api_token(&state.db, &token).await {
            Ok(found) => identity.staff = found.map(|f| f.signed_in),
            Err(e) => tracing::error!(error = ?e, "token lookup failed"),
        }
    }
    request.extensions_mut().insert(identity);
    next.run(request).await
}
