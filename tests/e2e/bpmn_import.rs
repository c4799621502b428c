//! BPMN 2.0 import (`procflow::bpmn::import`, `procflow import bpmn`), judged
//! on files other tools wrote and on procflow's own export:
//!
//! - every BPMN MIWG reference model (`tests/bpmn/miwg/reference/`, CC BY 3.0)
//!   is imported, checked and built into a site; a table of what imported
//!   fully, partially (which elements) or failed (why) is printed and compared
//!   with `tests/bpmn/miwg-expected.txt` (`UPDATE_EXPECT=1` rewrites it), and
//!   every flow node and sequence flow of every model is either imported or
//!   named by a warning;
//! - round trip: every workflow of `models/` is exported, imported, checked
//!   and exported again, and every node, flow, lane and label survives;
//! - bpmn.io exports (a copied handful, and every export under
//!   `../shared/interop/` when it is there) import without panics into
//!   models without errors; mutated files never make the import panic;
//! - the mapping itself (encodings, prefixes, lanes, flows, documentation,
//!   sub-processes, no implicit flows) on small hand-written files;
//! - the `procflow import bpmn` command.

use crate::common;
use crate::outside;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use common::bpmn_files;
use procflow::bpmn::{self, Imported, Loss, MODEL_NS};
use procflow::compile::Model;
use procflow::layout::{self, LayoutOptions};
use procflow::source::Sources;
use proptest::prelude::*;
use roxmltree::{Document, Node};

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn miwg_dir() -> PathBuf {
    manifest().join("tests/bpmn/miwg")
}

/// Loads an import's files the way a project would hold them, without disk.
fn load(imported: &Imported) -> (Sources, procflow::Checked) {
    let mut sources = Sources::new();
    // SVG and BPMN downloads: the site then exports every imported workflow again.
    sources.set_settings("procflow.yaml", b"formats: [svg, bpmn]\n".to_vec());
    for file in &imported.files {
        sources.add_text(format!("models/{}", file.name), file.text.clone());
    }
    let checked = procflow::check(&sources);
    (sources, checked)
}

fn errors_of(checked: &procflow::Checked, sources: &Sources) -> Option<String> {
    let counts = procflow::diagnostic::count(&checked.diagnostics);
    (counts.errors > 0).then(|| procflow::diagnostic::render_report(&checked.diagnostics, sources, false))
}

fn import_ok(bytes: &[u8], what: &str) -> (Imported, Sources, procflow::Checked) {
    let imported = bpmn::import(bytes).unwrap_or_else(|e| panic!("{what}: import failed: {e}"));
    let (sources, checked) = load(&imported);
    if let Some(report) = errors_of(&checked, &sources) {
        panic!("{what}: the imported model has errors:\n{report}\n{}", imported.yaml());
    }
    (imported, sources, checked)
}

// ---------------------------------------------------------------------------
// Reading BPMN in the tests, independently of the importer

/// The text of a BPMN file; the MIWG files declare UTF-8 or ISO-8859-1.
fn text_of(bytes: &[u8]) -> String {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    if head.contains("iso-8859-1") {
        encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
    } else {
        String::from_utf8(bytes.to_vec()).expect("the test file is UTF-8")
    }
}

const FLOW_NODES: &[&str] = &[
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "boundaryEvent",
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "scriptTask",
    "businessRuleTask",
    "subProcess",
    "transaction",
    "adHocSubProcess",
    "callActivity",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
    "complexGateway",
];

fn is_model(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(MODEL_NS) && node.tag_name().name() == name
}

fn is_flow_node(node: &Node) -> bool {
    node.is_element()
        && node.tag_name().namespace() == Some(MODEL_NS)
        && FLOW_NODES.contains(&node.tag_name().name())
        // Flow nodes of choreographies are not process flow nodes.
        && node.ancestors().any(|a| is_model(&a, "process"))
}

/// Sequence flows added for link events: one per matching catching link
/// event of each throwing one (same parent, same link name).
fn link_flows(doc: &Document) -> usize {
    let link_name = |n: &Node| -> Option<String> {
        let def = n.children().find(|c| is_model(c, "linkEventDefinition"))?;
        def.attribute("name").or(n.attribute("name")).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
    };
    doc.descendants()
        .filter(|n| is_model(n, "intermediateThrowEvent"))
        .filter_map(|t| Some((t, link_name(&t)?)))
        .map(|(t, name)| {
            t.parent()
                .into_iter()
                .flat_map(|p| p.children())
                .filter(|c| is_model(c, "intermediateCatchEvent") && link_name(c).as_deref() == Some(name.as_str()))
                .count()
        })
        .sum()
}

fn flow_count(model: &Model) -> usize {
    model.workflows.iter().flat_map(|&w| model.workflow(w).steps.clone()).map(|s| model.flows_from(s).len()).sum()
}

fn step_count(model: &Model) -> usize {
    model.workflows.iter().map(|&w| model.workflow(w).steps.len()).sum()
}

// ---------------------------------------------------------------------------
// MIWG reference models

/// One row of the MIWG table.
struct Row {
    model: String,
    flow_nodes: usize,
    flows: usize,
    lanes: usize,
    workflows: usize,
    check_warnings: usize,
    result: &'static str,
    details: String,
}

/// "boundary event ×2, message flow ×2" for the warnings of one kind of loss.
fn summary(imported: &Imported, loss: Loss) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for w in imported.warnings.iter().filter(|w| w.loss == loss) {
        *counts.entry(&w.feature).or_default() += 1;
    }
    counts.iter().map(|(e, n)| if *n == 1 { e.to_string() } else { format!("{e} ×{n}") }).collect::<Vec<_>>().join(", ")
}

