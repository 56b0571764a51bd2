//! Credit notes (German title: Rechnungskorrektur; a cancellation is a
//! Stornorechnung referencing its invoice), their items, the credit applied
//! to invoices and refunds paid out. Invoices keep the credit applied to
//! them next to what was paid.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("invoices")
                .add_column(big_integer("amount_credited").default(0))
                .take(),
        )
        .await?;
        m.create_table(
            table("credit_notes")
                .col(reference("customer_id"))
                .col(string_null("number").unique_key())
                .col(string("status"))
                .col(string("date"))
                .col(string("currency"))
                .col(integer_null("discount_percent_bp"))
                .col(big_integer_null("discount_amount"))
                .col(boolean("discount_after_tax").default(false))
                .col(big_integer("adjustment").default(0))
                .col(big_integer("subtotal").default(0))
                .col(big_integer("discount_total").default(0))
                .col(big_integer("tax_total").default(0))
                .col(big_integer("total").default(0))
                .col(big_integer("amount_applied").default(0))
                .col(big_integer("amount_refunded").default(0))
                .col(big_integer_null("invoice_id"))
                .col(boolean("cancellation").default(false))
                .col(text("client_note").default(""))
                .col(text("terms").default(""))
                .col(big_integer("created_by"))
                .col(timestamp_with_time_zone_null("issued_at"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .foreign_key(&mut fk(
                    "credit_notes",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "credit_notes",
                    "invoice_id",
                    "invoices",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "credit_notes",
                "credit_notes_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            table("credit_note_items")
                .col(reference("credit_note_id"))
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
                    "credit_note_items",
                    "credit_note_id",
                    "credit_notes",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "credit_note_items",
                "credit_note_items_note_idx",
                &["credit_note_id", "position"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            table("credit_applications")
                .col(reference("credit_note_id"))
                .col(reference("invoice_id"))
                .col(reference("customer_id"))
                .col(big_integer("amount"))
                .col(string("date"))
                .col(big_integer("created_by"))
                .foreign_key(&mut fk(
                    "credit_applications",
                    "credit_note_id",
                    "credit_notes",
                    ForeignKeyAction::Restrict,
                ))
                .foreign_key(&mut fk(
                    "credit_applications",
                    "invoice_id",
                    "invoices",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "credit_applications",
                "credit_applications_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "credit_applications",
                "credit_applications_invoice_idx",
                &["invoice_id"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "credit_applications",
                "credit_applications_note_idx",
                &["credit_note_id"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            table("credit_refunds")
                .col(reference("credit_note_id"))
                .col(reference("customer_id"))
                .col(big_integer("amount"))
                .col(string("date"))
                .col(big_integer_null("payment_mode_id"))
                .col(text("note").default(""))
                .col(big_integer("created_by"))
                .foreign_key(&mut fk(
                    "credit_refunds",
                    "credit_note_id",
                    "credit_notes",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "credit_refunds",
                "credit_refunds_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
