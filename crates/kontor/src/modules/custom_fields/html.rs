//! Settings > Custom fields.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::Response,
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult, FieldErrors, i18n::Locale};
use serde::Deserialize;

use super::{
    model::{CustomField, FieldId, FieldInput, FieldType, KINDS},
    service,
};
use crate::{
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
    },
    policy::{self, Action},
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/settings/custom-fields", get(index).post(create))
        .route("/settings/custom-fields/{id}", post(update))
        .route("/settings/custom-fields/{id}/edit", get(edit))
        .route("/settings/custom-fields/{id}/delete", post(delete))
}

const FLAGS: [&str; 6] = [
    "required",
    "show_in_list",
    "show_on_pdf",
    "portal_visible",
    "portal_editable",
    "admin_only",
];

#[derive(Template, WebTemplate)]
#[template(path = "custom_fields/templates/index.html")]
struct IndexPage {
    c: Ctx,
    fields: Vec<CustomField>,
    f: FormState,
    id: Option<FieldId>,
    can_edit: bool,
    kinds: &'static [&'static str],
    types: &'static [FieldType],
    flags: &'static [&'static str],
}

impl IndexPage {
    fn flag_set(&self, d: &CustomField, flag: &str) -> bool {
        match flag {
            "required" => d.required,
            "show_in_list" => d.show_in_list,
            "show_on_pdf" => d.show_on_pdf,
            "portal_visible" => d.portal_visible,
            "portal_editable" => d.portal_editable,
            _ => d.admin_only,
        }
    }
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &crate::http::identity::SignedIn,
    f: FormState,
    id: Option<FieldId>,
) -> AppResult<IndexPage> {
    let fields = service::all(&state.db, &me.actor).await?;
    let can_edit = policy::can(&me.actor, policy::SETTINGS, Action::Edit);
    Ok(IndexPage {
        c,
        fields,
        f,
        id,
        can_edit,
        kinds: &KINDS,
        types: &FieldType::ALL,
        flags: &FLAGS,
    })
}

async fn index(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<IndexPage> {
    let f = FormState::new(c.locale)
        .with("entity_kind", "customer")
        .with("field_type", "text")
        .with("sort_order", 0);
    page(&state, c, &me, f, None).await
}

#[derive(Deserialize)]
struct FieldForm {
    #[serde(default)]
    entity_kind: String,
    #[serde(default)]
    label: String,
    #[serde(default)]
    key: String,
    #[serde(default)]
    field_type: String,
    #[serde(default)]
    options: String,
    #[serde(default)]
    sort_order: String,
    #[serde(default)]
    required: Option<String>,
    #[serde(default)]
    show_in_list: Option<String>,
    #[serde(default)]
    show_on_pdf: Option<String>,
    #[serde(default)]
    portal_visible: Option<String>,
    #[serde(default)]
    portal_editable: Option<String>,
    #[serde(default)]
    admin_only: Option<String>,
}

impl FieldForm {
    fn input(&self) -> Result<FieldInput, FieldErrors> {
        let sort_order = match self.sort_order.trim() {
            "" => 0,
            s => s.parse().map_err(|_| {
                let mut e = FieldErrors::new();
                e.add("sort_order", "error-number");
                e
            })?,
        };
        Ok(FieldInput {
            entity_kind: Some(self.entity_kind.clone()),
            key: Some(self.key.clone()),
            label: Some(self.label.clone()),
            field_type: Some(self.field_type.clone()),
            options: Some(self.options.lines().map(str::to_string).collect()),
            required: Some(self.required.is_some()),
            show_in_list: Some(self.show_in_list.is_some()),
            show_on_pdf: Some(self.show_on_pdf.is_some()),
            portal_visible: Some(self.portal_visible.is_some()),
            portal_editable: Some(self.portal_editable.is_some()),
            admin_only: Some(self.admin_only.is_some()),
            sort_order: Some(sort_order),
        })
    }

    fn state(&self, locale: Locale) -> FormState {
        FormState::new(locale)
            .with("entity_kind", &self.entity_kind)
            .with("label", &self.label)
            .with("key", &self.key)
            .with("field_type", &self.field_type)
            .with("options", &self.options)
            .with("sort_order", &self.sort_order)
            .with("required", self.required.is_some())
            .with("show_in_list", self.show_in_list.is_some())
            .with("show_on_pdf", self.show_on_pdf.is_some())
            .with("portal_visible", self.portal_visible.is_some())
            .with("portal_editable", self.portal_editable.is_some())
            .with("admin_only", self.admin_only.is_some())
    }
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<FieldForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => service::create(&state.db, &me.actor, &input, &state.clock)
            .await
            .map(|_| ()),
        Err(errors) => Err(AppError::Validation(errors)),
    };
    respond(
        result,
        |()| done(jar, "flash-saved", "/settings/custom-fields"),
        |errors| async move {
            let f = form.state(c.locale).with_errors(errors);
            page(&state, c, &me, f, None).await
        },
    )
    .await
}

async fn edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let d = service::get(&state.db, &me.actor, FieldId(id)).await?;
    let f = FormState::new(c.locale)
        .with("entity_kind", &d.entity_kind)
        .with("label", &d.label)
        .with("key", &d.key)
        .with("field_type", d.field_type.key())
        .with("options", d.options.join("\n"))
        .with("sort_order", d.sort_order)
        .with("required", d.required)
        .with("show_in_list", d.show_in_list)
        .with("show_on_pdf", d.show_on_pdf)
        .with("portal_visible", d.portal_visible)
        .with("portal_editable", d.portal_editable)
        .with("admin_only", d.admin_only);
    page(&state, c, &me, f, Some(d.id)).await
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<FieldForm>,
) -> AppResult<Response> {
    let result = match form.input() {
        Ok(input) => service::update(&state.db, &me.actor, FieldId(id), &input, &state.clock).await,
        Err(errors) => Err(AppError::Validation(errors)),
    };
    respond(
        result,
        |()| done(jar, "flash-saved", "/settings/custom-fields"),
        |errors| async move {
            let f = form.state(c.locale).with_errors(errors);
            page(&state, c, &me, f, Some(FieldId(id))).await
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
    service::delete(&state.db, &me.actor, FieldId(id)).await?;
    Ok(done(jar, "flash-deleted", "/settings/custom-fields"))
}
