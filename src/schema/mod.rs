//! JSON Schema of the model format, generated from the serde types so it can
//! never drift from what the loader accepts. Editors with yaml-language-server
//! use it for completion and validation, so it says what `procflow check`
//! says about a file's shape: the id rule, one Accountable per activity, the
//! keys each step type takes, the first step's lane, and the loader's
//! leniency (a plain `80` is a text where a text is expected). What needs the
//! whole model — references, duplicated ids, flows — is left to `check`.
//!
//! `values` and `steps` hold the schemas the model's fields and types name
//! with `#[schemars(with = …)]` and `#[schemars(transform = …)]`; this module
//! sets up the generator and its transforms.

/// Implements `JsonSchema` for a marker type whose schema is written out
/// here and always inlined where a field names it (never a `$ref`), so a
/// validator's message points at that field.
macro_rules! inline_schema {
    ($name:ident, |$generator:pat_param| $body:expr) => {
        impl schemars::JsonSchema for $name {
            fn inline_schema() -> bool {
                true
            }

            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema($generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
                $body
            }
        }
    };
}

mod steps;
mod values;

pub use steps::{Steps, rules_by_type};
pub(crate) use values::next_schema;
pub use values::{
    ACTIVITY_REF_PATTERN, Accountable, ActivityRef, CalendarDate, DATE_PATTERN, DURATION_PATTERN, EDIT_URL_PATTERN,
    EditUrl, FEEDBACK_URL_PATTERN, FeedbackUrl, ID_PATTERN, Id, OtherRoles, ProcessRef, Responsible, RoleRef,
    TimerDuration, WorkflowRef, WorkflowToolSchema,
};

use schemars::generate::SchemaSettings;
use schemars::transform::{RecursiveTransform, Transform};
use schemars::{JsonSchema, Schema};
use serde_json::Value;

use crate::model::{Document, Settings};

/// The schema of a model file (one document), as pretty-printed JSON. A
/// document that is empty (a file of comments) is accepted, as `check` only
/// warns about it (W0411).
pub fn model_schema() -> String {
    let mut schema = root_schema::<Document>();
    schema.insert("type".into(), serde_json::json!(["object", "null"]));
    serde_json::to_string_pretty(&schema).unwrap_or_default()
}

/// The schema of `procflow.yaml`.
pub fn settings_schema() -> String {
    serde_json::to_string_pretty(&root_schema::<Settings>()).unwrap_or_default()
}

/// Draft 7 (what yaml-language-server and most validators read best), with
/// the loader's leniency applied before the draft's own clean-ups.
fn root_schema<T: JsonSchema>() -> Schema {
    let mut settings = SchemaSettings::draft07();
    settings.transforms.insert(0, Box::new(RecursiveTransform(Lenient)));
    settings.into_generator().into_root_schema_for::<T>()
}

/// What the loader accepts beyond the serde types' plain schemas:
/// - a text may be written as a number or a boolean (`target: 80`,
///   `name: 2024`): YAML types them, the loader reads them as text;
/// - a list may be left empty (`inputs:` or `~`), which reads as no entries;
/// - an optional mapping is simply not required: schemars' `anyOf: [{$ref},
///   {type: null}]` becomes the `$ref` alone, so a validator's message is
///   about the mapping's keys, not "is not of type null".
#[derive(Debug, Clone, Copy)]
struct Lenient;

impl Transform for Lenient {
    fn transform(&mut self, schema: &mut Schema) {
        unwrap_optional_ref(schema);
        let Some(object) = schema.as_object_mut() else { return };
        let constrained = ["pattern", "enum", "const", "format"].iter().any(|k| object.contains_key(*k));
        let Some(types) = object.get("type") else { return };
        // The types schemars gives `String`, `Option<String>` and `Vec<T>`;
        // hand-written schemas list their types themselves.
        let text = serde_json::json!(["string", "number", "boolean"]);
        let widened = match types {
            Value::String(t) if t == "string" && !constrained => text,
            Value::Array(t) if *t == ["string", "null"] && !constrained => {
                serde_json::json!(["string", "number", "boolean", "null"])
            }
            Value::String(t) if t == "array" => serde_json::json!(["array", "null"]),
            _ => return,
        };
        object.insert("type".into(), widened);
    }
}

/// `{anyOf: [{$ref: X}, {type: null}], …}` → `{$ref: X, …}`.
fn unwrap_optional_ref(schema: &mut Schema) {
    let Some(object) = schema.as_object_mut() else { return };
    let Some(Value::Array(alternatives)) = object.get("anyOf") else { return };
    let is_null = |v: &Value| v.get("type").is_some_and(|t| t == "null");
    let [first, second] = alternatives.as_slice() else { return };
    let reference = match (first.get("$ref"), is_null(second)) {
        (Some(reference), true) => reference.clone(),
        _ => return,
    };
    object.remove("anyOf");
    object.insert("$ref".into(), reference);
}

/// Whether `text` matches `pattern` as a JSON Schema validator reads it: for
/// the tests that hold the checker's rules and the schema's patterns in step.
#[cfg(test)]
pub(crate) fn pattern_accepts(pattern: &str, text: &str) -> bool {
    let schema = serde_json::json!({ "type": "string", "pattern": pattern });
    jsonschema::validator_for(&schema).expect("pattern compiles").is_valid(&serde_json::json!(text))
}

#[cfg(test)]
mod tests;
