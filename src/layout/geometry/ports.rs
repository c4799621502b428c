//! Ports: where each flow leaves and enters its nodes. Forward flows first,
//! in two passes (branches choose their vertex before joining flows do),
//! then the spread of ports along task sides, then — once the forward routes
//! are planned — the nudge that parts flows no track order keeps apart: two
//! crossing a channel in opposite directions between the same two heights,
//! or three passing their heights round. Loops come last: the vertex facing
//! their track when it is free, else a task-side port of their own beyond the
//! forward flows' ones.
//!
//! A gateway branch whose run to its next node's height is blocked in the
//! gateway's column still leaves by its top or bottom vertex when a short
//! stub ([`VERTEX_STUB`]) is free: it turns into the channel there
//! (`exit_turn`). A join gateway takes a flow from above or below on its own
//! vertex even when that flow is long (comes through dummies); other round
//! nodes only a flow from the column before.
//!
//! Invariants: a vertex carries flows one way only, never one in and one out;
//! a gateway vertex takes only the outermost flow of its side, and only when
//! its vertical run (to the other end's height, or to the stub's end) passes
//! no other node of the column; the straight flow of a task side keeps the
//! centre port, and no port comes nearer a corner than 8 px.

use std::collections::HashMap;

use super::super::diagram::Shape;
use super::super::input::LayoutGraph;
use super::super::rank::Layered;
use super::heights::{Heights, LoopSpan};
use super::routes::{Run, Segment};
use super::tracks::MOVED_TRACKS;

/// Distance between ports on one task side, at most.
const PORT_SPACING: f64 = 16.0;
/// Loop ports squeezed onto a crowded task side keep at least this distance.
const MIN_LOOP_PORT_SPACING: f64 = 6.0;
/// How far a branch runs out of a gateway's top or bottom vertex before it
/// turns into the channel, where its next node's height is not free.
const VERTEX_STUB: f64 = 14.0;

/// Where a flow leaves or enters a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

/// A forward flow on a task's left or right side: spreading the ports of one
/// side orders them by the height of the flow's other end.
#[derive(Debug, Clone, Copy)]
struct SideUse {
    edge: usize,
    side: Side,
    /// The y of the flow's neighbour on its way (where it turns).
    other_y: f64,
    outgoing: bool,
}

/// The ports of every flow and what each node's vertices and sides carry.
pub(super) struct Ports<'a> {
    graph: &'a LayoutGraph,
    layered: &'a Layered,
    heights: &'a Heights<'a>,
    /// Per real node: the forward flows on its left and right sides.
    side_uses: Vec<Vec<SideUse>>,
    // A vertex carries flows one way only: never one in and one out.
    top_used: Vec<bool>,
    top_in: Vec<bool>,
    bottom_in: Vec<bool>,
    bottom_out: Vec<bool>,
    /// Whether a loop leaves (enters) the node: it shares the centre port of
    /// the task's right (left) side.
    loop_out: Vec<bool>,
    loop_in: Vec<bool>,
    /// Per edge: the side a forward flow leaves and enters by.
    pub exits: Vec<Side>,
    pub entries: Vec<Side>,
    /// Per edge: where a branch leaving a top or bottom vertex turns
    /// horizontal (its next node's height, or the end of a stub).
    pub exit_turn: Vec<f64>,
    /// Per edge: a forward flow's port offset from the centre of a task side.
    pub exit_dy: Vec<f64>,
    pub entry_dy: Vec<f64>,
    /// Per task side and direction (towards a track above): the tracks of
    /// the loops that may ask it for a port.
    loop_tracks: HashMap<(usize, u8, bool), Vec<f64>>,
}

