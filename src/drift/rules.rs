//! The drift rules: what the model says about a workflow against what the
//! tool's export configures for it. Statuses are matched by name or id;
//! the model's transitions between statuses are its flows with the steps
//! between two statuses (gateways, events without a status) looked through,
//! so a decision inside one status adds no transition and a gateway between
//! two adds one per branch.
//!
//! Findings are located in the model (the step, flow, role or `tool:` entry
//! to change) with a label on the export element they concern. A transition
//! to or from a status that is already reported (unknown, or covered by no
//! step) is not reported again.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use petgraph::stable_graph::NodeIndex;

use super::{Export, FromStatus, Principal, ToolStatus, ToolTransition, ToolWorkflow};
use crate::compile::{Model, Tool, ToolBinding, Workflow};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::StepType;
use crate::source::{Sources, Span};

/// Runs every rule on every workflow of `model` that names a tool for which
/// an export was given; one [`Alignment`] per such workflow, in model order.
pub fn compare(model: &Model, exports: &[Export], sources: &Sources) -> Vec<Alignment> {
    let mut compared = Vec::new();
    let mut unmapped: BTreeSet<(NodeIndex, Tool)> = BTreeSet::new();
    for &index in &model.workflows {
        let workflow = model.workflow(index);
        let Some(binding) = &workflow.tool else { continue };
        let given: Vec<&Export> = exports.iter().filter(|e| e.format.tool() == binding.tool).collect();
        if given.is_empty() {
            continue;
        }
        let mut alignment = Alignment {
            workflow: index,
            tool: format!("{} {} \"{}\"", binding.tool.name(), thing(binding.tool), binding.name),
            steps: Vec::new(),
            uncovered: Vec::new(),
            findings: Vec::new(),
        };
        let Some(tool) = joined(&given, &binding.name) else {
            alignment.findings.push(missing_workflow(binding, &given, sources));
            compared.push(alignment);
            continue;
        };
        let comparison = Comparison::new(model, workflow, binding, &tool, sources);
        comparison.run(&mut alignment.findings);
        alignment.steps = comparison.step_statuses();
        alignment.uncovered = comparison.uncovered_names();
        for &role in &workflow.lanes {
            if !model.role(role).tool.is_mapped_in(binding.tool) && unmapped.insert((role, binding.tool)) {
                alignment.findings.push(unmapped_role(model, role, workflow, binding));
            }
        }
        compared.push(alignment);
    }
    compared
}

/// One mapped workflow against the tool: what matches and what drifted,
/// for the site's "Tool alignment" page.
#[derive(Debug, Clone)]
pub struct Alignment {
    pub workflow: NodeIndex,
    /// The tool workflow as messages name it: `Jira workflow "IT Incident"`.
    pub tool: String,
    /// Every step with a `status:`, in model order.
    pub steps: Vec<StepStatus>,
    /// The tool's statuses no step is in.
    pub uncovered: Vec<String>,
    /// The drift findings of this workflow.
    pub findings: Vec<Diagnostic>,
}

/// A step's `status:` and the tool status it names, if the tool has it.
#[derive(Debug, Clone)]
pub struct StepStatus {
    pub step: NodeIndex,
    pub status: String,
    /// The tool's name and id of the status; `None`: not in the tool.
    pub in_tool: Option<(String, String)>,
}

/// The tool workflow (or table) called `name` in the exports, its records
/// joined when several exports hold some of them (a ServiceNow table's
/// choices in one file, its state flows in another): statuses in export
/// order, each id once; transitions where any export has them.
fn joined<'a>(given: &[&'a Export], name: &str) -> Option<Cow<'a, ToolWorkflow>> {
    let mut parts = given.iter().flat_map(|e| e.workflows.iter()).filter(|w| w.name == name);
    let first = parts.next()?;
    let rest: Vec<&ToolWorkflow> = parts.collect();
    if rest.is_empty() {
        return Some(Cow::Borrowed(first));
    }
    let mut whole = first.clone();
    for part in rest {
        for status in &part.statuses {
            if !whole.statuses.iter().any(|s| s.id == status.id) {
                whole.statuses.push(status.clone());
            }
        }
        if let Some(transitions) = &part.transitions {
            whole.transitions.get_or_insert_with(Vec::new).extend(transitions.iter().cloned());
        }
    }
    Some(Cow::Owned(whole))
}

