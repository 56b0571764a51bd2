//! Portable schema migrations for SQLite and PostgreSQL, one per module
//! change, applied in order by [`Migrator`].

pub use sea_orm_migration::prelude::*;

mod common;
pub use m20261201_000026_payment_mode_keys::payment_mode_key;
mod kept;
mod m20261127_000001_kernel;
mod m20261127_000002_staff;
mod m20261127_000003_customers;
mod m20261127_000004_contacts;
mod m20261127_000005_notes;
mod m20261127_000006_activity;
mod m20261127_000007_custom_fields;
mod m20261127_000008_customer_search;
mod m20261127_000009_vault;
mod m20261127_000010_reminders;
mod m20261127_000011_files;
mod m20261127_000012_portal_security;
mod m20261127_000013_number_series;
mod m20261127_000014_billing_settings;
mod m20261127_000015_invoices;
mod m20261127_000016_payments;
mod m20261128_000017_document_mail;
mod m20261128_000018_credit_notes;
mod m20261128_000019_invoice_jobs;
mod m20261128_000020_sum_indexes;
mod m20261201_000021_totp_steps;
mod m20261201_000022_statement_indexes;
mod m20261201_000023_statement_days;
mod m20261201_000024_open_invoice_sums;
mod m20261201_000025_document_number_search;
mod m20261201_000026_payment_mode_keys;
mod m20261201_000027_notes_on_records;
mod m20261207_000028_billing_totals;
mod m20261207_000029_recent_customers;
mod m20261207_000030_document_day_totals;
mod m20261207_000031_estimates;
mod m20261207_000032_proposals;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_kernel::Migration),
            Box::new(m20261127_000002_staff::Migration),
            Box::new(m20261127_000003_customers::Migration),
            Box::new(m20261127_000004_contacts::Migration),
            Box::new(m20261127_000005_notes::Migration),
            Box::new(m20261127_000006_activity::Migration),
            Box::new(m20261127_000007_custom_fields::Migration),
            Box::new(m20261127_000008_customer_search::Migration),
            Box::new(m20261127_000009_vault::Migration),
            Box::new(m20261127_000010_reminders::Migration),
            Box::new(m20261127_000011_files::Migration),
            Box::new(m20261127_000012_portal_security::Migration),
            Box::new(m20261127_000013_number_series::Migration),
            Box::new(m20261127_000014_billing_settings::Migration),
            Box::new(m20261127_000015_invoices::Migration),
            Box::new(m20261127_000016_payments::Migration),
            Box::new(m20261128_000017_document_mail::Migration),
            Box::new(m20261128_000018_credit_notes::Migration),
            Box::new(m20261128_000019_invoice_jobs::Migration),
            Box::new(m20261128_000020_sum_indexes::Migration),
            Box::new(m20261201_000021_totp_steps::Migration),
            Box::new(m20261201_000022_statement_indexes::Migration),
            Box::new(m20261201_000023_statement_days::Migration),
            Box::new(m20261201_000024_open_invoice_sums::Migration),
            Box::new(m20261201_000025_document_number_search::Migration),
            Box::new(m20261201_000026_payment_mode_keys::Migration),
            Box::new(m20261201_000027_notes_on_records::Migration),
            Box::new(m20261207_000028_billing_totals::Migration),
            Box::new(m20261207_000029_recent_customers::Migration),
            Box::new(m20261207_000030_document_day_totals::Migration),
            Box::new(m20261207_000031_estimates::Migration),
            Box::new(m20261207_000032_proposals::Migration),
        ]
    }
}
