//! What every business document (invoice, credit note, receipt, statement)
//! shares: the Typst templates and fonts compiled into the binary, the
//! sender block, and the GiroCode (EPC QR code) for a bank transfer.

pub mod accept;
pub mod answer;
pub mod api;
pub mod body;
pub mod flow;
pub mod form;
pub mod json;
pub mod kind;
pub mod pages;
pub mod parties;
pub mod search;
pub mod store;
pub mod typed;

use bytes::Bytes;
use chrono::{DateTime, NaiveDate, Utc};
use futures::{StreamExt, stream::BoxStream};
use kernel::{
    AppError, AppResult,
    archive::{self, Entry},
    i18n::Locale,
    pdf::{Document, Long, Renderer},
    storage::Storage,
};
use qrcode::{EcLevel, QrCode, render::svg};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::json;

use self::{
    body::DocumentBody,
    parties::{Company, Logo, Parties},
};
use crate::{
    http::download::Download,
    i18n::{t, t_args},
    state::AppState,
};

const TEMPLATES: [(&str, &str); 7] = [
    ("/common.typ", include_str!("../../../pdf/common.typ")),
    ("/overlay.typ", include_str!("../../../pdf/overlay.typ")),
    ("/document.typ", include_str!("../../../pdf/document.typ")),
    ("/statement.typ", include_str!("../../../pdf/statement.typ")),
    ("/receipt.typ", include_str!("../../../pdf/receipt.typ")),
    ("/logo.typ", include_str!("../../../pdf/logo.typ")),
    ("/signed.typ", include_str!("../../../pdf/signed.typ")),
];

/// Source Sans 3 (SIL Open Font License, `pdf/fonts/LICENSE-SourceSans3.md`).
const FONTS: [&[u8]; 4] = [
    include_bytes!("../../../pdf/fonts/SourceSans3-Regular.ttf"),
    include_bytes!("../../../pdf/fonts/SourceSans3-It.ttf"),
    include_bytes!("../../../pdf/fonts/SourceSans3-Semibold.ttf"),
    include_bytes!("../../../pdf/fonts/SourceSans3-Bold.ttf"),
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

/// The head of a page printed from the browser (a record, the statement):
/// the sender as the documents show it, whether there is a logo to show
/// (at `/letterhead/logo`), and the customer's address block.
pub struct Letterhead {
    pub sender: Sender,
    pub logo: bool,
    pub recipient: Vec<String>,
}

fn join<'a>(separator: &str, parts: impl IntoIterator<Item = &'a String>) -> String {
    parts
        .into_iter()
        .filter(|p| !p.is_empty())
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(separator)
}

pub fn money(locale: Locale, value: Decimal, currency: &str) -> String {
    locale.format_amount(value, currency)
}

fn number(locale: Locale, value: Decimal) -> String {
    locale.format_decimal(&value.normalize().to_string())
}

/// A billing document as its PDF shows it.
pub struct Sheet<'a> {
    /// Message keys of the title and of the number and date labels.
    pub title_key: &'static str,
    pub number_key: &'static str,
    pub date_key: &'static str,
    pub number: Option<&'a str>,
    pub draft: bool,
    pub body: &'a DocumentBody,
    pub due_date: Option<NaiveDate>,
    /// The label (message key) of the due date: `pdf-due-date`, an
    /// estimate's `pdf-expiry-date`.
    pub due_key: String,
    /// What is left to pay: a payment block with the GiroCode when positive.
    pub to_pay: Option<Decimal>,
    /// The document this one refers to: label key and number.
    pub refers_to: Option<(&'static str, String)>,
    /// An opening sentence (key), e.g. what a cancellation cancels.
    pub intro_key: Option<&'static str>,
    pub created: DateTime<Utc>,
    pub ident: String,
    /// A letter's subject and markdown content, shown before the lines.
    pub letter: Option<(String, String)>,
}

