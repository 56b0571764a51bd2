//! Helpers shared by every list and form: paging parameters, htmx detection.

use axum::http::HeaderMap;
use serde::{Deserialize, Deserializer};

pub const DEFAULT_PER_PAGE: u64 = 25;
pub const MAX_PER_PAGE: u64 = 200;
/// Far past any real list, small enough that the offset stays a sane SQL
/// value (a page of 2^62 made the query builder panic).
pub const MAX_PAGE: u64 = 10_000_000;

/// The query string every list understands.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListQuery {
    /// Search text.
    #[serde(default, deserialize_with = "search_text")]
    pub q: Option<String>,
    /// The page, from 1 (0 reads as 1; one past the last shows the last).
    #[serde(default, deserialize_with = "page_number")]
    #[param(schema_with = page_schema)]
    pub page: Option<u64>,
    /// Rows a page, 1 to 200 (fewer read as 1, more as 200); 25 when absent.
    #[serde(default, deserialize_with = "page_number")]
    #[param(schema_with = page_schema)]
    pub per_page: Option<u64>,
    /// The column to sort by (the list's own keys).
    #[serde(default)]
    pub sort: Option<String>,
    /// `desc` sorts descending, anything else ascending.
    #[serde(default)]
    pub dir: Option<String>,
}

/// A page number in a query: a whole number from 0, or empty for none (a
/// form's untouched field).
pub fn page_schema() -> utoipa::openapi::OneOfBuilder {
    or_empty(
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .minimum(Some(0))
            .maximum(Some(i64::MAX)),
    )
}

/// A [`number`] in a query: an integer, or empty for none.
pub fn number_schema() -> utoipa::openapi::OneOfBuilder {
    use utoipa::openapi::{KnownFormat, SchemaFormat};
    or_empty(
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::Integer)
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
    )
}

fn or_empty(value: utoipa::openapi::ObjectBuilder) -> utoipa::openapi::OneOfBuilder {
    use utoipa::openapi::{ObjectBuilder, schema::Type};
    utoipa::openapi::OneOfBuilder::new().item(value).item(
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(0)),
    )
}

/// A search text without its control characters: no stored text holds
/// one, and a NUL is refused by PostgreSQL and ends SQLite's full-text
/// query.
pub fn search_text<'de, D>(d: D) -> Result<Option<String>, D::Error>
where
    D: Deserializer<'de>,
{
    Ok(Option::<String>::deserialize(d)?.map(|q| q.chars().filter(|c| !c.is_control()).collect()))
}

/// A page or page size: a number as [`number`] reads it, within what a
/// client's 64-bit integer holds (larger ones are refused, not clamped).
pub fn page_number<'de, D>(d: D) -> Result<Option<u64>, D::Error>
where
    D: Deserializer<'de>,
{
    let n = number::<D, u64>(d)?;
    if n.is_some_and(|n| n > i64::MAX as u64) {
        return Err(serde::de::Error::custom("a page number past 2^63"));
    }
    Ok(n)
}

/// Query values arrive as text, also through `#[serde(flatten)]`; an empty
/// value counts as absent (a form's untouched filter), one that is not a
/// number fails the request. A whole number written with a fraction
/// (`76.0`) is that number, as in a JSON body.
pub fn number<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: Deserializer<'de>,
    T: std::str::FromStr,
{
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Int(i64),
    }
    let text = match Option::<Raw>::deserialize(d)? {
        Some(Raw::Text(t)) => t,
        Some(Raw::Int(n)) => n.to_string(),
        None => return Ok(None),
    };
    if text.is_empty() {
        return Ok(None);
    }
    let whole = |text: &str| {
        text.parse::<f64>()
            .ok()
            .filter(|f| f.fract() == 0.0 && f.abs() < 9.0e15)
            .and_then(|f| format!("{f:.0}").parse().ok())
    };
    text.parse()
        .ok()
        .or_else(|| whole(&text))
        .map(Some)
        .ok_or_else(|| serde::de::Error::custom(format!("not a number: {text}")))
}

impl ListQuery {
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).clamp(1, MAX_PAGE)
    }

    pub fn per_page(&self) -> u64 {
        self.per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .clamp(1, MAX_PER_PAGE)
    }

    pub fn offset(&self) -> u64 {
        (self.page() - 1).saturating_mul(self.per_page())
    }

    pub fn search(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }

    pub fn descending(&self) -> bool {
        self.dir.as_deref() == Some("desc")
    }
}

/// One page of a list plus what the pager needs.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub data: Vec<T>,
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

