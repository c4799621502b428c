//! Routes: the planned way of every flow before x coordinates exist — legs
//! at known heights beside node ports and column centres, and the vertical
//! runs each flow makes in the channels between columns. Forward flows run
//! from port to port through the rows of their dummies (a branch leaving a
//! gateway vertex runs to where it turns: its next node's height, or the end
//! of a stub, then on through the channel); loops run out, up (or down) to
//! their track, across, and back to their target.
//!
//! A stacked hand-off runs straight from one step's bottom (top) vertex to
//! the top (bottom) vertex of the step under (over) it in the same column.
//!
//! Invariants: every change of height but a stacked hand-off's happens in a
//! channel, as a [`Segment`] that the track phase gives an x; segments with an equal key
//! share a track (one split or one merge), and a key naming no port is
//! unique to its flow and channel crossing.

use super::heights::{Heights, LoopSpan};
use super::ports::{Ports, Side};

/// One vertical segment that must run in the channel between two columns.
#[derive(Debug, Clone)]
pub(super) struct Segment {
    pub y1: f64,
    pub y2: f64,
    /// Segments with an equal key share a track (one split or one merge).
    pub from_key: (usize, u8, i64),
    pub to_key: (usize, u8, i64),
    pub edge: usize,
    /// Which of the edge's channel crossings this is (in route order).
    pub part: usize,
    /// Which way the horizontal runs at each end go.
    pub run: Run,
}

/// The sides of its track on which a vertical segment's two horizontal runs
/// lie: they decide which other tracks they cross.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Run {
    /// In from the left at `y1`, out to the right at `y2` (forward flows).
    Through,
    /// In from the left at `y1`, back to the left along a loop track at `y2`.
    IntoLoop,
    /// In from the right along a loop track at `y1`, out to the right at `y2`.
    OutOfLoop,
}

/// The planned route of one edge before x coordinates exist.
#[derive(Debug, Clone)]
pub(super) enum Leg {
    /// A point at a known y whose x is a node port or column centre.
    At { x: XRef, y: f64 },
    /// A vertical run in a channel, between two ys.
    Channel { gap: usize, part: usize },
    /// The end of a channel run at `y`, where the route turns horizontal
    /// without reaching a node (a loop's track).
    Turn { y: f64 },
}

/// The x of a leg's point, named before columns have coordinates.
#[derive(Debug, Clone, Copy)]
pub(super) enum XRef {
    NodeLeft(usize),
    NodeRight(usize),
    NodeCenter(usize),
    Column(usize),
}

/// The key of a port: flows sharing a port share their track beside it.
fn port_key(node: usize, side: Side, dy: f64) -> (usize, u8, i64) {
    (node, side as u8, (dy * 100.0).round() as i64)
}

/// Every flow's planned route and the segments it runs in each channel.
pub(super) struct Plan {
    /// Per channel (gap between columns, 0 left of the first column).
    pub segments: Vec<Vec<Segment>>,
    /// Per edge.
    pub legs: Vec<Vec<Leg>>,
}

impl Plan {
    /// Plans forward flows, parts those no track order keeps apart (planning
    /// again when a port moved), then plans the loops, which take their ports after the
    /// forward flows'.
    pub fn new(ports: &mut Ports, heights: &Heights) -> Plan {
        let mut plan = Plan::forward(ports, heights);
        if ports.nudge_cycles(&plan.segments) {
            plan = Plan::forward(ports, heights);
        }
        for (k, l) in heights.loops.iter().enumerate() {
            plan.add_loop(ports, heights, k, l);
        }
        plan
    }

    /// Routes of the forward flows for the current port offsets: points at
    /// known heights, and the vertical runs each makes in the channels.
    fn forward(ports: &Ports, heights: &Heights) -> Plan {
        let layered = heights.rows.layered;
        let mut plan =
            Plan { segments: vec![Vec::new(); layered.layer_count + 1], legs: vec![Vec::new(); ports.exits.len()] };
        for (e, chain) in layered.chains.iter().enumerate() {
            if layered.back[e] {
                continue;
            }
            plan.legs[e] = plan.forward_route(ports, heights, e, chain);
        }
        plan
    }

