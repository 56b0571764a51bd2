//! Typed configuration: defaults, then `kontor.toml`, then `KONTOR_*`
//! environment variables. Built once at start and passed in, never global.

use std::{collections::HashMap, net::SocketAddr, path::PathBuf};

use anyhow::{Context, Result};
use serde::Deserialize;

use crate::secret::Secret;

/// Secrets (the database URL with its password, SMTP credentials, the
/// vault key, AWS keys, tokens) are [`Secret`]s: `{:?}` of a config never
/// prints them.
#[derive(Clone, Debug)]
pub struct Config {
    pub data_dir: PathBuf,
    pub database_url: Secret<String>,
    pub bind: SocketAddr,
    pub base_url: String,
    pub smtp_url: Option<Secret<String>>,
    pub mail_from: String,
    pub admin_email: Option<String>,
    /// The vault key (base64); without it the key file is used.
    pub vault_key: Option<Secret<String>>,
    pub vault_key_file: PathBuf,
    pub admin_password: Option<Secret<String>>,
    pub map_tile_url: String,
    /// The time zone times are shown and entered in (`KONTOR_TIMEZONE`).
    pub timezone: chrono_tz::Tz,
    pub geocoder_url: Option<String>,
    pub log_json: bool,
    /// Largest request body accepted, in bytes.
    pub max_body_bytes: usize,
    /// Requests per minute one IP and email may attempt to log in.
    pub login_attempts_per_minute: u32,
    pub session_hours: i64,
    /// `file:///dir` or `s3://bucket[/prefix]`; files under the data dir when unset.
    pub storage_url: Option<String>,
    /// The `AWS_*` settings for an S3 store (endpoint, region, keys ...).
    pub storage_options: Vec<(String, Secret<String>)>,
    /// Proxies whose `X-Forwarded-For` names the client
    /// (`KONTOR_TRUSTED_PROXIES`, addresses or networks, comma-separated).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    /// The bearer token `/metrics` asks for; without one it answers 404.
    pub metrics_token: Option<Secret<String>>,
    /// Largest single uploaded file, in bytes (`KONTOR_UPLOAD_MAX_MB`, default 25).
    pub upload_max_bytes: u64,
    /// Where the daily backup goes (`KONTOR_BACKUP_DIR`); none: no schedule.
    pub backup_dir: Option<PathBuf>,
    /// How many daily backups stay (`KONTOR_BACKUP_KEEP`, default 7).
    pub backup_keep: usize,
}

/// The optional file. Every key mirrors a `KONTOR_*` variable.
#[derive(Debug, Default, Deserialize)]
struct FileConfig {
    data_dir: Option<PathBuf>,
    database_url: Option<String>,
    bind: Option<String>,
    base_url: Option<String>,
    smtp_url: Option<String>,
    mail_from: Option<String>,
    map_tile_url: Option<String>,
    timezone: Option<String>,
    geocoder_url: Option<String>,
    max_body_bytes: Option<usize>,
    login_attempts_per_minute: Option<u32>,
    session_hours: Option<i64>,
    storage_url: Option<String>,
    upload_max_mb: Option<u64>,
    trusted_proxies: Option<String>,
}

impl Config {
    /// Reads `kontor.toml` from the working directory if present, then the environment.
    pub fn load() -> Result<Self> {
        let file = match std::fs::read_to_string("kontor.toml") {
            Ok(text) => toml::from_str(&text).context("parse kontor.toml")?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => FileConfig::default(),
            Err(e) => return Err(e).context("read kontor.toml"),
        };
        Self::from_parts(file, std::env::vars().collect())
    }

    /// Configuration from environment-like pairs only; used by tests and tools.
    pub fn from_env_map(env: HashMap<String, String>) -> Result<Self> {
        Self::from_parts(FileConfig::default(), env)
    }

