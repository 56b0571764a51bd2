//! Use cases of files. An upload streams into the store while its size is
//! counted; passing the limit aborts it, so nothing is stored and the rest
//! of the body is never read. The row is written only after the object is
//! complete, and a row that cannot be written takes its object with it.

use bytes::Bytes;
use futures::{Stream, StreamExt, stream::BoxStream};
use kernel::clock::Clock;
use kernel::{AppError, AppResult, storage::Storage};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    model::{FileChange, FileId, StoredFile, check_name, content_type_of},
    repo::{self, NewFile},
};
use axum::{
    extract::Multipart,
    http::{HeaderMap, header},
};

use crate::{
    common::entity_ref::EntityRef,
    modules::{
        self, Attached,
        activity::{model::Author, service as activity},
        contacts::model::Contact,
        customers::{model::CustomerId, service as customers},
    },
    policy::{self, StaffActor},
    state::AppState,
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
    Ok(listed(db, actor, customer)
        .await?
        .into_iter()
        .map(|(file, _)| file)
        .collect())
}

/// The customer's files the actor may see, each with the record it is
/// attached to (none: the customer); files on records the actor may not
/// see (an invoice, for staff without invoices) are left out.
pub async fn listed(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<(StoredFile, Option<Attached>)>> {
    customers::ensure_visible(db, actor, customer).await?;
    let mut out = Vec::new();
    for file in repo::of_customer(db, customer, false).await? {
        if let Some(on) = modules::attached(db, actor, &file.entity_type, file.entity_id).await? {
            out.push((file, on));
        }
    }
    Ok(out)
}

/// The files attached to a record the caller may see.
pub async fn list_on(db: &DatabaseConnection, record: EntityRef) -> AppResult<Vec<StoredFile>> {
    Ok(repo::of_record(db, record).await?)
}

/// The files shared with the contact's customer.
pub async fn list_shared(db: &DatabaseConnection, contact: &Contact) -> AppResult<Vec<StoredFile>> {
    Ok(repo::of_customer(db, contact.customer_id, true).await?)
}

pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: FileId) -> AppResult<StoredFile> {
    let file = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, file.customer_id).await?;
    match modules::attached(db, actor, &file.entity_type, file.entity_id).await? {
        Some(_) => Ok(file),
        None => Err(AppError::NotFound),
    }
}

/// Whether the activity entries of a file show to the actor (who sees its
/// customer, as the log asks first): a file on a record only to those who
/// see the record; a deleted file's entries stay with the customer.
pub async fn visible(db: &DatabaseConnection, actor: &StaffActor, id: FileId) -> AppResult<bool> {
    match repo::find(db, id).await? {
        Some(file) => Ok(
            modules::attached(db, actor, &file.entity_type, file.entity_id)
                .await?
                .is_some(),
        ),
        None => Ok(true),
    }
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

/// Files one multipart request may carry (the form without script sends
/// all selected files at once).
pub const FILES_PER_REQUEST: u64 = 20;
/// Parts of any kind (files and short fields) one upload request may carry.
const MAX_PARTS: usize = 40;

/// Where an upload goes: the customer (named by the route or the form)
/// and, for a record's page, the record it is attached to.
#[derive(Clone, Copy)]
pub struct Target {
    pub customer: Option<CustomerId>,
    pub record: Option<EntityRef>,
}

/// One upload as checked so far.
pub struct Upload<'a> {
    pub by: Uploader<'a>,
    pub customer: CustomerId,
    /// The record it is attached to; none: the customer itself.
    pub record: Option<EntityRef>,
    pub visible_to_customer: bool,
    /// The most bytes one file may have.
    pub limit: u64,
}

