//! Queries on customer groups and their members.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::{
    model::{CustomerId, Group, GroupId},
    repo::{groups, members},
};

/// Replaces the group memberships; returns the names that do not exist.
pub async fn set_groups(
    db: &impl ConnectionTrait,
    id: CustomerId,
    names: &[String],
) -> Result<Vec<String>, DbErr> {
    let found = if names.is_empty() {
        Vec::new()
    } else {
        groups::Entity::find()
            .filter(groups::Column::Name.is_in(names.to_vec()))
            .all(db)
            .await?
    };
    let unknown: Vec<String> = names
        .iter()
        .filter(|n| !found.iter().any(|g| &g.name == *n))
        .cloned()
        .collect();
    if !unknown.is_empty() {
        return Ok(unknown);
    }
    members::Entity::delete_many()
        .filter(members::Column::CustomerId.eq(id.0))
        .exec(db)
        .await?;
    if !found.is_empty() {
        members::Entity::insert_many(found.iter().map(|g| members::ActiveModel {
            customer_id: Set(id.0),
            group_id: Set(g.id),
        }))
        .exec(db)
        .await?;
    }
    Ok(Vec::new())
}

pub async fn groups(db: &impl ConnectionTrait) -> Result<Vec<Group>, DbErr> {
    Ok(groups::Entity::find()
        .order_by_asc(groups::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| Group {
            id: GroupId(g.id),
            name: g.name,
        })
        .collect())
}

pub async fn insert_group(
    db: &impl ConnectionTrait,
    name: &str,
    now: DateTime<Utc>,
) -> Result<GroupId, DbErr> {
    let g = groups::ActiveModel {
        name: Set(name.to_string()),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(GroupId(g.id))
}

pub async fn delete_group(db: &impl ConnectionTrait, id: GroupId) -> Result<u64, DbErr> {
    Ok(groups::Entity::delete_by_id(id.0)
        .exec(db)
        .await?
        .rows_affected)
}
