//! Global search finds documents by the start of their number. SQLite's
//! unique index on `number` (binary collation) already serves a range
//! `number >= 'RE-2026' AND number < 'RE-2027'`; on PostgreSQL the column's
//! collation may be linguistic, where such a range is not a prefix, so the
//! search compares in the "C" collation, which these indexes serve.

use sea_orm_migration::{prelude::*, sea_orm::DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        if m.get_database_backend() == DbBackend::Postgres {
            let db = m.get_connection();
            for table in ["invoices", "credit_notes"] {
                db.execute_unprepared(&format!(
                    "CREATE INDEX {table}_number_c ON {table} (number COLLATE \"C\")"
                ))
                .await?;
            }
        }
        Ok(())
    }
}
