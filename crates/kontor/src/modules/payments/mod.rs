//! Payments on issued invoices: recorded, changed and deleted under the
//! invoices permissions; each change recomputes the invoice's paid amount
//! and status in the same transaction. Paying more than is due is refused.

pub mod api;
pub mod dashboard;
pub mod html;
pub mod model;
pub mod receipt;
mod repo;
pub mod service;

use super::{MailKind, ModuleDescriptor, NavGroup, NavLink, Record, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "payments",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    dashboard: dashboard::WIDGETS,
    nav: &[NavLink {
        href: "/payments",
        label_key: "tab-payments",
        icon: "cash-coin",
        group: NavGroup::Sales,
        area: Some(crate::modules::invoices::service::AREA),
        order: 20,
    }],
    tabs: &[Tab {
        key: "payments",
        label_key: "tab-payments",
        order: 40,
        module: Some(crate::modules::invoices::service::AREA),
    }],
    records: &[Record {
        kind: "payment",
        with_customer: false,
        visible: |db, actor, id| Box::pin(service::visible(db, actor, id)),
        page: None,
        title: None,
    }],
    mail_templates: &[MailKind {
        key: "receipt",
        label_key: "billing-mail-template-receipt",
        help_key: "billing-mail-template-receipt-help",
        order: 40,
    }],
    ..ModuleDescriptor::BASE
};
