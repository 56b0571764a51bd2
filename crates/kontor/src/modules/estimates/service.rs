//! Use cases of estimates. A draft changes freely; sending it (or marking
//! it sent) takes the next number of the estimate series. A sent estimate
//! is never edited: "copy" makes a new draft of it. The customer answers
//! it through the kit's answered documents (`documents::answer`); an
//! estimate becomes an invoice once, on acceptance when set.

use chrono::NaiveDate;
use kernel::{AppError, AppResult, clock::Clock, i18n::Locale};
use sea_orm::{DatabaseConnection, QueryResult};

use super::{
    model::{Estimate, EstimateId, EstimateInput, EstimateRow, Status},
    repo,
};
use crate::{
    common::{
        documents::{
            accept, answer,
            body::BodyInput,
            flow::{self, Core},
            kind::DocumentKind,
            store::{self, Extra, Head, Listed},
            typed::{self, DocumentType, SheetParts},
        },
        entity_ref::EntityRef,
    },
    modules::{
        FigureShown, FigureValue,
        activity::{model::Author, service as activity},
        billing::service::DocumentServices,
        customers::model::CustomerId,
        invoices::{model::InvoiceId, service as invoices},
    },
    policy::{self, Action, Area, StaffActor},
    state::AppState,
};

/// The area of the role grid for estimates.
pub const AREA: Area = Area {
    key: "estimates",
    actions: policy::RECORD_ACTIONS,
    order: 35,
};

/// Estimates as the document core keeps them.
pub const KIND: DocumentKind = crate::document_kind! {
    key: "estimate",
    path: "estimates",
    area: AREA,
    issued_status: "sent",
    due_column: Some("expiry_date"),
    sales_agent: true,
    void_status: "declined",
    issue_on_send: true,
    due_label: "field-expiry-date",
};

fn core(db: &DatabaseConnection) -> Core<'_, DocumentServices> {
    typed::core::<Estimates>(db)
}

/// Estimates as the document core handles them whole.
pub struct Estimates;

impl DocumentType for Estimates {
    const KIND: &'static DocumentKind = &KIND;
    type Doc = Estimate;
    type Status = Status;
    type Svc = DocumentServices;
    const SVC: &'static DocumentServices = &DocumentServices;

    async fn get(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<Estimate> {
        get(db, actor, EstimateId(id)).await
    }

    type Fields = EstimateInput;

    /// A new estimate gets its secret link now, so that it never changes.
    async fn new_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: CustomerId,
        _: &EstimateInput,
    ) -> AppResult<Extra> {
        Ok(accept::token_columns())
    }

    async fn changed_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: &Estimate,
        _: &EstimateInput,
    ) -> AppResult<Extra> {
        Ok(Vec::new())
    }

    /// `expiry_date` is the body's due date; a new estimate without one
    /// expires the configured days after its date.
    async fn complete(
        db: &DatabaseConnection,
        fields: &EstimateInput,
        mut body: BodyInput,
        new: Option<NaiveDate>,
    ) -> AppResult<BodyInput> {
        if let Some(expiry) = &fields.expiry_date {
            body.due_date = Some(expiry.clone());
        }
        let unset = body.due_date.as_deref().is_none_or(|d| d.trim().is_empty());
        if let Some(today) = new
            && unset
        {
            body.due_date =
                answer::default_date::<Estimates>(db, body.date.as_deref(), today).await?;
        }
        Ok(body)
    }

    fn head(doc: &Estimate) -> Head {
        doc.head()
    }

    /// Titled Angebot, with the date it is valid until.
    fn sheet(e: &Estimate) -> SheetParts {
        SheetParts {
            title_key: "pdf-estimate-title",
            number_key: "pdf-estimate-number",
            date_key: "pdf-estimate-date",
            due_date: e.expiry_date(),
            to_pay: None,
            refers_to: None,
            intro_key: None,
        }
    }

    fn mail_fields(e: &Estimate, l: Locale) -> Vec<(&'static str, String)> {
        vec![
            (
                "amount",
                l.format_amount(e.totals().total, &e.body.currency),
            ),
            (
                "expiry_date",
                e.expiry_date()
                    .map(|d| l.format_date(d))
                    .unwrap_or_default(),
            ),
        ]
    }

    fn public_link(e: &Estimate, base_url: &str) -> Option<String> {
        Some(e.public_url(base_url))
    }
}