/// E0702: the workflow's `tool:` names a workflow (or table) no export holds.
fn missing_workflow(binding: &ToolBinding, given: &[&Export], sources: &Sources) -> Diagnostic {
    let names: Vec<&str> = given.iter().flat_map(|e| e.workflows.iter().map(|w| w.name.as_str())).collect();
    let files: Vec<String> = given.iter().map(|e| sources.path(e.file).display().to_string()).collect();
    let what = thing(binding.tool);
    let message =
        format!("{} {what} \"{}\" is not in the exports ({})", binding.tool.name(), binding.name, files.join(", "));
    let diagnostic = Diagnostic::new(Code::ToolWorkflowMissing, binding.span, message);
    match did_you_mean(&binding.name, names.iter().copied()) {
        Some(name) => diagnostic.with_help(format!("did you mean \"{name}\"?")),
        None => diagnostic.with_help(format!("the exports hold: {}", quoted(&names))),
    }
}

/// W0708: a lane role of a mapped workflow names no group of the tool.
fn unmapped_role(model: &Model, role: NodeIndex, workflow: &Workflow, binding: &ToolBinding) -> Diagnostic {
    let role = model.role(role);
    let tool = binding.tool.name();
    let message = format!(
        "role `{}` is a lane of workflow `{}`, which {tool} runs, but names no {tool} group",
        role.id, workflow.id
    );
    let example = match binding.tool {
        Tool::Jira => "tool: { jira: { groups: [...], project_roles: [...] } }",
        Tool::ServiceNow => "tool: { servicenow: { assignment_groups: [...] } }",
    };
    Diagnostic::new(Code::UnmappedLaneRole, role.span, message)
        .with_label(binding.span, "mapped here")
        .with_help(format!("say who holds the role in {tool}: `{example}` on the role"))
}

/// "workflow" or "table", as the tool calls what a workflow is configured as.
fn thing(tool: Tool) -> &'static str {
    match tool {
        Tool::Jira => "workflow",
        Tool::ServiceNow => "table",
    }
}

/// `"a", "b"` for a help line.
fn quoted(names: &[&str]) -> String {
    names.iter().map(|n| format!("\"{n}\"")).collect::<Vec<_>>().join(", ")
}

/// A status change the model shows: a flow from a step in one status to a
/// step in another, with the steps between them looked through.
struct ModelTransition {
    from: FromStatus,
    to: String,
    /// The flow entering the step in the new status (the first step's
    /// status for a start event that has one).
    span: Span,
}

/// One model workflow against its tool workflow.
struct Comparison<'a> {
    model: &'a Model,
    workflow: &'a Workflow,
    binding: &'a ToolBinding,
    tool: &'a ToolWorkflow,
    /// The export files, to name the one holding each element.
    sources: &'a Sources,
    /// The tool status (index into `tool.statuses`) of each step whose
    /// `status:` names one, looked up once: the rules ask for it per flow.
    status_index: BTreeMap<NodeIndex, usize>,
    /// The steps in each status (by id), in model order: the rules ask for
    /// them per tool transition.
    steps_by_status: BTreeMap<&'a str, Vec<NodeIndex>>,
}

impl<'a> Comparison<'a> {
    fn new(
        model: &'a Model,
        workflow: &'a Workflow,
        binding: &'a ToolBinding,
        tool: &'a ToolWorkflow,
        sources: &'a Sources,
    ) -> Self {
        let by_name: BTreeMap<&str, usize> = tool
            .statuses
            .iter()
            .enumerate()
            .rev()
            .flat_map(|(i, s)| [(s.id.as_str(), i), (s.name.as_str(), i)])
            .collect();
        let mut status_index = BTreeMap::new();
        let mut steps_by_status: BTreeMap<&str, Vec<NodeIndex>> = BTreeMap::new();
        for &step in &workflow.steps {
            let Some(mapped) = &model.step(step).status else { continue };
            let Some(&index) = by_name.get(mapped.name.as_str()) else { continue };
            status_index.insert(step, index);
            steps_by_status.entry(tool.statuses[index].id.as_str()).or_default().push(step);
        }
        Comparison { model, workflow, binding, tool, sources, status_index, steps_by_status }
    }

    fn run(&self, findings: &mut Vec<Diagnostic>) {
        findings.extend(self.unknown_statuses());
        findings.extend(self.uncovered_statuses());
        findings.extend(self.approvals());
        let Some(transitions) = &self.tool.transitions else { return };
        let shown = self.model_transitions();
        findings.extend(self.missing_transitions(&shown, transitions));
        findings.extend(self.unmodelled_transitions(&shown, transitions));
        // ServiceNow's state flows are restricted to its own user roles,
        // which the model does not map (it maps assignment groups).
        if self.binding.tool == Tool::Jira {
            findings.extend(transitions.iter().filter_map(|t| self.restriction(t)));
        }
    }

