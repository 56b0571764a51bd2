//! The one place that decides who may do what. Handlers ask [`can`] for
//! actions on a module and [`customer_scope`] for which customers a query
//! may touch; a record outside the scope is answered with 404.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::modules::staff::model::StaffId;

/// Modules that appear in the role permission grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Module {
    Customers,
    Invoices,
    CreditNotes,
    Staff,
    Settings,
}

impl Module {
    pub const ALL: [Module; 5] = [
        Module::Customers,
        Module::Invoices,
        Module::CreditNotes,
        Module::Staff,
        Module::Settings,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Customers => "customers",
            Self::Invoices => "invoices",
            Self::CreditNotes => "credit_notes",
            Self::Staff => "staff",
            Self::Settings => "settings",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.key() == key)
    }

    /// The actions the grid offers for this module.
    pub fn actions(self) -> &'static [Action] {
        match self {
            Self::Customers | Self::Invoices | Self::CreditNotes => &[
                Action::ViewOwn,
                Action::View,
                Action::Create,
                Action::Edit,
                Action::Delete,
            ],
            Self::Staff | Self::Settings => &[Action::View, Action::Edit],
        }
    }
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

/// A role's grid: module -> granted actions.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Permissions(pub BTreeMap<Module, BTreeSet<Action>>);

impl Permissions {
    pub fn grants(&self, module: Module, action: Action) -> bool {
        self.0.get(&module).is_some_and(|set| set.contains(&action))
    }

    /// Parses `{"customers": ["view", ...]}`, refusing unknown modules or actions.
    pub fn parse(value: &serde_json::Value) -> Option<Self> {
        let object = value.as_object()?;
        let mut map = BTreeMap::new();
        for (module, actions) in object {
            let module = Module::parse(module)?;
            let mut set = BTreeSet::new();
            for action in actions.as_array()? {
                let action = Action::parse(action.as_str()?)?;
                if !module.actions().contains(&action) {
                    return None;
                }
                set.insert(action);
            }
            map.insert(module, set);
        }
        Some(Self(map))
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

pub fn can(actor: &StaffActor, module: Module, action: Action) -> bool {
    actor.is_admin || actor.permissions.grants(module, action)
}

/// Which customers the actor may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CustomerScope {
    All,
    /// "View own": exactly the customers this staff member administers.
    Administered(StaffId),
}

pub fn customer_scope(actor: &StaffActor) -> Option<CustomerScope> {
    if can(actor, Module::Customers, Action::View) {
        Some(CustomerScope::All)
    } else if can(actor, Module::Customers, Action::ViewOwn) {
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
pub fn may_see_some(actor: &StaffActor, module: Module) -> bool {
    can(actor, module, Action::View) || can(actor, module, Action::ViewOwn)
}

/// Which documents of a module the actor may see: all, or with "view own"
/// those it created or is the sales agent of.
pub fn may_see_document(
    actor: &StaffActor,
    module: Module,
    created_by: StaffId,
    agent: Option<StaffId>,
) -> bool {
    can(actor, module, Action::View)
        || (can(actor, module, Action::ViewOwn)
            && (created_by == actor.id || agent == Some(actor.id)))
}

/// A file may be deleted by whoever may delete customers' records, or by
/// its uploader while still allowed to edit the customer.
pub fn can_delete_file(actor: &StaffActor, uploader: Option<StaffId>) -> bool {
    can(actor, Module::Customers, Action::Delete)
        || (uploader == Some(actor.id) && can(actor, Module::Customers, Action::Edit))
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
        assert!(!can(&a, Module::Customers, Action::Create));
        let b = staff(serde_json::json!({"customers": ["view", "create"]}));
        assert_eq!(customer_scope(&b), Some(CustomerScope::All));
        assert!(can(&b, Module::Customers, Action::Create));
        assert_eq!(customer_scope(&staff(serde_json::json!({}))), None);
    }

    #[test]
    fn admins_may_do_everything() {
        let mut a = staff(serde_json::json!({}));
        a.is_admin = true;
        assert!(
            Module::ALL
                .iter()
                .all(|m| m.actions().iter().all(|x| can(&a, *m, *x)))
        );
    }

    #[test]
    fn unknown_grid_entries_are_refused() {
        assert!(Permissions::parse(&serde_json::json!({"nope": ["view"]})).is_none());
        assert!(Permissions::parse(&serde_json::json!({"staff": ["delete"]})).is_none());
    }
}
