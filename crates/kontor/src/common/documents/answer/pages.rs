//! The pages of an answered document: the customer's on the secret link
//! (`/p/{key}/{token}`) and in the portal (`/portal/{tab}`, contacts with
//! the `{tab}` permission), and staff's actions on its page (an answer
//! recorded for the customer or taken back, the signed copy, the
//! signature) and its settings page (`/settings/{tab}`). An answer that
//! cannot be taken shows the page again with why; nothing changes.

use std::net::SocketAddr;

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{ConnectInfo, FromRequestParts, State},
    http::{StatusCode, header, request::Parts},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, money};
use serde::Deserialize;

use super::{
    Answerable, Answerer, Settings, accept_for, by_token, decline_for, find, for_contact, is_open,
    key, of_contact, past_date, signature_png, signed_name, signed_pdf, undo_answer, viewed,
};
use crate::{
    common::{
        documents::{
            accept::{AcceptInput, DeclineInput, Origin},
            flow::Services,
            pages::{self as doc_pages, Retyped},
            typed,
        },
        filter::StatusKey,
        totals::Totals,
    },
    http::{
        client_ip,
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        portal::{Portal, PortalUser, ctx as portal_ctx},
    },
    policy::{self, Action},
    state::AppState,
};

/// The customer's pages and staff's answer actions of the type.
pub fn routes<T: Answerable>() -> Router<AppState> {
    let (path, tab) = (T::KIND.path, T::KIND.tab);
    let public = format!("/p/{}/{{token}}", T::KIND.key);
    let portal = format!("/portal/{tab}");
    Router::new()
        .route(&public, get(public_page::<T>))
        .route(&format!("{public}/accept"), post(public_accept::<T>))
        .route(&format!("{public}/decline"), post(public_decline::<T>))
        .route(&format!("{public}/pdf"), get(public_pdf::<T>))
        .route(&format!("{public}/signed.pdf"), get(public_signed::<T>))
        .route(&portal, get(portal_index::<T>))
        .route(&format!("{portal}/{{id}}"), get(portal_page::<T>))
        .route(&format!("{portal}/{{id}}/accept"), post(portal_accept::<T>))
        .route(
            &format!("{portal}/{{id}}/decline"),
            post(portal_decline::<T>),
        )
        .route(&format!("{portal}/{{id}}/pdf"), get(portal_pdf::<T>))
        .route(
            &format!("{portal}/{{id}}/signed.pdf"),
            get(portal_signed::<T>),
        )
        .route(&format!("{path}/{{id}}/accept"), post(staff_accept::<T>))
        .route(&format!("{path}/{{id}}/decline"), post(staff_decline::<T>))
        .route(&format!("{path}/{{id}}/undo-answer"), post(undo::<T>))
        .route(&format!("{path}/{{id}}/signed.pdf"), get(staff_signed::<T>))
        .route(&format!("{path}/{{id}}/signature.png"), get(signature::<T>))
        .route(
            &format!("/settings/{tab}"),
            get(settings_page::<T>).post(save_settings::<T>),
        )
}

/// The document as its customer reads and answers it, for the type's page.
pub struct AnswerView<T: Answerable> {
    pub company: String,
    pub doc: T::Doc,
    pub t: Totals,
    /// Where its links and forms go: `/p/{key}/{token}` or
    /// `/portal/{tab}/{id}`.
    pub base: String,
    pub legal: String,
    pub open: bool,
    /// Sent but past its date, or expired.
    pub lapsed: bool,
    pub accept: FormState,
    pub decline: FormState,
    /// The type's own form (a comment) as typed, when it was refused.
    pub own: Option<FormState>,
    /// Why an answer was not taken (a message key), when it was not.
    pub refused: Option<String>,
}

impl<T: Answerable> AnswerView<T> {
    pub fn accepted(&self) -> bool {
        T::head(&self.doc).status == super::ACCEPTED
    }

