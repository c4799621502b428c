//! `procflow diff`: what changed between two checked revisions of a project,
//! by id rather than by line. Both sides come through the normal pipeline
//! (`Sources` → [`crate::check`]), so the comparison sees resolved models and
//! their check results, never YAML text.
//!
//! [`diff`] compares in model order (the head's order, then what only the base
//! has, in the base's order), so the same two revisions always give the same
//! [`Diff`], and the renderers (`text`, `markdown`, `json`, `html`) only format
//! it. Nothing here reads the disk.
//!
//! Renames: an id that disappears while an id of the same kind appears with an
//! identical body (everything but the id, references to other renamed ids
//! followed) is reported as a rename; otherwise as a removal and an addition.

mod checks;
mod compare;
pub mod html;
pub mod json;
pub mod markdown;
pub mod text;
mod workflows;

pub use workflows::marked;

use serde::Serialize;

use crate::Checked;

/// Everything that changed between a base and a head model.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Diff {
    /// What the base side is (a revision or a folder), as the reports name it.
    pub base: String,
    /// What the head side is.
    pub head: String,
    pub roles: Vec<Item>,
    pub processes: Vec<Group>,
    pub workflows: Vec<Group>,
    pub checks: Vec<CheckChange>,
}

impl Diff {
    /// Whether nothing semantic changed (exit status 0).
    pub fn is_empty(&self) -> bool {
        self.roles.is_empty() && self.processes.is_empty() && self.workflows.is_empty() && self.checks.is_empty()
    }
}

/// A process or a workflow that was added, removed, renamed or changed, with
/// its own field changes and those of its parts (activities, findings; steps,
/// flows).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Group {
    pub id: String,
    pub name: String,
    pub change: Change,
    pub fields: Vec<FieldChange>,
    pub items: Vec<Item>,
}

/// One element (role, activity, step, flow, finding) that changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub element: Element,
    /// The element's id; for a flow `from → to`, for a finding its text.
    pub id: String,
    pub change: Change,
    /// What the element is, in a few words, for an added or removed one
    /// (`user task in lane cab`); empty otherwise.
    pub summary: String,
    pub fields: Vec<FieldChange>,
}

/// The kinds of element an [`Item`] can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Element {
    Role,
    Activity,
    Step,
    Flow,
    Finding,
}

impl Element {
    /// The element's kind as reports write it.
    pub fn word(self) -> &'static str {
        match self {
            Element::Role => "role",
            Element::Activity => "activity",
            Element::Step => "step",
            Element::Flow => "flow",
            Element::Finding => "finding",
        }
    }
}

/// How an element differs between the two sides.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Change {
    Added,
    Removed,
    /// Same body under a new id; `from` is the base's id.
    Renamed {
        from: String,
    },
    Changed,
}

impl Change {
    /// The change as a past participle: `added`, `removed`, `renamed`,
    /// `changed`.
    pub fn word(&self) -> &'static str {
        match self {
            Change::Added => "added",
            Change::Removed => "removed",
            Change::Renamed { .. } => "renamed",
            Change::Changed => "changed",
        }
    }

    /// The sign reports put before the element: `+`, `-`, `~`.
    pub fn sign(&self) -> char {
        match self {
            Change::Added => '+',
            Change::Removed => '-',
            Change::Renamed { .. } | Change::Changed => '~',
        }
    }
}

/// One field of an element: its value before and after (`None` when unset or,
/// for a list, when the entry is new or gone), and for long texts the line
/// diff.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldChange {
    pub field: String,
    pub before: Option<String>,
    pub after: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<LineChange>,
}

impl FieldChange {
    /// A field whose value went from `before` to `after`.
    fn new(field: impl Into<String>, before: Option<String>, after: Option<String>) -> Self {
        FieldChange { field: field.into(), before, after, lines: Vec::new() }
    }
}

/// One line of a text diff (instructions, descriptions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LineChange {
    /// `+` added, `-` removed, ` ` kept as context.
    pub sign: char,
    pub text: String,
}

