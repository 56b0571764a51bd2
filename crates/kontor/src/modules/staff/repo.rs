//! Queries on `staff`, `roles` and `api_tokens`.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use super::model::{Role, RoleId, StaffData, StaffId, StaffMember};
use crate::policy::Permissions;

pub mod staff {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "staff")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub email: String,
        pub first_name: String,
        pub last_name: String,
        pub password_hash: String,
        pub role_id: Option<i64>,
        pub is_admin: bool,
        pub active: bool,
        pub locale: String,
        pub totp_secret: Option<String>,
        pub totp_enabled: bool,
        pub ical_token: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod roles {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "roles")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub permissions: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod api_tokens {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "api_tokens")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub staff_id: i64,
        pub name: String,
        pub token_hash: String,
        pub last_used_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub fn member(m: &staff::Model) -> StaffMember {
    StaffMember {
        id: StaffId(m.id),
        email: m.email.clone(),
        first_name: m.first_name.clone(),
        last_name: m.last_name.clone(),
        role_id: m.role_id.map(RoleId),
        is_admin: m.is_admin,
        active: m.active,
        locale: kernel::i18n::Locale::parse(&m.locale).unwrap_or_default(),
        totp_enabled: m.totp_enabled,
    }
}

fn role(m: roles::Model) -> Role {
    let permissions = Permissions::stored(&m.permissions);
    Role {
        id: RoleId(m.id),
        name: m.name,
        permissions,
    }
}

pub async fn count_staff(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    staff::Entity::find().count(db).await
}

pub async fn find_by_id(
    db: &impl ConnectionTrait,
    id: StaffId,
) -> Result<Option<staff::Model>, sea_orm::DbErr> {
    staff::Entity::find_by_id(id.0).one(db).await
}

pub async fn find_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<staff::Model>, sea_orm::DbErr> {
    staff::Entity::find()
        .filter(staff::Column::Email.eq(email))
        .one(db)
        .await
}

pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<StaffMember>, sea_orm::DbErr> {
    let rows = staff::Entity::find()
        .order_by_asc(staff::Column::FirstName)
        .order_by_asc(staff::Column::LastName)
        .all(db)
        .await?;
    Ok(rows.iter().map(member).collect())
}

/// Locks the active admins' rows until the transaction ends (PostgreSQL),
/// so that two changes that each leave "another" admin cannot both pass
/// and leave none.
pub async fn lock_active_admins(db: &impl ConnectionTrait) -> Result<(), sea_orm::DbErr> {
    staff::Entity::find()
        .select_only()
        .column(staff::Column::Id)
        .filter(staff::Column::IsAdmin.eq(true))
        .filter(staff::Column::Active.eq(true))
        .lock_exclusive()
        .into_tuple::<i64>()
        .all(db)
        .await?;
    Ok(())
}

pub async fn count_active_admins(db: &impl ConnectionTrait) -> Result<u64, sea_orm::DbErr> {
    staff::Entity::find()
        .filter(staff::Column::IsAdmin.eq(true))
        .filter(staff::Column::Active.eq(true))
        .count(db)
        .await
}

