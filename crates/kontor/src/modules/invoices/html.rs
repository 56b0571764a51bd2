//! The Invoices tab, the invoice page and the draft form.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use axum_extra::extract::CookieJar;
use chrono::NaiveDate;
use kernel::{AppResult, money};
use rust_decimal::Decimal;
use sea_orm::QueryResult;

use super::{
    model::{Invoice, InvoiceId, InvoiceInput, InvoiceRow, Status, Unit},
    service::{self, Invoices, KIND},
};
use crate::http::frame::Overview;
use crate::{
    common::documents::{
        body::BodyInput,
        form::{Agent, DraftForm, InvoiceParts},
        pages::{self, Across, DocumentPages, Listing, Retyped, Shown},
        store::Listed,
    },
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        billing::{model::PaymentMode, service as billing},
        credit_notes::{model::Application, service as credit_notes},
        payments::{
            model::{Payment, PaymentForm},
            service as payments,
        },
        staff::service as staff,
    },
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/invoices/{id}/payments", post(record_payment))
        .route("/invoices/{id}/stop-recurring", post(stop_recurring))
        .route("/invoices/{id}/copy", post(copy))
        .route("/invoices/{id}/cancel", post(cancel))
        .merge(pages::routes::<Invoices>())
}

impl DocumentPages for Invoices {
    /// The payment form.
    type Own = FormState;
    type Row = InvoiceRow;

    fn row(listed: Listed, _: &QueryResult) -> AppResult<InvoiceRow> {
        Ok(listed.into())
    }

    async fn tab(
        state: &AppState,
        c: Ctx,
        _: &SignedIn,
        (o, l): (Overview, Listing<Status, InvoiceRow>),
    ) -> AppResult<Response> {
        let today = state.clock.today();
        Ok(IndexPage { c, o, l, today }.into_response())
    }

    async fn all(
        state: &AppState,
        c: Ctx,
        _: &SignedIn,
        l: Listing<Status, Across<InvoiceRow>>,
    ) -> AppResult<Response> {
        let today = state.clock.today();
        Ok(AllPage { c, l, today }.into_response())
    }

    fn form_fields(form: &DraftForm) -> InvoiceInput {
        InvoiceInput {
            customer_id: None,
            body: BodyInput::default(),
            recurring_every: Some(form.recurring_every.clone()),
            recurring_unit: Some(form.recurring_unit.clone()),
            recurring_cycles: Some(form.recurring_cycles.clone()),
        }
    }

    /// Due in 14 days.
    fn blank(f: FormState, today: NaiveDate) -> FormState {
        f.with("due_date", (today + chrono::Duration::days(14)).to_string())
    }

    fn refill(invoice: &Invoice, f: FormState) -> FormState {
        let agent = invoice.sales_agent_id.map(|s| s.0.to_string());
        match invoice.recurrence {
            Some(r) => f
                .with("recurring_every", r.every)
                .with("recurring_unit", r.unit.key())
                .with("recurring_cycles", r.cycles),
            None => f,
        }
        .with("sales_agent_id", agent.unwrap_or_default())
    }

    async fn form_parts(state: &AppState) -> AppResult<Option<InvoiceParts>> {
        let agents = staff::directory(&state.db)
            .await?
            .into_iter()
            .map(|a| Agent {
                id: a.id.0,
                name: format!("{} {}", a.first_name, a.last_name),
            })
            .collect();
        Ok(Some(InvoiceParts {
            agents,
            units: &UNITS,
        }))
    }

