//! Staff and role types and the parsing of their input.

use kernel::{
    FieldErrors,
    auth::{MAX_PASSWORD_LEN, MIN_PASSWORD_LEN},
    i18n::Locale,
    types::{self, Email},
};
use serde::{Deserialize, Serialize};

use crate::policy::Permissions;

pub use crate::common::ids::StaffId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct RoleId(pub i64);

/// A staff member as shown in lists and the API (never the password hash).
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StaffMember {
    pub id: StaffId,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub role_id: Option<RoleId>,
    pub is_admin: bool,
    pub active: bool,
    #[schema(value_type = String, pattern = "^(de|en)$")]
    pub locale: Locale,
    pub totp_enabled: bool,
}

impl StaffMember {
    pub fn name(&self) -> String {
        format!("{} {}", self.first_name, self.last_name)
            .trim()
            .to_string()
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Role {
    pub id: RoleId,
    pub name: String,
    pub permissions: Permissions,
}

/// What a staff form or API call may set; `None` leaves a field unchanged.
/// A new member needs `email`, `first_name` and `password`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct StaffInput {
    /// Unique among staff.
    #[schema(schema_with = crate::api::schema::email)]
    pub email: Option<String>,
    #[schema(schema_with = crate::api::schema::line_required::<100>)]
    pub first_name: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub last_name: Option<String>,
    /// Write-only; empty keeps the current one.
    #[schema(schema_with = crate::api::schema::password, write_only)]
    pub password: Option<String>,
    /// A role's id; 0 takes the role away.
    pub role_id: Option<i64>,
    pub is_admin: Option<bool>,
    pub active: Option<bool>,
    #[schema(schema_with = crate::api::schema::language)]
    pub locale: Option<String>,
}

/// Validated staff data.
#[derive(Clone, Debug)]
pub struct StaffData {
    pub email: Email,
    pub first_name: String,
    pub last_name: String,
    pub password: Option<String>,
    pub role_id: Option<RoleId>,
    pub is_admin: bool,
    pub active: bool,
    pub locale: Locale,
}

impl StaffData {
    /// Merges `input` over `current` (none for a new member) and validates.
    pub fn parse(input: &StaffInput, current: Option<&StaffMember>) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let pick = |new: &Option<String>, old: Option<&str>| {
            new.clone().unwrap_or_else(|| old.unwrap_or("").to_string())
        };
        let email_in = pick(&input.email, current.map(|c| c.email.as_str()));
        let email = types::email(&mut errors, "email", &email_in);
        let first_name = types::text(
            &mut errors,
            "first_name",
            &pick(&input.first_name, current.map(|c| c.first_name.as_str())),
            true,
            100,
        );
        let last_name = types::text(
            &mut errors,
            "last_name",
            &pick(&input.last_name, current.map(|c| c.last_name.as_str())),
            false,
            100,
        );
        let password = input.password.clone().filter(|p| !p.is_empty());
        if let Some(p) = &password {
            check_password(&mut errors, "password", p);
        } else if current.is_none() {
            errors.add("password", "error-required");
        }
        let locale = match &input.locale {
            Some(code) => Locale::parse(code).unwrap_or_else(|| {
                errors.add("locale", "error-invalid");
                Locale::De
            }),
            None => current.map(|c| c.locale).unwrap_or_default(),
        };
        let role_id = match input.role_id {
            Some(0) => None,
            Some(id) => Some(RoleId(id)),
            None => current.and_then(|c| c.role_id),
        };
        let Some(email) = email.filter(|_| errors.is_empty()) else {
            return Err(errors);
        };
        Ok(Self {
            email,
            first_name,
            last_name,
            password,
            role_id,
            is_admin: input
                .is_admin
                .unwrap_or(current.is_some_and(|c| c.is_admin)),
            active: input.active.unwrap_or(current.is_none_or(|c| c.active)),
            locale,
        })
    }
}

/// Staff and portal passwords: long enough, not absurdly long, and not
/// one that is guessed in the first few thousand tries (a repeated
/// character, a keyboard row, a common word with a number), as zxcvbn,
/// which knows the most common passwords, rates it.
pub fn check_password(errors: &mut FieldErrors, field: &str, password: &str) {
    let length = password.chars().count();
    if length < MIN_PASSWORD_LEN {
        errors.add(field, "error-password-short");
    } else if length > MAX_PASSWORD_LEN {
        errors.add(field, "error-too-long");
    } else if zxcvbn::zxcvbn(password, &[]).score() < zxcvbn::Score::Two {
        errors.add(field, "error-password-common");
    }
}

/// A new role needs a `name`; `permissions` replaces the whole grid.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct RoleInput {
    /// Unique among roles.
    #[schema(schema_with = crate::api::schema::line_required::<100>)]
    pub name: Option<String>,
    #[schema(value_type = Option<crate::policy::Permissions>)]
    pub permissions: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn easily_guessed_passwords_are_refused() {
        for weak in ["aaaaaaaaaa", "password123", "1234567890", "qwertzuiop"] {
            let mut e = FieldErrors::new();
            check_password(&mut e, "password", weak);
            assert!(e.into_result().is_err(), "{weak} accepted");
        }
        let mut e = FieldErrors::new();
        check_password(&mut e, "password", "Wanderung-am-Rhein-7");
        assert!(e.into_result().is_ok());
    }

    #[test]
    fn new_staff_needs_email_name_and_a_long_password() {
        let errors = StaffData::parse(
            &StaffInput {
                email: Some("x".into()),
                password: Some("short".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap_err();
        assert_eq!(errors.get("email"), Some("error-email"));
        assert_eq!(errors.get("first_name"), Some("error-required"));
        assert_eq!(errors.get("password"), Some("error-password-short"));
        let ok = StaffData::parse(
            &StaffInput {
                email: Some("Ann@Example.com".into()),
                first_name: Some("Ann".into()),
                password: Some("long enough password".into()),
                ..Default::default()
            },
            None,
        )
        .unwrap();
        assert_eq!(ok.email.as_str(), "ann@example.com");
        assert!(ok.active && !ok.is_admin);
    }
}