impl<'a> Ports<'a> {
    /// The ports of every forward flow: sides and vertices, then offsets on
    /// task sides.
    pub fn new(graph: &'a LayoutGraph, layered: &'a Layered, heights: &'a Heights<'a>) -> Self {
        let n_real = graph.nodes.len();
        let mut ports = Ports {
            graph,
            layered,
            heights,
            side_uses: vec![Vec::new(); n_real],
            top_used: vec![false; n_real],
            top_in: vec![false; n_real],
            bottom_in: vec![false; n_real],
            bottom_out: vec![false; n_real],
            loop_out: vec![false; n_real],
            loop_in: vec![false; n_real],
            exits: vec![Side::Right; graph.edges.len()],
            entries: vec![Side::Left; graph.edges.len()],
            exit_turn: vec![0.0; graph.edges.len()],
            exit_dy: vec![0.0; graph.edges.len()],
            entry_dy: vec![0.0; graph.edges.len()],
            loop_tracks: HashMap::new(),
        };
        // The y where each flow turns towards its other end, beside each node
        // (a loop's is its track): a gateway vertex only takes the outermost
        // flow of its side, as a flow further out would run its vertical
        // through that flow's horizontal.
        let mut out_ys: Vec<Vec<f64>> = vec![Vec::new(); n_real];
        let mut in_ys: Vec<Vec<f64>> = vec![Vec::new(); n_real];
        let node_y = &heights.node_y;
        for (e, chain) in layered.chains.iter().enumerate() {
            if !layered.back[e] {
                out_ys[chain[0]].push(node_y[chain[1]]);
                in_ys[chain[chain.len() - 1]].push(node_y[chain[chain.len() - 2]]);
            }
        }
        for (k, l) in heights.loops.iter().enumerate() {
            let track_y = heights.track_y(k);
            out_ys[l.from].push(track_y);
            in_ys[l.to].push(track_y);
            for (node, side) in [(l.from, Side::Right), (l.to, Side::Left)] {
                let above = track_y < node_y[node];
                ports.loop_tracks.entry((node, side as u8, above)).or_default().push(track_y);
            }
            ports.loop_out[l.from] = true;
            ports.loop_in[l.to] = true;
        }
        // Branches choose their vertex first: a split's branch going down
        // needs the bottom vertex more than a flow joining from below, which
        // can enter on the left.
        ports.choose_exits(&out_ys);
        ports.choose_entries(&in_ys);
        ports.spread_task_ports();
        ports
    }

    /// Whether a node is drawn round (event, gateway): no ports spread on its
    /// sides, and joins may enter through its vertices.
    pub fn is_round(&self, i: usize) -> bool {
        !matches!(self.graph.nodes[i].shape, Shape::Task(_) | Shape::Subprocess | Shape::Process)
    }

    /// Whether a node is a gateway: its branches may leave by its vertices.
    fn is_gateway(&self, i: usize) -> bool {
        matches!(self.graph.nodes[i].shape, Shape::Gateway(_))
    }

    /// Gateway branches may leave through the top or bottom vertex: up or
    /// down to the height of their next node, or, where something in the
    /// gateway's column is in the way, a short stub that turns into the
    /// channel after it (so the branch still has a vertex of its own). Every
    /// other forward flow leaves by the right side — also the only flow out of
    /// a join, which leaves the top and bottom vertices to its incoming flows.
    fn choose_exits(&mut self, out_ys: &[Vec<f64>]) {
        let (layered, node_y) = (self.layered, &self.heights.node_y);
        for (e, chain) in layered.chains.iter().enumerate() {
            if layered.back[e] {
                continue;
            }
            let u = chain[0];
            let next_y = node_y[chain[1]];
            if layered.stacked[e] {
                // Straight down (or up) to the next step in the column.
                let exit = if next_y > node_y[u] { Side::Bottom } else { Side::Top };
                self.take_vertex(u, exit, true);
                self.exits[e] = exit;
                self.exit_turn[e] = next_y;
                continue;
            }
            // `out_ys` holds one height per flow leaving the node, loops too.
            let vertex = if self.is_gateway(u) && out_ys[u].len() > 1 {
                self.free_vertex(u, next_y, &out_ys[u], (!self.top_in[u], !self.bottom_in[u]), true)
            } else {
                None
            };
            let (exit, turn) = vertex.unwrap_or((Side::Right, next_y));
            self.exit_turn[e] = turn;
            self.take_vertex(u, exit, true);
            self.exits[e] = exit;
            if exit == Side::Right {
                self.side_uses[u].push(SideUse { edge: e, side: Side::Right, other_y: next_y, outgoing: true });
            }
        }
    }

