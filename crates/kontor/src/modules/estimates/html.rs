//! The Estimates tab, the list across customers, the estimate page (send,
//! copy, convert, an answer recorded for the customer or taken back, the
//! signed copy) and Settings > Estimates.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    http::header,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, money};
use sea_orm::QueryResult;
use serde::Deserialize;

use super::{
    model::{Estimate, EstimateId, EstimateInput, EstimateRow, Status},
    service::{self, Estimates, Settings},
};
use crate::{
    common::documents::{
        form::{Agent, DraftForm, InvoiceParts},
        pages::{self, Across, DocumentPages, Listing, Retyped, Shown},
        store::Listed,
    },
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        frame::Overview,
        identity::SignedIn,
    },
    modules::{invoices::service as invoices, staff::service as staff},
    policy::{self, Action},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/estimates/{id}/copy", post(copy))
        .route("/estimates/{id}/convert", post(convert))
        .route("/estimates/{id}/accept", post(accept_for))
        .route("/estimates/{id}/decline", post(decline_for))
        .route("/estimates/{id}/undo-answer", post(undo_answer))
        .route("/estimates/{id}/signed.pdf", get(signed_pdf))
        .route("/estimates/{id}/signature.png", get(signature))
        .route(
            "/settings/estimates",
            get(settings_page).post(save_settings),
        )
        .merge(pages::routes::<Estimates>())
}

impl DocumentPages for Estimates {
    /// The form recording the customer's answer.
    type Own = FormState;
    type Row = EstimateRow;

    fn row(listed: Listed, row: &QueryResult) -> AppResult<EstimateRow> {
        service::row(listed, row)
    }

    async fn tab(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        (o, l): (Overview, Listing<Status, EstimateRow>),
    ) -> AppResult<Response> {
        Ok(IndexPage { c, o, l }.into_response())
    }

    async fn all(
        _: &AppState,
        c: Ctx,
        _: &SignedIn,
        l: Listing<Status, Across<EstimateRow>>,
    ) -> AppResult<Response> {
        Ok(AllPage { c, l }.into_response())
    }

    fn form_fields(_: &DraftForm) -> EstimateInput {
        EstimateInput::default()
    }

    fn refill(e: &Estimate, f: FormState) -> FormState {
        let agent = e.body.sales_agent_id.map(|s| s.0.to_string());
        f.with("sales_agent_id", agent.unwrap_or_default())
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
        Ok(Some(InvoiceParts { agents, units: &[] }))
    }

