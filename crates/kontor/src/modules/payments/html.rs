//! The Payments tab and recording or deleting a payment on the invoice page.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use axum_extra::extract::CookieJar;
use kernel::{
    AppError, AppResult,
    csv_dialect::Dialect,
    web::{Page, Pager},
};
use serde::Deserialize;

use super::{
    model::{Payment, PaymentFilter, PaymentForm, PaymentId},
    receipt, service,
};
use crate::http::frame::Overview;
use crate::{
    common::{
        csv_io::{self as csv, EXPORT_MAX},
        sending::SendInput,
    },
    http::{
        ctx::Ctx,
        extract::{Form, Path, RepeatedQuery, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        billing::{model::PaymentMode, service as billing},
        customers::{
            model::CustomerId,
            service::{self as customers, overview},
        },
        invoices::service as invoices,
    },
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/payments", axum::routing::get(all))
        .route("/payments/export.csv", axum::routing::get(all_csv))
        .route("/payments/zip", axum::routing::get(all_zip))
        .route("/customers/{id}/payments", axum::routing::get(index))
        .route("/customers/{id}/payments/zip", axum::routing::get(zip))
        .route("/payments/{id}/pdf", axum::routing::get(pdf))
        .route("/payments/{id}/send", post(send))
        .route("/payments/{id}", post(update))
        .route("/payments/{id}/edit", axum::routing::get(edit))
        .route("/payments/{id}/delete", post(delete))
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    payments: Page<Payment>,
    modes: Vec<PaymentMode>,
    /// What the filter covers, per currency.
    total: String,
    from: String,
    to: String,
    mode: String,
}

impl IndexPage {
    fn mode_name(&self, p: &Payment) -> String {
        p.payment_mode
            .and_then(|id| self.modes.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }
}

#[derive(Deserialize)]
struct IndexQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    payment_mode: String,
    /// The chosen rows of a zip; none chosen means all in the filter.
    #[serde(default)]
    id: Vec<i64>,
    #[serde(default, deserialize_with = "kernel::web::number")]
    page: Option<u64>,
    /// A CSV export's dialect: `excel` or the standard.
    #[serde(default)]
    format: String,
}

/// Payments on one page of the tab.
const PER_PAGE: u64 = 50;

impl IndexPage {
    /// The link to another page with the same filter.
    fn page_link(&self, page: u64) -> String {
        let query = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .append_pair("payment_mode", &self.mode)
            .append_pair("page", &page.to_string())
            .finish();
        format!("/customers/{}/payments?{query}", self.o.customer.id.0)
    }

    fn pager(&self) -> Pager {
        self.payments.pager(|page| self.page_link(page))
    }
}

impl IndexQuery {
    fn filter(&self) -> AppResult<PaymentFilter> {
        PaymentFilter::parse(&self.from, &self.to, &self.payment_mode).map_err(AppError::Validation)
    }
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
    RepeatedQuery(q): RepeatedQuery<IndexQuery>,
) -> AppResult<IndexPage> {
    let customer = CustomerId(id);
    let filter = q.filter()?;
    // In parallel, but the customer's visibility decides first: a customer
    // outside the actor's scope is a 404 whatever else fails.
    let (o, page, modes) = futures::join!(
        overview(&state.db, &c, &me, customer, "payments", &state.clock),
        service::page(
            &state.db,
            &me.actor,
            customer,
            &filter,
            q.page.unwrap_or(1).clamp(1, kernel::web::MAX_PAGE),
            PER_PAGE,
        ),
        billing::active_payment_modes(&state.db),
    );
    let o = o?;
    let (payments, sums) = page?;
    let modes = modes?;
    Ok(IndexPage {
        from: q.from,
        to: q.to,
        mode: q.payment_mode,
        total: c.sums(&sums),
        modes,
        c,
        o,
        payments,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/templates/all.html")]
struct AllPage {
    c: Ctx,
    payments: Page<Payment>,
    companies: std::collections::HashMap<i64, String>,
    modes: Vec<PaymentMode>,
    total: String,
    from: String,
    to: String,
    mode: String,
}

impl AllPage {
    fn mode_name(&self, p: &Payment) -> String {
        p.payment_mode
            .and_then(|id| self.modes.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }

    fn company(&self, p: &Payment) -> &str {
        self.companies
            .get(&p.customer_id.0)
            .map(String::as_str)
            .unwrap_or_default()
    }

    /// The filter as a query string.
    fn filter_query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .append_pair("payment_mode", &self.mode)
            .finish()
    }

    fn pager(&self) -> Pager {
        self.payments
            .pager(|page| format!("/payments?{}&page={page}", self.filter_query()))
    }

    /// Whether all that pass the filter may go into one export.
    fn exportable(&self) -> bool {
        self.payments.total > 0 && self.payments.total <= EXPORT_MAX
    }

    fn exports(&self) -> [(String, &'static str, &'static str); 3] {
        csv::export_links("/payments", &self.filter_query())
    }
}

/// `/payments`: the payments of every customer the actor sees.
async fn all(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    RepeatedQuery(q): RepeatedQuery<IndexQuery>,
) -> AppResult<AllPage> {
    let filter = q.filter()?;
    let page = q.page.unwrap_or(1).clamp(1, kernel::web::MAX_PAGE);
    let (payments, sums) =
        service::page(&state.db, &me.actor, None, &filter, page, PER_PAGE).await?;
    let ids: Vec<i64> = payments.data.iter().map(|p| p.customer_id.0).collect();
    let (companies, modes) = futures::try_join!(
        customers::companies(&state.db, &ids),
        billing::active_payment_modes(&state.db),
    )?;
    Ok(AllPage {
        total: c.sums(&sums),
        c,
        payments,
        companies,
        modes,
        from: q.from,
        to: q.to,
        mode: q.payment_mode,
    })
}

/// `/payments/export.csv`: the payments `/payments` lists with the same
/// filter (at most [`EXPORT_MAX`]), for Excel or as standard CSV.
async fn all_csv(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    RepeatedQuery(q): RepeatedQuery<IndexQuery>,
) -> AppResult<Response> {
    let filter = q.filter()?;
    let payments = service::export(&state.db, &me.actor, &filter).await?;
    let ids: Vec<i64> = payments.iter().map(|p| p.customer_id.0).collect();
    let (companies, modes) = futures::try_join!(
        customers::companies(&state.db, &ids),
        billing::payment_modes_offered(&state.db, &me.actor),
    )?;
    let dialect = Dialect::parse(&q.format);
    let header = [
        "date",
        "customer_id",
        "customer",
        "invoice",
        "payment_mode",
        "transaction_id",
        "currency",
        "amount",
        "id",
    ]
    .map(String::from);
    let rows = payments.iter().map(|p| {
        let amount = kernel::money::to_api(p.amount, kernel::money::minor_digits(&p.currency));
        let amount = match dialect {
            Dialect::Excel => c.locale.format_decimal(&amount),
            Dialect::Standard => amount,
        };
        let mode = p
            .payment_mode
            .and_then(|id| modes.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_default();
        [
            p.date.to_string(),
            p.customer_id.0.to_string(),
            companies.get(&p.customer_id.0).cloned().unwrap_or_default(),
            p.invoice_number.clone(),
            mode,
            p.transaction_id.clone(),
            p.currency.clone(),
            amount,
            p.id.0.to_string(),
        ]
    });
    let body = csv::table(dialect, header, rows)?;
    Ok(csv::download("payments.csv", body))
}

#[derive(Template, WebTemplate)]
#[template(path = "payments/templates/edit.html")]
struct EditPage {
    c: Ctx,
    o: Overview,
    payment: Payment,
    modes: Vec<PaymentMode>,
    f: FormState,
}

async fn edit_page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    payment: Payment,
    f: FormState,
) -> AppResult<EditPage> {
    let o = overview(
        &state.db,
        &c,
        me,
        payment.customer_id,
        "payments",
        &state.clock,
    )
    .await?;
    Ok(EditPage {
        modes: billing::active_payment_modes(&state.db).await?,
        c,
        o,
        payment,
        f,
    })
}

async fn edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<EditPage> {
    let payment = service::get(&state.db, &me.actor, PaymentId(id)).await?;
    if !invoices::may(&me.actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let digits = kernel::money::minor_digits(&payment.currency);
    let f = FormState::new(c.locale)
        .with(
            "amount",
            c.locale
                .format_decimal(&kernel::money::to_api(payment.amount, digits)),
        )
        .with("date", payment.date.to_string())
        .with(
            "payment_mode",
            payment
                .payment_mode
                .map(|m| m.0.to_string())
                .unwrap_or_default(),
        )
        .with("transaction_id", &payment.transaction_id)
        .with("note", &payment.note);
    edit_page(&state, c, &me, payment, f).await
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<PaymentForm>,
) -> AppResult<Response> {
    let payment = service::get(&state.db, &me.actor, PaymentId(id)).await?;
    let input = form.input(None);
    let result = service::update(&state.db, &me.actor, PaymentId(id), &input, &state.clock).await;
    let back = format!("/invoices/{}", payment.invoice_id.0);
    respond(
        result,
        |()| done(jar, "flash-saved", &back),
        |errors| async move {
            let f = form.typed(c.locale).with_errors(errors);
            edit_page(&state, c, &me, payment, f).await
        },
    )
    .await
}

async fn delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let invoice = service::delete(&state.db, &me.actor, PaymentId(id), &state.clock).await?;
    Ok(done(jar, "flash-deleted", &format!("/invoices/{}", invoice.0)).into_response())
}

async fn zip(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    RepeatedQuery(q): RepeatedQuery<IndexQuery>,
) -> AppResult<Response> {
    receipt::zip(&state, &me.actor, CustomerId(id), &q.filter()?, &q.id)
        .await?
        .into_response()
}

async fn all_zip(
    State(state): State<AppState>,
    Staff(me): Staff,
    RepeatedQuery(q): RepeatedQuery<IndexQuery>,
) -> AppResult<Response> {
    receipt::zip_all(&state, &me.actor, &q.filter()?)
        .await?
        .into_response()
}

async fn pdf(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    receipt::download(&state, &me.actor, PaymentId(id))
        .await?
        .into_response()
}

/// Sends the receipt to the contacts chosen by default (those with the
/// invoices permission), with the receipt template.
async fn send(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let payment = service::get(&state.db, &me.actor, PaymentId(id)).await?;
    let back = format!("/invoices/{}", payment.invoice_id.0);
    match receipt::send(&state, &me.actor, PaymentId(id), &SendInput::default()).await {
        Ok(_) => Ok(done(jar, "flash-receipt-sent", &back)),
        Err(AppError::Validation(_)) => Ok(done(jar, "error-receipt-no-recipient", &back)),
        Err(e) => Err(e),
    }
}
