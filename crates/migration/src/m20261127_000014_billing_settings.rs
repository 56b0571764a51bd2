//! Billing settings: tax rates (a German installation starts with 19 % and
//! 7 %) and payment modes. Company and bank details live in `settings`;
//! number formats in `number_series`.

use chrono::Utc;
use sea_orm_migration::{prelude::*, schema::*};

use crate::common::table;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            table("tax_rates")
                .col(string("name"))
                .col(integer("rate_bp").unique_key())
                .col(boolean("active").default(true))
                .take(),
        )
        .await?;
        m.create_table(
            table("payment_modes")
                .col(string("name").unique_key())
                .col(text("description").default(""))
                .col(boolean("active").default(true))
                .take(),
        )
        .await?;
        let now = Utc::now();
        m.exec_stmt(
            Query::insert()
                .into_table("tax_rates")
                .columns(["name", "rate_bp", "active", "created_at", "updated_at"])
                .values_panic([
                    "MwSt. 19 %".into(),
                    1900.into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ])
                .values_panic([
                    "MwSt. 7 %".into(),
                    700.into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ])
                .take(),
        )
        .await?;
        m.exec_stmt(
            Query::insert()
                .into_table("payment_modes")
                .columns(["name", "description", "active", "created_at", "updated_at"])
                .values_panic([
                    "Überweisung".into(),
                    "".into(),
                    true.into(),
                    now.into(),
                    now.into(),
                ])
                .values_panic(["Bar".into(), "".into(), true.into(), now.into(), now.into()])
                .take(),
        )
        .await?;
        Ok(())
    }
}
