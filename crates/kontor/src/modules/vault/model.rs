//! Vault entries (never with their password) and their validation.

use chrono::{DateTime, Utc};
use kernel::{FieldErrors, types};
use serde::{Deserialize, Serialize};

use crate::modules::{
    contacts::model::ContactId, customers::model::CustomerId, staff::model::StaffId,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct EntryId(pub i64);

/// Who of the staff sees the entry: its author, admins, or everyone who
/// sees the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Me,
    Admins,
    All,
}

impl Visibility {
    pub const ALL: [Visibility; 3] = [Visibility::Me, Visibility::Admins, Visibility::All];

    pub fn key(self) -> &'static str {
        match self {
            Self::Me => "me",
            Self::Admins => "admins",
            Self::All => "all",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.key() == key)
    }
}

/// A stored login; its password is read through reveal only.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Entry {
    pub id: EntryId,
    pub customer_id: CustomerId,
    pub server: String,
    pub port: Option<i32>,
    pub username: String,
    pub description: String,
    pub visibility: Visibility,
    pub shared_with_contacts: bool,
    pub created_by_staff: Option<StaffId>,
    pub created_by_contact: Option<ContactId>,
    pub created_by: String,
    pub updated_by: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Reveal {
    pub actor_name: String,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// A port arrives as a JSON number or as form text.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
pub enum Port {
    Number(i64),
    Text(String),
}

/// A new entry needs `customer_id`, `server` and `password`; a change
/// sends what changes (no password keeps the stored one).
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct EntryInput {
    /// On creation: the customer it belongs to.
    pub customer_id: Option<i64>,
    #[schema(schema_with = crate::api::schema::line_required::<200>)]
    pub server: Option<String>,
    /// 1 to 65535, as a number or text; empty text clears it.
    #[schema(schema_with = port_schema)]
    pub port: Option<Port>,
    #[schema(schema_with = crate::api::schema::line::<200>)]
    pub username: Option<String>,
    /// Write-only: read it through reveal.
    #[schema(schema_with = vault_password_schema, write_only)]
    pub password: Option<String>,
    #[schema(schema_with = crate::api::schema::text::<2000>)]
    pub description: Option<String>,
    #[schema(schema_with = visibility_schema)]
    pub visibility: Option<String>,
    /// Whether the customer's contacts see it in the portal.
    pub shared_with_contacts: Option<bool>,
}

fn port_schema() -> utoipa::openapi::OneOfBuilder {
    use utoipa::openapi::{ObjectBuilder, schema::Type};
    utoipa::openapi::OneOfBuilder::new()
        .item(ObjectBuilder::new().schema_type(Type::Integer).minimum(Some(1)).maximum(Some(65535)))
        .item(ObjectBuilder::new().schema_type(Type::String).pattern(Some(
            r"^\s*(0*([1-9][0-9]{0,3}|[1-5][0-9]{4}|6[0-4][0-9]{3}|65[0-4][0-9]{2}|655[0-2][0-9]|6553[0-5]))?\s*$",
        )))
        .item(ObjectBuilder::new().schema_type(Type::Null))
}

fn vault_password_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::line::<1000>()
}

fn visibility_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::one_of(&["me", "admins", "all"])
}

#[derive(Clone)]
pub struct EntryData {
    pub server: String,
    pub port: Option<i32>,
    pub username: String,
    /// `None` keeps the stored password.
    pub password: Option<String>,
    pub description: String,
    pub visibility: Visibility,
    pub shared_with_contacts: bool,
}

impl EntryData {
    pub fn parse(input: &EntryInput, current: Option<&Entry>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let pick = |new: &Option<String>, old: Option<&String>| {
            new.clone()
                .unwrap_or_else(|| old.cloned().unwrap_or_default())
        };
        let server = types::text(
            &mut e,
            "server",
            &pick(&input.server, current.map(|c| &c.server)),
            true,
            200,
        );
        let port = match &input.port {
            None => current.and_then(|c| c.port),
            Some(Port::Text(t)) if t.trim().is_empty() => None,
            Some(p) => {
                let n = match p {
                    Port::Number(n) => Some(*n),
                    Port::Text(t) => t.trim().parse::<i64>().ok(),
                };
                match n {
                    Some(n) if (1..=65535).contains(&n) => Some(n as i32),
                    _ => {
                        e.add("port", "error-port");
                        None
                    }
                }
            }
        };
        let username = types::text(
            &mut e,
            "username",
            &pick(&input.username, current.map(|c| &c.username)),
            false,
            200,
        );
        let password = input.password.clone().filter(|p| !p.is_empty());
        match &password {
            None if current.is_none() => e.add("password", "error-required"),
            Some(p) if p.chars().count() > 1000 => e.add("password", "error-too-long"),
            Some(p) if p.chars().any(|c| c.is_control()) => {
                e.add("password", "error-control-chars")
            }
            _ => {}
        }
        let description = types::multiline(
            &mut e,
            "description",
            &pick(&input.description, current.map(|c| &c.description)),
            false,
            2000,
        );
        let visibility = match &input.visibility {
            Some(v) => Visibility::parse(v).unwrap_or_else(|| {
                e.add("visibility", "error-invalid");
                Visibility::All
            }),
            None => current.map(|c| c.visibility).unwrap_or(Visibility::All),
        };
        let shared_with_contacts = input
            .shared_with_contacts
            .unwrap_or(current.is_some_and(|c| c.shared_with_contacts));
        if e.is_empty() {
            Ok(Self {
                server,
                port,
                username,
                password,
                description,
                visibility,
                shared_with_contacts,
            })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn server_and_password_are_needed_and_ports_checked() {
        let e = EntryData::parse(
            &EntryInput {
                port: Some(Port::Number(70000)),
                ..Default::default()
            },
            None,
        )
        .err()
        .unwrap();
        assert_eq!(e.get("server"), Some("error-required"));
        assert_eq!(e.get("password"), Some("error-required"));
        assert_eq!(e.get("port"), Some("error-port"));
        let ok = EntryData::parse(
            &EntryInput {
                server: Some("db.example".into()),
                port: Some(Port::Text("5432".into())),
                password: Some("pw".into()),
                visibility: Some("admins".into()),
                ..Default::default()
            },
            None,
        )
        .ok()
        .unwrap();
        assert_eq!((ok.port, ok.visibility), (Some(5432), Visibility::Admins));
    }
}
