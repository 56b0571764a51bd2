//! Customers, customer groups and customer admins.

use sea_orm_migration::{prelude::*, schema::*};

use crate::common::{fk, index, reference, table};

#[derive(DeriveMigrationName)]
pub struct Migration;

const ADDRESS_COLUMNS: [&str; 15] = [
    "street",
    "zip",
    "city",
    "state",
    "country",
    "billing_street",
    "billing_zip",
    "billing_city",
    "billing_state",
    "billing_country",
    "shipping_street",
    "shipping_zip",
    "shipping_city",
    "shipping_state",
    "shipping_country",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(table("customer_groups").col(string_uniq("name")).take())
            .await?;
        let mut customers = table("customers");
        customers
            .col(string_null("number").unique_key())
            .col(string("company"))
            .col(string("company_lower"))
            .col(string("vat_id").default(""))
            .col(string("phone").default(""))
            .col(string("website").default(""))
            .col(string("currency").default("EUR"))
            .col(string("language").default("de"))
            .col(boolean("active").default(true));
        for name in ADDRESS_COLUMNS {
            customers.col(string(name).default(""));
        }
        customers
            .col(boolean("shipping_same_as_billing").default(true))
            .col(double_null("latitude"))
            .col(double_null("longitude"))
            .col(text("search_text").default(""));
        m.create_table(customers.take()).await?;
        m.create_index(
            index(
                "customers",
                "customers_company_idx",
                &["company_lower", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(
            index(
                "customers",
                "customers_active_company_idx",
                &["active", "company_lower", "id"],
            )
            .take(),
        )
        .await?;
        m.create_index(index("customers", "customers_created_idx", &["created_at"]).take())
            .await?;
        m.create_table(
            Table::create()
                .table("customer_group_members")
                .col(reference("customer_id"))
                .col(reference("group_id"))
                .primary_key(Index::create().col("customer_id").col("group_id"))
                .foreign_key(&mut fk(
                    "customer_group_members",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "customer_group_members",
                    "group_id",
                    "customer_groups",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "customer_group_members",
                "customer_group_members_group_idx",
                &["group_id", "customer_id"],
            )
            .take(),
        )
        .await?;
        m.create_table(
            Table::create()
                .table("customer_admins")
                .col(reference("customer_id"))
                .col(reference("staff_id"))
                .col(timestamp_with_time_zone("created_at"))
                .primary_key(Index::create().col("customer_id").col("staff_id"))
                .foreign_key(&mut fk(
                    "customer_admins",
                    "customer_id",
                    "customers",
                    ForeignKeyAction::Cascade,
                ))
                .foreign_key(&mut fk(
                    "customer_admins",
                    "staff_id",
                    "staff",
                    ForeignKeyAction::Cascade,
                ))
                .take(),
        )
        .await?;
        m.create_index(
            index(
                "customer_admins",
                "customer_admins_staff_idx",
                &["staff_id", "customer_id"],
            )
            .take(),
        )
        .await?;
        Ok(())
    }
}
