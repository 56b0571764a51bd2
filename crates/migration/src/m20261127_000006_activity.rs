//! The activity log and the field-level change history.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("activity")
                .col(string("entity_kind"))
                .col(big_integer("entity_id"))
                .col(big_integer_null("customer_id"))
                .col(string("actor_kind"))
                .col(big_integer_null("actor_id"))
                .col(string("actor_name"))
                .col(string("action"))
                .col(text("detail").default(""))
                .col(string_null("ip"))
                .take(),
        )
        .await?;
        m.create_index(index("activity", "activity_customer_idx", &["customer_id", "id"]).take())
            .await?;
        m.create_table(
            table("change_history")
                .col(string("entity_kind"))
                .col(big_integer("entity_id"))
                .col(big_integer_null("customer_id"))
                .col(big_integer_null("actor_id"))
                .col(string("actor_name"))
                .col(string("field"))
                .col(text("old_value"))
                .col(text("new_value"))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "change_history",
                "change_history_entity_idx",
                &["entity_kind", "entity_id", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "change_history",
                "change_history_customer_idx",
                &["customer_id", "id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
