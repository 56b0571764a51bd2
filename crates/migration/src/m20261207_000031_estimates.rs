//! Estimates (Angebote): the body of an invoice with an expiry date, a
//! secret link for the customer to accept (with a drawn signature) or
//! decline, and the invoice it was converted to. Every document
//! remembers the one it was made from (`source_kind`, `source_id`), so its
//! page links back.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait, sea_orm::DbBackend};

use crate::{
    common::{answer_columns, document_head, document_items, document_tail, fk, index, table},
    kept::{Kept, totals_table},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

const KEPT: Kept = Kept {
    sums: "estimate_day_totals",
    name: "day_totals",
    table: "estimates",
    key: &[
        ("status", "R.status"),
        ("currency", "R.currency"),
        ("date", "R.date"),
    ],
    amount: "R.total",
    counts: "R.id IS NOT NULL",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        for documents in ["invoices", "credit_notes"] {
            m.alter_table(
                Table::alter()
                    .table(documents)
                    .add_column(string_null("source_kind"))
                    .take(),
            )
            .await?;
            m.alter_table(
                Table::alter()
                    .table(documents)
                    .add_column(big_integer_null("source_id"))
                    .take(),
            )
            .await?;
        }
        let mut estimates = table("estimates");
        document_head(&mut estimates, "expiry_date")
            .col(big_integer_null("invoice_id").unique_key());
        document_tail(&mut estimates);
        answer_columns(&mut estimates)
            .foreign_key(&mut fk(
                "estimates",
                "customer_id",
                "customers",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "estimates",
                "invoice_id",
                "invoices",
                ForeignKeyAction::Restrict,
            ));
        m.create_table(estimates).await?;
        m.create_index(
            index(
                "estimates",
                "estimates_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "estimates",
                "estimates_expiry_idx",
                &["status", "expiry_date"],
            )
            .take(),
        )
        .await?;
        m.create_table(document_items("estimate_items", "estimate_id", "estimates"))
            .await?;
        m.create_index(
            index(
                "estimate_items",
                "estimate_items_estimate_idx",
                &["estimate_id", "position"],
            )
            .take(),
        )
        .await?;
        m.create_table(totals_table(KEPT.sums, &["status", "currency", "date"]))
            .await?;
        let db = m.get_connection();
        KEPT.install(db).await?;
        db.execute_unprepared("CREATE INDEX estimates_date_idx ON estimates (date, id)")
            .await?;
        // The tab's count and sums and the overview's open amount, answered
        // from the index alone however many estimates a customer has.
        db.execute_unprepared(
            "CREATE INDEX estimates_customer_sum_idx ON estimates \
             (customer_id, status, date, currency, total)",
        )
        .await?;
        db.execute_unprepared(
            "CREATE INDEX estimates_open_idx ON estimates \
             (customer_id, created_by, sales_agent_id, total) WHERE status = 'sent'",
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE INDEX estimates_number_c ON estimates (number COLLATE \"C\")",
            )
            .await?;
        }
        Ok(())
    }
}
