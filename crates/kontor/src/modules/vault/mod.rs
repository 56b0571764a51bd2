//! The vault (*Tresor*): credentials shared between a customer and staff.
//! Passwords are sealed with XChaCha20-Poly1305 under a key that never
//! lives in the database; reading one ("reveal") needs the viewer's own
//! login password again (valid five minutes in a browser session) and is
//! logged every time. Visibility: only the creator, administrators (and the
//! creator), or every staff member who may see the customer; entries can
//! be shared with the customer's contacts. Only the creator or an admin
//! changes an entry.

pub mod api;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::{ModuleDescriptor, PortalLink, Record, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "vault",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    tabs: &[Tab {
        key: "vault",
        label_key: "tab-vault",
        order: 160,
        module: None,
    }],
    portal: &[PortalLink {
        href: "/portal/vault",
        label_key: "tab-vault",
        icon: "key",
        area: None,
        order: 160,
    }],
    records: &[Record {
        kind: "vault",
        with_customer: false,
        visible: |db, actor, id| Box::pin(service::visible(db, actor, id)),
        page: None,
        title: None,
    }],
    ..ModuleDescriptor::BASE
};
