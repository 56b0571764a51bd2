//! Invoices: drafts with items, discount and adjustment, totals per
//! EN 16931, and issuing with a gapless number; the customer's Invoices
//! tab, the invoice page and the draft form; the PDF, archived when the
//! invoice is issued.

pub mod api;
pub mod html;
pub mod model;
pub mod pdf;
mod repo;
pub mod send;
pub mod service;

use super::{ModuleDescriptor, Tab};
use crate::policy::Module;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "invoices",
    html: html::routes,
    api: api::routes,
    tabs: &[Tab {
        key: "invoices",
        label_key: "tab-invoices",
        order: 50,
        module: Some(Module::Invoices),
    }],
    portal: &[],
};
