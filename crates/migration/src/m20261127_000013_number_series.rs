//! Number series for documents (invoices, credit notes ...): one row per
//! series, advanced inside the transaction that issues a document, so the
//! numbers are gapless and unique across instances.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::table;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("number_series")
                .col(string("key").unique_key())
                .col(string("format"))
                .col(big_integer("next_value").default(1))
                .col(boolean("reset_yearly").default(false))
                .col(integer("period").default(0))
                .take(),
        )
        .await?;
        Ok(())
    }
}
