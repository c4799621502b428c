//! Parsing model files into [`Document`]s, with every YAML problem turned into a
//! located [`Diagnostic`].
//!
//! Parsing runs under a budget (nesting depth, aliases, events, size) so hostile
//! input — alias bombs, 20,000-deep nesting, huge files — ends in a clear error
//! instead of a hang, a stack overflow or unbounded memory.

use rayon::prelude::*;
use serde::de::DeserializeOwned;
use serde_saphyr::{Error as YamlError, Location};

use super::{Document, Settings, located};
use crate::diagnostic::{Code, Diagnostic, did_you_mean};
use crate::source::{FileId, Skipped, Sources, Span, Unreadable};

/// One document of a file, as parsed.
#[derive(Debug, Clone)]
pub struct LoadedDocument {
    pub file: FileId,
    pub document: Document,
}

/// The parsed documents of one file, in file order.
#[derive(Debug, Clone)]
pub struct LoadedFile {
    pub file: FileId,
    pub documents: Vec<Document>,
}

/// Limits on what one file may make the parser do. A hand-written model stays
/// far below them; generated models of 50,000 steps split over files do too.
fn options() -> serde_saphyr::Options {
    let mut budget = serde_saphyr::Budget::default();
    budget.max_depth = 48;
    budget.flow_nesting_limit = 48;
    budget.max_events = 4_000_000;
    budget.max_nodes = 2_000_000;
    budget.max_aliases = 10_000;
    budget.max_anchors = 10_000;
    budget.max_documents = 10_000;
    budget.max_total_scalar_bytes = 32 * 1024 * 1024;
    let mut options = serde_saphyr::Options::default();
    options.budget = Some(budget);
    options.with_snippet = false;
    // The model keeps no comments; capturing their text would only cost time.
    options.emit_comments = false;
    options.alias_limits.max_total_replayed_events = 200_000;
    options.alias_limits.max_replay_stack_depth = 16;
    options.alias_limits.max_alias_expansions_per_anchor = 1_000;
    options
}

/// Parses every model file of `sources`. Files that fail keep their diagnostics
/// and contribute no documents; the others still load, so one bad file does not
/// hide the problems of the rest. Files are parsed in parallel; the results
/// are in file order whatever the number of threads.
pub fn load(sources: &Sources) -> (Vec<LoadedFile>, Vec<Diagnostic>) {
    let ids: Vec<FileId> = sources.model_files().map(|(id, _)| id).collect();
    let loaded: Vec<_> = ids.into_par_iter().map(|id| load_file(sources, id)).collect();
    let mut files = Vec::new();
    let mut diagnostics = Vec::new();
    for (file, found) in loaded {
        files.extend(file);
        diagnostics.extend(found);
    }
    (files, diagnostics)
}

/// Parses one model file: its documents (none when it failed) and its problems.
fn load_file(sources: &Sources, id: FileId) -> (Option<LoadedFile>, Vec<Diagnostic>) {
    match parse_file::<Document>(sources, id) {
        Ok(mut documents) => {
            let mut diagnostics = Vec::new();
            if documents.is_empty() {
                diagnostics.push(
                    Diagnostic::new(Code::EmptyFile, Span::file_start(id), "file holds no model")
                        .with_help("add `roles:`, `process:` or `workflow:`, or delete the file"),
                );
            }
            for document in &mut documents {
                fix_positions(document);
            }
            (Some(LoadedFile { file: id, documents }), diagnostics)
        }
        Err(diagnostics) => (None, diagnostics),
    }
}

/// Parsed files kept between loads of a project that is being edited, so that
/// a load after one file changed parses only that file. An entry is reused
/// only for the same file id, path and text: spans name the file id, so a file
/// whose id moved (a file was added before it) is parsed again.
#[derive(Debug, Default)]
pub struct LoadCache {
    files: Vec<Option<CachedFile>>,
}

#[derive(Debug)]
struct CachedFile {
    hash: u64,
    file: Option<LoadedFile>,
    diagnostics: Vec<Diagnostic>,
}

