//! Business logic shared by several modules.

pub mod attach;
pub mod csv_io;
pub mod documents;
pub mod entity_ref;
pub mod filter;
pub mod ids;
pub mod lines;
pub mod mail;
pub mod search;
pub mod sending;
pub mod series;
pub mod totals;
