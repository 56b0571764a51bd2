//! The count and sum of each kind of statement movement per customer and
//! day, so that a statement of tens of thousands of movements finds where
//! each page starts from a few hundred rows instead of summing every
//! movement on every page.
//!
//! The database keeps the table in step with its five sources (see
//! `kept`).

use sea_orm_migration::prelude::*;

use crate::kept::{Kept, sums_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// A source of movements: its table, the movement kind, the amount and the
/// condition (on row `R`) under which a row is a movement.
const fn source(
    table: &'static str,
    key: &'static [(&'static str, &'static str); 3],
    amount: &'static str,
    counts: &'static str,
) -> Kept {
    Kept {
        sums: "statement_days",
        name: "days",
        table,
        key,
        amount,
        counts,
    }
}

const SOURCES: [Kept; 5] = [
    source(
        "invoices",
        &[
            ("customer_id", "R.customer_id"),
            ("date", "R.date"),
            ("kind", "'invoice'"),
        ],
        "R.total",
        "R.status <> 'draft'",
    ),
    source(
        "payments",
        &[
            ("customer_id", "R.customer_id"),
            ("date", "R.date"),
            ("kind", "'payment'"),
        ],
        "R.amount",
        "TRUE",
    ),
    source(
        "credit_notes",
        &[
            ("customer_id", "R.customer_id"),
            ("date", "R.date"),
            ("kind", "'credit_note'"),
        ],
        "R.total",
        "R.status NOT IN ('draft', 'void')",
    ),
    source(
        "credit_applications",
        &[
            ("customer_id", "R.customer_id"),
            ("date", "R.date"),
            ("kind", "'credit_applied'"),
        ],
        "R.amount",
        "TRUE",
    ),
    source(
        "credit_refunds",
        &[
            ("customer_id", "R.customer_id"),
            ("date", "R.date"),
            ("kind", "'refund'"),
        ],
        "R.amount",
        "TRUE",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(sums_table("statement_days", &["date", "kind"]))
            .await?;
        let db = m.get_connection();
        for source in &SOURCES {
            source.install(db).await?;
        }
        Ok(())
    }
}
