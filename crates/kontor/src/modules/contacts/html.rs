//! The contacts tab and the contact form.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Multipart, Query, State},
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, csv_dialect::Dialect, i18n::Locale};
use serde::Deserialize;

use super::{
    csv_io,
    model::{AREAS, Contact, ContactId, ContactInput},
    service,
};
use crate::http::frame::Overview;
use crate::{
    common::csv_io::{self as csv, ImportPage},
    http::{
        ctx::Ctx,
        extract::{Form, FormWithPairs, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::custom_fields::{model::CustomField, service as custom_fields},
    modules::customers::{model::CustomerId, service::overview},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/contacts", get(index).post(create))
        .route("/customers/{id}/contacts/new", get(new))
        .route("/customers/{id}/contacts/export.csv", get(export))
        .route(
            "/customers/{id}/contacts/import",
            get(import_form).post(import),
        )
        .route("/contacts/{id}", post(update))
        .route("/contacts/{id}/edit", get(edit))
        .route("/contacts/{id}/delete", post(delete))
        .route("/contacts/{id}/make-primary", post(make_primary))
        .route("/contacts/{id}/invite", post(invite))
        .route(
            "/portal/password/{token}",
            get(password_form).post(set_password),
        )
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    contacts: Vec<Contact>,
    list_defs: Vec<CustomField>,
}

impl IndexPage {
    fn cell(&self, contact: &Contact, def: &CustomField) -> String {
        contact
            .custom_fields
            .get(&def.key)
            .map(|v| def.display(v, self.c.locale))
            .unwrap_or_default()
    }
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, &me, CustomerId(id), "contacts", &state.clock).await?;
    let contacts = service::list(&state.db, &me.actor, CustomerId(id)).await?;
    let list_defs = service::fields(&state.db)
        .await?
        .into_iter()
        .filter(|d| d.show_in_list)
        .collect();
    Ok(IndexPage {
        c,
        o,
        contacts,
        list_defs,
    })
}

#[derive(Deserialize)]
struct ExportQuery {
    /// `excel` (`;` with a byte order mark) or the standard dialect.
    #[serde(default)]
    format: String,
}

async fn export(
    State(state): State<AppState>,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Query(query): Query<ExportQuery>,
) -> AppResult<Response> {
    let contacts = service::list(&state.db, &me.actor, CustomerId(id)).await?;
    let defs = service::fields(&state.db).await?;
    let body = csv_io::write(&contacts, &defs, Dialect::parse(&query.format))?;
    Ok(csv::download(&format!("contacts-{id}.csv"), body))
}

async fn import_page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
) -> AppResult<ImportPage> {
    let o = overview(&state.db, &c, me, customer, "contacts", &state.clock).await?;
    if !o.can_edit {
        return Err(AppError::Forbidden);
    }
    let back = format!("/customers/{}/contacts", customer.0);
    let mut page = ImportPage::new(
        c,
        "action-import-contacts",
        "import-contacts-help",
        format!("{back}/import"),
        back,
    );
    page.title = format!("{} · {}", page.title, o.customer.company);
    Ok(page)
}

async fn import_form(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<ImportPage> {
    import_page(&state, c, &me, CustomerId(id)).await
}

async fn import(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
    multipart: Multipart,
) -> AppResult<Response> {
    let customer = CustomerId(id);
    let page = import_page(&state, c, &me, customer).await?;
    let Some(bytes) = csv::upload(multipart).await? else {
        return Ok(page.refused("error-file-required"));
    };
    let locale = page.c.locale;
    let imported =
        csv_io::import(&state.db, &me.actor, customer, &bytes, locale, &state.clock).await;
    page.after(imported)
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/templates/form.html")]
struct FormPage {
    c: Ctx,
    o: Overview,
    f: FormState,
    id: Option<ContactId>,
    areas: &'static [&'static str],
    custom: Vec<CustomField>,
    is_admin: bool,
}

async fn form_page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    f: FormState,
    id: Option<ContactId>,
) -> AppResult<FormPage> {
    let o = overview(&state.db, &c, me, customer, "contacts", &state.clock).await?;
    if !o.can_edit {
        return Err(AppError::Forbidden);
    }
    Ok(FormPage {
        c,
        o,
        f,
        id,
        areas: &AREAS,
        custom: service::fields(&state.db).await?,
        is_admin: me.actor.is_admin,
    })
}

async fn new(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    let f = FormState::new(c.locale).with("active", true);
    form_page(&state, c, &me, CustomerId(id), f, None).await
}

#[derive(Deserialize)]
struct ContactForm {
    #[serde(default)]
    first_name: String,
    #[serde(default)]
    last_name: String,
    #[serde(default)]
    email: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    position: String,
    #[serde(default)]
    is_primary: Option<String>,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    permissions: Vec<String>,
    #[serde(default)]
    notifications: Vec<String>,
    #[serde(default)]
    password: String,
}

impl ContactForm {
    fn input(&self, custom_fields: serde_json::Map<String, serde_json::Value>) -> ContactInput {
        ContactInput {
            customer_id: None,
            first_name: Some(self.first_name.clone()),
            last_name: Some(self.last_name.clone()),
            email: Some(self.email.clone()),
            phone: Some(self.phone.clone()),
            position: Some(self.position.clone()),
            is_primary: Some(self.is_primary.is_some()),
            active: Some(self.active.is_some()),
            permissions: Some(self.permissions.clone()),
            notifications: Some(self.notifications.clone()),
            password: Some(self.password.clone()),
            custom_fields: Some(custom_fields),
        }
    }

