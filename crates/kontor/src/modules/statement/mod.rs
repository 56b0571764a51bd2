//! The customer's statement (Abrechnung): balance at the start of a period,
//! every movement with the running balance, the summary; print view, PDF,
//! email, JSON, and the contact's own statement in the portal.

pub mod api;
pub mod html;
pub mod model;
pub mod pdf;
mod portal;
mod repo;
pub mod send;
pub mod service;

use axum::Router;

use super::{MailKind, ModuleDescriptor, PortalLink, Tab};
use crate::state::AppState;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "statement",
    html: routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    tabs: &[Tab {
        key: "statement",
        label_key: "tab-statement",
        order: 35,
        module: Some(crate::modules::invoices::service::AREA),
    }],
    portal: &[PortalLink {
        href: "/portal/statement",
        label_key: "tab-statement",
        icon: "journal-text",
        area: Some("invoices"),
        order: 115,
    }],
    mail_templates: &[MailKind {
        key: "statement",
        label_key: "billing-mail-template-statement",
        help_key: "billing-mail-template-statement-help",
        order: 20,
    }],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(portal::routes())
}
