//! The model as written in YAML: serde types that mirror the format one to one.
//!
//! This module owns the input contract (see `docs/model-format.md`). Types here
//! only describe shape; references are still plain strings with positions.
//! Resolving them and checking the rules is the job of [`crate::compile`].
//! Every struct denies unknown keys, so a misspelt key is an error with a hint.

mod approved;
mod document;
mod load;
mod located;
mod url_template;

pub use approved::{LeftOut, approved_only};
pub use document::{Date, DocumentControl, DocumentStatus, HistoryEntry, date_of_day, is_calendar_date, today};
pub use load::{LoadCache, LoadedDocument, LoadedFile, load, load_settings};
pub use located::{FlowTarget, Located, Next, OneOrMany};
pub use url_template::{check_url_settings, expand_url};

use schemars::JsonSchema;
use serde::Deserialize;

/// The keys a document may hold at its top level. A file may hold several
/// documents separated by `---`; everything is merged into one model.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "procflow model document")]
pub struct Document {
    /// Roles (people or teams) that perform steps and hold RACI letters.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// One process.
    pub process: Option<Process>,
    /// Several processes.
    #[serde(default)]
    pub processes: Vec<Process>,
    /// One workflow.
    pub workflow: Option<Workflow>,
    /// Several workflows.
    #[serde(default)]
    pub workflows: Vec<Workflow>,
}

/// A role: who performs steps (lanes) and holds RACI letters.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Role {
    #[schemars(with = "crate::schema::Id")]
    pub id: Located<String>,
    /// Display name; the id is shown when it is missing.
    pub name: Option<String>,
    /// Markdown.
    pub description: Option<Located<String>>,
    /// Used to group roles in the site.
    pub group: Option<String>,
    /// Who holds this role in the ITSM tools (`procflow drift` compares it
    /// with who the tool lets move a ticket into a step's status).
    pub tool: Option<Located<RoleTool>>,
}

/// A role's counterparts in the ITSM tools: the groups and project roles
/// whose members act in the role. Values are written as the tool's export
/// names them, so `drift` can compare them with its transition conditions.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleTool {
    /// Jira: groups and project roles.
    pub jira: Option<JiraRole>,
    /// ServiceNow: assignment groups.
    pub servicenow: Option<ServiceNowRole>,
}

/// A role in Jira: groups (names in Data Center and Server, ids in Cloud)
/// and project roles (their ids, e.g. `"10002"`).
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct JiraRole {
    #[serde(default)]
    pub groups: Vec<Located<String>>,
    #[serde(default)]
    pub project_roles: Vec<Located<String>>,
}

/// A role in ServiceNow: the assignment groups of its people.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceNowRole {
    #[serde(default)]
    pub assignment_groups: Vec<Located<String>>,
}

/// Where a workflow is configured in an ITSM tool: a Jira workflow (by its
/// name) or a ServiceNow table (whose `state` choices are its statuses).
/// One tool per workflow, so the enum says "exactly one" by its shape.
#[derive(Debug, Clone, PartialEq, Eq, JsonSchema)]
#[schemars(with = "crate::schema::WorkflowToolSchema")]
pub enum WorkflowTool {
    /// The Jira workflow's name, as Jira shows it.
    Jira(String),
    /// The ServiceNow table, e.g. `incident` or `change_request`.
    Servicenow(String),
}

/// `tool:` as written, before "exactly one tool" is checked.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct WrittenTool {
    jira: Option<String>,
    servicenow: Option<String>,
}

/// Read through [`WrittenTool`] rather than as a serde enum, so that a
/// misspelt tool gets the unknown-key hint (`did you mean jira?`) and two
/// tools a located "wrong value" error instead of a YAML syntax error.
impl<'de> Deserialize<'de> for WorkflowTool {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let written = WrittenTool::deserialize(deserializer)?;
        match (written.jira, written.servicenow) {
            (Some(name), None) => Ok(WorkflowTool::Jira(name)),
            (None, Some(table)) => Ok(WorkflowTool::Servicenow(table)),
            (jira, _) => Err(serde::de::Error::invalid_value(
                serde::de::Unexpected::Other(if jira.is_some() { "both tools" } else { "no tool" }),
                &"one tool: `jira: <workflow name>` or `servicenow: <table>`",
            )),
        }
    }
}

