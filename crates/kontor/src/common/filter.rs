//! Which of a customer's documents (invoices, credit notes) a list or zip
//! shows: a status and a period of document dates.

use chrono::NaiveDate;
use kernel::{FieldErrors, types};

/// The customers a list across documents covers: one customer, the few a
/// "view own" staff member administers, or every customer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CustomerSet {
    One(i64),
    Among(Vec<i64>),
    All,
}

impl CustomerSet {
    /// The SQL condition on `column` (bound as `$n` after `values`, which
    /// it extends).
    pub fn sql(&self, column: &str, values: &mut Vec<sea_orm::Value>) -> String {
        match self {
            CustomerSet::One(id) => {
                values.push((*id).into());
                format!("{column} = ${}", values.len())
            }
            CustomerSet::Among(ids) if ids.is_empty() => "1 = 0".into(),
            CustomerSet::Among(ids) => {
                let first = values.len() + 1;
                values.extend(ids.iter().map(|id| sea_orm::Value::from(*id)));
                let marks: Vec<String> = (first..=values.len()).map(|n| format!("${n}")).collect();
                format!("{column} IN ({})", marks.join(", "))
            }
            CustomerSet::All => "1 = 1".into(),
        }
    }
}

/// The invoices a staff member's figures cover: those of the customers
/// they see and, with "view own", only those they created or sell.
#[derive(Clone, Debug)]
pub struct InvoiceScope {
    pub customers: CustomerSet,
    pub own: Option<i64>,
}

impl InvoiceScope {
    /// Every invoice there is: sums kept over all of them answer.
    pub fn is_everything(&self) -> bool {
        self.customers == CustomerSet::All && self.own.is_none()
    }

    /// The SQL condition on the invoices aliased `alias`, bound after
    /// `values`.
    pub fn sql(&self, alias: &str, values: &mut Vec<sea_orm::Value>) -> String {
        let mut condition = self.customers.sql(&format!("{alias}.customer_id"), values);
        if let Some(me) = self.own {
            values.push(me.into());
            let n = values.len();
            condition.push_str(&format!(
                " AND ({alias}.created_by = ${n} OR {alias}.sales_agent_id = ${n})"
            ));
        }
        condition
    }
}

/// A kept sum by currency and a key (a due date, a month).
#[derive(Clone, Debug, sea_orm::FromQueryResult)]
pub struct KeyedSum {
    pub currency: String,
    pub key: String,
    pub n: i64,
    pub total: i64,
}

/// A document status as it appears in a query (`?status=unpaid`).
pub trait StatusKey: Sized + Copy + 'static {
    fn from_key(key: &str) -> Option<Self>;
    fn as_key(self) -> &'static str;
    /// Its label's message key.
    fn label(self) -> &'static str;
    /// Every status, in the order a filter offers them.
    fn all() -> &'static [Self];
    /// Its badge's classes.
    fn badge(self) -> &'static str;
}

/// Declares a document type's statuses: each with its key (stored, in the
/// API and in `?status=`) and its badge class; its label's message key is
/// the `labels` prefix and the key. The enum gets `ALL`, `key`, `parse`,
/// `badge`, `label_key` and [`StatusKey`]. (The keys are taken as tokens:
/// a `literal` fragment reaches the derives wrapped, and utoipa's would not
/// read the renames.)
#[macro_export]
macro_rules! document_statuses {
    (
        $(#[$meta:meta])*
        pub enum $name:ident, labels $prefix:literal {
            $($(#[$doc:meta])* $variant:ident = $key:tt, $badge:literal,)+
        }
    ) => {
        #[derive(
            Clone, Copy, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize, utoipa::ToSchema,
        )]
        $(#[$meta])*
        pub enum $name {
            $($(#[$doc])* #[serde(rename = $key)] $variant,)+
        }

        impl $name {
            pub const ALL: [$name; [$($key),+].len()] = [$($name::$variant),+];

            pub fn key(self) -> &'static str {
                match self {
                    $(Self::$variant => $key,)+
                }
            }

            pub fn parse(key: &str) -> Option<Self> {
                Self::ALL.into_iter().find(|s| s.key() == key)
            }

            pub fn badge(self) -> &'static str {
                match self {
                    $(Self::$variant => $badge,)+
                }
            }

            pub fn label_key(self) -> &'static str {
                match self {
                    $(Self::$variant => concat!($prefix, $key),)+
                }
            }
        }

        impl $crate::common::filter::StatusKey for $name {
            fn from_key(key: &str) -> Option<Self> {
                Self::parse(key)
            }

            fn as_key(self) -> &'static str {
                self.key()
            }

            fn label(self) -> &'static str {
                self.label_key()
            }

            fn badge(self) -> &'static str {
                $name::badge(self)
            }

            fn all() -> &'static [Self] {
                &Self::ALL
            }
        }
    };
}

#[derive(Clone, Debug)]
pub struct DocumentFilter<S> {
    pub status: Option<S>,
    /// Document dates from and to (both included).
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

impl<S> Default for DocumentFilter<S> {
    fn default() -> Self {
        Self {
            status: None,
            from: None,
            to: None,
        }
    }
}

impl<S: StatusKey> DocumentFilter<S> {
    /// From query text (`status`, `from`, `to` as `YYYY-MM-DD`); empty means any.
    pub fn parse(status: &str, from: &str, to: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let status = match status {
            "" => None,
            s => S::from_key(s).or_else(|| {
                e.add("status", "error-invalid");
                None
            }),
        };
        let from = types::optional_date(&mut e, "from", from);
        let to = types::optional_date(&mut e, "to", to);
        if e.is_empty() {
            Ok(Self { status, from, to })
        } else {
            Err(e)
        }
    }
}
