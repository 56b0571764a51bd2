//! The one place that decides who may do what. Handlers ask [`can`] (or
//! [`require`]) for actions on an area and [`customer_scope`] for which customers a query
//! may touch; a record outside the scope is answered with 404.

use std::collections::{BTreeMap, BTreeSet};

use kernel::{AppError, AppResult};
use serde::{Deserialize, Serialize, ser::SerializeMap};

use crate::modules::staff::model::StaffId;

/// An area of the role permission grid. Modules declare theirs in their
/// descriptor (`permissions`); the policy knows areas by key only.
#[derive(Clone, Copy, Debug)]
pub struct Area {
    pub key: &'static str,
    /// The actions the grid offers for it.
    pub actions: &'static [Action],
    /// Position of its row in the grid.
    pub order: u16,
}

impl PartialEq for Area {
    fn eq(&self, other: &Self) -> bool {
        self.key == other.key
    }
}

impl Eq for Area {}

impl PartialOrd for Area {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Area {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.key.cmp(other.key)
    }
}

impl Area {
    /// The registered area named `key`.
    pub fn parse(key: &str) -> Option<Self> {
        areas().into_iter().find(|a| a.key == key)
    }

    /// The translation key of its name in the grid.
    pub fn label_key(self) -> String {
        format!("module-{}", self.key)
    }
}

/// The actions on records that belong to customers.
pub const RECORD_ACTIONS: &[Action] = &[
    Action::ViewOwn,
    Action::View,
    Action::Create,
    Action::Edit,
    Action::Delete,
];

/// The customers, whose "view own" scopes every record hanging on them: the
/// policy's own area (see [`customer_scope`]).
pub const CUSTOMERS: Area = Area {
    key: "customers",
    actions: RECORD_ACTIONS,
    order: 10,
};

/// The Settings pages, which every module's settings join.
pub const SETTINGS: Area = Area {
    key: "settings",
    actions: &[Action::View, Action::Edit],
    order: 900,
};

/// Every area of the grid, in its order: the policy's own and those the
/// modules declare.
pub fn areas() -> Vec<Area> {
    let mut all: Vec<Area> = [CUSTOMERS, SETTINGS]
        .into_iter()
        .chain(crate::modules::permission_areas())
        .collect();
    all.sort_by_key(|a| a.order);
    all.dedup();
    all
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    ViewOwn,
    View,
    Create,
    Edit,
    Delete,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::ViewOwn,
        Action::View,
        Action::Create,
        Action::Edit,
        Action::Delete,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::ViewOwn => "view_own",
            Self::View => "view",
            Self::Create => "create",
            Self::Edit => "edit",
            Self::Delete => "delete",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.key() == key)
    }
}

/// A role's grid: area -> granted actions.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Permissions(pub BTreeMap<Area, BTreeSet<Action>>);

/// An object with a list of granted actions per area key, each area
/// offering the actions its module declares.
impl utoipa::PartialSchema for Permissions {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::{
            ObjectBuilder,
            schema::{ArrayBuilder, Type},
        };
        crate::modules::permission_areas()
            .fold(
                ObjectBuilder::new().additional_properties(Some(
                    utoipa::openapi::schema::AdditionalProperties::FreeForm(false),
                )),
                |object, area| {
                    let actions = ArrayBuilder::new().items(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .enum_values(Some(area.actions.iter().map(|a| a.key()))),
                    );
                    object.property(area.key, actions)
                },
            )
            .into()
    }
}

impl utoipa::ToSchema for Permissions {}

impl Serialize for Permissions {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (area, actions) in &self.0 {
            map.serialize_entry(area.key, actions)?;
        }
        map.end()
    }
}

impl Permissions {
    pub fn grants(&self, area: Area, action: Action) -> bool {
        self.0.get(&area).is_some_and(|set| set.contains(&action))
    }

    /// Parses `{"customers": ["view", ...]}`, refusing unknown areas or actions.
    pub fn parse(value: &serde_json::Value) -> Option<Self> {
        let object = value.as_object()?;
        let mut map = BTreeMap::new();
        for (area, actions) in object {
            let area = Area::parse(area)?;
            let mut set = BTreeSet::new();
            for action in actions.as_array()? {
                let action = Action::parse(action.as_str()?)?;
                if !area.actions.contains(&action) {
                    return None;
                }
                set.insert(action);
            }
            map.insert(area, set);
        }
        Some(Self(map))
    }