impl LoadCache {
    /// Like [`load`], parsing only files that changed since the last call.
    /// The files are borrowed from the cache, which keeps them for next time.
    pub fn load(&mut self, sources: &Sources) -> (Vec<&LoadedFile>, Vec<Diagnostic>) {
        let mut cached = std::mem::take(&mut self.files);
        let work: Vec<_> = sources
            .files()
            .map(|(id, source)| {
                let is_model = Some(id) != sources.settings();
                let previous = cached.get_mut(id.0 as usize).and_then(Option::take);
                (id, source, is_model, previous)
            })
            .collect();
        // Parsing is most of the time of a check: files are parsed in
        // parallel, and collected in file order whatever the thread count.
        self.files = work
            .into_par_iter()
            .map(|(id, source, is_model, previous)| {
                let hash = is_model.then(|| crate::source::hash_of(&(&source.path, &source.text, &source.unreadable)));
                match (hash, previous) {
                    (None, _) => None,
                    (Some(hash), Some(entry)) if entry.hash == hash => Some(entry),
                    (Some(hash), _) => {
                        let (file, diagnostics) = load_file(sources, id);
                        Some(CachedFile { hash, file, diagnostics })
                    }
                }
            })
            .collect();
        let loaded = self.files.iter().flatten().filter_map(|entry| entry.file.as_ref()).collect();
        let diagnostics = self.files.iter().flatten().flat_map(|entry| entry.diagnostics.iter().cloned()).collect();
        (loaded, diagnostics)
    }
}

/// Parses `procflow.yaml`; a missing file means default settings.
pub fn load_settings(sources: &Sources) -> (Settings, Vec<Diagnostic>) {
    let Some(id) = sources.settings() else {
        return (Settings::default(), Vec::new());
    };
    let (settings, mut diagnostics) = parse_settings(sources, id);
    diagnostics.extend(super::check_url_settings(&settings, id));
    (settings, diagnostics)
}

/// `procflow.yaml`'s first document, or the defaults and its problems.
fn parse_settings(sources: &Sources, id: FileId) -> (Settings, Vec<Diagnostic>) {
    match parse_file::<Settings>(sources, id) {
        Ok(mut documents) => match documents.len() {
            0 => (Settings::default(), Vec::new()),
            1 => (documents.remove(0), Vec::new()),
            _ => (
                documents.remove(0),
                vec![
                    Diagnostic::new(
                        Code::WrongType,
                        Span::file_start(id),
                        "procflow.yaml holds several documents; only the first is used",
                    )
                    .with_help("remove the `---` separators"),
                ],
            ),
        },
        Err(diagnostics) => (Settings::default(), diagnostics),
    }
}

/// Parses a file's documents, or returns its problems. serde stops at the
/// first problem; where that is a key a reader fixes by deleting or retyping
/// it (an unknown key, an unknown value, a key given twice), the key's entry
/// is blanked out — same bytes, so every position stays — and the file parsed
/// again, so one run reports them all (up to [`MAX_PROBLEMS_PER_FILE`]).
fn parse_file<T: DeserializeOwned>(sources: &Sources, id: FileId) -> Result<Vec<T>, Vec<Diagnostic>> {
    let file = sources.get(id);
    if let Some(unreadable) = &file.unreadable {
        return Err(vec![unreadable_diagnostic(id, unreadable)]);
    }
    let first = match serde_saphyr::from_multiple_with_options::<T>(&file.text, options()) {
        Ok(documents) => return Ok(documents),
        Err(err) => yaml_diagnostic(id, &file.text, &err),
    };
    let mut problems = vec![first];
    let mut text = file.text.clone();
    while problems.len() < MAX_PROBLEMS_PER_FILE {
        let Some(last) = problems.last() else { break };
        let retyped = matches!(last.code, Code::UnknownKey | Code::DuplicateKey)
            || (last.code == Code::WrongType && last.message.ends_with("is not an allowed value"));
        if !retyped || !blank_entry(&mut text, last.span.start) {
            break;
        }
        match serde_saphyr::from_multiple_with_options::<T>(&text, options()) {
            Ok(_) => break,
            Err(err) => {
                let next = yaml_diagnostic(id, &text, &err);
                if problems.iter().any(|p| p.span.start == next.span.start && p.code == next.code) {
                    break;
                }
                problems.push(next);
            }
        }
    }
    Err(problems)
}

/// Problems reported per file at most: beyond, the rest are likely one
/// mistake's consequences.
const MAX_PROBLEMS_PER_FILE: usize = 20;

