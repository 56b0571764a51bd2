//! The statement as a PDF in the customer's language. A statement is a
//! view of the moment, not an issued document: it is rendered on request
//! and not archived. Its movements are laid out in parts, so tens of
//! thousands of them take the memory of a few thousand.

use chrono::{DateTime, Utc};
use kernel::{AppResult, i18n::Locale, money, pdf::Document};
use serde_json::json;

use super::model::{Kind, Statement};
use crate::{
    common::documents::{self, Sender},
    i18n::t,
    modules::{billing::service as billing, customers::model::CustomerId},
    state::AppState,
};

/// The period in words: "01.11.2026 – 30.11.2026", open ends named.
pub fn period_text(l: Locale, s: &Statement) -> String {
    match (s.period.from, s.period.to) {
        (None, None) => t(l, "period-all"),
        (from, to) => format!(
            "{} – {}",
            from.map_or_else(|| t(l, "period-start"), |d| l.format_date(d)),
            to.map_or_else(|| t(l, "period-today"), |d| l.format_date(d)),
        ),
    }
}

pub fn amount(l: Locale, minor: i64, currency: &str) -> String {
    let digits = money::minor_digits(currency);
    documents::money(l, money::from_minor(minor, digits), currency)
}

pub async fn render(
    state: &AppState,
    customer: CustomerId,
    s: &Statement,
    now: DateTime<Utc>,
) -> AppResult<Vec<u8>> {
    let parties = billing::parties(state, customer).await?;
    let l = parties.addressee.language;
    let cur = s.currency.as_str();
    let rows: Vec<serde_json::Value> = s
        .lines
        .data
        .iter()
        .map(|line| {
            let m = &line.movement;
            let shown = amount(l, m.amount, cur);
            let (debit, credit) = match m.kind.sign() {
                1 => (shown, String::new()),
                -1 => (String::new(), shown),
                _ => (String::new(), String::new()),
            };
            let detail = match m.kind {
                Kind::CreditApplied => format!("→ {} ({})", m.detail, amount(l, m.amount, cur)),
                _ => m.detail.clone(),
            };
            json!({
                "date": l.format_date(m.date),
                "kind": t(l, m.kind.label_key()),
                "reference": m.reference,
                "detail": detail,
                "debit": debit,
                "credit": credit,
                "balance": amount(l, line.balance, cur),
            })
        })
        .collect();
    let summary = vec![
        json!([
            t(l, "statement-beginning"),
            amount(l, s.beginning, cur),
            false
        ]),
        json!([
            t(l, "statement-invoiced"),
            amount(l, s.invoiced, cur),
            false
        ]),
        json!([t(l, "statement-paid"), amount(l, -s.paid, cur), false]),
        json!([
            t(l, "statement-credited"),
            amount(l, -s.credited, cur),
            false
        ]),
        json!([
            t(l, "statement-refunded"),
            amount(l, s.refunded, cur),
            false
        ]),
        json!([
            t(l, "statement-balance-due"),
            amount(l, s.ending, cur),
            true
        ]),
    ];
    let data = json!({
        "lang": l.code(),
        "title": t(l, "pdf-statement-title"),
        "number": "",
        "watermark": null,
        "page": t(l, "pdf-page"),
        "sender": Sender::new(&parties.company, l),
        "recipient": parties.addressee.lines,
        "meta": [
            [t(l, "statement-period"), period_text(l, s)],
            [t(l, "pdf-customer-number"), parties.addressee.number],
            [t(l, "pdf-statement-date"), l.format_date(now.date_naive())],
        ],
        "columns": [
            t(l, "field-date"),
            t(l, "statement-kind"),
            t(l, "statement-reference"),
            t(l, "statement-debit"),
            t(l, "statement-credit"),
            t(l, "statement-balance"),
        ],
        "totals": summary,
    });
    let document = Document {
        template: "/statement.typ",
        data,
        files: Vec::new(),
        created: now,
        ident: format!("statement-{}", customer.0),
    };
    documents::render_rows(state, &parties, document, rows).await
}
