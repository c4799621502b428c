//! The standalone SVG of a diagram, fit for wikis.
//!
//! Writes one SVG 1.1 document per [`Diagram`] in the BPMN 2.0 look: pool and
//! lanes, events with trigger icons, tasks with kind icons, collapsed
//! subprocesses, gateways with markers, orthogonal flows with rounded corners
//! and filled arrowheads, and every text block at the place the layout gave
//! it. The document is safe to inline or upload anywhere: presentation
//! attributes only (no `<style>`, no `<script>`, no event attributes), no
//! external references, every user string escaped, every element id prefixed
//! with `pf-<diagram id>`, `<title>` and `<desc>` first with `role="img"`.
//! Arrowheads are drawn as paths per flow rather than `<marker>`s, which some
//! wiki renderers drop. This module writes markup only; it never changes the
//! diagram and never measures or wraps text.

use std::collections::HashSet;
use std::fmt::Write as _;

use super::icons::{self, Frame, INK, PAPER};
use super::{escape, id_prefix, num, slug};
use crate::layout::diagram::{Align, Diagram, Edge, Node, Point, Rect, Shape, TextBlock, Weight};
use crate::text::FONT_FAMILY;

/// Fill of the pool's title band.
const POOL_HEADER_FILL: &str = "#e9edf2";
/// Fill of a lane's header band.
const LANE_HEADER_FILL: &str = "#f2f4f7";
/// Fills of the lane bands, alternating, light enough to print.
const LANE_FILLS: [&str; 2] = ["#ffffff", "#f8f9fb"];
/// Lines between lanes.
const LANE_LINE: &str = "#9aa3ad";
/// Sequence flows and their arrowheads.
const FLOW: &str = "#2b3038";
/// The status mark's ink and fill (contrast 6.4:1).
const MARK_INK: &str = "#b42318";
const MARK_FILL: &str = "#fdecea";
/// Fill of a process box in the landscape.
const PROCESS_FILL: &str = "#eaf1f8";

/// Width of sequence-flow lines.
const FLOW_WIDTH: f64 = 1.5;
/// Corner radius of flows; smaller where a segment is short.
const CORNER: f64 = 5.0;
/// Arrowhead length along the flow and half its width across it.
const ARROW_LENGTH: f64 = 10.0;
const ARROW_HALF_WIDTH: f64 = 3.8;
/// Corner radius of tasks, subprocesses and process boxes.
const BOX_RADIUS: f64 = 10.0;
/// Where a line of text puts its baseline: lines are centred on the middle of
/// Inter's cap height (0.727 em), which centres mixed-case text visually.
const CAP_HEIGHT: f64 = 0.72;

/// The SVG of `diagram`, without links.
pub fn svg(diagram: &Diagram) -> String {
    svg_with_links(diagram, &|_| None)
}

/// The SVG of `diagram`, with each node for which `link` returns a target
/// wrapped in `<a href="…">`. Only relative references and fragments are
/// written (`#step-x`, `../workflows/x.html`); a target with a scheme
/// (`javascript:`, `https:`) or starting with `//` is dropped, so the drawing
/// can never point off-site or run code.
pub fn svg_with_links(diagram: &Diagram, link: &dyn Fn(&Node) -> Option<String>) -> String {
    svg_with_classes(diagram, link, &Classes { node: &|_| None, flow: &|_, _| None })
}

/// Extra CSS classes for some nodes and flows (the diff report's
/// `diff-added`, `diff-changed`): `node` is asked with the step id, `flow`
/// with the ids of the steps a flow joins. Classes are fixed words chosen by
/// the caller, never user text.
pub struct Classes<'a> {
    pub node: &'a dyn Fn(&str) -> Option<&'static str>,
    pub flow: &'a dyn Fn(&str, &str) -> Option<&'static str>,
}

/// [`svg_with_links`] with [`Classes`] added to the nodes' and flows' groups.
pub fn svg_with_classes(diagram: &Diagram, link: &dyn Fn(&Node) -> Option<String>, classes: &Classes) -> String {
    let links: Vec<Option<String>> =
        diagram.nodes.iter().map(|node| link(node).filter(|href| is_relative_reference(href))).collect();
    let node_classes = diagram.nodes.iter().map(|node| (classes.node)(&node.id)).collect();
    let step = |index: usize| diagram.nodes.get(index).map_or("", |n| n.id.as_str());
    let flow_classes = diagram.edges.iter().map(|edge| (classes.flow)(step(edge.from), step(edge.to))).collect();
    let mut writer = Writer {
        out: String::with_capacity(4096 + diagram.nodes.len() * 1024),
        ids: HashSet::new(),
        node_classes,
        flow_classes,
    };
    writer.document(diagram, &links);
    writer.out
}

