//! Everything a request or job needs, built once at start.

use std::sync::Arc;

use kernel::{
    clock::Clock, config::Config, crypto::VaultKey, geocode::Geocoder, mail::Mailer, pdf::Renderer,
    storage::Storage,
};
use sea_orm::DatabaseConnection;

use crate::http::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: Arc<Config>,
    pub mailer: Mailer,
    /// Address lookup for the map; `None` when no geocoder is configured.
    pub geocoder: Option<Geocoder>,
    pub metrics: Arc<Metrics>,
    /// Seals vault passwords; opened and checked at start.
    pub vault_key: VaultKey,
    /// Where uploaded files live (local directory or S3).
    pub storage: Storage,
    /// Renders document PDFs off the async runtime.
    pub pdf: Renderer,
    /// The one source of "now" and "today"; tests set it.
    pub clock: Clock,
}
