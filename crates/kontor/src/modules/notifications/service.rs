//! Creating and reading notifications; a staff member only ever reads and
//! marks their own.

use kernel::AppResult;
use kernel::clock::Clock;
use sea_orm::ConnectionTrait;

use super::{model::Notification, repo};
use crate::modules::staff::model::StaffId;

/// Notifies a staff member once per `key`, inside the caller's transaction.
pub async fn notify(
    db: &impl ConnectionTrait,
    staff: StaffId,
    title: &str,
    body: &str,
    link: &str,
    key: &str,
    clock: &Clock,
) -> AppResult<()> {
    repo::insert(db, staff, title, body, link, key, clock.now()).await?;
    Ok(())
}

pub async fn latest(db: &impl ConnectionTrait, staff: StaffId) -> AppResult<Vec<Notification>> {
    Ok(repo::latest(db, staff).await?)
}

pub async fn mark_read(
    db: &impl ConnectionTrait,
    staff: StaffId,
    id: Option<i64>,
    clock: &Clock,
) -> AppResult<u64> {
    Ok(repo::mark_read(db, staff, id, clock.now()).await?)
}
