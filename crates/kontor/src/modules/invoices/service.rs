//! Use cases of invoices. Drafts change freely; issuing takes the next
//! number of the invoice series in the same transaction that marks the
//! invoice issued, so numbers have no gaps and no twins even when two tabs
//! or two instances issue at once. Issued invoices are never edited,
//! deleted or renumbered.

use kernel::clock::Clock;
use kernel::{AppError, AppResult, web::Page};
use sea_orm::{ConnectionTrait, DatabaseConnection, TransactionTrait};

use super::{
    model::{
        DocumentBody, Invoice, InvoiceFilter, InvoiceId, InvoiceInput, InvoiceRow, Recurrence,
        Rules, Status,
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
    },
    policy::{self, Action, Area, StaffActor},
};

pub const KIND: &str = "invoice";
const SERIES: &str = "invoice";

/// The area of the role grid for invoices and their payments.
pub const AREA: Area = Area {
    key: "invoices",
    actions: policy::RECORD_ACTIONS,
    order: 20,
};

pub fn entity(id: InvoiceId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    policy::can(actor, AREA, action)
}

/// The customer's invoices the actor may see that pass the filter.
pub async fn list(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &InvoiceFilter,
) -> AppResult<Vec<InvoiceRow>> {
    if !policy::may_see_some(actor, AREA) {
        return Err(AppError::Forbidden);
    }
    customers::ensure_visible(db, actor, customer).await?;
    Ok(repo::of_customer(db, customer, filter)
        .await?
        .into_iter()
        .filter(|(_, created_by, agent)| policy::may_see_document(actor, AREA, *created_by, *agent))
        .map(|(row, _, _)| row)
        .collect())
}

/// One page of the invoices the actor may see, of one customer or (None)
/// of every customer the actor sees, with the count and the sum (minor
/// units) of all of them that pass the filter.
pub async fn page(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: impl Into<Option<CustomerId>>,
    filter: &InvoiceFilter,
    page: u64,
    per_page: u64,
) -> AppResult<(Page<InvoiceRow>, i64)> {
    let customers = customers::visible_set(db, actor, customer.into()).await?;
    if !policy::may_see_some(actor, AREA) {
        return Err(AppError::Forbidden);
    }
    let own = (!may(actor, Action::View)).then_some(actor.id);
    let (data, total, sum) =
        repo::page_of_customer(db, &customers, filter, own, page, per_page).await?;
    Ok((
        Page {
            data,
            page: page.clamp(1, kernel::web::MAX_PAGE),
            per_page,
            total,
        },
        sum,
    ))
}

pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: InvoiceId) -> AppResult<Invoice> {
    let invoice = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    customers::ensure_visible(db, actor, invoice.customer_id).await?;
    if !policy::may_see_document(actor, AREA, invoice.created_by, invoice.sales_agent_id) {
        return Err(AppError::NotFound);
    }
    Ok(invoice)
}