/// Replaces with spaces the block-style entry at byte `at` (its key, or the
/// value of a `key: value` line): from the key to the end of its line, and the
/// lines below indented deeper than the key (its value). Keeps every byte
/// offset and line. Returns false (and changes nothing) where the entry is
/// not the first thing on its line after indentation or `- ` (a flow mapping
/// cannot lose a part safely).
fn blank_entry(text: &mut String, at: usize) -> bool {
    if at >= text.len() || !text.is_char_boundary(at) {
        return false;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text[line_start..at];
    let prefix = line.len() - line.trim_start_matches([' ', '-']).len();
    let (key_start, between) = (line_start + prefix, &line[prefix..]);
    // Between the key and `at`: nothing (at is the key) or `key: `.
    let plain_key = between.is_empty()
        || (between.trim_end().ends_with(':')
            && !between.trim_end().trim_end_matches(':').contains([':', '{', '}', '[', ']', ',', '#', '"', '\'']));
    if !plain_key || !line[..prefix].trim_start_matches(' ').trim_end_matches(' ').chars().all(|c| c == '-') {
        return false;
    }
    let at = key_start;
    let key_column = at - line_start;
    let mut end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    while end < text.len() {
        let next_start = end + 1;
        let next_end = text[next_start..].find('\n').map_or(text.len(), |i| next_start + i);
        let line = &text[next_start..next_end];
        let indent = line.len() - line.trim_start_matches(' ').len();
        let blank = line.trim().is_empty() || line.trim_start().starts_with('#');
        if !blank && indent <= key_column {
            break;
        }
        end = next_end;
    }
    // An anchor defined in the entry would leave its aliases dangling: the
    // next problem would be this blanking's, not the author's.
    if text[at..end].contains('&') {
        return false;
    }
    // Safe: every replaced byte becomes an ASCII space, except line ends.
    let blanked: String =
        text[at..end].chars().map(|c| if c == '\n' { "\n".to_string() } else { " ".repeat(c.len_utf8()) }).collect();
    text.replace_range(at..end, &blanked);
    true
}

fn unreadable_diagnostic(id: FileId, unreadable: &Unreadable) -> Diagnostic {
    match unreadable {
        &Unreadable::NotUtf8 { line, column, offset } => Diagnostic::new(
            Code::NotUtf8,
            Span { file: id, line, column, start: offset, len: 1 },
            format!("file is not UTF-8 text (invalid byte at offset {offset})"),
        )
        .with_help("save the file as UTF-8 (most editors offer this under \"Save with encoding\")"),
        &Unreadable::TooLarge { bytes } => Diagnostic::new(
            Code::FileTooLarge,
            Span::file_start(id),
            format!(
                "file is {} MiB, more than the limit of {} MiB",
                bytes / (1024 * 1024),
                crate::source::MAX_FILE_BYTES / (1024 * 1024)
            ),
        )
        .with_help("split the model into several files"),
        Unreadable::Skipped(why) => skipped_diagnostic(id, why),
    }
}

/// A path of the models folder that was not read. There is no text to point
/// into, so the diagnostic names the path (at its start, as for a file too
/// large to read) and the message says what kind of entry it is.
fn skipped_diagnostic(id: FileId, why: &Skipped) -> Diagnostic {
    let shown = |path: &std::path::Path| path.display().to_string().replace('\\', "/");
    let (message, help) = match why {
        Skipped::TooDeep { limit } => (
            format!("folder not searched: it is more than {limit} folders deep inside the models folder"),
            "move its model files into a folder nearer the models folder".to_string(),
        ),
        Skipped::Loop { first } => (
            format!("folder not searched: it leads back to `{}`, which contains it (a symbolic-link loop)", shown(first)),
            "remove the link, or point it at a folder that does not contain it".to_string(),
        ),
        Skipped::SameFolder { first } => (
            format!("folder not searched again: it is the folder `{}`, whose files are already read", shown(first)),
            "remove one of the two ways to the folder; each file is read once".to_string(),
        ),
        Skipped::NotAFile { kind } => (
            format!("not read: this is a {kind}, not a regular file"),
            "reading it could wait forever; make it a regular file, or rename it so that it does not end in `.yaml`/`.yml`".to_string(),
        ),
        Skipped::BrokenLink { target, why } => (
            format!("not read: a symbolic link to `{}`, which cannot be followed ({why})", shown(target)),
            "point the link at an existing file, or remove it".to_string(),
        ),
    };
    Diagnostic::new(Code::SkippedPath, Span::file_start(id), message).with_help(help)
}

/// Turns a serde-saphyr error into a diagnostic with a code, a clean message and
/// a hint, located at the error's position.
fn yaml_diagnostic(file: FileId, text: &str, err: &YamlError) -> Diagnostic {
    let err = err.without_snippet();
    let span = err.location().map_or(Span::file_start(file), |loc| to_span(file, text, loc));
    match err {
        YamlError::SerdeUnknownField { field, expected, .. } => {
            let mut d = Diagnostic::new(Code::UnknownKey, span, format!("unknown key `{field}`"));
            d.help = Some(match did_you_mean(field, expected.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("allowed keys here: {}", quoted_list(expected)),
            });
            d
        }
        YamlError::SerdeUnknownVariant { variant, expected, .. } => {
            let mut d = Diagnostic::new(Code::WrongType, span, format!("`{variant}` is not an allowed value"));
            d.help = Some(match did_you_mean(variant, expected.iter().copied()) {
                Some(close) => format!("did you mean `{close}`?"),
                None => format!("allowed values: {}", quoted_list(expected)),
            });
            d
        }
        YamlError::SerdeMissingField { field, .. } => {
            // serde notices a missing key at the end of the mapping; the reader
            // needs the start of the entry.
            let span = entry_start(text, span);
            Diagnostic::new(Code::MissingKey, span, format!("this entry has no `{field}`"))
                .with_help(format!("add `{field}:` to this entry"))
        }
        YamlError::DuplicateMappingKey { key, .. } => Diagnostic::new(
            Code::DuplicateKey,
            span,
            match key {
                Some(key) => format!("key `{key}` appears twice in this mapping"),
                None => "a key appears twice in this mapping".to_string(),
            },
        )
        .with_help("remove one of them, or merge their values"),
        YamlError::SerdeInvalidType { unexpected, expected, .. }
        | YamlError::SerdeInvalidValue { unexpected, expected, .. } => {
            let mut d = Diagnostic::new(Code::WrongType, span, format!("found {unexpected}, expected {expected}"));
            if expected.contains("struct Document") {
                d.message = format!("a model document must be a mapping, found {unexpected}");
                d.help = Some(
                    "start the document with `roles:`, `process:`, `processes:`, `workflow:` or `workflows:`".into(),
                );
            }
            d
        }
        YamlError::Unexpected { expected, .. } => {
            let wanted = match *expected {
                "mapping start" => "a mapping of `key: value` entries",
                "sequence start" => "a list",
                "string scalar" => "a text value",
                other => other,
            };
            Diagnostic::new(Code::WrongType, span, format!("expected {wanted} here"))
                .with_help("compare the entry with the format reference (docs/model-format.md) or `procflow schema`")
        }
        YamlError::NullIntoString { .. } | YamlError::InvalidCharNull { .. } => {
            let what = key_before(text, span.start).map_or("this value".to_string(), |key| format!("`{key}`"));
            Diagnostic::new(
                Code::WrongType,
                span,
                format!("{what} is empty (`~` and `null` mean no value), but it needs a text"),
            )
            .with_help("write the text after the colon, or remove the line if the key is optional")
        }
        YamlError::TaggedScalarCannotDeserializeIntoString { .. } => {
            let what = key_before(text, span.start).map_or("this value".to_string(), |key| format!("`{key}`"));
            Diagnostic::new(Code::WrongType, span, format!("{what} has a YAML tag (`!…`), but it needs a plain text"))
                .with_help("remove the tag, or quote the whole value")
        }
        YamlError::InvalidBooleanStrict { .. } => {
            Diagnostic::new(Code::WrongType, span, "expected `true` or `false`".to_string())
        }
        _ => other_diagnostic(file, text, err, span),
    }
}

/// Parser limits, syntax errors and everything serde-saphyr reports without a
/// dedicated variant: classified by their message, with a hint where one helps.
fn other_diagnostic(file: FileId, text: &str, err: &YamlError, span: Span) -> Diagnostic {
    let message = plain_message(err);
    if message.contains("limit exceeded") || message.contains("recursion limit") || message.contains("budget") {
        return Diagnostic::new(Code::ResourceLimit, span, format!("file exceeds a parser limit: {message}"))
            .with_help("models may nest at most 48 levels deep and use aliases sparingly; simplify or split the file");
    }
    if message.contains("invalid") && !message.contains("indentation") {
        return Diagnostic::new(Code::WrongType, span, message);
    }
    if message.contains("found a tab") {
        // The scanner reports the token before the tab; point at the tab itself.
        let tab = text.get(span.start..).and_then(|rest| rest.find('\t')).map(|i| span.start + i);
        let span = tab.map_or(span, |offset| {
            let (line, column) = crate::source::line_column(text, offset);
            Span { file, line, column, start: offset, len: 1 }
        });
        return Diagnostic::new(Code::YamlSyntax, span, "tab character in indentation".to_string())
            .with_help("indent with spaces; YAML does not allow tabs for indentation");
    }
    let mut d = Diagnostic::new(Code::YamlSyntax, span, message);
    if d.message.contains("quoted scalar") {
        d.help = Some("a quote (' or \") opened earlier is probably not closed".to_string());
    } else if d.message.contains("mapping values are not allowed")
        || d.message.contains("did not find expected key")
        || d.message.contains("block mapping")
    {
        d.help = Some(
            "check the indentation here and on the line above: keys of one entry start in the same column, \
             and a value that holds text with `: ` needs quotes"
                .to_string(),
        );
    }
    d
}

/// The error text without its position (which the diagnostic shows itself).
fn plain_message(err: &YamlError) -> String {
    let text = err.to_string();
    let text = match text.find(" at line ") {
        Some(i) => &text[..i],
        None => text.as_str(),
    };
    let text = text.trim().trim_end_matches('.');
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => "the file could not be parsed".to_string(),
    }
}

