//! Development aid: the reader-defect metrics of the BPMN MIWG reference
//! models as people drew them, beside the same models imported and laid out
//! by procflow, and the same figures for every workflow of the bundled
//! `models/` project. Run `cargo run --release --example miwg [FOLDER]`
//! (FOLDER defaults to `../shared/interop/bpmn-miwg/reference`).
//!
//! The hand-drawn side is read from each file's own BPMNDI: one `Diagram` per
//! `BPMNDiagram`, with a node per flow-node shape (its Bounds), a flow per
//! sequence-flow edge (its waypoints, and its BPMNLabel bounds when the flow
//! has a name), pools and lanes as lanes. Message flows, associations and
//! artefacts are left out on both sides, since procflow draws sequence flows
//! only. The procflow side is `bpmn::import`, then check, then
//! `layout::workflow` for every workflow the import made.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use procflow::compile::GatewayKind;
use procflow::layout::diagram::{Align, Diagram, Edge, Lane, Node, Point, Rect, Shape, TextBlock, Weight};
use procflow::layout::metrics::{self, Metrics};
use procflow::layout::{self, LayoutOptions};
use procflow::model::{StepKind, Trigger};
use procflow::source::Sources;
use roxmltree::Document;

/// Figures summed over several diagrams.
#[derive(Default, Clone, Copy)]
struct Sum {
    diagrams: usize,
    nodes: usize,
    flows: usize,
    crossings: usize,
    overlaps: usize,
    bends: usize,
    shared_lines: usize,
    shared_trunks: usize,
    misplaced: usize,
    labelled: usize,
    junctions: usize,
    rails: usize,
    area: f64,
    node_area: f64,
}

impl Sum {
    fn add(&mut self, m: &Metrics) {
        self.diagrams += 1;
        self.nodes += m.nodes;
        self.flows += m.edges;
        self.crossings += m.crossings;
        self.overlaps += m.overlaps;
        self.bends += m.bends;
        self.shared_lines += m.shared_lines;
        self.shared_trunks += m.shared_trunks;
        self.misplaced += m.misplaced_labels;
        self.labelled += m.labelled_flows;
        self.junctions += m.false_junctions;
        self.rails += m.rails;
        self.area += m.width * m.height;
        self.node_area += m.node_area;
    }

    fn merge(&mut self, other: &Sum) {
        self.diagrams += other.diagrams;
        self.nodes += other.nodes;
        self.flows += other.flows;
        self.crossings += other.crossings;
        self.overlaps += other.overlaps;
        self.bends += other.bends;
        self.shared_lines += other.shared_lines;
        self.shared_trunks += other.shared_trunks;
        self.misplaced += other.misplaced;
        self.labelled += other.labelled;
        self.junctions += other.junctions;
        self.rails += other.rails;
        self.area += other.area;
        self.node_area += other.node_area;
    }

    fn ratio(&self) -> String {
        if self.node_area > 0.0 { format!("{:.1}", self.area / self.node_area) } else { "-".into() }
    }

    /// The figures as table cells, in the order of [`COLUMNS`].
    fn cells(&self) -> Vec<String> {
        let n = |v: usize| v.to_string();
        vec![
            n(self.diagrams),
            n(self.nodes),
            n(self.flows),
            n(self.crossings),
            n(self.overlaps),
            n(self.bends),
            n(self.shared_lines),
            n(self.shared_trunks),
            format!("{} of {}", self.misplaced, self.labelled),
            n(self.junctions),
            n(self.rails),
            self.ratio(),
        ]
    }
}

const COLUMNS: [&str; 12] = [
    "diagrams",
    "nodes",
    "flows",
    "crossings",
    "overlaps",
    "bends",
    "shared",
    "trunks",
    "misplaced",
    "junctions",
    "rails",
    "area/node",
];

/// Prints a row whose cells each hold a hand-drawn and a procflow figure.
fn pair_row(name: &str, hand: &[String], ours: &[String]) {
    let mut line = format!("{name:<8}");
    for (i, (h, p)) in hand.iter().zip(ours).enumerate() {
        let width = COLUMNS[i].len().max(if i == 8 { 19 } else { 11 });
        line.push_str(&format!(" {:>width$}", format!("{h} / {p}")));
    }
    println!("{line}");
}

