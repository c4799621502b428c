//! Structural checks on a workflow's sequence flows: start and end events,
//! reachability, gateway labelling. They are warnings: the diagram can still be
//! drawn, but a reader would be misled by it.

use std::collections::{BTreeSet, VecDeque};

use petgraph::stable_graph::NodeIndex;

use super::{GatewayKind, Model, StepKind};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::StepType;

/// Runs every flow rule on one workflow. Where its flows are `broken` (a
/// duplicated step id or a flow to an unknown step, already an error), the
/// rules that follow flows — reachability and pass-through gateways — are
/// skipped: they would report that one cause again at every step it cut off.
pub fn check(model: &Model, workflow: NodeIndex, broken: bool, diagnostics: &mut Vec<Diagnostic>) {
    let w = model.workflow(workflow);
    if w.steps.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::NoStartEvent, w.span, format!("workflow `{}` has no steps", w.id))
                .with_help("add `steps:` beginning with a `type: start` event"),
        );
        return;
    }
    let of_type =
        |t: StepType| -> Vec<NodeIndex> { w.steps.iter().copied().filter(|s| model.step(*s).step_type == t).collect() };
    let starts = of_type(StepType::Start);
    let ends = of_type(StepType::End);
    if starts.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::NoStartEvent, w.span, format!("workflow `{}` has no start event", w.id))
                .with_help("add a first step with `type: start`"),
        );
    }
    if ends.is_empty() {
        diagnostics.push(
            Diagnostic::new(Code::NoEndEvent, w.span, format!("workflow `{}` has no end event", w.id))
                .with_help("add a last step with `type: end`"),
        );
    }
    if broken {
        for step in &w.steps {
            check_labels(model, *step, diagnostics);
        }
        return;
    }
    if !starts.is_empty() {
        let reached = reach(model, &starts, true);
        for step in &w.steps {
            if !reached.contains(step) {
                let s = model.step(*step);
                diagnostics.push(
                    Diagnostic::new(
                        Code::Unreachable,
                        s.span,
                        format!("step `{}` cannot be reached from a start event", s.id),
                    )
                    .with_help("add a `next` that leads to it, or remove it"),
                );
            }
        }
    }
    if !ends.is_empty() {
        let reaching = reach(model, &ends, false);
        for step in &w.steps {
            if !reaching.contains(step) {
                let s = model.step(*step);
                diagnostics.push(
                    Diagnostic::new(Code::DeadEnd, s.span, format!("no end event can be reached from step `{}`", s.id))
                        .with_help("give it a `next` that leads to an end event"),
                );
            }
        }
    }
    for step in &w.steps {
        check_pass_through(model, *step, diagnostics);
        check_labels(model, *step, diagnostics);
    }
}

/// Steps reachable from `roots` following flows forward (or backward).
fn reach(model: &Model, roots: &[NodeIndex], forward: bool) -> BTreeSet<NodeIndex> {
    let mut seen: BTreeSet<NodeIndex> = roots.iter().copied().collect();
    let mut queue: VecDeque<NodeIndex> = roots.iter().copied().collect();
    while let Some(step) = queue.pop_front() {
        let neighbours = if forward { model.flows_from(step) } else { model.flows_into(step) };
        for (_, other, _) in neighbours {
            if seen.insert(other) {
                queue.push_back(other);
            }
        }
    }
    seen
}

/// A gateway with one flow in and one out splits nothing (W0408).
fn check_pass_through(model: &Model, step: NodeIndex, diagnostics: &mut Vec<Diagnostic>) {
    let s = model.step(step);
    let StepKind::Gateway(_) = s.kind else { return };
    if model.flows_from(step).len() == 1 && model.flows_into(step).len() == 1 {
        diagnostics.push(
            Diagnostic::new(
                Code::PassThroughGateway,
                s.span,
                format!("gateway `{}` has one incoming and one outgoing flow", s.id),
            )
            .with_help("a gateway splits or joins flows; remove it, or add the missing branches"),
        );
    }
}

/// Every branch of an exclusive or inclusive split names its condition.
fn check_labels(model: &Model, step: NodeIndex, diagnostics: &mut Vec<Diagnostic>) {
    let s = model.step(step);
    let StepKind::Gateway(kind) = s.kind else { return };
    let outgoing = model.flows_from(step);
    if outgoing.len() > 1 && matches!(kind, GatewayKind::Exclusive | GatewayKind::Inclusive) {
        for (_, target, flow) in &outgoing {
            if flow.label.is_none() && !flow.default {
                diagnostics.push(
                    Diagnostic::new(
                        Code::UnlabelledBranch,
                        flow.span,
                        format!("flow from gateway `{}` to `{}` has no label", s.id, model.step(*target).id),
                    )
                    .with_help(
                        "write the branch as `- to: <step>` with `label: <condition>` so readers know when it is taken",
                    ),
                );
            }
        }
    }
}
