//! Use cases of the billing settings; reading is open to every signed-in
//! staff member (documents need the data), changing needs the settings
//! "edit" permission.

use axum::{extract::Multipart, http::HeaderMap};
use kernel::clock::Clock;
use kernel::{AppError, AppResult, FieldErrors, i18n::Locale, mail::OutgoingMail, settings, types};
use sea_orm::{ConnectionTrait, DatabaseConnection, DatabaseTransaction};

use super::{
    model::{Company, PaymentMode, PaymentModeId, TaxRate, TaxRateId, parse_rate},
    repo,
};
use crate::{
    common::{
        attach::{NoteForm, ReminderForm, Rendered},
        documents::{
            Letterhead, Sender,
            flow::{By, Notice, Services},
            parties::Parties,
        },
        entity_ref::EntityRef,
        filter::CustomerSet,
        ids::{CustomerId, StaffId},
        mail::compose,
        sending::{BODY_MAX, Dispatch, Outgoing, Recipient, SUBJECT_MAX},
        series::{self, SeriesFormat},
    },
    http::{ctx::Ctx, form::FormState, frame::Overview, identity::SignedIn},
    i18n::t,
    modules::{
        self, Series,
        activity::{model::Author, service as activity},
        attachables::service as attachables,
        contacts::service as contacts,
        customers::service as customers,
        files::service as files,
        notes::{model::NoteInput, service as notes},
        notifications::service as notifications,
        reminders::{model::ReminderInput, service as reminders},
        staff::service as staff,
    },
    policy::{self, Action, StaffActor},
    state::AppState,
};

/// Creates the document series `key` with its module's default format on
/// first use.
pub async fn ensure_series(db: &impl ConnectionTrait, key: &str, clock: &Clock) -> AppResult<()> {
    let default = modules::series()
        .into_iter()
        .find(|s| s.key == key)
        .map(|s| SeriesFormat {
            format: s.default_format.to_string(),
            reset_yearly: true,
        })
        .ok_or_else(|| AppError::Internal(anyhow::anyhow!("no default for the series {key}")))?;
    series::ensure(db, key, &default, clock.now()).await
}

fn is_series(key: &str) -> bool {
    modules::series().iter().any(|s| s.key == key)
}

pub fn may_change(actor: &StaffActor) -> bool {
    policy::can(actor, policy::SETTINGS, Action::Edit)
}

pub async fn company(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<Company> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    sender(db).await
}

/// The company details every document carries, whoever renders it.
pub async fn sender(db: &impl ConnectionTrait) -> AppResult<Company> {
    let fields: serde_json::Map<String, serde_json::Value> = settings::with_prefix(db, "company.")
        .await?
        .into_iter()
        .map(|(k, v)| (k, serde_json::Value::String(v)))
        .collect();
    Ok(serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default())
}

/// Sender, logo and recipient of a document for `customer`.
pub async fn parties(state: &AppState, customer: CustomerId) -> AppResult<Parties> {
    let (company, logo, addressee) = futures::try_join!(
        sender(&state.db),
        super::logo::for_document(state),
        customers::addressee(&state.db, customer),
    )?;
    Ok(Parties {
        company,
        logo,
        addressee,
    })
}

/// The head of the customer's pages printed from the browser; the logo
/// is only looked up, not read.
pub async fn letterhead(
    state: &AppState,
    customer: CustomerId,
    locale: Locale,
) -> AppResult<Letterhead> {
    let (company, logo, addressee) = futures::try_join!(
        sender(&state.db),
        super::logo::is_set(state),
        customers::addressee(&state.db, customer),
    )?;
    Ok(Letterhead {
        sender: Sender::new(&company, locale),
        logo,
        recipient: addressee.lines,
    })
}

pub async fn save_company(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &Company,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let company = super::model::parse_company(input).map_err(AppError::Validation)?;
    for (field, value) in company.fields() {
        settings::set(db, &format!("company.{field}"), value, clock.now()).await?;
    }
    Ok(())
}

pub async fn tax_rates(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<Vec<TaxRate>> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    Ok(repo::tax_rates(db).await?)
}

