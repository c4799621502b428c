//! `procflow drift`: compares the workflows of the model with the workflow
//! configuration exported from the ITSM tool that runs them, so that the
//! documentation and the tool cannot silently part ways.
//!
//! Each reader (`jira_xml`, `jira_cloud`, `servicenow`) turns one export
//! format into the same plain [`ToolWorkflow`]s — statuses and transitions
//! with their places in the export — and `rules` compares those with the
//! compiled [`Model`]. Like every stage this does no I/O: the CLI adds the
//! export files to the [`Sources`] (so findings can quote their lines) and
//! calls [`read_export`] and [`drift`]. A malformed or hostile export is a
//! located [`Code::ExportUnreadable`] error, never a panic.

mod import;
mod jira_cloud;
mod jira_xml;
mod json;
mod limits;
mod rules;
mod servicenow;
mod xml;

pub use import::{Imported, import};
pub use limits::MAX_EXPORT_BYTES;
pub use rules::{Alignment, StepStatus};

use crate::compile::{Model, Tool};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Sources, Span, Unreadable, line_column};

/// The export formats `drift` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ExportFormat {
    /// Jira Data Center / Server workflow XML (OSWorkflow).
    JiraXml,
    /// Jira Cloud workflow JSON (the workflows search and bulk-get response).
    JiraCloud,
    /// ServiceNow `sys_choice` records (unload XML or Table API JSON).
    ServiceNow,
}

impl ExportFormat {
    /// The tool whose configuration the format holds: both Jira formats
    /// describe the same kind of workflow, so a model maps to `jira` once.
    pub fn tool(self) -> Tool {
        match self {
            ExportFormat::JiraXml | ExportFormat::JiraCloud => Tool::Jira,
            ExportFormat::ServiceNow => Tool::ServiceNow,
        }
    }

    /// The format's name in messages.
    pub fn describe(self) -> &'static str {
        match self {
            ExportFormat::JiraXml => "a Jira workflow XML export",
            ExportFormat::JiraCloud => "a Jira Cloud workflow JSON export",
            ExportFormat::ServiceNow => "a ServiceNow sys_choice export",
        }
    }
}

/// One export file as read: the workflows it configures.
#[derive(Debug, Clone)]
pub struct Export {
    pub format: ExportFormat,
    pub file: FileId,
    pub workflows: Vec<ToolWorkflow>,
}

/// A workflow as the tool has it. For ServiceNow, a table's state choices.
#[derive(Debug, Clone)]
pub struct ToolWorkflow {
    /// Jira workflow name, or ServiceNow table name.
    pub name: String,
    /// Where the workflow (or the table's first choice) is in the export.
    pub span: Span,
    pub statuses: Vec<ToolStatus>,
    /// `None` when the export holds no transitions (ServiceNow choice lists):
    /// the transition rules are then not applied.
    pub transitions: Option<Vec<ToolTransition>>,
}

/// A status (Jira) or state choice (ServiceNow). A step's `status:` names
/// it by its name or by its id.
#[derive(Debug, Clone)]
pub struct ToolStatus {
    /// The tool's id: Jira's status id, ServiceNow's choice value.
    pub id: String,
    /// What people see: the status name or choice label.
    pub name: String,
    /// Whether an approval is configured on the status (Jira Service
    /// Management's `approval.active`); `None` when the export cannot say
    /// (ServiceNow choice lists), and the approval rule is not applied.
    pub approval: Option<bool>,
    pub span: Span,
}

/// A transition of a Jira workflow, or a ServiceNow state flow.
#[derive(Debug, Clone)]
pub struct ToolTransition {
    /// The tool's id of the transition (Jira's action id).
    pub id: String,
    pub name: String,
    pub from: FromStatus,
    /// The id of the status it leads to.
    pub to: String,
    /// Who may take it, from its conditions; `None` when unrestricted.
    pub admits: Option<Vec<Principal>>,
    pub span: Span,
}

/// Where a transition may be taken from.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FromStatus {
    /// The create transition (Jira's initial action).
    Initial,
    /// A global transition: from every status.
    Any,
    /// From the status with this id.
    Status(String),
}

/// A group or project role a transition's condition admits.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Principal {
    Group(String),
    ProjectRole(String),
}

impl Principal {
    /// How reports name it: `group "x"`, `project role "10002"`.
    pub fn describe(&self) -> String {
        match self {
            Principal::Group(name) => format!("group \"{name}\""),
            Principal::ProjectRole(id) => format!("project role \"{id}\""),
        }
    }
}

/// Reads one export file of `sources` in `format`. A file that is not text,
/// too large, too deep or not the format is one located error.
pub fn read_export(format: ExportFormat, sources: &Sources, file: FileId) -> Result<Export, Box<Diagnostic>> {
    let source = sources.get(file);
    let text = source.text.as_str();
    let unreadable = |offset: usize, message: String| Box::new(unreadable_at(file, text, offset, message));
    match &source.unreadable {
        Some(Unreadable::NotUtf8 { offset, .. }) => {
            return Err(unreadable(*offset, format!("{} is not UTF-8 text", source.path.display())));
        }
        Some(Unreadable::TooLarge { bytes }) => {
            let limit = MAX_EXPORT_BYTES / (1024 * 1024);
            return Err(unreadable(0, format!("the export is {bytes} bytes, more than the {limit} MiB drift reads")));
        }
        Some(Unreadable::Skipped(_)) => return Err(unreadable(0, "the export could not be read".to_string())),
        None => {}
    }
    let workflows = match format {
        ExportFormat::JiraXml => {
            // Jira names the downloaded file after the workflow.
            let name = source.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
            jira_xml::read(text, file, &name)?
        }
        ExportFormat::JiraCloud => jira_cloud::read(text, file)?,
        ExportFormat::ServiceNow => servicenow::read(text, file)?,
    };
    Ok(Export { format, file, workflows })
}

