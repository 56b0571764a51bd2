//! Proposals (Vorschläge): a subject and markdown content with optional
//! item lines, answered like estimates on a secret link or in the portal,
//! commented on by both sides, and converted once each to an estimate and
//! to an invoice.

use sea_orm_migration::{prelude::*, schema::*, sea_orm::ConnectionTrait, sea_orm::DbBackend};

use crate::{
    common::{
        answer_columns, document_head, document_items, document_tail, fk, index, reference, table,
    },
    kept::{Kept, totals_table},
};

#[derive(DeriveMigrationName)]
pub struct Migration;

const KEPT: Kept = Kept {
    sums: "proposal_day_totals",
    name: "day_totals",
    table: "proposals",
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
        let mut proposals = table("proposals");
        document_head(&mut proposals, "open_till")
            .col(string("subject").default(""))
            .col(text("content").default(""))
            .col(big_integer_null("estimate_id").unique_key())
            .col(big_integer_null("invoice_id").unique_key());
        document_tail(&mut proposals);
        answer_columns(&mut proposals)
            .foreign_key(&mut fk(
                "proposals",
                "customer_id",
                "customers",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "proposals",
                "estimate_id",
                "estimates",
                ForeignKeyAction::Restrict,
            ))
            .foreign_key(&mut fk(
                "proposals",
                "invoice_id",
                "invoices",
                ForeignKeyAction::Restrict,
            ));
        m.create_table(proposals).await?;
        m.create_index(
            index(
                "proposals",
                "proposals_customer_idx",
                &["customer_id", "date", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "proposals",
                "proposals_open_till_idx",
                &["status", "open_till"],
            )
            .take(),
        )
        .await?;
        m.create_table(document_items("proposal_items", "proposal_id", "proposals"))
            .await?;
        m.create_index(
            index(
                "proposal_items",
                "proposal_items_proposal_idx",
                &["proposal_id", "position"],
            )
            .take(),
        )
        .await?;
        // Comments of both sides: staff (`author_kind` staff, `author_id`
        // theirs), a portal contact, or a visitor on the secret link.
        m.create_table(
            table("proposal_comments")
                .col(reference("proposal_id"))
                .col(string("author_kind"))
                .col(big_integer_null("author_id"))
                .col(string("author_name"))
                .col(text("body"))
                .foreign_key(&mut fk(
                    "proposal_comments",
                    "proposal_id",
                    "proposals",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "proposal_comments",
                "proposal_comments_proposal_idx",
                &["proposal_id", "id"],
            )
            .take(),
        )
        .await?;
        m.create_table(totals_table(KEPT.sums, &["status", "currency", "date"]))
            .await?;
        let db = m.get_connection();
        KEPT.install(db).await?;
        db.execute_unprepared("CREATE INDEX proposals_date_idx ON proposals (date, id)")
            .await?;
        // The tab's count and sums, answered from the index alone however
        // many proposals a customer has.
        db.execute_unprepared(
            "CREATE INDEX proposals_customer_sum_idx ON proposals \
             (customer_id, status, date, currency, total)",
        )
        .await?;
        if m.get_database_backend() == DbBackend::Postgres {
            db.execute_unprepared(
                "CREATE INDEX proposals_number_c ON proposals (number COLLATE \"C\")",
            )
            .await?;
        }
        Ok(())
    }
}
