//! The global search as every module's provider sees it: the text, the
//! customers it matched (read once for all providers), and the hits.

use serde::Serialize;

use crate::common::ids::CustomerId;

/// What the results list shows of a record and where it leads.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Hit {
    pub id: i64,
    pub title: String,
    pub detail: String,
    pub url: String,
}

/// A customer the search text matched, among those the actor sees.
#[derive(Clone, Debug)]
pub struct Named {
    pub id: CustomerId,
    pub company: String,
    pub number: String,
    pub city: String,
}

/// What every provider searches with.
pub struct Query<'a> {
    pub text: &'a str,
    /// The customers the actor sees whose name, number, VAT id, city or
    /// contacts match, newest first: their contacts and documents count
    /// as found.
    pub customers: &'a [Named],
}
