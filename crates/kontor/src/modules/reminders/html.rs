//! The reminders tab and the calendar feed.

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
use kernel::{AppError, AppResult};

use super::{
    model::{ReminderId, ReminderInput, ReminderView},
    service,
};
use crate::common::attach::ReminderForm;
use crate::http::frame::Overview;
use crate::{
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::{
        customers::{model::CustomerId, service::overview},
        staff::{model::StaffMember, service as staff},
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/reminders", get(index).post(create))
        .route("/reminders/{id}", post(update))
        .route("/reminders/{id}/edit", get(edit))
        .route("/reminders/{id}/delete", post(delete))
        .route("/ical/{file}", get(feed))
}

#[derive(Template, WebTemplate)]
#[template(path = "reminders/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    items: Vec<ReminderView>,
    f: FormState,
    staff: Vec<StaffMember>,
    edit: Option<ReminderId>,
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    f: FormState,
    edit: Option<ReminderId>,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, me, customer, "reminders", &state.clock).await?;
    let items = service::views(&state.db, &me.actor, customer).await?;
    Ok(IndexPage {
        c,
        o,
        items,
        f,
        staff: staff::directory(&state.db).await?,
        edit,
    })
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let f = FormState::new(c.locale).with("staff_id", me.actor.id.0);
    page(&state, c, &me, CustomerId(id), f, None).await
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ReminderForm>,
) -> AppResult<Response> {
    let result = service::create(
        &state.db,
        &state.config,
        &me.actor,
        CustomerId(id),
        &ReminderInput::from(&form),
        &state.clock,
    )
    .await;
    respond(
        result,
        |_| done(jar, "flash-saved", &format!("/customers/{id}/reminders")),
        |errors| async move {
            let f = form.state(c.locale, errors);
            page(&state, c, &me, CustomerId(id), f, None).await
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
    let r = service::get(&state.db, &me.actor, ReminderId(id)).await?;
    if !service::may_change(&me.actor, &r) {
        return Err(AppError::Forbidden);
    }
    let local = r
        .remind_at
        .with_timezone(&state.config.timezone)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let f = FormState::new(c.locale)
        .with("remind_at", local)
        .with("description", &r.description)
        .with("staff_id", r.staff_id.0)
        .with("notify_by_email", r.notify_by_email);
    let customer = r.customer_id.ok_or(AppError::NotFound)?;
    page(&state, c, &me, customer, f, Some(r.id)).await
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<ReminderForm>,
) -> AppResult<Response> {
    let r = service::get(&state.db, &me.actor, ReminderId(id)).await?;
    let customer = r.customer_id.ok_or(AppError::NotFound)?;
    let result = service::update(
        &state.db,
        &state.config,
        &me.actor,
        r.id,
        &ReminderInput::from(&form),
        &state.clock,
    )
    .await;
    respond(
        result,
        |()| {
            done(
                jar,
                "flash-saved",
                &format!("/customers/{}/reminders", customer.0),
            )
        },
        |errors| async move {
            let f = form.state(c.locale, errors);
            page(&state, c, &me, customer, f, Some(r.id)).await
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
    let customer = service::delete(&state.db, &me.actor, ReminderId(id)).await?;
    Ok(done(
        jar,
        "flash-deleted",
        &format!("/customers/{}/reminders", customer.0),
    ))
}

/// `/ical/<secret>.ics`: a staff member's reminders for calendar apps.
async fn feed(State(state): State<AppState>, Path(file): Path<String>) -> AppResult<Response> {
    let token = file.strip_suffix(".ics").ok_or(AppError::NotFound)?;
    let body = service::ical(&state.db, &state.config, token)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok((
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response())
}
