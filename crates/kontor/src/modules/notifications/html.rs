//! `/notifications`: the list behind the bell.

use askama::Template;
use askama_web::WebTemplate;
use axum::{
    Router,
    extract::State,
    response::Response,
    routing::{get, post},
};
use axum_extra::extract::CookieJar;
use kernel::AppResult;

use super::{model::Notification, service};
use crate::{
    http::{
        ctx::Ctx,
        extract::{Path, Staff},
        form::done,
    },
    state::AppState,
};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/notifications", get(index))
        .route("/notifications/read", post(read_all))
        .route("/notifications/{id}/read", post(read_one))
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/templates/index.html")]
struct IndexPage {
    c: Ctx,
    items: Vec<Notification>,
}

async fn index(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<IndexPage> {
    Ok(IndexPage {
        c,
        items: service::latest(&state.db, me.actor.id).await?,
    })
}

async fn read_all(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
) -> AppResult<Response> {
    service::mark_read(&state.db, me.actor.id, None, &state.clock).await?;
    Ok(done(jar, "flash-saved", "/notifications"))
}

async fn read_one(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    service::mark_read(&state.db, me.actor.id, Some(id), &state.clock).await?;
    Ok(done(jar, "flash-saved", "/notifications"))
}