    /// The export file holding the element at `span`, for labels.
    fn file_of(&self, span: Span) -> std::path::Display<'_> {
        self.sources.path(span.file).display()
    }

    /// Each step with a status and the tool status it names.
    fn step_statuses(&self) -> Vec<StepStatus> {
        let with_status = self.workflow.steps.iter().filter_map(|&step| {
            let mapped = self.model.step(step).status.as_ref()?;
            let in_tool = self.status_of(step).map(|s| (s.name.clone(), s.id.clone()));
            Some(StepStatus { step, status: mapped.name.clone(), in_tool })
        });
        with_status.collect()
    }

    /// The names of the tool's statuses no step is in.
    fn uncovered_names(&self) -> Vec<String> {
        let statuses = self.tool.statuses.iter().filter(|s| !self.steps_by_status.contains_key(s.id.as_str()));
        statuses.map(|s| s.name.clone()).collect()
    }

    /// The tool workflow's description in messages.
    fn tool_workflow(&self) -> String {
        format!("{} {} \"{}\"", self.binding.tool.name(), thing(self.binding.tool), self.tool.name)
    }

    /// The tool status a step's `status:` names.
    fn status_of(&self, step: NodeIndex) -> Option<&ToolStatus> {
        self.status_index.get(&step).map(|i| &self.tool.statuses[*i])
    }

    fn status_by_id(&self, id: &str) -> Option<&ToolStatus> {
        self.tool.statuses.iter().find(|s| s.id == id)
    }

    /// The steps (in model order) whose status is the one with `id`.
    fn steps_in(&self, id: &str) -> &[NodeIndex] {
        self.steps_by_status.get(id).map_or(&[], Vec::as_slice)
    }

    /// Where a status is named in the model: its first step's `status:`.
    fn status_span(&self, id: &str) -> Option<Span> {
        let step = *self.steps_in(id).first()?;
        self.model.step(step).status.as_ref().map(|m| m.span)
    }

    /// W0703: a step's status that the tool workflow does not have.
    fn unknown_statuses(&self) -> Vec<Diagnostic> {
        let names: Vec<&str> = self.tool.statuses.iter().map(|s| s.name.as_str()).collect();
        let mut findings = Vec::new();
        for &step in &self.workflow.steps {
            let data = self.model.step(step);
            let Some(mapped) = &data.status else { continue };
            if self.status_of(step).is_some() {
                continue;
            }
            let message = format!(
                "step `{}` is in status \"{}\", which {} does not have",
                data.id,
                mapped.name,
                self.tool_workflow()
            );
            let help = match did_you_mean(&mapped.name, names.iter().copied()) {
                Some(name) => format!("did you mean \"{name}\"?"),
                None => format!("its statuses are {}", quoted(&names)),
            };
            findings.push(
                Diagnostic::new(Code::UnknownToolStatus, mapped.span, message)
                    .with_label(
                        self.tool.span,
                        format!("the {} in {}", thing(self.binding.tool), self.file_of(self.tool.span)),
                    )
                    .with_help(help),
            );
        }
        findings
    }

    /// W0704: a tool status no step of the model is performed in.
    fn uncovered_statuses(&self) -> Vec<Diagnostic> {
        let statuses = self.tool.statuses.iter().filter(|s| !self.steps_by_status.contains_key(s.id.as_str()));
        statuses
            .map(|status| {
                let message = format!(
                    "status \"{}\" (id {}) of {} is the status of no step of workflow `{}`",
                    status.name,
                    status.id,
                    self.tool_workflow(),
                    self.workflow.id
                );
                Diagnostic::new(Code::UncoveredToolStatus, self.binding.span, message)
                    .with_label(status.span, format!("status {} in {}", status.id, self.file_of(status.span)))
                    .with_help(format!(
                        "give the step done in it `status: {}`, or remove the status from the tool",
                        status.name
                    ))
            })
            .collect()
    }

    /// W0709 and W0710: approval steps against the statuses holding
    /// approvals in the tool, where the export says which do.
    fn approvals(&self) -> Vec<Diagnostic> {
        let mut findings = Vec::new();
        for status in &self.tool.statuses {
            let Some(approval) = status.approval else { continue };
            let steps = self.steps_in(&status.id);
            let approving: Vec<NodeIndex> =
                steps.iter().copied().filter(|s| self.model.step(*s).approval.is_some()).collect();
            let label = format!("status {} in {}", status.id, self.file_of(status.span));
            if !approval {
                for step in approving {
                    let data = self.model.step(step);
                    let message = format!(
                        "step `{}` is an approval, but status \"{}\" of {} holds no approval",
                        data.id,
                        status.name,
                        self.tool_workflow()
                    );
                    let at = data.approval.unwrap_or(data.span);
                    findings.push(
                        Diagnostic::new(Code::ApprovalNotInTool, at, message)
                            .with_label(status.span, label.clone())
                            .with_help(format!(
                                "add an approval step to status \"{}\" in the tool, or remove `approval: true`",
                                status.name
                            )),
                    );
                }
            } else if approving.is_empty()
                && let Some(&step) = steps.first()
            {
                let data = self.model.step(step);
                let message = format!(
                    "status \"{}\" of {} holds an approval, but no step of workflow `{}` in it is an approval",
                    status.name,
                    self.tool_workflow(),
                    self.workflow.id
                );
                let at = data.status.as_ref().map_or(data.span, |m| m.span);
                findings.push(
                    Diagnostic::new(Code::UnmodelledToolApproval, at, message)
                        .with_label(status.span, label)
                        .with_help("mark the step where the role decides with `approval: true`, or remove the approval from the tool"),
                );
            }
        }
        findings
    }

    /// The status changes the model's flows show, in model order.
    fn model_transitions(&self) -> Vec<ModelTransition> {
        let mut found = Vec::new();
        for &step in &self.workflow.steps {
            let data = self.model.step(step);
            let from = match self.status_of(step) {
                Some(status) => FromStatus::Status(status.id.clone()),
                None if data.status.is_none() && data.step_type == StepType::Start => FromStatus::Initial,
                None => continue,
            };
            if let (FromStatus::Status(id), StepType::Start) = (&from, data.step_type) {
                let span = data.status.as_ref().map_or(data.span, |m| m.span);
                found.push(ModelTransition { from: FromStatus::Initial, to: id.clone(), span });
            }
            for (_, next, flow) in self.model.flows_from(step) {
                for (to, span) in self.statuses_reached(next, flow.span) {
                    if from != FromStatus::Status(to.clone()) {
                        found.push(ModelTransition { from: from.clone(), to, span });
                    }
                }
            }
        }
        found
    }

    /// The statuses of the first steps with a status reached from `first`
    /// (entered by the flow at `entered`) through steps without one, each
    /// with the flow that enters its step: the flow to change in the model.
    fn statuses_reached(&self, first: NodeIndex, entered: Span) -> Vec<(String, Span)> {
        let (mut reached, mut seen, mut stack) = (Vec::new(), BTreeSet::new(), vec![(first, entered)]);
        while let Some((step, entered)) = stack.pop() {
            if !seen.insert(step) {
                continue;
            }
            match (self.status_of(step), &self.model.step(step).status) {
                (Some(status), _) => reached.push((status.id.clone(), entered)),
                // An unknown status is reported as such; do not look past it.
                (None, Some(_)) => {}
                (None, None) => {
                    let flows = self.model.flows_from(step);
                    stack.extend(flows.into_iter().rev().map(|(_, next, flow)| (next, flow.span)));
                }
            }
        }
        reached
    }

    /// Whether the tool allows the change from `from` to `to`.
    fn tool_allows(transitions: &[ToolTransition], from: &FromStatus, to: &str) -> bool {
        transitions
            .iter()
            .any(|t| t.to == to && (t.from == *from || (t.from == FromStatus::Any && *from != FromStatus::Initial)))
    }

    /// W0705: a status change of the model the tool has no transition for.
    fn missing_transitions(&self, shown: &[ModelTransition], transitions: &[ToolTransition]) -> Vec<Diagnostic> {
        let mut reported = BTreeSet::new();
        let mut findings = Vec::new();
        // A tool without a create transition (ServiceNow's state flows)
        // creates records in their first state, whatever the model shows.
        let creates = transitions.iter().any(|t| t.from == FromStatus::Initial);
        for change in shown.iter().filter(|c| creates || c.from != FromStatus::Initial) {
            if Self::tool_allows(transitions, &change.from, &change.to) || !reported.insert((&change.from, &change.to))
            {
                continue;
            }
            let to = self.status_by_id(&change.to).map_or(change.to.as_str(), |s| s.name.as_str());
            let from = match &change.from {
                FromStatus::Status(id) => {
                    format!("status \"{}\"", self.status_by_id(id).map_or(id.as_str(), |s| s.name.as_str()))
                }
                _ => "creation".to_string(),
            };
            let message =
                format!("the model goes from {from} to \"{to}\", but {} has no such transition", self.tool_workflow());
            let mut diagnostic = Diagnostic::new(Code::MissingToolTransition, change.span, message)
                .with_help("add the transition in the tool, or change the flow in the model");
            if let Some(status) = self.status_by_id(&change.to) {
                diagnostic = diagnostic
                    .with_label(status.span, format!("status {} in {}", status.id, self.file_of(status.span)));
            }
            findings.push(diagnostic);
        }
        findings
    }

    /// W0706: a tool transition between covered statuses the model does not show.
    fn unmodelled_transitions(&self, shown: &[ModelTransition], transitions: &[ToolTransition]) -> Vec<Diagnostic> {
        let pairs: BTreeSet<(&FromStatus, &str)> = shown.iter().map(|c| (&c.from, c.to.as_str())).collect();
        let into: BTreeSet<&str> =
            shown.iter().filter(|c| c.from != FromStatus::Initial).map(|c| c.to.as_str()).collect();
        let mut findings = Vec::new();
        for transition in transitions {
            let to = transition.to.as_str();
            let (is_shown, at) = match &transition.from {
                FromStatus::Any => (into.contains(to), self.status_span(to)),
                from @ FromStatus::Initial => (pairs.contains(&(from, to)), self.status_span(to)),
                from @ FromStatus::Status(id) => {
                    (pairs.contains(&(from, to)), self.status_span(id).filter(|_| self.status_span(to).is_some()))
                }
            };
            // A transition back into its own status (Jira's "comment" or
            // "reassign" loops) changes no status, which is all flows show.
            let is_loop = transition.from == FromStatus::Status(transition.to.clone());
            let (false, false, Some(at)) = (is_shown, is_loop, at) else { continue };
            let Some(target) = self.status_by_id(to) else { continue };
            let kind = match &transition.from {
                FromStatus::Initial => "create transition".to_string(),
                FromStatus::Any => "global transition".to_string(),
                FromStatus::Status(id) => {
                    let from = self.status_by_id(id).map_or(id.as_str(), |s| s.name.as_str());
                    format!("transition from \"{from}\"")
                }
            };
            let message = format!(
                "{} has a {kind} to \"{}\" (\"{}\", id {}) that the model does not show",
                self.tool_workflow(),
                target.name,
                transition.name,
                transition.id
            );
            findings.push(
                Diagnostic::new(Code::UnmodelledToolTransition, at, message)
                    .with_label(
                        transition.span,
                        format!("transition {} in {}", transition.id, self.file_of(transition.span)),
                    )
                    .with_help("add the flow to the model, or remove the transition from the tool"),
            );
        }
        findings
    }

    /// W0707: a transition into a step's status that is open to everyone or
    /// admits groups the status's lane roles are not mapped to. The create
    /// transition is left out: Jira does not restrict it.
    fn restriction(&self, transition: &ToolTransition) -> Option<Diagnostic> {
        if transition.from == FromStatus::Initial {
            return None;
        }
        let steps = self.steps_in(&transition.to);
        let step = self.model.step(*steps.first()?);
        let mut roles: Vec<NodeIndex> = steps.iter().filter_map(|s| self.model.step(*s).lane).collect();
        roles.dedup();
        let tool_roles: Vec<_> = roles.iter().map(|r| &self.model.role(*r).tool).collect();
        if roles.is_empty() || !tool_roles.iter().all(|t| t.is_mapped_in(self.binding.tool)) {
            return None;
        }
        let expected: BTreeSet<Principal> = tool_roles
            .iter()
            .flat_map(|t| {
                let groups = t.jira_groups.iter().map(|g| Principal::Group(g.name.clone()));
                groups.chain(t.jira_project_roles.iter().map(|r| Principal::ProjectRole(r.name.clone())))
            })
            .collect();
        let status = self.status_by_id(&transition.to)?;
        let lane_names: Vec<String> = roles.iter().map(|r| format!("`{}`", self.model.role(*r).id)).collect();
        let head = format!("transition {} (\"{}\") into status \"{}\"", transition.id, transition.name, status.name);
        let message = match &transition.admits {
            None => {
                format!("{head} is open to everyone, but the model has {} do the work there", lane_names.join(", "))
            }
            Some(admitted) => {
                let others: Vec<String> =
                    admitted.iter().filter(|p| !expected.contains(p)).map(Principal::describe).collect();
                if others.is_empty() {
                    return None;
                }
                format!("{head} admits {}, which no lane role of its steps is mapped to", others.join(", "))
            }
        };
        let span = step.status.as_ref().map_or(step.span, |m| m.span);
        Some(
            Diagnostic::new(Code::TransitionRestriction, span, message)
                .with_label(
                    transition.span,
                    format!("transition {} in {}", transition.id, self.file_of(transition.span)),
                )
                .with_help(
                    "restrict the transition to the lane roles' groups or project roles, or map them on the roles",
                ),
        )
    }
}
