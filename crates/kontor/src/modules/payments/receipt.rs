//! The payment receipt: a PDF in the customer's language confirming what
//! was received for which invoice; downloaded, zipped for a period or
//! mode, and sent by email.

use chrono::NaiveTime;
use kernel::{AppError, AppResult, archive::Entry, pdf::Document};
use serde_json::json;

use super::{
    model::{Payment, PaymentFilter, PaymentId},
    service,
};
use crate::{
    common::{
        documents::{self, Sender, in_memory, pdf_download},
        sending::{Dispatch, MailTemplate, Outgoing, Recipient, SendInput},
    },
    http::download::Download,
    i18n::{t, t_args},
    modules::{
        activity::service as activity,
        billing::service as billing,
        contacts::service as contacts,
        customers::{model::CustomerId, service as customers},
        invoices::service as invoices,
    },
    policy::{Action, StaffActor},
    state::AppState,
};

pub fn file_name(p: &Payment) -> String {
    documents::file_name(
        Some(&format!("receipt-{}-{}", p.invoice_number, p.id.0)),
        p.id.0,
    )
}

pub async fn render(state: &AppState, p: &Payment) -> AppResult<Vec<u8>> {
    let parties = billing::parties(state, p.customer_id).await?;
    let invoice = invoices::find_for_document(&state.db, p.invoice_id).await?;
    let l = parties.addressee.language;
    let cur = p.currency.as_str();
    let mode = match p.payment_mode {
        Some(id) => billing::active_payment_modes(&state.db)
            .await?
            .into_iter()
            .find(|m| m.id == id)
            .map(|m| m.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let mut meta = vec![
        (t(l, "pdf-receipt-number"), p.id.0.to_string()),
        (t(l, "pdf-payment-date"), l.format_date(p.date)),
        (t(l, "pdf-invoice-number"), p.invoice_number.clone()),
    ];
    if !mode.is_empty() {
        meta.push((t(l, "field-payment-mode"), mode));
    }
    if !p.transaction_id.is_empty() {
        meta.push((t(l, "field-transaction-id"), p.transaction_id.clone()));
    }
    let money = |v| documents::money(l, v, cur);
    let data = json!({
        "lang": l.code(),
        "title": t(l, "pdf-receipt-title"),
        "number": "",
        "watermark": null,
        "page": t(l, "pdf-page"),
        "sender": Sender::new(&parties.company, l),
        "recipient": parties.addressee.lines,
        "meta": meta,
        "intro": t_args(l, "pdf-receipt-intro", &[
            ("amount", money(p.amount)),
            ("number", p.invoice_number.clone()),
            ("date", l.format_date(p.date)),
        ]),
        "totals": [
            [t(l, "pdf-invoice-total"), money(invoice.totals().total), false],
            [t(l, "pdf-this-payment"), money(p.amount), false],
            [t(l, "field-amount-due"), money(invoice.amount_due()), true],
        ],
        "notes": if p.note.is_empty() { vec![] } else { vec![p.note.clone()] },
    });
    let document = Document {
        template: "/receipt.typ",
        data,
        files: Vec::new(),
        created: p.date.and_time(NaiveTime::MIN).and_utc(),
        ident: format!("receipt-{}", p.id.0),
    };
    documents::render(state, &parties, document).await
}

pub async fn download(state: &AppState, actor: &StaffActor, id: PaymentId) -> AppResult<Download> {
    let payment = service::get(&state.db, actor, id).await?;
    let bytes = render(state, &payment).await?;
    Ok(pdf_download(file_name(&payment), in_memory(bytes)))
}

/// The receipts of the customer's payments in the filter (of the chosen
/// ones, when some are chosen), zipped while they are rendered.
pub async fn zip(
    state: &AppState,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &PaymentFilter,
    chosen: &[i64],
) -> AppResult<Download> {
    let payments: Vec<Payment> = service::of_customer(&state.db, actor, customer, filter)
        .await?
        .into_iter()
        .filter(|p| chosen.is_empty() || chosen.contains(&p.id.0))
        .collect();
    let number = customers::get(&state.db, actor, customer).await?.number;
    Ok(zip_of(state, format!("receipts-{number}.zip"), payments))
}

/// The receipts of every customer's payments in the filter (at most
/// [`crate::common::csv_io::EXPORT_MAX`]).
pub async fn zip_all(
    state: &AppState,
    actor: &StaffActor,
    filter: &PaymentFilter,
) -> AppResult<Download> {
    let payments = service::export(&state.db, actor, filter).await?;
    Ok(zip_of(state, "receipts.zip".to_owned(), payments))
}

/// The payments' receipts, zipped while they are rendered.
fn zip_of(state: &AppState, name: String, payments: Vec<Payment>) -> Download {
    let state = state.clone();
    documents::zip_download(name, payments, move |p| {
        let state = state.clone();
        async move {
            let bytes = render(&state, &p).await?;
            Ok(Entry {
                name: file_name(&p),
                modified: p.date.and_time(NaiveTime::MIN).and_utc(),
                bytes: bytes.into(),
            })
        }
    })
}

pub async fn prepare(
    state: &AppState,
    actor: &StaffActor,
    p: &Payment,
) -> AppResult<(Vec<Recipient>, MailTemplate)> {
    let recipients = contacts::recipients(&state.db, actor, (p.customer_id, "invoices")).await?;
    let (customer, _) = customers::for_document(&state.db, p.customer_id).await?;
    let company = billing::sender(&state.db).await?;
    let l = customer.language;
    let template = billing::mail_template(&state.db, "receipt", l).await?;
    Ok((
        recipients,
        template.fill(&[
            ("number", p.invoice_number.clone()),
            ("customer", customer.company),
            ("amount", documents::money(l, p.amount, &p.currency)),
            ("date", l.format_date(p.date)),
            ("company", company.name),
        ]),
    ))
}

/// Sends the receipt by email; the number of recipients.
pub async fn send(
    state: &AppState,
    actor: &StaffActor,
    id: PaymentId,
    input: &SendInput,
) -> AppResult<usize> {
    let p = service::get(&state.db, actor, id).await?;
    if !invoices::may(actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let (recipients, template) = prepare(state, actor, &p).await?;
    let outgoing = Outgoing::check(&recipients, input, &template)?;
    let key = format!("mail/receipts/{}.pdf", kernel::auth::random_token());
    state.storage.put(&key, render(state, &p).await?).await?;
    let mail = outgoing.mail(file_name(&p), key);
    let to = Dispatch {
        document: super::service::entity(id),
        customer: p.customer_id,
        actor,
        action: "sent",
    };
    activity::send_mail(&state.db, &outgoing, &mail, &to, &state.clock).await
}