    /// Joins and events may take flows from above or below through those
    /// vertices, so flows from elsewhere do not T-join the straight one — a
    /// join gateway even a long flow, other round nodes only one from the
    /// column before; every other forward flow enters by the left side.
    fn choose_entries(&mut self, in_ys: &[Vec<f64>]) {
        let (layered, node_y) = (self.layered, &self.heights.node_y);
        for (e, chain) in layered.chains.iter().enumerate() {
            if layered.back[e] {
                continue;
            }
            let v = chain[chain.len() - 1];
            let prev_y = node_y[chain[chain.len() - 2]];
            if layered.stacked[e] {
                let entry = if prev_y < node_y[v] { Side::Top } else { Side::Bottom };
                self.take_vertex(v, entry, false);
                self.entries[e] = entry;
                continue;
            }
            let vertex = if self.is_round(v) && (chain.len() == 2 || self.is_gateway(v)) && self.exits[e] == Side::Right
            {
                let free = (self.top_in[v] || !self.top_used[v], !self.bottom_out[v]);
                self.free_vertex(v, prev_y, &in_ys[v], free, false)
            } else {
                None
            };
            let entry = vertex.map_or(Side::Left, |(side, _)| side);
            self.take_vertex(v, entry, false);
            self.entries[e] = entry;
            if entry == Side::Left {
                self.side_uses[v].push(SideUse { edge: e, side: Side::Left, other_y: prev_y, outgoing: false });
            }
        }
    }

    /// Marks the vertex `side` of node `w` as carrying a forward flow out
    /// (`outgoing`) or in; a left or right side marks nothing.
    fn take_vertex(&mut self, w: usize, side: Side, outgoing: bool) {
        match (side, outgoing) {
            (Side::Top, true) => self.top_used[w] = true,
            (Side::Top, false) => {
                self.top_used[w] = true;
                self.top_in[w] = true;
            }
            (Side::Bottom, true) => self.bottom_out[w] = true,
            (Side::Bottom, false) => self.bottom_in[w] = true,
            _ => {}
        }
    }

    /// The vertex of node `w` a flow turning at `other_y` can use, and the
    /// height where its vertical run from that vertex turns: the top vertex
    /// for a flow from or to above, the bottom one for below, when the vertex
    /// is free (`free`, top and bottom: of flows the other way), clear of the
    /// node's name, the flow is the outermost of its side (`ys`: where every
    /// flow of the node turns) and its vertical run passes no other node of
    /// the column — running to `other_y`, or, with `may_stub` where that is
    /// blocked, only [`VERTEX_STUB`] out of the vertex.
    fn free_vertex(
        &self,
        w: usize,
        other_y: f64,
        ys: &[f64],
        free: (bool, bool),
        may_stub: bool,
    ) -> Option<(Side, f64)> {
        let heights = self.heights;
        let layer = self.layered.nodes[w].layer;
        let centre = heights.node_y[w];
        let (top, bottom) = (centre - heights.rows.half_height(w), centre + heights.rows.half_height(w));
        let vertical = |from: f64, stub: f64| {
            if heights.column_free(layer, w, other_y, from) {
                Some(other_y)
            } else if may_stub
                && (stub - from).abs() < (other_y - from).abs() - 0.5
                && heights.column_free(layer, w, stub, from)
            {
                Some(stub)
            } else {
                None
            }
        };
        let up = (other_y < centre - 0.5 && heights.top_clear(w) && free.0 && outermost(ys, other_y, true))
            .then(|| vertical(top, top - VERTEX_STUB))
            .flatten();
        let down = (other_y > centre + 0.5 && heights.bottom_clear(w) && free.1 && outermost(ys, other_y, false))
            .then(|| vertical(bottom, bottom + VERTEX_STUB))
            .flatten();
        match (up, down) {
            (Some(y), _) => Some((Side::Top, y)),
            (None, Some(y)) => Some((Side::Bottom, y)),
            (None, None) => None,
        }
    }

    /// Port offsets on task sides: the straight flow keeps the centre, others
    /// spread above and below in the order of the nodes they come from.
    fn spread_task_ports(&mut self) {
        for i in 0..self.side_uses.len() {
            if self.is_round(i) {
                continue;
            }
            for side in [Side::Left, Side::Right] {
                let mut uses: Vec<SideUse> = self.side_uses[i].iter().filter(|u| u.side == side).copied().collect();
                if uses.len() < 2 {
                    continue;
                }
                uses.sort_by(|a, b| a.other_y.total_cmp(&b.other_y).then(a.edge.cmp(&b.edge)));
                let centre = self.heights.node_y[i];
                let straight = uses
                    .iter()
                    .position(|u| (u.other_y - centre).abs() < 0.5)
                    .map_or((uses.len() as f64 - 1.0) / 2.0, |p| p as f64);
                // As far apart as the side allows: the port furthest from the
                // straight one stays 8 px inside the corner.
                let furthest = straight.max(uses.len() as f64 - 1.0 - straight).max(1.0);
                let spacing = PORT_SPACING.min((self.heights.rows.sized[i].height / 2.0 - 8.0) / furthest);
                for (k, u) in uses.iter().enumerate() {
                    let dy = (k as f64 - straight) * spacing;
                    if u.outgoing {
                        self.exit_dy[u.edge] = dy;
                    } else {
                        self.entry_dy[u.edge] = dy;
                    }
                }
            }
        }
    }

