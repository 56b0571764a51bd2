//! The dashboard's figures over every customer, kept by the database like
//! the customer's own sums (see `kept`): what is open per currency and due
//! date, what was invoiced (net) and what was paid per currency and month.
//! A few thousand rows answer what summing a million invoices could not in
//! the ten milliseconds the dashboard may take.

use sea_orm_migration::{prelude::*, sea_orm::ConnectionTrait};

use crate::kept::{Kept, totals_table};

#[derive(DeriveMigrationName)]
pub struct Migration;

const OPEN: Kept = Kept {
    sums: "open_invoice_totals",
    name: "open_totals",
    table: "invoices",
    key: &[
        ("currency", "R.currency"),
        ("due_date", "COALESCE(R.due_date, '9999-12-31')"),
    ],
    amount: "R.total - R.amount_paid - R.amount_credited",
    counts: "R.status IN ('unpaid', 'partially_paid')",
};

/// Issued and not cancelled, by the month of the invoice date; net of tax.
const INVOICED: Kept = Kept {
    sums: "invoiced_month_totals",
    name: "month_totals",
    table: "invoices",
    key: &[
        ("currency", "R.currency"),
        ("month", "SUBSTR(R.date, 1, 7)"),
    ],
    amount: "R.total - R.tax_total",
    counts: "R.status IN ('unpaid', 'partially_paid', 'paid')",
};

/// Payments by the month they came in, in their invoice's currency.
const PAID: Kept = Kept {
    sums: "payment_month_totals",
    name: "month_totals",
    table: "payments",
    key: &[
        (
            "currency",
            "(SELECT currency FROM invoices WHERE invoices.id = R.invoice_id)",
        ),
        ("month", "SUBSTR(R.date, 1, 7)"),
    ],
    amount: "R.amount",
    counts: "R.amount <> 0",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(totals_table(
            "open_invoice_totals",
            &["currency", "due_date"],
        ))
        .await?;
        m.create_table(totals_table(
            "invoiced_month_totals",
            &["currency", "month"],
        ))
        .await?;
        m.create_table(totals_table("payment_month_totals", &["currency", "month"]))
            .await?;
        for kept in [OPEN, INVOICED, PAID] {
            kept.install(m.get_connection()).await?;
        }
        // The panel's lists: open invoices by due date, the latest payments.
        let db = m.get_connection();
        db.execute_unprepared(
            "CREATE INDEX invoices_open_due_idx ON invoices (due_date, id) \
             WHERE status IN ('unpaid', 'partially_paid')",
        )
        .await?;
        db.execute_unprepared("CREATE INDEX payments_date_idx ON payments (date, id)")
            .await?;
        Ok(())
    }
}
