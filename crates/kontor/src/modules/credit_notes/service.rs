//! Use cases of credit notes. Drafts change freely; issuing takes the next
//! number of the credit note series in the issuing transaction. Credit is
//! used by applying it to open invoices of the same customer or refunding
//! it, each under the note's row lock so it is never used twice. Cancelling
//! an invoice issues a Stornorechnung for its whole amount.

use chrono::NaiveDate;
use kernel::clock::Clock;
use kernel::{AppError, AppResult, i18n::Locale, money};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult};

/// What [`json`] answers, for the operations of other modules that answer
/// with a credit note (cancelling an invoice).
pub use super::model::CreditNoteJson;
use super::{
    model::{
        AmountInput, Application, CreditNote, CreditNoteFilter, CreditNoteId, CreditNoteInput,
        CreditNoteRow, Refund, Status,
    },
    repo,
};
use crate::modules::{FigureShown, FigureValue};
use crate::{
    common::{
        documents::{
            flow::{self, Core},
            kind::DocumentKind,
            store::{self, Among, Extra, Head, Listed},
            typed::{self, DocumentType, SheetParts},
        },
        entity_ref::EntityRef,
        filter::CustomerSet,
    },
    modules::{
        activity::{model::Author, service as activity},
        billing::service::{self as billing, DocumentServices},
        contacts::model::Contact,
        customers::model::CustomerId,
        invoices::{
            model::{InvoiceId, Status as InvoiceStatus},
            service as invoices,
        },
    },
    policy::{self, Action, Area, StaffActor},
    state::AppState,
};

/// The area of the role grid for credit notes.
pub const AREA: Area = Area {
    key: "credit_notes",
    actions: policy::RECORD_ACTIONS,
    order: 30,
};

/// Credit notes as the document core keeps them.
pub const KIND: DocumentKind = crate::document_kind! {
    key: "credit_note",
    path: "credit-notes",
    area: AREA,
    issued_status: "open",
    due_column: None,
    sales_agent: false,
    void_status: "void",
};

fn core(db: &DatabaseConnection) -> Core<'_, DocumentServices> {
    typed::core::<CreditNotes>(db)
}

/// Credit notes as the document core handles them whole.
pub struct CreditNotes;

impl DocumentType for CreditNotes {
    const KIND: &'static DocumentKind = &KIND;
    type Doc = CreditNote;
    type Status = Status;
    type Svc = DocumentServices;
    const SVC: &'static DocumentServices = &DocumentServices;

