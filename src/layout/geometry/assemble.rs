//! Assembly: the planned legs become polylines at their x coordinates; nodes
//! get their rectangles and names, the pool and lanes their bands; the
//! finished [`Diagram`] then gets its flow labels placed.
//!
//! Invariants: every polyline point after the first and before the last is a
//! bend (repeated and collinear points dropped); nothing here moves a node
//! or a flow — labels that found no place are handed back as the channels to
//! widen, for the caller to lay out again.

use super::super::diagram::{Diagram, Edge, Lane, Node, Point, Pool, Rect, Weight};
use super::super::input::LayoutGraph;
use super::super::labels::place_flow_labels;
use super::super::sizes;
use super::coordinates::Columns;
use super::heights::Heights;
use super::routes::{Leg, XRef};
use super::tracks::Tracks;
use super::{LANE_HEADER, MARGIN, POOL_HEADER};
use crate::text::Measurer;

/// The diagram from the laid-out pieces, its flow labels placed, and the
/// channels to widen for labels that found no place.
pub(super) fn diagram(
    graph: &LayoutGraph,
    heights: &Heights,
    legs: &[Vec<Leg>],
    tracks: &Tracks,
    columns: &Columns,
    measurer: &mut Measurer,
) -> (Diagram, Vec<usize>) {
    let layered = heights.rows.layered;
    let edges: Vec<Edge> = legs
        .iter()
        .enumerate()
        .map(|(e, route)| Edge {
            from: graph.edges[e].from,
            to: graph.edges[e].to,
            points: polyline(route, e, heights, tracks, columns),
            label: None,
            default: graph.edges[e].default,
            back: layered.back[e],
        })
        .collect();
    // Nodes and their names.
    let nodes: Vec<Node> = (0..graph.nodes.len())
        .map(|i| {
            let rect = columns.node_rect(i);
            Node {
                id: graph.nodes[i].id.clone(),
                shape: graph.nodes[i].shape,
                rect,
                lane: graph.nodes[i].lane,
                label: heights.rows.sized[i].label(rect, heights.name_place[i]),
                link: graph.nodes[i].link.clone(),
            }
        })
        .collect();
    let (pool, lanes) = pool_and_lanes(graph, heights, columns.content_right, measurer);
    let mut diagram = Diagram {
        id: graph.id.clone(),
        title: graph.title.clone(),
        description: graph.description.clone(),
        width: (columns.content_right + MARGIN).ceil(),
        height: (heights.bands.bottom + MARGIN).ceil(),
        pool,
        lanes,
        nodes,
        edges,
        mark: None,
    };
    let unplaced = place_flow_labels(&mut diagram, graph, measurer);
    let widen: Vec<usize> = unplaced.iter().map(|&e| layered.nodes[graph.edges[e].from].layer + 1).collect();
    (diagram, widen)
}

/// The points of edge `e`'s route: each channel run at its track's x.
fn polyline(route: &[Leg], e: usize, heights: &Heights, tracks: &Tracks, columns: &Columns) -> Vec<Point> {
    let layered = heights.rows.layered;
    let mut points: Vec<Point> = Vec::new();
    let mut pending_channel: Option<f64> = None;
    for leg in route {
        match leg {
            Leg::At { x, y } => {
                let px = match *x {
                    XRef::NodeLeft(i) => columns.node_rect(i).x,
                    XRef::NodeRight(i) => columns.node_rect(i).right(),
                    XRef::NodeCenter(i) => columns.center(layered.nodes[i].layer),
                    XRef::Column(l) => columns.center(l),
                };
                if let Some(cx) = pending_channel.take() {
                    points.push(Point { x: cx, y: *y });
                }
                points.push(Point { x: px, y: *y });
            }
            Leg::Turn { y } => {
                if let Some(cx) = pending_channel.take() {
                    points.push(Point { x: cx, y: *y });
                }
            }
            Leg::Channel { gap, part } => {
                let (g, t) = tracks.of(e, *part).unwrap_or((*gap, 0));
                let cx = columns.track_x(g, t);
                if let Some(last) = points.last().copied() {
                    points.push(Point { x: cx, y: last.y });
                }
                pending_channel = Some(cx);
            }
        }
    }
    // Round-shaped nodes: ports on the left and right sit on the outline
    // at the centre height, which `NodeLeft`/`NodeRight` already give.
    simplify(points)
}

/// The pool and its lanes with their headers, when the graph has lanes.
fn pool_and_lanes(
    graph: &LayoutGraph,
    heights: &Heights,
    content_right: f64,
    measurer: &mut Measurer,
) -> (Option<Pool>, Vec<Lane>) {
    if !graph.has_lanes() {
        return (None, Vec::new());
    }
    let (top, pool_bottom) = (MARGIN, heights.bands.bottom);
    let pool_rect = Rect { x: MARGIN, y: top, width: content_right - MARGIN, height: pool_bottom - top };
    let pool_header = Rect { x: MARGIN, y: top, width: POOL_HEADER, height: pool_bottom - top };
    let pool_label = sizes::header(measurer, &graph.title, pool_header, Weight::SemiBold);
    let lanes = (0..heights.rows.lane_count)
        .map(|k| {
            let rect = Rect {
                x: MARGIN + POOL_HEADER,
                y: heights.bands.lane_top[k],
                width: content_right - MARGIN - POOL_HEADER,
                height: heights.bands.lane_height[k],
            };
            let header = Rect { x: rect.x, y: rect.y, width: LANE_HEADER, height: rect.height };
            Lane {
                role_id: graph.lanes[k].id.clone(),
                rect,
                header,
                label: sizes::header(measurer, &graph.lanes[k].name, header, Weight::SemiBold),
            }
        })
        .collect();
    (Some(Pool { rect: pool_rect, header: pool_header, label: pool_label }), lanes)
}

/// Drops repeated and collinear points so every remaining point is a bend.
fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|q| (q.x - p.x).abs() < 0.01 && (q.y - p.y).abs() < 0.01) {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let collinear = ((a.x - b.x).abs() < 0.01 && (b.x - p.x).abs() < 0.01)
                || ((a.y - b.y).abs() < 0.01 && (b.y - p.y).abs() < 0.01);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}
