//! The statement for staff (who see all of the customer's invoices: a
//! statement sums documents "view own" would hide) and for the customer's
//! own contacts in the portal.

use kernel::{AppError, AppResult};
use sea_orm::ConnectionTrait;

use super::{
    model::{Period, Statement},
    repo,
};
use crate::{
    modules::customers::{model::CustomerId, service as customers},
    policy::{self, Action, Module, StaffActor},
};

pub fn may(actor: &StaffActor) -> bool {
    policy::can(actor, Module::Invoices, Action::View)
}

pub async fn for_staff(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    customer: CustomerId,
    period: Period,
) -> AppResult<Statement> {
    if !may(actor) {
        return Err(AppError::Forbidden);
    }
    let currency = customers::get(db, actor, customer).await?.currency;
    build(db, customer, currency, period).await
}

/// For a portal contact of `customer` whose invoices permission the portal
/// has checked.
pub async fn for_contact(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    period: Period,
) -> AppResult<Statement> {
    let (c, _) = customers::for_document(db, customer).await?;
    build(db, customer, c.currency, period).await
}

async fn build(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    currency: String,
    period: Period,
) -> AppResult<Statement> {
    let beginning = match period.from {
        Some(day) => repo::balance_before(db, customer, day).await?,
        None => 0,
    };
    let movements = repo::movements(db, customer, period.from, period.to).await?;
    Ok(Statement::new(period, currency, beginning, movements))
}
