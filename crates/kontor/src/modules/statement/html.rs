//! The Statement tab, its print view and PDF, and sending it by email.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Query, State},
    response::Response,
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use chrono::NaiveDate;
use kernel::{AppError, AppResult, web::Pager};
use serde::Deserialize;

use super::{
    model::{Kind, Line, PER_PAGE, Period, Preset, Statement},
    pdf, send,
    service::{self, Lines},
};

/// A page of a statement shows at most this many movements.
const MAX_PER_PAGE: u64 = 500;
use crate::http::frame::Overview;
use crate::{
    common::{
        documents::{Letterhead, file_name, in_memory, pdf_download},
        sending::{SendDraft, SendForm, Typed},
    },
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{done, respond},
        identity::SignedIn,
    },
    modules::{
        billing::service as billing,
        customers::{model::CustomerId, service::overview},
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/statement", get(index))
        .route("/customers/{id}/statement/print", get(print))
        .route("/customers/{id}/statement/pdf", get(download))
        .route("/customers/{id}/statement/send", post(send_mail))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// `this_month` (the default), `last_month`, `this_year`, `last_year`,
    /// `all` or `custom`; `from`/`to` alone make a custom one.
    #[serde(default)]
    #[param(pattern = "^(this_month|last_month|this_year|last_year|all|custom)?$")]
    pub period: String,
    /// First day of a custom period, `YYYY-MM-DD`.
    #[serde(default)]
    #[param(schema_with = crate::api::schema::query_date)]
    pub from: String,
    /// Last day of a custom period, `YYYY-MM-DD`.
    #[serde(default)]
    #[param(schema_with = crate::api::schema::query_date)]
    pub to: String,
    /// The page of movements, from 1 (0 reads as 1; one past the last
    /// shows the last).
    #[serde(default, deserialize_with = "kernel::web::page_number")]
    #[param(schema_with = kernel::web::page_schema)]
    pub page: Option<u64>,
    /// Movements a page, 1 to 500 (fewer read as 1, more as 500).
    #[serde(default, deserialize_with = "kernel::web::page_number")]
    #[param(schema_with = kernel::web::page_schema)]
    pub per_page: Option<u64>,
}

impl PeriodQuery {
    pub fn period(&self, today: NaiveDate) -> AppResult<Period> {
        Period::parse(&self.period, &self.from, &self.to, today).map_err(AppError::Validation)
    }

    /// The page asked for (the statement clamps it to the pages there are).
    pub fn page(&self) -> Lines {
        Lines::Page(
            self.page.unwrap_or(1).clamp(1, kernel::web::MAX_PAGE),
            self.per_page.unwrap_or(PER_PAGE).clamp(1, MAX_PER_PAGE),
        )
    }

    /// The query again (without the page), for links to the print view,
    /// PDF, form and the other pages.
    pub fn encoded(&self) -> String {
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query
            .append_pair("period", &self.period)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to);
        if let Some(n) = self.per_page {
            query.append_pair("per_page", &n.to_string());
        }
        query.finish()
    }
}

/// Formatting shared by the tab and the print view.
pub struct View {
    pub statement: Statement,
    pub period_text: String,
    /// The period's query, for the links to other pages.
    pub query: String,
    /// The kinds' names, looked up once rather than per line.
    labels: [String; 5],
}

impl View {
    pub fn new(c: &Ctx, statement: Statement, q: &PeriodQuery) -> Self {
        Self {
            period_text: pdf::period_text(c.locale, &statement),
            query: q.encoded(),
            labels: Kind::ALL.map(|k| c.t(k.label_key())),
            statement,
        }
    }

    /// Another page of the same period (a relative link keeps the path).
    pub fn page_link(&self, page: u64) -> String {
        format!("?{}&page={page}", self.query)
    }

    pub fn pager(&self) -> Pager {
        self.statement.lines.pager(|page| self.page_link(page))
    }

    pub fn kind(&self, line: &Line) -> &str {
        &self.labels[line.movement.kind.index()]
    }