impl<T> Page<T> {
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page).max(1)
    }

    pub fn has_prev(&self) -> bool {
        self.page > 1
    }

    pub fn has_next(&self) -> bool {
        self.page < self.pages()
    }

    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            data: self.data.into_iter().map(f).collect(),
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        }
    }

    /// The pager of this page, `href` making a page's URL.
    pub fn pager(&self, href: impl Fn(u64) -> String) -> Pager {
        let (page, pages) = (self.page, self.pages());
        let mut numbers = vec![1, pages];
        numbers.extend(page.saturating_sub(2).max(1)..=(page + 2).min(pages));
        numbers.sort_unstable();
        numbers.dedup();
        let mut links = Vec::with_capacity(numbers.len() + 2);
        let mut previous = 0;
        for number in numbers {
            if number > previous + 1 {
                links.push(PageLink {
                    number: None,
                    href: String::new(),
                    current: false,
                });
            }
            links.push(PageLink {
                number: Some(number),
                href: href(number),
                current: number == page,
            });
            previous = number;
        }
        Pager {
            page,
            pages,
            total: self.total,
            prev: self.has_prev().then(|| href(page - 1)),
            next: self.has_next().then(|| href(page + 1)),
            links,
            open: false,
        }
    }

    /// [`Page::map`] with a conversion that may fail.
    pub fn try_map<U, E>(self, f: impl FnMut(T) -> Result<U, E>) -> Result<Page<U>, E> {
        Ok(Page {
            data: self.data.into_iter().map(f).collect::<Result<_, E>>()?,
            page: self.page,
            per_page: self.per_page,
            total: self.total,
        })
    }
}

/// What a pager shows: the previous and next page, and links to the first
/// and the last page and to the two either side of this one.
pub struct Pager {
    pub page: u64,
    pub pages: u64,
    pub total: u64,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub links: Vec<PageLink>,
    /// The count stopped at a cap: there are more than `total` and the
    /// last page is not known.
    pub open: bool,
}

impl Pager {
    /// The pager of a list counted up to a cap that was reached: the cap's
    /// page is not the last one, so it is not offered as such.
    pub fn open_ended(mut self) -> Self {
        if self.links.last().is_some_and(|l| !l.current) {
            self.links.pop();
            if self.links.last().is_some_and(|l| l.number.is_some()) {
                self.links.push(PageLink {
                    number: None,
                    href: String::new(),
                    current: false,
                });
            }
        }
        self.total = self.total.saturating_sub(1);
        self.open = true;
        self
    }
}

/// A page the pager links, or (no number) a gap of pages left out.
pub struct PageLink {
    pub number: Option<u64>,
    pub href: String,
    /// The page shown.
    pub current: bool,
}

pub fn is_htmx(headers: &HeaderMap) -> bool {
    headers.get("hx-request").is_some_and(|v| v == "true")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_pager_links_the_ends_and_the_pages_around() {
        let page = |page, total| Page::<()> {
            data: Vec::new(),
            page,
            per_page: 10,
            total,
        };
        let shown = |p: Pager| -> Vec<Option<u64>> { p.links.iter().map(|l| l.number).collect() };
        assert_eq!(
            shown(page(6, 120).pager(|n| n.to_string())),
            [
                Some(1),
                None,
                Some(4),
                Some(5),
                Some(6),
                Some(7),
                Some(8),
                None,
                Some(12)
            ]
        );
        assert_eq!(
            shown(page(1, 30).pager(|n| n.to_string())),
            [Some(1), Some(2), Some(3)]
        );
        let p = page(3, 30).pager(|n| format!("?page={n}"));
        assert_eq!((p.prev.as_deref(), p.next), (Some("?page=2"), None));
        assert_eq!(p.links[2].href, "?page=3");
        let open = page(1, 1001).pager(|n| n.to_string()).open_ended();
        assert_eq!(shown(open), [Some(1), Some(2), Some(3), None]);
        let open = page(1, 1001).pager(|n| n.to_string()).open_ended();
        assert_eq!(
            (open.total, open.open, open.next.is_some()),
            (1000, true, true)
        );
    }

    #[test]
    fn paging_is_clamped() {
        let q = ListQuery {
            page: Some(0),
            per_page: Some(10_000),
            ..Default::default()
        };
        assert_eq!(q.page(), 1);
        assert_eq!(q.per_page(), MAX_PER_PAGE);
        let far = ListQuery {
            page: Some(4_611_686_018_427_387_904),
            ..Default::default()
        };
        assert_eq!(far.page(), MAX_PAGE);
        assert!(i64::try_from(far.offset()).is_ok());
        let p = Page {
            data: vec![1],
            page: 2,
            per_page: 10,
            total: 21,
        };
        assert_eq!(p.pages(), 3);
        assert!(p.has_prev() && p.has_next());
    }
}
