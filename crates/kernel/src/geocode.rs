//! Address lookup through a Nominatim-compatible service
//! (`KONTOR_GEOCODER_URL`, e.g. `https://nominatim.openstreetmap.org/search`).
//! Off when no URL is configured.

use std::time::Duration;

use anyhow::{Context, Result};
use serde::Deserialize;

#[derive(Clone)]
pub struct Geocoder {
    url: String,
    client: reqwest::Client,
}

#[derive(Deserialize)]
struct Place {
    lat: String,
    lon: String,
}

impl Geocoder {
    pub fn new(url: &str) -> Result<Self> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .user_agent(concat!("Kontor/", env!("CARGO_PKG_VERSION")))
            .build()
            .context("geocoder client")?;
        Ok(Self {
            url: url.to_string(),
            client,
        })
    }

    /// Latitude and longitude of the best match, `None` when nothing matches.
    pub async fn lookup(&self, address: &str) -> Result<Option<(f64, f64)>> {
        let places: Vec<Place> = self
            .client
            .get(&self.url)
            .query(&[("format", "json"), ("limit", "1"), ("q", address)])
            .send()
            .await
            .context("geocoder request")?
            .error_for_status()
            .context("geocoder answer")?
            .json()
            .await
            .context("geocoder json")?;
        let Some(place) = places.into_iter().next() else {
            return Ok(None);
        };
        let lat: f64 = place.lat.parse().context("geocoder latitude")?;
        let lon: f64 = place.lon.parse().context("geocoder longitude")?;
        Ok(Some((lat, lon)))
    }
}