/// The mapping key written before `offset` on its line (`  - id: ~` gives
/// `id`), to name the key a value-level error is about.
fn key_before(text: &str, offset: usize) -> Option<&str> {
    let before = text.get(..offset)?;
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    let key = line.trim_end().strip_suffix(':')?.trim_start().trim_start_matches("- ").trim();
    let key = key.trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty() && !key.contains(':')).then_some(key)
}

fn quoted_list(items: &[&str]) -> String {
    items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ")
}

fn to_span(file: FileId, text: &str, loc: Location) -> Span {
    let line = loc.line().max(1) as u32;
    let column = loc.column().max(1) as u32;
    let start =
        loc.span().byte_offset().map(|o| o as usize).unwrap_or_else(|| crate::source::offset_of(text, line, column));
    Span { file, line, column, start, len: loc.span().byte_len().unwrap_or(0) as usize }
}

/// The start of the block mapping that contains the line of `span`: the list
/// item (`- key: ...`) or parent key at a smaller indentation. Flow mappings and
/// anything unusual keep the original span.
fn entry_start(text: &str, span: Span) -> Span {
    let lines: Vec<&str> = text.split('\n').collect();
    let Some(current) = lines.get(span.line as usize - 1) else { return span };
    let indent = |line: &str| line.len() - line.trim_start_matches(' ').len();
    let content_indent = |line: &str| {
        let rest = line.trim_start_matches(' ');
        indent(line) + if rest.starts_with("- ") { 2 } else { 0 }
    };
    let target = indent(current);
    for number in (0..span.line as usize - 1).rev() {
        let line = lines[number];
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let starts_item = line.trim_start_matches(' ').starts_with("- ");
        if starts_item && content_indent(line) == target || indent(line) < target {
            let column = content_indent(line) + 1;
            let start: usize = lines[..number].iter().map(|l| l.len() + 1).sum::<usize>() + column - 1;
            let len = line.trim_end().len().saturating_sub(column - 1);
            return Span { file: span.file, line: number as u32 + 1, column: column as u32, start, len };
        }
    }
    span
}

