//! Use cases of custom fields: managing definitions (Settings permission)
//! and validating, storing and presenting values for other modules.

use kernel::clock::Clock;
use std::collections::HashMap;

use kernel::{AppError, AppResult, FieldErrors, error::OnConstraint};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::{Map, Value};

use super::model;
use super::{
    model::{
        CustomField, FieldData, FieldId, FieldInput, FieldType, RawValue, Values, parse_values,
    },
    repo,
};
use crate::{
    http::form::FormState,
    policy::{self, Action, StaffActor},
};

/// The fields of a record kind, in order; every signed-in staff member
/// needs them to show and edit records.
pub async fn definitions(db: &impl ConnectionTrait, kind: &str) -> AppResult<Vec<CustomField>> {
    Ok(repo::of_kind(db, kind).await?)
}

/// Every definition, for naming fields (the change history); their
/// values stay with their records' permissions.
pub async fn labels(db: &impl ConnectionTrait) -> AppResult<Vec<CustomField>> {
    Ok(repo::all(db).await?)
}

pub async fn all(db: &DatabaseConnection, actor: &StaffActor) -> AppResult<Vec<CustomField>> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    Ok(repo::all(db).await?)
}

pub async fn get(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: FieldId,
) -> AppResult<CustomField> {
    policy::require(actor, policy::SETTINGS, Action::View)?;
    repo::find(db, id).await?.ok_or(AppError::NotFound)
}

pub async fn create(
    db: &DatabaseConnection,
    actor: &StaffActor,
    input: &FieldInput,
    clock: &Clock,
) -> AppResult<FieldId> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let data = FieldData::parse(input, None).map_err(AppError::Validation)?;
    repo::insert(db, &data, clock.now())
        .await
        .on_unique("key", "error-key-taken")
}

/// Changing the type of a field with values is refused, as the stored
/// values would no longer fit.
pub async fn update(
    db: &DatabaseConnection,
    actor: &StaffActor,
    id: FieldId,
    input: &FieldInput,
    clock: &Clock,
) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    let current = repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    let data = FieldData::parse(input, Some(&current)).map_err(AppError::Validation)?;
    if data.entity_kind != current.entity_kind {
        return Err(AppError::field("entity_kind", "error-kind-fixed"));
    }
    if data.field_type != current.field_type {
        let used = repo::values_of_field(db, id).await?;
        if used > 0 {
            return Err(AppError::field("field_type", "error-type-in-use"));
        }
    }
    repo::update(db, id, &data, clock)
        .await
        .on_unique("key", "error-key-taken")
}

pub async fn delete(db: &DatabaseConnection, actor: &StaffActor, id: FieldId) -> AppResult<()> {
    policy::require(actor, policy::SETTINGS, Action::Edit)?;
    repo::find(db, id).await?.ok_or(AppError::NotFound)?;
    repo::delete(db, id).await?;
    Ok(())
}

pub async fn values(
    db: &impl ConnectionTrait,
    defs: &[CustomField],
    entity_id: i64,
) -> AppResult<Values> {
    Ok(repo::values_of(db, defs, &[entity_id])
        .await?
        .remove(&entity_id)
        .unwrap_or_default())
}

pub async fn values_many(
    db: &impl ConnectionTrait,
    defs: &[CustomField],
    ids: &[i64],
) -> AppResult<HashMap<i64, Values>> {
    Ok(repo::values_of(db, defs, ids).await?)
}

pub async fn save(
    db: &impl ConnectionTrait,
    defs: &[CustomField],
    entity_id: i64,
    values: &Values,
    clock: &Clock,
) -> AppResult<()> {
    repo::save(db, defs, entity_id, values, clock.now()).await?;
    Ok(())
}

/// Validates `custom_fields` of a form or JSON body against the
/// definitions and merges them over `current`; errors go into `errors`
/// (unknown keys included).
pub fn parse(
    defs: &[CustomField],
    json: Option<&Map<String, Value>>,
    current: &Values,
    actor: &StaffActor,
    errors: &mut FieldErrors,
) -> Values {
    let raw = raw_from_json(defs, json, errors);
    parse_values(defs, &raw, current, actor.is_admin, errors)
}

