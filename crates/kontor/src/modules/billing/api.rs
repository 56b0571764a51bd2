//! `/api/v1/tax-rates` and `/api/v1/payment-modes`: what a client needs to
//! fill a draft's `tax_rate` or a payment's `payment_mode`;
//! `/api/v1/settings/billing`: company, reminder days and number series.

use axum::{Json, Router, extract::State, routing::get};
use kernel::AppResult;
use serde::Serialize;

use super::{
    model::{Company, PaymentMode, TaxRate},
    service,
};
use crate::{
    api::{ListBody, all},
    http::extract::{ApiJson, Staff},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/tax-rates", get(tax_rates))
        .route("/payment-modes", get(payment_modes))
        .route("/settings/billing", get(settings).patch(patch_settings))
}

#[derive(utoipa::OpenApi)]
#[openapi(paths(settings, patch_settings, tax_rates, payment_modes))]
pub struct Doc;

#[derive(Serialize, utoipa::ToSchema)]
struct SeriesJson {
    key: &'static str,
    format: String,
    reset_yearly: bool,
}

/// The billing settings: the company on every document, the days after
/// the due date that overdue reminders go out, the number series.
#[derive(Serialize, utoipa::ToSchema)]
struct SettingsJson {
    company: Company,
    overdue_reminder_days: Vec<i32>,
    series: Vec<SeriesJson>,
}

#[utoipa::path(get, path = "/settings/billing", tag = "billing",
    responses((status = 200, description = "The billing settings", body = SettingsJson)))]
async fn settings(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<SettingsJson>> {
    let company = service::company(&state.db, &me.actor).await?;
    let series = service::series_formats(&state.db, &me.actor, &state.clock)
        .await?
        .into_iter()
        .map(|(s, f)| SeriesJson {
            key: s.key,
            format: f.format,
            reset_yearly: f.reset_yearly,
        })
        .collect();
    Ok(Json(SettingsJson {
        company,
        overdue_reminder_days: service::reminder_days(&state.db).await?,
        series,
    }))
}

/// Changes what is given; one refused part changes nothing.
#[utoipa::path(patch, path = "/settings/billing", tag = "billing", request_body = service::SettingsPatch,
    responses((status = 200, description = "The billing settings", body = SettingsJson)))]
async fn patch_settings(
    State(state): State<AppState>,
    Staff(me): Staff,
    ApiJson(patch): ApiJson<service::SettingsPatch>,
) -> AppResult<Json<SettingsJson>> {
    service::patch_settings(&state.db, &me.actor, &patch, &state.clock).await?;
    settings(State(state), Staff(me)).await
}

#[derive(Serialize, utoipa::ToSchema)]
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

#[derive(Serialize, utoipa::ToSchema)]
struct PaymentModeJson {
    id: i64,
    /// What a client may send as `payment_mode` instead of the id.
    key: String,
    name: String,
    description: String,
    active: bool,
}

impl From<PaymentMode> for PaymentModeJson {
    fn from(m: PaymentMode) -> Self {
        Self {
            id: m.id.0,
            key: m.key,
            name: m.name,
            description: m.description,
            active: m.active,
        }
    }
}

#[utoipa::path(get, path = "/tax-rates", tag = "billing",
    responses((status = 200, description = "The tax rates a draft may name", body = ListBody<TaxRateJson>)))]
async fn tax_rates(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<TaxRateJson>>> {
    let rates = service::tax_rates_offered(&state.db, &me.actor).await?;
    Ok(all(rates.into_iter().map(Into::into).collect()))
}

#[utoipa::path(get, path = "/payment-modes", tag = "billing",
    responses((status = 200, description = "The payment modes a payment may name", body = ListBody<PaymentModeJson>)))]
async fn payment_modes(
    State(state): State<AppState>,
    Staff(me): Staff,
) -> AppResult<Json<ListBody<PaymentModeJson>>> {
    let modes = service::payment_modes_offered(&state.db, &me.actor).await?;
    Ok(all(modes.into_iter().map(Into::into).collect()))
}
