//! Who a document is from and who it is to, as the document core receives
//! them: the modules that own the company settings and the customers load
//! them, so the core names neither.

use kernel::i18n::Locale;
use serde::{Deserialize, Serialize};

/// The sender of every document: company, tax and bank details.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq, utoipa::ToSchema)]
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

    /// What §14 UStG asks of the sender of an invoice and these details
    /// lack: the field names (`tax_number` standing for "tax number or
    /// VAT id").
    pub fn gaps(&self) -> Vec<&'static str> {
        let mut gaps: Vec<&'static str> = [
            ("name", &self.name),
            ("street", &self.street),
            ("zip", &self.zip),
            ("city", &self.city),
        ]
        .into_iter()
        .filter(|(_, value)| value.trim().is_empty())
        .map(|(field, _)| field)
        .collect();
        if self.vat_id.trim().is_empty() && self.tax_number.trim().is_empty() {
            gaps.push("tax_number");
        }
        gaps
    }

    /// The label of a field [`Company::gaps`] names.
    pub fn label_key(field: &str) -> &'static str {
        match field {
            "name" => "billing-company-name",
            "street" => "field-street",
            "zip" => "field-zip",
            "city" => "field-city",
            _ => "seller-tax-id",
        }
    }

    /// The IBAN in groups of four, as printed.
    pub fn iban_print(&self) -> String {
        self.iban
            .parse::<iban::Iban>()
            .map(|i| i.to_string())
            .unwrap_or_else(|_| self.iban.clone())
    }
}

/// The company logo as a document embeds it: the file name the templates
/// use and its bytes.
#[derive(Clone, Debug)]
pub struct Logo {
    pub path: &'static str,
    pub bytes: Vec<u8>,
}

/// The customer as a document addresses them.
#[derive(Clone, Debug)]
pub struct Addressee {
    pub number: String,
    pub language: Locale,
    pub currency: String,
    pub vat_id: String,
    /// The address block: the company and its billing address.
    pub lines: Vec<String>,
    /// The custom fields shown on documents, as label and shown value.
    pub fields: Vec<(String, String)>,
}

/// Everything a document shows of its sender and recipient.
#[derive(Clone, Debug)]
pub struct Parties {
    pub company: Company,
    pub logo: Option<Logo>,
    pub addressee: Addressee,
}
