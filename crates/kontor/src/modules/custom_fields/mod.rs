//! Custom fields: administrators define extra fields per record kind
//! (customers and contacts so far) under Settings; values are validated on
//! the server by type and stored per record. Records keep their values
//! under the field's key (`custom_fields.<key>` in forms, errors and JSON).

pub mod api;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::{ModuleDescriptor, SettingsPage};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "custom_fields",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    settings: &[SettingsPage {
        href: "/settings/custom-fields",
        label_key: "nav-custom-fields",
        hint_key: "settings-hint-custom-fields",
        icon: "input-cursor-text",
        area: crate::policy::SETTINGS,
        order: 900,
    }],
    ..ModuleDescriptor::BASE
};
