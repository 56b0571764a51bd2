//! Customer types and the validation of customer input.

use kernel::{FieldErrors, i18n::Locale, types};
use serde::{Deserialize, Serialize};

use crate::modules::{custom_fields::model::Values, staff::model::StaffId};

pub use crate::common::ids::CustomerId;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct GroupId(pub i64);

/// Currencies a customer may be billed in (ISO 4217).
pub const CURRENCIES: [&str; 12] = [
    "EUR", "USD", "GBP", "CHF", "PLN", "CZK", "DKK", "SEK", "NOK", "HUF", "JPY", "CAD",
];

#[derive(Clone, Debug, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Address {
    pub street: String,
    pub zip: String,
    pub city: String,
    pub state: String,
    pub country: String,
}

impl Address {
    pub fn is_empty(&self) -> bool {
        self.street.is_empty()
            && self.zip.is_empty()
            && self.city.is_empty()
            && self.state.is_empty()
            && self.country.is_empty()
    }

    /// One line for lists and map popups.
    pub fn one_line(&self) -> String {
        let city = format!("{} {}", self.zip, self.city).trim().to_string();
        [self.street.as_str(), city.as_str(), self.country.as_str()]
            .into_iter()
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub id: GroupId,
    pub name: String,
}

/// A customer with everything the profile shows.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct Customer {
    pub id: CustomerId,
    pub number: String,
    pub company: String,
    pub vat_id: String,
    pub phone: String,
    pub website: String,
    pub currency: String,
    #[schema(value_type = String, pattern = "^(de|en)$")]
    pub language: Locale,
    pub active: bool,
    pub groups: Vec<String>,
    #[serde(flatten)]
    pub address: Address,
    #[serde(skip)]
    pub billing: Address,
    #[serde(skip)]
    pub shipping: Address,
    pub shipping_same_as_billing: bool,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub admin_ids: Vec<StaffId>,
    /// Custom field values by key; the API shows them typed, with the definitions.
    #[serde(skip)]
    pub custom_fields: Values,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub updated_at: chrono::DateTime<chrono::Utc>,
}

impl Customer {
    /// The fields the change history compares, as text (custom fields are
    /// added by the service, which knows their definitions).
    pub fn history_fields(&self) -> Vec<(&'static str, String)> {
        let opt = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
        vec![
            ("number", self.number.clone()),
            ("company", self.company.clone()),
            ("vat_id", self.vat_id.clone()),
            ("phone", self.phone.clone()),
            ("website", self.website.clone()),
            ("currency", self.currency.clone()),
            ("language", self.language.code().to_string()),
            ("active", self.active.to_string()),
            ("groups", self.groups.join(", ")),
            ("street", self.address.street.clone()),
            ("zip", self.address.zip.clone()),
            ("city", self.address.city.clone()),
            ("state", self.address.state.clone()),
            ("country", self.address.country.clone()),
            ("billing_street", self.billing.street.clone()),
            ("billing_zip", self.billing.zip.clone()),
            ("billing_city", self.billing.city.clone()),
            ("billing_state", self.billing.state.clone()),
            ("billing_country", self.billing.country.clone()),
            ("shipping_street", self.shipping.street.clone()),
            ("shipping_zip", self.shipping.zip.clone()),
            ("shipping_city", self.shipping.city.clone()),
            ("shipping_state", self.shipping.state.clone()),
            ("shipping_country", self.shipping.country.clone()),
            ("latitude", opt(self.latitude)),
            ("longitude", opt(self.longitude)),
            (
                "admin_ids",
                self.admin_ids
                    .iter()
                    .map(|s| s.0.to_string())
                    .collect::<Vec<_>>()
                    .join(", "),
            ),
        ]
    }

    pub fn has_coordinates(&self) -> bool {
        self.latitude.is_some() && self.longitude.is_some()
    }
}

