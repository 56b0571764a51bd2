//! The Credit notes tab, the credit note page (apply, refund, void) and the
//! draft form shared with invoices; cancelling an invoice from its page.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::{IntoResponse, Response},
    routing::post,
};
use axum_extra::extract::CookieJar;
use kernel::{AppResult, money};
use rust_decimal::Decimal;
use sea_orm::QueryResult;
use serde::Deserialize;

use super::{
    model::{
        AmountInput, Application, CreditNote, CreditNoteFilter, CreditNoteId, CreditNoteInput,
        CreditNoteRow, Refund, Status,
    },
    service::{self, CreditNotes},
};
use crate::common::documents::{
    form::{DraftForm, InvoiceParts},
    pages::{self, Across, DocumentPages, Listing, Retyped, Shown},
    store::Listed,
};
use crate::http::frame::Overview;
use crate::{
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        billing::{
            model::{ModeRef, PaymentMode},
            service as billing,
        },
        invoices::{
            model::{InvoiceFilter, InvoiceRow, Status as InvoiceStatus},
            service as invoices,
        },
    },
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/credit-notes/{id}/void", post(void))
        .route("/credit-notes/{id}/apply", post(apply))
        .route("/credit-notes/{id}/refund", post(refund))
        .merge(pages::routes::<CreditNotes>())
}

impl DocumentPages for CreditNotes {
    type Own = Filled;
    type Row = CreditNoteRow;

    fn row(listed: Listed, row: &QueryResult) -> AppResult<CreditNoteRow> {
        service::row(listed, row)
    }

    async fn all(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        l: Listing<Status, Across<CreditNoteRow>>,
    ) -> AppResult<Response> {
        Ok(AllPage { c, l }.into_response())
    }

    async fn tab(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        (o, l): (Overview, Listing<Status, CreditNoteRow>),
    ) -> AppResult<Response> {
        let customer = o.customer.id;
        // Staff who see only their own notes get the credit of those.
        let available = match service::available(&state.db, &me.actor, customer).await? {
            Some(all) => all,
            None => service::list(&state.db, &me.actor, customer, &CreditNoteFilter::default())
                .await?
                .iter()
                .map(|r| r.remaining_minor)
                .sum(),
        };
        let currency = &o.customer.currency;
        let available = money::from_minor(available, money::minor_digits(currency));
        let available = c.amount(&available, currency);
        Ok(IndexPage { c, o, l, available }.into_response())
    }

    fn form_fields(_: &DraftForm) -> CreditNoteInput {
        CreditNoteInput::default()
    }

    async fn form_parts(_: &AppState) -> AppResult<Option<InvoiceParts>> {
        Ok(None)
    }

    async fn show(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        id: i64,
        retyped: Option<Retyped<Self::Own>>,
    ) -> AppResult<Response> {
        let id = CreditNoteId(id);
        let note = service::get(&state.db, &me.actor, id).await?;
        let (refilled, own) = Retyped::split(retyped);
        let (mut apply, mut refund) = (None, None);
        match own {
            Some(Filled::Apply(f)) => apply = Some(f),
            Some(Filled::Refund(f)) => refund = Some(f),
            None => {}
        }
        let (o, s) = pages::shown::<CreditNotes>(state, &c, me, &note, refilled).await?;
        let remaining = note.remaining();
        let may_use = note.status == Status::Open && service::may(&me.actor, Action::Edit);
        let open_invoices = if may_use && policy_sees_invoices(me) {
            invoices::list(
                &state.db,
                &me.actor,
                note.customer_id,
                &InvoiceFilter::default(),
            )
            .await?
            .into_iter()
            .filter(|r| {
                matches!(
                    r.status,
                    InvoiceStatus::Unpaid | InvoiceStatus::PartiallyPaid
                )
            })
            .collect()
        } else {
            Vec::new()
        };
        let digits = money::minor_digits(&note.body.currency);
        let today = state.clock.today().to_string();
        let blank = || {
            FormState::new(c.locale)
                .with(
                    "amount",
                    c.locale.format_decimal(&money::to_api(remaining, digits)),
                )
                .with("date", &today)
        };
        let (applications, refunds, modes) = futures::try_join!(
            service::applications_of(&state.db, id),
            service::refunds_of(&state.db, &note),
            billing::active_payment_modes(&state.db),
        )?;
        let page = ShowPage {
            remaining,
            applications,
            refunds,
            modes,
            open_invoices,
            may_use,
            may_void: may_use && note.applied.is_zero() && note.refunded.is_zero(),
            apply: apply.unwrap_or_else(blank),
            refund: refund.unwrap_or_else(blank),
            c,
            o,
            s,
            note,
        };
        Ok(page.into_response())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "credit_notes/templates/all.html")]
