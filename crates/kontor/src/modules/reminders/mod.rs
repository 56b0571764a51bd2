//! Reminders (*Erinnerungen*) on a customer (or any record): when one is
//! due, the worker gives the staff member an in-app notification and, if
//! asked, an email. Claiming, notifying and marking happen in one
//! transaction, so each reminder notifies exactly once, however many
//! instances run and wherever one of them stops. Each staff member has a
//! secret iCalendar feed of their reminders.

pub mod api;
pub mod dashboard;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::{Job, ModuleDescriptor, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "reminders",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    dashboard: dashboard::WIDGETS,
    tabs: &[Tab {
        key: "reminders",
        label_key: "tab-reminders",
        order: 170,
        module: None,
    }],
    jobs: &[Job {
        name: "reminders",
        run: |s| {
            Box::pin(async move { Ok(service::process_due(&s.db, &s.config, &s.clock).await?) })
        },
    }],
    records: &[super::of_customer("reminder")],
    ..ModuleDescriptor::BASE
};