pub async fn insert(
    db: &impl ConnectionTrait,
    data: &StaffData,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<StaffId, sea_orm::DbErr> {
    let row = staff::ActiveModel {
        email: Set(data.email.as_str().to_string()),
        first_name: Set(data.first_name.clone()),
        last_name: Set(data.last_name.clone()),
        password_hash: Set(password_hash),
        role_id: Set(data.role_id.map(|r| r.0)),
        is_admin: Set(data.is_admin),
        active: Set(data.active),
        locale: Set(data.locale.code().to_string()),
        totp_secret: Set(None),
        totp_enabled: Set(false),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(StaffId(row.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: StaffId,
    data: &StaffData,
    password_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    let mut row = staff::ActiveModel {
        id: Set(id.0),
        email: Set(data.email.as_str().to_string()),
        first_name: Set(data.first_name.clone()),
        last_name: Set(data.last_name.clone()),
        role_id: Set(data.role_id.map(|r| r.0)),
        is_admin: Set(data.is_admin),
        active: Set(data.active),
        locale: Set(data.locale.code().to_string()),
        updated_at: Set(now),
        ..Default::default()
    };
    if let Some(hash) = password_hash {
        row.password_hash = Set(hash);
    }
    row.update(db).await?;
    Ok(())
}

pub async fn set_password(
    db: &impl ConnectionTrait,
    id: StaffId,
    hash: String,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    staff::ActiveModel {
        id: Set(id.0),
        password_hash: Set(hash),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn set_locale(
    db: &impl ConnectionTrait,
    id: StaffId,
    locale: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    staff::ActiveModel {
        id: Set(id.0),
        locale: Set(locale.to_string()),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn set_totp(
    db: &impl ConnectionTrait,
    id: StaffId,
    secret: Option<String>,
    enabled: bool,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    staff::ActiveModel {
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

pub async fn roles(db: &impl ConnectionTrait) -> Result<Vec<Role>, sea_orm::DbErr> {
    Ok(roles::Entity::find()
        .order_by_asc(roles::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(role)
        .collect())
}

pub async fn find_role(
    db: &impl ConnectionTrait,
    id: RoleId,
) -> Result<Option<Role>, sea_orm::DbErr> {
    Ok(roles::Entity::find_by_id(id.0).one(db).await?.map(role))
}

pub async fn insert_role(
    db: &impl ConnectionTrait,
    name: &str,
    permissions: &Permissions,
    now: DateTime<Utc>,
) -> Result<RoleId, sea_orm::DbErr> {
    let row = roles::ActiveModel {
        name: Set(name.to_string()),
        permissions: Set(serde_json::to_string(permissions).unwrap_or_else(|_| "{}".into())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(RoleId(row.id))
}

pub async fn update_role(
    db: &impl ConnectionTrait,
    id: RoleId,
    name: &str,
    permissions: &Permissions,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    roles::ActiveModel {
        id: Set(id.0),
        name: Set(name.to_string()),
        permissions: Set(serde_json::to_string(permissions).unwrap_or_else(|_| "{}".into())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn role_in_use(db: &impl ConnectionTrait, id: RoleId) -> Result<bool, sea_orm::DbErr> {
    Ok(staff::Entity::find()
        .filter(staff::Column::RoleId.eq(id.0))
        .count(db)
        .await?
        > 0)
}

pub async fn delete_role(db: &impl ConnectionTrait, id: RoleId) -> Result<(), sea_orm::DbErr> {
    roles::Entity::delete_by_id(id.0).exec(db).await?;
    Ok(())
}

pub async fn insert_token(
    db: &impl ConnectionTrait,
    staff_id: StaffId,
    name: &str,
    hash: String,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    api_tokens::ActiveModel {
        staff_id: Set(staff_id.0),
        name: Set(name.to_string()),
        token_hash: Set(hash),
        last_used_at: Set(None),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

pub async fn tokens_of(
    db: &impl ConnectionTrait,
    staff_id: StaffId,
) -> Result<Vec<api_tokens::Model>, sea_orm::DbErr> {
    api_tokens::Entity::find()
        .filter(api_tokens::Column::StaffId.eq(staff_id.0))
        .order_by_desc(api_tokens::Column::Id)
        .all(db)
        .await
}

pub async fn delete_token(
    db: &impl ConnectionTrait,
    staff_id: StaffId,
    id: i64,
) -> Result<u64, sea_orm::DbErr> {
    Ok(api_tokens::Entity::delete_many()
        .filter(api_tokens::Column::Id.eq(id))
        .filter(api_tokens::Column::StaffId.eq(staff_id.0))
        .exec(db)
        .await?
        .rows_affected)
}

/// A signed-in staff member with the role's grid, read in one query.
#[derive(Debug, sea_orm::FromQueryResult)]
pub struct IdentityRow {
    pub session_id: Option<i64>,
    pub totp_pending: bool,
    pub id: i64,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub is_admin: bool,
    pub locale: String,
    pub permissions: Option<String>,
    pub unread: i64,
}

const IDENTITY_COLUMNS: &str = "st.id, st.email, st.first_name, st.last_name, st.is_admin, st.locale, r.permissions, \
    CAST((SELECT COUNT(*) FROM notifications n WHERE n.staff_id = st.id AND n.read_at IS NULL) AS BIGINT) AS unread \
    FROM staff st LEFT JOIN roles r ON r.id = st.role_id";

/// The active staff member owning a live session (by token hash).
pub async fn identity_by_session(
    db: &impl ConnectionTrait,
    token_hash: &str,
    now: DateTime<Utc>,
) -> Result<Option<IdentityRow>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let text = format!(
        "SELECT s.id AS session_id, s.totp_pending, {IDENTITY_COLUMNS} JOIN sessions s ON s.principal_id = st.id \
         WHERE s.token_hash = $1 AND s.principal_kind = $2 AND s.expires_at > $3 AND st.active = $4"
    );
    IdentityRow::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, &text),
        [token_hash.into(), "staff".into(), now.into(), true.into()],
    ))
    .one(db)
    .await
}

/// The active staff member owning an API token (by token hash).
pub async fn identity_by_token(
    db: &impl ConnectionTrait,
    token_hash: &str,
) -> Result<Option<IdentityRow>, sea_orm::DbErr> {
    let backend = db.get_database_backend();
    let text = format!(
        "SELECT CAST(NULL AS BIGINT) AS session_id, {} AS totp_pending, {IDENTITY_COLUMNS} JOIN api_tokens t ON t.staff_id = st.id \
         WHERE t.token_hash = $1 AND st.active = $2",
        if backend == sea_orm::DbBackend::Postgres {
            "FALSE"
        } else {
            "0"
        }
    );
    IdentityRow::find_by_statement(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, &text),
        [token_hash.into(), true.into()],
    ))
    .one(db)
    .await
}

pub async fn set_ical_token(
    db: &impl ConnectionTrait,
    id: StaffId,
    token: &str,
    now: DateTime<Utc>,
) -> Result<(), sea_orm::DbErr> {
    staff::ActiveModel {
        id: Set(id.0),
        ical_token: Set(Some(token.to_string())),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn find_by_ical_token(
    db: &impl ConnectionTrait,
    token: &str,
) -> Result<Option<staff::Model>, sea_orm::DbErr> {
    staff::Entity::find()
        .filter(staff::Column::IcalToken.eq(token))
        .filter(staff::Column::Active.eq(true))
        .one(db)
        .await
}

/// Takes the row's write lock for the rest of the transaction (a no-op
/// update), so requests about one account take turns on both databases.
pub async fn lock(db: &impl ConnectionTrait, id: StaffId) -> Result<(), sea_orm::DbErr> {
    let backend = db.get_database_backend();
    db.execute_raw(sea_orm::Statement::from_sql_and_values(
        backend,
        kernel::db::sql(backend, "UPDATE staff SET id = id WHERE id = $1"),
        [id.0.into()],
    ))
    .await?;
    Ok(())
}
