//! Sessions, the mail outbox and login throttling.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{index, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("sessions")
                .col(string_uniq("token_hash"))
                .col(string("principal_kind"))
                .col(big_integer("principal_id"))
                .col(big_integer_null("parent_session_id"))
                .col(boolean("totp_pending").default(false))
                .col(timestamp_with_time_zone_null("reauth_until"))
                .col(timestamp_with_time_zone("expires_at"))
                .col(string_null("ip"))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "sessions",
                "sessions_principal_idx",
                &["principal_kind", "principal_id"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            table("outbox")
                .col(string("recipient"))
                .col(string("subject"))
                .col(text("body_text"))
                .col(text_null("body_html"))
                .col(integer("attempts").default(0))
                .col(timestamp_with_time_zone("next_attempt_at"))
                .col(timestamp_with_time_zone_null("locked_until"))
                .col(timestamp_with_time_zone_null("sent_at"))
                .col(text_null("last_error"))
                .take(),
        )
        .await?;
        m.create_index(index("outbox", "outbox_due_idx", &["sent_at", "next_attempt_at"]).take())
            .await?;
        m.create_table(
            table("login_attempts")
                .col(string("bucket"))
                .col(boolean("succeeded"))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "login_attempts",
                "login_attempts_bucket_idx",
                &["bucket", "created_at"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
