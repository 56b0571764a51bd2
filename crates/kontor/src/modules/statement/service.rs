//! The statement for staff (who see all of the customer's invoices: a
//! statement sums documents "view own" would hide) and for the customer's
//! own contacts in the portal.

use kernel::{AppError, AppResult};
use sea_orm::ConnectionTrait;

use super::{
    model::{Period, Statement},
    repo,
};

/// Which of the period's movements a statement holds.
#[derive(Clone, Copy, Debug)]
pub enum Lines {
    /// One page (from 1) of so many movements: the tab, the portal, the API.
    Page(u64, u64),
    /// Every movement: the PDF and the print view.
    All,
}
use crate::{
    modules::customers::{model::CustomerId, service as customers},
    policy::{self, Action, StaffActor},
};

pub fn may(actor: &StaffActor) -> bool {
    policy::can(actor, crate::modules::invoices::service::AREA, Action::View)
}

pub async fn for_staff(
    db: &impl ConnectionTrait,
    actor: &StaffActor,
    customer: CustomerId,
    period: Period,
    lines: Lines,
) -> AppResult<Statement> {
    if !may(actor) {
        return Err(AppError::Forbidden);
    }
    let currency = async { Ok(customers::get(db, actor, customer).await?.currency) };
    build(db, customer, currency, period, lines).await
}

/// For a portal contact of `customer` whose invoices permission the portal
/// has checked.
pub async fn for_contact(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    period: Period,
    lines: Lines,
) -> AppResult<Statement> {
    let currency = async { Ok(customers::for_document(db, customer).await?.0.currency) };
    build(db, customer, currency, period, lines).await
}

/// The statement of `customer` in the currency `currency` finds, which
/// also says whether the customer may be seen at all: it is read beside
/// the first sums, and its error comes first.
async fn build(
    db: &impl ConnectionTrait,
    customer: CustomerId,
    currency: impl Future<Output = AppResult<String>>,
    period: Period,
    lines: Lines,
) -> AppResult<Statement> {
    let beginning = async {
        match period.from {
            Some(day) => repo::balance_before(db, customer, day).await,
            None => Ok(0),
        }
    };
    match lines {
        Lines::All => {
            let movements = repo::movements(db, customer, period.from, period.to);
            let (currency, beginning, movements) = futures::join!(currency, beginning, movements);
            Ok(Statement::new(period, currency?, beginning?, movements?))
        }
        Lines::Page(page, per_page) => {
            let months = repo::months(db, customer, (period.from, period.to));
            let (currency, beginning, months) = futures::join!(currency, beginning, months);
            let (currency, beginning, months) = (currency?, beginning?, months?);
            let statement =
                Statement::summary(period, currency, beginning, &months, page, per_page);
            let Some(span) = statement.span(&months) else {
                return Ok(statement);
            };
            let days = repo::days(db, customer, (Some(span.first), Some(span.last))).await?;
            Ok(match statement.window(&span, &days) {
                Some(w) => {
                    let movements =
                        repo::movements(db, customer, Some(w.first), Some(w.last)).await?;
                    statement.fill(w, movements)
                }
                None => statement,
            })
        }
    }
}
