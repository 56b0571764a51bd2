//! Search results.

use serde::{Deserialize, Serialize};

use crate::modules::{contacts::model::Contact, customers::model::CustomerRow};

/// Queries shorter than this find nothing rather than everything.
pub const MIN_QUERY: usize = 2;

#[derive(Debug, Default, Deserialize)]
pub struct SearchQuery {
    #[serde(default)]
    pub q: String,
}

#[derive(Debug, Default, Serialize)]
pub struct Results {
    pub customers: Vec<CustomerRow>,
    pub contacts: Vec<ContactHit>,
}

#[derive(Debug, Serialize)]
pub struct ContactHit {
    #[serde(flatten)]
    pub contact: Contact,
    pub company: String,
}
