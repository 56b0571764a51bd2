//! Use cases on notes. Whoever may see the customer may read and add its
//! notes; editing and deleting is for the author or an admin.

use kernel::clock::Clock;
use kernel::{AppError, AppResult};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    model::{Note, NoteData, NoteId, NoteInput, NoteView},
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
            customer_id: CustomerId(m.customer_id.unwrap_or(m.entity_id)),
            entity_kind: m.entity_kind,
            entity_id: m.entity_id,
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
    list_on(db, customers::entity(customer)).await
}

/// The notes on a record the caller (the record's module) has let the
/// actor see.
pub async fn list_on(db: &DatabaseConnection, record: EntityRef) -> AppResult<Vec<Note>> {
    to_notes(db, repo::of(db, record).await?).await
}

/// The notes on a record as its page lists them.
pub async fn views_on(
    db: &DatabaseConnection,
    actor: &StaffActor,
    record: EntityRef,
) -> AppResult<Vec<NoteView>> {
    Ok(list_on(db, record)
        .await?
        .into_iter()
        .map(|note| NoteView {
            html: note.html(),
            may_change: policy::can_change_note(actor, note.created_by),
            note,
        })
        .collect())
}

/// A note the actor may see: one on a customer it sees, or on a record
/// whose module lets it see that record; 404 otherwise.
pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: NoteId) -> AppResult<Note> {
    let row = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    if row.entity_kind == customers::KIND {
        customers::ensure_visible(db, actor, CustomerId(row.entity_id)).await?;
    } else {
        let record = crate::modules::record(&row.entity_kind).ok_or(AppError::NotFound)?;
        if !(record.visible)(db, actor, row.entity_id).await? {
            return Err(AppError::NotFound);
        }
    }
    to_notes(db, vec![row])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// Where the activity log records what happens to a note: a customer's
/// note under itself; a note on another record under that record, so only
/// who may see the record sees it there.
fn trail(note: &Note, id: NoteId, action: &'static str) -> (EntityRef, &'static str) {
    match crate::modules::record(&note.entity_kind) {
        Some(r) if note.entity_kind != customers::KIND => (
            EntityRef::new(r.kind, note.entity_id),
            match action {
                "created" => "note-added",
                "deleted" => "note-deleted",
                _ => "note-changed",
            },
        ),
        _ => (EntityRef::new(KIND, id.0), action),
    }
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &NoteInput,
    clock: &Clock,
) -> AppResult<NoteId> {
    customers::ensure_visible(db, actor, customer).await?;
    create_on(
        db,
        actor,
        customers::entity(customer),
        customer,
        input,
        clock,
    )
    .await
}

/// Adds a note to a record of `customer` the caller (the record's module)
/// has let the actor see.
pub async fn create_on(
    db: &DatabaseConnection,
    actor: &StaffActor,
    record: EntityRef,
    customer: CustomerId,
    input: &NoteInput,
    clock: &Clock,
) -> AppResult<NoteId> {
    let data = NoteData::parse(input, None).map_err(AppError::Validation)?;
    let txn = kernel::db::begin_write(db).await?;
    let id = repo::insert(&txn, record, customer, &data, actor.id, clock.now()).await?;
    let note = Note {
        id,
        entity_kind: record.kind.to_string(),
        entity_id: record.id,
        customer_id: customer,
        body: String::new(),
        contacted_at: None,
        created_by: actor.id,
        author: String::new(),
        created_at: clock.now(),
        updated_at: clock.now(),
    };
    let (entity, action) = trail(&note, id, "created");
    activity::record(
        &txn,
        entity,
        Some(customer.0),
        &Author::staff(actor),
        action,
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
    let txn = kernel::db::begin_write(db).await?;
    repo::update(&txn, id, &data, clock.now()).await?;
    let date = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    activity::record_changes(
        &txn,
        trail(&note, id, "updated").0,
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

/// Deletes the note; the note as it was, for the page to go back to.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: NoteId,
    clock: &Clock,
) -> AppResult<Note> {
    let note = get(db, actor, id).await?;
    require_author(actor, &note)?;
    let txn = kernel::db::begin_write(db).await?;
    repo::delete(&txn, id).await?;
    let (entity, action) = trail(&note, id, "deleted");
    activity::record(
        &txn,
        entity,
        Some(note.customer_id.0),
        &Author::staff(actor),
        action,
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(note)
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