/// Whether `href` is a relative URL reference (a path, query or fragment),
/// never an absolute URL or a network-path reference.
fn is_relative_reference(href: &str) -> bool {
    if href.is_empty() || href.starts_with("//") || href.starts_with("\\\\") {
        return false;
    }
    if href.chars().any(|c| c.is_control() || c.is_whitespace() || c == '\\') {
        return false;
    }
    // A scheme is whatever precedes the first ':' when no '/', '?' or '#' comes
    // before it; browsers also ignore leading whitespace and case, which the
    // whitespace check above already covers.
    match href.find([':', '/', '?', '#']) {
        Some(i) => !href[i..].starts_with(':'),
        None => true,
    }
}

struct Writer {
    out: String,
    /// Element ids already written, to keep them unique after slugging.
    ids: HashSet<String>,
    /// The extra class of each node and each flow, by index.
    node_classes: Vec<Option<&'static str>>,
    flow_classes: Vec<Option<&'static str>>,
}

impl Writer {
    /// Returns a unique id `<base>`, `<base>-2`, `<base>-3`, …
    fn unique_id(&mut self, base: String) -> String {
        let mut id = base.clone();
        let mut n = 2;
        while self.ids.contains(&id) {
            id = format!("{base}-{n}");
            n += 1;
        }
        self.ids.insert(id.clone());
        id
    }