impl Upload<'_> {
    /// Stores the file. Staff need to be allowed to edit the customer, or,
    /// for a record, to see it (the record's module checked that); a
    /// contact's uploads are always shared with its customer.
    pub async fn store<S, E>(self, state: &AppState, incoming: Incoming<S>) -> AppResult<FileId>
    where
        S: Stream<Item = Result<Bytes, E>> + Unpin,
    {
        let Self {
            by,
            customer,
            record,
            visible_to_customer,
            limit,
        } = self;
        let (db, storage, clock) = (&state.db, &state.storage, &state.clock);
        let (visible, staff, contact) = match &by {
            Uploader::Staff(actor) if record.is_some() => {
                customers::ensure_visible(db, actor, customer).await?;
                (visible_to_customer, Some(actor.id), None)
            }
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
            let txn = kernel::db::begin_write(db).await?;
            let id = repo::insert(
                &txn,
                NewFile {
                    customer,
                    entity_type: record.map_or("customer", |r| r.kind),
                    entity_id: record.map_or(customer.0, |r| r.id),
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
}

/// Reads a multipart upload: `customer_id` (when the route does not name
/// the customer) and `visible_to_customer` before the `file` parts, each
/// file streamed into storage as it arrives. Returns the stored files.
pub async fn receive(
    state: &AppState,
    headers: &HeaderMap,
    by: Uploader<'_>,
    target: Target,
    mut multipart: Multipart,
) -> AppResult<Vec<FileId>> {
    let Target {
        mut customer,
        record,
    } = target;
    let limit = state.config.upload_max_bytes;
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|n| n > limit * FILES_PER_REQUEST + 1024 * 1024) {
        return Err(AppError::field("file", "error-file-too-large"));
    }
    let broken = || AppError::BadRequest("error-upload-broken".into());
    let mut visible = false;
    let mut stored = Vec::new();
    let mut parts = 0;
    while let Some(mut field) = multipart.next_field().await.map_err(|_| broken())? {
        // The body has no overall limit here, so the number of parts has one.
        parts += 1;
        if parts > MAX_PARTS {
            return Err(AppError::field("file", "error-too-many-files"));
        }
        let part = field.name().unwrap_or_default().to_string();
        match part.as_str() {
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                if name.is_empty() {
                    // An empty file input still sends an unnamed part.
                    continue;
                }
                if stored.len() as u64 >= FILES_PER_REQUEST {
                    return Err(AppError::field("file", "error-too-many-files"));
                }
                let owner =
                    customer.ok_or_else(|| AppError::field("customer_id", "error-required"))?;
                let content_type = field.content_type().map(str::to_string);
                let incoming = Incoming {
                    name,
                    content_type,
                    body: &mut field,
                };
                let upload = Upload {
                    by,
                    customer: owner,
                    record,
                    visible_to_customer: visible,
                    limit,
                };
                stored.push(upload.store(state, incoming).await?);
            }
            name => {
                let value = small_text(&mut field).await.ok_or_else(broken)?;
                match name {
                    "visible_to_customer" => {
                        visible = match value.as_str() {
                            "on" | "true" | "1" => true,
                            "off" | "false" | "0" | "" => false,
                            _ => return Err(AppError::field(name, "error-invalid")),
                        };
                    }
                    "customer_id" if customer.is_none() => {
                        customer =
                            Some(CustomerId(value.trim().parse().map_err(|_| {
                                AppError::field("customer_id", "error-number")
                            })?));
                    }
                    // The page's form sends its token along, and a customer
                    // the page already names.
                    "_csrf" | "customer_id" => {}
                    _ => return Err(AppError::field(name, "error-unknown-part")),
                }
            }
        }
    }
    if stored.is_empty() {
        return Err(AppError::field("file", "error-file-required"));
    }
    Ok(stored)
}

/// A short form value; longer ones are refused rather than buffered.
async fn small_text(field: &mut axum::extract::multipart::Field<'_>) -> Option<String> {
    let mut bytes = Vec::new();
    while let Some(chunk) = field.chunk().await.ok()? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() > 1024 {
            return None;
        }
    }
    String::from_utf8(bytes).ok()
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
    let txn = kernel::db::begin_write(db).await?;
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
    let txn = kernel::db::begin_write(db).await?;
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
