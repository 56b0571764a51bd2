//! Use cases of files. An upload streams into the store while its size is
//! counted; passing the limit aborts it, so nothing is stored and the rest
//! of the body is never read. The row is written only after the object is
//! complete, and a row that cannot be written takes its object with it.

use bytes::Bytes;
use futures::{Stream, StreamExt, stream::BoxStream};
use kernel::clock::Clock;
use kernel::{AppError, AppResult, storage::Storage};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::{
    model::{FileChange, FileId, StoredFile, check_name, content_type_of},
    repo::{self, NewFile},
};
use crate::{
    common::entity_ref::EntityRef,
    modules::{
        activity::{model::Author, service as activity},
        contacts::model::Contact,
        customers::{model::CustomerId, service as customers},
    },
    policy::{self, StaffActor},
};

const KIND: &str = "file";

pub fn entity(id: FileId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

/// Who sends an upload.
#[derive(Clone, Copy)]
pub enum Uploader<'a> {
    Staff(&'a StaffActor),
    Contact(&'a Contact),
}

impl Uploader<'_> {
    fn author(&self) -> Author {
        match self {
            Self::Staff(actor) => Author::staff(actor),
            Self::Contact(c) => Author::contact(c),
        }
    }
}

/// One file as it arrives: its name, the type the client claims, and the
/// body stream.
pub struct Incoming<S> {
    pub name: String,
    pub content_type: Option<String>,
    pub body: S,
}

/// The customer's files the actor may see, attached anywhere.
pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<StoredFile>> {
    customers::ensure_visible(db, actor, customer).await?;
    Ok(repo::of_customer(db, customer, false).await?)
}

/// The files shared with the contact's customer.
pub async fn list_shared(db: &DatabaseConnection, contact: &Contact) -> AppResult<Vec<StoredFile>> {
    Ok(repo::of_customer(db, contact.customer_id, true).await?)
}

pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: FileId) -> AppResult<StoredFile> {
    let file = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, file.customer_id).await?;
    Ok(file)
}

/// A file the contact may see: shared, and its own customer's.
pub async fn get_shared(
    db: &DatabaseConnection,
    contact: &Contact,
    id: FileId,
) -> AppResult<StoredFile> {
    repo::find(db, id)
        .await?
        .filter(|f| f.customer_id == contact.customer_id && f.visible_to_customer)
        .ok_or(AppError::NotFound)
}

pub fn may_delete(actor: &StaffActor, file: &StoredFile) -> bool {
    policy::can_delete_file(actor, file.uploaded_by_staff)
}

/// Stores an upload on the customer. Staff need to be allowed to edit the
/// customer; a contact's uploads are always shared with its customer.
// The clock joined an already long list; argument structs come with the module kit (issue 11).
#[allow(clippy::too_many_arguments)]
pub async fn upload<S, E>(
    db: &DatabaseConnection,
    storage: &Storage,
    limit: u64,
    by: Uploader<'_>,
    customer: CustomerId,
    visible_to_customer: bool,
    incoming: Incoming<S>,
    clock: &Clock,
) -> AppResult<FileId>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let (visible, staff, contact) = match &by {
        Uploader::Staff(actor) => {
            customers::ensure_editable(db, actor, customer).await?;
            (visible_to_customer, Some(actor.id), None)
        }
        Uploader::Contact(c) => {
            if c.customer_id != customer {
                return Err(AppError::NotFound);
            }
            (true, None, Some(c.id))
        }
    };
    let name = check_name(&incoming.name).map_err(|key| AppError::field("file", key))?;
    let content_type = content_type_of(&name, incoming.content_type.as_deref());
    let key = format!("customers/{}/{:032x}", customer.0, rand::random::<u128>());
    let size = write(storage, &key, limit, incoming.body).await?;
    let author = by.author();
    let saved = async {
        let txn = db.begin().await?;
        let id = repo::insert(
            &txn,
            NewFile {
                customer,
                entity_type: "customer",
                entity_id: customer.0,
                name: &name,
                size: size as i64,
                content_type: &content_type,
                storage_key: &key,
                visible_to_customer: visible,
                staff,
                contact,
                uploaded_by: &author.name,
            },
            clock.now(),
        )
        .await?;
        activity::record(
            &txn,
            entity(id),
            Some(customer.0),
            &author,
            "uploaded",
            &name,
            None,
            clock,
        )
        .await?;
        txn.commit().await?;
        Ok::<_, AppError>(id)
    }
    .await;
    if saved.is_err() {
        discard(storage, &key).await;
    }
    saved
}

