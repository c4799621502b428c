//! Diagnostics in the formats CI systems read: SARIF 2.1.0 (GitHub code
//! scanning, GitLab, Azure DevOps and most IDEs import it) and GitHub workflow
//! commands (`::error file=…::message` lines that annotate a pull request's
//! changed lines without any upload step).
//!
//! Like [`crate::diagnostic`]'s text and JSON reports, these only format: they
//! read diagnostics and file texts, never the disk.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use crate::diagnostic::{self, Code, Diagnostic, Severity};
use crate::source::{Sources, Span};

/// Where a diagnostic is, as editors and CI systems count: 1-based lines and
/// columns (in characters), the end column being the one after the last
/// character, like SARIF's `endColumn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Region {
    line: u32,
    column: u32,
    end_line: u32,
    end_column: u32,
}

/// The region the human report underlines: the span's length on its line
/// (the word there when the length is unknown).
fn region(sources: &Sources, span: Span) -> Region {
    let line = span.line.max(1);
    let column = span.column.max(1);
    let rest: String =
        sources.line_text(span.file, line).unwrap_or_default().chars().skip(column as usize - 1).collect();
    let length = if rest.trim_end().is_empty() { 0 } else { diagnostic::underline_length(&rest, span.len) };
    let length = u32::try_from(length).unwrap_or(u32::MAX);
    Region { line, column, end_line: line, end_column: column.saturating_add(length.max(1)) }
}

/// The message with the help line, which CI systems have no field for.
fn full_message(d: &Diagnostic) -> String {
    match &d.help {
        Some(help) => format!("{}\nhelp: {help}", d.message),
        None => d.message.clone(),
    }
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    }
}

// ---------------------------------------------------------------------------
// SARIF 2.1.0

/// The id under which results' file locations are relative: the project
/// folder (`originalUriBaseIds` says where it is, when known).
const PROJECT_ROOT: &str = "PROJECTROOT";

#[derive(Serialize)]
struct SarifLog<'a> {
    #[serde(rename = "$schema")]
    schema: &'static str,
    version: &'static str,
    runs: [Run<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Run<'a> {
    tool: Tool,
    #[serde(skip_serializing_if = "Option::is_none")]
    original_uri_base_ids: Option<std::collections::BTreeMap<&'static str, ArtifactLocation>>,
    results: Vec<SarifResult<'a>>,
}

#[derive(Serialize)]
struct Tool {
    driver: Driver,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Driver {
    name: &'static str,
    version: &'static str,
    semantic_version: &'static str,
    rules: Vec<Rule>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Rule {
    id: &'static str,
    name: &'static str,
    short_description: Text,
    default_configuration: Configuration,
}

#[derive(Serialize)]
struct Configuration {
    level: &'static str,
}

#[derive(Serialize)]
struct Text {
    text: String,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifResult<'a> {
    rule_id: &'static str,
    rule_index: usize,
    level: &'static str,
    message: Text,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    related_locations: Vec<Location<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<usize>,
    physical_location: PhysicalLocation<'a>,
    #[serde(skip_serializing_if = "Option::is_none")]
    message: Option<Text>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PhysicalLocation<'a> {
    artifact_location: ArtifactLocation,
    region: SarifRegion<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ArtifactLocation {
    uri: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct SarifRegion<'a> {
    start_line: u32,
    start_column: u32,
    end_line: u32,
    end_column: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Snippet<'a>>,
}

#[derive(Serialize)]
struct Snippet<'a> {
    text: &'a str,
}

fn location<'a>(sources: &'a Sources, span: Span, id: Option<usize>, message: Option<&str>) -> Location<'a> {
    let r = region(sources, span);
    Location {
        id,
        physical_location: PhysicalLocation {
            artifact_location: ArtifactLocation {
                uri: percent_encode_path(&diagnostic::display_path(sources, span)),
                uri_base_id: Some(PROJECT_ROOT),
            },
            region: SarifRegion {
                start_line: r.line,
                start_column: r.column,
                end_line: r.end_line,
                end_column: r.end_column,
                snippet: sources.line_text(span.file, span.line).map(|text| Snippet { text }),
            },
        },
        message: message.map(|m| Text { text: m.to_string() }),
    }
}

/// Renders diagnostics as a SARIF 2.1.0 log with one run: every diagnostic
/// code as a rule, every diagnostic as a result located relative to the
/// project folder. `project_root`, an absolute path, tells consumers where
/// that folder is (GitHub maps it onto the checkout); without it the
/// locations are plain relative paths.
pub fn render_sarif(diagnostics: &[Diagnostic], sources: &Sources, project_root: Option<&Path>) -> String {
    let rules = Code::ALL
        .iter()
        .map(|code| Rule {
            id: code.as_str(),
            name: code.name(),
            short_description: Text { text: code.summary().to_string() },
            default_configuration: Configuration { level: level(code.severity()) },
        })
        .collect();
    let results = diagnostics
        .iter()
        .map(|d| SarifResult {
            rule_id: d.code.as_str(),
            rule_index: Code::ALL.iter().position(|c| *c == d.code).unwrap_or_default(),
            level: level(d.severity()),
            message: Text { text: full_message(d) },
            locations: [location(sources, d.span, None, None)],
            related_locations: d
                .labels
                .iter()
                .enumerate()
                .map(|(i, l)| location(sources, l.span, Some(i + 1), Some(&l.message)))
                .collect(),
        })
        .collect();
    let base = project_root.map(|root| {
        let mut uri = file_uri(root);
        if !uri.ends_with('/') {
            uri.push('/');
        }
        [(PROJECT_ROOT, ArtifactLocation { uri, uri_base_id: None })].into_iter().collect()
    });
    let log = SarifLog {
        schema: "https://json.schemastore.org/sarif-2.1.0.json",
        version: "2.1.0",
        runs: [Run {
            tool: Tool {
                driver: Driver {
                    name: "procflow",
                    version: env!("CARGO_PKG_VERSION"),
                    semantic_version: env!("CARGO_PKG_VERSION"),
                    rules,
                },
            },
            original_uri_base_ids: base,
            results,
        }],
    };
    serde_json::to_string_pretty(&log).unwrap_or_default()
}

