//! Field definitions, raw values and their validation.

use std::collections::{BTreeMap, HashMap};

use chrono::{NaiveDate, NaiveDateTime};
use kernel::{FieldErrors, i18n::Locale, types};
use serde::{Deserialize, Serialize};
use serde_json::Value;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(transparent)]
pub struct FieldId(pub i64);

/// Record kinds that carry custom fields.
pub const KINDS: [&str; 2] = ["customer", "contact"];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldType {
    Text,
    Textarea,
    Number,
    Date,
    Datetime,
    Select,
    Multiselect,
    Checkbox,
    Link,
}

impl FieldType {
    pub const ALL: [FieldType; 9] = [
        Self::Text,
        Self::Textarea,
        Self::Number,
        Self::Date,
        Self::Datetime,
        Self::Select,
        Self::Multiselect,
        Self::Checkbox,
        Self::Link,
    ];

    pub fn key(self) -> &'static str {
        match self {
            Self::Text => "text",
            Self::Textarea => "textarea",
            Self::Number => "number",
            Self::Date => "date",
            Self::Datetime => "datetime",
            Self::Select => "select",
            Self::Multiselect => "multiselect",
            Self::Checkbox => "checkbox",
            Self::Link => "link",
        }
    }

    pub fn parse(key: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.key() == key)
    }

    pub fn has_options(self) -> bool {
        matches!(self, Self::Select | Self::Multiselect)
    }
}

#[derive(Clone, Debug, Serialize, utoipa::ToSchema)]
pub struct CustomField {
    pub id: FieldId,
    pub entity_kind: String,
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    pub options: Vec<String>,
    pub required: bool,
    pub show_in_list: bool,
    pub show_on_pdf: bool,
    pub portal_visible: bool,
    pub portal_editable: bool,
    pub admin_only: bool,
    pub sort_order: i32,
}

impl CustomField {
    /// The name of this field in forms, errors and history.
    pub fn name(&self) -> String {
        format!("custom_fields.{}", self.key)
    }

    pub fn type_key(&self) -> &'static str {
        self.field_type.key()
    }

    /// A stored value for people: dates in the locale's format, lists joined.
    pub fn display(&self, value: &str, locale: Locale) -> String {
        match self.field_type {
            FieldType::Date => NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .map(|d| locale.format_date(d))
                .unwrap_or_default(),
            FieldType::Datetime => NaiveDateTime::parse_from_str(value, "%Y-%m-%dT%H:%M")
                .map(|d| locale.format_naive_datetime(d))
                .unwrap_or_default(),
            FieldType::Multiselect => list_of(value).join(", "),
            FieldType::Checkbox => if value == "true" { "✓" } else { "–" }.to_string(),
            FieldType::Number => locale.format_decimal(value),
            _ => value.to_string(),
        }
    }

    /// The stored value as JSON: booleans for checkboxes, arrays for multi-selects.
    pub fn to_json(&self, value: Option<&String>) -> Value {
        match (self.field_type, value) {
            (FieldType::Checkbox, v) => Value::Bool(v.is_some_and(|v| v == "true")),
            (FieldType::Multiselect, Some(v)) => Value::from(list_of(v)),
            (FieldType::Multiselect, None) => Value::Array(Vec::new()),
            (_, Some(v)) => Value::String(v.clone()),
            (_, None) => Value::Null,
        }
    }
}

/// Stored values of one record: field key -> value text.
pub type Values = BTreeMap<String, String>;

pub fn list_of(stored: &str) -> Vec<String> {
    serde_json::from_str(stored).unwrap_or_default()
}

/// A value as it arrives from a form or the API.
#[derive(Clone, Debug, PartialEq)]
pub enum RawValue {
    Text(String),
    List(Vec<String>),
    Bool(bool),
}

impl RawValue {
    /// JSON input: strings, numbers, booleans, arrays of strings; null clears.
    pub fn from_json(value: &Value) -> Option<Self> {
        match value {
            Value::Null => Some(Self::Text(String::new())),
            Value::String(s) => Some(Self::Text(s.clone())),
            Value::Number(n) => Some(Self::Text(n.to_string())),
            Value::Bool(b) => Some(Self::Bool(*b)),
            Value::Array(items) => items
                .iter()
                .map(|i| i.as_str().map(str::to_string))
                .collect::<Option<Vec<_>>>()
                .map(Self::List),
            Value::Object(_) => None,
        }
    }
}

