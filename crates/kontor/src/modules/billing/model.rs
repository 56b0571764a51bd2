//! Billing settings and their validation.

use kernel::{FieldErrors, types};
use rust_decimal::Decimal;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct TaxRateId(pub i64);

#[derive(Clone, Debug)]
pub struct TaxRate {
    pub id: TaxRateId,
    pub name: String,
    /// Basis points: 1900 is 19 %.
    pub rate_bp: i32,
    pub active: bool,
}

impl TaxRate {
    /// The rate in percent as people write it (`19`, `7`, `5.5`).
    pub fn percent(&self) -> String {
        Decimal::new(i64::from(self.rate_bp), 2)
            .normalize()
            .to_string()
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PaymentModeId(pub i64);

#[derive(Clone, Debug)]
pub struct PaymentMode {
    pub id: PaymentModeId,
    pub name: String,
    /// What API clients may send instead of the id (`ueberweisung`).
    pub key: String,
    pub description: String,
    pub active: bool,
}

/// A payment mode as a client names it: by id, or by key.
#[derive(Clone, Debug, PartialEq, Eq, serde::Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum ModeRef {
    Id(i64),
    Key(String),
}

impl ModeRef {
    /// The mode among `modes` it names.
    pub fn find(&self, modes: &[PaymentMode]) -> Option<PaymentModeId> {
        modes
            .iter()
            .find(|m| match self {
                ModeRef::Id(id) => m.id.0 == *id,
                ModeRef::Key(key) => m.key == *key,
            })
            .map(|m| m.id)
    }
}

pub use crate::common::documents::parties::Company;

/// Trims and checks the company details as typed in the settings; the IBAN
/// is checked by its checksum and kept in its compact form, the BIC
/// upper-cased.
pub fn parse_company(input: &Company) -> Result<Company, FieldErrors> {
    let mut e = FieldErrors::new();
    let mut out = Company::default();
    {
        let mut text = |field: &str, value: &str, required: bool| {
            types::text(&mut e, field, value, required, 200)
        };
        out.name = text("name", &input.name, true);
        out.street = text("street", &input.street, false);
        out.zip = text("zip", &input.zip, false);
        out.city = text("city", &input.city, false);
        out.country = text("country", &input.country, false);
        out.vat_id = text("vat_id", &input.vat_id, false);
        out.tax_number = text("tax_number", &input.tax_number, false);
        out.phone = text("phone", &input.phone, false);
        out.website = text("website", &input.website, false);
        out.bank_holder = text("bank_holder", &input.bank_holder, false);
        out.bank_name = text("bank_name", &input.bank_name, false);
    }
    if !input.email.trim().is_empty() {
        out.email = types::email(&mut e, "email", &input.email)
            .map(|m| m.into_inner())
            .unwrap_or_default();
    }
    let iban: String = input
        .iban
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_uppercase();
    if !iban.is_empty() {
        match iban.parse::<iban::Iban>() {
            Ok(_) => out.iban = iban,
            Err(_) => e.add("iban", "error-iban"),
        }
    }
    let bic = input.bic.trim().to_uppercase();
    if !bic.is_empty() {
        if matches!(bic.len(), 8 | 11) && bic.chars().all(|c| c.is_ascii_alphanumeric()) {
            out.bic = bic;
        } else {
            e.add("bic", "error-bic");
        }
    }
    if e.is_empty() { Ok(out) } else { Err(e) }
}

pub use crate::common::totals::parse_rate;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_checks_iban_and_bic() {
        let input = Company {
            name: " Kontor GmbH ".into(),
            iban: "de89 3704 0044 0532 0130 00".into(),
            bic: "cobadeffxxx".into(),
            ..Default::default()
        };
        let c = parse_company(&input).unwrap();
        assert_eq!(c.name, "Kontor GmbH");
        assert_eq!(c.iban, "DE89370400440532013000");
        assert_eq!(c.iban_print(), "DE89 3704 0044 0532 0130 00");
        assert_eq!(c.bic, "COBADEFFXXX");
        let bad = Company {
            name: String::new(),
            iban: "DE89 3704 0044 0532 0130 01".into(),
            bic: "XYZ".into(),
            email: "nope".into(),
            ..Default::default()
        };
        let e = parse_company(&bad).unwrap_err();
        for field in ["name", "iban", "bic", "email"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }
}