    /// Where one of its forms posts (`comments` -> `{base}/comments`).
    pub fn action(&self, what: &str) -> String {
        format!("{}/{what}", self.base)
    }

    pub fn title(&self, c: &Ctx) -> String {
        let kind = c.t(T::KIND.key);
        match T::head(&self.doc).number {
            Some(n) => format!("{kind} {n}"),
            None => kind,
        }
    }
}

/// What the page shows besides the document: the forms as typed and why
/// an answer was refused.
#[derive(Default)]
pub struct Typed {
    pub accept: Option<FormState>,
    pub decline: Option<FormState>,
    pub own: Option<FormState>,
    pub refused: Option<String>,
}

/// The customer's page of the document, with the forms as typed.
pub async fn answer_page<T: Answerable>(
    state: &AppState,
    c: Ctx,
    doc: T::Doc,
    (base, portal): (String, Option<PortalUser>),
    typed: Typed,
) -> AppResult<Response> {
    let (company, settings) = futures::try_join!(
        T::SVC.company_name(&state.db),
        Settings::load::<T>(&state.db)
    )?;
    let retyped = typed.accept.is_some() || typed.decline.is_some() || typed.own.is_some();
    let status = match (&typed.refused, retyped) {
        (Some(_), _) => StatusCode::CONFLICT,
        (None, true) => StatusCode::UNPROCESSABLE_ENTITY,
        (None, false) => StatusCode::OK,
    };
    let today = state.clock.today();
    let head = T::head(&doc);
    let view = AnswerView::<T> {
        company,
        t: head.body.totals(),
        open: is_open::<T>(&doc, today),
        lapsed: past_date::<T>(&doc, today) || head.status == super::EXPIRED,
        legal: settings.legal_text::<T>(c.locale),
        accept: typed.accept.unwrap_or_else(|| FormState::new(c.locale)),
        decline: typed.decline.unwrap_or_else(|| FormState::new(c.locale)),
        own: typed.own,
        refused: typed.refused,
        doc,
        base,
    };
    let mut page = T::page(state, c, view, portal).await?;
    *page.status_mut() = status;
    Ok(page)
}

/// Where an answer comes from: the client's address (through our proxies)
/// and its browser.
pub struct Answering(pub Origin);

impl FromRequestParts<AppState> for Answering {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        let addr = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|c| c.0)
            .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no peer address")))?;
        let headers = &parts.headers;
        Ok(Answering(Origin {
            ip: client_ip(&state.config.trusted_proxies, addr, headers),
            user_agent: headers
                .get(header::USER_AGENT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or_default()
                .chars()
                .take(500)
                .collect(),
        }))
    }
}

/// Who reads the page: a visitor on the link (in the customer's language)
/// or a signed-in contact; where its forms go.
pub enum Reader {
    Link(String),
    Contact(Box<PortalUser>),
}

impl Reader {
    pub fn base<T: Answerable>(&self, doc: &T::Doc) -> String {
        match self {
            Reader::Link(token) => format!("/p/{}/{token}", T::KIND.key),
            Reader::Contact(_) => format!("/portal/{}/{}", T::KIND.tab, T::head(doc).id),
        }
    }

    pub fn answerer(&self, origin: Origin) -> Answerer<'_> {
        match self {
            Reader::Link(_) => Answerer::Public(origin),
            Reader::Contact(u) => Answerer::Contact(u.contact.id.0, u.contact.name(), origin),
        }
    }

    /// The page's context: the portal's for a contact, the customer's
    /// language on the link.
    pub async fn ctx<T: Answerable>(
        &self,
        state: &AppState,
        mut c: Ctx,
        doc: &T::Doc,
    ) -> AppResult<Ctx> {
        match self {
            Reader::Contact(u) => Ok(portal_ctx(c, Some(u))),
            Reader::Link(_) => {
                c.locale = T::SVC
                    .customer_of(&state.db, T::head(doc).customer_id)
                    .await?
                    .1;
                Ok(portal_ctx(c, None))
            }
        }
    }

    /// The document this reader names by `key` (token or id).
    pub async fn doc<T: Answerable>(&self, state: &AppState, id: Option<i64>) -> AppResult<T::Doc> {
        match (self, id) {
            (Reader::Link(token), _) => by_token::<T>(&state.db, token).await,
            (Reader::Contact(u), Some(id)) => {
                for_contact::<T>(&state.db, u.contact.customer_id, id).await
            }
            (Reader::Contact(_), None) => Err(AppError::NotFound),
        }
    }

    fn portal(self) -> Option<PortalUser> {
        match self {
            Reader::Link(_) => None,
            Reader::Contact(u) => Some(*u),
        }
    }
}