/// The tax rates a staff member may pick from: those in use, and for whoever
/// sees the settings the retired ones too.
pub async fn tax_rates_offered(
    db: &DatabaseConnection,
    actor: &StaffActor,
) -> AppResult<Vec<TaxRate>> {
    Ok(offered(actor, repo::tax_rates(db).await?, |t| t.active))
}

/// The payment modes a staff member may pick from, as [`tax_rates_offered`].
pub async fn payment_modes_offered(
    db: &DatabaseConnection,
    actor: &StaffActor,
) -> AppResult<Vec<PaymentMode>> {
    Ok(offered(actor, repo::payment_modes(db).await?, |m| m.active))
}

fn offered<T>(actor: &StaffActor, all: Vec<T>, active: fn(&T) -> bool) -> Vec<T> {
    if policy::can(actor, policy::SETTINGS, Action::View) {
        all
    } else {
        all.into_iter().filter(active).collect()
    }
}

/// The tax rates documents may use now, in basis points.
pub async fn active_rates(db: &DatabaseConnection) -> AppResult<Vec<i32>> {
    Ok(repo::tax_rates(db)
        .await?
        .into_iter()
        .filter(|t| t.active)
        .map(|t| t.rate_bp)
        .collect())
}

/// The payment modes payments may use now (no settings permission needed).
pub async fn active_payment_modes(db: &DatabaseConnection) -> AppResult<Vec<PaymentMode>> {
    Ok(repo::payment_modes(db)
        .await?
        .into_iter()
        .filter(|m| m.active)
        .collect())
}

pub async fn add_tax_rate(
    db: &DatabaseConnection,
    actor: &StaffActor,
    name: &str,
    rate: &str,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let mut e = FieldErrors::new();
    let name = types::text(&mut e, "tax_name", name, true, 100);
    let rate_bp = parse_rate(rate);
    if rate_bp.is_none() {
        e.add("tax_rate", "error-tax-rate");
    }
    let existing = repo::tax_rates(db).await?;
    if let Some(bp) = rate_bp
        && existing.iter().any(|t| t.rate_bp == bp)
    {
        e.add("tax_rate", "error-tax-rate-taken");
    }
    e.into_result()?;
    repo::insert_tax_rate(db, &name, rate_bp.unwrap_or_default(), clock.now()).await?;
    Ok(())
}

pub async fn set_tax_rate_active(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: TaxRateId,
    active: bool,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    if repo::set_tax_rate_active(db, id, active, clock.now()).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

pub async fn payment_modes(
    db: &DatabaseConnection,
    actor: &StaffActor,
) -> AppResult<Vec<PaymentMode>> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    Ok(repo::payment_modes(db).await?)
}

pub async fn add_payment_mode(
    db: &DatabaseConnection,
    actor: &StaffActor,
    name: &str,
    description: &str,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let mut e = FieldErrors::new();
    let name = types::text(&mut e, "mode_name", name, true, 100);
    let description = types::multiline(&mut e, "mode_description", description, false, 2000);
    if repo::payment_modes(db)
        .await?
        .iter()
        .any(|m| m.name.eq_ignore_ascii_case(&name))
    {
        e.add("mode_name", "error-payment-mode-taken");
    }
    e.into_result()?;
    let taken: Vec<String> = repo::payment_modes(db)
        .await?
        .into_iter()
        .map(|m| m.key)
        .collect();
    let base = migration::payment_mode_key(&name);
    let key = (1..)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|k| !taken.contains(k))
        .unwrap_or(base);
    repo::insert_payment_mode(db, &name, &key, &description, clock.now()).await?;
    Ok(())
}

pub async fn set_payment_mode_active(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: PaymentModeId,
    active: bool,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    if repo::set_payment_mode_active(db, id, active, clock.now()).await? == 0 {
        return Err(AppError::NotFound);
    }
    Ok(())
}

