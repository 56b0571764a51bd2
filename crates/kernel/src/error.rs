//! One error type for every handler. It turns into a response carrying an
//! [`ErrorBody`] extension; the HTML and API surfaces each render that body
//! in the user's language (see `web::render_error_*`), so handlers never
//! care which surface called them. Internal details never reach the client.

use std::collections::BTreeMap;

use axum::{
    http::StatusCode,
    response::{IntoResponse, Response},
};
use sea_orm::{DbErr, SqlErr};

pub type AppResult<T> = Result<T, AppError>;

/// Field name -> i18n message key.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    /// One failed field.
    pub fn single(field: &str, message_key: &str) -> Self {
        let mut e = Self::new();
        e.add(field, message_key);
        e
    }

    pub fn add(&mut self, field: &str, message_key: &str) {
        self.0
            .entry(field.to_string())
            .or_insert_with(|| message_key.to_string());
    }

    /// Adds `other`'s errors; a field keeps its first one.
    pub fn merge(&mut self, other: FieldErrors) {
        for (field, key) in other.0 {
            self.add(&field, &key);
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }

    /// `Ok(())` when no field failed, else a validation error.
    pub fn into_result(self) -> AppResult<()> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(AppError::Validation(self))
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("not found")]
    NotFound,
    #[error("not logged in")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("csrf token missing or wrong")]
    Csrf,
    #[error("too many requests")]
    TooManyRequests,
    #[error("request body too large")]
    TooLarge,
    #[error("bad request: {0}")]
    BadRequest(String),
    #[error("conflict: {0}")]
    Conflict(String),
    #[error("validation failed")]
    Validation(FieldErrors),
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl AppError {
    pub fn field(field: &str, message_key: &str) -> Self {
        let mut errors = FieldErrors::new();
        errors.add(field, message_key);
        Self::Validation(errors)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            Self::NotFound => StatusCode::NOT_FOUND,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden | Self::Csrf => StatusCode::FORBIDDEN,
            Self::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn body(&self) -> ErrorBody {
        let (code, key) = match self {
            Self::NotFound => ("not_found", "error-not-found".to_string()),
            Self::Unauthorized => ("unauthorized", "error-unauthorized".to_string()),
            Self::Forbidden => ("forbidden", "error-forbidden".to_string()),
            Self::Csrf => ("csrf", "error-csrf".to_string()),
            Self::TooManyRequests => ("too_many_requests", "error-too-many".to_string()),
            Self::TooLarge => ("too_large", "error-too-large".to_string()),
            Self::BadRequest(key) => ("bad_request", key.clone()),
            Self::Conflict(key) => ("conflict", key.clone()),
            Self::Validation(_) => ("validation", "error-validation".to_string()),
            Self::Internal(_) => ("internal", "error-internal".to_string()),
        };
        let fields = match self {
            Self::Validation(f) => f.clone(),
            _ => FieldErrors::new(),
        };
        ErrorBody {
            status: self.status(),
            code,
            message_key: key,
            fields,
        }
    }
}

/// What a surface needs to render an error in the user's language.
#[derive(Clone, Debug)]
pub struct ErrorBody {
    pub status: StatusCode,
    pub code: &'static str,
    pub message_key: String,
    pub fields: FieldErrors,
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let Self::Internal(e) = &self {
            tracing::error!(error = ?e, "request failed");
        }
        let body = self.body();
        let mut response = (body.status, body.code).into_response();
        response.extensions_mut().insert(body);
        response
    }
}

impl From<DbErr> for AppError {
    fn from(e: DbErr) -> Self {
        Self::Internal(anyhow::Error::new(e).context("database"))
    }
}

/// Maps a unique-constraint violation to a field error the user understands.
pub trait OnConstraint<T> {
    fn on_unique(self, field: &str, message_key: &str) -> AppResult<T>;
}

impl<T> OnConstraint<T> for Result<T, DbErr> {
    fn on_unique(self, field: &str, message_key: &str) -> AppResult<T> {
        self.map_err(|e| match e.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => AppError::field(field, message_key),
            _ => e.into(),
        })
    }
}
