//! Writing and reading the audit trail.

use kernel::AppResult;
use kernel::clock::Clock;
use sea_orm::ConnectionTrait;

use super::{
    model::{ActivityEntry, Author, Change},
    repo,
};
use crate::{common::entity_ref::EntityRef, modules::contacts::model::Contact, policy::StaffActor};

impl Author {
    pub fn staff(actor: &StaffActor) -> Self {
        Self {
            kind: "staff",
            id: Some(actor.id.0),
            name: actor.name.clone(),
        }
    }

    /// The background worker (recurring invoices, reminders).
    pub fn system() -> Self {
        Self {
            kind: "system",
            id: None,
            name: "Kontor".into(),
        }
    }

    pub fn contact(contact: &Contact) -> Self {
        Self {
            kind: "contact",
            id: Some(contact.id.0),
            name: contact.name(),
        }
    }
}

/// Records one action on a record (created, deleted, deactivated ...).
pub async fn record(
    db: &impl ConnectionTrait,
    entity: EntityRef,
    customer_id: Option<i64>,
    author: &Author,
    action: &str,
    detail: &str,
    ip: Option<&str>,
    clock: &Clock,
) -> AppResult<()> {
    repo::insert_activity(
        db,
        entity,
        customer_id,
        author,
        action,
        detail,
        ip,
        clock.now(),
    )
    .await?;
    Ok(())
}

/// Compares field lists before and after a change and stores each
/// difference, plus one "updated" activity entry when anything changed.
pub async fn record_changes<K: AsRef<str>>(
    db: &impl ConnectionTrait,
    entity: EntityRef,
    customer_id: Option<i64>,
    author: &Author,
    before: &[(K, String)],
    after: &[(K, String)],
    clock: &Clock,
) -> AppResult<usize> {
    let rows: Vec<(&str, String, String)> = before
        .iter()
        .zip(after)
        .filter(|(b, a)| b.1 != a.1)
        .map(|(b, a)| (b.0.as_ref(), b.1.clone(), a.1.clone()))
        .collect();
    if rows.is_empty() {
        return Ok(0);
    }
    repo::insert_changes(db, entity, customer_id, author, &rows, clock.now()).await?;
    let fields: Vec<&str> = rows.iter().map(|r| r.0).collect();
    repo::insert_activity(
        db,
        entity,
        customer_id,
        author,
        "updated",
        &fields.join(", "),
        None,
        clock.now(),
    )
    .await?;
    Ok(rows.len())
}

/// The latest activity and changes on a customer and its records. The
/// caller has already checked that the actor may see the customer.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer_id: i64,
) -> AppResult<(Vec<ActivityEntry>, Vec<Change>)> {
    Ok((
        repo::activity_of_customer(db, customer_id, 200).await?,
        repo::changes_of_customer(db, customer_id, 200).await?,
    ))
}
