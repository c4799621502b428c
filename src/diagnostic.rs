//! Diagnostics: what is wrong with a model, where, and what to do about it.
//!
//! Every stage collects [`Diagnostic`]s instead of stopping at the first problem.
//! Each carries a stable [`Code`] (documented in the README), a primary [`Span`]
//! pointing at the offending value, optional secondary labels and a help line.
//! Rendering (human text in the style of rustc, or JSON) lives here too, so the
//! CLI, the site's check report and the live-reload overlay all agree. The
//! formats CI systems read (SARIF, GitHub workflow commands) are in
//! [`crate::ci`], beside this module.

use std::fmt::Write as _;

use serde::Serialize;

use crate::source::{Sources, Span};

/// How serious a diagnostic is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

macro_rules! codes {
    ($($variant:ident = $code:literal, $severity:ident, $summary:literal;)*) => {
        /// Stable diagnostic codes. The number never changes meaning, so users can
        /// search for it and tools can filter on it.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum Code { $($variant,)* }

        impl Code {
            /// Every code, in numeric order (for the README table and its test).
            pub const ALL: &'static [Code] = &[$(Code::$variant,)*];

            /// The code as written in reports, e.g. `E0203`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $code,)* }
            }

            pub fn severity(self) -> Severity {
                match self { $(Code::$variant => Severity::$severity,)* }
            }

            /// The rule's name (`UnknownRole`), for tools that show rules by name
            /// (SARIF `rules[].name`).
            pub fn name(self) -> &'static str {
                match self { $(Code::$variant => stringify!($variant),)* }
            }

            /// One line saying which rule the code stands for.
            pub fn summary(self) -> &'static str {
                match self { $(Code::$variant => $summary,)* }
            }
        }
    };
}