/// The JSON shape: billing and shipping flattened with prefixes, as DESIGN
/// names them, and the custom fields typed by their definitions.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CustomerJson<'a> {
    #[serde(flatten)]
    pub customer: &'a Customer,
    pub billing_street: &'a str,
    pub billing_zip: &'a str,
    pub billing_city: &'a str,
    pub billing_state: &'a str,
    pub billing_country: &'a str,
    pub shipping_street: &'a str,
    pub shipping_zip: &'a str,
    pub shipping_city: &'a str,
    pub shipping_state: &'a str,
    pub shipping_country: &'a str,
    /// Values by the field's key: text, number, boolean or a list, as
    /// the field's type says.
    pub custom_fields: serde_json::Map<String, serde_json::Value>,
}

impl<'a> CustomerJson<'a> {
    pub fn new(c: &'a Customer, custom_fields: serde_json::Map<String, serde_json::Value>) -> Self {
        Self {
            customer: c,
            custom_fields,
            billing_street: &c.billing.street,
            billing_zip: &c.billing.zip,
            billing_city: &c.billing.city,
            billing_state: &c.billing.state,
            billing_country: &c.billing.country,
            shipping_street: &c.shipping.street,
            shipping_zip: &c.shipping.zip,
            shipping_city: &c.shipping.city,
            shipping_state: &c.shipping.state,
            shipping_country: &c.shipping.country,
        }
    }
}

/// One row of the customers list.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CustomerRow {
    pub id: CustomerId,
    pub number: String,
    pub company: String,
    pub vat_id: String,
    pub city: String,
    pub phone: String,
    pub active: bool,
    pub primary_contact: Option<String>,
    pub primary_email: Option<String>,
    #[serde(skip)]
    pub custom_fields: Values,
}

impl CustomerRow {
    /// A custom field's value for a list cell.
    pub fn cf(
        &self,
        def: &crate::modules::custom_fields::model::CustomField,
        locale: &Locale,
    ) -> String {
        self.custom_fields
            .get(&def.key)
            .map(|v| def.display(v, *locale))
            .unwrap_or_default()
    }
}

/// Input from a form, the API or a CSV row; `None` keeps the current value.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CustomerInput {
    /// Given when empty (the next free number).
    #[schema(schema_with = crate::api::schema::line::<30>)]
    pub number: Option<String>,
    #[schema(schema_with = crate::api::schema::line_required::<200>)]
    pub company: Option<String>,
    /// USt-IdNr.: two letters, then letters and digits (4-16 in all).
    #[schema(schema_with = vat_id_schema)]
    pub vat_id: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<50>)]
    pub phone: Option<String>,
    /// A web address (`https://` may be left out).
    #[schema(schema_with = website_schema)]
    pub website: Option<String>,
    /// ISO 4217, one of `GET /currencies`; empty means EUR.
    #[schema(schema_with = currency_schema)]
    pub currency: Option<String>,
    #[schema(schema_with = crate::api::schema::language)]
    pub language: Option<String>,
    pub active: Option<bool>,
    pub groups: Option<Vec<String>>,
    #[schema(schema_with = crate::api::schema::line::<200>)]
    pub street: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<20>)]
    pub zip: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub city: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub state: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub country: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<200>)]
    pub billing_street: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<20>)]
    pub billing_zip: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub billing_city: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub billing_state: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub billing_country: Option<String>,
    pub shipping_same_as_billing: Option<bool>,
    #[schema(schema_with = crate::api::schema::line::<200>)]
    pub shipping_street: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<20>)]
    pub shipping_zip: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub shipping_city: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub shipping_state: Option<String>,
    #[schema(schema_with = crate::api::schema::line::<100>)]
    pub shipping_country: Option<String>,
    /// Degrees, -90 to 90 (a number, or decimal text such as `"52,52"`);
    /// an empty string clears it.
    #[schema(schema_with = latitude_schema)]
    pub latitude: Option<Coordinate>,
    /// Degrees, -180 to 180.
    #[schema(schema_with = longitude_schema)]
    pub longitude: Option<Coordinate>,
    /// Staff members who look after the customer.
    pub admin_ids: Option<Vec<i64>>,
    /// Values by the field's key, as `GET /custom-fields` defines them.
    pub custom_fields: Option<serde_json::Map<String, serde_json::Value>>,
}

fn vat_id_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::nullable_string()
        .pattern(Some(r"^\s*(([A-Za-z]\s*){2}([A-Za-z0-9]\s*){2,14})?$"))
}