/// Compares every workflow of `model` mapped to a tool with the exports of
/// that tool; the findings are sorted as `check` sorts its own.
pub fn drift(model: &Model, exports: &[Export], sources: &Sources) -> Vec<Diagnostic> {
    let mut findings: Vec<Diagnostic> =
        rules::compare(model, exports, sources).into_iter().flat_map(|a| a.findings).collect();
    crate::diagnostic::sort(&mut findings, sources);
    findings
}

/// Each mapped workflow's comparison with the tool, in model order, its
/// findings sorted: what the site's "Tool alignment" page shows.
pub fn alignments(model: &Model, exports: &[Export], sources: &Sources) -> Vec<Alignment> {
    let mut compared = rules::compare(model, exports, sources);
    for alignment in &mut compared {
        crate::diagnostic::sort(&mut alignment.findings, sources);
    }
    compared
}

/// An [`Code::ExportUnreadable`] error at byte `offset` of an export.
fn unreadable_at(file: FileId, text: &str, offset: usize, message: String) -> Diagnostic {
    Diagnostic::new(Code::ExportUnreadable, span_at(file, text, offset, 0), message)
}

/// A "not this format" error at the start of the export's content.
fn not_the_format(file: FileId, text: &str, message: &str) -> Box<Diagnostic> {
    let offset = text.len() - text.trim_start().len();
    Box::new(unreadable_at(file, text, offset, message.to_string()))
}

/// The span of `len` bytes at `offset` of an export's text.
fn span_at(file: FileId, text: &str, offset: usize, len: usize) -> Span {
    let (line, column) = line_column(text, offset);
    Span { file, line, column, start: offset.min(text.len()), len }
}

/// Places in one export's text. Readers place every status, transition and
/// choice they read; counting lines and columns from the start of the text
/// for each would take time quadratic in the export's size (minutes for a
/// large choice list), so each place is counted from the nearest checkpoint
/// before it, taken every [`Positions::STRIDE`] bytes in one pass.
struct Positions<'a> {
    file: FileId,
    text: &'a str,
    /// `(offset, line, column)` at char boundaries, in offset order.
    marks: Vec<(usize, u32, u32)>,
}

impl<'a> Positions<'a> {
    const STRIDE: usize = 4096;

    fn new(file: FileId, text: &'a str) -> Self {
        let mut marks = vec![(0, 1, 1)];
        let (mut at, mut line, mut column) = (0, 1, 1);
        while at + Self::STRIDE < text.len() {
            let mut next = at + Self::STRIDE;
            while !text.is_char_boundary(next) {
                next += 1;
            }
            (line, column) = Self::advance(&text[at..next], line, column);
            at = next;
            marks.push((at, line, column));
        }
        Positions { file, text, marks }
    }

    /// The line and column just past `chunk`, which starts at `line`, `column`.
    fn advance(chunk: &str, line: u32, column: u32) -> (u32, u32) {
        match chunk.rfind('\n') {
            Some(last) => {
                let lines = chunk.bytes().filter(|b| *b == b'\n').count() as u32;
                (line + lines, chunk[last + 1..].chars().count() as u32 + 1)
            }
            None => (line, column + chunk.chars().count() as u32),
        }
    }

    /// The span of `len` bytes at `offset`: the same as [`span_at`]'s.
    fn span(&self, offset: usize, len: usize) -> Span {
        let offset = offset.min(self.text.len());
        if !self.text.is_char_boundary(offset) {
            return span_at(self.file, self.text, offset, len);
        }
        let mark = self.marks.partition_point(|(at, _, _)| *at <= offset) - 1;
        let (at, line, column) = self.marks[mark];
        let (line, column) = Self::advance(&self.text[at..offset], line, column);
        Span { file: self.file, line, column, start: offset, len }
    }
}

/// The span of a 1-based line and column of an export's text (what parsers
/// report), with its byte offset worked out so the line can be quoted.
fn span_at_line(file: FileId, text: &str, line: usize, column: usize) -> Span {
    let (line, column) = (u32::try_from(line).unwrap_or(u32::MAX), u32::try_from(column).unwrap_or(u32::MAX));
    span_at(file, text, crate::source::offset_of(text, line, column), 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_from_checkpoints_as_from_the_start() {
        // Long lines and multi-byte characters across the checkpoints.
        let line = format!("{}ü\n", "é".repeat(Positions::STRIDE / 3));
        let text = format!("{}{}", line.repeat(5), "x".repeat(3 * Positions::STRIDE));
        let positions = Positions::new(FileId(0), &text);
        assert!(positions.marks.len() > 5);
        for offset in (0..=text.len() + 1).step_by(97).chain([text.len()]) {
            assert_eq!(positions.span(offset, 1), span_at(FileId(0), &text, offset, 1), "offset {offset}");
        }
    }
}
