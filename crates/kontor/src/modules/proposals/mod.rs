//! Proposals (Vorschläge): a subject and markdown content with optional
//! item lines, numbered when first sent, read, commented on and answered by
//! the customer on a secret link or in the portal (acceptance with a drawn
//! signature), converted once each to an estimate and to an invoice,
//! expired and reminded by the worker.

pub mod api;
pub mod html;
pub mod model;
mod public;
mod repo;
pub mod service;

use axum::Router;

use super::{
    Job, MailKind, ModuleDescriptor, NavGroup, NavLink, PortalLink, Series, SettingsPage, Tab,
};
use crate::{common::documents::answer, policy, state::AppState};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "proposals",
    html: routes,
    api: api::routes,
    openapi: api::openapi,
    tabs: &[Tab {
        key: "proposals",
        label_key: "tab-proposals",
        order: 52,
        module: Some(service::AREA),
    }],
    portal: &[PortalLink {
        href: "/portal/proposals",
        label_key: "tab-proposals",
        icon: "file-earmark-word",
        area: Some("proposals"),
        order: 115,
    }],
    permissions: &[service::AREA],
    nav: &[NavLink {
        href: "/proposals",
        label_key: "tab-proposals",
        icon: "file-earmark-word",
        group: NavGroup::Sales,
        area: Some(service::AREA),
        order: 4,
    }],
    jobs: &[
        Job {
            name: "proposal expiry",
            run: |s| Box::pin(async move { Ok(answer::expire::<service::Proposals>(&s).await?) }),
        },
        Job {
            name: "proposal reminders",
            run: |s| Box::pin(async move { Ok(answer::remind::<service::Proposals>(&s).await?) }),
        },
    ],
    search: &[super::document_search::<service::Proposals>(
        "proposals",
        "tab-proposals",
        36,
    )],
    customer_links: &[super::keeps_documents::<service::Proposals>()],
    records: &[super::document_record::<service::Proposals>()],
    series: &[Series {
        key: "proposal",
        default_format: "VS-{YYYY}-{N:5}",
        label_key: "billing-series-proposal",
        order: 14,
    }],
    mail_templates: &[
        MailKind {
            key: "proposal",
            label_key: "billing-mail-template-proposal",
            help_key: "billing-mail-template-proposal-help",
            order: 18,
        },
        MailKind {
            key: "proposal_reminder",
            label_key: "billing-mail-template-proposal_reminder",
            help_key: "billing-mail-template-proposal_reminder-help",
            order: 19,
        },
    ],
    settings: &[SettingsPage {
        href: "/settings/proposals",
        label_key: "proposals-settings",
        hint_key: "proposals-settings-hint",
        icon: "file-earmark-word",
        area: policy::SETTINGS,
        order: 925,
    }],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(public::routes())
}
