//! Gapless document numbers. A series is one row; [`next`] advances it
//! with a single UPDATE inside the caller's transaction, so the row stays
//! locked until the document that takes the number is committed: a
//! rollback gives the number back, and two instances never hand out the
//! same one.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use kernel::{AppError, AppResult, db::sql};
use sea_orm::{ConnectionTrait, FromQueryResult, Statement};

/// A series' settings: how numbers look and whether they restart each year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeriesFormat {
    /// Text with `{N}` (or `{N:5}` for five digits, zero-padded) and
    /// optionally `{YYYY}`, `{YY}` and `{MM}` of the document date.
    pub format: String,
    pub reset_yearly: bool,
}

impl SeriesFormat {
    /// Checks a format typed in the settings.
    pub fn parse(format: &str, reset_yearly: bool) -> Result<Self, &'static str> {
        let format = format.trim();
        if format.is_empty() || format.chars().count() > 60 {
            return Err("error-series-format");
        }
        let placeholders = format.matches("{N}").count() + format.matches("{N:").count();
        if placeholders != 1 || format.chars().any(char::is_control) {
            return Err("error-series-format");
        }
        let probe = render(format, 1, NaiveDate::MIN);
        if probe.contains(['{', '}']) {
            return Err("error-series-format");
        }
        // Restarting at 1 each year repeats last year's numbers unless the
        // year is part of them.
        if reset_yearly && !format.contains("{YYYY}") && !format.contains("{YY}") {
            return Err("error-series-year");
        }
        Ok(Self {
            format: format.to_string(),
            reset_yearly,
        })
    }

    pub fn render(&self, number: i64, date: NaiveDate) -> String {
        render(&self.format, number, date)
    }
}

fn render(format: &str, number: i64, date: NaiveDate) -> String {
    let mut out = format
        .replace("{YYYY}", &format!("{:04}", date.year()))
        .replace("{YY}", &format!("{:02}", date.year().rem_euclid(100)))
        .replace("{MM}", &format!("{:02}", date.month()));
    // An unreadable width is left in place, so the format check refuses it.
    if let Some(start) = out.find("{N:")
        && let Some(len) = out[start..].find('}')
        && let Ok(width) = out[start + 3..start + len].parse::<usize>()
    {
        let width = width.min(12);
        out.replace_range(start..start + len + 1, &format!("{number:0width$}"));
    }
    out.replace("{N}", &number.to_string())
}

#[derive(FromQueryResult)]
struct Taken {
    number: i64,
    format: String,
}

/// Creates the series with its default format if it does not exist yet.
pub async fn ensure(
    db: &impl ConnectionTrait,
    key: &str,
    default: &SeriesFormat,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "INSERT INTO number_series (key, format, next_value, reset_yearly, period, created_at, updated_at) \
             VALUES ($1, $2, 1, $3, 0, $4, $4) ON CONFLICT (key) DO NOTHING",
        ),
        [
            key.into(),
            default.format.clone().into(),
            default.reset_yearly.into(),
            now.into(),
        ],
    ))
    .await?;
    Ok(())
}

#[derive(FromQueryResult)]
struct Configured {
    format: String,
    reset_yearly: bool,
}

/// The series' current format.
pub async fn format_of(db: &impl ConnectionTrait, key: &str) -> AppResult<Option<SeriesFormat>> {
    let backend = db.get_database_backend();
    Ok(
        Configured::find_by_statement(Statement::from_sql_and_values(
            backend,
            sql(
                backend,
                "SELECT format, reset_yearly FROM number_series WHERE key = $1",
            ),
            [key.into()],
        ))
        .one(db)
        .await?
        .map(|c| SeriesFormat {
            format: c.format,
            reset_yearly: c.reset_yearly,
        }),
    )
}

