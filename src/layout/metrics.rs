//! Quality metrics of a laid-out diagram (crossings, bends — all, and along
//! the main path —, backward flows, edge length, area, and the defects a
//! reader trips over: flows sharing a line, branches sharing a gateway vertex,
//! labels nearer another flow, false junctions, rails) and its hard
//! invariants (no overlaps, nodes inside their lanes, no flow through an
//! unrelated node, labels clear, flows attached).
//!
//! Computed from the final geometry only, so they judge what a reader sees,
//! and so they apply as well to a drawing made by hand (a BPMNDI read back,
//! whose segments need not be axis-parallel). Pairs of segments are found
//! through a grid index, so measuring stays near-linear on huge diagrams.

use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::diagram::{Diagram, Edge, Node, Point, Rect, Shape};
use super::labels::segment_hits;

/// Soft quality measures, tracked so that a regression shows in review.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Metrics {
    pub nodes: usize,
    pub edges: usize,
    /// Pairs of segments of different flows that cross.
    pub crossings: usize,
    /// Pairs of segments of flows sharing neither source nor target that run
    /// on top of each other: a reader cannot tell which way either goes, so
    /// the router prefers a crossing to one of these.
    pub overlaps: usize,
    /// Direction changes along the flows.
    pub bends: usize,
    /// Bends along the main path: the path a reader follows first, from the
    /// first start event (in node order) along the default flow of each
    /// node, else its first-listed one, to an end event (see [`main_path`]).
    pub main_path_bends: usize,
    /// Flows drawn against the reading direction (loops).
    pub backward_edges: usize,
    /// Total Manhattan length of all flows, in pixels.
    pub edge_length: f64,
    pub width: f64,
    pub height: f64,
    /// Pairs of flows — any two, related or not — whose segments run on one
    /// line on top of each other (parallel, at most 0.5 px apart) for more
    /// than 3 px in all: where they part, a reader cannot tell which is which.
    pub shared_lines: usize,
    /// Splitting gateways (two or more outgoing flows) where at least two
    /// outgoing flows start at the same point of the border (within 1 px):
    /// the branches leave as one trunk instead of one branch per vertex.
    pub shared_trunks: usize,
    /// Flow labels whose centre is nearer (point-to-segment distance) to a
    /// segment of another flow than to the nearest segment of its own flow,
    /// so that it reads as the other flow's label (typically a sibling's).
    pub misplaced_labels: usize,
    /// Flows that carry a label (the base of `misplaced_labels`).
    pub labelled_flows: usize,
    /// Pairs of unrelated flows (no node in common) that look as if they
    /// merged or ran on into each other. Either a key point of one — its
    /// first point, its last point or a bend — lies within 6 px of a segment
    /// of the other, and there either the segment of the first flow ending at
    /// that point is parallel to the other's segment, or the point lies on
    /// the other segment's line (within 1 px); or the two meet end to end:
    /// one flow ends or turns at a key point, and a parallel segment of the
    /// other starts at a key point of its own on the line the first leaves
    /// (within 3 px of it), up to 30 px further on, and runs on from there
    /// (more than 3 px), with no node in between, so the eye follows one
    /// line from the first flow into the second. Each pair of flows counts
    /// once.
    pub false_junctions: usize,
    /// Pairs of unrelated flows (no node in common) with two parallel
    /// segments 4 to 18 px apart whose extents overlap over more than 60 px:
    /// two lines running side by side like rails, easily swapped by the eye.
    /// Each pair of flows counts once.
    pub rails: usize,
    /// Pairs of flows entering one node whose arrowheads (last points) lie
    /// closer than 14 px apart without meeting: heads so close they blur
    /// into one another.
    pub crowded_arrowheads: usize,
    /// Total area of the nodes' boxes.
    pub node_area: f64,
    /// Drawing area (`width × height`) over `node_area`: how much of the
    /// drawing is empty space (0 when there are no nodes).
    pub area_ratio: f64,
}

/// Arrowheads on one node closer than this are crowded.
const ARROWHEAD_GAP: f64 = 14.0;

/// Pairs of flows into one node whose arrowheads are crowded (see
/// [`Metrics::crowded_arrowheads`]).
fn crowded_arrowheads(diagram: &Diagram) -> usize {
    let mut ends: Vec<(usize, Point)> =
        diagram.edges.iter().filter_map(|e| e.points.last().map(|p| (e.to, *p))).collect();
    ends.sort_by_key(|(to, _)| *to);
    let mut crowded = 0;
    for group in ends.chunk_by(|a, b| a.0 == b.0) {
        for (i, (_, a)) in group.iter().enumerate() {
            for (_, b) in &group[i + 1..] {
                let d = (a.x - b.x).hypot(a.y - b.y);
                crowded += usize::from(d > 0.5 && d < ARROWHEAD_GAP);
            }
        }
    }
    crowded
}

/// Two collinear runs of flows must share more than this to be a shared line.
const SHARED_MIN: f64 = 3.0;
/// A key point this near another flow's segment may read as a junction.
const JUNCTION_REACH: f64 = 6.0;
/// A flow leaving a line reads as running on into another flow's segment
/// that starts on that line (within `RUN_ON_SLACK`) up to `RUN_ON_GAP`
/// further on.
const RUN_ON_GAP: f64 = 30.0;
const RUN_ON_SLACK: f64 = 3.0;
/// Rails: parallel runs this far apart…
const RAIL_GAP: (f64, f64) = (4.0, 18.0);
/// …over more than this length.
const RAIL_MIN: f64 = 60.0;
/// The farthest two segments can be and still matter to any measure.
const REACH: f64 = RAIL_GAP.1.max(RUN_ON_GAP);