    fn from_parts(file: FileConfig, env: HashMap<String, String>) -> Result<Self> {
        let var = |name: &str| env.get(name).filter(|v| !v.is_empty()).cloned();
        let data_dir = var("KONTOR_DATA_DIR")
            .map(PathBuf::from)
            .or(file.data_dir)
            .unwrap_or_else(|| PathBuf::from("./data"));
        let database_url = var("DATABASE_URL")
            .or(file.database_url)
            .unwrap_or_else(|| {
                format!("sqlite://{}?mode=rwc", data_dir.join("kontor.db").display())
            });
        let bind: SocketAddr = var("KONTOR_BIND")
            .or(file.bind)
            .unwrap_or_else(|| "127.0.0.1:8080".into())
            .parse()
            .context("KONTOR_BIND must be host:port")?;
        let base_url = var("KONTOR_BASE_URL")
            .or(file.base_url)
            .unwrap_or_else(|| format!("http://{bind}"))
            .trim_end_matches('/')
            .to_string();
        let parse_num = |name: &str| -> Result<Option<u64>> {
            var(name)
                .map(|v| {
                    v.parse::<u64>()
                        .with_context(|| format!("{name} must be a number"))
                })
                .transpose()
        };
        let vault_key_file = var("KONTOR_VAULT_KEY_FILE")
            .map(PathBuf::from)
            .unwrap_or_else(|| data_dir.join("vault.key"));
        let trusted_proxies = var("KONTOR_TRUSTED_PROXIES")
            .or(file.trusted_proxies)
            .map(|list| parse_networks(&list))
            .transpose()?
            .unwrap_or_default();
        Ok(Self {
            data_dir,
            database_url: Secret::new(database_url),
            bind,
            base_url,
            smtp_url: var("KONTOR_SMTP_URL").or(file.smtp_url).map(Secret::new),
            mail_from: var("KONTOR_MAIL_FROM")
                .or(file.mail_from)
                .unwrap_or_else(|| "Kontor <kontor@localhost>".into()),
            admin_email: var("KONTOR_ADMIN_EMAIL"),
            vault_key: var("KONTOR_VAULT_KEY").map(Secret::new),
            vault_key_file,
            admin_password: var("KONTOR_ADMIN_PASSWORD").map(Secret::new),
            timezone: var("KONTOR_TIMEZONE")
                .or(file.timezone)
                .unwrap_or_else(|| "Europe/Berlin".into())
                .parse()
                .map_err(|_| {
                    anyhow::anyhow!(
                        "KONTOR_TIMEZONE must be an IANA time zone such as Europe/Berlin"
                    )
                })?,
            map_tile_url: var("KONTOR_MAP_TILE_URL")
                .or(file.map_tile_url)
                .unwrap_or_else(|| "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into()),
            geocoder_url: var("KONTOR_GEOCODER_URL").or(file.geocoder_url),
            log_json: var("KONTOR_LOG_JSON").is_some_and(|v| v == "1" || v == "true"),
            max_body_bytes: parse_num("KONTOR_MAX_BODY_BYTES")?
                .map(|n| n as usize)
                .or(file.max_body_bytes)
                .unwrap_or(2 * 1024 * 1024),
            login_attempts_per_minute: parse_num("KONTOR_LOGIN_ATTEMPTS_PER_MINUTE")?
                .map(|n| n as u32)
                .or(file.login_attempts_per_minute)
                .unwrap_or(10),
            session_hours: file.session_hours.unwrap_or(12),
            storage_url: var("KONTOR_STORAGE_URL").or(file.storage_url),
            storage_options: env
                .iter()
                .filter(|(k, v)| k.starts_with("AWS_") && !v.is_empty())
                .map(|(k, v)| (k.clone(), Secret::new(v.clone())))
                .collect(),
            trusted_proxies,
            metrics_token: var("KONTOR_METRICS_TOKEN").map(Secret::new),
            upload_max_bytes: parse_num("KONTOR_UPLOAD_MAX_MB")?
                .or(file.upload_max_mb)
                .unwrap_or(25)
                * 1024
                * 1024,
            backup_dir: var("KONTOR_BACKUP_DIR").map(PathBuf::from),
            backup_keep: parse_num("KONTOR_BACKUP_KEEP")?.map_or(7, |n| n.max(1) as usize),
        })
    }

    pub fn is_sqlite(&self) -> bool {
        self.database_url.expose().starts_with("sqlite:")
    }
}

/// `10.0.0.1, 192.168.0.0/16, ::1`: single addresses count as /32 or /128.
fn parse_networks(list: &str) -> Result<Vec<ipnet::IpNet>> {
    list.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<ipnet::IpNet>()
                .or_else(|_| s.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                .with_context(|| {
                    format!("KONTOR_TRUSTED_PROXIES: {s} is neither an address nor a network")
                })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_use_sqlite_under_data() {
        let c = Config::from_env_map(HashMap::new()).unwrap();
        assert!(c.is_sqlite());
        assert!(c.database_url.expose().contains("data/kontor.db"));
        assert_eq!(c.bind.to_string(), "127.0.0.1:8080");
    }

    #[test]
    fn environment_overrides() {
        let env = HashMap::from([
            ("DATABASE_URL".to_string(), "postgres://x/y".to_string()),
            ("KONTOR_BIND".to_string(), "0.0.0.0:9000".to_string()),
        ]);
        let c = Config::from_env_map(env).unwrap();
        assert!(!c.is_sqlite());
        assert_eq!(c.base_url, "http://0.0.0.0:9000");
    }

    #[test]
    fn secrets_never_print() {
        let env = HashMap::from([
            (
                "DATABASE_URL".to_string(),
                "postgres://kontor:pg-pass-123@db/kontor".to_string(),
            ),
            (
                "AWS_SECRET_ACCESS_KEY".to_string(),
                "aws-secret-456".to_string(),
            ),
            (
                "KONTOR_SMTP_URL".to_string(),
                "smtp://u:smtp-pass-789@mx".to_string(),
            ),
            (
                "KONTOR_METRICS_TOKEN".to_string(),
                "metrics-token-0".to_string(),
            ),
            (
                "KONTOR_TRUSTED_PROXIES".to_string(),
                "10.0.0.1, 192.168.0.0/16".to_string(),
            ),
        ]);
        let c = Config::from_env_map(env).unwrap();
        let printed = format!("{c:?}");
        for secret in [
            "pg-pass-123",
            "aws-secret-456",
            "smtp-pass-789",
            "metrics-token-0",
        ] {
            assert!(!printed.contains(secret), "{secret} printed");
        }
        assert_eq!(c.trusted_proxies.len(), 2);
        let bad = HashMap::from([("KONTOR_TRUSTED_PROXIES".to_string(), "proxy".to_string())]);
        assert!(
            Config::from_env_map(bad)
                .unwrap_err()
                .to_string()
                .contains("KONTOR_TRUSTED_PROXIES")
        );
    }

    #[test]
    fn bad_bind_is_a_clear_error() {
        let env = HashMap::from([("KONTOR_BIND".to_string(), "nope".to_string())]);
        let err = Config::from_env_map(env).unwrap_err();
        assert!(err.to_string().contains("KONTOR_BIND"));
    }
}