codes! {
    YamlSyntax = "E0001", Error, "the file is not valid YAML";
    ResourceLimit = "E0002", Error, "the file exceeds a parser limit (nesting depth, aliases, size of the document)";
    NotUtf8 = "E0003", Error, "the file is not UTF-8 text";
    FileTooLarge = "E0004", Error, "the file is larger than 16 MiB";
    Io = "E0005", Error, "the file or folder could not be read";
    UnknownKey = "E0101", Error, "a key that the format does not define (often a typo)";
    WrongType = "E0102", Error, "a value of the wrong type or not one of the allowed values";
    MissingKey = "E0103", Error, "a required key is missing";
    DuplicateKey = "E0104", Error, "the same key appears twice in one mapping";
    MalformedId = "E0201", Error, "an id that is not lower-case letters, digits, `-` and `_` (at most 64)";
    DuplicateId = "E0202", Error, "two roles, processes, workflows, activities of a process or steps of a workflow share an id";
    UnknownRole = "E0203", Error, "a reference to a role that does not exist";
    UnknownProcess = "E0204", Error, "a reference to a process that does not exist";
    UnknownActivity = "E0205", Error, "a reference to an activity that does not exist (written `process-id/activity-id`)";
    UnknownStep = "E0206", Error, "a flow to a step that does not exist in the workflow";
    UnknownWorkflow = "E0207", Error, "a subprocess calls a workflow that does not exist";
    MissingLane = "E0208", Error, "the first step of a workflow has no lane";
    AccountableCount = "E0301", Error, "an activity without exactly one Accountable role";
    NoResponsible = "E0302", Error, "an activity without a Responsible role";
    SeveralDefaults = "E0303", Error, "a gateway with more than one default flow";
    CallsOnNonSubprocess = "E0304", Error, "`calls` on a step that is not a subprocess";
    InvalidForStepType = "E0305", Error, "a key or value that does not fit the step's type (a task kind on a gateway, a trigger on a task, `next` on an end event...)";
    ActivityNotRealized = "W0401", Warning, "a process activity that no workflow step realizes";
    RaciMismatch = "W0402", Warning, "a step realizes an activity, but its lane's role is neither Responsible nor Accountable for it";
    NoStartEvent = "W0403", Warning, "a workflow without a start event";
    NoEndEvent = "W0404", Warning, "a workflow without an end event";
    Unreachable = "W0405", Warning, "a step that cannot be reached from a start event";
    DeadEnd = "W0406", Warning, "a step from which no end event can be reached";
    UnlabelledBranch = "W0407", Warning, "an exclusive or inclusive gateway splits with an unlabelled (non-default) flow";
    PassThroughGateway = "W0408", Warning, "a gateway with one incoming and one outgoing flow";
    UnusedRole = "W0409", Warning, "a role that no lane, RACI assignment, owner or finding uses";
    NoOwner = "W0410", Warning, "a process without an owner";
    EmptyFile = "W0411", Warning, "a model file that holds no model";
    SkippedPath = "W0412", Warning, "an entry of the models folder that is not read (a folder more than 32 deep, a symbolic-link loop, a FIFO, socket or device, a broken link)";
    RefusedLink = "W0413", Warning, "a Markdown link or image the site does not link to (`javascript:`, `vbscript:`, `data:` or any scheme but http, https and mailto)";
    LongName = "W0501", Warning, "a name or flow label longer than diagrams show (150 characters); the drawing shortens it";
    DiagramTooLarge = "W0502", Warning, "`build`: a diagram too large for a readable PNG file; its page offers the SVG and a PNG made in the browser";
    ReviewOverdue = "W0601", Warning, "a process or workflow whose `review_by` date has passed";
    ApprovalIncomplete = "W0602", Warning, "an approved process or workflow without `approved_by` or `approved_on`";
    DraftWorkflowOfApprovedProcess = "W0603", Warning, "a workflow still in draft or in review that implements an approved process";
    ExportUnreadable = "E0701", Error, "`drift`: a tool export that cannot be read (not UTF-8, too large or too deep, malformed, a DOCTYPE that declares entities, not the format named)";
    ToolWorkflowMissing = "E0702", Error, "`drift`: a workflow's `tool:` names a Jira workflow or ServiceNow table that none of the exports holds";
    UnknownToolStatus = "W0703", Warning, "`drift`: a step's `status:` is not a status of the tool's workflow";
    UncoveredToolStatus = "W0704", Warning, "`drift`: a status of the tool's workflow that no step is in";
    MissingToolTransition = "W0705", Warning, "`drift`: the model's flows go from one status to another, but the tool has no such transition";
    UnmodelledToolTransition = "W0706", Warning, "`drift`: a transition of the tool's workflow between statuses of the model that no flow shows";
    TransitionRestriction = "W0707", Warning, "`drift`: a transition into a step's status is open to everyone, or admits groups or project roles that the lane roles of its steps are not mapped to";
    UnmappedLaneRole = "W0708", Warning, "`drift`: a lane role of a workflow mapped to a tool names no group or project role of that tool";
    ApprovalNotInTool = "W0709", Warning, "`drift`: an approval step (`approval: true`) whose tool status holds no approval";
    UnmodelledToolApproval = "W0710", Warning, "`drift`: a tool status holds an approval, but none of the model's steps in it is an approval step";
}

impl Code {
    /// `true` for codes that describe the model's meaning rather than its YAML
    /// shape; used to keep semantic checks quiet when the file did not load.
    pub fn is_syntax(self) -> bool {
        self.as_str() < "E0200"
    }

    /// `true` for the findings of the comparison with the tool's exports
    /// (`E07xx`, `W07xx`): they do not stop a build, whose site shows them.
    pub fn is_drift(self) -> bool {
        self.as_str()[1..].starts_with("07")
    }
}

impl Serialize for Code {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// A secondary place that explains the primary one ("first defined here").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub span: Span,
    pub message: String,
}

/// One problem found in the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub code: Code,
    /// Lower case, no trailing dot, names the thing by its id.
    pub message: String,
    pub span: Span,
    pub labels: Vec<Label>,
    /// What to do about it, when there is something specific to say.
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: Code, span: Span, message: impl Into<String>) -> Self {
        Diagnostic { code, message: message.into(), span, labels: Vec::new(), help: None }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    pub fn with_label(mut self, span: Span, message: impl Into<String>) -> Self {
        self.labels.push(Label { span, message: message.into() });
        self
    }

    pub fn severity(&self) -> Severity {
        self.code.severity()
    }
}

