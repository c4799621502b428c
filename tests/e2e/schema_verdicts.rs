//! The JSON Schema (`procflow schema`, the one editors use) and `procflow
//! check` must agree on every project the tests hold: every fixture folder,
//! the bundled example, the layout fixtures and the starter `init` writes.
//!
//! Which rules a schema can see is decided per diagnostic code by
//! [`seen_by_schema`]: the shape of one document (unknown keys, types, the
//! id rule, one Accountable, the keys of each step type) it must reject;
//! what needs the whole model (references, duplicated ids, flows) it cannot
//! see, and a file with only such problems may pass or fail. A project that
//! checks clean of every shape rule must pass the schema file by file.
//!
//! Validation uses the `jsonschema` crate (a dev-dependency; the guide of
//! allowed crates names schemars for writing schemas and nothing for reading
//! them — `jsonschema` is the Rust ecosystem's standard validator, draft 7
//! included, and what the other schema tests use). The YAML is turned into
//! JSON values with serde-saphyr, the YAML reader procflow itself uses.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use procflow::diagnostic::{Code, Diagnostic};
use procflow::project::Project;
use procflow::source::{FileId, Sources};
use serde_json::Value;

/// What the schema can know of the rule behind a diagnostic code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// The file is not YAML a validator could read at all (not UTF-8, too
    /// large, over a parser limit, not YAML): editors report it as a YAML
    /// error, before any schema.
    BeforeTheSchema,
    /// A rule about one document's shape: the schema must reject the file.
    Shape,
    /// A rule that needs the other files or the flow graph: out of the
    /// schema's reach.
    WholeModel,
    /// A warning: the schema must not reject a file for it.
    Warning,
}

/// Every code, classified; a new code does not compile until it is.
fn seen_by_schema(code: Code) -> Seen {
    use Code::*;
    match code {
        YamlSyntax | ResourceLimit | NotUtf8 | FileTooLarge | Io => Seen::BeforeTheSchema,
        // A duplicated key is not YAML a JSON value can hold: the conversion
        // to JSON refuses it, as editors flag it themselves.
        UnknownKey | WrongType | MissingKey | DuplicateKey => Seen::Shape,
        MalformedId | MissingLane | AccountableCount | NoResponsible | CallsOnNonSubprocess | InvalidForStepType => {
            Seen::Shape
        }
        // Unique ids across entries and files, references, and "at most one
        // default flow" (draft 7 cannot count matching list entries).
        DuplicateId | UnknownRole | UnknownProcess | UnknownActivity | UnknownStep | UnknownWorkflow
        | SeveralDefaults => Seen::WholeModel,
        ActivityNotRealized
        | RaciMismatch
        | NoStartEvent
        | NoEndEvent
        | Unreachable
        | DeadEnd
        | UnlabelledBranch
        | PassThroughGateway
        | UnusedRole
        | NoOwner
        | EmptyFile
        | SkippedPath
        | RefusedLink
        | LongName
        | DiagramTooLarge
        | ReviewOverdue
        | ApprovalIncomplete
        | DraftWorkflowOfApprovedProcess => Seen::Warning,
        // `procflow drift` compares the model with tool exports: never a
        // verdict of `check`, so never one of the schema's.
        ExportUnreadable | ToolWorkflowMissing => Seen::WholeModel,
        UnknownToolStatus
        | UncoveredToolStatus
        | MissingToolTransition
        | UnmodelledToolTransition
        | TransitionRestriction
        | UnmappedLaneRole
        | ApprovalNotInTool
        | UnmodelledToolApproval => Seen::Warning,
    }
}

/// The schema's verdict on one file.
enum Verdict {
    Valid,
    /// The validator's messages, with the place in the document.
    Invalid(Vec<String>),
    /// The text does not convert to JSON values (a duplicated key, say).
    NotJson(String),
}

impl Verdict {
    /// What a disagreement report shows of it.
    fn describe(&self) -> String {
        match self {
            Verdict::Valid => "valid".to_string(),
            Verdict::Invalid(messages) => messages.join("; "),
            Verdict::NotJson(error) => format!("not JSON: {error}"),
        }
    }
}

struct Validators {
    model: jsonschema::Validator,
    settings: jsonschema::Validator,
}

impl Validators {
    fn new() -> Self {
        let compile = |text: String| {
            let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
            jsonschema::validator_for(&schema).expect("schema compiles")
        };
        Validators {
            model: compile(procflow::schema::model_schema()),
            settings: compile(procflow::schema::settings_schema()),
        }
    }

    fn verdict(&self, sources: &Sources, file: FileId) -> Verdict {
        let validator = if sources.settings() == Some(file) { &self.settings } else { &self.model };
        let documents = match serde_saphyr::from_multiple::<Value>(&sources.get(file).text) {
            Ok(documents) => documents,
            Err(err) => return Verdict::NotJson(err.to_string()),
        };
        let errors: Vec<String> = documents
            .iter()
            .enumerate()
            .flat_map(|(n, d)| {
                validator.iter_errors(d).map(move |e| format!("document {n} {}: {e}", e.instance_path()))
            })
            .collect();
        if errors.is_empty() { Verdict::Valid } else { Verdict::Invalid(errors) }
    }
}

