//! The keys a step may have depend on its `type` (errors E0304 and E0305):
//! a trigger belongs to events, `kind` to tasks and gateways (each with its
//! own kinds), `calls` to subprocesses, `next` to everything but end events,
//! `duration` to intermediate timer events.
//! The schema says so with one `if`/`then` per type, each listing that type's
//! keys with `additionalProperties: false`, so a misplaced key reads like a
//! typo ("Additional properties are not allowed ('trigger' was unexpected)")
//! and a task with a gateway kind fails on `kind` alone.

use schemars::{Schema, json_schema};
use serde_json::{Map, Value, json};

use crate::model::Step;

/// The keys every step may have, whatever its type.
const COMMON_KEYS: &[&str] = &[
    "id",
    "type",
    "name",
    "lane",
    "realizes",
    "instructions",
    "description",
    "inputs",
    "outputs",
    "status",
    "findings",
];

/// Task kinds; `kind` on a task takes only these.
pub(crate) const TASK_KINDS: &[&str] =
    &["none", "user", "manual", "service", "send", "receive", "script", "business-rule"];

/// Gateway kinds; `kind` on a gateway takes only these.
pub(crate) const GATEWAY_KINDS: &[&str] = &["exclusive", "parallel", "inclusive", "event-based"];

/// Triggers of start and intermediate events: all but `terminate`.
pub(crate) const NON_END_TRIGGERS: &[&str] =
    &["none", "message", "timer", "signal", "error", "conditional", "escalation"];

/// One step type's rule: which keys it takes beyond [`COMMON_KEYS`], with the
/// values they may have there (`None`: whatever the key takes in general).
struct TypeRule {
    /// `None` is the default type, task, which also covers a missing or
    /// unknown `type` (the unknown value fails on `type` itself).
    type_name: Option<&'static str>,
    keys: &'static [(&'static str, Option<&'static [&'static str]>)],
}

const RULES: &[TypeRule] = &[
    TypeRule { type_name: None, keys: &[("kind", Some(TASK_KINDS)), ("next", None), ("approval", None)] },
    TypeRule { type_name: Some("gateway"), keys: &[("kind", Some(GATEWAY_KINDS)), ("next", None)] },
    TypeRule { type_name: Some("start"), keys: &[("trigger", Some(NON_END_TRIGGERS)), ("next", None)] },
    TypeRule {
        type_name: Some("event"),
        keys: &[("trigger", Some(NON_END_TRIGGERS)), ("next", None), ("duration", None)],
    },
    TypeRule { type_name: Some("end"), keys: &[("trigger", None)] },
    TypeRule { type_name: Some("subprocess"), keys: &[("calls", None), ("next", None)] },
];

/// Replaces the step schema's one list of allowed keys by one per type. Used
/// as `#[schemars(transform = …)]` on [`Step`].
pub fn rules_by_type(schema: &mut Schema) {
    schema.remove("additionalProperties");
    let mut branches: Vec<Value> = RULES.iter().map(branch).collect();
    // An intermediate event's duration needs a timer (error E0305 otherwise);
    // other types refuse `duration` in their own branch.
    branches.push(json!({
        "if": { "properties": { "type": { "const": "event" } }, "required": ["type", "duration"] },
        "then": { "properties": { "trigger": { "const": "timer" } }, "required": ["trigger"] }
    }));
    schema.insert("allOf".into(), Value::Array(branches));
}

/// `if` the step has this type, `then` only these keys.
fn branch(rule: &TypeRule) -> Value {
    let condition = match rule.type_name {
        Some(name) => json!({ "properties": { "type": { "const": name } }, "required": ["type"] }),
        None => {
            let others: Vec<&str> = RULES.iter().filter_map(|r| r.type_name).collect();
            json!({ "properties": { "type": { "not": { "enum": others } } } })
        }
    };
    let mut properties = Map::new();
    for key in COMMON_KEYS {
        properties.insert((*key).to_string(), Value::Bool(true));
    }
    for (key, values) in rule.keys {
        let schema = match values {
            Some(values) => {
                let mut allowed: Vec<Value> = values.iter().map(|v| json!(v)).collect();
                allowed.push(Value::Null);
                json!({ "enum": allowed })
            }
            None => Value::Bool(true),
        };
        properties.insert((*key).to_string(), schema);
    }
    json!({ "if": condition, "then": { "properties": properties, "additionalProperties": false } })
}

/// A workflow's `steps`: the first step needs a `lane` (error E0208), the
/// others inherit theirs.
pub struct Steps;

inline_schema!(Steps, |generator| {
    let step = generator.subschema_for::<Step>();
    json_schema!({
        "description": "The steps in order; a step without `next` flows to the one after it. The first step needs a `lane`; later steps inherit the lane of the step before them.",
        "type": ["array", "null"],
        "items": [{
            "allOf": [step],
            "properties": { "lane": { "type": ["string", "integer", "boolean"] } },
            "required": ["lane"]
        }],
        "additionalItems": step
    })
});

/// Every key some step type takes, for the tests.
#[cfg(test)]
pub(crate) fn all_keys() -> Vec<&'static str> {
    let mut keys: Vec<&str> = COMMON_KEYS.to_vec();
    keys.extend(RULES.iter().flat_map(|r| r.keys.iter().map(|(k, _)| *k)));
    keys.sort_unstable();
    keys.dedup();
    keys
}
