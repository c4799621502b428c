//! Schemas of the values the loader reads leniently or the checker constrains:
//! ids, references, the RACI letters and `next`. The model's fields name these
//! types with `#[schemars(with = …)]`, so each field's schema says what the
//! loader and the checker accept there, not merely "a string".
//!
//! Every schema here is one object with a list of types, never an `anyOf`:
//! a validator then reports the one keyword that failed (`"Bad id" does not
//! match …`, `["a", "b"] has more than 1 item`) instead of every alternative.

use std::borrow::Cow;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};

/// The id rule of the checker (`compile::build::is_valid_id`, error E0201) as
/// a regular expression; a unit test holds the two in step.
pub const ID_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,63}$";

/// `process-id/activity-id`, the form `realizes` uses (error E0205 otherwise).
pub const ACTIVITY_REF_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,63}/[a-z0-9][a-z0-9_-]{0,63}$";

/// The YAML scalars the loader reads as text where a text is expected: a
/// plain `80` or `true` is taken as "80" and "true".
const SCALAR_TYPES: [&str; 3] = ["string", "integer", "boolean"];

/// An id or a reference to one, as the loader reads it: text, or a plain
/// non-negative integer or boolean YAML would otherwise type (`id: 2024`).
fn id_schema(description: &str, pattern: &str, types: &[&str]) -> Schema {
    json_schema!({
        "description": description,
        "type": types,
        "pattern": pattern,
        "minimum": 0
    })
}