fn pair_header() {
    let mut line = format!("{:<8}", "file");
    for (i, c) in COLUMNS.iter().enumerate() {
        let width = c.len().max(if i == 8 { 19 } else { 11 });
        line.push_str(&format!(" {c:>width$}"));
    }
    println!("{line}");
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let folder = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| root.join("../shared/interop/bpmn-miwg/reference"));
    let mut files: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap_or_else(|e| panic!("{}: {e}", folder.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "bpmn"))
        .collect();
    files.sort();

    println!("MIWG reference models: hand-drawn BPMNDI / procflow layout of the import");
    pair_header();
    let (mut hand_total, mut ours_total) = (Sum::default(), Sum::default());
    for path in &files {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut hand = Sum::default();
        match hand_drawn(&bytes) {
            Ok(diagrams) => diagrams.iter().for_each(|d| hand.add(&metrics::measure(d))),
            Err(e) => println!("{name}: the BPMNDI could not be read: {e}"),
        }
        let mut ours = Sum::default();
        match laid_out(&bytes) {
            Ok(diagrams) => diagrams.iter().for_each(|d| ours.add(&metrics::measure(d))),
            Err(e) => println!("{name}: {e}"),
        }
        pair_row(&name, &hand.cells(), &ours.cells());
        hand_total.merge(&hand);
        ours_total.merge(&ours);
    }
    pair_row("total", &hand_total.cells(), &ours_total.cells());

    println!();
    println!("models/ (procflow layout)");
    let project = procflow::project::Project::read(root).expect("the bundled project reads");
    let checked = procflow::check(&project.sources);
    let model = &checked.model;
    let mut header = format!("{:<28}", "workflow");
    for c in &COLUMNS[1..] {
        header.push_str(&format!(" {c:>9}"));
    }
    println!("{header}");
    let row = |name: &str, sum: &Sum| {
        let mut line = format!("{name:<28}");
        for cell in &sum.cells()[1..] {
            line.push_str(&format!(" {cell:>9}"));
        }
        println!("{line}");
    };
    let mut total = Sum::default();
    for &w in &model.workflows {
        let diagram = layout::workflow(model, w, LayoutOptions::default());
        let mut sum = Sum::default();
        sum.add(&metrics::measure(&diagram));
        row(&diagram.id, &sum);
        total.merge(&sum);
    }
    row("total", &total);
}

/// Every workflow of an imported BPMN file, laid out by procflow.
fn laid_out(bytes: &[u8]) -> Result<Vec<Diagram>, String> {
    let imported = procflow::bpmn::import(bytes).map_err(|e| format!("import failed: {e}"))?;
    let mut sources = Sources::new();
    for file in &imported.files {
        sources.add_text(format!("models/{}", file.name), file.text.clone());
    }
    let checked = procflow::check(&sources);
    let errors = procflow::diagnostic::count(&checked.diagnostics).errors;
    if errors > 0 {
        eprintln!("note: the import has {errors} errors; laying out what compiled");
    }
    let model = &checked.model;
    Ok(model.workflows.iter().map(|w| layout::workflow(model, *w, LayoutOptions::default())).collect())
}

/// The file's own drawings: one `Diagram` per `BPMNDiagram`.
fn hand_drawn(bytes: &[u8]) -> Result<Vec<Diagram>, String> {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(200)]).to_ascii_lowercase();
    let text = if head.contains("iso-8859-1") {
        encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes).0.into_owned()
    } else {
        String::from_utf8_lossy(bytes).into_owned()
    };
    let doc = Document::parse(&text).map_err(|e| e.to_string())?;
    let by_id: HashMap<&str, roxmltree::Node> = doc
        .descendants()
        .filter(|n| n.is_element() && n.tag_name().namespace() == Some(procflow::bpmn::MODEL_NS))
        .filter_map(|n| Some((n.attribute("id")?, n)))
        .collect();
    let local = |n: &roxmltree::Node, name: &str| n.is_element() && n.tag_name().name() == name;
    let bounds = |n: &roxmltree::Node| -> Option<Rect> {
        let b = n.children().find(|c| local(c, "Bounds"))?;
        let f = |a: &str| b.attribute(a).and_then(|v| v.trim().parse::<f64>().ok());
        Some(Rect { x: f("x")?, y: f("y")?, width: f("width")?, height: f("height")? })
    };
    let mut out = Vec::new();
    for (k, plane) in doc.descendants().filter(|n| local(n, "BPMNPlane")).enumerate() {
        let mut d = Diagram { id: format!("diagram-{}", k + 1), ..Diagram::default() };
        let mut index: HashMap<&str, usize> = HashMap::new();
        for shape in plane.descendants().filter(|n| local(n, "BPMNShape")) {
            let Some(id) = shape.attribute("bpmnElement") else { continue };
            let (Some(element), Some(rect)) = (by_id.get(id), bounds(&shape)) else { continue };
            let kind = element.tag_name().name();
            if kind == "participant" || kind == "lane" {
                d.lanes.push(Lane {
                    role_id: id.to_string(),
                    rect,
                    header: Rect { width: 0.0, ..rect },
                    label: text_block(String::new(), rect),
                });
                continue;
            }
            let Some(shape_kind) = shape_of(kind) else { continue };
            index.insert(id, d.nodes.len());
            d.nodes.push(Node { id: id.to_string(), shape: shape_kind, rect, lane: 0, label: None, link: None });
        }
        for edge in plane.descendants().filter(|n| local(n, "BPMNEdge")) {
            let Some(flow) = edge.attribute("bpmnElement").and_then(|id| by_id.get(id)) else { continue };
            if flow.tag_name().name() != "sequenceFlow" {
                continue;
            }
            let end = |a: &str| flow.attribute(a).and_then(|id| index.get(id)).copied();
            let (Some(from), Some(to)) = (end("sourceRef"), end("targetRef")) else { continue };
            let points: Vec<Point> = edge
                .children()
                .filter(|c| local(c, "waypoint"))
                .filter_map(|w| {
                    let f = |a: &str| w.attribute(a).and_then(|v| v.trim().parse::<f64>().ok());
                    Some(Point { x: f("x")?, y: f("y")? })
                })
                .collect();
            if points.len() < 2 {
                continue;
            }
            let name = flow.attribute("name").map(str::trim).unwrap_or_default();
            let label = edge
                .children()
                .find(|c| local(c, "BPMNLabel"))
                .and_then(|l| bounds(&l))
                .filter(|_| !name.is_empty())
                .map(|r| text_block(name.to_string(), r));
            let back = points[points.len() - 1].x < points[0].x - 0.5;
            d.edges.push(Edge { from, to, points, label, default: false, back });
        }
        if d.nodes.is_empty() {
            continue;
        }
        normalise(&mut d);
        out.push(d);
    }
    Ok(out)
}

