//! Customers: the list with search, filters and bulk actions, CSV import
//! and export, and the customer overview whose header and tab menu every
//! other module's tab renders inside. A staff member whose role grants
//! only "view own" sees exactly the customers they administer; a customer
//! outside the actor's scope does not exist for them (404).

pub mod api;
pub mod csv_io;
pub mod html;
pub mod model;
pub mod overview;
mod repo;
pub mod service;

use super::{ModuleDescriptor, NavLink, Tab};
use crate::policy;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "customers",
    html: html::routes,
    api: api::routes,
    tabs: &[
        Tab {
            key: "",
            label_key: "tab-profile",
            order: 0,
            module: None,
        },
        Tab {
            key: "map",
            label_key: "tab-map",
            order: 800,
            module: None,
        },
    ],
    permissions: &[policy::CUSTOMERS],
    nav: &[NavLink {
        href: "/customers",
        label_key: "nav-customers",
        area: policy::CUSTOMERS,
        order: 10,
    }],
    ..ModuleDescriptor::BASE
};
