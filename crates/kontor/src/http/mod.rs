//! The web layer shared by every module: identity and sessions, CSRF,
//! rendering errors per surface, page context, static assets, metrics and
//! security headers.

pub mod assets;
pub mod csrf;
pub mod ctx;
pub mod download;
pub mod errors;
pub mod extract;
pub mod form;
pub mod identity;
pub mod limits;
pub mod metrics;
pub mod security;

use axum::http::HeaderMap;
use std::net::SocketAddr;

/// The peer address; behind a proxy the deployment should set the bind
/// address to loopback and let the proxy terminate.
pub fn client_ip(addr: SocketAddr, _headers: &HeaderMap) -> String {
    addr.ip().to_string()
}
