//! Staff members, roles and signing in: passwords (argon2id), sessions,
//! optional TOTP, password reset by email, API tokens. A role carries the
//! permission grid the policy module reads; admins bypass the grid. The
//! last active admin can neither be deactivated nor lose the admin flag.

pub mod api;
pub mod html;
pub mod model;
mod repo;
mod roles;
pub mod service;

use axum::Router;

use super::{ModuleDescriptor, SettingsPage};
use crate::state::AppState;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "staff",
    html: routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    permissions: &[service::AREA],
    settings: &[
        SettingsPage {
            href: "/staff",
            label_key: "nav-staff",
            hint_key: "settings-hint-staff",
            icon: "person-badge",
            area: service::AREA,
            order: 800,
        },
        SettingsPage {
            href: "/roles",
            label_key: "nav-roles",
            hint_key: "settings-hint-roles",
            icon: "shield-lock",
            area: service::AREA,
            order: 810,
        },
    ],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(roles::routes())
}