/// A `file://` URI for an absolute path (`C:\x` becomes `file:///C:/x`).
fn file_uri(path: &Path) -> String {
    let path = path.to_string_lossy().replace('\\', "/");
    let encoded = percent_encode_path(&path);
    if encoded.starts_with('/') { format!("file://{encoded}") } else { format!("file:///{encoded}") }
}

/// Percent-encodes what may not stand in a URI path (spaces, `#`, `%`, `?`,
/// non-ASCII…), keeping `/` and the unreserved characters.
fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------
// GitHub workflow commands

/// Escapes a command's message as GitHub's runner reads it back.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25").replace('\r', "%0D").replace('\n', "%0A")
}

/// Escapes a command property (file, title): also `:` and `,`, which end a
/// property.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

/// Renders diagnostics as GitHub workflow commands, one `::error` or
/// `::warning` line each, which GitHub shows as annotations on the files'
/// lines. `prefix` is the project folder as given on the command line: file
/// paths are relative to the folder the command runs in (the checkout), as
/// GitHub expects.
pub fn render_github(diagnostics: &[Diagnostic], sources: &Sources, prefix: &Path) -> String {
    let prefix = prefix.to_string_lossy().replace('\\', "/");
    let prefix = prefix.trim_start_matches("./").trim_end_matches('/');
    let shown = |span: Span| {
        let file = diagnostic::display_path(sources, span);
        if prefix.is_empty() || prefix == "." { file } else { format!("{prefix}/{file}") }
    };
    let mut out = String::new();
    for d in diagnostics {
        let r = region(sources, d.span);
        let file = shown(d.span);
        let mut message = full_message(d);
        for label in &d.labels {
            let _ =
                write!(message, "\n{}:{}:{}: {}", shown(label.span), label.span.line, label.span.column, label.message);
        }
        let _ = writeln!(
            out,
            "::{} file={},line={},endLine={},col={},endColumn={},title={}::{}",
            level(d.severity()),
            escape_property(&file),
            r.line,
            r.end_line,
            r.column,
            r.end_column,
            escape_property(d.code.as_str()),
            escape_data(&message)
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(text: &str, span: (u32, u32, usize), message: &str) -> (Sources, Vec<Diagnostic>) {
        let mut sources = Sources::new();
        let file = sources.add_text("models/a b.yaml", text);
        let span = Span { file, line: span.0, column: span.1, start: 0, len: span.2 };
        (sources, vec![Diagnostic::new(Code::UnknownRole, span, message)])
    }

    #[test]
    fn github_message_escapes_percent_newline_colon_and_comma() {
        let (sources, diagnostics) = one("roles:\n", (1, 1, 5), "100% sure: a, b\r\nnext");
        let line = render_github(&diagnostics, &sources, Path::new("."));
        assert_eq!(
            line,
            "::error file=models/a b.yaml,line=1,endLine=1,col=1,endColumn=6,title=E0203::100%25 sure: a, b%0D%0Anext\n"
        );
    }

    #[test]
    fn github_properties_escape_colon_and_comma() {
        assert_eq!(escape_property("a:b,c%d\ne"), "a%3Ab%2Cc%25d%0Ae");
        assert_eq!(escape_data("a:b,c"), "a:b,c");
    }

    #[test]
    fn github_paths_are_relative_to_where_the_command_runs() {
        let (sources, diagnostics) = one("roles:\n", (1, 1, 5), "m");
        let line = render_github(&diagnostics, &sources, Path::new("./docs/processes/"));
        assert!(line.contains("file=docs/processes/models/a b.yaml,"), "{line}");
    }

    #[test]
    fn region_ends_after_the_underlined_characters() {
        let (sources, diagnostics) = one("  lane: finanse\n", (1, 9, 7), "m");
        assert_eq!(region(&sources, diagnostics[0].span), Region { line: 1, column: 9, end_line: 1, end_column: 16 });
        // Past the end of the line (an empty file): one column.
        let (sources, diagnostics) = one("", (1, 1, 0), "m");
        assert_eq!(region(&sources, diagnostics[0].span), Region { line: 1, column: 1, end_line: 1, end_column: 2 });
    }

    #[test]
    fn sarif_uris_are_percent_encoded_and_based_on_the_project() {
        let (sources, diagnostics) = one("roles:\n", (1, 1, 5), "m");
        let log: serde_json::Value =
            serde_json::from_str(&render_sarif(&diagnostics, &sources, Some(Path::new("/srv/my project"))))
                .expect("JSON");
        let run = &log["runs"][0];
        assert_eq!(run["originalUriBaseIds"]["PROJECTROOT"]["uri"], "file:///srv/my%20project/");
        let artifact = &run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
        assert_eq!(artifact["uri"], "models/a%20b.yaml");
        assert_eq!(artifact["uriBaseId"], "PROJECTROOT");
    }
}
