//! The pages' actions every document type has, once: the draft form (new,
//! create, edit, update), issue, delete, PDF, zip of the tab's list, send
//! by email and mark as sent. A type's module
//! registers them with [`routes`] under its own paths, next to its own
//! pages; a refused action goes back to the document with the reason, a
//! refused mail shows the type's page again with the form as typed.

use std::future::Future;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{DefaultBodyLimit, Multipart, State},
    http::HeaderMap,
    response::{Html, IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use chrono::NaiveDate;
use kernel::{
    AppError, AppResult, FieldErrors,
    csv_dialect::Dialect,
    i18n::Locale,
    web::{Page, Pager},
};
use sea_orm::QueryResult;
use serde::Deserialize;

use super::{
    Letterhead,
    flow::{self, Services},
    form::{DraftForm, FormPage, InvoiceParts, LineView, filled},
    kind::DRAFT,
    parties::Company,
    store::{self, Listed},
    typed::{self, DocumentType},
};
use crate::{
    common::{
        attach::{NoteForm, ReminderForm, Rendered},
        csv_io as csv,
        entity_ref::EntityRef,
        filter::{DocumentFilter, StatusKey},
        ids::CustomerId,
        sending::{SendDraft, SendForm, Typed},
        totals::Totals,
    },
    http::{
        ctx::Ctx,
        extract::{Form, Path, RepeatedQuery, Staff},
        form::{FormState, done, respond},
        frame::Overview,
        identity::SignedIn,
    },
    policy::{self, Action, StaffActor},
    state::AppState,
};

/// A document type's pages as the shared actions need them.
pub trait DocumentPages: DocumentType {
    /// The type's own forms its page shows again after a refusal.
    type Own: Send;
    /// A line of the customer's tab.
    type Row: Send;

    /// The tab's line of a listed document (`row` holds the type's own
    /// columns).
    fn row(listed: Listed, row: &QueryResult) -> AppResult<Self::Row>;

    /// The customer's tab listing the type's documents.
    fn tab(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        listing: (Overview, Listing<Self::Status, Self::Row>),
    ) -> impl Future<Output = AppResult<Response>> + Send;

    /// The list of the type's documents of every customer the actor sees,
    /// at `{path}`.
    fn all(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        listing: Listing<Self::Status, Across<Self::Row>>,
    ) -> impl Future<Output = AppResult<Response>> + Send;

    /// The type's own fields from the draft form.
    fn form_fields(form: &DraftForm) -> Self::Fields;

    /// A new draft's form, dated `today`, with the type's defaults.
    fn blank(f: FormState, _today: NaiveDate) -> FormState {
        f
    }

    /// A draft's form with the type's own fields (the core fills the body).
    fn refill(_doc: &Self::Doc, f: FormState) -> FormState {
        f
    }

    /// What the form offers besides the body (agents, recurrence).
    fn form_parts(state: &AppState)
    -> impl Future<Output = AppResult<Option<InvoiceParts>>> + Send;

    /// The document's page, with a refused form as it was typed.
    fn show(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        id: i64,
        retyped: Option<Retyped<Self::Own>>,
    ) -> impl Future<Output = AppResult<Response>> + Send;
}

/// A refused form as it was typed, for the document's page to show again:
/// one of the core's (send, note, reminder) or one of the type's own.
pub enum Retyped<O> {
    Mail(Typed),
    Note(FormState),
    Reminder(FormState),
    Own(O),
}

/// The core's forms of a document's page, each as typed if it was refused.
#[derive(Default)]
pub struct Refilled {
    pub mail: Option<Typed>,
    pub note: Option<FormState>,
    pub reminder: Option<FormState>,
}

impl Refilled {
    /// The note form: as typed, or empty.
    pub fn note_form(&mut self, locale: Locale) -> FormState {
        self.note.take().unwrap_or_else(|| FormState::new(locale))
    }

    /// The reminder form: as typed, or for the signed-in member.
    pub fn reminder_form(&mut self, locale: Locale, me: &SignedIn) -> FormState {
        self.reminder
            .take()
            .unwrap_or_else(|| FormState::new(locale).with("staff_id", me.actor.id.0))
    }
}

impl<O> Retyped<O> {
    /// The core's forms apart from the type's own.
    pub fn split(retyped: Option<Self>) -> (Refilled, Option<O>) {
        let mut core = Refilled::default();
        let own = match retyped {
            Some(Self::Mail(t)) => {
                core.mail = Some(t);
                None
            }
            Some(Self::Note(f)) => {
                core.note = Some(f);
                None
            }
            Some(Self::Reminder(f)) => {
                core.reminder = Some(f);
                None
            }
            Some(Self::Own(o)) => Some(o),
            None => None,
        };
        (core, own)
    }
}

/// What every document's page shows besides the type's own: the totals,
/// what the actor may do with it, the send form and what hangs on it.
pub struct Shown {
    pub t: Totals,
    /// Editing and deleting: a draft and staff who may.
    pub may_edit: bool,
    pub may_delete: bool,
    /// The "send by email" form, for issued documents and staff who may.
    pub may_send: bool,
    pub send: SendDraft,
    /// Its notes, files and reminders with the forms to add more.
    pub attached: Rendered,
    /// The company details a draft waits for before it may be issued,
    /// labelled; empty once they are set (or for issued documents).
    pub seller_gaps: Vec<String>,
    /// What the page shows on paper above the document.
    pub letterhead: Letterhead,
    /// The record it was made from (an estimate), as a title and a link.
    pub origin: Option<(String, String)>,
}

/// The customer's frame and the shared parts of `doc`'s page, with the
/// core's refused forms as typed.
pub async fn shown<T: DocumentPages>(
    state: &AppState,
    c: &Ctx,
    me: &SignedIn,
    doc: &T::Doc,
    mut refilled: Refilled,
) -> AppResult<(Overview, Shown)> {
    let head = T::head(doc);
    let page = T::KIND.page(head.id);
    let record = (flow::entity(T::KIND, head.id), page.as_str());
    let forms = (
        refilled.note_form(c.locale),
        refilled.reminder_form(c.locale, me),
    );
    let draft = head.status == DRAFT;
    let may = |action| draft && flow::may(T::KIND, &me.actor, action);
    let gaps = async {
        match may(Action::Edit) {
            true => T::SVC.seller_gaps(&state.db).await,
            false => Ok(Vec::new()),
        }
    };
    let origin = async {
        match store::source(&state.db, T::KIND, head.id).await? {
            Some(source) => T::SVC.origin(&state.db, &me.actor, source).await,
            None => Ok(None),
        }
    };
    let (o, send, attached, gaps, letterhead, origin) = futures::try_join!(
        T::SVC.overview(state, c, me, head.customer_id, T::KIND.tab),
        send_draft::<T>(state, c.locale, &me.actor, doc, refilled.mail.take()),
        T::SVC.attached(state, c, me, record, forms),
        gaps,
        T::SVC.letterhead(state, head.customer_id, c.locale),
        origin,
    )?;
    let shown = Shown {
        t: head.body.totals(),
        may_edit: may(Action::Edit),
        may_delete: may(Action::Delete),
        may_send: typed::may_send::<T>(&me.actor, doc),
        send,
        attached,
        seller_gaps: gaps
            .into_iter()
            .map(|field| c.t(Company::label_key(field)))
            .collect(),
        letterhead,
        origin,
    };
    Ok((o, shown))
}

/// The documents on a customer's tab: one page of those that pass the
/// filter, and what the tab offers.
pub struct Listing<S: 'static, R> {
    pub query: ListQuery,
    pub rows: Page<R>,
    /// The sum of all that pass the filter, in the customer's currency.
    pub sum: String,
    pub statuses: &'static [S],
    pub may_create: bool,
    /// The tab, which the links to other pages extend.
    tab: String,
}

