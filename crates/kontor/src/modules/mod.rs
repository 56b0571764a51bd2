//! Business modules. Each registers itself with one [`ModuleDescriptor`]
//! line in [`MODULES`]: its HTML and API routers and the customer-overview
//! tabs it contributes.

use axum::Router;

use crate::state::AppState;

pub mod activity;
pub mod contacts;
pub mod custom_fields;
pub mod customers;
pub mod notes;
pub mod portal;
pub mod search;
pub mod staff;

/// A tab on the customer overview, at `/customers/{id}/{key}`.
pub struct Tab {
    pub key: &'static str,
    pub label_key: &'static str,
    /// Position in the SPEC order of tabs.
    pub order: u16,
}

pub struct ModuleDescriptor {
    pub key: &'static str,
    pub html: fn() -> Router<AppState>,
    pub api: fn() -> Router<AppState>,
    pub tabs: &'static [Tab],
}

pub const MODULES: &[ModuleDescriptor] = &[
    ModuleDescriptor {
        key: "staff",
        html: staff::html::routes,
        api: staff::api::routes,
        tabs: &[],
    },
    customers::DESCRIPTOR,
    contacts::DESCRIPTOR,
    notes::DESCRIPTOR,
    activity::DESCRIPTOR,
    custom_fields::DESCRIPTOR,
    search::DESCRIPTOR,
    portal::DESCRIPTOR,
];

/// The overview tabs of all modules, in SPEC order.
pub fn customer_tabs() -> Vec<&'static Tab> {
    let mut tabs: Vec<&Tab> = MODULES.iter().flat_map(|m| m.tabs.iter()).collect();
    tabs.sort_by_key(|t| t.order);
    tabs
}
