//! Payment types and validation.

use chrono::NaiveDate;
use kernel::{FieldErrors, i18n::Locale, money, types};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    common::ids::{CustomerId, StaffId},
    http::form::FormState,
    modules::{
        billing::model::{ModeRef, PaymentMode, PaymentModeId},
        invoices::model::InvoiceId,
    },
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct PaymentId(pub i64);

#[derive(Clone, Debug)]
pub struct Payment {
    pub id: PaymentId,
    pub invoice_id: InvoiceId,
    pub customer_id: CustomerId,
    pub amount: Decimal,
    pub date: NaiveDate,
    pub payment_mode: Option<PaymentModeId>,
    pub transaction_id: String,
    pub note: String,
    pub created_by: StaffId,
    /// Shown beside the payment (joined from the invoice).
    pub invoice_number: String,
    pub currency: String,
}

/// A new payment needs `invoice_id` and `amount` (at most what is due);
/// a change sends what changes.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct PaymentInput {
    /// On creation: the issued invoice it pays.
    pub invoice_id: Option<i64>,
    /// More than zero, in the invoice's currency.
    #[schema(schema_with = amount_schema)]
    pub amount: Option<String>,
    /// Today when absent.
    #[schema(schema_with = crate::api::schema::date)]
    pub date: Option<String>,
    /// An active payment mode's id or key (`GET /payment-modes`).
    pub payment_mode: Option<ModeRef>,
    #[schema(schema_with = crate::api::schema::line::<200>)]
    pub transaction_id: Option<String>,
    #[schema(schema_with = crate::api::schema::text::<5000>)]
    pub note: Option<String>,
}

fn amount_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::decimal().pattern(Some(r"^0*[1-9][0-9]{0,11}(\.[0-9]{1,2})?$"))
}

/// The payment form as posted (on the invoice page, or editing a payment).
#[derive(Deserialize)]
pub struct PaymentForm {
    #[serde(default)]
    pub amount: String,
    #[serde(default)]
    pub date: String,
    #[serde(default, deserialize_with = "kernel::web::number")]
    pub payment_mode: Option<i64>,
    #[serde(default)]
    pub transaction_id: String,
    #[serde(default)]
    pub note: String,
}

impl PaymentForm {
    pub fn input(&self, invoice_id: Option<i64>) -> PaymentInput {
        PaymentInput {
            invoice_id,
            amount: Some(self.amount.clone()),
            date: Some(self.date.clone()),
            payment_mode: self.payment_mode.map(ModeRef::Id),
            transaction_id: Some(self.transaction_id.clone()),
            note: Some(self.note.clone()),
        }
    }

    /// The form's fields as typed, to show again.
    pub fn typed(&self, locale: Locale) -> FormState {
        FormState::new(locale)
            .with("amount", &self.amount)
            .with("date", &self.date)
            .with(
                "payment_mode",
                self.payment_mode.map(|m| m.to_string()).unwrap_or_default(),
            )
            .with("transaction_id", &self.transaction_id)
            .with("note", &self.note)
    }
}

pub struct PaymentData {
    pub amount: Decimal,
    pub date: NaiveDate,
    pub payment_mode: Option<PaymentModeId>,
    pub transaction_id: String,
    pub note: String,
}

impl PaymentData {
    /// `modes` are the active payment modes; `digits` the invoice currency's.
    pub fn parse(
        input: &PaymentInput,
        current: Option<&Payment>,
        modes: &[PaymentMode],
        digits: u32,
        today: NaiveDate,
    ) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let amount = match (&input.amount, current) {
            (Some(t), _) => money::parse_decimal(t)
                .filter(|a| *a > Decimal::ZERO && a.normalize().scale() <= digits)
                .unwrap_or_else(|| {
                    e.add("amount", "error-payment-amount");
                    Decimal::ZERO
                }),
            (None, Some(c)) => c.amount,
            (None, None) => {
                e.add("amount", "error-required");
                Decimal::ZERO
            }
        };
        let date = match (&input.date, current) {
            (Some(t), _) => types::date(&mut e, "date", t).unwrap_or(today),
            (None, Some(c)) => c.date,
            (None, None) => today,
        };
        let payment_mode = match (&input.payment_mode, current) {
            (Some(named), _) => {
                let found = named.find(modes);
                if found.is_none() {
                    e.add("payment_mode", "error-invalid");
                }
                found
            }
            (None, Some(c)) => c.payment_mode,
            (None, None) => None,
        };
        let keep = |new: &Option<String>, old: Option<&String>| {
            new.clone()
                .unwrap_or_else(|| old.cloned().unwrap_or_default())
        };
        let transaction_id = types::text(
            &mut e,
            "transaction_id",
            &keep(&input.transaction_id, current.map(|c| &c.transaction_id)),
            false,
            200,
        );
        let note = types::multiline(
            &mut e,
            "note",
            &keep(&input.note, current.map(|c| &c.note)),
            false,
            5000,
        );
        if e.is_empty() {
            Ok(Self {
                amount,
                date,
                payment_mode,
                transaction_id,
                note,
            })
        } else {
            Err(e)
        }
    }
}

/// Which of a customer's payments a list or zip shows.
#[derive(Clone, Debug, Default)]
pub struct PaymentFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub mode: Option<PaymentModeId>,
}

impl PaymentFilter {
    /// From the query of the tab or the zip link; empty values mean no limit.
    pub fn parse(from: &str, to: &str, mode: &str) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let from = types::optional_date(&mut e, "from", from);
        let to = types::optional_date(&mut e, "to", to);
        let mode = match mode.trim() {
            "" => None,
            t => match t.parse::<i64>() {
                Ok(id) => Some(PaymentModeId(id)),
                Err(_) => {
                    e.add("payment_mode", "error-invalid");
                    None
                }
            },
        };
        if e.is_empty() {
            Ok(Self { from, to, mode })
        } else {
            Err(e)
        }
    }
}
