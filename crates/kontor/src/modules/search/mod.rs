//! The global search reachable from every page: customers (by name, VAT
//! id, number, city, contact names and emails) and their matching contacts,
//! always within what the actor may see. Later modules add invoices,
//! tickets and projects here.

pub mod api;
pub mod html;
pub mod model;
pub mod service;

use super::ModuleDescriptor;

pub const DESCRIPTOR: ModuleDescriptor = ModuleDescriptor {
    key: "search",
    html: html::routes,
    api: api::routes,
    openapi: <api::Doc as utoipa::OpenApi>::openapi,
    ..ModuleDescriptor::BASE
};
