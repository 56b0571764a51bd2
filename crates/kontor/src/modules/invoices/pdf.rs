//! The invoice as a PDF. A draft is rendered on every download and marked
//! as a draft. An issued invoice is rendered once, when it is issued, in
//! the customer's language, and archived in the file storage: what was
//! sent is what is kept (GoBD), so later downloads, zips and emails stream
//! the archived file even after the company details change.

use bytes::Bytes;
use futures::{StreamExt, stream::BoxStream};
use kernel::{
    AppError, AppResult,
    archive::{self, Entry},
    i18n::Locale,
    pdf::Document,
};
use rust_decimal::Decimal;
use serde_json::json;

use super::{
    model::{Invoice, InvoiceFilter, InvoiceId, InvoiceRow, Status},
    service,
};
use crate::{
    common::documents::{self, Sender, Transfer},
    http::download::Download,
    i18n::{t, t_args},
    modules::{
        billing::service as billing,
        customers::{model::CustomerId, service as customers},
    },
    policy::StaffActor,
    state::AppState,
};

fn pdf(name: String, body: BoxStream<'static, std::io::Result<Bytes>>) -> Download {
    Download {
        name,
        content_type: "application/pdf".to_owned(),
        length: None,
        inline: true,
        body,
    }
}

fn in_memory(bytes: Vec<u8>) -> BoxStream<'static, std::io::Result<Bytes>> {
    futures::stream::once(async move { Ok(Bytes::from(bytes)) }).boxed()
}

/// Where an issued invoice's PDF is archived.
pub fn archive_key(id: InvoiceId) -> String {
    format!("documents/invoices/{}.pdf", id.0)
}

