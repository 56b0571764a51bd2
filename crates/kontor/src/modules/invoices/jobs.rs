//! The worker's invoice jobs. Recurring invoices issue their copies when
//! due (catching up on missed days); overdue invoices remind the customer
//! on the configured days after the due date. Each cycle and each reminder
//! is claimed by a conditional update in the transaction that acts on it,
//! so with several instances every one happens exactly once.

use chrono::NaiveDate;
use kernel::clock::Clock;
use kernel::{
    AppResult,
    mail::{self, Attachment},
};
use sea_orm::DatabaseConnection;

use super::{
    model::InvoiceId,
    repo,
    service::{self, Invoices, entity},
};
use crate::common::documents::{store, typed};
use crate::{
    common::{documents::file_name, mail::written},
    modules::{
        activity::{model::Author, service as activity},
        billing::service as billing,
        contacts::service as contacts,
        customers::service as customers,
    },
    state::AppState,
};

/// Invoices looked at per run; the worker runs again while it finds work.
const BATCH: u64 = 50;

/// Issues every copy that is due; how many.
pub async fn recurring(state: &AppState) -> AppResult<usize> {
    let today = state.clock.today();
    let due = repo::recurring_due(&state.db, today, BATCH).await?;
    if due.is_empty() {
        return Ok(0);
    }
    billing::ensure_series(&state.db, "invoice", &state.clock).await?;
    let mut made = 0;
    for template in due {
        while let Some(copy) = one_cycle(&state.db, template, today, &state.clock).await? {
            made += 1;
            if let Ok(invoice) = repo::find(&state.db, copy).await
                && let Some(invoice) = invoice
                && let Err(e) = typed::archive::<Invoices>(state, &invoice).await
            {
                tracing::warn!(invoice = copy.0, error = %e, "archiving a recurring copy failed");
            }
        }
    }
    Ok(made)
}

/// Issues the template's next copy if it is due and no other instance took
/// it; the copy's id.
async fn one_cycle(
    db: &DatabaseConnection,
    id: InvoiceId,
    today: NaiveDate,
    clock: &Clock,
) -> AppResult<Option<InvoiceId>> {
    let txn = kernel::db::begin_write(db).await?;
    store::lock(&txn, &service::KIND, id.0).await?;
    let Some(template) = repo::find(&txn, id).await? else {
        return Ok(None);
    };
    let (Some(r), Some(due)) = (template.recurrence, template.recurring_next) else {
        return Ok(None);
    };
    if due > today || template.is_draft() {
        return Ok(None);
    }
    let done = template.recurring_done + 1;
    let next = if r.cycles > 0 && done >= r.cycles {
        None
    } else {
        r.after(due)
    };
    if repo::claim_cycle(&txn, id, due, done, next, clock.now()).await? == 0 {
        return Ok(None);
    }
    let mut data = template.data();
    data.date = due;
    data.due_date = template.due_date.map(|d| due + (d - template.date));
    let copy = repo::insert(
        &txn,
        template.customer_id,
        &data,
        None,
        template.created_by,
        clock.now(),
    )
    .await?;
    repo::set_parent(&txn, copy, id).await?;
    let Some(draft) = repo::find(&txn, copy).await? else {
        return Ok(None);
    };
    let number = service::take_number(&txn, &draft, clock).await?;
    activity::record(
        &txn,
        entity(copy),
        Some(template.customer_id.0),
        &Author::system(),
        "generated",
        &format!(
            "{number} ← {}",
            template.number.as_deref().unwrap_or_default()
        ),
        None,
        clock,
    )
    .await?;
    txn.commit().await?;
    Ok(Some(copy))
}

/// Sends the reminders that are due; how many.
pub async fn overdue(state: &AppState) -> AppResult<usize> {
    let days = billing::reminder_days(&state.db).await?;
    let today = state.clock.today();
    let mut sent = 0;
    // Highest stage first: an invoice reminded at a stage leaves the
    // queries of all lower ones, so no batch fills up with finished work.
    for day in days.iter().rev().copied() {
        let cutoff = today - chrono::Days::new(u64::try_from(day).unwrap_or(1));
        for (id, due, reminded) in repo::overdue(&state.db, cutoff, day, BATCH).await? {
            let late = i32::try_from((today - due).num_days()).unwrap_or(i32::MAX);
            // The latest stage reached; stages missed while the worker was
            // down are not sent one after another.
            let stage = days
                .iter()
                .rev()
                .copied()
                .find(|d| *d <= late)
                .unwrap_or(day);
            if stage > reminded && remind(state, id, stage, late).await? {
                sent += 1;
            }
        }
    }
    Ok(sent)
}

async fn remind(state: &AppState, id: InvoiceId, stage: i32, late: i32) -> AppResult<bool> {
    let Some(invoice) = repo::find(&state.db, id).await? else {
        return Ok(false);
    };
    let (customer, _) = customers::for_document(&state.db, invoice.customer_id).await?;
    let to: Vec<String> =
        contacts::of_customer_for_documents(&state.db, (invoice.customer_id, "invoices"))
            .await?
            .into_iter()
            .map(|c| c.email)
            .collect();
    typed::ensure_archived::<Invoices>(state, &invoice).await?;
    let l = customer.language;
    let company = billing::sender(&state.db).await?;
    let template = billing::mail_template(&state.db, "overdue", l).await?;
    let text = template.fill(&[
        ("number", invoice.number.clone().unwrap_or_default()),
        ("customer", customer.company.clone()),
        (
            "amount_due",
            l.format_amount(invoice.amount_due(), &invoice.currency),
        ),
        (
            "due_date",
            invoice
                .due_date
                .map(|d| l.format_date(d))
                .unwrap_or_default(),
        ),
        ("days", late.to_string()),
        ("company", company.name),
    ]);
    let txn = kernel::db::begin_write(&state.db).await?;
    if repo::claim_reminder(&txn, id, stage).await? == 0 {
        return Ok(false);
    }
    let detail = if to.is_empty() {
        // Nobody to write to: the stage is recorded so the check is not
        // repeated every few seconds; staff see it in the activity log.
        "–".to_owned()
    } else {
        let mut mail = written(l, &to.join(", "), &text.subject, &text.body);
        mail.attachments = vec![Attachment {
            name: file_name(invoice.number.as_deref(), invoice.id.0),
            content_type: "application/pdf".into(),
            storage_key: service::KIND.archive_key(invoice.id.0),
        }];
        mail::enqueue(&txn, &mail, state.clock.now()).await?;
        to.join(", ")
    };
    activity::record(
        &txn,
        entity(id),
        Some(invoice.customer_id.0),
        &Author::system(),
        "reminded",
        &format!("{stage}: {detail}"),
        None,
        &state.clock,
    )
    .await?;
    txn.commit().await?;
    Ok(!to.is_empty())
}
