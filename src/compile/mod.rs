//! The compiled model: one petgraph graph of roles, processes, activities,
//! workflows and steps, with every reference resolved and every rule checked.
//!
//! This is the single source every later view is drawn from (diagrams, RACI
//! matrices, the site, BPMN). Nothing after this stage reads YAML. The graph is
//! built once by [`compile`] and never mutated afterwards; ordered lists of node
//! indices keep the authors' order, so output does not depend on hash order.

mod build;
mod document;
mod flow_rules;
mod label_rules;
pub mod links;

use std::collections::BTreeMap;

use petgraph::Direction;
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableDiGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

pub use build::compile;
pub use document::{DocumentControl, HistoryEntry};

use crate::model::{FindingStatus, StepType, Trigger};
use crate::source::Span;

/// A node of the model graph.
#[derive(Debug, Clone)]
pub enum Node {
    Role(Role),
    Process(Process),
    Activity(Activity),
    Workflow(Workflow),
    Step(Step),
}

/// An edge of the model graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edge {
    /// Process → activity, workflow → step: membership, in model order.
    Contains,
    /// Step → step.
    Sequence(SequenceFlow),
    /// Step → activity: the step performs (part of) the activity.
    Realizes,
    /// Role → activity, one edge per letter held.
    Raci(RaciLetter),
    /// Step → role: the step is in this role's lane.
    PerformedBy,
    /// Role → process.
    Owns,
    /// Process → process: a named data flow (output of one, input of the other).
    DataFlow { name: String },
    /// Subprocess step → workflow.
    Calls,
    /// Workflow → process it serves (declared or derived from `realizes`).
    Implements,
}

/// A sequence flow between two steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SequenceFlow {
    pub label: Option<String>,
    pub default: bool,
    /// False for the implicit flow to the following step.
    pub explicit: bool,
    pub span: Span,
}

/// One letter of a RACI assignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum RaciLetter {
    R,
    A,
    C,
    I,
}

impl RaciLetter {
    /// The letter spelt out, for messages and legends.
    pub fn word(self) -> &'static str {
        match self {
            RaciLetter::R => "Responsible",
            RaciLetter::A => "Accountable",
            RaciLetter::C => "Consulted",
            RaciLetter::I => "Informed",
        }
    }
}

/// A role (lane owner, RACI holder).
#[derive(Debug, Clone)]
pub struct Role {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub group: Option<String>,
    /// Who holds the role in the ITSM tools (`tool:`), for `procflow drift`.
    pub tool: RoleTool,
    pub span: Span,
}

/// A process with its descriptive attributes.
#[derive(Debug, Clone)]
pub struct Process {
    pub id: String,
    pub name: String,
    pub owner: Option<NodeIndex>,
    pub purpose: Option<String>,
    pub objectives: Vec<String>,
    pub scope: Option<String>,
    pub drivers: Vec<String>,
    pub principles: Vec<String>,
    pub critical_success_factors: Vec<String>,
    pub triggers: Vec<String>,
    pub inputs: Vec<DataFlow>,
    pub outputs: Vec<DataFlow>,
    pub kpis: Vec<Kpi>,
    pub findings: Vec<Finding>,
    /// Activities in model order.
    pub activities: Vec<NodeIndex>,
    /// Version, status, approval and review of the process description.
    pub document: Option<Box<DocumentControl>>,
    pub span: Span,
}

/// A data flow into or out of a process.
#[derive(Debug, Clone)]
pub struct DataFlow {
    pub name: String,
    pub peer: Peer,
}

/// The other end of a data flow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Peer {
    /// A process of the model.
    Process(NodeIndex),
    /// Free text naming something outside the model.
    External(String),
    Unspecified,
}

/// A key performance indicator.
#[derive(Debug, Clone)]
pub struct Kpi {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    pub target: Option<String>,
    pub frequency: Option<String>,
}

/// A review note.
#[derive(Debug, Clone)]
pub struct Finding {
    pub text: String,
    pub status: FindingStatus,
    pub owner: Option<NodeIndex>,
    pub span: Span,
}

/// A process activity.
#[derive(Debug, Clone)]
pub struct Activity {
    pub id: String,
    pub process: NodeIndex,
    pub name: String,
    pub description: Option<String>,
    pub findings: Vec<Finding>,
    pub span: Span,
}

