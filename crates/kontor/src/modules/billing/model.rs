//! Billing settings and their validation.

use kernel::{FieldErrors, types};
use rust_decimal::Decimal;
use serde::Deserialize;

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
    pub description: String,
    pub active: bool,
}

/// The sender of every document: company, tax and bank details.
#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Company {
    pub name: String,
    pub street: String,
    pub zip: String,
    pub city: String,
    pub country: String,
    pub vat_id: String,
    pub tax_number: String,
    pub email: String,
    pub phone: String,
    pub website: String,
    pub bank_holder: String,
    pub bank_name: String,
    pub iban: String,
    pub bic: String,
}

impl Company {
    /// Field names and values, in the order they are stored and shown.
    pub fn fields(&self) -> [(&'static str, &String); 14] {
        [
            ("name", &self.name),
            ("street", &self.street),
            ("zip", &self.zip),
            ("city", &self.city),
            ("country", &self.country),
            ("vat_id", &self.vat_id),
            ("tax_number", &self.tax_number),
            ("email", &self.email),
            ("phone", &self.phone),
            ("website", &self.website),
            ("bank_holder", &self.bank_holder),
            ("bank_name", &self.bank_name),
            ("iban", &self.iban),
            ("bic", &self.bic),
        ]
    }

    /// Trims and checks the input; the IBAN is checked by its checksum and
    /// kept in its compact form, the BIC upper-cased.
    pub fn parse(input: &Company) -> Result<Company, FieldErrors> {
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

    /// The IBAN in groups of four, as printed.
    pub fn iban_print(&self) -> String {
        self.iban
            .parse::<iban::Iban>()
            .map(|i| i.to_string())
            .unwrap_or_else(|_| self.iban.clone())
    }
}

/// Reads a tax rate in percent (`19`, `7`, `5,5`) into basis points.
pub fn parse_rate(text: &str) -> Option<i32> {
    let value = kernel::money::parse_decimal(text)?;
    if value < Decimal::ZERO || value > Decimal::ONE_HUNDRED || value.scale() > 2 {
        return None;
    }
    kernel::money::to_minor(value, 2).and_then(|bp| i32::try_from(bp).ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rates_are_percent_with_at_most_two_decimals() {
        assert_eq!(parse_rate("19"), Some(1900));
        assert_eq!(parse_rate("5,5"), Some(550));
        assert_eq!(parse_rate("0"), Some(0));
        assert_eq!(parse_rate("100.01"), None);
        assert_eq!(parse_rate("-1"), None);
        assert_eq!(parse_rate("7.125"), None);
        assert_eq!(parse_rate("x"), None);
    }

    #[test]
    fn company_checks_iban_and_bic() {
        let input = Company {
            name: " Kontor GmbH ".into(),
            iban: "de89 3704 0044 0532 0130 00".into(),
            bic: "cobadeffxxx".into(),
            ..Default::default()
        };
        let c = Company::parse(&input).unwrap();
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
        let e = Company::parse(&bad).unwrap_err();
        for field in ["name", "iban", "bic", "email"] {
            assert!(e.get(field).is_some(), "{field}");
        }
    }
}
