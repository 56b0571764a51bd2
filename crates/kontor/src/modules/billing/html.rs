//! Settings > Billing.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Multipart, State},
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, i18n::Locale};
use serde::Deserialize;

use super::{
    logo,
    model::{Company, PaymentMode, PaymentModeId, TaxRate, TaxRateId},
    service::{self, MailTemplate},
};
use crate::{
    common::series::SeriesFormat,
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{self, MailKind, Series},
    state::AppState,
};

/// The billing settings, each part on its own page under one menu.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    /// The seller's details, bank and logo.
    Company,
    TaxRates,
    PaymentModes,
    /// Number formats.
    Series,
    /// Mail templates and when overdue reminders go out.
    Mails,
}

impl Section {
    const ALL: [Section; 5] = [
        Section::Company,
        Section::TaxRates,
        Section::PaymentModes,
        Section::Series,
        Section::Mails,
    ];

    fn path(self) -> &'static str {
        match self {
            Section::Company => "/settings/billing",
            Section::TaxRates => "/settings/billing/tax-rates",
            Section::PaymentModes => "/settings/billing/payment-modes",
            Section::Series => "/settings/billing/series",
            Section::Mails => "/settings/billing/mail-templates",
        }
    }

    fn label_key(self) -> &'static str {
        match self {
            Section::Company => "billing-company",
            Section::TaxRates => "billing-tax-rates",
            Section::PaymentModes => "billing-payment-modes",
            Section::Series => "billing-number-formats",
            Section::Mails => "billing-mail-templates",
        }
    }
}

/// The page of one part, with the stored values.
async fn show(state: AppState, c: Ctx, me: SignedIn, section: Section) -> AppResult<SettingsPage> {
    let f = filled(&state, &c, &me).await?;
    page(&state, c, &me, f, section).await
}

/// The GET handler of a part's page.
fn shown(section: Section) -> axum::routing::MethodRouter<AppState> {
    get(move |State(state): State<AppState>, c: Ctx, Staff(me): Staff| show(state, c, me, section))
}

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(super::setup::routes())
        .route(Section::Company.path(), shown(Section::Company))
        .route("/settings/billing/company", post(save_company))
        .route("/settings/billing/logo", get(logo).post(upload_logo))
        .route("/settings/billing/logo/delete", post(remove_logo))
        .route("/letterhead/logo", get(letterhead_logo))
        .route(
            Section::TaxRates.path(),
            shown(Section::TaxRates).post(add_tax_rate),
        )
        .route(
            "/settings/billing/tax-rates/{id}/active",
            post(tax_rate_active),
        )
        .route(
            Section::PaymentModes.path(),
            shown(Section::PaymentModes).post(add_payment_mode),
        )
        .route(
            "/settings/billing/payment-modes/{id}/active",
            post(payment_mode_active),
        )
        .route(Section::Series.path(), shown(Section::Series))
        .route("/settings/billing/series/{key}", post(save_series))
        .route("/settings/billing/reminders", post(save_reminders))
        .route(Section::Mails.path(), shown(Section::Mails))
        .route(
            "/settings/billing/mail-templates/{kind}/{lang}",
            post(save_mail_template),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "billing/templates/settings.html")]