fn website_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::line::<200>().pattern(Some(
        r"^((https?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(/[A-Za-z0-9._~/-]*)?)?$",
    ))
}

fn currency_schema() -> utoipa::openapi::ObjectBuilder {
    let mut all = vec![""];
    all.extend(CURRENCIES);
    crate::api::schema::one_of(&all)
}

fn coordinate_schema(limit: f64, text: &str) -> utoipa::openapi::OneOfBuilder {
    use utoipa::openapi::{ObjectBuilder, schema::Type};
    utoipa::openapi::OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Number)
                .minimum(Some(-limit))
                .maximum(Some(limit)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .pattern(Some(text)),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
}

fn latitude_schema() -> utoipa::openapi::OneOfBuilder {
    coordinate_schema(
        90.0,
        r"^\s*(-?(90([.,]0{1,8})?|[0-8]?[0-9]([.,][0-9]{1,8})?))?\s*$",
    )
}

fn longitude_schema() -> utoipa::openapi::OneOfBuilder {
    coordinate_schema(
        180.0,
        r"^\s*(-?(180([.,]0{1,8})?|(1[0-7][0-9]|[0-9]?[0-9])([.,][0-9]{1,8})?))?\s*$",
    )
}

/// Coordinates arrive as JSON numbers from the API and as text from forms.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(untagged)]
pub enum Coordinate {
    Number(f64),
    Text(String),
}

/// Validated customer data, ready to store.
#[derive(Clone, Debug, PartialEq)]
pub struct CustomerData {
    pub number: Option<String>,
    pub company: String,
    pub vat_id: String,
    pub phone: String,
    pub website: String,
    pub currency: String,
    pub language: Locale,
    pub active: bool,
    pub groups: Vec<String>,
    pub address: Address,
    pub billing: Address,
    pub shipping_same_as_billing: bool,
    pub shipping: Address,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub admin_ids: Vec<StaffId>,
}

fn parse_address(
    errors: &mut FieldErrors,
    prefix: &str,
    parts: [(&Option<String>, Option<&str>); 5],
) -> Address {
    let names = ["street", "zip", "city", "state", "country"];
    let max = [200, 20, 100, 100, 100];
    let mut values = names
        .iter()
        .zip(parts)
        .zip(max)
        .map(|((name, (new, old)), max)| {
            let raw = new.clone().unwrap_or_else(|| old.unwrap_or("").to_string());
            types::text(errors, &format!("{prefix}{name}"), &raw, false, max)
        });
    let mut next = || values.next().unwrap_or_default();
    Address {
        street: next(),
        zip: next(),
        city: next(),
        state: next(),
        country: next(),
    }
}

fn coordinate(
    errors: &mut FieldErrors,
    field: &str,
    input: &Option<Coordinate>,
    current: Option<f64>,
    limit: f64,
) -> Option<f64> {
    let value = match input {
        None => return current,
        Some(Coordinate::Number(n)) => Some(*n),
        Some(Coordinate::Text(t)) if t.trim().is_empty() => None,
        Some(Coordinate::Text(t)) => match t.trim().replace(',', ".").parse::<f64>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add(field, "error-number");
                return current;
            }
        },
    };
    if let Some(n) = value
        && (!n.is_finite() || n.abs() > limit)
    {
        errors.add(field, "error-coordinate");
        return current;
    }
    value
}

fn vat_id_ok(v: &str) -> bool {
    let compact: String = v.chars().filter(|c| !c.is_whitespace()).collect();
    compact.len() >= 4
        && compact.len() <= 16
        && compact.chars().take(2).all(|c| c.is_ascii_alphabetic())
        && compact.chars().skip(2).all(|c| c.is_ascii_alphanumeric())
}

fn website_ok(v: &str) -> bool {
    let with_scheme = if v.contains("://") {
        v.to_string()
    } else {
        format!("https://{v}")
    };
    url::Url::parse(&with_scheme).ok().is_some_and(|u| {
        matches!(u.scheme(), "http" | "https") && u.host_str().is_some_and(|h| h.contains('.'))
    })
}

