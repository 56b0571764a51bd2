//! The customers a staff member opened last, for the dashboard: one row
//! per staff member and customer, its time moved on every visit.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table("recent_customers")
                .col(big_integer("staff_id"))
                .col(big_integer("customer_id"))
                .col(timestamp_with_time_zone("viewed_at"))
                .primary_key(Index::create().col("staff_id").col("customer_id"))
                .foreign_key(
                    ForeignKey::create()
                        .from("recent_customers", "customer_id")
                        .to("customers", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .foreign_key(
                    ForeignKey::create()
                        .from("recent_customers", "staff_id")
                        .to("staff", "id")
                        .on_delete(ForeignKeyAction::Cascade),
                )
                .take(),
        )
        .await?;
        m.create_index(
            Index::create()
                .table("recent_customers")
                .name("recent_customers_staff_idx")
                .col("staff_id")
                .col("viewed_at")
                .take(),
        )
        .await
    }
}
