//! A document type as data: where it is kept, how it is numbered and
//! titled, who may see it. The core reads and writes every document type
//! through its kind; a module adds only what its type does besides.

use crate::{common::lines::LineTable, policy::Area};

/// A type of business document (invoice, credit note, estimate ...).
pub struct DocumentKind {
    /// The record kind activity, notes and files name it by (`invoice`).
    pub key: &'static str,
    /// Its header table; the table and column names here are the kind's
    /// own constants, never input.
    pub table: &'static str,
    pub lines: LineTable,
    /// The number series that numbers it when issued.
    pub series: &'static str,
    /// The area of the role grid that decides who sees it.
    pub area: Area,
    /// Where its pages live (`/invoices`), and the customer tab listing it
    /// (`/customers/{id}/invoices`).
    pub path: &'static str,
    pub tab: &'static str,
    /// The status a draft takes when it is issued.
    pub issued_status: &'static str,
    /// Its due (or expiry) date column, if it has one.
    pub due_column: Option<&'static str>,
    /// Whether it names a sales agent (`sales_agent_id`).
    pub sales_agent: bool,
    /// The status of a withdrawn document (voided, cancelled): listed,
    /// but its total counts in no sum.
    pub void_status: &'static str,
    /// The sums the database keeps of its documents per status, currency
    /// and date (`n`, `total`), which the list across all customers reads.
    pub day_totals: &'static str,
    /// Numbered when first sent (or marked sent) rather than issued on its
    /// own: sending a draft issues it, and issuing records it as sent.
    pub issue_on_send: bool,
    /// The label (message key) of its due column in the draft form.
    pub due_label: &'static str,
    /// A letter more than a bill: a subject and markdown content
    /// (`subject`, `content` columns) before item lines, which it may lack.
    pub prose: bool,
}

/// A [`DocumentKind`] named by the conventions: `key` (`credit_note`)
/// names the record, the series, the table (`credit_notes`) and its item
/// lines (`credit_note_items.credit_note_id`); `path` (`credit-notes`)
/// its pages and the customer tab.
#[macro_export]
macro_rules! document_kind {
    (
        key: $key:literal,
        path: $path:literal,
        area: $area:expr,
        issued_status: $issued:literal,
        due_column: $due:expr,
        sales_agent: $agent:literal,
        void_status: $void:literal
        $(, issue_on_send: $send:literal)?
        $(, due_label: $due_label:literal)?
        $(, prose: $prose:literal)? $(,)?
    ) => {
        $crate::common::documents::kind::DocumentKind {
            key: $key,
            table: concat!($key, "s"),
            lines: $crate::common::lines::LineTable {
                table: concat!($key, "_items"),
                column: concat!($key, "_id"),
            },
            series: $key,
            area: $area,
            path: concat!("/", $path),
            tab: $path,
            issued_status: $issued,
            due_column: $due,
            sales_agent: $agent,
            void_status: $void,
            day_totals: concat!($key, "_day_totals"),
            issue_on_send: false $(|| $send)?,
            due_label: $crate::common::documents::kind::label_or_due(&[$($due_label)?]),
            prose: false $(|| $prose)?,
        }
    };
}

/// The due date's label a kind names, `field-due-date` when it names none.
pub const fn label_or_due(given: &[&'static str]) -> &'static str {
    match given {
        [label, ..] => label,
        [] => "field-due-date",
    }
}

/// The status every document starts in.
pub const DRAFT: &str = "draft";

impl DocumentKind {
    /// Who counts as the document's own staff for "view own".
    pub fn own_columns(&self) -> &'static [&'static str] {
        if self.sales_agent {
            &["created_by", "sales_agent_id"]
        } else {
            &["created_by"]
        }
    }

    /// Where an issued document's PDF is archived.
    pub fn archive_key(&self, id: i64) -> String {
        super::archive_key(self.tab, id)
    }

    pub fn page(&self, id: i64) -> String {
        format!("{}/{id}", self.path)
    }

    pub fn customer_tab(&self, customer: i64) -> String {
        format!("/customers/{customer}/{}", self.tab)
    }

    /// The message key of what an action did (`issued` ->
    /// `flash-credit-note-issued`).
    pub fn flash(&self, done: &str) -> String {
        format!("flash-{}-{done}", self.key.replace('_', "-"))
    }

    /// The refusal when a change needs a draft and it is issued already
    /// (`error-credit-note-issued`).
    pub fn issued_error(&self) -> String {
        format!("error-{}-issued", self.key.replace('_', "-"))
    }
}
