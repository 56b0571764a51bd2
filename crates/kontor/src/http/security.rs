//! Headers every response carries.

use std::sync::Arc;

use axum::{
    extract::{Request, State},
    http::HeaderValue,
    middleware::Next,
    response::Response,
};
use kernel::config::Config;

/// The headers built once from the configuration.
pub struct Policy {
    csp: HeaderValue,
    hsts: Option<HeaderValue>,
}

impl Policy {
    /// Images only from us, inline data and the map's tile server: no
    /// other remote image can be planted to track who reads a page.
    pub fn new(config: &Config) -> Arc<Self> {
        let tiles = url::Url::parse(&config.map_tile_url.replace(['{', '}'], ""))
            .ok()
            .map(|u| u.origin().ascii_serialization())
            .filter(|o| o != "null")
            .map(|o| format!(" {o}"))
            .unwrap_or_default();
        let csp = format!(
            "default-src 'self'; img-src 'self' data:{tiles}; style-src 'self'; script-src 'self'; \
             connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; object-src 'none'"
        );
        Arc::new(Self {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'")),
            hsts: config
                .base_url
                .starts_with("https://")
                .then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains")),
        })
    }
}

pub async fn headers(State(policy): State<Arc<Policy>>, request: Request, next: Next) -> Response {
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    // A stored file brings its own, stricter policy.
    h.entry("content-security-policy")
        .or_insert(policy.csp.clone());
    if let Some(hsts) = &policy.hsts {
        h.insert("strict-transport-security", hsts.clone());
    }
    h.insert(
        "x-content-type-options",
        HeaderValue::from_static("nosniff"),
    );
    h.entry("x-frame-options")
        .or_insert(HeaderValue::from_static("DENY"));
    h.insert("referrer-policy", HeaderValue::from_static("same-origin"));
    h.entry("cache-control")
        .or_insert(HeaderValue::from_static("no-store"));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn https_installs_send_hsts() {
        let mut env = std::collections::HashMap::new();
        env.insert(
            "KONTOR_BASE_URL".to_string(),
            "https://crm.example".to_string(),
        );
        let policy = Policy::new(&Config::from_env_map(env).unwrap());
        assert!(policy.hsts.is_some());
        let plain = Policy::new(&Config::from_env_map(Default::default()).unwrap());
        assert!(plain.hsts.is_none());
    }
}
