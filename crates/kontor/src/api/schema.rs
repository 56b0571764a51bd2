//! Schemas of the values the API reads the same way everywhere, for
//! `#[schema(schema_with = ...)]` on the modules' input types. Each states
//! exactly what the server accepts: a text within its length without
//! control characters, a decimal string, a date. Input fields are
//! nullable: `null` or an absent field keeps the current value.

use utoipa::{
    Modify,
    openapi::{
        ArrayBuilder, KnownFormat, ObjectBuilder, OneOfBuilder, OpenApi, RefOr, Required, Schema,
        SchemaFormat,
        schema::{SchemaType, Type},
    },
};

/// What Rust's `str::trim` drops (Unicode White_Space): the server trims
/// a text before it checks it, so white space around it is never refused
/// and does not count towards its length.
const SPACE: &str = r"\t\n\u000b\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000";
/// Control characters (Unicode category Cc), refused in a one-line text.
const CONTROL: &str = r"\u0000-\u001f\u007f-\u009f";
/// A unit of a multi-line text: no control character but tab and line
/// feed, or a CR LF (the server counts it as one line break).
const MULTILINE_UNIT: &str = r"(?:[^\u0000-\u0008\u000b-\u001f\u007f-\u009f]|\r\n)";

/// A decimal with a point: `"1234.50"`, `"-3"`.
pub const DECIMAL: &str = r"^-?[0-9]{1,12}(\.[0-9]{1,6})?$";

/// A string or `null` (which keeps the current value).
pub fn nullable_string() -> ObjectBuilder {
    ObjectBuilder::new().schema_type(SchemaType::from_iter([Type::String, Type::Null]))
}

/// A text as `kernel::types::text` and `multiline` read it: white space
/// around it, then at most `max` units, the first of them (when required)
/// neither space nor control character.
fn trimmed(unit: &str, required: bool, max: usize) -> ObjectBuilder {
    let body = if required {
        format!("[^{SPACE}{CONTROL}]{unit}{{0,{}}}", max.saturating_sub(1))
    } else {
        format!("{unit}{{0,{max}}}")
    };
    nullable_string().pattern(Some(format!("^[{SPACE}]*{body}[{SPACE}]*$")))
}

/// A one-line text of at most `MAX` characters.
pub fn line<const MAX: usize>() -> ObjectBuilder {
    trimmed(&format!("[^{CONTROL}]"), false, MAX)
}

/// A one-line text that must not be blank.
pub fn line_required<const MAX: usize>() -> ObjectBuilder {
    trimmed(&format!("[^{CONTROL}]"), true, MAX)
}

/// A text of several lines of at most `MAX` characters.
pub fn text<const MAX: usize>() -> ObjectBuilder {
    trimmed(MULTILINE_UNIT, false, MAX)
}

/// A text of several lines that must not be blank.
pub fn text_required<const MAX: usize>() -> ObjectBuilder {
    trimmed(MULTILINE_UNIT, true, MAX)
}

/// A decimal string (money, quantities, percentages): never a float.
pub fn decimal() -> ObjectBuilder {
    nullable_string()
        .pattern(Some(DECIMAL))
        .examples(["1234.50"])
}

/// A date, `YYYY-MM-DD`.
pub fn date() -> ObjectBuilder {
    nullable_string().format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
}

/// A date, or the empty string, which clears it.
pub fn date_or_empty() -> OneOfBuilder {
    query_date().item(ObjectBuilder::new().schema_type(Type::Null))
}

/// An email address as the server reads it: something, `@`, a domain
/// with a dot inside; no spaces, control characters or `<>",;`.
pub fn email() -> ObjectBuilder {
    nullable_string().max_length(Some(254)).pattern(Some(
        r#"^\s*[^\s\u0000-\u001f\u007f-\u009f<>",;@]+@[^.\s\u0000-\u001f\u007f-\u009f<>",;@][^\s\u0000-\u001f\u007f-\u009f<>",;@]*\.[^\s\u0000-\u001f\u007f-\u009f<>",;@]*[^.\s\u0000-\u001f\u007f-\u009f<>",;@]\s*$"#,
    ))
}

