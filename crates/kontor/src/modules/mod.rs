//! Business modules. Each registers itself with one [`ModuleDescriptor`]
//! line in [`MODULES`]: its HTML and API routers and the customer-overview
//! tabs it contributes.

use axum::Router;

use crate::state::AppState;

pub mod activity;
pub mod billing;
pub mod contacts;
pub mod credit_notes;
pub mod custom_fields;
pub mod customers;
pub mod files;
pub mod invoices;
pub mod notes;
pub mod notifications;
pub mod payments;
pub mod portal;
pub mod reminders;
pub mod search;
pub mod staff;
pub mod statement;
pub mod vault;

/// A tab on the customer overview, at `/customers/{id}/{key}`.
pub struct Tab {
    pub key: &'static str,
    pub label_key: &'static str,
    /// Position in the SPEC order of tabs.
    pub order: u16,
    /// The permission module whose records the tab lists; shown only to
    /// staff who may see some of them.
    pub module: Option<crate::policy::Module>,
}

/// An entry of the portal menu; `area` names the contact permission it
/// needs (`None`: every contact).
pub struct PortalLink {
    pub href: &'static str,
    pub label_key: &'static str,
    pub area: Option<&'static str>,
    pub order: u16,
}

pub struct ModuleDescriptor {
    pub key: &'static str,
    pub html: fn() -> Router<AppState>,
    pub api: fn() -> Router<AppState>,
    pub tabs: &'static [Tab],
    pub portal: &'static [PortalLink],
}

pub const MODULES: &[ModuleDescriptor] = &[
    ModuleDescriptor {
        key: "staff",
        html: staff::html::routes,
        api: staff::api::routes,
        tabs: &[],
        portal: &[],
    },
    customers::DESCRIPTOR,
    contacts::DESCRIPTOR,
    notes::DESCRIPTOR,
    activity::DESCRIPTOR,
    custom_fields::DESCRIPTOR,
    search::DESCRIPTOR,
    portal::DESCRIPTOR,
    billing::DESCRIPTOR,
    files::DESCRIPTOR,
    invoices::DESCRIPTOR,
    payments::DESCRIPTOR,
    credit_notes::DESCRIPTOR,
    statement::DESCRIPTOR,
    vault::DESCRIPTOR,
    reminders::DESCRIPTOR,
    notifications::DESCRIPTOR,
];

/// The overview tabs of all modules, in SPEC order.
pub fn customer_tabs() -> Vec<&'static Tab> {
    let mut tabs: Vec<&Tab> = MODULES.iter().flat_map(|m| m.tabs.iter()).collect();
    tabs.sort_by_key(|t| t.order);
    tabs
}

/// The portal menu of all modules, in order.
pub fn portal_links() -> Vec<&'static PortalLink> {
    let mut links: Vec<&PortalLink> = MODULES.iter().flat_map(|m| m.portal.iter()).collect();
    links.sort_by_key(|l| l.order);
    links
}
