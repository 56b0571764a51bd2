//! Use cases of payments. Recording, changing and deleting a payment and
//! recomputing the invoice's paid amount and status happen in one
//! transaction, with the invoice row locked, so two payments at once never
//! overpay an invoice.

use kernel::clock::Clock;
use std::collections::HashSet;

use kernel::{AppError, AppResult, money, web::Page};
use sea_orm::{DatabaseConnection, DatabaseTransaction};

use super::{
    model::{Payment, PaymentData, PaymentFilter, PaymentId, PaymentInput},
    repo,
};
use crate::{
    common::{csv_io::EXPORT_MAX, entity_ref::EntityRef},
    modules::{
        activity::{model::Author, service as activity},
        billing::service as billing,
        customers::model::CustomerId,
        invoices::{
            model::{Invoice, InvoiceFilter, InvoiceId, Status},
            service as invoices,
        },
    },
    policy::{self, Action, StaffActor},
};

const KIND: &str = "payment";

pub fn entity(id: PaymentId) -> EntityRef {
    EntityRef::new(KIND, id.0)
}

/// The payments of an invoice the actor may see.
pub async fn of_invoice(
    db: &DatabaseConnection,
    actor: &StaffActor,
    invoice: InvoiceId,
) -> AppResult<Vec<Payment>> {
    invoices::get(db, actor, invoice).await?;
    Ok(repo::of_invoice(db, invoice).await?)
}

/// One page of the customer's payments on invoices the actor may see,
/// within the filter, with the count and sums per currency (minor units)
/// of all of them.
pub async fn page(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: impl Into<Option<CustomerId>>,
    filter: &PaymentFilter,
    page: u64,
    per_page: u64,
) -> AppResult<(Page<Payment>, Vec<(String, i64)>)> {
    let customers =
        crate::modules::customers::service::visible_set(db, actor, customer.into()).await?;
    if !policy::may_see_some(actor, crate::modules::invoices::service::AREA) {
        return Err(AppError::Forbidden);
    }
    let own = (!invoices::may(actor, Action::View)).then_some(actor.id);
    let (data, total, sums) =
        repo::page_of_customer(db, &customers, filter, own, page, per_page).await?;
    Ok((
        Page {
            data,
            page: page.clamp(1, kernel::web::MAX_PAGE),
            per_page,
            total,
        },
        sums,
    ))
}

/// Every customer's payments the actor may see within the filter, for an
/// export; refused when there are more than an export takes.
pub async fn export(
    db: &DatabaseConnection,
    actor: &StaffActor,
    filter: &PaymentFilter,
) -> AppResult<Vec<Payment>> {
    let (payments, _) = page(db, actor, None, filter, 1, EXPORT_MAX + 1).await?;
    if payments.total > EXPORT_MAX {
        return Err(AppError::BadRequest("error-export-too-many".into()));
    }
    Ok(payments.data)
}

/// The customer's payments on invoices the actor may see, within the
/// filter.
pub async fn of_customer(
    db: &DatabaseConnection,
    actor: &StaffActor,
    customer: CustomerId,
    filter: &PaymentFilter,
) -> AppResult<Vec<Payment>> {
    let payments = repo::of_customer(db, customer, filter).await?;
    if invoices::may(actor, Action::View) {
        crate::modules::customers::service::ensure_visible(db, actor, customer).await?;
        return Ok(payments);
    }
    let visible: HashSet<InvoiceId> =
        invoices::list(db, actor, customer, &InvoiceFilter::default())
            .await?
            .into_iter()
            .map(|r| r.id)
            .collect();
    Ok(payments
        .into_iter()
        .filter(|p| visible.contains(&p.invoice_id))
        .collect())
}

pub async fn get(db: &DatabaseConnection, actor: &StaffActor, id: PaymentId) -> AppResult<Payment> {
    let payment = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    invoices::get(db, actor, payment.invoice_id).await?;
    Ok(payment)
}

async fn modes(
    db: &DatabaseConnection,
) -> AppResult<Vec<crate::modules::billing::model::PaymentMode>> {
    billing::active_payment_modes(db).await
}