/// The document series with their formats (created with the defaults on
/// first use).
pub async fn series_formats(
    db: &DatabaseConnection,
    actor: &StaffActor,
    clock: &Clock,
) -> AppResult<Vec<(&'static Series, SeriesFormat)>> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    let mut out = Vec::new();
    for s in modules::series() {
        let default = SeriesFormat {
            format: s.default_format.to_string(),
            reset_yearly: true,
        };
        series::ensure(db, s.key, &default, clock.now()).await?;
        out.push((s, series::format_of(db, s.key).await?.unwrap_or(default)));
    }
    Ok(out)
}

pub async fn save_series_format(
    db: &DatabaseConnection,
    actor: &StaffActor,
    key: &str,
    format: &str,
    reset_yearly: bool,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    if !is_series(key) {
        return Err(AppError::NotFound);
    }
    let parsed = SeriesFormat::parse(format, reset_yearly)
        .map_err(|msg| AppError::field(&format!("{key}_format"), msg))?;
    series::configure(db, key, &parsed, clock.now()).await
}

/// Whether `kind` names a mail with a template of its own.
fn is_mail_kind(kind: &str) -> bool {
    modules::mail_kinds().iter().any(|k| k.key == kind)
}

pub use crate::common::sending::MailTemplate;

fn template_key(kind: &str, part: &str, locale: Locale) -> String {
    format!("mail_template.{kind}.{part}.{}", locale.code())
}

/// The stored template of `kind` in `locale`, or the built-in one.
pub async fn mail_template(
    db: &impl ConnectionTrait,
    kind: &str,
    locale: Locale,
) -> AppResult<MailTemplate> {
    let stored = |part: &'static str| async move {
        settings::get(db, &template_key(kind, part, locale)).await
    };
    Ok(MailTemplate {
        locale,
        subject: match stored("subject").await? {
            Some(s) => s,
            None => t(locale, &format!("mail-template-{kind}-subject")),
        },
        body: match stored("body").await? {
            Some(s) => s,
            None => t(locale, &format!("mail-template-{kind}-body")),
        },
    })
}

pub async fn save_mail_template(
    db: &DatabaseConnection,
    actor: &StaffActor,
    kind: &str,
    locale: Locale,
    template: &MailTemplate,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    if !is_mail_kind(kind) {
        return Err(AppError::NotFound);
    }
    let mut e = FieldErrors::new();
    let field = |part: &str| format!("{kind}_{part}_{}", locale.code());
    let subject = types::text(
        &mut e,
        &field("subject"),
        &template.subject,
        true,
        SUBJECT_MAX,
    );
    let body = types::multiline(&mut e, &field("body"), &template.body, true, BODY_MAX);
    if !e.is_empty() {
        return Err(AppError::Validation(e));
    }
    settings::set(
        db,
        &template_key(kind, "subject", locale),
        &subject,
        clock.now(),
    )
    .await?;
    settings::set(db, &template_key(kind, "body", locale), &body, clock.now()).await?;
    Ok(())
}

/// Settings key: days after the due date that overdue reminders go out.
pub const REMINDER_DAYS: &str = "billing.overdue_reminder_days";

/// The days after the due date, ascending, e.g. `7,14,30`; `None` for bad
/// input, empty when reminders are off.
pub fn parse_reminder_days(text: &str) -> Option<Vec<i32>> {
    let mut days = Vec::new();
    for part in text
        .split([',', ';', ' '])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let d = part.parse::<i32>().ok().filter(|d| (1..=365).contains(d))?;
        if !days.contains(&d) {
            days.push(d);
        }
    }
    days.sort_unstable();
    Some(days)
}

pub async fn reminder_days(db: &impl ConnectionTrait) -> AppResult<Vec<i32>> {
    Ok(settings::get(db, REMINDER_DAYS)
        .await?
        .and_then(|t| parse_reminder_days(&t))
        .unwrap_or_default())
}

pub async fn save_reminder_days(
    db: &DatabaseConnection,
    actor: &StaffActor,
    text: &str,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let days = parse_reminder_days(text)
        .ok_or_else(|| AppError::field("reminder_days", "error-reminder-days"))?;
    let text: Vec<String> = days.iter().map(i32::to_string).collect();
    settings::set(db, REMINDER_DAYS, &text.join(", "), clock.now()).await?;
    Ok(())
}