    fn state(&self, locale: Locale) -> FormState {
        let mut f = FormState::new(locale)
            .with("first_name", &self.first_name)
            .with("last_name", &self.last_name)
            .with("email", &self.email)
            .with("phone", &self.phone)
            .with("position", &self.position)
            .with("is_primary", self.is_primary.is_some())
            .with("active", self.active.is_some());
        for p in &self.permissions {
            f.set(&format!("perm:{p}"), true);
        }
        for n in &self.notifications {
            f.set(&format!("notify:{n}"), true);
        }
        f
    }
}

fn state_of(contact: &Contact, locale: Locale) -> FormState {
    let mut f = FormState::new(locale)
        .with("first_name", &contact.first_name)
        .with("last_name", &contact.last_name)
        .with("email", &contact.email)
        .with("phone", &contact.phone)
        .with("position", &contact.position)
        .with("is_primary", contact.is_primary)
        .with("active", contact.active);
    for p in &contact.permissions {
        f.set(&format!("perm:{p}"), true);
    }
    for n in &contact.notifications {
        f.set(&format!("notify:{n}"), true);
    }
    f
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    FormWithPairs(form, pairs): FormWithPairs<ContactForm>,
) -> AppResult<Response> {
    let customer = CustomerId(id);
    let defs = service::fields(&state.db).await?;
    let input = form.input(custom_fields::json_from_form(&defs, &pairs, &me.actor));
    respond(
        service::create(&state.db, &me.actor, customer, &input, &state.clock).await,
        |_| done(jar, "flash-saved", &format!("/customers/{id}/contacts")),
        |errors| async move {
            let mut f = form.state(c.locale).with_errors(errors);
            custom_fields::refill_form(&mut f, &defs, &pairs);
            let page = form_page(&state, c, &me, customer, f, None).await?;
            Ok(page)
        },
    )
    .await
}

async fn edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<FormPage> {
    let contact = service::get(&state.db, &me.actor, ContactId(id)).await?;
    let mut f = state_of(&contact, c.locale);
    custom_fields::fill_form(
        &mut f,
        &service::fields(&state.db).await?,
        &contact.custom_fields,
    );
    form_page(&state, c, &me, contact.customer_id, f, Some(contact.id)).await
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    FormWithPairs(form, pairs): FormWithPairs<ContactForm>,
) -> AppResult<Response> {
    let contact = service::get(&state.db, &me.actor, ContactId(id)).await?;
    let defs = service::fields(&state.db).await?;
    let input = form.input(custom_fields::json_from_form(&defs, &pairs, &me.actor));
    respond(
        service::update(&state.db, &me.actor, contact.id, &input, &state.clock).await,
        |()| {
            done(
                jar,
                "flash-saved",
                &format!("/customers/{}/contacts", contact.customer_id.0),
            )
        },
        |errors| async move {
            let mut f = form.state(c.locale).with_errors(errors);
            custom_fields::refill_form(&mut f, &defs, &pairs);
            let page = form_page(&state, c, &me, contact.customer_id, f, Some(contact.id)).await?;
            Ok(page)
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
    let customer = service::delete(&state.db, &me.actor, ContactId(id), &state.clock).await?;
    Ok(done(
        jar,
        "flash-deleted",
        &format!("/customers/{}/contacts", customer.0),
    ))
}

async fn make_primary(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let contact = service::get(&state.db, &me.actor, ContactId(id)).await?;
    match service::make_primary(&state.db, &me.actor, contact.id, &state.clock).await {
        Ok(()) => Ok(done(
            jar,
            "flash-saved",
            &format!("/customers/{}/contacts", contact.customer_id.0),
        )),
        Err(AppError::Validation(_)) => Ok(done(
            jar,
            "error-primary-inactive",
            &format!("/customers/{}/contacts", contact.customer_id.0),
        )),
        Err(e) => Err(e),
    }
}

async fn invite(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let contact = service::get(&state.db, &me.actor, ContactId(id)).await?;
    let back = format!("/customers/{}/contacts", contact.customer_id.0);
    match service::invite(
        &state.db,
        &state.config,
        &me.actor,
        contact.id,
        &state.clock,
    )
    .await
    {
        Ok(()) => Ok(done(jar, "flash-invited", &back)),
        Err(AppError::Validation(_)) => Ok(done(jar, "error-contact-inactive", &back)),
        Err(e) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "contacts/templates/set_password.html")]
struct PasswordPage {
    c: Ctx,
    f: FormState,
    token: String,
    valid: bool,
    done: bool,
}

async fn password_form(
    State(state): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
) -> AppResult<PasswordPage> {
    let valid = service::invitation_valid(&state.db, &token, &state.clock).await?;
    let f = FormState::new(c.locale);
    Ok(PasswordPage {
        c,
        f,
        token,
        valid,
        done: false,
    })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    password: String,
}

async fn set_password(
    State(state): State<AppState>,
    c: Ctx,
    Path(token): Path<String>,
    Form(form): Form<PasswordForm>,
) -> AppResult<Response> {
    let f = FormState::new(c.locale);
    match service::accept_invitation(&state.db, &token, &form.password, &state.clock).await {
        Ok(()) => Ok(PasswordPage {
            c,
            f,
            token,
            valid: true,
            done: true,
        }
        .into_response()),
        Err(AppError::Validation(errors)) => {
            let page = PasswordPage {
                c,
                f: f.with_errors(errors),
                token,
                valid: true,
                done: false,
            };
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(AppError::BadRequest(_)) => Ok((
            StatusCode::BAD_REQUEST,
            PasswordPage {
                c,
                f,
                token,
                valid: false,
                done: false,
            },
        )
            .into_response()),
        Err(e) => Err(e),
    }
}
