//! Staff members, roles and signing in: passwords (argon2id), sessions,
//! optional TOTP, password reset by email, API tokens. A role carries the
//! permission grid the policy module reads; admins bypass the grid. The
//! last active admin can neither be deactivated nor lose the admin flag.

pub mod api;
pub mod html;
pub mod model;
mod repo;
pub mod service;