/// A change of the billing settings through the API: what is given
/// changes, what is absent stays.
#[derive(Debug, Default, serde::Deserialize, utoipa::ToSchema)]
pub struct SettingsPatch {
    /// Company fields by name (`name`, `iban` ...); the name must stay,
    /// an IBAN and an email must be valid ones.
    #[serde(default)]
    #[schema(schema_with = company_patch_schema)]
    pub company: Option<std::collections::BTreeMap<String, String>>,
    /// Days after the due date that overdue reminders go out, 1 to 365.
    #[serde(default)]
    #[schema(schema_with = reminder_days_schema)]
    pub overdue_reminder_days: Option<Vec<i32>>,
    #[serde(default)]
    pub series: Option<Vec<SeriesPatch>>,
}

/// A number series' format: text with `{N}` (or `{N:5}`), optionally
/// `{YYYY}`, `{YY}` and `{MM}` of the document date.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
pub struct SeriesPatch {
    /// One of the series of `GET /settings/billing`.
    pub key: String,
    #[schema(pattern = r"\{N(:[0-9]+)?\}")]
    pub format: String,
    /// Numbering starts again at 1 each year.
    #[serde(default = "yes")]
    pub reset_yearly: bool,
}

fn company_patch_schema() -> utoipa::openapi::ObjectBuilder {
    use utoipa::openapi::schema::{AdditionalProperties, SchemaType, Type};
    Company::default().fields().iter().fold(
        utoipa::openapi::ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
            .additional_properties(Some(AdditionalProperties::FreeForm(false))),
        |object, (name, _)| {
            let field = match *name {
                "name" => crate::api::schema::line_required::<200>(),
                "email" => crate::api::schema::email_or_empty(),
                _ => crate::api::schema::line::<200>(),
            };
            object.property(*name, field.schema_type(Type::String))
        },
    )
}

fn reminder_days_schema() -> utoipa::openapi::schema::ArrayBuilder {
    use utoipa::openapi::schema::{SchemaType, Type};
    utoipa::openapi::schema::ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(1))
                .maximum(Some(365)),
        )
}

fn yes() -> bool {
    true
}

/// Applies the change once every part of it is valid; one bad part changes
/// nothing.
pub async fn patch_settings(
    db: &DatabaseConnection,
    actor: &StaffActor,
    patch: &SettingsPatch,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let mut errors = FieldErrors::new();
    let company = match &patch.company {
        Some(fields) => {
            let mut value = serde_json::to_value(sender(db).await?)
                .map_err(|e| AppError::Internal(e.into()))?;
            for (name, text) in fields {
                if value.get(name).is_none() {
                    errors.add(&format!("company.{name}"), "error-unknown-setting");
                } else {
                    value[name] = serde_json::Value::String(text.clone());
                }
            }
            let merged: Company =
                serde_json::from_value(value).map_err(|e| AppError::Internal(e.into()))?;
            match super::model::parse_company(&merged) {
                Ok(c) => Some(c),
                Err(e) => {
                    for (field, key) in e.0 {
                        errors.add(&format!("company.{field}"), &key);
                    }
                    None
                }
            }
        }
        None => None,
    };
    let days = patch.overdue_reminder_days.as_ref().map(|days| {
        let text: Vec<String> = days.iter().map(i32::to_string).collect();
        text.join(", ")
    });
    if days
        .as_deref()
        .is_some_and(|t| parse_reminder_days(t).is_none())
    {
        errors.add("overdue_reminder_days", "error-reminder-days");
    }
    for (n, s) in patch.series.iter().flatten().enumerate() {
        if !is_series(&s.key) {
            errors.add(&format!("series[{n}].key"), "error-invalid");
        } else if let Err(msg) = SeriesFormat::parse(&s.format, s.reset_yearly) {
            errors.add(&format!("series[{n}].format"), msg);
        }
    }
    errors.into_result()?;
    if let Some(company) = company {
        save_company(db, actor, &company, clock).await?;
    }
    if let Some(days) = days {
        save_reminder_days(db, actor, &days, clock).await?;
    }
    for s in patch.series.iter().flatten() {
        save_series_format(db, actor, &s.key, &s.format, s.reset_yearly, clock).await?;
    }
    Ok(())
}