fn miwg_row(path: &Path) -> Row {
    let model = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default().to_string();
    let bytes = std::fs::read(path).expect("the model reads");
    let text = text_of(&bytes);
    let doc = Document::parse(&text).expect("the reference model is XML");
    let flow_nodes: Vec<Node> = doc.descendants().filter(is_flow_node).collect();
    let flows = doc.descendants().filter(|n| is_model(n, "sequenceFlow")).count();
    let lanes = doc.descendants().filter(|n| is_model(n, "lane")).count();
    let mut row = Row {
        model: model.clone(),
        flow_nodes: flow_nodes.len(),
        flows,
        lanes,
        workflows: 0,
        check_warnings: 0,
        result: "failed",
        details: String::new(),
    };
    let imported = match bpmn::import(&bytes) {
        Ok(imported) => imported,
        Err(err) => {
            row.details = format!("import: {err}");
            return row;
        }
    };
    row.workflows = imported.workflows.len();

    // Every warning names an element of the file (or the file itself).
    let ids: BTreeSet<&str> = doc.descendants().filter_map(|n| n.attribute("id")).collect();
    for w in &imported.warnings {
        match &w.id {
            Some(id) => assert!(ids.contains(id.as_str()), "{model}: warning names no element: {w}"),
            None => assert!(!w.message.is_empty(), "{model}: empty warning"),
        }
    }

    let (sources, checked) = load(&imported);
    if let Some(report) = errors_of(&checked, &sources) {
        row.details = format!("check: {}", report.lines().next().unwrap_or_default());
        return row;
    }
    row.check_warnings = procflow::diagnostic::count(&checked.diagnostics).warnings;

    // Nothing silently dropped: every flow node is a step unless it (or a
    // container around it) is reported as dropped, every sequence flow is a
    // flow unless reported; link events add flows.
    let dropped: BTreeSet<&str> =
        imported.warnings.iter().filter(|w| w.loss == Loss::Dropped).filter_map(|w| w.id.as_deref()).collect();
    let is_dropped = |n: &Node| n.ancestors().any(|a| a.attribute("id").is_some_and(|id| dropped.contains(id)));
    let kept_nodes = flow_nodes.iter().filter(|n| !is_dropped(n)).count();
    assert_eq!(step_count(&checked.model), kept_nodes, "{model}: steps vs flow nodes not reported as dropped");
    let kept_flows = doc.descendants().filter(|n| is_model(n, "sequenceFlow") && !is_dropped(n)).count();
    assert_eq!(
        flow_count(&checked.model),
        kept_flows + link_flows(&doc),
        "{model}: flows vs sequence flows not reported as dropped"
    );

    if let Err(err) = procflow::site::build(&checked, &sources) {
        row.details = format!("build: {err}");
        return row;
    }
    let dropped = summary(&imported, Loss::Dropped);
    let simplified = summary(&imported, Loss::Approximated);
    row.result = if imported.warnings.is_empty() { "full" } else { "partial" };
    row.details = [("left out", dropped), ("simplified", simplified)]
        .into_iter()
        .filter(|(_, list)| !list.is_empty())
        .map(|(what, list)| format!("{what}: {list}"))
        .collect::<Vec<_>>()
        .join("; ");
    row
}

fn table(rows: &[Row]) -> String {
    let mut out = String::from(
        "| model | flow nodes | flows | lanes | workflows | check warnings | import | not carried over |\n\
         |---|---:|---:|---:|---:|---:|---|---|\n",
    );
    for r in rows {
        out.push_str(&format!(
            "| {} | {} | {} | {} | {} | {} | {} | {} |\n",
            r.model, r.flow_nodes, r.flows, r.lanes, r.workflows, r.check_warnings, r.result, r.details
        ));
    }
    out
}

#[test]
fn miwg_reference_models_import_check_and_build() {
    let files = bpmn_files(&miwg_dir().join("reference"));
    assert_eq!(files.len(), 21, "the 21 MIWG reference models are in tests/bpmn/miwg/reference");
    let rows: Vec<Row> = files.iter().map(|f| miwg_row(f)).collect();
    let table = table(&rows);
    println!("{table}");
    for row in &rows {
        assert!(row.result != "failed" || !row.details.is_empty(), "{}: a failure must say why", row.model);
        assert!(row.result != "partial" || !row.details.is_empty(), "{}: a partial import must say what", row.model);
    }
    let expected_path = manifest().join("tests/bpmn/miwg-expected.txt");
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        std::fs::write(&expected_path, &table).expect("the expected table writes");
        return;
    }
    let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
    assert!(
        expected == table,
        "the MIWG import table changed; review it and rerun with UPDATE_EXPECT=1 to accept.\n\
         expected:\n{expected}\nactual:\n{table}"
    );
}

// ---------------------------------------------------------------------------
// Round trip of procflow's own models

/// What a round trip must keep, read from an exported file.
#[derive(Debug, Default, PartialEq, Eq)]
struct Semantics {
    process: BTreeSet<(String, String, String)>,
    participants: BTreeSet<String>,
    /// (id, tag, name, event definitions, default flow, documentation).
    nodes: BTreeSet<(String, String, String, String, String, String)>,
    /// (id, source, target, name, condition).
    flows: BTreeSet<(String, String, String, String, String)>,
    /// (id, name, members).
    lanes: BTreeSet<(String, String, String)>,
}

fn semantics(xml: &str) -> Semantics {
    let doc = Document::parse(xml).expect("the export is XML");
    let text = |n: Node| n.descendants().filter(Node::is_text).filter_map(|t| t.text()).collect::<String>();
    let docs = |n: Node| {
        n.children()
            .filter(|c| is_model(c, "documentation"))
            .map(|d| format!("{}={}", d.attribute("id").unwrap_or_default(), text(d).trim_end()))
            .collect::<Vec<_>>()
            .join("|")
    };
    let attr = |n: Node, a: &str| n.attribute(a).unwrap_or_default().to_string();
    let mut s = Semantics::default();
    for n in doc.descendants() {
        if is_model(&n, "process") {
            s.process.insert((attr(n, "id"), attr(n, "name"), docs(n)));
        } else if is_model(&n, "participant") {
            s.participants.insert(attr(n, "name"));
        } else if is_flow_node(&n) {
            // A call across files comes back as a sub-process (no `calls`).
            let tag = match n.tag_name().name() {
                "callActivity" => "subProcess",
                other => other,
            };
            let definitions: Vec<&str> = n
                .children()
                .filter(|c| c.is_element() && c.tag_name().name().ends_with("EventDefinition"))
                .map(|c| c.tag_name().name())
                .collect();
            s.nodes.insert((
                attr(n, "id"),
                tag.to_string(),
                attr(n, "name"),
                definitions.join(","),
                attr(n, "default"),
                docs(n),
            ));
        } else if is_model(&n, "sequenceFlow") {
            let condition = n.children().find(|c| is_model(c, "conditionExpression")).map(text).unwrap_or_default();
            s.flows.insert((attr(n, "id"), attr(n, "sourceRef"), attr(n, "targetRef"), attr(n, "name"), condition));
        } else if is_model(&n, "lane") {
            let mut members: Vec<String> = n
                .children()
                .filter(|c| is_model(c, "flowNodeRef"))
                .filter_map(|c| c.text())
                .map(|t| t.trim().to_string())
                .collect();
            members.sort();
            s.lanes.insert((attr(n, "id"), attr(n, "name"), members.join(",")));
        }
    }
    s
}