impl<S, R> Listing<S, R> {
    /// Whether all that pass the filter may go into one export.
    pub fn exportable(&self) -> bool {
        self.rows.total > 0 && self.rows.total <= csv::EXPORT_MAX
    }

    /// The export links with the list's filter: zip, for Excel, CSV.
    pub fn exports(&self) -> [(String, &'static str, &'static str); 3] {
        crate::common::csv_io::export_links(&self.tab, &self.query.filter_query())
    }

    /// The link to another page with the same filter.
    pub fn page_link(&self, page: u64) -> String {
        self.query.page_link(&self.tab, page)
    }

    pub fn pager(&self) -> Pager {
        self.rows.pager(|page| self.page_link(page))
    }
}

/// A line of a list across customers: the type's row and its customer.
pub struct Across<R> {
    pub row: R,
    pub customer_id: i64,
    pub company: String,
}

/// Documents on one page of a list.
const PER_PAGE: u64 = 50;

/// `{path}`: the type's documents of every customer the actor sees.
async fn all<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    RepeatedQuery(query): RepeatedQuery<ListQuery>,
) -> AppResult<Response> {
    if !policy::may_see_some(&me.actor, T::KIND.area) {
        return Err(AppError::Forbidden);
    }
    let filter = query.filter::<T::Status>()?;
    let page = query.page.unwrap_or(1);
    let (found, sums) = typed::core::<T>(&state.db)
        .page(&me.actor, None, &filter, (page, PER_PAGE))
        .await?;
    let path = T::KIND.path.to_string();
    if found.page > found.pages() {
        return Ok(Redirect::to(&query.page_link(&path, found.pages())).into_response());
    }
    let ids: Vec<i64> = found.data.iter().map(|(l, _)| l.customer_id).collect();
    let companies = T::SVC.companies(&state.db, &ids).await?;
    let rows = found.try_map(|(l, row)| {
        let customer_id = l.customer_id;
        AppResult::Ok(Across {
            row: T::row(l, &row)?,
            customer_id,
            company: companies.get(&customer_id).cloned().unwrap_or_default(),
        })
    })?;
    let listing = Listing {
        rows,
        sum: c.sums(&sums),
        statuses: T::Status::all(),
        may_create: false,
        tab: path,
        query,
    };
    T::all(&state, c, &me, listing).await
}

