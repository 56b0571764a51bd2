//! What a customer still owes is summed on every overview page, and the
//! payments tab counts and sums the customer's payments: indexes holding
//! the columns of those sums (for invoices only the open ones) let both
//! databases answer them from the index alone.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX invoices_open_idx ON invoices \
             (customer_id, due_date, total, amount_paid, amount_credited) \
             WHERE status IN ('unpaid', 'partially_paid')",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX payments_customer_sum_idx ON payments \
             (customer_id, date, payment_mode_id, amount)",
        )
        .await
        .map(drop)
    }
}
