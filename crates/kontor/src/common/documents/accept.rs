//! A document the customer answers: the secret link it is read at
//! (`/p/{kind}/{token}`), the answer (accepted with name, email and a drawn
//! signature after the legal text, or declined with a reason), and the
//! signed copy of the archived PDF. The answer lives in the kind's own
//! table, in the columns every answerable kind has (`public_token`,
//! `accepted_*`, `signature_key`, `declined_at`, `decline_reason`,
//! `answered_by`); what the answer does to the document's status is the
//! type's.

use base64::Engine;
use chrono::{DateTime, Utc};
use kernel::{AppError, AppResult, FieldErrors, auth::constant_time_eq, i18n::Locale, types};
use rand::RngCore;
use sea_orm::{
    ConnectionTrait, DbErr, QueryResult, Value,
    sea_query::{Alias, Expr, ExprTrait, Query},
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{kind::DocumentKind, store};
use crate::{i18n::t, state::AppState};

/// The largest signature image taken, as decoded bytes.
pub const SIGNATURE_MAX: usize = 1024 * 1024;
/// The longest name, email and reason of an answer.
const NAME_MAX: usize = 200;
pub const REASON_MAX: usize = 2000;

fn name(n: &'static str) -> Alias {
    Alias::new(n)
}

/// A new secret link: the token (256 random bits, URL-safe) and the hash
/// the document is found by.
pub fn new_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let hash = token_hash(&token);
    (token, hash)
}

fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The columns a new answerable document starts with: its secret link.
pub fn token_columns() -> store::Extra {
    let (token, hash) = new_token();
    vec![
        ("public_token", token.into()),
        ("public_token_hash", hash.into()),
    ]
}

/// The document whose secret link is `token`, if any. It is looked up by
/// the token's hash, so how long the lookup takes says nothing about the
/// token, and the token itself is then compared in constant time.
pub async fn find_by_token(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    token: &str,
) -> Result<Option<i64>, DbErr> {
    if token.is_empty() || token.len() > 100 {
        return Ok(None);
    }
    let mut select = Query::select();
    select
        .columns([name("id"), name("public_token")])
        .from(name(kind.table))
        .and_where(Expr::col(name("public_token_hash")).eq(token_hash(token)));
    let Some(row) = db.query_one(&select).await? else {
        return Ok(None);
    };
    let stored: String = row.try_get("", "public_token")?;
    Ok(constant_time_eq(&stored, token).then_some(row.try_get("", "id")?))
}

/// The secret link of a document with the token.
pub fn public_url(base_url: &str, kind: &DocumentKind, token: &str) -> String {
    format!("{}/p/{}/{token}", base_url.trim_end_matches('/'), kind.key)
}

/// Who accepted a document, as it was recorded.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Acceptance {
    pub name: String,
    pub email: String,
    pub at: DateTime<Utc>,
    pub ip: String,
    #[serde(skip)]
    pub user_agent: String,
    /// Where the drawn signature is stored; none when staff recorded it.
    #[serde(skip)]
    pub signature_key: Option<String>,
    /// The staff member who recorded an answer given another way.
    pub recorded_by: Option<i64>,
}

/// A decline, as it was recorded.
#[derive(Clone, Debug)]
pub struct Decline {
    pub at: DateTime<Utc>,
    pub reason: String,
    pub recorded_by: Option<i64>,
}

/// The answer recorded on a document's row, if any.
pub fn answer_of(row: &QueryResult) -> Result<(Option<Acceptance>, Option<Decline>), DbErr> {
    let by: Option<i64> = row.try_get("", "answered_by")?;
    let accepted = match row.try_get::<Option<DateTime<Utc>>>("", "accepted_at")? {
        Some(at) => Some(Acceptance {
            name: row
                .try_get::<Option<String>>("", "accepted_name")?
                .unwrap_or_default(),
            email: row
                .try_get::<Option<String>>("", "accepted_email")?
                .unwrap_or_default(),
            at,
            ip: row
                .try_get::<Option<String>>("", "accepted_ip")?
                .unwrap_or_default(),
            user_agent: row
                .try_get::<Option<String>>("", "accepted_user_agent")?
                .unwrap_or_default(),
            signature_key: row.try_get("", "signature_key")?,
            recorded_by: by,
        }),
        None => None,
    };
    let declined = match row.try_get::<Option<DateTime<Utc>>>("", "declined_at")? {
        Some(at) => Some(Decline {
            at,
            reason: row
                .try_get::<Option<String>>("", "decline_reason")?
                .unwrap_or_default(),
            recorded_by: by,
        }),
        None => None,
    };
    Ok((accepted, declined))
}

