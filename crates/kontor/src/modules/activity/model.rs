//! Activity entries and change rows as shown on a record.

use chrono::{DateTime, Utc};
use serde::Serialize;

/// Who caused an entry: a staff member (with id) or the system.
#[derive(Clone, Debug)]
pub struct Author {
    pub kind: &'static str,
    pub id: Option<i64>,
    pub name: String,
}

/// Who did what, when, from where.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct ActivityEntry {
    pub id: i64,
    pub entity_kind: String,
    pub entity_id: i64,
    pub actor_name: String,
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One field changed: its old and new value.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Change {
    pub id: i64,
    pub entity_kind: String,
    pub entity_id: i64,
    pub actor_name: String,
    pub field: String,
    pub old_value: String,
    pub new_value: String,
    pub created_at: DateTime<Utc>,
}
