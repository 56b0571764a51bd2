//! The worker's estimate tasks: marking sent estimates expired once their
//! expiry date has passed, and reminding the customer once, the configured
//! days before it.

use chrono::Days;
use kernel::{
    AppResult,
    mail::{self, Attachment},
};

use super::{
    model::EstimateId,
    repo,
    service::{self, Estimates, KIND, Settings},
};
use crate::{
    common::{
        documents::{file_name, typed},
        mail::written,
    },
    modules::{
        activity::{model::Author, service as activity},
        billing::service as billing,
        contacts::service as contacts,
        customers::service as customers,
    },
    state::AppState,
};

const BATCH: u64 = 100;

/// Marks the estimates past their expiry date expired; how many.
pub async fn expire(state: &AppState) -> AppResult<usize> {
    let today = state.clock.today();
    let mut done = 0;
    for id in repo::past_expiry(&state.db, today, BATCH).await? {
        let txn = kernel::db::begin_write(&state.db).await?;
        if repo::expire(&txn, id, today, state.clock.now()).await? == 0 {
            continue;
        }
        let e = service::find(&state.db, id).await?;
        let number = e.number.clone().unwrap_or_default();
        activity::record(
            &txn,
            service::entity(id),
            Some(e.customer_id.0),
            &Author::system(),
            "expired",
            &number,
            None,
            &state.clock,
        )
        .await?;
        txn.commit().await?;
        done += 1;
    }
    Ok(done)
}

/// Reminds customers of estimates expiring within the configured days,
/// once per estimate; how many were mailed.
pub async fn remind(state: &AppState) -> AppResult<usize> {
    let days = Settings::load(&state.db).await?.reminder_days;
    if days == 0 {
        return Ok(0);
    }
    let today = state.clock.today();
    let Some(until) = today.checked_add_days(Days::new(u64::from(days))) else {
        return Ok(0);
    };
    let mut sent = 0;
    for id in repo::to_remind(&state.db, today, until, BATCH).await? {
        if remind_one(state, id).await? {
            sent += 1;
        }
    }
    Ok(sent)
}

async fn remind_one(state: &AppState, id: EstimateId) -> AppResult<bool> {
    let e = service::find(&state.db, id).await?;
    let (customer, _) = customers::for_document(&state.db, e.customer_id).await?;
    let to: Vec<String> = contacts::of_customer_for_documents(&state.db, e.customer_id)
        .await?
        .into_iter()
        .map(|c| c.email)
        .collect();
    typed::ensure_archived::<Estimates>(state, &e).await?;
    let l = customer.language;
    let company = billing::sender(&state.db).await?;
    let template = billing::mail_template(&state.db, "estimate_reminder", l).await?;
    let text = template.fill(&[
        ("number", e.number.clone().unwrap_or_default()),
        ("customer", customer.company.clone()),
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
        ("link", e.public_url(&state.config.base_url)),
        ("company", company.name),
    ]);
    let txn = kernel::db::begin_write(&state.db).await?;
    if repo::claim_reminder(&txn, id, state.clock.now()).await? == 0 {
        return Ok(false);
    }
    let detail = if to.is_empty() {
        // Nobody to write to: claimed all the same, so the check is not
        // repeated every round; staff see it in the activity log.
        "–".to_owned()
    } else {
        let mut mail = written(l, &to.join(", "), &text.subject, &text.body);
        mail.attachments = vec![Attachment {
            name: file_name(e.number.as_deref(), id.0),
            content_type: "application/pdf".into(),
            storage_key: KIND.archive_key(id.0),
        }];
        mail::enqueue(&txn, &mail, state.clock.now()).await?;
        to.join(", ")
    };
    activity::record(
        &txn,
        service::entity(id),
        Some(e.customer_id.0),
        &Author::system(),
        "reminded",
        &detail,
        None,
        &state.clock,
    )
    .await?;
    txn.commit().await?;
    Ok(!to.is_empty())
}
