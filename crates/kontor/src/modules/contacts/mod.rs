//! Contacts of a customer. Emails are unique among all contacts; a customer
//! with contacts has exactly one primary contact (a partial unique index
//! backs this up); the primary is switched with "make primary", never by
//! creating a second one. Portal permissions and notification preferences
//! are stored here for the customer portal.

pub mod api;
mod csv_io;
pub mod html;
pub mod model;
mod repo;
pub mod service;

use super::{CustomerLink, Figure, ModuleDescriptor, SearchProvider, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "contacts",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    tabs: &[Tab {
        key: "contacts",
        label_key: "tab-contacts",
        order: 10,
        module: None,
    }],
    figures: &[Figure {
        order: 10,
        load: |db, actor, customer, today| Box::pin(service::figures(db, actor, customer, today)),
    }],
    search: &[SearchProvider {
        kind: "contacts",
        label_key: "tab-contacts",
        order: 20,
        find: |db, actor, query, limit| Box::pin(service::search(db, actor, query, limit)),
    }],
    customer_links: &[CustomerLink::Deletes(|txn, customer, clock| {
        Box::pin(async move {
            service::delete_all_of(txn, customer, clock).await?;
            Ok(Vec::new())
        })
    })],
    records: &[super::of_customer(service::KIND)],
    ..ModuleDescriptor::BASE
};
