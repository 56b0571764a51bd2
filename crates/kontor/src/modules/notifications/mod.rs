//! In-app notifications for staff (the bell): created by other modules
//! with a dedupe key, so a notification is stored once even when the work
//! that creates it runs twice.

pub mod dashboard;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::ModuleDescriptor;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "notifications",
    html: html::routes,
    api: axum::Router::new,
    dashboard: dashboard::WIDGETS,
    ..ModuleDescriptor::BASE
};