    async fn get(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<CreditNote> {
        get(db, actor, CreditNoteId(id)).await
    }

    type Fields = CreditNoteInput;

    async fn new_columns(
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
        input: &CreditNoteInput,
    ) -> AppResult<Extra> {
        let invoice = referenced_invoice(db, actor, customer, input.invoice_id).await?;
        let mut columns = repo::invoice_column(invoice);
        columns.push(("cancellation", false.into()));
        Ok(columns)
    }

    /// The invoice it refers to stays unless another is named.
    async fn changed_columns(
        db: &DatabaseConnection,
        actor: &StaffActor,
        current: &CreditNote,
        input: &CreditNoteInput,
    ) -> AppResult<Extra> {
        let invoice = match input.invoice_id {
            Some(_) => referenced_invoice(db, actor, current.customer_id, input.invoice_id).await?,
            None => current.invoice_id,
        };
        Ok(repo::invoice_column(invoice))
    }

    fn head(doc: &CreditNote) -> Head {
        doc.head()
    }

    /// Titled Rechnungskorrektur (Stornorechnung for a cancellation).
    fn sheet(note: &CreditNote) -> SheetParts {
        let (title_key, intro_key) = if note.cancellation {
            ("pdf-cancellation-title", Some("pdf-cancellation-intro"))
        } else {
            ("pdf-credit-note-title", None)
        };
        SheetParts {
            title_key,
            number_key: "pdf-credit-note-number",
            date_key: "pdf-credit-note-date",
            due_date: None,
            to_pay: None,
            refers_to: note
                .invoice_number
                .clone()
                .map(|n| ("pdf-refers-to-invoice", n)),
            intro_key,
        }
    }

    fn mail_fields(note: &CreditNote, l: Locale) -> Vec<(&'static str, String)> {
        vec![
            (
                "amount",
                l.format_amount(note.totals().total, &note.body.currency),
            ),
            ("invoice", note.invoice_number.clone().unwrap_or_default()),
        ]
    }
}

pub fn entity(id: CreditNoteId) -> EntityRef {
    flow::entity(&KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    flow::may(&KIND, actor, action)
}

/// A line of the list from the document core's.
pub fn row(listed: Listed, row: &QueryResult) -> AppResult<CreditNoteRow> {
    Ok(repo::to_row(listed, row)?)
}

fn rows(found: Vec<(Listed, QueryResult)>) -> AppResult<Vec<CreditNoteRow>> {
    Ok(found
        .into_iter()
        .map(|(l, row)| repo::to_row(l, &row))
        .collect::<Result<_, _>>()?)
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &CreditNoteFilter,
) -> AppResult<Vec<CreditNoteRow>> {
    rows(core(db).list(actor, customer, filter).await?)
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
) -> AppResult<CreditNote> {
    let note = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    core(db).visible(actor, &note.head()).await?;
    Ok(note)
}

/// The invoice a note refers to must be the same customer's, issued, and
/// visible to the actor.
async fn referenced_invoice(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    invoice: Option<i64>,
) -> AppResult<Option<InvoiceId>> {
    let Some(id) = invoice else { return Ok(None) };
    match invoices::get(db, actor, InvoiceId(id)).await {
        Ok(i) if i.customer_id == customer && !i.is_draft() => Ok(Some(i.id)),
        Ok(_) | Err(AppError::NotFound) => {
            Err(AppError::field("invoice_id", "error-credit-invoice"))
        }
        Err(e) => Err(e),
    }
}

fn minor(value: Decimal, currency: &str) -> AppResult<i64> {
    money::to_minor(value, money::minor_digits(currency))
        .ok_or_else(|| AppError::field("amount", "error-payment-amount"))
}

/// Sets what the note has used and the status that follows, with the
/// note read again under its lock.
async fn record_use(
    txn: &impl ConnectionTrait,
    note: &CreditNote,
    applied: Decimal,
    refunded: Decimal,
    clock: &Clock,
) -> AppResult<()> {
    let cur = &note.body.currency;
    let status = Status::of_remaining(note.totals().total - applied - refunded);
    repo::set_used(
        txn,
        note.id,
        minor(applied, cur)?,
        minor(refunded, cur)?,
        status,
        clock.now(),
    )
    .await?;
    Ok(())
}

/// Applies `amount` of the note's credit to an open invoice of the same
/// customer; never more than the credit left or the invoice's amount due.
pub async fn apply(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
    input: &AmountInput,
    clock: &Clock,
) -> AppResult<()> {
    let seen = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    let invoice_id = InvoiceId(
        input
            .invoice_id
            .ok_or_else(|| AppError::field("invoice_id", "error-required"))?,
    );
    // An invoice the actor cannot see is "not an invoice to choose"; other
    // failures stay what they are.
    let target = match invoices::get(db, actor, invoice_id).await {
        Err(AppError::NotFound) => {
            return Err(AppError::field("invoice_id", "error-credit-invoice"));
        }
        other => other?,
    };
    if target.customer_id != seen.customer_id {
        return Err(AppError::field("invoice_id", "error-credit-invoice"));
    }
    let digits = money::minor_digits(&seen.body.currency);
    let checked = input
        .check(digits, clock.today())
        .map_err(AppError::Validation)?;
    let txn = kernel::db::begin_write(db).await?;
    store::lock(&txn, &KIND, id.0).await?;
    let note = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    let invoice = invoices::for_payment(&txn, invoice_id).await?;
    if note.status != Status::Open {
        return Err(AppError::field("amount", "error-credit-not-open"));
    }
    if matches!(
        invoice.status,
        InvoiceStatus::Draft | InvoiceStatus::Cancelled
    ) || invoice.currency != note.body.currency
    {
        return Err(AppError::field("invoice_id", "error-credit-invoice"));
    }
    if checked.amount > note.remaining() {
        return Err(AppError::field("amount", "error-credit-exceeds-available"));
    }
    if checked.amount > invoice.amount_due() {
        return Err(AppError::field("amount", "error-credit-exceeds-due"));
    }
    let amount = minor(checked.amount, &note.body.currency)?;
    repo::insert_application(
        &txn,
        id,
        invoice_id,
        note.customer_id,
        amount,
        checked.date,
        actor.id,
        clock.now(),
    )
    .await?;
    record_use(
        &txn,
        &note,
        note.applied + checked.amount,
        note.refunded,
        clock,
    )
    .await?;
    let credited = repo::applied_to_invoice(&txn, invoice_id).await?;
    invoices::record_credited(&txn, &invoice, credited, false, clock).await?;
    activity::record(
        &txn,
        entity(id),
        Some(note.customer_id.0),
        &Author::staff(actor),
        "applied",
        &format!(
            "{} {} → {}",
            money::to_api(checked.amount, digits),
            note.body.currency,
            invoice.number.clone().unwrap_or_default()
        ),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Pays credit back to the customer; never more than is left.
pub async fn refund(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
    input: &AmountInput,
    clock: &Clock,
) -> AppResult<()> {
    let seen = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    let digits = money::minor_digits(&seen.body.currency);
    let checked = input
        .check(digits, clock.today())
        .map_err(AppError::Validation)?;
    let mode = match &input.payment_mode {
        Some(named) => Some(
            named
                .find(&billing::active_payment_modes(db).await?)
                .ok_or_else(|| AppError::field("payment_mode", "error-invalid"))?,
        ),
        None => None,
    };
    let txn = kernel::db::begin_write(db).await?;
    store::lock(&txn, &KIND, id.0).await?;
    let note = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if note.status != Status::Open {
        return Err(AppError::field("amount", "error-credit-not-open"));
    }
    if checked.amount > note.remaining() {
        return Err(AppError::field("amount", "error-credit-exceeds-available"));
    }
    let amount = minor(checked.amount, &note.body.currency)?;
    repo::insert_refund(
        &txn,
        id,
        note.customer_id,
        amount,
        checked.date,
        mode,
        &checked.note,
        actor.id,
        clock.now(),
    )
    .await?;
    record_use(
        &txn,
        &note,
        note.applied,
        note.refunded + checked.amount,
        clock,
    )
    .await?;
    activity::record(
        &txn,
        entity(id),
        Some(note.customer_id.0),
        &Author::staff(actor),
        "refunded",
        &format!(
            "{} {}",
            money::to_api(checked.amount, digits),
            note.body.currency
        ),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Withdraws an issued note whose credit is untouched; it keeps its number.
pub async fn void(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
    clock: &Clock,
) -> AppResult<()> {
    get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    let txn = kernel::db::begin_write(db).await?;
    store::lock(&txn, &KIND, id.0).await?;
    let note = repo::find(&txn, id).await?.ok_or(AppError::NotFound)?;
    if note.status != Status::Open || !note.applied.is_zero() || !note.refunded.is_zero() {
        return Err(AppError::Conflict("error-credit-void".into()));
    }
    repo::set_used(&txn, id, 0, 0, Status::Void, clock.now()).await?;
    activity::record(
        &txn,
        entity(id),
        Some(note.customer_id.0),
        &Author::staff(actor),
        "voided",
        note.number.as_deref().unwrap_or_default(),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Cancels an issued invoice nothing has been paid or credited on: a
/// Stornorechnung with the invoice's lines, numbered in the credit note
/// series, used up entirely on the invoice, which is then cancelled.
pub async fn cancel_invoice(
    state: &AppState,
    actor: &StaffActor,
    invoice_id: InvoiceId,
) -> AppResult<CreditNoteId> {
    let id = cancel(&state.db, actor, invoice_id, &state.clock).await?;
    typed::archive_logged::<CreditNotes>(state, actor, id.0).await;
    Ok(id)
}

async fn cancel(
    db: &DatabaseConnection,
    actor: &StaffActor,
    invoice_id: InvoiceId,
    clock: &Clock,
) -> AppResult<CreditNoteId> {
    invoices::get(db, actor, invoice_id).await?;
    if !invoices::may(actor, Action::Edit) || !may(actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    billing::ensure_series(db, KIND.series, clock).await?;
    let today = clock.today();
    let txn = kernel::db::begin_write(db).await?;
    let invoice = invoices::for_payment(&txn, invoice_id).await?;
    match invoice.status {
        InvoiceStatus::Draft => return Err(AppError::Conflict("error-invoice-not-issued".into())),
        InvoiceStatus::Cancelled => {
            return Err(AppError::Conflict("error-invoice-cancelled".into()));
        }
        _ if !invoice.amount_paid.is_zero() || !invoice.amount_credited.is_zero() => {
            return Err(AppError::Conflict("error-cancel-settled".into()));
        }
        _ => {}
    }
    let mut body = invoice.data();
    body.date = today.max(invoice.date);
    body.due_date = None;
    body.sales_agent_id = None;
    let id = repo::insert(
        &txn,
        invoice.customer_id,
        &body,
        Some(invoice_id),
        true,
        actor.id,
        clock.now(),
    )
    .await?;
    let number = flow::take_number(&txn, &KIND, id.0, body.date, Vec::new(), clock).await?;
    let total = minor(body.totals().total, &body.currency)?;
    repo::insert_application(
        &txn,
        id,
        invoice_id,
        invoice.customer_id,
        total,
        body.date,
        actor.id,
        clock.now(),
    )
    .await?;
    repo::set_used(&txn, id, total, 0, Status::Closed, clock.now()).await?;
    invoices::record_credited(&txn, &invoice, total, true, clock).await?;
    let author = Author::staff(actor);
    let customer = Some(invoice.customer_id.0);
    activity::record(
        &txn,
        entity(id),
        customer,
        &author,
        "issued",
        &number,
        None,
        clock,
    )
    .await?;
    activity::record(
        &txn,
        invoices::entity(invoice_id),
        customer,
        &author,
        "cancelled",
        &number,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

/// The note as the API shows it, with the credit it applied.
pub async fn json(db: &DatabaseConnection, note: &CreditNote) -> AppResult<CreditNoteJson> {
    let applications = applications_of(db, note.id).await?;
    Ok(CreditNoteJson::new(note, applications))
}

pub async fn applications_of(
    db: &DatabaseConnection,
    note: CreditNoteId,
) -> AppResult<Vec<Application>> {
    Ok(repo::applications(db, Some(note), None).await?)
}

/// Credit applied to an invoice the actor already sees.
pub async fn applied_to(
    db: &DatabaseConnection,
    invoice: InvoiceId,
) -> AppResult<Vec<Application>> {
    Ok(repo::applications(db, None, Some(invoice)).await?)
}

pub async fn refunds_of(db: &DatabaseConnection, note: &CreditNote) -> AppResult<Vec<Refund>> {
    Ok(repo::refunds_of(db, note.id, &note.body.currency).await?)
}

/// The customer's unused credit, for the overview header; only for staff
/// who see all credit notes.
pub async fn available(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<Option<i64>> {
    if !may(actor, Action::View) {
        return Ok(None);
    }
    Ok(Some(repo::available(db, customer).await?))
}

/// The overview figure: credit the customer has not used yet.
pub async fn figures(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    _today: NaiveDate,
) -> AppResult<Vec<FigureShown>> {
    Ok(available(db, actor, customer)
        .await?
        .map(|minor| FigureShown {
            id: "figure-credits",
            label_key: "credits-available",
            value: FigureValue::Minor(minor),
        })
        .into_iter()
        .collect())
}

/// The issued credit notes of a portal contact's customer.
pub async fn of_contact(
    db: &DatabaseConnection,
    contact: &Contact,
) -> AppResult<Vec<CreditNoteRow>> {
    let among = Among {
        customers: &CustomerSet::One(contact.customer_id.0),
        filter: &CreditNoteFilter::default(),
        own: None,
    };
    Ok(rows(store::list(db, &KIND, &among, None).await?)?
        .into_iter()
        .filter(|r| !matches!(r.status, Status::Draft | Status::Void))
        .collect())
}

/// One issued credit note of the contact's customer; 404 otherwise.
pub async fn get_for_contact(
    db: &DatabaseConnection,
    contact: &Contact,
    id: CreditNoteId,
) -> AppResult<CreditNote> {
    match repo::find(db, id).await? {
        Some(n)
            if n.customer_id == contact.customer_id
                && !matches!(n.status, Status::Draft | Status::Void) =>
        {
            Ok(n)
        }
        _ => Err(AppError::NotFound),
    }
}