/// Measures a diagram.
pub fn measure(diagram: &Diagram) -> Metrics {
    let segments = segments(diagram);
    let grid = SegmentGrid::new(&segments);
    let related = |a: usize, b: usize| {
        let (fa, fb) = (&diagram.edges[a], &diagram.edges[b]);
        fa.from == fb.from || fa.from == fb.to || fa.to == fb.from || fa.to == fb.to
    };
    let (mut crossings, mut overlaps) = (0, 0);
    let mut shared: HashMap<(usize, usize), f64> = HashMap::new();
    let mut junctions: HashSet<(usize, usize)> = HashSet::new();
    let mut rails: HashSet<(usize, usize)> = HashSet::new();
    grid.near_pairs(&segments, |sa, sb| {
        let (ea, eb) = (sa.edge, sb.edge);
        if ea == eb {
            return;
        }
        if crosses(sa.a, sa.b, sb.a, sb.b) {
            crossings += 1;
        }
        let (fa, fb) = (&diagram.edges[ea], &diagram.edges[eb]);
        if fa.from != fb.from && fa.to != fb.to && collinear_overlap(sa.a, sa.b, sb.a, sb.b) {
            overlaps += 1;
        }
        let pair = (ea.min(eb), ea.max(eb));
        let parallel = sa.parallel(sb);
        if parallel && sa.gap(sb) <= 0.5 {
            let run = sa.common_extent(sb);
            if run > 0.0 {
                *shared.entry(pair).or_default() += run;
            }
        }
        if related(ea, eb) {
            return;
        }
        if parallel {
            let gap = sa.gap(sb);
            if gap >= RAIL_GAP.0 && gap <= RAIL_GAP.1 && sa.common_extent(sb) > RAIL_MIN {
                rails.insert(pair);
            }
        }
        if looks_joined(sa, sb, parallel)
            || looks_joined(sb, sa, parallel)
            || runs_on(sa, sb, &diagram.nodes)
            || runs_on(sb, sa, &diagram.nodes)
        {
            junctions.insert(pair);
        }
    });
    let (misplaced_labels, labelled_flows) = misplaced_labels(diagram, &segments, &grid);
    let node_area: f64 = diagram.nodes.iter().map(|n| n.rect.width * n.rect.height).sum();
    Metrics {
        nodes: diagram.nodes.len(),
        edges: diagram.edges.len(),
        crossings,
        overlaps,
        bends: diagram.edges.iter().map(bends).sum(),
        main_path_bends: diagram
            .nodes
            .iter()
            .position(|n| matches!(n.shape, Shape::StartEvent(_)))
            .map_or(0, |start| main_path_bends(diagram, start)),
        backward_edges: diagram.edges.iter().filter(|e| e.back).count(),
        edge_length: segments.iter().map(|s| (s.a.x - s.b.x).abs() + (s.a.y - s.b.y).abs()).sum(),
        width: diagram.width,
        height: diagram.height,
        shared_lines: shared.values().filter(|run| **run > SHARED_MIN).count(),
        shared_trunks: shared_trunks(diagram),
        misplaced_labels,
        labelled_flows,
        false_junctions: junctions.len(),
        rails: rails.len(),
        crowded_arrowheads: crowded_arrowheads(diagram),
        node_area,
        area_ratio: if node_area > 0.0 { diagram.width * diagram.height / node_area } else { 0.0 },
    }
}

/// Direction changes along one flow (a waypoint on a straight line, as
/// drawings made by hand may have, is none).
fn bends(edge: &Edge) -> usize {
    edge.points.windows(3).filter(|w| is_bend(w[0], w[1], w[2])).count()
}

/// Bends along the main path from node `start` (see [`main_path`]).
pub fn main_path_bends(diagram: &Diagram, start: usize) -> usize {
    main_path(diagram, start).iter().map(|&e| bends(&diagram.edges[e])).sum()
}

/// The flows (indices into `diagram.edges`) of the main path from node
/// `start`: the path a reader follows first, to an end event, never through
/// a node twice. From each node it takes the node's default flow, else its
/// first-listed one (the lowest index); where that leads into a dead end
/// (nothing ahead but nodes already on the way) it backs off and takes the
/// next flow in that order — a depth-first search preferring default, then
/// listed order. Where no end event can be reached, the path up to the first
/// dead end.
pub fn main_path(diagram: &Diagram, start: usize) -> Vec<usize> {
    let n = diagram.nodes.len();
    if start >= n {
        return Vec::new();
    }
    // Each node's flows, its default first, then in listed order.
    let mut ordered: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in diagram.edges.iter().enumerate() {
        if edge.from < n && edge.to < n {
            ordered[edge.from].push(e);
        }
    }
    for list in &mut ordered {
        list.sort_by_key(|&e| !diagram.edges[e].default);
    }
    let mut seen = vec![false; n];
    seen[start] = true;
    // The nodes on the way, each with how many of its flows were tried, and
    // the flows between them.
    let mut stack = vec![(start, 0)];
    let mut path = Vec::new();
    let mut first_dead_end = None;
    while let Some((node, tried)) = stack.last_mut() {
        if matches!(diagram.nodes[*node].shape, Shape::EndEvent(_)) {
            return path;
        }
        match ordered[*node].get(*tried) {
            Some(&e) => {
                *tried += 1;
                let to = diagram.edges[e].to;
                if !seen[to] {
                    seen[to] = true;
                    path.push(e);
                    stack.push((to, 0));
                }
            }
            None => {
                first_dead_end.get_or_insert_with(|| path.clone());
                stack.pop();
                path.pop();
            }
        }
    }
    first_dead_end.unwrap_or_default()
}

/// One segment of a flow, with whether each end is a key point of the flow
/// (its first or last point, or a bend) rather than a point along a line.
#[derive(Debug, Clone, Copy)]
struct Segment {
    edge: usize,
    a: Point,
    b: Point,
    a_key: bool,
    b_key: bool,
}