/// Gives bare step ids in `next` lists the position of their list entry.
fn fix_positions(document: &mut Document) {
    let workflows = document.workflow.iter_mut().chain(document.workflows.iter_mut());
    for workflow in workflows {
        for step in &mut workflow.steps {
            if let Some(next) = &mut step.next {
                located::fix_bare_positions(next);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn blanked(text: &str, key: &str) -> Option<String> {
        let mut text = text.to_string();
        let at = text.find(key)?;
        blank_entry(&mut text, at).then_some(text)
    }

    #[test]
    fn an_entry_and_its_nested_value_are_blanked_keeping_every_offset() {
        let text = "a:\n  nmae:\n    deep: 1\n  name: x\n";
        let out = blanked(text, "nmae").expect("blanked");
        assert_eq!(out.len(), text.len());
        assert_eq!(out.lines().count(), text.lines().count());
        assert_eq!(out, "a:\n       \n           \n  name: x\n");
    }

    #[test]
    fn a_list_item_keeps_its_dash_and_a_value_blanks_its_whole_entry() {
        assert_eq!(blanked("- nmae: X\n  id: a\n", "nmae").as_deref(), Some("-        \n  id: a\n"));
        assert_eq!(blanked("  type: gatway\n  name: G\n", "gatway").as_deref(), Some("              \n  name: G\n"));
    }

    #[test]
    fn flow_mappings_and_anchors_are_left_alone() {
        assert_eq!(blanked("a: {b: 1, nmae: 2}\n", "nmae"), None);
        assert_eq!(blanked("x0: &a [1]\ny: *a\n", "x0"), None);
    }

    #[test]
    fn multi_byte_text_stays_valid_and_the_same_length() {
        let text = "nmae: Zoë Ünal\nname: x\n";
        let out = blanked(text, "nmae").expect("blanked");
        assert_eq!(out.len(), text.len());
        assert!(out.ends_with("name: x\n"));
    }
}
