//! Portal two-factor authentication for contacts, and installation
//! settings as key/value pairs (the first: whether a customer's primary
//! contact may edit the company's addresses in the portal).

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::table;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        m.alter_table(
            Table::alter()
                .table("contacts")
                .add_column(string_null("totp_secret"))
                .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("contacts")
                .add_column(boolean("totp_enabled").default(false))
                .take(),
        )
        .await?;
        m.create_table(
            table("settings")
                .col(string("key").unique_key())
                .col(text("value"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
