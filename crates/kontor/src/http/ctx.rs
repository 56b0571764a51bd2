//! What every HTML page needs besides its own data: language, the signed-in
//! staff member, the CSRF token, a flash message and the navigation.

use axum::{extract::FromRequestParts, http::request::Parts};
use kernel::{AppError, i18n::Locale};

use crate::{
    http::identity::Identity,
    i18n,
    modules::{self, NavGroup},
    policy,
};

#[derive(Clone, Debug)]
pub struct NavItem {
    pub href: &'static str,
    pub label: String,
    pub icon: &'static str,
    pub active: bool,
}

/// A group of the menu under its heading (none for the first).
#[derive(Clone, Debug)]
pub struct NavSection {
    pub label: Option<String>,
    pub items: Vec<NavItem>,
}

#[derive(Clone, Debug)]
pub struct Ctx {
    pub locale: Locale,
    pub csrf: String,
    pub flash: Option<String>,
    /// The message key behind `flash`, to translate it again for a contact.
    pub flash_key: Option<String>,
    /// Shown to administrators: mails go to files, not to recipients.
    pub mail_notice: Option<String>,
    pub staff_name: Option<String>,
    pub nav: Vec<NavSection>,
    pub path: String,
    pub timezone: chrono_tz::Tz,
    pub unread: u64,
}

impl Ctx {
    pub fn t(&self, key: &str) -> String {
        i18n::t(self.locale, key)
    }

    /// Whether the flash message reports a refusal (shown as an error).
    pub fn flash_is_error(&self) -> bool {
        self.flash_key
            .as_deref()
            .is_some_and(|k| k.starts_with("error-"))
    }

    pub fn lang(&self) -> &'static str {
        self.locale.code()
    }

    pub fn date(&self, date: &chrono::NaiveDate) -> String {
        self.locale.format_date(*date)
    }

    pub fn datetime(&self, at: &chrono::DateTime<chrono::Utc>) -> String {
        self.locale.format_datetime(*at, self.timezone)
    }

    /// An amount of money in the user's locale (`1.234,50 EUR`, `EUR 1,234.50`).
    pub fn amount(&self, value: &rust_decimal::Decimal, currency: &str) -> String {
        self.locale.format_amount(*value, currency)
    }

    /// Sums in minor units per currency, one after the other
    /// (`1.234,50 EUR · 99,00 USD`).
    pub fn sums(&self, sums: &[(String, i64)]) -> String {
        sums.iter()
            .map(|(currency, minor)| {
                let value =
                    kernel::money::from_minor(*minor, kernel::money::minor_digits(currency));
                self.amount(&value, currency)
            })
            .collect::<Vec<_>>()
            .join(" · ")
    }

    /// A decimal number (quantity, percent) in the user's locale.
    pub fn number(&self, value: &rust_decimal::Decimal) -> String {
        self.locale.format_decimal(&value.normalize().to_string())
    }

    pub fn size(&self, bytes: &i64) -> String {
        self.locale.format_size(*bytes)
    }

    pub fn from_identity(identity: &Identity, path: &str) -> Self {
        let locale = identity.locale;
        let nav = match identity.staff.as_ref().map(|s| &s.actor) {
            Some(actor) => menu(locale, actor, path),
            None => Vec::new(),
        };
        Self {
            locale,
            csrf: identity.csrf.clone(),
            flash_key: identity.flash.clone().filter(|k| i18n::has(k)),
            flash: identity
                .flash
                .as_deref()
                .filter(|k| i18n::has(k))
                .map(|k| i18n::t(locale, k)),
            staff_name: identity.staff.as_ref().map(|s| s.actor.name.clone()),
            mail_notice: identity
                .mail_dir
                .as_ref()
                .filter(|_| identity.staff.as_ref().is_some_and(|s| s.actor.is_admin))
                .map(|dir| i18n::t_args(locale, "mail-to-files", &[("dir", dir.clone())])),
            nav,
            path: path.to_string(),
            timezone: identity.timezone,
            unread: identity.unread,
        }
    }
}

/// The main menu of the actor in its groups, the entry of `path` marked.
fn menu(locale: Locale, actor: &policy::StaffActor, path: &str) -> Vec<NavSection> {
    let mut sections: Vec<(NavGroup, NavSection)> = Vec::new();
    for link in modules::nav_links(actor) {
        let active = if link.group == NavGroup::Settings {
            modules::is_settings_path(path)
        } else {
            modules::under(path, link.href)
        };
        let item = NavItem {
            href: link.href,
            label: i18n::t(locale, link.label_key),
            icon: link.icon,
            active,
        };
        match sections.last_mut() {
            Some((group, section)) if *group == link.group => section.items.push(item),
            _ => sections.push((
                link.group,
                NavSection {
                    label: link.group.label_key().map(|k| i18n::t(locale, k)),
                    items: vec![item],
                },
            )),
        }
    }
    sections.into_iter().map(|(_, s)| s).collect()
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let identity = parts
            .extensions
            .get::<Identity>()
            .cloned()
            .unwrap_or_default();
        Ok(Self::from_identity(&identity, parts.uri.path()))
    }
}
