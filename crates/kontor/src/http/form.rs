//! The state of an HTML form between submit and re-render: what the user
//! typed (kept, never lost) and the field errors in their language.

use std::{collections::HashMap, future::Future};

use axum::{
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, i18n::Locale};

use crate::{
    http::identity::{FLASH_COOKIE, cookie},
    i18n,
};

/// After a successful POST: redirect (303) with a flash message to show next.
pub fn done(jar: CookieJar, flash_key: &str, to: &str) -> Response {
    (
        jar.add(cookie(FLASH_COOKIE, flash_key.to_string(), false)),
        Redirect::to(to),
    )
        .into_response()
}

/// The answer to a submitted form: success continues with `ok`; field
/// errors re-render the page `invalid` builds, with status 422 and the
/// input kept; any other error is passed on.
pub async fn respond<T, P, Fut>(
    result: AppResult<T>,
    ok: impl FnOnce(T) -> Response,
    invalid: impl FnOnce(FieldErrors) -> Fut,
) -> AppResult<Response>
where
    Fut: Future<Output = AppResult<P>>,
    P: IntoResponse,
{
    match result {
        Ok(value) => Ok(ok(value)),
        Err(AppError::Validation(errors)) => {
            Ok((StatusCode::UNPROCESSABLE_ENTITY, invalid(errors).await?).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Clone, Debug, Default)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub errors: FieldErrors,
    pub locale: Locale,
}

impl FormState {
    pub fn new(locale: Locale) -> Self {
        Self {
            locale,
            ..Default::default()
        }
    }

    pub fn with(mut self, name: &str, value: impl ToString) -> Self {
        self.values.insert(name.to_string(), value.to_string());
        self
    }

    pub fn with_errors(mut self, errors: FieldErrors) -> Self {
        self.errors = errors;
        self
    }

    pub fn set(&mut self, name: &str, value: impl ToString) {
        self.values.insert(name.to_string(), value.to_string());
    }

    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }

    pub fn checked(&self, name: &str) -> bool {
        matches!(self.v(name), "true" | "on" | "1")
    }

    /// The translated error of a field, empty when the field is fine.
    pub fn err(&self, name: &str) -> String {
        self.errors
            .get(name)
            .map(|k| i18n::t(self.locale, k))
            .unwrap_or_default()
    }

    pub fn invalid(&self, name: &str) -> &'static str {
        if self.errors.get(name).is_some() {
            " is-invalid"
        } else {
            ""
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}
