//! The login throttle. Failed attempts are counted per account *and* IP
//! and per IP, never per account alone: anyone may type a wrong password
//! for the owner's address, so an account-wide limit would let them lock
//! the owner out. Instead failures on one account slow down further
//! *failed* answers for it (a growing delay, never a refusal), a browser
//! that signed in to the account before ("known device") is counted on
//! its own, and a password reset clears the account's failures.

use std::time::Duration as StdDuration;

use anyhow::Result;
use chrono::{DateTime, Duration, Utc};
use sea_orm::ConnectionTrait;

use crate::{
    auth::token_hash,
    session::{recent_failures, record_attempt},
};

/// How many times more failures one IP may have over all accounts than
/// over one account (offices and carrier NAT share addresses).
const IP_FACTOR: i64 = 5;
/// The longest a failed answer is held back.
const MAX_DELAY: StdDuration = StdDuration::from_secs(4);

/// One login attempt: the kind of account (`staff`, `portal`), the
/// account's email, the client's IP and the device cookie, if any.
pub struct Attempt<'a> {
    pub kind: &'a str,
    pub account: &'a str,
    pub ip: &'a str,
    pub device: Option<&'a str>,
}

impl Attempt<'_> {
    fn pair(&self) -> String {
        format!("{}:{}|{}", self.kind, self.account, self.ip)
    }

    fn ip_bucket(&self) -> String {
        format!("{}-ip:{}", self.kind, self.ip)
    }

    fn account_bucket(&self) -> String {
        format!("{}:{}", self.kind, self.account)
    }

    fn device_bucket(&self) -> Option<String> {
        self.device
            .map(|d| format!("{}-device:{}:{}", self.kind, self.account, token_hash(d)))
    }
}

/// Runs a login's password `check` under the throttle: refused (429)
/// before it runs when the attempt is throttled, the outcome recorded, a
/// failure answered after the growing delay. `None` is a failed login.
pub async fn guarded<T>(
    db: &impl ConnectionTrait,
    a: &Attempt<'_>,
    limit: i64,
    now: DateTime<Utc>,
    check: impl std::future::Future<Output = crate::AppResult<Option<T>>>,
) -> crate::AppResult<Option<T>> {
    if refused(db, a, limit, now).await? {
        return Err(crate::AppError::TooManyRequests);
    }
    let found = check.await?;
    record(db, a, found.is_some(), now).await?;
    if found.is_none() {
        tokio::time::sleep(delay_after_failure(db, a, limit, now).await?).await;
    }
    Ok(found)
}

/// Whether the attempt is refused before the password is looked at. A
/// known device counts only its own failures, so an attacker on the same
/// network as the owner cannot shut the owner's browser out.
async fn refused(
    db: &impl ConnectionTrait,
    a: &Attempt<'_>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<bool> {
    let since = now - Duration::minutes(1);
    if let Some(device) = known_device(db, a).await? {
        return Ok(recent_failures(db, &device, since).await? >= limit);
    }
    Ok(recent_failures(db, &a.pair(), since).await? >= limit
        || recent_failures(db, &a.ip_bucket(), since).await? >= limit * IP_FACTOR)
}

/// Records the outcome. A success also remembers the device cookie as
/// known for this account; a fresh device's failures count only by IP.
async fn record(
    db: &impl ConnectionTrait,
    a: &Attempt<'_>,
    ok: bool,
    now: DateTime<Utc>,
) -> Result<()> {
    let device = if ok {
        a.device_bucket()
    } else {
        known_device(db, a).await?
    };
    let mut buckets = vec![a.pair(), a.ip_bucket(), a.account_bucket()];
    buckets.extend(device);
    for bucket in &buckets {
        record_attempt(db, bucket, ok, now).await?;
    }
    Ok(())
}

/// How long to hold back a failed answer: nothing until the account saw
/// `limit` failures in the last minute from anywhere, then doubling from
/// a quarter second for every further `limit`, at most four seconds.
async fn delay_after_failure(
    db: &impl ConnectionTrait,
    a: &Attempt<'_>,
    limit: i64,
    now: DateTime<Utc>,
) -> Result<StdDuration> {
    let failures = recent_failures(db, &a.account_bucket(), now - Duration::minutes(1)).await?;
    Ok(growing_delay(failures, limit))
}

fn growing_delay(failures: i64, limit: i64) -> StdDuration {
    if failures < limit.max(1) {
        return StdDuration::ZERO;
    }
    let steps = u32::try_from((failures - limit) / limit.max(1)).unwrap_or(u32::MAX);
    StdDuration::from_millis(250)
        .checked_mul(2u32.saturating_pow(steps.min(8)))
        .unwrap_or(MAX_DELAY)
        .min(MAX_DELAY)
}

/// Forgets the account's failures (after a password reset), so its owner
/// is not held back by what someone else tried.
pub async fn clear(db: &impl ConnectionTrait, kind: &str, account: &str) -> Result<()> {
    let a = Attempt {
        kind,
        account,
        ip: "",
        device: None,
    };
    // Every pair bucket of the account starts with "kind:account|"; '}'
    // is the character after '|', so the range holds exactly those.
    let first = a.pair();
    let past = format!("{}:{}}}", kind, account);
    crate::session::delete_failures(db, &a.account_bucket(), &first, &past).await
}

/// The device bucket when this device signed in to the account before.
async fn known_device(db: &impl ConnectionTrait, a: &Attempt<'_>) -> Result<Option<String>> {
    let Some(bucket) = a.device_bucket() else {
        return Ok(None);
    };
    Ok(crate::session::ever_succeeded(db, &bucket)
        .await?
        .then_some(bucket))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_delay_grows_and_stops_growing() {
        assert_eq!(growing_delay(4, 5), StdDuration::ZERO);
        assert_eq!(growing_delay(5, 5), StdDuration::from_millis(250));
        assert_eq!(growing_delay(10, 5), StdDuration::from_millis(500));
        assert_eq!(growing_delay(1_000, 5), MAX_DELAY);
    }
}
