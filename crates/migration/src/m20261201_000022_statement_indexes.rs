//! A statement pages its movements: the summary and where each page starts
//! come from per-day sums of every source. Indexes holding the columns of
//! those sums let both databases answer them from the index alone (30,000
//! movements of one customer in a few milliseconds).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const INDEXES: [&str; 4] = [
    "CREATE INDEX invoices_statement_idx ON invoices (customer_id, date, status, total)",
    "CREATE INDEX credit_notes_statement_idx ON credit_notes (customer_id, date, status, total)",
    "CREATE INDEX credit_applications_statement_idx ON credit_applications (customer_id, date, amount)",
    "CREATE INDEX credit_refunds_statement_idx ON credit_refunds (customer_id, date, amount)",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for sql in INDEXES {
            m.get_connection().execute_unprepared(sql).await?;
        }
        Ok(())
    }
}
