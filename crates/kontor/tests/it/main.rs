//! The integration suite: the real app over HTTP, on SQLite and PostgreSQL.

mod helpers;

mod api;
mod auth;
mod billing;
mod browser;
mod contacts;
mod custom_fields;
mod customers;
mod documents;
pub mod email;
mod files;
mod invoices;
mod notes;
mod permissions;
mod portal;
mod reminders;
mod series;
mod vault;