/// A contact who may see the type's documents in the portal; not found
/// otherwise.
pub fn contact<T: Answerable>(u: PortalUser) -> AppResult<Reader> {
    if u.may(T::KIND.tab) {
        Ok(Reader::Contact(Box::new(u)))
    } else {
        Err(AppError::NotFound)
    }
}

/// An answer's or the type's own form's outcome as the customer sees it:
/// back to the page with a message, or the page again with the form as
/// typed or the refusal.
pub async fn answered<T: Answerable>(
    (state, c, jar): (&AppState, Ctx, CookieJar),
    (reader, doc): (Reader, T::Doc),
    result: AppResult<()>,
    (flash, typed): (&str, impl FnOnce(&Ctx, FieldErrors) -> Typed),
) -> AppResult<Response> {
    let base = reader.base::<T>(&doc);
    let c = reader.ctx::<T>(state, c, &doc).await?;
    let retyped = match result {
        Ok(()) => return Ok(done(jar, flash, &base)),
        Err(AppError::Validation(errors)) => typed(&c, errors),
        Err(AppError::Conflict(reason)) => Typed {
            refused: Some(reason),
            ..Typed::default()
        },
        Err(e) => return Err(e),
    };
    let doc = find::<T>(&state.db, T::head(&doc).id).await?;
    answer_page::<T>(state, c, doc, (base, reader.portal()), retyped).await
}

async fn show<T: Answerable>(
    state: &AppState,
    c: Ctx,
    reader: Reader,
    id: Option<i64>,
) -> AppResult<Response> {
    let mut doc = reader.doc::<T>(state, id).await?;
    if viewed::<T>(state, &doc).await? {
        doc = find::<T>(&state.db, T::head(&doc).id).await?;
    }
    let base = reader.base::<T>(&doc);
    let c = reader.ctx::<T>(state, c, &doc).await?;
    answer_page::<T>(state, c, doc, (base, reader.portal()), Typed::default()).await
}

