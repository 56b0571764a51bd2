//! The draft form every document type shares: the body's fields and its
//! lines as the page posts them, the form filled from a stored body, and
//! the page itself inside the customer frame.

use askama::Template;
use askama_web::WebTemplate;
use kernel::{FieldErrors, i18n::Locale, money};
use rust_decimal::Decimal;
use serde::Deserialize;

use super::{
    body::{BodyInput, DocumentBody, Item, ItemInput},
    kind::DocumentKind,
};
use crate::{
    common::totals::Discount,
    http::{ctx::Ctx, form::FormState, frame::Overview},
};

/// One line of the draft form.
pub struct LineView {
    pub description: String,
    pub long_description: String,
    pub quantity: String,
    pub unit: String,
    pub rate: String,
    pub tax1: String,
    pub tax2: String,
}

impl LineView {
    fn blank() -> Self {
        Self {
            description: String::new(),
            long_description: String::new(),
            quantity: "1".into(),
            unit: String::new(),
            rate: String::new(),
            tax1: String::new(),
            tax2: String::new(),
        }
    }
}

/// The draft form as posted: the items arrive as parallel lists, one entry
/// per line, so the page works without script.
#[derive(Deserialize)]
pub struct DraftForm {
    #[serde(default)]
    date: String,
    #[serde(default)]
    due_date: String,
    #[serde(default)]
    discount_percent: String,
    #[serde(default)]
    discount_amount: String,
    #[serde(default)]
    discount_after_tax: Option<String>,
    #[serde(default)]
    adjustment: String,
    /// A letter's subject and markdown content (kinds with `prose`).
    #[serde(default)]
    pub subject: String,
    #[serde(default)]
    pub content: String,
    #[serde(default)]
    client_note: String,
    #[serde(default)]
    terms: String,
    #[serde(default)]
    pub recurring_every: String,
    #[serde(default)]
    pub recurring_unit: String,
    #[serde(default)]
    pub recurring_cycles: String,
    #[serde(default)]
    sales_agent_id: String,
    #[serde(default)]
    item_description: Vec<String>,
    #[serde(default)]
    item_long_description: Vec<String>,
    #[serde(default)]
    item_quantity: Vec<String>,
    #[serde(default)]
    item_unit: Vec<String>,
    #[serde(default)]
    item_rate: Vec<String>,
    #[serde(default)]
    item_tax1: Vec<String>,
    #[serde(default)]
    item_tax2: Vec<String>,
}

impl DraftForm {
    /// The lines as typed; a line left entirely empty is dropped.
    pub fn lines(&self) -> Vec<LineView> {
        let at = |list: &Vec<String>, n: usize| list.get(n).cloned().unwrap_or_default();
        (0..self.item_description.len())
            .map(|n| LineView {
                description: at(&self.item_description, n),
                long_description: at(&self.item_long_description, n),
                quantity: at(&self.item_quantity, n),
                unit: at(&self.item_unit, n),
                rate: at(&self.item_rate, n),
                tax1: at(&self.item_tax1, n),
                tax2: at(&self.item_tax2, n),
            })
            .filter(|l| !(l.description.trim().is_empty() && l.rate.trim().is_empty()))
            .collect()
    }

    /// The document body as typed.
    pub fn body(&self) -> BodyInput {
        BodyInput {
            date: Some(self.date.clone()),
            due_date: Some(self.due_date.clone()),
            currency: None,
            items: Some(
                self.lines()
                    .into_iter()
                    .map(|l| ItemInput {
                        description: l.description,
                        long_description: l.long_description,
                        quantity: l.quantity,
                        unit: l.unit,
                        rate: l.rate,
                        taxes: vec![l.tax1, l.tax2],
                    })
                    .collect(),
            ),
            discount_percent: Some(self.discount_percent.clone()),
            discount_amount: Some(self.discount_amount.clone()),
            discount_after_tax: Some(self.discount_after_tax.is_some()),
            adjustment: Some(self.adjustment.clone()),
            client_note: Some(self.client_note.clone()),
            terms: Some(self.terms.clone()),
            sales_agent_id: self.sales_agent_id.trim().parse().ok(),
        }
    }

    pub fn state(&self, locale: Locale, errors: FieldErrors) -> FormState {
        FormState::new(locale)
            .with("date", &self.date)
            .with("due_date", &self.due_date)
            .with("discount_percent", &self.discount_percent)
            .with("discount_amount", &self.discount_amount)
            .with("discount_after_tax", self.discount_after_tax.is_some())
            .with("adjustment", &self.adjustment)
            .with("subject", &self.subject)
            .with("content", &self.content)
            .with("client_note", &self.client_note)
            .with("terms", &self.terms)
            .with("recurring_every", &self.recurring_every)
            .with("recurring_unit", &self.recurring_unit)
            .with("recurring_cycles", &self.recurring_cycles)
            .with("sales_agent_id", &self.sales_agent_id)
            .with_errors(errors)
    }
}