async fn all_zip<T: DocumentPages>(
    State(state): State<AppState>,
    Staff(me): Staff,
    RepeatedQuery(q): RepeatedQuery<ListQuery>,
) -> AppResult<Response> {
    let filter = q.filter::<T::Status>()?;
    typed::zip_all::<T>(&state, &me.actor, &filter)
        .await?
        .into_response()
}

async fn all_csv<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    RepeatedQuery(q): RepeatedQuery<ListQuery>,
) -> AppResult<Response> {
    let filter = q.filter::<T::Status>()?;
    let dialect = Dialect::parse(&q.format);
    let body = typed::csv_all::<T>(&state, &me.actor, &filter, c.locale, dialect).await?;
    Ok(csv::download(&format!("{}.csv", T::KIND.tab), body))
}

async fn tab<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
    RepeatedQuery(query): RepeatedQuery<ListQuery>,
) -> AppResult<Response> {
    let customer = CustomerId(id);
    let filter = query.filter::<T::Status>()?;
    let page = query.page.unwrap_or(1);
    // In parallel, but the customer's visibility decides first: a customer
    // outside the actor's scope is a 404 whatever else fails.
    let core = typed::core::<T>(&state.db);
    let (o, found) = futures::join!(
        T::SVC.overview(&state, &c, &me, customer, T::KIND.tab),
        core.page(&me.actor, Some(customer), &filter, (page, PER_PAGE)),
    );
    let o = o?;
    let (found, sums) = found?;
    let tab = T::KIND.customer_tab(id);
    if found.page > found.pages() {
        let last = query.page_link(&tab, found.pages());
        return Ok(Redirect::to(&last).into_response());
    }
    let currency = &o.customer.currency;
    let sum = sums
        .into_iter()
        .find(|(c, _)| c == currency)
        .unwrap_or((currency.clone(), 0));
    let listing = Listing {
        rows: found.try_map(|(l, row)| T::row(l, &row))?,
        sum: c.sums(&[sum]),
        statuses: T::Status::all(),
        may_create: flow::may(T::KIND, &me.actor, Action::Create),
        tab,
        query,
    };
    T::tab(&state, c, &me, (o, listing)).await
}

