//! The activity tab of the customer overview.

use askama::Template;
use askama_web::WebTemplate;
use axum::{Router, extract::State, routing::get};
use kernel::AppResult;

use super::{
    model::{ActivityEntry, Change},
    service,
};
use crate::http::frame::Overview;
use crate::{
    http::{
        ctx::Ctx,
        extract::{Path, Staff},
    },
    i18n,
    modules::{
        custom_fields::{model::CustomField, service as custom_fields},
        customers::{model::CustomerId, service::overview},
    },
    state::AppState,
};

pub fn routes() -> axum::Router<AppState> {
    Router::new().route("/customers/{id}/activity", get(index))
}

#[derive(Template, WebTemplate)]
#[template(path = "activity/templates/index.html")]
struct IndexPage {
    c: Ctx,
    o: Overview,
    entries: Vec<ActivityEntry>,
    changes: Vec<Change>,
    /// The custom fields, which name their own columns of the history.
    custom: Vec<CustomField>,
}

/// History columns named by a label of another key (the form's section).
const SAME_AS: [(&str, &str); 8] = [
    ("is_primary", "field-primary"),
    ("body", "field-note"),
    ("active", "status-active"),
    ("groups", "section-groups"),
    ("admin_ids", "section-admins"),
    ("permissions", "section-portal-permissions"),
    ("notifications", "section-notifications"),
    ("visible_to_customer", "field-visible-to-customer"),
];

impl IndexPage {
    /// What the form calls a changed field: its label in the user's
    /// language, an address line with its address, a custom field by its
    /// label; the stored name only where there is none.
    fn field_label(&self, ch: &Change) -> String {
        let field = ch.field.as_str();
        if let Some(key) = field.strip_prefix("custom_fields.") {
            return self
                .custom
                .iter()
                .find(|d| d.key == key && d.entity_kind == ch.entity_kind)
                .map_or_else(|| field.to_string(), |d| d.label.clone());
        }
        for (prefix, section) in [
            ("billing_", "section-billing"),
            ("shipping_", "section-shipping"),
        ] {
            if let Some(line) = field.strip_prefix(prefix) {
                return format!("{}: {}", self.c.t(section), self.label_of(line));
            }
        }
        self.label_of(field)
    }

    fn label_of(&self, field: &str) -> String {
        let key = SAME_AS.iter().find(|(name, _)| *name == field).map_or_else(
            || format!("field-{}", field.replace('_', "-")),
            |(_, k)| k.to_string(),
        );
        i18n::lookup(self.c.locale, &key).unwrap_or_else(|| field.to_string())
    }
}

async fn index(
    State(state): State<AppState>,
    c: Ctx,
    Staff(me): Staff,
    Path(id): Path<i64>,
) -> AppResult<IndexPage> {
    let o = overview(&state.db, &c, &me, CustomerId(id), "activity", &state.clock).await?;
    let (entries, changes) = service::of_customer(&state.db, &me.actor, id).await?;
    Ok(IndexPage {
        c,
        o,
        entries,
        changes,
        custom: custom_fields::labels(&state.db).await?,
    })
}