/// A workflow's steps and flows as the model sees them, for comparison.
fn model_view(model: &Model, workflow: petgraph::stable_graph::NodeIndex) -> Vec<String> {
    let w = model.workflow(workflow);
    let mut out = vec![format!("workflow {} {:?} {:?}", w.id, w.name, w.description.as_deref().map(str::trim_end))];
    out.push(format!("lanes {:?}", w.lanes.iter().map(|&r| model.role(r).id.clone()).collect::<Vec<_>>()));
    let mut steps: Vec<String> = w
        .steps
        .iter()
        .map(|&s| {
            let step = model.step(s);
            let lane = step.lane.map(|r| format!("{}={}", model.role(r).id, model.role(r).name));
            let mut flows: Vec<String> = model
                .flows_from(s)
                .into_iter()
                .map(|(_, t, f)| format!("->{} {:?}", model.step(t).id, f.label))
                .collect();
            flows.sort();
            format!(
                "step {} {:?} {:?} {:?} {:?} {:?} {:?} {:?} {}",
                step.id,
                step.step_type,
                step.kind,
                step.trigger,
                step.name,
                lane,
                step.instructions.as_deref().map(str::trim_end),
                step.description.as_deref().map(str::trim_end),
                flows.join(" ")
            )
        })
        .collect();
    steps.sort();
    out.extend(steps);
    out
}

#[test]
fn models_survive_export_import_export() {
    let project = procflow::project::Project::read(manifest()).expect("the project reads");
    let original = procflow::check(&project.sources);
    assert!(original.is_ok(false), "models/ has errors");
    let model = &original.model;
    assert!(!model.workflows.is_empty());
    for &w in &model.workflows {
        let id = &model.workflow(w).id;
        let first = bpmn::export(model, w, &layout::workflow(model, w, LayoutOptions::default()));
        let (imported, _, checked) = import_ok(first.as_bytes(), id);
        assert_eq!(imported.workflows, vec![id.clone()], "{id}: the workflow keeps its id");
        let again = &checked.model;
        let w2 = again.workflow_by_id(id).expect("the imported workflow");
        let second = bpmn::export(again, w2, &layout::workflow(again, w2, LayoutOptions::default()));

        let (a, b) = (semantics(&first), semantics(&second));
        assert!(!a.nodes.is_empty() && !a.flows.is_empty() && !a.lanes.is_empty(), "{id}: the export was read");
        assert_eq!(a.process, b.process, "{id}: process name and description");
        assert_eq!(a.participants, b.participants, "{id}: pool");
        assert_eq!(a.nodes, b.nodes, "{id}: nodes (id, type, name, trigger, default, documentation)");
        assert_eq!(a.flows, b.flows, "{id}: flows (from, to, label, condition)");
        assert_eq!(a.lanes, b.lanes, "{id}: lanes and their members");

        let (mut before, mut after) = (model_view(model, w), model_view(again, w2));
        // Calls across files are reported, not kept (one file, one import).
        for &s in &model.workflow(w).steps {
            if let Some(called) = model.called_workflow(s) {
                let step = &model.step(s).id;
                assert!(
                    imported.warnings.iter().any(|x| x.id.as_deref() == Some(&format!("Step_{step}"))
                        && x.message.contains(&model.workflow(called).id)),
                    "{id}: the lost call of {step} is reported"
                );
            }
        }
        before.retain(|l| !l.is_empty());
        after.retain(|l| !l.is_empty());
        assert_eq!(before, after, "{id}: the model read back");
    }
}

// ---------------------------------------------------------------------------
// Other tools' files, and robustness

#[test]
fn bpmn_io_exports_import_into_models_without_errors() {
    let files = bpmn_files(&miwg_dir().join("bpmn-io"));
    assert!(files.len() >= 5);
    for file in &files {
        let bytes = std::fs::read(file).expect("reads");
        let (imported, _, checked) = import_ok(&bytes, &file.display().to_string());
        assert!(!checked.model.workflows.is_empty());
        assert!(!imported.roles.is_empty());
    }
}

/// Every export of the tools in `../shared/interop/bpmn-miwg/exports/`
/// (bpmn.io, Signavio, Trisotech; some fail the XSD): the import never
/// panics, and what it imports checks without errors.
#[test]
fn shared_tool_exports_never_panic() {
    let root = manifest().join("../shared/interop/bpmn-miwg/exports");
    let Ok(tools) = std::fs::read_dir(&root) else {
        eprintln!("note: {} is not here; only the copied files were imported", root.display());
        return;
    };
    let mut imported_files = 0;
    let mut refused = Vec::new();
    for tool in tools.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_dir()) {
        for file in bpmn_files(&tool) {
            let bytes = std::fs::read(&file).expect("reads");
            match bpmn::import(&bytes) {
                Ok(imported) => {
                    let (sources, checked) = load(&imported);
                    if let Some(report) = errors_of(&checked, &sources) {
                        panic!("{}: the imported model has errors:\n{report}", file.display());
                    }
                    imported_files += 1;
                }
                Err(err) => refused.push(format!("{}: {err}", file.display())),
            }
        }
    }
    eprintln!("imported {imported_files} tool exports; refused {}: {refused:#?}", refused.len());
    assert!(imported_files > 100, "the shared exports were imported");
}

/// A file cut anywhere: an error or an import, never a panic.
#[test]
fn truncated_files_never_panic() {
    let bytes = std::fs::read(miwg_dir().join("reference/A.1.0.bpmn")).expect("reads");
    for end in (0..bytes.len()).step_by(7) {
        if let Ok(imported) = bpmn::import(&bytes[..end]) {
            let (sources, checked) = load(&imported);
            assert!(errors_of(&checked, &sources).is_none(), "prefix of {end} bytes");
        }
    }
}

/// Random edits of a real file.
#[derive(Debug, Clone)]
enum Edit {
    Set(usize, u8),
    Delete(usize, usize),
    Insert(usize, Vec<u8>),
    Copy(usize, usize, usize),
}

fn edit_strategy() -> impl Strategy<Value = Edit> {
    let snippets = prop::sample::select(vec![
        b"<".to_vec(),
        b">".to_vec(),
        b"\"".to_vec(),
        b"&amp;".to_vec(),
        b"&#0;".to_vec(),
        b"<![CDATA[x]]>".to_vec(),
        b" id=\"x\"".to_vec(),
        b"<bpmn:task id=\"t\"/>".to_vec(),
        b"<semantic:subProcess id=\"s\">".to_vec(),
        b"<semantic:sequenceFlow id=\"f\" sourceRef=\"x\" targetRef=\"x\"/>".to_vec(),
        vec![0xff, 0xfe],
        vec![0xc3],
        "é\u{2028}\u{feff}".as_bytes().to_vec(),
    ]);
    prop_oneof![
        (any::<usize>(), any::<u8>()).prop_map(|(i, b)| Edit::Set(i, b)),
        (any::<usize>(), 1usize..200).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<usize>(), prop_oneof![snippets, prop::collection::vec(any::<u8>(), 1..16)])
            .prop_map(|(i, b)| Edit::Insert(i, b)),
        (any::<usize>(), any::<usize>(), 1usize..400).prop_map(|(from, to, n)| Edit::Copy(from, to, n)),
    ]
}

