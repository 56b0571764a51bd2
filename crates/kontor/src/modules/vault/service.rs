//! Use cases of the vault. The key is opened once at start; every read of
//! a password goes through [`reveal`], which checks the viewer's password
//! and writes the reveal log.

use anyhow::{Context, bail};
use chrono::Duration;
use kernel::clock::Clock;
use kernel::{AppError, AppResult, config::Config, crypto::VaultKey, session};
use sea_orm::DatabaseConnection;

use super::{
    model::{Entry, EntryData, EntryId, EntryInput, Reveal, Visibility},
    repo::{self, Creator},
};
use crate::{
    common::entity_ref::EntityRef,
    http::identity::SignedIn,
    modules::{
        activity::{model::Author, service as activity},
        contacts::model::Contact,
        customers::{model::CustomerId, service as customers},
        staff::service as staff,
    },
    policy::StaffActor,
};

const KIND: &str = "vault";
const CHECK: &str = "kontor vault key check";
const CHECK_CONTEXT: &str = "vault-key-check";
/// How long a re-entered password unlocks reveals in a browser session.
pub const REAUTH_MINUTES: i64 = 5;

/// Opens the vault key: `KONTOR_VAULT_KEY`, else the key file (created
/// with mode 0600 while the vault is still empty). A missing or wrong key
/// with entries present stops the start with a clear message.
pub async fn open_key(
    db: &DatabaseConnection,
    config: &Config,
    clock: &Clock,
) -> anyhow::Result<VaultKey> {
    let entries = repo::count(db).await?;
    let key = match &config.vault_key {
        Some(text) => VaultKey::from_base64(text.expose()).context("KONTOR_VAULT_KEY")?,
        None => match VaultKey::from_file(&config.vault_key_file, entries == 0)? {
            Some(key) => key,
            None => bail!(
                "the vault holds {entries} entries but there is no key: set KONTOR_VAULT_KEY or restore {}",
                config.vault_key_file.display()
            ),
        },
    };
    match repo::key_check(db).await? {
        Some(check) => {
            if !key_opens(&key, &check) {
                bail!(
                    "the vault key (KONTOR_VAULT_KEY or {}) is not the key the vault was sealed with",
                    config.vault_key_file.display()
                );
            }
            bind_old_seals(db, &key, check, clock).await?;
        }
        None => repo::set_key_check(db, key.encrypt(CHECK, CHECK_CONTEXT)?, clock.now()).await?,
    }
    Ok(key)
}

/// Whether `key` opens the vault's stored key check (sealed before or
/// after values were bound to their rows).
pub fn key_opens(key: &VaultKey, check: &str) -> bool {
    let opened = if VaultKey::is_unbound(check) {
        key.reseal_unbound(check, CHECK_CONTEXT)
            .and_then(|c| key.decrypt(&c, CHECK_CONTEXT))
    } else {
        key.decrypt(check, CHECK_CONTEXT)
    };
    opened.ok().as_deref() == Some(CHECK)
}

/// Seals from before version 2 carry no associated data, so one row's
/// value could be copied onto another and revealed there. They are sealed
/// again, bound to their row, once, in one transaction.
async fn bind_old_seals(
    db: &DatabaseConnection,
    key: &VaultKey,
    check: String,
    clock: &Clock,
) -> anyhow::Result<()> {
    let txn = kernel::db::begin_write(db).await?;
    let mut bound = 0;
    for (id, sealed) in repo::all_sealed(&txn).await? {
        if VaultKey::is_unbound(&sealed) {
            let sealed = key
                .reseal_unbound(&sealed, &context(id))
                .with_context(|| format!("vault entry {}", id.0))?;
            repo::set_sealed(&txn, id, sealed).await?;
            bound += 1;
        }
    }
    if VaultKey::is_unbound(&check) {
        repo::set_key_check(&txn, key.encrypt(CHECK, CHECK_CONTEXT)?, clock.now()).await?;
    }
    txn.commit().await?;
    if bound > 0 {
        tracing::info!(
            entries = bound,
            "vault entries sealed again, bound to their rows"
        );
    }
    Ok(())
}