/// A workflow.
#[derive(Debug, Clone)]
pub struct Workflow {
    pub id: String,
    pub name: String,
    pub description: Option<String>,
    /// Lane roles in display order: `lanes:` first, then the order of first use.
    pub lanes: Vec<NodeIndex>,
    /// Steps in model order.
    pub steps: Vec<NodeIndex>,
    /// Where the workflow is configured in an ITSM tool (`tool:`).
    pub tool: Option<ToolBinding>,
    /// Version, status, approval and review of the workflow.
    pub document: Option<Box<DocumentControl>>,
    pub span: Span,
}

/// What a task or gateway is, once checked against the step's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StepKind {
    Task(crate::model::StepKind),
    Gateway(GatewayKind),
    /// Events and subprocesses have no kind.
    NotApplicable,
}

/// The gateway kinds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GatewayKind {
    Exclusive,
    Parallel,
    Inclusive,
    EventBased,
}

/// A workflow step.
#[derive(Debug, Clone)]
pub struct Step {
    pub id: String,
    pub workflow: NodeIndex,
    pub step_type: StepType,
    pub trigger: Trigger,
    pub kind: StepKind,
    /// How long an intermediate timer event waits (ISO 8601, e.g. `PT4H`).
    pub duration: Option<String>,
    /// The name to show: the `name`, or the id when there is none.
    pub name: String,
    pub lane: Option<NodeIndex>,
    pub instructions: Option<String>,
    pub description: Option<String>,
    pub inputs: Vec<String>,
    pub outputs: Vec<String>,
    pub findings: Vec<Finding>,
    /// The tool status the ticket is in during the step (`status:`).
    pub status: Option<Mapped>,
    /// Where `approval: true` is written, for a task that is an approval:
    /// `drift` expects an approval configured on its tool status.
    pub approval: Option<Span>,
    pub span: Span,
}

/// An ITSM tool whose exported configuration `procflow drift` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Tool {
    Jira,
    ServiceNow,
}

impl Tool {
    /// The tool's name as reports write it.
    pub fn name(self) -> &'static str {
        match self {
            Tool::Jira => "Jira",
            Tool::ServiceNow => "ServiceNow",
        }
    }
}

/// A workflow's place in a tool: the Jira workflow name or ServiceNow table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolBinding {
    pub tool: Tool,
    pub name: String,
    /// The `tool:` entry, where findings about the whole workflow point.
    pub span: Span,
}

/// A name from the model that stands for something in a tool (a status, a
/// group), with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mapped {
    pub name: String,
    pub span: Span,
}

/// A role's groups and project roles in the tools.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RoleTool {
    pub jira_groups: Vec<Mapped>,
    pub jira_project_roles: Vec<Mapped>,
    pub servicenow_groups: Vec<Mapped>,
}

impl RoleTool {
    /// Whether the role names any group or project role in `tool`.
    pub fn is_mapped_in(&self, tool: Tool) -> bool {
        match tool {
            Tool::Jira => !self.jira_groups.is_empty() || !self.jira_project_roles.is_empty(),
            Tool::ServiceNow => !self.servicenow_groups.is_empty(),
        }
    }
}

/// The compiled, checked model. Build it with [`compile`].
///
/// Nodes of one kind are added in model order and never removed, so sorting
/// steps (or activities) by `NodeIndex` sorts them in model order: views rely
/// on that instead of building position tables.
#[derive(Debug, Clone, Default)]
pub struct Model {
    pub graph: StableDiGraph<Node, Edge>,
    /// Roles, processes and workflows in model order (sorted file order, then position).
    pub roles: Vec<NodeIndex>,
    pub processes: Vec<NodeIndex>,
    pub workflows: Vec<NodeIndex>,
    role_ids: BTreeMap<String, NodeIndex>,
    process_ids: BTreeMap<String, NodeIndex>,
    workflow_ids: BTreeMap<String, NodeIndex>,
}

macro_rules! accessor {
    ($name:ident, $variant:ident, $ty:ty) => {
        /// The node's data; panics only on a programming error (wrong kind of index).
        pub fn $name(&self, index: NodeIndex) -> &$ty {
            match &self.graph[index] {
                Node::$variant(value) => value,
                other => unreachable!(concat!("expected ", stringify!($variant), ", found {:?}"), other),
            }
        }
    };
}