fn apply(bytes: &mut Vec<u8>, edit: &Edit) {
    let len = bytes.len().max(1);
    match edit {
        Edit::Set(i, b) => {
            let i = i % len;
            if let Some(x) = bytes.get_mut(i) {
                *x = *b;
            }
        }
        Edit::Delete(i, n) => {
            let i = i % len;
            let end = (i + n).min(bytes.len());
            if i < end {
                bytes.drain(i..end);
            }
        }
        Edit::Insert(i, b) => {
            let i = (i % len).min(bytes.len());
            bytes.splice(i..i, b.iter().copied());
        }
        Edit::Copy(from, to, n) => {
            let from = from % len;
            let end = (from + n).min(bytes.len());
            let chunk: Vec<u8> = bytes.get(from..end).unwrap_or_default().to_vec();
            let to = (to % len).min(bytes.len());
            bytes.splice(to..to, chunk);
        }
    }
}

/// Edits that keep a file well-formed XML, so they reach the mapping:
/// elements deleted, copied or moved (duplicate ids, dangling and cyclic
/// references, flows into other scopes), attribute values swapped for other
/// values of the file or for odd ones.
#[derive(Debug, Clone)]
enum XmlEdit {
    Delete(usize),
    Copy(usize, usize),
    Move(usize, usize),
    Value(usize, usize),
}

const ODD_VALUES: &[&str] =
    &["", "x", "Step_", "Process_", "roles", "tns:", "true", "false", "NaN", "-1e308", "&amp;#10;"];

fn xml_edit_strategy() -> impl Strategy<Value = XmlEdit> {
    prop_oneof![
        any::<usize>().prop_map(XmlEdit::Delete),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| XmlEdit::Copy(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| XmlEdit::Move(a, b)),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| XmlEdit::Value(a, b)),
    ]
}

/// Applies an edit to well-formed XML; `None` when the text does not parse.
fn apply_xml(text: &str, edit: &XmlEdit) -> Option<String> {
    let doc = Document::parse(text).ok()?;
    let elements: Vec<std::ops::Range<usize>> =
        doc.root_element().descendants().skip(1).filter(Node::is_element).map(|n| n.range()).collect();
    let values: Vec<(std::ops::Range<usize>, &str)> = doc
        .descendants()
        .flat_map(|n| n.attributes().map(|a| (a.range_value(), a.value())).collect::<Vec<_>>())
        .collect();
    if elements.is_empty() {
        return None;
    }
    let pick = |i: &usize| elements[i % elements.len()].clone();
    let mut out = text.to_string();
    match edit {
        XmlEdit::Delete(i) => {
            out.replace_range(pick(i), "");
        }
        XmlEdit::Copy(i, j) => {
            let copy = text[pick(i)].to_string();
            out.insert_str(pick(j).start, &copy);
        }
        XmlEdit::Move(i, j) => {
            let (from, to) = (pick(i), pick(j));
            if to.start >= from.start && to.start < from.end {
                return Some(out);
            }
            let chunk = text[from.clone()].to_string();
            if to.start > from.start {
                out.insert_str(to.start, &chunk);
                out.replace_range(from, "");
            } else {
                out.replace_range(from, "");
                out.insert_str(to.start, &chunk);
            }
        }
        XmlEdit::Value(i, j) => {
            let (range, _) = values.get(i % values.len().max(1))?.clone();
            let value = match values.get(j % (values.len() + ODD_VALUES.len())) {
                Some((_, v)) => v.replace('&', "&amp;").replace('<', "&lt;").replace('"', "&quot;"),
                None => ODD_VALUES.get(j % (values.len() + ODD_VALUES.len()) - values.len())?.to_string(),
            };
            out.replace_range(range, &value);
        }
    }
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, ..ProptestConfig::default() })]

    /// Structural edits of real files (lanes, pools, sub-processes,
    /// conditions): whatever imports checks without errors.
    #[test]
    fn edited_files_import_into_models_without_errors(
        base in prop::sample::select(vec![
            "reference/A.4.1.bpmn", "reference/C.9.2.bpmn", "reference/C.5.0.bpmn", "bpmn-io/A.2.1-export.bpmn",
        ]),
        edits in prop::collection::vec(xml_edit_strategy(), 1..12),
    ) {
        let mut text = std::fs::read_to_string(miwg_dir().join(base)).expect("reads");
        for edit in &edits {
            match apply_xml(&text, edit) {
                Some(next) => text = next,
                None => break,
            }
        }
        if let Ok(imported) = bpmn::import(text.as_bytes()) {
            let (sources, checked) = load(&imported);
            prop_assert!(errors_of(&checked, &sources).is_none(), "{:?}\n{}", errors_of(&checked, &sources), imported.yaml());
        }
    }

    /// Mutated real files (a Latin-1 MIWG model, a bpmn.io export): the
    /// import returns an error or YAML that checks without errors.
    #[test]
    fn mutated_files_never_panic(
        base in prop::sample::select(vec!["reference/A.3.0.bpmn", "reference/C.9.1.bpmn", "bpmn-io/A.2.1-export.bpmn"]),
        edits in prop::collection::vec(edit_strategy(), 1..8),
    ) {
        let mut bytes = std::fs::read(miwg_dir().join(base)).expect("reads");
        for edit in &edits {
            apply(&mut bytes, edit);
        }
        if let Ok(imported) = bpmn::import(&bytes) {
            let (sources, checked) = load(&imported);
            prop_assert!(errors_of(&checked, &sources).is_none(), "{:?}\n{}", errors_of(&checked, &sources), imported.yaml());
        }
    }

    /// Arbitrary bytes.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..512)) {
        let _ = bpmn::import(&bytes);
    }
}

/// Nesting far beyond what tools write: no stack overflow, and sub-processes
/// below the nesting limit are reported with their contents.
#[test]
fn deep_nesting_is_imported_or_reported() {
    let deep_xml = format!(
        "<definitions xmlns=\"{MODEL_NS}\"><process id=\"p\"><task id=\"t\"/>{}{}</process></definitions>",
        "<x>".repeat(50_000),
        "</x>".repeat(50_000)
    );
    let imported = bpmn::import(deep_xml.as_bytes()).expect("imports");
    assert!(imported.warnings.iter().any(|w| w.element == "x"));

    let mut nested = format!("<definitions xmlns=\"{MODEL_NS}\"><process id=\"p\"><startEvent id=\"s\"/>");
    for i in 0..500 {
        nested.push_str(&format!("<subProcess id=\"sp{i}\"><startEvent id=\"s{i}\"/>"));
    }
    nested.push_str(&"</subProcess>".repeat(500));
    nested.push_str("</process></definitions>");
    let (imported, _, _) = import_ok(nested.as_bytes(), "nested sub-processes");
    assert!(imported.workflows.len() < 50, "{} workflows", imported.workflows.len());
    assert!(imported.warnings.iter().any(|w| w.message.contains("nested more than")));
}

