//! Queries on `notifications`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveValue::Set,
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{Expr, OnConflict},
};

use super::model::Notification;
use crate::modules::staff::model::StaffId;

pub mod notifications {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub staff_id: i64,
        pub title: String,
        pub body: String,
        pub link: String,
        pub dedupe_key: String,
        pub read_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// Inserts unless a notification with the same key exists.
pub async fn insert(
    db: &impl ConnectionTrait,
    staff: StaffId,
    title: &str,
    body: &str,
    link: &str,
    key: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let row = notifications::ActiveModel {
        staff_id: Set(staff.0),
        title: Set(title.to_string()),
        body: Set(body.to_string()),
        link: Set(link.to_string()),
        dedupe_key: Set(key.to_string()),
        read_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    notifications::Entity::insert(row)
        .on_conflict(
            OnConflict::column(notifications::Column::DedupeKey)
                .do_nothing()
                .to_owned(),
        )
        .try_insert()
        .exec(db)
        .await?;
    Ok(())
}

pub async fn latest(db: &impl ConnectionTrait, staff: StaffId) -> Result<Vec<Notification>, DbErr> {
    listed(db, staff, false, 100).await
}

/// The newest unread notifications of the staff member, at most `limit`.
pub async fn unread(
    db: &impl ConnectionTrait,
    staff: StaffId,
    limit: u64,
) -> Result<Vec<Notification>, DbErr> {
    listed(db, staff, true, limit).await
}

async fn listed(
    db: &impl ConnectionTrait,
    staff: StaffId,
    unread_only: bool,
    limit: u64,
) -> Result<Vec<Notification>, DbErr> {
    let mut found =
        notifications::Entity::find().filter(notifications::Column::StaffId.eq(staff.0));
    if unread_only {
        found = found.filter(notifications::Column::ReadAt.is_null());
    }
    Ok(found
        .order_by_desc(notifications::Column::Id)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(|n| Notification {
            id: n.id,
            title: n.title,
            body: n.body,
            link: n.link,
            read: n.read_at.is_some(),
            created_at: n.created_at,
        })
        .collect())
}

/// Marks one (or with `None` every) unread notification of the staff member read.
pub async fn mark_read(
    db: &impl ConnectionTrait,
    staff: StaffId,
    id: Option<i64>,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let mut update = notifications::Entity::update_many()
        .col_expr(notifications::Column::ReadAt, Expr::value(now))
        .filter(notifications::Column::StaffId.eq(staff.0))
        .filter(notifications::Column::ReadAt.is_null());
    if let Some(id) = id {
        update = update.filter(notifications::Column::Id.eq(id));
    }
    Ok(update.exec(db).await?.rows_affected)
}
