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

use super::{Figure, MailKind, ModuleDescriptor, NavGroup, NavLink, Series, Tab};
use crate::state::AppState;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "credit_notes",
    html: routes,
    api: api::routes,
    openapi: api::openapi,
    tabs: &[Tab {
        key: "credit-notes",
        label_key: "tab-credit-notes",
        order: 55,
        module: Some(service::AREA),
    }],
    permissions: &[service::AREA],
    nav: &[NavLink {
        href: "/credit-notes",
        label_key: "tab-credit-notes",
        icon: "file-earmark-minus",
        group: NavGroup::Sales,
        area: Some(service::AREA),
        order: 30,
    }],
    figures: &[Figure {
        order: 30,
        load: |db, actor, customer, today| Box::pin(service::figures(db, actor, customer, today)),
    }],
    search: &[super::document_search::<service::CreditNotes>(
        "credit_notes",
        "tab-credit-notes",
        40,
    )],
    customer_links: &[super::keeps_documents::<service::CreditNotes>()],
    records: &[super::document_record::<service::CreditNotes>()],
    series: &[Series {
        key: "credit_note",
        default_format: "GS-{YYYY}-{N:5}",
        label_key: "billing-series-credit_note",
        order: 20,
    }],
    mail_templates: &[MailKind {
        key: "credit_note",
        label_key: "billing-mail-template-credit_note",
        help_key: "billing-mail-template-credit_note-help",
        order: 50,
    }],
    ..ModuleDescriptor::BASE
};

fn routes() -> Router<AppState> {
    html::routes().merge(portal::routes())
}
