//! Use cases on contacts. Access follows the customer: whoever may see the
//! customer sees its contacts; creating, editing and deleting contacts
//! needs the customers "edit" permission.

use std::collections::HashMap;

use kernel::{AppError, AppResult, auth::hash_password, error::OnConstraint};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::{
    model::{Contact, ContactData, ContactId, ContactInput},
    repo,
};
use crate::{
    common::entity_ref::EntityRef,
    modules::{
        activity::{model::Author, service as activity},
        customers::{model::CustomerId, service as customers},
    },
    policy::StaffActor,
};

pub const KIND: &str = "contact";

fn entity(id: ContactId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Vec<Contact>> {
    customers::ensure_visible(db, actor, customer).await?;
    Ok(repo::of_customer(db, customer).await?)
}

/// A contact whose customer the actor may see; 404 otherwise.
pub async fn get(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: ContactId,
) -> AppResult<Contact> {
    let contact = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, contact.customer_id).await?;
    Ok(contact)
}

pub async fn count_of(db: &impl ConnectionTrait, customer: CustomerId) -> AppResult<u64> {
    Ok(repo::count_of(db, customer).await?)
}

/// Name and email of each customer's primary contact.
pub async fn primary_of(
    db: &impl ConnectionTrait,
    customers: &[CustomerId],
) -> AppResult<HashMap<i64, (String, String)>> {
    Ok(repo::primary_of(db, customers).await?)
}

pub async fn search_terms(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> AppResult<Vec<String>> {
    Ok(repo::search_terms(db, customer).await?)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &ContactInput,
) -> AppResult<ContactId> {
    customers::ensure_editable(db, actor, customer).await?;
    let mut data = ContactData::parse(input, None).map_err(AppError::Validation)?;
    let txn = db.begin().await?;
    let existing = repo::of_customer(&txn, customer).await?;
    let has_primary = existing.iter().any(|c| c.is_primary);
    if data.is_primary && has_primary {
        return Err(AppError::field("is_primary", "error-primary-exists"));
    }
    if !has_primary {
        data.is_primary = true;
    }
    if data.is_primary && !data.active {
        return Err(AppError::field("active", "error-primary-inactive"));
    }
    let hash = data.password.as_deref().map(hash_password).transpose()?;
    let id = repo::insert(&txn, customer, &data, hash)
        .await
        .on_unique("email", "error-email-taken")?;
    customers::refresh_search_text(&txn, customer).await?;
    activity::record(
        &txn,
        entity(id),
        Some(customer.0),
        &Author::staff(actor),
        "created",
        &data.email,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ContactId,
    input: &ContactInput,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    let data = ContactData::parse(input, Some(&current)).map_err(AppError::Validation)?;
    if data.is_primary && !current.is_primary {
        return Err(AppError::field("is_primary", "error-primary-exists"));
    }
    if !data.is_primary && current.is_primary {
        return Err(AppError::field("is_primary", "error-primary-required"));
    }
    if data.is_primary && !data.active {
        return Err(AppError::field("active", "error-primary-inactive"));
    }
    let txn = db.begin().await?;
    let hash = data.password.as_deref().map(hash_password).transpose()?;
    repo::update(&txn, id, &data, hash)
        .await
        .on_unique("email", "error-email-taken")?;
    customers::refresh_search_text(&txn, current.customer_id).await?;
    let after = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    activity::record_changes(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        &current.history_fields(),
        &after.history_fields(),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Makes this (active) contact the customer's one primary contact.
pub async fn make_primary(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ContactId,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    if !current.active {
        return Err(AppError::field("active", "error-primary-inactive"));
    }
    let txn = db.begin().await?;
    repo::clear_primary(&txn, current.customer_id, id).await?;
    repo::set_primary(&txn, id).await?;
    let before = [("is_primary", current.is_primary.to_string())];
    activity::record_changes(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        &before,
        &[("is_primary", "true".into())],
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Deleting the primary contact promotes the oldest other active contact.
pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: ContactId,
) -> AppResult<CustomerId> {
    let current = get(db, actor, id).await?;
    customers::ensure_editable(db, actor, current.customer_id).await?;
    let txn = db.begin().await?;
    repo::delete(&txn, id).await?;
    if current.is_primary {
        let next = repo::of_customer(&txn, current.customer_id)
            .await?
            .into_iter()
            .filter(|c| c.active)
            .min_by_key(|c| c.id.0);
        if let Some(next) = next {
            repo::set_primary(&txn, next.id).await?;
        }
    }
    customers::refresh_search_text(&txn, current.customer_id).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "deleted",
        &current.email,
        None,
    )
    .await?;
    txn.commit().await?;
    Ok(current.customer_id)
}

/// Seeds many valid contacts at once, without audit rows (demo data).
pub async fn seed(db: &impl ConnectionTrait, rows: &[(CustomerId, ContactData)]) -> AppResult<()> {
    Ok(repo::insert_many(db, rows).await?)
}
