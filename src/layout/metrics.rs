//! Quality metrics of a laid-out diagram (crossings, bends, backward flows,
//! edge length, area) and its hard invariants (no overlaps, nodes inside their
//! lanes, no flow through an unrelated node, labels clear, flows attached).
//!
//! Computed from the final geometry only, so they judge what a reader sees.

use serde::Serialize;

use super::diagram::{Diagram, Point, Rect, Shape};
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
    /// Flows drawn against the reading direction (loops).
    pub backward_edges: usize,
    /// Total Manhattan length of all flows, in pixels.
    pub edge_length: f64,
    pub width: f64,
    pub height: f64,
}

/// Measures a diagram.
pub fn measure(diagram: &Diagram) -> Metrics {
    let segments = segments(diagram);
    let (mut crossings, mut overlaps) = (0, 0);
    for (i, (ea, a1, a2)) in segments.iter().enumerate() {
        for (eb, b1, b2) in &segments[i + 1..] {
            if ea == eb {
                continue;
            }
            if crosses(*a1, *a2, *b1, *b2) {
                crossings += 1;
            }
            let (fa, fb) = (&diagram.edges[*ea], &diagram.edges[*eb]);
            if fa.from != fb.from && fa.to != fb.to && collinear_overlap(*a1, *a2, *b1, *b2) {
                overlaps += 1;
            }
        }
    }
    Metrics {
        nodes: diagram.nodes.len(),
        edges: diagram.edges.len(),
        crossings,
        overlaps,
        bends: diagram.edges.iter().map(|e| e.points.len().saturating_sub(2)).sum(),
        backward_edges: diagram.edges.iter().filter(|e| e.back).count(),
        edge_length: segments.iter().map(|(_, a, b)| (a.x - b.x).abs() + (a.y - b.y).abs()).sum(),
        width: diagram.width,
        height: diagram.height,
    }
}

fn segments(diagram: &Diagram) -> Vec<(usize, Point, Point)> {
    diagram
        .edges
        .iter()
        .enumerate()
        .flat_map(|(e, edge)| edge.points.windows(2).map(move |w| (e, w[0], w[1])))
        .collect()
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

    fn p(x: f64, y: f64) -> Point {
        Point { x, y }
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
