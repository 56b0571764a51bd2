//! Use cases on notes. Whoever may see the customer may read and add its
//! notes; editing and deleting is for the author or an admin.

use kernel::clock::Clock;
use kernel::{AppError, AppResult};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::{
    model::{Note, NoteData, NoteId, NoteInput},
    repo,
};
use crate::{
    common::entity_ref::EntityRef,
    modules::{
        activity::{model::Author, service as activity},
        customers::{model::CustomerId, service as customers},
        staff::{model::StaffId, service as staff},
    },
    policy::{self, StaffActor},
};

const KIND: &str = "note";

async fn to_notes(
    db: &impl ConnectionTrait,
    rows: Vec<repo::notes::Model>,
) -> AppResult<Vec<Note>> {
    let names = staff::names(db).await?;
    Ok(rows
        .into_iter()
        .map(|m| Note {
            id: NoteId(m.id),
            customer_id: CustomerId(m.entity_id),
            author: names
                .get(&StaffId(m.created_by))
                .cloned()
                .unwrap_or_default(),
            body: m.body,
            contacted_at: m.contacted_at,
            created_by: StaffId(m.created_by),
            created_at: m.created_at,
            updated_at: m.updated_at,
        })
        .collect())
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<Note>> {
    customers::ensure_visible(db, actor, customer).await?;
    to_notes(db, repo::of(db, customers::entity(customer)).await?).await
}

/// A customer note the actor may see; 404 otherwise.
pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: NoteId) -> AppResult<Note> {
    let row = repo::find(db, id)
        .await?
        .filter(|n| n.entity_kind == customers::KIND)
        .ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, CustomerId(row.entity_id)).await?;
    to_notes(db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &NoteInput,
    clock: &Clock,
) -> AppResult<NoteId> {
    customers::ensure_visible(db, actor, customer).await?;
    let data = NoteData::parse(input, None).map_err(AppError::Validation)?;
    let txn = db.begin().await?;
    let id = repo::insert(
        &txn,
        customers::entity(customer),
        &data,
        actor.id,
        clock.now(),
    )
    .await?;
    activity::record(
        &txn,
        EntityRef::new(KIND, id.0),
        Some(customer.0),
        &Author::staff(actor),
        "created",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

fn require_author(actor: &StaffActor, note: &Note) -> AppResult<()> {
    if policy::can_change_note(actor, note.created_by) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: NoteId,
    input: &NoteInput,
    clock: &Clock,
) -> AppResult<()> {
    let note = get(db, actor, id).await?;
    require_author(actor, &note)?;
    let data = NoteData::parse(input, Some(&note)).map_err(AppError::Validation)?;
    let txn = db.begin().await?;
    repo::update(&txn, id, &data, clock.now()).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    activity::record_changes(
        &txn,
        EntityRef::new(KIND, id.0),
        Some(note.customer_id.0),
        &Author::staff(actor),
        &[
            ("body", note.body.clone()),
            ("contacted_at", date(note.contacted_at)),
        ],
        &[
            ("body", data.body.clone()),
            ("contacted_at", date(data.contacted_at)),
        ],
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: NoteId,
    clock: &Clock,
) -> AppResult<CustomerId> {
    let note = get(db, actor, id).await?;
    require_author(actor, &note)?;
    let txn = db.begin().await?;
    repo::delete(&txn, id).await?;
    activity::record(
        &txn,
        EntityRef::new(KIND, id.0),
        Some(note.customer_id.0),
        &Author::staff(actor),
        "deleted",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(note.customer_id)
}

/// Removes the notes of a record that is being deleted.
pub async fn delete_all_of(db: &impl ConnectionTrait, entity: EntityRef) -> AppResult<()> {
    repo::delete_of(db, entity).await?;
    Ok(())
}

/// Seeds many notes at once, without audit rows (demo data).
pub async fn seed(
    db: &impl ConnectionTrait,
    rows: &[(EntityRef, NoteData, StaffId)],
    clock: &Clock,
) -> AppResult<()> {
    Ok(repo::insert_many(db, rows, clock.now()).await?)
}
