//! BPMN 2.0 export, judged against the standard and real tools rather than
//! against our own reader: every workflow of `models/` and of the
//! `tests/bpmn/every-kind` fixture (every step type, kind and trigger, markup
//! in names, colliding ids) is exported and
//!
//! - parsed as XML (roxmltree), its references checked by a Rust integrity
//!   check (every reference resolves to an element of the right kind, ids are
//!   unique NCNames, incoming/outgoing agree with the flows, every element has
//!   exactly one shape or edge), element counts compared with the model and
//!   coordinates with the layout;
//! - validated against the OMG BPMN 2.0 XSDs in `tests/bpmn/xsd/` with
//!   `xmllint` (Debian: libxml2-utils);
//! - read by `bpmn-moddle` (no warnings allowed) and linted by `bpmnlint`'s
//!   recommended rules, through `tests/bpmn/check.mjs` (`npm ci` in tests/bpmn).
//!
//! Without xmllint, or without node and the npm packages, those tests pass
//! with a `SKIPPED:` line, unless PROCFLOW_REQUIRE_XMLLINT=1 or
//! PROCFLOW_REQUIRE_NODE_TOOLS=1 (`.ci/run` sets them after installing).

use crate::outside;
use crate::site_helpers as site;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command;

use petgraph::stable_graph::NodeIndex;
use procflow::bpmn::{self, BPMNDI_NS, DC_NS, DI_NS, MODEL_NS};
use procflow::layout::{self, Diagram, LayoutOptions};
use roxmltree::{Document, Node};

/// bpmnlint rules (recommended config) that the bundled models may break, with
/// the reason; any other finding fails the test.
const ACCEPTED_LINT: &[(&str, &str)] = &[(
    "fake-join",
    "procflow models merge branches implicitly: several flows into one task (loop-backs, \
     branches that meet again). The export keeps the model as written instead of inventing \
     join gateways the author did not draw.",
)];

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn checked(dir: &Path) -> procflow::Checked {
    let project = procflow::project::Project::read(dir).expect("the project reads");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "{} has errors: {:#?}", dir.display(), checked.diagnostics);
    checked
}

/// One workflow's export with what it was made from.
struct Export {
    id: String,
    workflow: NodeIndex,
    diagram: Diagram,
    xml: String,
}

fn export_all(checked: &procflow::Checked) -> Vec<Export> {
    let model = &checked.model;
    model
        .workflows
        .iter()
        .map(|&w| {
            let diagram = layout::workflow(model, w, LayoutOptions::default());
            let xml = bpmn::export(model, w, &diagram);
            Export { id: model.workflow(w).id.clone(), workflow: w, diagram, xml }
        })
        .collect()
}

/// The bundled models and the every-kind fixture, each with its exports.
fn projects() -> Vec<(procflow::Checked, Vec<Export>)> {
    [manifest().to_path_buf(), manifest().join("tests/bpmn/every-kind")]
        .iter()
        .map(|dir| {
            let checked = checked(dir);
            let exports = export_all(&checked);
            (checked, exports)
        })
        .collect()
}

fn parse(export: &Export) -> Document<'_> {
    Document::parse(&export.xml).unwrap_or_else(|e| panic!("{}: not well-formed XML: {e}", export.id))
}

fn is(node: &Node, ns: &str, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(ns) && node.tag_name().name() == name
}

fn all<'a, 'i>(doc: &'a Document<'i>, ns: &'a str, name: &'a str) -> impl Iterator<Item = Node<'a, 'i>> + 'a {
    doc.descendants().filter(move |n| is(n, ns, name))
}

const FLOW_NODES: &[&str] = &[
    "startEvent",
    "endEvent",
    "intermediateCatchEvent",
    "intermediateThrowEvent",
    "task",
    "userTask",
    "manualTask",
    "serviceTask",
    "sendTask",
    "receiveTask",
    "scriptTask",
    "businessRuleTask",
    "subProcess",
    "callActivity",
    "exclusiveGateway",
    "parallelGateway",
    "inclusiveGateway",
    "eventBasedGateway",
];

fn is_flow_node(node: &Node) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(MODEL_NS) && FLOW_NODES.contains(&node.tag_name().name())
}

/// Whether `s` is an XML NCName as procflow writes them (ASCII only).
fn is_ncname(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
}

