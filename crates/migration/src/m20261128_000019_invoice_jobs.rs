//! Recurring invoices (every N days/weeks/months/years for a number of
//! cycles; each copy points at its template) and the stage of overdue
//! reminders already sent, so each goes out once.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            integer_null("recurring_every"),
            string_null("recurring_unit"),
            integer("recurring_cycles").default(0).take(),
            integer("recurring_done").default(0).take(),
            string_null("recurring_next"),
            big_integer_null("recurring_parent_id"),
            integer("reminded_days").default(0).take(),
        ] {
            m.alter_table(Table::alter().table("invoices").add_column(column).take())
                .await?;
        }
        m.create_index(index("invoices", "invoices_recurring_idx", &["recurring_next"]).take())
            .await?;
        Ok(())
    }
}
