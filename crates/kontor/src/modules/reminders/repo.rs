//! Queries on `reminders`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    FromQueryResult, QueryFilter, QueryOrder, QuerySelect,
};

use kernel::jobs::Queue;

use super::model::{Reminder, ReminderData, ReminderId};
use crate::{
    common::entity_ref::EntityRef,
    modules::{customers::model::CustomerId, staff::model::StaffId},
};

pub mod reminders {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "reminders")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entity_kind: String,
        pub entity_id: i64,
        pub customer_id: Option<i64>,
        pub remind_at: DateTimeUtc,
        pub description: String,
        pub staff_id: i64,
        pub notify_by_email: bool,
        pub notified: bool,
        pub notified_at: Option<DateTimeUtc>,
        pub claimed_until: Option<DateTimeUtc>,
        pub created_by: i64,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn to_reminder(m: reminders::Model) -> Reminder {
    Reminder {
        id: ReminderId(m.id),
        customer_id: m.customer_id.map(CustomerId),
        entity_kind: m.entity_kind,
        entity_id: m.entity_id,
        remind_at: m.remind_at,
        description: m.description,
        staff_id: StaffId(m.staff_id),
        notify_by_email: m.notify_by_email,
        notified: m.notified,
        created_by: StaffId(m.created_by),
    }
}

pub async fn of(db: &impl ConnectionTrait, entity: EntityRef) -> Result<Vec<Reminder>, DbErr> {
    Ok(reminders::Entity::find()
        .filter(reminders::Column::EntityKind.eq(entity.kind))
        .filter(reminders::Column::EntityId.eq(entity.id))
        .order_by_asc(reminders::Column::RemindAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_reminder)
        .collect())
}

/// The customer's reminders, on it or on its records, soonest first.
pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<Vec<Reminder>, DbErr> {
    Ok(reminders::Entity::find()
        .filter(reminders::Column::CustomerId.eq(customer.0))
        .order_by_asc(reminders::Column::RemindAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_reminder)
        .collect())
}

pub async fn of_staff(db: &impl ConnectionTrait, staff: StaffId) -> Result<Vec<Reminder>, DbErr> {
    Ok(reminders::Entity::find()
        .filter(reminders::Column::StaffId.eq(staff.0))
        .order_by_asc(reminders::Column::RemindAt)
        .all(db)
        .await?
        .into_iter()
        .map(to_reminder)
        .collect())
}

/// The staff member's reminders from `from` on, the soonest first; at
/// most `limit`.
pub async fn upcoming_of_staff(
    db: &impl ConnectionTrait,
    staff: StaffId,
    from: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Reminder>, DbErr> {
    Ok(reminders::Entity::find()
        .filter(reminders::Column::StaffId.eq(staff.0))
        .filter(reminders::Column::RemindAt.gte(from))
        .order_by_asc(reminders::Column::RemindAt)
        .limit(limit)
        .all(db)
        .await?
        .into_iter()
        .map(to_reminder)
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: ReminderId) -> Result<Option<Reminder>, DbErr> {
    Ok(reminders::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(to_reminder))
}

fn active(
    entity: EntityRef,
    customer: Option<CustomerId>,
    d: &ReminderData,
    by: StaffId,
    now: DateTime<Utc>,
) -> reminders::ActiveModel {
    reminders::ActiveModel {
        entity_kind: Set(entity.kind.to_string()),
        entity_id: Set(entity.id),
        customer_id: Set(customer.map(|c| c.0)),
        remind_at: Set(d.remind_at),
        description: Set(d.description.clone()),
        staff_id: Set(d.staff_id.0),
        notify_by_email: Set(d.notify_by_email),
        notified: Set(false),
        notified_at: Set(None),
        claimed_until: Set(None),
        created_by: Set(by.0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
}

pub async fn insert(
    db: &impl ConnectionTrait,
    entity: EntityRef,
    customer: Option<CustomerId>,
    d: &ReminderData,
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<ReminderId, DbErr> {
    let row = active(entity, customer, d, by, now).insert(db).await?;
    Ok(ReminderId(row.id))
}

/// Saves changes; a reminder moved to another time notifies again.
pub async fn update(
    db: &impl ConnectionTrait,
    id: ReminderId,
    d: &ReminderData,
    moved: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut row = reminders::ActiveModel {
        id: Set(id.0),
        remind_at: Set(d.remind_at),
        description: Set(d.description.clone()),
        staff_id: Set(d.staff_id.0),
        notify_by_email: Set(d.notify_by_email),
        updated_at: Set(now),
        ..Default::default()
    };
    if moved {
        row.notified = Set(false);
        row.notified_at = Set(None);
    }
    row.update(db).await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: ReminderId) -> Result<(), DbErr> {
    reminders::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

#[derive(Debug, FromQueryResult)]
pub struct Due {
    pub id: i64,
}

/// Reminders due and not yet notified, earliest first, claimed by one
/// worker at a time for five minutes.
pub const DUE: Queue = Queue {
    table: "reminders",
    lease: "claimed_until",
    lease_seconds: 300,
    due: "notified = $3 AND remind_at <= $2",
    order: "remind_at",
    also: "",
    returning: "id",
};

/// Claims due reminders (see [`DUE`]).
pub async fn claim_due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<i64>, DbErr> {
    let rows: Vec<Due> = DUE.claim(db, now, vec![false.into()], limit).await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

/// Marks a claimed reminder notified; false when another worker already did.
pub async fn mark_notified(
    db: &impl ConnectionTrait,
    id: i64,
    now: DateTime<Utc>,
) -> Result<bool, DbErr> {
    Ok(reminders::Entity::update_many()
        .col_expr(
            reminders::Column::Notified,
            sea_orm::sea_query::Expr::value(true),
        )
        .col_expr(
            reminders::Column::NotifiedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .filter(reminders::Column::Id.eq(id))
        .filter(reminders::Column::Notified.eq(false))
        .exec(db)
        .await?
        .rows_affected
        == 1)
}

/// Inserts many reminders on customers at once (demo data and benchmarks).
pub async fn insert_many(
    db: &impl ConnectionTrait,
    rows: &[(CustomerId, ReminderData)],
    by: StaffId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    reminders::Entity::insert_many(rows.iter().map(|(customer, d)| {
        active(
            EntityRef::new("customer", customer.0),
            Some(*customer),
            d,
            by,
            now,
        )
    }))
    .exec(db)
    .await?;
    Ok(())
}