async fn accept<T: Answerable>(
    (state, c, jar): (AppState, Ctx, CookieJar),
    (reader, id, origin): (Reader, Option<i64>, Origin),
    input: AcceptInput,
) -> AppResult<Response> {
    let doc = reader.doc::<T>(&state, id).await?;
    let result = match input.check() {
        Ok(signed) => {
            let by = reader.answerer(origin);
            super::accept::<T>(&state, T::head(&doc).id, by, signed).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let typed = |c: &Ctx, errors| Typed {
        accept: Some(
            FormState::new(c.locale)
                .with("name", &input.name)
                .with("email", &input.email)
                .with("agree", input.agree == "1")
                .with_errors(errors),
        ),
        ..Typed::default()
    };
    let flash = key::<T>("flash", "you-accepted");
    answered::<T>((&state, c, jar), (reader, doc), result, (&flash, typed)).await
}

async fn decline<T: Answerable>(
    (state, c, jar): (AppState, Ctx, CookieJar),
    (reader, id, origin): (Reader, Option<i64>, Origin),
    input: DeclineInput,
) -> AppResult<Response> {
    let doc = reader.doc::<T>(&state, id).await?;
    let result = match input.check() {
        Ok(reason) => {
            let by = reader.answerer(origin);
            super::decline::<T>(&state, T::head(&doc).id, by, reason).await
        }
        Err(e) => Err(AppError::Validation(e)),
    };
    let typed = |c: &Ctx, errors| Typed {
        decline: Some(
            FormState::new(c.locale)
                .with("reason", &input.reason)
                .with_errors(errors),
        ),
        ..Typed::default()
    };
    let flash = key::<T>("flash", "you-declined");
    answered::<T>((&state, c, jar), (reader, doc), result, (&flash, typed)).await
}

async fn pdf<T: Answerable>(
    state: &AppState,
    reader: Reader,
    id: Option<i64>,
) -> AppResult<Response> {
    let doc = reader.doc::<T>(state, id).await?;
    typed::pdf_of::<T>(state, &doc).await?.into_response()
}

async fn signed<T: Answerable>(
    state: &AppState,
    reader: Reader,
    id: Option<i64>,
) -> AppResult<Response> {
    let doc = reader.doc::<T>(state, id).await?;
    let bytes = signed_pdf::<T>(state, &doc).await?;
    Ok(pdf_response(signed_name(&T::head(&doc)), bytes))
}

async fn public_page<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
) -> AppResult<Response> {
    show::<T>(&state, c, Reader::Link(token), None).await
}

async fn public_accept<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(token): Path<String>,
    Form(input): Form<AcceptInput>,
) -> AppResult<Response> {
    accept::<T>((state, c, jar), (Reader::Link(token), None, origin), input).await
}

async fn public_decline<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(token): Path<String>,
    Form(input): Form<DeclineInput>,
) -> AppResult<Response> {
    decline::<T>((state, c, jar), (Reader::Link(token), None, origin), input).await
}

async fn public_pdf<T: Answerable>(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    pdf::<T>(&state, Reader::Link(token), None).await
}

async fn public_signed<T: Answerable>(
    State(state): State<AppState>,
    Path(token): Path<String>,
) -> AppResult<Response> {
    signed::<T>(&state, Reader::Link(token), None).await
}

/// A line of the portal's list.
pub struct PortalRow {
    pub id: i64,
    pub number: String,
    pub title: Option<String>,
    pub status_label: &'static str,
    pub badge: &'static str,
    pub date: chrono::NaiveDate,
    pub due_date: Option<chrono::NaiveDate>,
    pub amount: String,
}

/// The contact's sent documents of the type.
#[derive(Template, WebTemplate)]
#[template(path = "documents/templates/portal_index.html")]
struct PortalIndex {
    c: Ctx,
    u: PortalUser,
    title_key: String,
    number_key: String,
    due_key: &'static str,
    none_key: String,
    base: String,
    titled: bool,
    rows: Vec<PortalRow>,
}

async fn portal_index<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
) -> AppResult<Response> {
    let Reader::Contact(u) = contact::<T>(u)? else {
        return Err(AppError::NotFound);
    };
    let c = portal_ctx(c, Some(&u));
    let mut rows = Vec::new();
    for (l, row) in of_contact::<T>(&state.db, u.contact.customer_id).await? {
        let status = T::Status::from_key(&l.status);
        let digits = money::minor_digits(&l.currency);
        rows.push(PortalRow {
            id: l.id,
            number: l.number.clone().unwrap_or_default(),
            title: T::portal_title(&row),
            status_label: status.map_or("", StatusKey::label),
            badge: status.map_or("", StatusKey::badge),
            date: l.date,
            due_date: l.due_date,
            amount: c.amount(&money::from_minor(l.total_minor, digits), &l.currency),
        });
    }
    let tab = T::KIND.tab;
    Ok(PortalIndex {
        title_key: format!("tab-{tab}"),
        number_key: format!("field-{}-number", T::KIND.key.replace('_', "-")),
        due_key: T::KIND.due_label,
        none_key: format!("{tab}-none"),
        base: format!("/portal/{tab}"),
        titled: rows.iter().any(|r| r.title.is_some()),
        rows,
        c,
        u: *u,
    }
    .into_response())
}

