//! Staff members, roles, API tokens and password resets.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("roles")
                .col(string_uniq("name"))
                .col(text("permissions"))
                .take(),
        )
        .await?;
        m.create_table(
            table("staff")
                .col(string_uniq("email"))
                .col(string("first_name"))
                .col(string("last_name"))
                .col(string("password_hash"))
                .col(big_integer_null("role_id"))
                .col(boolean("is_admin").default(false))
                .col(boolean("active").default(true))
                .col(string("locale").default("de"))
                .col(string_null("totp_secret"))
                .col(boolean("totp_enabled").default(false))
                .foreign_key(&mut fk(
                    "staff",
                    "role_id",
                    "roles",
                    ForeignKeyAction::Restrict,
                ))
                .take(),
        )
        .await?;
        m.create_table(
            table("api_tokens")
                .col(reference("staff_id"))
                .col(string("name"))
                .col(string_uniq("token_hash"))
                .col(timestamp_with_time_zone_null("last_used_at"))
                .foreign_key(&mut fk(
                    "api_tokens",
                    "staff_id",
                    "staff",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_table(
            table("password_resets")
                .col(string("principal_kind"))
                .col(big_integer("principal_id"))
                .col(string_uniq("token_hash"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(timestamp_with_time_zone_null("used_at"))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "password_resets",
                "password_resets_principal_idx",
                &["principal_kind", "principal_id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
