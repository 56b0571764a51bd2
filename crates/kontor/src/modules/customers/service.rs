//! Use cases on customers. Every function takes the acting staff member and
//! goes through the policy module before touching data.

use kernel::{
    AppError, AppResult, FieldErrors,
    error::OnConstraint,
    web::{ListQuery, Page},
};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::{
    model::{
        Customer, CustomerData, CustomerFilter, CustomerId, CustomerInput, CustomerRow, Group,
        GroupId, search_text,
    },
    repo,
};
use crate::{
    common::entity_ref::EntityRef,
    modules::{
        activity::model::Author, activity::service as activity, contacts::service as contacts,
        staff::service as staff,
    },
    policy::{self, Action, CustomerScope, Module, StaffActor},
};

pub const KIND: &str = "customer";

pub fn entity(id: CustomerId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

pub fn scope(actor: &StaffActor) -> AppResult<CustomerScope> {
    policy::customer_scope(actor).ok_or(AppError::Forbidden)
}

fn require(actor: &StaffActor, action: Action) -> AppResult<()> {
    if policy::can(actor, Module::Customers, action) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    policy::can(actor, Module::Customers, action)
}

/// The customer if the actor may see it; 404 otherwise.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
) -> AppResult<Customer> {
    repo::load(db, scope(actor)?, id)
        .await?
        .ok_or(AppError::NotFound)
}

/// Checks that the actor may see the customer without loading all of it.
pub async fn ensure_visible(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
) -> AppResult<()> {
    repo::find(db, scope(actor)?, id)
        .await?
        .map(|_| ())
        .ok_or(AppError::NotFound)
}

/// Visible and the actor may edit customers (contacts, admins, coordinates).
pub async fn ensure_editable(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CustomerId,
) -> AppResult<()> {
    ensure_visible(db, actor, id).await?;
    require(actor, Action::Edit)
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    query: &ListQuery,
    filter: &CustomerFilter,
) -> AppResult<Page<CustomerRow>> {
    let page = repo::list(db, scope(actor)?, query, filter).await?;
    let ids: Vec<CustomerId> = page.data.iter().map(|m| CustomerId(m.id)).collect();
    let primaries = contacts::primary_of(db, &ids).await?;
    Ok(page.map(|m| {
        let primary = primaries.get(&m.id);
        CustomerRow {
            id: CustomerId(m.id),
            number: m.number.unwrap_or_default(),
            company: m.company,
            vat_id: m.vat_id,
            city: if m.billing_city.is_empty() {
                m.city
            } else {
                m.billing_city
            },
            phone: m.phone,
            active: m.active,
            primary_contact: primary.map(|p| p.0.clone()),
            primary_email: primary.map(|p| p.1.clone()),
        }
    }))
}

pub async fn export(
    db: &DatabaseConnection,
    actor: &StaffActor,
    query: &ListQuery,
    filter: &CustomerFilter,
) -> AppResult<Vec<Customer>> {
    Ok(repo::all_matching(db, scope(actor)?, query, filter).await?)
}

async fn check_admins(
    db: &impl ConnectionTrait,
    data: &CustomerData,
    errors: &mut FieldErrors,
) -> AppResult<()> {
    if data.admin_ids.is_empty() {
        return Ok(());
    }
    let active: Vec<_> = staff::directory_ids(db).await?;
    if data.admin_ids.iter().any(|id| !active.contains(id)) {
        errors.add("admin_ids", "error-unknown-staff");
    }
    Ok(())
}

/// Writes groups and admins; unknown group names are a field error.
async fn save_relations(
    db: &impl ConnectionTrait,
    id: CustomerId,
    data: &CustomerData,
) -> AppResult<()> {
    let unknown = repo::set_groups(db, id, &data.groups).await?;
    if !unknown.is_empty() {
        return Err(AppError::field("groups", "error-unknown-group"));
    }
    repo::set_admins(db, id, &data.admin_ids).await?;
    Ok(())
}

/// Rebuilds the text the list search looks in: customer fields plus the
/// names and emails of its contacts.
pub async fn refresh_search_text(db: &impl ConnectionTrait, id: CustomerId) -> AppResult<()> {
    let Some(m) = repo::find(db, CustomerScope::All, id).await? else {
        return Ok(());
    };
    let own = [
        m.company,
        m.vat_id,
        m.number.unwrap_or_default(),
        m.city,
        m.billing_city,
        m.zip,
        m.phone,
    ];
    let text = search_text(own.into_iter().chain(contacts::search_terms(db, id).await?));
    repo::set_search_text(db, id, text).await?;
    Ok(())
}

