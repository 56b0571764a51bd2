//! Queries on `contacts`.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, sea_query::Expr,
};

use super::model::{Contact, ContactData, ContactId};
use crate::modules::customers::model::CustomerId;

pub mod contacts {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "contacts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub customer_id: i64,
        pub first_name: String,
        pub last_name: String,
        pub email: String,
        pub phone: String,
        pub position: String,
        pub is_primary: bool,
        pub active: bool,
        pub permissions: String,
        pub notifications: String,
        pub password_hash: Option<String>,
        pub locale: String,
        pub invited_at: Option<DateTimeUtc>,
        pub totp_secret: Option<String>,
        pub totp_enabled: bool,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn split(list: &str) -> Vec<String> {
    list.split(',')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

fn to_contact(m: contacts::Model) -> Contact {
    Contact {
        id: ContactId(m.id),
        customer_id: CustomerId(m.customer_id),
        first_name: m.first_name,
        last_name: m.last_name,
        email: m.email,
        phone: m.phone,
        position: m.position,
        is_primary: m.is_primary,
        active: m.active,
        permissions: split(&m.permissions),
        notifications: split(&m.notifications),
        has_password: m.password_hash.is_some(),
        invited_at: m.invited_at,
        custom_fields: Default::default(),
        created_at: m.created_at,
    }
}

/// The contacts of several customers, by customer and name.
pub async fn of_customers(
    db: &impl ConnectionTrait,
    customers: &[i64],
) -> Result<Vec<Contact>, DbErr> {
    Ok(contacts::Entity::find()
        .filter(contacts::Column::CustomerId.is_in(customers.iter().copied()))
        .order_by_asc(contacts::Column::CustomerId)
        .order_by_asc(contacts::Column::LastName)
        .order_by_asc(contacts::Column::Id)
        .all(db)
        .await?
        .into_iter()
        .map(to_contact)
        .collect())
}

pub async fn of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<Vec<Contact>, DbErr> {
    of_customers(db, &[customer.0]).await
}

pub async fn find(db: &impl ConnectionTrait, id: ContactId) -> Result<Option<Contact>, DbErr> {
    Ok(contacts::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(to_contact))
}

pub async fn count_of(db: &impl ConnectionTrait, customer: CustomerId) -> Result<u64, DbErr> {
    contacts::Entity::find()
        .filter(contacts::Column::CustomerId.eq(customer.0))
        .count(db)
        .await
}

pub async fn primary_of(
    db: &impl ConnectionTrait,
    customers: &[CustomerId],
) -> Result<HashMap<i64, (String, String)>, DbErr> {
    if customers.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(contacts::Entity::find()
        .filter(contacts::Column::CustomerId.is_in(customers.iter().map(|c| c.0)))
        .filter(contacts::Column::IsPrimary.eq(true))
        .all(db)
        .await?
        .into_iter()
        .map(|m| {
            (
                m.customer_id,
                (
                    format!("{} {}", m.first_name, m.last_name)
                        .trim()
                        .to_string(),
                    m.email,
                ),
            )
        })
        .collect())
}

pub async fn insert(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    d: &ContactData,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<ContactId, DbErr> {
    let row = contacts::ActiveModel {
        customer_id: Set(customer.0),
        first_name: Set(d.first_name.clone()),
        last_name: Set(d.last_name.clone()),
        email: Set(d.email.clone()),
        phone: Set(d.phone.clone()),
        position: Set(d.position.clone()),
        is_primary: Set(d.is_primary),
        active: Set(d.active),
        permissions: Set(d.permissions.join(",")),
        notifications: Set(d.notifications.join(",")),
        password_hash: Set(password_hash),
        locale: Set("de".into()),
        invited_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(ContactId(row.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: ContactId,
    d: &ContactData,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    let mut row = contacts::ActiveModel {
        id: Set(id.0),
        first_name: Set(d.first_name.clone()),
        last_name: Set(d.last_name.clone()),
        email: Set(d.email.clone()),
        phone: Set(d.phone.clone()),
        position: Set(d.position.clone()),
        is_primary: Set(d.is_primary),
        active: Set(d.active),
        permissions: Set(d.permissions.join(",")),
        notifications: Set(d.notifications.join(",")),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(hash) = password_hash {
        row.password_hash = Set(Some(hash));
    }
    row.update(db).await?;
    Ok(())
}

pub async fn set_invited(
    db: &impl ConnectionTrait,
    id: ContactId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contacts::ActiveModel {
        id: Set(id.0),
        invited_at: Set(Some(now)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn set_password(
    db: &impl ConnectionTrait,
    id: ContactId,
    hash: String,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contacts::ActiveModel {
        id: Set(id.0),
        password_hash: Set(Some(hash)),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn delete_of_customer(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<(), DbErr> {
    contacts::Entity::delete_many()
        .filter(contacts::Column::CustomerId.eq(customer.0))
        .exec(db)
        .await?;
    Ok(())
}

/// Clears the primary flag on every contact of the customer except `keep`.
pub async fn clear_primary(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    keep: ContactId,
) -> Result<(), DbErr> {
    contacts::Entity::update_many()
        .col_expr(contacts::Column::IsPrimary, Expr::value(false))
        .filter(contacts::Column::CustomerId.eq(customer.0))
        .filter(contacts::Column::Id.ne(keep.0))
        .exec(db)
        .await?;
    Ok(())
}

pub async fn set_primary(
    db: &impl ConnectionTrait,
    id: ContactId,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contacts::ActiveModel {
        id: Set(id.0),
        is_primary: Set(true),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn delete(db: &impl ConnectionTrait, id: ContactId) -> Result<(), DbErr> {
    contacts::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

/// Names and emails, lower-cased, for the customer search text.
pub async fn search_terms(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> Result<Vec<String>, DbErr> {
    Ok(contacts::Entity::find()
        .filter(contacts::Column::CustomerId.eq(customer.0))
        .all(db)
        .await?
        .into_iter()
        .flat_map(|m| [format!("{} {}", m.first_name, m.last_name), m.email])
        .collect())
}

/// Inserts many contacts in one statement (seeding).
pub async fn insert_many(
    db: &impl ConnectionTrait,
    rows: &[(CustomerId, ContactData)],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    if rows.is_empty() {
        return Ok(());
    }
    contacts::Entity::insert_many(rows.iter().map(|(customer, d)| contacts::ActiveModel {
        customer_id: Set(customer.0),
        first_name: Set(d.first_name.clone()),
        last_name: Set(d.last_name.clone()),
        email: Set(d.email.clone()),
        phone: Set(d.phone.clone()),
        position: Set(d.position.clone()),
        is_primary: Set(d.is_primary),
        active: Set(d.active),
        permissions: Set(d.permissions.join(",")),
        notifications: Set(d.notifications.join(",")),
        password_hash: Set(None),
        locale: Set("de".into()),
        invited_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }))
    .exec(db)
    .await?;
    Ok(())
}

/// Login data of a contact.
pub struct Credentials {
    pub id: ContactId,
    pub password_hash: Option<String>,
    pub active: bool,
    pub email: String,
    pub totp_secret: Option<String>,
    pub totp_enabled: bool,
}

fn credentials_of(m: contacts::Model) -> Credentials {
    Credentials {
        id: ContactId(m.id),
        password_hash: m.password_hash,
        active: m.active,
        email: m.email,
        totp_secret: m.totp_secret,
        totp_enabled: m.totp_enabled,
    }
}

pub async fn credentials(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<Credentials>, DbErr> {
    Ok(contacts::Entity::find()
        .filter(contacts::Column::Email.eq(email))
        .one(db)
        .await?
        .map(credentials_of))
}

pub async fn credentials_by_id(
    db: &impl ConnectionTrait,
    id: ContactId,
) -> Result<Option<Credentials>, DbErr> {
    Ok(contacts::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(credentials_of))
}

pub async fn set_totp(
    db: &impl ConnectionTrait,
    id: ContactId,
    secret: Option<String>,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contacts::ActiveModel {
        id: Set(id.0),
        totp_secret: Set(secret),
        totp_enabled: Set(enabled),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn password_hash(
    db: &impl ConnectionTrait,
    id: ContactId,
) -> Result<Option<String>, DbErr> {
    Ok(contacts::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .and_then(|m| m.password_hash))
}

pub async fn locale(db: &impl ConnectionTrait, id: ContactId) -> Result<Option<String>, DbErr> {
    Ok(contacts::Entity::find_by_id(id.0)
        .one(db)
        .await?
        .map(|m| m.locale))
}

pub async fn set_locale(
    db: &impl ConnectionTrait,
    id: ContactId,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    contacts::ActiveModel {
        id: Set(id.0),
        locale: Set(locale.to_string()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

/// Takes the row's write lock for the rest of the transaction (a no-op
/// update), so requests about one account take turns on both databases.
pub async fn lock(db: &impl ConnectionTrait, id: ContactId) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, "UPDATE contacts SET id = id WHERE id = $1"),
        [id.0.into()],
    ))
    .await?;
    Ok(())
}
