//! Use cases of reminders and the worker step that sends them.

use icalendar::{Calendar, Component, Event, EventLike};
use kernel::clock::Clock;
use kernel::{AppError, AppResult, FieldErrors, config::Config, mail};
use sea_orm::DatabaseConnection;

use super::{
    model::{Reminder, ReminderData, ReminderId, ReminderInput, ReminderView},
    repo,
};
use crate::{
    common::{entity_ref::EntityRef, mail::compose},
    i18n,
    modules::{
        self, Attached,
        customers::{model::CustomerId, service as customers},
        notifications::service as notifications,
        staff::{model::StaffId, service as staff},
    },
    policy::StaffActor,
};

/// The customer's reminders the actor may see, on it or on its records
/// (those on records the actor may not see left out).
pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<Reminder>> {
    Ok(listed(db, actor, customer)
        .await?
        .into_iter()
        .map(|(r, _)| r)
        .collect())
}

async fn listed(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<(Reminder, Option<Attached>)>> {
    customers::ensure_visible(db, actor, customer).await?;
    let mut out = Vec::new();
    for r in repo::of_customer(db, customer).await? {
        if let Some(on) = modules::attached(db, actor, &r.entity_kind, r.entity_id).await? {
            out.push((r, on));
        }
    }
    Ok(out)
}

async fn views_of(
    db: &DatabaseConnection,
    actor: &StaffActor,
    found: Vec<(Reminder, Option<Attached>)>,
) -> AppResult<Vec<ReminderView>> {
    let names = staff::names(db).await?;
    Ok(found
        .into_iter()
        .map(|(r, attached)| ReminderView {
            staff_name: names.get(&r.staff_id).cloned().unwrap_or_default(),
            may_change: may_change(actor, &r),
            r,
            attached,
        })
        .collect())
}

/// The customer's reminders as its tab shows them.
pub async fn views(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<ReminderView>> {
    let found = listed(db, actor, customer).await?;
    views_of(db, actor, found).await
}

/// The reminders set on a record the caller may see.
pub async fn views_on(
    db: &DatabaseConnection,
    actor: &StaffActor,
    record: EntityRef,
) -> AppResult<Vec<ReminderView>> {
    let found = repo::of(db, record)
        .await?
        .into_iter()
        .map(|r| (r, None))
        .collect();
    views_of(db, actor, found).await
}

/// A reminder on a customer the actor may see; 404 otherwise.
pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ReminderId,
) -> AppResult<Reminder> {
    let r = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    let customer = r.customer_id.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, customer).await?;
    match modules::attached(db, actor, &r.entity_kind, r.entity_id).await? {
        Some(_) => Ok(r),
        None => Err(AppError::NotFound),
    }
}

/// Who may change a reminder: its author, the reminded staff member, an admin.
pub fn may_change(actor: &StaffActor, r: &Reminder) -> bool {
    actor.is_admin || r.created_by == actor.id || r.staff_id == actor.id
}

async fn check_staff(db: &DatabaseConnection, data: &ReminderData) -> AppResult<()> {
    if !staff::directory_ids(db).await?.contains(&data.staff_id) {
        return Err(AppError::field("staff_id", "error-unknown-staff"));
    }
    Ok(())
}

pub async fn create(
    db: &DatabaseConnection,
    config: &Config,
    actor: &StaffActor,
    customer: CustomerId,
    input: &ReminderInput,
    clock: &Clock,
) -> AppResult<ReminderId> {
    let on = (customers::entity(customer), customer);
    create_on(db, config, actor, on, input, clock).await
}

/// A reminder on a record of the customer (or the customer itself) the
/// caller made sure the actor may see.
pub async fn create_on(
    db: &DatabaseConnection,
    config: &Config,
    actor: &StaffActor,
    (record, customer): (EntityRef, CustomerId),
    input: &ReminderInput,
    clock: &Clock,
) -> AppResult<ReminderId> {
    customers::ensure_visible(db, actor, customer).await?;
    let data = ReminderData::parse(input, None, actor.id, clock.now(), config.timezone)
        .map_err(AppError::Validation)?;
    check_staff(db, &data).await?;
    Ok(repo::insert(db, record, Some(customer), &data, actor.id, clock.now()).await?)
}

pub async fn update(
    db: &DatabaseConnection,
    config: &Config,
    actor: &StaffActor,
    id: ReminderId,
    input: &ReminderInput,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    if !may_change(actor, &current) {
        return Err(AppError::Forbidden);
    }
    let data = ReminderData::parse(
        input,
        Some(&current),
        actor.id,
        clock.now(),
        config.timezone,
    )
    .map_err(AppError::Validation)?;
    check_staff(db, &data).await?;
    repo::update(
        db,
        id,
        &data,
        data.remind_at != current.remind_at,
        clock.now(),
    )
    .await?;
    Ok(())
}

pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ReminderId,
) -> AppResult<CustomerId> {
    let current = get(db, actor, id).await?;
    if !may_change(actor, &current) {
        return Err(AppError::Forbidden);
    }
    repo::delete(db, id).await?;
    current.customer_id.ok_or(AppError::NotFound)
}

/// The worker step: notifies every due reminder once. The notification,
/// the queued email and the "notified" mark commit together; a reminder
/// another instance already handled is skipped. A reminder whose step
/// fails (a busy database, say) gives its claim back at once, so the next
/// round takes it again instead of waiting out the lease; the round still
/// reports the failure.
#[tracing::instrument(skip_all)]
pub async fn process_due(
    db: &DatabaseConnection,
    config: &Config,
    clock: &Clock,
) -> AppResult<usize> {
    let mut done = 0;
    let mut failed = Vec::new();
    for id in repo::claim_due(db, clock.now(), 200).await? {
        match notify_one(db, config, clock, id).await {
            Ok(true) => done += 1,
            Ok(false) => {}
            Err(e) => {
                tracing::warn!(reminder_id = id, error = ?e, "reminder not notified; released for the next round");
                repo::DUE.release(db, id).await?;
                failed.push(id);
            }
        }
    }
    if !failed.is_empty() {
        return Err(anyhow::anyhow!(
            "{} of the due reminders failed and wait for the next round: {failed:?}",
            failed.len()
        )
        .into());
    }
    Ok(done)
}

/// Notifies one claimed reminder; false when another worker was first.
async fn notify_one(
    db: &DatabaseConnection,
    config: &Config,
    clock: &Clock,
    id: i64,
) -> AppResult<bool> {
    let now = clock.now();
    let txn = kernel::db::begin_write(db).await?;
    if !repo::mark_notified(&txn, id, now).await? {
        return Ok(false);
    }
    let Some(r) = repo::find(&txn, ReminderId(id)).await? else {
        return Ok(false);
    };
    let Some((email, locale, name)) = staff::contact_of(&txn, r.staff_id).await? else {
        txn.commit().await?;
        return Ok(false);
    };
    let company = match r.customer_id {
        Some(c) => customers::company_of(&txn, c).await?,
        None => String::new(),
    };
    let link = r
        .customer_id
        .map(|c| format!("/customers/{}/reminders", c.0))
        .unwrap_or_else(|| "/notifications".into());
    let title = i18n::t_args(locale, "reminder-title", &[("company", company.clone())]);
    notifications::notify(
        &txn,
        r.staff_id,
        &title,
        &r.description,
        &link,
        &format!("reminder:{id}"),
        clock,
    )
    .await?;
    if r.notify_by_email {
        let args = [
            ("name", name),
            ("company", company),
            ("description", r.description.clone()),
        ];
        let url = format!("{}{link}", config.base_url);
        mail::enqueue(
            &txn,
            &compose(locale, &email, "mail-reminder", &args, Some(&url)),
            now,
        )
        .await?;
    }
    txn.commit().await?;
    Ok(true)
}

/// The iCalendar feed of a staff member's reminders; `None` for an unknown secret.
pub async fn ical(
    db: &DatabaseConnection,
    config: &Config,
    token: &str,
) -> AppResult<Option<String>> {
    let Some(id) = staff::by_ical_token(db, token).await? else {
        return Ok(None);
    };
    let mut calendar = Calendar::new();
    calendar.name("Kontor");
    for r in repo::of_staff(db, id).await? {
        let company = match r.customer_id {
            Some(c) => customers::company_of(db, c).await?,
            None => String::new(),
        };
        let summary = if company.is_empty() {
            r.description.clone()
        } else {
            format!("{company}: {}", r.description)
        };
        let mut event = Event::new();
        event
            .uid(&format!("reminder-{}@kontor", r.id.0))
            .summary(&summary)
            .description(&r.description)
            .starts(r.remind_at)
            .ends(r.remind_at + chrono::Duration::minutes(15));
        if let Some(c) = r.customer_id {
            event.url(&format!("{}/customers/{}/reminders", config.base_url, c.0));
        }
        calendar.push(event.done());
    }
    Ok(Some(calendar.done().to_string()))
}

/// The feed address for the account page.
pub async fn feed_url(
    db: &DatabaseConnection,
    config: &Config,
    me: StaffId,
    clock: &Clock,
) -> AppResult<String> {
    Ok(format!(
        "{}/ical/{}.ics",
        config.base_url,
        staff::ical_token(db, me, clock).await?
    ))
}

/// Field errors for an API body with a customer missing.
pub fn customer_required() -> AppError {
    let mut e = FieldErrors::new();
    e.add("customer_id", "error-required");
    AppError::Validation(e)
}

/// Seeds many reminders at once (demo data and benchmarks); times are not
/// checked, so due reminders can be made on purpose.
pub async fn seed(
    db: &impl sea_orm::ConnectionTrait,
    rows: &[(CustomerId, ReminderData)],
    by: StaffId,
    clock: &Clock,
) -> AppResult<()> {
    repo::insert_many(db, rows, by, clock.now()).await?;
    Ok(())
}