/// Creates a customer. Staff with only "view own" become its admin, so they
/// can see what they just created.
pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &CustomerInput,
) -> AppResult<CustomerId> {
    require(actor, Action::Create)?;
    let mut data = CustomerData::parse(input, None).map_err(AppError::Validation)?;
    if scope(actor)? != CustomerScope::All && !data.admin_ids.contains(&actor.id) {
        data.admin_ids.push(actor.id);
    }
    let mut errors = FieldErrors::new();
    check_admins(db, &data, &mut errors).await?;
    errors.into_result()?;
    let txn = db.begin().await?;
    let id = repo::insert(&txn, &data)
        .await
        .on_unique("number", "error-number-taken")?;
    save_relations(&txn, id, &data).await?;
    refresh_search_text(&txn, id).await?;
    activity::record(
        &txn,
        entity(id),
        Some(id.0),
        &Author::staff(actor),
        "created",
        &data.company,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CustomerId,
    input: &CustomerInput,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    require(actor, Action::Edit)?;
    let data = CustomerData::parse(input, Some(&current)).map_err(AppError::Validation)?;
    let mut errors = FieldErrors::new();
    check_admins(db, &data, &mut errors).await?;
    errors.into_result()?;
    let txn = db.begin().await?;
    repo::update(&txn, id, &data)
        .await
        .on_unique("number", "error-number-taken")?;
    save_relations(&txn, id, &data).await?;
    refresh_search_text(&txn, id).await?;
    let after = repo::load(&txn, CustomerScope::All, id)
        .await?
        .ok_or(AppError::NotFound)?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(id.0),
        &Author::staff(actor),
        &current.history_fields(),
        &after.history_fields(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets or clears the map position (from the map tab).
pub async fn set_coordinates(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CustomerId,
    lat: &str,
    lng: &str,
) -> AppResult<()> {
    let input = CustomerInput {
        latitude: Some(super::model::Coordinate::Text(lat.to_string())),
        longitude: Some(super::model::Coordinate::Text(lng.to_string())),
        ..Default::default()
    };
    let current = get(db, actor, id).await?;
    require(actor, Action::Edit)?;
    let data = CustomerData::parse(&input, Some(&current)).map_err(AppError::Validation)?;
    let txn = db.begin().await?;
    repo::set_coordinates(&txn, id, data.latitude, data.longitude).await?;
    let after = repo::load(&txn, CustomerScope::All, id)
        .await?
        .ok_or(AppError::NotFound)?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(id.0),
        &Author::staff(actor),
        &current.history_fields(),
        &after.history_fields(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Activates or deactivates the selected customers the actor may see;
/// each one whose status really changes gets a history row.
pub async fn set_active(
    db: &DatabaseConnection,
    actor: &StaffActor,
    ids: &[i64],
    active: bool,
) -> AppResult<u64> {
    require(actor, Action::Edit)?;
    let scope = scope(actor)?;
    let txn = db.begin().await?;
    let mut changed = Vec::new();
    for id in ids {
        if let Some(m) = repo::find(&txn, scope, CustomerId(*id)).await?
            && m.active != active
        {
            changed.push(m.id);
        }
    }
    let n = repo::set_active(&txn, scope, &changed, active).await?;
    let author = Author::staff(actor);
    let (old, new) = ((!active).to_string(), active.to_string());
    for id in &changed {
        activity::record_changes(
            &txn,
            entity(CustomerId(*id)),
            Some(*id),
            &author,
            &[("active", old.clone())],
            &[("active", new.clone())],
        )
        .await?;
    }
    txn.commit().await?;
    Ok(n)
}

/// Deleting is refused while financial documents exist (later modules
/// register them); the contacts, notes and memberships go with it.
pub async fn delete(db: &DatabaseConnection, actor: &StaffActor, id: CustomerId) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    require(actor, Action::Delete)?;
    let txn = db.begin().await?;
    crate::modules::notes::service::delete_all_of(&txn, entity(id)).await?;
    repo::delete(&txn, id).await?;
    activity::record(
        &txn,
        entity(id),
        None,
        &Author::staff(actor),
        "deleted",
        &current.company,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn groups(db: &DatabaseConnection) -> AppResult<Vec<Group>> {
    Ok(repo::groups(db).await?)
}

pub async fn create_group(
    db: &DatabaseConnection,
    actor: &StaffActor,
    name: &str,
) -> AppResult<GroupId> {
    require(actor, Action::Edit)?;
    let mut errors = FieldErrors::new();
    let name = kernel::types::text(&mut errors, "name", name, true, 100);
    errors.into_result()?;
    repo::insert_group(db, &name)
        .await
        .on_unique("name", "error-name-taken")
}

pub async fn delete_group(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: GroupId,
) -> AppResult<()> {
    require(actor, Action::Edit)?;
    if repo::delete_group(db, id).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// Seeds many valid customers at once, without audit rows (demo data and
/// benchmarks). Each needs a number; `search_text` must be what
/// [`refresh_search_text`] would build. Returns the ids in input order.
pub async fn seed(
    db: &impl ConnectionTrait,
    rows: &[(CustomerData, String)],
) -> AppResult<Vec<CustomerId>> {
    Ok(repo::insert_many(db, rows).await?)
}