/// Every reference problem of a BPMN document. `external_processes` are the
/// process ids of other exports, which a `calledElement` may name.
///
/// The XSD cannot do this: libxml2 does not check IDREFs and never resolves
/// QName references (`bpmnElement`, `processRef`, `incoming`…).
fn integrity(doc: &Document, external_processes: &BTreeSet<String>) -> Vec<String> {
    let mut problems = Vec::new();
    let mut by_id: BTreeMap<&str, Node> = BTreeMap::new();
    for node in doc.descendants().filter(Node::is_element) {
        if let Some(id) = node.attribute("id") {
            if !is_ncname(id) {
                problems.push(format!("id {id:?} is not an NCName"));
            }
            if by_id.insert(id, node).is_some() {
                problems.push(format!("id {id} is used more than once"));
            }
        }
    }
    let kind = |id: &str| by_id.get(id).map(|n| n.tag_name().name());
    let expect = |problems: &mut Vec<String>, from: &Node, what: &str, target: &str, kinds: &[&str]| match kind(target)
    {
        None => problems.push(format!("{} {what} {target:?} names no element", describe(from))),
        Some(k) if !kinds.is_empty() && !kinds.contains(&k) => {
            problems.push(format!("{} {what} {target:?} is a {k}, expected {}", describe(from), kinds.join(" or ")))
        }
        Some(_) => {}
    };
    for node in doc.descendants().filter(Node::is_element) {
        let name = node.tag_name().name();
        for (attribute, kinds) in [
            ("sourceRef", FLOW_NODES),
            ("targetRef", FLOW_NODES),
            ("default", &["sequenceFlow"][..]),
            ("processRef", &["process"][..]),
            ("bpmnElement", &[][..]),
            ("attachedToRef", FLOW_NODES),
            ("messageRef", &["message"][..]),
        ] {
            if let Some(target) = node.attribute(attribute) {
                expect(&mut problems, &node, attribute, target, kinds);
            }
        }
        if let Some(target) = node.attribute("calledElement")
            && kind(target) != Some("process")
            && !external_processes.contains(target)
        {
            problems.push(format!("{} calledElement {target:?} names no process", describe(&node)));
        }
        let text = node.text().unwrap_or_default().trim();
        match name {
            "flowNodeRef" => expect(&mut problems, &node, "reference", text, FLOW_NODES),
            "incoming" | "outgoing" => expect(&mut problems, &node, "reference", text, &["sequenceFlow"]),
            _ => {}
        }
    }

    // incoming/outgoing agree with the flows' ends; a default flow leaves its element.
    let flows: Vec<Node> = all(doc, MODEL_NS, "sequenceFlow").collect();
    let refs = |node: &Node, name: &str| -> BTreeSet<String> {
        node.children()
            .filter(|c| is(c, MODEL_NS, name))
            .filter_map(|c| c.text())
            .map(|t| t.trim().to_string())
            .collect()
    };
    for node in doc.descendants().filter(is_flow_node) {
        let id = node.attribute("id").unwrap_or_default();
        let ends = |end: &str| -> BTreeSet<String> {
            flows
                .iter()
                .filter(|f| f.attribute(end) == Some(id))
                .filter_map(|f| f.attribute("id"))
                .map(str::to_string)
                .collect()
        };
        if refs(&node, "incoming") != ends("targetRef") {
            problems.push(format!("{} lists other incoming flows than those that end there", describe(&node)));
        }
        if refs(&node, "outgoing") != ends("sourceRef") {
            problems.push(format!("{} lists other outgoing flows than those that start there", describe(&node)));
        }
        if let Some(default) = node.attribute("default")
            && !ends("sourceRef").contains(default)
        {
            problems.push(format!("{} has default flow {default}, which does not leave it", describe(&node)));
        }
    }

    // Each flow node is in exactly one lane when there are lanes.
    let lane_refs: Vec<String> =
        all(doc, MODEL_NS, "flowNodeRef").filter_map(|n| n.text()).map(str::to_string).collect();
    if !lane_refs.is_empty() {
        for node in doc.descendants().filter(is_flow_node) {
            let id = node.attribute("id").unwrap_or_default();
            let n = lane_refs.iter().filter(|r| *r == id).count();
            if n != 1 {
                problems.push(format!("{} is in {n} lanes", describe(&node)));
            }
        }
    }

    // Exactly one shape or edge per participant, lane, flow node and flow, of the right sort.
    let mut drawn: BTreeMap<&str, usize> = BTreeMap::new();
    for di in all(doc, BPMNDI_NS, "BPMNShape").chain(all(doc, BPMNDI_NS, "BPMNEdge")) {
        let target = di.attribute("bpmnElement").unwrap_or_default();
        *drawn.entry(target).or_default() += 1;
        let is_edge = di.tag_name().name() == "BPMNEdge";
        if kind(target).is_some_and(|k| (k == "sequenceFlow") != is_edge) {
            problems.push(format!("{} draws {target} with the wrong kind of DI element", describe(&di)));
        }
    }
    let drawable = doc.descendants().filter(|n| {
        is_flow_node(n) || is(n, MODEL_NS, "sequenceFlow") || is(n, MODEL_NS, "lane") || is(n, MODEL_NS, "participant")
    });
    for node in drawable {
        let id = node.attribute("id").unwrap_or_default();
        let n = drawn.get(id).copied().unwrap_or(0);
        if n != 1 {
            problems.push(format!("{} has {n} DI elements", describe(&node)));
        }
    }
    for plane in all(doc, BPMNDI_NS, "BPMNPlane") {
        let target = plane.attribute("bpmnElement").unwrap_or_default();
        if !matches!(kind(target), Some("collaboration" | "process")) {
            problems.push(format!("the plane shows {target:?}, which is no collaboration or process"));
        }
    }
    problems
}

