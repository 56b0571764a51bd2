//! The company logo at the top of every document: PNG, JPEG or SVG up to
//! 1 MiB, kept in the file storage. A new logo gets a new storage key and
//! the setting names the current one, so a document rendered while the
//! logo changes sees the old or the new file, never half of each.

use chrono::{DateTime, Utc};
use kernel::{AppError, AppResult, pdf::Document, settings};
use serde_json::json;

use crate::{
    common::documents::parties::Logo,
    http::download::Download,
    policy::{self, Action, StaffActor},
    state::AppState,
};

/// The largest logo accepted (the settings page says 1 MB).
const MAX_BYTES: usize = 1 << 20;

/// Settings key: the storage key of the current logo.
const SETTING: &str = "billing.logo";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Format {
    Png,
    Jpeg,
    Svg,
}

impl Format {
    /// Told by the content, not by the name the browser sends.
    fn of(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            return Some(Self::Png);
        }
        if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            return Some(Self::Jpeg);
        }
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_lowercase();
        let head = head.trim_start_matches('\u{feff}').trim_start();
        (head.starts_with("<?xml") || head.starts_with("<svg") || head.starts_with("<!--"))
            .then_some(())
            .filter(|()| head.contains("<svg"))
            .map(|()| Self::Svg)
    }

    fn of_key(key: &str) -> Option<Self> {
        [Self::Png, Self::Jpeg, Self::Svg]
            .into_iter()
            .find(|f| key.ends_with(f.extension()))
    }

    fn extension(self) -> &'static str {
        match self {
            Self::Png => ".png",
            Self::Jpeg => ".jpg",
            Self::Svg => ".svg",
        }
    }

    /// The file's path inside a Typst document.
    fn path(self) -> &'static str {
        match self {
            Self::Png => "/logo.png",
            Self::Jpeg => "/logo.jpg",
            Self::Svg => "/logo.svg",
        }
    }

    fn content_type(self) -> &'static str {
        match self {
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
            Self::Svg => "image/svg+xml",
        }
    }
}

async fn current_key(state: &AppState) -> AppResult<Option<(String, Format)>> {
    Ok(settings::get(&state.db, SETTING)
        .await?
        .and_then(|key| Format::of_key(&key).map(|f| (key, f))))
}

/// The logo as a file for a document: its path in the document and bytes.
pub async fn for_document(state: &AppState) -> AppResult<Option<Logo>> {
    let Some((key, format)) = current_key(state).await? else {
        return Ok(None);
    };
    let Some(body) = state.storage.read(&key).await? else {
        tracing::warn!(key, "the logo file is missing from the storage");
        return Ok(None);
    };
    let bytes = crate::common::documents::read_all(body)
        .await
        .map_err(|e| AppError::Internal(anyhow::Error::new(e).context("logo")))?;
    Ok(Some(Logo {
        path: format.path(),
        bytes,
    }))
}

/// Whether a logo is set.
pub async fn is_set(state: &AppState) -> AppResult<bool> {
    Ok(current_key(state).await?.is_some())
}

/// The logo as an image for the settings page.
pub async fn download(state: &AppState, actor: &StaffActor) -> AppResult<Download> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    image(state).await
}

/// The logo at the head of a record or statement printed from the
/// browser: whoever may see customers prints what they see of them, and the
/// logo is on every document sent out anyway.
pub async fn for_letterhead(state: &AppState, actor: &StaffActor) -> AppResult<Download> {
    if !policy::may_see_some(actor, policy::CUSTOMERS) {
        return Err(AppError::Forbidden);
    }
    image(state).await
}

/// An SVG is a document that can carry script: it is only ever sent as an
/// attachment (an `<img>` still shows it, opening it directly downloads
/// it).
async fn image(state: &AppState) -> AppResult<Download> {
    let (key, format) = current_key(state).await?.ok_or(AppError::NotFound)?;
    let body = state.storage.read(&key).await?.ok_or(AppError::NotFound)?;
    Ok(Download {
        name: format!("logo{}", format.extension()),
        content_type: format.content_type().to_owned(),
        length: None,
        inline: format != Format::Svg,
        body,
    })
}

/// Replaces the logo. Refused, with nothing changed, when the file is
/// empty, too large, not PNG, JPEG or SVG, or one Typst cannot draw.
pub async fn save(
    state: &AppState,
    actor: &StaffActor,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    if bytes.is_empty() {
        return Err(AppError::field("logo", "error-file-required"));
    }
    if bytes.len() > MAX_BYTES {
        return Err(AppError::field("logo", "error-logo-too-large"));
    }
    let format = Format::of(&bytes).ok_or_else(|| AppError::field("logo", "error-logo-format"))?;
    let check = Document {
        template: "/logo.typ",
        data: json!({ "logo": format.path() }),
        files: vec![(format.path(), bytes.clone())],
        created: now,
        ident: "logo".into(),
    };
    if let Err(e) = state.pdf.render(check).await {
        tracing::info!(error = %e, "an uploaded logo could not be drawn");
        return Err(AppError::field("logo", "error-logo-unreadable"));
    }
    let key = format!(
        "settings/logo-{}{}",
        kernel::auth::random_token(),
        format.extension()
    );
    state.storage.put(&key, bytes).await?;
    let old = current_key(state).await?;
    settings::set(&state.db, SETTING, &key, state.clock.now()).await?;
    if let Some((old, _)) = old {
        remove_file(state, &old).await;
    }
    Ok(())
}

/// Takes the logo off the documents.
pub async fn remove(state: &AppState, actor: &StaffActor) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    if let Some((key, _)) = current_key(state).await? {
        settings::set(&state.db, SETTING, "", state.clock.now()).await?;
        remove_file(state, &key).await;
    }
    Ok(())
}

/// A file no setting names any more; one left behind costs only space.
async fn remove_file(state: &AppState, key: &str) {
    if let Err(e) = state.storage.delete(key).await {
        tracing::warn!(key, error = %e, "removing the old logo failed");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_format_comes_from_the_content() {
        assert_eq!(Format::of(b"\x89PNG\r\n\x1a\n...."), Some(Format::Png));
        assert_eq!(Format::of(&[0xFF, 0xD8, 0xFF, 0xE0]), Some(Format::Jpeg));
        assert_eq!(
            Format::of(b"<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\"/>"),
            Some(Format::Svg)
        );
        assert_eq!(Format::of(b"<html><script>"), None);
        assert_eq!(Format::of(b"GIF89a"), None);
        assert_eq!(Format::of_key("settings/logo-x.svg"), Some(Format::Svg));
    }
}
