//! The Settings hub at `/settings`: one section per settings page the
//! modules register, shown to staff who may open it.

pub mod html;

use super::ModuleDescriptor;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "settings",
    html: html::routes,
    ..ModuleDescriptor::BASE
};
