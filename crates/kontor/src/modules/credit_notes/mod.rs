//! Credit notes (Gutschriften; the document is titled Rechnungskorrektur,
//! a cancellation Stornorechnung): drafts, issuing with their own number
//! series, applying credit to invoices, refunds, voiding, the PDF, and
//! cancelling an invoice.

pub mod api;
pub mod html;
pub mod model;
pub mod pdf;
mod repo;
pub mod send;
pub mod service;

use super::{ModuleDescriptor, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "credit_notes",
    html: html::routes,
    api: api::routes,
    tabs: &[Tab {
        key: "credit-notes",
        label_key: "tab-credit-notes",
        order: 55,
        module: Some(service::AREA),
    }],
    permissions: &[service::AREA],
    ..ModuleDescriptor::BASE
};