/// What a sealed password is bound to: its own row.
fn context(id: EntryId) -> String {
    format!("vault-entry:{}", id.0)
}

/// Inserts an entry and seals its password bound to the new row.
async fn store(
    txn: &impl sea_orm::ConnectionTrait,
    key: &VaultKey,
    customer: CustomerId,
    data: &EntryData,
    by: &Creator,
    clock: &Clock,
) -> AppResult<EntryId> {
    let id = repo::insert(txn, customer, data, by, clock.now()).await?;
    let sealed = key.encrypt(data.password.as_deref().unwrap_or_default(), &context(id))?;
    repo::set_sealed(txn, id, sealed).await?;
    Ok(id)
}

fn may_see(actor: &StaffActor, e: &Entry) -> bool {
    let creator = e.created_by_staff == Some(actor.id);
    match e.visibility {
        Visibility::All => true,
        Visibility::Admins => actor.is_admin || creator,
        Visibility::Me => creator,
    }
}

fn may_change(actor: &StaffActor, e: &Entry) -> bool {
    actor.is_admin || e.created_by_staff == Some(actor.id)
}

pub fn entity(id: EntryId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

/// The entries of a customer the actor may see.
pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<Entry>> {
    customers::ensure_visible(db, actor, customer).await?;
    Ok(repo::of_customer(db, customer)
        .await?
        .into_iter()
        .filter(|e| may_see(actor, e))
        .collect())
}

pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: EntryId) -> AppResult<Entry> {
    let (entry, _) = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, entry.customer_id).await?;
    if !may_see(actor, &entry) {
        return Err(AppError::NotFound);
    }
    Ok(entry)
}

pub fn can_change(actor: &StaffActor, entry: &Entry) -> bool {
    may_change(actor, entry)
}

