//! Running a search: the customers it matches, read once, then every
//! module's provider from the descriptors side by side, each returning
//! only what the actor may see.

use kernel::AppResult;
use sea_orm::DatabaseConnection;

use super::model::{Group, MIN_QUERY, Results};
use crate::{
    modules::{Query, customers::service as customers, search_providers},
    policy::{self, StaffActor},
};

/// Hits per provider.
const LIMIT: u64 = 10;

/// The hits of every provider for `q`. Staff who may not see customers get
/// no results.
pub async fn search(db: &DatabaseConnection, actor: &StaffActor, q: &str) -> AppResult<Results> {
    let q = q.trim();
    if q.chars().count() < MIN_QUERY || policy::customer_scope(actor).is_none() {
        return Ok(Results::default());
    }
    let customers = customers::matching(db, actor, q, LIMIT).await?;
    let query = Query {
        text: q,
        customers: &customers,
    };
    let providers = search_providers();
    let found =
        futures::future::join_all(providers.iter().map(|p| (p.find)(db, actor, &query, LIMIT)))
            .await;
    let mut groups = Vec::with_capacity(providers.len());
    for (p, hits) in providers.into_iter().zip(found) {
        groups.push(Group {
            kind: p.kind,
            label_key: p.label_key,
            hits: hits?,
        });
    }
    Ok(Results { groups })
}
