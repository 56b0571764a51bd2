//! Customer pages: list, new, overview/profile, map tab, groups, CSV.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Multipart, Query, State},
    http::HeaderMap,
    response::{IntoResponse, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{
    AppError, AppResult,
    csv_dialect::Dialect,
    i18n::Locale,
    web::{ListQuery, Page, Pager, is_htmx},
};
use serde::Deserialize;

use super::{
    csv_io,
    model::{
        CURRENCIES, Customer, CustomerFilter, CustomerId, CustomerInput, CustomerRow, Group,
        GroupId,
    },
    overview, service,
};
use crate::http::frame::Overview;
use crate::{
    common::csv_io::{self as csv, ImportPage},
    http::{
        ctx::Ctx,
        errors::referring_page,
        extract::{Form, FormWithPairs, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        custom_fields::{model::CustomField, service as custom_fields},
        staff::{model::StaffMember, service as staff},
    },
    policy::Action,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers", get(index).post(create))
        .route("/customers/new", get(new))
        .route("/customers/bulk", post(bulk))
        .route("/customers/export.csv", get(export))
        .route("/customers/import", get(import_form).post(import))
        .route("/customers/groups", get(groups).post(group_create))
        .route("/customers/groups/{id}/delete", post(group_delete))
        .route("/customers/{id}", get(show).post(update))
        .route("/customers/{id}/delete", post(delete))
        .route("/customers/{id}/map", get(map))
        .route("/customers/{id}/coordinates", post(coordinates))
        .route("/customers/{id}/geocode", post(geocode))
}

#[derive(Deserialize, Default)]
struct IndexQuery {
    #[serde(flatten)]
    list: ListQuery,
    #[serde(flatten)]
    filter: CustomerFilter,
    /// The CSV export's dialect: `excel` (`;`, with a byte order mark) or
    /// the standard (`,`).
    #[serde(default)]
    format: String,
}

impl IndexQuery {
    /// A search lists the newest matches first until a column is chosen.
    fn newest(&self) -> bool {
        self.list.sort.as_deref() == Some(super::repo::NEWEST)
    }

    /// The query string for a link to another page or sort of the same list.
    fn link(&self, page: u64, sort: Option<&str>) -> String {
        let sort_key = sort.or(self.list.sort.as_deref()).unwrap_or("company");
        let dir = match sort {
            Some(s)
                if self.list.sort.as_deref().unwrap_or("company") == s
                    && !self.list.descending() =>
            {
                "desc"
            }
            Some(_) => "asc",
            None => self.list.dir.as_deref().unwrap_or("asc"),
        };
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("q", self.list.q.as_deref().unwrap_or(""));
        q.append_pair("status", self.filter.status.as_deref().unwrap_or(""));
        if let Some(g) = self.filter.group {
            q.append_pair("group", &g.to_string());
        }
        q.append_pair("sort", sort_key);
        q.append_pair("dir", dir);
        q.append_pair("page", &page.to_string());
        format!("/customers?{}", q.finish())
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/index.html")]
struct IndexPage {
    c: Ctx,
    rows: Page<CustomerRow>,
    query: IndexQuery,
    groups: Vec<Group>,
    can_create: bool,
    can_edit: bool,
    list_defs: Vec<CustomField>,
    pager: Pager,
}

impl IndexPage {
    fn group_selected(&self, id: &GroupId) -> bool {
        self.query.filter.group == Some(id.0)
    }

    /// The current search and filters, for the CSV export link.
    fn export_query(&self) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        q.append_pair("q", self.query.list.q.as_deref().unwrap_or(""));
        q.append_pair("status", self.query.filter.status.as_deref().unwrap_or(""));
        if let Some(g) = self.query.filter.group {
            q.append_pair("group", &g.to_string());
        }
        q.finish()
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/rows.html")]
struct RowsPartial {
    c: Ctx,
    rows: Page<CustomerRow>,
    query: IndexQuery,
    can_edit: bool,
    list_defs: Vec<CustomField>,
    pager: Pager,
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    headers: HeaderMap,
    Query(mut query): Query<IndexQuery>,
) -> AppResult<Response> {
    query.list = service::interactive(query.list);
    // Independent reads go to the pool side by side.
    let (list_defs, groups) =
        futures::try_join!(service::list_fields(&state.db), service::groups(&state.db))?;
    let cap = service::search_count_cap(&query.list);
    let rows = service::list(
        &state.db,
        &me.actor,
        &query.list,
        &query.filter,
        &list_defs,
        cap,
    )
    .await?;
    let pager = rows.pager(|page| query.link(page, None));
    // Counted to the cap: more match than are shown.
    let pager = match cap.is_some_and(|cap| rows.total >= cap) {
        true => pager.open_ended(),
        false => pager,
    };
    let can_edit = service::may(&me.actor, Action::Edit);
    if is_htmx(&headers)
        && headers
            .get("hx-target")
            .is_some_and(|t| t == "customer-rows")
    {
        return Ok(RowsPartial {
            c,
            rows,
            query,
            can_edit,
            list_defs,
            pager,
        }
        .into_response());
    }
    let can_create = service::may(&me.actor, Action::Create);
    Ok(IndexPage {
        c,
        rows,
        query,
        groups,
        can_create,
        can_edit,
        list_defs,
        pager,
    }
    .into_response())
}

/// The profile form's fields, shared by "new" and the profile tab.
#[derive(Deserialize, Default)]
pub(crate) struct CustomerForm {
    #[serde(default)]
    number: String,
    #[serde(default)]
    company: String,
    #[serde(default)]
    vat_id: String,
    #[serde(default)]
    phone: String,
    #[serde(default)]
    website: String,
    #[serde(default)]
    currency: String,
    #[serde(default)]
    language: String,
    #[serde(default)]
    active: Option<String>,
    #[serde(default)]
    groups: Vec<String>,
    #[serde(default)]
    street: String,
    #[serde(default)]
    zip: String,
    #[serde(default)]
    city: String,
    #[serde(default)]
    state: String,
    #[serde(default)]
    country: String,
    #[serde(default)]
    billing_street: String,
    #[serde(default)]
    billing_zip: String,
    #[serde(default)]
    billing_city: String,
    #[serde(default)]
    billing_state: String,
    #[serde(default)]
    billing_country: String,
    #[serde(default)]
    shipping_same_as_billing: Option<String>,
    #[serde(default)]
    shipping_street: String,
    #[serde(default)]
    shipping_zip: String,
    #[serde(default)]
    shipping_city: String,
    #[serde(default)]
    shipping_state: String,
    #[serde(default)]
    shipping_country: String,
    #[serde(default)]
    latitude: String,
    #[serde(default)]
    longitude: String,
    #[serde(default)]
    admin_ids: Vec<i64>,
}

impl CustomerForm {
    fn text_fields(&self) -> [(&'static str, &String); 24] {
        [
            ("number", &self.number),
            ("company", &self.company),
            ("vat_id", &self.vat_id),
            ("phone", &self.phone),
            ("website", &self.website),
            ("currency", &self.currency),
            ("language", &self.language),
            ("street", &self.street),
            ("zip", &self.zip),
            ("city", &self.city),
            ("state", &self.state),
            ("country", &self.country),
            ("billing_street", &self.billing_street),
            ("billing_zip", &self.billing_zip),
            ("billing_city", &self.billing_city),
            ("billing_state", &self.billing_state),
            ("billing_country", &self.billing_country),
            ("shipping_street", &self.shipping_street),
            ("shipping_zip", &self.shipping_zip),
            ("shipping_city", &self.shipping_city),
            ("shipping_state", &self.shipping_state),
            ("shipping_country", &self.shipping_country),
            ("latitude", &self.latitude),
            ("longitude", &self.longitude),
        ]
    }

    pub(crate) fn input(
        &self,
        custom_fields: serde_json::Map<String, serde_json::Value>,
    ) -> CustomerInput {
        let s = |v: &String| Some(v.clone());
        CustomerInput {
            number: s(&self.number),
            company: s(&self.company),
            vat_id: s(&self.vat_id),
            phone: s(&self.phone),
            website: s(&self.website),
            currency: s(&self.currency),
            language: s(&self.language),
            active: Some(self.active.is_some()),
            groups: Some(self.groups.clone()),
            street: s(&self.street),
            zip: s(&self.zip),
            city: s(&self.city),
            state: s(&self.state),
            country: s(&self.country),
            billing_street: s(&self.billing_street),
            billing_zip: s(&self.billing_zip),
            billing_city: s(&self.billing_city),
            billing_state: s(&self.billing_state),
            billing_country: s(&self.billing_country),
            shipping_same_as_billing: Some(self.shipping_same_as_billing.is_some()),
            shipping_street: s(&self.shipping_street),
            shipping_zip: s(&self.shipping_zip),
            shipping_city: s(&self.shipping_city),
            shipping_state: s(&self.shipping_state),
            shipping_country: s(&self.shipping_country),
            latitude: Some(super::model::Coordinate::Text(self.latitude.clone())),
            longitude: Some(super::model::Coordinate::Text(self.longitude.clone())),
            admin_ids: Some(self.admin_ids.clone()),
            custom_fields: Some(custom_fields),
        }
    }

    pub(crate) fn state(&self, locale: Locale) -> FormState {
        let mut f = FormState::new(locale);
        for (name, value) in self.text_fields() {
            f.set(name, value);
        }
        f.set("active", self.active.is_some());
        f.set(
            "shipping_same_as_billing",
            self.shipping_same_as_billing.is_some(),
        );
        for g in &self.groups {
            f.set(&format!("group:{g}"), true);
        }
        for a in &self.admin_ids {
            f.set(&format!("admin:{a}"), true);
        }
        f
    }
}

pub(crate) fn state_of(c: &Customer, locale: Locale) -> FormState {
    let coord = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    let mut f = FormState::new(locale)
        .with("number", &c.number)
        .with("company", &c.company)
        .with("vat_id", &c.vat_id)
        .with("phone", &c.phone)
        .with("website", &c.website)
        .with("currency", &c.currency)
        .with("language", c.language.code())
        .with("active", c.active)
        .with("street", &c.address.street)
        .with("zip", &c.address.zip)
        .with("city", &c.address.city)
        .with("state", &c.address.state)
        .with("country", &c.address.country)
        .with("billing_street", &c.billing.street)
        .with("billing_zip", &c.billing.zip)
        .with("billing_city", &c.billing.city)
        .with("billing_state", &c.billing.state)
        .with("billing_country", &c.billing.country)
        .with("shipping_same_as_billing", c.shipping_same_as_billing)
        .with("shipping_street", &c.shipping.street)
        .with("shipping_zip", &c.shipping.zip)
        .with("shipping_city", &c.shipping.city)
        .with("shipping_state", &c.shipping.state)
        .with("shipping_country", &c.shipping.country)
        .with("latitude", coord(c.latitude))
        .with("longitude", coord(c.longitude));
    for g in &c.groups {
        f.set(&format!("group:{g}"), true);
    }
    for a in &c.admin_ids {
        f.set(&format!("admin:{}", a.0), true);
    }
    f
}

/// The profile form filled with the customer, custom fields included.
fn filled(c: &Customer, defs: &[CustomField], locale: Locale) -> FormState {
    let mut f = state_of(c, locale);
    custom_fields::fill_form(&mut f, defs, &c.custom_fields);
    f
}

/// Choices the profile form offers.
struct Choices {
    custom: Vec<CustomField>,
    is_admin: bool,
    groups: Vec<Group>,
    staff: Vec<StaffMember>,
    currencies: &'static [&'static str],
}

async fn choices(state: &AppState, me: &SignedIn) -> AppResult<Choices> {
    Ok(Choices {
        custom: service::fields(&state.db).await?,
        is_admin: me.actor.is_admin,
        groups: service::groups(&state.db).await?,
        staff: staff::directory(&state.db).await?,
        currencies: &CURRENCIES,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/new.html")]
struct NewPage {
    c: Ctx,
    f: FormState,
    ch: Choices,
}

async fn new(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<NewPage> {
    if !service::may(&me.actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    let defaults = super::defaults::get(&state.db).await?;
    let f = FormState::new(c.locale)
        .with("currency", &defaults.currency)
        .with("language", defaults.language.code())
        .with("active", true)
        .with("shipping_same_as_billing", true);
    Ok(NewPage {
        c,
        f,
        ch: choices(&state, &me).await?,
    })
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    FormWithPairs(form, pairs): FormWithPairs<CustomerForm>,
) -> AppResult<Response> {
    let defs = service::fields(&state.db).await?;
    let input = form.input(custom_fields::json_from_form(&defs, &pairs, &me.actor));
    respond(
        service::create(&state.db, &me.actor, &input, &state.clock).await,
        |id| done(jar, "flash-saved", &format!("/customers/{}", id.0)),
        |errors| async move {
            let mut f = form.state(c.locale).with_errors(errors);
            custom_fields::refill_form(&mut f, &defs, &pairs);
            let page = NewPage {
                c,
                f,
                ch: choices(&state, &me).await?,
            };
            Ok(page)
        },
    )
    .await
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/profile.html")]
struct ProfilePage {
    c: Ctx,
    o: Overview,
    customer: Customer,
    f: FormState,
    ch: Choices,
}

async fn show(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<ProfilePage> {
    let (o, customer) =
        overview::load_with_customer(&state.db, &c, &me, CustomerId(id), "", &state.clock).await?;
    service::viewed(&state.db, &me.actor, customer.id, &state.clock).await?;
    let ch = choices(&state, &me).await?;
    let f = filled(&customer, &ch.custom, c.locale);
    Ok(ProfilePage {
        c,
        o,
        customer,
        f,
        ch,
    })
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    FormWithPairs(form, pairs): FormWithPairs<CustomerForm>,
) -> AppResult<Response> {
    let defs = service::fields(&state.db).await?;
    let input = form.input(custom_fields::json_from_form(&defs, &pairs, &me.actor));
    respond(
        service::update(&state.db, &me.actor, CustomerId(id), &input, &state.clock).await,
        |()| done(jar, "flash-saved", &format!("/customers/{id}")),
        |errors| async move {
            let (o, customer) =
                overview::load_with_customer(&state.db, &c, &me, CustomerId(id), "", &state.clock)
                    .await?;
            let mut f = form.state(c.locale).with_errors(errors);
            custom_fields::refill_form(&mut f, &defs, &pairs);
            let page = ProfilePage {
                c,
                o,
                customer,
                f,
                ch: choices(&state, &me).await?,
            };
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
    service::delete(
        &state.db,
        &state.storage,
        &me.actor,
        CustomerId(id),
        &state.clock,
    )
    .await?;
    Ok(done(jar, "flash-deleted", "/customers"))
}

#[derive(Deserialize)]
struct BulkForm {
    action: String,
    #[serde(default)]
    ids: Vec<i64>,
}

/// Activates or deactivates the chosen customers and goes back to the
/// list as it was searched and filtered, saying what was done.
async fn bulk(
    State(state): State<AppState>,
    jar: CookieJar,
    headers: HeaderMap,
    Staff(me): Staff,
    Form(form): Form<BulkForm>,
) -> AppResult<Response> {
    let (active, said) = match form.action.as_str() {
        "activate" => (true, "flash-customers-activated"),
        "deactivate" => (false, "flash-customers-deactivated"),
        _ => return Err(AppError::BadRequest("error-bad-request".into())),
    };
    if form.ids.len() > kernel::web::MAX_PER_PAGE as usize {
        return Err(AppError::BadRequest("error-bad-request".into()));
    }
    let back = referring_page(&headers)
        .filter(|page| page == "/customers" || page.starts_with("/customers?"))
        .unwrap_or_else(|| "/customers".into());
    if form.ids.is_empty() {
        return Ok(done(jar, "flash-nothing-selected", &back));
    }
    service::set_active(&state.db, &me.actor, &form.ids, active, &state.clock).await?;
    Ok(done(jar, said, &back))
}

async fn export(
    State(state): State<AppState>,
    Staff(me): Staff,
    Query(query): Query<IndexQuery>,
) -> AppResult<Response> {
    let (customers, defs) =
        service::export(&state.db, &me.actor, &query.list, &query.filter).await?;
    let body = csv_io::write(&customers, &defs, Dialect::parse(&query.format))?;
    Ok(csv::download("customers.csv", body))
}

fn import_page(c: Ctx) -> ImportPage {
    ImportPage::new(
        c,
        "action-import",
        "import-help",
        "/customers/import".into(),
        "/customers".into(),
    )
}

async fn import_form(c: Ctx, Staff(me): Staff) -> AppResult<ImportPage> {
    if !service::may(&me.actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    Ok(import_page(c))
}

async fn import(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    multipart: Multipart,
) -> AppResult<Response> {
    if !service::may(&me.actor, Action::Create) {
        return Err(AppError::Forbidden);
    }
    let page = import_page(c);
    let Some(bytes) = csv::upload(multipart).await? else {
        return Ok(page.refused("error-file-required"));
    };
    let imported = csv_io::import(&state.db, &me.actor, &bytes, page.c.locale, &state.clock).await;
    page.after(imported)
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/groups.html")]
struct GroupsPage {
    c: Ctx,
    groups: Vec<Group>,
    f: FormState,
    can_edit: bool,
}

async fn groups(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<GroupsPage> {
    service::scope(&me.actor)?;
    let f = FormState::new(c.locale);
    Ok(GroupsPage {
        c,
        groups: service::groups(&state.db).await?,
        f,
        can_edit: service::may(&me.actor, Action::Edit),
    })
}

#[derive(Deserialize)]
struct GroupForm {
    name: String,
}

async fn group_create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<GroupForm>,
) -> AppResult<Response> {
    respond(
        service::create_group(&state.db, &me.actor, &form.name, &state.clock).await,
        |_| done(jar, "flash-saved", "/customers/groups"),
        |errors| async move {
            let f = FormState::new(c.locale)
                .with("name", &form.name)
                .with_errors(errors);
            let page = GroupsPage {
                c,
                groups: service::groups(&state.db).await?,
                f,
                can_edit: true,
            };
            Ok(page)
        },
    )
    .await
}

async fn group_delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    service::delete_group(&state.db, &me.actor, GroupId(id)).await?;
    Ok(done(jar, "flash-deleted", "/customers/groups"))
}

#[derive(Template, WebTemplate)]
#[template(path = "customers/templates/map.html")]
struct MapPage {
    c: Ctx,
    o: Overview,
    customer: Customer,
    f: FormState,
    tile_url: String,
    can_geocode: bool,
}

impl MapPage {
    fn external_url(&self) -> String {
        match (self.customer.latitude, self.customer.longitude) {
            (Some(lat), Some(lng)) => {
                format!("https://www.openstreetmap.org/?mlat={lat}&mlon={lng}#map=16/{lat}/{lng}")
            }
            _ => String::new(),
        }
    }
}

async fn map(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<MapPage> {
    let (o, customer) =
        overview::load_with_customer(&state.db, &c, &me, CustomerId(id), "map", &state.clock)
            .await?;
    let f = state_of(&customer, c.locale);
    Ok(MapPage {
        c,
        o,
        customer,
        f,
        tile_url: state.config.map_tile_url.clone(),
        can_geocode: state.geocoder.is_some(),
    })
}

#[derive(Deserialize)]
struct CoordinatesForm {
    latitude: String,
    longitude: String,
}

async fn coordinates(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<CoordinatesForm>,
) -> AppResult<Response> {
    respond(
        service::set_coordinates(
            &state.db,
            &me.actor,
            CustomerId(id),
            &form.latitude,
            &form.longitude,
            &state.clock,
        )
        .await,
        |()| done(jar, "flash-saved", &format!("/customers/{id}/map")),
        |errors| async move {
            let (o, customer) = overview::load_with_customer(
                &state.db,
                &c,
                &me,
                CustomerId(id),
                "map",
                &state.clock,
            )
            .await?;
            let f = FormState::new(c.locale)
                .with("latitude", &form.latitude)
                .with("longitude", &form.longitude)
                .with_errors(errors);
            let page = MapPage {
                c,
                o,
                customer,
                f,
                tile_url: state.config.map_tile_url.clone(),
                can_geocode: state.geocoder.is_some(),
            };
            Ok(page)
        },
    )
    .await
}

/// "Look up from address": 303 back to the map with the outcome as flash.
async fn geocode(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let back = format!("/customers/{id}/map");
    let Some(geocoder) = &state.geocoder else {
        return Err(AppError::NotFound);
    };
    match service::geocode(&state.db, geocoder, &me.actor, CustomerId(id), &state.clock).await {
        Ok(()) => Ok(done(jar, "flash-geocoded", &back)),
        Err(AppError::Validation(errors))
            if errors.get("address") == Some("error-geocode-no-address") =>
        {
            Ok(done(jar, "error-geocode-no-address", &back))
        }
        Err(AppError::Validation(_)) => Ok(done(jar, "error-geocode-not-found", &back)),
        Err(AppError::Conflict(_)) => Ok(done(jar, "error-geocode-failed", &back)),
        Err(e) => Err(e),
    }
}
