//! A hit of the global search, as every module's provider returns it.

use serde::Serialize;

/// What the results list shows of a record and where it leads.
#[derive(Clone, Debug, Serialize)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub url: String,
}
