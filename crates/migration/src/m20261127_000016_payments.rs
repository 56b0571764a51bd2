//! Payments received on invoices. An invoice with payments cannot be
//! deleted (RESTRICT); the invoice keeps the sum in `amount_paid`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("payments")
                .col(reference("invoice_id"))
                .col(reference("customer_id"))
                .col(big_integer("amount"))
                .col(string("date"))
                .col(big_integer_null("payment_mode_id"))
                .col(string("transaction_id").default(""))
                .col(text("note").default(""))
                .col(big_integer("created_by"))
                .foreign_key(&mut fk(
                    "payments",
                    "invoice_id",
                    "invoices",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("payments", "payments_invoice_idx", &["invoice_id", "id"]).take())
            .await?;
        m.create_index(
            index(
                "payments",
                "payments_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