/// A check result (diagnostic) that appears or disappears; compared by code
/// and message, which names the element by id, never by file or line, so
/// moving a definition to another file changes nothing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CheckChange {
    pub change: CheckSide,
    pub severity: String,
    pub code: String,
    pub message: String,
}

/// Whether a check result is new in the head or gone from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum CheckSide {
    Appeared,
    Disappeared,
}

/// Compares two checked models; `base` and `head` name the sides in reports.
pub fn diff(base: &Checked, head: &Checked, base_name: &str, head_name: &str) -> Diff {
    let roles = compare::roles(&base.model, &head.model);
    let renamed_roles = compare::renames(&roles);
    Diff {
        base: base_name.to_string(),
        head: head_name.to_string(),
        processes: compare::processes(&base.model, &head.model, &renamed_roles),
        workflows: workflows::workflows(&base.model, &head.model, &renamed_roles),
        roles,
        checks: checks::checks(&base.diagnostics, &head.diagnostics),
    }
}

/// Counts of what changed, for summaries: (added, removed, changed) per kind.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
}

impl Tally {
    fn count(&mut self, change: &Change) {
        match change {
            Change::Added => self.added += 1,
            Change::Removed => self.removed += 1,
            Change::Renamed { .. } | Change::Changed => self.changed += 1,
        }
    }
}

/// The summary rows reports open with: a label and its tally, for every kind
/// of element (rows with nothing changed included, so tables keep their shape).
pub fn tallies(diff: &Diff) -> Vec<(&'static str, Tally)> {
    let mut rows = vec![
        ("roles", Tally::default()),
        ("processes", Tally::default()),
        ("activities", Tally::default()),
        ("workflows", Tally::default()),
        ("steps", Tally::default()),
        ("flows", Tally::default()),
        ("findings", Tally::default()),
        ("check results", Tally::default()),
    ];
    let row = |element: Element| match element {
        Element::Role => 0,
        Element::Activity => 2,
        Element::Step => 4,
        Element::Flow => 5,
        Element::Finding => 6,
    };
    for item in &diff.roles {
        rows[0].1.count(&item.change);
    }
    for (groups, at) in [(&diff.processes, 1), (&diff.workflows, 3)] {
        for group in groups {
            rows[at].1.count(&group.change);
            for item in &group.items {
                rows[row(item.element)].1.count(&item.change);
            }
        }
    }
    for check in &diff.checks {
        let change = if check.change == CheckSide::Appeared { Change::Added } else { Change::Removed };
        rows[7].1.count(&change);
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    fn checked(roles: &str) -> Checked {
        let mut sources = Sources::new();
        sources.add_text("models/roles.yaml", roles);
        crate::check(&sources)
    }

    #[test]
    fn a_role_with_a_new_id_and_the_same_body_is_a_rename_and_colour_is_opt_in() {
        let base = checked("roles:\n  - id: agent\n    name: Agent\n  - id: cab\n    name: Board\n");
        let head = checked("roles:\n  - id: service-agent\n    name: Agent\n  - id: cab\n    name: The board\n");
        let diff = diff(&base, &head, "a", "b");
        assert_eq!(diff.roles[0].change, Change::Renamed { from: "agent".into() });
        assert_eq!(diff.roles[1].fields, [FieldChange::new("name", Some("Board".into()), Some("The board".into()))]);
        assert!(!text::render(&diff, false).contains('\x1b'));
        assert!(text::render(&diff, true).contains("\x1b[33m~ role service-agent (renamed from agent)\x1b[0m"));
    }

    #[test]
    fn equal_models_make_an_empty_diff() {
        let model = "roles:\n  - id: agent\n    name: Agent\n";
        let diff = diff(&checked(model), &checked(model), "a", "b");
        assert!(diff.is_empty());
        assert_eq!(text::summary(&diff), "no semantic change");
    }
}
