//! Private notes on a record (an `EntityRef`; the customer overview shows
//! the customer's). Bodies are markdown, rendered and sanitised on display.
//! Only the author or an admin changes a note. Notes never reach the
//! portal, contacts or documents.

pub mod api;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::{CustomerLink, ModuleDescriptor, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "notes",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    tabs: &[Tab {
        key: "notes",
        label_key: "tab-notes",
        order: 20,
        module: None,
    }],
    customer_links: &[CustomerLink::Deletes(|txn, customer, _| {
        Box::pin(async move {
            service::delete_all_of(txn, crate::modules::customers::service::entity(customer))
                .await?;
            Ok(Vec::new())
        })
    })],
    records: &[super::of_customer("note")],
    ..ModuleDescriptor::BASE
};
