//! Queries on `notes`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::model::{NoteData, NoteId};
use crate::common::{
    entity_ref::EntityRef,
    ids::{CustomerId, StaffId},
};

pub mod notes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entity_kind: String,
        pub entity_id: i64,
        pub customer_id: Option<i64>,
        pub body: String,
        pub contacted_at: Option<Date>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn of(db: &impl ConnectionTrait, entity: EntityRef) -> Result<Vec<notes::Model>, DbErr> {
    notes::Entity::find()
        .filter(notes::Column::EntityKind.eq(entity.kind))
        .filter(notes::Column::EntityId.eq(entity.id))
        .order_by_desc(notes::Column::CreatedAt)
        .order_by_desc(notes::Column::Id)
        .all(db)
        .await
}

pub async fn find(db: &impl ConnectionTrait, id: NoteId) -> Result<Option<notes::Model>, DbErr> {
    notes::Entity::find_by_id(id.0).one(db).await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    entity: EntityRef,
    customer: CustomerId,
    d: &NoteData,
    author: StaffId,
    now: DateTime<Utc>,
) -> Result<NoteId, DbErr> {
    let row = notes::ActiveModel {
        entity_kind: Set(entity.kind.to_string()),
        entity_id: Set(entity.id),
        customer_id: Set(Some(customer.0)),
        body: Set(d.body.clone()),
        contacted_at: Set(d.contacted_at),
        created_by: Set(author.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(NoteId(row.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: NoteId,
    d: &NoteData,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    notes::ActiveModel {
        id: Set(id.0),
        body: Set(d.body.clone()),
        contacted_at: Set(d.contacted_at),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: NoteId) -> Result<(), DbErr> {
    notes::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

pub async fn delete_of(db: &impl ConnectionTrait, entity: EntityRef) -> Result<(), DbErr> {
    notes::Entity::delete_many()
        .filter(notes::Column::EntityKind.eq(entity.kind))
        .filter(notes::Column::EntityId.eq(entity.id))
        .exec(db)
        .await?;
    Ok(())
}

/// Inserts many notes in one statement (seeding).
pub async fn insert_many(
    db: &impl ConnectionTrait,
    rows: &[(EntityRef, NoteData, StaffId)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    // Seeded notes are the customers' own.
    notes::Entity::insert_many(rows.iter().map(|(entity, d, author)| notes::ActiveModel {
        entity_kind: Set(entity.kind.to_string()),
        entity_id: Set(entity.id),
        customer_id: Set(Some(entity.id)),
        body: Set(d.body.clone()),
        contacted_at: Set(d.contacted_at),
        created_by: Set(author.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}
