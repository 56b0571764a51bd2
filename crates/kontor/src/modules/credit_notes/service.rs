//! Use cases of credit notes. Drafts change freely; issuing takes the next
//! number of the credit note series in the issuing transaction. Credit is
//! used by applying it to open invoices of the same customer or refunding
//! it, each under the note's row lock so it is never used twice. Cancelling
//! an invoice issues a Stornorechnung for its whole amount.

use chrono::NaiveDate;
use kernel::clock::Clock;
use kernel::{AppError, AppResult, money};
use rust_decimal::Decimal;
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::{
    model::{
        AmountInput, Application, CreditNote, CreditNoteFilter, CreditNoteId, CreditNoteInput,
        CreditNoteRow, Refund, Status,
    },
    repo,
};
use crate::common::documents::search::Searched;
use crate::modules::{FigureShown, FigureValue};
use crate::{
    common::{entity_ref::EntityRef, series},
    modules::{
        activity::{model::Author, service as activity},
        billing::service as billing,
        contacts::model::Contact,
        customers::{model::CustomerId, service as customers},
        invoices::{
            model::{DocumentBody, InvoiceId, Rules, Status as InvoiceStatus},
            service as invoices,
        },
    },
    policy::{self, Action, Area, StaffActor},
};

pub const KIND: &str = "credit_note";
const SERIES: &str = "credit_note";

/// The area of the role grid for credit notes.
pub const AREA: Area = Area {
    key: "credit_notes",
    actions: policy::RECORD_ACTIONS,
    order: 30,
};

pub fn entity(id: CreditNoteId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    policy::can(actor, AREA, action)
}

fn issued() -> AppError {
    AppError::Conflict("error-credit-note-issued".into())
}

/// Whether the customer has credit notes (then, as with invoices, it
/// cannot be deleted and its currency is fixed).
pub async fn customer_has_notes(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> AppResult<bool> {
    Ok(repo::any_of_customer(db, customer).await?)
}

pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &CreditNoteFilter,
) -> AppResult<Vec<CreditNoteRow>> {
    if !policy::may_see_some(actor, AREA) {
        return Err(AppError::Forbidden);
    }
    customers::ensure_visible(db, actor, customer).await?;
    Ok(repo::of_customer(db, customer, filter)
        .await?
        .into_iter()
        .filter(|(_, by)| policy::may_see_document(actor, AREA, *by, None))
        .map(|(row, _)| row)
        .collect())
}

pub async fn get(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    id: CreditNoteId,
) -> AppResult<CreditNote> {
    let note = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, note.customer_id).await?;
    if !policy::may_see_document(actor, AREA, note.created_by, None) {
        return Err(AppError::NotFound);
    }
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

async fn parse(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &CreditNoteInput,
    current: Option<&DocumentBody>,
    clock: &Clock,
) -> AppResult<DocumentBody> {
    let c = customers::get(db, actor, customer).await?;
    let rates = billing::active_rates(db).await?;
    let rules = Rules {
        currency: &c.currency,
        tax_rates: &rates,
        today: clock.today(),
    };
    let mut body = input.body.clone();
    body.due_date = Some(String::new());
    body.sales_agent_id = None;
    DocumentBody::parse(&body, current, &rules).map_err(AppError::Validation)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &CreditNoteInput,
    clock: &Clock,
) -> AppResult<CreditNoteId> {
    policy::require(actor, AREA, Action::Create)?;
    let data = parse(db, actor, customer, input, None, clock).await?;
    let invoice = referenced_invoice(db, actor, customer, input.invoice_id).await?;
    let txn = db.begin().await?;
    let id = repo::insert(&txn, customer, &data, invoice, false, actor.id, clock.now()).await?;
    activity::record(
        &txn,
        entity(id),
        Some(customer.0),
        &Author::staff(actor),
        "created",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
    input: &CreditNoteInput,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    if !current.is_draft() {
        return Err(issued());
    }
    let data = parse(
        db,
        actor,
        current.customer_id,
        input,
        Some(&current.body),
        clock,
    )
    .await?;
    let invoice = match input.invoice_id {
        Some(_) => referenced_invoice(db, actor, current.customer_id, input.invoice_id).await?,
        None => current.invoice_id,
    };
    let txn = db.begin().await?;
    if repo::find(&txn, id).await?.is_none_or(|n| !n.is_draft()) {
        return Err(issued());
    }
    repo::update(&txn, id, &data, invoice, clock.now()).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "updated",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

pub async fn delete(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
    clock: &Clock,
) -> AppResult<CustomerId> {
    let current = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Delete)?;
    let txn = db.begin().await?;
    if repo::delete_draft(&txn, id).await? == 0 {
        return Err(issued());
    }
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "deleted",
        "",
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(current.customer_id)
}

/// Takes the next number inside `txn` and marks the draft issued.
async fn take_number(
    txn: &impl ConnectionTrait,
    id: CreditNoteId,
    date: NaiveDate,
    clock: &Clock,
) -> AppResult<String> {
    let (_, number) = series::next(txn, SERIES, date, clock.now()).await?;
    let marked = match repo::mark_issued(txn, id, &number, clock.now()).await {
        Err(e)
            if matches!(
                e.sql_err(),
                Some(sea_orm::SqlErr::UniqueConstraintViolation(_))
            ) =>
        {
            return Err(AppError::Conflict("error-series-duplicate".into()));
        }
        other => other?,
    };
    if marked == 0 {
        return Err(issued());
    }
    Ok(number)
}

pub async fn issue(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: CreditNoteId,
    clock: &Clock,
) -> AppResult<String> {
    let current = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    if !current.is_draft() {
        return Err(issued());
    }
    billing::ensure_series(db, SERIES, clock).await?;
    let txn = db.begin().await?;
    let number = take_number(&txn, id, current.body.date, clock).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "issued",
        &number,
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(number)
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
    let txn = db.begin().await?;
    repo::lock(&txn, id).await?;
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
    let txn = db.begin().await?;
    repo::lock(&txn, id).await?;
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
    let txn = db.begin().await?;
    repo::lock(&txn, id).await?;
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
    db: &DatabaseConnection,
    actor: &StaffActor,
    invoice_id: InvoiceId,
    clock: &Clock,
) -> AppResult<CreditNoteId> {
    invoices::get(db, actor, invoice_id).await?;
    if !invoices::may(actor, Action::Edit) || !may(actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    billing::ensure_series(db, SERIES, clock).await?;
    let today = clock.today();
    let txn = db.begin().await?;
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
    let number = take_number(&txn, id, body.date, clock).await?;
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
    Ok(
        repo::of_customer(db, contact.customer_id, &CreditNoteFilter::default())
            .await?
            .into_iter()
            .map(|(row, _)| row)
            .filter(|r| !matches!(r.status, Status::Draft | Status::Void))
            .collect(),
    )
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

/// How the global search finds these documents.
pub const SEARCHED: Searched = Searched {
    area: AREA,
    path: "/credit-notes",
    table: "credit_notes",
    own_columns: &["created_by"],
};

/// Whether the actor may see the credit note (activity entries name it).
pub async fn visible(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<bool> {
    if policy::can(actor, AREA, Action::View) {
        return Ok(true);
    }
    crate::modules::seen(get(db, actor, CreditNoteId(id)).await)
}