    /// The invoice page; `pay` holds what was typed into the payment form.
    async fn show(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        id: i64,
        retyped: Option<Retyped<Self::Own>>,
    ) -> AppResult<Response> {
        let id = InvoiceId(id);
        let (refilled, pay) = Retyped::split(retyped);
        let invoice = service::get(&state.db, &me.actor, id).await?;
        let (o, s) = pages::shown::<Invoices>(state, &c, me, &invoice, refilled).await?;
        let digits = money::minor_digits(&invoice.currency);
        let due = invoice.amount_due();
        let today = state.clock.today();
        let pay = pay.unwrap_or_else(|| {
            FormState::new(c.locale)
                .with(
                    "amount",
                    c.locale.format_decimal(&money::to_api(due, digits)),
                )
                .with("date", today.to_string())
        });
        let (payments, modes, credits) = futures::try_join!(
            payments::of_invoice(&state.db, &me.actor, id),
            billing::active_payment_modes(&state.db),
            credit_notes::applied_to(&state.db, id),
        )?;
        let may_edit_issued = service::may(&me.actor, Action::Edit);
        let cancellable = !invoice.is_draft()
            && invoice.status != Status::Cancelled
            && may_edit_issued
            && credit_notes::may(&me.actor, Action::Create);
        let settled = !(invoice.amount_paid.is_zero() && invoice.amount_credited.is_zero());
        let page = ShowPage {
            may_pay: !invoice.is_draft() && due > Decimal::ZERO && may_edit_issued,
            may_delete_payments: service::may(&me.actor, Action::Delete),
            overdue: invoice.is_overdue(today),
            may_copy: service::may(&me.actor, Action::Create),
            may_cancel: cancellable && !settled,
            cancel_settled: cancellable && settled,
            may_edit_issued,
            payments,
            modes,
            credits,
            pay,
            c,
            o,
            s,
            invoice,
        };
        Ok(page.into_response())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "invoices/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    l: Listing<Status, InvoiceRow>,
    today: NaiveDate,
}

impl IndexPage {
    fn total(&self, row: &InvoiceRow) -> String {
        let digits = money::minor_digits(&row.currency);
        self.c
            .amount(&money::from_minor(row.total_minor, digits), &row.currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "invoices/templates/all.html")]
struct AllPage {
    c: Ctx,
    l: Listing<Status, Across<InvoiceRow>>,
    today: NaiveDate,
}

impl AllPage {
    fn total(&self, row: &InvoiceRow) -> String {
        let digits = money::minor_digits(&row.currency);
        self.c
            .amount(&money::from_minor(row.total_minor, digits), &row.currency)
    }
}

/// The recurrence units the form offers.
const UNITS: [&str; 4] = [
    Unit::Day.key(),
    Unit::Week.key(),
    Unit::Month.key(),
    Unit::Year.key(),
];

#[derive(Template, WebTemplate)]
#[template(path = "invoices/templates/show.html")]
pub struct ShowPage {
    c: Ctx,
    o: Overview,
    s: Shown,
    invoice: Invoice,
    payments: Vec<Payment>,
    modes: Vec<PaymentMode>,
    /// The "record payment" form.
    pay: FormState,
    may_pay: bool,
    may_delete_payments: bool,
    /// Credit notes applied to the invoice.
    credits: Vec<Application>,
    /// Cancelling: issued, nothing paid or credited, and the permissions
    /// for both the invoice and the cancellation.
    may_cancel: bool,
    /// It could be cancelled but for what is paid or credited on it (the
    /// button shows why it is off).
    cancel_settled: bool,
    overdue: bool,
    may_edit_issued: bool,
    may_copy: bool,
}

impl ShowPage {
    fn mode_name(&self, p: &Payment) -> String {
        p.payment_mode
            .and_then(|id| self.modes.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }
}

async fn copy(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let today = state.clock.today();
    let copy = service::copy(&state.db, &me.actor, InvoiceId(id), today, &state.clock).await?;
    Ok(done(
        jar,
        "flash-invoice-copied",
        &format!("/invoices/{}/edit", copy.0),
    ))
}

async fn stop_recurring(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    service::stop_recurring(&state.db, &me.actor, InvoiceId(id), &state.clock).await?;
    Ok(done(
        jar,
        "flash-recurring-stopped",
        &format!("/invoices/{id}"),
    ))
}

/// Records a payment from the invoice page; refused, the page shows the
/// form again as typed.
async fn record_payment(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<PaymentForm>,
) -> AppResult<Response> {
    let result = payments::create(&state.db, &me.actor, &form.input(Some(id)), &state.clock).await;
    respond(
        result,
        |_| done(jar, "flash-payment-recorded", &format!("/invoices/{id}")),
        |errors| async move {
            let pay = form.typed(c.locale).with_errors(errors);
            Invoices::show(&state, c, &me, id, Some(Retyped::Own(pay))).await
        },
    )
    .await
}

/// Cancels the invoice with a Stornorechnung, shown next.
async fn cancel(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match credit_notes::cancel_invoice(&state, &me.actor, InvoiceId(id)).await {
        Ok(note) => Ok(done(
            jar,
            "flash-invoice-cancelled",
            &format!("/credit-notes/{}", note.0),
        )),
        Err(e) => pages::refused(jar, e, &KIND.page(id)),
    }
}
