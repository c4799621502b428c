//! `procflow import jira`: a first workflow model from a Jira workflow
//! export, so a team documents the workflow it runs instead of starting from
//! a blank page. Each status becomes a task in that status, each transition a
//! flow, the create transition the start event, statuses without a way out
//! lead to the end event; the groups and project roles a status's incoming
//! transitions are restricted to become its lane's role, where every such
//! transition names the same ones. What has no place in the model is listed
//! as a note. The YAML goes through the normal pipeline like any other file.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::{FromStatus, Principal, ToolWorkflow};

/// An imported workflow: the model file's text, and what was not mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Imported {
    pub yaml: String,
    pub notes: Vec<String>,
}

/// The start event's lane when no transition names anyone; mapped to no
/// group, so `drift` asks for one.
const UNASSIGNED: &str = "unassigned";

/// Writes `workflow` as a model file: roles, then the workflow.
pub fn import(workflow: &ToolWorkflow) -> Imported {
    let mut notes = Vec::new();
    let step_ids = unique_ids(workflow.statuses.iter().map(|s| s.name.as_str()));
    let step_of: BTreeMap<&str, &str> =
        workflow.statuses.iter().zip(&step_ids).map(|(s, id)| (s.id.as_str(), id.as_str())).collect();
    let transitions = workflow.transitions.as_deref().unwrap_or_default();
    let lanes = lanes(workflow, &mut notes);
    let role_ids =
        unique_ids(lanes.values().flatten().map(|set| set_name(set)).collect::<Vec<_>>().iter().map(String::as_str));
    let mut roles: BTreeMap<&Vec<Principal>, &str> = BTreeMap::new();
    for (set, id) in lanes.values().flatten().zip(&role_ids) {
        roles.entry(set).or_insert(id);
    }
    let lane_of = |status: &str| lanes.get(status).and_then(Option::as_ref).map(|set| roles[set]);
    let created: Vec<&str> = transitions
        .iter()
        .filter(|t| t.from == FromStatus::Initial)
        .filter_map(|t| step_of.get(t.to.as_str()).copied())
        .collect();
    // The start event needs a lane; steps without one inherit the lane
    // before them, which the notes ask to check.
    let first_lane = workflow.statuses.iter().find_map(|s| lane_of(&s.id)).unwrap_or(UNASSIGNED);
    let mut steps = format!(
        "    - id: created\n      type: start\n      lane: {first_lane}\n      next: {}\n",
        list(&created, "end")
    );
    for (status, id) in workflow.statuses.iter().zip(&step_ids) {
        let mut next: Vec<&str> = transitions
            .iter()
            .filter(|t| t.from == FromStatus::Status(status.id.clone()) && t.to != status.id)
            .filter_map(|t| step_of.get(t.to.as_str()).copied())
            .collect();
        // A global transition is a flow from the status created issues start in.
        if created.first() == Some(&id.as_str()) {
            let global = transitions.iter().filter(|t| t.from == FromStatus::Any && t.to != status.id);
            next.extend(global.filter_map(|t| step_of.get(t.to.as_str()).copied()));
        }
        next.dedup();
        let name = quote(&status.name);
        let _ = write!(steps, "    - id: {id}\n      name: {name}\n      status: {name}\n");
        match lane_of(&status.id) {
            Some(lane) => {
                let _ = writeln!(steps, "      lane: {lane}");
            }
            None => notes.push(format!(
                "status {name}: no transition into it names who works in it; its step is in the lane of the step before it"
            )),
        }
        let _ = writeln!(steps, "      next: {}", list(&next, "end"));
    }
    steps.push_str("    - id: end\n      type: end\n");

    let mut yaml =
        format!("# Imported from the Jira workflow {}; review the names and lanes.\nroles:\n", quote(&workflow.name));
    let mut written = std::collections::BTreeSet::new();
    for (set, id) in &roles {
        if written.insert(*id) {
            write_role(&mut yaml, id, set);
        }
    }
    if first_lane == UNASSIGNED {
        let _ = writeln!(yaml, "  - id: {UNASSIGNED}\n    name: Not restricted in Jira");
    }
    let workflow_id = unique_ids([workflow.name.as_str()]).remove(0);
    let name = quote(&workflow.name);
    let _ =
        write!(yaml, "workflow:\n  id: {workflow_id}\n  name: {name}\n  tool:\n    jira: {name}\n  steps:\n{steps}");
    Imported { yaml, notes }
}