struct AllPage {
    c: Ctx,
    l: Listing<Status, Across<CreditNoteRow>>,
}

impl AllPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        let digits = money::minor_digits(currency);
        self.c.amount(&money::from_minor(*minor, digits), currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "credit_notes/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    l: Listing<Status, CreditNoteRow>,
    /// The credit the customer has left on open notes.
    available: String,
}

impl IndexPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        let digits = money::minor_digits(currency);
        self.c.amount(&money::from_minor(*minor, digits), currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "credit_notes/templates/show.html")]
struct ShowPage {
    c: Ctx,
    o: Overview,
    s: Shown,
    note: CreditNote,
    remaining: Decimal,
    applications: Vec<Application>,
    refunds: Vec<Refund>,
    modes: Vec<PaymentMode>,
    /// Open invoices of the customer the credit can go to.
    open_invoices: Vec<InvoiceRow>,
    /// Applying and refunding: an open note and staff who may edit.
    may_use: bool,
    may_void: bool,
    apply: FormState,
    refund: FormState,
}

/// A form of the credit note's own, as the user filled it in, to show again.
pub enum Filled {
    Apply(FormState),
    Refund(FormState),
}

impl ShowPage {
    fn mode_name(&self, r: &Refund) -> String {
        r.payment_mode
            .and_then(|id| self.modes.iter().find(|m| m.id == id))
            .map(|m| m.name.clone())
            .unwrap_or_default()
    }

    fn row_total(&self, r: &InvoiceRow) -> String {
        let digits = money::minor_digits(&r.currency);
        self.c
            .amount(&money::from_minor(r.total_minor, digits), &r.currency)
    }
}

fn policy_sees_invoices(me: &SignedIn) -> bool {
    crate::policy::may_see_some(&me.actor, crate::modules::invoices::service::AREA)
}

async fn void(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match service::void(&state.db, &me.actor, CreditNoteId(id), &state.clock).await {
        Ok(()) => Ok(done(
            jar,
            "flash-credit-note-voided",
            &format!("/credit-notes/{id}"),
        )),
        Err(e) => pages::refused(jar, e, &format!("/credit-notes/{id}")),
    }
}

#[derive(Deserialize)]
struct AmountForm {
    #[serde(default)]
    invoice_id: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    date: String,
    #[serde(default)]
    payment_mode: String,
    #[serde(default)]
    note: String,
}

impl AmountForm {
    fn input(&self) -> AmountInput {
        AmountInput {
            invoice_id: self.invoice_id.parse().ok(),
            amount: self.amount.clone(),
            date: self.date.clone(),
            payment_mode: self.payment_mode.parse().ok().map(ModeRef::Id),
            note: self.note.clone(),
        }
    }

    fn state(&self, c: &Ctx) -> FormState {
        FormState::new(c.locale)
            .with("invoice_id", &self.invoice_id)
            .with("amount", &self.amount)
            .with("date", &self.date)
            .with("payment_mode", &self.payment_mode)
            .with("note", &self.note)
    }
}

async fn apply(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<AmountForm>,
) -> AppResult<Response> {
    let input = form.input();
    let result = service::apply(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await;
    let answer = (
        "flash-credit-applied",
        Filled::Apply as fn(FormState) -> Filled,
    );
    answer_amount((state, c, jar, me), id, &form, result, answer).await
}

async fn refund(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<AmountForm>,
) -> AppResult<Response> {
    let input = form.input();
    let result =
        service::refund(&state.db, &me.actor, CreditNoteId(id), &input, &state.clock).await;
    let answer = (
        "flash-refund-recorded",
        Filled::Refund as fn(FormState) -> Filled,
    );
    answer_amount((state, c, jar, me), id, &form, result, answer).await
}

/// Back to the note with `flash`, or its page again with the refused
/// amount form (`refill` says which) as typed.
async fn answer_amount(
    (state, c, jar, me): (AppState, Ctx, CookieJar, SignedIn),
    id: i64,
    form: &AmountForm,
    result: AppResult<()>,
    (flash, refill): (&str, fn(FormState) -> Filled),
) -> AppResult<Response> {
    respond(
        result,
        |()| done(jar, flash, &format!("/credit-notes/{id}")),
        |errors| async move {
            let typed = form.state(&c).with_errors(errors);
            let own = Some(Retyped::Own(refill(typed)));
            CreditNotes::show(&state, c, &me, id, own).await
        },
    )
    .await
}
