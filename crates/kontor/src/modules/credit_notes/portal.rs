//! The credit note's PDF in the portal, for contacts with the invoices
//! permission (the portal's Invoices page lists the notes).

use axum::{Router, extract::State, response::Response, routing::get};
use kernel::{AppError, AppResult};

use super::{
    model::CreditNoteId,
    service::{self, CreditNotes},
};
use crate::common::documents::typed;
use crate::http::extract::Path;
use crate::{http::portal::Portal, state::AppState};

pub fn routes() -> Router<AppState> {
    Router::new().route("/portal/credit-notes/{id}/pdf", get(download))
}

async fn download(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    if !u.may("invoices") {
        return Err(AppError::NotFound);
    }
    let note = service::get_for_contact(&state.db, &u.contact, CreditNoteId(id)).await?;
    typed::pdf_of::<CreditNotes>(&state, &note)
        .await?
        .into_response()
}