fn is_number(v: &str) -> bool {
    let v = v.strip_prefix('-').unwrap_or(v);
    let mut parts = v.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let frac = parts.next();
    !whole.is_empty()
        && whole.len() <= 15
        && whole.chars().all(|c| c.is_ascii_digit())
        && frac
            .is_none_or(|f| !f.is_empty() && f.len() <= 6 && f.chars().all(|c| c.is_ascii_digit()))
}

fn is_link(v: &str) -> bool {
    url::Url::parse(v)
        .ok()
        .is_some_and(|u| matches!(u.scheme(), "http" | "https") && u.host_str().is_some())
}

/// Validates one field's raw value; `Ok(None)` means "no value".
fn check(def: &CustomField, raw: &RawValue, errors: &mut FieldErrors) -> Option<String> {
    let name = def.name();
    let text = |raw: &RawValue| match raw {
        RawValue::Text(t) => Some(t.clone()),
        RawValue::List(l) if l.len() <= 1 => Some(l.first().cloned().unwrap_or_default()),
        _ => None,
    };
    let value = match def.field_type {
        FieldType::Checkbox => match raw {
            RawValue::Bool(b) => Some(b.to_string()),
            RawValue::Text(t) if matches!(t.as_str(), "true" | "on" | "1") => Some("true".into()),
            RawValue::Text(t) if matches!(t.as_str(), "false" | "0" | "") => Some("false".into()),
            _ => {
                errors.add(&name, "error-invalid");
                None
            }
        },
        FieldType::Multiselect => {
            let list = match raw {
                RawValue::List(l) => l.clone(),
                RawValue::Text(t) if t.is_empty() => Vec::new(),
                RawValue::Text(t) => vec![t.clone()],
                RawValue::Bool(_) => {
                    errors.add(&name, "error-invalid");
                    return None;
                }
            };
            if list.iter().any(|v| !def.options.contains(v)) {
                errors.add(&name, "error-option");
                return None;
            }
            let chosen: Vec<&String> = def.options.iter().filter(|o| list.contains(o)).collect();
            (!chosen.is_empty()).then(|| serde_json::to_string(&chosen).unwrap_or_default())
        }
        _ => {
            let Some(t) = text(raw) else {
                errors.add(&name, "error-invalid");
                return None;
            };
            let t = if def.field_type == FieldType::Textarea {
                types::multiline(errors, &name, &t, false, 10_000)
            } else {
                types::text(errors, &name, &t, false, 500)
            };
            if t.is_empty() {
                None
            } else {
                let ok = match def.field_type {
                    FieldType::Number => {
                        let n = t.replace(',', ".");
                        if is_number(&n) {
                            return Some(n);
                        }
                        false
                    }
                    FieldType::Date => NaiveDate::parse_from_str(&t, "%Y-%m-%d").is_ok(),
                    FieldType::Datetime => {
                        if let Ok(d) = NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M:%S")
                            .or_else(|_| NaiveDateTime::parse_from_str(&t, "%Y-%m-%dT%H:%M"))
                        {
                            return Some(d.format("%Y-%m-%dT%H:%M").to_string());
                        }
                        false
                    }
                    FieldType::Select => def.options.contains(&t),
                    FieldType::Link => is_link(&t),
                    _ => true,
                };
                if !ok {
                    let key = match def.field_type {
                        FieldType::Number => "error-number",
                        FieldType::Date => "error-date",
                        FieldType::Datetime => "error-datetime",
                        FieldType::Select => "error-option",
                        FieldType::Link => "error-url",
                        _ => "error-invalid",
                    };
                    errors.add(&name, key);
                    return None;
                }
                Some(t)
            }
        }
    };
    let missing = match (&value, def.field_type) {
        (None, _) => true,
        (Some(v), FieldType::Checkbox) => v == "false",
        _ => false,
    };
    if def.required && missing {
        errors.add(&name, "error-required");
    }
    value
}

/// Merges `raw` over `current` and validates every field. Fields missing
/// from `raw` keep their value; `may_admin` is false for staff who may not
/// change admin-only fields.
pub fn parse_values(
    defs: &[CustomField],
    raw: &HashMap<String, RawValue>,
    current: &Values,
    may_admin: bool,
    errors: &mut FieldErrors,
) -> Values {
    let mut out = Values::new();
    for def in defs {
        let value = match raw.get(&def.key) {
            None => {
                if def.required && !current.contains_key(&def.key) {
                    errors.add(&def.name(), "error-required");
                }
                current.get(&def.key).cloned()
            }
            Some(raw) => {
                let value = check(def, raw, errors);
                if def.admin_only && !may_admin && value.as_ref() != current.get(&def.key) {
                    errors.add(&def.name(), "error-admin-only");
                    current.get(&def.key).cloned()
                } else {
                    value
                }
            }
        };
        if let Some(v) = value {
            out.insert(def.key.clone(), v);
        }
    }
    out
}

