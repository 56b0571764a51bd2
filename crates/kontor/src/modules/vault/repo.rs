//! Queries on `vault_entries`, `vault_reveals` and `vault_meta`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::model::{Entry, EntryData, EntryId, Reveal, Visibility};
use crate::modules::{
    contacts::model::ContactId, customers::model::CustomerId, staff::model::StaffId,
};

pub mod entries {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "vault_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: i64,
        pub server: String,
        pub port: Option<i32>,
        pub username: String,
        pub password_sealed: String,
        pub description: String,
        pub visibility: String,
        pub shared_with_contacts: bool,
        pub created_by_staff: Option<i64>,
        pub created_by_contact: Option<i64>,
        pub created_by_name: String,
        pub updated_by_name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod reveals {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "vault_reveals")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entry_id: i64,
        pub actor_kind: String,
        pub actor_id: i64,
        pub actor_name: String,
        pub ip: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod meta {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "vault_meta")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub key_check: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn to_entry(m: entries::Model) -> Entry {
    Entry {
        id: EntryId(m.id),
        customer_id: CustomerId(m.customer_id),
        server: m.server,
        port: m.port,
        username: m.username,
        description: m.description,
        visibility: Visibility::parse(&m.visibility).unwrap_or(Visibility::Me),
        shared_with_contacts: m.shared_with_contacts,
        created_by_staff: m.created_by_staff.map(StaffId),
        created_by_contact: m.created_by_contact.map(ContactId),
        created_by: m.created_by_name,
        updated_by: m.updated_by_name,
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<Vec<Entry>, DbErr> {
    Ok(entries::Entity::find()
        .filter(entries::Column::CustomerId.eq(customer.0))
        .order_by_asc(entries::Column::Server)
        .order_by_asc(entries::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_entry)
        .collect())
}

pub async fn find(
    db: &impl ConnectionTrait,
    id: EntryId,
) -> Result<Option<(Entry, String)>, DbErr> {
    Ok(entries::Entity::find_by_id(id.0).one(db).await?.map(|m| {
        let sealed = m.password_sealed.clone();
        (to_entry(m), sealed)
    }))
}

/// Who created a new entry.
pub enum Creator {
    Staff(StaffId, String),
    Contact(ContactId, String),
    /// Demo data and benchmarks.
    Seed(String),
}

/// Inserts an entry whose password is sealed right after, in the same
/// transaction, with [`set_sealed`]: the seal is bound to the new row's id.
pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &EntryData,
    by: &Creator,
    now: DateTime<Utc>,
) -> Result<EntryId, DbErr> {
    let (staff, contact, name) = match by {
        Creator::Staff(id, name) => (Some(id.0), None, name.clone()),
        Creator::Contact(id, name) => (None, Some(id.0), name.clone()),
        Creator::Seed(name) => (None, None, name.clone()),
    };
    let row = entries::ActiveModel {
        customer_id: Set(customer.0),
        server: Set(d.server.clone()),
        port: Set(d.port),
        username: Set(d.username.clone()),
        password_sealed: Set(String::new()),
        description: Set(d.description.clone()),
        visibility: Set(d.visibility.key().to_string()),
        shared_with_contacts: Set(d.shared_with_contacts),
        created_by_staff: Set(staff),
        created_by_contact: Set(contact),
        created_by_name: Set(name.clone()),
        updated_by_name: Set(name),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(EntryId(row.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: EntryId,
    d: &EntryData,
    sealed: Option<String>,
    by: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut row = entries::ActiveModel {
        id: Set(id.0),
        server: Set(d.server.clone()),
        port: Set(d.port),
        username: Set(d.username.clone()),
        description: Set(d.description.clone()),
        visibility: Set(d.visibility.key().to_string()),
        shared_with_contacts: Set(d.shared_with_contacts),
        updated_by_name: Set(by.to_string()),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(sealed) = sealed {
        row.password_sealed = Set(sealed);
    }
    row.update(db).await?;
    Ok(())
}

pub async fn set_sealed(
    db: &impl ConnectionTrait,
    id: EntryId,
    sealed: String,
) -> Result<(), DbErr> {
    entries::Entity::update_many()
        .col_expr(entries::Column::PasswordSealed, sealed.into())
        .filter(entries::Column::Id.eq(id.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Ids and sealed values of every entry, for migrating old seals.
pub async fn all_sealed(db: &impl ConnectionTrait) -> Result<Vec<(EntryId, String)>, DbErr> {
    Ok(entries::Entity::find()
        .select_only()
        .column(entries::Column::Id)
        .column(entries::Column::PasswordSealed)
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .map(|(id, sealed)| (EntryId(id), sealed))
        .collect())
}

pub async fn delete(db: &impl ConnectionTrait, id: EntryId) -> Result<(), DbErr> {
    entries::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

pub async fn count(db: &impl ConnectionTrait) -> Result<u64, DbErr> {
    entries::Entity::find().count(db).await
}

pub async fn log_reveal(
    db: &impl ConnectionTrait,
    id: EntryId,
    kind: &str,
    actor: i64,
    name: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    reveals::ActiveModel {
        entry_id: Set(id.0),
        actor_kind: Set(kind.to_string()),
        actor_id: Set(actor),
        actor_name: Set(name.to_string()),
        ip: Set(ip.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn reveals_of(db: &impl ConnectionTrait, id: EntryId) -> Result<Vec<Reveal>, DbErr> {
    Ok(reveals::Entity::find()
        .filter(reveals::Column::EntryId.eq(id.0))
        .order_by_desc(reveals::Column::Id)
        .limit(50)
        .all(db)
        .await?
        .into_iter()
        .map(|r| Reveal {
            actor_name: r.actor_name,
            ip: r.ip,
            created_at: r.created_at,
        })
        .collect())
}

pub async fn key_check(db: &impl ConnectionTrait) -> Result<Option<String>, DbErr> {
    Ok(meta::Entity::find().one(db).await?.map(|m| m.key_check))
}

pub async fn set_key_check(
    db: &impl ConnectionTrait,
    sealed: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if let Some(row) = meta::Entity::find().one(db).await? {
        let mut row: meta::ActiveModel = row.into();
        row.key_check = Set(sealed);
        row.updated_at = Set(now);
        row.update(db).await?;
        return Ok(());
    }
    meta::ActiveModel {
        key_check: Set(sealed),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}