async fn portal_page<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    show::<T>(&state, c, contact::<T>(u)?, Some(id)).await
}

async fn portal_accept<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(id): Path<i64>,
    Form(input): Form<AcceptInput>,
) -> AppResult<Response> {
    accept::<T>((state, c, jar), (contact::<T>(u)?, Some(id), origin), input).await
}

async fn portal_decline<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    Portal(u, _): Portal,
    jar: CookieJar,
    Answering(origin): Answering,
    Path(id): Path<i64>,
    Form(input): Form<DeclineInput>,
) -> AppResult<Response> {
    decline::<T>((state, c, jar), (contact::<T>(u)?, Some(id), origin), input).await
}

async fn portal_pdf<T: Answerable>(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    pdf::<T>(&state, contact::<T>(u)?, Some(id)).await
}

async fn portal_signed<T: Answerable>(
    State(state): State<AppState>,
    Portal(u, _): Portal,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    signed::<T>(&state, contact::<T>(u)?, Some(id)).await
}

/// A PDF shown in the browser under `name`.
pub fn pdf_response(name: String, bytes: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("inline; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The answer staff record for the customer.
#[derive(Deserialize)]
struct AnswerForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    reason: String,
}

impl AnswerForm {
    fn typed(&self, c: &Ctx, errors: FieldErrors) -> FormState {
        FormState::new(c.locale)
            .with("name", &self.name)
            .with("email", &self.email)
            .with("reason", &self.reason)
            .with_errors(errors)
    }
}

/// The document again with the answer form as typed, or back to it.
async fn staff_answered<T: Answerable>(
    (state, c, jar, me): (AppState, Ctx, CookieJar, crate::http::identity::SignedIn),
    id: i64,
    form: AnswerForm,
    (result, flash): (AppResult<()>, String),
) -> AppResult<Response> {
    let page = T::KIND.page(id);
    let result = match result {
        Err(AppError::Conflict(reason)) => return Ok(done(jar, &reason, &page)),
        other => other,
    };
    respond(
        result,
        |()| done(jar, &flash, &page),
        |errors| async move {
            let typed = Retyped::Own(T::Own::from(form.typed(&c, errors)));
            T::show(&state, c, &me, id, Some(typed)).await
        },
    )
    .await
}

async fn staff_accept<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let result = accept_for::<T>(&state, &me.actor, id, (&form.name, &form.email)).await;
    let flash = key::<T>("flash", "accepted");
    staff_answered::<T>((state, c, jar, me), id, form, (result, flash)).await
}

async fn staff_decline<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let checked = DeclineInput {
        reason: form.reason.clone(),
    }
    .check();
    let result = match checked {
        Ok(reason) => decline_for::<T>(&state, &me.actor, id, reason).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    let flash = key::<T>("flash", "declined");
    staff_answered::<T>((state, c, jar, me), id, form, (result, flash)).await
}

async fn undo<T: Answerable>(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let page = T::KIND.page(id);
    match undo_answer::<T>(&state, &me.actor, id).await {
        Ok(()) => Ok(done(jar, &key::<T>("flash", "answer-undone"), &page)),
        Err(e) => doc_pages::refused(jar, e, &page),
    }
}

async fn staff_signed<T: Answerable>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let doc = T::get(&state.db, &me.actor, id).await?;
    let bytes = signed_pdf::<T>(&state, &doc).await?;
    Ok(pdf_response(signed_name(&T::head(&doc)), bytes))
}

async fn signature<T: Answerable>(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let doc = T::get(&state.db, &me.actor, id).await?;
    let png = signature_png::<T>(&state, &doc).await?;
    Ok(([(header::CONTENT_TYPE, "image/png")], png).into_response())
}

