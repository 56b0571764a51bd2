//! Uploaded files. Every file belongs to a customer; `entity_type` and
//! `entity_id` name the record it is attached to (the customer itself, or
//! a ticket, contract, expense ... of that customer), so the customer's
//! Files tab lists everything with one indexed query on `customer_id`.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("files")
                .col(reference("customer_id"))
                .col(string("entity_type"))
                .col(big_integer("entity_id"))
                .col(string("name"))
                .col(big_integer("size"))
                .col(string("content_type"))
                .col(string("storage_key").unique_key())
                .col(boolean("visible_to_customer").default(false))
                .col(big_integer_null("uploaded_by_staff"))
                .col(big_integer_null("uploaded_by_contact"))
                .col(string("uploaded_by_name"))
                .foreign_key(&mut fk(
                    "files",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("files", "files_customer_idx", &["customer_id", "id"]).take())
            .await?;
        m.create_index(
            index(
                "files",
                "files_entity_idx",
                &["entity_type", "entity_id", "id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