async fn rules_for(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
) -> AppResult<(String, Vec<i32>)> {
    let c = customers::get(db, actor, customer).await?;
    Ok((c.currency, billing::active_rates(db).await?))
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    input: &InvoiceInput,
    clock: &Clock,
) -> AppResult<InvoiceId> {
    policy::require(actor, AREA, Action::Create)?;
    let (currency, rates) = rules_for(db, actor, customer).await?;
    let rules = Rules {
        currency: &currency,
        tax_rates: &rates,
        today: clock.today(),
    };
    let data = DocumentBody::parse(&input.body, None, &rules).map_err(AppError::Validation)?;
    let recurrence = Recurrence::parse(input, None).map_err(AppError::Validation)?;
    check_agent(db, &data).await?;
    let txn = db.begin().await?;
    let id = repo::insert(&txn, customer, &data, actor.id, clock.now()).await?;
    repo::set_recurrence(&txn, id, recurrence).await?;
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

fn issued() -> AppError {
    AppError::Conflict("error-invoice-issued".into())
}

pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: InvoiceId,
    input: &InvoiceInput,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    if !current.is_draft() {
        return Err(issued());
    }
    let (currency, rates) = rules_for(db, actor, current.customer_id).await?;
    let rules = Rules {
        currency: &currency,
        tax_rates: &rates,
        today: clock.today(),
    };
    let data = DocumentBody::parse(&input.body, Some(&current.data()), &rules)
        .map_err(AppError::Validation)?;
    let recurrence = Recurrence::parse(input, current.recurrence).map_err(AppError::Validation)?;
    check_agent(db, &data).await?;
    let txn = db.begin().await?;
    // Checked again under the write: a draft issued meanwhile stays as issued.
    if repo::find(&txn, id).await?.is_none_or(|i| !i.is_draft()) {
        return Err(issued());
    }
    repo::update(&txn, id, &data, clock.now()).await?;
    repo::set_recurrence(&txn, id, recurrence).await?;
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
    id: InvoiceId,
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

/// Issues a draft: the next number of the invoice series, status unpaid.
pub async fn issue(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: InvoiceId,
    clock: &Clock,
) -> AppResult<String> {
    let current = get(db, actor, id).await?;
    policy::require(actor, AREA, Action::Edit)?;
    if !current.is_draft() {
        return Err(issued());
    }
    billing::ensure_series(db, SERIES, clock).await?;
    let txn = db.begin().await?;
    let number = take_number(&txn, &current, clock).await?;
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

/// Gives the draft the next number of the series and marks it issued,
/// inside the caller's transaction; a recurring invoice gets the date of
/// its first copy.
pub(super) async fn take_number(
    txn: &impl ConnectionTrait,
    draft: &Invoice,
    clock: &Clock,
) -> AppResult<String> {
    let (_, number) = series::next(txn, SERIES, draft.date, clock.now()).await?;
    // Rolling back gives the number back when the draft was issued meanwhile.
    let marked = match repo::mark_issued(txn, draft.id, &number, clock.now()).await {
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
    if let Some(r) = draft.recurrence {
        repo::set_recurring_next(txn, draft.id, r.after(draft.date), clock.now()).await?;
    }
    Ok(number)
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
    let txn = db.begin().await?;
    let copy = repo::insert(&txn, source.customer_id, &data, actor.id, clock.now()).await?;
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
    let txn = db.begin().await?;
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

/// A sales agent must be an active staff member.
async fn check_agent(db: &DatabaseConnection, data: &DocumentBody) -> AppResult<()> {
    let Some(agent) = data.sales_agent_id else {
        return Ok(());
    };
    if crate::modules::staff::service::directory(db)
        .await?
        .iter()
        .any(|m| m.id == agent)
    {
        Ok(())
    } else {
        Err(AppError::field("sales_agent_id", "error-invalid"))
    }
}

/// Whether the customer has invoices (then it cannot be deleted and its
/// currency is fixed).
pub async fn customer_has_invoices(
    db: &impl ConnectionTrait,
    customer: CustomerId,
) -> AppResult<bool> {
    Ok(repo::count_of_customer(db, customer).await? > 0)
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
    repo::lock(db, id).await?;
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
    Ok(
        repo::of_customer(db, contact.customer_id, &InvoiceFilter::default())
            .await?
            .into_iter()
            .map(|(row, _, _)| row)
            .filter(|r| r.status != Status::Draft)
            .collect(),
    )
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

/// How the global search finds these documents.
pub const SEARCHED: Searched = Searched {
    area: AREA,
    path: "/invoices",
    table: "invoices",
    own_columns: &["created_by", "sales_agent_id"],
};

/// Whether the actor may see the invoice (activity entries name it).
pub async fn visible(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<bool> {
    if policy::can(actor, AREA, Action::View) {
        return Ok(true);
    }
    crate::modules::seen(get(db, actor, InvoiceId(id)).await)
}
