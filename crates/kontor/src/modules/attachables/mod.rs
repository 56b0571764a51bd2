//! What hangs on a record (notes, files, reminders), shown together on the
//! record's page with the forms to add more. The record's module has
//! decided that the actor sees the record; each attachable's module
//! decides the rest.

mod html;
pub mod service;
