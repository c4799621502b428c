//! The MIWG comparison: the reader-defect figures of BPMN models as people
//! drew them (their own BPMNDI) beside the same models imported and laid out
//! by procflow. Used by `tests/e2e/miwg.rs` (which tracks the table of the MIWG
//! reference models) and `examples/miwg.rs` (which prints it for any folder).
//!
//! The hand-drawn side is read from each file's own BPMNDI: one `Diagram` per
//! `BPMNDiagram`, with a node per flow-node shape (its Bounds), a flow per
//! sequence-flow edge (its waypoints, its BPMNLabel bounds when the flow has
//! a name, whether it is its source's default; in the order the sequence
//! flows are written), pools and lanes as lanes. Message flows, associations
//! and artefacts are left out on both sides, since procflow draws sequence
//! flows only. The procflow side is `bpmn::import`, then check, then
//! `layout::workflow` for every workflow the import made (one per process and
//! per embedded sub-process).
//!
//! Main-path bends: procflow draws each process and sub-process as its own
//! diagram, so its figure is the main path from each diagram's first start
//! event; a hand drawing holds several, so its figure sums the main path from
//! the first drawn start event (leftmost, then topmost, as the import orders
//! them) of each process and sub-process.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::ops::AddAssign;
use std::path::{Path, PathBuf};

use procflow::compile::GatewayKind;
use procflow::layout::diagram::{Align, Diagram, Edge, Lane, Node, Point, Rect, Shape, TextBlock, Weight};
use procflow::layout::metrics::{self, Metrics};
use procflow::layout::{self, LayoutOptions};
use procflow::model::{StepKind, Trigger};
use procflow::source::Sources;
use roxmltree::Document;

/// The MIWG reference models (a copy of the suite's, in the repository).
pub fn reference_folder() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/bpmn/miwg/reference")
}

/// The comparison of every `.bpmn` file of a folder.
pub struct Comparison {
    /// The side-by-side table: a row per file, then the totals.
    pub table: String,
    /// procflow's drawings, each with the file it came from.
    pub laid_out: Vec<(String, Diagram)>,
    /// What could not be read or imported, by file.
    pub problems: Vec<String>,
}

