//! Files: uploads on a customer (and, through `entity_type`/`entity_id`,
//! on any of its records), stored through the kernel's object storage and
//! streamed in and out. Contacts see the files shared with their customer
//! and upload their own in the portal.

pub mod api;
pub mod html;
pub mod model;
mod portal_dashboard;
mod repo;
pub mod service;

use super::{CustomerLink, ModuleDescriptor, PortalLink, Record, Tab};

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "files",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    tabs: &[Tab {
        key: "files",
        label_key: "tab-files",
        order: 150,
        module: None,
    }],
    portal: &[PortalLink {
        href: "/portal/files",
        label_key: "tab-files",
        icon: "paperclip",
        area: None,
        order: 150,
    }],
    portal_dashboard: portal_dashboard::WIDGETS,
    customer_links: &[CustomerLink::Deletes(|txn, customer, _| {
        Box::pin(service::objects_of(txn, customer))
    })],
    // A file on a record is seen by whoever sees that record (its upload
    // in the activity log included).
    records: &[Record {
        kind: "file",
        with_customer: false,
        visible: |db, actor, id| Box::pin(service::visible(db, actor, model::FileId(id))),
        page: None,
        title: None,
    }],
    ..ModuleDescriptor::BASE
};