    /// Flows of one channel that no order of their tracks keeps apart (see
    /// [`cycles`]) lie on top of each other at one end whichever goes left:
    /// move a single port of one of them off that height, so they cross. A
    /// pair is nudged apart even if one of them moved already; of three, one
    /// moved flow is enough. A port shared with a loop's end stays put.
    /// Whether any port moved (the forward routes must then be planned
    /// again).
    pub fn nudge_cycles(&mut self, segments: &[Vec<Segment>]) -> bool {
        let rows = &self.heights.rows;
        let toward =
            |from: f64, to: f64, node: usize| PORT_SPACING.min(rows.half_height(node) - 8.0).copysign(to - from);
        let mut nudged = false;
        for cycle in cycles(segments) {
            if cycle.len() > 2 && cycle.iter().any(|s| self.exit_dy[s.edge] != 0.0 || self.entry_dy[s.edge] != 0.0) {
                continue;
            }
            for s in cycle {
                let (u, v) = (s.from_key.0, s.to_key.0);
                if s.to_key.1 == Side::Left as u8 && self.single_port(v, Side::Left) && self.entry_dy[s.edge] == 0.0 {
                    self.entry_dy[s.edge] = toward(s.y2, s.y1, v);
                } else if s.from_key.1 == Side::Right as u8
                    && self.single_port(u, Side::Right)
                    && self.exit_dy[s.edge] == 0.0
                {
                    self.exit_dy[s.edge] = toward(s.y1, s.y2, u);
                } else {
                    continue;
                }
                nudged = true;
                break;
            }
        }
        for (ender, starter) in end_to_end(segments) {
            if self.entry_dy[ender.edge] != 0.0 || self.exit_dy[starter.edge] != 0.0 {
                continue;
            }
            let (v, u) = (ender.to_key.0, starter.from_key.0);
            if ender.to_key.1 == Side::Left as u8 && self.single_port(v, Side::Left) {
                self.entry_dy[ender.edge] = toward(ender.y2, ender.y1, v);
            } else if starter.from_key.1 == Side::Right as u8 && self.single_port(u, Side::Right) {
                self.exit_dy[starter.edge] = toward(starter.y1, starter.y2, u);
            } else {
                continue;
            }
            nudged = true;
        }
        nudged
    }

    /// Whether a task side carries exactly one forward flow and no loop end,
    /// so its port may move without touching another flow.
    fn single_port(&self, node: usize, side: Side) -> bool {
        node < self.side_uses.len()
            && !self.is_round(node)
            && !(if side == Side::Left { self.loop_in[node] } else { self.loop_out[node] })
            && self.side_uses[node].iter().filter(|u| u.side == side).count() == 1
    }

    /// Whether loop `l`'s end `w` can use the vertex that faces its track (at
    /// `track_y`; the bottom vertex when `down`): that vertex is free of
    /// flows and name, and the run from it to the track passes no other node
    /// of its column. Below, the node must also sit in the bottom row of the
    /// loop's lower lane, where its name has moved aside for the loop.
    pub fn faces_track(&self, l: &LoopSpan, down: bool, w: usize, track_y: f64) -> bool {
        let (rows, heights) = (&self.heights.rows, self.heights);
        let layer = self.layered.nodes[w].layer;
        let vertex_y = heights.node_y[w] + if down { rows.half_height(w) } else { -rows.half_height(w) };
        let free = if down {
            self.layered.nodes[w].lane == l.lower
                && rows.row[w] + 1 == rows.rows_per_lane[l.lower]
                && !self.bottom_in[w]
                && !self.bottom_out[w]
                && !heights.name_below(w)
        } else {
            !self.top_used[w] && heights.top_clear(w)
        };
        free && heights.column_free(layer, w, vertex_y, track_y)
    }

    /// Marks the vertex facing a loop's track (the bottom one when `down`) as
    /// taken by the loop, both ways.
    pub fn take_loop_vertex(&mut self, w: usize, down: bool) {
        if down {
            self.bottom_out[w] = true;
            self.bottom_in[w] = true;
        } else {
            self.top_used[w] = true;
        }
    }

