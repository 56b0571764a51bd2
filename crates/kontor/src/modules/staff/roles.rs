//! The roles pages: the list, and the form with the permission grid the
//! modules' areas make up.

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
use serde::Deserialize;

use super::{
    model::{Role, RoleId, RoleInput},
    service::{self},
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
        .route("/roles", get(roles).post(role_create))
        .route("/roles/new", get(role_new))
        .route("/roles/{id}", post(role_update))
        .route("/roles/{id}/edit", get(role_edit))
        .route("/roles/{id}/delete", post(role_delete))
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/roles.html")]
struct RolesPage {
    c: Ctx,
    roles: Vec<Role>,
    can_edit: bool,
}

async fn roles(State(state): State<AppState>, c: Ctx, Staff(me): Staff) -> AppResult<RolesPage> {
    let roles = service::roles(&state.db, &me.actor).await?;
    Ok(RolesPage {
        c,
        roles,
        can_edit: crate::policy::can(&me.actor, service::AREA, Action::Edit),
    })
}

/// One row of the permission grid.
pub struct GridRow {
    pub module: &'static str,
    pub label: String,
    pub cells: Vec<(&'static str, String, bool, bool)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "staff/templates/role_form.html")]
struct RoleFormPage {
    c: Ctx,
    f: FormState,
    id: Option<RoleId>,
    grid: Vec<GridRow>,
}

fn grid(c: &Ctx, granted: &crate::policy::Permissions) -> Vec<GridRow> {
    policy::areas()
        .into_iter()
        .map(|m| GridRow {
            module: m.key,
            label: c.t(&m.label_key()),
            cells: Action::ALL
                .iter()
                .map(|a| {
                    (
                        a.key(),
                        c.t(&format!("perm-{}", a.key())),
                        m.actions.contains(a),
                        granted.grants(m, *a),
                    )
                })
                .collect(),
        })
        .collect()
}

async fn role_new(c: Ctx, Staff(me): Staff) -> AppResult<RoleFormPage> {
    if !crate::policy::can(&me.actor, service::AREA, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let grid = grid(&c, &Default::default());
    let f = FormState::new(c.locale);
    Ok(RoleFormPage {
        c,
        f,
        id: None,
        grid,
    })
}

async fn role_edit(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<RoleFormPage> {
    if !crate::policy::can(&me.actor, service::AREA, Action::Edit) {
        return Err(AppError::Forbidden);
    }
    let role = service::role(&state.db, &me.actor, RoleId(id)).await?;
    let grid = grid(&c, &role.permissions);
    let f = FormState::new(c.locale).with("name", &role.name);
    Ok(RoleFormPage {
        c,
        f,
        id: Some(role.id),
        grid,
    })
}

#[derive(Deserialize)]
struct RoleForm {
    name: String,
    /// Checkbox values `module:action`.
    #[serde(default)]
    perm: Vec<String>,
}

impl RoleForm {
    fn input(&self) -> RoleInput {
        let mut map = serde_json::Map::new();
        for p in &self.perm {
            if let Some((module, action)) = p.split_once(':') {
                let entry = map
                    .entry(module.to_string())
                    .or_insert_with(|| serde_json::json!([]));
                if let Some(list) = entry.as_array_mut() {
                    list.push(serde_json::json!(action));
                }
            }
        }
        RoleInput {
            name: Some(self.name.clone()),
            permissions: Some(serde_json::Value::Object(map)),
        }
    }
}

async fn save_role(
    state: &AppState,
    c: Ctx,
    jar: CookieJar,
    me: &crate::http::identity::SignedIn,
    id: Option<RoleId>,
    form: RoleForm,
) -> AppResult<Response> {
    let input = form.input();
    let result = match id {
        Some(id) => service::update_role(&state.db, &me.actor, id, &input, &state.clock).await,
        None => service::create_role(&state.db, &me.actor, &input, &state.clock)
            .await
            .map(|_| ()),
    };
    respond(
        result,
        |()| done(jar, "flash-saved", "/roles"),
        |errors| async move {
            let granted = input
                .permissions
                .as_ref()
                .and_then(crate::policy::Permissions::parse)
                .unwrap_or_default();
            let grid = grid(&c, &granted);
            let f = FormState::new(c.locale)
                .with("name", &form.name)
                .with_errors(errors);
            Ok(RoleFormPage { c, f, id, grid })
        },
    )
    .await
}

async fn role_create(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    save_role(&state, c, jar, &me, None, form).await
}

async fn role_update(
    State(state): State<AppState>,
    c: Ctx,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
    Form(form): Form<RoleForm>,
) -> AppResult<Response> {
    save_role(&state, c, jar, &me, Some(RoleId(id)), form).await
}

async fn role_delete(
    State(state): State<AppState>,
    jar: CookieJar,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<Response> {
    service::delete_role(&state.db, &me.actor, RoleId(id)).await?;
    Ok(done(jar, "flash-deleted", "/roles"))
}
