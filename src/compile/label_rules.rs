//! Names too long to draw: diagrams show at most
//! [`MAX_LABEL_CHARS`](crate::text::MAX_LABEL_CHARS) characters of a name or
//! flow label and shorten the rest, so the author is told where that happens.

use super::Model;
use crate::diagnostic::{Code, Diagnostic};
use crate::source::Span;
use crate::text::MAX_LABEL_CHARS;

/// Warns (W0501) at every role, process, workflow, step and flow whose drawn
/// name or label is longer than diagrams show.
pub fn check(model: &Model, diagnostics: &mut Vec<Diagnostic>) {
    let mut warn = |what: String, text: &str, span: Span| {
        let count = text.chars().count();
        if count > MAX_LABEL_CHARS {
            diagnostics.push(
                Diagnostic::new(
                    Code::LongName,
                    span,
                    format!("{what} is {count} characters long; diagrams show the first {MAX_LABEL_CHARS}"),
                )
                .with_help("keep names short (a few words) and move the detail into `description` or `instructions`"),
            );
        }
    };
    for &role in &model.roles {
        let r = model.role(role);
        warn(format!("the name of role `{}`", r.id), &r.name, r.span);
    }
    for &process in &model.processes {
        let p = model.process(process);
        warn(format!("the name of process `{}`", p.id), &p.name, p.span);
        for flow in p.inputs.iter().chain(&p.outputs) {
            warn(format!("a data flow of process `{}`", p.id), &flow.name, p.span);
        }
    }
    for &workflow in &model.workflows {
        let w = model.workflow(workflow);
        warn(format!("the name of workflow `{}`", w.id), &w.name, w.span);
        for &step in &w.steps {
            let s = model.step(step);
            warn(format!("the name of step `{}`", s.id), &s.name, s.span);
            for (_, _, flow) in model.flows_from(step) {
                if let Some(label) = &flow.label {
                    warn(format!("the label of a flow from `{}`", s.id), label, flow.span);
                }
            }
        }
    }
}
