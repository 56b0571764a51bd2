//! Contact types and validation.

use kernel::{FieldErrors, types};
use serde::{Deserialize, Serialize};

use crate::modules::{custom_fields::model::Values, customers::model::CustomerId};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct ContactId(pub i64);

/// Portal areas a contact may use; the same keys name email notifications.
pub const AREAS: [&str; 6] = [
    "invoices",
    "estimates",
    "contracts",
    "proposals",
    "support",
    "projects",
];

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Contact {
    pub id: ContactId,
    pub customer_id: CustomerId,
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub position: String,
    pub is_primary: bool,
    pub active: bool,
    pub permissions: Vec<String>,
    pub notifications: Vec<String>,
    /// Whether a portal password is set.
    pub has_password: bool,
    pub invited_at: Option<chrono::DateTime<chrono::Utc>>,
    #[serde(skip)]
    pub custom_fields: Values,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl Contact {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }

    pub fn history_fields(&self) -> Vec<(&'static str, String)> {
        vec![
            ("first_name", self.first_name.clone()),
            ("last_name", self.last_name.clone()),
            ("email", self.email.clone()),
            ("phone", self.phone.clone()),
            ("position", self.position.clone()),
            ("is_primary", self.is_primary.to_string()),
            ("active", self.active.to_string()),
            ("permissions", self.permissions.join(", ")),
            ("notifications", self.notifications.join(", ")),
        ]
    }
}

/// A new contact needs `customer_id`, names and email; a change sends
/// what changes.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ContactInput {
    /// On creation: the contact's customer.
    pub customer_id: Option<i64>,
    #[schema(schema_with = crate::api::schema::line_required::<100>)]
    pub first_name: Option<String>,
    #[schema(schema_with = crate::api::schema::line_required::<100>)]
    pub last_name: Option<String>,
    /// Unique among contacts.
    #[schema(schema_with = crate::api::schema::email)]
    pub email: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<50>)]
    pub phone: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub position: Option<String>,
    /// Makes this the customer's one primary contact.
    pub is_primary: Option<bool>,
    pub active: Option<bool>,
    /// Portal areas the contact may use.
    #[schema(schema_with = areas_schema)]
    pub permissions: Option<Vec<String>>,
    /// Areas the contact gets emails about.
    #[schema(schema_with = areas_schema)]
    pub notifications: Option<Vec<String>>,
    /// Write-only: sets the portal password.
    #[schema(schema_with = crate::api::schema::password, write_only)]
    pub password: Option<String>,
    /// Values by the field's key, as `GET /custom-fields` defines them.
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

fn areas_schema() -> utoipa::openapi::schema::ArrayBuilder {
    crate::api::schema::words(&AREAS)
}

#[derive(Clone, Debug)]
pub struct ContactData {
    pub first_name: String,
    pub last_name: String,
    pub email: String,
    pub phone: String,
    pub position: String,
    pub is_primary: bool,
    pub active: bool,
    pub permissions: Vec<String>,
    pub notifications: Vec<String>,
    pub password: Option<String>,
}

fn areas(
    errors: &mut FieldErrors,
    field: &str,
    input: &Option<Vec<String>>,
    current: Option<&Vec<String>>,
) -> Vec<String> {
    let Some(list) = input else {
        return current.cloned().unwrap_or_default();
    };
    if list.iter().any(|a| !AREAS.contains(&a.as_str())) {
        errors.add(field, "error-invalid");
    }
    AREAS
        .iter()
        .filter(|a| list.iter().any(|x| x == *a))
        .map(|a| a.to_string())
        .collect()
}

impl ContactData {
    pub fn parse(input: &ContactInput, current: Option<&Contact>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let pick = |new: &Option<String>, old: Option<&String>| {
            new.clone()
                .unwrap_or_else(|| old.cloned().unwrap_or_default())
        };
        let first_name = types::text(
            &mut e,
            "first_name",
            &pick(&input.first_name, current.map(|c| &c.first_name)),
            true,
            100,
        );
        let last_name = types::text(
            &mut e,
            "last_name",
            &pick(&input.last_name, current.map(|c| &c.last_name)),
            true,
            100,
        );
        let email = types::email(
            &mut e,
            "email",
            &pick(&input.email, current.map(|c| &c.email)),
        );
        let phone = types::text(
            &mut e,
            "phone",
            &pick(&input.phone, current.map(|c| &c.phone)),
            false,
            50,
        );
        let position = types::text(
            &mut e,
            "position",
            &pick(&input.position, current.map(|c| &c.position)),
            false,
            100,
        );
        let permissions = areas(
            &mut e,
            "permissions",
            &input.permissions,
            current.map(|c| &c.permissions),
        );
        let notifications = areas(
            &mut e,
            "notifications",
            &input.notifications,
            current.map(|c| &c.notifications),
        );
        let password = input.password.clone().filter(|p| !p.is_empty());
        if let Some(p) = &password {
            crate::modules::staff::model::check_password(&mut e, "password", p);
        }
        let Some(email) = email.filter(|_| e.is_empty()) else {
            return Err(e);
        };
        Ok(Self {
            first_name,
            last_name,
            email: email.into_inner(),
            phone,
            position,
            is_primary: input
                .is_primary
                .unwrap_or(current.is_some_and(|c| c.is_primary)),
            active: input.active.unwrap_or(current.is_none_or(|c| c.active)),
            permissions,
            notifications,
            password,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_email_and_areas_are_checked() {
        let e = ContactData::parse(
            &ContactInput {
                email: Some("nope".into()),
                permissions: Some(vec!["admin".into()]),
                ..Default::default()
            },
            None,
        )
        .unwrap_err();
        assert_eq!(e.get("first_name"), Some("error-required"));
        assert_eq!(e.get("email"), Some("error-email"));
        assert_eq!(e.get("permissions"), Some("error-invalid"));
        let ok = ContactData::parse(
            &ContactInput {
                first_name: Some("Eva".into()),
                last_name: Some("Ek".into()),
                email: Some("EVA@x.de".into()),
                permissions: Some(vec!["support".into(), "invoices".into()]),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(ok.email, "eva@x.de");
        assert_eq!(ok.permissions, vec!["invoices", "support"]);
    }
}
