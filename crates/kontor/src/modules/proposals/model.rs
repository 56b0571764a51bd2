//! Proposals: a subject and markdown content with optional item lines,
//! numbered when first sent, read and answered by the customer on a
//! secret link or in the portal, commented on by both sides, converted
//! once each to an estimate and to an invoice.

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
    modules::{estimates::model::EstimateId, invoices::model::InvoiceId},
};

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct ProposalId(pub i64);

crate::document_statuses! {
    #[schema(as = ProposalStatus)]
    pub enum Status, labels "proposal-status-" {
        Draft = "draft", "bg-secondary",
        /// Numbered and sent (or marked sent); the customer may answer.
        Sent = "sent", "bg-info text-dark",
        /// Read by the customer on its link, not answered yet.
        Open = "open", "bg-primary",
        /// Replaced by a revision (a new draft made of it).
        Revised = "revised", "bg-light text-dark border",
        Declined = "declined", "bg-danger",
        Accepted = "accepted", "bg-success",
        /// Past its open-till date without an answer.
        Expired = "expired", "bg-warning text-dark",
    }
}

/// A document made of a proposal: its id and number (none while a draft).
pub type Made<Id> = Option<(Id, Option<String>)>;

#[derive(Clone, Debug)]
pub struct Proposal {
    pub id: ProposalId,
    pub number: Option<String>,
    pub customer_id: CustomerId,
    pub status: Status,
    pub subject: String,
    /// Markdown, rendered sanitised wherever it is shown.
    pub content: String,
    pub body: DocumentBody,
    pub created_by: StaffId,
    pub issued_at: Option<DateTime<Utc>>,
    pub sent_at: Option<DateTime<Utc>>,
    pub public_token: String,
    pub accepted: Option<Acceptance>,
    pub declined_at: Option<DateTime<Utc>>,
    pub decline_reason: String,
    pub estimate: Made<EstimateId>,
    pub invoice: Made<InvoiceId>,
}

impl Proposal {
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

    pub fn open_till(&self) -> Option<NaiveDate> {
        self.body.due_date
    }

    /// The content as safe HTML.
    pub fn content_html(&self) -> String {
        kernel::markdown::render(&self.content)
    }
}

/// A line of the customer's Proposals tab.
#[derive(Clone, Debug, Serialize)]
pub struct ProposalRow {
    pub id: ProposalId,
    pub number: Option<String>,
    pub subject: String,
    pub status: Status,
    pub date: NaiveDate,
    pub open_till: Option<NaiveDate>,
    pub currency: String,
    pub total_minor: i64,
}

/// A proposal's own fields as sent by a form or the API.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct ProposalInput {
    /// On creation: the customer the proposal is for.
    #[schema(example = 1)]
    pub customer_id: Option<i64>,
    /// Required on creation; at most 200 characters.
    #[schema(schema_with = crate::api::schema::line::<200>)]
    pub subject: Option<String>,
    /// Markdown (headings, lists, bold, tables); HTML in it is removed.
    #[schema(schema_with = crate::api::schema::text::<100000>)]
    pub content: Option<String>,
    /// Not before `date`. Absent or empty on creation: `date` plus the
    /// days set in Settings > Proposals; empty on a change clears it.
    #[schema(schema_with = crate::api::schema::date_or_empty)]
    pub open_till: Option<String>,
}

/// What a proposal is converted to.
#[derive(Clone, Copy, Debug, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Target {
    Estimate,
    Invoice,
}

/// What to convert to: `estimate` or `invoice`.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct ConvertInput {
    #[serde(default)]
    #[schema(value_type = Target)]
    pub to: String,
}

impl ConvertInput {
    pub fn target(&self) -> Result<Target, kernel::FieldErrors> {
        match self.to.as_str() {
            "estimate" => Ok(Target::Estimate),
            "invoice" => Ok(Target::Invoice),
            _ => {
                let mut e = kernel::FieldErrors::new();
                e.add("to", "error-convert-target");
                Err(e)
            }
        }
    }
}

/// The document a conversion made.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Converted {
    pub estimate_id: Option<EstimateId>,
    pub invoice_id: Option<InvoiceId>,
}

/// A comment on a proposal, by staff or by the customer.
#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
#[schema(as = ProposalComment)]
pub struct Comment {
    pub id: i64,
    /// `staff`, `contact` (in the portal) or `public` (on the link).
    pub author_kind: String,
    pub author_name: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

impl Comment {
    pub fn by_staff(&self) -> bool {
        self.author_kind == "staff"
    }
}

/// A new comment as the API sends it.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommentInput {
    #[serde(default)]
    #[schema(schema_with = crate::api::schema::text::<5000>)]
    pub body: String,
}

/// A proposal as the API shows it; money in its `currency`.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ProposalJson {
    id: ProposalId,
    number: Option<String>,
    customer_id: CustomerId,
    status: Status,
    subject: String,
    content: String,
    open_till: Option<NaiveDate>,
    #[serde(flatten)]
    body: BodyJson,
    /// The staff member it is assigned to.
    sales_agent_id: Option<i64>,
    created_by: i64,
    issued_at: Option<DateTime<Utc>>,
    sent_at: Option<DateTime<Utc>>,
    /// The secret link the customer reads and answers it at; once sent.
    public_url: Option<String>,
    accepted_by: Option<Acceptance>,
    declined_at: Option<DateTime<Utc>>,
    decline_reason: Option<String>,
    estimate_id: Option<EstimateId>,
    invoice_id: Option<InvoiceId>,
}

impl ProposalJson {
    pub fn new(p: &Proposal, base_url: &str) -> Self {
        Self {
            id: p.id,
            number: p.number.clone(),
            customer_id: p.customer_id,
            status: p.status,
            subject: p.subject.clone(),
            content: p.content.clone(),
            open_till: p.open_till(),
            body: BodyJson::from(&p.body),
            sales_agent_id: p.body.sales_agent_id.map(|s| s.0),
            created_by: p.created_by.0,
            issued_at: p.issued_at,
            sent_at: p.sent_at,
            public_url: (p.status != Status::Draft).then(|| p.public_url(base_url)),
            accepted_by: p.accepted.clone(),
            declined_at: p.declined_at,
            decline_reason: p.declined_at.map(|_| p.decline_reason.clone()),
            estimate_id: p.estimate.as_ref().map(|(id, _)| *id),
            invoice_id: p.invoice.as_ref().map(|(id, _)| *id),
        }
    }
}

/// A list row in the API.
#[derive(Serialize, utoipa::ToSchema)]
#[schema(as = ProposalListRow)]
pub struct ProposalRowJson {
    id: ProposalId,
    number: Option<String>,
    subject: String,
    status: Status,
    date: NaiveDate,
    open_till: Option<NaiveDate>,
    currency: String,
    total: String,
}

impl From<ProposalRow> for ProposalRowJson {
    fn from(r: ProposalRow) -> Self {
        let digits = money::minor_digits(&r.currency);
        Self {
            total: money::to_api(money::from_minor(r.total_minor, digits), digits),
            id: r.id,
            number: r.number,
            subject: r.subject,
            status: r.status,
            date: r.date,
            open_till: r.open_till,
            currency: r.currency,
        }
    }
}
