//! Use cases on contacts. Access follows the customer: whoever may see the
//! customer sees its contacts; creating, editing and deleting contacts
//! needs the customers "edit" permission.

use kernel::clock::Clock;
use std::collections::HashMap;

use chrono::Duration;
use kernel::{
    AppError, AppResult, FieldErrors, auth::hash_password, config::Config, error::OnConstraint,
    mail, reset,
};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    model::{Contact, ContactData, ContactId, ContactInput},
    repo,
};
use crate::modules::{FigureShown, FigureValue, Hit, Query};
use crate::{
    common::{entity_ref::EntityRef, mail::compose, sending::Recipient},
    modules::{
        activity::{model::Author, service as activity},
        custom_fields::{
            model::{CustomField, Values},
            service as custom_fields,
        },
        customers::{model::CustomerId, service as customers},
    },
    policy::StaffActor,
};

pub const KIND: &str = "contact";

fn entity(id: ContactId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

/// The contacts' custom field definitions.
pub async fn fields(db: &impl ConnectionTrait) -> AppResult<Vec<CustomField>> {
    custom_fields::definitions(db, KIND).await
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<Contact>> {
    customers::ensure_visible(db, actor, customer).await?;
    let mut contacts = repo::of_customer(db, customer).await?;
    let ids: Vec<i64> = contacts.iter().map(|c| c.id.0).collect();
    let mut values = custom_fields::values_many(db, &fields(db).await?, &ids).await?;
    for c in &mut contacts {
        c.custom_fields = values.remove(&c.id.0).unwrap_or_default();
    }
    Ok(contacts)
}

/// Whether the contact gets a customer's documents of `area` without
/// being chosen: every document with the invoices permission, an estimate
/// or proposal also with that area's.
fn receives(c: &Contact, area: &str) -> bool {
    c.permissions.iter().any(|p| p == "invoices" || p == area)
}

/// The customer's active contacts with an email address, as a document's
/// send form offers them: those who receive documents of `area` come
/// chosen.
pub async fn recipients(
    db: &DatabaseConnection,
    actor: &StaffActor,
    (customer, area): (CustomerId, &str),
) -> AppResult<Vec<Recipient>> {
    Ok(list(db, actor, customer)
        .await?
        .into_iter()
        .filter(|c| c.active && !c.email.is_empty())
        .map(|c| Recipient {
            id: c.id.0,
            preselected: receives(&c, area),
            name: c.name(),
            email: c.email,
        })
        .collect())
}

/// The active contacts with an email address who receive documents of
/// `area`: who they go to when no one chooses (reminders).
pub async fn of_customer_for_documents(
    db: &impl ConnectionTrait,
    (customer, area): (CustomerId, &str),
) -> AppResult<Vec<Contact>> {
    Ok(repo::of_customer(db, customer)
        .await?
        .into_iter()
        .filter(|c| c.active && !c.email.is_empty() && receives(c, area))
        .collect())
}

async fn load(
    db: &impl ConnectionTrait,
    defs: &[CustomField],
    id: ContactId,
) -> AppResult<Contact> {
    let mut contact = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    contact.custom_fields = custom_fields::values(db, defs, id.0).await?;
    Ok(contact)
}

/// A contact whose customer the actor may see; 404 otherwise.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: ContactId,
) -> AppResult<Contact> {
    let contact = load(db, &fields(db).await?, id).await?;
    customers::ensure_visible(db, actor, contact.customer_id).await?;
    Ok(contact)
}

fn history(c: &Contact, defs: &[CustomField]) -> Vec<(String, String)> {
    let own = c
        .history_fields()
        .into_iter()
        .map(|(k, v)| (k.to_string(), v));
    own.chain(custom_fields::history(defs, &c.custom_fields))
        .collect()
}

/// Contact data and custom fields validated together.
fn parse(
    defs: &[CustomField],
    actor: &StaffActor,
    input: &ContactInput,
    current: Option<&Contact>,
) -> AppResult<(ContactData, Values)> {
    let (data, mut errors) = match ContactData::parse(input, current) {
        Ok(d) => (Some(d), FieldErrors::new()),
        Err(e) => (None, e),
    };
    let empty = Values::new();
    let custom = custom_fields::parse(
        defs,
        input.custom_fields.as_ref(),
        current.map(|c| &c.custom_fields).unwrap_or(&empty),
        actor,
        &mut errors,
    );
    match data {
        Some(d) if errors.is_empty() => Ok((d, custom)),
        _ => Err(AppError::Validation(errors)),
    }
}

/// The global search's contacts: those whose name or email contains the
/// text, among the customers the search matched (their search text holds
/// their contacts' names and addresses), read in one query.
pub async fn search(
    db: &DatabaseConnection,
    _actor: &StaffActor,
    query: &Query<'_>,
    limit: u64,
) -> AppResult<Vec<Hit>> {
    let ids: Vec<i64> = query.customers.iter().map(|c| c.id.0).collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let needle = query.text.to_lowercase();
    Ok(repo::of_customers(db, &ids)
        .await?
        .into_iter()
        .filter(|c| c.name().to_lowercase().contains(&needle) || c.email.contains(&needle))
        .take(usize::try_from(limit).unwrap_or(usize::MAX))
        .map(|c| Hit {
            id: c.id.0,
            url: format!("/customers/{}/contacts", c.customer_id.0),
            detail: [
                c.email.clone(),
                query
                    .customers
                    .iter()
                    .find(|f| f.id == c.customer_id)
                    .map(|f| f.company.clone())
                    .unwrap_or_default(),
            ]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(" · "),
            title: c.name(),
        })
        .collect())
}

/// The overview figure: how many contacts the customer has.
pub async fn figures(
    db: &DatabaseConnection,
    _actor: &StaffActor,
    customer: CustomerId,
    _today: chrono::NaiveDate,
) -> AppResult<Vec<FigureShown>> {
    Ok(vec![FigureShown {
        id: "figure-contacts",
        label_key: "figure-contacts",
        value: FigureValue::Count(count_of(db, customer).await?),
    }])
}

pub async fn count_of(db: &impl ConnectionTrait, customer: CustomerId) -> AppResult<u64> {
    Ok(repo::count_of(db, customer).await?)
}

/// Name and email of each customer's primary contact.
pub async fn primary_of(
    db: &impl ConnectionTrait,
    customers: &[CustomerId],
) -> AppResult<HashMap<i64, (String, String)>> {
    Ok(repo::primary_of(db, customers).await?)
}

pub async fn search_terms(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> AppResult<Vec<String>> {
    Ok(repo::search_terms(db, customer).await?)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &ContactInput,
    clock: &Clock,
) -> AppResult<ContactId> {
    customers::ensure_editable(db, actor, customer).await?;
    let defs = fields(db).await?;
    let (mut data, custom) = parse(&defs, actor, input, None)?;
    let txn = kernel::db::begin_write(db).await?;
    let existing = repo::of_customer(&txn, customer).await?;
    let has_primary = existing.iter().any(|c| c.is_primary);
    if data.is_primary && has_primary {
        return Err(AppError::field("is_primary", "error-primary-exists"));
    }
    if !has_primary {
        data.is_primary = true;
    }
    if data.is_primary && !data.active {
        return Err(AppError::field("active", "error-primary-inactive"));
    }
    let hash = data.password.as_deref().map(hash_password).transpose()?;
    let id = repo::insert(&txn, customer, &data, hash, clock.now())
        .await
        .on_unique("email", "error-email-taken")?;
    custom_fields::save(&txn, &defs, id.0, &custom, clock).await?;
    customers::refresh_search_text(&txn, customer).await?;
    activity::record(
        &txn,
        entity(id),
        Some(customer.0),
        &Author::staff(actor),
        "created",
        &data.email,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ContactId,
    input: &ContactInput,
    clock: &Clock,
) -> AppResult<()> {
    let defs = fields(db).await?;
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    let (data, custom) = parse(&defs, actor, input, Some(&current))?;
    if data.is_primary && !current.is_primary {
        return Err(AppError::field("is_primary", "error-primary-exists"));
    }
    if !data.is_primary && current.is_primary {
        return Err(AppError::field("is_primary", "error-primary-required"));
    }
    if data.is_primary && !data.active {
        return Err(AppError::field("active", "error-primary-inactive"));
    }
    let txn = kernel::db::begin_write(db).await?;
    let hash = data.password.as_deref().map(hash_password).transpose()?;
    repo::update(&txn, id, &data, hash, clock.now())
        .await
        .on_unique("email", "error-email-taken")?;
    custom_fields::save(&txn, &defs, id.0, &custom, clock).await?;
    customers::refresh_search_text(&txn, current.customer_id).await?;
    let after = load(&txn, &defs, id).await?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        &history(&current, &defs),
        &history(&after, &defs),
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Makes this (active) contact the customer's one primary contact.
pub async fn make_primary(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ContactId,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    if !current.active {
        return Err(AppError::field("active", "error-primary-inactive"));
    }
    let txn = kernel::db::begin_write(db).await?;
    repo::clear_primary(&txn, current.customer_id, id).await?;
    repo::set_primary(&txn, id, clock.now()).await?;
    let before = [("is_primary", current.is_primary.to_string())];
    activity::record_changes(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        &before,
        &[("is_primary", "true".into())],
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deleting the primary contact promotes the oldest other active contact.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ContactId,
    clock: &Clock,
) -> AppResult<CustomerId> {
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    let txn = kernel::db::begin_write(db).await?;
    custom_fields::delete_values_of(&txn, KIND, id.0, clock).await?;
    repo::delete(&txn, id).await?;
    if current.is_primary {
        let next = repo::of_customer(&txn, current.customer_id)
            .await?
            .into_iter()
            .filter(|c| c.active)
            .min_by_key(|c| c.id.0);
        if let Some(next) = next {
            repo::set_primary(&txn, next.id, clock.now()).await?;
        }
    }
    customers::refresh_search_text(&txn, current.customer_id).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "deleted",
        &current.email,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(current.customer_id)
}

/// The portal's principal kind for sessions and one-time links.
pub const PORTAL: &str = "contact";

/// Emails the contact a link (valid seven days) to set the portal
/// password, in the customer's language.
pub async fn invite(
    db: &DatabaseConnection,
    config: &Config,
    actor: &StaffActor,
    id: ContactId,
    clock: &Clock,
) -> AppResult<()> {
    let contact = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, contact.customer_id).await?;
    if !contact.active {
        return Err(AppError::field("active", "error-contact-inactive"));
    }
    let customer = customers::get(db, actor, contact.customer_id).await?;
    let txn = kernel::db::begin_write(db).await?;
    let token = reset::create(&txn, PORTAL, id.0, Duration::days(7), clock.now()).await?;
    let link = format!("{}/portal/password/{token}", config.base_url);
    let args = [
        ("name", contact.first_name.clone()),
        ("company", customer.company.clone()),
    ];
    mail::enqueue(
        &txn,
        &compose(
            customer.language,
            &contact.email,
            "mail-invite",
            &args,
            Some(&link),
        ),
        clock.now(),
    )
    .await?;
    repo::set_invited(&txn, id, clock.now()).await?;
    activity::record(
        &txn,
        entity(id),
        Some(contact.customer_id.0),
        &Author::staff(actor),
        "invited",
        &contact.email,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether an invitation link can still be used.
pub async fn invitation_valid(
    db: &DatabaseConnection,
    token: &str,
    clock: &Clock,
) -> AppResult<bool> {
    Ok(reset::peek(db, PORTAL, token, clock.now()).await?.is_some())
}

/// Sets the portal password from an invitation link; the link then expires.
pub async fn accept_invitation(
    db: &DatabaseConnection,
    token: &str,
    password: &str,
    clock: &Clock,
) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    crate::modules::staff::model::check_password(&mut errors, "password", password);
    if reset::peek(db, PORTAL, token, clock.now()).await?.is_none() {
        return Err(AppError::BadRequest("error-reset-invalid".into()));
    }
    errors.into_result()?;
    let txn = kernel::db::begin_write(db).await?;
    let id = reset::consume(&txn, PORTAL, token, clock.now())
        .await?
        .ok_or(AppError::BadRequest("error-reset-invalid".into()))?;
    let contact = repo::find(&txn, ContactId(id))
        .await?
        .ok_or(AppError::BadRequest("error-reset-invalid".into()))?;
    repo::set_password(&txn, contact.id, hash_password(password)?, clock.now()).await?;
    kernel::throttle::clear(&txn, PORTAL, &contact.email).await?;
    let author = Author::contact(&contact);
    activity::record(
        &txn,
        entity(contact.id),
        Some(contact.customer_id.0),
        &author,
        "password-set",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The contact itself, for the portal: its own record, whatever staff may see.
pub async fn own(db: &impl ConnectionTrait, id: ContactId) -> AppResult<Contact> {
    load(db, &fields(db).await?, id).await
}

/// The portal login: an active contact with this email and password, and
/// whether it still owes its TOTP code.
pub async fn authenticate(
    db: &DatabaseConnection,
    email: &str,
    password: &str,
) -> AppResult<Option<(ContactId, bool)>> {
    let found = repo::credentials(db, &email.trim().to_lowercase())
        .await?
        .filter(|c| c.active);
    let ok = match found.as_ref().and_then(|c| c.password_hash.as_deref()) {
        Some(hash) => kernel::auth::verify_password(password, hash),
        None => {
            kernel::auth::dummy_verify(password);
            false
        }
    };
    Ok(found.filter(|_| ok).map(|c| (c.id, c.totp_enabled)))
}

/// Whether the contact uses a second factor.
pub async fn totp_enabled(db: &impl ConnectionTrait, id: ContactId) -> AppResult<bool> {
    Ok(repo::credentials_by_id(db, id)
        .await?
        .is_some_and(|c| c.totp_enabled))
}

/// Checks a code against the contact's TOTP secret; each code works once.
pub async fn check_totp(
    db: &impl ConnectionTrait,
    id: ContactId,
    code: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> AppResult<bool> {
    let Some(c) = repo::credentials_by_id(db, id).await? else {
        return Ok(false);
    };
    let Some(secret) = c.totp_secret else {
        return Ok(false);
    };
    let totp = kernel::auth::totp(&secret, &c.email)?;
    Ok(kernel::auth::accept_totp(db, PORTAL, id.0, &totp, code, now).await?)
}

/// Starts TOTP enrolment for the contact: a new secret, not yet enabled;
/// returns it with the otpauth URL for the authenticator app.
pub async fn begin_totp(
    db: &DatabaseConnection,
    contact: &Contact,
    clock: &Clock,
) -> AppResult<(String, String)> {
    let secret = kernel::auth::new_totp_secret();
    repo::set_totp(db, contact.id, Some(secret.clone()), false, clock.now()).await?;
    let url = kernel::auth::totp(&secret, &contact.email)?.get_url();
    Ok((secret, url))
}

/// Enables TOTP once the contact proves its app shows the right code.
pub async fn confirm_totp(
    db: &DatabaseConnection,
    contact: &Contact,
    code: &str,
    clock: &Clock,
) -> AppResult<()> {
    let secret = repo::credentials_by_id(db, contact.id)
        .await?
        .and_then(|c| c.totp_secret)
        .ok_or_else(|| AppError::field("code", "error-totp"))?;
    if !check_totp(db, contact.id, code, clock.now()).await? {
        return Err(AppError::field("code", "error-totp"));
    }
    repo::set_totp(db, contact.id, Some(secret), true, clock.now()).await?;
    Ok(())
}

/// Turns TOTP off; needs the contact's password.
pub async fn disable_totp(
    db: &DatabaseConnection,
    contact: &Contact,
    password: &str,
    clock: &Clock,
) -> AppResult<()> {
    if !verify_own_password(db, contact.id, password).await? {
        return Err(AppError::field("password", "error-password-wrong"));
    }
    repo::set_totp(db, contact.id, None, false, clock.now()).await?;
    Ok(())
}

pub async fn locale_of(
    db: &impl ConnectionTrait,
    id: ContactId,
) -> AppResult<kernel::i18n::Locale> {
    Ok(repo::locale(db, id)
        .await?
        .and_then(|l| kernel::i18n::Locale::parse(&l))
        .unwrap_or_default())
}

pub async fn set_locale(
    db: &DatabaseConnection,
    id: ContactId,
    locale: kernel::i18n::Locale,
    clock: &Clock,
) -> AppResult<()> {
    repo::set_locale(db, id, locale.code(), clock.now()).await?;
    Ok(())
}

/// A contact changes its own name, phone and position in the portal.
pub async fn update_own_profile(
    db: &DatabaseConnection,
    id: ContactId,
    input: &ContactInput,
    clock: &Clock,
) -> AppResult<()> {
    let current = own(db, id).await?;
    let limited = ContactInput {
        first_name: input.first_name.clone(),
        last_name: input.last_name.clone(),
        phone: input.phone.clone(),
        position: input.position.clone(),
        ..Default::default()
    };
    let data = ContactData::parse(&limited, Some(&current)).map_err(AppError::Validation)?;
    let txn = kernel::db::begin_write(db).await?;
    repo::update(&txn, id, &data, None, clock.now()).await?;
    customers::refresh_search_text(&txn, current.customer_id).await?;
    let author = Author::contact(&current);
    let after = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &author,
        &current.history_fields(),
        &after.history_fields(),
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Whether `password` is the contact's own portal password.
pub async fn verify_own_password(
    db: &impl ConnectionTrait,
    id: ContactId,
    password: &str,
) -> AppResult<bool> {
    Ok(repo::password_hash(db, id)
        .await?
        .is_some_and(|hash| kernel::auth::verify_password(password, &hash)))
}

/// A contact changes its own portal password.
pub async fn change_own_password(
    db: &DatabaseConnection,
    id: ContactId,
    current: &str,
    new: &str,
    clock: &Clock,
) -> AppResult<()> {
    let mut errors = FieldErrors::new();
    let hash = repo::password_hash(db, id).await?.unwrap_or_default();
    if !kernel::auth::verify_password(current, &hash) {
        errors.add("current_password", "error-password-wrong");
    }
    crate::modules::staff::model::check_password(&mut errors, "new_password", new);
    errors.into_result()?;
    repo::set_password(db, id, hash_password(new)?, clock.now()).await?;
    Ok(())
}

/// "Forgot password" in the portal: the same set-password link as an
/// invitation, valid one hour. Answers the same for unknown addresses.
pub async fn request_portal_reset(
    db: &DatabaseConnection,
    config: &Config,
    email: &str,
    clock: &Clock,
) -> AppResult<()> {
    let Some(id) = repo::credentials(db, &email.trim().to_lowercase())
        .await?
        .filter(|c| c.active)
        .map(|c| c.id)
    else {
        return Ok(());
    };
    let contact = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    let locale = locale_of(db, id).await?;
    let txn = kernel::db::begin_write(db).await?;
    // Requests for one contact take turns, so a flood sends one mail.
    repo::lock(&txn, id).await?;
    let Some(token) =
        reset::create_unless_recent(&txn, PORTAL, id.0, Duration::hours(1), clock.now()).await?
    else {
        return Ok(());
    };
    let link = format!("{}/portal/password/{token}", config.base_url);
    mail::enqueue(
        &txn,
        &compose(
            locale,
            &contact.email,
            "mail-portal-reset",
            &[("name", contact.first_name.clone())],
            Some(&link),
        ),
        clock.now(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Removes the contacts of a customer that is being deleted, with their values.
pub async fn delete_all_of(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    clock: &Clock,
) -> AppResult<()> {
    for c in repo::of_customer(db, customer).await? {
        custom_fields::delete_values_of(db, KIND, c.id.0, clock).await?;
    }
    repo::delete_of_customer(db, customer).await?;
    Ok(())
}

/// Seeds many valid contacts at once, without audit rows (demo data).
pub async fn seed(
    db: &impl ConnectionTrait,
    rows: &[(CustomerId, ContactData)],
    clock: &Clock,
) -> AppResult<()> {
    Ok(repo::insert_many(db, rows, clock.now()).await?)
}
