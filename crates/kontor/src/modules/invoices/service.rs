//! Use cases of invoices. Drafts change freely; issuing takes the next
//! number of the invoice series in the same transaction that marks the
//! invoice issued, so numbers have no gaps and no twins even when two tabs
//! or two instances issue at once. Issued invoices are never edited,
//! deleted or renumbered.

use kernel::clock::Clock;
use kernel::{AppError, AppResult, i18n::Locale};
use sea_orm::{ConnectionTrait, DatabaseConnection};

use super::{
    model::{Invoice, InvoiceFilter, InvoiceId, InvoiceInput, InvoiceRow, Recurrence, Status},
    repo,
};
use crate::modules::{FigureShown, FigureValue};
use crate::{
    common::{
        documents::{
            flow::{self, Core},
            kind::DocumentKind,
            store::{self, Among, Extra, Head},
            typed::{self, DocumentType, SheetParts},
        },
        entity_ref::EntityRef,
        filter::CustomerSet,
    },
    modules::{
        activity::{model::Author, service as activity},
        billing::service::DocumentServices,
        contacts::model::Contact,
        customers::{model::CustomerId, service as customers},
    },
    policy::{self, Action, Area, StaffActor},
};

/// The area of the role grid for invoices and their payments.
pub const AREA: Area = Area {
    key: "invoices",
    actions: policy::RECORD_ACTIONS,
    order: 20,
};

/// Invoices as the document core keeps them.
pub const KIND: DocumentKind = crate::document_kind! {
    key: "invoice",
    path: "invoices",
    area: AREA,
    issued_status: "unpaid",
    due_column: Some("due_date"),
    sales_agent: true,
    void_status: "cancelled",
};

fn core(db: &DatabaseConnection) -> Core<'_, DocumentServices> {
    typed::core::<Invoices>(db)
}

/// Invoices as the document core handles them whole.
pub struct Invoices;

impl DocumentType for Invoices {
    const KIND: &'static DocumentKind = &KIND;
    type Doc = Invoice;
    type Status = Status;
    type Svc = DocumentServices;
    const SVC: &'static DocumentServices = &DocumentServices;

    async fn get(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<Invoice> {
        get(db, actor, InvoiceId(id)).await
    }

    type Fields = InvoiceInput;

    async fn new_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        _: CustomerId,
        input: &InvoiceInput,
    ) -> AppResult<Extra> {
        let recurrence = Recurrence::parse(input, None).map(repo::recurrence_columns);
        recurrence.map_err(AppError::Validation)
    }

    async fn changed_columns(
        _: &DatabaseConnection,
        _: &StaffActor,
        current: &Invoice,
        input: &InvoiceInput,
    ) -> AppResult<Extra> {
        let recurrence = Recurrence::parse(input, current.recurrence);
        recurrence
            .map(repo::recurrence_columns)
            .map_err(AppError::Validation)
    }

    fn head(doc: &Invoice) -> Head {
        doc.head()
    }

    fn sheet(i: &Invoice) -> SheetParts {
        SheetParts {
            title_key: "pdf-invoice-title",
            number_key: "pdf-invoice-number",
            date_key: "pdf-invoice-date",
            due_date: i.due_date,
            to_pay: Some(i.amount_due()),
            refers_to: None,
            intro_key: None,
        }
    }

    fn mail_fields(i: &Invoice, l: Locale) -> Vec<(&'static str, String)> {
        vec![
            ("amount_due", l.format_amount(i.amount_due(), &i.currency)),
            (
                "due_date",
                i.due_date.map(|d| l.format_date(d)).unwrap_or_default(),
            ),
        ]
    }

    fn issued_columns(i: &Invoice) -> Extra {
        issued_columns(i)
    }
}

pub fn entity(id: InvoiceId) -> EntityRef {
    flow::entity(&KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    flow::may(&KIND, actor, action)
}

/// The customer's invoices the actor may see that pass the filter.
pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &InvoiceFilter,
) -> AppResult<Vec<InvoiceRow>> {
    let rows = core(db).list(actor, customer, filter).await?;
    Ok(rows.into_iter().map(|(l, _)| l.into()).collect())
}

pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: InvoiceId) -> AppResult<Invoice> {
    let invoice = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    core(db).visible(actor, &invoice.head()).await?;
    Ok(invoice)
}

/// What issuing sets besides the number: a recurring invoice's first copy.
fn issued_columns(draft: &Invoice) -> Extra {
    match draft.recurrence {
        Some(r) => vec![(
            "recurring_next",
            r.after(draft.date)
                .map(|d| d.format("%Y-%m-%d").to_string())
                .into(),
        )],
        None => Vec::new(),
    }
}

/// Gives the draft the next number of the series and marks it issued,
/// inside the caller's transaction.
pub(super) async fn take_number(
    txn: &impl ConnectionTrait,
    draft: &Invoice,
    clock: &Clock,
) -> AppResult<String> {
    flow::take_number(
        txn,
        &KIND,
        draft.id.0,
        draft.date,
        issued_columns(draft),
        clock,
    )
    .await
}