macro_rules! id_like {
    ($(#[$doc:meta])* $name:ident, $description:literal, $pattern:expr, $types:expr) => {
        $(#[$doc])*
        pub struct $name;

        inline_schema!($name, |_| id_schema($description, $pattern, &$types));
    };
}

id_like!(
    /// The `id` of a role, process, activity, KPI, workflow or step.
    Id,
    "Lower-case letters, digits, `-` and `_`; starts with a letter or digit; at most 64 characters.",
    ID_PATTERN,
    SCALAR_TYPES
);
id_like!(
    /// A role id where one role is meant (`owner`, `lane`, `lanes`).
    RoleRef,
    "The id of a role.",
    ID_PATTERN,
    SCALAR_TYPES
);
id_like!(
    /// A process id (`implements`).
    ProcessRef,
    "The id of a process.",
    ID_PATTERN,
    SCALAR_TYPES
);
id_like!(
    /// A workflow id (`calls`).
    WorkflowRef,
    "The id of a workflow.",
    ID_PATTERN,
    SCALAR_TYPES
);
id_like!(
    /// An activity written `process-id/activity-id` (`realizes`).
    ActivityRef,
    "An activity, written `process-id/activity-id`.",
    ACTIVITY_REF_PATTERN,
    // A number or boolean can never have the slash.
    ["string"]
);

/// The ISO 8601 durations [`crate::model::is_iso_duration`] accepts, as a
/// regular expression without look-arounds (a unit test holds the two in step).
pub const DURATION_PATTERN: &str = "^P(([0-9]+Y)?([0-9]+M)?([0-9]+W)?([0-9]+D)?T([0-9]+H([0-9]+M)?([0-9]+S)?|[0-9]+M([0-9]+S)?|[0-9]+S)|[0-9]+Y([0-9]+M)?([0-9]+W)?([0-9]+D)?|[0-9]+M([0-9]+W)?([0-9]+D)?|[0-9]+W([0-9]+D)?|[0-9]+D)$";

/// `duration` of a timer event.
pub struct TimerDuration;

inline_schema!(TimerDuration, |_| pattern_text(
    "How long the timer waits, as an ISO 8601 duration: PT30M (30 minutes), PT4H (4 hours), P2D (2 days), P1DT12H, P2W.",
    DURATION_PATTERN
));

/// A `YYYY-MM-DD` date with a day its month has
/// ([`crate::model::is_calendar_date`] also knows which years are leap years).
pub const DATE_PATTERN: &str = "^[0-9]{4}-((0[13578]|1[02])-(0[1-9]|[12][0-9]|3[01])|(0[469]|11)-(0[1-9]|[12][0-9]|30)|02-(0[1-9]|1[0-9]|2[0-9]))$";

/// `approved_on`, `review_by` and history dates of document control.
pub struct CalendarDate;

inline_schema!(CalendarDate, |_| pattern_text("A date written YYYY-MM-DD, such as 2027-03-31.", DATE_PATTERN));

/// `R`: one role id, or a list of at least one. An empty value or `[]` leaves
/// the activity without a Responsible role (error E0302).
pub struct Responsible;

inline_schema!(Responsible, |_| role_list(
    "Performs the activity: a role id, or a list of at least one.",
    Some(1),
    None
));

/// `A`: exactly one role id, alone or as a list of one (error E0301 otherwise).
pub struct Accountable;

inline_schema!(Accountable, |_| role_list("Answers for the activity: exactly one role id.", Some(1), Some(1)));

/// `C` and `I`: a role id, a list of role ids, or nothing.
pub struct OtherRoles;

inline_schema!(OtherRoles, |_| {
    let mut schema = role_list("A role id, or a list of role ids.", None, None);
    schema.insert("type".into(), serde_json::json!(["string", "array", "null"]));
    schema
});

/// A text that must match `pattern` (no number or boolean can).
fn pattern_text(description: &str, pattern: &str) -> Schema {
    json_schema!({ "description": description, "type": "string", "pattern": pattern })
}

/// A RACI letter's value. The single form must be written as text (the loader
/// reads `R: 12` as no role); entries of the list form are read like any id.
fn role_list(description: &str, min: Option<u64>, max: Option<u64>) -> Schema {
    let mut schema = json_schema!({
        "description": description,
        "type": ["string", "array"],
        "pattern": ID_PATTERN,
        "items": id_schema("The id of a role.", ID_PATTERN, &SCALAR_TYPES)
    });
    if let Some(min) = min {
        schema.insert("minItems".into(), min.into());
    }
    if let Some(max) = max {
        schema.insert("maxItems".into(), max.into());
    }
    schema
}

/// `next`: a step id, or a list whose entries are step ids or `{to, label,
/// default}`. An empty value means "the following step", as if `next` were
/// not written.
pub(crate) fn next_schema() -> Schema {
    json_schema!({
        "description": "Where the flow goes after this step: a step id, a list of step ids, or a list of flows with labels.",
        "type": ["string", "array", "null"],
        "pattern": ID_PATTERN,
        "items": {
            "description": "A step id, or a flow `{to, label, default}`.",
            "type": ["string", "object"],
            "pattern": ID_PATTERN,
            "properties": {
                "to": id_schema("The step the flow goes to.", ID_PATTERN, &SCALAR_TYPES),
                "label": {
                    "description": "The condition shown on the flow (e.g. \"yes\").",
                    "type": ["string", "number", "boolean"]
                },
                "default": {
                    "description": "Taken when no other condition holds; at most one per gateway.",
                    "type": "boolean"
                }
            },
            "required": ["to"],
            "additionalProperties": false
        }
    })
}

/// A workflow's `tool:`: one object with both tools' keys and room for one,
/// not a `oneOf` of two objects, so that a validator names a misspelt key
/// ("'jora' was unexpected") or says "more than 1 property", as `check` does.
pub struct WorkflowToolSchema;

impl JsonSchema for WorkflowToolSchema {
    fn schema_name() -> Cow<'static, str> {
        "WorkflowTool".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Where the workflow runs: `jira: <workflow name>` or `servicenow: <table>`.",
            "type": "object",
            "properties": {
                "jira": { "description": "The Jira workflow's name.", "type": SCALAR_TYPES },
                "servicenow": { "description": "The ServiceNow table (`incident`, `change_request`).", "type": SCALAR_TYPES }
            },
            "additionalProperties": false,
            "minProperties": 1,
            "maxProperties": 1
        })
    }
}

/// What `edit_url` must look like (the settings check says the same:
/// `model/url_template.rs`).
pub const EDIT_URL_PATTERN: &str =
    r"^([hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)([^\s{}]|\{path\})*\{path\}([^\s{}]|\{path\})*$";

/// `edit_url` in `procflow.yaml`.
pub struct EditUrl;

inline_schema!(EditUrl, |_| pattern_text(
    "Where a page's model file is edited: an http(s) or mailto URL with {path}, the file's path from the project folder, such as https://github.com/org/repo/edit/main/{path}.",
    EDIT_URL_PATTERN
));

/// What `feedback_url` must look like.
pub const FEEDBACK_URL_PATTERN: &str = r"^([hH][tT][tT][pP][sS]?://|[mM][aA][iI][lL][tT][oO]:)([^\s{}]|\{(title|path)\})*\{(title|path)\}([^\s{}]|\{(title|path)\})*$";

/// `feedback_url` in `procflow.yaml`.
pub struct FeedbackUrl;

inline_schema!(FeedbackUrl, |_| pattern_text(
    "Where readers give feedback on a page: an http(s) or mailto URL with {title} and/or {path} (URL-encoded), such as mailto:smo@example.com?subject=Feedback%20on%20{title}.",
    FEEDBACK_URL_PATTERN
));
