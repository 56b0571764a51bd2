//! Responses that hand over a file: uploaded files, document PDFs and zip
//! archives. Shown in place only where the caller says the type is safe to
//! show; everything else is an attachment the browser never runs.

use axum::{
    body::Body,
    http::{HeaderValue, header},
    response::Response,
};
use bytes::Bytes;
use futures::stream::BoxStream;
use kernel::{AppError, AppResult};

/// Bytes a `filename*` value may carry unencoded (RFC 5987 attr-char,
/// minus the ones some browsers mishandle).
const ATTR_CHARS: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'_')
    .remove(b'~');

pub struct Download {
    pub name: String,
    pub content_type: String,
    /// Known for stored files; archives streamed as they are built have none.
    pub length: Option<u64>,
    /// Show in place (images, PDFs) rather than save.
    pub inline: bool,
    pub body: BoxStream<'static, std::io::Result<Bytes>>,
}

impl Download {
    pub fn into_response(self) -> AppResult<Response> {
        let disposition = format!(
            "{}; filename=\"{}\"; filename*=UTF-8''{}",
            if self.inline { "inline" } else { "attachment" },
            self.name
                .chars()
                .map(
                    |c| if c.is_ascii_graphic() && c != '"' && c != '\\' || c == ' ' {
                        c
                    } else {
                        '_'
                    }
                )
                .collect::<String>(),
            percent_encoding::utf8_percent_encode(&self.name, ATTR_CHARS)
        );
        let mut response = Response::new(Body::from_stream(self.body));
        let h = response.headers_mut();
        let value = |s: &str| HeaderValue::from_str(s).map_err(|e| AppError::Internal(e.into()));
        h.insert(header::CONTENT_TYPE, value(&self.content_type)?);
        if let Some(length) = self.length {
            h.insert(header::CONTENT_LENGTH, HeaderValue::from(length));
        }
        h.insert(header::CONTENT_DISPOSITION, value(&disposition)?);
        h.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("private, no-store"),
        );
        if self.inline {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'"),
            );
            h.insert(
                header::X_FRAME_OPTIONS,
                HeaderValue::from_static("SAMEORIGIN"),
            );
        } else {
            h.insert(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static("default-src 'none'; sandbox"),
            );
        }
        Ok(response)
    }
}