/// Sums the invoice's payments again (with `amount` replacing the payment
/// being changed) and refuses more than the invoice total less the credit
/// applied to it, and any payment on a cancelled invoice.
async fn settle(
    txn: &DatabaseTransaction,
    invoice: &Invoice,
    paid_without: i64,
    amount: i64,
    clock: &Clock,
) -> AppResult<()> {
    let digits = money::minor_digits(&invoice.currency);
    let total = money::to_minor(invoice.totals().total - invoice.amount_credited, digits)
        .unwrap_or_default();
    if invoice.status == Status::Cancelled && amount > 0 {
        return Err(AppError::field("amount", "error-invoice-cancelled"));
    }
    if paid_without + amount > total {
        return Err(AppError::field("amount", "error-payment-exceeds-due"));
    }
    invoices::record_paid(txn, invoice, paid_without + amount, clock).await
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &PaymentInput,
    clock: &Clock,
) -> AppResult<PaymentId> {
    let invoice_id = InvoiceId(
        input
            .invoice_id
            .ok_or_else(|| AppError::field("invoice_id", "error-required"))?,
    );
    let seen = invoices::get(db, actor, invoice_id).await?;
    policy::require(actor, crate::modules::invoices::service::AREA, Action::Edit)?;
    if seen.is_draft() {
        return Err(AppError::field("invoice_id", "error-payment-draft"));
    }
    let digits = money::minor_digits(&seen.currency);
    let data = PaymentData::parse(input, None, &modes(db).await?, digits, clock.today())
        .map_err(AppError::Validation)?;
    let amount = money::to_minor(data.amount, digits)
        .ok_or_else(|| AppError::field("amount", "error-payment-amount"))?;
    let txn = kernel::db::begin_write(db).await?;
    let invoice = invoices::for_payment(&txn, invoice_id).await?;
    let paid = repo::sum_of_invoice(&txn, invoice_id).await?;
    settle(&txn, &invoice, paid, amount, clock).await?;
    let id = repo::insert(
        &txn,
        invoice_id,
        invoice.customer_id,
        &data,
        amount,
        actor.id,
        clock.now(),
    )
    .await?;
    activity::record(
        &txn,
        entity(id),
        Some(invoice.customer_id.0),
        &Author::staff(actor),
        "recorded",
        &format!(
            "{} {} → {}",
            money::to_api(data.amount, digits),
            invoice.currency,
            invoice.number.clone().unwrap_or_default()
        ),
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
    id: PaymentId,
    input: &PaymentInput,
    clock: &Clock,
) -> AppResult<()> {
    let current = get(db, actor, id).await?;
    policy::require(actor, crate::modules::invoices::service::AREA, Action::Edit)?;
    let digits = money::minor_digits(&current.currency);
    let data = PaymentData::parse(
        input,
        Some(&current),
        &modes(db).await?,
        digits,
        clock.today(),
    )
    .map_err(AppError::Validation)?;
    let amount = money::to_minor(data.amount, digits)
        .ok_or_else(|| AppError::field("amount", "error-payment-amount"))?;
    let txn = kernel::db::begin_write(db).await?;
    let invoice = invoices::for_payment(&txn, current.invoice_id).await?;
    let before = money::to_minor(current.amount, digits).unwrap_or_default();
    let paid = repo::sum_of_invoice(&txn, current.invoice_id).await?;
    settle(&txn, &invoice, paid - before, amount, clock).await?;
    repo::update(&txn, id, &data, amount, clock).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "updated",
        &money::to_api(data.amount, digits),
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
    id: PaymentId,
    clock: &Clock,
) -> AppResult<InvoiceId> {
    let current = get(db, actor, id).await?;
    policy::require(
        actor,
        crate::modules::invoices::service::AREA,
        Action::Delete,
    )?;
    let digits = money::minor_digits(&current.currency);
    let txn = kernel::db::begin_write(db).await?;
    let invoice = invoices::for_payment(&txn, current.invoice_id).await?;
    let before = money::to_minor(current.amount, digits).unwrap_or_default();
    let paid = repo::sum_of_invoice(&txn, current.invoice_id).await?;
    repo::delete(&txn, id).await?;
    invoices::record_paid(&txn, &invoice, paid - before, clock).await?;
    activity::record(
        &txn,
        entity(id),
        Some(current.customer_id.0),
        &Author::staff(actor),
        "deleted",
        &money::to_api(current.amount, digits),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(current.invoice_id)
}

pub fn may(actor: &StaffActor, action: Action) -> bool {
    policy::can(actor, crate::modules::invoices::service::AREA, action)
}

/// Whether the actor may see the payment: who may see its invoice.
pub async fn visible(db: &DatabaseConnection, actor: &StaffActor, id: i64) -> AppResult<bool> {
    if policy::can(actor, invoices::AREA, policy::Action::View) {
        return Ok(true);
    }
    crate::modules::seen(get(db, actor, PaymentId(id)).await)
}