/// The import's workflows export again as BPMN that passes the OMG XSDs
/// (xmllint; skipped without it unless PROCFLOW_REQUIRE_XMLLINT=1).
#[test]
fn imported_miwg_models_export_valid_bpmn() {
    if outside::skip("imported_miwg_models_export_valid_bpmn") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let mut files = Vec::new();
    for path in bpmn_files(&miwg_dir().join("reference")) {
        let bytes = std::fs::read(&path).expect("reads");
        let (_, _, checked) = import_ok(&bytes, &path.display().to_string());
        let model = &checked.model;
        for &w in &model.workflows {
            let xml = bpmn::export(model, w, &layout::workflow(model, w, LayoutOptions::default()));
            let stem = path.file_stem().and_then(|s| s.to_str()).unwrap_or_default();
            let file = dir.path().join(format!("{stem}-{}.bpmn", model.workflow(w).id));
            std::fs::write(&file, xml).expect("writes");
            files.push(file);
        }
    }
    let output = std::process::Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(manifest().join("tests/bpmn/xsd/BPMN20.xsd"))
        .args(&files)
        .output()
        .expect("xmllint runs");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "xmllint rejected an export of an imported model:\n{report}");
    assert_eq!(report.matches(" validates").count(), files.len(), "{report}");
}

// ---------------------------------------------------------------------------
// The mapping, on small files

const HEADER: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<bpmn2:definitions xmlns:bpmn2="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" id="Definitions_1" targetNamespace="urn:test">"#;

fn wrap(body: &str) -> String {
    format!("{HEADER}\n{body}\n</bpmn2:definitions>\n")
}

fn step<'m>(model: &'m Model, workflow: &str, id: &str) -> &'m procflow::compile::Step {
    let w = model.workflow_by_id(workflow).unwrap_or_else(|| panic!("no workflow {workflow}"));
    let s = model.workflow(w).steps.iter().find(|&&s| model.step(s).id == id);
    model.step(*s.unwrap_or_else(|| panic!("no step {id} in {workflow}: {:?}", model.workflow(w).steps)))
}

fn flows(model: &Model, workflow: &str) -> BTreeSet<(String, String, Option<String>, bool)> {
    let w = model.workflow_by_id(workflow).expect("workflow");
    model
        .workflow(w)
        .steps
        .iter()
        .flat_map(|&s| {
            model
                .flows_from(s)
                .into_iter()
                .map(move |(_, t, f)| (model.step(s).id.clone(), model.step(t).id.clone(), f.label.clone(), f.default))
        })
        .collect()
}

/// A step without outgoing flows gets `next: []`, so the format's implicit
/// flow to the following step adds nothing.
#[test]
fn steps_without_flows_get_no_implicit_flow() {
    let xml = wrap(
        r#"<bpmn2:process id="p" name="Dead ends">
  <bpmn2:startEvent id="start" />
  <bpmn2:task id="a" name="A" />
  <bpmn2:task id="b" name="B" />
  <bpmn2:endEvent id="end" />
  <bpmn2:sequenceFlow id="f1" sourceRef="b" targetRef="end" />
</bpmn2:process>"#,
    );
    let (imported, _, checked) = import_ok(xml.as_bytes(), "dead ends");
    let yaml = imported.yaml();
    assert_eq!(yaml.matches("next: []").count(), 2, "{yaml}");
    let expected: BTreeSet<_> = [("b".to_string(), "end".to_string(), None, false)].into_iter().collect();
    assert_eq!(flows(&checked.model, "p"), expected);
}

