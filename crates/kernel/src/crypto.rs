//! Encryption of secrets at rest (the vault): XChaCha20-Poly1305 with a
//! 256-bit key that never lives in the database. The key comes from
//! `KONTOR_VAULT_KEY` (base64) or from a key file created with mode 0600.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, KeyInit, OsRng, Payload},
};

use crate::secret::Secret;

#[derive(Clone)]
pub struct VaultKey(Secret<[u8; 32]>);

impl VaultKey {
    pub fn from_base64(text: &str) -> Result<Self> {
        let bytes = STANDARD
            .decode(text.trim())
            .context("the vault key is not base64")?;
        let key: [u8; 32] = bytes
            .try_into()
            .map_err(|_| anyhow!("the vault key must be 32 bytes (44 base64 characters)"))?;
        Ok(Self(Secret::new(key)))
    }

    pub fn generate() -> Self {
        Self(Secret::new(
            XChaCha20Poly1305::generate_key(&mut OsRng).into(),
        ))
    }

    pub fn to_base64(&self) -> String {
        STANDARD.encode(self.0.expose())
    }

    /// Reads the key file, or creates it (mode 0600) when `create` is set.
    pub fn from_file(path: &Path, create: bool) -> Result<Option<Self>> {
        match std::fs::read_to_string(path) {
            Ok(text) => Self::from_base64(&text)
                .map(Some)
                .with_context(|| format!("read {}", path.display())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && create => {
                let key = Self::generate();
                write_private(path, &key.to_base64())?;
                Ok(Some(key))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e).with_context(|| format!("read {}", path.display())),
        }
    }

    /// Writes the key to a new file with mode 0600 (a restore that brings
    /// its key); an existing file is never overwritten.
    pub fn save(&self, path: &Path) -> Result<()> {
        write_private(path, &self.to_base64())
    }

    /// Seals `plain` bound to `context` (what the value belongs to, e.g.
    /// its row): the result opens only with the same context, so a sealed
    /// value copied onto another row is refused instead of revealed there.
    /// Format: `v2.` and base64 of nonce and ciphertext.
    pub fn encrypt(&self, plain: &str, context: &str) -> Result<String> {
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = self
            .cipher()
            .encrypt(
                &nonce,
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(format!("{BOUND}{}", STANDARD.encode(out)))
    }

    /// Opens a value sealed by [`Self::encrypt`] with the same context.
    /// Fails (never returns garbage) when the key, the data or the context
    /// is wrong, and for values sealed before contexts existed.
    pub fn decrypt(&self, sealed: &str, context: &str) -> Result<String> {
        let body = sealed
            .strip_prefix(BOUND)
            .ok_or_else(|| anyhow!("sealed value is not bound to its record"))?;
        self.open(body, context.as_bytes())
    }

    /// Whether a stored value predates bound sealing (see [`Self::reseal_unbound`]).
    pub fn is_unbound(sealed: &str) -> bool {
        !sealed.starts_with(BOUND)
    }

    /// Opens a value sealed without context (before version 2) and seals it
    /// again bound to `context`; used once at start to migrate old rows.
    pub fn reseal_unbound(&self, sealed: &str, context: &str) -> Result<String> {
        let plain = self.open(sealed, b"")?;
        self.encrypt(&plain, context)
    }

    fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.expose().into())
    }

    fn open(&self, base64: &str, aad: &[u8]) -> Result<String> {
        let bytes = STANDARD
            .decode(base64)
            .context("sealed value is not base64")?;
        if bytes.len() < 24 {
            bail!("sealed value too short");
        }
        let (nonce, msg) = bytes.split_at(24);
        let plain = self
            .cipher()
            .decrypt(XNonce::from_slice(nonce), Payload { msg, aad })
            .map_err(|_| anyhow!("the vault key does not match the stored data"))?;
        String::from_utf8(plain).context("decrypted value is not text")
    }
}

/// Marks values sealed with associated data (the record they belong to).
const BOUND: &str = "v2.";

#[cfg(unix)]
fn write_private(path: &Path, text: &str) -> Result<()> {
    use std::{io::Write, os::unix::fs::OpenOptionsExt};
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).with_context(|| format!("create {}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .with_context(|| format!("create {}", path.display()))?;
    file.write_all(text.as_bytes()).context("write vault key")?;
    Ok(())
}

#[cfg(not(unix))]
fn write_private(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text).with_context(|| format!("create {}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_wrong_key_fails() {
        let key = VaultKey::generate();
        let sealed = key.encrypt("s3cr3t-pässwort", "row:1").unwrap();
        assert!(!sealed.contains("s3cr3t"));
        assert_eq!(key.decrypt(&sealed, "row:1").unwrap(), "s3cr3t-pässwort");
        assert_ne!(
            key.encrypt("x", "row:1").unwrap(),
            key.encrypt("x", "row:1").unwrap(),
            "fresh nonce each time"
        );
        let other = VaultKey::generate();
        assert!(other.decrypt(&sealed, "row:1").is_err());
        let again = VaultKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.decrypt(&sealed, "row:1").unwrap(), "s3cr3t-pässwort");
        assert!(VaultKey::from_base64("short").is_err());
    }

    #[test]
    fn a_value_opens_only_in_its_own_context() {
        let key = VaultKey::generate();
        let sealed = key.encrypt("geheim", "vault-entry:7").unwrap();
        assert!(key.decrypt(&sealed, "vault-entry:8").is_err());
        assert!(key.decrypt(sealed.trim_start_matches(BOUND), "").is_err());
    }

    #[test]
    fn unbound_values_are_migrated_not_accepted() {
        let key = VaultKey::generate();
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let mut old = nonce.to_vec();
        old.extend(key.cipher().encrypt(&nonce, b"alt".as_slice()).unwrap());
        let old = STANDARD.encode(old);
        assert!(VaultKey::is_unbound(&old));
        assert!(key.decrypt(&old, "vault-entry:1").is_err());
        let new = key.reseal_unbound(&old, "vault-entry:1").unwrap();
        assert!(!VaultKey::is_unbound(&new));
        assert_eq!(key.decrypt(&new, "vault-entry:1").unwrap(), "alt");
    }

    #[cfg(unix)]
    #[test]
    fn key_file_is_created_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = std::env::temp_dir().join(format!("kontor-key-{}", crate::auth::random_token()));
        let path = dir.join("vault.key");
        assert!(VaultKey::from_file(&path, false).unwrap().is_none());
        let key = VaultKey::from_file(&path, true).unwrap().unwrap();
        assert_eq!(
            std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
            0o600
        );
        assert_eq!(
            VaultKey::from_file(&path, false)
                .unwrap()
                .unwrap()
                .to_base64(),
            key.to_base64()
        );
        let _ = std::fs::remove_dir_all(dir);
    }
}
