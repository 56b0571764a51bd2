//! The customer portal for contacts: its own sessions (cookie
//! `kontor_portal`, separate from staff sessions), login, forgot and set
//! password, dashboard, profile, password and language. A contact only ever
//! reaches its own customer's data. Staff may "log in as customer": that
//! opens a portal session tied to their staff session, audited and marked
//! by a banner, and leaving returns to the staff session untouched.

pub mod html;
pub mod model;
pub mod service;

use super::{ModuleDescriptor, PortalLink, SettingsPage};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "portal",
    html: html::routes,
    api: axum::Router::new,
    portal: &[
        PortalLink {
            href: "/portal",
            label_key: "portal-dashboard",
            icon: "house",
            area: None,
            order: 0,
        },
        PortalLink {
            href: "/portal/profile",
            label_key: "portal-profile",
            icon: "person-circle",
            area: None,
            order: 900,
        },
    ],
    settings: &[SettingsPage {
        href: "/settings/portal",
        label_key: "nav-portal-settings",
        hint_key: "settings-hint-portal",
        icon: "window",
        area: crate::policy::SETTINGS,
        order: 910,
    }],
    ..ModuleDescriptor::BASE
};