fn describe(node: &Node) -> String {
    format!("<{} id={:?}>", node.tag_name().name(), node.attribute("id").unwrap_or_default())
}

/// The process ids of all exports of a project: what call activities may name.
fn process_ids(exports: &[Export]) -> BTreeSet<String> {
    exports.iter().map(|e| bpmn::process_id(&e.id)).collect()
}

#[test]
fn every_workflow_exports_well_formed_bpmn_with_the_four_namespaces() {
    for (_, exports) in projects() {
        assert!(!exports.is_empty());
        for export in &exports {
            let doc = parse(export);
            let root = doc.root_element();
            assert!(is(&root, MODEL_NS, "definitions"), "{}: root is {:?}", export.id, root.tag_name());
            for ns in [MODEL_NS, BPMNDI_NS, DC_NS, DI_NS] {
                assert!(root.namespaces().any(|n| n.uri() == ns), "{}: namespace {ns} is not declared", export.id);
            }
            assert_eq!(root.attribute("exporter"), Some("procflow"));
            assert_eq!(root.attribute("exporterVersion"), Some(env!("CARGO_PKG_VERSION")));
            assert!(root.attribute("targetNamespace").is_some_and(|t| !t.is_empty()));
            assert!(root.attribute("id").is_some());
            let process = all(&doc, MODEL_NS, "process").next().expect("a process");
            assert_eq!(process.attribute("isExecutable"), Some("false"));
            assert_eq!(process.attribute("id"), Some(bpmn::process_id(&export.id).as_str()));
            let participants: Vec<Node> = all(&doc, MODEL_NS, "participant").collect();
            assert_eq!(participants.len(), 1, "{}: one pool", export.id);
            assert_eq!(participants[0].attribute("processRef"), process.attribute("id"));
            assert_eq!(participants[0].attribute("name"), Some(export.diagram.title.as_str()));
        }
    }
}

#[test]
fn every_reference_resolves_and_ids_are_unique() {
    for (_, exports) in projects() {
        let processes = process_ids(&exports);
        for export in &exports {
            let problems = integrity(&parse(export), &processes);
            assert!(problems.is_empty(), "{}:\n{}", export.id, problems.join("\n"));
        }
    }
}

