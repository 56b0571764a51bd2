//! The contact's side: issued invoices and credit notes of its company,
//! each invoice with its payment instructions and GiroCode, and the PDFs.
//! Only for contacts with the invoices permission.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    http::{HeaderValue, header},
    response::{IntoResponse, Response},
    routing::get,
};
use chrono::NaiveDate;
use kernel::{AppError, AppResult, money};
use rust_decimal::Decimal;

use super::{
    model::{Invoice, InvoiceId, InvoiceRow},
    service::{self, Invoices},
};
use crate::common::documents::typed;
use crate::http::extract::Path;
use crate::http::portal::{Portal, ctx as portal_ctx};
use crate::{
    common::{
        documents::{Transfer, epc_payload, qr_svg},
        totals::Totals,
    },
    http::ctx::Ctx,
    modules::{
        billing::{model::Company, service as billing},
        credit_notes::{model::CreditNoteRow, service as credit_notes},
        portal::model::PortalUser,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/portal/invoices", get(index))
        .route("/portal/invoices/{id}", get(show))
        .route("/portal/invoices/{id}/pdf", get(invoice_pdf))
        .route("/portal/invoices/{id}/girocode.svg", get(girocode))
}

/// The invoices area, or 404 for contacts without it.
fn require(u: &PortalUser) -> AppResult<()> {
    if u.may("invoices") {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}

fn amount(c: &Ctx, minor: i64, currency: &str) -> String {
    let digits = money::minor_digits(currency);
    c.amount(&money::from_minor(minor, digits), currency)
}

#[derive(Template, WebTemplate)]
#[template(path = "invoices/templates/portal_index.html")]
struct IndexPage {
    c: Ctx,
    u: PortalUser,
    invoices: Vec<InvoiceRow>,
    credit_notes: Vec<CreditNoteRow>,
    today: NaiveDate,
}

impl IndexPage {
    fn total(&self, r: &InvoiceRow) -> String {
        amount(&self.c, r.total_minor, &r.currency)
    }

    fn credit(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<IndexPage> {
    require(&u)?;
    let c = portal_ctx(c, Some(&u));
    Ok(IndexPage {
        invoices: service::of_contact(&state.db, &u.contact).await?,
        credit_notes: credit_notes::of_contact(&state.db, &u.contact).await?,
        today: state.clock.today(),
        c,
        u,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "invoices/templates/portal_show.html")]
struct ShowPage {
    c: Ctx,
    u: PortalUser,
    invoice: Invoice,
    t: Totals,
    due: Decimal,
    company: Company,
    /// A GiroCode can carry the transfer.
    girocode: bool,
    /// Past its due date and not paid: shown as overdue, as in the list.
    overdue: bool,
}

fn transfer<'a>(company: &'a Company, invoice: &'a Invoice, due: Decimal) -> Transfer<'a> {
    Transfer::to(
        company,
        &invoice.currency,
        due,
        invoice.number.as_deref().unwrap_or_default(),
    )
}

async fn show(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<ShowPage> {
    require(&u)?;
    let c = portal_ctx(c, Some(&u));
    let invoice = service::get_for_contact(&state.db, &u.contact, InvoiceId(id)).await?;
    let company = billing::sender(&state.db).await?;
    let due = invoice.amount_due();
    let girocode = epc_payload(&transfer(&company, &invoice, due)).is_some();
    Ok(ShowPage {
        t: invoice.totals(),
        due,
        girocode,
        overdue: invoice.is_overdue(state.clock.today()),
        company,
        invoice,
        c,
        u,
    })
}

async fn invoice_pdf(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    require(&u)?;
    let invoice = service::get_for_contact(&state.db, &u.contact, InvoiceId(id)).await?;
    typed::pdf_of::<Invoices>(&state, &invoice)
        .await?
        .into_response()
}

/// The GiroCode for what is still due, as an image for the invoice page.
async fn girocode(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    require(&u)?;
    let invoice = service::get_for_contact(&state.db, &u.contact, InvoiceId(id)).await?;
    let company = billing::sender(&state.db).await?;
    let payload = epc_payload(&transfer(&company, &invoice, invoice.amount_due()))
        .ok_or(AppError::NotFound)?;
    let svg = qr_svg(&payload).map_err(AppError::Internal)?;
    let mut response = svg.into_response();
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("image/svg+xml"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; style-src 'unsafe-inline'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(response)
}