/// A process: what must be achieved, and who answers for it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Process {
    #[schemars(with = "crate::schema::Id")]
    pub id: Located<String>,
    pub name: Located<String>,
    /// Role id of the process owner.
    #[schemars(with = "Option<crate::schema::RoleRef>")]
    pub owner: Option<Located<String>>,
    /// Markdown.
    pub purpose: Option<Located<String>>,
    #[serde(default)]
    pub objectives: Vec<String>,
    /// Markdown.
    pub scope: Option<Located<String>>,
    /// Organisational drivers and pain points.
    #[serde(default)]
    pub drivers: Vec<String>,
    #[serde(default)]
    pub principles: Vec<String>,
    #[serde(default)]
    pub critical_success_factors: Vec<String>,
    #[serde(default)]
    pub triggers: Vec<String>,
    /// Main data flows into the process.
    #[serde(default)]
    pub inputs: Vec<DataInput>,
    /// Main data flows out of the process.
    #[serde(default)]
    pub outputs: Vec<DataOutput>,
    #[serde(default)]
    pub kpis: Vec<Kpi>,
    #[serde(default)]
    pub activities: Vec<Activity>,
    #[serde(default)]
    pub findings: Vec<Finding>,
    /// Version, status, approval and review date of the process description.
    pub document: Option<DocumentControl>,
}

/// A data flow into a process.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataInput {
    pub name: Located<String>,
    /// A process id, or free text for a source outside the model.
    pub from: Option<Located<String>>,
}

/// A data flow out of a process.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DataOutput {
    pub name: Located<String>,
    /// A process id, or free text for a destination outside the model.
    pub to: Option<Located<String>>,
}

/// A key performance indicator of a process.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Kpi {
    #[schemars(with = "crate::schema::Id")]
    pub id: Located<String>,
    pub name: Option<String>,
    /// Markdown.
    pub description: Option<Located<String>>,
    pub target: Option<String>,
    pub frequency: Option<String>,
}

/// A process activity, with the RACI assignment of who does and answers for it.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Activity {
    #[schemars(with = "crate::schema::Id")]
    pub id: Located<String>,
    pub name: Option<String>,
    /// Markdown.
    pub description: Option<Located<String>>,
    /// Who does the activity and who answers for it; `check` needs it (E0301, E0302).
    #[schemars(with = "Raci")]
    pub raci: Option<Located<Raci>>,
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// Responsible, Accountable, Consulted, Informed: each a role id or a list.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Raci {
    /// Performs the activity (at least one).
    #[serde(rename = "R")]
    #[schemars(with = "crate::schema::Responsible")]
    pub responsible: Option<Located<OneOrMany<String>>>,
    /// Answers for the activity (exactly one).
    #[serde(rename = "A")]
    #[schemars(with = "crate::schema::Accountable")]
    pub accountable: Option<Located<OneOrMany<String>>>,
    /// Advises before or during the activity.
    #[serde(rename = "C")]
    #[schemars(with = "Option<crate::schema::OtherRoles>")]
    pub consulted: Option<Located<OneOrMany<String>>>,
    /// Is told about the outcome.
    #[serde(rename = "I")]
    #[schemars(with = "Option<crate::schema::OtherRoles>")]
    pub informed: Option<Located<OneOrMany<String>>>,
}

/// A review note on a process, activity or step.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Finding {
    pub text: Located<String>,
    #[serde(default)]
    pub status: FindingStatus,
    /// Role id of whoever follows the finding up.
    #[schemars(with = "Option<crate::schema::RoleRef>")]
    pub owner: Option<Located<String>>,
}

/// Where a finding stands.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum FindingStatus {
    #[default]
    Open,
    Planned,
    Done,
}

/// A workflow: how the work is done, as steps in the lanes of the roles that perform them.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Workflow {
    #[schemars(with = "crate::schema::Id")]
    pub id: Located<String>,
    pub name: Option<String>,
    /// Markdown.
    pub description: Option<Located<String>>,
    /// Process ids this workflow serves (also derived from `realizes`).
    #[serde(default)]
    #[schemars(with = "Vec<crate::schema::ProcessRef>")]
    pub implements: Vec<Located<String>>,
    /// Lane order (role ids); default: order of first use.
    #[serde(default)]
    #[schemars(with = "Vec<crate::schema::RoleRef>")]
    pub lanes: Vec<Located<String>>,
    #[serde(default)]
    #[schemars(with = "crate::schema::Steps")]
    pub steps: Vec<Step>,
    /// Where the workflow is configured in an ITSM tool (`procflow drift`).
    pub tool: Option<Located<WorkflowTool>>,
    /// Version, status, approval and review date of the workflow.
    pub document: Option<DocumentControl>,
}

