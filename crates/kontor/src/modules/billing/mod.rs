//! Billing settings (Settings > Billing): company details, bank details and
//! logo shown on documents, tax rates, payment modes and the number formats
//! of the document series. Invoices, payments and credit notes build on
//! these.

pub mod api;
pub mod dashboard;
pub mod html;
pub mod logo;
pub mod model;
mod repo;
pub mod service;
pub mod setup;

use super::{ModuleDescriptor, SettingsPage};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "billing",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    dashboard: dashboard::WIDGETS,
    first_run: setup::FIRST_RUN,
    settings: &[
        SettingsPage {
            href: setup::PATH,
            label_key: "nav-setup",
            hint_key: "settings-hint-setup",
            icon: "stars",
            area: crate::policy::SETTINGS,
            order: 900,
        },
        SettingsPage {
            href: "/settings/billing",
            label_key: "nav-billing-settings",
            hint_key: "settings-hint-billing",
            icon: "receipt",
            area: crate::policy::SETTINGS,
            order: 920,
        },
    ],
    ..ModuleDescriptor::BASE
};
