//! `/api/v1/tax-rates` and `/api/v1/payment-modes`: what a client needs to
//! fill a draft's `tax_rate` or a payment's `payment_mode`.

use axum::{Json, Router, extract::State, routing::get};
use kernel::AppResult;
use serde::Serialize;

use super::{
    model::{PaymentMode, TaxRate},
    service,
};
use crate::{
    api::{ListBody, all},
    http::extract::Staff,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tax-rates", get(tax_rates))
        .route("/payment-modes", get(payment_modes))
}

#[derive(Serialize)]
struct TaxRateJson {
    id: i64,
    name: String,
    /// Percent as a decimal string (`"19"`, `"5.5"`).
    rate: String,
    active: bool,
}

impl From<TaxRate> for TaxRateJson {
    fn from(t: TaxRate) -> Self {
        Self {
            rate: t.percent(),
            id: t.id.0,
            name: t.name,
            active: t.active,
        }
    }
}

#[derive(Serialize)]
struct PaymentModeJson {
    id: i64,
    name: String,
    description: String,
    active: bool,
}

impl From<PaymentMode> for PaymentModeJson {
    fn from(m: PaymentMode) -> Self {
        Self {
            id: m.id.0,
            name: m.name,
            description: m.description,
            active: m.active,
        }
    }
}

async fn tax_rates(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<TaxRateJson>>> {
    let rates = service::tax_rates_offered(&state.db, &me.actor).await?;
    Ok(all(rates.into_iter().map(Into::into).collect()))
}

async fn payment_modes(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<PaymentModeJson>>> {
    let modes = service::payment_modes_offered(&state.db, &me.actor).await?;
    Ok(all(modes.into_iter().map(Into::into).collect()))
}
