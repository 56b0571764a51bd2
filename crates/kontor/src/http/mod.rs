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
pub mod frame;
pub mod icons;
pub mod identity;
pub mod limits;
pub mod metrics;
pub mod portal;
pub mod security;

use axum::http::HeaderMap;
use std::net::{IpAddr, SocketAddr};

/// The client's address: the peer, or, when the peer is a trusted proxy
/// (`KONTOR_TRUSTED_PROXIES`), the last address in `X-Forwarded-For` that
/// is not one of our proxies. A client cannot choose its address by
/// sending the header itself: only hops our proxies appended are read.
pub fn client_ip(trusted: &[ipnet::IpNet], addr: SocketAddr, headers: &HeaderMap) -> String {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|n| n.contains(ip));
    let peer = addr.ip();
    if !is_trusted(&peer) {
        return peer.to_string();
    }
    let hops: Vec<IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|h| h.trim().parse().ok())
        .collect();
    hops.into_iter()
        .rev()
        .find(|ip| !is_trusted(ip))
        .unwrap_or(peer)
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let proxy: SocketAddr = "10.0.0.2:5000".parse().unwrap();
        let mut h = HeaderMap::new();
        h.insert("x-forwarded-for", "6.6.6.6, 203.0.113.9".parse().unwrap());
        let trusted = ["10.0.0.0/8".parse().unwrap()];
        assert_eq!(client_ip(&trusted, proxy, &h), "203.0.113.9");
        assert_eq!(client_ip(&[], proxy, &h), "10.0.0.2", "no proxy trusted");
        let direct: SocketAddr = "198.51.100.1:4000".parse().unwrap();
        assert_eq!(client_ip(&trusted, direct, &h), "198.51.100.1");
    }
}
