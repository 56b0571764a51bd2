//! Queries on `files`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::model::{FileId, StoredFile};
use crate::common::entity_ref::EntityRef;
use crate::modules::{
    contacts::model::ContactId, customers::model::CustomerId, staff::model::StaffId,
};

pub mod files {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "files")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: i64,
        pub entity_type: String,
        pub entity_id: i64,
        pub name: String,
        pub size: i64,
        pub content_type: String,
        pub storage_key: String,
        pub visible_to_customer: bool,
        pub uploaded_by_staff: Option<i64>,
        pub uploaded_by_contact: Option<i64>,
        pub uploaded_by_name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn to_file(m: files::Model) -> StoredFile {
    StoredFile {
        id: FileId(m.id),
        customer_id: CustomerId(m.customer_id),
        entity_type: m.entity_type,
        entity_id: m.entity_id,
        name: m.name,
        size: m.size,
        content_type: m.content_type,
        visible_to_customer: m.visible_to_customer,
        uploaded_by: m.uploaded_by_name,
        uploaded_by_staff: m.uploaded_by_staff.map(StaffId),
        uploaded_by_contact: m.uploaded_by_contact.map(ContactId),
        created_at: m.created_at,
        storage_key: m.storage_key,
    }
}

/// Every file of the customer, whatever record it is attached to, newest
/// first; `shared_only` keeps the ones its contacts may see.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    shared_only: bool,
) -> Result<Vec<StoredFile>, DbErr> {
    let mut q = files::Entity::find().filter(files::Column::CustomerId.eq(customer.0));
    if shared_only {
        q = q.filter(files::Column::VisibleToCustomer.eq(true));
    }
    Ok(q.order_by_desc(files::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_file)
        .collect())
}

/// The files attached to the record, oldest first.
pub async fn of_record(
    db: &impl ConnectionTrait,
    record: EntityRef,
) -> Result<Vec<StoredFile>, DbErr> {
    Ok(files::Entity::find()
        .filter(files::Column::EntityType.eq(record.kind))
        .filter(files::Column::EntityId.eq(record.id))
        .order_by_asc(files::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_file)
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: FileId) -> Result<Option<StoredFile>, DbErr> {
    Ok(files::Entity::find_by_id(id.0).one(db).await?.map(to_file))
}

/// The stored object keys of a customer's files (to remove the objects
/// when the customer goes).
pub async fn keys_of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<Vec<String>, DbErr> {
    files::Entity::find()
        .select_only()
        .column(files::Column::StorageKey)
        .filter(files::Column::CustomerId.eq(customer.0))
        .into_tuple()
        .all(db)
        .await
}

pub struct NewFile<'a> {
    pub customer: CustomerId,
    pub entity_type: &'a str,
    pub entity_id: i64,
    pub name: &'a str,
    pub size: i64,
    pub content_type: &'a str,
    pub storage_key: &'a str,
    pub visible_to_customer: bool,
    pub staff: Option<StaffId>,
    pub contact: Option<ContactId>,
    pub uploaded_by: &'a str,
}

fn active(f: NewFile<'_>, now: chrono::DateTime<Utc>) -> files::ActiveModel {
    files::ActiveModel {
        customer_id: Set(f.customer.0),
        entity_type: Set(f.entity_type.to_string()),
        entity_id: Set(f.entity_id),
        name: Set(f.name.to_string()),
        size: Set(f.size),
        content_type: Set(f.content_type.to_string()),
        storage_key: Set(f.storage_key.to_string()),
        visible_to_customer: Set(f.visible_to_customer),
        uploaded_by_staff: Set(f.staff.map(|s| s.0)),
        uploaded_by_contact: Set(f.contact.map(|c| c.0)),
        uploaded_by_name: Set(f.uploaded_by.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    f: NewFile<'_>,
    now: DateTime<Utc>,
) -> Result<FileId, DbErr> {
    let row = active(f, now).insert(db).await?;
    Ok(FileId(row.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: FileId,
    name: &str,
    visible_to_customer: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    files::ActiveModel {
        id: Set(id.0),
        name: Set(name.to_string()),
        visible_to_customer: Set(visible_to_customer),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: FileId) -> Result<(), DbErr> {
    files::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

/// Seeds many file rows at once (demo data and benchmarks).
pub async fn seed(
    db: &impl ConnectionTrait,
    rows: Vec<NewFile<'_>>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    files::Entity::insert_many(rows.into_iter().map(|f| active(f, now)))
        .exec(db)
        .await?;
    Ok(())
}
