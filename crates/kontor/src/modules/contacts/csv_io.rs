//! CSV export and import of a customer's contacts, in the dialects and
//! with the checks of the customers' CSV: each row is validated as the form
//! does and saved on its own.

use kernel::{AppResult, clock::Clock, csv_dialect::Dialect, i18n::Locale};
use sea_orm::DatabaseConnection;

use super::{
    model::{Contact, ContactInput},
    service,
};
use crate::{
    common::csv_io::{self, ImportReport, Row, Rows, flag, list},
    modules::{
        custom_fields::{model::CustomField, service as custom_fields},
        customers::model::CustomerId,
    },
    policy::StaffActor,
};

const COLUMNS: [&str; 11] = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "position",
    "is_primary",
    "active",
    "permissions",
    "notifications",
    "id",
    "created_at",
];

/// The contacts with their custom fields as `custom_fields.<key>` columns.
pub fn write(contacts: &[Contact], defs: &[CustomField], dialect: Dialect) -> AppResult<Vec<u8>> {
    let header = COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(defs.iter().map(CustomField::name));
    let rows = contacts.iter().map(|c| {
        let custom = defs
            .iter()
            .map(|d| custom_fields::cell(d, c.custom_fields.get(&d.key)));
        [
            c.first_name.clone(),
            c.last_name.clone(),
            c.email.clone(),
            c.phone.clone(),
            c.position.clone(),
            c.is_primary.to_string(),
            c.active.to_string(),
            c.permissions.join("; "),
            c.notifications.join("; "),
            c.id.0.to_string(),
            c.created_at.to_rfc3339(),
        ]
        .into_iter()
        .chain(custom)
        .collect::<Vec<_>>()
    });
    csv_io::table(dialect, header, rows)
}

fn row_input(row: &Row<'_>, defs: &[CustomField]) -> ContactInput {
    ContactInput {
        customer_id: None,
        first_name: row.get("first_name"),
        last_name: row.get("last_name"),
        email: row.get("email"),
        phone: row.get("phone"),
        position: row.get("position"),
        is_primary: row.get("is_primary").and_then(|v| flag(&v)),
        active: row.get("active").and_then(|v| flag(&v)),
        permissions: row.get("permissions").map(|v| list(&v)),
        notifications: row.get("notifications").map(|v| list(&v)),
        password: None,
        custom_fields: custom_fields::from_cells(defs, row.prefixed("custom_fields.")),
    }
}

/// Imports contacts into `customer`; the header names the columns as the
/// export does (only `email` is required), in any dialect the customers'
/// import reads.
pub async fn import(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    bytes: &[u8],
    locale: Locale,
    clock: &Clock,
) -> AppResult<ImportReport> {
    let rows = Rows::read(bytes, "email", "error-csv-email")?;
    let defs = service::fields(db).await?;
    let mut report = ImportReport::default();
    for (line, row) in rows.iter() {
        let saved = match row {
            Ok(row) => service::create(db, actor, customer, &row_input(&row, &defs), clock)
                .await
                .map(drop),
            Err(e) => Err(e),
        };
        report.add(line, saved, locale)?;
    }
    Ok(report)
}