/// Suggests the closest of `candidates` to a misspelt `word`, if one is close
/// enough to be a likely typo.
pub fn did_you_mean<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (strsim::normalized_damerau_levenshtein(word, c), c))
        .filter(|(score, _)| *score >= 0.6)
        .max_by(|a, b| a.0.total_cmp(&b.0).then_with(|| b.1.cmp(a.1)))
        .map(|(_, c)| c)
}

/// Sorts diagnostics by file path, line and column (then code), the order a
/// reader goes through their files in.
pub fn sort(diagnostics: &mut [Diagnostic], sources: &Sources) {
    diagnostics.sort_by(|a, b| {
        sources
            .path(a.span.file)
            .cmp(sources.path(b.span.file))
            .then(a.span.line.cmp(&b.span.line))
            .then(a.span.column.cmp(&b.span.column))
            .then(a.code.cmp(&b.code))
            .then(a.message.cmp(&b.message))
    });
}

/// Counts of errors and warnings, for summaries and exit codes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub errors: usize,
    pub warnings: usize,
}

pub fn count(diagnostics: &[Diagnostic]) -> Counts {
    let errors = diagnostics.iter().filter(|d| d.severity() == Severity::Error).count();
    Counts { errors, warnings: diagnostics.len() - errors }
}

/// Renders one diagnostic as text in the style of rustc: header, location,
/// the source line with the value underlined, labels and help.
pub fn render_human(diagnostic: &Diagnostic, sources: &Sources, color: bool) -> String {
    let paint = |code: &str, text: &str| {
        if color { format!("\x1b[{code}m{text}\x1b[0m") } else { text.to_string() }
    };
    let (word, tint) = match diagnostic.severity() {
        Severity::Error => ("error", "1;31"),
        Severity::Warning => ("warning", "1;33"),
    };
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}{}",
        paint(tint, &format!("{word}[{}]", diagnostic.code.as_str())),
        paint("1", &format!(": {}", diagnostic.message))
    );
    let span = diagnostic.span;
    let gutter_width =
        span.line.max(diagnostic.labels.iter().map(|l| l.span.line).max().unwrap_or(0)).to_string().len();
    let pad = " ".repeat(gutter_width);
    let _ = writeln!(
        out,
        "{pad}{} {}:{}:{}",
        paint("1;34", "-->"),
        sources.path(span.file).display(),
        span.line,
        span.column
    );
    // Labels on the primary line share its snippet; others get their own.
    let (same_line, elsewhere): (Vec<&Label>, Vec<&Label>) =
        diagnostic.labels.iter().partition(|l| l.span.file == span.file && l.span.line == span.line);
    let mut markers = vec![Marker { span, message: "", tint }];
    markers.extend(same_line.iter().map(|l| Marker { span: l.span, message: &l.message, tint: "1;34" }));
    snippet(&mut out, sources, &markers, &pad, &paint);
    for label in elsewhere {
        if label.span.file != span.file {
            let _ = writeln!(
                out,
                "{pad}{} {}:{}:{}",
                paint("1;34", ":::"),
                sources.path(label.span.file).display(),
                label.span.line,
                label.span.column
            );
        }
        let marker = Marker { span: label.span, message: &label.message, tint: "1;34" };
        snippet(&mut out, sources, &[marker], &pad, &paint);
    }
    if let Some(help) = &diagnostic.help {
        let _ = writeln!(out, "{pad} {} {}", paint("1;34", "="), paint("1", &format!("help: {help}")));
    }
    out
}

/// One underline under a source line.
struct Marker<'a> {
    span: Span,
    message: &'a str,
    tint: &'a str,
}

