//! Invoices: drafts with items, discount and adjustment, totals per
//! EN 16931, and issuing with a gapless number. Payments, PDFs, sending,
//! the portal and the customer's tab follow in their own steps.

pub mod api;
pub mod model;
mod repo;
pub mod service;

use super::ModuleDescriptor;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "invoices",
    html: axum::Router::new,
    api: api::routes,
    tabs: &[],
    portal: &[],
};
