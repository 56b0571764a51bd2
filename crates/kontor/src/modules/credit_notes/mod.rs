//! Credit notes (Gutschriften; the document is titled Rechnungskorrektur,
//! a cancellation Stornorechnung): drafts, issuing with their own number
//! series, applying credit to invoices, refunds, voiding, the PDF, and
//! cancelling an invoice.

pub mod api;
pub mod html;
pub mod model;
mod portal;
mod repo;
pub mod service;

use axum::Router;

use super::{CustomerLink, Figure, ModuleDescriptor, Record, SearchProvider, Tab};
use crate::state::AppState;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "credit_notes",
    html: routes,
    api: api::routes,
    tabs: &[Tab {
        key: "credit-notes",
        label_key: "tab-credit-notes",
        order: 55,
        module: Some(service::AREA),
    }],
    permissions: &[service::AREA],
    figures: &[Figure {
        order: 30,
        load: |db, actor, customer, today| Box::pin(service::figures(db, actor, customer, today)),
    }],
    search: &[SearchProvider {
        kind: "credit_notes",
        label_key: "tab-credit-notes",
        order: 40,
        find: |db, actor, query, limit| {
            Box::pin(super::customers::service::search_documents(
                db,
                actor,
                query,
                limit,
                &service::KIND,
            ))
        },
    }],
    customer_links: &[CustomerLink::Keeps(|db, customer| {
        Box::pin(service::customer_has_notes(db, customer))
    })],
    records: &[Record {
        kind: service::KIND.key,
        with_customer: false,
        visible: |db, actor, id| Box::pin(service::visible(db, actor, id)),
        page: Some(|id| format!("/credit-notes/{id}")),
    }],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(portal::routes())
}
