//! The approved part of a model, for `build --approved-only`: what an
//! auditor or an intranet may be shown as in force. Processes and workflows
//! whose `document:` status is not `approved` are left out, and references to
//! them from what stays are dropped, so the rest still checks.

use std::collections::BTreeSet;

use super::{Document, DocumentStatus, LoadedFile, Process, Workflow};

/// How much [`approved_only`] left out.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeftOut {
    pub processes: usize,
    pub workflows: usize,
}

/// `files` with only approved processes and workflows; roles stay.
pub fn approved_only(files: &[&LoadedFile]) -> (Vec<LoadedFile>, LeftOut) {
    let all_documents = || files.iter().flat_map(|f| &f.documents);
    let kept_processes: BTreeSet<&str> =
        all_documents().flat_map(processes).filter(|p| approved(&p.document)).map(|p| p.id.value.as_str()).collect();
    let kept_workflows: BTreeSet<&str> =
        all_documents().flat_map(workflows).filter(|w| approved(&w.document)).map(|w| w.id.value.as_str()).collect();
    let left_out = LeftOut {
        processes: all_documents().flat_map(processes).count() - kept_processes.len(),
        workflows: all_documents().flat_map(workflows).count() - kept_workflows.len(),
    };
    let filtered = files
        .iter()
        .map(|f| LoadedFile {
            file: f.file,
            documents: f.documents.iter().map(|d| filter_document(d, &kept_processes, &kept_workflows)).collect(),
        })
        .collect();
    (filtered, left_out)
}

fn approved(document: &Option<super::DocumentControl>) -> bool {
    document.as_ref().and_then(|d| d.status.as_ref()).is_some_and(|s| s.value == DocumentStatus::Approved)
}

fn processes(document: &Document) -> impl Iterator<Item = &Process> {
    document.process.iter().chain(&document.processes)
}

fn workflows(document: &Document) -> impl Iterator<Item = &Workflow> {
    document.workflow.iter().chain(&document.workflows)
}

/// One document with what is not approved removed.
fn filter_document(document: &Document, processes: &BTreeSet<&str>, workflows: &BTreeSet<&str>) -> Document {
    let keep_process = |p: &&Process| processes.contains(p.id.value.as_str());
    let keep_workflow = |w: &&Workflow| workflows.contains(w.id.value.as_str());
    let workflow = |w: &Workflow| filter_workflow(w, processes, workflows);
    Document {
        roles: document.roles.clone(),
        process: document.process.as_ref().filter(keep_process).cloned(),
        processes: document.processes.iter().filter(keep_process).cloned().collect(),
        workflow: document.workflow.as_ref().filter(keep_workflow).map(workflow),
        workflows: document.workflows.iter().filter(keep_workflow).map(workflow).collect(),
    }
}

/// A kept workflow without its references to left-out processes (what it
/// implements and the activities its steps realize) and left-out workflows
/// (what its subprocesses call).
fn filter_workflow(workflow: &Workflow, processes: &BTreeSet<&str>, workflows: &BTreeSet<&str>) -> Workflow {
    let mut workflow = workflow.clone();
    workflow.implements.retain(|p| processes.contains(p.value.as_str()));
    for step in &mut workflow.steps {
        step.realizes.retain(|a| a.value.split_once('/').is_some_and(|(process, _)| processes.contains(process)));
        if step.calls.as_ref().is_some_and(|c| !workflows.contains(c.value.as_str())) {
            step.calls = None;
        }
    }
    workflow
}
