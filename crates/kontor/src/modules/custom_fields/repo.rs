//! Queries on `custom_fields` and `custom_field_values`.

use kernel::clock::Clock;
use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    QueryFilter, QueryOrder,
};

use super::model::{CustomField, FieldData, FieldId, FieldType, Values};

pub mod fields {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "custom_fields")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub entity_kind: String,
        pub key: String,
        pub label: String,
        pub field_type: String,
        pub options: String,
        pub required: bool,
        pub show_in_list: bool,
        pub show_on_pdf: bool,
        pub portal_visible: bool,
        pub portal_editable: bool,
        pub admin_only: bool,
        pub sort_order: i32,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod values {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "custom_field_values")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub field_id: i64,
        pub entity_id: i64,
        pub value: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn to_field(m: fields::Model) -> CustomField {
    CustomField {
        id: FieldId(m.id),
        entity_kind: m.entity_kind,
        key: m.key,
        label: m.label,
        field_type: FieldType::parse(&m.field_type).unwrap_or(FieldType::Text),
        options: serde_json::from_str(&m.options).unwrap_or_default(),
        required: m.required,
        show_in_list: m.show_in_list,
        show_on_pdf: m.show_on_pdf,
        portal_visible: m.portal_visible,
        portal_editable: m.portal_editable,
        admin_only: m.admin_only,
        sort_order: m.sort_order,
    }
}

pub async fn all(db: &impl ConnectionTrait) -> Result<Vec<CustomField>, DbErr> {
    Ok(fields::Entity::find()
        .order_by_asc(fields::Column::EntityKind)
        .order_by_asc(fields::Column::SortOrder)
        .order_by_asc(fields::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_field)
        .collect())
}

pub async fn of_kind(db: &impl ConnectionTrait, kind: &str) -> Result<Vec<CustomField>, DbErr> {
    Ok(fields::Entity::find()
        .filter(fields::Column::EntityKind.eq(kind))
        .order_by_asc(fields::Column::SortOrder)
        .order_by_asc(fields::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_field)
        .collect())
}

pub async fn find(db: &impl ConnectionTrait, id: FieldId) -> Result<Option<CustomField>, DbErr> {
    Ok(fields::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(to_field))
}

fn apply(row: &mut fields::ActiveModel, d: &FieldData, now: DateTime<Utc>) {
    row.entity_kind = Set(d.entity_kind.clone());
    row.key = Set(d.key.clone());
    row.label = Set(d.label.clone());
    row.field_type = Set(d.field_type.key().to_string());
    row.options = Set(serde_json::to_string(&d.options).unwrap_or_else(|_| "[]".into()));
    row.required = Set(d.flags[0]);
    row.show_in_list = Set(d.flags[1]);
    row.show_on_pdf = Set(d.flags[2]);
    row.portal_visible = Set(d.flags[3]);
    row.portal_editable = Set(d.flags[4]);
    row.admin_only = Set(d.flags[5]);
    row.sort_order = Set(d.sort_order);
    row.updated_at = Set(now);
}

pub async fn insert(
    db: &impl ConnectionTrait,
    d: &FieldData,
    now: DateTime<Utc>,
) -> Result<FieldId, DbErr> {
    let mut row = fields::ActiveModel {
        created_at: Set(now),
        ..Default::default()
    };
    apply(&mut row, d, now);
    Ok(FieldId(row.insert(db).await?.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: FieldId,
    d: &FieldData,
    clock: &Clock,
) -> Result<(), DbErr> {
    let mut row = fields::ActiveModel {
        id: Set(id.0),
        ..Default::default()
    };
    apply(&mut row, d, clock.now());
    row.update(db).await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: FieldId) -> Result<(), DbErr> {
    values::Entity::delete_many()
        .filter(values::Column::FieldId.eq(id.0))
        .exec(db)
        .await?;
    fields::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

/// Values of the given records for the given fields: entity id -> key -> value.
pub async fn values_of(
    db: &impl ConnectionTrait,
    defs: &[CustomField],
    entity_ids: &[i64],
) -> Result<HashMap<i64, Values>, DbErr> {
    let mut out: HashMap<i64, Values> = HashMap::new();
    if defs.is_empty() || entity_ids.is_empty() {
        return Ok(out);
    }
    let keys: HashMap<i64, &str> = defs.iter().map(|d| (d.id.0, d.key.as_str())).collect();
    // Bound parameters are limited per statement; exports ask for many records.
    for chunk in entity_ids.chunks(1000) {
        let rows = values::Entity::find()
            .filter(values::Column::FieldId.is_in(keys.keys().copied()))
            .filter(values::Column::EntityId.is_in(chunk.iter().copied()))
            .all(db)
            .await?;
        for r in rows {
            if let Some(key) = keys.get(&r.field_id) {
                out.entry(r.entity_id)
                    .or_default()
                    .insert(key.to_string(), r.value);
            }
        }
    }
    Ok(out)
}

/// Replaces the record's values of these fields.
pub async fn save(
    db: &impl ConnectionTrait,
    defs: &[CustomField],
    entity_id: i64,
    v: &Values,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if defs.is_empty() {
        return Ok(());
    }
    values::Entity::delete_many()
        .filter(values::Column::FieldId.is_in(defs.iter().map(|d| d.id.0)))
        .filter(values::Column::EntityId.eq(entity_id))
        .exec(db)
        .await?;
    let rows: Vec<values::ActiveModel> = defs
        .iter()
        .filter_map(|d| v.get(&d.key).map(|value| (d, value)))
        .map(|(d, value)| values::ActiveModel {
            field_id: Set(d.id.0),
            entity_id: Set(entity_id),
            value: Set(value.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        })
        .collect();
    if !rows.is_empty() {
        values::Entity::insert_many(rows).exec(db).await?;
    }
    Ok(())
}

pub async fn values_of_field(db: &impl ConnectionTrait, id: FieldId) -> Result<u64, DbErr> {
    use sea_orm::PaginatorTrait;
    values::Entity::find()
        .filter(values::Column::FieldId.eq(id.0))
        .count(db)
        .await
}
