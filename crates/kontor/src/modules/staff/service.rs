//! Use cases of staff, roles and signing in.

use anyhow::Context;
use chrono::{Duration, Utc};
use kernel::clock::Clock;
use kernel::{
    AppError, AppResult, FieldErrors,
    auth::{self, hash_password, random_password, token_hash, verify_password},
    config::Config,
    error::OnConstraint,
    i18n::Locale,
    mail, reset, session, throttle,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    model::{Role, RoleId, RoleInput, StaffData, StaffId, StaffInput, StaffMember, check_password},
    repo,
};
use crate::{
    common::mail::compose,
    http::identity::SignedIn,
    policy::{self, Action, Area, Permissions, StaffActor},
};

pub const PRINCIPAL: &str = "staff";

pub struct Found {
    pub signed_in: SignedIn,
    pub locale: Locale,
    pub totp_pending: bool,
    /// Unread in-app notifications, read with the identity in one query.
    pub unread: u64,
}

/// The area of the role grid for staff members and roles.
pub const AREA: Area = Area {
    key: "staff",
    actions: &[Action::View, Action::Edit],
    order: 800,
};

fn found(row: repo::IdentityRow) -> Found {
    let permissions = row
        .permissions
        .as_deref()
        .map(Permissions::stored)
        .unwrap_or_default();
    let name = format!("{} {}", row.first_name, row.last_name)
        .trim()
        .to_string();
    Found {
        locale: Locale::parse(&row.locale).unwrap_or_default(),
        signed_in: SignedIn {
            actor: StaffActor {
                id: StaffId(row.id),
                name,
                is_admin: row.is_admin,
                permissions,
            },
            email: row.email,
            session_id: row.session_id,
        },
        totp_pending: row.totp_pending,
        unread: row.unread.max(0) as u64,
    }
}

/// The staff member behind a session cookie, if the session and member are
/// live: one query on every request.
pub async fn identify_session(
    db: &DatabaseConnection,
    token: &str,
    clock: &Clock,
) -> AppResult<Option<Found>> {
    Ok(
        repo::identity_by_session(db, &token_hash(token), clock.now())
            .await?
            .map(found),
    )
}

pub async fn identify_api_token(db: &DatabaseConnection, token: &str) -> AppResult<Option<Found>> {
    Ok(repo::identity_by_token(db, &token_hash(token))
        .await?
        .map(found))
}

