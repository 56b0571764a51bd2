//! The vault: encrypted credentials per customer, their reveal log and the
//! key check value that detects a wrong key at start.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("vault_entries")
                .col(reference("customer_id"))
                .col(string("server"))
                .col(integer_null("port"))
                .col(string("username"))
                .col(text("password_sealed"))
                .col(text("description").default(""))
                .col(string("visibility"))
                .col(boolean("shared_with_contacts").default(false))
                .col(big_integer_null("created_by_staff"))
                .col(big_integer_null("created_by_contact"))
                .col(string("created_by_name"))
                .col(string("updated_by_name"))
                .foreign_key(&mut fk(
                    "vault_entries",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "vault_entries",
                "vault_entries_customer_idx",
                &["customer_id", "id"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            table("vault_reveals")
                .col(reference("entry_id"))
                .col(string("actor_kind"))
                .col(big_integer("actor_id"))
                .col(string("actor_name"))
                .col(string_null("ip"))
                .foreign_key(&mut fk(
                    "vault_reveals",
                    "entry_id",
                    "vault_entries",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "vault_reveals",
                "vault_reveals_entry_idx",
                &["entry_id", "id"],
            )
            .take(),
        )
        .await?;
        m.create_table(table("vault_meta").col(text("key_check")).take())
            .await?;
        Ok(())
    }
}