/// Prints one source line with the markers (all on that line) underneath.
fn snippet(
    out: &mut String,
    sources: &Sources,
    markers: &[Marker<'_>],
    pad: &str,
    paint: &dyn Fn(&str, &str) -> String,
) {
    let Some(first) = markers.first() else { return };
    let Some(line) = sources.line_text(first.span.file, first.span.line) else {
        return;
    };
    if line.is_empty() && first.span.len == 0 && first.span.line == 1 {
        return;
    }
    let bar = paint("1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let number = format!("{:>width$}", first.span.line, width = pad.len());
    let (shown, shift) = crop(line, first.span.column as usize);
    let _ = writeln!(out, "{} {bar} {}", paint("1;34", &number), shown.replace('\t', " "));
    let line = shown.as_str();
    let mut sorted: Vec<&Marker<'_>> = markers.iter().collect();
    sorted.sort_by_key(|m| m.span.column);
    // Underlines on one row, left to right: `^` for the primary place, `-` for
    // labels. A single marker carries its message on the same row; with several,
    // each message hangs below its underline, as rustc draws them.
    let mut row = String::new();
    let mut width = 0;
    let mut hanging: Vec<(usize, &Marker<'_>)> = Vec::new();
    for marker in &sorted {
        let column = (marker.span.column as usize).saturating_sub(1) as isize + shift;
        let Ok(column) = usize::try_from(column) else { continue };
        if column < width {
            continue;
        }
        let rest = line.chars().skip(column).collect::<String>();
        let len = underline_length(&rest, marker.span.len).max(1);
        let glyph = if std::ptr::eq(*marker, first) { "^" } else { "-" };
        row.push_str(&" ".repeat(column - width));
        row.push_str(&paint(marker.tint, &glyph.repeat(len)));
        width = column + len;
        if !marker.message.is_empty() {
            hanging.push((column, marker));
        }
    }
    if let [(_, only)] = hanging.as_slice()
        && sorted.len() == 1
    {
        row.push(' ');
        row.push_str(&paint(only.tint, only.message));
        hanging.clear();
    }
    let _ = writeln!(out, "{pad} {bar} {}", row.trim_end());
    let pipes = |upto: usize| {
        let mut text = String::new();
        for (column, _) in &hanging[..upto] {
            text.push_str(&" ".repeat(column - text.chars().count()));
            text.push('|');
        }
        text
    };
    if !hanging.is_empty() {
        let _ = writeln!(out, "{pad} {bar} {}", pipes(hanging.len()));
    }
    for i in (0..hanging.len()).rev() {
        let (column, marker) = hanging[i];
        let mut text = pipes(i);
        text.push_str(&" ".repeat(column - text.chars().count()));
        let _ = writeln!(out, "{pad} {bar} {}{}", text, paint(marker.tint, marker.message));
    }
}

/// Longest source line shown in full; longer ones are cut around the column.
const MAX_SHOWN_CHARS: usize = 100;

/// The part of a long line around `column` (1-based), and how far columns move
/// in the shown text (negative when the start is cut).
fn crop(line: &str, column: usize) -> (String, isize) {
    let chars: Vec<char> = line.chars().collect();
    if chars.len() <= MAX_SHOWN_CHARS {
        return (line.to_string(), 0);
    }
    let start = column.saturating_sub(1).saturating_sub(MAX_SHOWN_CHARS / 3).min(chars.len());
    let end = (start + MAX_SHOWN_CHARS).min(chars.len());
    let mut shown = String::new();
    let mut shift = -(start as isize);
    if start > 0 {
        shown.push_str("...");
        shift += 3;
    }
    shown.extend(&chars[start..end]);
    if end < chars.len() {
        shown.push_str("...");
    }
    (shown, shift)
}

/// How many characters of the line to underline: the span's length, limited to
/// the rest of the line and never past trailing spaces.
pub(crate) fn underline_length(line_rest: &str, span_len: usize) -> usize {
    let visible = line_rest.trim_end().chars().count();
    if span_len == 0 {
        // No length known: underline the word that starts here, or one character.
        let word = line_rest.chars().take_while(|c| c.is_alphanumeric() || "-_./".contains(*c)).count();
        word.clamp(1, visible.max(1))
    } else {
        span_len.min(visible)
    }
}

/// Renders all diagnostics, then a one-line summary.
pub fn render_report(diagnostics: &[Diagnostic], sources: &Sources, color: bool) -> String {
    let mut out = String::new();
    for d in diagnostics {
        out.push_str(&render_human(d, sources, color));
        out.push('\n');
    }
    let _ = writeln!(out, "{}", summary(count(diagnostics)));
    out
}

/// `2 errors, 1 warning`: the last line of every report, whatever its format.
pub fn summary(counts: Counts) -> String {
    format!("{}, {}", counted(counts.errors, "error", "errors"), counted(counts.warnings, "warning", "warnings"))
}

/// `1 diagram`, `2 diagrams`: a count with its noun, so no message says
/// "1 diagrams".
pub fn counted(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A diagnostic in the machine-readable report. Fields are in alphabetical
/// order, the order of the keys in the report.
#[derive(Debug, Serialize)]
struct JsonDiagnostic<'a> {
    code: Code,
    column: u32,
    file: String,
    help: Option<&'a str>,
    labels: Vec<JsonLabel<'a>>,
    line: u32,
    message: &'a str,
    severity: Severity,
    source_line: Option<&'a str>,
}

#[derive(Debug, Serialize)]
struct JsonLabel<'a> {
    column: u32,
    file: String,
    line: u32,
    message: &'a str,
}

#[derive(Debug, Serialize)]
struct JsonReport<'a> {
    counts: Counts,
    diagnostics: Vec<JsonDiagnostic<'a>>,
}

/// Renders diagnostics as a JSON document for editors and CI annotations.
pub fn render_json(diagnostics: &[Diagnostic], sources: &Sources) -> String {
    let items: Vec<JsonDiagnostic<'_>> = diagnostics
        .iter()
        .map(|d| JsonDiagnostic {
            code: d.code,
            severity: d.severity(),
            message: &d.message,
            file: display_path(sources, d.span),
            line: d.span.line,
            column: d.span.column,
            source_line: sources.line_text(d.span.file, d.span.line),
            help: d.help.as_deref(),
            labels: d
                .labels
                .iter()
                .map(|l| JsonLabel {
                    message: &l.message,
                    file: display_path(sources, l.span),
                    line: l.span.line,
                    column: l.span.column,
                })
                .collect(),
        })
        .collect();
    // Serialized straight from the structs (no intermediate JSON tree): a
    // report of thousands of warnings stays a few milliseconds.
    let report = JsonReport { counts: count(diagnostics), diagnostics: items };
    serde_json::to_string_pretty(&report).unwrap_or_default()
}

pub(crate) fn display_path(sources: &Sources, span: Span) -> String {
    sources.path(span.file).to_string_lossy().replace('\\', "/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(did_you_mean("nmae", ["name", "id", "lane"]), Some("name"));
        assert_eq!(did_you_mean("finanse", ["finance", "legal"]), Some("finance"));
        assert_eq!(did_you_mean("zzz", ["name", "id"]), None);
    }

    #[test]
    fn one_of_a_thing_is_singular() {
        assert_eq!(counted(1, "diagram", "diagrams"), "1 diagram");
        assert_eq!(counted(0, "diagram", "diagrams"), "0 diagrams");
        assert_eq!(summary(Counts { errors: 1, warnings: 2 }), "1 error, 2 warnings");
    }

    #[test]
    fn codes_are_unique_and_match_severity() {
        let mut seen = std::collections::BTreeSet::new();
        for code in Code::ALL {
            assert!(seen.insert(code.as_str()), "duplicate {}", code.as_str());
            let letter = if code.severity() == Severity::Error { 'E' } else { 'W' };
            assert!(code.as_str().starts_with(letter));
        }
    }

    #[test]
    fn human_report_shows_line_and_underline() {
        let mut sources = Sources::new();
        let file = sources.add_text("models/a.yaml", "roles:\n  - id: Bad Id\n");
        let span = Span { file, line: 2, column: 9, start: 15, len: 6 };
        let d = Diagnostic::new(Code::MalformedId, span, "bad id").with_help("use lower case");
        let text = render_human(&d, &sources, false);
        assert_eq!(
            text,
            "error[E0201]: bad id\n --> models/a.yaml:2:9\n  |\n2 |   - id: Bad Id\n  |         ^^^^^^\n  = help: use lower case\n"
        );
    }
}