/// One file with most of the mapping: Latin-1, a `semantic:` prefix, a pool
/// with nested lanes (bpmn.io repeats refs in the parent lane), a node
/// outside the lanes, diagram order, labels from names and conditions,
/// default flows, documentation, a call to another process of the file, an
/// embedded sub-process, and elements procflow does not model.
#[test]
fn the_mapping_on_a_latin1_file_with_lanes_and_subprocesses() {
    let xml = r#"<?xml version="1.0" encoding="ISO-8859-1"?>
<semantic:definitions xmlns:semantic="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="urn:t">
  <semantic:collaboration id="C">
    <semantic:participant id="P1" name="Fabrik" processRef="main" />
    <semantic:participant id="P2" name="Kunde" />
    <semantic:messageFlow id="MF" sourceRef="P2" targetRef="check" />
  </semantic:collaboration>
  <semantic:process id="main" name="Prüfung">
    <semantic:documentation>Wie geprüft wird.</semantic:documentation>
    <semantic:laneSet id="LS">
      <semantic:lane id="L_parent" name="Büro">
        <semantic:flowNodeRef>start</semantic:flowNodeRef>
        <semantic:flowNodeRef>check</semantic:flowNodeRef>
        <semantic:childLaneSet id="LS2">
          <semantic:lane id="L_a" name="Sachbearbeiter">
            <semantic:flowNodeRef>start</semantic:flowNodeRef>
            <semantic:flowNodeRef>check</semantic:flowNodeRef>
          </semantic:lane>
          <semantic:lane id="L_b" name="Leitung">
            <semantic:flowNodeRef>ok</semantic:flowNodeRef>
          </semantic:lane>
        </semantic:childLaneSet>
      </semantic:lane>
    </semantic:laneSet>
    <semantic:endEvent id="done" name="Fertig"><semantic:terminateEventDefinition /></semantic:endEvent>
    <semantic:startEvent id="start" name="Eingang"><semantic:messageEventDefinition /></semantic:startEvent>
    <semantic:userTask id="check" name="Prüfen">
      <semantic:documentation id="check_instructions">1. Lesen
2. Prüfen</semantic:documentation>
      <semantic:documentation id="check_description">Kurz.</semantic:documentation>
      <semantic:multiInstanceLoopCharacteristics />
    </semantic:userTask>
    <semantic:exclusiveGateway id="ok" name="In Ordnung?" default="f_no" />
    <semantic:callActivity id="call" name="Nachfassen" calledElement="follow" />
    <semantic:subProcess id="sub" name="Ablegen">
      <semantic:startEvent id="s_start" />
      <semantic:task id="s_file" name="Ablegen" />
      <semantic:endEvent id="s_end" />
      <semantic:sequenceFlow id="sf1" sourceRef="s_start" targetRef="s_file" />
      <semantic:sequenceFlow id="sf2" sourceRef="s_file" targetRef="s_end" />
    </semantic:subProcess>
    <semantic:boundaryEvent id="timer" attachedToRef="check"><semantic:timerEventDefinition /></semantic:boundaryEvent>
    <semantic:textAnnotation id="note"><semantic:text>Hinweis</semantic:text></semantic:textAnnotation>
    <semantic:sequenceFlow id="f1" sourceRef="start" targetRef="check" />
    <semantic:sequenceFlow id="f2" sourceRef="check" targetRef="ok" />
    <semantic:sequenceFlow id="f_yes" sourceRef="ok" targetRef="sub"><semantic:conditionExpression>ok == true</semantic:conditionExpression></semantic:sequenceFlow>
    <semantic:sequenceFlow id="f_no" name="nein" sourceRef="ok" targetRef="call" />
    <semantic:sequenceFlow id="f3" sourceRef="call" targetRef="done" />
    <semantic:sequenceFlow id="f4" sourceRef="sub" targetRef="done" />
    <semantic:sequenceFlow id="f5" sourceRef="timer" targetRef="done" />
  </semantic:process>
  <semantic:process id="follow" name="Nachfassen beim Kunden">
    <semantic:startEvent id="n_start" />
    <semantic:endEvent id="n_end" />
    <semantic:sequenceFlow id="nf" sourceRef="n_start" targetRef="n_end" />
  </semantic:process>
  <bpmndi:BPMNDiagram id="DI"><bpmndi:BPMNPlane id="PL" bpmnElement="C">
    <bpmndi:BPMNShape id="s1" bpmnElement="start"><dc:Bounds x="10" y="10" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s2" bpmnElement="check"><dc:Bounds x="100" y="0" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s3" bpmnElement="ok"><dc:Bounds x="250" y="100" width="50" height="50" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s4" bpmnElement="call"><dc:Bounds x="350" y="100" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s5" bpmnElement="sub"><dc:Bounds x="350" y="0" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s6" bpmnElement="done"><dc:Bounds x="500" y="10" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</semantic:definitions>
"#;
    let (latin1, _, unmappable) = encoding_rs::WINDOWS_1252.encode(xml);
    assert!(!unmappable);
    let (imported, _, checked) = import_ok(&latin1, "latin-1 file");
    let model = &checked.model;
    assert_eq!(imported.workflows, ["main", "ablegen", "follow"]);

    // Diagram order, left to right (ties top to bottom).
    let w = model.workflow_by_id("main").expect("main");
    let order: Vec<&str> = model.workflow(w).steps.iter().map(|&s| model.step(s).id.as_str()).collect();
    assert_eq!(order, ["start", "check", "ok", "sub", "call", "done"]);
    assert_eq!(model.workflow(w).name, "Prüfung");
    assert_eq!(model.workflow(w).description.as_deref(), Some("Wie geprüft wird."));

    // Lanes: the deepest lane wins; the parent lane is flattened away.
    let role = |s: &str| step(model, "main", s).lane.map(|r| model.role(r).name.clone()).unwrap_or_default();
    assert_eq!(role("start"), "Sachbearbeiter");
    assert_eq!(role("check"), "Sachbearbeiter");
    assert_eq!(role("ok"), "Leitung");
    // Nodes outside every lane go to the pool's role.
    assert_eq!(role("done"), "Fabrik");
    let lanes: Vec<&str> = model.workflow(w).lanes.iter().map(|&r| model.role(r).id.as_str()).collect();
    assert_eq!(lanes, ["sachbearbeiter", "leitung", "fabrik"]);

    // Steps, triggers, kinds, documentation.
    let start = step(model, "main", "start");
    assert_eq!((start.step_type, start.trigger), (procflow::model::StepType::Start, procflow::model::Trigger::Message));
    assert_eq!(step(model, "main", "done").trigger, procflow::model::Trigger::Terminate);
    let check = step(model, "main", "check");
    assert_eq!(check.kind, procflow::compile::StepKind::Task(procflow::model::StepKind::User));
    assert_eq!(check.name, "Prüfen");
    assert_eq!(check.instructions.as_deref(), Some("1. Lesen\n2. Prüfen\n"));
    assert_eq!(check.description.as_deref(), Some("Kurz."));

    // Flows: labels from names, else conditions; the default flow.
    let expected: BTreeSet<(String, String, Option<String>, bool)> = [
        ("start", "check", None, false),
        ("check", "ok", None, false),
        ("ok", "sub", Some("ok == true"), false),
        ("ok", "call", Some("nein"), true),
        ("call", "done", None, false),
        ("sub", "done", None, false),
    ]
    .into_iter()
    .map(|(a, b, l, d)| (a.to_string(), b.to_string(), l.map(str::to_string), d))
    .collect();
    assert_eq!(flows(model, "main"), expected);

    // Calls: to the other process, and to the embedded sub-process's workflow.
    let called = |s: &str| {
        let w = model.workflow_by_id("main").expect("main");
        let node = *model.workflow(w).steps.iter().find(|&&n| model.step(n).id == s).expect("step");
        model.called_workflow(node).map(|c| model.workflow(c).id.clone())
    };
    assert_eq!(called("call").as_deref(), Some("follow"));
    assert_eq!(called("sub").as_deref(), Some("ablegen"));
    // The sub-process's steps inherit its lane.
    assert_eq!(step(model, "ablegen", "s_file").lane, step(model, "main", "sub").lane);

    // Everything else is reported with its id.
    let reported: BTreeMap<&str, (&str, Loss)> =
        imported.warnings.iter().filter_map(|w| Some((w.id.as_deref()?, (w.element.as_str(), w.loss)))).collect();
    assert_eq!(reported.get("MF"), Some(&("messageFlow", Loss::Dropped)));
    assert_eq!(reported.get("P2"), Some(&("participant", Loss::Dropped)));
    assert_eq!(reported.get("timer"), Some(&("boundaryEvent", Loss::Dropped)));
    assert_eq!(reported.get("f5"), Some(&("sequenceFlow", Loss::Dropped)));
    assert_eq!(reported.get("note"), Some(&("textAnnotation", Loss::Dropped)));
    assert_eq!(reported.get("check"), Some(&("userTask", Loss::Approximated)));
    assert_eq!(reported.get("L_parent"), Some(&("lane", Loss::Approximated)));
    let timer = imported.warnings.iter().find(|w| w.id.as_deref() == Some("timer")).expect("timer warning");
    assert!(timer.message.contains("step `check` of workflow `main`"), "{timer}");
}

