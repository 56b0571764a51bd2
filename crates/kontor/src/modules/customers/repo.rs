//! Queries on `customers` and `customer_admins`, and the entities of the
//! customer tables (group queries are in `group_repo`, the customers
//! opened last in `recent`). Every read takes the actor's [`CustomerScope`].

use chrono::{DateTime, Utc};
use kernel::clock::Clock;
use kernel::{
    db::like_pattern,
    web::{ListQuery, Page},
};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::Set,
    ColumnTrait, Condition, ConnectionTrait, DbBackend, DbErr, EntityTrait, FromQueryResult,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Statement, Value,
    sea_query::{Alias, Expr, ExprTrait, LikeExpr, Query, SimpleExpr},
};

use super::model::{Address, Customer, CustomerData, CustomerFilter, CustomerId};
use crate::{modules::staff::model::StaffId, policy::CustomerScope};

pub mod customers {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customers")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub number: Option<String>,
        pub company: String,
        pub company_lower: String,
        pub vat_id: String,
        pub phone: String,
        pub website: String,
        pub currency: String,
        pub language: String,
        pub active: bool,
        pub street: String,
        pub zip: String,
        pub city: String,
        pub state: String,
        pub country: String,
        pub billing_street: String,
        pub billing_zip: String,
        pub billing_city: String,
        pub billing_state: String,
        pub billing_country: String,
        pub shipping_street: String,
        pub shipping_zip: String,
        pub shipping_city: String,
        pub shipping_state: String,
        pub shipping_country: String,
        pub shipping_same_as_billing: bool,
        pub latitude: Option<f64>,
        pub longitude: Option<f64>,
        pub search_text: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod groups {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_groups")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i64,
        pub name: String,
        pub created_at: DateTimeUtc,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod members {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_group_members")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub group_id: i64,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

pub mod admins {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
    #[sea_orm(table_name = "customer_admins")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub customer_id: i64,
        #[sea_orm(primary_key, auto_increment = false)]
        pub staff_id: i64,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

fn scope_condition(scope: CustomerScope) -> Condition {
    match scope {
        CustomerScope::All => Condition::all(),
        CustomerScope::Administered(staff) => Condition::all().add(
            customers::Column::Id.in_subquery(
                Query::select()
                    .column(admins::Column::CustomerId)
                    .from(admins::Entity)
                    .and_where(admins::Column::StaffId.eq(staff.0))
                    .to_owned(),
            ),
        ),
    }
}

pub async fn find(
    db: &impl ConnectionTrait,
    scope: CustomerScope,
    id: CustomerId,
) -> Result<Option<customers::Model>, DbErr> {
    customers::Entity::find_by_id(id.0)
        .filter(scope_condition(scope))
        .one(db)
        .await
}

pub async fn load(
    db: &impl ConnectionTrait,
    scope: CustomerScope,
    id: CustomerId,
) -> Result<Option<Customer>, DbErr> {
    let Some(m) = find(db, scope, id).await? else {
        return Ok(None);
    };
    let group_names = group_names_of(db, id).await?;
    let admin_ids = admins::Entity::find()
        .filter(admins::Column::CustomerId.eq(id.0))
        .order_by_asc(admins::Column::StaffId)
        .all(db)
        .await?
        .into_iter()
        .map(|a| StaffId(a.staff_id))
        .collect();
    Ok(Some(to_customer(m, group_names, admin_ids)))
}

async fn group_names_of(db: &impl ConnectionTrait, id: CustomerId) -> Result<Vec<String>, DbErr> {
    let ids: Vec<i64> = members::Entity::find()
        .filter(members::Column::CustomerId.eq(id.0))
        .all(db)
        .await?
        .into_iter()
        .map(|m| m.group_id)
        .collect();
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    Ok(groups::Entity::find()
        .filter(groups::Column::Id.is_in(ids))
        .order_by_asc(groups::Column::Name)
        .all(db)
        .await?
        .into_iter()
        .map(|g| g.name)
        .collect())
}

fn to_customer(m: customers::Model, groups: Vec<String>, admin_ids: Vec<StaffId>) -> Customer {
    Customer {
        id: CustomerId(m.id),
        number: m.number.unwrap_or_default(),
        company: m.company,
        vat_id: m.vat_id,
        phone: m.phone,
        website: m.website,
        currency: m.currency,
        language: kernel::i18n::Locale::parse(&m.language).unwrap_or_default(),
        active: m.active,
        groups,
        address: Address {
            street: m.street,
            zip: m.zip,
            city: m.city,
            state: m.state,
            country: m.country,
        },
        billing: Address {
            street: m.billing_street,
            zip: m.billing_zip,
            city: m.billing_city,
            state: m.billing_state,
            country: m.billing_country,
        },
        shipping: Address {
            street: m.shipping_street,
            zip: m.shipping_zip,
            city: m.shipping_city,
            state: m.shipping_state,
            country: m.shipping_country,
        },
        shipping_same_as_billing: m.shipping_same_as_billing,
        latitude: m.latitude,
        longitude: m.longitude,
        admin_ids,
        custom_fields: Default::default(),
        created_at: m.created_at,
        updated_at: m.updated_at,
    }
}

/// The term as an FTS5 phrase, where the trigram table answers it
/// (SQLite, three or more characters).
fn fts_phrase(backend: DbBackend, q: &str) -> Option<String> {
    (backend == DbBackend::Sqlite && q.chars().count() >= 3)
        .then(|| format!("\"{}\"", q.to_lowercase().replace('"', "\"\"")))
}

/// Matches above which the trigram index drives a newest-first page.
const BROAD: u64 = 100;

/// The sort key of "newest first", the order of a search list.
pub const NEWEST: &str = "newest";

/// Substring search in `search_text`. On SQLite a trigram full-text table
/// answers terms of three or more characters (as an exact phrase, so the
/// term is matched literally); shorter terms scan with LIKE. PostgreSQL's
/// trigram index serves LIKE directly.
fn search_condition(backend: DbBackend, q: &str) -> SimpleExpr {
    let q = q.to_lowercase();
    if let Some(phrase) = fts_phrase(backend, &q) {
        return Expr::cust_with_values(
            "\"customers\".\"id\" IN (SELECT rowid FROM customer_search WHERE customer_search MATCH ?)",
            [phrase],
        );
    }
    Expr::col((customers::Entity, customers::Column::SearchText))
        .like(LikeExpr::new(like_pattern(&q)).escape('\\'))
}

fn list_condition(
    backend: DbBackend,
    scope: CustomerScope,
    query: &ListQuery,
    filter: &CustomerFilter,
) -> Condition {
    let mut cond = scope_condition(scope);
    if let Some(q) = query.search() {
        cond = cond.add(search_condition(backend, q));
    }
    match filter.status.as_deref() {
        Some("active") => cond = cond.add(customers::Column::Active.eq(true)),
        Some("inactive") => cond = cond.add(customers::Column::Active.eq(false)),
        _ => {}
    }
    if let Some(group) = filter.group {
        cond = cond.add(
            customers::Column::Id.in_subquery(
                Query::select()
                    .column(members::Column::CustomerId)
                    .from(members::Entity)
                    .and_where(members::Column::GroupId.eq(group))
                    .to_owned(),
            ),
        );
    }
    cond
}

/// A page of the list. With `count_up_to` the total is counted only that
/// far (a search list says "1,000+" rather than read every match).
pub async fn list(
    db: &impl ConnectionTrait,
    scope: CustomerScope,
    query: &ListQuery,
    filter: &CustomerFilter,
    count_up_to: Option<u64>,
) -> Result<Page<customers::Model>, DbErr> {
    let backend = db.get_database_backend();
    let cond = list_condition(backend, scope, query, filter);
    let order = if query.descending() {
        sea_orm::Order::Desc
    } else {
        sea_orm::Order::Asc
    };
    let (column, order) = match query.sort.as_deref() {
        Some("number") => (customers::Column::Number, order),
        Some("city") => (customers::Column::City, order),
        Some("created") => (customers::Column::CreatedAt, order),
        // Without a term; with one, `broad` below picks how to go newest first.
        Some(NEWEST) => (customers::Column::Id, sea_orm::Order::Desc),
        _ => (customers::Column::CompanyLower, order),
    };
    let phrase = query.search().and_then(|q| fts_phrase(backend, q));
    let only_search =
        matches!(scope, CustomerScope::All) && filter.status.is_none() && filter.group.is_none();
    // With nothing but the term, the trigram table alone counts (SQLite).
    let fts_total = match phrase.as_ref().filter(|_| only_search) {
        Some(phrase) => Some(fts_count(db, phrase, count_up_to).await?),
        None => None,
    };
    // Newest first. A broad term's matches are dense among the newest
    // customers: walking from the newest (on SQLite the trigram index hands
    // its matches over in that order) stops after the rows the page needs.
    // A narrow term's few matches are fetched and sorted instead; walking
    // would read every customer to find them.
    let newest = query.search().is_some() && query.sort.as_deref() == Some(NEWEST);
    let capped_count = |cap: u64| {
        customers::Entity::find()
            .select_only()
            .column(customers::Column::Id)
            .filter(cond.clone())
            .limit(cap)
            .count(db)
    };
    // The list counts to its cap anyway; counted first, the count also
    // tells a broad term from a narrow one.
    let known_total = match (fts_total, count_up_to) {
        (Some(n), _) => Some(n),
        (None, Some(cap)) if newest => Some(capped_count(cap).await?),
        _ => None,
    };
    let broad = if newest {
        let hits = match (known_total, &phrase) {
            (Some(n), _) => n,
            (None, Some(phrase)) => fts_count(db, phrase, Some(BROAD + 1)).await?,
            (None, None) => capped_count(BROAD + 1).await?,
        };
        Some(hits > BROAD)
    } else {
        None
    };
    let mut page = customers::Entity::find();
    match (broad, &phrase) {
        (Some(true), Some(phrase)) => {
            page = page.filter(list_condition(
                backend,
                scope,
                &ListQuery {
                    q: None,
                    ..query.clone()
                },
                filter,
            ));
            QuerySelect::query(&mut page)
                .inner_join(
                    Alias::new("customer_search"),
                    Expr::cust("customer_search.rowid = customers.id"),
                )
                .and_where(Expr::cust_with_values(
                    "customer_search MATCH ?",
                    [phrase.clone()],
                ));
            page = page.order_by(Expr::cust("customer_search.rowid"), sea_orm::Order::Desc);
        }
        (Some(false), _) => {
            // "+ 0" keeps PostgreSQL from walking the primary key.
            page = page
                .filter(cond.clone())
                .order_by(Expr::cust("customers.id + 0"), sea_orm::Order::Desc);
        }
        _ => {
            page = page
                .filter(cond.clone())
                .order_by(column, order.clone())
                .order_by(customers::Column::Id, order);
        }
    }
    let data = page.offset(query.offset()).limit(query.per_page()).all(db);
    let total = async {
        if let Some(n) = known_total {
            return Ok(n);
        }
        let mut counted = customers::Entity::find()
            .select_only()
            .column(customers::Column::Id)
            .filter(cond);
        if let Some(cap) = count_up_to {
            counted = counted.limit(cap);
        }
        counted.count(db).await
    };
    // Two connections of the pool work on the count and the page at once.
    let (total, data) = futures::try_join!(total, data)?;
    Ok(Page {
        data,
        page: query.page(),
        per_page: query.per_page(),
        total,
    })
}

#[derive(FromQueryResult)]
struct Counted {
    n: i64,
}

/// The customers matching the FTS phrase, counted up to `cap`.
async fn fts_count(
    db: &impl ConnectionTrait,
    phrase: &str,
    cap: Option<u64>,
) -> Result<u64, DbErr> {
    let limit = cap.map_or(-1, |c| i64::try_from(c).unwrap_or(i64::MAX));
    let found = Counted::find_by_statement(Statement::from_sql_and_values(
        DbBackend::Sqlite,
        "SELECT COUNT(*) AS n FROM (SELECT rowid FROM customer_search \
         WHERE customer_search MATCH ?1 LIMIT ?2)",
        [phrase.into(), limit.into()],
    ))
    .one(db)
    .await?;
    Ok(found.map_or(0, |c| u64::try_from(c.n).unwrap_or(0)))
}

/// Every customer matching the list filters, for the CSV export.
pub async fn all_matching(
    db: &impl ConnectionTrait,
    scope: CustomerScope,
    query: &ListQuery,
    filter: &CustomerFilter,
) -> Result<Vec<Customer>, DbErr> {
    let rows = customers::Entity::find()
        .filter(list_condition(
            db.get_database_backend(),
            scope,
            query,
            filter,
        ))
        .order_by_asc(customers::Column::CompanyLower)
        .order_by_asc(customers::Column::Id)
        .all(db)
        .await?;
    // Memberships for all rows at once; an export may hold every customer.
    let names: std::collections::HashMap<i64, String> = groups::Entity::find()
        .all(db)
        .await?
        .into_iter()
        .map(|g| (g.id, g.name))
        .collect();
    let mut by_customer: std::collections::HashMap<i64, Vec<String>> =
        std::collections::HashMap::new();
    for m in members::Entity::find().all(db).await? {
        if let Some(name) = names.get(&m.group_id) {
            by_customer
                .entry(m.customer_id)
                .or_default()
                .push(name.clone());
        }
    }
    Ok(rows
        .into_iter()
        .map(|m| {
            let mut groups = by_customer.remove(&m.id).unwrap_or_default();
            groups.sort();
            to_customer(m, groups, Vec::new())
        })
        .collect())
}

fn apply(row: &mut customers::ActiveModel, d: &CustomerData, now: DateTime<Utc>) {
    row.number = Set(d.number.clone());
    row.company = Set(d.company.clone());
    row.company_lower = Set(d.company.to_lowercase());
    row.vat_id = Set(d.vat_id.clone());
    row.phone = Set(d.phone.clone());
    row.website = Set(d.website.clone());
    row.currency = Set(d.currency.clone());
    row.language = Set(d.language.code().to_string());
    row.active = Set(d.active);
    row.street = Set(d.address.street.clone());
    row.zip = Set(d.address.zip.clone());
    row.city = Set(d.address.city.clone());
    row.state = Set(d.address.state.clone());
    row.country = Set(d.address.country.clone());
    row.billing_street = Set(d.billing.street.clone());
    row.billing_zip = Set(d.billing.zip.clone());
    row.billing_city = Set(d.billing.city.clone());
    row.billing_state = Set(d.billing.state.clone());
    row.billing_country = Set(d.billing.country.clone());
    row.shipping_street = Set(d.shipping.street.clone());
    row.shipping_zip = Set(d.shipping.zip.clone());
    row.shipping_city = Set(d.shipping.city.clone());
    row.shipping_state = Set(d.shipping.state.clone());
    row.shipping_country = Set(d.shipping.country.clone());
    row.shipping_same_as_billing = Set(d.shipping_same_as_billing);
    row.latitude = Set(d.latitude);
    row.longitude = Set(d.longitude);
    row.updated_at = Set(now);
}

pub async fn insert(
    db: &impl ConnectionTrait,
    d: &CustomerData,
    now: DateTime<Utc>,
) -> Result<CustomerId, DbErr> {
    let mut row = customers::ActiveModel {
        created_at: Set(now),
        search_text: Set(String::new()),
        ..Default::default()
    };
    apply(&mut row, d, now);
    let saved = row.insert(db).await?;
    if d.number.is_none() {
        customers::ActiveModel {
            id: Set(saved.id),
            number: Set(Some(format!("{:05}", saved.id))),
            ..Default::default()
        }
        .update(db)
        .await?;
    }
    Ok(CustomerId(saved.id))
}

pub async fn update(
    db: &impl ConnectionTrait,
    id: CustomerId,
    d: &CustomerData,
    clock: &Clock,
) -> Result<(), DbErr> {
    let mut row = customers::ActiveModel {
        id: Set(id.0),
        ..Default::default()
    };
    apply(&mut row, d, clock.now());
    if d.number.is_none() {
        row.number = Set(Some(format!("{:05}", id.0)));
    }
    row.update(db).await?;
    Ok(())
}

pub async fn set_search_text(
    db: &impl ConnectionTrait,
    id: CustomerId,
    text: String,
) -> Result<(), DbErr> {
    customers::ActiveModel {
        id: Set(id.0),
        search_text: Set(text.clone()),
        ..Default::default()
    }
    .update(db)
    .await?;
    index_search_text(db, &[(id.0, text)]).await
}

/// Fills SQLite's full-text table from every customer's `search_text`
/// (after a restore, which does not carry the index).
pub async fn rebuild_search(db: &impl ConnectionTrait) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite {
        return Ok(());
    }
    db.execute_unprepared("DELETE FROM customer_search").await?;
    db.execute_unprepared(
        "INSERT INTO customer_search (rowid, search_text) SELECT id, search_text FROM customers",
    )
    .await?;
    Ok(())
}

/// Keeps SQLite's full-text table in step with `search_text`.
async fn index_search_text(db: &impl ConnectionTrait, rows: &[(i64, String)]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite || rows.is_empty() {
        return Ok(());
    }
    unindex_search_text(db, &rows.iter().map(|r| r.0).collect::<Vec<_>>()).await?;
    let placeholders = vec!["(?, ?)"; rows.len()].join(", ");
    let values = rows
        .iter()
        .flat_map(|(id, text)| [Value::from(*id), Value::from(text.clone())]);
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("INSERT INTO customer_search (rowid, search_text) VALUES {placeholders}"),
        values,
    ))
    .await?;
    Ok(())
}

async fn unindex_search_text(db: &impl ConnectionTrait, ids: &[i64]) -> Result<(), DbErr> {
    let backend = db.get_database_backend();
    if backend != DbBackend::Sqlite || ids.is_empty() {
        return Ok(());
    }
    let placeholders = vec!["?"; ids.len()].join(", ");
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        format!("DELETE FROM customer_search WHERE rowid IN ({placeholders})"),
        ids.iter().map(|id| Value::from(*id)),
    ))
    .await?;
    Ok(())
}