    /// The route of forward edge `e` along its chain of layered nodes.
    fn forward_route(&mut self, ports: &Ports, heights: &Heights, e: usize, chain: &[usize]) -> Vec<Leg> {
        let (layered, node_y, rows) = (heights.rows.layered, &heights.node_y, &heights.rows);
        let (exit_dy, entry_dy) = (&ports.exit_dy, &ports.entry_dy);
        let (u, v) = (chain[0], chain[chain.len() - 1]);
        let exit = ports.exits[e];
        let entry = ports.entries[e];
        if layered.stacked[e] {
            // One vertical run in the column, vertex to vertex.
            let down = exit == Side::Bottom;
            let (from, to) = if down { (1.0, -1.0) } else { (-1.0, 1.0) };
            return vec![
                Leg::At { x: XRef::NodeCenter(u), y: node_y[u] + from * rows.half_height(u) },
                Leg::At { x: XRef::NodeCenter(v), y: node_y[v] + to * rows.half_height(v) },
            ];
        }
        let mut route = Vec::new();
        let mut y_now = match exit {
            Side::Top | Side::Bottom => {
                let ey = node_y[u] + if exit == Side::Top { -rows.half_height(u) } else { rows.half_height(u) };
                route.push(Leg::At { x: XRef::NodeCenter(u), y: ey });
                route.push(Leg::At { x: XRef::NodeCenter(u), y: ports.exit_turn[e] });
                ports.exit_turn[e]
            }
            _ => {
                let ey = node_y[u] + exit_dy[e];
                route.push(Leg::At { x: XRef::NodeRight(u), y: ey });
                ey
            }
        };
        let last = chain.len() - 1;
        for (k, &b) in chain.iter().enumerate().skip(1) {
            let target_y = if k == last {
                match entry {
                    Side::Left => node_y[v] + entry_dy[e],
                    _ => y_now,
                }
            } else {
                node_y[b]
            };
            if (target_y - y_now).abs() > 0.5 {
                let gap = layered.nodes[b].layer;
                let part = route.iter().filter(|l| matches!(l, Leg::Channel { .. })).count();
                let from_key = if k == 1 { port_key(u, exit, exit_dy[e]) } else { (usize::MAX - e, 9, part as i64) };
                let to_key = if k == last { port_key(v, entry, entry_dy[e]) } else { (usize::MAX - e, 8, part as i64) };
                self.segments[gap].push(Segment {
                    y1: y_now,
                    y2: target_y,
                    from_key,
                    to_key,
                    edge: e,
                    part,
                    run: Run::Through,
                });
                route.push(Leg::Channel { gap, part });
            }
            if k < last {
                route.push(Leg::At { x: XRef::Column(layered.nodes[b].layer), y: target_y });
            }
            y_now = target_y;
        }
        match entry {
            Side::Left => route.push(Leg::At { x: XRef::NodeLeft(v), y: y_now }),
            Side::Top | Side::Bottom => {
                route.push(Leg::At { x: XRef::NodeCenter(v), y: y_now });
                let ey = node_y[v] + if entry == Side::Top { -rows.half_height(v) } else { rows.half_height(v) };
                route.push(Leg::At { x: XRef::NodeCenter(v), y: ey });
            }
            Side::Right => {}
        }
        route
    }

    /// Back edge `k`: out, up (or down) to the loop track, across, back to
    /// the target. A loop leaves or enters through the vertex that faces its
    /// track when that vertex is free and nothing lies between it and the
    /// track.
    fn add_loop(&mut self, ports: &mut Ports, heights: &Heights, k: usize, l: &LoopSpan) {
        let (layered, node_y, rows) = (heights.rows.layered, &heights.node_y, &heights.rows);
        let (e, u, v) = (l.edge, l.from, l.to);
        let ty = heights.track_y(k);
        let (lu, lv) = (layered.nodes[u].layer, layered.nodes[v].layer);
        let down = heights.below[k];
        let vertex_y = |w: usize| node_y[w] + if down { rows.half_height(w) } else { -rows.half_height(w) };
        // Both ends are distinct nodes, so both can be decided before either
        // vertex is marked used.
        let vertex_exit = u != v && ports.faces_track(l, down, u, ty);
        let vertex_entry = u != v && ports.faces_track(l, down, v, ty);
        let mut route = Vec::new();
        if vertex_exit {
            route.push(Leg::At { x: XRef::NodeCenter(u), y: vertex_y(u) });
            route.push(Leg::At { x: XRef::NodeCenter(u), y: ty });
        } else {
            let ey = node_y[u] + ports.loop_port(u, Side::Right, ty);
            route.push(Leg::At { x: XRef::NodeRight(u), y: ey });
            let gap = lu + 1;
            self.segments[gap].push(Segment {
                y1: ey,
                y2: ty,
                from_key: (usize::MAX - e, 7, 0),
                to_key: (usize::MAX - e, 6, 0),
                edge: e,
                part: 0,
                run: Run::IntoLoop,
            });
            route.push(Leg::Channel { gap, part: 0 });
            route.push(Leg::Turn { y: ty });
        }
        if vertex_exit {
            ports.take_loop_vertex(u, down);
        }
        if vertex_entry {
            route.push(Leg::At { x: XRef::NodeCenter(v), y: ty });
            route.push(Leg::At { x: XRef::NodeCenter(v), y: vertex_y(v) });
            ports.take_loop_vertex(v, down);
        } else {
            let gap = lv;
            let part = if vertex_exit { 0 } else { 1 };
            let dy = ports.loop_port(v, Side::Left, ty);
            self.segments[gap].push(Segment {
                y1: ty,
                y2: node_y[v] + dy,
                from_key: (usize::MAX - e, 5, part as i64),
                to_key: port_key(v, Side::Left, dy),
                edge: e,
                part,
                run: Run::OutOfLoop,
            });
            route.push(Leg::Channel { gap, part });
            route.push(Leg::At { x: XRef::NodeLeft(v), y: node_y[v] + dy });
        }
        self.legs[e] = route;
    }
}