/// Default namespace, UTF-16 with a byte order mark, and a vertical pool
/// ordered top to bottom.
#[test]
fn default_namespace_utf16_and_vertical_pools() {
    let xml = r#"<?xml version="1.0" encoding="UTF-16"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" xmlns:dc="http://www.omg.org/spec/DD/20100524/DC" id="D" targetNamespace="urn:t">
  <collaboration id="C"><participant id="P" name="Team" processRef="Process_1" /></collaboration>
  <process id="Process_1">
    <endEvent id="Event_2" />
    <task id="Activity_1" name="Zwei" />
    <startEvent id="Event_1" name="Los" />
    <sequenceFlow id="F1" sourceRef="Event_1" targetRef="Activity_1" />
    <sequenceFlow id="F2" sourceRef="Activity_1" targetRef="Event_2" />
  </process>
  <bpmndi:BPMNDiagram id="DI"><bpmndi:BPMNPlane id="PL" bpmnElement="C">
    <bpmndi:BPMNShape id="p" bpmnElement="P" isHorizontal="false"><dc:Bounds x="0" y="0" width="300" height="600" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s1" bpmnElement="Event_1"><dc:Bounds x="200" y="10" width="36" height="36" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s2" bpmnElement="Activity_1"><dc:Bounds x="10" y="200" width="100" height="80" /></bpmndi:BPMNShape>
    <bpmndi:BPMNShape id="s3" bpmnElement="Event_2"><dc:Bounds x="100" y="400" width="36" height="36" /></bpmndi:BPMNShape>
  </bpmndi:BPMNPlane></bpmndi:BPMNDiagram>
</definitions>
"#;
    let mut utf16 = vec![0xFF, 0xFE];
    for unit in xml.encode_utf16() {
        utf16.extend(unit.to_le_bytes());
    }
    let (imported, _, checked) = import_ok(&utf16, "utf-16 file");
    assert!(imported.warnings.is_empty(), "{:?}", imported.warnings);
    let model = &checked.model;
    // Named after the pool; steps named from their names, or their ids.
    assert_eq!(imported.workflows, ["team"]);
    let w = model.workflow_by_id("team").expect("team");
    let order: Vec<&str> = model.workflow(w).steps.iter().map(|&s| model.step(s).id.as_str()).collect();
    assert_eq!(order, ["los", "zwei", "event-2"]);
    assert_eq!(model.role(model.workflow(w).lanes[0]).name, "Team");
}

