//! Jira Data Center / Server workflow XML, the OSWorkflow document Jira's
//! "Export as XML" writes: `steps/step` (each carrying its status id in
//! `<meta name="jira.status.id">`), the create transition in
//! `initial-actions`, transitions shared by several steps in
//! `common-actions` (referenced from a step as `<common-action id=…>`),
//! global transitions in `global-actions`, each action leading to
//! `results/unconditional-result@step` and restricted by the group and
//! project-role conditions under `restrict-to`.
//!
//! The export does not hold the workflow's name: Jira names the downloaded
//! file after the workflow, so the file name (without `.xml`) is taken.

use std::collections::BTreeMap;

use roxmltree::Node;

use super::xml::{child, children, element_span, parse};
use super::{FromStatus, Principal, ToolStatus, ToolTransition, ToolWorkflow, unreadable_at};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// The condition classes that restrict a transition to people.
const GROUP_CONDITION: &str = "UserInGroupCondition";
const PROJECT_ROLE_CONDITION: &str = "InProjectRoleCondition";

/// Reads the one workflow of a Jira XML export; `name` is the workflow's
/// name (from the file name).
pub fn read(text: &str, file: FileId, name: &str) -> Result<Vec<ToolWorkflow>, Box<Diagnostic>> {
    let document = parse(text, file)?;
    let root = document.root_element();
    let error = |node: Node, message: String| Box::new(unreadable_at(file, text, node.range().start, message));
    if !root.has_tag_name("workflow") {
        let found = root.tag_name().name();
        return Err(error(
            root,
            format!("not a Jira workflow XML export: the root element is <{found}>, not <workflow>"),
        ));
    }
    let steps: Vec<Node> = child(root, "steps").map(|s| children(s, "step").collect()).unwrap_or_default();
    let mut statuses = Vec::new();
    let mut status_of_step = BTreeMap::new();
    for step in &steps {
        let Some(step_id) = step.attribute("id") else {
            return Err(error(*step, "a <step> without an id attribute".to_string()));
        };
        let status_id = status_id(*step).unwrap_or_else(|| step_id.to_string());
        let step_name = step.attribute("name").unwrap_or(step_id).to_string();
        status_of_step.insert(step_id.to_string(), status_id.clone());
        statuses.push(ToolStatus { id: status_id, name: step_name, span: element_span(file, text, *step) });
    }
    let common: BTreeMap<&str, Node> = child(root, "common-actions")
        .map(|c| children(c, "action").filter_map(|a| Some((a.attribute("id")?, a))).collect())
        .unwrap_or_default();
    let mut reader = Transitions { text, file, status_of_step: &status_of_step, found: Vec::new() };
    for action in child(root, "initial-actions").into_iter().flat_map(|a| children(a, "action")) {
        reader.add(action, action, FromStatus::Initial)?;
    }
    for action in child(root, "global-actions").into_iter().flat_map(|a| children(a, "action")) {
        reader.add(action, action, FromStatus::Any)?;
    }
    for step in &steps {
        let from = FromStatus::Status(status_of_step[step.attribute("id").unwrap_or_default()].clone());
        let Some(actions) = child(*step, "actions") else { continue };
        for entry in actions.children().filter(Node::is_element) {
            let action = match entry.tag_name().name() {
                "action" => entry,
                "common-action" => {
                    let id = entry.attribute("id").unwrap_or_default();
                    let Some(action) = common.get(id) else {
                        return Err(error(entry, format!("common action {id} is not among the <common-actions>")));
                    };
                    *action
                }
                _ => continue,
            };
            reader.add(action, entry, from.clone())?;
        }
    }
    let span = element_span(file, text, root);
    Ok(vec![ToolWorkflow { name: name.to_string(), span, statuses, transitions: Some(reader.found) }])
}

/// A step's `<meta name="jira.status.id">`.
fn status_id(step: Node) -> Option<String> {
    children(step, "meta")
        .find(|m| m.attribute("name") == Some("jira.status.id"))
        .map(|m| m.text().unwrap_or("").trim().to_string())
}

/// The transitions read so far and what reading one needs.
struct Transitions<'a> {
    text: &'a str,
    file: FileId,
    status_of_step: &'a BTreeMap<String, String>,
    found: Vec<ToolTransition>,
}

impl Transitions<'_> {
    /// Adds `action` taken `from` a status; `at` is where it is written for
    /// that status (the action, or the `<common-action>` naming it).
    fn add(&mut self, action: Node, at: Node, from: FromStatus) -> Result<(), Box<Diagnostic>> {
        let id = action.attribute("id").unwrap_or_default().to_string();
        let error = |message: String| Box::new(unreadable_at(self.file, self.text, action.range().start, message));
        let Some(step) = child(action, "results").and_then(|r| child(r, "unconditional-result")) else {
            return Err(error(format!("action {id} has no <results><unconditional-result>")));
        };
        let target = step.attribute("step").unwrap_or_default();
        let Some(to) = self.status_of_step.get(target) else {
            return Err(error(format!("action {id} leads to step {target}, which <steps> does not hold")));
        };
        self.found.push(ToolTransition {
            id: id.clone(),
            name: action.attribute("name").unwrap_or(&id).to_string(),
            from,
            to: to.clone(),
            admits: restriction(action),
            span: element_span(self.file, self.text, at),
        });
        Ok(())
    }
}

/// The groups and project roles the `restrict-to` conditions of an action
/// name; `None` when no condition restricts it to people.
fn restriction(action: Node) -> Option<Vec<Principal>> {
    let conditions = child(action, "restrict-to")?;
    let mut admitted: Vec<Principal> = conditions
        .descendants()
        .filter(|n| n.has_tag_name("condition"))
        .filter_map(|condition| {
            let arg = |name: &str| {
                children(condition, "arg").find(|a| a.attribute("name") == Some(name)).and_then(|a| a.text())
            };
            let class = arg("class.name").unwrap_or_default();
            if class.ends_with(GROUP_CONDITION) {
                Some(Principal::Group(arg("group")?.trim().to_string()))
            } else if class.ends_with(PROJECT_ROLE_CONDITION) {
                Some(Principal::ProjectRole(arg("jira.projectrole.id")?.trim().to_string()))
            } else {
                None
            }
        })
        .collect();
    admitted.sort();
    admitted.dedup();
    (!admitted.is_empty()).then_some(admitted)
}