/// One step of a workflow: an event, a task, a gateway or a subprocess call.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = crate::schema::rules_by_type)]
pub struct Step {
    #[schemars(with = "crate::schema::Id")]
    pub id: Located<String>,
    #[serde(rename = "type")]
    pub step_type: Option<Located<StepType>>,
    /// For events: what starts, interrupts or ends the flow.
    pub trigger: Option<Located<Trigger>>,
    pub name: Option<String>,
    /// Role id; defaults to the previous step's lane.
    #[schemars(with = "Option<crate::schema::RoleRef>")]
    pub lane: Option<Located<String>>,
    /// Task kind (tasks) or gateway kind (gateways).
    pub kind: Option<Located<StepKind>>,
    /// Activities (`process-id/activity-id`) this step performs.
    #[serde(default)]
    #[schemars(with = "Vec<crate::schema::ActivityRef>")]
    pub realizes: Vec<Located<String>>,
    /// Markdown work instructions for whoever holds the role.
    pub instructions: Option<Located<String>>,
    /// Markdown; a short description beside the instructions.
    pub description: Option<Located<String>>,
    /// Free-text data objects the step uses.
    #[serde(default)]
    pub inputs: Vec<String>,
    /// Free-text data objects the step produces.
    #[serde(default)]
    pub outputs: Vec<String>,
    /// Where the flow goes next; default: the following step.
    pub next: Option<Located<Next>>,
    /// For intermediate timer events: how long the flow waits, as an ISO 8601
    /// duration (`PT4H`, `P2D`); the BPMN export writes it as `timeDuration`.
    #[schemars(with = "Option<crate::schema::TimerDuration>")]
    pub duration: Option<Located<Duration>>,
    /// For subprocesses: the workflow id this step calls.
    #[schemars(with = "Option<crate::schema::WorkflowRef>")]
    pub calls: Option<Located<String>>,
    /// The tool status (Jira status, ServiceNow state) the ticket is in while
    /// this step is done; several steps may share one (`procflow drift`).
    pub status: Option<Located<String>>,
    /// Tasks: the step is an approval (its role decides on behalf of the
    /// Accountable of what it realizes), so `procflow drift` expects the
    /// tool to hold an approval on the step's status.
    pub approval: Option<Located<bool>>,
    #[serde(default)]
    pub findings: Vec<Finding>,
}

/// How long a timer waits: an ISO 8601 duration of whole numbers, date parts
/// before a `T` and time parts after it (`P2D`, `PT4H`, `P1DT12H`, `P2W`) —
/// what BPMN's `timeDuration` holds, so that engines and other tools read the
/// export. Checked when read, so a typo is reported at the value (E0102).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Duration(pub String);

impl<'de> Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let expected = "an ISO 8601 duration such as PT4H (4 hours), P2D (2 days) or P1DT12H";
        located::checked_text(deserializer, is_iso_duration, expected).map(Duration)
    }
}

/// Whether `text` is an ISO 8601 duration procflow accepts: `P`, then whole
/// numbers with the units `Y`, `M`, `W`, `D` in that order, then optionally
/// `T` and `H`, `M`, `S`; at least one part, and at least one after a `T`.
pub fn is_iso_duration(text: &str) -> bool {
    let Some(rest) = text.strip_prefix('P') else { return false };
    let (date, time) = match rest.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (rest, None),
    };
    let date_parts = duration_parts(date, &['Y', 'M', 'W', 'D']);
    let time_parts = time.map_or(Some(0), |t| duration_parts(t, &['H', 'M', 'S']).filter(|n| *n > 0));
    matches!((date_parts, time_parts), (Some(d), Some(t)) if d + t > 0)
}

/// How many `<digits><unit>` parts `text` holds, each unit at most once and
/// in the order of `units`; `None` when it holds anything else.
fn duration_parts(text: &str, units: &[char]) -> Option<usize> {
    let (mut parts, mut next_unit, mut digits) = (0, 0, 0);
    for c in text.chars() {
        if c.is_ascii_digit() {
            digits += 1;
            continue;
        }
        let offset = units.get(next_unit..)?.iter().position(|u| *u == c)?;
        if digits == 0 {
            return None;
        }
        next_unit += offset + 1;
        digits = 0;
        parts += 1;
    }
    (digits == 0).then_some(parts)
}

/// What a step is. (Variants carry no doc comments: schemars would turn the
/// plain list of values into a `oneOf` of described values.)
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[schemars(inline)]
#[serde(rename_all = "kebab-case")]
pub enum StepType {
    Start,
    End,
    // An intermediate event (a wait, a message, a timer).
    Event,
    #[default]
    Task,
    Gateway,
    Subprocess,
}