fn segments(diagram: &Diagram) -> Vec<Segment> {
    let mut out = Vec::new();
    for (e, edge) in diagram.edges.iter().enumerate() {
        let points = &edge.points;
        // A waypoint is a bend when the flow changes direction there.
        let key = |i: usize| i == 0 || i + 1 == points.len() || is_bend(points[i - 1], points[i], points[i + 1]);
        for i in 1..points.len() {
            out.push(Segment { edge: e, a: points[i - 1], b: points[i], a_key: key(i - 1), b_key: key(i) });
        }
    }
    out
}

fn is_bend(p: Point, q: Point, r: Point) -> bool {
    let (u, v) = (sub(q, p), sub(r, q));
    let (lu, lv) = (norm(u), norm(v));
    if lu < 1e-9 || lv < 1e-9 {
        // A repeated waypoint is no bend of its own.
        return false;
    }
    cross(u, v).abs() > PARALLEL * lu * lv || dot(u, v) < 0.0
}

/// Segments whose directions differ by less than about 1.1° are parallel.
const PARALLEL: f64 = 0.02;

fn sub(a: Point, b: Point) -> Point {
    Point { x: a.x - b.x, y: a.y - b.y }
}

fn cross(u: Point, v: Point) -> f64 {
    u.x * v.y - u.y * v.x
}

fn dot(u: Point, v: Point) -> f64 {
    u.x * v.x + u.y * v.y
}

fn norm(u: Point) -> f64 {
    u.x.hypot(u.y)
}

impl Segment {
    fn length(&self) -> f64 {
        norm(sub(self.b, self.a))
    }

    /// Parallel (either direction); a segment of no length is parallel to nothing.
    fn parallel(&self, other: &Segment) -> bool {
        let (u, v) = (sub(self.b, self.a), sub(other.b, other.a));
        let (lu, lv) = (norm(u), norm(v));
        lu > 1e-9 && lv > 1e-9 && cross(u, v).abs() <= PARALLEL * lu * lv
    }

    /// Distance of `p` from the infinite line through this segment.
    fn line_distance(&self, p: Point) -> f64 {
        let u = sub(self.b, self.a);
        let l = norm(u);
        if l < 1e-9 { norm(sub(p, self.a)) } else { cross(u, sub(p, self.a)).abs() / l }
    }

    /// Distance of `p` from the nearest point of this segment.
    fn distance(&self, p: Point) -> f64 {
        let u = sub(self.b, self.a);
        let l2 = dot(u, u);
        let t = if l2 < 1e-18 { 0.0 } else { (dot(sub(p, self.a), u) / l2).clamp(0.0, 1.0) };
        norm(sub(p, Point { x: self.a.x + t * u.x, y: self.a.y + t * u.y }))
    }

    /// For a parallel segment: how far apart the two lines are (the larger
    /// distance of the shorter segment's ends from the longer one's line, so
    /// that the order of the two does not matter, and a slight tilt of a
    /// hand-drawn segment is not stretched beyond where the two run).
    fn gap(&self, other: &Segment) -> f64 {
        let (long, short) = if self.length() >= other.length() { (self, other) } else { (other, self) };
        long.line_distance(short.a).max(long.line_distance(short.b))
    }

    /// For a parallel segment: the length of the stretch both cover, measured
    /// along this segment (0 when they do not overlap).
    fn common_extent(&self, other: &Segment) -> f64 {
        let l = self.length();
        if l < 1e-9 {
            return 0.0;
        }
        let u = sub(self.b, self.a);
        let t = |p: Point| dot(sub(p, self.a), u) / l;
        let (t1, t2) = (t(other.a), t(other.b));
        (l.min(t1.max(t2)) - 0.0f64.max(t1.min(t2))).max(0.0)
    }
}

/// Whether a key point at an end of `s` reads as joining `other` (see
/// [`Metrics::false_junctions`]).
fn looks_joined(s: &Segment, other: &Segment, parallel: bool) -> bool {
    [(s.a, s.a_key), (s.b, s.b_key)]
        .into_iter()
        .any(|(p, key)| key && other.distance(p) <= JUNCTION_REACH && (parallel || other.line_distance(p) <= 1.0))
}

/// Whether `s` ends or turns at a key point and leaves its line there while
/// `other` starts on that line a little further on and runs on along it, no
/// node in between, so that the two read as one line (see
/// [`Metrics::false_junctions`]).
fn runs_on(s: &Segment, other: &Segment, nodes: &[Node]) -> bool {
    if !s.parallel(other) || other.length() <= SHARED_MIN {
        return false;
    }
    [(s.b, s.b_key, s.a), (s.a, s.a_key, s.b)].into_iter().any(|(p, key, from)| {
        let u = sub(p, from);
        let l = norm(u);
        // How far each end of `other` lies beyond `p`, along `s` leaving it there.
        let ahead = |q: Point| dot(sub(q, p), u) / l;
        let (near, near_key, q) = if ahead(other.a) <= ahead(other.b) {
            (ahead(other.a), other.a_key, other.a)
        } else {
            (ahead(other.b), other.b_key, other.b)
        };
        key && near_key
            && near > 0.5
            && near <= RUN_ON_GAP
            && s.line_distance(q) <= RUN_ON_SLACK
            && !nodes.iter().any(|n| segment_hits(p, q, &shrink(n.rect, 1.0)))
    })
}

/// Splitting gateways with two outgoing flows starting at one point.
fn shared_trunks(diagram: &Diagram) -> usize {
    let mut starts: Vec<Vec<Point>> = vec![Vec::new(); diagram.nodes.len()];
    for edge in &diagram.edges {
        if let (Some(first), Some(list)) = (edge.points.first(), starts.get_mut(edge.from)) {
            list.push(*first);
        }
    }
    let mut count = 0;
    for (node, list) in diagram.nodes.iter().zip(&mut starts) {
        if !matches!(node.shape, Shape::Gateway(_)) || list.len() < 2 {
            continue;
        }
        // Sorted by x, a point within 1 px of another is among the next few
        // within 1 px in x.
        list.sort_by(|a, b| a.x.total_cmp(&b.x));
        let shared = (0..list.len()).any(|i| {
            list[i + 1..].iter().take_while(|q| q.x - list[i].x <= 1.0).any(|q| norm(sub(*q, list[i])) <= 1.0)
        });
        count += usize::from(shared);
    }
    count
}