/// Changes how the series' next numbers look; numbers already given keep
/// theirs.
pub async fn configure(
    db: &impl ConnectionTrait,
    key: &str,
    format: &SeriesFormat,
    now: DateTime<Utc>,
) -> AppResult<()> {
    let backend = db.get_database_backend();
    db.execute_raw(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE number_series SET format = $1, reset_yearly = $2, updated_at = $3 WHERE key = $4",
        ),
        [
            format.format.clone().into(),
            format.reset_yearly.into(),
            now.into(),
            key.into(),
        ],
    ))
    .await?;
    Ok(())
}

/// Takes the next number of the series for a document dated `date`, as
/// `(number, formatted)`. Call it inside the transaction that stores the
/// document.
pub async fn next(
    db: &impl ConnectionTrait,
    key: &str,
    date: NaiveDate,
    now: DateTime<Utc>,
) -> AppResult<(i64, String)> {
    // A permanent number for the year 0000 or 9999 is a typo made forever.
    let today = now.date_naive();
    if date < today - chrono::Days::new(ISSUE_WINDOW_DAYS)
        || date > today + chrono::Days::new(ISSUE_WINDOW_DAYS)
    {
        return Err(AppError::field("date", "error-issue-date-window"));
    }
    let backend = db.get_database_backend();
    // A yearly series only moves forward: once a later year has numbers, a
    // document dated in an earlier year would restart at 1 and collide.
    let taken = Taken::find_by_statement(Statement::from_sql_and_values(
        backend,
        sql(
            backend,
            "UPDATE number_series SET \
               next_value = CASE WHEN reset_yearly AND period <> $2 THEN 2 ELSE next_value + 1 END, \
               period = CASE WHEN reset_yearly AND period > $2 THEN period ELSE $2 END, updated_at = $3 \
             WHERE key = $1 AND NOT (reset_yearly AND period > $2) \
             RETURNING next_value - 1 AS number, format",
        ),
        [key.into(), date.year().into(), now.into()],
    ))
    .one(db)
    .await?;
    let Some(taken) = taken else {
        let exists = db
            .query_one_raw(Statement::from_sql_and_values(
                backend,
                sql(backend, "SELECT key FROM number_series WHERE key = $1"),
                [key.into()],
            ))
            .await?;
        return Err(match exists {
            Some(_) => AppError::field("date", "error-series-earlier-year"),
            None => AppError::Internal(anyhow::anyhow!("number series {key} does not exist")),
        });
    };
    Ok((taken.number, render(&taken.format, taken.number, date)))
}

/// How far from today a document may be dated when it gets its number.
pub const ISSUE_WINDOW_DAYS: u64 = 366;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_fill_in_number_and_date() {
        let date = NaiveDate::from_ymd_opt(2026, 3, 9).unwrap();
        let f = SeriesFormat::parse("RE-{YYYY}-{N:5}", true).unwrap();
        assert_eq!(f.render(42, date), "RE-2026-00042");
        let f = SeriesFormat::parse("{YY}{MM}/{N}", false).unwrap();
        assert_eq!(
            SeriesFormat::parse("RE-{N}", true),
            Err("error-series-year"),
            "a yearly restart needs the year"
        );
        assert_eq!(f.render(7, date), "2603/7");
        assert_eq!(
            SeriesFormat::parse("GS-{N:4}", false)
                .unwrap()
                .render(123456, date),
            "GS-123456"
        );
    }

    #[test]
    fn the_refusal_names_the_placeholders() {
        for locale in [kernel::i18n::Locale::De, kernel::i18n::Locale::En] {
            let text = crate::i18n::t(locale, "error-series-format");
            assert!(text.contains("{N}") && text.contains("{N:5}"), "{text}");
        }
    }

    #[test]
    fn formats_need_exactly_one_number() {
        for bad in [
            "",
            "RE-{YYYY}",
            "{N}-{N}",
            "RE-{X}-{N}",
            "RE-{N:5",
            "RE-{N:x}",
        ] {
            assert!(SeriesFormat::parse(bad, false).is_err(), "{bad}");
        }
    }
}
