//! `GET /api/v1/customers/{id}/statement?from=&to=` (or `period=`).

use axum::{
    Json, Router,
    extract::{Query, State},
    routing::get,
};
use chrono::NaiveDate;
use kernel::{AppResult, money};
use serde::Serialize;

use super::{
    html::PeriodQuery,
    model::{Kind, Statement},
    service,
};
use crate::{
    http::extract::{Path, Staff},
    modules::customers::model::CustomerId,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new().route("/customers/{id}/statement", get(show))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(show))]
pub struct Doc;

/// One movement and the balance after it.
#[derive(Serialize, utoipa::ToSchema)]
struct LineJson {
    date: NaiveDate,
    kind: Kind,
    reference: String,
    detail: String,
    amount: String,
    balance: String,
}

/// The period's summary and one page of its movements; money in the
/// customer's currency.
#[derive(Serialize, utoipa::ToSchema)]
struct StatementJson {
    customer_id: CustomerId,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    currency: String,
    beginning_balance: String,
    invoiced: String,
    paid: String,
    credited: String,
    refunded: String,
    balance_due: String,
    /// The balance before the first line of this page.
    carried_balance: String,
    page: u64,
    per_page: u64,
    /// Movements in the whole period.
    total: u64,
    lines: Vec<LineJson>,
}

impl StatementJson {
    fn new(customer: CustomerId, s: Statement) -> Self {
        let digits = money::minor_digits(&s.currency);
        let m = |v: i64| money::to_api(money::from_minor(v, digits), digits);
        Self {
            customer_id: customer,
            from: s.period.from,
            to: s.period.to,
            beginning_balance: m(s.beginning),
            invoiced: m(s.invoiced),
            paid: m(s.paid),
            credited: m(s.credited),
            refunded: m(s.refunded),
            balance_due: m(s.ending),
            carried_balance: m(s.carried),
            page: s.lines.page,
            per_page: s.lines.per_page,
            total: s.lines.total,
            lines: s
                .lines
                .data
                .iter()
                .map(|l| LineJson {
                    date: l.movement.date,
                    kind: l.movement.kind,
                    reference: l.movement.reference.clone(),
                    detail: l.movement.detail.clone(),
                    amount: m(l.movement.amount),
                    balance: m(l.balance),
                })
                .collect(),
            currency: s.currency,
        }
    }
}

#[utoipa::path(get, path = "/customers/{id}/statement", tag = "statement", params(("id" = i64, Path), PeriodQuery),
    responses((status = 200, description = "The statement", body = StatementJson)))]
async fn show(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Json<StatementJson>> {
    let customer = CustomerId(id);
    let statement = service::for_staff(
        &state.db,
        &me.actor,
        customer,
        q.period(state.clock.today())?,
        q.page(),
    )
    .await?;
    Ok(Json(StatementJson::new(customer, statement)))
}