/// The acceptance form as posted: `agree` confirms the legal text.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AcceptInput {
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<NAME_MAX>)]
    pub name: String,
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::line::<NAME_MAX>)]
    pub email: String,
    /// The drawn signature as a PNG data URL (`data:image/png;base64,...`).
    #[serde(default)]
    pub signature: String,
    /// `1`: the legal text is confirmed.
    #[serde(default)]
    pub agree: String,
}

/// A checked acceptance, with the decoded signature.
pub struct Signed {
    pub name: String,
    pub email: String,
    pub signature: Vec<u8>,
}

impl AcceptInput {
    /// Name, valid email, the legal text confirmed, and a signature that
    /// is a PNG of at most [`SIGNATURE_MAX`] bytes with something drawn.
    pub fn check(&self) -> Result<Signed, FieldErrors> {
        let mut e = FieldErrors::new();
        let name = types::text(&mut e, "name", &self.name, true, NAME_MAX);
        let email = types::email(&mut e, "email", &self.email).map(|m| m.into_inner());
        if self.agree != "1" && self.agree != "true" && self.agree != "on" {
            e.add("agree", "error-accept-agree");
        }
        let signature = match signature_png(&self.signature) {
            Ok(png) => Some(png),
            Err(key) => {
                e.add("signature", key);
                None
            }
        };
        match (email, signature) {
            (Some(email), Some(signature)) if e.is_empty() => Ok(Signed {
                name,
                email,
                signature,
            }),
            _ => Err(e),
        }
    }
}

/// The PNG in a data URL, or the message key of why it is not taken: not
/// a PNG data URL, too large, or blank (every pixel the same).
pub fn signature_png(data_url: &str) -> Result<Vec<u8>, &'static str> {
    let Some(encoded) = data_url.trim().strip_prefix("data:image/png;base64,") else {
        return Err(if data_url.trim().is_empty() {
            "error-signature-blank"
        } else {
            "error-signature-format"
        });
    };
    // Base64 is four characters for three bytes.
    if encoded.len() > SIGNATURE_MAX / 3 * 4 + 4 {
        return Err("error-signature-too-large");
    }
    let png = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .map_err(|_| "error-signature-format")?;
    if png.len() > SIGNATURE_MAX {
        return Err("error-signature-too-large");
    }
    match drawn(&png) {
        Some(true) => Ok(png),
        Some(false) => Err("error-signature-blank"),
        None => Err("error-signature-format"),
    }
}

/// Whether anything is drawn on the PNG (not every pixel alike); `None`
/// when it is no PNG that decodes within bounds.
fn drawn(png: &[u8]) -> Option<bool> {
    let mut decoder = png::Decoder::new_with_limits(
        std::io::Cursor::new(png),
        png::Limits {
            bytes: 32 * 1024 * 1024,
        },
    );
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().ok()?;
    let info = reader.info();
    if info.width > 4000 || info.height > 4000 {
        return None;
    }
    let mut pixels = vec![0; reader.output_buffer_size()?];
    let frame = reader.next_frame(&mut pixels).ok()?;
    let size = frame.color_type.samples();
    let pixels = pixels.get(..frame.buffer_size())?;
    let first = pixels.get(..size)?;
    Some(pixels.chunks_exact(size).any(|p| p != first))
}

/// A decline, with an optional reason.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct DeclineInput {
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::text::<REASON_MAX>)]
    pub reason: String,
}

impl DeclineInput {
    pub fn check(&self) -> Result<String, FieldErrors> {
        let mut e = FieldErrors::new();
        let reason = types::multiline(&mut e, "reason", &self.reason, false, REASON_MAX);
        if e.is_empty() { Ok(reason) } else { Err(e) }
    }
}

/// Where an answer was given from.
pub struct Origin {
    pub ip: String,
    pub user_agent: String,
}

/// Where a drawn signature of a document is stored: a key of its own for
/// each answer, so an answer that loses a race overwrites nothing.
pub fn signature_key(kind: &DocumentKind, id: i64) -> String {
    let mut nonce = [0u8; 8];
    rand::thread_rng().fill_bytes(&mut nonce);
    format!(
        "documents/{}/{id}-signature-{}.png",
        kind.tab,
        hex::encode(nonce)
    )
}

/// Where the signed copy of a document's PDF is stored.
pub fn signed_key(kind: &DocumentKind, id: i64) -> String {
    format!("documents/{}/{id}-signed.pdf", kind.tab)
}