    /// A loop leaving or entering a task side that forward flows use gets a
    /// port of its own beyond theirs, towards its track, so it does not
    /// T-join them (a join would read as a split). The loops of one side
    /// share the room left up to 4 px from the corner, the one with the
    /// farthest track nearest the forward flows, so that no two of them
    /// cross. 0 where the side is free, or too crowded for another port.
    pub fn loop_port(&self, node: usize, side: Side, track: f64) -> f64 {
        if self.is_round(node) {
            return 0.0;
        }
        let dys: Vec<f64> = self.side_uses[node]
            .iter()
            .filter(|use_| use_.side == side)
            .map(|use_| if use_.outgoing { self.exit_dy[use_.edge] } else { self.entry_dy[use_.edge] })
            .collect();
        if dys.is_empty() {
            return 0.0;
        }
        let centre = self.heights.node_y[node];
        let above = track < centre;
        let tracks = self.loop_tracks.get(&(node, side as u8, above)).map_or(&[][..], Vec::as_slice);
        let nth = 1 + tracks.iter().filter(|&&t| (t - centre).abs() > (track - centre).abs() + 0.5).count();
        let outermost = if above {
            -dys.iter().copied().fold(f64::INFINITY, f64::min)
        } else {
            dys.iter().copied().fold(f64::NEG_INFINITY, f64::max)
        };
        let limit = self.heights.rows.sized[node].height / 2.0 - 4.0;
        let step = PORT_SPACING.min((limit - outermost) / tracks.len().max(1) as f64);
        let dy = outermost + step * nth as f64;
        if step < MIN_LOOP_PORT_SPACING || dy > limit + 0.01 {
            0.0
        } else if above {
            -dy
        } else {
            dy
        }
    }
}

/// Whether `y` is the only outermost one of `ys` on the given side.
fn outermost(ys: &[f64], y: f64, upwards: bool) -> bool {
    let beyond = |o: f64| if upwards { o < y + 0.5 } else { o > y - 0.5 };
    ys.iter().filter(|&&o| beyond(o)).count() == 1
}

/// Forward flows of one channel that no order of their tracks keeps apart, in
/// the order found: two swapping heights (each one's end is the other's
/// start), or three passing their heights round (a's end is b's start, b's
/// end c's start, c's end a's start; sought only in channels of at most
/// [`MOVED_TRACKS`] segments). The flows of a cycle are pairwise unrelated:
/// different edges sharing no port.
fn cycles(segments: &[Vec<Segment>]) -> Vec<Vec<&Segment>> {
    let same = |p: f64, q: f64| (p - q).abs() < 0.5;
    let round = |x: &Segment, y: &Segment, z: &Segment| same(x.y2, y.y1) && same(y.y2, z.y1) && same(z.y2, x.y1);
    let mut cycles: Vec<Vec<&Segment>> = Vec::new();
    for channel in segments {
        for (i, a) in channel.iter().enumerate() {
            for (j, b) in channel.iter().enumerate().skip(i + 1) {
                if !unrelated(a, b) {
                    continue;
                }
                if same(a.y2, b.y1) && same(b.y2, a.y1) {
                    cycles.push(vec![a, b]);
                    continue;
                }
                if channel.len() > MOVED_TRACKS {
                    continue;
                }
                for c in &channel[j + 1..] {
                    if unrelated(a, c) && unrelated(b, c) && (round(a, b, c) || round(a, c, b)) {
                        cycles.push(vec![a, b, c]);
                    }
                }
            }
        }
    }
    cycles
}

/// Pairs of unrelated forward flows of one channel where the first ends at
/// the height the second starts from (and not the reverse as well, which is
/// a cycle): whichever track goes left, their runs at that height overlap or
/// line up end to end and read as one flow, so a port of one moves off it.
fn end_to_end(segments: &[Vec<Segment>]) -> Vec<(&Segment, &Segment)> {
    let same = |p: f64, q: f64| (p - q).abs() < 0.5;
    let mut pairs = Vec::new();
    for channel in segments.iter().filter(|c| c.len() <= MOVED_TRACKS) {
        for a in channel {
            for b in channel {
                if unrelated(a, b) && same(a.y2, b.y1) && !same(b.y2, a.y1) {
                    pairs.push((a, b));
                }
            }
        }
    }
    pairs
}

/// Two forward flows of one channel that are different edges sharing no
/// port: their runs at a shared height would read as one flow.
fn unrelated(a: &Segment, b: &Segment) -> bool {
    a.run == Run::Through
        && b.run == Run::Through
        && a.edge != b.edge
        && a.from_key != b.from_key
        && a.to_key != b.to_key
}
