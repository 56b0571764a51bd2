//! JSON conventions shared by every module's `api.rs`.

use axum::{Json, http::StatusCode, response::IntoResponse};
use kernel::{AppError, AppResult, web::Page};
use serde::{Deserialize, Serialize};

use crate::common::ids::CustomerId;

pub mod openapi;
pub mod schema;

/// One page of a list.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ListBody<T: Serialize> {
    pub data: Vec<T>,
    /// The page shown, from 1.
    #[schema(minimum = 1)]
    pub page: u64,
    pub per_page: u64,
    pub total: u64,
}

impl<T: Serialize> From<Page<T>> for ListBody<T> {
    fn from(p: Page<T>) -> Self {
        Self {
            data: p.data,
            page: p.page,
            per_page: p.per_page,
            total: p.total,
        }
    }
}

/// `?customer_id=`, which lists of a customer's records require.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ForCustomer {
    /// The customer whose records to list.
    #[param(required = true)]
    #[serde(default, deserialize_with = "kernel::web::number")]
    customer_id: Option<i64>,
}

impl ForCustomer {
    pub fn customer(&self) -> AppResult<CustomerId> {
        self.customer_id
            .map(CustomerId)
            .ok_or_else(|| AppError::field("customer_id", "error-required"))
    }
}

/// A list that is not paged in storage (short lists such as roles).
pub fn all<T: Serialize>(data: Vec<T>) -> Json<ListBody<T>> {
    let total = data.len() as u64;
    Json(ListBody {
        data,
        page: 1,
        per_page: total.max(1),
        total,
    })
}

pub fn created<T: Serialize>(body: T) -> impl IntoResponse {
    (StatusCode::CREATED, Json(body))
}
