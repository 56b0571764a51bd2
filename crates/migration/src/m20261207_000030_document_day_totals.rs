//! The global lists' count and sums (`/invoices`, `/credit-notes`), kept by
//! the database per status, currency and document date (see `kept`): any
//! status and date range is answered from a few thousand rows instead of
//! summing a million documents. The lists' pages read the newest first,
//! hence an index on the date.

use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

use crate::kept::{Kept, totals_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

const KEY: &[(&str, &str)] = &[
    ("status", "R.status"),
    ("currency", "R.currency"),
    ("date", "R.date"),
];

const KEPT: [Kept; 2] = [
    Kept {
        sums: "invoice_day_totals",
        name: "day_totals",
        table: "invoices",
        key: KEY,
        amount: "R.total",
        counts: "R.id IS NOT NULL",
    },
    Kept {
        sums: "credit_note_day_totals",
        name: "day_totals",
        table: "credit_notes",
        key: KEY,
        amount: "R.total",
        counts: "R.id IS NOT NULL",
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for kept in KEPT {
            m.create_table(totals_table(kept.sums, &["status", "currency", "date"]))
                .await?;
            kept.install(m.get_connection()).await?;
            m.get_connection()
                .execute_unprepared(&format!(
                    "CREATE INDEX {0}_date_idx ON {0} (date, id)",
                    kept.table
                ))
                .await?;
        }
        Ok(())
    }
}
