//! Building the model graph from loaded documents: ids, references, RACI and
//! flows, each problem reported at the value that causes it.

use std::collections::{BTreeMap, BTreeSet};

use petgraph::stable_graph::NodeIndex;
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::{
    Activity, DataFlow, Edge, Finding, GatewayKind, Kpi, Mapped, Model, Node, Peer, Process, RaciLetter, Role,
    RoleTool, SequenceFlow, Step, StepKind, Tool, ToolBinding, Workflow, flow_rules, links,
};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::model::{self, Located, Next, OneOrMany, StepType, Trigger};
use crate::source::{FileId, Sources, Span};

/// Compiles loaded documents into the model graph and checks every rule.
/// Always returns a model (possibly partial) so later checks and views can run
/// on whatever is valid; the diagnostics say whether it may be published.
/// `sources` holds the files' texts, so that a problem inside a Markdown value
/// can point at its own line.
pub fn compile<'a>(
    files: impl IntoIterator<Item = &'a model::LoadedFile>,
    sources: &Sources,
) -> (Model, Vec<Diagnostic>) {
    let mut compiler = Compiler::new(sources);
    let documents: Vec<(FileId, &model::Document)> =
        files.into_iter().flat_map(|f| f.documents.iter().map(move |d| (f.file, d))).collect();
    // Growing the graph one node at a time copies it over and over; a large
    // model spends a third of its compile time that way.
    let (nodes, edges) = documents.iter().fold((0, 0), |(nodes, edges), (_, doc)| {
        let processes = doc.process.iter().chain(&doc.processes);
        let activities: usize = processes.clone().map(|p| p.activities.len()).sum();
        let steps: usize = doc.workflow.iter().chain(&doc.workflows).map(|w| w.steps.len()).sum();
        let processes = processes.count() + doc.workflow.iter().chain(&doc.workflows).count() + doc.roles.len();
        (nodes + processes + activities + steps, edges + processes * 2 + activities * 6 + steps * 4)
    });
    compiler.model.graph.reserve_nodes(nodes);
    compiler.model.graph.reserve_edges(edges);

    for (file, doc) in &documents {
        for role in &doc.roles {
            compiler.add_role(*file, role);
        }
    }
    let mut processes = Vec::new();
    let mut workflows = Vec::new();
    for (file, doc) in &documents {
        for process in doc.process.iter().chain(&doc.processes) {
            if let Some(index) = compiler.register_process(*file, process) {
                processes.push((*file, index, process));
            }
        }
        for workflow in doc.workflow.iter().chain(&doc.workflows) {
            if let Some(index) = compiler.register_workflow(*file, workflow) {
                workflows.push((*file, index, workflow));
            }
        }
    }
    for (file, index, process) in &processes {
        compiler.fill_process(*file, *index, process);
    }
    for (_, index, process) in &processes {
        compiler.add_data_flows(*index, process);
    }
    for (file, index, workflow) in &workflows {
        compiler.fill_workflow(*file, *index, workflow);
    }
    compiler.check_alignment();
    compiler.check_unused_roles();
    // Workflows are checked independently: in parallel, collected in order.
    let model = &compiler.model;
    let broken = &compiler.broken_flows;
    let flow_diagnostics: Vec<Vec<Diagnostic>> = model
        .workflows
        .par_iter()
        .map(|&index| {
            let mut found = Vec::new();
            flow_rules::check(model, index, broken.contains(&index), &mut found);
            found
        })
        .collect();
    compiler.diagnostics.extend(flow_diagnostics.into_iter().flatten());
    super::label_rules::check(&compiler.model, &mut compiler.diagnostics);
    super::document::check(&compiler.model, &model::today().0, &mut compiler.diagnostics);
    (compiler.model, compiler.diagnostics)
}

struct Compiler<'s> {
    sources: &'s Sources,
    model: Model,
    diagnostics: Vec<Diagnostic>,
    /// Activities by `process-id/activity-id`, the form `realizes` uses.
    activities: rustc_hash::FxHashMap<String, NodeIndex>,
    /// Every `realizes` entry, for the RACI alignment check.
    realizations: Vec<(NodeIndex, NodeIndex, Span)>,
    /// Workflows with a duplicated step id or a flow to an unknown step:
    /// their flow graph is incomplete, so the flow rules would only report
    /// the consequences of that one error again.
    broken_flows: rustc_hash::FxHashSet<NodeIndex>,
    used_roles: BTreeSet<NodeIndex>,
    /// Data flows already in the graph, so an output and the matching input
    /// become one edge.
    data_flow_keys: BTreeSet<(NodeIndex, NodeIndex, String)>,
    /// Where each registered role, process and workflow was defined.
    defined_at: BTreeMap<NodeIndex, Span>,
}

