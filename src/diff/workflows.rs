//! Workflows compared: their own fields, their steps (added, removed,
//! renamed, moved to another lane, type or kind, `realizes`, instructions…),
//! their sequence flows (added, removed, relabelled, default or not) and the
//! findings on their steps.

use std::collections::HashMap;

use petgraph::stable_graph::NodeIndex;

use super::compare::{Record, Renames, compare_records, field_changes, finding_list, findings, mapped, role_id, whole};
use super::{Change, Element, Group, Item};
use crate::compile::Model;
use crate::site::step_kind;

/// The workflows of both sides compared, in model order.
pub(super) fn workflows(base: &Model, head: &Model, roles: &Renames) -> Vec<Group> {
    let old: HashMap<&str, NodeIndex> = base.workflows.iter().map(|&w| (base.workflow(w).id.as_str(), w)).collect();
    let mut groups = Vec::new();
    for &w in &head.workflows {
        let workflow = head.workflow(w);
        match old.get(workflow.id.as_str()) {
            None => groups.push(whole(&workflow.id, &workflow.name, Change::Added)),
            Some(&b) => {
                let group = changed(base, b, head, w, roles);
                if !group.fields.is_empty() || !group.items.is_empty() {
                    groups.push(group);
                }
            }
        }
    }
    let new: HashMap<&str, ()> = head.workflows.iter().map(|&w| (head.workflow(w).id.as_str(), ())).collect();
    for &w in &base.workflows {
        let workflow = base.workflow(w);
        if !new.contains_key(workflow.id.as_str()) {
            groups.push(whole(&workflow.id, &workflow.name, Change::Removed));
        }
    }
    groups
}

/// One workflow present on both sides: fields, steps, flows, findings.
fn changed(base: &Model, b: NodeIndex, head: &Model, h: NodeIndex, roles: &Renames) -> Group {
    let none = Renames::new();
    let workflow = head.workflow(h);
    let fields = field_changes(&workflow_record(base, b).fields, &workflow_record(head, h).fields);
    let (mut items, steps) =
        compare_records(Element::Step, step_records(base, b, roles), step_records(head, h, &none), true);
    let (flows, _) = compare_records(Element::Flow, flow_records(base, b, &steps), flow_records(head, h, &none), false);
    items.extend(flows);
    items.extend(findings(&step_findings(base, b, roles, &steps), &step_findings(head, h, &none, &none)));
    Group { id: workflow.id.clone(), name: workflow.name.clone(), change: Change::Changed, fields, items }
}

fn workflow_record(model: &Model, w: NodeIndex) -> Record {
    let workflow = model.workflow(w);
    let document = workflow.document.as_deref();
    Record::new(&workflow.id, "")
        .text("name", Some(&workflow.name))
        .long("description", workflow.description.as_ref())
        .text("version", document.and_then(|d| d.version.as_ref()))
}

/// A workflow's steps as records; `roles` maps the base's lane ids.
fn step_records(model: &Model, w: NodeIndex, roles: &Renames) -> Vec<Record> {
    model
        .workflow(w)
        .steps
        .iter()
        .map(|&s| {
            let step = model.step(s);
            let kind = step_kind(model, s);
            let lane = step.lane.map(|r| role_id(model, r, roles));
            let summary = match &lane {
                Some(lane) => format!("{kind} \"{}\" in lane {lane}", step.name),
                None => format!("{kind} \"{}\"", step.name),
            };
            Record::new(&step.id, summary)
                .text("name", Some(&step.name))
                .text("type", Some(kind))
                .text("lane", lane)
                .list("realizes", model.realized_by(s).iter().map(|&a| activity_ref(model, a)).collect())
                .text("calls", model.called_workflow(s).map(|c| model.workflow(c).id.clone()))
                .text("duration", step.duration.as_ref())
                .text("status", step.status.as_ref().map(|m| &m.name))
                .list("inputs", step.inputs.clone())
                .list("outputs", step.outputs.clone())
                .long("description", step.description.as_ref())
                .long("instructions", step.instructions.as_ref())
        })
        .collect()
}

/// An activity as `realizes` names it: `process/activity`.
fn activity_ref(model: &Model, activity: NodeIndex) -> String {
    let activity = model.activity(activity);
    format!("{}/{}", model.process(activity.process).id, activity.id)
}

/// A workflow's sequence flows as records with id `from → to` (step ids as
/// the head writes them, through `steps`), in the order of their source steps.
fn flow_records(model: &Model, w: NodeIndex, steps: &Renames) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    for &s in &model.workflow(w).steps {
        let from = mapped(steps, &model.step(s).id);
        for (_, target, flow) in model.flows_from(s) {
            let mut id = format!("{from} → {}", mapped(steps, &model.step(target).id));
            // Two flows between the same steps: the second is told apart by its rank.
            let count = seen.entry(id.clone()).or_default();
            *count += 1;
            if *count > 1 {
                id = format!("{id} ({count})");
            }
            let summary = flow.label.as_ref().map_or(String::new(), |l| format!("\"{l}\""));
            records.push(
                Record::new(id, summary)
                    .text("label", flow.label.as_ref())
                    .text("default", flow.default.then_some("yes")),
            );
        }
    }
    records
}

/// The findings on a workflow's steps, held by the steps' head ids.
fn step_findings(model: &Model, w: NodeIndex, roles: &Renames, steps: &Renames) -> Vec<Record> {
    let mut records = Vec::new();
    for &s in &model.workflow(w).steps {
        let step = model.step(s);
        records.extend(finding_list(model, &mapped(steps, &step.id), &step.findings, roles));
    }
    records
}

/// The steps and flows of a workflow's diff as the diagram marks them: the ids
/// of added and of changed (or renamed) steps, and the `from → to` ids of
/// added and changed flows.
pub fn marked(group: &Group, element: Element) -> (Vec<&str>, Vec<&str>) {
    let pick = |wanted: fn(&Change) -> bool| -> Vec<&str> {
        group
            .items
            .iter()
            .filter(|i: &&Item| i.element == element && wanted(&i.change))
            .map(|i| i.id.as_str())
            .collect()
    };
    (pick(|c| *c == Change::Added), pick(|c| matches!(c, Change::Changed | Change::Renamed { .. })))
}