pub async fn set_coordinates(
    db: &impl ConnectionTrait,
    id: CustomerId,
    lat: Option<f64>,
    lng: Option<f64>,
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    customers::ActiveModel {
        id: Set(id.0),
        latitude: Set(lat),
        longitude: Set(lng),
        updated_at: Set(now),
        ..Default::default()
    }
    .update(db)
    .await?;
    Ok(())
}

pub async fn set_admins(
    db: &impl ConnectionTrait,
    id: CustomerId,
    staff: &[StaffId],
    now: DateTime<Utc>,
) -> Result<(), DbErr> {
    admins::Entity::delete_many()
        .filter(admins::Column::CustomerId.eq(id.0))
        .exec(db)
        .await?;
    if !staff.is_empty() {
        admins::Entity::insert_many(staff.iter().map(|s| admins::ActiveModel {
            customer_id: Set(id.0),
            staff_id: Set(s.0),
            created_at: Set(now),
        }))
        .exec(db)
        .await?;
    }
    Ok(())
}

pub async fn set_active(
    db: &impl ConnectionTrait,
    scope: CustomerScope,
    ids: &[i64],
    active: bool,
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    if ids.is_empty() {
        return Ok(0);
    }
    Ok(customers::Entity::update_many()
        .col_expr(customers::Column::Active, Expr::value(active))
        .col_expr(customers::Column::UpdatedAt, Expr::value(now))
        .filter(scope_condition(scope))
        .filter(customers::Column::Id.is_in(ids.to_vec()))
        .exec(db)
        .await?
        .rows_affected)
}

