//! Jira Cloud workflow JSON: the response of the workflows search and
//! bulk-get endpoints. `statuses[]` lists each status once (`id`, `name`,
//! `statusReference`); each of `workflows[]` names the statuses it uses
//! (`statuses[].statusReference`) and its `transitions[]`: `type`
//! (`INITIAL`, `GLOBAL` or `DIRECTIONAL`), `toStatusReference`,
//! `links[].fromStatusReference` (one per status it leaves from) and a
//! `conditions` rule tree, whose `system:restrict-issue-transition` rules
//! hold the `roleIds` and `groupIds` admitted.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{Locator, parse, text_field};
use super::{FromStatus, Positions, Principal, ToolStatus, ToolTransition, ToolWorkflow, not_the_format};
use crate::diagnostic::Diagnostic;
use crate::source::FileId;

/// The rule that restricts a transition to project roles and groups.
const RESTRICT_RULE: &str = "system:restrict-issue-transition";

/// Reads every workflow of a Jira Cloud export.
pub fn read(text: &str, file: FileId) -> Result<Vec<ToolWorkflow>, Box<Diagnostic>> {
    let value = parse(text, file)?;
    let (Some(statuses), Some(workflows)) =
        (value.get("statuses").and_then(Value::as_array), value.get("workflows").and_then(Value::as_array))
    else {
        return Err(not_the_format(
            file,
            text,
            "not a Jira Cloud workflow export: it needs `statuses` and `workflows` lists",
        ));
    };
    // Each list gets its own locator: the two may be written in either order.
    let positions = Positions::new(file, text);
    let mut locator = Locator::new(&positions);
    let mut known = BTreeMap::new();
    for status in statuses {
        let reference = text_field(status, "statusReference").unwrap_or_default();
        let id = text_field(status, "id").unwrap_or_else(|| reference.clone());
        let name = text_field(status, "name").unwrap_or_else(|| id.clone());
        let span = locator.next("statusReference", &reference);
        known.insert(reference, ToolStatus { id, name, approval: Some(false), span });
    }
    let mut locator = Locator::new(&positions);
    workflows.iter().map(|workflow| read_workflow(workflow, &known, &mut locator, file, text)).collect()
}

/// One entry of `workflows[]`.
fn read_workflow(
    workflow: &Value,
    known: &BTreeMap<String, ToolStatus>,
    locator: &mut Locator,
    file: FileId,
    text: &str,
) -> Result<ToolWorkflow, Box<Diagnostic>> {
    let name = text_field(workflow, "name").unwrap_or_default();
    let span = locator.next("name", &name);
    let status = |reference: &str| {
        known.get(reference).ok_or_else(|| {
            let message = format!("workflow \"{name}\" refers to status {reference}, which `statuses` does not list");
            not_the_format(file, text, &message)
        })
    };
    let status_id = |reference: &str| status(reference).map(|s| s.id.clone());
    let mut statuses = Vec::new();
    for entry in workflow.get("statuses").and_then(Value::as_array).into_iter().flatten() {
        let mut used = status(&text_field(entry, "statusReference").unwrap_or_default())?.clone();
        used.approval = Some(has_approval(entry));
        statuses.push(used);
    }
    let mut transitions = Vec::new();
    for transition in workflow.get("transitions").and_then(Value::as_array).into_iter().flatten() {
        let id = text_field(transition, "id").unwrap_or_default();
        let span = locator.next("id", &id);
        let to = status_id(&text_field(transition, "toStatusReference").unwrap_or_default())?;
        let kind = text_field(transition, "type").unwrap_or_default();
        let froms = match kind.as_str() {
            "INITIAL" => vec![FromStatus::Initial],
            "GLOBAL" => vec![FromStatus::Any],
            _ => links(transition).iter().map(|r| status_id(r).map(FromStatus::Status)).collect::<Result<_, _>>()?,
        };
        let admits = transition.get("conditions").map(restriction).filter(|a| !a.is_empty());
        let name = text_field(transition, "name").unwrap_or_else(|| id.clone());
        for from in froms {
            let (id, name, to, admits) = (id.clone(), name.clone(), to.clone(), admits.clone());
            transitions.push(ToolTransition { id, name, from, to, admits, span });
        }
    }
    Ok(ToolWorkflow { name, span, statuses, transitions: Some(transitions) })
}

/// Whether a workflow's status entry holds an approval: its
/// `approvalConfiguration` is active, or its `properties` set
/// `approval.active` (how older responses carry it).
fn has_approval(entry: &Value) -> bool {
    let active = |value: Option<&Value>| match value {
        Some(Value::String(text)) => text == "true",
        Some(Value::Bool(active)) => *active,
        _ => false,
    };
    active(entry.get("approvalConfiguration").and_then(|c| c.get("active")))
        || active(entry.get("properties").and_then(|p| p.get(super::jira_xml::APPROVAL_ACTIVE)))
}

/// The `fromStatusReference` of each of a transition's `links`.
fn links(transition: &Value) -> Vec<String> {
    let links = transition.get("links").and_then(Value::as_array);
    links.into_iter().flatten().filter_map(|link| text_field(link, "fromStatusReference")).collect()
}

/// The project roles and groups the restrict rules of a condition tree
/// (nested through `conditionGroups`) admit, sorted.
fn restriction(tree: &Value) -> Vec<Principal> {
    let mut admitted = Vec::new();
    collect_restrictions(tree, &mut admitted);
    admitted.sort();
    admitted.dedup();
    admitted
}

fn collect_restrictions(tree: &Value, admitted: &mut Vec<Principal>) {
    for rule in tree.get("conditions").and_then(Value::as_array).into_iter().flatten() {
        if text_field(rule, "ruleKey").as_deref() != Some(RESTRICT_RULE) {
            continue;
        }
        let Some(parameters) = rule.get("parameters") else { continue };
        admitted.extend(ids(parameters, "roleIds").map(Principal::ProjectRole));
        admitted.extend(ids(parameters, "groupIds").map(Principal::Group));
    }
    for group in tree.get("conditionGroups").and_then(Value::as_array).into_iter().flatten() {
        collect_restrictions(group, admitted);
    }
}

/// A parameter holding ids: a comma-separated text or a list of texts.
fn ids(parameters: &Value, key: &str) -> impl Iterator<Item = String> {
    let listed: Vec<String> = match parameters.get(key) {
        Some(Value::String(text)) => text.split(',').map(|s| s.trim().to_string()).collect(),
        Some(Value::Array(items)) => items.iter().filter_map(|i| i.as_str().map(str::to_string)).collect(),
        _ => Vec::new(),
    };
    listed.into_iter().filter(|id| !id.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_approval_is_read_from_the_configuration_or_the_properties() {
        let entry = |json: &str| serde_json::from_str::<Value>(json).expect("JSON");
        assert!(has_approval(&entry(r#"{"approvalConfiguration": {"active": "true"}}"#)));
        assert!(has_approval(&entry(r#"{"properties": {"approval.active": "true"}}"#)));
        assert!(!has_approval(&entry(r#"{"approvalConfiguration": {"active": "false"}, "properties": {}}"#)));
        assert!(!has_approval(&entry(r#"{"statusReference": "x"}"#)));
    }
}
