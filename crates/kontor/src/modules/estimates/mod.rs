//! Estimates (Angebote): drafts with the body of an invoice and an expiry
//! date, numbered when first sent, answered by the customer on a secret
//! link or in the portal (acceptance with a drawn signature), converted to
//! an invoice once, expired and reminded by the worker.

pub mod api;
pub mod html;
pub mod model;
mod public;
mod repo;
pub mod service;

use axum::Router;

use super::{
    Figure, Job, MailKind, ModuleDescriptor, NavGroup, NavLink, PortalLink, Series, SettingsPage,
    Tab,
};
use crate::{common::documents::answer, policy, state::AppState};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "estimates",
    html: routes,
    api: api::routes,
    openapi: api::openapi,
    tabs: &[Tab {
        key: "estimates",
        label_key: "tab-estimates",
        order: 60,
        module: Some(service::AREA),
    }],
    portal: &[PortalLink {
        href: "/portal/estimates",
        label_key: "tab-estimates",
        icon: "file-earmark-text",
        area: Some("estimates"),
        order: 120,
    }],
    permissions: &[service::AREA],
    nav: &[NavLink {
        href: "/estimates",
        label_key: "tab-estimates",
        icon: "file-earmark-text",
        group: NavGroup::Sales,
        area: Some(service::AREA),
        order: 5,
    }],
    jobs: &[
        Job {
            name: "estimate expiry",
            run: |s| Box::pin(async move { Ok(answer::expire::<service::Estimates>(&s).await?) }),
        },
        Job {
            name: "estimate reminders",
            run: |s| Box::pin(async move { Ok(answer::remind::<service::Estimates>(&s).await?) }),
        },
    ],
    figures: &[Figure {
        order: 25,
        load: |db, actor, customer, today| Box::pin(service::figures(db, actor, customer, today)),
    }],
    search: &[super::document_search::<service::Estimates>(
        "estimates",
        "tab-estimates",
        35,
    )],
    customer_links: &[super::keeps_documents::<service::Estimates>()],
    records: &[super::document_record::<service::Estimates>()],
    series: &[Series {
        key: "estimate",
        default_format: "AN-{YYYY}-{N:5}",
        label_key: "billing-series-estimate",
        order: 15,
    }],
    mail_templates: &[
        MailKind {
            key: "estimate",
            label_key: "billing-mail-template-estimate",
            help_key: "billing-mail-template-estimate-help",
            order: 20,
        },
        MailKind {
            key: "estimate_reminder",
            label_key: "billing-mail-template-estimate_reminder",
            help_key: "billing-mail-template-estimate_reminder-help",
            order: 25,
        },
    ],
    settings: &[SettingsPage {
        href: "/settings/estimates",
        label_key: "estimates-settings",
        hint_key: "estimates-settings-hint",
        icon: "file-earmark-text",
        area: policy::SETTINGS,
        order: 930,
    }],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes()
}
