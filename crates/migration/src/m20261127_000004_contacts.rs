//! Contacts of customers. One primary contact per customer is enforced by
//! a partial unique index, so no race between two requests can break it.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("contacts")
                .col(reference("customer_id"))
                .col(string("first_name"))
                .col(string("last_name"))
                .col(string("email"))
                .col(string("phone").default(""))
                .col(string("position").default(""))
                .col(boolean("is_primary").default(false))
                .col(boolean("active").default(true))
                .col(text("permissions").default(""))
                .col(text("notifications").default(""))
                .col(string_null("password_hash"))
                .col(string("locale").default("de"))
                .col(timestamp_with_time_zone_null("invited_at"))
                .foreign_key(&mut fk(
                    "contacts",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index("contacts", "contacts_email_key", &["email"])
                .unique()
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "contacts",
                "contacts_customer_idx",
                &["customer_id", "is_primary", "last_name"],
            )
            .take(),
        )
        .await?;
        m.get_connection()
            .execute_unprepared("CREATE UNIQUE INDEX contacts_one_primary_key ON contacts (customer_id) WHERE is_primary")
            .await?;
        Ok(())
    }
}
