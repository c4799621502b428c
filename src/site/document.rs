//! The document-control header of process and workflow pages (version,
//! status, approver, dates, change history, a DRAFT mark) and the home page's
//! list of reviews, soonest first, overdue ones marked.

use super::pages::{Link, link_role};
use crate::compile::{DocumentControl, Model, Node};

/// What a page's header says about its document.
pub struct DocumentView {
    pub version: Option<String>,
    pub status: Option<&'static str>,
    pub draft: bool,
    pub approved_by: Option<Link>,
    pub approved_on: Option<String>,
    pub review_by: Option<String>,
    pub overdue: bool,
    pub history: Vec<HistoryRow>,
}

/// One row of a page's change history.
pub struct HistoryRow {
    pub version: String,
    pub date: String,
    pub change: String,
}

/// One entry of the home page's review list.
pub struct ReviewRow {
    /// Page path relative to the site root (`processes/x.html`).
    pub href: String,
    pub name: String,
    pub kind: &'static str,
    pub review_by: String,
    pub overdue: bool,
}

impl DocumentView {
    /// The header of a document, `today` written `YYYY-MM-DD`.
    pub fn new(model: &Model, document: &DocumentControl, today: &str) -> DocumentView {
        DocumentView {
            version: document.version.clone(),
            status: document.status.map(|s| s.word()),
            draft: document.is_draft(),
            approved_by: document.approved_by.map(|r| link_role(model, r)),
            approved_on: document.approved_on.clone(),
            review_by: document.review_by.clone(),
            overdue: document.review_overdue(today),
            history: document
                .history
                .iter()
                .map(|h| HistoryRow {
                    version: h.version.clone().unwrap_or_default(),
                    date: h.date.clone().unwrap_or_default(),
                    change: h.change.clone(),
                })
                .collect(),
        }
    }
}

/// Every process and workflow with a review date, soonest first (then by
/// name), each marked when its date lies before `today`.
pub fn reviews(model: &Model, today: &str) -> Vec<ReviewRow> {
    let mut rows: Vec<ReviewRow> = model
        .processes
        .iter()
        .chain(&model.workflows)
        .filter_map(|&index| {
            let (kind, folder, id, name, document) = match &model.graph[index] {
                Node::Process(p) => ("Process", "processes", &p.id, &p.name, p.document.as_deref()?),
                Node::Workflow(w) => ("Workflow", "workflows", &w.id, &w.name, w.document.as_deref()?),
                _ => return None,
            };
            Some(ReviewRow {
                href: format!("{folder}/{id}.html"),
                name: name.clone(),
                kind,
                review_by: document.review_by.clone()?,
                overdue: document.review_overdue(today),
            })
        })
        .collect();
    rows.sort_by(|a, b| a.review_by.cmp(&b.review_by).then_with(|| a.name.cmp(&b.name)));
    rows
}