/// `RE-2026-00001.pdf`; a draft has no number yet: `draft-7.pdf`.
pub fn file_name(number: Option<&str>, id: InvoiceId) -> String {
    let number = number.map_or_else(|| format!("draft-{}", id.0), str::to_owned);
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

/// Issues the draft and archives its PDF. The invoice stays issued when the
/// archive cannot be written (the next download writes it); that is logged.
pub async fn issue(state: &AppState, actor: &StaffActor, id: InvoiceId) -> AppResult<String> {
    let number = service::issue(&state.db, actor, id).await?;
    let invoice = service::get(&state.db, actor, id).await?;
    if let Err(e) = archived(state, &invoice).await {
        tracing::warn!(invoice = id.0, error = %e, "archiving the invoice PDF failed");
    }
    Ok(number)
}

/// The invoice's PDF for someone already allowed to see the invoice.
pub async fn of_invoice(state: &AppState, invoice: &Invoice) -> AppResult<Download> {
    let name = file_name(invoice.number.as_deref(), invoice.id);
    if invoice.is_draft() {
        return Ok(pdf(name, in_memory(render(state, invoice).await?)));
    }
    if let Some(body) = state.storage.read(&archive_key(invoice.id)).await? {
        return Ok(pdf(name, body));
    }
    Ok(pdf(name, in_memory(archived(state, invoice).await?)))
}

pub async fn download(state: &AppState, actor: &StaffActor, id: InvoiceId) -> AppResult<Download> {
    let invoice = service::get(&state.db, actor, id).await?;
    of_invoice(state, &invoice).await
}

/// The PDFs of the customer's invoices that pass the filter (of the chosen
/// ones among them, when some are chosen) as a zip built while it
/// downloads: archived PDFs are streamed from the storage, drafts rendered.
pub async fn zip(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &InvoiceFilter,
    chosen: &[i64],
) -> AppResult<Download> {
    let rows: Vec<InvoiceRow> = service::list(&state.db, actor, customer, filter)
        .await?
        .into_iter()
        .filter(|r| chosen.is_empty() || chosen.contains(&r.id.0))
        .collect();
    let number = customers::get(&state.db, actor, customer).await?.number;
    let (state, actor) = (state.clone(), actor.clone());
    let entries = futures::stream::iter(rows)
        .then(move |row| {
            let (state, actor) = (state.clone(), actor.clone());
            async move { zip_entry(&state, &actor, row).await }
        })
        .boxed();
    Ok(Download {
        name: format!("invoices-{number}.zip"),
        content_type: "application/zip".to_owned(),
        length: None,
        inline: false,
        body: archive::zip(entries),
    })
}

async fn zip_entry(state: &AppState, actor: &StaffActor, row: InvoiceRow) -> anyhow::Result<Entry> {
    let name = file_name(row.number.as_deref(), row.id);
    let modified = row.date.and_time(chrono::NaiveTime::MIN).and_utc();
    let stored = if row.status == Status::Draft {
        None
    } else {
        state.storage.read(&archive_key(row.id)).await?
    };
    let bytes = match stored {
        Some(mut body) => {
            let mut all = Vec::new();
            while let Some(chunk) = body.next().await {
                all.extend_from_slice(&chunk?);
            }
            all
        }
        None => {
            let invoice = service::get(&state.db, actor, row.id).await?;
            if invoice.is_draft() {
                render(state, &invoice).await?
            } else {
                archived(state, &invoice).await?
            }
        }
    };
    Ok(Entry {
        name,
        modified,
        bytes: Bytes::from(bytes),
    })
}

/// Makes sure the issued invoice's PDF is in the archive (issuing writes
/// it; this covers an archive that could not be written then).
pub async fn ensure_archived(state: &AppState, invoice: &Invoice) -> AppResult<()> {
    if state
        .storage
        .read(&archive_key(invoice.id))
        .await?
        .is_none()
    {
        archived(state, invoice).await?;
    }
    Ok(())
}

/// Renders the issued invoice and writes it to the archive.
async fn archived(state: &AppState, invoice: &Invoice) -> AppResult<Vec<u8>> {
    let bytes = render(state, invoice).await?;
    state
        .storage
        .put(&archive_key(invoice.id), bytes.clone())
        .await?;
    Ok(bytes)
}

pub async fn render(state: &AppState, invoice: &Invoice) -> AppResult<Vec<u8>> {
    let document = document(state, invoice).await?;
    Ok(state.pdf.render(document).await?)
}

fn money(locale: Locale, value: Decimal, currency: &str) -> String {
    let minor = kernel::money::to_minor(value, 2).unwrap_or_default();
    locale.format_money(minor, currency)
}

fn number(locale: Locale, value: Decimal) -> String {
    locale.format_decimal(&value.normalize().to_string())
}

/// Everything the template shows, translated into the customer's language.
async fn document(state: &AppState, invoice: &Invoice) -> AppResult<Document> {
    let (customer, fields) = customers::for_document(&state.db, invoice.customer_id).await?;
    let company = billing::sender(&state.db).await?;
    let l = customer.language;
    let cur = invoice.currency.as_str();
    let totals = invoice.totals();
    let number_text = invoice.number.clone().unwrap_or_default();

    let billing_address = if customer.billing.is_empty() {
        &customer.address
    } else {
        &customer.billing
    };
    let recipient: Vec<String> = [
        customer.company.clone(),
        billing_address.street.clone(),
        format!("{} {}", billing_address.zip, billing_address.city)
            .trim()
            .to_owned(),
        billing_address.country.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();

    let mut meta = vec![
        (t(l, "pdf-invoice-number"), number_text.clone()),
        (t(l, "pdf-invoice-date"), l.format_date(invoice.date)),
    ];
    if let Some(due) = invoice.due_date {
        meta.push((t(l, "pdf-due-date"), l.format_date(due)));
    }
    meta.push((t(l, "pdf-customer-number"), customer.number.clone()));
    if !customer.vat_id.is_empty() {
        meta.push((t(l, "pdf-customer-vat-id"), customer.vat_id.clone()));
    }
    for field in &fields {
        if let Some(value) = customer.custom_fields.get(&field.key) {
            let shown = field.display(value, l);
            if !shown.is_empty() {
                meta.push((field.label.clone(), shown));
            }
        }
    }

    let items: Vec<serde_json::Value> = invoice
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
    if !invoice.discount_after_tax {
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
    if invoice.discount_after_tax {
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
        [&invoice.client_note, &invoice.terms]
            .into_iter()
            .filter(|n| !n.trim().is_empty())
            .cloned(),
    );

    let due = totals.total - invoice.amount_paid;
    let transfer = Transfer {
        name: if company.bank_holder.is_empty() {
            &company.name
        } else {
            &company.bank_holder
        },
        iban: &company.iban,
        bic: &company.bic,
        currency: cur,
        amount: due,
        reference: &number_text,
    };
    let mut files = Vec::new();
    let payment = if company.iban.is_empty() || due <= Decimal::ZERO || invoice.is_draft() {
        None
    } else {
        let qr = match documents::epc_payload(&transfer) {
            Some(payload) => {
                files.push((
                    "/qr.svg",
                    documents::qr_svg(&payload).map_err(AppError::Internal)?,
                ));
                true
            }
            None => false,
        };
        let mut text_args = vec![
            ("amount", money(l, due, cur)),
            ("number", number_text.clone()),
        ];
        let key = match invoice.due_date {
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
        "title": t(l, "pdf-invoice-title"),
        "number": number_text,
        "watermark": invoice.is_draft().then(|| t(l, "pdf-draft")),
        "page": t(l, "pdf-page"),
        "logo": false,
        "sender": Sender::new(&company, l),
        "recipient": recipient,
        "meta": meta,
        "intro": "",
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
    });
    Ok(Document {
        template: "/document.typ",
        data,
        files,
        created: invoice.issued_at.unwrap_or_else(chrono::Utc::now),
        ident: format!("invoice-{}", invoice.id.0),
    })
}