    async fn show(
        state: &AppState,
        c: Ctx,
        me: &SignedIn,
        id: i64,
        retyped: Option<Retyped<FormState>>,
    ) -> AppResult<Response> {
        let estimate = service::get(&state.db, &me.actor, EstimateId(id)).await?;
        let (refilled, own) = Retyped::split(retyped);
        let (o, s) = pages::shown::<Estimates>(state, &c, me, &estimate, refilled).await?;
        let today = state.clock.today();
        let may_edit = service::may(&me.actor, Action::Edit);
        let answer = own.unwrap_or_else(|| FormState::new(c.locale));
        let page = ShowPage {
            public_url: estimate.public_url(&state.config.base_url),
            may_answer: may_edit && estimate.is_open(today),
            may_undo: may_edit
                && estimate.invoice.is_none()
                && matches!(estimate.status, Status::Accepted | Status::Declined),
            may_convert: may_edit
                && invoices::may(&me.actor, Action::Create)
                && estimate.invoice.is_none()
                && matches!(estimate.status, Status::Sent | Status::Accepted),
            may_copy: service::may(&me.actor, Action::Create),
            past_expiry: estimate.status == Status::Sent && !estimate.is_open(today),
            answer,
            c,
            o,
            s,
            estimate,
        };
        Ok(page.into_response())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/all.html")]
struct AllPage {
    c: Ctx,
    l: Listing<Status, Across<EstimateRow>>,
}

impl AllPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

fn amount(c: &Ctx, minor: i64, currency: &str) -> String {
    let digits = money::minor_digits(currency);
    c.amount(&money::from_minor(minor, digits), currency)
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    l: Listing<Status, EstimateRow>,
}

impl IndexPage {
    fn amount(&self, minor: &i64, currency: &str) -> String {
        amount(&self.c, *minor, currency)
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/show.html")]
struct ShowPage {
    c: Ctx,
    o: Overview,
    s: Shown,
    estimate: Estimate,
    public_url: String,
    /// Recording the customer's answer: open, and staff who may edit.
    may_answer: bool,
    may_undo: bool,
    may_convert: bool,
    may_copy: bool,
    /// Sent, but past its expiry date (the worker marks it soon).
    past_expiry: bool,
    answer: FormState,
}

async fn copy(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let copy = service::copy(&state.db, &me.actor, EstimateId(id), &state.clock).await?;
    Ok(done(
        jar,
        "flash-estimate-copied",
        &format!("/estimates/{}/edit", copy.0),
    ))
}

async fn convert(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    match service::convert(&state, &me.actor, EstimateId(id)).await {
        Ok(invoice) => Ok(done(
            jar,
            "flash-estimate-converted",
            &format!("/invoices/{}", invoice.0),
        )),
        Err(e) => pages::refused(jar, e, &format!("/estimates/{id}")),
    }
}

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

/// The estimate again with the answer form as typed, or back to it.
async fn answered(
    (state, c, jar, me): (AppState, Ctx, CookieJar, SignedIn),
    id: i64,
    form: AnswerForm,
    result: AppResult<()>,
    flash: &str,
) -> AppResult<Response> {
    let page = format!("/estimates/{id}");
    let result = match result {
        Err(AppError::Conflict(reason)) => return Ok(done(jar, &reason, &page)),
        other => other,
    };
    respond(
        result,
        |()| done(jar, flash, &page),
        |errors| async move {
            let typed = Retyped::Own(form.typed(&c, errors));
            Estimates::show(&state, c, &me, id, Some(typed)).await
        },
    )
    .await
}

async fn accept_for(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let result =
        service::accept_for(&state, &me.actor, EstimateId(id), &form.name, &form.email).await;
    let answer = "flash-estimate-accepted";
    answered((state, c, jar, me), id, form, result, answer).await
}

async fn decline_for(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<AnswerForm>,
) -> AppResult<Response> {
    let reason = crate::common::documents::accept::DeclineInput {
        reason: form.reason.clone(),
    }
    .check()
    .map_err(AppError::Validation);
    let result = match reason {
        Ok(reason) => service::decline_for(&state, &me.actor, EstimateId(id), reason).await,
        Err(e) => Err(e),
    };
    let answer = "flash-estimate-declined";
    answered((state, c, jar, me), id, form, result, answer).await
}

async fn undo_answer(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let page = format!("/estimates/{id}");
    match service::undo_answer(&state, &me.actor, EstimateId(id)).await {
        Ok(()) => Ok(done(jar, "flash-estimate-answer-undone", &page)),
        Err(e) => pages::refused(jar, e, &page),
    }
}

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

pub fn png_response(bytes: Vec<u8>) -> Response {
    ([(header::CONTENT_TYPE, "image/png")], bytes).into_response()
}

/// The name of the signed copy's file.
pub fn signed_name(e: &Estimate) -> String {
    let number = e.number.clone().unwrap_or_else(|| e.id.0.to_string());
    crate::common::documents::file_name(Some(&format!("{number}-signed")), e.id.0)
}

async fn signed_pdf(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let e = service::get(&state.db, &me.actor, EstimateId(id)).await?;
    let bytes = service::signed_pdf(&state, &e).await?;
    Ok(pdf_response(signed_name(&e), bytes))
}

async fn signature(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let e = service::get(&state.db, &me.actor, EstimateId(id)).await?;
    Ok(png_response(service::signature_png(&state, &e).await?))
}

#[derive(Template, WebTemplate)]
#[template(path = "estimates/templates/settings.html")]
struct SettingsPage {
    c: Ctx,
    f: FormState,
    may_edit: bool,
}

fn settings_form(c: &Ctx, s: &Settings) -> FormState {
    FormState::new(c.locale)
        .with("expiry_days", s.expiry_days)
        .with("reminder_days", s.reminder_days)
        .with("auto_convert", s.auto_convert)
        .with("legal_text_de", &s.legal_de)
        .with("legal_text_en", &s.legal_en)
}

async fn settings_page(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
) -> AppResult<SettingsPage> {
    if !policy::may_see_some(&me.actor, policy::SETTINGS) {
        return Err(AppError::Forbidden);
    }
    let s = Settings::load(&state.db).await?;
    Ok(SettingsPage {
        f: settings_form(&c, &s),
        may_edit: policy::can(&me.actor, policy::SETTINGS, Action::Edit),
        c,
    })
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

async fn save_settings(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<SettingsForm>,
) -> AppResult<Response> {
    policy::require(&me.actor, policy::SETTINGS, Action::Edit)?;
    let result = match form.check() {
        Ok(s) => s.save(&state.db, &me.actor, &state.clock).await,
        Err(e) => Err(AppError::Validation(e)),
    };
    respond(
        result,
        |()| done(jar, "flash-saved", "/settings/estimates"),
        |errors| async move {
            Ok(SettingsPage {
                f: form.typed(&c, errors),
                may_edit: true,
                c,
            })
        },
    )
    .await
}
