//! File types and the rules for names and types.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::modules::{
    contacts::model::ContactId, customers::model::CustomerId, staff::model::StaffId,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct FileId(pub i64);

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct StoredFile {
    pub id: FileId,
    pub customer_id: CustomerId,
    /// The record the file is attached to: `customer`, or a later module's
    /// record kind such as `ticket` or `contract`.
    pub entity_type: String,
    pub entity_id: i64,
    pub name: String,
    pub size: i64,
    pub content_type: String,
    pub visible_to_customer: bool,
    pub uploaded_by: String,
    pub uploaded_by_staff: Option<StaffId>,
    pub uploaded_by_contact: Option<ContactId>,
    pub created_at: DateTime<Utc>,
    #[serde(skip)]
    pub storage_key: String,
}

impl StoredFile {
    /// Images and PDFs a browser may show in place; everything else is
    /// downloaded. SVG is no image here: it can carry script.
    pub fn previewable(&self) -> bool {
        is_inline_type(&self.content_type)
    }

    pub fn is_image(&self) -> bool {
        self.previewable() && self.content_type.starts_with("image/")
    }

    /// What kind of file it is, as people say it: its symbol in the icon
    /// sprite and the label's message key.
    pub fn kind(&self) -> (&'static str, &'static str) {
        let t = self.content_type.as_str();
        let has = |part: &str| t.contains(part);
        if t == "application/pdf" {
            ("file-earmark-pdf", "file-type-pdf")
        } else if t.starts_with("image/") {
            ("file-earmark-image", "file-type-image")
        } else if has("spreadsheet") || has("excel") || t == "text/csv" {
            ("file-earmark-spreadsheet", "file-type-spreadsheet")
        } else if has("wordprocessing") || has("msword") || has("opendocument.text") {
            ("file-earmark-word", "file-type-document")
        } else if has("presentation") || has("powerpoint") {
            ("file-earmark-slides", "file-type-slides")
        } else if has("zip") || has("compressed") || has("x-tar") || has("x-7z") {
            ("file-earmark-zip", "file-type-archive")
        } else if t.starts_with("audio/") {
            ("file-earmark-music", "file-type-audio")
        } else if t.starts_with("video/") {
            ("file-earmark-play", "file-type-video")
        } else if t.starts_with("text/") {
            ("file-earmark-text", "file-type-text")
        } else {
            ("file-earmark", "file-type-other")
        }
    }
}

const INLINE_TYPES: [&str; 5] = [
    "image/png",
    "image/jpeg",
    "image/gif",
    "image/webp",
    "application/pdf",
];

pub fn is_inline_type(content_type: &str) -> bool {
    INLINE_TYPES.contains(&content_type)
}

/// The content type recorded for an upload: what the name says, else
/// what the client sent if it looks like a type, else binary.
pub fn content_type_of(name: &str, sent: Option<&str>) -> String {
    if let Some(guess) = mime_guess::from_path(name).first() {
        return guess.essence_str().to_string();
    }
    sent.map(|s| {
        s.split(';')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase()
    })
    .filter(|s| {
        s.len() < 128
            && s.split_once('/').is_some_and(|(a, b)| {
                !a.is_empty()
                    && !b.is_empty()
                    && s.chars()
                        .all(|c| c.is_ascii_alphanumeric() || "/.+-_".contains(c))
            })
    })
    .unwrap_or_else(|| "application/octet-stream".into())
}

/// Checks an uploaded file name; the name is only ever shown and sent back
/// in headers, never used as a path, but a name that tries to be a path or
/// carries control characters is refused rather than quietly changed.
pub fn check_name(name: &str) -> Result<String, &'static str> {
    let name = name.trim();
    if name.is_empty() {
        return Err("error-file-required");
    }
    // `invoice\u{202e}fdp.exe` shows as "invoiceexe.pdf": characters that
    // turn the writing direction or take no space make a name lie.
    if name.chars().any(invisible) {
        return Err("error-file-name-invisible");
    }
    if name.chars().count() > 200 {
        return Err("error-file-name-too-long");
    }
    if name == "."
        || name == ".."
        || name.contains(['/', '\\'])
        || name.chars().any(|c| c.is_control())
    {
        return Err("error-file-name");
    }
    Ok(name.to_string())
}

/// Bidi controls, zero-width and other invisible format characters.
fn invisible(c: char) -> bool {
    matches!(c,
        '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}' | '\u{17B5}'
        | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}'
        | '\u{2060}'..='\u{206F}' | '\u{3164}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}'
        | '\u{FFA0}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E0000}'..='\u{E007F}')
}

/// What may be changed on a stored file.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FileChange {
    /// A file name: no path, no control or invisible characters.
    #[schema(schema_with = name_schema)]
    pub name: Option<String>,
    pub visible_to_customer: Option<bool>,
}

/// What [`check_name`] lets through, as a pattern (the few names of dots
/// alone are refused as well).
fn name_schema() -> utoipa::openapi::ObjectBuilder {
    use utoipa::openapi::{
        ObjectBuilder,
        schema::{SchemaType, Type},
    };
    const ALLOWED: &str = r"[^\u0000-\u001f\u007f-\u009f/\\\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff]";
    const VISIBLE: &str = r"[^\s\u0000-\u001f\u007f-\u009f/\\\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff9-\ufffb\ud800-\udfff.]";
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .min_length(Some(1))
        .max_length(Some(200))
        .pattern(Some(format!("^{ALLOWED}*{VISIBLE}{ALLOWED}*$")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_that_try_to_be_paths_are_refused() {
        assert_eq!(check_name(" report.pdf "), Ok("report.pdf".into()));
        assert_eq!(
            check_name("Übersicht 2026.xlsx"),
            Ok("Übersicht 2026.xlsx".into())
        );
        for bad in ["../etc/passwd", "a\\b", "..", "a\u{0}b", "line\nbreak"] {
            assert_eq!(check_name(bad), Err("error-file-name"), "{bad:?}");
        }
        assert_eq!(check_name("  "), Err("error-file-required"));
        for sly in [
            "invoice\u{202e}fdp.exe",
            "a\u{200b}b.pdf",
            "\u{200b}\u{200c}",
            "\u{2066}x.pdf",
        ] {
            assert_eq!(check_name(sly), Err("error-file-name-invisible"), "{sly:?}");
        }
    }

    #[test]
    fn types_come_from_the_name_first() {
        assert_eq!(
            content_type_of("a.PDF", Some("text/html")),
            "application/pdf"
        );
        assert_eq!(
            content_type_of("noext", Some("text/plain; charset=utf-8")),
            "text/plain"
        );
        assert_eq!(
            content_type_of("noext", Some("<script>")),
            "application/octet-stream"
        );
        assert!(!is_inline_type(&content_type_of("x.svg", None)));
        assert!(!is_inline_type(&content_type_of("x.html", None)));
        assert!(is_inline_type(&content_type_of("x.png", None)));
    }
}
