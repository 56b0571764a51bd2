//! Money without floats. Amounts are computed with `rust_decimal` and
//! stored as integers in the currency's minor unit (cents for EUR);
//! quantities are stored in thousandths and tax rates in basis points
//! (1900 = 19 %). Rounding is half away from zero, to the currency's minor
//! unit.

use rust_decimal::{Decimal, RoundingStrategy, prelude::ToPrimitive};

/// Digits after the decimal point of an ISO 4217 currency.
pub fn minor_digits(currency: &str) -> u32 {
    match currency {
        "JPY" | "KRW" | "ISK" | "CLP" | "VND" | "XAF" | "XOF" | "HUF" => 0,
        "BHD" | "KWD" | "OMR" | "JOD" | "TND" | "LYD" | "IQD" => 3,
        _ => 2,
    }
}

/// Rounds to `digits` decimals, half away from zero.
pub fn round(value: Decimal, digits: u32) -> Decimal {
    value.round_dp_with_strategy(digits, RoundingStrategy::MidpointAwayFromZero)
}

/// An amount as stored: an integer count of minor units (`None` when it
/// does not fit in an `i64`).
pub fn to_minor(value: Decimal, digits: u32) -> Option<i64> {
    let mut scaled = round(value, digits);
    scaled.rescale(digits);
    scaled.mantissa().to_i64()
}

/// The amount of `minor` minor units.
pub fn from_minor(minor: i64, digits: u32) -> Decimal {
    Decimal::new(minor, digits)
}

/// A quantity as stored: thousandths.
pub const QUANTITY_DIGITS: u32 = 3;
/// A tax rate as stored: basis points (hundredths of a percent).
pub const RATE_DIGITS: u32 = 2;

/// Reads a decimal typed by a person or sent by a client: `1234.5`,
/// `1234,50`, `1.234,50` (German) or `1,234.50` (English). A lone
/// separator followed by exactly three digits is read as a thousands
/// separator only when the other separator is also present; `1.234` is
/// one point two three four.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect();
    if t.is_empty() || t.len() > 40 {
        return None;
    }
    let normalized = match (t.rfind(','), t.rfind('.')) {
        // Both: the later one is the decimal separator.
        (Some(c), Some(d)) if c > d => t.replace('.', "").replace(',', "."),
        (Some(_), Some(_)) => t.replace(',', ""),
        (Some(_), None) if t.matches(',').count() == 1 => t.replace(',', "."),
        (Some(_), None) => return None,
        (None, _) => t,
    };
    let digits_only = normalized
        .strip_prefix('-')
        .unwrap_or(&normalized)
        .chars()
        .all(|c| c.is_ascii_digit() || c == '.');
    if !digits_only || normalized.matches('.').count() > 1 {
        return None;
    }
    normalized.parse::<Decimal>().ok()
}

/// Writes an amount with exactly `digits` decimals and a point, as the API
/// sends money (`"1234.50"`).
pub fn to_api(value: Decimal, digits: u32) -> String {
    let mut v = round(value, digits);
    v.rescale(digits);
    v.to_string()
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use rust_decimal::Decimal;

    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round(d("0.125"), 2), d("0.13"));
        assert_eq!(round(d("-0.125"), 2), d("-0.13"));
        assert_eq!(round(d("0.124"), 2), d("0.12"));
        assert_eq!(to_minor(d("19.995"), 2), Some(2000));
        assert_eq!(to_minor(d("1234.5"), 0), Some(1235));
        assert_eq!(to_api(d("7"), 2), "7.00");
        assert_eq!(from_minor(123450, 2), d("1234.50"));
    }

    #[test]
    fn reads_both_locales() {
        assert_eq!(parse_decimal("1.234,50"), Some(d("1234.50")));
        assert_eq!(parse_decimal("1,234.50"), Some(d("1234.50")));
        assert_eq!(parse_decimal("12,5"), Some(d("12.5")));
        assert_eq!(parse_decimal(" -3.25 "), Some(d("-3.25")));
        assert_eq!(parse_decimal("1 000,00"), Some(d("1000.00")));
        assert_eq!(parse_decimal("1,2,3"), None);
        assert_eq!(parse_decimal("abc"), None);
        assert_eq!(parse_decimal(""), None);
        assert_eq!(parse_decimal("1e5"), None);
    }

    #[test]
    fn currencies_know_their_minor_unit() {
        assert_eq!(minor_digits("EUR"), 2);
        assert_eq!(minor_digits("JPY"), 0);
        assert_eq!(minor_digits("KWD"), 3);
    }

    proptest! {
        #[test]
        fn minor_units_round_trip(minor in -1_000_000_000_000i64..1_000_000_000_000i64, digits in 0u32..4) {
            prop_assert_eq!(to_minor(from_minor(minor, digits), digits), Some(minor));
            let text = to_api(from_minor(minor, digits), digits);
            prop_assert_eq!(parse_decimal(&text).and_then(|v| to_minor(v, digits)), Some(minor));
        }
    }
}