impl CustomerData {
    pub fn parse(input: &CustomerInput, current: Option<&Customer>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let pick = |new: &Option<String>, old: Option<&String>| {
            new.clone()
                .unwrap_or_else(|| old.cloned().unwrap_or_default())
        };
        let number = types::text(
            &mut e,
            "number",
            &pick(&input.number, current.map(|c| &c.number)),
            false,
            30,
        );
        let company = types::text(
            &mut e,
            "company",
            &pick(&input.company, current.map(|c| &c.company)),
            true,
            200,
        );
        let vat_id = types::text(
            &mut e,
            "vat_id",
            &pick(&input.vat_id, current.map(|c| &c.vat_id)),
            false,
            30,
        )
        .to_uppercase();
        if !vat_id.is_empty() && !vat_id_ok(&vat_id) {
            e.add("vat_id", "error-vat-id");
        }
        let phone = types::text(
            &mut e,
            "phone",
            &pick(&input.phone, current.map(|c| &c.phone)),
            false,
            50,
        );
        let website = types::text(
            &mut e,
            "website",
            &pick(&input.website, current.map(|c| &c.website)),
            false,
            200,
        );
        if !website.is_empty() && !website_ok(&website) {
            e.add("website", "error-url");
        }
        let currency = pick(&input.currency, current.map(|c| &c.currency))
            .trim()
            .to_uppercase();
        let currency = if currency.is_empty() {
            "EUR".to_string()
        } else {
            currency
        };
        if !CURRENCIES.contains(&currency.as_str()) {
            e.add("currency", "error-currency");
        }
        let language = match &input.language {
            Some(l) => Locale::parse(l).unwrap_or_else(|| {
                e.add("language", "error-invalid");
                Locale::De
            }),
            None => current.map(|c| c.language).unwrap_or_default(),
        };
        let groups = match &input.groups {
            Some(g) => {
                let mut names: Vec<String> = g
                    .iter()
                    .map(|n| types::text(&mut e, "groups", n, false, 100))
                    .filter(|n| !n.is_empty())
                    .collect();
                names.sort();
                names.dedup();
                names
            }
            None => current.map(|c| c.groups.clone()).unwrap_or_default(),
        };
        let a = current.map(|c| &c.address);
        let address = parse_address(
            &mut e,
            "",
            [
                (&input.street, a.map(|a| a.street.as_str())),
                (&input.zip, a.map(|a| a.zip.as_str())),
                (&input.city, a.map(|a| a.city.as_str())),
                (&input.state, a.map(|a| a.state.as_str())),
                (&input.country, a.map(|a| a.country.as_str())),
            ],
        );
        let b = current.map(|c| &c.billing);
        let billing = parse_address(
            &mut e,
            "billing_",
            [
                (&input.billing_street, b.map(|a| a.street.as_str())),
                (&input.billing_zip, b.map(|a| a.zip.as_str())),
                (&input.billing_city, b.map(|a| a.city.as_str())),
                (&input.billing_state, b.map(|a| a.state.as_str())),
                (&input.billing_country, b.map(|a| a.country.as_str())),
            ],
        );
        let shipping_same_as_billing = input
            .shipping_same_as_billing
            .unwrap_or(current.is_none_or(|c| c.shipping_same_as_billing));
        let s = current.map(|c| &c.shipping);
        let mut shipping = parse_address(
            &mut e,
            "shipping_",
            [
                (&input.shipping_street, s.map(|a| a.street.as_str())),
                (&input.shipping_zip, s.map(|a| a.zip.as_str())),
                (&input.shipping_city, s.map(|a| a.city.as_str())),
                (&input.shipping_state, s.map(|a| a.state.as_str())),
                (&input.shipping_country, s.map(|a| a.country.as_str())),
            ],
        );
        if shipping_same_as_billing {
            shipping = billing.clone();
        }
        let latitude = coordinate(
            &mut e,
            "latitude",
            &input.latitude,
            current.and_then(|c| c.latitude),
            90.0,
        );
        let longitude = coordinate(
            &mut e,
            "longitude",
            &input.longitude,
            current.and_then(|c| c.longitude),
            180.0,
        );
        if latitude.is_some() != longitude.is_some()
            && e.get("latitude").is_none()
            && e.get("longitude").is_none()
        {
            e.add(
                if latitude.is_none() {
                    "latitude"
                } else {
                    "longitude"
                },
                "error-coordinate-pair",
            );
        }
        let admin_ids = match &input.admin_ids {
            Some(ids) => {
                let mut ids: Vec<StaffId> = ids.iter().map(|i| StaffId(*i)).collect();
                ids.sort_by_key(|s| s.0);
                ids.dedup();
                ids
            }
            None => current.map(|c| c.admin_ids.clone()).unwrap_or_default(),
        };
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Self {
            number: Some(number).filter(|n| !n.is_empty()),
            company,
            vat_id,
            phone,
            website,
            currency,
            language,
            active: input.active.unwrap_or(current.is_none_or(|c| c.active)),
            groups,
            address,
            billing,
            shipping_same_as_billing,
            shipping,
            latitude,
            longitude,
            admin_ids,
        })
    }
}