/// On a database without staff, creates the first admin: from
/// `KONTOR_ADMIN_EMAIL`/`KONTOR_ADMIN_PASSWORD`, or with a generated
/// password that is returned once so the caller can print it.
pub async fn ensure_first_admin(
    db: &DatabaseConnection,
    config: &Config,
    clock: &Clock,
) -> anyhow::Result<Option<(String, Option<String>)>> {
    if repo::count_staff(db).await? > 0 {
        return Ok(None);
    }
    let email = config
        .admin_email
        .clone()
        .unwrap_or_else(|| "admin@kontor.local".to_string());
    let (password, generated) = match &config.admin_password {
        Some(p) => (p.expose().clone(), None),
        None => {
            let p = random_password();
            (p.clone(), Some(p))
        }
    };
    let input = StaffInput {
        email: Some(email.clone()),
        first_name: Some("Admin".into()),
        password: Some(password),
        is_admin: Some(true),
        ..Default::default()
    };
    let data = StaffData::parse(&input, None)
        .map_err(|e| anyhow::anyhow!("invalid first admin: {:?}", e.0))?;
    let txn = kernel::db::begin_write(db).await?;
    repo::insert(
        &txn,
        &data,
        hash_password(data.password.as_deref().unwrap_or_default())?,
        clock.now(),
    )
    .await?;
    let employee = serde_json::json!({"customers": ["view_own", "create", "edit"]});
    repo::insert_role(
        &txn,
        "Mitarbeiter / Employee",
        &Permissions::parse(&employee).unwrap_or_default(),
        clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(Some((data.email.into_inner(), generated)))
}

pub struct LoginOk {
    pub token: String,
    pub totp_pending: bool,
    pub locale: Locale,
}

/// Checks the password under the login throttle (per account and IP, per
/// IP, a known device on its own; see `kernel::throttle`).
#[tracing::instrument(skip(db, config, password, device, clock))]
pub async fn login(
    db: &DatabaseConnection,
    config: &Config,
    email: &str,
    password: &str,
    ip: &str,
    device: &str,
    clock: &Clock,
) -> AppResult<LoginOk> {
    let email = email.trim().to_lowercase();
    let limit = i64::from(config.login_attempts_per_minute);
    let attempt = throttle::Attempt {
        kind: PRINCIPAL,
        account: &email,
        ip,
        device: Some(device),
    };
    let check = async {
        let row = repo::find_by_email(db, &email).await?.filter(|r| r.active);
        Ok(match row {
            Some(r) if verify_password(password, &r.password_hash) => Some(r),
            Some(_) => None,
            None => {
                auth::dummy_verify(password);
                None
            }
        })
    };
    let Some(row) = throttle::guarded(db, &attempt, limit, clock.now(), check).await? else {
        return Err(AppError::field("email", "error-login-failed"));
    };
    let token = session::create(
        db,
        (PRINCIPAL, row.id),
        None,
        row.totp_enabled,
        Duration::hours(config.session_hours),
        ip,
        clock.now(),
    )
    .await?;
    tracing::info!(staff_id = row.id, ip, "staff signed in");
    Ok(LoginOk {
        token,
        totp_pending: row.totp_enabled,
        locale: Locale::parse(&row.locale).unwrap_or_default(),
    })
}

/// Completes a login that waits for its TOTP code.
pub async fn verify_login_totp(
    db: &DatabaseConnection,
    token: &str,
    code: &str,
    clock: &Clock,
) -> AppResult<()> {
    let Some(s) = session::find(db, token, clock.now())
        .await?
        .filter(|s| s.totp_pending && s.principal_kind == PRINCIPAL)
    else {
        return Err(AppError::Unauthorized);
    };
    let row = repo::find_by_id(db, StaffId(s.principal_id))
        .await?
        .ok_or(AppError::Unauthorized)?;
    let bucket = format!("totp:{}", row.id);
    if session::throttled(db, &[&bucket], 5, clock.now()).await? {
        return Err(AppError::TooManyRequests);
    }
    let secret = row.totp_secret.as_deref().ok_or(AppError::Unauthorized)?;
    let totp = auth::totp(secret, &row.email)?;
    let ok = auth::accept_totp(db, PRINCIPAL, row.id, &totp, code, clock.now()).await?;
    session::record_attempts(db, &[&bucket], ok, clock).await?;
    if !ok {
        return Err(AppError::field("code", "error-totp"));
    }
    session::complete_totp(db, s.id, clock.now()).await?;
    Ok(())
}

pub async fn logout(db: &DatabaseConnection, token: &str) -> AppResult<()> {
    session::delete(db, token).await?;
    Ok(())
}

pub async fn change_password(
    db: &DatabaseConnection,
    me: &SignedIn,
    current: &str,
    new: &str,
    clock: &Clock,
) -> AppResult<()> {
    let row = repo::find_by_id(db, me.actor.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut errors = FieldErrors::new();
    if !verify_password(current, &row.password_hash) {
        errors.add("current_password", "error-password-wrong");
    }
    check_password(&mut errors, "new_password", new);
    errors.into_result()?;
    repo::set_password(db, me.actor.id, hash_password(new)?, clock.now()).await?;
    session::delete_all_for(db, PRINCIPAL, me.actor.id.0, me.session_id).await?;
    Ok(())
}

/// Always answers the same whether or not the email exists.
pub async fn request_password_reset(
    db: &DatabaseConnection,
    config: &Config,
    email: &str,
    clock: &Clock,
) -> AppResult<()> {
    let Some(row) = repo::find_by_email(db, &email.trim().to_lowercase())
        .await?
        .filter(|r| r.active)
    else {
        return Ok(());
    };
    let locale = Locale::parse(&row.locale).unwrap_or_default();
    let txn = kernel::db::begin_write(db).await?;
    // Requests for one account take turns, so a flood sends one mail.
    repo::lock(&txn, StaffId(row.id)).await?;
    let Some(token) =
        reset::create_unless_recent(&txn, PRINCIPAL, row.id, Duration::hours(1), clock.now())
            .await?
    else {
        return Ok(());
    };
    let link = format!("{}/password/reset/{token}", config.base_url);
    mail::enqueue(
        &txn,
        &compose(
            locale,
            &row.email,
            "mail-reset",
            &[("name", row.first_name.clone())],
            Some(&link),
        ),
        clock.now(),
    )
    .await?;
    txn.commit().await.context("commit reset")?;
    Ok(())
}

pub async fn reset_password_valid(
    db: &DatabaseConnection,
    token: &str,
    clock: &Clock,
) -> AppResult<bool> {
    Ok(reset::peek(db, PRINCIPAL, token, clock.now())
        .await?
        .is_some())
}

pub async fn reset_password(
    db: &DatabaseConnection,
    token: &str,
    new: &str,
    clock: &Clock,
) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    check_password(&mut errors, "password", new);
    if reset::peek(db, PRINCIPAL, token, clock.now())
        .await?
        .is_none()
    {
        return Err(AppError::BadRequest("error-reset-invalid".into()));
    }
    errors.into_result()?;
    let txn = kernel::db::begin_write(db).await?;
    let staff_id = reset::consume(&txn, PRINCIPAL, token, clock.now())
        .await?
        .ok_or(AppError::BadRequest("error-reset-invalid".into()))?;
    repo::set_password(&txn, StaffId(staff_id), hash_password(new)?, clock.now()).await?;
    session::delete_all_for(&txn, PRINCIPAL, staff_id, None).await?;
    if let Some(row) = repo::find_by_id(&txn, StaffId(staff_id)).await? {
        throttle::clear(&txn, PRINCIPAL, &row.email).await?;
    }
    txn.commit().await.context("commit reset")?;
    Ok(())
}

pub async fn set_locale(
    db: &DatabaseConnection,
    me: &SignedIn,
    locale: Locale,
    clock: &Clock,
) -> AppResult<()> {
    repo::set_locale(db, me.actor.id, locale.code(), clock.now()).await?;
    Ok(())
}

/// Starts TOTP enrolment: stores a new secret (not yet enabled) and returns
/// the otpauth URL for the authenticator app.
pub async fn begin_totp(
    db: &DatabaseConnection,
    me: &SignedIn,
    clock: &Clock,
) -> AppResult<(String, String)> {
    let secret = auth::new_totp_secret();
    repo::set_totp(db, me.actor.id, Some(secret.clone()), false, clock.now()).await?;
    let url = auth::totp(&secret, &me.email)?.get_url();
    Ok((secret, url))
}

pub async fn confirm_totp(
    db: &DatabaseConnection,
    me: &SignedIn,
    code: &str,
    clock: &Clock,
) -> AppResult<()> {
    let row = repo::find_by_id(db, me.actor.id)
        .await?
        .ok_or(AppError::NotFound)?;
    let secret = row
        .totp_secret
        .ok_or(AppError::BadRequest("error-totp".into()))?;
    let totp = auth::totp(&secret, &row.email)?;
    if !auth::accept_totp(db, PRINCIPAL, row.id, &totp, code, clock.now()).await? {
        return Err(AppError::field("code", "error-totp"));
    }
    repo::set_totp(db, me.actor.id, Some(secret), true, clock.now()).await?;
    Ok(())
}

pub async fn disable_totp(
    db: &DatabaseConnection,
    me: &SignedIn,
    password: &str,
    clock: &Clock,
) -> AppResult<()> {
    let row = repo::find_by_id(db, me.actor.id)
        .await?
        .ok_or(AppError::NotFound)?;
    if !verify_password(password, &row.password_hash) {
        return Err(AppError::field("password", "error-password-wrong"));
    }
    repo::set_totp(db, me.actor.id, None, false, clock.now()).await?;
    Ok(())
}

pub async fn me(db: &DatabaseConnection, me: &SignedIn) -> AppResult<StaffMember> {
    repo::find_by_id(db, me.actor.id)
        .await?
        .map(|r| repo::member(&r))
        .ok_or(AppError::NotFound)
}

pub async fn list(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<Vec<StaffMember>> {
    policy::require(actor, AREA, Action::View)?;
    Ok(repo::list(db).await?)
}

/// Names of all active staff, for pickers such as customer admins; every
/// signed-in member may see who their colleagues are.
pub async fn directory(db: &impl ConnectionTrait) -> AppResult<Vec<StaffMember>> {
    Ok(repo::list(db)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect())
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: StaffId,
) -> AppResult<StaffMember> {
    policy::require(actor, AREA, Action::View)?;
    repo::find_by_id(db, id)
        .await?
        .map(|r| repo::member(&r))
        .ok_or(AppError::NotFound)
}

async fn check_role(db: &impl ConnectionTrait, data: &StaffData) -> AppResult<()> {
    if let Some(role) = data.role_id
        && repo::find_role(db, role).await?.is_none()
    {
        return Err(AppError::field("role_id", "error-invalid"));
    }
    Ok(())
}

/// Only admins may make someone an admin.
fn check_admin_grant(
    actor: &StaffActor,
    data: &StaffData,
    current: Option<&StaffMember>,
) -> AppResult<()> {
    let was_admin = current.is_some_and(|c| c.is_admin);
    if data.is_admin != was_admin && !actor.is_admin {
        return Err(AppError::Forbidden);
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &StaffInput,
    clock: &Clock,
) -> AppResult<StaffId> {
    policy::require(actor, AREA, Action::Edit)?;
    let data = StaffData::parse(input, None).map_err(AppError::Validation)?;
    check_admin_grant(actor, &data, None)?;
    check_role(db, &data).await?;
    let hash = hash_password(data.password.as_deref().unwrap_or_default())?;
    repo::insert(db, &data, hash, clock.now())
        .await
        .on_unique("email", "error-email-taken")
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: StaffId,
    input: &StaffInput,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, AREA, Action::Edit)?;
    let current = repo::find_by_id(db, id)
        .await?
        .map(|r| repo::member(&r))
        .ok_or(AppError::NotFound)?;
    let data = StaffData::parse(input, Some(&current)).map_err(AppError::Validation)?;
    check_admin_grant(actor, &data, Some(&current))?;
    check_role(db, &data).await?;
    let txn = kernel::db::begin_write(db).await?;
    let loses_admin = current.is_admin && current.active && (!data.is_admin || !data.active);
    // SQLite lets one writer in at a time; a read first would only make
    // this transaction fail to become one.
    if loses_admin && txn.get_database_backend() == sea_orm::DatabaseBackend::Postgres {
        repo::lock_active_admins(&txn).await?;
    }
    let hash = data.password.as_deref().map(hash_password).transpose()?;
    repo::update(&txn, id, &data, hash, clock.now())
        .await
        .on_unique("email", "error-email-taken")?;
    if loses_admin && repo::count_active_admins(&txn).await? == 0 {
        return Err(AppError::Conflict("error-last-admin".into()));
    }
    if !data.active || data.password.is_some() {
        session::delete_all_for(&txn, PRINCIPAL, id.0, None).await?;
    }
    txn.commit().await?;
    Ok(())
}

pub async fn roles(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<Vec<Role>> {
    policy::require(actor, AREA, Action::View)?;
    Ok(repo::roles(db).await?)
}

pub async fn role(db: &DatabaseConnection, actor: &StaffActor, id: RoleId) -> AppResult<Role> {
    policy::require(actor, AREA, Action::View)?;
    repo::find_role(db, id).await?.ok_or(AppError::NotFound)
}

fn parse_role(input: &RoleInput, current: Option<&Role>) -> AppResult<(String, Permissions)> {
    let mut errors = FieldErrors::new();
    let name_in = input
        .name
        .clone()
        .or_else(|| current.map(|r| r.name.clone()))
        .unwrap_or_default();
    let name = kernel::types::text(&mut errors, "name", &name_in, true, 100);
    let permissions = match &input.permissions {
        Some(v) => Permissions::parse(v).unwrap_or_else(|| {
            errors.add("permissions", "error-invalid");
            Permissions::default()
        }),
        None => current.map(|r| r.permissions.clone()).unwrap_or_default(),
    };
    errors.into_result()?;
    Ok((name, permissions))
}

pub async fn create_role(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &RoleInput,
    clock: &Clock,
) -> AppResult<RoleId> {
    policy::require(actor, AREA, Action::Edit)?;
    let (name, permissions) = parse_role(input, None)?;
    repo::insert_role(db, &name, &permissions, clock.now())
        .await
        .on_unique("name", "error-name-taken")
}

pub async fn update_role(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: RoleId,
    input: &RoleInput,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, AREA, Action::Edit)?;
    let current = repo::find_role(db, id).await?.ok_or(AppError::NotFound)?;
    let (name, permissions) = parse_role(input, Some(&current))?;
    repo::update_role(db, id, &name, &permissions, clock.now())
        .await
        .on_unique("name", "error-name-taken")
}

pub async fn delete_role(db: &DatabaseConnection, actor: &StaffActor, id: RoleId) -> AppResult<()> {
    policy::require(actor, AREA, Action::Edit)?;
    repo::find_role(db, id).await?.ok_or(AppError::NotFound)?;
    if repo::role_in_use(db, id).await? {
        return Err(AppError::Conflict("error-role-in-use".into()));
    }
    repo::delete_role(db, id).await?;
    Ok(())
}

pub struct TokenInfo {
    pub id: i64,
    pub name: String,
    pub created_at: chrono::DateTime<Utc>,
}

/// Creates an API token acting as `staff_id`; the plain token is shown once.
pub async fn create_token(
    db: &impl ConnectionTrait,
    staff_id: StaffId,
    name: &str,
    clock: &Clock,
) -> AppResult<String> {
    let mut errors = FieldErrors::new();
    let name = kernel::types::text(&mut errors, "name", name, true, 100);
    errors.into_result()?;
    let token = format!("kt_{}", auth::random_token());
    repo::insert_token(db, staff_id, &name, token_hash(&token), clock.now()).await?;
    Ok(token)
}

pub async fn tokens(db: &DatabaseConnection, me: &SignedIn) -> AppResult<Vec<TokenInfo>> {
    Ok(repo::tokens_of(db, me.actor.id)
        .await?
        .into_iter()
        .map(|t| TokenInfo {
            id: t.id,
            name: t.name,
            created_at: t.created_at,
        })
        .collect())
}

pub async fn revoke_token(db: &DatabaseConnection, me: &SignedIn, id: i64) -> AppResult<()> {
    if repo::delete_token(db, me.actor.id, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// For the CLI: the staff id of an email address.
pub async fn id_by_email(db: &DatabaseConnection, email: &str) -> AppResult<StaffId> {
    repo::find_by_email(db, &email.trim().to_lowercase())
        .await?
        .map(|r| StaffId(r.id))
        .ok_or(AppError::NotFound)
}

/// For the CLI: creates a staff member without an acting user. The first
/// staff member of an installation is always an admin (someone has to be
/// able to set up the rest); the answer says whether this one was first.
pub async fn create_unchecked(
    db: &DatabaseConnection,
    input: &StaffInput,
    clock: &Clock,
) -> AppResult<(StaffId, bool)> {
    let first = repo::count_staff(db).await? == 0;
    let mut input = input.clone();
    if first {
        input.is_admin = Some(true);
    }
    let data = StaffData::parse(&input, None).map_err(AppError::Validation)?;
    let hash = hash_password(data.password.as_deref().unwrap_or_default())?;
    let id = repo::insert(db, &data, hash, clock.now())
        .await
        .on_unique("email", "error-email-taken")?;
    Ok((id, first))
}

/// Ids of active staff, to validate assignments such as customer admins.
pub async fn directory_ids(db: &impl ConnectionTrait) -> AppResult<Vec<StaffId>> {
    Ok(repo::list(db)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .map(|m| m.id)
        .collect())
}

/// Display names of staff members by id, for authors of notes and entries.
pub async fn names(
    db: &impl ConnectionTrait,
) -> AppResult<std::collections::HashMap<StaffId, String>> {
    Ok(repo::list(db)
        .await?
        .into_iter()
        .map(|m| (m.id, m.name()))
        .collect())
}

/// Whether `password` is the staff member's own login password (to confirm
/// sensitive actions such as revealing a vault password).
pub async fn verify_own_password(
    db: &impl ConnectionTrait,
    id: StaffId,
    password: &str,
) -> AppResult<bool> {
    Ok(repo::find_by_id(db, id)
        .await?
        .is_some_and(|r| r.active && verify_password(password, &r.password_hash)))
}

/// Email, language and name of a staff member, to write to them.
pub async fn contact_of(
    db: &impl ConnectionTrait,
    id: StaffId,
) -> AppResult<Option<(String, Locale, String)>> {
    Ok(repo::find_by_id(db, id)
        .await?
        .filter(|r| r.active)
        .map(|r| {
            let m = repo::member(&r);
            (r.email, m.locale, m.name())
        }))
}

/// The secret of the staff member's calendar feed, made on first use.
pub async fn ical_token(
    db: &impl ConnectionTrait,
    id: StaffId,
    clock: &Clock,
) -> AppResult<String> {
    let row = repo::find_by_id(db, id).await?.ok_or(AppError::NotFound)?;
    if let Some(token) = row.ical_token {
        return Ok(token);
    }
    let token = auth::random_token();
    repo::set_ical_token(db, id, &token, clock.now()).await?;
    Ok(token)
}

/// The active staff member a calendar feed secret belongs to.
pub async fn by_ical_token(db: &impl ConnectionTrait, token: &str) -> AppResult<Option<StaffId>> {
    Ok(repo::find_by_ical_token(db, token)
        .await?
        .map(|r| StaffId(r.id)))
}
