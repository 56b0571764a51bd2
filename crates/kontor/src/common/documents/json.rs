//! The document body in the API: money as decimal strings in the
//! document's currency, totals as EN 16931 computes them.

use chrono::NaiveDate;
use kernel::money;
use serde::Serialize;

use super::body::DocumentBody;
use crate::common::totals::Discount;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ItemJson {
    description: String,
    long_description: String,
    quantity: String,
    unit: String,
    rate: String,
    taxes: Vec<String>,
    net: String,
}

/// The tax of one rate: on the sum of its lines (EN 16931).
#[derive(Serialize, utoipa::ToSchema)]
pub struct TaxJson {
    rate: String,
    base: String,
    amount: String,
}

/// Items, discount and totals, as every billing document shows them.
#[derive(Serialize, utoipa::ToSchema)]
pub struct BodyJson {
    date: NaiveDate,
    currency: String,
    items: Vec<ItemJson>,
    discount_percent: Option<String>,
    discount_amount: Option<String>,
    discount_after_tax: bool,
    adjustment: String,
    subtotal: String,
    discount_total: String,
    taxes: Vec<TaxJson>,
    tax_total: String,
    total: String,
    client_note: String,
    terms: String,
}

impl From<&DocumentBody> for BodyJson {
    fn from(d: &DocumentBody) -> Self {
        let digits = money::minor_digits(&d.currency);
        let m = |v| money::to_api(v, digits);
        let t = d.totals();
        Self {
            date: d.date,
            currency: d.currency.clone(),
            items: d
                .items
                .iter()
                .zip(&t.line_nets)
                .map(|(item, net)| ItemJson {
                    description: item.description.clone(),
                    long_description: item.long_description.clone(),
                    quantity: item.quantity.normalize().to_string(),
                    unit: item.unit.clone(),
                    rate: m(item.rate),
                    taxes: item
                        .taxes
                        .iter()
                        .map(|r| r.normalize().to_string())
                        .collect(),
                    net: m(*net),
                })
                .collect(),
            discount_percent: match d.discount {
                Discount::Percent(p) => Some(p.normalize().to_string()),
                _ => None,
            },
            discount_amount: match d.discount {
                Discount::Amount(a) => Some(m(a)),
                _ => None,
            },
            discount_after_tax: d.discount_after_tax,
            adjustment: m(t.adjustment),
            subtotal: m(t.subtotal),
            discount_total: m(t.discount),
            taxes: t
                .taxes
                .iter()
                .map(|x| TaxJson {
                    rate: x.rate.normalize().to_string(),
                    base: m(x.base),
                    amount: m(x.amount),
                })
                .collect(),
            tax_total: m(t.tax_total),
            total: m(t.total),
            client_note: d.client_note.clone(),
            terms: d.terms.clone(),
        }
    }
}
