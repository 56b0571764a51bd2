//! Estimates: the body of an invoice with an expiry date, numbered when
//! first sent, answered by the customer on a secret link or in the portal,
//! and converted to an invoice once.

use chrono::{DateTime, NaiveDate, Utc};
use kernel::money;
use serde::{Deserialize, Serialize};

use crate::{
    common::{
        documents::{
            accept::{self, Acceptance},
            body::DocumentBody,
            json::BodyJson,
            store::Head,
        },
        ids::{CustomerId, StaffId},
        totals::Totals,
    },
    modules::invoices::model::InvoiceId,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct EstimateId(pub i64);

crate::document_statuses! {
    #[schema(as = EstimateStatus)]
    pub enum Status, labels "estimate-status-" {
        Draft = "draft", "bg-secondary",
        /// Numbered and sent (or marked sent); the customer may answer.
        Sent = "sent", "bg-info text-dark",
        Accepted = "accepted", "bg-success",
        Declined = "declined", "bg-danger",
        /// Past its expiry date without an answer.
        Expired = "expired", "bg-warning text-dark",
    }
}

#[derive(Clone, Debug)]
pub struct Estimate {
    pub id: EstimateId,
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub status: Status,
    pub body: DocumentBody,
    pub created_by: StaffId,
    pub issued_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    /// The secret of its public link (see [`Estimate::public_url`]).
    pub public_token: String,
    pub accepted: Option<Acceptance>,
    pub declined_at: Option<DateTime<Utc>>,
    pub decline_reason: String,
    /// The invoice it was converted to, with its number (none while a draft).
    pub invoice: Option<(InvoiceId, Option<String>)>,
}

impl Estimate {
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

    /// Where the customer reads and answers it, under `base_url`.
    pub fn public_url(&self, base_url: &str) -> String {
        accept::public_url(base_url, &super::service::KIND, &self.public_token)
    }

    pub fn expiry_date(&self) -> Option<NaiveDate> {
        self.body.due_date
    }
}

/// A line of the customer's Estimates tab.
#[derive(Clone, Debug, Serialize)]
pub struct EstimateRow {
    pub id: EstimateId,
    pub number: Option<String>,
    pub status: Status,
    pub date: NaiveDate,
    pub expiry_date: Option<NaiveDate>,
    pub currency: String,
    pub total_minor: i64,
    pub invoice_id: Option<InvoiceId>,
}

/// An estimate's own fields as sent by a form or the API.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct EstimateInput {
    /// On creation: the customer the estimate is for.
    #[schema(example = 1)]
    pub customer_id: Option<i64>,
    /// Not before `date`. Absent or empty on creation: `date` plus the
    /// days set in Settings > Estimates; empty on a change clears it (the
    /// estimate then does not expire).
    #[schema(schema_with = crate::api::schema::date_or_empty)]
    pub expiry_date: Option<String>,
}

/// What a conversion answers.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Converted {
    pub invoice_id: InvoiceId,
}

/// An estimate as the API shows it; money in its `currency`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct EstimateJson {
    id: EstimateId,
    number: Option<String>,
    customer_id: CustomerId,
    status: Status,
    expiry_date: Option<NaiveDate>,
    #[serde(flatten)]
    body: BodyJson,
    sales_agent_id: Option<i64>,
    created_by: i64,
    issued_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    /// The secret link the customer answers at; only once sent.
    public_url: Option<String>,
    accepted_by: Option<Acceptance>,
    declined_at: Option<DateTime<Utc>>,
    decline_reason: Option<String>,
    /// The invoice it was converted to.
    invoice_id: Option<InvoiceId>,
}

impl EstimateJson {
    pub fn new(e: &Estimate, base_url: &str) -> Self {
        Self {
            id: e.id,
            number: e.number.clone(),
            customer_id: e.customer_id,
            status: e.status,
            expiry_date: e.expiry_date(),
            body: BodyJson::from(&e.body),
            sales_agent_id: e.body.sales_agent_id.map(|s| s.0),
            created_by: e.created_by.0,
            issued_at: e.issued_at,
            sent_at: e.sent_at,
            public_url: (e.status != Status::Draft).then(|| e.public_url(base_url)),
            accepted_by: e.accepted.clone(),
            declined_at: e.declined_at,
            decline_reason: e.declined_at.map(|_| e.decline_reason.clone()),
            invoice_id: e.invoice.as_ref().map(|(id, _)| *id),
        }
    }
}

/// A list row in the API.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = EstimateListRow)]
pub struct EstimateRowJson {
    id: EstimateId,
    number: Option<String>,
    status: Status,
    date: NaiveDate,
    expiry_date: Option<NaiveDate>,
    currency: String,
    total: String,
    invoice_id: Option<InvoiceId>,
}

impl From<EstimateRow> for EstimateRowJson {
    fn from(r: EstimateRow) -> Self {
        let digits = money::minor_digits(&r.currency);
        Self {
            total: money::to_api(money::from_minor(r.total_minor, digits), digits),
            id: r.id,
            number: r.number,
            status: r.status,
            date: r.date,
            expiry_date: r.expiry_date,
            currency: r.currency,
            invoice_id: r.invoice_id,
        }
    }
}