pub async fn create(
    db: &DatabaseConnection,
    key: &VaultKey,
    actor: &StaffActor,
    customer: CustomerId,
    input: &EntryInput,
    clock: &Clock,
) -> AppResult<EntryId> {
    customers::ensure_editable(db, actor, customer).await?;
    let data = EntryData::parse(input, None).map_err(AppError::Validation)?;
    let txn = kernel::db::begin_write(db).await?;
    let by = Creator::Staff(actor.id, actor.name.clone());
    let id = store(&txn, key, customer, &data, &by, clock).await?;
    activity::record(
        &txn,
        entity(id),
        Some(customer.0),
        &Author::staff(actor),
        "created",
        &data.server,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &DatabaseConnection,
    key: &VaultKey,
    actor: &StaffActor,
    id: EntryId,
    input: &EntryInput,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    if !may_change(actor, &current) {
        return Err(AppError::Forbidden);
    }
    let data = EntryData::parse(input, Some(&current)).map_err(AppError::Validation)?;
    let sealed = data
        .password
        .as_deref()
        .map(|p| key.encrypt(p, &context(id)))
        .transpose()?;
    let txn = kernel::db::begin_write(db).await?;
    repo::update(&txn, id, &data, sealed, &actor.name, clock.now()).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "updated",
        &data.server,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: EntryId,
    clock: &Clock,
) -> AppResult<CustomerId> {
    let current = get(db, actor, id).await?;
    if !may_change(actor, &current) {
        return Err(AppError::Forbidden);
    }
    let txn = kernel::db::begin_write(db).await?;
    repo::delete(&txn, id).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "deleted",
        &current.server,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(current.customer_id)
}

/// Whether the browser session may reveal without asking for the password.
/// Whether the contact re-entered its password in this portal session
/// within the last five minutes.
pub async fn portal_unlocked(
    db: &DatabaseConnection,
    session_token: &str,
    clock: &Clock,
) -> AppResult<bool> {
    Ok(session::find(db, session_token, clock.now())
        .await?
        .and_then(|s| s.reauth_until)
        .is_some_and(|until| until > clock.now()))
}

pub async fn unlocked(db: &DatabaseConnection, me: &SignedIn, clock: &Clock) -> AppResult<bool> {
    session_unlocked(db, me.session_id, clock).await
}

/// Who reveals: the author of the log entries, the throttle bucket for
/// wrong passwords, and the session a correct password unlocks.
struct Viewer {
    author: Author,
    bucket: String,
    session: Option<i64>,
}

async fn session_unlocked(
    db: &DatabaseConnection,
    session: Option<i64>,
    clock: &Clock,
) -> AppResult<bool> {
    let Some(id) = session else {
        return Ok(false);
    };
    Ok(session::find_by_id(db, id, clock.now())
        .await?
        .and_then(|s| s.reauth_until)
        .is_some_and(|until| until > clock.now()))
}

/// The reveal both kinds of viewers share: the viewer's own password
/// (throttled; a refusal is logged) unlocks its session for five minutes,
/// or the session is still unlocked; then the password is decrypted and
/// the reveal logged.
// The clock joined an already long list; argument structs come with the module kit (issue 11).
#[allow(clippy::too_many_arguments)]
async fn reveal_as(
    db: &DatabaseConnection,
    key: &VaultKey,
    viewer: &Viewer,
    entry: &Entry,
    password: Option<&str>,
    password_ok: impl AsyncFnOnce(&str) -> AppResult<bool>,
    ip: &str,
    clock: &Clock,
) -> AppResult<String> {
    match password.filter(|p| !p.is_empty()) {
        Some(password) => {
            if session::throttled(db, &[&viewer.bucket], 5, clock.now()).await? {
                return Err(AppError::TooManyRequests);
            }
            let ok = password_ok(password).await?;
            session::record_attempts(db, &[&viewer.bucket], ok, clock).await?;
            if !ok {
                activity::record(
                    db,
                    entity(entry.id),
                    Some(entry.customer_id.0),
                    &viewer.author,
                    "reveal-refused",
                    &entry.server,
                    Some(ip),
                    clock,
                )
                .await?;
                return Err(AppError::field("password", "error-password-wrong"));
            }
            if let Some(s) = viewer.session {
                session::set_reauth(
                    db,
                    s,
                    clock.now() + Duration::minutes(REAUTH_MINUTES),
                    clock.now(),
                )
                .await?;
            }
        }
        None if session_unlocked(db, viewer.session, clock).await? => {}
        None => return Err(AppError::field("password", "error-reauth-required")),
    }
    let (_, sealed) = repo::find(db, entry.id).await?.ok_or(AppError::NotFound)?;
    let plain = key.decrypt(&sealed, &context(entry.id)).map_err(|e| {
        tracing::error!(entry = entry.id.0, "vault entry does not open: {e:#}");
        AppError::Conflict("error-vault-sealed-elsewhere".into())
    })?;
    let txn = kernel::db::begin_write(db).await?;
    repo::log_reveal(
        &txn,
        entry.id,
        viewer.author.kind,
        viewer.author.id.unwrap_or_default(),
        &viewer.author.name,
        Some(ip),
        clock.now(),
    )
    .await?;
    activity::record(
        &txn,
        entity(entry.id),
        Some(entry.customer_id.0),
        &viewer.author,
        "revealed",
        &entry.server,
        Some(ip),
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(plain)
}

/// The password of an entry. Needs the viewer's login password, or a
/// browser session unlocked by it within the last five minutes. Wrong
/// passwords are refused, logged and throttled; every reveal is logged.
pub async fn reveal(
    db: &DatabaseConnection,
    key: &VaultKey,
    me: &SignedIn,
    id: EntryId,
    password: Option<&str>,
    ip: &str,
    clock: &Clock,
) -> AppResult<String> {
    let entry = get(db, &me.actor, id).await?;
    let viewer = Viewer {
        author: Author::staff(&me.actor),
        bucket: format!("vault:{}", me.actor.id.0),
        session: me.session_id,
    };
    let staff_id = me.actor.id;
    let check = async move |p: &str| staff::verify_own_password(db, staff_id, p).await;
    reveal_as(db, key, &viewer, &entry, password, check, ip, clock).await
}

pub async fn reveals(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: EntryId,
) -> AppResult<Vec<Reveal>> {
    get(db, actor, id).await?;
    Ok(repo::reveals_of(db, id).await?)
}

/// Entries the contacts of a customer see in the portal: those shared with
/// them and those a contact added.
pub async fn list_shared(db: &DatabaseConnection, customer: CustomerId) -> AppResult<Vec<Entry>> {
    Ok(repo::of_customer(db, customer)
        .await?
        .into_iter()
        .filter(|e| e.shared_with_contacts || e.created_by_contact.is_some())
        .collect())
}

/// A contact adds an entry in the portal; it is shared with the customer's
/// contacts and visible to the staff the contact chose.
pub async fn create_by_contact(
    db: &DatabaseConnection,
    key: &VaultKey,
    contact: &Contact,
    input: &EntryInput,
    clock: &Clock,
) -> AppResult<EntryId> {
    let mut data = EntryData::parse(input, None).map_err(AppError::Validation)?;
    if data.visibility == Visibility::Me {
        // "Only me" names a staff member; a contact's entry is for the staff.
        return Err(AppError::field("visibility", "error-invalid"));
    }
    data.shared_with_contacts = true;
    let txn = kernel::db::begin_write(db).await?;
    let by = Creator::Contact(contact.id, contact.name());
    let id = store(&txn, key, contact.customer_id, &data, &by, clock).await?;
    let author = Author::contact(contact);
    activity::record(
        &txn,
        entity(id),
        Some(contact.customer_id.0),
        &author,
        "created",
        &data.server,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// A contact reveals a shared entry of its own customer with its own
/// portal password (then five minutes for that portal session); throttled
/// and logged like staff reveals.
// The clock joined an already long list; argument structs come with the module kit (issue 11).
#[allow(clippy::too_many_arguments)]
pub async fn reveal_by_contact(
    db: &DatabaseConnection,
    key: &VaultKey,
    contact: &Contact,
    session_token: &str,
    id: EntryId,
    password: Option<&str>,
    ip: &str,
    clock: &Clock,
) -> AppResult<String> {
    let entry = list_shared(db, contact.customer_id)
        .await?
        .into_iter()
        .find(|e| e.id == id)
        .ok_or(AppError::NotFound)?;
    let viewer = Viewer {
        author: Author::contact(contact),
        bucket: format!("portal-vault:{}", contact.id.0),
        session: session::find(db, session_token, clock.now())
            .await?
            .map(|s| s.id),
    };
    let contact_id = contact.id;
    let check = async move |p: &str| {
        crate::modules::contacts::service::verify_own_password(db, contact_id, p).await
    };
    reveal_as(db, key, &viewer, &entry, password, check, ip, clock).await
}

/// Seeds many entries at once (demo data and benchmarks), sealed like any other.
pub async fn seed(
    db: &impl sea_orm::ConnectionTrait,
    key: &VaultKey,
    rows: Vec<(CustomerId, EntryData)>,
    by: &str,
    clock: &Clock,
) -> AppResult<()> {
    let by = Creator::Seed(by.to_string());
    for (customer, data) in rows {
        store(db, key, customer, &data, &by, clock).await?;
    }
    Ok(())
}

/// Whether the actor may see the vault entry (activity entries name it).
pub async fn visible(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<bool> {
    crate::modules::seen(get(db, actor, EntryId(id)).await)
}