struct SettingsPage {
    c: Ctx,
    f: FormState,
    can_edit: bool,
    tax_rates: Vec<TaxRate>,
    payment_modes: Vec<PaymentMode>,
    series: Vec<(&'static Series, SeriesFormat)>,
    /// Email templates by document kind and language.
    mail_templates: Vec<(&'static MailKind, Locale)>,
    has_logo: bool,
    section: Section,
}

impl SettingsPage {
    /// The menu of the parts: path, label and whether it is this one.
    fn sections(&self) -> Vec<(&'static str, String, bool)> {
        Section::ALL
            .iter()
            .map(|s| (s.path(), self.c.t(s.label_key()), *s == self.section))
            .collect()
    }

    fn on(&self, section: Section) -> bool {
        self.section == section
    }
}

/// The part `section` with `f` holding what was typed into one of its
/// forms.
async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    f: FormState,
    section: Section,
) -> AppResult<SettingsPage> {
    Ok(SettingsPage {
        section,
        can_edit: service::may_change(&me.actor),
        tax_rates: service::tax_rates(&state.db, &me.actor).await?,
        payment_modes: service::payment_modes(&state.db, &me.actor).await?,
        series: service::series_formats(&state.db, &me.actor, &state.clock).await?,
        mail_templates: modules::mail_kinds()
            .into_iter()
            .flat_map(|kind| Locale::ALL.map(|l| (kind, l)))
            .collect(),
        has_logo: logo::is_set(state).await?,
        c,
        f,
    })
}

/// The stored values in every form of the page.
async fn filled(state: &AppState, c: &Ctx, me: &SignedIn) -> AppResult<FormState> {
    let mut f = FormState::new(c.locale);
    for (field, value) in service::company(&state.db, &me.actor).await?.fields() {
        f.set(field, value);
    }
    for (s, format) in service::series_formats(&state.db, &me.actor, &state.clock).await? {
        f.set(&format!("{}_format", s.key), &format.format);
        f.set(&format!("{}_reset_yearly", s.key), format.reset_yearly);
    }
    let days: Vec<String> = service::reminder_days(&state.db)
        .await?
        .iter()
        .map(i32::to_string)
        .collect();
    f.set("reminder_days", days.join(", "));
    for kind in modules::mail_kinds() {
        for locale in Locale::ALL {
            let template = service::mail_template(&state.db, kind.key, locale).await?;
            let (kind, lang) = (kind.key, locale.code());
            f.set(&format!("{kind}_subject_{lang}"), &template.subject);
            f.set(&format!("{kind}_body_{lang}"), &template.body);
        }
    }
    Ok(f)
}

/// Answers one of a part's forms: back to its page, or the page again
/// with the stored values, what was typed into this form, and its errors.
async fn answer(
    state: &AppState,
    c: Ctx,
    jar: CookieJar,
    me: &SignedIn,
    section: Section,
    result: AppResult<()>,
    typed: &[(&str, String)],
) -> AppResult<Response> {
    respond(
        result,
        |()| done(jar, "flash-saved", section.path()),
        |errors: FieldErrors| async move {
            let mut f = filled(state, &c, me).await?;
            for (field, value) in typed {
                f.set(field, value);
            }
            page(state, c, me, f.with_errors(errors), section).await
        },
    )
    .await
}

async fn save_company(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<Company>,
) -> AppResult<Response> {
    let result = service::save_company(&state.db, &me.actor, &form, &state.clock).await;
    let typed: Vec<(&str, String)> = form
        .fields()
        .iter()
        .map(|(k, v)| (*k, (*v).clone()))
        .collect();
    answer(&state, c, jar, &me, Section::Company, result, &typed).await
}

async fn logo(State(state): State<AppState>, Staff(me): Staff) -> AppResult<Response> {
    logo::download(&state, &me.actor).await?.into_response()
}

async fn letterhead_logo(State(state): State<AppState>, Staff(me): Staff) -> AppResult<Response> {
    logo::for_letterhead(&state, &me.actor)
        .await?
        .into_response()
}

/// The multipart form with the logo as `logo`; a body too large for the
/// request limit is answered like a file too large.
async fn upload_logo(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    mut multipart: Multipart,
) -> AppResult<Response> {
    let mut bytes = Vec::new();
    let mut broken = false;
    loop {
        match multipart.next_field().await {
            Ok(Some(field)) if field.name() == Some("logo") => match field.bytes().await {
                Ok(b) => bytes = b.to_vec(),
                Err(_) => broken = true,
            },
            Ok(Some(_)) => {}
            Ok(None) => break,
            Err(_) => {
                broken = true;
                break;
            }
        }
    }
    let result = if broken {
        Err(AppError::field("logo", "error-logo-too-large"))
    } else {
        logo::save(&state, &me.actor, bytes, state.clock.now()).await
    };
    answer(&state, c, jar, &me, Section::Company, result, &[]).await
}

async fn remove_logo(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
) -> AppResult<Response> {
    let result = logo::remove(&state, &me.actor).await;
    answer(&state, c, jar, &me, Section::Company, result, &[]).await
}

#[derive(Deserialize)]
struct TaxRateForm {
    #[serde(default)]
    tax_name: String,
    #[serde(default)]
    tax_rate: String,
}

async fn add_tax_rate(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<TaxRateForm>,
) -> AppResult<Response> {
    let result = service::add_tax_rate(
        &state.db,
        &me.actor,
        &form.tax_name,
        &form.tax_rate,
        &state.clock,
    )
    .await;
    let typed = [("tax_name", form.tax_name), ("tax_rate", form.tax_rate)];
    answer(&state, c, jar, &me, Section::TaxRates, result, &typed).await
}

#[derive(Deserialize)]
struct ActiveForm {
    #[serde(default)]
    active: Option<String>,
}

async fn tax_rate_active(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> AppResult<Response> {
    service::set_tax_rate_active(
        &state.db,
        &me.actor,
        TaxRateId(id),
        form.active.is_some(),
        &state.clock,
    )
    .await?;
    Ok(done(jar, "flash-saved", Section::TaxRates.path()))
}

#[derive(Deserialize)]
struct PaymentModeForm {
    #[serde(default)]
    mode_name: String,
    #[serde(default)]
    mode_description: String,
}

async fn add_payment_mode(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<PaymentModeForm>,
) -> AppResult<Response> {
    let result = service::add_payment_mode(
        &state.db,
        &me.actor,
        &form.mode_name,
        &form.mode_description,
        &state.clock,
    )
    .await;
    let typed = [
        ("mode_name", form.mode_name),
        ("mode_description", form.mode_description),
    ];
    answer(&state, c, jar, &me, Section::PaymentModes, result, &typed).await
}

async fn payment_mode_active(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ActiveForm>,
) -> AppResult<Response> {
    service::set_payment_mode_active(
        &state.db,
        &me.actor,
        PaymentModeId(id),
        form.active.is_some(),
        &state.clock,
    )
    .await?;
    Ok(done(jar, "flash-saved", Section::PaymentModes.path()))
}

#[derive(Deserialize)]
struct SeriesForm {
    #[serde(default)]
    format: String,
    #[serde(default)]
    reset_yearly: Option<String>,
}

async fn save_series(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(key): Path<String>,
    Form(form): Form<SeriesForm>,
) -> AppResult<Response> {
    let reset = form.reset_yearly.is_some();
    let result = service::save_series_format(
        &state.db,
        &me.actor,
        &key,
        &form.format,
        reset,
        &state.clock,
    )
    .await;
    let field = format!("{key}_format");
    let typed = [(field.as_str(), form.format.clone())];
    answer(&state, c, jar, &me, Section::Series, result, &typed)
        .await
        .map(IntoResponse::into_response)
}

#[derive(Deserialize)]
struct MailTemplateForm {
    #[serde(default)]
    subject: String,
    #[serde(default)]
    body: String,
}

async fn save_mail_template(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path((kind, lang)): Path<(String, String)>,
    Form(form): Form<MailTemplateForm>,
) -> AppResult<Response> {
    let locale = Locale::parse(&lang).ok_or(AppError::NotFound)?;
    let template = MailTemplate {
        locale,
        subject: form.subject,
        body: form.body,
    };
    let result =
        service::save_mail_template(&state.db, &me.actor, &kind, locale, &template, &state.clock)
            .await;
    let typed = [
        (format!("{kind}_subject_{lang}"), template.subject),
        (format!("{kind}_body_{lang}"), template.body),
    ];
    let typed: Vec<(&str, String)> = typed.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
    answer(&state, c, jar, &me, Section::Mails, result, &typed).await
}

#[derive(Deserialize)]
struct RemindersForm {
    #[serde(default)]
    reminder_days: String,
}

async fn save_reminders(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<RemindersForm>,
) -> AppResult<Response> {
    let result =
        service::save_reminder_days(&state.db, &me.actor, &form.reminder_days, &state.clock).await;
    let typed = [("reminder_days", form.reminder_days.clone())];
    answer(&state, c, jar, &me, Section::Mails, result, &typed).await
}
