//! Invoices and their items. Money in minor units, quantities in
//! thousandths, tax rates in basis points. A customer with invoices cannot
//! be deleted (RESTRICT); an issued invoice keeps its number for ever
//! (unique).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("invoices")
                .col(reference("customer_id"))
                .col(string_null("number").unique_key())
                .col(string("status"))
                .col(string("date"))
                .col(string_null("due_date"))
                .col(string("currency"))
                .col(integer_null("discount_percent_bp"))
                .col(big_integer_null("discount_amount"))
                .col(boolean("discount_after_tax").default(false))
                .col(big_integer("adjustment").default(0))
                .col(big_integer("subtotal").default(0))
                .col(big_integer("discount_total").default(0))
                .col(big_integer("tax_total").default(0))
                .col(big_integer("total").default(0))
                .col(big_integer("amount_paid").default(0))
                .col(text("client_note").default(""))
                .col(text("terms").default(""))
                .col(big_integer_null("sales_agent_id"))
                .col(big_integer("created_by"))
                .col(timestamp_with_time_zone_null("issued_at"))
                .foreign_key(&mut fk(
                    "invoices",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "invoices",
                "invoices_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(index("invoices", "invoices_status_idx", &["status", "due_date"]).take())
            .await?;
        m.create_table(
            table("invoice_items")
                .col(reference("invoice_id"))
                .col(integer("position"))
                .col(text("description"))
                .col(text("long_description").default(""))
                .col(big_integer("quantity_milli"))
                .col(string("unit").default(""))
                .col(big_integer("rate"))
                .col(integer_null("tax1_bp"))
                .col(integer_null("tax2_bp"))
                .col(big_integer("net"))
                .foreign_key(&mut fk(
                    "invoice_items",
                    "invoice_id",
                    "invoices",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "invoice_items",
                "invoice_items_invoice_idx",
                &["invoice_id", "position"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