/// Every project the tests hold, with a name to report it by.
fn projects(starter: &Path) -> Vec<(String, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut projects = vec![("models (the example)".to_string(), root.to_path_buf())];
    for folder in ["tests/fixtures", "tests/layout-fixtures", "tests/drift-fixtures"] {
        let mut found: Vec<PathBuf> = std::fs::read_dir(root.join(folder))
            .expect("fixture folder")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.is_dir())
            .collect();
        found.sort();
        projects.extend(found.into_iter().map(|p| (p.strip_prefix(root).expect("inside").display().to_string(), p)));
    }
    // `procflow diff`'s fixtures are pairs of projects.
    let mut pairs: Vec<PathBuf> = std::fs::read_dir(root.join("tests/diff-fixtures"))
        .expect("fixture folder")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .flat_map(|p| [p.join("before"), p.join("after")])
        .collect();
    pairs.sort();
    projects.extend(pairs.into_iter().map(|p| (p.strip_prefix(root).expect("inside").display().to_string(), p)));
    projects.push(("procflow init".to_string(), starter.to_path_buf()));
    projects
}

/// The text a diagnostic points at (for an unknown key: the key).
fn pointed_at<'s>(sources: &'s Sources, diagnostic: &Diagnostic) -> &'s str {
    let text = &sources.get(diagnostic.span.file).text;
    text.get(diagnostic.span.start..diagnostic.span.start + diagnostic.span.len).unwrap_or("")
}

#[derive(Debug, Default)]
struct Tally {
    /// Files with a shape error, rejected by the schema (or not JSON).
    rejected_with_check: usize,
    /// Files `check` finds clean of shape errors, accepted by the schema.
    accepted_with_check: usize,
    /// Files with problems only the whole model shows, by schema verdict.
    whole_model_accepted: usize,
    whole_model_rejected: usize,
    /// Files the schema never sees (not YAML, too large…), and files of a
    /// project whose load errors hide the later checks.
    not_compared: usize,
    disagreements: Vec<String>,
}

impl Tally {
    /// Compares the verdicts on one project's files.
    fn project(&mut self, name: &str, validators: &Validators, sources: &Sources, diagnostics: &[Diagnostic]) {
        let mut codes: BTreeMap<FileId, Vec<&Diagnostic>> = BTreeMap::new();
        for d in diagnostics {
            codes.entry(d.span.file).or_default().push(d);
        }
        // Load errors withhold the model's checks, so a file without
        // diagnostics may still break a shape rule the checker did not get to.
        let withheld = diagnostics.iter().any(|d| d.code.is_syntax());
        for (file, source) in sources.files() {
            if source.is_skipped() {
                continue;
            }
            let found = codes.get(&file).map(Vec::as_slice).unwrap_or_default();
            let seen: Vec<Seen> = found.iter().map(|d| seen_by_schema(d.code)).collect();
            let path = source.path.display();
            if seen.contains(&Seen::BeforeTheSchema) {
                self.not_compared += 1;
                continue;
            }
            let verdict = validators.verdict(sources, file);
            let rejected = !matches!(verdict, Verdict::Valid);
            if seen.contains(&Seen::Shape) {
                if rejected {
                    self.rejected_with_check += 1;
                    self.messages_name_the_keys(name, sources, found, &verdict);
                } else {
                    let codes: Vec<&str> = found.iter().map(|d| d.code.as_str()).collect();
                    self.disagreements.push(format!("{name}: {path}: check reports {codes:?}, the schema accepts it"));
                }
            } else if seen.contains(&Seen::WholeModel) {
                if rejected { self.whole_model_rejected += 1 } else { self.whole_model_accepted += 1 }
            } else if withheld {
                self.not_compared += 1;
            } else if rejected {
                self.disagreements
                    .push(format!("{name}: {path}: check accepts its shape, the schema: {}", verdict.describe()));
            } else {
                self.accepted_with_check += 1;
            }
        }
    }

    /// Every unknown key `check` reports is named by one of the schema's
    /// messages, so the editor points at the same word.
    fn messages_name_the_keys(&mut self, name: &str, sources: &Sources, found: &[&Diagnostic], verdict: &Verdict) {
        let Verdict::Invalid(messages) = verdict else { return };
        for d in found.iter().filter(|d| d.code == Code::UnknownKey) {
            let key = pointed_at(sources, d);
            if !messages.iter().any(|m| m.contains(&format!("'{key}'"))) {
                self.disagreements.push(format!("{name}: no schema message names the key `{key}`: {messages:?}"));
            }
        }
    }
}

#[test]
fn the_schema_and_check_agree_on_every_project() {
    let starter = tempfile::tempdir().expect("tempdir");
    procflow::init::init(starter.path()).expect("init writes the starter");
    let validators = Validators::new();
    let mut tally = Tally::default();
    let projects = projects(starter.path());
    assert!(projects.len() >= 80, "{} projects", projects.len());
    for (name, root) in &projects {
        let project = Project::read(root).unwrap_or_else(|e| panic!("{name}: {e}"));
        let checked = procflow::check(&project.sources);
        tally.project(name, &validators, &project.sources, &checked.diagnostics);
    }
    eprintln!(
        "schema and check over {} projects: {} files rejected by both, {} accepted by both; \
         whole-model problems only: {} accepted, {} rejected by the schema; {} not compared",
        projects.len(),
        tally.rejected_with_check,
        tally.accepted_with_check,
        tally.whole_model_accepted,
        tally.whole_model_rejected,
        tally.not_compared,
    );
    assert!(
        tally.disagreements.is_empty(),
        "{} disagreements:\n{}",
        tally.disagreements.len(),
        tally.disagreements.join("\n")
    );
    // Enough of both kinds that the comparison means something.
    assert!(tally.rejected_with_check >= 25, "{tally:?}");
    assert!(tally.accepted_with_check >= 40, "{tally:?}");
}
