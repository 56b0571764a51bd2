//! Locales and locale-aware formatting. The message catalogue itself lives
//! with the product (`kontor/locales`); this part knows only languages.

use chrono::{DateTime, NaiveDate, Utc};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Locale {
    #[default]
    De,
    En,
}

impl Locale {
    pub const ALL: [Locale; 2] = [Locale::De, Locale::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::De => "de",
            Self::En => "en",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code.trim().to_ascii_lowercase().get(..2)? {
            "de" => Some(Self::De),
            "en" => Some(Self::En),
            _ => None,
        }
    }

    /// The first supported language of an `Accept-Language` header, by weight.
    pub fn from_accept_language(header: &str) -> Option<Self> {
        let mut candidates: Vec<(f32, Locale)> = header
            .split(',')
            .filter_map(|part| {
                let mut pieces = part.split(';');
                let locale = Self::parse(pieces.next()?)?;
                let q = pieces
                    .find_map(|p| {
                        p.trim()
                            .strip_prefix("q=")
                            .and_then(|v| v.parse::<f32>().ok())
                    })
                    .unwrap_or(1.0);
                Some((q, locale))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.total_cmp(&a.0));
        candidates.first().map(|c| c.1)
    }

    pub fn format_date(self, date: NaiveDate) -> String {
        match self {
            Self::De => date.format("%d.%m.%Y").to_string(),
            Self::En => date.format("%Y-%m-%d").to_string(),
        }
    }

    /// A moment in the installation's time zone.
    pub fn format_datetime(self, at: DateTime<Utc>, tz: chrono_tz::Tz) -> String {
        self.format_naive_datetime(at.with_timezone(&tz).naive_local())
    }

    /// A wall-clock date and time (as typed, without a zone).
    pub fn format_naive_datetime(self, at: chrono::NaiveDateTime) -> String {
        match self {
            Self::De => at.format("%d.%m.%Y %H:%M").to_string(),
            Self::En => at.format("%Y-%m-%d %H:%M").to_string(),
        }
    }

    /// An amount of money in its currency's precision (0 digits for JPY).
    pub fn format_amount(self, value: rust_decimal::Decimal, currency: &str) -> String {
        let digits = crate::money::minor_digits(currency);
        let minor =
            crate::money::to_minor(crate::money::round(value, digits), digits).unwrap_or_default();
        self.format_money(minor, currency)
    }

    /// An amount given in minor units of its currency (cents for EUR, yen
    /// for JPY, fils for KWD), with grouping and the currency code.
    pub fn format_money(self, minor: i64, currency: &str) -> String {
        let digits = crate::money::minor_digits(currency);
        let scale = 10u64.pow(digits);
        let negative = minor < 0;
        let abs = minor.unsigned_abs();
        let (whole, fraction) = (abs / scale, abs % scale);
        let (group, decimal) = match self {
            Self::De => ('.', ','),
            Self::En => (',', '.'),
        };
        let whole = whole.to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(c);
        }
        if digits > 0 {
            grouped.push(decimal);
            grouped.push_str(&format!("{fraction:0width$}", width = digits as usize));
        }
        let sign = if negative { "-" } else { "" };
        match self {
            Self::De => format!("{sign}{grouped} {currency}"),
            Self::En => format!("{currency} {sign}{grouped}"),
        }
    }

    /// A file size in B, KB, MB or GB (binary multiples) with one decimal.
    pub fn format_size(self, bytes: i64) -> String {
        const UNITS: [&str; 4] = ["B", "KB", "MB", "GB"];
        if bytes < 1024 {
            return format!("{bytes} B");
        }
        let mut value = bytes as f64 / 1024.0;
        let mut unit = 1;
        while value >= 1024.0 && unit < UNITS.len() - 1 {
            value /= 1024.0;
            unit += 1;
        }
        format!(
            "{} {}",
            self.format_decimal(&format!("{value:.1}")),
            UNITS[unit]
        )
    }

    /// A decimal number (coordinates, quantities) with the locale's separator.
    pub fn format_decimal(self, value: &str) -> String {
        match self {
            Self::De => value.replace('.', ","),
            Self::En => value.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_picks_the_heaviest_supported() {
        assert_eq!(
            Locale::from_accept_language("fr, en;q=0.8, de;q=0.9"),
            Some(Locale::De)
        );
        assert_eq!(
            Locale::from_accept_language("en-US,en;q=0.9"),
            Some(Locale::En)
        );
        assert_eq!(Locale::from_accept_language("fr"), None);
    }

    #[test]
    fn sizes_follow_the_locale() {
        assert_eq!(Locale::En.format_size(512), "512 B");
        assert_eq!(Locale::De.format_size(1536), "1,5 KB");
        assert_eq!(Locale::En.format_size(20 * 1024 * 1024), "20.0 MB");
    }

    #[test]
    fn money_and_dates_follow_the_locale() {
        assert_eq!(
            Locale::De.format_money(123456789, "EUR"),
            "1.234.567,89 EUR"
        );
        assert_eq!(Locale::En.format_money(-5, "EUR"), "EUR -0.05");
        assert_eq!(Locale::De.format_money(1234, "JPY"), "1.234 JPY");
        assert_eq!(Locale::En.format_money(1234567, "KWD"), "KWD 1,234.567");
        let d = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        assert_eq!(Locale::De.format_date(d), "09.03.2026");
        assert_eq!(Locale::En.format_date(d), "2026-03-09");
        let winter = d.and_hms_opt(12, 0, 0).unwrap().and_utc();
        assert_eq!(
            Locale::De.format_datetime(winter, chrono_tz::Europe::Berlin),
            "09.03.2026 13:00"
        );
        let summer = NaiveDate::from_ymd_opt(2026, 7, 1)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
            .and_utc();
        assert_eq!(
            Locale::En.format_datetime(summer, chrono_tz::Europe::Berlin),
            "2026-07-01 14:00"
        );
    }
}