/// Compares the hand drawing and procflow's layout of every `.bpmn` file in
/// `folder` (sorted by name).
pub fn compare_folder(folder: &Path) -> Comparison {
    let files = super::bpmn_files(folder);
    let mut rows = Vec::new();
    let mut laid_out = Vec::new();
    let mut problems = Vec::new();
    let (mut hand_total, mut ours_total) = (Sum::default(), Sum::default());
    for path in &files {
        let name = path.file_stem().and_then(|s| s.to_str()).unwrap_or("?").to_string();
        let bytes = std::fs::read(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut hand = Sum::default();
        match hand_drawn(&bytes) {
            Ok(drawings) => {
                for (d, starts) in &drawings {
                    hand += Sum::of(&metrics::measure(d), starts.iter().map(|&s| metrics::main_path_bends(d, s)).sum());
                }
            }
            Err(e) => problems.push(format!("{name}: the BPMNDI could not be read: {e}")),
        }
        let mut ours = Sum::default();
        match procflow_drawings(&bytes) {
            Ok(diagrams) => {
                for d in diagrams {
                    let m = metrics::measure(&d);
                    ours += Sum::of(&m, m.main_path_bends);
                    laid_out.push((name.clone(), d));
                }
            }
            Err(e) => problems.push(format!("{name}: {e}")),
        }
        rows.push((name, hand, ours));
        hand_total += hand;
        ours_total += ours;
    }
    rows.push(("total".into(), hand_total, ours_total));
    let mut table = String::from("hand-drawn BPMNDI / procflow layout of the import\n");
    let name_width = rows.iter().map(|(name, _, _)| name.len()).max().unwrap_or(0).max(8);
    let mut header = format!("{:<name_width$}", "file");
    for (c, width) in COLUMNS.split(' ').zip(WIDTHS) {
        write!(header, " {c:>width$}").expect("writes to a string");
    }
    table.push_str(header.trim_end());
    table.push('\n');
    for (name, hand, ours) in &rows {
        let mut line = format!("{name:<name_width$}");
        for ((h, p), width) in hand.cells().iter().zip(ours.cells()).zip(WIDTHS) {
            write!(line, " {:>width$}", format!("{h} / {p}")).expect("writes to a string");
        }
        table.push_str(&line);
        table.push('\n');
    }
    Comparison { table, laid_out, problems }
}

/// Figures summed over several diagrams.
#[derive(Default, Clone, Copy)]
struct Sum {
    diagrams: usize,
    nodes: usize,
    flows: usize,
    crossings: usize,
    overlaps: usize,
    bends: usize,
    main_path_bends: usize,
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
    /// One diagram's figures, with its main-path bends.
    fn of(m: &Metrics, main_path_bends: usize) -> Sum {
        Sum {
            diagrams: 1,
            nodes: m.nodes,
            flows: m.edges,
            crossings: m.crossings,
            overlaps: m.overlaps,
            bends: m.bends,
            main_path_bends,
            shared_lines: m.shared_lines,
            shared_trunks: m.shared_trunks,
            misplaced: m.misplaced_labels,
            labelled: m.labelled_flows,
            junctions: m.false_junctions,
            rails: m.rails,
            area: m.width * m.height,
            node_area: m.node_area,
        }
    }

    /// The figures as table cells, in the order of [`COLUMNS`].
    fn cells(&self) -> [String; 13] {
        let n = |v: usize| v.to_string();
        [
            n(self.diagrams),
            n(self.nodes),
            n(self.flows),
            n(self.crossings),
            n(self.overlaps),
            n(self.bends),
            n(self.main_path_bends),
            n(self.shared_lines),
            n(self.shared_trunks),
            format!("{}/{}", self.misplaced, self.labelled),
            n(self.junctions),
            n(self.rails),
            if self.node_area > 0.0 { format!("{:.1}", self.area / self.node_area) } else { "-".into() },
        ]
    }
}

impl AddAssign for Sum {
    fn add_assign(&mut self, o: Sum) {
        self.diagrams += o.diagrams;
        self.nodes += o.nodes;
        self.flows += o.flows;
        self.crossings += o.crossings;
        self.overlaps += o.overlaps;
        self.bends += o.bends;
        self.main_path_bends += o.main_path_bends;
        self.shared_lines += o.shared_lines;
        self.shared_trunks += o.shared_trunks;
        self.misplaced += o.misplaced;
        self.labelled += o.labelled;
        self.junctions += o.junctions;
        self.rails += o.rails;
        self.area += o.area;
        self.node_area += o.node_area;
    }
}

/// Column heads: main-bends = bends on the main path, shared = pairs of
/// flows on one line (collinear), trunks = gateways whose branches leave
/// through one point, misplaced = labels nearer another flow / labelled
/// flows, area/node = drawing area over node area.
const COLUMNS: &str =
    "diagrams nodes flows crossings overlaps bends main-bends shared trunks misplaced junctions rails area/node";

const WIDTHS: [usize; 13] = [9, 9, 9, 9, 8, 9, 10, 7, 7, 11, 9, 7, 11];

/// Every workflow of an imported BPMN file, laid out by procflow.
fn procflow_drawings(bytes: &[u8]) -> Result<Vec<Diagram>, String> {
    let imported = procflow::bpmn::import(bytes).map_err(|e| format!("import failed: {e}"))?;
    let mut sources = Sources::new();
    for file in &imported.files {
        sources.add_text(format!("models/{}", file.name), file.text.clone());
    }
    let checked = procflow::check(&sources);
    let errors = procflow::diagnostic::count(&checked.diagnostics).errors;
    if errors > 0 {
        return Err(format!("the import has {errors} errors"));
    }
    let model = &checked.model;
    Ok(model.workflows.iter().map(|w| layout::workflow(model, *w, LayoutOptions::default())).collect())
}

/// The file's own drawings: one `Diagram` per `BPMNDiagram`, each with the
/// main-path start of every process and sub-process drawn in it.
fn hand_drawn(bytes: &[u8]) -> Result<Vec<(Diagram, Vec<usize>)>, String> {
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
        // The first start event of each process or sub-process: (container, node).
        let mut starts: Vec<(roxmltree::NodeId, usize)> = Vec::new();
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
            if let (Shape::StartEvent(_), Some(container)) = (shape_kind, element.parent()) {
                let before = |other: &Rect| (rect.center().x, rect.center().y) < (other.center().x, other.center().y);
                match starts.iter_mut().find(|(c, _)| *c == container.id()) {
                    Some((_, first)) if before(&d.nodes[*first].rect) => *first = d.nodes.len(),
                    Some(_) => {}
                    None => starts.push((container.id(), d.nodes.len())),
                }
            }
            index.insert(id, d.nodes.len());
            d.nodes.push(Node { id: id.to_string(), shape: shape_kind, rect, lane: 0, label: None, link: None });
        }
        let mut edges: Vec<(usize, Edge)> = Vec::new();
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
            let source = flow.attribute("sourceRef").and_then(|id| by_id.get(id));
            let default =
                flow.attribute("id").is_some_and(|id| source.and_then(|s| s.attribute("default")) == Some(id));
            let back = points[points.len() - 1].x < points[0].x - 0.5;
            edges.push((flow.range().start, Edge { from, to, points, label, default, back }));
        }
        if d.nodes.is_empty() {
            continue;
        }
        // First-listed means first written among the sequence flows.
        edges.sort_by_key(|(at, _)| *at);
        d.edges = edges.into_iter().map(|(_, e)| e).collect();
        normalise(&mut d);
        out.push((d, starts.into_iter().map(|(_, s)| s).collect()));
    }
    Ok(out)
}

/// A text block of one line in `bounds` (only the bounds are measured).
fn text_block(text: String, bounds: Rect) -> TextBlock {
    let (font_size, line_height, weight, align) = (12.0, 14.0, Weight::Regular, Align::Start);
    TextBlock { lines: vec![text], bounds, font_size, line_height, weight, align, vertical: false }
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