/// The shared actions under the type's paths.
pub fn routes<T: DocumentPages>() -> Router<AppState> {
    let (path, tab) = (T::KIND.path, T::KIND.tab);
    let router = match T::KIND.prose {
        true => Router::new().route(&format!("{path}/preview"), post(preview::<T>)),
        false => Router::new(),
    };
    router
        .route(path, get(all::<T>))
        .route(&format!("{path}/zip"), get(all_zip::<T>))
        .route(&format!("{path}/export.csv"), get(all_csv::<T>))
        .route(&format!("{path}/{{id}}"), get(show::<T>).post(update::<T>))
        .route(
            &format!("/customers/{{id}}/{tab}"),
            get(self::tab::<T>).post(create::<T>),
        )
        .route(&format!("/customers/{{id}}/{tab}/new"), get(new::<T>))
        .route(
            &format!("/customers/{{id}}/{tab}/totals"),
            post(totals::<T>),
        )
        .route(&format!("/customers/{{id}}/{tab}/zip"), get(zip::<T>))
        .route(&format!("{path}/{{id}}/edit"), get(edit::<T>))
        .route(&format!("{path}/{{id}}/issue"), post(issue::<T>))
        .route(&format!("{path}/{{id}}/pdf"), get(pdf::<T>))
        .route(&format!("{path}/{{id}}/send"), post(send::<T>))
        .route(&format!("{path}/{{id}}/mark-sent"), post(mark_sent::<T>))
        .route(&format!("{path}/{{id}}/delete"), post(delete::<T>))
        .route(&format!("{path}/{{id}}/notes"), post(add_note::<T>))
        .route(&format!("{path}/{{id}}/reminders"), post(add_reminder::<T>))
        .route(
            &format!("{path}/{{id}}/files"),
            post(attach_files::<T>).layer(DefaultBodyLimit::disable()),
        )
}

/// The "send by email" form of an issued document for staff who may send
/// it (none otherwise).
pub async fn send_draft<T: DocumentType>(
    state: &AppState,
    locale: Locale,
    actor: &StaffActor,
    doc: &T::Doc,
    typed: Option<Typed>,
) -> AppResult<SendDraft> {
    if !typed::may_send::<T>(actor, doc) {
        return Ok(SendDraft::none(locale));
    }
    let (recipients, template) = typed::prepare::<T>(state, actor, doc).await?;
    let action = format!("{}/send", T::KIND.page(T::head(doc).id));
    Ok(SendDraft::new(locale, action, recipients, template, typed))
}

async fn show<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    T::show(&state, c, &me, id, None).await
}

/// A state change refused (issued, used or settled meanwhile): back to
/// `to` with the reason.
pub fn refused(jar: CookieJar, e: AppError, to: &str) -> AppResult<Response> {
    match e {
        AppError::Conflict(reason) => Ok(done(jar, &reason, to)),
        // The page says which company details are missing and links there.
        AppError::Validation(fields)
            if fields.0.keys().all(|k| k.starts_with(flow::SELLER_PREFIX)) =>
        {
            Ok(done(jar, "error-seller-missing", to))
        }
        e => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ListQuery {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub from: String,
    #[serde(default)]
    pub to: String,
    #[serde(default, deserialize_with = "kernel::web::number")]
    pub page: Option<u64>,
    /// The chosen rows of a zip; none chosen means all that pass the filter.
    #[serde(default)]
    pub id: Vec<i64>,
    /// A CSV export's dialect: `excel` or the standard.
    #[serde(default)]
    pub format: String,
}

impl ListQuery {
    pub fn filter<S: StatusKey>(&self) -> AppResult<DocumentFilter<S>> {
        DocumentFilter::parse(&self.status, &self.from, &self.to).map_err(AppError::Validation)
    }

    /// The filter as a query string, for the links that export the list.
    pub fn filter_query(&self) -> String {
        url::form_urlencoded::Serializer::new(String::new())
            .append_pair("status", &self.status)
            .append_pair("from", &self.from)
            .append_pair("to", &self.to)
            .finish()
    }

    /// The link to another page of the tab with the same filter.
    pub fn page_link(&self, tab: &str, page: u64) -> String {
        format!("{tab}?{}&page={page}", self.filter_query())
    }
}

async fn zip<T: DocumentPages>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    RepeatedQuery(q): RepeatedQuery<ListQuery>,
) -> AppResult<Response> {
    let filter = q.filter::<T::Status>()?;
    typed::zip::<T>(&state, &me.actor, CustomerId(id), &filter, &q.id)
        .await?
        .into_response()
}

async fn issue<T: DocumentPages>(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let page = T::KIND.page(id);
    match typed::issue::<T>(&state, &me.actor, id).await {
        Ok(_) => Ok(done(jar, &T::KIND.flash("issued"), &page)),
        Err(e) => refused(jar, e, &page),
    }
}

async fn pdf<T: DocumentPages>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    typed::download::<T>(&state, &me.actor, id)
        .await?
        .into_response()
}