/// What the document core asks of the modules around it: the customer,
/// the tax rates, the series and the activity log.
pub struct DocumentServices;

impl Services for DocumentServices {
    async fn companies(
        &self,
        db: &DatabaseConnection,
        ids: &[i64],
    ) -> AppResult<std::collections::HashMap<i64, String>> {
        customers::companies(db, ids).await
    }

    async fn seller_gaps(&self, db: &DatabaseConnection) -> AppResult<Vec<&'static str>> {
        Ok(sender(db).await?.gaps())
    }

    async fn currency(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
    ) -> AppResult<String> {
        Ok(customers::get(db, actor, customer).await?.currency)
    }

    async fn ensure_visible(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
    ) -> AppResult<()> {
        customers::ensure_visible(db, actor, customer).await
    }

    async fn visible_set(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: Option<CustomerId>,
    ) -> AppResult<CustomerSet> {
        customers::visible_set(db, actor, customer).await
    }

    async fn tax_rates(&self, db: &DatabaseConnection) -> AppResult<Vec<i32>> {
        active_rates(db).await
    }

    async fn is_active_staff(&self, db: &DatabaseConnection, id: StaffId) -> AppResult<bool> {
        Ok(staff::directory(db).await?.iter().any(|m| m.id == id))
    }

    async fn ensure_series(
        &self,
        db: &DatabaseConnection,
        series: &'static str,
        clock: &Clock,
    ) -> AppResult<()> {
        ensure_series(db, series, clock).await
    }

    async fn customer_number(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: CustomerId,
    ) -> AppResult<String> {
        Ok(customers::get(db, actor, customer).await?.number)
    }

    async fn overview(
        &self,
        state: &AppState,
        c: &Ctx,
        me: &SignedIn,
        customer: CustomerId,
        tab: &'static str,
    ) -> AppResult<Overview> {
        customers::overview(&state.db, c, me, customer, tab, &state.clock).await
    }

    async fn add_note(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        (record, customer): (EntityRef, CustomerId),
        form: &NoteForm,
        clock: &Clock,
    ) -> AppResult<()> {
        let input = NoteInput::from(form);
        notes::create_on(db, actor, record, customer, &input, clock).await?;
        Ok(())
    }

    async fn add_reminder(
        &self,
        state: &AppState,
        actor: &StaffActor,
        record: (EntityRef, CustomerId),
        form: &ReminderForm,
    ) -> AppResult<()> {
        let input = ReminderInput::from(form);
        let (db, config, clock) = (&state.db, &state.config, &state.clock);
        reminders::create_on(db, config, actor, record, &input, clock).await?;
        Ok(())
    }

    async fn attach_files(
        &self,
        state: &AppState,
        actor: &StaffActor,
        (record, customer): (EntityRef, CustomerId),
        headers: &HeaderMap,
        multipart: Multipart,
    ) -> AppResult<usize> {
        let target = files::Target {
            customer: Some(customer),
            record: Some(record),
        };
        let by = files::Uploader::Staff(actor);
        Ok(files::receive(state, headers, by, target, multipart)
            .await?
            .len())
    }

    async fn attached(
        &self,
        state: &AppState,
        c: &Ctx,
        me: &SignedIn,
        record: (EntityRef, &str),
        forms: (FormState, FormState),
    ) -> AppResult<Rendered> {
        attachables::shown(state, c, me, record, forms).await
    }

    async fn parties(&self, state: &AppState, customer: CustomerId) -> AppResult<Parties> {
        parties(state, customer).await
    }

    async fn letterhead(
        &self,
        state: &AppState,
        customer: CustomerId,
        locale: Locale,
    ) -> AppResult<Letterhead> {
        letterhead(state, customer, locale).await
    }

    async fn origin(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        (kind, id): (String, i64),
    ) -> AppResult<Option<(String, String)>> {
        Ok(crate::modules::attached(db, actor, &kind, id)
            .await?
            .flatten()
            .and_then(|a| a.url.map(|url| (a.title, url))))
    }

    async fn recipients(
        &self,
        db: &DatabaseConnection,
        actor: &StaffActor,
        customer: (CustomerId, &str),
    ) -> AppResult<Vec<Recipient>> {
        contacts::recipients(db, actor, customer).await
    }

    async fn mail_context(
        &self,
        db: &DatabaseConnection,
        customer: CustomerId,
        kind: &'static str,
    ) -> AppResult<(String, Locale, MailTemplate, String)> {
        let ((customer, _), company) =
            futures::try_join!(customers::for_document(db, customer), sender(db))?;
        let template = mail_template(db, kind, customer.language).await?;
        Ok((customer.company, customer.language, template, company.name))
    }

    async fn queue_mail(
        &self,
        txn: &DatabaseTransaction,
        outgoing: &Outgoing,
        mail: &OutgoingMail,
        to: &Dispatch<'_>,
        clock: &Clock,
    ) -> AppResult<()> {
        activity::queue_mail(txn, outgoing, mail, to, clock).await
    }

    async fn record_by(
        &self,
        txn: &DatabaseTransaction,
        (entity, customer): (EntityRef, CustomerId),
        by: &By<'_>,
        (action, detail): (&str, &str),
        (ip, clock): (Option<&str>, &Clock),
    ) -> AppResult<()> {
        let author = match by {
            By::Staff(actor) => Author::staff(actor),
            By::Contact { id, name } => Author {
                kind: "contact",
                id: Some(*id),
                name: name.clone(),
            },
            By::Public(name) => Author {
                kind: "public",
                id: None,
                name: name.clone(),
            },
            By::System => Author::system(),
        };
        activity::record(
            txn,
            entity,
            Some(customer.0),
            &author,
            action,
            detail,
            ip,
            clock,
        )
        .await
    }

    async fn customer_of(
        &self,
        db: &DatabaseConnection,
        customer: CustomerId,
    ) -> AppResult<(String, Locale)> {
        let (c, _) = customers::for_document(db, customer).await?;
        Ok((c.company, c.language))
    }

    async fn company_name(&self, db: &DatabaseConnection) -> AppResult<String> {
        Ok(sender(db).await?.name)
    }

    async fn document_emails(
        &self,
        db: &DatabaseConnection,
        customer: (CustomerId, &str),
    ) -> AppResult<Vec<String>> {
        Ok(contacts::of_customer_for_documents(db, customer)
            .await?
            .into_iter()
            .map(|c| c.email)
            .collect())
    }

    async fn tell_staff(
        &self,
        txn: &DatabaseTransaction,
        to: &[StaffId],
        customer: CustomerId,
        n: &Notice<'_>,
        clock: &Clock,
    ) -> AppResult<()> {
        let company = customers::company_of(txn, customer).await?;
        for id in to {
            let Some((email, locale, name)) = staff::contact_of(txn, *id).await? else {
                continue;
            };
            let args = [
                ("name", name),
                ("number", n.number.to_owned()),
                ("company", company.clone()),
                ("who", n.who.to_owned()),
            ];
            let title = crate::i18n::t_args(locale, &format!("{}-subject", n.mail), &args);
            notifications::notify(txn, *id, &title, &company, n.link, n.once, clock).await?;
            let mail = compose(locale, &email, n.mail, &args, Some(n.url));
            kernel::mail::enqueue(txn, &mail, clock.now()).await?;
        }
        Ok(())
    }

    async fn record(
        &self,
        txn: &DatabaseTransaction,
        entity: EntityRef,
        customer: CustomerId,
        actor: &StaffActor,
        (action, detail): (&str, &str),
        clock: &Clock,
    ) -> AppResult<()> {
        let author = Author::staff(actor);
        activity::record(
            txn,
            entity,
            Some(customer.0),
            &author,
            action,
            detail,
            None,
            clock,
        )
        .await
    }
}