/// Streams the body into the object `key`, refusing an empty body and one
/// that passes `limit` (the object is then thrown away).
async fn write<S, E>(storage: &Storage, key: &str, limit: u64, mut body: S) -> AppResult<u64>
where
    S: Stream<Item = Result<Bytes, E>> + Unpin,
{
    let mut upload = storage.create(key).await?;
    let refused = loop {
        match body.next().await {
            None => break None,
            Some(Err(_)) => break Some(AppError::BadRequest("error-upload-broken".into())),
            Some(Ok(chunk)) => {
                if upload.written() + chunk.len() as u64 > limit {
                    break Some(AppError::field("file", "error-file-too-large"));
                }
                upload.write(chunk).await?;
            }
        }
    };
    let refused = refused
        .or_else(|| (upload.written() == 0).then(|| AppError::field("file", "error-file-empty")));
    if let Some(e) = refused {
        if let Err(abort) = upload.abort().await {
            tracing::warn!(error = %abort, "could not abort a refused upload");
        }
        return Err(e);
    }
    let size = upload.written();
    upload.finish().await?;
    Ok(size)
}

async fn discard(storage: &Storage, key: &str) {
    if let Err(e) = storage.delete(key).await {
        tracing::warn!(error = %e, key, "could not remove a stored file");
    }
}

/// The stored bytes of a file the caller was allowed to [`get`]; a row
/// whose object is gone (restored database, lost bucket) answers 404.
pub async fn open(
    storage: &Storage,
    file: &StoredFile,
) -> AppResult<BoxStream<'static, std::io::Result<Bytes>>> {
    storage.read(&file.storage_key).await?.ok_or_else(|| {
        tracing::warn!(file_id = file.id.0, key = %file.storage_key, "stored object missing");
        AppError::NotFound
    })
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: FileId,
    change: &FileChange,
    clock: &Clock,
) -> AppResult<StoredFile> {
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    let name = match &change.name {
        Some(n) => check_name(n).map_err(|key| AppError::field("name", key))?,
        None => current.name.clone(),
    };
    let visible = change
        .visible_to_customer
        .unwrap_or(current.visible_to_customer);
    let txn = db.begin().await?;
    repo::update(&txn, id, &name, visible, clock.now()).await?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        &[
            ("name", current.name.clone()),
            (
                "visible_to_customer",
                current.visible_to_customer.to_string(),
            ),
        ],
        &[("name", name), ("visible_to_customer", visible.to_string())],
        clock,
    )
    .await?;
    txn.commit().await?;
    get(db, actor, id).await
}

pub async fn delete(
    db: &DatabaseConnection,
    storage: &Storage,
    actor: &StaffActor,
    id: FileId,
    clock: &Clock,
) -> AppResult<CustomerId> {
    let file = get(db, actor, id).await?;
    if !may_delete(actor, &file) {
        return Err(AppError::Forbidden);
    }
    let txn = db.begin().await?;
    repo::delete(&txn, id).await?;
    activity::record(
        &txn,
        entity(id),
        Some(file.customer_id.0),
        &Author::staff(actor),
        "deleted",
        &file.name,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    discard(storage, &file.storage_key).await;
    Ok(file.customer_id)
}

/// The customer's stored objects, read before the customer's rows go (the
/// rows cascade; the objects are removed by [`remove_objects`] after commit).
pub async fn objects_of(db: &impl ConnectionTrait, customer: CustomerId) -> AppResult<Vec<String>> {
    Ok(repo::keys_of_customer(db, customer).await?)
}

/// A file row for demo data and benchmarks; its object is not written.
pub struct FileSeed {
    pub customer: CustomerId,
    pub name: String,
    pub size: i64,
    pub visible_to_customer: bool,
    pub uploaded_by: String,
}

/// Seeds many file rows at once (demo data and benchmarks).
pub async fn seed(db: &impl ConnectionTrait, rows: &[FileSeed], clock: &Clock) -> AppResult<()> {
    let keys: Vec<String> = rows
        .iter()
        .map(|r| format!("demo/{}/{:032x}", r.customer.0, rand::random::<u128>()))
        .collect();
    let types: Vec<String> = rows
        .iter()
        .map(|r| content_type_of(&r.name, None))
        .collect();
    let new = rows
        .iter()
        .zip(&keys)
        .zip(&types)
        .map(|((r, key), content_type)| NewFile {
            customer: r.customer,
            entity_type: "customer",
            entity_id: r.customer.0,
            name: &r.name,
            size: r.size,
            content_type,
            storage_key: key,
            visible_to_customer: r.visible_to_customer,
            staff: None,
            contact: None,
            uploaded_by: &r.uploaded_by,
        })
        .collect();
    repo::seed(db, new, clock.now()).await?;
    Ok(())
}