/// A definition as the settings form or the API sends it. A new one needs
/// `entity_kind`, `label` and `field_type`; select types need `options`.
#[derive(Clone, Debug, Default, Deserialize, utoipa::ToSchema)]
pub struct FieldInput {
    /// The kind of record the field belongs to.
    #[schema(schema_with = kind_schema)]
    pub entity_kind: Option<String>,
    /// Lower-case letters, digits and `_`; made from the label when absent.
    #[schema(schema_with = key_schema)]
    pub key: Option<String>,
    #[schema(schema_with = crate::api::schema::line_required::<100>)]
    pub label: Option<String>,
    #[schema(schema_with = type_schema)]
    pub field_type: Option<String>,
    /// One option per line (form) or a list (API); empty ones are left
    /// out, the others must differ.
    #[schema(schema_with = options_schema)]
    pub options: Option<Vec<String>>,
    pub required: Option<bool>,
    pub show_in_list: Option<bool>,
    pub show_on_pdf: Option<bool>,
    pub portal_visible: Option<bool>,
    pub portal_editable: Option<bool>,
    pub admin_only: Option<bool>,
    pub sort_order: Option<i32>,
}

fn kind_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::one_of(&KINDS)
}

fn key_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::nullable_string().pattern(Some(r"^\s*[a-z0-9_]{0,40}\s*$"))
}

fn type_schema() -> utoipa::openapi::ObjectBuilder {
    crate::api::schema::one_of(&FieldType::ALL.map(FieldType::key))
}

fn options_schema() -> utoipa::openapi::schema::ArrayBuilder {
    use utoipa::openapi::schema::{SchemaType, Type};
    utoipa::openapi::schema::ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(crate::api::schema::line::<100>().schema_type(Type::String))
}

/// Validated definition data.
pub struct FieldData {
    pub entity_kind: String,
    pub key: String,
    pub label: String,
    pub field_type: FieldType,
    pub options: Vec<String>,
    pub flags: [bool; 6],
    pub sort_order: i32,
}

fn slug(label: &str) -> String {
    let mut out = String::new();
    for c in label.to_lowercase().chars() {
        let c = match c {
            'ä' => "ae".to_string(),
            'ö' => "oe".to_string(),
            'ü' => "ue".to_string(),
            'ß' => "ss".to_string(),
            c if c.is_ascii_alphanumeric() => c.to_string(),
            _ => "_".to_string(),
        };
        out.push_str(&c);
    }
    out.split('_')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("_")
        .chars()
        .take(40)
        .collect()
}

