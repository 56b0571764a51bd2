//! Documents sent by email: mails carry copy recipients and attachments
//! (references into the file storage, never the bytes), and an invoice
//! remembers when it was sent.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [text_null("cc"), text_null("attachments")] {
            m.alter_table(Table::alter().table("outbox").add_column(column).take())
                .await?;
        }
        m.alter_table(
            Table::alter()
                .table("invoices")
                .add_column(timestamp_with_time_zone_null("sent_at"))
                .take(),
        )
        .await?;
        Ok(())
    }
}
