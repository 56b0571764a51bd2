//! The notes tab: list, add, edit, delete.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::{Path, State},
    http::StatusCode,
    response::{IntoResponse, Redirect, Response},
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult};
use serde::Deserialize;

use super::{
    model::{Note, NoteId, NoteInput},
    service,
};
use crate::{
    http::{
        ctx::Ctx,
        extract::{Form, Staff},
        form::FormState,
        identity::SignedIn,
    },
    modules::{
        customers::{
            model::CustomerId,
            overview::{self, Overview},
        },
        staff::html::flash,
    },
    policy,
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/customers/{id}/notes", get(index).post(create))
        .route("/notes/{id}", post(update))
        .route("/notes/{id}/edit", get(edit))
        .route("/notes/{id}/delete", post(delete))
}

pub struct NoteView {
    pub note: Note,
    pub html: String,
    pub may_change: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notes/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    notes: Vec<NoteView>,
    f: FormState,
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    f: FormState,
) -> AppResult<IndexPage> {
    let o = overview::load(&state.db, &c, me, customer, "notes").await?;
    let notes = service::list(&state.db, &me.actor, customer)
        .await?
        .into_iter()
        .map(|note| NoteView {
            html: note.html(),
            may_change: policy::can_change_note(&me.actor, note.created_by),
            note,
        })
        .collect();
    Ok(IndexPage { c, o, notes, f })
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let f = FormState::new(c.locale);
    page(&state, c, &me, CustomerId(id), f).await
}

#[derive(Deserialize)]
struct NoteForm {
    #[serde(default)]
    body: String,
    #[serde(default)]
    contacted_at: String,
}

impl NoteForm {
    fn input(&self) -> NoteInput {
        NoteInput {
            customer_id: None,
            body: Some(self.body.clone()),
            contacted_at: Some(self.contacted_at.clone()),
        }
    }
}

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> AppResult<Response> {
    match service::create(&state.db, &me.actor, CustomerId(id), &form.input()).await {
        Ok(_) => Ok((
            flash(jar, "flash-saved"),
            Redirect::to(&format!("/customers/{id}/notes")),
        )
            .into_response()),
        Err(AppError::Validation(errors)) => {
            let mut f = FormState::new(c.locale)
                .with("body", &form.body)
                .with("contacted_at", &form.contacted_at);
            f.errors = errors;
            let page = page(&state, c, &me, CustomerId(id), f).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(e) => Err(e),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "notes/templates/edit.html")]
struct EditPage {
    c: Ctx,
    o: Overview,
    id: NoteId,
    f: FormState,
}

async fn edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<EditPage> {
    let note = service::get(&state.db, &me.actor, NoteId(id)).await?;
    if !policy::can_change_note(&me.actor, note.created_by) {
        return Err(AppError::Forbidden);
    }
    let o = overview::load(&state.db, &c, &me, note.customer_id, "notes").await?;
    let f = FormState::new(c.locale).with("body", &note.body).with(
        "contacted_at",
        note.contacted_at.map(|d| d.to_string()).unwrap_or_default(),
    );
    Ok(EditPage {
        c,
        o,
        id: note.id,
        f,
    })
}

async fn update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> AppResult<Response> {
    let note = service::get(&state.db, &me.actor, NoteId(id)).await?;
    match service::update(&state.db, &me.actor, note.id, &form.input()).await {
        Ok(()) => Ok((
            flash(jar, "flash-saved"),
            Redirect::to(&format!("/customers/{}/notes", note.customer_id.0)),
        )
            .into_response()),
        Err(AppError::Validation(errors)) => {
            let o = overview::load(&state.db, &c, &me, note.customer_id, "notes").await?;
            let mut f = FormState::new(c.locale)
                .with("body", &form.body)
                .with("contacted_at", &form.contacted_at);
            f.errors = errors;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                EditPage {
                    c,
                    o,
                    id: note.id,
                    f,
                },
            )
                .into_response())
        }
        Err(e) => Err(e),
    }
}

async fn delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    let customer = service::delete(&state.db, &me.actor, NoteId(id)).await?;
    Ok((
        flash(jar, "flash-deleted"),
        Redirect::to(&format!("/customers/{}/notes", customer.0)),
    )
        .into_response())
}