impl FieldData {
    pub fn parse(input: &FieldInput, current: Option<&CustomField>) -> Result<Self, FieldErrors> {
        let mut e = FieldErrors::new();
        let entity_kind = input
            .entity_kind
            .clone()
            .or_else(|| current.map(|c| c.entity_kind.clone()))
            .unwrap_or_default();
        if !KINDS.contains(&entity_kind.as_str()) {
            e.add("entity_kind", "error-invalid");
        }
        let label = types::text(
            &mut e,
            "label",
            &input
                .label
                .clone()
                .or_else(|| current.map(|c| c.label.clone()))
                .unwrap_or_default(),
            true,
            100,
        );
        let key_in = input
            .key
            .clone()
            .filter(|k| !k.trim().is_empty())
            .or_else(|| current.map(|c| c.key.clone()))
            .unwrap_or_else(|| slug(&label));
        let key = key_in.trim().to_string();
        if key.is_empty()
            || key.len() > 40
            || !key
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        {
            e.add("key", "error-key");
        }
        let field_type = match input.field_type.as_deref() {
            Some(t) => FieldType::parse(t).unwrap_or_else(|| {
                e.add("field_type", "error-invalid");
                FieldType::Text
            }),
            None => current.map(|c| c.field_type).unwrap_or_else(|| {
                e.add("field_type", "error-required");
                FieldType::Text
            }),
        };
        let mut options: Vec<String> = input
            .options
            .clone()
            .unwrap_or_else(|| current.map(|c| c.options.clone()).unwrap_or_default())
            .iter()
            .map(|o| types::text(&mut e, "options", o, false, 100))
            .filter(|o| !o.is_empty())
            .collect();
        let count = options.len();
        options.dedup();
        if count != options.len() {
            e.add("options", "error-duplicate-option");
        }
        if field_type.has_options() && options.is_empty() {
            e.add("options", "error-options-required");
        }
        if !field_type.has_options() {
            options.clear();
        }
        let flag = |new: Option<bool>, old: Option<bool>| new.or(old).unwrap_or(false);
        let flags = [
            flag(input.required, current.map(|c| c.required)),
            flag(input.show_in_list, current.map(|c| c.show_in_list)),
            flag(input.show_on_pdf, current.map(|c| c.show_on_pdf)),
            flag(input.portal_visible, current.map(|c| c.portal_visible)),
            flag(input.portal_editable, current.map(|c| c.portal_editable)),
            flag(input.admin_only, current.map(|c| c.admin_only)),
        ];
        if flags[4] && !flags[3] {
            e.add("portal_editable", "error-portal-editable");
        }
        let sort_order = input
            .sort_order
            .or(current.map(|c| c.sort_order))
            .unwrap_or(0);
        if e.is_empty() {
            Ok(Self {
                entity_kind,
                key,
                label,
                field_type,
                options,
                flags,
                sort_order,
            })
        } else {
            Err(e)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn def(field_type: FieldType, options: &[&str], required: bool) -> CustomField {
        CustomField {
            id: FieldId(1),
            entity_kind: "customer".into(),
            key: "f".into(),
            label: "F".into(),
            field_type,
            options: options.iter().map(|o| o.to_string()).collect(),
            required,
            show_in_list: false,
            show_on_pdf: false,
            portal_visible: false,
            portal_editable: false,
            admin_only: false,
            sort_order: 0,
        }
    }

    fn one(d: &CustomField, raw: RawValue) -> Result<Option<String>, FieldErrors> {
        let mut e = FieldErrors::new();
        let v = parse_values(
            std::slice::from_ref(d),
            &HashMap::from([("f".to_string(), raw)]),
            &Values::new(),
            true,
            &mut e,
        );
        if e.is_empty() {
            Ok(v.get("f").cloned())
        } else {
            Err(e)
        }
    }

    #[test]
    fn every_type_is_checked() {
        let t = |s: &str| RawValue::Text(s.into());
        assert_eq!(
            one(&def(FieldType::Number, &[], false), t("1,5")).unwrap(),
            Some("1.5".into())
        );
        assert!(one(&def(FieldType::Number, &[], false), t("1e9")).is_err());
        assert!(one(&def(FieldType::Date, &[], false), t("31.12.2026")).is_err());
        assert_eq!(
            one(&def(FieldType::Datetime, &[], false), t("2026-12-31T10:30")).unwrap(),
            Some("2026-12-31T10:30".into())
        );
        assert!(one(&def(FieldType::Select, &["A", "B"], false), t("C")).is_err());
        assert_eq!(
            one(
                &def(FieldType::Multiselect, &["A", "B"], false),
                RawValue::List(vec!["B".into(), "A".into()])
            )
            .unwrap(),
            Some("[\"A\",\"B\"]".into())
        );
        assert!(one(&def(FieldType::Link, &[], false), t("javascript:alert(1)")).is_err());
        assert_eq!(
            one(&def(FieldType::Checkbox, &[], false), RawValue::Bool(true)).unwrap(),
            Some("true".into())
        );
        assert_eq!(
            one(&def(FieldType::Text, &[], true), t(""))
                .unwrap_err()
                .get("custom_fields.f"),
            Some("error-required")
        );
    }

    #[test]
    fn admin_only_fields_are_kept_for_others() {
        let mut d = def(FieldType::Text, &[], false);
        d.admin_only = true;
        let mut e = FieldErrors::new();
        let current = Values::from([("f".to_string(), "old".to_string())]);
        parse_values(
            &[d],
            &HashMap::from([("f".to_string(), RawValue::Text("new".into()))]),
            &current,
            false,
            &mut e,
        );
        assert_eq!(e.get("custom_fields.f"), Some("error-admin-only"));
    }

    #[test]
    fn definitions_need_options_for_selects_and_get_a_key() {
        let input = FieldInput {
            entity_kind: Some("customer".into()),
            label: Some("Größe Büro".into()),
            field_type: Some("select".into()),
            ..Default::default()
        };
        assert_eq!(
            FieldData::parse(&input, None).err().unwrap().get("options"),
            Some("error-options-required")
        );
        let ok = FieldData::parse(
            &FieldInput {
                options: Some(vec!["S".into(), "M".into()]),
                ..input
            },
            None,
        )
        .ok()
        .unwrap();
        assert_eq!(ok.key, "groesse_buero");
    }
}