pub fn entity(id: EstimateId) -> EntityRef {
    flow::entity(&KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    flow::may(&KIND, actor, action)
}

/// A line of the list from the document core's.
pub fn row(listed: Listed, row: &QueryResult) -> AppResult<EstimateRow> {
    Ok(repo::to_row(listed, row)?)
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: EstimateId,
) -> AppResult<Estimate> {
    let estimate = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    core(db).visible(actor, &estimate.head()).await?;
    Ok(estimate)
}

/// Makes a draft invoice of the estimate, once: the same lines, discount,
/// adjustment, notes and terms, dated today; the estimate links to it and
/// the invoice back.
pub async fn convert(state: &AppState, actor: &StaffActor, id: EstimateId) -> AppResult<InvoiceId> {
    get(&state.db, actor, id).await?;
    if !may(actor, Action::Edit) || !invoices::may(actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    convert_as(state, id, Some(actor)).await
}

pub(super) async fn convert_as(
    state: &AppState,
    id: EstimateId,
    actor: Option<&StaffActor>,
) -> AppResult<InvoiceId> {
    let clock = &state.clock;
    let txn = kernel::db::begin_write(&state.db).await?;
    store::lock(&txn, &KIND, id.0).await?;
    let e = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if e.invoice.is_some() {
        return Err(AppError::Conflict("error-estimate-converted".into()));
    }
    if !matches!(e.status, Status::Sent | Status::Accepted) {
        return Err(AppError::Conflict("error-estimate-not-convertible".into()));
    }
    let mut body = e.body.clone();
    body.date = clock.today();
    body.due_date = None;
    let by = actor.map_or(e.created_by, |a| a.id);
    let source = store::source_columns(&KIND, id.0);
    let invoice = InvoiceId(
        store::insert(
            &txn,
            &invoices::KIND,
            e.customer_id,
            &body,
            by,
            source,
            clock.now(),
        )
        .await?,
    );
    if repo::set_invoice(&txn, id, invoice, clock.now()).await? == 0 {
        return Err(AppError::Conflict("error-estimate-converted".into()));
    }
    let author = actor.map_or_else(Author::system, Author::staff);
    let customer = Some(e.customer_id.0);
    let number = e.number.clone().unwrap_or_default();
    activity::record(
        &txn,
        entity(id),
        customer,
        &author,
        "converted",
        &format!("#{}", invoice.0),
        None,
        clock,
    )
    .await?;
    activity::record(
        &txn,
        invoices::entity(invoice),
        customer,
        &author,
        "created",
        &format!("← {number}"),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(invoice)
}

/// A new draft with the estimate's lines, dated today, for the same
/// customer: how a sent estimate is revised (it is never edited).
pub async fn copy(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: EstimateId,
    clock: &Clock,
) -> AppResult<EstimateId> {
    let source = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Create)?;
    let mut body = source.body.clone();
    let today = clock.today();
    body.due_date = source.expiry_date().map(|d| today + (d - body.date));
    body.date = today;
    let txn = kernel::db::begin_write(db).await?;
    let copy = EstimateId(
        store::insert(
            &txn,
            &KIND,
            source.customer_id,
            &body,
            actor.id,
            accept::token_columns(),
            clock.now(),
        )
        .await?,
    );
    let detail = format!("← {}", source.number.as_deref().unwrap_or_default());
    activity::record(
        &txn,
        entity(copy),
        Some(source.customer_id.0),
        &Author::staff(actor),
        "created",
        &detail,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(copy)
}

/// The overview figure: what the customer's open estimates are worth, for
/// staff who may see estimates (their own with "view own").
pub async fn figures(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    _today: NaiveDate,
) -> AppResult<Vec<FigureShown>> {
    if !policy::may_see_some(actor, AREA) {
        return Ok(Vec::new());
    }
    let own = (!may(actor, Action::View)).then_some(actor.id.0);
    let total = repo::open_total(db, customer.0, own).await?;
    Ok(vec![FigureShown {
        id: "figure-estimates",
        label_key: "estimates-open",
        value: FigureValue::Minor(total),
    }])
}
