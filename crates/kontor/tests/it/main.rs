//! The integration suite: the real app over HTTP, on SQLite and PostgreSQL.

mod helpers;

mod answer_permissions;
mod api;
mod auth;
mod backup;
mod billing;
mod billing_permissions;
mod browser;
mod cli;
mod contacts;
mod credit_notes;
mod custom_fields;
mod customers;
mod dashboard;
pub mod documents;
pub mod email;
mod estimates;
mod files;
mod forms;
mod invoices;
mod jobs;
mod keyboard;
mod notes;
mod permissions;
mod portal;
mod print;
mod proposals;
mod reminders;
mod search;
mod series;
mod setup;
mod shell;
mod statement;
mod vault;
