//! Running a search with the actor's permissions.

use kernel::{AppResult, web::ListQuery};
use sea_orm::DatabaseConnection;

use super::model::{ContactHit, MIN_QUERY, Results};
use crate::{
    modules::{contacts::service as contacts, customers::service as customers},
    policy::{self, StaffActor},
};

const LIMIT: u64 = 20;

/// Customers matching `q` and, among them, the contacts whose name or email
/// matches. Staff who may not see customers get no results.
pub async fn search(db: &DatabaseConnection, actor: &StaffActor, q: &str) -> AppResult<Results> {
    let q = q.trim();
    if q.chars().count() < MIN_QUERY || policy::customer_scope(actor).is_none() {
        return Ok(Results::default());
    }
    let query = customers::interactive(ListQuery {
        q: Some(q.to_string()),
        per_page: Some(LIMIT),
        ..Default::default()
    });
    // The total is not shown: counting one match is enough.
    let found = customers::list(db, actor, &query, &Default::default(), &[], Some(1))
        .await?
        .data;
    let needle = q.to_lowercase();
    let mut hits = Vec::new();
    for row in &found {
        for contact in contacts::list(db, actor, row.id).await? {
            if contact.name().to_lowercase().contains(&needle) || contact.email.contains(&needle) {
                hits.push(ContactHit {
                    contact,
                    company: row.company.clone(),
                });
            }
        }
    }
    Ok(Results {
        customers: found,
        contacts: hits,
    })
}