#[test]
fn unusable_files_are_refused_with_a_reason() {
    let cases: [(&[u8], &str); 5] = [
        (b"", "not well-formed XML"),
        (b"not xml at all", "not well-formed XML"),
        (b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>", "not a BPMN 2.0 file"),
        (b"<?xml version=\"1.0\" encoding=\"klingon\"?><a/>", "unknown encoding"),
        (
            b"<definitions xmlns=\"http://www.omg.org/spec/BPMN/20100524/MODEL\"><process id=\"p\"/></definitions>",
            "no process with flow nodes",
        ),
    ];
    for (bytes, expected) in cases {
        let err = bpmn::import(bytes).expect_err("refused");
        assert!(err.to_string().contains(expected), "{err}");
    }
}

/// Ids taken from names stay valid and unique; an empty or odd name falls
/// back on the BPMN id or the step type.
#[test]
fn ids_are_valid_and_unique() {
    let xml = wrap(
        r#"<bpmn2:process id="P">
  <bpmn2:startEvent id="_1" name="Start" />
  <bpmn2:task id="_2" name="Check" />
  <bpmn2:task id="_3" name="Check" />
  <bpmn2:task id="_4" name="日本語" />
  <bpmn2:task id="_5" name="yes" />
  <bpmn2:task id="_6" name="&quot;quoted: #not a comment&quot;&#10;line" />
  <bpmn2:endEvent id="_7" />
  <bpmn2:sequenceFlow id="a" sourceRef="_1" targetRef="_2" />
  <bpmn2:sequenceFlow id="b" sourceRef="_2" targetRef="_3" />
  <bpmn2:sequenceFlow id="c" sourceRef="_3" targetRef="_4" />
  <bpmn2:sequenceFlow id="d" sourceRef="_4" targetRef="_5" />
  <bpmn2:sequenceFlow id="e" sourceRef="_5" targetRef="_6" />
  <bpmn2:sequenceFlow id="f" sourceRef="_6" targetRef="_7" />
</bpmn2:process>"#,
    );
    let (imported, _, checked) = import_ok(xml.as_bytes(), "ids");
    let model = &checked.model;
    let w = model.workflow_by_id(&imported.workflows[0]).expect("workflow");
    let ids: Vec<&str> = model.workflow(w).steps.iter().map(|&s| model.step(s).id.as_str()).collect();
    assert_eq!(ids, ["start", "check", "check-2", "4", "yes", "quoted-not-a-comment-line", "7"]);
    let names: Vec<&str> = model.workflow(w).steps.iter().map(|&s| model.step(s).name.as_str()).collect();
    assert_eq!(names[5], "\"quoted: #not a comment\" line");
    assert_eq!(names[4], "yes");
}

// ---------------------------------------------------------------------------
// The command

/// `procflow import bpmn MODEL -o DIR` (plus `extra` arguments), run.
fn import_into(model: &Path, dir: &Path, extra: &[&str]) -> assert_cmd::assert::Assert {
    procflow().args(["import", "bpmn"]).arg(model).arg("-o").arg(dir).args(extra).assert()
}

fn procflow() -> assert_cmd::Command {
    let mut cmd = assert_cmd::Command::cargo_bin("procflow").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn import_command_writes_a_project_that_checks_and_builds() {
    use predicates::prelude::*;
    let dir = tempfile::tempdir().expect("temp dir");
    let model = miwg_dir().join("reference/A.3.0.bpmn");
    procflow()
        .args(["import", "bpmn"])
        .arg(&model)
        .arg("-o")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("boundaryEvent `_428dcbf5-8e5e-48e0-9c0c-d93003fa8c82`"))
        .stderr(predicate::str::contains("imported 1 workflow"));
    assert!(dir.path().join("models/roles.yaml").is_file());
    assert!(dir.path().join("models/a-3-0.yaml").is_file());
    procflow().arg("check").arg(dir.path()).assert().success();
    procflow().arg("build").arg(dir.path()).arg("-q").assert().success();
    assert!(dir.path().join("output/index.html").is_file());
    // A second import does not overwrite what is there, unless forced.
    import_into(&model, dir.path(), &[]).code(2).stderr(predicate::str::contains("exist already"));
    import_into(&model, dir.path(), &["--force"]).success();
}

#[test]
fn import_command_prints_yaml_without_output_folder() {
    use predicates::prelude::*;
    procflow()
        .args(["import", "bpmn"])
        .arg(miwg_dir().join("reference/A.1.0.bpmn"))
        .assert()
        .success()
        .stdout(predicate::str::contains("roles:\n").and(predicate::str::contains("---\n# Imported from process")))
        .stderr(predicate::str::is_empty());
    procflow()
        .args(["import", "bpmn"])
        .arg(manifest().join("Cargo.toml"))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not well-formed XML"));
}

/// A collaboration whose pools are named like the files an import writes.
fn pools_named(names: &[&str]) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t"><collaboration id="c">"#,
    );
    for (i, name) in names.iter().enumerate() {
        xml.push_str(&format!(r#"<participant id="pa{i}" name="{name}" processRef="p{i}"/>"#));
    }
    xml.push_str("</collaboration>");
    for (i, name) in names.iter().enumerate() {
        xml.push_str(&format!(
            r#"<process id="p{i}" name="{name}"><laneSet id="ls{i}"><lane id="l{i}" name="Agent {i}"><flowNodeRef>s{i}</flowNodeRef><flowNodeRef>e{i}</flowNodeRef></lane></laneSet><startEvent id="s{i}"/><endEvent id="e{i}"/><sequenceFlow id="f{i}" sourceRef="s{i}" targetRef="e{i}"/></process>"#
        ));
    }
    xml.push_str("</definitions>");
    xml
}

#[test]
fn import_file_names_never_collide() {
    let xml = pools_named(&["Roles", "Roles of lanes", "Roles 2", "ROLES"]);
    let imported = procflow::bpmn::import(xml.as_bytes()).expect("imports");
    let mut names: Vec<String> = imported.files.iter().map(|f| f.name.to_lowercase()).collect();
    let count = names.len();
    names.sort();
    names.dedup();
    assert_eq!(names.len(), count, "every file has its own name: {names:?}");
    assert_eq!(count, 5, "roles and four workflows");
    // Written out, the project still has its roles and every workflow.
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("pools.bpmn");
    std::fs::write(&file, &xml).expect("write");
    procflow().args(["import", "bpmn"]).arg(&file).arg("-o").arg(dir.path()).assert().success();
    procflow().arg("check").arg(dir.path()).assert().success();
    let (_, checked) = load(&imported);
    assert_eq!(checked.model.workflows.len(), 4);
    assert!(!checked.model.roles.is_empty());
}

#[cfg(unix)]
#[test]
fn import_never_writes_through_a_dangling_symlink() {
    use predicates::prelude::*;
    let dir = tempfile::tempdir().expect("temp dir");
    let outside = tempfile::tempdir().expect("temp dir");
    let victim = outside.path().join("victim.txt");
    std::fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    std::os::unix::fs::symlink(&victim, dir.path().join("models/roles.yaml")).expect("symlink");
    let model = miwg_dir().join("reference/A.1.0.bpmn");
    import_into(&model, dir.path(), &[]).code(2).stderr(predicate::str::contains("exist already"));
    assert!(!victim.exists(), "nothing was written outside the folder");
    // Forced, the link itself is replaced by the file.
    import_into(&model, dir.path(), &["--force"]).success();
    assert!(!victim.exists(), "still nothing outside");
    let meta = std::fs::symlink_metadata(dir.path().join("models/roles.yaml")).expect("written");
    assert!(meta.file_type().is_file());
}

#[cfg(unix)]
#[test]
fn import_stops_reading_endless_input_at_the_limit() {
    use predicates::prelude::*;
    let started = std::time::Instant::now();
    procflow()
        .args(["import", "bpmn", "/dev/zero"])
        .timeout(std::time::Duration::from_secs(20))
        .assert()
        .code(1)
        .stderr(predicate::str::contains("more than 67108864 bytes"));
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}

/// An intermediate timer's `duration` goes out as `timeDuration` (valid under
/// the OMG XSDs when xmllint is here) and comes back from it; a duration that
/// is not ISO 8601 in a foreign file is left out, not guessed at.
#[test]
fn a_timer_duration_is_exported_as_time_duration_and_imported_back() {
    let yaml = "roles:\n  - id: agent\nworkflow:\n  id: wait\n  steps:\n    - id: begin\n      type: start\n      lane: agent\n\
                \x20   - id: four-hours\n      type: event\n      trigger: timer\n      duration: PT4H\n    - id: done\n      type: end\n";
    let mut sources = Sources::new();
    sources.add_text("models/wait.yaml", yaml);
    let checked = procflow::check(&sources);
    assert!(checked.is_ok(true), "{:?}", checked.diagnostics);
    let model = &checked.model;
    assert_eq!(step(model, "wait", "four-hours").duration.as_deref(), Some("PT4H"));
    let w = model.workflow_by_id("wait").expect("workflow");
    let xml = bpmn::export(model, w, &layout::workflow(model, w, LayoutOptions::default()));
    let doc = Document::parse(&xml).expect("XML");
    let durations: Vec<&str> = doc
        .descendants()
        .filter(|n| is_model(n, "timeDuration"))
        .map(|n| (n.text().unwrap_or_default(), n.parent().map(|p| p.tag_name().name())))
        .map(|(text, parent)| {
            assert_eq!(parent, Some("timerEventDefinition"));
            text
        })
        .collect();
    assert_eq!(durations, ["PT4H"]);
    if !outside::skip("a_timer_duration_is_exported_as_time_duration_and_imported_back") {
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("wait.bpmn");
        std::fs::write(&file, &xml).expect("write");
        let xsd = manifest().join("tests/bpmn/xsd/BPMN20.xsd");
        let output = std::process::Command::new("xmllint").arg("--noout").arg("--schema").arg(&xsd).arg(&file).output();
        let output = output.expect("xmllint runs");
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    }
    let (imported, _, again) = import_ok(xml.as_bytes(), "the export");
    assert!(imported.yaml().contains("duration: PT4H"), "{}", imported.yaml());
    assert_eq!(step(&again.model, "wait", "four-hours").duration.as_deref(), Some("PT4H"));

    let foreign = wrap(
        r#"<bpmn2:process id="p" isExecutable="false">
  <bpmn2:startEvent id="s"><bpmn2:outgoing>f1</bpmn2:outgoing></bpmn2:startEvent>
  <bpmn2:intermediateCatchEvent id="t" name="Wait"><bpmn2:incoming>f1</bpmn2:incoming><bpmn2:outgoing>f2</bpmn2:outgoing>
    <bpmn2:timerEventDefinition id="td"><bpmn2:timeDuration xsi:type="bpmn2:tFormalExpression">${waitTime}</bpmn2:timeDuration></bpmn2:timerEventDefinition>
  </bpmn2:intermediateCatchEvent>
  <bpmn2:endEvent id="e"><bpmn2:incoming>f2</bpmn2:incoming></bpmn2:endEvent>
  <bpmn2:sequenceFlow id="f1" sourceRef="s" targetRef="t" />
  <bpmn2:sequenceFlow id="f2" sourceRef="t" targetRef="e" />
</bpmn2:process>"#,
    );
    let (imported, _, checked) = import_ok(foreign.as_bytes(), "a timer with an expression");
    assert!(!imported.yaml().contains("duration:"), "{}", imported.yaml());
    let model = &checked.model;
    let w = model.workflows[0];
    let timer = model.workflow(w).steps.iter().map(|&s| model.step(s)).find(|s| s.name == "Wait").expect("timer");
    assert_eq!((timer.trigger, timer.duration.as_deref()), (procflow::model::Trigger::Timer, None));
}