fn raw_from_json(
    defs: &[CustomField],
    map: Option<&Map<String, Value>>,
    errors: &mut FieldErrors,
) -> HashMap<String, RawValue> {
    let mut out = HashMap::new();
    for (key, value) in map.into_iter().flatten() {
        let name = format!("custom_fields.{key}");
        if !defs.iter().any(|d| &d.key == key) {
            errors.add(&name, "error-unknown-field");
            continue;
        }
        match RawValue::from_json(value) {
            Some(raw) => {
                out.insert(key.clone(), raw);
            }
            None => errors.add(&name, "error-invalid"),
        }
    }
    out
}

/// `custom_fields` as JSON from an HTML form (inputs named
/// `custom_fields.<key>`). An absent checkbox means unchecked; fields the
/// actor may not change are left out, so they keep their value.
pub fn json_from_form(
    defs: &[CustomField],
    pairs: &[(String, String)],
    actor: &StaffActor,
) -> Map<String, Value> {
    let mut out = Map::new();
    for def in defs.iter().filter(|d| actor.is_admin || !d.admin_only) {
        let name = def.name();
        let sent: Vec<String> = pairs
            .iter()
            .filter(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
            .collect();
        let value = match def.field_type {
            FieldType::Checkbox => Value::Bool(!sent.is_empty()),
            FieldType::Multiselect => Value::from(sent),
            _ => Value::String(sent.into_iter().next().unwrap_or_default()),
        };
        out.insert(def.key.clone(), value);
    }
    out
}

pub fn to_json(defs: &[CustomField], values: &Values) -> serde_json::Map<String, Value> {
    defs.iter()
        .map(|d| (d.key.clone(), d.to_json(values.get(&d.key))))
        .collect()
}

/// A stored value as one CSV cell (choices joined by "; ").
pub fn cell(def: &CustomField, value: Option<&String>) -> String {
    match (def.field_type, value) {
        (FieldType::Multiselect, Some(v)) => model::list_of(v).join("; "),
        (_, Some(v)) => v.clone(),
        (_, None) => String::new(),
    }
}

/// `custom_fields` as JSON from CSV cells by key, as [`cell`] wrote them;
/// none when the upload has no such columns.
pub fn from_cells(
    defs: &[CustomField],
    cells: Vec<(String, String)>,
) -> Option<Map<String, Value>> {
    let map: Map<String, Value> = cells
        .into_iter()
        .map(|(key, text)| {
            let multi = defs
                .iter()
                .any(|d| d.key == key && d.field_type == FieldType::Multiselect);
            let value = if multi {
                Value::from(crate::common::csv_io::list(&text))
            } else {
                Value::String(text)
            };
            (key, value)
        })
        .collect();
    (!map.is_empty()).then_some(map)
}

/// Field/value pairs for the change history.
pub fn history(defs: &[CustomField], values: &Values) -> Vec<(String, String)> {
    defs.iter()
        .map(|d| (d.name(), values.get(&d.key).cloned().unwrap_or_default()))
        .collect()
}

/// Removes the values of a record that is being deleted.
pub async fn delete_values_of(
    db: &impl ConnectionTrait,
    kind: &str,
    entity_id: i64,
    clock: &Clock,
) -> AppResult<()> {
    let defs = repo::of_kind(db, kind).await?;
    repo::save(db, &defs, entity_id, &Values::new(), clock.now()).await?;
    Ok(())
}

/// Puts stored values into a form for editing.
pub fn fill_form(f: &mut FormState, defs: &[CustomField], values: &model::Values) {
    for d in defs {
        let name = d.name();
        let Some(v) = values.get(&d.key) else {
            continue;
        };
        match d.field_type {
            FieldType::Multiselect => {
                for o in model::list_of(v) {
                    f.set(&format!("{name}:{o}"), true);
                }
            }
            FieldType::Checkbox => f.set(&name, v == "true"),
            _ => f.set(&name, v),
        }
    }
}

/// Puts submitted values back into a form that is shown again.
pub fn refill_form(f: &mut FormState, defs: &[CustomField], pairs: &[(String, String)]) {
    for d in defs {
        let name = d.name();
        for (_, v) in pairs.iter().filter(|(k, _)| *k == name) {
            match d.field_type {
                FieldType::Multiselect => f.set(&format!("{name}:{v}"), true),
                FieldType::Checkbox => f.set(&name, true),
                _ => f.set(&name, v),
            }
        }
    }
}
