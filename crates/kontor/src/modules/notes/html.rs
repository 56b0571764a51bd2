//! The notes tab: list, add, edit, delete.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::Response,
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::{AppError, AppResult};

use super::{
    model::{Note, NoteForm, NoteId, NoteInput, NoteView},
    service,
};
use crate::http::frame::Overview;
use crate::{
    http::{
        ctx::Ctx,
        extract::{Form, Path, Staff},
        form::{FormState, done, respond},
        identity::SignedIn,
    },
    modules::customers::{model::CustomerId, service::overview},
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

#[derive(Template, WebTemplate)]
#[template(path = "notes/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    notes: Vec<NoteView>,
    nf: FormState,
    note_action: String,
}

async fn page(
    state: &AppState,
    c: Ctx,
    me: &SignedIn,
    customer: CustomerId,
    f: FormState,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, me, customer, "notes", &state.clock).await?;
    service::list(&state.db, &me.actor, customer).await?;
    let notes = service::views_on(
        &state.db,
        &me.actor,
        crate::modules::customers::service::entity(customer),
    )
    .await?;
    Ok(IndexPage {
        c,
        o,
        notes,
        nf: f,
        note_action: format!("/customers/{}/notes", customer.0),
    })
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

async fn create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<NoteForm>,
) -> AppResult<Response> {
    respond(
        service::create(
            &state.db,
            &me.actor,
            CustomerId(id),
            &NoteInput::from(&form),
            &state.clock,
        )
        .await,
        |_| done(jar, "flash-saved", &format!("/customers/{id}/notes")),
        |errors| async move {
            let f = form.typed(c.locale).with_errors(errors);
            let page = page(&state, c, &me, CustomerId(id), f).await?;
            Ok(page)
        },
    )
    .await
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
    let o = overview(&state.db, &c, &me, note.customer_id, "notes", &state.clock).await?;
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
    respond(
        service::update(
            &state.db,
            &me.actor,
            note.id,
            &NoteInput::from(&form),
            &state.clock,
        )
        .await,
        |()| done(jar, "flash-saved", &back(&note)),
        |errors| async move {
            let o = overview(&state.db, &c, &me, note.customer_id, "notes", &state.clock).await?;
            let f = form.typed(c.locale).with_errors(errors);
            Ok(EditPage {
                c,
                o,
                id: note.id,
                f,
            })
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
    let note = service::delete(&state.db, &me.actor, NoteId(id), &state.clock).await?;
    Ok(done(jar, "flash-deleted", &back(&note)))
}

/// Where a page goes back to after a note changed: the page of the record
/// it hangs on, or the customer's Notes tab.
fn back(note: &Note) -> String {
    match crate::modules::record(&note.entity_kind).and_then(|r| r.page) {
        Some(page) => page(note.entity_id),
        None => format!("/customers/{}/notes", note.customer_id.0),
    }
}
