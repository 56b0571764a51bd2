//! Estimates (Angebote): the body of an invoice with an expiry date, a
//! secret link for the customer to accept (with a drawn signature) or
//! decline, and the invoice it was converted to. Every document
//! remembers the one it was made from (`source_kind`, `source_id`), so its
//! page links back.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait, sea_orm::DbBackend};

use crate::{
    common::{fk, index, reference, table},
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

/// What the customer's answer on a secret link leaves on the document:
/// who accepted, when, from where, the drawn signature (a storage key), or
/// the reason of a decline; `answered_by` is the staff member who recorded
/// an answer given another way (by phone).
fn answer_columns(t: &mut TableCreateStatement) -> &mut TableCreateStatement {
    t.col(string("public_token").unique_key())
        .col(string("public_token_hash").unique_key())
        .col(string_null("accepted_name"))
        .col(string_null("accepted_email"))
        .col(timestamp_with_time_zone_null("accepted_at"))
        .col(string_null("accepted_ip"))
        .col(text_null("accepted_user_agent"))
        .col(string_null("signature_key"))
        .col(timestamp_with_time_zone_null("declined_at"))
        .col(text_null("decline_reason"))
        .col(big_integer_null("answered_by"))
        .col(timestamp_with_time_zone_null("reminded_at"))
}

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
        estimates
            .col(reference("customer_id"))
            .col(string_null("number").unique_key())
            .col(string("status"))
            .col(string("date"))
            .col(string_null("expiry_date"))
            .col(string("currency"))
            .col(integer_null("discount_percent_bp"))
            .col(big_integer_null("discount_amount"))
            .col(boolean("discount_after_tax").default(false))
            .col(big_integer("adjustment").default(0))
            .col(big_integer("subtotal").default(0))
            .col(big_integer("discount_total").default(0))
            .col(big_integer("tax_total").default(0))
            .col(big_integer("total").default(0))
            .col(text("client_note").default(""))
            .col(text("terms").default(""))
            .col(big_integer_null("sales_agent_id"))
            .col(big_integer_null("invoice_id").unique_key())
            .col(string_null("source_kind"))
            .col(big_integer_null("source_id"))
            .col(big_integer("created_by"))
            .col(timestamp_with_time_zone_null("issued_at"))
            .col(timestamp_with_time_zone_null("sent_at"));
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
        m.create_table(
            table("estimate_items")
                .col(reference("estimate_id"))
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
                    "estimate_items",
                    "estimate_id",
                    "estimates",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
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
