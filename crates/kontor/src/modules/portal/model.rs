//! The signed-in contact.

use kernel::i18n::Locale;

use crate::modules::contacts::model::Contact;

pub use crate::http::identity::PORTAL_COOKIE as COOKIE;

#[derive(Clone, Debug)]
pub struct PortalUser {
    pub contact: Contact,
    pub company: String,
    pub locale: Locale,
    /// The staff member acting as this contact ("login as customer").
    pub impersonator: Option<String>,
}

impl PortalUser {
    /// Whether the contact may use a portal area (`invoices`, `support` ...).
    pub fn may(&self, area: &str) -> bool {
        self.contact.permissions.iter().any(|p| p == area)
    }
}
