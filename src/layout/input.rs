//! What the layout engine lays out: a small graph of sized-to-be nodes in
//! lanes, built from a workflow (steps in role lanes) or from the process
//! landscape (processes linked by data flows, no lanes).

use petgraph::stable_graph::NodeIndex;

use super::diagram::Shape;
use crate::compile::{Model, StepKind};
use crate::model::StepType;

/// A name as diagrams show it (see [`crate::text::drawn_label`]).
fn drawn(text: &str) -> String {
    crate::text::drawn_label(text).into_owned()
}

/// One node to place.
#[derive(Debug, Clone, PartialEq)]
pub struct InputNode {
    pub id: String,
    pub name: String,
    pub shape: Shape,
    /// Index into [`LayoutGraph::lanes`].
    pub lane: usize,
    pub link: Option<String>,
}

/// One flow to route.
#[derive(Debug, Clone, PartialEq)]
pub struct InputEdge {
    pub from: usize,
    pub to: usize,
    pub label: Option<String>,
    pub default: bool,
}

/// A lane to draw (role id and display name).
#[derive(Debug, Clone, PartialEq)]
pub struct InputLane {
    pub id: String,
    pub name: String,
}

/// The graph handed to the layout engine, nodes and edges in model order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LayoutGraph {
    pub id: String,
    pub title: String,
    pub description: String,
    /// Empty for the landscape: no pool and no lanes are drawn.
    pub lanes: Vec<InputLane>,
    pub nodes: Vec<InputNode>,
    pub edges: Vec<InputEdge>,
}

impl LayoutGraph {
    /// Whether the diagram has a pool with lanes.
    pub fn has_lanes(&self) -> bool {
        !self.lanes.is_empty()
    }

    /// A workflow's steps in its lanes (lane order as authored: `lanes:`, then
    /// first use).
    pub fn workflow(model: &Model, workflow: NodeIndex) -> LayoutGraph {
        let w = model.workflow(workflow);
        let mut lanes: Vec<NodeIndex> = w.lanes.clone();
        let index_of: std::collections::HashMap<NodeIndex, usize> =
            w.steps.iter().enumerate().map(|(i, s)| (*s, i)).collect();
        let mut nodes = Vec::new();
        for step in &w.steps {
            let s = model.step(*step);
            let lane = match s.lane {
                Some(role) => match lanes.iter().position(|l| *l == role) {
                    Some(i) => i,
                    None => {
                        lanes.push(role);
                        lanes.len() - 1
                    }
                },
                None => 0,
            };
            let shape = match (s.step_type, s.kind) {
                (StepType::Start, _) => Shape::StartEvent(s.trigger),
                (StepType::End, _) => Shape::EndEvent(s.trigger),
                (StepType::Event, _) => Shape::IntermediateEvent(s.trigger),
                (StepType::Gateway, StepKind::Gateway(kind)) => Shape::Gateway(kind),
                (StepType::Gateway, _) => Shape::Gateway(crate::compile::GatewayKind::Exclusive),
                (StepType::Subprocess, _) => Shape::Subprocess,
                (StepType::Task, StepKind::Task(kind)) => Shape::Task(kind),
                (StepType::Task, _) => Shape::Task(crate::model::StepKind::None),
            };
            let link = model.called_workflow(*step).map(|c| model.workflow(c).id.clone());
            let name = if s.name == s.id && shape.has_outside_label() { String::new() } else { drawn(&s.name) };
            nodes.push(InputNode { id: s.id.clone(), name, shape, lane, link });
        }
        if lanes.is_empty() {
            lanes.push(NodeIndex::end());
        }
        let mut edges = Vec::new();
        for (from, step) in w.steps.iter().enumerate() {
            for (_, target, flow) in model.flows_from(*step) {
                if let Some(&to) = index_of.get(&target) {
                    edges.push(InputEdge { from, to, label: flow.label.as_deref().map(drawn), default: flow.default });
                }
            }
        }
        let lanes = lanes
            .iter()
            .map(|role| {
                if *role == NodeIndex::end() {
                    InputLane { id: String::new(), name: String::new() }
                } else {
                    let r = model.role(*role);
                    InputLane { id: r.id.clone(), name: drawn(&r.name) }
                }
            })
            .collect();
        let description = match &w.description {
            Some(text) => crate::text::plain_text(text),
            None => format!("Swimlane diagram of the workflow {} ({} steps).", w.name, w.steps.len()),
        };
        LayoutGraph { id: w.id.clone(), title: drawn(&w.name), description, lanes, nodes, edges }
    }

    /// Every process as a box, with its data flows to other processes as
    /// labelled edges.
    pub fn landscape(model: &Model) -> LayoutGraph {
        let nodes = model
            .processes
            .iter()
            .map(|p| {
                let process = model.process(*p);
                InputNode {
                    id: process.id.clone(),
                    name: drawn(&process.name),
                    shape: Shape::Process,
                    lane: 0,
                    link: Some(process.id.clone()),
                }
            })
            .collect();
        let positions: std::collections::HashMap<NodeIndex, usize> =
            model.processes.iter().enumerate().map(|(i, p)| (*p, i)).collect();
        let position = |p: NodeIndex| positions.get(&p).copied();
        // One edge per pair of processes; its label lists every data flow,
        // each behind a bullet when there are several, so that wrapped names
        // do not run into one another.
        let mut names: Vec<((usize, usize), Vec<&str>)> = Vec::new();
        for (from, to, name) in model.data_flows() {
            let (Some(from), Some(to)) = (position(from), position(to)) else { continue };
            match names.iter_mut().find(|(pair, _)| *pair == (from, to)) {
                Some((_, list)) => list.push(name),
                None => names.push(((from, to), vec![name])),
            }
        }
        let edges = names
            .into_iter()
            .map(|((from, to), list)| {
                let label = match list.as_slice() {
                    [one] => drawn(one),
                    many => many.iter().map(|name| format!("• {}", drawn(name))).collect::<Vec<_>>().join("\n"),
                };
                InputEdge { from, to, label: Some(label), default: false }
            })
            .collect();
        LayoutGraph {
            id: "landscape".to_string(),
            title: "Process landscape".to_string(),
            description: format!("Map of {} processes and the data that flows between them.", model.processes.len()),
            lanes: Vec::new(),
            nodes,
            edges,
        }
    }
}