fn text_block(text: String, bounds: Rect) -> TextBlock {
    TextBlock {
        lines: vec![text],
        bounds,
        font_size: 12.0,
        line_height: 14.0,
        weight: Weight::Regular,
        align: Align::Start,
        vertical: false,
    }
}

fn shape_of(kind: &str) -> Option<Shape> {
    Some(match kind {
        "exclusiveGateway" | "complexGateway" => Shape::Gateway(GatewayKind::Exclusive),
        "parallelGateway" => Shape::Gateway(GatewayKind::Parallel),
        "inclusiveGateway" => Shape::Gateway(GatewayKind::Inclusive),
        "eventBasedGateway" => Shape::Gateway(GatewayKind::EventBased),
        "startEvent" => Shape::StartEvent(Trigger::None),
        "endEvent" => Shape::EndEvent(Trigger::None),
        "intermediateCatchEvent" | "intermediateThrowEvent" | "boundaryEvent" => {
            Shape::IntermediateEvent(Trigger::None)
        }
        "task" | "userTask" | "manualTask" | "serviceTask" | "sendTask" | "receiveTask" | "scriptTask"
        | "businessRuleTask" => Shape::Task(StepKind::None),
        "subProcess" | "transaction" | "adHocSubProcess" | "callActivity" => Shape::Subprocess,
        _ => return None,
    })
}

/// Moves the drawing so that its content starts at the origin, and sizes it
/// to the content (hand-drawn coordinates start anywhere).
fn normalise(d: &mut Diagram) {
    let mut rects: Vec<Rect> = d.nodes.iter().map(|n| n.rect).chain(d.lanes.iter().map(|l| l.rect)).collect();
    for e in &d.edges {
        rects.extend(e.points.iter().map(|p| Rect { x: p.x, y: p.y, width: 0.0, height: 0.0 }));
        rects.extend(e.label.iter().map(|l| l.bounds));
    }
    let x0 = rects.iter().map(|r| r.x).fold(f64::INFINITY, f64::min);
    let y0 = rects.iter().map(|r| r.y).fold(f64::INFINITY, f64::min);
    let x1 = rects.iter().map(|r| r.right()).fold(f64::NEG_INFINITY, f64::max);
    let y1 = rects.iter().map(|r| r.bottom()).fold(f64::NEG_INFINITY, f64::max);
    let shift = |r: &mut Rect| {
        r.x -= x0;
        r.y -= y0;
    };
    d.nodes.iter_mut().for_each(|n| shift(&mut n.rect));
    for l in &mut d.lanes {
        shift(&mut l.rect);
        shift(&mut l.header);
        shift(&mut l.label.bounds);
    }
    for e in &mut d.edges {
        for p in &mut e.points {
            p.x -= x0;
            p.y -= y0;
        }
        if let Some(l) = &mut e.label {
            shift(&mut l.bounds);
        }
    }
    d.width = x1 - x0;
    d.height = y1 - y0;
}