fn text(value: Decimal) -> String {
    value.normalize().to_string()
}

/// The form filled from a stored body.
pub fn filled(invoice: &DocumentBody, locale: Locale) -> (FormState, Vec<LineView>) {
    let digits = money::minor_digits(&invoice.currency);
    let (percent, amount) = match invoice.discount {
        Discount::None => (String::new(), String::new()),
        Discount::Percent(p) => (text(p), String::new()),
        Discount::Amount(a) => (String::new(), money::to_api(a, digits)),
    };
    let f = FormState::new(locale)
        .with("date", invoice.date.to_string())
        .with(
            "due_date",
            invoice.due_date.map(|d| d.to_string()).unwrap_or_default(),
        )
        .with("discount_percent", percent)
        .with("discount_amount", amount)
        .with("discount_after_tax", invoice.discount_after_tax)
        .with("adjustment", money::to_api(invoice.adjustment, digits))
        .with("client_note", &invoice.client_note)
        .with("terms", &invoice.terms);
    let tax = |n: usize, item: &Item| item.taxes.get(n).map(|t| text(*t));
    let lines = invoice
        .items
        .iter()
        .map(|i| LineView {
            description: i.description.clone(),
            long_description: i.long_description.clone(),
            quantity: text(i.quantity),
            unit: i.unit.clone(),
            rate: money::to_api(i.rate, digits),
            tax1: tax(0, i).unwrap_or_default(),
            tax2: tax(1, i).unwrap_or_default(),
        })
        .collect();
    (f, lines)
}

/// A staff member who can be chosen as the sales agent.
pub struct Agent {
    pub id: i64,
    pub name: String,
}

/// What the form offers besides the body: the staff to choose the sales
/// agent among, and the units of a recurrence (none: it does not recur).
pub struct InvoiceParts {
    pub agents: Vec<Agent>,
    pub units: &'static [&'static str],
}

/// The draft form of a document, inside the customer frame.
#[derive(Template, WebTemplate)]
#[template(path = "documents/templates/form.html")]
pub struct FormPage {
    c: Ctx,
    o: Overview,
    action: String,
    /// Where the form's totals are computed as it is typed.
    totals_url: String,
    f: FormState,
    lines: Vec<LineView>,
    /// Active tax rates as percent text.
    taxes: Vec<String>,
    /// The label of the due (or expiry) date, for kinds that have one.
    due_label: Option<&'static str>,
    /// Whether the kind names a sales agent, chosen among `agents`, and
    /// what it calls them (`field-{key}-agent`, else a sales agent).
    sales_agent: bool,
    agent_label: String,
    agents: Vec<Agent>,
    /// The units of a recurrence, for kinds that recur.
    units: &'static [&'static str],
    /// Where a letter's content is previewed as typed (kinds with prose).
    preview_url: Option<String>,
}

impl FormPage {
    /// The form of a `kind` posting to `action`, as typed or filled, with
    /// the active tax rates (basis points) to choose from.
    pub fn new(
        (c, o, kind): (Ctx, Overview, &DocumentKind),
        (action, totals_url): (String, String),
        (f, mut lines): (FormState, Vec<LineView>),
        tax_rates: &[i32],
        parts: Option<InvoiceParts>,
    ) -> Self {
        // One empty line to type into; the script adds more.
        lines.push(LineView::blank());
        let own = format!("field-{}-agent", kind.key.replace('_', "-"));
        let agent_label = match crate::i18n::lookup(c.locale, &own) {
            Some(_) => own,
            None => "field-sales-agent".to_owned(),
        };
        let InvoiceParts { agents, units } = parts.unwrap_or(InvoiceParts {
            agents: Vec::new(),
            units: &[],
        });
        Self {
            c,
            o,
            action,
            totals_url,
            f,
            lines,
            taxes: tax_rates
                .iter()
                .map(|bp| text(Decimal::new(i64::from(*bp), 2)))
                .collect(),
            due_label: kind.due_column.map(|_| kind.due_label),
            sales_agent: kind.sales_agent,
            agent_label,
            agents,
            units,
            preview_url: kind.prose.then(|| format!("{}/preview", kind.path)),
        }
    }
}
