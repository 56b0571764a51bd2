//! Writing and reading the audit trail.

use std::collections::HashMap;

use kernel::clock::Clock;
use kernel::{AppResult, mail::OutgoingMail};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    model::{ActivityEntry, Author, Change},
    repo,
};
use crate::{
    common::{
        entity_ref::EntityRef,
        sending::{Dispatch, Outgoing},
    },
    modules::contacts::model::Contact,
    policy::StaffActor,
};

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
// The clock joined an already long list; argument structs come with the module kit (issue 11).
#[allow(clippy::too_many_arguments)]
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

/// Queues the mail and records under the dispatch's action on the document
/// who it went to, in the caller's transaction (which may mark the
/// document sent as well).
pub async fn queue_mail(
    txn: &impl ConnectionTrait,
    outgoing: &Outgoing,
    mail: &OutgoingMail,
    to: &Dispatch<'_>,
    clock: &Clock,
) -> AppResult<()> {
    kernel::mail::enqueue(txn, mail, clock.now()).await?;
    record(
        txn,
        to.document,
        Some(to.customer.0),
        &Author::staff(to.actor),
        to.action,
        &outgoing.everyone(),
        None,
        clock,
    )
    .await
}

/// Queues the mail and records it, in a transaction of its own; the number
/// of recipients.
pub async fn send_mail(
    db: &DatabaseConnection,
    outgoing: &Outgoing,
    mail: &OutgoingMail,
    to: &Dispatch<'_>,
    clock: &Clock,
) -> AppResult<usize> {
    let txn = kernel::db::begin_write(db).await?;
    queue_mail(&txn, outgoing, mail, to, clock).await?;
    txn.commit().await?;
    Ok(outgoing.count())
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

/// The latest activity and changes on a customer and its records, only
/// those about records the actor may see: an entry names an invoice
/// number, a payment's amount or a vault server, so it is shown only to
/// who may open that record. The caller has already checked that the
/// actor may see the customer.
pub async fn of_customer(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer_id: i64,
) -> AppResult<(Vec<ActivityEntry>, Vec<Change>)> {
    let entries = repo::activity_of_customer(db, customer_id, 200).await?;
    let changes = repo::changes_of_customer(db, customer_id, 200).await?;
    let mut seen: HashMap<(String, i64), bool> = HashMap::new();
    let named = entries
        .iter()
        .map(|e| (e.entity_kind.clone(), e.entity_id))
        .chain(changes.iter().map(|c| (c.entity_kind.clone(), c.entity_id)));
    for record in named {
        if let std::collections::hash_map::Entry::Vacant(slot) = seen.entry(record) {
            let (kind, id) = slot.key().clone();
            slot.insert(may_see(db, actor, &kind, id).await?);
        }
    }
    let shown = |kind: &str, id: i64| seen.get(&(kind.to_owned(), id)).copied().unwrap_or(false);
    Ok((
        entries
            .into_iter()
            .filter(|e| shown(&e.entity_kind, e.entity_id))
            .collect(),
        changes
            .into_iter()
            .filter(|c| shown(&c.entity_kind, c.entity_id))
            .collect(),
    ))
}

/// Whether the actor may see the record an entry names: the module of the
/// record decides (records of the customer show to whoever sees it); a
/// kind no module registers stays hidden.
async fn may_see(
    db: &DatabaseConnection,
    actor: &StaffActor,
    kind: &str,
    id: i64,
) -> AppResult<bool> {
    match crate::modules::record(kind) {
        Some(r) if r.with_customer => Ok(true),
        Some(r) => (r.visible)(db, actor, id).await,
        None => Ok(false),
    }
}