/// Whether `id` is a valid identifier: `^[a-z0-9][a-z0-9_-]{0,63}$`.
pub fn is_valid_id(id: &str) -> bool {
    let mut chars = id.chars();
    let Some(first) = chars.next() else { return false };
    id.len() <= 64
        && (first.is_ascii_lowercase() || first.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_')
}

/// A valid id close to a malformed one, to show in the help line.
fn suggest_id(id: &str) -> String {
    let mut out = String::new();
    for c in id.trim().chars() {
        match c {
            'a'..='z' | '0'..='9' | '_' | '-' => out.push(c),
            'A'..='Z' => out.push(c.to_ascii_lowercase()),
            _ if !out.ends_with('-') && !out.is_empty() => out.push('-'),
            _ => {}
        }
    }
    let out: String = out.trim_matches('-').trim_start_matches('_').chars().take(64).collect();
    out.trim_end_matches('-').to_string()
}

impl<'s> Compiler<'s> {
    fn new(sources: &'s Sources) -> Self {
        Compiler {
            sources,
            model: Model::default(),
            diagnostics: Vec::new(),
            activities: Default::default(),
            realizations: Vec::new(),
            broken_flows: Default::default(),
            used_roles: BTreeSet::new(),
            data_flow_keys: BTreeSet::new(),
            defined_at: BTreeMap::new(),
        }
    }

    fn push(&mut self, diagnostic: Diagnostic) {
        self.diagnostics.push(diagnostic);
    }

    /// The text of a Markdown value, after warning about the links in it that
    /// the site will not follow; `what` names the value in the warning.
    fn markdown(
        &mut self,
        file: FileId,
        value: &Option<Located<String>>,
        what: impl FnOnce() -> String,
    ) -> Option<String> {
        let value = value.as_ref()?;
        // Every refused address has a scheme, so a text without a colon has
        // none; most texts are skipped without parsing them.
        if value.value.contains(':') {
            let text = &self.sources.get(file).text;
            self.diagnostics.extend(links::check(file, text, value, &what()));
        }
        Some(value.value.clone())
    }

    fn check_id(&mut self, file: FileId, id: &Located<String>, kind: &str) {
        if !is_valid_id(&id.value) {
            let suggestion = suggest_id(&id.value);
            let problem = if id.value.len() > 64 { "is longer than 64 characters" } else { "is not a valid id" };
            let mut d =
                Diagnostic::new(Code::MalformedId, id.span(file), format!("{kind} id `{}` {problem}", id.value));
            d.help = Some(if suggestion.is_empty() {
                "ids use lower-case letters, digits, `-` and `_`, start with a letter or digit and have at most 64 characters".to_string()
            } else {
                format!("ids use lower-case letters, digits, `-` and `_` (at most 64); try `{suggestion}`")
            });
            self.push(d);
        }
    }

    fn duplicate(&mut self, kind: &str, id: &str, span: Span, first: Span) {
        self.push(
            Diagnostic::new(Code::DuplicateId, span, format!("{kind} `{id}` is defined twice"))
                .with_label(first, "first defined here")
                .with_help(format!("rename one of them; {kind} ids must be unique")),
        );
    }

    fn add_role(&mut self, file: FileId, role: &model::Role) {
        self.check_id(file, &role.id, "role");
        let span = role.id.span(file);
        if let Some(existing) = self.model.role_ids.get(&role.id.value) {
            let first = self.defined_at[existing];
            self.duplicate("role", &role.id.value, span, first);
            return;
        }
        let description =
            self.markdown(file, &role.description, || format!("the description of role `{}`", role.id.value));
        let index = self.model.graph.add_node(Node::Role(Role {
            id: role.id.value.clone(),
            name: role.name.clone().unwrap_or_else(|| role.id.value.clone()),
            description,
            group: role.group.clone(),
            tool: role_tool(file, role.tool.as_ref()),
            span,
        }));
        self.model.role_ids.insert(role.id.value.clone(), index);
        self.model.roles.push(index);
        self.defined_at.insert(index, span);
    }

    fn register_process(&mut self, file: FileId, process: &model::Process) -> Option<NodeIndex> {
        self.check_id(file, &process.id, "process");
        let span = process.id.span(file);
        if let Some(existing) = self.model.process_ids.get(&process.id.value) {
            let first = self.defined_at[existing];
            self.duplicate("process", &process.id.value, span, first);
            return None;
        }
        let purpose =
            self.markdown(file, &process.purpose, || format!("the purpose of process `{}`", process.id.value));
        let scope = self.markdown(file, &process.scope, || format!("the scope of process `{}`", process.id.value));
        let index = self.model.graph.add_node(Node::Process(Process {
            id: process.id.value.clone(),
            name: process.name.value.clone(),
            owner: None,
            purpose,
            objectives: process.objectives.clone(),
            scope,
            drivers: process.drivers.clone(),
            principles: process.principles.clone(),
            critical_success_factors: process.critical_success_factors.clone(),
            triggers: process.triggers.clone(),
            inputs: Vec::new(),
            outputs: Vec::new(),
            kpis: Vec::new(),
            findings: Vec::new(),
            activities: Vec::new(),
            document: None,
            span,
        }));
        self.model.process_ids.insert(process.id.value.clone(), index);
        self.model.processes.push(index);
        self.defined_at.insert(index, span);
        Some(index)
    }

    fn register_workflow(&mut self, file: FileId, workflow: &model::Workflow) -> Option<NodeIndex> {
        self.check_id(file, &workflow.id, "workflow");
        let span = workflow.id.span(file);
        if let Some(existing) = self.model.workflow_ids.get(&workflow.id.value) {
            let first = self.defined_at[existing];
            self.duplicate("workflow", &workflow.id.value, span, first);
            return None;
        }
        let description = self
            .markdown(file, &workflow.description, || format!("the description of workflow `{}`", workflow.id.value));
        let index = self.model.graph.add_node(Node::Workflow(Workflow {
            id: workflow.id.value.clone(),
            name: workflow.name.clone().unwrap_or_else(|| workflow.id.value.clone()),
            description,
            lanes: Vec::new(),
            steps: Vec::new(),
            tool: workflow.tool.as_ref().map(|tool| tool_binding(file, tool)),
            document: None,
            span,
        }));
        self.model.workflow_ids.insert(workflow.id.value.clone(), index);
        self.model.workflows.push(index);
        self.defined_at.insert(index, span);
        Some(index)
    }

    /// A `document:` block with its approver resolved.
    fn document_control(&mut self, file: FileId, document: &model::DocumentControl) -> super::DocumentControl {
        super::document::compile(file, document, |role| self.resolve_role(file, role, "approver"))
    }

    /// Resolves a role reference, reporting an unknown role with a suggestion.
    fn resolve_role(&mut self, file: FileId, id: &Located<String>, what: &str) -> Option<NodeIndex> {
        if let Some(index) = self.model.role_by_id(&id.value) {
            self.used_roles.insert(index);
            return Some(index);
        }
        let mut d = Diagnostic::new(Code::UnknownRole, id.span(file), format!("{what} `{}` is no role", id.value));
        d.help = Some(match did_you_mean(&id.value, self.model.role_ids.keys().map(String::as_str)) {
            Some(close) => format!("did you mean `{close}`?"),
            None => format!("add a role with `id: {}` under `roles:`", id.value),
        });
        self.push(d);
        None
    }

    fn resolve_process(&mut self, file: FileId, id: &Located<String>, what: &str) -> Option<NodeIndex> {
        if let Some(index) = self.model.process_by_id(&id.value) {
            return Some(index);
        }
        let mut d =
            Diagnostic::new(Code::UnknownProcess, id.span(file), format!("{what} `{}` is no process", id.value));
        if let Some(close) = did_you_mean(&id.value, self.model.process_ids.keys().map(String::as_str)) {
            d.help = Some(format!("did you mean `{close}`?"));
        }
        self.push(d);
        None
    }

    fn findings(&mut self, file: FileId, findings: &[model::Finding]) -> Vec<Finding> {
        findings
            .iter()
            .map(|f| Finding {
                text: f.text.value.clone(),
                status: f.status,
                owner: f.owner.as_ref().and_then(|o| self.resolve_role(file, o, "finding owner")),
                span: f.text.span(file),
            })
            .collect()
    }

    fn fill_process(&mut self, file: FileId, index: NodeIndex, process: &model::Process) {
        let owner = match &process.owner {
            Some(owner) => self.resolve_role(file, owner, "process owner"),
            None => {
                self.push(
                    Diagnostic::new(
                        Code::NoOwner,
                        process.id.span(file),
                        format!("process `{}` has no owner", process.id.value),
                    )
                    .with_help("add `owner:` with the id of the role that owns the process"),
                );
                None
            }
        };
        if let Some(owner) = owner {
            self.model.graph.add_edge(owner, index, Edge::Owns);
        }
        let mut kpi_spans: BTreeMap<&str, Span> = BTreeMap::new();
        let mut kpis = Vec::new();
        for kpi in &process.kpis {
            self.check_id(file, &kpi.id, "KPI");
            if let Some(first) = kpi_spans.get(kpi.id.value.as_str()) {
                let first = *first;
                self.duplicate("KPI", &kpi.id.value, kpi.id.span(file), first);
                continue;
            }
            kpi_spans.insert(&kpi.id.value, kpi.id.span(file));
            kpis.push(Kpi {
                id: kpi.id.value.clone(),
                name: kpi.name.clone().unwrap_or_else(|| kpi.id.value.clone()),
                description: self.markdown(file, &kpi.description, || {
                    format!("the description of KPI `{}` of process `{}`", kpi.id.value, process.id.value)
                }),
                target: kpi.target.clone(),
                frequency: kpi.frequency.clone(),
            });
        }
        let findings = self.findings(file, &process.findings);
        let mut activities = Vec::new();
        let mut activity_spans: BTreeMap<&str, Span> = BTreeMap::new();
        for activity in &process.activities {
            self.check_id(file, &activity.id, "activity");
            let span = activity.id.span(file);
            if let Some(first) = activity_spans.get(activity.id.value.as_str()) {
                let first = *first;
                self.duplicate("activity", &activity.id.value, span, first);
                continue;
            }
            activity_spans.insert(&activity.id.value, span);
            let findings = self.findings(file, &activity.findings);
            let description = self.markdown(file, &activity.description, || {
                format!("the description of activity `{}/{}`", process.id.value, activity.id.value)
            });
            let node = self.model.graph.add_node(Node::Activity(Activity {
                id: activity.id.value.clone(),
                process: index,
                name: activity.name.clone().unwrap_or_else(|| activity.id.value.clone()),
                description,
                findings,
                span,
            }));
            self.model.graph.add_edge(index, node, Edge::Contains);
            self.activities.insert(format!("{}/{}", process.id.value, activity.id.value), node);
            activities.push(node);
            self.add_raci(file, node, activity);
        }
        let document = process.document.as_ref().map(|d| Box::new(self.document_control(file, d)));
        if let Node::Process(p) = &mut self.model.graph[index] {
            p.document = document;
            p.owner = owner;
            p.kpis = kpis;
            p.findings = findings;
            p.activities = activities;
        }
    }

    fn add_raci(&mut self, file: FileId, node: NodeIndex, activity: &model::Activity) {
        let raci = activity.raci.as_ref();
        let empty = model::Raci::default();
        let letters = raci.map_or(&empty, |r| &r.value);
        let mut holders = |letter: RaciLetter, entry: &Option<Located<OneOrMany<String>>>| {
            let items = entry.as_ref().map(OneOrMany::items).unwrap_or_default();
            let mut seen = BTreeSet::new();
            for item in &items {
                if let Some(role) = self.resolve_role(file, item, &format!("{} role", letter.word()))
                    && seen.insert(role)
                {
                    self.model.graph.add_edge(role, node, Edge::Raci(letter));
                }
            }
            items
        };
        let responsible = holders(RaciLetter::R, &letters.responsible);
        let accountable = holders(RaciLetter::A, &letters.accountable);
        holders(RaciLetter::C, &letters.consulted);
        holders(RaciLetter::I, &letters.informed);
        let id = &activity.id.value;
        match accountable.len() {
            1 => {}
            0 => self.push(
                Diagnostic::new(
                    Code::AccountableCount,
                    letters.accountable.as_ref().map_or(activity.id.span(file), |a| a.span(file)),
                    format!("activity `{id}` has no Accountable role"),
                )
                .with_help("add `A: <role id>` to its `raci:`; exactly one role answers for an activity"),
            ),
            n => self.push(
                Diagnostic::new(
                    Code::AccountableCount,
                    accountable[1].span(file),
                    format!("activity `{id}` has {n} Accountable roles"),
                )
                .with_label(accountable[0].span(file), "first Accountable role")
                .with_help("keep exactly one role under `A`; the others may be Responsible or Consulted"),
            ),
        }
        if responsible.is_empty() {
            self.push(
                Diagnostic::new(
                    Code::NoResponsible,
                    letters.responsible.as_ref().map_or(activity.id.span(file), |r| r.span(file)),
                    format!("activity `{id}` has no Responsible role"),
                )
                .with_help("add `R: <role id>` (or a list) to its `raci:`"),
            );
        }
    }

    /// Data flows between processes; an output's `to` and an input's `from`
    /// describing the same flow become one edge.
    fn add_data_flows(&mut self, index: NodeIndex, process: &model::Process) {
        let peer = |this: &mut Self, name: &Located<String>, other: &Option<Located<String>>, outgoing: bool| {
            let peer = match other {
                None => Peer::Unspecified,
                Some(other) => match this.model.process_by_id(&other.value) {
                    Some(p) => Peer::Process(p),
                    None => Peer::External(other.value.clone()),
                },
            };
            if let Peer::Process(p) = peer {
                let (from, to) = if outgoing { (index, p) } else { (p, index) };
                if this.data_flow_keys.insert((from, to, name.value.clone())) {
                    this.model.graph.add_edge(from, to, Edge::DataFlow { name: name.value.clone() });
                }
            }
            DataFlow { name: name.value.clone(), peer }
        };
        let inputs: Vec<_> = process.inputs.iter().map(|i| peer(self, &i.name, &i.from, false)).collect();
        let outputs: Vec<_> = process.outputs.iter().map(|o| peer(self, &o.name, &o.to, true)).collect();
        if let Node::Process(p) = &mut self.model.graph[index] {
            p.inputs = inputs;
            p.outputs = outputs;
        }
    }

    fn fill_workflow(&mut self, file: FileId, index: NodeIndex, workflow: &model::Workflow) {
        let mut lanes = Vec::new();
        for lane in &workflow.lanes {
            if let Some(role) = self.resolve_role(file, lane, "lane")
                && !lanes.contains(&role)
            {
                lanes.push(role);
            }
        }
        let mut implements = Vec::new();
        for process in &workflow.implements {
            if let Some(p) = self.resolve_process(file, process, "implemented process") {
                implements.push(p);
            }
        }

        // Steps: ids, lanes, types.
        let mut step_ids: BTreeMap<&str, (NodeIndex, Span)> = BTreeMap::new();
        let mut steps = Vec::new();
        let mut current_lane: Option<NodeIndex> = None;
        let mut lane_known = false;
        for (position, step) in workflow.steps.iter().enumerate() {
            self.check_id(file, &step.id, "step");
            let span = step.id.span(file);
            if let Some((_, first)) = step_ids.get(step.id.value.as_str()) {
                let first = *first;
                self.duplicate("step", &step.id.value, span, first);
                self.broken_flows.insert(index);
                continue;
            }
            match &step.lane {
                Some(lane) => {
                    current_lane = self.resolve_role(file, lane, "lane");
                    lane_known = true;
                }
                None if position == 0 => self.push(
                    Diagnostic::new(
                        Code::MissingLane,
                        span,
                        format!(
                            "step `{}` is the first of workflow `{}` and has no lane",
                            step.id.value, workflow.id.value
                        ),
                    )
                    .with_help("add `lane: <role id>`; later steps inherit the lane of the step before them"),
                ),
                None => {}
            }
            let lane = if lane_known { current_lane } else { None };
            if let Some(role) = lane
                && !lanes.contains(&role)
            {
                lanes.push(role);
            }
            let step_type = step.step_type.as_ref().map_or(StepType::Task, |t| t.value);
            let (kind, trigger) = self.check_step_shape(file, step, step_type);
            let duration = self.check_duration(file, step, step_type, trigger);
            let approval = self.check_approval(file, step, step_type);
            let findings = self.findings(file, &step.findings);
            let instructions = self.markdown(file, &step.instructions, || {
                format!("the instructions of step `{}` of workflow `{}`", step.id.value, workflow.id.value)
            });
            let description = self.markdown(file, &step.description, || {
                format!("the description of step `{}` of workflow `{}`", step.id.value, workflow.id.value)
            });
            let node = self.model.graph.add_node(Node::Step(Step {
                id: step.id.value.clone(),
                workflow: index,
                step_type,
                trigger,
                kind,
                duration,
                name: step.name.clone().unwrap_or_else(|| step.id.value.clone()),
                lane,
                instructions,
                description,
                inputs: step.inputs.clone(),
                outputs: step.outputs.clone(),
                findings,
                status: step.status.as_ref().map(|status| mapped(file, status)),
                approval,
                span,
            }));
            self.model.graph.add_edge(index, node, Edge::Contains);
            if let Some(role) = lane {
                self.model.graph.add_edge(node, role, Edge::PerformedBy);
            }
            step_ids.insert(&step.id.value, (node, span));
            steps.push((node, step));

            for reference in &step.realizes {
                if let Some(activity) = self.resolve_activity(file, reference) {
                    self.model.graph.add_edge(node, activity, Edge::Realizes);
                    self.realizations.push((node, activity, reference.span(file)));
                    let process = self.model.activity(activity).process;
                    if !implements.contains(&process) {
                        implements.push(process);
                    }
                }
            }
            if let Some(calls) = &step.calls {
                if step_type != StepType::Subprocess {
                    self.push(
                        Diagnostic::new(
                            Code::CallsOnNonSubprocess,
                            calls.span(file),
                            format!("step `{}` has `calls` but is not a subprocess", step.id.value),
                        )
                        .with_help("add `type: subprocess` to the step, or remove `calls`"),
                    );
                } else if let Some(target) = self.model.workflow_by_id(&calls.value) {
                    self.model.graph.add_edge(node, target, Edge::Calls);
                } else {
                    let mut d = Diagnostic::new(
                        Code::UnknownWorkflow,
                        calls.span(file),
                        format!("step `{}` calls `{}`, which is no workflow", step.id.value, calls.value),
                    );
                    let others = self.model.workflow_ids.keys().map(String::as_str).filter(|w| *w != workflow.id.value);
                    if let Some(close) = did_you_mean(&calls.value, others) {
                        d.help = Some(format!("did you mean `{close}`?"));
                    }
                    self.push(d);
                }
            }
        }

        // Sequence flows, once every step id is known.
        for (position, (node, step)) in steps.iter().enumerate() {
            let step_type = step.step_type.as_ref().map_or(StepType::Task, |t| t.value);
            match &step.next {
                Some(next) => {
                    let flows = Next::flows(next);
                    let mut defaults = Vec::new();
                    for flow in &flows {
                        let Some((target, _)) = step_ids.get(flow.to.value.as_str()).copied() else {
                            let mut d = Diagnostic::new(
                                Code::UnknownStep,
                                flow.to.span(file),
                                format!("`{}` is no step of workflow `{}`", flow.to.value, workflow.id.value),
                            );
                            if let Some(close) = did_you_mean(&flow.to.value, step_ids.keys().copied()) {
                                d.help = Some(format!("did you mean `{close}`?"));
                            }
                            self.push(d);
                            self.broken_flows.insert(index);
                            continue;
                        };
                        let default = flow.default.as_ref().is_some_and(|d| d.value);
                        if default {
                            defaults.push(flow.default.as_ref().map_or(flow.to.span(file), |d| d.span(file)));
                        }
                        self.model.graph.add_edge(
                            *node,
                            target,
                            Edge::Sequence(SequenceFlow {
                                label: flow.label.as_ref().map(|l| l.value.clone()),
                                default,
                                explicit: true,
                                span: flow.to.span(file),
                            }),
                        );
                    }
                    if defaults.len() > 1 {
                        self.push(
                            Diagnostic::new(
                                Code::SeveralDefaults,
                                defaults[1],
                                format!("step `{}` has {} default flows", step.id.value, defaults.len()),
                            )
                            .with_label(defaults[0], "first default flow")
                            .with_help("keep `default: true` on one flow only"),
                        );
                    }
                }
                None if step_type != StepType::End => {
                    if let Some((following, _)) = steps.get(position + 1) {
                        self.model.graph.add_edge(
                            *node,
                            *following,
                            Edge::Sequence(SequenceFlow {
                                label: None,
                                default: false,
                                explicit: false,
                                span: step.id.span(file),
                            }),
                        );
                    }
                }
                None => {}
            }
        }

        for process in &implements {
            self.model.graph.add_edge(index, *process, Edge::Implements);
        }
        let document = workflow.document.as_ref().map(|d| Box::new(self.document_control(file, d)));
        if let Node::Workflow(w) = &mut self.model.graph[index] {
            w.document = document;
            w.lanes = lanes;
            w.steps = steps.iter().map(|(n, _)| *n).collect();
        }
    }

    /// Checks that `kind`, `trigger` and `next` fit the step's type and returns the
    /// resolved kind and trigger.
    fn check_step_shape(&mut self, file: FileId, step: &model::Step, step_type: StepType) -> (StepKind, Trigger) {
        let id = &step.id.value;
        let type_name = type_name(step_type);
        let misfit = |this: &mut Self, span: Span, message: String, help: &str| {
            this.push(Diagnostic::new(Code::InvalidForStepType, span, message).with_help(help.to_string()));
        };
        let kind = match (step_type, &step.kind) {
            (StepType::Task, None) => StepKind::Task(model::StepKind::None),
            (StepType::Gateway, None) => StepKind::Gateway(GatewayKind::Exclusive),
            (StepType::Task, Some(kind)) if !kind.value.is_gateway_kind() => StepKind::Task(kind.value),
            (StepType::Gateway, Some(kind)) if kind.value.is_gateway_kind() => StepKind::Gateway(match kind.value {
                model::StepKind::Parallel => GatewayKind::Parallel,
                model::StepKind::Inclusive => GatewayKind::Inclusive,
                model::StepKind::EventBased => GatewayKind::EventBased,
                _ => GatewayKind::Exclusive,
            }),
            (StepType::Task, Some(kind)) => {
                misfit(
                    self,
                    kind.span(file),
                    format!("step `{id}` is a task but has a gateway kind"),
                    "tasks take none, user, manual, service, send, receive, script or business-rule; add `type: gateway` if the step is a gateway",
                );
                StepKind::Task(model::StepKind::None)
            }
            (StepType::Gateway, Some(kind)) => {
                misfit(
                    self,
                    kind.span(file),
                    format!("step `{id}` is a gateway but has a task kind"),
                    "gateways take exclusive, parallel, inclusive or event-based",
                );
                StepKind::Gateway(GatewayKind::Exclusive)
            }
            (_, Some(kind)) => {
                misfit(
                    self,
                    kind.span(file),
                    format!("step `{id}` is {type_name} and cannot have a kind"),
                    "`kind` applies to tasks and gateways only; remove it",
                );
                StepKind::NotApplicable
            }
            (_, None) => StepKind::NotApplicable,
        };
        let is_event = matches!(step_type, StepType::Start | StepType::End | StepType::Event);
        let trigger = match &step.trigger {
            None => Trigger::None,
            Some(t) if !is_event => {
                misfit(
                    self,
                    t.span(file),
                    format!("step `{id}` is {type_name} and cannot have a trigger"),
                    "`trigger` applies to start, end and intermediate events; remove it or change the step's type",
                );
                Trigger::None
            }
            Some(t) if t.value == Trigger::Terminate && step_type != StepType::End => {
                misfit(
                    self,
                    t.span(file),
                    format!("step `{id}` is {type_name}; only end events can terminate"),
                    "use `type: end` or another trigger",
                );
                Trigger::None
            }
            Some(t) => t.value,
        };
        if step_type == StepType::End
            && let Some(next) = &step.next
        {
            misfit(
                self,
                next.span(file),
                format!("end event `{id}` has a `next`"),
                "an end event ends the flow; remove `next`, or make the step an intermediate `event`",
            );
        }
        (kind, trigger)
    }

    /// A `duration` is how long an intermediate timer event waits; anywhere
    /// else it is an error (E0305), and the step has none.
    fn check_duration(
        &mut self,
        file: FileId,
        step: &model::Step,
        step_type: StepType,
        trigger: Trigger,
    ) -> Option<String> {
        let duration = step.duration.as_ref()?;
        let id = &step.id.value;
        let (message, help) = match (step_type, trigger) {
            (StepType::Event, Trigger::Timer) => return Some(duration.value.0.clone()),
            (StepType::Event, _) => (
                format!("event `{id}` has a `duration` but no timer trigger"),
                "add `trigger: timer`, or remove `duration`",
            ),
            _ => (
                format!("step `{id}` is {}; only intermediate timer events take a `duration`", type_name(step_type)),
                "use `type: event` with `trigger: timer` for a wait, or remove `duration`",
            ),
        };
        self.push(Diagnostic::new(Code::InvalidForStepType, duration.span(file), message).with_help(help));
        None
    }

    /// `approval: true` marks a task as an approval; on another step type
    /// it is an error (E0305), and the step is none.
    fn check_approval(&mut self, file: FileId, step: &model::Step, step_type: StepType) -> Option<Span> {
        let approval = step.approval.as_ref().filter(|a| a.value)?;
        if step_type == StepType::Task {
            return Some(approval.span(file));
        }
        let message = format!("step `{}` is {}; only tasks are approvals", step.id.value, type_name(step_type));
        let help = "put `approval: true` on the task where the role decides, or remove it";
        self.push(Diagnostic::new(Code::InvalidForStepType, approval.span(file), message).with_help(help));
        None
    }

    fn resolve_activity(&mut self, file: FileId, reference: &Located<String>) -> Option<NodeIndex> {
        let span = reference.span(file);
        let Some((process_id, activity_id)) = reference.value.split_once('/') else {
            self.push(
                Diagnostic::new(
                    Code::UnknownActivity,
                    span,
                    format!("`{}` is not an activity reference", reference.value),
                )
                .with_help("write activities as `process-id/activity-id`"),
            );
            return None;
        };
        if let Some(activity) = self.activities.get(&reference.value) {
            return Some(*activity);
        }
        let mut d = Diagnostic::new(Code::UnknownActivity, span, String::new());
        match self.model.process_by_id(process_id) {
            None => {
                d.message = format!("`{}` names process `{process_id}`, which does not exist", reference.value);
                if let Some(close) = did_you_mean(process_id, self.model.process_ids.keys().map(String::as_str)) {
                    d.help = Some(format!("did you mean `{close}/{activity_id}`?"));
                }
            }
            Some(process) => {
                d.message = format!("process `{process_id}` has no activity `{activity_id}`");
                let candidates: Vec<&str> = self
                    .model
                    .process(process)
                    .activities
                    .iter()
                    .map(|a| self.model.activity(*a).id.as_str())
                    .collect();
                d.help = Some(match did_you_mean(activity_id, candidates.iter().copied()) {
                    Some(close) => format!("did you mean `{process_id}/{close}`?"),
                    None => format!("its activities are: {}", candidates.join(", ")),
                });
            }
        }
        self.push(d);
        None
    }

    /// The workflow must ensure each activity is performed, by the right role.
    fn check_alignment(&mut self) {
        for process in self.model.processes.clone() {
            for activity in self.model.process(process).activities.clone() {
                if self.model.realizing_steps(activity).is_empty() {
                    let a = self.model.activity(activity);
                    let p = self.model.process(process);
                    self.diagnostics.push(
                        Diagnostic::new(
                            Code::ActivityNotRealized,
                            a.span,
                            format!("activity `{}/{}` is realized by no workflow step", p.id, a.id),
                        )
                        .with_help(format!(
                            "add `realizes: [{}/{}]` to the step that performs it, so a workflow ensures it is done",
                            p.id, a.id
                        )),
                    );
                }
            }
        }
        // One check per `realizes` entry, independent of the others: in
        // parallel, collected in order.
        let model = &self.model;
        // An activity's RACI once, not once per step realizing it (a big
        // workflow has thousands of steps realizing the same activity).
        let mut racis: FxHashMap<NodeIndex, Vec<(RaciLetter, NodeIndex)>> = FxHashMap::default();
        for &(_, activity, _) in &self.realizations {
            racis.entry(activity).or_insert_with(|| model.raci(activity));
        }
        let mismatches: Vec<Diagnostic> = self
            .realizations
            .par_iter()
            .filter_map(|&(step, activity, span)| {
                let lane = model.step(step).lane?;
                let raci = racis.get(&activity)?;
                let performs =
                    raci.iter().any(|(letter, role)| *role == lane && matches!(letter, RaciLetter::R | RaciLetter::A));
                if performs {
                    return None;
                }
                let s = model.step(step);
                let a = model.activity(activity);
                let role = &model.role(lane).id;
                let responsible: Vec<&str> =
                    raci.iter().filter(|(l, _)| *l == RaciLetter::R).map(|(_, r)| model.role(*r).id.as_str()).collect();
                Some(
                    Diagnostic::new(
                        Code::RaciMismatch,
                        span,
                        format!(
                            "step `{}` realizes `{}/{}` in lane `{role}`, which is neither Responsible nor Accountable for it",
                            s.id,
                            model.process(a.process).id,
                            a.id
                        ),
                    )
                    .with_help(format!(
                        "move the step to the lane of a Responsible role ({}), or add `{role}` to the activity's `R`",
                        if responsible.is_empty() { "none is set".to_string() } else { responsible.join(", ") }
                    )),
                )
            })
            .collect();
        for diagnostic in mismatches {
            self.push(diagnostic);
        }
    }

    fn check_unused_roles(&mut self) {
        for role in self.model.roles.clone() {
            if !self.used_roles.contains(&role) {
                let r = self.model.role(role);
                self.diagnostics.push(
                    Diagnostic::new(Code::UnusedRole, r.span, format!("role `{}` is not used", r.id))
                        .with_help("use it as a lane, in a RACI assignment or as an owner, or remove it"),
                );
            }
        }
    }
}

fn type_name(step_type: StepType) -> &'static str {
    match step_type {
        StepType::Start => "a start event",
        StepType::End => "an end event",
        StepType::Event => "an intermediate event",
        StepType::Task => "a task",
        StepType::Gateway => "a gateway",
        StepType::Subprocess => "a subprocess",
    }
}

