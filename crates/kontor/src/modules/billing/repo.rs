//! Queries on `tax_rates` and `payment_modes`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::model::{PaymentMode, PaymentModeId, TaxRate, TaxRateId};

pub mod tax_rates {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "tax_rates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub rate_bp: i32,
        pub active: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod payment_modes {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "payment_modes")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub mode_key: String,
        pub description: String,
        pub active: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub async fn tax_rates(db: &impl ConnectionTrait) -> Result<Vec<TaxRate>, DbErr> {
    Ok(tax_rates::Entity::find()
        .order_by_desc(tax_rates::Column::RateBp)
        .all(db)
        .await?
        .into_iter()
        .map(|m| TaxRate {
            id: TaxRateId(m.id),
            name: m.name,
            rate_bp: m.rate_bp,
            active: m.active,
        })
        .collect())
}

pub async fn insert_tax_rate(
    db: &impl ConnectionTrait,
    name: &str,
    rate_bp: i32,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    tax_rates::ActiveModel {
        name: Set(name.to_string()),
        rate_bp: Set(rate_bp),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn set_tax_rate_active(
    db: &impl ConnectionTrait,
    id: TaxRateId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(tax_rates::Entity::update_many()
        .col_expr(tax_rates::Column::Active, active.into())
        .col_expr(tax_rates::Column::UpdatedAt, now.into())
        .filter(tax_rates::Column::Id.eq(id.0))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn payment_modes(db: &impl ConnectionTrait) -> Result<Vec<PaymentMode>, DbErr> {
    Ok(payment_modes::Entity::find()
        .order_by_asc(payment_modes::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|m| PaymentMode {
            id: PaymentModeId(m.id),
            name: m.name,
            key: m.mode_key,
            description: m.description,
            active: m.active,
        })
        .collect())
}

pub async fn insert_payment_mode(
    db: &impl ConnectionTrait,
    name: &str,
    key: &str,
    description: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    payment_modes::ActiveModel {
        name: Set(name.to_string()),
        mode_key: Set(key.to_string()),
        description: Set(description.to_string()),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn set_payment_mode_active(
    db: &impl ConnectionTrait,
    id: PaymentModeId,
    active: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    Ok(payment_modes::Entity::update_many()
        .col_expr(payment_modes::Column::Active, active.into())
        .col_expr(payment_modes::Column::UpdatedAt, now.into())
        .filter(payment_modes::Column::Id.eq(id.0))
        .exec(db)
        .await?
        .rows_affected)
}