pub async fn delete(db: &impl ConnectionTrait, id: CustomerId) -> Result<(), DbErr> {
    customers::Entity::delete_by_id(id.0).exec(db).await?;
    unindex_search_text(db, &[id.0]).await
}

/// Inserts many customers in one statement (seeding); every row needs a
/// number, by which the new ids are read back in input order.
pub async fn insert_many(
    db: &impl ConnectionTrait,
    rows: &[(CustomerData, String)],
    now: DateTime<Utc>,
) -> Result<Vec<CustomerId>, DbErr> {
    if rows.is_empty() {
        return Ok(Vec::new());
    }
    let models = rows.iter().map(|(d, search)| {
        let mut row = customers::ActiveModel {
            created_at: Set(now),
            search_text: Set(search.clone()),
            ..Default::default()
        };
        apply(&mut row, d, now);
        row
    });
    customers::Entity::insert_many(models).exec(db).await?;
    let numbers: Vec<String> = rows.iter().filter_map(|(d, _)| d.number.clone()).collect();
    let found: std::collections::HashMap<String, i64> = customers::Entity::find()
        .filter(customers::Column::Number.is_in(numbers.clone()))
        .all(db)
        .await?
        .into_iter()
        .filter_map(|m| m.number.map(|n| (n, m.id)))
        .collect();
    let texts: Vec<(i64, String)> = rows
        .iter()
        .filter_map(|(d, search)| {
            d.number
                .as_ref()
                .and_then(|n| found.get(n))
                .map(|id| (*id, search.clone()))
        })
        .collect();
    index_search_text(db, &texts).await?;
    Ok(texts.into_iter().map(|(id, _)| CustomerId(id)).collect())
}

/// The customers a staff member administers.
/// The company names of the customers, by id.
pub async fn companies(
    db: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<std::collections::HashMap<i64, String>, DbErr> {
    use sea_orm::QuerySelect;
    Ok(customers::Entity::find()
        .select_only()
        .column(customers::Column::Id)
        .column(customers::Column::Company)
        .filter(customers::Column::Id.is_in(ids.iter().copied()))
        .into_tuple::<(i64, String)>()
        .all(db)
        .await?
        .into_iter()
        .collect())
}

pub async fn administered_by(
    db: &impl ConnectionTrait,
    staff: StaffId,
) -> Result<Vec<CustomerId>, DbErr> {
    Ok(admins::Entity::find()
        .filter(admins::Column::StaffId.eq(staff.0))
        .all(db)
        .await?
        .into_iter()
        .map(|a| CustomerId(a.customer_id))
        .collect())
}
