//! Queries on `activity` and `change_history`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder, QuerySelect,
};

use super::model::{ActivityEntry, Author, Change};
use crate::common::entity_ref::EntityRef;

pub mod activity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "activity")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entity_kind: String,
        pub entity_id: i64,
        pub customer_id: Option<i64>,
        pub actor_kind: String,
        pub actor_id: Option<i64>,
        pub actor_name: String,
        pub action: String,
        pub detail: String,
        pub ip: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod changes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "change_history")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entity_kind: String,
        pub entity_id: i64,
        pub customer_id: Option<i64>,
        pub actor_id: Option<i64>,
        pub actor_name: String,
        pub field: String,
        pub old_value: String,
        pub new_value: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

// The clock joined an already long list; argument structs come with the module kit (issue 11).
#[allow(clippy::too_many_arguments)]
pub async fn insert_activity(
    db: &impl ConnectionTrait,
    entity: EntityRef,
    customer_id: Option<i64>,
    author: &Author,
    action: &str,
    detail: &str,
    ip: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    activity::ActiveModel {
        entity_kind: Set(entity.kind.to_string()),
        entity_id: Set(entity.id),
        customer_id: Set(customer_id),
        actor_kind: Set(author.kind.to_string()),
        actor_id: Set(author.id),
        actor_name: Set(author.name.clone()),
        action: Set(action.to_string()),
        detail: Set(detail.to_string()),
        ip: Set(ip.map(str::to_string)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn insert_changes(
    db: &impl ConnectionTrait,
    entity: EntityRef,
    customer_id: Option<i64>,
    author: &Author,
    rows: &[(&str, String, String)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    changes::Entity::insert_many(rows.iter().map(|(field, old, new)| changes::ActiveModel {
        entity_kind: Set(entity.kind.to_string()),
        entity_id: Set(entity.id),
        customer_id: Set(customer_id),
        actor_id: Set(author.id),
        actor_name: Set(author.name.clone()),
        field: Set(field.to_string()),
        old_value: Set(old.clone()),
        new_value: Set(new.clone()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}

pub async fn activity_of_customer(
    db: &impl ConnectionTrait,
    customer_id: i64,
    limit: u64,
) -> Result<Vec<ActivityEntry>, DbErr> {
    Ok(activity::Entity::find()
        .filter(activity::Column::CustomerId.eq(customer_id))
        .order_by_desc(activity::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|a| ActivityEntry {
            id: a.id,
            entity_kind: a.entity_kind,
            entity_id: a.entity_id,
            actor_name: a.actor_name,
            action: a.action,
            detail: a.detail,
            ip: a.ip,
            created_at: a.created_at,
        })
        .collect())
}

pub async fn changes_of_customer(
    db: &impl ConnectionTrait,
    customer_id: i64,
    limit: u64,
) -> Result<Vec<Change>, DbErr> {
    Ok(changes::Entity::find()
        .filter(changes::Column::CustomerId.eq(customer_id))
        .order_by_desc(changes::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|c| Change {
            id: c.id,
            entity_kind: c.entity_kind,
            entity_id: c.entity_id,
            actor_name: c.actor_name,
            field: c.field,
            old_value: c.old_value,
            new_value: c.new_value,
            created_at: c.created_at,
        })
        .collect())
}