async fn delete<T: DocumentPages>(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match typed::delete::<T>(&state, &me.actor, id).await {
        Ok(customer) => Ok(done(
            jar,
            "flash-deleted",
            &T::KIND.customer_tab(customer.0),
        )),
        Err(e) => refused(jar, e, &T::KIND.page(id)),
    }
}

async fn mark_sent<T: DocumentPages>(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    typed::mark_sent::<T>(&state, &me.actor, id).await?;
    Ok(done(jar, &T::KIND.flash("marked-sent"), &T::KIND.page(id)))
}

async fn send<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<SendForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => typed::send::<T>(&state, &me.actor, id, &input).await,
        Err(e) => Err(e),
    };
    respond(
        result,
        |_| done(jar, &T::KIND.flash("sent"), &T::KIND.page(id)),
        |errors| async move {
            let typed = Retyped::Mail(form.typed(c.locale, errors));
            T::show(&state, c, &me, id, Some(typed)).await
        },
    )
    .await
}

async fn form_page<T: DocumentPages>(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    action: String,
    typed: (FormState, Vec<LineView>),
) -> AppResult<FormPage> {
    let (o, tax_rates, parts) = futures::try_join!(
        T::SVC.overview(state, &c, me, customer, T::KIND.tab),
        T::SVC.tax_rates(&state.db),
        T::form_parts(state),
    )?;
    let totals = format!("{}/totals", T::KIND.customer_tab(customer.0));
    Ok(FormPage::new(
        (c, o, T::KIND),
        (action, totals),
        typed,
        &tax_rates,
        parts,
    ))
}

async fn new<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    if !flow::may(T::KIND, &me.actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    let today = state.clock.today();
    let f = T::blank(
        FormState::new(c.locale).with("date", today.to_string()),
        today,
    );
    let action = T::KIND.customer_tab(id);
    form_page::<T>(&state, c, &me, CustomerId(id), action, (f, Vec::new())).await
}

async fn create<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    let customer = CustomerId(id);
    let input = (form.body(), T::form_fields(&form));
    let result = typed::create::<T>(&state.db, &me.actor, customer, input, &state.clock).await;
    let form_at = (customer, T::KIND.customer_tab(id));
    answer_draft::<T>((state, c, jar, me), result, form_at, form).await
}

/// The saved draft's page, or the form again with what was typed and why
/// it was refused.
async fn answer_draft<T: DocumentPages>(
    (state, c, jar, me): (AppState, Ctx, CookieJar, SignedIn),
    result: AppResult<i64>,
    (customer, action): (CustomerId, String),
    form: DraftForm,
) -> AppResult<Response> {
    respond(
        result,
        |doc| done(jar, "flash-saved", &T::KIND.page(doc)),
        |errors| async move {
            let f = form.state(c.locale, errors);
            form_page::<T>(&state, c, &me, customer, action, (f, form.lines())).await
        },
    )
    .await
}

/// The totals of a draft form as typed, by the rules issuing applies, for
/// the form to show as it is typed (htmx swaps them in).
#[derive(Template, WebTemplate)]
#[template(path = "documents/templates/totals.html")]
struct LiveTotals {
    c: Ctx,
    totals: Option<(Totals, String)>,
}

async fn totals<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> AppResult<LiveTotals> {
    let parsed = typed::core::<T>(&state.db)
        .parse(&me.actor, CustomerId(id), &form.body(), None, &state.clock)
        .await;
    let totals = match parsed {
        Ok(body) => Some((body.totals(), body.currency.clone())),
        Err(AppError::Validation(_)) => None,
        Err(e) => return Err(e),
    };
    Ok(LiveTotals { c, totals })
}

