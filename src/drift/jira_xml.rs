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
use super::{FromStatus, Positions, Principal, ToolStatus, ToolTransition, ToolWorkflow, unreadable_at};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// The condition classes that restrict a transition to people.
const GROUP_CONDITION: &str = "UserInGroupCondition";
const PROJECT_ROLE_CONDITION: &str = "InProjectRoleCondition";
/// The status property Jira Service Management sets on a status that holds
/// an approval step.
pub(super) const APPROVAL_ACTIVE: &str = "approval.active";

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
    let positions = Positions::new(file, text);
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
        let approval = Some(meta(*step, APPROVAL_ACTIVE).as_deref() == Some("true"));
        statuses.push(ToolStatus { id: status_id, name: step_name, approval, span: element_span(&positions, *step) });
    }
    let common: BTreeMap<&str, Node> = child(root, "common-actions")
        .map(|c| children(c, "action").filter_map(|a| Some((a.attribute("id")?, a))).collect())
        .unwrap_or_default();
    let mut reader = Transitions { positions: &positions, status_of_step: &status_of_step, found: Vec::new() };
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
    let span = element_span(&positions, root);
    Ok(vec![ToolWorkflow { name: name.to_string(), span, statuses, transitions: Some(reader.found) }])
}

/// A step's `<meta name="jira.status.id">`.
fn status_id(step: Node) -> Option<String> {
    meta(step, "jira.status.id")
}

/// The text of a step's `<meta name="…">`, trimmed.
fn meta(step: Node, name: &str) -> Option<String> {
    children(step, "meta")
        .find(|m| m.attribute("name") == Some(name))
        .map(|m| m.text().unwrap_or("").trim().to_string())
}

/// The transitions read so far and what reading one needs.
struct Transitions<'a> {
    positions: &'a Positions<'a>,
    status_of_step: &'a BTreeMap<String, String>,
    found: Vec<ToolTransition>,
}

impl Transitions<'_> {
    /// Adds `action` taken `from` a status; `at` is where it is written for
    /// that status (the action, or the `<common-action>` naming it).
    fn add(&mut self, action: Node, at: Node, from: FromStatus) -> Result<(), Box<Diagnostic>> {
        let id = action.attribute("id").unwrap_or_default().to_string();
        let (file, text) = (self.positions.file, self.positions.text);
        let error = |message: String| Box::new(unreadable_at(file, text, action.range().start, message));
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
            span: element_span(self.positions, at),
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

#[cfg(test)]
mod tests {
    use super::*;

    const EXPORT: &str = r#"<workflow>
  <initial-actions><action id="1" name="Create"><results><unconditional-result step="1"/></results></action></initial-actions>
  <global-actions><action id="9" name="Cancel"><results><unconditional-result step="2"/></results></action></global-actions>
  <common-actions>
    <action id="5" name="Done">
      <restrict-to><conditions type="AND">
        <conditions type="OR">
          <condition type="class"><arg name="class.name">com.atlassian.jira.workflow.condition.UserInGroupCondition</arg><arg name="group">b-team</arg></condition>
          <condition type="class"><arg name="class.name">com.atlassian.jira.workflow.condition.InProjectRoleCondition</arg><arg name="jira.projectrole.id">10002</arg></condition>
        </conditions>
        <condition type="class"><arg name="class.name">com.atlassian.jira.workflow.condition.AllowOnlyAssignee</arg></condition>
      </conditions></restrict-to>
      <results><unconditional-result step="2"/></results>
    </action>
  </common-actions>
  <steps>
    <step id="1" name="Open"><meta name="jira.status.id">10000</meta><actions><common-action id="5"/></actions></step>
    <step id="2" name="Closed"><actions><common-action id="5"/></actions></step>
  </steps>
</workflow>"#;

    #[test]
    fn reads_steps_and_every_kind_of_action() {
        let workflows = read(EXPORT, FileId(0), "Flow").expect("reads");
        let [workflow] = workflows.as_slice() else { panic!("one workflow") };
        let statuses: Vec<(&str, &str)> = workflow.statuses.iter().map(|s| (s.id.as_str(), s.name.as_str())).collect();
        // A step without jira.status.id keeps its step id.
        assert_eq!(statuses, [("10000", "Open"), ("2", "Closed")]);
        let transitions = workflow.transitions.as_ref().expect("transitions");
        let shape: Vec<(&str, FromStatus, &str)> =
            transitions.iter().map(|t| (t.id.as_str(), t.from.clone(), t.to.as_str())).collect();
        assert_eq!(
            shape,
            [
                ("1", FromStatus::Initial, "10000"),
                ("9", FromStatus::Any, "2"),
                ("5", FromStatus::Status("10000".into()), "2"),
                ("5", FromStatus::Status("2".into()), "2"),
            ]
        );
        let admitted = transitions[2].admits.clone().expect("restricted");
        assert_eq!(admitted, [Principal::Group("b-team".into()), Principal::ProjectRole("10002".into())]);
        assert!(transitions[0].admits.is_none());
        // Each common action is placed where the step names it.
        assert_eq!(transitions[3].span.line, 18);
    }

    #[test]
    fn a_dangling_reference_is_a_located_error() {
        let text = r#"<workflow><steps><step id="1" name="A"><actions><common-action id="7"/></actions></step></steps></workflow>"#;
        let error = read(text, FileId(0), "Flow").expect_err("refused");
        assert!(error.message.contains("common action 7"), "{}", error.message);
        assert_eq!((error.span.line, error.span.column), (1, 49));
    }
}
