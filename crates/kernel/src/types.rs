//! Input parsed once at the edge into types the rest of the code trusts.

use chrono::NaiveDate;

use crate::error::FieldErrors;

/// A syntactically valid, lower-cased email address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Option<Self> {
        let s = input.trim().to_lowercase();
        let (local, domain) = s.split_once('@')?;
        let valid = !local.is_empty()
            && s.len() <= 254
            && domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !s.chars().any(|c| {
                c.is_whitespace() || c.is_control() || matches!(c, '<' | '>' | '"' | ',' | ';')
            })
            && !domain.contains('@');
        valid.then_some(Self(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

/// Reads a date typed as `YYYY-MM-DD`; anything else is a field error.
pub fn date(errors: &mut FieldErrors, field: &str, input: &str) -> Option<NaiveDate> {
    let parsed = NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d").ok();
    if parsed.is_none() {
        errors.add(field, "error-date");
    }
    parsed
}

/// A date that may be left empty, as in a filter: empty means none.
pub fn optional_date(errors: &mut FieldErrors, field: &str, input: &str) -> Option<NaiveDate> {
    match input.trim() {
        "" => None,
        text => date(errors, field, text),
    }
}

/// Trims a single-line text field and checks its length; control
/// characters are refused. HTML is kept as typed: templates escape it.
pub fn text(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    required: bool,
    max: usize,
) -> String {
    let value = input.trim().to_string();
    if required && value.is_empty() {
        errors.add(field, "error-required");
    } else if value.chars().count() > max {
        errors.add(field, "error-too-long");
    } else if value.chars().any(|c| c.is_control()) {
        errors.add(field, "error-control-chars");
    }
    value
}

/// Like [`text`] for multi-line input: newlines and tabs are allowed.
pub fn multiline(
    errors: &mut FieldErrors,
    field: &str,
    input: &str,
    required: bool,
    max: usize,
) -> String {
    let value = input.trim().replace("\r\n", "\n");
    if required && value.is_empty() {
        errors.add(field, "error-required");
    } else if value.chars().count() > max {
        errors.add(field, "error-too-long");
    } else if value
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        errors.add(field, "error-control-chars");
    }
    value
}

pub fn email(errors: &mut FieldErrors, field: &str, input: &str) -> Option<Email> {
    let parsed = Email::parse(input);
    if parsed.is_none() {
        errors.add(
            field,
            if input.trim().is_empty() {
                "error-required"
            } else {
                "error-email"
            },
        );
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(
            Email::parse(" A@Example.COM ").unwrap().as_str(),
            "a@example.com"
        );
        for bad in [
            "",
            "a",
            "a@b",
            "@b.de",
            "a b@c.de",
            "a@b.de<script>",
            "a@.de",
        ] {
            assert!(Email::parse(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn text_fields_refuse_control_characters_and_length() {
        let mut e = FieldErrors::new();
        assert_eq!(text(&mut e, "a", "  x  ", true, 5), "x");
        text(&mut e, "b", "", true, 5);
        text(&mut e, "c", "123456", false, 5);
        text(&mut e, "d", "a\u{0}b", false, 5);
        assert_eq!(e.get("b"), Some("error-required"));
        assert_eq!(e.get("c"), Some("error-too-long"));
        assert_eq!(e.get("d"), Some("error-control-chars"));
        assert!(e.get("a").is_none());
    }
}
