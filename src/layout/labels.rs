//! Placement of flow condition labels: next to the start of their flow, at the
//! first candidate position that collides with no node, node name, header or
//! other label (and, if possible, with no other flow).

use super::diagram::{Align, Diagram, Point, Rect, TextBlock, Weight};
use super::input::LayoutGraph;
use super::sizes::{self, SMALL_FONT, SMALL_LINE};
use crate::text::Measurer;

/// Places every flow label; returns the edges whose label found no free place
/// (the caller widens the channel after their source and lays out again).
pub fn place_flow_labels(diagram: &mut Diagram, graph: &LayoutGraph, measurer: &mut Measurer) -> Vec<usize> {
    let mut obstacles: Vec<Rect> = Vec::new();
    for node in &diagram.nodes {
        obstacles.push(node.rect);
        if let Some(label) = &node.label {
            obstacles.push(label.bounds);
        }
    }
    for lane in &diagram.lanes {
        obstacles.push(lane.header);
    }
    if let Some(pool) = &diagram.pool {
        obstacles.push(pool.header);
    }
    let area = Rect { x: 0.0, y: 0.0, width: diagram.width, height: diagram.height };
    let segments: Vec<(usize, Point, Point)> = diagram
        .edges
        .iter()
        .enumerate()
        .flat_map(|(e, edge)| edge.points.windows(2).map(move |w| (e, w[0], w[1])))
        .collect();
    let mut unplaced = Vec::new();
    for (e, input) in graph.edges.iter().enumerate() {
        let Some(text) = &input.label else { continue };
        let (lines, width, height) = sizes::flow_label(measurer, text);
        let points = diagram.edges[e].points.clone();
        // When several branches leave through one port they share a first
        // segment; their labels belong after the split, on their own segment.
        let shared = diagram.edges.iter().enumerate().any(|(o, other)| {
            o != e && other.from == diagram.edges[e].from && other.points.get(..2) == points.get(..2)
        });
        let skip = usize::from(shared && points.len() > 2);
        let candidates = candidates(&points[skip..], width, height);
        let fits = |r: &Rect, avoid_edges: bool| {
            area.contains(r)
                && obstacles.iter().all(|o| !o.overlaps(r))
                && (!avoid_edges || segments.iter().all(|(owner, a, b)| *owner == e || !segment_hits(*a, *b, r)))
        };
        let chosen = candidates
            .iter()
            .find(|r| fits(r, true))
            .or_else(|| candidates.iter().find(|r| fits(r, false)))
            .copied();
        let bounds = match chosen {
            Some(r) => r,
            None => {
                unplaced.push(e);
                candidates.first().copied().unwrap_or(Rect { x: 0.0, y: 0.0, width, height })
            }
        };
        obstacles.push(bounds);
        diagram.edges[e].label = Some(TextBlock {
            lines,
            bounds,
            font_size: SMALL_FONT,
            line_height: SMALL_LINE,
            weight: Weight::Regular,
            align: Align::Start,
            vertical: false,
        });
    }
    unplaced
}

/// Candidate boxes along the first segments of a route, nearest first.
fn candidates(points: &[Point], width: f64, height: f64) -> Vec<Rect> {
    let mut out = Vec::new();
    for pair in points.windows(2).take(3) {
        let (a, b) = (pair[0], pair[1]);
        let horizontal = (a.y - b.y).abs() < 0.01;
        let length = if horizontal { (b.x - a.x).abs() } else { (b.y - a.y).abs() };
        let mut t = 6.0;
        while t <= (length - 4.0).max(6.0) {
            if horizontal {
                let x = if b.x >= a.x { a.x + t } else { a.x - t - width };
                out.push(Rect { x, y: a.y - 3.0 - height, width, height });
                out.push(Rect { x, y: a.y + 3.0, width, height });
            } else {
                let y = if b.y >= a.y { a.y + t } else { a.y - t - height };
                out.push(Rect { x: a.x + 5.0, y, width, height });
                out.push(Rect { x: a.x - 5.0 - width, y, width, height });
            }
            t += 8.0;
        }
    }
    out
}

/// Whether an axis-aligned segment passes through the interior of `r`.
pub fn segment_hits(a: Point, b: Point, r: &Rect) -> bool {
    let (x1, x2) = (a.x.min(b.x), a.x.max(b.x));
    let (y1, y2) = (a.y.min(b.y), a.y.max(b.y));
    x1 < r.right() && x2 > r.x && y1 < r.bottom() && y2 > r.y
}