/// Hands the company logo, when one is set, to a document: `data.logo`
/// names its file.
fn add_logo(
    logo: Option<&Logo>,
    data: &mut serde_json::Value,
    files: &mut Vec<(&'static str, Vec<u8>)>,
) {
    data["logo"] = match logo {
        Some(logo) => {
            files.push((logo.path, logo.bytes.clone()));
            json!(logo.path)
        }
        None => serde_json::Value::Null,
    };
}

/// Renders the document with the company logo, when one is set.
pub async fn render(
    state: &AppState,
    parties: &Parties,
    mut document: Document,
) -> AppResult<Vec<u8>> {
    add_logo(
        parties.logo.as_ref(),
        &mut document.data,
        &mut document.files,
    );
    Ok(state.pdf.render(document).await?)
}

/// A document of `rows` (a long table) laid out in parts: `document` with
/// the rows of each part in `data.rows` (each with its `index`), `first`
/// and `last` telling a part whether it opens or closes the document; the
/// footers are laid out once over all pages by `/overlay.typ`.
pub async fn render_rows(
    state: &AppState,
    parties: &Parties,
    document: Document,
    rows: Vec<serde_json::Value>,
) -> AppResult<Vec<u8>> {
    let Document {
        template,
        mut data,
        mut files,
        created,
        ident,
    } = document;
    add_logo(parties.logo.as_ref(), &mut data, &mut files);
    let count = rows.len();
    let (part_data, over_data, over_ident) = (data.clone(), data, ident.clone());
    let long = Long {
        rows: count,
        part: Box::new(move |range| {
            let mut data = part_data.clone();
            data["first"] = json!(range.start == 0);
            data["last"] = json!(range.end == count);
            data["footer"] = json!(false);
            data["rows"] = rows
                .get(range.clone())
                .unwrap_or_default()
                .iter()
                .zip(range)
                .map(|(row, index)| {
                    let mut row = row.clone();
                    row["index"] = json!(index);
                    row
                })
                .collect();
            Document {
                template,
                data,
                files: files.clone(),
                created,
                ident: ident.clone(),
            }
        }),
        overlay: Box::new(move |pages| {
            let mut data = over_data.clone();
            data["pages"] = json!(pages);
            Document {
                template: "/overlay.typ",
                data,
                files: Vec::new(),
                created,
                ident: over_ident.clone(),
            }
        }),
    };
    Ok(state.pdf.render_long(long).await?)
}

/// Everything the template shows, translated into the customer's language.
pub fn sheet_document(parties: &Parties, sheet: &Sheet<'_>) -> AppResult<Document> {
    let (customer, company) = (&parties.addressee, &parties.company);
    let l = customer.language;
    let body = sheet.body;
    let cur = body.currency.as_str();
    let totals = body.totals();
    let number_text = sheet.number.unwrap_or_default().to_owned();

    let mut meta = vec![
        (t(l, sheet.number_key), number_text.clone()),
        (t(l, sheet.date_key), l.format_date(body.date)),
    ];
    if let Some((key, number)) = &sheet.refers_to {
        meta.push((t(l, key), number.clone()));
    }
    if let Some(due) = sheet.due_date {
        meta.push((t(l, &sheet.due_key), l.format_date(due)));
    }
    meta.push((t(l, "pdf-customer-number"), customer.number.clone()));
    if !customer.vat_id.is_empty() {
        meta.push((t(l, "pdf-customer-vat-id"), customer.vat_id.clone()));
    }
    meta.extend(customer.fields.iter().cloned());

    let items: Vec<serde_json::Value> = body
        .items
        .iter()
        .zip(&totals.line_nets)
        .enumerate()
        .map(|(i, (item, net))| {
            let quantity = format!("{} {}", number(l, item.quantity), item.unit);
            json!({
                "pos": (i + 1).to_string(),
                "description": item.description,
                "long_description": item.long_description,
                "quantity": quantity.trim(),
                "rate": money(l, item.rate, cur),
                "taxes": item.taxes.iter().map(|r| format!("{} %", number(l, *r))).collect::<Vec<_>>().join(", "),
                "amount": money(l, *net, cur),
            })
        })
        .collect();

    let mut rows = vec![json!([
        t(l, "pdf-subtotal"),
        money(l, totals.subtotal, cur),
        false
    ])];
    let discount_row = |rows: &mut Vec<serde_json::Value>| {
        if !totals.discount.is_zero() {
            rows.push(json!([
                t(l, "pdf-discount"),
                money(l, -totals.discount, cur),
                false
            ]));
        }
    };
    if !body.discount_after_tax {
        discount_row(&mut rows);
    }
    for tax in &totals.taxes {
        let label = t_args(
            l,
            "pdf-vat-on",
            &[
                ("rate", number(l, tax.rate)),
                ("base", money(l, tax.base, cur)),
            ],
        );
        rows.push(json!([label, money(l, tax.amount, cur), false]));
    }
    if body.discount_after_tax {
        discount_row(&mut rows);
    }
    if !totals.adjustment.is_zero() {
        rows.push(json!([
            t(l, "pdf-adjustment"),
            money(l, totals.adjustment, cur),
            false
        ]));
    }
    rows.push(json!([
        t(l, "pdf-total"),
        money(l, totals.total, cur),
        true
    ]));

    let mut notes = vec![t(l, "pdf-delivery-date-note")];
    notes.extend(
        [&body.client_note, &body.terms]
            .into_iter()
            .filter(|n| !n.trim().is_empty())
            .cloned(),
    );

    let due = sheet.to_pay.unwrap_or_default();
    let transfer = Transfer::to(company, cur, due, &number_text);
    let mut files = Vec::new();
    let payment = if company.iban.is_empty() || due <= Decimal::ZERO || sheet.draft {
        None
    } else {
        let qr = match epc_payload(&transfer) {
            Some(payload) => {
                files.push(("/qr.svg", qr_svg(&payload).map_err(AppError::Internal)?));
                true
            }
            None => false,
        };
        let mut text_args = vec![
            ("amount", money(l, due, cur)),
            ("number", number_text.clone()),
        ];
        let key = match sheet.due_date {
            Some(d) => {
                text_args.push(("due", l.format_date(d)));
                "pdf-payment-until"
            }
            None => "pdf-payment-now",
        };
        let mut lines = vec![format!("{} {}", t(l, "pdf-account-holder"), transfer.name)];
        lines.push(format!("{} {}", t(l, "pdf-iban"), company.iban_print()));
        if !company.bic.is_empty() {
            lines.push(format!("{} {}", t(l, "pdf-bic"), company.bic));
        }
        if !company.bank_name.is_empty() {
            lines.push(company.bank_name.clone());
        }
        Some(json!({
            "text": t_args(l, key, &text_args),
            "lines": lines,
            "qr": qr,
            "qr_label": t(l, "pdf-girocode"),
        }))
    };

    let data = json!({
        "lang": l.code(),
        "title": t(l, sheet.title_key),
        "number": number_text,
        "watermark": sheet.draft.then(|| t(l, "pdf-draft")),
        "page": t(l, "pdf-page"),
        "sender": Sender::new(company, l),
        "recipient": customer.lines,
        "meta": meta,
        "intro": sheet.intro_key.map(|k| {
            t_args(l, k, &[("number", sheet.refers_to.as_ref().map(|r| r.1.clone()).unwrap_or_default())])
        }).unwrap_or_default(),
        "columns": {
            "pos": t(l, "pdf-col-pos"),
            "description": t(l, "pdf-col-description"),
            "quantity": t(l, "pdf-col-quantity"),
            "rate": t(l, "pdf-col-rate"),
            "tax": t(l, "pdf-col-tax"),
            "amount": t(l, "pdf-col-amount"),
        },
        "items": items,
        "totals": rows,
        "notes": notes,
        "payment": payment,
        "letter": sheet.letter.as_ref().map(|(subject, content)| json!({
            "subject": subject,
            "blocks": kernel::markdown::blocks(content),
        })),
    });
    Ok(Document {
        template: "/document.typ",
        data,
        files,
        created: sheet.created,
        ident: sheet.ident.clone(),
    })
}

/// Where an issued document's PDF is archived, by folder (`invoices`,
/// `credit-notes`) and id.
pub fn archive_key(folder: &str, id: i64) -> String {
    format!("documents/{folder}/{id}.pdf")
}

/// `RE-2026-00001.pdf`; a draft has no number yet: `draft-7.pdf`.
pub fn file_name(number: Option<&str>, id: i64) -> String {
    let number = number.map_or_else(|| format!("draft-{id}"), str::to_owned);
    let safe: String = number
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{safe}.pdf")
}

pub fn pdf_download(name: String, body: BoxStream<'static, std::io::Result<Bytes>>) -> Download {
    Download {
        name,
        content_type: "application/pdf".to_owned(),
        length: None,
        inline: true,
        body,
    }
}

/// An issued document's PDF as a download: the archived file, or, when the
/// archive could not be written at issue, `render`ed and archived now. A
/// draft's is rendered each time (and never archived). `render` is only
/// awaited when the file has to be made.
pub async fn archived_download(
    storage: &Storage,
    key: &str,
    name: String,
    draft: bool,
    render: impl Future<Output = AppResult<Vec<u8>>>,
) -> AppResult<Download> {
    if !draft && let Some(body) = storage.read(key).await? {
        return Ok(pdf_download(name, body));
    }
    Ok(pdf_download(
        name,
        in_memory(archived_bytes(storage, key, draft, render).await?),
    ))
}

/// The bytes of a document's PDF, as [`archived_download`] finds or makes
/// them.
pub async fn archived_bytes(
    storage: &Storage,
    key: &str,
    draft: bool,
    render: impl Future<Output = AppResult<Vec<u8>>>,
) -> AppResult<Vec<u8>> {
    if draft {
        return render.await;
    }
    if let Some(bytes) = stored(storage, key).await? {
        return Ok(bytes);
    }
    let bytes = render.await?;
    storage.put(key, bytes.clone()).await?;
    Ok(bytes)
}

/// A document listed for a zip of archived PDFs.
pub struct Listed<Id> {
    pub id: Id,
    /// Where its PDF is archived once issued.
    pub key: String,
    pub draft: bool,
    pub name: String,
    pub date: NaiveDate,
}

/// A zip of the listed documents' PDFs, built while it downloads: archived
/// ones streamed from the storage, the others made by `render` (which loads
/// the document by id) as [`archived_bytes`] does.
pub fn archived_zip<Id, F, Fut>(
    state: &AppState,
    name: String,
    items: Vec<Listed<Id>>,
    render: F,
) -> Download
where
    Id: Send + 'static,
    F: Fn(AppState, Id) -> Fut + Clone + Send + 'static,
    Fut: Future<Output = AppResult<Vec<u8>>> + Send + 'static,
{
    let state = state.clone();
    zip_download(name, items, move |item| {
        let (state, render) = (state.clone(), render.clone());
        async move {
            let made = render(state.clone(), item.id);
            let bytes = archived_bytes(&state.storage, &item.key, item.draft, made).await?;
            Ok(Entry {
                name: item.name,
                modified: item.date.and_time(chrono::NaiveTime::MIN).and_utc(),
                bytes: bytes.into(),
            })
        }
    })
}

/// A zip of one entry per item, built while it downloads.
pub fn zip_download<T, F, Fut>(name: String, items: Vec<T>, entry: F) -> Download
where
    T: Send + 'static,
    F: FnMut(T) -> Fut + Send + 'static,
    Fut: Future<Output = anyhow::Result<Entry>> + Send + 'static,
{
    Download {
        name,
        content_type: "application/zip".to_owned(),
        length: None,
        inline: false,
        body: archive::zip(futures::stream::iter(items).then(entry).boxed()),
    }
}

pub fn in_memory(bytes: Vec<u8>) -> BoxStream<'static, std::io::Result<Bytes>> {
    futures::stream::once(async move { Ok(Bytes::from(bytes)) }).boxed()
}

/// The bytes stored at `key`, if there are any (documents are small).
pub async fn stored(storage: &Storage, key: &str) -> AppResult<Option<Vec<u8>>> {
    match storage.read(key).await? {
        Some(body) => Ok(Some(read_all(body).await.map_err(|e| {
            AppError::Internal(anyhow::Error::new(e).context("storage"))
        })?)),
        None => Ok(None),
    }
}

/// A stored document's bytes (documents are small).
pub async fn read_all(
    mut body: BoxStream<'static, std::io::Result<Bytes>>,
) -> std::io::Result<Vec<u8>> {
    let mut all = Vec::new();
    while let Some(chunk) = body.next().await {
        all.extend_from_slice(&chunk?);
    }
    Ok(all)
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

impl<'a> Transfer<'a> {
    /// A transfer to the company's account (to the account holder, when
    /// one is set, else to the company).
    pub fn to(
        company: &'a Company,
        currency: &'a str,
        amount: Decimal,
        reference: &'a str,
    ) -> Self {
        Self {
            name: if company.bank_holder.is_empty() {
                &company.name
            } else {
                &company.bank_holder
            },
            iban: &company.iban,
            bic: &company.bic,
            currency,
            amount,
            reference,
        }
    }
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
