//! Credit notes: the body of an invoice (items, discount, totals) with a
//! number of their own, credit applied to invoices and refunds paid out.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::{FieldErrors, money, types};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

use crate::{
    common::{
        documents::{
            body::{BodyInput, DocumentBody},
            json::BodyJson,
            store::Head,
        },
        filter::DocumentFilter,
        ids::{CustomerId, StaffId},
        totals::Totals,
    },
    modules::{
        billing::model::{ModeRef, PaymentModeId},
        invoices::model::InvoiceId,
    },
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct CreditNoteId(pub i64);

crate::document_statuses! {
    #[schema(as = CreditNoteStatus)]
    pub enum Status, labels "credit-status-" {
        Draft = "draft", "bg-secondary",
        /// Issued, with credit left.
        Open = "open", "bg-info text-dark",
        /// All credit applied or refunded.
        Closed = "closed", "bg-success",
        /// Withdrawn before any credit was used; keeps its number.
        Void = "void", "bg-dark",
    }
}

impl Status {
    /// An issued note's status with `remaining` credit left.
    pub fn of_remaining(remaining: Decimal) -> Self {
        if remaining > Decimal::ZERO {
            Self::Open
        } else {
            Self::Closed
        }
    }
}

#[derive(Clone, Debug)]
pub struct CreditNote {
    pub id: CreditNoteId,
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub status: Status,
    pub body: DocumentBody,
    /// The invoice it corrects or cancels.
    pub invoice_id: Option<InvoiceId>,
    pub invoice_number: Option<String>,
    /// A Stornorechnung: the whole invoice cancelled.
    pub cancellation: bool,
    pub applied: Decimal,
    pub refunded: Decimal,
    pub created_by: StaffId,
    pub issued_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
}

impl CreditNote {
    /// The header as the document core reads it.
    pub fn head(&self) -> Head {
        Head {
            id: self.id.0,
            number: self.number.clone(),
            customer_id: self.customer_id,
            status: self.status.key().to_owned(),
            body: self.body.clone(),
            created_by: self.created_by,
            issued_at: self.issued_at,
            sent_at: self.sent_at,
        }
    }

    pub fn totals(&self) -> Totals {
        self.body.totals()
    }

    pub fn is_draft(&self) -> bool {
        self.status == Status::Draft
    }

    /// Credit still to apply or refund.
    pub fn remaining(&self) -> Decimal {
        if matches!(self.status, Status::Draft | Status::Void) {
            return Decimal::ZERO;
        }
        self.totals().total - self.applied - self.refunded
    }
}

/// Which of a customer's credit notes a list or zip shows.
pub type CreditNoteFilter = DocumentFilter<Status>;

/// A line of the customer's Credit notes tab.
#[derive(Clone, Debug, Serialize)]
pub struct CreditNoteRow {
    pub id: CreditNoteId,
    pub number: Option<String>,
    pub status: Status,
    pub date: NaiveDate,
    pub currency: String,
    pub total_minor: i64,
    pub remaining_minor: i64,
    pub cancellation: bool,
}

/// A draft as sent by a form or the API: an invoice's fields plus the
/// invoice it corrects.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct CreditNoteInput {
    /// On creation: the customer credited.
    #[schema(example = 1)]
    pub customer_id: Option<i64>,
    /// Read from the same object as the rest (`ApiJsonPair`).
    #[serde(skip)]
    pub body: BodyInput,
    /// The customer's invoice it corrects.
    pub invoice_id: Option<i64>,
}

/// Credit applied to one invoice.
#[derive(Clone, Debug)]
pub struct Application {
    pub id: i64,
    pub credit_note_id: CreditNoteId,
    pub invoice_id: InvoiceId,
    pub invoice_number: String,
    pub credit_note_number: String,
    pub amount: Decimal,
    pub date: NaiveDate,
}

/// Money paid back to the customer out of the credit.
#[derive(Clone, Debug)]
pub struct Refund {
    pub id: i64,
    pub amount: Decimal,
    pub date: NaiveDate,
    pub payment_mode: Option<PaymentModeId>,
    pub note: String,
}

/// An amount with a date, as applying credit and refunding take them.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct AmountInput {
    /// To apply credit: the customer's open invoice.
    pub invoice_id: Option<i64>,
    /// More than zero; at most the credit left (and what the invoice owes).
    #[serde(default)]
    #[schema(schema_with = positive_amount)]
    pub amount: String,
    /// Today when empty.
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::date_or_empty)]
    pub date: String,
    /// For a refund: an active payment mode's id or key.
    pub payment_mode: Option<ModeRef>,
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::text::<2000>)]
    pub note: String,
}

fn positive_amount() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::decimal().pattern(Some(r"^0*[1-9][0-9]{0,11}(\.[0-9]{1,2})?$"))
}

pub struct CheckedAmount {
    pub amount: Decimal,
    pub date: NaiveDate,
    pub note: String,
}

impl AmountInput {
    /// A positive amount in the currency's minor unit and a date (today
    /// when none is given).
    pub fn check(&self, digits: u32, today: NaiveDate) -> Result<CheckedAmount, FieldErrors> {
        let mut e = FieldErrors::new();
        let amount = money::parse_decimal(&self.amount)
            .filter(|a| *a > Decimal::ZERO && a.normalize().scale() <= digits);
        if amount.is_none() {
            e.add("amount", "error-payment-amount");
        }
        let date = if self.date.trim().is_empty() {
            Some(today)
        } else {
            types::date(&mut e, "date", &self.date)
        };
        let note = types::multiline(&mut e, "note", &self.note, false, 2000);
        match (amount, date) {
            (Some(amount), Some(date)) if e.is_empty() => Ok(CheckedAmount { amount, date, note }),
            _ => Err(e),
        }
    }
}

/// Credit applied to one invoice.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ApplicationJson {
    invoice_id: InvoiceId,
    invoice_number: String,
    amount: String,
    date: NaiveDate,
}

/// A credit note as the API shows it; money in its `currency`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct CreditNoteJson {
    id: CreditNoteId,
    number: Option<String>,
    customer_id: CustomerId,
    status: Status,
    invoice_id: Option<InvoiceId>,
    cancellation: bool,
    #[serde(flatten)]
    body: BodyJson,
    amount_applied: String,
    amount_refunded: String,
    remaining: String,
    applications: Vec<ApplicationJson>,
    issued_at: Option<DateTime<Utc>>,
}

impl CreditNoteJson {
    pub fn new(n: &CreditNote, applications: Vec<Application>) -> Self {
        let digits = money::minor_digits(&n.body.currency);
        let m = |v| money::to_api(v, digits);
        Self {
            id: n.id,
            number: n.number.clone(),
            customer_id: n.customer_id,
            status: n.status,
            invoice_id: n.invoice_id,
            cancellation: n.cancellation,
            body: BodyJson::from(&n.body),
            amount_applied: m(n.applied),
            amount_refunded: m(n.refunded),
            remaining: m(n.remaining()),
            applications: applications
                .into_iter()
                .map(|a| ApplicationJson {
                    invoice_id: a.invoice_id,
                    invoice_number: a.invoice_number,
                    amount: m(a.amount),
                    date: a.date,
                })
                .collect(),
            issued_at: n.issued_at,
        }
    }
}