/// Records the acceptance, setting `status`, where the document's status
/// is one of `from`; the rows changed (0: answered or changed meanwhile).
pub async fn set_accepted(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    (id, from, status): (i64, &[&str], &str),
    a: &Acceptance,
) -> Result<u64, DbErr> {
    let columns: store::Extra = vec![
        ("status", status.into()),
        ("accepted_name", a.name.clone().into()),
        ("accepted_email", a.email.clone().into()),
        ("accepted_at", a.at.into()),
        ("accepted_ip", a.ip.clone().into()),
        ("accepted_user_agent", a.user_agent.clone().into()),
        ("signature_key", a.signature_key.clone().into()),
        ("answered_by", a.recorded_by.into()),
        ("updated_at", a.at.into()),
    ];
    set_from(db, kind, id, columns, from).await
}

/// Records the decline, setting `status`, where the status is one of
/// `from`; the rows changed.
pub async fn set_declined(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    (id, from, status): (i64, &[&str], &str),
    d: &Decline,
) -> Result<u64, DbErr> {
    let columns: store::Extra = vec![
        ("status", status.into()),
        ("declined_at", d.at.into()),
        ("decline_reason", d.reason.clone().into()),
        ("answered_by", d.recorded_by.into()),
        ("updated_at", d.at.into()),
    ];
    set_from(db, kind, id, columns, from).await
}

/// Takes the answer back, setting `status`, where the status is one of
/// `from`; the rows changed.
pub async fn clear_answer(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    (id, from, status): (i64, &[&str], &str),
    now: DateTime<Utc>,
) -> Result<u64, DbErr> {
    let none = || Value::String(None);
    let columns: store::Extra = vec![
        ("status", status.into()),
        ("accepted_name", none()),
        ("accepted_email", none()),
        ("accepted_at", Value::ChronoDateTimeUtc(None)),
        ("accepted_ip", none()),
        ("accepted_user_agent", none()),
        ("signature_key", none()),
        ("declined_at", Value::ChronoDateTimeUtc(None)),
        ("decline_reason", none()),
        ("answered_by", Value::BigInt(None)),
        ("updated_at", now.into()),
    ];
    set_from(db, kind, id, columns, from).await
}

async fn set_from(
    db: &impl ConnectionTrait,
    kind: &DocumentKind,
    id: i64,
    columns: store::Extra,
    from: &[&str],
) -> Result<u64, DbErr> {
    let only = Expr::col(name("status")).is_in(from.iter().map(|s| s.to_string()));
    store::set_where(db, kind, id, columns, Some(only)).await
}

/// The document's archived PDF with a page of its acceptance appended:
/// who, their email, when (UTC and the business's time), from where, the
/// signature, and the SHA-256 of the PDF as it was accepted. The pages
/// of `original` are placed unchanged.
pub async fn signed_copy(
    state: &AppState,
    (kind, id, locale): (&DocumentKind, i64, Locale),
    original: Vec<u8>,
    a: &Acceptance,
    signature: Option<Vec<u8>>,
) -> AppResult<Vec<u8>> {
    let pages = hayro_syntax::Pdf::new(original.clone())
        .map_err(|e| AppError::Internal(anyhow::anyhow!("the archived PDF: {e:?}")))?
        .pages()
        .len();
    let l = locale;
    let local = a.at.with_timezone(&state.config.timezone);
    let mut rows = vec![
        (t(l, "accept-cert-name"), a.name.clone()),
        (t(l, "accept-cert-email"), a.email.clone()),
        (
            t(l, "accept-cert-time"),
            format!(
                "{} UTC · {} ({})",
                a.at.format("%Y-%m-%d %H:%M:%S"),
                local.format("%Y-%m-%d %H:%M:%S"),
                state.config.timezone.name()
            ),
        ),
        (t(l, "accept-cert-ip"), a.ip.clone()),
        (t(l, "accept-cert-agent"), a.user_agent.clone()),
        (
            t(l, "accept-cert-hash"),
            hex::encode(Sha256::digest(&original)),
        ),
    ];
    if a.recorded_by.is_some() {
        rows.push((t(l, "accept-cert-recorded"), t(l, "accept-cert-by-staff")));
    }
    let mut files = vec![("/original.pdf", original)];
    if let Some(png) = signature {
        files.push(("/signature.png", png));
    }
    let document = kernel::pdf::Document {
        template: "/signed.typ",
        data: serde_json::json!({
            "lang": l.code(),
            "pages": pages,
            "title": t(l, "accept-cert-title"),
            "intro": t(l, "accept-cert-intro"),
            "signature_label": t(l, "accept-cert-signature"),
            "signature": files.len() > 1,
            "rows": rows,
        }),
        files,
        created: a.at,
        ident: format!("{}-{id}-signed", kind.key.replace('_', "-")),
    };
    Ok(state.pdf.render(document).await?)
}
