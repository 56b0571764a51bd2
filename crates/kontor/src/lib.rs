//! Kontor: a self-hosted CRM. `app` wires the modules listed in
//! `modules::MODULES` into one router and one worker.

pub mod api;
pub mod app;
pub mod backup;
pub mod bench;
pub mod cli;
pub mod common;
pub mod demo;
pub mod http;
pub mod i18n;
pub mod modules;
pub mod policy;
pub mod state;
