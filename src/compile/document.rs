//! Document control, compiled: a process's or workflow's version, status,
//! approver and review date with the approver resolved to a role, and the
//! rules that keep it honest — a review date that has passed, an approval
//! without approver or date, an approved process whose workflow is still a
//! draft.

use petgraph::stable_graph::NodeIndex;

use super::{Model, Node};
use crate::diagnostic::{Code, Diagnostic};
use crate::model::{self, DocumentStatus, Located};
use crate::source::{FileId, Span};

/// The document control of a process or workflow.
#[derive(Debug, Clone, Default)]
pub struct DocumentControl {
    pub version: Option<String>,
    pub status: Option<DocumentStatus>,
    /// The role that approved this version.
    pub approved_by: Option<NodeIndex>,
    /// Whether an approver is written (it may be no role: reported once, as
    /// such, not again as a missing approver).
    approver_written: bool,
    pub approved_on: Option<String>,
    pub review_by: Option<String>,
    /// The changes of past versions, newest first, as written.
    pub history: Vec<HistoryEntry>,
    /// Where `status` and `review_by` are written (else the `document:`
    /// owner's id), for the rules' diagnostics.
    status_span: Option<Span>,
    review_span: Option<Span>,
}

/// One change of a past version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    pub version: Option<String>,
    pub date: Option<String>,
    pub change: String,
}

impl DocumentControl {
    /// Whether pages and diagrams carry a DRAFT mark.
    pub fn is_draft(&self) -> bool {
        self.status.is_some_and(DocumentStatus::is_draft)
    }

    /// Whether the document is approved (what `build --approved-only` keeps).
    pub fn is_approved(&self) -> bool {
        self.status == Some(DocumentStatus::Approved)
    }

    /// Whether the review date lies before `today` (both `YYYY-MM-DD`).
    pub fn review_overdue(&self, today: &str) -> bool {
        self.review_by.as_deref().is_some_and(|date| date < today)
    }
}

/// The compiled form of a `document:` block; `resolve_role` resolves (and
/// reports) the approver.
pub(super) fn compile(
    file: FileId,
    document: &model::DocumentControl,
    mut resolve_role: impl FnMut(&Located<String>) -> Option<NodeIndex>,
) -> DocumentControl {
    let date = |d: &Option<Located<model::Date>>| d.as_ref().map(|d| d.value.0.clone());
    DocumentControl {
        version: document.version.as_ref().map(|v| v.value.clone()),
        status: document.status.as_ref().map(|s| s.value),
        approved_by: document.approved_by.as_ref().and_then(&mut resolve_role),
        approver_written: document.approved_by.is_some(),
        approved_on: date(&document.approved_on),
        review_by: date(&document.review_by),
        history: document
            .history
            .iter()
            .map(|h| HistoryEntry {
                version: h.version.as_ref().map(|v| v.value.clone()),
                date: date(&h.date),
                change: h.change.value.clone(),
            })
            .collect(),
        status_span: document.status.as_ref().map(|s| s.span(file)),
        review_span: document.review_by.as_ref().map(|r| r.span(file)),
    }
}

/// The document rules over every process and workflow, `today` written
/// `YYYY-MM-DD`.
pub(super) fn check(model: &Model, today: &str, out: &mut Vec<Diagnostic>) {
    for &index in model.processes.iter().chain(&model.workflows) {
        let Some((what, id, document, span)) = controlled(model, index) else { continue };
        if document.review_overdue(today)
            && let Some(date) = &document.review_by
        {
            out.push(
                Diagnostic::new(
                    Code::ReviewOverdue,
                    document.review_span.unwrap_or(span),
                    format!("the review of {what} `{id}` was due on {date}"),
                )
                .with_help("review it, then set `review_by:` to the date of the next review"),
            );
        }
        if document.is_approved() && (!document.approver_written || document.approved_on.is_none()) {
            out.push(
                Diagnostic::new(
                    Code::ApprovalIncomplete,
                    document.status_span.unwrap_or(span),
                    format!("{what} `{id}` is approved, but not said by whom and when"),
                )
                .with_help("add `approved_by:` (a role id) and `approved_on:` (YYYY-MM-DD) under `document:`"),
            );
        }
    }
    for &workflow in &model.workflows {
        let Some((_, id, document, span)) = controlled(model, workflow) else { continue };
        if !document.is_draft() {
            continue;
        }
        for process in model.implemented_processes(workflow) {
            if let Some((_, process_id, process_document, _)) = controlled(model, process)
                && process_document.is_approved()
            {
                out.push(
                    Diagnostic::new(
                        Code::DraftWorkflowOfApprovedProcess,
                        document.status_span.unwrap_or(span),
                        format!(
                            "workflow `{id}` is still a draft, but it implements the approved process `{process_id}`"
                        ),
                    )
                    .with_help("approve the workflow, or set the process back to `in-review` until it is"),
                );
            }
        }
    }
}

/// A process's or workflow's kind, id, document control and span.
fn controlled(model: &Model, index: NodeIndex) -> Option<(&'static str, &str, &DocumentControl, Span)> {
    match &model.graph[index] {
        Node::Process(p) => p.document.as_deref().map(|d| ("process", p.id.as_str(), d, p.span)),
        Node::Workflow(w) => w.document.as_deref().map(|d| ("workflow", w.id.as_str(), d, w.span)),
        _ => None,
    }
}
