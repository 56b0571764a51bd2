//! Customers: the list with search, filters and bulk actions, CSV import
//! and export, and the customer overview whose header and tab menu every
//! other module's tab renders inside. A staff member whose role grants
//! only "view own" sees exactly the customers they administer; a customer
//! outside the actor's scope does not exist for them (404).

pub mod api;
pub mod csv_io;
pub mod dashboard;
pub mod defaults;
mod group_repo;
pub mod html;
pub mod model;
pub mod overview;
mod portal;
mod recent;
mod repo;
pub mod service;

use axum::Router;

use super::{ModuleDescriptor, NavGroup, NavLink, SearchProvider, Tab};
use crate::{policy, state::AppState};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "customers",
    html: routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
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
    dashboard: dashboard::WIDGETS,
    nav: &[NavLink {
        href: "/customers",
        label_key: "nav-customers",
        icon: "people",
        group: NavGroup::Customers,
        area: Some(policy::CUSTOMERS),
        order: 10,
    }],
    search: &[SearchProvider {
        kind: "customers",
        label_key: "nav-customers",
        order: 10,
        find: |db, actor, query, limit| Box::pin(service::search(db, actor, query, limit)),
    }],
    records: &[super::of_customer(service::KIND)],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(portal::routes())
}
