//! Notes hang on any record (an invoice, a credit note), not only on a
//! customer; each keeps the customer it belongs to, so the customer's
//! pages and the activity log find it without asking the record's module.

use sea_orm_migration::prelude::*;

use crate::common::index;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table("notes")
                .add_column(ColumnDef::new("customer_id").big_integer().null())
                .take(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared(
                "UPDATE notes SET customer_id = entity_id WHERE entity_kind = 'customer'",
            )
            .await?;
        m.create_index(index("notes", "notes_customer", &["customer_id"]).take())
            .await
    }
}