/// The principals each status's incoming transitions (all but create) are
/// restricted to, together: `None` when one is open to everyone.
fn lanes(workflow: &ToolWorkflow, notes: &mut Vec<String>) -> BTreeMap<String, Option<Vec<Principal>>> {
    let mut lanes: BTreeMap<String, Option<Vec<Principal>>> = BTreeMap::new();
    for status in &workflow.statuses {
        let incoming: Vec<_> = workflow
            .transitions
            .iter()
            .flatten()
            .filter(|t| t.to == status.id && t.from != FromStatus::Initial)
            .map(|t| t.admits.clone())
            .collect();
        let agreed = if incoming.iter().all(Option::is_some) && !incoming.is_empty() {
            let mut all: Vec<Principal> = incoming.iter().flatten().flatten().cloned().collect();
            all.sort();
            all.dedup();
            if incoming.iter().any(|a| a.as_ref() != Some(&all)) {
                notes.push(format!(
                    "status \"{}\": its transitions admit different groups; its lane's role holds them all",
                    status.name
                ));
            }
            Some(all)
        } else {
            None
        };
        lanes.insert(status.id.clone(), agreed);
    }
    lanes
}

fn write_role(yaml: &mut String, id: &str, set: &[Principal]) {
    let texts =
        |pick: fn(&Principal) -> Option<&String>| set.iter().filter_map(pick).map(|t| quote(t)).collect::<Vec<_>>();
    let groups = texts(|p| if let Principal::Group(g) = p { Some(g) } else { None });
    let project_roles = texts(|p| if let Principal::ProjectRole(r) = p { Some(r) } else { None });
    let _ = writeln!(yaml, "  - id: {id}\n    name: {}\n    tool:\n      jira:", quote(&set_name(set)));
    for (key, values) in [("groups", groups), ("project_roles", project_roles)] {
        if !values.is_empty() {
            let _ = writeln!(yaml, "        {key}: [{}]", values.join(", "));
        }
    }
}

/// A readable name for a set of groups and project roles.
fn set_name(set: &[Principal]) -> String {
    let names: Vec<String> = set
        .iter()
        .map(|p| match p {
            Principal::Group(g) => g.clone(),
            Principal::ProjectRole(r) => format!("project role {r}"),
        })
        .collect();
    names.join(" or ")
}

/// `next:` as one id or a list; `fallback` when there is none.
fn list(ids: &[&str], fallback: &str) -> String {
    match ids {
        [] => fallback.to_string(),
        [one] => (*one).to_string(),
        many => format!("[{}]", many.join(", ")),
    }
}

/// A YAML double-quoted scalar (JSON's string syntax is YAML's).
fn quote(text: &str) -> String {
    serde_json::to_string(text).unwrap_or_default()
}

/// Model ids for names: lower case, other characters as `-`, at most 60
/// characters, a number added to repeats and `x` before ids that would be empty.
fn unique_ids<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    names
        .into_iter()
        .map(|name| {
            let mut id = String::new();
            for c in name.chars().flat_map(char::to_lowercase) {
                if c.is_ascii_alphanumeric() {
                    id.push(c);
                } else if !id.ends_with('-') && !id.is_empty() {
                    id.push('-');
                }
            }
            let mut id: String = id.trim_end_matches('-').chars().take(60).collect();
            if id.is_empty() || ["created", "end", UNASSIGNED].contains(&id.as_str()) {
                id.insert_str(0, "s-");
            }
            let count = seen.entry(id.clone()).or_insert(0);
            *count += 1;
            if *count > 1 { format!("{id}-{count}") } else { id }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::unique_ids;

    #[test]
    fn ids_are_valid_unique_and_clear_of_the_events() {
        let ids = unique_ids(["In Progress", "in progress", "End", "Geschlossen – Lösung", "???", &"x".repeat(80)]);
        assert_eq!(ids[..5], ["in-progress", "in-progress-2", "s-end", "geschlossen-l-sung", "s-"]);
        assert_eq!(ids[5].len(), 60);
    }
}