    /// A stored grid: what no module offers any more (its area, an action)
    /// grants nothing, and the rest stays as granted.
    pub fn stored(text: &str) -> Self {
        let Ok(serde_json::Value::Object(object)) = serde_json::from_str(text) else {
            return Self::default();
        };
        let map = object
            .iter()
            .filter_map(|(key, actions)| {
                let area = Area::parse(key)?;
                let set = actions
                    .as_array()?
                    .iter()
                    .filter_map(|a| Action::parse(a.as_str()?))
                    .filter(|a| area.actions.contains(a))
                    .collect();
                Some((area, set))
            })
            .collect();
        Self(map)
    }
}

/// The signed-in staff member on whose behalf a request runs.
#[derive(Clone, Debug)]
pub struct StaffActor {
    pub id: StaffId,
    pub name: String,
    pub is_admin: bool,
    pub permissions: Permissions,
}

pub fn can(actor: &StaffActor, area: Area, action: Action) -> bool {
    actor.is_admin || actor.permissions.grants(area, action)
}

/// [`can`], or 403.
pub fn require(actor: &StaffActor, area: Area, action: Action) -> AppResult<()> {
    if can(actor, area, action) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Which customers the actor may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerScope {
    All,
    /// "View own": exactly the customers this staff member administers.
    Administered(StaffId),
}

pub fn customer_scope(actor: &StaffActor) -> Option<CustomerScope> {
    if can(actor, CUSTOMERS, Action::View) {
        Some(CustomerScope::All)
    } else if can(actor, CUSTOMERS, Action::ViewOwn) {
        Some(CustomerScope::Administered(actor.id))
    } else {
        None
    }
}

/// Notes may be changed by their author or an admin.
pub fn can_change_note(actor: &StaffActor, author: StaffId) -> bool {
    actor.is_admin || actor.id == author
}

/// Whether the actor may see any record of the module (all or its own).
pub fn may_see_some(actor: &StaffActor, area: Area) -> bool {
    can(actor, area, Action::View) || can(actor, area, Action::ViewOwn)
}

/// Which documents of a module the actor may see: all, or with "view own"
/// those it created or is the sales agent of.
pub fn may_see_document(
    actor: &StaffActor,
    area: Area,
    created_by: StaffId,
    agent: Option<StaffId>,
) -> bool {
    can(actor, area, Action::View)
        || (can(actor, area, Action::ViewOwn)
            && (created_by == actor.id || agent == Some(actor.id)))
}

/// A file may be deleted by whoever may delete customers' records, or by
/// its uploader while still allowed to edit the customer.
pub fn can_delete_file(actor: &StaffActor, uploader: Option<StaffId>) -> bool {
    can(actor, CUSTOMERS, Action::Delete)
        || (uploader == Some(actor.id) && can(actor, CUSTOMERS, Action::Edit))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn staff(perms: serde_json::Value) -> StaffActor {
        StaffActor {
            id: StaffId(7),
            name: "x".into(),
            is_admin: false,
            permissions: Permissions::parse(&perms).unwrap(),
        }
    }

    #[test]
    fn view_own_scopes_to_administered_customers() {
        let a = staff(serde_json::json!({"customers": ["view_own"]}));
        assert_eq!(
            customer_scope(&a),
            Some(CustomerScope::Administered(StaffId(7)))
        );
        assert!(!can(&a, CUSTOMERS, Action::Create));
        let b = staff(serde_json::json!({"customers": ["view", "create"]}));
        assert_eq!(customer_scope(&b), Some(CustomerScope::All));
        assert!(can(&b, CUSTOMERS, Action::Create));
        assert_eq!(customer_scope(&staff(serde_json::json!({}))), None);
    }

    #[test]
    fn admins_may_do_everything() {
        let mut a = staff(serde_json::json!({}));
        a.is_admin = true;
        assert!(
            areas()
                .iter()
                .all(|m| m.actions.iter().all(|x| can(&a, *m, *x)))
        );
    }

    #[test]
    fn unknown_grid_entries_are_refused() {
        assert!(Permissions::parse(&serde_json::json!({"nope": ["view"]})).is_none());
        assert!(Permissions::parse(&serde_json::json!({"staff": ["delete"]})).is_none());
    }

    #[test]
    fn a_stored_grid_keeps_what_is_still_offered() {
        let p = Permissions::stored(r#"{"customers": ["view", "fly"], "gone": ["view"]}"#);
        assert!(p.grants(CUSTOMERS, Action::View));
        assert_eq!(p.0.len(), 1);
        assert_eq!(
            serde_json::to_value(&p).unwrap(),
            serde_json::json!({"customers": ["view"]})
        );
    }
}
