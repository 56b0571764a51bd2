//! Reminders on records, in-app notifications, and the secret that names
//! each staff member's calendar feed.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("reminders")
                .col(string("entity_kind"))
                .col(big_integer("entity_id"))
                .col(big_integer_null("customer_id"))
                .col(timestamp_with_time_zone("remind_at"))
                .col(text("description"))
                .col(reference("staff_id"))
                .col(boolean("notify_by_email").default(false))
                .col(boolean("notified").default(false))
                .col(timestamp_with_time_zone_null("notified_at"))
                .col(timestamp_with_time_zone_null("claimed_until"))
                .col(reference("created_by"))
                .foreign_key(&mut fk(
                    "reminders",
                    "staff_id",
                    "staff",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(index("reminders", "reminders_due_idx", &["notified", "remind_at"]).take())
            .await?;
        m.create_index(
            index(
                "reminders",
                "reminders_entity_idx",
                &["entity_kind", "entity_id", "remind_at"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "reminders",
                "reminders_staff_idx",
                &["staff_id", "remind_at"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            table("notifications")
                .col(reference("staff_id"))
                .col(string("title"))
                .col(text("body"))
                .col(string("link"))
                .col(string_uniq("dedupe_key"))
                .col(timestamp_with_time_zone_null("read_at"))
                .foreign_key(&mut fk(
                    "notifications",
                    "staff_id",
                    "staff",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "notifications",
                "notifications_staff_idx",
                &["staff_id", "read_at", "id"],
            )
            .take(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table("staff")
                .add_column(string_null("ical_token"))
                .take(),
        )
        .await?;
        m.create_index(
            index("staff", "staff_ical_token_key", &["ical_token"])
                .unique()
                .take(),
        )
        .await?;
        Ok(())
    }
}