/// What triggers an event.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[schemars(inline)]
#[serde(rename_all = "kebab-case")]
pub enum Trigger {
    #[default]
    None,
    Message,
    Timer,
    Signal,
    Error,
    Conditional,
    Escalation,
    // End events only.
    Terminate,
}

/// A task kind (`none` … `business-rule`) or a gateway kind (`exclusive` … `event-based`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[schemars(inline)]
#[serde(rename_all = "kebab-case")]
pub enum StepKind {
    None,
    User,
    Manual,
    Service,
    Send,
    Receive,
    Script,
    BusinessRule,
    Exclusive,
    Parallel,
    Inclusive,
    EventBased,
}

impl StepKind {
    /// Whether the kind is one of the gateway kinds.
    pub fn is_gateway_kind(self) -> bool {
        matches!(self, Self::Exclusive | Self::Parallel | Self::Inclusive | Self::EventBased)
    }
}

/// `procflow.yaml`: site settings; every key optional.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct Settings {
    pub title: String,
    /// Models folder, relative to `procflow.yaml`.
    pub models: String,
    /// Output folder, relative to `procflow.yaml`.
    pub output: String,
    /// "" = relative links only; otherwise used for canonical links.
    pub base_url: String,
    /// Markdown.
    pub footer: Option<String>,
    /// Per-diagram downloads written beside the site.
    pub formats: Vec<DiagramFormat>,
    /// Exported tool configurations `procflow drift` reads when it is given
    /// no files, relative to `procflow.yaml`.
    pub tool_exports: ToolExports,
    /// Where a page's model file can be edited: a URL with `{path}`, the
    /// file's path from the project folder (mdBook's `edit-url-template`).
    /// Pages with a source file link to it as "Edit this page".
    #[schemars(with = "Option<crate::schema::EditUrl>")]
    pub edit_url: Option<Located<String>>,
    /// Where readers give feedback on a page: a URL with `{title}` and/or
    /// `{path}` (URL-encoded), say a prefilled issue or mail. Pages with a
    /// source file link to it as "Give feedback".
    #[schemars(with = "Option<crate::schema::FeedbackUrl>")]
    pub feedback_url: Option<Located<String>>,
}

/// Exported workflow configurations of the ITSM tools, by format; paths are
/// relative to `procflow.yaml`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, default)]
pub struct ToolExports {
    /// Jira Data Center / Server workflow XML files.
    pub jira: Vec<String>,
    /// Jira Cloud workflow JSON files (the workflows search response).
    pub jira_cloud: Vec<String>,
    /// ServiceNow `sys_choice` exports (record XML or Table API JSON).
    pub servicenow: Vec<String>,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            title: "Process documentation".to_string(),
            models: "models".to_string(),
            output: "output".to_string(),
            base_url: String::new(),
            footer: None,
            // PNG files are opt-in: rasterising is most of a large build's
            // time, and every page offers a PNG made in the browser anyway.
            formats: vec![DiagramFormat::Svg],
            tool_exports: ToolExports::default(),
            edit_url: None,
            feedback_url: None,
        }
    }
}

/// A diagram download format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum DiagramFormat {
    Svg,
    Png,
    Bpmn,
    /// Not a per-diagram file: the whole handbook as `handbook.pdf`, linked
    /// from the home page (what `procflow export pdf` writes).
    Pdf,
}

#[cfg(test)]
mod tests {
    use super::is_iso_duration;

    #[test]
    fn iso_durations_are_told_apart() {
        for good in ["PT4H", "P2D", "P1DT12H", "PT30M", "PT45S", "P2W", "P1Y2M3W4DT5H6M7S"] {
            assert!(is_iso_duration(good), "{good}");
        }
        for bad in ["", "P", "PT", "P1DT", "4H", "PT4", "P1H", "PT1D", "P2D1Y", "PT1.5H", "P-1D", "p2d", "P 2D", "P２D"]
        {
            assert!(!is_iso_duration(bad), "{bad}");
        }
    }

    proptest::proptest! {
        /// The schema's pattern says what the loader says, so an editor flags
        /// exactly the durations `check` refuses.
        #[test]
        fn the_schema_duration_pattern_agrees(text in "P?T?[0-9YMWDHST.]{0,8}") {
            let schema = crate::schema::pattern_accepts(crate::schema::DURATION_PATTERN, &text);
            proptest::prop_assert_eq!(schema, is_iso_duration(&text), "{}", text);
        }
    }
}
