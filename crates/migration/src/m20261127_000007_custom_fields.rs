//! Custom field definitions per record kind and their values per record.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("custom_fields")
                .col(string("entity_kind"))
                .col(string("key"))
                .col(string("label"))
                .col(string("field_type"))
                .col(text("options").default(""))
                .col(boolean("required").default(false))
                .col(boolean("show_in_list").default(false))
                .col(boolean("show_on_pdf").default(false))
                .col(boolean("portal_visible").default(false))
                .col(boolean("portal_editable").default(false))
                .col(boolean("admin_only").default(false))
                .col(integer("sort_order").default(0))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "custom_fields",
                "custom_fields_kind_key",
                &["entity_kind", "key"],
            )
            .unique()
            .take(),
        )
        .await?;
        m.create_table(
            table("custom_field_values")
                .col(reference("field_id"))
                .col(big_integer("entity_id"))
                .col(text("value"))
                .foreign_key(&mut fk(
                    "custom_field_values",
                    "field_id",
                    "custom_fields",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "custom_field_values",
                "custom_field_values_key",
                &["field_id", "entity_id"],
            )
            .unique()
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "custom_field_values",
                "custom_field_values_entity_idx",
                &["entity_id", "field_id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