/// An email address, or empty for none.
pub fn email_or_empty() -> ObjectBuilder {
    nullable_string().max_length(Some(254)).pattern(Some(
        r#"^(\s*[^\s\u0000-\u001f\u007f-\u009f<>",;@]+@[^.\s\u0000-\u001f\u007f-\u009f<>",;@][^\s\u0000-\u001f\u007f-\u009f<>",;@]*\.[^\s\u0000-\u001f\u007f-\u009f<>",;@]*[^.\s\u0000-\u001f\u007f-\u009f<>",;@]\s*|\s*)$"#,
    ))
}

/// A list of the given words.
pub fn words(words: &[&str]) -> ArrayBuilder {
    ArrayBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Array, Type::Null]))
        .items(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(words.iter().copied())),
        )
}

/// A password as staff and contacts choose it: 10 to 512 characters (and
/// not easily guessed, which no schema can say: a weak one is a 422), or
/// empty, which sets none and keeps the current one.
pub fn password() -> OneOfBuilder {
    OneOfBuilder::new()
        .item(
            nullable_string()
                .min_length(Some(kernel::auth::MIN_PASSWORD_LEN))
                .max_length(Some(kernel::auth::MAX_PASSWORD_LEN)),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
}

/// A date filter in a query: a date, or empty for none.
pub fn query_date() -> OneOfBuilder {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date))),
        )
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
}

/// A language as `Locale::parse` reads it: `de` or `en`, in any case,
/// also as the start of a tag (`de-DE`).
pub fn language() -> ObjectBuilder {
    nullable_string().pattern(Some(r"^\s*([dD][eE]|[eE][nN])[\s\S]*$"))
}

/// One of the given words, or `null`.
pub fn one_of(words: &[&str]) -> ObjectBuilder {
    let values = words
        .iter()
        .map(|w| serde_json::Value::from(*w))
        .chain([serde_json::Value::Null]);
    nullable_string().enum_values(Some(values))
}

/// What creating a record needs beyond a change: the POST at `path`
/// requires `fields`, each with a value (not `null`). A record is created
/// and changed with one input type; this derives the creation's schema
/// from it, so the two cannot drift apart.
pub struct Creating {
    pub path: &'static str,
    pub fields: &'static [&'static str],
}

impl Modify for Creating {
    fn modify(&self, doc: &mut OpenApi) {
        let Some(op) = doc
            .paths
            .paths
            .get_mut(self.path)
            .and_then(|item| item.post.as_mut())
        else {
            return;
        };
        let Some(RefOr::T(body)) = op.request_body.as_mut() else {
            return;
        };
        let Some(RefOr::T(content)) = body.content.get_mut("application/json") else {
            return;
        };
        let Some(RefOr::Ref(reference)) = content.schema.as_ref() else {
            return;
        };
        let name = reference
            .ref_location
            .trim_start_matches("#/components/schemas/")
            .to_string();
        let Some(components) = doc.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(Schema::Object(object))) = components.schemas.get(&name) else {
            return;
        };
        let mut object = object.clone();
        for field in self.fields {
            if let Some(property) = object.properties.get_mut(*field) {
                not_null(property);
            }
            if !object.required.iter().any(|r| r == field) {
                object.required.push((*field).to_string());
            }
        }
        let created = format!("New{name}");
        content.schema = Some(RefOr::Ref(utoipa::openapi::Ref::from_schema_name(&created)));
        body.required = Some(Required::True);
        components
            .schemas
            .insert(created, RefOr::T(Schema::Object(object)));
    }
}

/// The schema without `null` among its values.
fn not_null(schema: &mut RefOr<Schema>) {
    match schema {
        RefOr::T(Schema::Object(object)) => {
            if let SchemaType::Array(types) = &object.schema_type {
                let types: Vec<Type> = types
                    .iter()
                    .filter(|t| **t != Type::Null)
                    .cloned()
                    .collect();
                object.schema_type = match types.as_slice() {
                    [one] => SchemaType::Type(one.clone()),
                    _ => SchemaType::from_iter(types),
                };
            }
        }
        RefOr::T(Schema::OneOf(one_of)) => {
            let kept: Vec<RefOr<Schema>> = one_of
                .items
                .iter()
                .filter(|item| !matches!(item, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null)))
                .cloned()
                .collect();
            if let [one] = kept.as_slice() {
                *schema = one.clone();
            } else {
                one_of.items = kept;
            }
        }
        _ => {}
    }
}