/// A new draft with the invoice's lines, dated today with the same payment
/// term, for the same customer (not recurring, not issued).
pub async fn copy(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: InvoiceId,
    today: chrono::NaiveDate,
    clock: &Clock,
) -> AppResult<InvoiceId> {
    let source = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Create)?;
    customers::get(db, actor, source.customer_id).await?;
    let mut data = source.data();
    data.date = today;
    data.due_date = source.due_date.map(|d| today + (d - source.date));
    let txn = kernel::db::begin_write(db).await?;
    let copy = repo::insert(&txn, source.customer_id, &data, None, actor.id, clock.now()).await?;
    activity::record(
        &txn,
        entity(copy),
        Some(source.customer_id.0),
        &Author::staff(actor),
        "created",
        &format!("← {}", source.number.as_deref().unwrap_or_default()),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(copy)
}

/// Stops a recurring invoice: no further copies.
pub async fn stop_recurring(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: InvoiceId,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    let txn = kernel::db::begin_write(db).await?;
    repo::set_recurring_next(&txn, id, None, clock.now()).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "recurring_stopped",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets what has been paid on an issued invoice (the sum of its payments,
/// in minor units) and the status that follows. Runs inside the
/// transaction that changes the payments.
pub async fn record_paid(
    db: &impl ConnectionTrait,
    invoice: &Invoice,
    paid: i64,
    clock: &Clock,
) -> AppResult<()> {
    let digits = kernel::money::minor_digits(&invoice.currency);
    let status = Status::of_payment(
        kernel::money::from_minor(paid, digits) + invoice.amount_credited,
        invoice.totals().total,
    );
    repo::set_paid(db, invoice.id, paid, status, clock.now()).await?;
    Ok(())
}

/// Sets the credit applied to an issued invoice (minor units) and the
/// status that follows; inside the transaction that applies the credit,
/// with the invoice read through [`for_payment`].
pub async fn record_credited(
    db: &impl ConnectionTrait,
    invoice: &Invoice,
    credited: i64,
    cancelled: bool,
    clock: &Clock,
) -> AppResult<()> {
    let digits = kernel::money::minor_digits(&invoice.currency);
    let status = if cancelled {
        Status::Cancelled
    } else {
        Status::of_payment(
            invoice.amount_paid + kernel::money::from_minor(credited, digits),
            invoice.totals().total,
        )
    };
    repo::set_credited(db, invoice.id, credited, status, clock.now()).await?;
    Ok(())
}

/// The invoice with the row locked for a payment change (PostgreSQL), read
/// inside the caller's transaction.
pub async fn for_payment(db: &impl ConnectionTrait, id: InvoiceId) -> AppResult<Invoice> {
    store::lock(db, &KIND, id.0).await?;
    repo::find(db, id).await?.ok_or(AppError::NotFound)
}

/// The customer's open and overdue amounts, for the overview header; only
/// for staff who see all invoices (sums over invoices one may not see
/// would tell about them).
pub async fn open_amounts(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    customer: CustomerId,
    today: chrono::NaiveDate,
) -> AppResult<Option<(i64, i64)>> {
    if !may(actor, Action::View) {
        return Ok(None);
    }
    Ok(Some(
        repo::open_amounts(db, customer, &today.format("%Y-%m-%d").to_string()).await?,
    ))
}

/// The overview figures: what the customer still owes, and how much of it
/// is overdue.
pub async fn figures(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    today: chrono::NaiveDate,
) -> AppResult<Vec<FigureShown>> {
    Ok(match open_amounts(db, actor, customer, today).await? {
        Some((open, overdue)) => vec![
            FigureShown {
                id: "figure-outstanding",
                label_key: "figure-outstanding",
                value: FigureValue::Minor(open),
            },
            FigureShown {
                id: "figure-overdue",
                label_key: "figure-overdue",
                value: FigureValue::Minor(overdue),
            },
        ],
        None => Vec::new(),
    })
}

/// The issued invoices of a portal contact's customer (the portal checks
/// the contact's invoices permission).
pub async fn of_contact(db: &DatabaseConnection, contact: &Contact) -> AppResult<Vec<InvoiceRow>> {
    let among = Among {
        customers: &CustomerSet::One(contact.customer_id.0),
        filter: &InvoiceFilter::default(),
        own: None,
    };
    Ok(store::list(db, &KIND, &among, None)
        .await?
        .into_iter()
        .map(|(l, _)| InvoiceRow::from(l))
        .filter(|r| r.status != Status::Draft)
        .collect())
}

/// One issued invoice of the contact's customer; 404 for drafts and for
/// other customers' invoices.
pub async fn get_for_contact(
    db: &DatabaseConnection,
    contact: &Contact,
    id: InvoiceId,
) -> AppResult<Invoice> {
    match repo::find(db, id).await? {
        Some(i) if i.customer_id == contact.customer_id && !i.is_draft() => Ok(i),
        _ => Err(AppError::NotFound),
    }
}

/// An invoice a document refers to, for someone already allowed to see
/// that document (a payment's receipt).
pub async fn find_for_document(db: &impl ConnectionTrait, id: InvoiceId) -> AppResult<Invoice> {
    repo::find(db, id).await?.ok_or(AppError::NotFound)
}
