//! What every business document (invoice, credit note, receipt, statement)
//! shares: the Typst templates and fonts compiled into the binary, the
//! sender block, and the GiroCode (EPC QR code) for a bank transfer.

use kernel::{i18n::Locale, pdf::Renderer};
use qrcode::{EcLevel, QrCode, render::svg};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::{i18n::t, modules::billing::model::Company};

const TEMPLATES: [(&str, &str); 2] = [
    ("/common.typ", include_str!("../../pdf/common.typ")),
    ("/document.typ", include_str!("../../pdf/document.typ")),
];

/// Source Sans 3 (SIL Open Font License, `pdf/fonts/LICENSE-SourceSans3.md`).
const FONTS: [&[u8]; 4] = [
    include_bytes!("../../pdf/fonts/SourceSans3-Regular.ttf"),
    include_bytes!("../../pdf/fonts/SourceSans3-It.ttf"),
    include_bytes!("../../pdf/fonts/SourceSans3-Semibold.ttf"),
    include_bytes!("../../pdf/fonts/SourceSans3-Bold.ttf"),
];

/// Starts the renderer with one thread per core: rendering is CPU-bound.
pub fn renderer() -> anyhow::Result<Renderer> {
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    Renderer::start(&TEMPLATES, &FONTS, threads)
}

/// The sender as every document shows it: name, the one-line return address
/// above the window, and footer columns (address, contact, tax, bank).
#[derive(Serialize)]
pub struct Sender {
    pub name: String,
    pub line: String,
    pub footer: Vec<Vec<String>>,
}

impl Sender {
    pub fn new(company: &Company, locale: Locale) -> Self {
        let place = join(" ", [&company.zip, &company.city]);
        let address: Vec<String> = [&company.name, &company.street, &place, &company.country]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        let labelled = |key: &str, value: &str| {
            (!value.is_empty()).then(|| format!("{} {value}", t(locale, key)))
        };
        let contact: Vec<String> = [&company.phone, &company.email, &company.website]
            .into_iter()
            .filter(|s| !s.is_empty())
            .cloned()
            .collect();
        let tax: Vec<String> = [
            labelled("pdf-vat-id", &company.vat_id),
            labelled("pdf-tax-number", &company.tax_number),
        ]
        .into_iter()
        .flatten()
        .collect();
        let bank: Vec<String> = [
            (!company.bank_name.is_empty()).then(|| company.bank_name.clone()),
            labelled("pdf-iban", &company.iban_print()),
            labelled("pdf-bic", &company.bic),
        ]
        .into_iter()
        .flatten()
        .collect();
        Self {
            name: company.name.clone(),
            line: address.join(" · "),
            footer: [address, contact, tax, bank]
                .into_iter()
                .filter(|c| !c.is_empty())
                .collect(),
        }
    }
}

fn join<'a>(separator: &str, parts: impl IntoIterator<Item = &'a String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(separator)
}

/// A SEPA credit transfer as the EPC QR code ("GiroCode") carries it.
pub struct Transfer<'a> {
    pub name: &'a str,
    pub iban: &'a str,
    pub bic: &'a str,
    pub currency: &'a str,
    pub amount: Decimal,
    /// The remittance text, e.g. the invoice number.
    pub reference: &'a str,
}

/// The EPC069-12 payload (version 002, UTF-8), or `None` where a GiroCode
/// cannot carry the transfer: not in euro, nothing or too much to pay, no
/// IBAN or no payee name.
pub fn epc_payload(transfer: &Transfer) -> Option<String> {
    let max = Decimal::new(99_999_999_999, 2);
    if transfer.currency != "EUR"
        || transfer.iban.is_empty()
        || transfer.name.trim().is_empty()
        || transfer.amount < Decimal::new(1, 2)
        || transfer.amount > max
    {
        return None;
    }
    let name: String = transfer.name.chars().take(70).collect();
    let reference: String = transfer.reference.chars().take(140).collect();
    Some(
        [
            "BCD",
            "002",
            "1",
            "SCT",
            transfer.bic,
            &name,
            transfer.iban,
            &format!("EUR{}", transfer.amount.round_dp(2)),
            "",
            "",
            &reference,
        ]
        .join("\n"),
    )
}

/// The payload as an SVG QR code; error correction level M as EPC069-12
/// asks for.
pub fn qr_svg(payload: &str) -> anyhow::Result<Vec<u8>> {
    let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)?;
    Ok(code
        .render::<svg::Color>()
        .min_dimensions(240, 240)
        .quiet_zone(true)
        .build()
        .into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transfer(amount: Decimal, currency: &'static str) -> Transfer<'static> {
        Transfer {
            name: "Muster GmbH",
            iban: "DE89370400440532013000",
            bic: "",
            currency,
            amount,
            reference: "RE-2026-00001",
        }
    }

    #[test]
    fn epc_payload_has_the_eleven_lines_of_version_002() {
        let payload = epc_payload(&transfer(Decimal::new(11900, 2), "EUR")).unwrap_or_default();
        assert_eq!(
            payload,
            "BCD\n002\n1\nSCT\n\nMuster GmbH\nDE89370400440532013000\nEUR119.00\n\n\nRE-2026-00001"
        );
        assert!(qr_svg(&payload).is_ok_and(|svg| svg.starts_with(b"<?xml")));
    }

    #[test]
    fn no_girocode_outside_what_a_sepa_transfer_can_carry() {
        assert!(epc_payload(&transfer(Decimal::ZERO, "EUR")).is_none());
        assert!(epc_payload(&transfer(Decimal::new(100, 0), "USD")).is_none());
        assert!(epc_payload(&transfer(Decimal::new(1_000_000_000, 0), "EUR")).is_none());
    }
}
