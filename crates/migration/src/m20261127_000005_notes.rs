//! Private notes on any record (an `EntityRef`), markdown bodies.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("notes")
                .col(string("entity_kind"))
                .col(big_integer("entity_id"))
                .col(text("body"))
                .col(date_null("contacted_at"))
                .col(reference("created_by"))
                .foreign_key(&mut fk(
                    "notes",
                    "created_by",
                    "staff",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "notes",
                "notes_entity_idx",
                &["entity_kind", "entity_id", "created_at"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
