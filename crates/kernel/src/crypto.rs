//! Encryption of secrets at rest (the vault): XChaCha20-Poly1305 with a
//! 256-bit key that never lives in the database. The key comes from
//! `KONTOR_VAULT_KEY` (base64) or from a key file created with mode 0600.

use std::path::Path;

use anyhow::{Context, Result, anyhow, bail};
use base64::{Engine, engine::general_purpose::STANDARD};
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, AeadCore, KeyInit, OsRng},
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

    /// Nonce and ciphertext, base64.
    pub fn encrypt(&self, plain: &str) -> Result<String> {
        let cipher = XChaCha20Poly1305::new(self.0.expose().into());
        let nonce = XChaCha20Poly1305::generate_nonce(&mut OsRng);
        let sealed = cipher
            .encrypt(&nonce, plain.as_bytes())
            .map_err(|_| anyhow!("encryption failed"))?;
        let mut out = nonce.to_vec();
        out.extend(sealed);
        Ok(STANDARD.encode(out))
    }

    /// Fails (never returns garbage) when the key or the data is wrong.
    pub fn decrypt(&self, sealed: &str) -> Result<String> {
        let bytes = STANDARD
            .decode(sealed)
            .context("sealed value is not base64")?;
        if bytes.len() < 24 {
            bail!("sealed value too short");
        }
        let (nonce, body) = bytes.split_at(24);
        let cipher = XChaCha20Poly1305::new(self.0.expose().into());
        let plain = cipher
            .decrypt(XNonce::from_slice(nonce), body)
            .map_err(|_| anyhow!("the vault key does not match the stored data"))?;
        String::from_utf8(plain).context("decrypted value is not text")
    }
}

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
        let sealed = key.encrypt("s3cr3t-pässwort").unwrap();
        assert!(!sealed.contains("s3cr3t"));
        assert_eq!(key.decrypt(&sealed).unwrap(), "s3cr3t-pässwort");
        assert_ne!(
            key.encrypt("x").unwrap(),
            key.encrypt("x").unwrap(),
            "fresh nonce each time"
        );
        let other = VaultKey::generate();
        assert!(other.decrypt(&sealed).is_err());
        let again = VaultKey::from_base64(&key.to_base64()).unwrap();
        assert_eq!(again.decrypt(&sealed).unwrap(), "s3cr3t-pässwort");
        assert!(VaultKey::from_base64("short").is_err());
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