/// The text the list search looks in: customer fields and the names and
/// emails of its contacts, lower-cased.
pub fn search_text(parts: impl IntoIterator<Item = String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Filters of the customers list.
#[derive(Clone, Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomerFilter {
    /// `active`, `inactive` or empty for all.
    #[serde(default)]
    #[param(pattern = "^(active|inactive)?$")]
    pub status: Option<String>,
    /// A customer group's id.
    #[serde(default, deserialize_with = "kernel::web::number")]
    #[param(schema_with = kernel::web::number_schema)]
    pub group: Option<i64>,
}

impl CustomerFilter {
    /// The API refuses a status it does not know (the list's links never
    /// send one).
    pub fn check(&self) -> Result<(), FieldErrors> {
        match self.status.as_deref() {
            None | Some("" | "active" | "inactive") => Ok(()),
            Some(_) => Err(FieldErrors::single("status", "error-invalid")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> CustomerInput {
        CustomerInput {
            company: Some("Müller GmbH".into()),
            ..Default::default()
        }
    }

    #[test]
    fn a_company_name_is_enough() {
        let d = CustomerData::parse(&input(), None).unwrap();
        assert_eq!(d.currency, "EUR");
        assert!(d.active && d.shipping_same_as_billing);
    }

    #[test]
    fn bad_values_are_reported_per_field() {
        let i = CustomerInput {
            company: Some(" ".into()),
            vat_id: Some("12".into()),
            website: Some("not a site".into()),
            currency: Some("XXX".into()),
            latitude: Some(Coordinate::Text("91".into())),
            longitude: Some(Coordinate::Text("abc".into())),
            ..Default::default()
        };
        let e = CustomerData::parse(&i, None).unwrap_err();
        assert_eq!(e.get("company"), Some("error-required"));
        assert_eq!(e.get("vat_id"), Some("error-vat-id"));
        assert_eq!(e.get("website"), Some("error-url"));
        assert_eq!(e.get("currency"), Some("error-currency"));
        assert_eq!(e.get("latitude"), Some("error-coordinate"));
        assert_eq!(e.get("longitude"), Some("error-number"));
    }

    #[test]
    fn coordinates_accept_a_german_comma_and_come_in_pairs() {
        let mut i = input();
        i.latitude = Some(Coordinate::Text("52,52".into()));
        i.longitude = Some(Coordinate::Number(13.405));
        let d = CustomerData::parse(&i, None).unwrap();
        assert_eq!(d.latitude, Some(52.52));
        i.longitude = None;
        assert_eq!(
            CustomerData::parse(&i, None).unwrap_err().get("longitude"),
            Some("error-coordinate-pair")
        );
    }

    #[test]
    fn shipping_follows_billing_when_same() {
        let mut i = input();
        i.billing_city = Some("Köln".into());
        i.shipping_city = Some("Bonn".into());
        assert_eq!(CustomerData::parse(&i, None).unwrap().shipping.city, "Köln");
        i.shipping_same_as_billing = Some(false);
        assert_eq!(CustomerData::parse(&i, None).unwrap().shipping.city, "Bonn");
    }
}
