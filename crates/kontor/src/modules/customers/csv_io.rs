//! CSV export and import of customers. Import validates each row exactly as
//! the form does and saves it in its own transaction: a bad row is reported
//! with its line and fields and never half-imported; good rows are kept.

use kernel::clock::Clock;
use kernel::{
    AppError, AppResult,
    csv_dialect::{self, Dialect},
    i18n::Locale,
};
use sea_orm::DatabaseConnection;

use super::{
    model::{Coordinate, Customer, CustomerInput},
    service,
};
use crate::{
    i18n,
    modules::custom_fields::model::{CustomField, FieldType, list_of},
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

/// A custom field's stored value as one CSV cell (choices joined by "; ").
fn cell(def: &CustomField, value: Option<&String>) -> String {
    match (def.field_type, value) {
        (FieldType::Multiselect, Some(v)) => list_of(v).join("; "),
        (_, Some(v)) => v.clone(),
        (_, None) => String::new(),
    }
}

/// A spreadsheet runs a cell that starts with `= + - @`, a tab or a CR as
/// a formula (a portal contact could plant one through the company
/// address). As OWASP recommends, such a cell gets a leading `'`, which
/// makes it text; plain numbers (a negative coordinate) stay as they are.
fn neutralise(cell: String) -> String {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && cell.parse::<f64>().is_err() {
        format!("'{cell}")
    } else {
        cell
    }
}

/// The import reads back what [`neutralise`] wrote.
fn unneutralise(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest)
            if rest
                .chars()
                .next()
                .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r')) =>
        {
            rest
        }
        _ => cell,
    }
}

/// The customers with their custom fields as `custom_fields.<key>` columns,
/// in the CSV dialect asked for.
pub fn write(customers: &[Customer], defs: &[CustomField], dialect: Dialect) -> AppResult<Vec<u8>> {
    let mut w = dialect.writer();
    let header = COLUMNS
        .iter()
        .map(|c| c.to_string())
        .chain(defs.iter().map(CustomField::name));
    w.write_record(header).map_err(anyhow::Error::from)?;
    for c in customers {
        let coord = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        let custom = defs.iter().map(|d| cell(d, c.custom_fields.get(&d.key)));
        w.write_record(
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
            .map(neutralise),
        )
        .map_err(anyhow::Error::from)?;
    }
    w.into_inner()
        .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
}

pub struct RowError {
    pub line: u64,
    pub messages: Vec<String>,
}

pub struct ImportReport {
    pub imported: usize,
    pub failed: Vec<RowError>,
}

fn flag(v: &str) -> Option<bool> {
    match v.trim().to_lowercase().as_str() {
        "" => None,
        "1" | "true" | "yes" | "ja" | "x" => Some(true),
        _ => Some(false),
    }
}

fn row_input(
    headers: &csv::StringRecord,
    row: &csv::StringRecord,
    defs: &[CustomField],
) -> CustomerInput {
    let get = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim() == name)
            .and_then(|i| row.get(i))
            .map(|v| unneutralise(v).to_string())
    };
    CustomerInput {
        number: get("number"),
        company: get("company"),
        vat_id: get("vat_id"),
        phone: get("phone"),
        website: get("website"),
        currency: get("currency"),
        language: get("language").filter(|l| !l.trim().is_empty()),
        active: get("active").and_then(|v| flag(&v)),
        groups: get("groups").map(|g| {
            g.split(';')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        }),
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
        custom_fields: Some(
            headers
                .iter()
                .enumerate()
                .filter_map(|(i, h)| {
                    let key = h.trim().strip_prefix("custom_fields.")?;
                    let text = row.get(i).unwrap_or_default();
                    let multi = defs
                        .iter()
                        .any(|d| d.key == key && d.field_type == FieldType::Multiselect);
                    let value = if multi {
                        serde_json::Value::from(
                            text.split(';')
                                .map(str::trim)
                                .filter(|t| !t.is_empty())
                                .collect::<Vec<_>>(),
                        )
                    } else {
                        serde_json::Value::String(text.to_string())
                    };
                    Some((key.to_string(), value))
                })
                .collect(),
        )
        .filter(|m: &serde_json::Map<String, serde_json::Value>| !m.is_empty()),
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
    let text = csv_dialect::decode(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .delimiter(csv_dialect::delimiter(&text))
        .from_reader(text.as_bytes());
    let headers = reader
        .headers()
        .map_err(|_| AppError::BadRequest("error-csv".into()))?
        .clone();
    if !headers.iter().any(|h| h.trim() == "company") {
        return Err(AppError::BadRequest("error-csv-company".into()));
    }
    let defs = service::fields(db).await?;
    let mut report = ImportReport {
        imported: 0,
        failed: Vec::new(),
    };
    for (i, record) in reader.records().enumerate() {
        let line = i as u64 + 2;
        let row = match record {
            Ok(r) => r,
            Err(_) => {
                report.failed.push(RowError {
                    line,
                    messages: vec![i18n::t(locale, "error-csv")],
                });
                continue;
            }
        };
        match service::create(db, actor, &row_input(&headers, &row, &defs), clock).await {
            Ok(_) => report.imported += 1,
            Err(AppError::Validation(errors)) => report.failed.push(RowError {
                line,
                messages: errors
                    .0
                    .iter()
                    .map(|(field, key)| format!("{field}: {}", i18n::t(locale, key)))
                    .collect(),
            }),
            Err(e) => return Err(e),
        }
    }
    Ok(report)
}

#[cfg(test)]
mod formula_tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_come_back() {
        for (raw, written) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+1+1", "'+1+1"),
            ("-2+3", "'-2+3"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("\rcmd", "'\rcmd"),
            ("-33.86", "-33.86"),
            ("Köln", "Köln"),
        ] {
            assert_eq!(neutralise(raw.to_string()), written);
            assert_eq!(unneutralise(written), raw);
        }
    }
}
