//! The activity log (who did what, when, from where) and the field-level
//! change history (who changed which field from what to what) of any
//! record. Both are written inside the caller's transaction, so a change
//! and its audit trail commit together or not at all.

pub mod api;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::{ModuleDescriptor, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "activity",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    tabs: &[Tab {
        key: "activity",
        label_key: "tab-activity",
        order: 900,
        module: None,
    }],
    ..ModuleDescriptor::BASE
};
