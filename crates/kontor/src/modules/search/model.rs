//! Search results.

use serde::{Deserialize, Serialize, ser::SerializeMap};

use crate::modules::Hit;

/// Queries shorter than this find nothing rather than everything.
pub const MIN_QUERY: usize = 2;

#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// The text; fewer than two characters find nothing.
    #[serde(default, deserialize_with = "text")]
    pub q: String,
}

fn text<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(kernel::web::search_text(d)?.unwrap_or_default())
}

/// The hits of one provider (customers, contacts, invoices ...).
#[derive(Debug)]
pub struct Group {
    pub kind: &'static str,
    pub label_key: &'static str,
    pub hits: Vec<Hit>,
}

/// Every provider's group, in order; in the API an object with one list
/// per kind (`{"customers": [...], "invoices": [...]}`).
#[derive(Debug, Default)]
pub struct Results {
    pub groups: Vec<Group>,
}

impl Results {
    pub fn is_empty(&self) -> bool {
        self.groups.iter().all(|g| g.hits.is_empty())
    }
}

impl utoipa::PartialSchema for Results {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        let hits: utoipa::openapi::schema::Array = utoipa::openapi::schema::ArrayBuilder::new()
            .items(Hit::schema())
            .build();
        crate::modules::search_providers()
            .iter()
            .fold(utoipa::openapi::ObjectBuilder::new(), |object, provider| {
                object.property(provider.kind, hits.clone())
            })
            .into()
    }
}

impl utoipa::ToSchema for Results {}

impl Serialize for Results {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.groups.len()))?;
        for g in &self.groups {
            map.serialize_entry(g.kind, &g.hits)?;
        }
        map.end()
    }
}