impl Model {
    accessor!(role, Role, Role);
    accessor!(process, Process, Process);
    accessor!(activity, Activity, Activity);
    accessor!(workflow, Workflow, Workflow);
    accessor!(step, Step, Step);

    pub fn role_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.role_ids.get(id).copied()
    }

    pub fn process_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.process_ids.get(id).copied()
    }

    pub fn workflow_by_id(&self, id: &str) -> Option<NodeIndex> {
        self.workflow_ids.get(id).copied()
    }

    /// Outgoing sequence flows of a step, in the order they were written.
    pub fn flows_from(&self, step: NodeIndex) -> Vec<(EdgeIndex, NodeIndex, &SequenceFlow)> {
        let mut flows: Vec<_> = self
            .graph
            .edges_directed(step, Direction::Outgoing)
            .filter_map(|e| match e.weight() {
                Edge::Sequence(flow) => Some((e.id(), e.target(), flow)),
                _ => None,
            })
            .collect();
        flows.sort_by_key(|(id, _, _)| *id);
        flows
    }

    /// Incoming sequence flows of a step, in the order they were created.
    pub fn flows_into(&self, step: NodeIndex) -> Vec<(EdgeIndex, NodeIndex, &SequenceFlow)> {
        let mut flows: Vec<_> = self
            .graph
            .edges_directed(step, Direction::Incoming)
            .filter_map(|e| match e.weight() {
                Edge::Sequence(flow) => Some((e.id(), e.source(), flow)),
                _ => None,
            })
            .collect();
        flows.sort_by_key(|(id, _, _)| *id);
        flows
    }

    /// The RACI letters of an activity as (letter, role), letters in R, A, C, I
    /// order and roles in the order they were written.
    pub fn raci(&self, activity: NodeIndex) -> Vec<(RaciLetter, NodeIndex)> {
        let mut letters: Vec<_> = self
            .graph
            .edges_directed(activity, Direction::Incoming)
            .filter_map(|e| match e.weight() {
                Edge::Raci(letter) => Some((*letter, e.id(), e.source())),
                _ => None,
            })
            .collect();
        letters.sort_by_key(|(letter, id, _)| (*letter, *id));
        letters.into_iter().map(|(letter, _, role)| (letter, role)).collect()
    }

    /// Activities a step realizes, in the order written.
    pub fn realized_by(&self, step: NodeIndex) -> Vec<NodeIndex> {
        self.targets(step, |e| matches!(e, Edge::Realizes))
    }

    /// Steps (of any workflow) that realize an activity.
    pub fn realizing_steps(&self, activity: NodeIndex) -> Vec<NodeIndex> {
        let mut steps: Vec<_> = self
            .graph
            .edges_directed(activity, Direction::Incoming)
            .filter(|e| matches!(e.weight(), Edge::Realizes))
            .map(|e| (e.id(), e.source()))
            .collect();
        steps.sort();
        steps.into_iter().map(|(_, s)| s).collect()
    }

    /// The workflow a subprocess step calls.
    pub fn called_workflow(&self, step: NodeIndex) -> Option<NodeIndex> {
        self.targets(step, |e| matches!(e, Edge::Calls)).first().copied()
    }

    /// Processes a workflow serves, declared or derived from `realizes`.
    pub fn implemented_processes(&self, workflow: NodeIndex) -> Vec<NodeIndex> {
        self.targets(workflow, |e| matches!(e, Edge::Implements))
    }

    /// Data flows between processes as (from, to, name), in creation order.
    pub fn data_flows(&self) -> Vec<(NodeIndex, NodeIndex, &str)> {
        let mut flows: Vec<_> = self
            .graph
            .edge_references()
            .filter_map(|e| match e.weight() {
                Edge::DataFlow { name } => Some((e.id(), e.source(), e.target(), name.as_str())),
                _ => None,
            })
            .collect();
        flows.sort_by_key(|f| f.0);
        flows.into_iter().map(|(_, from, to, name)| (from, to, name)).collect()
    }

    fn targets(&self, node: NodeIndex, keep: impl Fn(&Edge) -> bool) -> Vec<NodeIndex> {
        let mut targets: Vec<_> = self
            .graph
            .edges_directed(node, Direction::Outgoing)
            .filter(|e| keep(e.weight()))
            .map(|e| (e.id(), e.target()))
            .collect();
        targets.sort();
        targets.into_iter().map(|(_, t)| t).collect()
    }
}
