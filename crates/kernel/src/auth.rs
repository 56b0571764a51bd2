//! Passwords, random tokens and TOTP. Only hashes of tokens are stored, so a
//! leaked database does not let anyone take over a session or API token.

use anyhow::{Result, anyhow};
use argon2::{
    Argon2,
    password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng},
};
use rand::RngCore;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

pub const MIN_PASSWORD_LEN: usize = 10;
/// Long enough for any passphrase, short enough that hashing stays cheap.
pub const MAX_PASSWORD_LEN: usize = 512;

/// An argon2id hash in PHC format.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow!("hash password: {e}"))
}

/// False for a wrong password and for an unreadable stored hash alike.
pub fn verify_password(password: &str, phc: &str) -> bool {
    PasswordHash::new(phc)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Verifying against this when no account matches keeps the response time
/// the same whether or not an email exists.
pub fn dummy_verify(password: &str) {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let phc = DUMMY.get_or_init(|| hash_password("not-a-real-password").unwrap_or_default());
    let _ = verify_password(password, phc);
}

/// 32 random bytes, URL-safe hex.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// A readable one-time password for first logins.
pub fn random_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
        .iter()
        .map(|b| ALPHABET[*b as usize % ALPHABET.len()] as char)
        .collect()
}

pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The CSRF token of a session: derived from the session's secret token,
/// so it is bound to that session and changes with every login, and
/// revealing it in a page reveals nothing of the session token.
pub fn csrf_for_session(session_token: &str) -> String {
    hex::encode(Sha256::digest(
        format!("kontor-csrf\0{session_token}").as_bytes(),
    ))
}

pub fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

/// TOTP with the common authenticator-app parameters (SHA1, 6 digits, 30 s).
/// Accepts a TOTP code once: it must match a time step within one step of
/// `now`, later than the last step this account used; that step is then
/// recorded in the same statement, so two sessions racing with one code
/// get one success.
pub async fn accept_totp(
    db: &impl sea_orm::ConnectionTrait,
    principal_kind: &str,
    principal_id: i64,
    totp: &totp_rs::TOTP,
    code: &str,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<bool> {
    let code = code.trim();
    let step_seconds = i64::try_from(totp.step).unwrap_or(30).max(1);
    let current = now.timestamp() / step_seconds;
    let Some(step) = (current - 1..=current + 1).rev().find(|s| {
        u64::try_from(s * step_seconds).is_ok_and(|t| constant_time_eq(&totp.generate(t), code))
    }) else {
        return Ok(false);
    };
    let backend = db.get_database_backend();
    let recorded = db
        .execute_raw(sea_orm::Statement::from_sql_and_values(
            backend,
            crate::db::sql(
                backend,
                "INSERT INTO totp_steps (principal_kind, principal_id, last_step) VALUES ($1, $2, $3) \
                 ON CONFLICT (principal_kind, principal_id) DO UPDATE SET last_step = excluded.last_step \
                 WHERE totp_steps.last_step < excluded.last_step",
            ),
            [principal_kind.into(), principal_id.into(), step.into()],
        ))
        .await
        .map_err(|e| anyhow!("record the TOTP step: {e}"))?;
    Ok(recorded.rows_affected() == 1)
}

pub fn totp(secret_base32: &str, account: &str) -> Result<totp_rs::TOTP> {
    let secret = totp_rs::Secret::Encoded(secret_base32.to_string())
        .to_bytes()
        .map_err(|e| anyhow!("totp secret: {e:?}"))?;
    totp_rs::TOTP::new(
        totp_rs::Algorithm::SHA1,
        6,
        1,
        30,
        secret,
        Some("Kontor".to_string()),
        account.to_string(),
    )
    .map_err(|e| anyhow!("totp: {e}"))
}

pub fn new_totp_secret() -> String {
    totp_rs::Secret::generate_secret().to_encoded().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
        assert!(!verify_password("x", "garbage"));
    }

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert_eq!(token_hash(&a).len(), 64);
        assert!(constant_time_eq(&a, &a.clone()));
        assert!(!constant_time_eq(&a, "x"));
    }

    #[test]
    fn totp_codes_verify() {
        let secret = new_totp_secret();
        let t = totp(&secret, "a@example.com").unwrap();
        let code = t.generate_current().unwrap();
        assert!(t.check_current(&code).unwrap());
    }
}