#[test]
fn integrity_check_finds_dangling_references_and_duplicate_ids() {
    let (_, exports) = projects().swap_remove(0);
    let export = exports.iter().find(|e| e.id == "incident-handling").expect("incident-handling");
    let processes = process_ids(&exports);
    let broken = [
        export.xml.replacen(r#"targetRef="Step_identify-incident""#, r#"targetRef="Step_nowhere""#, 1),
        export.xml.replacen(r#"id="Step_log-incident""#, r#"id="Step_identify-incident""#, 1),
        export.xml.replacen("<bpmn:flowNodeRef>Step_log-incident</bpmn:flowNodeRef>", "", 1),
        export.xml.replacen(r#"calledElement="Process_major-incident""#, r#"calledElement="Process_gone""#, 1),
        export.xml.replacen(r#"bpmnElement="Step_is-major""#, r#"bpmnElement="Flow_is-major_assign-level-1""#, 1),
    ];
    for xml in &broken {
        assert_ne!(xml, &export.xml, "the corruption applies");
        let doc = Document::parse(xml).expect("still XML");
        assert!(!integrity(&doc, &processes).is_empty(), "a broken file passed:\n{xml}");
    }
}

#[test]
fn element_counts_equal_the_model() {
    for (checked, exports) in projects() {
        let model = &checked.model;
        for export in &exports {
            let doc = parse(export);
            let w = model.workflow(export.workflow);
            let flows: usize = w
                .steps
                .iter()
                .map(|&s| model.flows_from(s).iter().filter(|(_, t, _)| w.steps.contains(t)).count())
                .sum();
            let process = all(&doc, MODEL_NS, "process").next().expect("a process");
            let children: Vec<Node> = process.children().filter(Node::is_element).collect();
            let other: Vec<&str> = children
                .iter()
                .filter(|n| !is_flow_node(n))
                .map(|n| n.tag_name().name())
                .filter(|n| !matches!(*n, "laneSet" | "sequenceFlow" | "documentation"))
                .collect();
            assert!(other.is_empty(), "{}: unexpected process children {other:?}", export.id);
            let count = |ns, name| all(&doc, ns, name).count();
            assert_eq!(children.iter().filter(|n| is_flow_node(n)).count(), w.steps.len(), "{}: flow nodes", export.id);
            assert_eq!(count(MODEL_NS, "sequenceFlow"), flows, "{}: sequence flows", export.id);
            assert_eq!(count(MODEL_NS, "lane"), export.diagram.lanes.len(), "{}: lanes", export.id);
            assert_eq!(
                count(BPMNDI_NS, "BPMNShape"),
                1 + export.diagram.lanes.len() + export.diagram.nodes.len(),
                "{}: shapes (pool, lanes, nodes)",
                export.id
            );
            assert_eq!(count(BPMNDI_NS, "BPMNEdge"), flows, "{}: edges", export.id);
            assert_eq!(export.diagram.edges.len(), flows, "{}: the layout routes every flow", export.id);
        }
    }
}

/// The element of a step of the every-kind fixture, with its event definition.
fn element_of<'a>(doc: &'a Document<'a>, step: &str) -> Node<'a, 'a> {
    let id = format!("Step_{step}");
    doc.descendants().find(|n| is_flow_node(n) && n.attribute("id") == Some(id.as_str())).expect(&id)
}

#[test]
fn every_step_type_kind_and_trigger_maps_to_its_bpmn_element() {
    let checked = checked(&manifest().join("tests/bpmn/every-kind"));
    let exports = export_all(&checked);
    let export = exports.iter().find(|e| e.id == "every-kind").expect("every-kind");
    let doc = parse(export);
    let expected = [
        ("s-none", "startEvent", None),
        ("s-timer", "startEvent", Some("timerEventDefinition")),
        ("s-message", "startEvent", Some("messageEventDefinition")),
        ("s-signal", "startEvent", Some("signalEventDefinition")),
        ("s-conditional", "startEvent", Some("conditionalEventDefinition")),
        ("t-none", "task", None),
        ("t-user", "userTask", None),
        ("t-manual", "manualTask", None),
        ("t-service", "serviceTask", None),
        ("t-send", "sendTask", None),
        ("t-receive", "receiveTask", None),
        ("t-script", "scriptTask", None),
        ("t-business-rule", "businessRuleTask", None),
        ("x", "exclusiveGateway", None),
        ("e-message", "intermediateCatchEvent", Some("messageEventDefinition")),
        ("e-timer", "intermediateCatchEvent", Some("timerEventDefinition")),
        ("e-signal", "intermediateCatchEvent", Some("signalEventDefinition")),
        ("e-conditional", "intermediateCatchEvent", Some("conditionalEventDefinition")),
        ("e-escalation", "intermediateCatchEvent", Some("escalationEventDefinition")),
        ("e-none", "intermediateThrowEvent", None),
        ("sub", "subProcess", None),
        ("call", "callActivity", None),
        ("i-split", "inclusiveGateway", None),
        ("p-split", "parallelGateway", None),
        ("eb", "eventBasedGateway", None),
        ("end-message", "endEvent", Some("messageEventDefinition")),
        ("end-error", "endEvent", Some("errorEventDefinition")),
        ("end-escalation", "endEvent", Some("escalationEventDefinition")),
        ("end-signal", "endEvent", Some("signalEventDefinition")),
        ("end-terminate", "endEvent", Some("terminateEventDefinition")),
    ];
    for (step, tag, definition) in expected {
        let node = element_of(&doc, step);
        assert_eq!(node.tag_name().name(), tag, "{step}");
        let definitions: Vec<&str> =
            node.children().map(|c| c.tag_name().name()).filter(|n| n.ends_with("EventDefinition")).collect();
        assert_eq!(definitions, definition.into_iter().collect::<Vec<_>>(), "{step}");
    }
    assert_eq!(element_of(&doc, "call").attribute("calledElement"), Some("Process_other"));
    assert_eq!(element_of(&doc, "sub").attribute("calledElement"), None);
    // A conditional event carries the condition element the schema requires.
    let conditional = element_of(&doc, "e-conditional");
    assert!(conditional.descendants().any(|n| is(&n, MODEL_NS, "condition")));
    // An event named only by its id shows no name, as in procflow's drawing.
    assert_eq!(element_of(&doc, "e-none").attribute("name"), None);
    // Colliding ids stay unique: a_b→c and a→b_c, and step x_di beside x's DI.
    let flows: BTreeSet<&str> = all(&doc, MODEL_NS, "sequenceFlow").filter_map(|f| f.attribute("id")).collect();
    assert!(flows.contains("Flow_a_b_c") && flows.contains("Flow_a_b_c_2"), "{flows:?}");
    assert_eq!(element_of(&doc, "x_di").attribute("id"), Some("Step_x_di"));
    let x_di = all(&doc, BPMNDI_NS, "BPMNShape").find(|s| s.attribute("bpmnElement") == Some("Step_x"));
    assert_eq!(x_di.and_then(|s| s.attribute("id")), Some("Step_x_di_2"));
}

#[test]
fn gateways_name_their_default_flow_and_labelled_branches_carry_conditions() {
    for (checked, exports) in projects() {
        let model = &checked.model;
        for export in &exports {
            let doc = parse(export);
            let flow = |id: &str| all(&doc, MODEL_NS, "sequenceFlow").find(|f| f.attribute("id") == Some(id));
            for &s in &model.workflow(export.workflow).steps {
                let step = model.step(s);
                let node = element_of(&doc, &step.id);
                let conditional = matches!(node.tag_name().name(), "exclusiveGateway" | "inclusiveGateway");
                let outgoing: Vec<Node> = node
                    .children()
                    .filter(|c| is(c, MODEL_NS, "outgoing"))
                    .filter_map(|c| c.text().and_then(&flow))
                    .collect();
                let default = model.flows_from(s).into_iter().find(|(_, _, f)| f.default);
                match (&default, node.tag_name().name()) {
                    // The schema has no `default` on these elements.
                    (
                        Some(_),
                        "parallelGateway"
                        | "eventBasedGateway"
                        | "startEvent"
                        | "endEvent"
                        | "intermediateCatchEvent"
                        | "intermediateThrowEvent",
                    ) => assert_eq!(node.attribute("default"), None),
                    (Some((_, target, _)), _) => {
                        let id = node.attribute("default").unwrap_or_else(|| panic!("{}: no default", step.id));
                        let target_id = format!("Step_{}", model.step(*target).id);
                        assert_eq!(flow(id).and_then(|f| f.attribute("targetRef")), Some(target_id.as_str()));
                    }
                    (None, _) => assert_eq!(node.attribute("default"), None, "{}", step.id),
                }
                for f in &outgoing {
                    let condition = f.children().find(|c| is(c, MODEL_NS, "conditionExpression"));
                    let is_default = node.attribute("default") == f.attribute("id");
                    let want = conditional && f.attribute("name").is_some() && !is_default;
                    assert_eq!(condition.is_some(), want, "{}: condition on {:?}", export.id, f.attribute("id"));
                    if let Some(condition) = condition {
                        assert_eq!(condition.text(), f.attribute("name"), "the condition is the label");
                        let xsi_type = condition.attributes().find(|a| a.name() == "type").map(|a| a.value());
                        assert_eq!(xsi_type, Some("bpmn:tFormalExpression"));
                    }
                }
            }
        }
    }
}

#[test]
fn names_labels_and_documentation_survive_markup_unchanged() {
    let checked = checked(&manifest().join("tests/bpmn/every-kind"));
    let model = &checked.model;
    let exports = export_all(&checked);
    let export = exports.iter().find(|e| e.id == "every-kind").expect("every-kind");
    let doc = parse(export);
    let w = model.workflow(export.workflow);
    assert_eq!(all(&doc, MODEL_NS, "participant").next().and_then(|p| p.attribute("name")), Some(w.name.as_str()));
    let step = model.step(w.steps[5]);
    assert_eq!(step.id, "t-none");
    let node = element_of(&doc, "t-none");
    assert_eq!(node.attribute("name"), Some(step.name.as_str()));
    let docs: Vec<(Option<&str>, Option<&str>)> = node
        .children()
        .filter(|c| is(c, MODEL_NS, "documentation"))
        .map(|d| (d.attribute("textFormat"), d.text()))
        .collect();
    assert_eq!(
        docs,
        vec![
            (Some("text/markdown"), step.instructions.as_deref()),
            (Some("text/markdown"), step.description.as_deref())
        ]
    );
    let process_doc = all(&doc, MODEL_NS, "process").next().and_then(|p| p.children().find(|c| c.is_element()));
    assert_eq!(process_doc.and_then(|d| d.text()), w.description.as_deref());
    let lane = all(&doc, MODEL_NS, "lane").find(|l| l.attribute("id") == Some("Lane_a_b")).expect("lane a_b");
    assert_eq!(lane.attribute("name"), Some(r#"Role <A> & "B""#));
    let label = all(&doc, MODEL_NS, "sequenceFlow").find_map(|f| f.attribute("name").filter(|n| n.contains('&')));
    assert_eq!(label, Some("yes & <sure>"));
    assert!(!export.xml.contains("<script>"), "markup is escaped");
}

fn bounds_of(node: &Node) -> Option<[f64; 4]> {
    let b = node.children().find(|c| is(c, DC_NS, "Bounds"))?;
    let v = |a: &str| b.attribute(a).and_then(|v| v.parse::<f64>().ok());
    Some([v("x")?, v("y")?, v("width")?, v("height")?])
}

fn close(a: [f64; 4], r: procflow::layout::diagram::Rect) -> bool {
    a.iter().zip([r.x, r.y, r.width, r.height]).all(|(a, b)| (a - b).abs() <= 0.006)
}

#[test]
fn diagram_interchange_carries_the_layout_coordinates() {
    for (_, exports) in projects() {
        for export in &exports {
            let doc = parse(export);
            let d = &export.diagram;
            let shape = |element: &str| {
                all(&doc, BPMNDI_NS, "BPMNShape").find(|s| s.attribute("bpmnElement") == Some(element)).expect(element)
            };
            let pool = d.pool.as_ref().expect("a workflow has a pool");
            let participant = all(&doc, MODEL_NS, "participant").next().and_then(|p| p.attribute("id")).expect("pool");
            let pool_shape = shape(participant);
            assert_eq!(pool_shape.attribute("isHorizontal"), Some("true"));
            assert!(bounds_of(&pool_shape).is_some_and(|b| close(b, pool.rect)), "{}: pool", export.id);
            for (lane, lane_el) in d.lanes.iter().zip(all(&doc, MODEL_NS, "lane")) {
                let s = shape(lane_el.attribute("id").unwrap_or_default());
                assert_eq!(s.attribute("isHorizontal"), Some("true"));
                assert!(bounds_of(&s).is_some_and(|b| close(b, lane.rect)), "{}: lane {}", export.id, lane.role_id);
                // Lane membership is what the picture shows.
                let members: Vec<String> = lane_el
                    .children()
                    .filter(|c| is(c, MODEL_NS, "flowNodeRef"))
                    .filter_map(|c| c.text())
                    .map(str::to_string)
                    .collect();
                let drawn: Vec<String> = d
                    .nodes
                    .iter()
                    .filter(|n| d.lanes.get(n.lane).map(|l| &l.role_id) == Some(&lane.role_id))
                    .map(|n| format!("Step_{}", n.id))
                    .collect();
                assert_eq!(members, drawn, "{}: lane {}", export.id, lane.role_id);
            }
            for node in &d.nodes {
                let s = shape(&format!("Step_{}", node.id));
                assert!(bounds_of(&s).is_some_and(|b| close(b, node.rect)), "{}: {}", export.id, node.id);
                let label = s.children().find(|c| is(c, BPMNDI_NS, "BPMNLabel")).and_then(|l| bounds_of(&l));
                match (&node.label, node.shape.has_outside_label()) {
                    (Some(text), true) => {
                        assert!(label.is_some_and(|b| close(b, text.bounds)), "{}: label of {}", export.id, node.id)
                    }
                    _ => assert!(label.is_none(), "{}: {} has its name inside", export.id, node.id),
                }
                let marker = s.attribute("isMarkerVisible");
                let exclusive =
                    matches!(node.shape, layout::diagram::Shape::Gateway(procflow::compile::GatewayKind::Exclusive));
                assert_eq!(marker == Some("true"), exclusive, "{}: marker of {}", export.id, node.id);
            }
            // Edges in flow order are the layout's edges in order.
            let edges: Vec<Node> = all(&doc, BPMNDI_NS, "BPMNEdge").collect();
            assert_eq!(edges.len(), d.edges.len());
            for (edge, di) in d.edges.iter().zip(&edges) {
                let points: Vec<(f64, f64)> = di
                    .children()
                    .filter(|c| is(c, DI_NS, "waypoint"))
                    .map(|p| {
                        let v = |a| p.attribute(a).and_then(|v: &str| v.parse::<f64>().ok()).expect("coordinate");
                        (v("x"), v("y"))
                    })
                    .collect();
                assert_eq!(points.len(), edge.points.len(), "{}: {:?}", export.id, di.attribute("id"));
                for ((x, y), p) in points.iter().zip(&edge.points) {
                    assert!((x - p.x).abs() <= 0.006 && (y - p.y).abs() <= 0.006, "{}: waypoint", export.id);
                }
                let label = di.children().find(|c| is(c, BPMNDI_NS, "BPMNLabel")).and_then(|l| bounds_of(&l));
                match &edge.label {
                    Some(text) => assert!(label.is_some_and(|b| close(b, text.bounds)), "{}: flow label", export.id),
                    None => assert!(label.is_none()),
                }
            }
        }
    }
}

#[test]
fn export_is_byte_identical_across_runs() {
    let first: Vec<String> = projects().into_iter().flat_map(|(_, e)| e.into_iter().map(|e| e.xml)).collect();
    let second: Vec<String> = projects().into_iter().flat_map(|(_, e)| e.into_iter().map(|e| e.xml)).collect();
    assert!(first == second, "two exports of the same model differ");
}

/// The exports of both projects written into `dir`, one file per workflow.
fn write_exports(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for (n, (_, exports)) in projects().into_iter().enumerate() {
        for export in exports {
            let path = dir.join(format!("{n}-{}.bpmn", export.id));
            std::fs::write(&path, &export.xml).expect("write export");
            files.push(path);
        }
    }
    files
}

#[test]
fn exports_validate_against_the_omg_bpmn_schemas() {
    if outside::skip("exports_validate_against_the_omg_bpmn_schemas") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let files = write_exports(dir.path());
    let schema = manifest().join("tests/bpmn/xsd/BPMN20.xsd");
    let output = Command::new("xmllint")
        .arg("--noout")
        .arg("--schema")
        .arg(&schema)
        .args(&files)
        .output()
        .expect("xmllint runs");
    let report = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "xmllint rejected an export:\n{report}");
    assert_eq!(report.matches(" validates").count(), files.len(), "{report}");
}

/// Findings of `tests/bpmn/check.mjs` for one file.
#[derive(Debug, serde::Deserialize)]
struct NodeFindings {
    file: String,
    warnings: Vec<String>,
    lint: Vec<LintFinding>,
}

#[derive(Debug, serde::Deserialize)]
struct LintFinding {
    rule: String,
    id: String,
    category: String,
    message: String,
}

#[test]
fn bpmn_moddle_reads_every_export_without_warnings_and_bpmnlint_passes() {
    let script_dir = manifest().join("tests/bpmn");
    if outside::skip("bpmn_moddle_reads_every_export_without_warnings_and_bpmnlint_passes") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let files = write_exports(dir.path());
    let output =
        Command::new("node").arg("check.mjs").args(&files).current_dir(&script_dir).output().expect("node runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "check.mjs failed:\n{stderr}");
    let findings: Vec<NodeFindings> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("bad line from check.mjs: {e}: {line}")))
        .collect();
    assert_eq!(findings.len(), files.len());
    let mut problems = Vec::new();
    for f in &findings {
        problems.extend(f.warnings.iter().map(|w| format!("{}: bpmn-moddle: {w}", f.file)));
        // The every-kind fixture uses constructs bpmnlint discourages on
        // purpose (a collapsed subprocess without content, an inclusive
        // gateway, an unnamed event); only the bundled models are linted.
        if !Path::new(&f.file).file_name().is_some_and(|n| n.to_string_lossy().starts_with("0-")) {
            continue;
        }
        for l in &f.lint {
            if !ACCEPTED_LINT.iter().any(|(rule, _)| *rule == l.rule) {
                problems.push(format!("{}: bpmnlint {} {} on {}: {}", f.file, l.category, l.rule, l.id, l.message));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

mod cli {
    use super::*;
    use assert_cmd::Command;
    use predicates::prelude::*;

    fn procflow() -> Command {
        let mut cmd = Command::cargo_bin("procflow").expect("binary builds");
        cmd.env("NO_COLOR", "1").current_dir(manifest());
        cmd
    }

    fn library_export(id: &str) -> String {
        let checked = checked(manifest());
        export_all(&checked).into_iter().find(|e| e.id == id).expect(id).xml
    }

    #[test]
    fn export_bpmn_prints_one_workflow_or_writes_it_to_a_file() {
        let expected = library_export("incident-handling");
        procflow().args(["export", "bpmn", "incident-handling", "."]).assert().success().stdout(expected.clone());
        let dir = tempfile::tempdir().expect("temporary folder");
        let file = dir.path().join("incident.bpmn");
        procflow().args(["export", "bpmn", "incident-handling", "-o"]).arg(&file).assert().success();
        assert_eq!(std::fs::read_to_string(&file).expect("written"), expected);
    }

    #[test]
    fn export_bpmn_all_writes_every_workflow_into_a_folder() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let out = dir.path().join("bpmn");
        procflow()
            .args(["export", "bpmn", "--all", ".", "-o"])
            .arg(&out)
            .assert()
            .success()
            .stderr(predicate::str::contains("exported 6 workflows"));
        let checked = checked(manifest());
        for export in export_all(&checked) {
            let written = std::fs::read_to_string(out.join(format!("{}.bpmn", export.id))).expect("file per workflow");
            assert!(written == export.xml, "{} differs from the library's export", export.id);
        }
    }

    #[test]
    fn export_bpmn_explains_a_wrong_call() {
        procflow()
            .args(["export", "bpmn", "incident-handlin"])
            .assert()
            .code(2)
            .stderr(predicate::str::contains("no workflow \"incident-handlin\""))
            .stderr(predicate::str::contains("did you mean \"incident-handling\"?"));
        procflow().args(["export", "bpmn", "--all"]).assert().code(2).stderr(predicate::str::contains("-o FOLDER"));
        procflow().args(["export", "bpmn"]).assert().code(2).stderr(predicate::str::contains("workflow ids are"));
        let broken = manifest().join("tests/fixtures/e0206-unknown-next-step");
        procflow()
            .args(["export", "bpmn", "--all"])
            .arg(&broken)
            .args(["-o", "unused"])
            .assert()
            .code(1)
            .stderr(predicate::str::contains("no BPMN file was written"));
    }
}

#[test]
fn site_offers_each_workflow_as_a_bpmn_download_when_asked() {
    let project = procflow::project::Project::read(manifest()).expect("reads");
    let mut checked = procflow::check(&project.sources);
    assert!(checked.settings.formats.contains(&procflow::model::DiagramFormat::Bpmn), "procflow.yaml asks for bpmn");
    let site = procflow::site::build(&checked, &project.sources).expect("site builds");
    for export in export_all(&checked) {
        let file = site.get(&format!("workflows/{}.bpmn", export.id)).expect("a .bpmn per workflow");
        assert!(file == export.xml.as_bytes(), "{}: the download is the export", export.id);
        let page = site.get(&format!("workflows/{}.html", export.id)).expect("workflow page");
        let page = String::from_utf8_lossy(page);
        assert!(page.contains(&format!(r#"<a href="{}.bpmn" download>BPMN</a>"#, export.id)), "{}", export.id);
    }
    checked.settings.formats = vec![procflow::model::DiagramFormat::Svg];
    let site = procflow::site::build(&checked, &project.sources).expect("site builds");
    assert!(!site.files.iter().any(|f| f.path.ends_with(".bpmn")), "no BPMN unless formats lists it");
    assert!(!String::from_utf8_lossy(site.get("workflows/incident-handling.html").expect("page")).contains(">BPMN<"));
}

/// Every workflow of `models/` opened in bpmn-js (the bpmn.io viewer) in
/// headless Chromium by `tests/bpmn/bpmnjs.mjs`: the import gives no warning,
/// the canvas holds a shape or connection per DI element, the pool and its
/// lanes, and a screenshot of each lands in `$PROCFLOW_SCREENSHOTS` (default
/// `target/screenshots/bpmn-js`). Without node, the npm packages or Chromium
/// the test passes with a `SKIPPED:` line, unless PROCFLOW_REQUIRE_NODE_TOOLS=1 or
/// PROCFLOW_REQUIRE_BROWSER=1.
#[test]
fn bpmn_js_draws_every_export_without_warnings() {
    let script_dir = manifest().join("tests/bpmn");
    let chromium = site::chromium();
    if outside::skip("bpmn_js_draws_every_export_without_warnings") {
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let exports = export_all(&checked(manifest()));
    assert!(!exports.is_empty(), "models/ has workflows");
    for export in &exports {
        std::fs::write(dir.path().join(format!("{}.bpmn", export.id)), &export.xml).expect("write export");
    }
    let screenshots = site::screenshots_dir("bpmn-js");
    let output = Command::new("node")
        .arg("bpmnjs.mjs")
        .arg(dir.path())
        .current_dir(&script_dir)
        .env("PROCFLOW_SCREENSHOTS", &screenshots)
        .env("PROCFLOW_CHROMIUM", &chromium)
        .output()
        .expect("node runs");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "bpmn-js could not draw every export:\n{stdout}{stderr}");
    for export in &exports {
        assert!(stdout.contains(&format!("ok {}:", export.id)), "{}: not reported as drawn:\n{stdout}", export.id);
        let shot = screenshots.join(format!("bpmn-js-{}.png", export.id));
        assert!(std::fs::metadata(&shot).is_ok_and(|m| m.len() > 0), "no screenshot {}", shot.display());
    }
}