    fn document(&mut self, diagram: &Diagram, links: &[Option<String>]) {
        let prefix = id_prefix(diagram);
        let width = num(positive(diagram.width));
        let height = num(positive(diagram.height));
        let root_id = self.unique_id(prefix.clone());
        let title_id = self.unique_id(format!("{prefix}-title"));
        let desc_id = self.unique_id(format!("{prefix}-desc"));
        let linked = links.iter().any(Option::is_some);
        let xlink = if linked { r#" xmlns:xlink="http://www.w3.org/1999/xlink""# } else { "" };
        // A picture is one image to a screen reader; a diagram with links must
        // keep its links reachable, so it gets no image role.
        let role = if linked { "" } else { r#" role="img""# };
        let _ = writeln!(
            self.out,
            r#"<svg xmlns="http://www.w3.org/2000/svg"{xlink} version="1.1" id="{root_id}" width="{width}" height="{height}" viewBox="0 0 {width} {height}"{role} aria-labelledby="{title_id} {desc_id}">"#
        );
        let _ = writeln!(self.out, r#"<title id="{title_id}">{}</title>"#, escape(&diagram.title));
        let _ = writeln!(self.out, r#"<desc id="{desc_id}">{}</desc>"#, escape(&diagram.description));
        let _ = writeln!(self.out, r#"<g font-family="{}" font-size="12" fill="{INK}">"#, escape(FONT_FAMILY));
        let _ = writeln!(self.out, r#"<rect width="{width}" height="{height}" fill="{PAPER}"/>"#);
        if let Some(mark) = &diagram.mark {
            self.mark(mark);
        }
        self.lanes(diagram, &prefix);
        self.edges(diagram, &prefix);
        self.nodes(diagram, &prefix, links);
        self.edge_labels(diagram);
        self.out.push_str("</g>\n</svg>\n");
    }

    fn lanes(&mut self, diagram: &Diagram, prefix: &str) {
        if diagram.lanes.is_empty() && diagram.pool.is_none() {
            return;
        }
        let group_id = self.unique_id(format!("{prefix}-lanes"));
        let _ = writeln!(self.out, r#"<g id="{group_id}">"#);
        for (i, lane) in diagram.lanes.iter().enumerate() {
            let id = self.unique_id(format!("{prefix}-lane-{}", slug(&lane.role_id)));
            let _ = write!(self.out, r#"<g id="{id}" class="lane" data-role="{}">"#, escape(&lane.role_id));
            let fill = LANE_FILLS[i % 2];
            self.rect(&lane.rect, 0.0, &format!(r#"fill="{fill}" stroke="{LANE_LINE}" stroke-width="1""#));
            self.rect(
                &lane.header,
                0.0,
                &format!(r#"fill="{LANE_HEADER_FILL}" stroke="{LANE_LINE}" stroke-width="1""#),
            );
            self.text(&lane.label, INK);
            self.out.push_str("</g>\n");
        }
        if let Some(pool) = &diagram.pool {
            let id = self.unique_id(format!("{prefix}-pool"));
            let _ = write!(self.out, r#"<g id="{id}" class="pool">"#);
            self.rect(&pool.header, 0.0, &format!(r#"fill="{POOL_HEADER_FILL}" stroke="{INK}" stroke-width="1""#));
            self.text(&pool.label, INK);
            self.rect(&pool.rect, 0.0, &format!(r#"fill="none" stroke="{INK}" stroke-width="1.5""#));
            self.out.push_str("</g>\n");
        }
        self.out.push_str("</g>\n");
    }

    fn edges(&mut self, diagram: &Diagram, prefix: &str) {
        if diagram.edges.is_empty() {
            return;
        }
        let group_id = self.unique_id(format!("{prefix}-flows"));
        let _ = writeln!(
            self.out,
            r#"<g id="{group_id}" fill="none" stroke="{FLOW}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round">"#,
            num(FLOW_WIDTH)
        );
        for (at, edge) in diagram.edges.iter().enumerate() {
            let from = diagram.nodes.get(edge.from).map_or_else(|| edge.from.to_string(), |n| slug(&n.id));
            let to = diagram.nodes.get(edge.to).map_or_else(|| edge.to.to_string(), |n| slug(&n.id));
            let id = self.unique_id(format!("{prefix}-flow-{from}-{to}"));
            let extra = self.flow_classes.get(at).copied().flatten();
            self.edge(edge, &id, extra);
        }
        self.out.push_str("</g>\n");
    }

    fn edge(&mut self, edge: &Edge, id: &str, extra: Option<&str>) {
        let points = distinct_points(&edge.points);
        let class = if edge.back { "flow back" } else { "flow" };
        let extra = extra.map_or(String::new(), |c| format!(" {c}"));
        let _ = write!(self.out, r#"<g id="{id}" class="{class}{extra}">"#);
        if points.len() >= 2 {
            let n = points.len();
            let tip = points[n - 1];
            let (dx, dy) = unit(points[n - 2], tip);
            let last_length = distance(points[n - 2], tip);
            // The line stops at the arrowhead's base so its round cap cannot
            // blunt the tip; on a very short last segment it stops halfway.
            let back_off = ARROW_LENGTH.min(last_length / 2.0);
            let mut line = points.clone();
            line[n - 1] = Point { x: tip.x - dx * back_off, y: tip.y - dy * back_off };
            let _ = write!(self.out, r#"<path d="{}"/>"#, rounded_path(&line));
            let (nx, ny) = (-dy, dx);
            let base = Point { x: tip.x - dx * ARROW_LENGTH, y: tip.y - dy * ARROW_LENGTH };
            let _ = write!(
                self.out,
                r#"<path d="M{},{}L{},{}L{},{}Z" fill="{FLOW}" stroke="none"/>"#,
                num(tip.x),
                num(tip.y),
                num(base.x + nx * ARROW_HALF_WIDTH),
                num(base.y + ny * ARROW_HALF_WIDTH),
                num(base.x - nx * ARROW_HALF_WIDTH),
                num(base.y - ny * ARROW_HALF_WIDTH),
            );
            if edge.default {
                self.default_slash(points[0], points[1]);
            }
        }
        self.out.push_str("</g>\n");
    }

    /// The default-flow mark: a short slash across the first segment, near
    /// its start.
    fn default_slash(&mut self, start: Point, next: Point) {
        let (dx, dy) = unit(start, next);
        let (nx, ny) = (-dy, dx);
        let c = crate::layout::diagram::default_slash_centre(start, next);
        let _ = write!(
            self.out,
            r#"<path d="M{},{}L{},{}"/>"#,
            num(c.x - dx * 3.0 + nx * 5.0),
            num(c.y - dy * 3.0 + ny * 5.0),
            num(c.x + dx * 3.0 - nx * 5.0),
            num(c.y + dy * 3.0 - ny * 5.0),
        );
    }

    fn nodes(&mut self, diagram: &Diagram, prefix: &str, links: &[Option<String>]) {
        if diagram.nodes.is_empty() {
            return;
        }
        let group_id = self.unique_id(format!("{prefix}-nodes"));
        let _ = writeln!(self.out, r#"<g id="{group_id}">"#);
        for (at, (node, link)) in diagram.nodes.iter().zip(links).enumerate() {
            let id = self.unique_id(format!("{prefix}-node-{}", slug(&node.id)));
            let extra = self.node_classes.get(at).copied().flatten().map_or(String::new(), |c| format!(" {c}"));
            if let Some(href) = link {
                let href = escape(href);
                // The name is drawn line by line; say it as one phrase.
                let name = node.label.as_ref().map(|l| l.lines.join(" ")).unwrap_or_else(|| node.id.clone());
                let name = escape(&name);
                let _ = write!(self.out, r#"<a href="{href}" xlink:href="{href}" aria-label="{name}">"#);
            }
            let _ = write!(self.out, r#"<g id="{id}" class="node{extra}" data-step="{}">"#, escape(&node.id));
            self.node(node);
            self.out.push_str("</g>");
            if link.is_some() {
                self.out.push_str("</a>");
            }
            self.out.push('\n');
        }
        self.out.push_str("</g>\n");
    }

    fn node(&mut self, node: &Node) {
        let r = node.rect;
        let shape_paint = |width: f64, fill: &str| {
            format!(r#"fill="{fill}" stroke="{INK}" stroke-width="{}" stroke-linejoin="round""#, num(width))
        };
        match node.shape {
            Shape::Task(kind) => {
                self.rect(&r, BOX_RADIUS, &shape_paint(1.5, PAPER));
                let frame = Frame { left: r.x + 7.0, top: r.y + 6.0, scale: 1.0 };
                icons::task(&mut self.out, &frame, kind);
            }
            Shape::Subprocess => {
                self.rect(&r, BOX_RADIUS, &shape_paint(3.0, PAPER));
                icons::collapsed_marker(&mut self.out, r.x + r.width / 2.0, r.bottom() - 4.0);
            }
            Shape::Process => self.rect(&r, BOX_RADIUS, &shape_paint(1.5, PROCESS_FILL)),
            Shape::StartEvent(trigger) => {
                self.event_circle(&r, 1.5, None);
                icons::trigger(&mut self.out, &event_frame(&r), trigger, false);
            }
            Shape::IntermediateEvent(trigger) => {
                self.event_circle(&r, 1.5, Some(3.0 * event_frame(&r).scale));
                icons::trigger(&mut self.out, &event_frame(&r), trigger, false);
            }
            Shape::EndEvent(trigger) => {
                self.event_circle(&r, 4.0, None);
                icons::trigger(&mut self.out, &event_frame(&r), trigger, true);
            }
            Shape::Gateway(kind) => {
                let c = r.center();
                let _ = write!(
                    self.out,
                    r#"<path d="M{},{}L{},{}L{},{}L{},{}Z" {}/>"#,
                    num(c.x),
                    num(r.y),
                    num(r.right()),
                    num(c.y),
                    num(c.x),
                    num(r.bottom()),
                    num(r.x),
                    num(c.y),
                    shape_paint(1.5, PAPER)
                );
                let scale = r.width.min(r.height) / 50.0;
                let frame = Frame { left: c.x - 25.0 * scale, top: c.y - 25.0 * scale, scale };
                icons::gateway(&mut self.out, &frame, kind);
            }
        }
        if let Some(label) = &node.label {
            self.text(label, INK);
        }
    }

    /// An event's circle, inset so its stroke stays inside the node's box,
    /// plus an inner circle `gap` inside it for intermediate events.
    fn event_circle(&mut self, r: &Rect, width: f64, gap: Option<f64>) {
        let c = r.center();
        let outer = (r.width.min(r.height) / 2.0 - width / 2.0).max(1.0);
        let paint = format!(r#"fill="{PAPER}" stroke="{INK}" stroke-width="{}""#, num(width));
        let _ = write!(self.out, r#"<circle cx="{}" cy="{}" r="{}" {paint}/>"#, num(c.x), num(c.y), num(outer));
        if let Some(gap) = gap {
            let inner = (outer - gap).max(1.0);
            let _ = write!(self.out, r#"<circle cx="{}" cy="{}" r="{}" {paint}/>"#, num(c.x), num(c.y), num(inner));
        }
    }

    /// The status mark in the band above the drawing: red on pale red, so it
    /// reads as a stamp in colour and in grey print alike.
    fn mark(&mut self, mark: &TextBlock) {
        let b = mark.bounds;
        let _ = writeln!(
            self.out,
            r#"<g class="pf-mark"><rect x="{}" y="{}" width="{}" height="{}" rx="3" fill="{MARK_FILL}" stroke="{MARK_INK}"/><text x="{}" y="{}" font-weight="600" fill="{MARK_INK}">{}</text></g>"#,
            num(b.x - 8.0),
            num(b.y - 2.0),
            num(b.width + 16.0),
            num(b.height + 4.0),
            num(b.x),
            num(b.y + 12.0),
            escape(&mark.lines.concat())
        );
    }

    fn edge_labels(&mut self, diagram: &Diagram) {
        let labels: Vec<&TextBlock> = diagram.edges.iter().filter_map(|e| e.label.as_ref()).collect();
        if labels.is_empty() {
            return;
        }
        self.out.push_str("<g>\n");
        for label in labels {
            // A halo in the colour of the band below keeps the label readable
            // where it crosses a line, without showing as a white patch. It
            // covers the bounds exactly: layout puts labels right next to
            // their flow, and a wider halo would eat into the line.
            let fill = background_at(diagram, label.bounds.center());
            self.rect(&label.bounds, 2.0, &format!(r#"fill="{fill}" fill-opacity="0.9" stroke="none""#));
            self.text(label, INK);
            self.out.push('\n');
        }
        self.out.push_str("</g>\n");
    }

    fn rect(&mut self, r: &Rect, radius: f64, paint: &str) {
        let _ = write!(
            self.out,
            r#"<rect x="{}" y="{}" width="{}" height="{}""#,
            num(r.x),
            num(r.y),
            num(r.width.max(0.0)),
            num(r.height.max(0.0))
        );
        if radius > 0.0 {
            let _ = write!(self.out, r#" rx="{}""#, num(radius));
        }
        let _ = write!(self.out, " {paint}/>");
    }

    /// One `<text>` per block with a `<tspan>` per line. The lines are centred
    /// vertically in the block's bounds (a no-op when the layout sized the
    /// bounds to the lines); vertical blocks are laid out in the unrotated box
    /// and turned by -90° about the bounds' centre, so they read bottom to top.
    fn text(&mut self, block: &TextBlock, fill: &str) {
        if block.lines.is_empty() {
            return;
        }
        let b = block.bounds;
        let c = b.center();
        let (box_width, box_height) = if block.vertical { (b.height, b.width) } else { (b.width, b.height) };
        let size = if block.font_size > 0.0 { block.font_size } else { 12.0 };
        let line_height = if block.line_height > 0.0 { block.line_height } else { size * 1.25 };
        let lines_height = line_height * block.lines.len() as f64;
        let top = c.y - box_height / 2.0 + (box_height - lines_height) / 2.0;
        let (x, anchor) = match block.align {
            Align::Middle => (c.x, "middle"),
            Align::Start => (c.x - box_width / 2.0, "start"),
        };
        let weight = match block.weight {
            Weight::Regular => "400",
            Weight::SemiBold => "600",
        };
        let _ = write!(
            self.out,
            r#"<text font-size="{}" font-weight="{weight}" text-anchor="{anchor}" fill="{fill}""#,
            num(size)
        );
        if block.vertical {
            let _ = write!(self.out, r#" transform="rotate(-90 {} {})""#, num(c.x), num(c.y));
        }
        self.out.push('>');
        for (i, line) in block.lines.iter().enumerate() {
            let baseline = top + i as f64 * line_height + (line_height + size * CAP_HEIGHT) / 2.0;
            let (x, baseline, line) = (num(x), num(baseline), escape(line));
            if i == 0 {
                let _ = write!(self.out, r#"<tspan x="{x}" y="{baseline}">{line}</tspan>"#);
            } else {
                // The text reads "first second", not "firstsecond", to
                // whoever takes it as text (screen readers, copy, search):
                // each later line starts with a space. Its own `x` makes that
                // space a text chunk of its own, so it shifts no line.
                let _ = write!(self.out, r#"<tspan x="{x} {x}" y="{baseline}"> {line}</tspan>"#);
            }
        }
        self.out.push_str("</text>");
    }
}

/// The fill of the lane band under `p` (the paper outside lanes).
fn background_at(diagram: &Diagram, p: Point) -> &'static str {
    let inside = |r: &Rect| p.x >= r.x && p.x <= r.right() && p.y >= r.y && p.y <= r.bottom();
    diagram.lanes.iter().position(|lane| inside(&lane.rect)).map_or(PAPER, |i| LANE_FILLS[i % 2])
}

/// The 36-unit icon grid of an event, centred on its box.
fn event_frame(r: &Rect) -> Frame {
    let scale = r.width.min(r.height) / 36.0;
    let c = r.center();
    Frame { left: c.x - 18.0 * scale, top: c.y - 18.0 * scale, scale }
}

fn positive(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 { v } else { 1.0 }
}

fn distance(a: Point, b: Point) -> f64 {
    (b.x - a.x).hypot(b.y - a.y)
}

/// The unit vector from `a` to `b` (pointing right if they coincide).
fn unit(a: Point, b: Point) -> (f64, f64) {
    let d = distance(a, b);
    if d > 1e-9 && d.is_finite() { ((b.x - a.x) / d, (b.y - a.y) / d) } else { (1.0, 0.0) }
}

/// The polyline without repeated points, which would give corners no
/// direction.
fn distinct_points(points: &[Point]) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for &p in points {
        if !(p.x.is_finite() && p.y.is_finite()) {
            continue;
        }
        if out.last().is_none_or(|q| distance(*q, p) > 0.01) {
            out.push(p);
        }
    }
    out
}

/// Path data through `points` with each corner rounded by a quadratic curve
/// of radius [`CORNER`], clamped to half of the shorter adjacent segment so
/// neighbouring corners never overlap.
fn rounded_path(points: &[Point]) -> String {
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", num(first.x), num(first.y));
    for i in 1..points.len() {
        let p = points[i];
        if let Some(&next) = points.get(i + 1) {
            let prev = points[i - 1];
            let radius = CORNER.min(distance(prev, p) / 2.0).min(distance(p, next) / 2.0);
            let (ix, iy) = unit(prev, p);
            let (ox, oy) = unit(p, next);
            let straight = (ix * oy - iy * ox).abs() < 1e-6;
            if radius < 0.01 || straight {
                let _ = write!(d, "L{},{}", num(p.x), num(p.y));
            } else {
                let _ = write!(
                    d,
                    "L{},{}Q{},{} {},{}",
                    num(p.x - ix * radius),
                    num(p.y - iy * radius),
                    num(p.x),
                    num(p.y),
                    num(p.x + ox * radius),
                    num(p.y + oy * radius)
                );
            }
        } else {
            let _ = write!(d, "L{},{}", num(p.x), num(p.y));
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_relative_references_are_links() {
        for ok in ["#step-a", "a.html", "../workflows/x.html#step-b", "x?y=1:2", "./a:b"] {
            assert!(is_relative_reference(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            "https://example.com",
            "//example.com/x",
            "data:text/html,x",
            " javascript:x",
            "java\tscript:x",
            "",
        ] {
            assert!(!is_relative_reference(bad), "{bad}");
        }
    }

    #[test]
    fn corners_are_rounded_and_clamped_on_short_segments() {
        let p = |x, y| Point { x, y };
        assert_eq!(rounded_path(&[p(0.0, 0.0), p(20.0, 0.0), p(20.0, 20.0)]), "M0,0L15,0Q20,0 20,5L20,20");
        assert_eq!(rounded_path(&[p(0.0, 0.0), p(4.0, 0.0), p(4.0, 20.0)]), "M0,0L2,0Q4,0 4,2L4,20");
        assert_eq!(rounded_path(&[p(0.0, 0.0), p(10.0, 0.0), p(20.0, 0.0)]), "M0,0L10,0L20,0");
    }
}
