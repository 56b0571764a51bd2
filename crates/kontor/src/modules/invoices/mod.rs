//! Invoices: drafts with items, discount and adjustment, totals per
//! EN 16931, and issuing with a gapless number; the customer's Invoices
//! tab, the invoice page and the draft form; the PDF, archived when the
//! invoice is issued.

pub mod api;
pub mod dashboard;
pub mod html;
pub mod jobs;
pub mod model;
mod portal;
mod repo;
pub mod service;

use axum::Router;

use super::{Figure, Job, MailKind, ModuleDescriptor, NavGroup, NavLink, PortalLink, Series, Tab};
use crate::state::AppState;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "invoices",
    html: routes,
    api: api::routes,
    openapi: api::openapi,
    tabs: &[Tab {
        key: "invoices",
        label_key: "tab-invoices",
        order: 50,
        module: Some(service::AREA),
    }],
    portal: &[PortalLink {
        href: "/portal/invoices",
        label_key: "tab-invoices",
        icon: "receipt",
        area: Some("invoices"),
        order: 110,
    }],
    permissions: &[service::AREA],
    jobs: &[
        Job {
            name: "recurring invoices",
            run: |s| Box::pin(async move { Ok(jobs::recurring(&s).await?) }),
        },
        Job {
            name: "overdue reminders",
            run: |s| Box::pin(async move { Ok(jobs::overdue(&s).await?) }),
        },
    ],
    dashboard: dashboard::WIDGETS,
    portal_dashboard: dashboard::PORTAL_WIDGETS,
    nav: &[NavLink {
        href: "/invoices",
        label_key: "tab-invoices",
        icon: "receipt",
        group: NavGroup::Sales,
        area: Some(service::AREA),
        order: 10,
    }],
    figures: &[Figure {
        order: 20,
        load: |db, actor, customer, today| Box::pin(service::figures(db, actor, customer, today)),
    }],
    search: &[super::document_search::<service::Invoices>(
        "invoices",
        "tab-invoices",
        30,
    )],
    customer_links: &[super::keeps_documents::<service::Invoices>()],
    records: &[super::document_record::<service::Invoices>()],
    series: &[Series {
        key: "invoice",
        default_format: "RE-{YYYY}-{N:5}",
        label_key: "billing-series-invoice",
        order: 10,
    }],
    mail_templates: &[
        MailKind {
            key: "invoice",
            label_key: "billing-mail-template-invoice",
            help_key: "billing-mail-template-invoice-help",
            order: 10,
        },
        MailKind {
            key: "overdue",
            label_key: "billing-mail-template-overdue",
            help_key: "billing-mail-template-overdue-help",
            order: 30,
        },
    ],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(portal::routes())
}
