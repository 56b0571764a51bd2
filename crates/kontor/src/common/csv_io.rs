//! CSV import and export as every list with a spreadsheet side has them:
//! the upload read in whatever dialect it comes (see `kernel::csv_dialect`),
//! each row saved on its own by the module (in its own transaction, so a
//! bad row is reported with its line and fields and never half-imported
//! while good rows are kept); the one import page; a download.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    extract::Multipart,
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use kernel::{AppError, AppResult, csv_dialect, i18n::Locale};

use crate::{http::ctx::Ctx, i18n};

/// The most rows an export across customers (a zip, a CSV file) takes;
/// the list asks for a narrower filter beyond it.
pub const EXPORT_MAX: u64 = 5_000;

pub struct RowError {
    pub line: u64,
    pub messages: Vec<String>,
}

#[derive(Default)]
pub struct ImportReport {
    pub imported: usize,
    pub failed: Vec<RowError>,
}

impl ImportReport {
    /// Counts a row that was saved, or reports why not: field errors with
    /// their fields, a refusal by its message. Any other error stops the
    /// import.
    pub fn add(&mut self, line: u64, saved: AppResult<()>, locale: Locale) -> AppResult<()> {
        let messages = match saved {
            Ok(()) => {
                self.imported += 1;
                return Ok(());
            }
            Err(AppError::Validation(errors)) => errors
                .0
                .iter()
                .map(|(field, key)| format!("{field}: {}", i18n::t(locale, key)))
                .collect(),
            Err(AppError::BadRequest(key)) => vec![i18n::t(locale, &key)],
            Err(e) => return Err(e),
        };
        self.failed.push(RowError { line, messages });
        Ok(())
    }
}

/// An upload's rows, read by the header's column names.
pub struct Rows {
    headers: csv::StringRecord,
    records: Vec<Result<csv::StringRecord, csv::Error>>,
}

impl Rows {
    /// Reads an upload in whatever dialect it comes; its header must name
    /// `required`, else `BadRequest(missing_key)`.
    pub fn read(bytes: &[u8], required: &str, missing_key: &str) -> AppResult<Self> {
        let text = csv_dialect::decode(bytes);
        let mut reader = csv_dialect::reader(&text);
        let headers = reader
            .headers()
            .map_err(|_| AppError::BadRequest("error-csv".into()))?
            .clone();
        if !headers.iter().any(|h| h.trim() == required) {
            return Err(AppError::BadRequest(missing_key.into()));
        }
        Ok(Self {
            headers,
            records: reader.records().collect(),
        })
    }

    /// Each row with its line in the file; an unreadable row as the
    /// refusal [`ImportReport::add`] reports.
    pub fn iter(&self) -> impl Iterator<Item = (u64, AppResult<Row<'_>>)> {
        self.records.iter().enumerate().map(|(i, record)| {
            let row = match record {
                Ok(record) => Ok(Row {
                    headers: &self.headers,
                    record,
                }),
                Err(_) => Err(AppError::BadRequest("error-csv".into())),
            };
            (i as u64 + 2, row)
        })
    }
}

/// One row of an upload.
pub struct Row<'a> {
    headers: &'a csv::StringRecord,
    record: &'a csv::StringRecord,
}

impl Row<'_> {
    /// The cell under `name`, as it was before the export protected it
    /// from spreadsheet formulas; none when the upload has no such column.
    pub fn get(&self, name: &str) -> Option<String> {
        self.headers
            .iter()
            .position(|h| h.trim() == name)
            .and_then(|i| self.record.get(i))
            .map(|v| csv_dialect::unneutralise(v).to_string())
    }

    /// The cells under columns named `{prefix}{key}`, by key.
    pub fn prefixed(&self, prefix: &str) -> Vec<(String, String)> {
        self.headers
            .iter()
            .enumerate()
            .filter_map(|(i, h)| {
                let key = h.trim().strip_prefix(prefix)?;
                let text = self.record.get(i).unwrap_or_default();
                Some((key.to_string(), csv_dialect::unneutralise(text).to_string()))
            })
            .collect()
    }
}

/// A yes/no cell as people type it; none when empty.
pub fn flag(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "" => None,
        "1" | "true" | "yes" | "ja" | "x" => Some(true),
        _ => Some(false),
    }
}

/// A list in one cell, as the export writes it ("a; b").
pub fn list(v: &str) -> Vec<String> {
    v.split(';')
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

/// The `file` field of an import form; none when no file was chosen.
pub async fn upload(mut multipart: Multipart) -> AppResult<Option<Vec<u8>>> {
    let mut data = None;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            data = Some(
                field
                    .bytes()
                    .await
                    .map_err(|_| AppError::BadRequest("error-bad-request".into()))?,
            );
        }
    }
    Ok(data.filter(|b| !b.is_empty()).map(|b| b.to_vec()))
}

/// The import page: the form, and after an upload what was imported and
/// which lines were refused and why.
#[derive(Template, WebTemplate)]
#[template(path = "components/import.html")]
pub struct ImportPage {
    pub c: Ctx,
    pub title: String,
    pub help: String,
    /// Where the form posts to.
    pub action: String,
    /// The list the records land in.
    pub back: String,
    pub report: Option<ImportReport>,
    pub error: Option<String>,
}

impl ImportPage {
    pub fn new(c: Ctx, title_key: &str, help_key: &str, action: String, back: String) -> Self {
        Self {
            title: c.t(title_key),
            help: c.t(help_key),
            c,
            action,
            back,
            report: None,
            error: None,
        }
    }

    /// The page refusing the upload (422), saying why in the user's
    /// language.
    pub fn refused(mut self, key: &str) -> Response {
        self.error = Some(self.c.t(key));
        (StatusCode::UNPROCESSABLE_ENTITY, self).into_response()
    }

    /// The page after an import: its report, or why the file could not be
    /// read.
    pub fn after(mut self, imported: AppResult<ImportReport>) -> AppResult<Response> {
        match imported {
            Ok(report) => {
                self.report = Some(report);
                Ok(self.into_response())
            }
            Err(AppError::BadRequest(key)) => Ok(self.refused(&key)),
            Err(e) => Err(e),
        }
    }
}

/// A CSV file in `dialect`: the header, then the rows, each cell kept
/// from running as a spreadsheet formula.
pub fn table<Row>(
    dialect: csv_dialect::Dialect,
    header: impl IntoIterator<Item = String>,
    rows: impl IntoIterator<Item = Row>,
) -> AppResult<Vec<u8>>
where
    Row: IntoIterator<Item = String>,
{
    let mut w = dialect.writer();
    w.write_record(header).map_err(anyhow::Error::from)?;
    for row in rows {
        w.write_record(row.into_iter().map(csv_dialect::neutralise))
            .map_err(anyhow::Error::from)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// A CSV file as a download named `filename`.
pub fn download(filename: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{filename}\""),
            ),
        ],
        body,
    )
        .into_response()
}

/// A list's export links under `base` with its filter `query`: the zip of
/// its PDFs, the spreadsheet for Excel and standard CSV, as address, id
/// and label key.
pub fn export_links(base: &str, query: &str) -> [(String, &'static str, &'static str); 3] {
    [
        (
            format!("{base}/zip?{query}"),
            "export-zip",
            "action-download-zip",
        ),
        (
            format!("{base}/export.csv?{query}&format=excel"),
            "export-excel",
            "action-export-excel",
        ),
        (
            format!("{base}/export.csv?{query}"),
            "export-csv",
            "action-export-csv",
        ),
    ]
}