/// Flow labels nearer another flow than their own, and labelled flows.
fn misplaced_labels(diagram: &Diagram, segments: &[Segment], grid: &SegmentGrid) -> (usize, usize) {
    let mut by_edge: Vec<Vec<usize>> = vec![Vec::new(); diagram.edges.len()];
    for (i, s) in segments.iter().enumerate() {
        by_edge[s.edge].push(i);
    }
    let mut seen = vec![usize::MAX; segments.len()];
    let (mut misplaced, mut labelled) = (0, 0);
    for (e, edge) in diagram.edges.iter().enumerate() {
        let Some(label) = &edge.label else { continue };
        labelled += 1;
        let c = label.bounds.center();
        let own = by_edge[e].iter().map(|&i| segments[i].distance(c)).fold(f64::INFINITY, f64::min);
        if !own.is_finite() {
            continue;
        }
        let near = Rect { x: c.x - own, y: c.y - own, width: 2.0 * own, height: 2.0 * own };
        let mut nearer = false;
        grid.visit(&near, |i| {
            if seen[i] != e {
                seen[i] = e;
                let s = &segments[i];
                nearer |= s.edge != e && s.distance(c) < own - 1e-6;
            }
        });
        if nearer {
            misplaced += 1;
        }
    }
    (misplaced, labelled)
}

/// Segments bucketed in a uniform grid of square cells, each under every cell
/// its box (grown by `REACH / 2` on every side) touches, so that segments
/// within `REACH` of each other share a cell.
struct SegmentGrid {
    cells: HashMap<(i64, i64), Vec<usize>>,
}

const CELL: f64 = 128.0;

fn grown_box(s: &Segment) -> Rect {
    let m = REACH / 2.0;
    Rect {
        x: s.a.x.min(s.b.x) - m,
        y: s.a.y.min(s.b.y) - m,
        width: (s.a.x - s.b.x).abs() + 2.0 * m,
        height: (s.a.y - s.b.y).abs() + 2.0 * m,
    }
}

fn cell_of(x: f64, y: f64) -> (i64, i64) {
    ((x / CELL).floor() as i64, (y / CELL).floor() as i64)
}

fn cells_of(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
    let (x1, y1) = cell_of(r.x, r.y);
    let (x2, y2) = cell_of(r.right(), r.bottom());
    (x1..=x2).flat_map(move |x| (y1..=y2).map(move |y| (x, y)))
}

impl SegmentGrid {
    fn new(segments: &[Segment]) -> SegmentGrid {
        let mut cells: HashMap<(i64, i64), Vec<usize>> = HashMap::new();
        for (i, s) in segments.iter().enumerate() {
            for cell in cells_of(&grown_box(s)) {
                cells.entry(cell).or_default().push(i);
            }
        }
        SegmentGrid { cells }
    }

    /// Calls `f` once for every pair of segments (in index order) whose
    /// grown boxes touch: every pair within `REACH` of each other, and
    /// in particular every pair that crosses or overlaps. A pair is taken in
    /// the one cell holding the top-left corner of the boxes' intersection.
    fn near_pairs(&self, segments: &[Segment], mut f: impl FnMut(&Segment, &Segment)) {
        // Cells in a fixed order, so counts never depend on hash order.
        let mut cells: Vec<_> = self.cells.iter().collect();
        cells.sort_unstable_by_key(|(cell, _)| **cell);
        for (cell, items) in cells {
            for (k, &i) in items.iter().enumerate() {
                let a = grown_box(&segments[i]);
                for &j in &items[k + 1..] {
                    let b = grown_box(&segments[j]);
                    let (x, y) = (a.x.max(b.x), a.y.max(b.y));
                    if x <= a.right().min(b.right()) && y <= a.bottom().min(b.bottom()) && cell_of(x, y) == *cell {
                        f(&segments[i], &segments[j]);
                    }
                }
            }
        }
    }

    /// Calls `f` with every segment filed under a cell `r` touches (a
    /// segment may come several times).
    fn visit(&self, r: &Rect, mut f: impl FnMut(usize)) {
        for cell in cells_of(r) {
            for &i in self.cells.get(&cell).into_iter().flatten() {
                f(i);
            }
        }
    }
}

/// A horizontal and a vertical segment crossing in both interiors.
fn crosses(a1: Point, a2: Point, b1: Point, b2: Point) -> bool {
    let horizontal = |p: Point, q: Point| (p.y - q.y).abs() < 0.01;
    let (h1, h2, v1, v2) = match (horizontal(a1, a2), horizontal(b1, b2)) {
        (true, false) => (a1, a2, b1, b2),
        (false, true) => (b1, b2, a1, a2),
        _ => return false,
    };
    let (hx1, hx2) = (h1.x.min(h2.x), h1.x.max(h2.x));
    let (vy1, vy2) = (v1.y.min(v2.y), v1.y.max(v2.y));
    v1.x > hx1 + 0.5 && v1.x < hx2 - 0.5 && h1.y > vy1 + 0.5 && h1.y < vy2 - 0.5
}