/// A name written in the model for something in a tool, with its place.
fn mapped(file: FileId, value: &Located<String>) -> Mapped {
    Mapped { name: value.value.clone(), span: value.span(file) }
}

/// A role's `tool:` entry as the compiled model keeps it.
fn role_tool(file: FileId, tool: Option<&Located<model::RoleTool>>) -> RoleTool {
    let Some(tool) = tool else { return RoleTool::default() };
    let all = |values: &[Located<String>]| values.iter().map(|v| mapped(file, v)).collect::<Vec<_>>();
    let jira = tool.value.jira.as_ref();
    RoleTool {
        jira_groups: jira.map(|j| all(&j.groups)).unwrap_or_default(),
        jira_project_roles: jira.map(|j| all(&j.project_roles)).unwrap_or_default(),
        servicenow_groups: tool.value.servicenow.as_ref().map(|s| all(&s.assignment_groups)).unwrap_or_default(),
    }
}

/// A workflow's `tool:` entry as the compiled model keeps it.
fn tool_binding(file: FileId, tool: &Located<model::WorkflowTool>) -> ToolBinding {
    let (kind, name) = match &tool.value {
        model::WorkflowTool::Jira(name) => (Tool::Jira, name),
        model::WorkflowTool::Servicenow(name) => (Tool::ServiceNow, name),
    };
    ToolBinding { tool: kind, name: name.clone(), span: tool.span(file) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_the_pattern() {
        assert!(is_valid_id("incident-management"));
        assert!(is_valid_id("a_1"));
        assert!(is_valid_id(&"a".repeat(64)));
        assert!(!is_valid_id(&"a".repeat(65)));
        assert!(!is_valid_id("Incident"));
        assert!(!is_valid_id("-x"));
        assert!(!is_valid_id("a.b"));
        assert!(!is_valid_id(""));
    }

    #[test]
    fn suggested_ids_are_valid() {
        assert_eq!(suggest_id("Service Desk Agent"), "service-desk-agent");
        assert_eq!(suggest_id("a.b/c"), "a-b-c");
        assert!(is_valid_id(&suggest_id("Level 2 (Network)")));
    }

    proptest::proptest! {
        /// The JSON Schema's id pattern says what this function says, so an
        /// editor flags exactly the ids `check` reports as E0201.
        #[test]
        fn the_schema_id_pattern_agrees(id in "[a-zA-Z0-9_. /-]{0,3}|[a-z0-9_-]{60,70}|[a-z][a-zA-Z0-9 ._-]{0,12}") {
            let schema = crate::schema::pattern_accepts(crate::schema::ID_PATTERN, &id);
            proptest::prop_assert_eq!(schema, is_valid_id(&id), "{}", id);
        }
    }
}