/// A letter's content as it will show, while it is typed: the markdown
/// rendered and sanitised as every page renders it.
async fn preview<T: DocumentPages>(
    Staff(me): Staff,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    if !policy::may_see_some(&me.actor, T::KIND.area) {
        return Err(AppError::Forbidden);
    }
    Ok(Html(kernel::markdown::render(&form.content)).into_response())
}

async fn edit<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let doc = T::get(&state.db, &me.actor, id).await?;
    if !flow::may(T::KIND, &me.actor, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let head = T::head(&doc);
    if head.status != DRAFT {
        return Ok(Redirect::to(&T::KIND.page(id)).into_response());
    }
    let (f, lines) = filled(&head.body, c.locale);
    let f = T::refill(&doc, f);
    let page = form_page::<T>(
        &state,
        c,
        &me,
        head.customer_id,
        T::KIND.page(id),
        (f, lines),
    );
    Ok(page.await?.into_response())
}

async fn update<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<DraftForm>,
) -> AppResult<Response> {
    let customer = T::head(&T::get(&state.db, &me.actor, id).await?).customer_id;
    let input = (form.body(), T::form_fields(&form));
    let result = typed::update::<T>(&state.db, &me.actor, id, input, &state.clock).await;
    let form_at = (customer, T::KIND.page(id));
    answer_draft::<T>((state, c, jar, me), result.map(|()| id), form_at, form).await
}

/// The document as a record attachables hang on, for an actor who may
/// see it.
async fn record_of<T: DocumentPages>(
    state: &AppState,
    me: &SignedIn,
    id: i64,
) -> AppResult<(EntityRef, CustomerId)> {
    let doc = T::get(&state.db, &me.actor, id).await?;
    Ok((flow::entity(T::KIND, id), T::head(&doc).customer_id))
}

/// Back to the document's `anchor` section, or its page again with the
/// refused form as `retype` makes it from the errors.
async fn answer_attached<T: DocumentPages>(
    (state, c, jar, me): (AppState, Ctx, CookieJar, SignedIn),
    (id, anchor): (i64, &str),
    result: AppResult<()>,
    retype: impl FnOnce(Locale, FieldErrors) -> Retyped<T::Own>,
) -> AppResult<Response> {
    respond(
        result,
        |()| {
            done(
                jar,
                "flash-saved",
                &format!("{}#{anchor}", T::KIND.page(id)),
            )
        },
        |errors| async move {
            let typed = retype(c.locale, errors);
            T::show(&state, c, &me, id, Some(typed)).await
        },
    )
    .await
}

/// Adds a note to the document: whoever may see the document may.
async fn add_note<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> AppResult<Response> {
    let record = record_of::<T>(&state, &me, id).await?;
    let result = T::SVC
        .add_note(&state.db, &me.actor, record, &form, &state.clock)
        .await;
    let retype = |l, errors| Retyped::Note(form.typed(l).with_errors(errors));
    answer_attached::<T>((state, c, jar, me), (id, "notes"), result, retype).await
}

/// Attaches uploaded files to the document: whoever may see the document
/// may. A refused upload goes back to the document with the reason.
async fn attach_files<T: DocumentPages>(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    headers: HeaderMap,
    multipart: Multipart,
) -> AppResult<Response> {
    let record = record_of::<T>(&state, &me, id).await?;
    let to = format!("{}#files", T::KIND.page(id));
    let stored = T::SVC
        .attach_files(&state, &me.actor, record, &headers, multipart)
        .await;
    match stored {
        Ok(_) => Ok(done(jar, "flash-uploaded", &to)),
        Err(AppError::Validation(errors)) => {
            let reason = errors.0.into_values().next().unwrap_or_default();
            Ok(done(jar, &reason, &to))
        }
        Err(AppError::BadRequest(reason)) => Ok(done(jar, &reason, &to)),
        Err(e) => Err(e),
    }
}

/// Sets a reminder on the document: whoever may see the document may.
async fn add_reminder<T: DocumentPages>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ReminderForm>,
) -> AppResult<Response> {
    let record = record_of::<T>(&state, &me, id).await?;
    let result = T::SVC.add_reminder(&state, &me.actor, record, &form).await;
    let retype = |l, errors| Retyped::Reminder(form.state(l, errors));
    answer_attached::<T>((state, c, jar, me), (id, "reminders"), result, retype).await
}