    pub fn amount(&self, c: &Ctx, minor: &i64) -> String {
        pdf::amount(c.locale, *minor, &self.statement.currency)
    }

    pub fn debit(&self, c: &Ctx, line: &Line) -> String {
        if line.movement.kind.sign() > 0 {
            self.amount(c, &line.movement.amount)
        } else {
            String::new()
        }
    }

    pub fn credit(&self, c: &Ctx, line: &Line) -> String {
        if line.movement.kind.sign() < 0 {
            self.amount(c, &line.movement.amount)
        } else {
            String::new()
        }
    }

    pub fn negative(&self, c: &Ctx, minor: &i64) -> String {
        self.amount(c, &-minor)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "statement/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    v: View,
    q: PeriodQuery,
    query: String,
    presets: &'static [Preset],
    may_send: bool,
    send: SendDraft,
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    q: PeriodQuery,
    typed: Option<Typed>,
) -> AppResult<IndexPage> {
    let period = q.period(state.clock.today())?;
    let may_send = send::may(&me.actor);
    // The frame, the statement and the send form are read side by side
    // rather than one after the other; their errors count in that order
    // (the frame's 404 for a customer out of scope first).
    let (o, statement, materials) = futures::join!(
        overview(&state.db, &c, me, customer, "statement", &state.clock),
        service::for_staff(&state.db, &me.actor, customer, period, q.page()),
        async {
            match may_send {
                true => send::materials(state, &me.actor, customer).await.map(Some),
                false => Ok(None),
            }
        },
    );
    let (o, statement) = (o?, statement?);
    let v = View::new(&c, statement, &q);
    let send = if let Some(materials) = materials? {
        let (recipients, template) = materials.fill(&v.statement);
        let action = format!("/customers/{}/statement/send?{}", customer.0, q.encoded());
        SendDraft::new(c.locale, action, recipients, template, typed)
    } else {
        SendDraft::none(c.locale)
    };
    Ok(IndexPage {
        query: q.encoded(),
        c,
        o,
        v,
        q,
        presets: &Preset::ALL,
        may_send,
        send,
    })
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<IndexPage> {
    page(&state, c, &me, CustomerId(id), q, None).await
}

#[derive(Template, WebTemplate)]
#[template(path = "statement/templates/print.html")]
struct PrintPage {
    c: Ctx,
    company: String,
    letterhead: Letterhead,
    v: View,
}

async fn print(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<PrintPage> {
    let statement = service::for_staff(
        &state.db,
        &me.actor,
        CustomerId(id),
        q.period(state.clock.today())?,
        Lines::All,
    )
    .await?;
    let (customer, letterhead) = futures::try_join!(
        crate::modules::customers::service::get(&state.db, &me.actor, CustomerId(id)),
        billing::letterhead(&state, CustomerId(id), c.locale),
    )?;
    Ok(PrintPage {
        v: View::new(&c, statement, &q),
        company: customer.company,
        letterhead,
        c,
    })
}

async fn download(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> AppResult<Response> {
    let customer = CustomerId(id);
    let statement = service::for_staff(
        &state.db,
        &me.actor,
        customer,
        q.period(state.clock.today())?,
        Lines::All,
    )
    .await?;
    let bytes = pdf::render(&state, customer, &statement, state.clock.now()).await?;
    pdf_download(
        file_name(Some(&send::name(customer, &statement)), id),
        in_memory(bytes),
    )
    .into_response()
}

/// Sends the statement of the period in the form's address.
async fn send_mail(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
    Form(form): Form<SendForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => {
            send::send(
                &state,
                &me.actor,
                CustomerId(id),
                q.period(state.clock.today())?,
                &input,
            )
            .await
        }
        Err(e) => Err(e),
    };
    let back = format!("/customers/{id}/statement?{}", q.encoded());
    respond(
        result,
        |_| done(jar, "flash-statement-sent", &back),
        |errors| async move {
            let typed = form.typed(c.locale, errors);
            page(&state, c, &me, CustomerId(id), q, Some(typed)).await
        },
    )
    .await
}
