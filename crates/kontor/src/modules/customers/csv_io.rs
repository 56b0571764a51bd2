//! CSV export and import of customers. Import validates each row exactly as
//! the form does and saves it in its own transaction.

use kernel::clock::Clock;
use kernel::{AppResult, csv_dialect::Dialect, i18n::Locale};
use sea_orm::DatabaseConnection;

use super::{
    model::{Coordinate, Customer, CustomerInput},
    service,
};
use crate::{
    common::csv_io::{self, ImportReport, Row, Rows, flag, list},
    modules::custom_fields::{model::CustomField, service as custom_fields},
    policy::StaffActor,
};

const COLUMNS: [&str; 29] = [
    "number",
    "company",
    "vat_id",
    "phone",
    "website",
    "currency",
    "language",
    "active",
    "groups",
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
    "shipping_same_as_billing",
    "shipping_street",
    "shipping_zip",
    "shipping_city",
    "shipping_state",
    "shipping_country",
    "latitude",
    "longitude",
    "id",
    "created_at",
];

/// The customers with their custom fields as `custom_fields.<key>` columns,
/// in the CSV dialect asked for.
pub fn write(customers: &[Customer], defs: &[CustomField], dialect: Dialect) -> AppResult<Vec<u8>> {
    let header = COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(defs.iter().map(CustomField::name));
    let coord = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let rows = customers.iter().map(|c| {
        let custom = defs
            .iter()
            .map(|d| custom_fields::cell(d, c.custom_fields.get(&d.key)));
        [
            c.number.clone(),
            c.company.clone(),
            c.vat_id.clone(),
            c.phone.clone(),
            c.website.clone(),
            c.currency.clone(),
            c.language.code().to_string(),
            c.active.to_string(),
            c.groups.join("; "),
            c.address.street.clone(),
            c.address.zip.clone(),
            c.address.city.clone(),
            c.address.state.clone(),
            c.address.country.clone(),
            c.billing.street.clone(),
            c.billing.zip.clone(),
            c.billing.city.clone(),
            c.billing.state.clone(),
            c.billing.country.clone(),
            c.shipping_same_as_billing.to_string(),
            c.shipping.street.clone(),
            c.shipping.zip.clone(),
            c.shipping.city.clone(),
            c.shipping.state.clone(),
            c.shipping.country.clone(),
            coord(c.latitude),
            coord(c.longitude),
            c.id.0.to_string(),
            c.created_at.to_rfc3339(),
        ]
        .into_iter()
        .chain(custom)
        .collect::<Vec<_>>()
    });
    csv_io::table(dialect, header, rows)
}

fn row_input(row: &Row<'_>, defs: &[CustomField]) -> CustomerInput {
    let get = |name: &str| row.get(name);
    CustomerInput {
        number: get("number"),
        company: get("company"),
        vat_id: get("vat_id"),
        phone: get("phone"),
        website: get("website"),
        currency: get("currency"),
        language: get("language").filter(|l| !l.trim().is_empty()),
        active: get("active").and_then(|v| flag(&v)),
        groups: get("groups").map(|g| list(&g)),
        street: get("street"),
        zip: get("zip"),
        city: get("city"),
        state: get("state"),
        country: get("country"),
        billing_street: get("billing_street"),
        billing_zip: get("billing_zip"),
        billing_city: get("billing_city"),
        billing_state: get("billing_state"),
        billing_country: get("billing_country"),
        shipping_same_as_billing: get("shipping_same_as_billing").and_then(|v| flag(&v)),
        shipping_street: get("shipping_street"),
        shipping_zip: get("shipping_zip"),
        shipping_city: get("shipping_city"),
        shipping_state: get("shipping_state"),
        shipping_country: get("shipping_country"),
        latitude: get("latitude").map(Coordinate::Text),
        longitude: get("longitude").map(Coordinate::Text),
        admin_ids: None,
        custom_fields: custom_fields::from_cells(defs, row.prefixed("custom_fields.")),
    }
}

/// Imports customers; the header row names the columns (any order, as
/// exported), separated by `,`, `;` or tabs, in UTF-8 or Windows-1252.
pub async fn import(
    db: &DatabaseConnection,
    actor: &StaffActor,
    bytes: &[u8],
    locale: Locale,
    clock: &Clock,
) -> AppResult<ImportReport> {
    let rows = Rows::read(bytes, "company", "error-csv-company")?;
    let defs = service::fields(db).await?;
    let mut report = ImportReport::default();
    for (line, row) in rows.iter() {
        let saved = match row {
            Ok(row) => service::create(db, actor, &row_input(&row, &defs), clock)
                .await
                .map(drop),
            Err(e) => Err(e),
        };
        report.add(line, saved, locale)?;
    }
    Ok(report)
}
