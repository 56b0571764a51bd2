//! Portal sessions, logins and "login as customer".

use chrono::Duration;
use kernel::clock::Clock;
use kernel::{AppError, AppResult, config::Config, session, throttle};
use sea_orm::DatabaseConnection;

use super::model::PortalUser;
use crate::{
    http::identity::SignedIn,
    modules::{
        activity::{model::Author, service as activity},
        contacts::{
            model::ContactId,
            service::{self as contacts, PORTAL},
        },
        customers::{model::CustomerId, service as customers},
        staff::service as staff,
    },
    policy::{self, Action, StaffActor},
};

/// A portal session just opened; with `totp_pending` it is good for the
/// second step only.
pub struct LoginOk {
    pub token: String,
    pub totp_pending: bool,
}

const PRIMARY_EDITS_COMPANY: &str = "portal.primary_contact_edits_company";

/// How the portal behaves for all customers (Settings > Portal).
pub struct PortalSettings {
    /// The primary contact may change the company's billing and shipping
    /// addresses.
    pub primary_edits_company: bool,
}

pub async fn settings(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<PortalSettings> {
    if !policy::can(actor, policy::SETTINGS, Action::View) {
        return Err(AppError::Forbidden);
    }
    Ok(PortalSettings {
        primary_edits_company: kernel::settings::get_bool(db, PRIMARY_EDITS_COMPANY).await?,
    })
}

pub fn may_change_settings(actor: &StaffActor) -> bool {
    policy::can(actor, policy::SETTINGS, Action::Edit)
}

pub async fn save_settings(
    db: &DatabaseConnection,
    actor: &StaffActor,
    s: &PortalSettings,
    clock: &Clock,
) -> AppResult<()> {
    if !may_change_settings(actor) {
        return Err(AppError::Forbidden);
    }
    kernel::settings::set(
        db,
        PRIMARY_EDITS_COMPANY,
        if s.primary_edits_company {
            "true"
        } else {
            "false"
        },
        clock.now(),
    )
    .await?;
    Ok(())
}

/// Whether this contact may change its company's addresses.
pub async fn may_edit_company(db: &DatabaseConnection, u: &PortalUser) -> AppResult<bool> {
    Ok(u.contact.is_primary && kernel::settings::get_bool(db, PRIMARY_EDITS_COMPANY).await?)
}

/// Password login for contacts, throttled like the staff login.
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
        kind: PORTAL,
        account: &email,
        ip,
        device: Some(device),
    };
    let check = contacts::authenticate(db, &email, password);
    let Some((id, totp_pending)) =
        throttle::guarded(db, &attempt, limit, clock.now(), check).await?
    else {
        return Err(AppError::field("email", "error-login-failed"));
    };
    let token = session::create(
        db,
        (PORTAL, id.0),
        None,
        totp_pending,
        Duration::hours(config.session_hours),
        ip,
        clock.now(),
    )
    .await?;
    Ok(LoginOk {
        token,
        totp_pending,
    })
}

/// Completes a portal login that waits for its TOTP code (five tries a
/// minute per contact).
pub async fn verify_login_totp(
    db: &DatabaseConnection,
    token: &str,
    code: &str,
    clock: &Clock,
) -> AppResult<()> {
    let Some(s) = session::find(db, token, clock.now())
        .await?
        .filter(|s| s.totp_pending && s.principal_kind == PORTAL)
    else {
        return Err(AppError::Unauthorized);
    };
    let bucket = format!("portal-totp:{}", s.principal_id);
    if session::throttled(db, &[&bucket], 5, clock.now()).await? {
        return Err(AppError::TooManyRequests);
    }
    let ok = contacts::check_totp(db, ContactId(s.principal_id), code, clock.now()).await?;
    session::record_attempts(db, &[&bucket], ok, clock).await?;
    if !ok {
        return Err(AppError::field("code", "error-totp"));
    }
    session::complete_totp(db, s.id, clock.now()).await?;
    Ok(())
}

/// The contact behind a portal cookie. A session opened by "login as
/// customer" lives only as long as the staff session it came from.
pub async fn identify(
    db: &DatabaseConnection,
    token: &str,
    clock: &Clock,
) -> AppResult<Option<PortalUser>> {
    let Some(s) = session::find(db, token, clock.now()).await? else {
        return Ok(None);
    };
    if s.principal_kind != PORTAL || s.totp_pending {
        return Ok(None);
    }
    let impersonator = match s.parent_session_id {
        Some(parent) => match session::find_by_id(db, parent, clock.now()).await? {
            Some(p) if p.principal_kind == staff::PRINCIPAL => {
                let names = staff::names(db).await?;
                Some(
                    names
                        .get(&crate::modules::staff::model::StaffId(p.principal_id))
                        .cloned()
                        .unwrap_or_default(),
                )
            }
            _ => return Ok(None),
        },
        None => None,
    };
    let contact = match contacts::own(db, ContactId(s.principal_id)).await {
        Ok(c) if c.active => c,
        Ok(_) | Err(AppError::NotFound) => return Ok(None),
        Err(e) => return Err(e),
    };
    let company = customers::company_of(db, contact.customer_id).await?;
    let locale = contacts::locale_of(db, contact.id).await?;
    Ok(Some(PortalUser {
        contact,
        company,
        locale,
        impersonator,
    }))
}

pub async fn logout(db: &DatabaseConnection, token: &str) -> AppResult<()> {
    session::delete(db, token).await?;
    Ok(())
}

/// Opens the portal as a contact of the customer (the primary contact
/// unless one is chosen). Needs a staff browser session and the right to
/// edit the customer; written to the customer's activity with the IP.
pub async fn login_as(
    db: &DatabaseConnection,
    config: &Config,
    me: &SignedIn,
    customer: CustomerId,
    contact: Option<ContactId>,
    ip: &str,
    clock: &Clock,
) -> AppResult<String> {
    customers::ensure_editable(db, &me.actor, customer).await?;
    let parent = me.session_id.ok_or(AppError::Forbidden)?;
    let list = contacts::list(db, &me.actor, customer).await?;
    let chosen = match contact {
        Some(id) => list
            .into_iter()
            .find(|c| c.id == id)
            .ok_or(AppError::NotFound)?,
        None => list
            .into_iter()
            .find(|c| c.is_primary)
            .ok_or_else(|| AppError::Conflict("error-no-active-contact".into()))?,
    };
    if !chosen.active {
        return Err(AppError::Conflict("error-no-active-contact".into()));
    }
    let token = session::create(
        db,
        (PORTAL, chosen.id.0),
        Some(parent),
        false,
        Duration::hours(config.session_hours),
        ip,
        clock.now(),
    )
    .await?;
    let detail = format!("{} → {} <{}>", me.actor.name, chosen.name(), chosen.email);
    let entity = crate::common::entity_ref::EntityRef::new(contacts::KIND, chosen.id.0);
    activity::record(
        db,
        entity,
        Some(customer.0),
        &Author::staff(&me.actor),
        "login-as",
        &detail,
        Some(ip),
        clock,
    )
    .await?;
    Ok(token)
}