/// Two horizontal (or two vertical) segments on one line sharing more than
/// a point.
fn collinear_overlap(a1: Point, a2: Point, b1: Point, b2: Point) -> bool {
    let shared = |a: f64, b: f64, c: f64, d: f64| a.max(b).min(c.max(d)) - a.min(b).max(c.min(d)) > 1.0;
    let horizontal = |p: Point, q: Point| (p.y - q.y).abs() < 0.01;
    let vertical = |p: Point, q: Point| (p.x - q.x).abs() < 0.01;
    (horizontal(a1, a2) && horizontal(b1, b2) && (a1.y - b1.y).abs() < 0.5 && shared(a1.x, a2.x, b1.x, b2.x))
        || (vertical(a1, a2) && vertical(b1, b2) && (a1.x - b1.x).abs() < 0.5 && shared(a1.y, a2.y, b1.y, b2.y))
}

/// Every broken hard invariant, described; empty for a good diagram.
pub fn violations(diagram: &Diagram) -> Vec<String> {
    let mut out = Vec::new();
    let nodes = &diagram.nodes;
    for (i, a) in nodes.iter().enumerate() {
        for b in &nodes[i + 1..] {
            if a.rect.overlaps(&b.rect) {
                out.push(format!("nodes {} and {} overlap", a.id, b.id));
            }
        }
        if let Some(lane) = diagram.lanes.get(a.lane)
            && (!lane.rect.contains(&a.rect) || a.rect.x < lane.header.right())
        {
            out.push(format!("node {} lies outside its lane {}", a.id, lane.role_id));
        }
        if let (Shape::Task(_) | Shape::Subprocess | Shape::Process, Some(label)) = (a.shape, &a.label)
            && !a.rect.contains(&label.bounds)
        {
            out.push(format!("the name of {} does not fit in its box", a.id));
        }
    }
    for (e, edge) in diagram.edges.iter().enumerate() {
        if edge.points.len() < 2 {
            out.push(format!("flow {e} has fewer than two points"));
            continue;
        }
        for w in edge.points.windows(2) {
            let axis_parallel = (w[0].x - w[1].x).abs() < 0.01 || (w[0].y - w[1].y).abs() < 0.01;
            if !axis_parallel {
                out.push(format!("flow {e} has a diagonal segment"));
            }
            for (n, node) in nodes.iter().enumerate() {
                if n != edge.from && n != edge.to && segment_hits(w[0], w[1], &shrink(node.rect, 1.0)) {
                    out.push(format!(
                        "flow {} → {} passes through {}",
                        nodes[edge.from].id, nodes[edge.to].id, node.id
                    ));
                }
            }
        }
        let first = edge.points[0];
        let last = edge.points[edge.points.len() - 1];
        if !on_boundary(&nodes[edge.from].shape, nodes[edge.from].rect, first) {
            out.push(format!("flow {e} does not start on the border of {}", nodes[edge.from].id));
        }
        if !on_boundary(&nodes[edge.to].shape, nodes[edge.to].rect, last) {
            out.push(format!("flow {e} does not end on the border of {}", nodes[edge.to].id));
        }
    }
    // Labels: node names outside their shape, and flow conditions.
    let mut labels: Vec<(String, Rect, Option<usize>)> = Vec::new();
    for (n, node) in nodes.iter().enumerate() {
        if let Some(label) = &node.label {
            labels.push((format!("name of {}", node.id), label.bounds, Some(n)));
        }
    }
    for (e, edge) in diagram.edges.iter().enumerate() {
        if let Some(label) = &edge.label {
            labels.push((format!("label of flow {e}"), label.bounds, None));
        }
    }
    let mut headers: Vec<Rect> = diagram.lanes.iter().map(|l| l.header).collect();
    if let Some(pool) = &diagram.pool {
        headers.push(pool.header);
    }
    for (i, (name, rect, owner)) in labels.iter().enumerate() {
        for (n, node) in nodes.iter().enumerate() {
            if Some(n) != *owner && node.rect.overlaps(rect) {
                out.push(format!("{name} overlaps node {}", node.id));
            }
        }
        for (other, r, _) in &labels[i + 1..] {
            if r.overlaps(rect) {
                out.push(format!("{name} overlaps {other}"));
            }
        }
        if headers.iter().any(|h| h.overlaps(rect)) {
            out.push(format!("{name} overlaps a lane header"));
        }
        if rect.x < 0.0 || rect.y < 0.0 || rect.right() > diagram.width || rect.bottom() > diagram.height {
            out.push(format!("{name} lies outside the drawing"));
        }
    }
    out
}

fn shrink(r: Rect, by: f64) -> Rect {
    Rect { x: r.x + by, y: r.y + by, width: (r.width - 2.0 * by).max(0.0), height: (r.height - 2.0 * by).max(0.0) }
}