/// The type's settings: the days to its date and to the reminder, the
/// legal text, and "convert on acceptance" where the type offers it.
#[derive(Template, WebTemplate)]
#[template(path = "documents/templates/answer_settings.html")]
struct SettingsPage {
    c: Ctx,
    f: FormState,
    may_edit: bool,
    /// The type's message keys: `{tab}-settings`, `field-{key}-…`.
    tab: &'static str,
    prefix: String,
    converts: bool,
}

impl SettingsPage {
    /// A message key of the type's, `{tab}` and `{prefix}` filled in.
    fn key(&self, pattern: &str) -> String {
        pattern
            .replace("{tab}", self.tab)
            .replace("{prefix}", &self.prefix)
    }

    fn new<T: Answerable>(c: Ctx, f: FormState, may_edit: bool) -> Self {
        Self {
            c,
            f,
            may_edit,
            tab: T::KIND.tab,
            prefix: T::KIND.key.replace('_', "-"),
            converts: T::CONVERTS,
        }
    }
}

fn settings_form(c: &Ctx, s: &Settings) -> FormState {
    FormState::new(c.locale)
        .with("expiry_days", s.expiry_days)
        .with("reminder_days", s.reminder_days)
        .with("auto_convert", s.auto_convert)
        .with("legal_text_de", &s.legal_de)
        .with("legal_text_en", &s.legal_en)
}

async fn settings_page<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
) -> AppResult<Response> {
    if !policy::may_see_some(&me.actor, policy::SETTINGS) {
        return Err(AppError::Forbidden);
    }
    let s = Settings::load::<T>(&state.db).await?;
    let f = settings_form(&c, &s);
    let may_edit = policy::can(&me.actor, policy::SETTINGS, Action::Edit);
    Ok(SettingsPage::new::<T>(c, f, may_edit).into_response())
}

#[derive(Deserialize)]
struct SettingsForm {
    #[serde(default)]
    expiry_days: String,
    #[serde(default)]
    reminder_days: String,
    #[serde(default)]
    auto_convert: Option<String>,
    #[serde(default)]
    legal_text_de: String,
    #[serde(default)]
    legal_text_en: String,
}

impl SettingsForm {
    fn check(&self) -> Result<Settings, FieldErrors> {
        let mut e = FieldErrors::new();
        let mut days = |field: &str, text: &str, max: u32| match text.trim().parse::<u32>() {
            Ok(n) if n <= max => n,
            _ => {
                e.add(field, "error-days");
                0
            }
        };
        let expiry_days = days("expiry_days", &self.expiry_days, 3650);
        let reminder_days = days("reminder_days", &self.reminder_days, 365);
        let legal_de =
            kernel::types::multiline(&mut e, "legal_text_de", &self.legal_text_de, false, 5000);
        let legal_en =
            kernel::types::multiline(&mut e, "legal_text_en", &self.legal_text_en, false, 5000);
        if !e.is_empty() {
            return Err(e);
        }
        Ok(Settings {
            expiry_days,
            reminder_days,
            auto_convert: self.auto_convert.is_some(),
            legal_de,
            legal_en,
        })
    }

    fn typed(&self, c: &Ctx, errors: FieldErrors) -> FormState {
        FormState::new(c.locale)
            .with("expiry_days", &self.expiry_days)
            .with("reminder_days", &self.reminder_days)
            .with("auto_convert", self.auto_convert.is_some())
            .with("legal_text_de", &self.legal_text_de)
            .with("legal_text_en", &self.legal_text_en)
            .with_errors(errors)
    }
}

async fn save_settings<T: Answerable>(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    policy::require(&me.actor, policy::SETTINGS, Action::Edit)?;
    let result = match form.check() {
        Ok(s) => s.save::<T>(&state.db, &me.actor, &state.clock).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    let to = format!("/settings/{}", T::KIND.tab);
    respond(
        result,
        |()| done(jar, "flash-saved", &to),
        |errors| async move {
            let f = form.typed(&c, errors);
            Ok(SettingsPage::new::<T>(c, f, true))
        },
    )
    .await
}
