//! Infrastructure shared by every Kontor module. Nothing here knows a
//! business noun: configuration, errors, database access, password and
//! token handling, i18n, markdown, mail and background jobs.

pub mod archive;
pub mod auth;
pub mod clock;
pub mod config;
pub mod crypto;
pub mod csv_dialect;
pub mod db;
pub mod error;
pub mod geocode;
pub mod i18n;
pub mod jobs;
pub mod mail;
pub mod markdown;
pub mod money;
pub mod pdf;
pub mod reset;
pub mod secret;
pub mod session;
pub mod settings;
pub mod storage;
pub mod throttle;
pub mod types;
pub mod web;

pub use error::{AppError, AppResult, FieldErrors};