/// Whether `p` lies on the outline of a shape drawn in `r`.
fn on_boundary(shape: &Shape, r: Rect, p: Point) -> bool {
    let c = r.center();
    let (dx, dy) = ((p.x - c.x).abs(), (p.y - c.y).abs());
    let (hw, hh) = (r.width / 2.0, r.height / 2.0);
    match shape {
        Shape::StartEvent(_) | Shape::IntermediateEvent(_) | Shape::EndEvent(_) => {
            ((dx * dx + dy * dy).sqrt() - hw).abs() < 1.0
        }
        Shape::Gateway(_) => (dx / hw + dy / hh - 1.0).abs() < 0.03,
        _ => {
            let on_vertical = (dx - hw).abs() < 0.5 && dy <= hh + 0.5;
            let on_horizontal = (dy - hh).abs() < 0.5 && dx <= hw + 0.5;
            on_vertical || on_horizontal
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::compile::GatewayKind;
    use crate::layout::diagram::{Align, TextBlock, Weight};
    use crate::model::StepKind;

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
    }

    fn rect(x: f64, y: f64, width: f64, height: f64) -> Rect {
        Rect { x, y, width, height }
    }

    /// A flow: source, target and polyline.
    type Flow<'a> = (usize, usize, &'a [(f64, f64)]);

    /// A diagram of the given nodes (tasks, or gateways where the flag says
    /// so) and flows (source, target, polyline), 1000 × 1000 px.
    fn diagram(nodes: &[(Rect, bool)], flows: &[Flow]) -> Diagram {
        Diagram {
            id: "test".into(),
            width: 1000.0,
            height: 1000.0,
            nodes: nodes
                .iter()
                .enumerate()
                .map(|(i, (r, gateway))| Node {
                    id: format!("n{i}"),
                    shape: if *gateway { Shape::Gateway(GatewayKind::Exclusive) } else { Shape::Task(StepKind::None) },
                    rect: *r,
                    lane: 0,
                    label: None,
                    link: None,
                })
                .collect(),
            edges: flows
                .iter()
                .map(|(from, to, points)| Edge {
                    from: *from,
                    to: *to,
                    points: points.iter().map(|&(x, y)| p(x, y)).collect(),
                    label: None,
                    default: false,
                    back: false,
                })
                .collect(),
            ..Diagram::default()
        }
    }

    /// Two unrelated flows, of tasks 0 → 1 and 2 → 3.
    fn unrelated(a: &[(f64, f64)], b: &[(f64, f64)]) -> Diagram {
        diagram(&tasks(4), &[(0, 1, a), (2, 3, b)])
    }

    /// `n` small tasks in a row (their places do not matter to the flows).
    fn tasks(n: usize) -> Vec<(Rect, bool)> {
        (0..n).map(|i| (rect(2000.0 + 20.0 * i as f64, 2000.0, 10.0, 10.0), false)).collect()
    }

    fn label(bounds: Rect) -> Option<TextBlock> {
        Some(TextBlock {
            lines: vec!["yes".into()],
            bounds,
            font_size: 12.0,
            line_height: 14.0,
            weight: Weight::Regular,
            align: Align::Start,
            vertical: false,
        })
    }

    #[test]
    fn shared_lines_count_flows_running_on_one_line_for_more_than_3_px() {
        // Two flows of one source share 40 px of line, then part.
        let shared = diagram(
            &tasks(3),
            &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (0, 2, &[(0.0, 0.0), (40.0, 0.0), (40.0, 50.0)])],
        );
        assert_eq!(measure(&shared).shared_lines, 1);
        // Parallel 1 px apart, or sharing only 3 px: not a shared line.
        let apart = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (2, 3, &[(0.0, 1.0), (100.0, 1.0)])]);
        let touching = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (2, 3, &[(97.0, 0.0), (150.0, 0.0)])]);
        assert_eq!(measure(&apart).shared_lines, 0);
        assert_eq!(measure(&touching).shared_lines, 0);
    }

    #[test]
    fn shared_trunks_count_gateways_whose_branches_leave_through_one_point() {
        let mut nodes = tasks(3);
        nodes[0] = (rect(-50.0, -25.0, 50.0, 50.0), true);
        let one_vertex =
            diagram(&nodes, &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (0, 2, &[(0.5, 0.5), (50.0, 0.5), (50.0, 80.0)])]);
        assert_eq!(measure(&one_vertex).shared_trunks, 1);
        let two_vertices = diagram(
            &nodes,
            &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (0, 2, &[(-25.0, 25.0), (-25.0, 80.0), (100.0, 80.0)])],
        );
        assert_eq!(measure(&two_vertices).shared_trunks, 0);
        // A task is no gateway, whatever its flows do.
        nodes[0].1 = false;
        let task = diagram(&nodes, &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (0, 2, &[(0.0, 0.0), (0.0, 80.0)])]);
        assert_eq!(measure(&task).shared_trunks, 0);
    }

    #[test]
    fn misplaced_labels_count_labels_nearer_another_flow_than_their_own() {
        // Two siblings: along y = 0 and y = 30. A label centred at y = 20
        // belongs to the lower one by its looks, whichever flow owns it.
        let flows: &[Flow] = &[(0, 1, &[(0.0, 0.0), (100.0, 0.0)]), (0, 2, &[(0.0, 0.0), (0.0, 30.0), (100.0, 30.0)])];
        let mut d = diagram(&tasks(3), flows);
        d.edges[0].label = label(rect(20.0, 14.0, 20.0, 12.0));
        let m = measure(&d);
        assert_eq!((m.misplaced_labels, m.labelled_flows), (1, 1));
        d.edges[0].label = None;
        d.edges[1].label = label(rect(20.0, 14.0, 20.0, 12.0));
        let m = measure(&d);
        assert_eq!((m.misplaced_labels, m.labelled_flows), (0, 1));
    }

    #[test]
    fn false_junctions_count_unrelated_flows_that_look_merged() {
        // A bend 4 px beside an unrelated flow, turning parallel to it.
        let beside = diagram(
            &tasks(4),
            &[
                (0, 1, &[(0.0, 0.0), (200.0, 0.0)]),
                (2, 3, &[(50.0, 100.0), (50.0, 4.0), (150.0, 4.0), (150.0, -100.0)]),
            ],
        );
        assert_eq!(measure(&beside).false_junctions, 1);
        // An end touching an unrelated flow from the side (a T).
        let tee = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 3, &[(50.0, 100.0), (50.0, 0.0)])]);
        assert_eq!(measure(&tee).false_junctions, 1);
        // A plain crossing, an end 5 px short of a flow's side, and two
        // flows of one source meeting: no false junction.
        let crossing =
            diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 3, &[(50.0, 100.0), (50.0, -100.0)])]);
        let short = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 3, &[(50.0, 100.0), (50.0, 5.0)])]);
        let related = diagram(&tasks(3), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (0, 2, &[(0.0, 4.0), (100.0, 4.0)])]);
        for d in [crossing, short, related] {
            assert_eq!(measure(&d).false_junctions, 0, "{:?}", d.edges);
        }
    }

    /// The timer flow of the major-incident workflow turns down where the
    /// flow from *Confirm restoration* comes up, 20 px further on, and runs
    /// on along its line into *Hold major incident review*: the timer seems
    /// to lead there. (The two also cross lower down.)
    #[test]
    fn false_junctions_count_a_flow_turning_where_another_runs_on_along_its_line() {
        let timer = unrelated(
            &[(1039.0, 81.0), (1091.0, 81.0), (1091.0, 214.0), (1131.0, 214.0)],
            &[(1071.0, 482.0), (1111.0, 482.0), (1111.0, 81.0), (1131.0, 81.0)],
        );
        let m = measure(&timer);
        assert_eq!((m.false_junctions, m.crossings), (1, 1));
    }

    /// In incident-handling, *Escalate to level 2* leaves to the right and
    /// turns down after 20 px, where the flow from *Handle major incident*
    /// comes up 20 px further on and runs on along that line into *Ask user
    /// to confirm resolution*.
    #[test]
    fn false_junctions_count_a_short_first_run_continued_by_another_flow() {
        let escalate = unrelated(
            &[(1707.0, 459.0), (1727.0, 459.0), (1727.0, 838.0), (1767.0, 838.0)],
            &[(1143.0, 698.0), (1747.0, 698.0), (1747.0, 459.0), (2567.0, 459.0)],
        );
        assert_eq!(measure(&escalate).false_junctions, 1);
        // Whichever flow comes first, and 2 px off the line.
        let mut swapped = escalate.clone();
        swapped.edges.reverse();
        swapped.edges[0].points[2].y = 461.0;
        swapped.edges[0].points[3].y = 461.0;
        assert_eq!(measure(&swapped).false_junctions, 1);
    }

    #[test]
    fn false_junctions_leave_out_flows_that_do_not_run_on_into_each_other() {
        // A turns down at (100, 0); B's run starts at (120 + k, 0) when not
        // otherwise placed.
        let a: &[(f64, f64)] = &[(0.0, 0.0), (100.0, 0.0), (100.0, 200.0)];
        let run_on = |b: &[(f64, f64)], related: bool| {
            let flows: &[Flow] = &[(0, 1, a), (if related { 0 } else { 2 }, 3, b)];
            measure(&diagram(&tasks(4), flows)).false_junctions
        };
        assert_eq!(run_on(&[(120.0, -100.0), (120.0, 0.0), (300.0, 0.0)], false), 1);
        // A flow that merely crosses the line beyond the turn, or crosses
        // the flow before it.
        assert_eq!(run_on(&[(120.0, -100.0), (120.0, 100.0)], false), 0);
        assert_eq!(run_on(&[(50.0, -100.0), (50.0, 100.0)], false), 0);
        // The other's run starts too far on (40 px), or 8 px off the line.
        assert_eq!(run_on(&[(140.0, -100.0), (140.0, 0.0), (300.0, 0.0)], false), 0);
        assert_eq!(run_on(&[(120.0, -100.0), (120.0, 8.0), (300.0, 8.0)], false), 0);
        // A sibling: two flows of one source, however they line up.
        assert_eq!(run_on(&[(120.0, -100.0), (120.0, 0.0), (300.0, 0.0)], true), 0);
        // A flow ending at the node its sibling ends at, lined up with it.
        let into_one = diagram(
            &tasks(3),
            &[
                (0, 2, &[(0.0, 0.0), (100.0, 0.0), (100.0, 50.0)]),
                (1, 2, &[(120.0, -80.0), (120.0, 0.0), (200.0, 0.0)]),
            ],
        );
        assert_eq!(measure(&into_one).false_junctions, 0);
        // A node between the two ends breaks the line.
        let mut nodes = tasks(5);
        nodes[4] = (rect(102.0, -12.0, 16.0, 24.0), false);
        let flows: &[Flow] = &[(0, 1, a), (2, 3, &[(120.0, -100.0), (120.0, 0.0), (300.0, 0.0)])];
        assert_eq!(measure(&diagram(&nodes, flows)).false_junctions, 0);
    }

    #[test]
    fn shared_lines_do_not_depend_on_the_order_of_the_flows() {
        // A long, slightly tilted hand-drawn segment and a short one 0.4 px
        // from it at most: one shared line, whichever flow comes first.
        let mut d = unrelated(&[(0.0, 0.0), (1000.0, 10.0)], &[(0.0, 0.0), (40.0, 0.0)]);
        assert_eq!(measure(&d).shared_lines, 1);
        d.edges.reverse();
        assert_eq!(measure(&d).shared_lines, 1);
    }

    #[test]
    fn bends_are_changes_of_direction() {
        // A waypoint on a straight line is no bend.
        let d = diagram(&tasks(2), &[(0, 1, &[(0.0, 0.0), (50.0, 0.0), (100.0, 0.0), (100.0, 50.0)])]);
        assert_eq!(measure(&d).bends, 1);
    }

    /// Nodes: start 0, gateway 1, tasks 2 and 3, end 4; flows as listed.
    fn path_diagram(flows: &[(usize, usize, bool)]) -> Diagram {
        let mut d = diagram(&tasks(5), &[]);
        d.nodes[0].shape = Shape::StartEvent(crate::model::Trigger::None);
        d.nodes[4].shape = Shape::EndEvent(crate::model::Trigger::None);
        for &(from, to, default) in flows {
            // One bend per flow, so that bends count flows.
            let points = vec![p(from as f64, 0.0), p(from as f64, 10.0), p(to as f64, 10.0)];
            d.edges.push(Edge { from, to, points, label: None, default, back: false });
        }
        d
    }

    #[test]
    fn the_main_path_takes_the_default_flow_else_the_first_listed_one() {
        // 0 → 1; 1 → 2 (listed first), 1 → 3 (default); 2 → 4, 3 → 4.
        let d = path_diagram(&[(0, 1, false), (1, 2, false), (1, 3, true), (2, 4, false), (3, 4, false)]);
        assert_eq!(main_path(&d, 0), vec![0, 2, 4]);
        assert_eq!(measure(&d).main_path_bends, 3);
        let d = path_diagram(&[(0, 1, false), (1, 2, false), (1, 3, false), (2, 4, false), (3, 4, false)]);
        assert_eq!(main_path(&d, 0), vec![0, 1, 3]);
    }

    #[test]
    fn the_main_path_backs_off_a_loop_and_goes_on_to_an_end() {
        // The default flow of 1 leads to 2, which only loops back to 0.
        let d = path_diagram(&[(0, 1, false), (1, 2, true), (2, 0, false), (1, 3, false), (3, 4, false)]);
        assert_eq!(main_path(&d, 0), vec![0, 3, 4]);
        // No end to reach: the way to the first dead end.
        let d = path_diagram(&[(0, 1, false), (1, 2, true), (2, 0, false)]);
        assert_eq!(main_path(&d, 0), vec![0, 1]);
        // No start event: no main path.
        let mut d = path_diagram(&[(0, 1, false), (1, 4, false)]);
        d.nodes[0].shape = Shape::Task(StepKind::None);
        assert_eq!(measure(&d).main_path_bends, 0);
    }

    #[test]
    fn rails_count_unrelated_flows_side_by_side_for_more_than_60_px() {
        let rails = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 3, &[(50.0, 10.0), (150.0, 10.0)])]);
        assert_eq!(measure(&rails).rails, 1);
        // Too short side by side, too far apart, or related: no rails.
        let short = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 3, &[(150.0, 10.0), (250.0, 10.0)])]);
        let far = diagram(&tasks(4), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 3, &[(50.0, 20.0), (150.0, 20.0)])]);
        let related =
            diagram(&tasks(3), &[(0, 1, &[(0.0, 0.0), (200.0, 0.0)]), (2, 1, &[(50.0, 10.0), (150.0, 10.0)])]);
        for d in [short, far, related] {
            assert_eq!(measure(&d).rails, 0, "{:?}", d.edges);
        }
    }

    #[test]
    fn crowded_arrowheads_count_heads_closer_than_14_px_on_one_node() {
        let nodes = tasks(3);
        let close: &[Flow] = &[(0, 2, &[(0.0, 100.0), (200.0, 100.0)]), (1, 2, &[(0.0, 110.0), (200.0, 110.0)])];
        assert_eq!(measure(&diagram(&nodes, close)).crowded_arrowheads, 1);
        let apart: &[Flow] = &[(0, 2, &[(0.0, 100.0), (200.0, 100.0)]), (1, 2, &[(0.0, 116.0), (200.0, 116.0)])];
        assert_eq!(measure(&diagram(&nodes, apart)).crowded_arrowheads, 0);
    }

    #[test]
    fn area_ratio_is_drawing_area_over_node_area() {
        let d = diagram(&[(rect(0.0, 0.0, 100.0, 100.0), false), (rect(200.0, 0.0, 100.0, 100.0), false)], &[]);
        let m = measure(&d);
        assert_eq!((m.node_area, m.area_ratio), (20_000.0, 50.0));
        assert_eq!(measure(&diagram(&[], &[])).area_ratio, 0.0);
    }

    /// The grid finds exactly the crossings and overlaps that comparing every
    /// pair of segments finds.
    #[test]
    fn the_grid_counts_what_comparing_every_pair_counts() {
        let mut state = 0x2545_f491_u64;
        let mut next = |n: u64| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % n) as f64
        };
        let mut d = diagram(&tasks(40), &[]);
        for _ in 0..300 {
            let (mut x, mut y) = (next(30) * 20.0, next(30) * 20.0);
            let mut points = vec![p(x, y)];
            for k in 0..4 {
                if k % 2 == 0 {
                    x = next(30) * 20.0
                } else {
                    y = next(30) * 20.0
                }
                points.push(p(x, y));
            }
            let (from, to) = (next(40) as usize, next(40) as usize);
            d.edges.push(Edge { from, to, points, label: None, default: false, back: false });
        }
        let segments = segments(&d);
        let (mut crossings, mut overlaps) = (0, 0);
        for (i, sa) in segments.iter().enumerate() {
            for sb in &segments[i + 1..] {
                if sa.edge == sb.edge {
                    continue;
                }
                crossings += usize::from(crosses(sa.a, sa.b, sb.a, sb.b));
                let (fa, fb) = (&d.edges[sa.edge], &d.edges[sb.edge]);
                overlaps +=
                    usize::from(fa.from != fb.from && fa.to != fb.to && collinear_overlap(sa.a, sa.b, sb.a, sb.b));
            }
        }
        let m = measure(&d);
        assert!(crossings > 100 && overlaps > 10, "{crossings} {overlaps}");
        assert_eq!((m.crossings, m.overlaps), (crossings, overlaps));
    }

    #[test]
    fn collinear_runs_overlap_only_when_they_share_more_than_a_point() {
        assert!(collinear_overlap(p(0.0, 5.0), p(10.0, 5.0), p(8.0, 5.0), p(20.0, 5.0)));
        assert!(collinear_overlap(p(3.0, 0.0), p(3.0, 10.0), p(3.0, 12.0), p(3.0, 2.0)));
        // End to end, parallel, or crossing: no overlap.
        assert!(!collinear_overlap(p(0.0, 5.0), p(10.0, 5.0), p(10.0, 5.0), p(20.0, 5.0)));
        assert!(!collinear_overlap(p(0.0, 5.0), p(10.0, 5.0), p(0.0, 6.0), p(10.0, 6.0)));
        assert!(!collinear_overlap(p(0.0, 5.0), p(10.0, 5.0), p(5.0, 0.0), p(5.0, 10.0)));
    }
}
