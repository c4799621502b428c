//! Geometry: rows and lanes to y coordinates, ports on node sides, channel
//! tracks for vertical edge segments, columns to x coordinates, polylines,
//! and the placement of text. Produces the final [`Diagram`].

use super::crossing_counts::{TrackRun, crossings, inside};
use super::diagram::{Diagram, Edge, Lane, Node, Point, Pool, Rect, Shape, Weight};
use super::input::LayoutGraph;
use super::labels::place_flow_labels;
use super::rank::Layered;
use super::rows::{assign_rows, loop_levels};
use super::sizes::{self, NamePlace, Sized};
use crate::text::Measurer;

const MARGIN: f64 = 10.0;
const POOL_HEADER: f64 = 30.0;
const LANE_HEADER: f64 = 30.0;
const ROW_GAP: f64 = 26.0;
const LANE_PAD: f64 = 22.0;
const TRACK_SPACING: f64 = 20.0;
const GAP_INNER: f64 = 50.0;
const GAP_OUTER: f64 = 18.0;
const PORT_SPACING: f64 = 16.0;
/// How far a branch runs out of a gateway's top or bottom vertex before it
/// turns into the channel, where its next node's height is not free.
const VERTEX_STUB: f64 = 14.0;

/// Where a flow leaves or enters a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Side {
    Left,
    Right,
    Top,
    Bottom,
}

/// One vertical segment that must run in the channel between two columns.
#[derive(Debug, Clone)]
struct Segment {
    y1: f64,
    y2: f64,
    /// Segments with an equal key share a track (one split or one merge).
    from_key: (usize, u8, i64),
    to_key: (usize, u8, i64),
    edge: usize,
    /// Which of the edge's channel crossings this is (in route order).
    part: usize,
    /// Which way the horizontal runs at each end go.
    run: Run,
}

/// The sides of its track on which a vertical segment's two horizontal runs
/// lie: they decide which other tracks they cross.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Run {
    /// In from the left at `y1`, out to the right at `y2` (forward flows).
    Through,
    /// In from the left at `y1`, back to the left along a loop track at `y2`.
    IntoLoop,
    /// In from the right along a loop track at `y1`, out to the right at `y2`.
    OutOfLoop,
}

/// The planned route of one edge before x coordinates exist.
#[derive(Debug, Clone)]
enum Leg {
    /// A point at a known y whose x is a node port or column centre.
    At { x: XRef, y: f64 },
    /// A vertical run in a channel, between two ys.
    Channel { gap: usize, part: usize },
    /// The end of a channel run at `y`, where the route turns horizontal
    /// without reaching a node (a loop's track).
    Turn { y: f64 },
}

#[derive(Debug, Clone, Copy)]
enum XRef {
    NodeLeft(usize),
    NodeRight(usize),
    NodeCenter(usize),
    Column(usize),
}

/// Lays out a graph: the whole pipeline after ranking. `extra_gap[g]` widens
/// channel `g` (used when a flow label found no free place).
pub fn geometry(
    graph: &LayoutGraph,
    layered: &Layered,
    measurer: &mut Measurer,
    extra_gap: &[f64],
) -> (Diagram, Vec<usize>) {
    let lane_count = graph.lanes.len().max(1);
    let has_lanes = graph.has_lanes();
    let sized: Vec<Sized> = graph.nodes.iter().map(|n| sizes::size(measurer, n.shape, &n.name)).collect();
    let n_real = graph.nodes.len();
    let (row, rows_per_lane) = assign_rows(graph, layered, lane_count);

    // A named gateway or event whose flows need its bottom vertex — branches
    // going down, to lower lanes or lower rows of its own lane, or flows
    // joining from below — and not its top one wears its name above, freeing
    // the bottom vertex for them; every other name goes below.
    let height_key = |v: usize| (layered.nodes[v].lane, row[v]);
    let mut needs_bottom = vec![false; n_real];
    let mut needs_top = vec![false; n_real];
    for (e, chain) in layered.chains.iter().enumerate() {
        if layered.back[e] {
            continue;
        }
        let (u, v) = (chain[0], chain[chain.len() - 1]);
        let (first, last) = (height_key(chain[1]), height_key(chain[chain.len() - 2]));
        needs_bottom[u] |= first > height_key(u) || height_key(v) > height_key(u);
        needs_top[u] |= first < height_key(u) || height_key(v) < height_key(u);
        needs_top[v] |= last < height_key(v);
        needs_bottom[v] |= last > height_key(v);
    }
    let named = |i: usize| sized[i].outside && !sized[i].lines.is_empty();
    let above: Vec<bool> = (0..n_real).map(|i| named(i) && needs_bottom[i] && !needs_top[i]).collect();
    let label_above = |i: usize| above[i];

    // Vertical extents of nodes around their row axis.
    let extent = |v: usize| -> (f64, f64) {
        match layered.nodes[v].real {
            Some(i) => {
                let s = &sized[i];
                let label = if s.outside && !s.lines.is_empty() { sizes::LABEL_GAP + s.text_height() } else { 0.0 };
                if label_above(i) {
                    (s.height / 2.0 + label, s.height / 2.0)
                } else {
                    (s.height / 2.0, s.height / 2.0 + label)
                }
            }
            None => (8.0, 8.0),
        }
    };
    let mut row_above = vec![vec![8.0f64; 0]; lane_count];
    let mut row_below = vec![vec![8.0f64; 0]; lane_count];
    for lane in 0..lane_count {
        row_above[lane] = vec![8.0; rows_per_lane[lane]];
        row_below[lane] = vec![8.0; rows_per_lane[lane]];
    }
    for (v, node) in layered.nodes.iter().enumerate() {
        let (a, b) = extent(v);
        let lane = node.lane.min(lane_count - 1);
        row_above[lane][row[v]] = row_above[lane][row[v]].max(a);
        row_below[lane][row[v]] = row_below[lane][row[v]].max(b);
    }

    // Lanes top to bottom: rows, with loop tracks above and below them.
    let rows_height: Vec<f64> = (0..lane_count)
        .map(|lane| {
            (0..rows_per_lane[lane]).map(|r| row_above[lane][r] + row_below[lane][r]).sum::<f64>()
                + ROW_GAP * (rows_per_lane[lane] as f64 - 1.0)
        })
        .collect();
    let header_min: Vec<f64> =
        (0..lane_count)
            .map(|lane| {
                if has_lanes { sizes::header_length(measurer, &graph.lanes[lane].name, Weight::SemiBold) } else { 0.0 }
            })
            .collect();
    let top = MARGIN;
    let bands = |levels_above: &[usize], levels_below: &[usize]| -> Bands {
        let mut b = Bands {
            lane_top: vec![0.0; lane_count],
            lane_height: vec![0.0; lane_count],
            rows_top: vec![0.0; lane_count],
            rows_bottom: vec![0.0; lane_count],
            bottom: 0.0,
        };
        let mut y = top;
        for lane in 0..lane_count {
            let pad_top = LANE_PAD + levels_above[lane] as f64 * TRACK_SPACING;
            let pad_bottom = LANE_PAD + levels_below[lane] as f64 * TRACK_SPACING;
            let content = pad_top + rows_height[lane] + pad_bottom;
            let height = content.max(header_min[lane]).ceil();
            b.lane_top[lane] = y;
            b.lane_height[lane] = height;
            b.rows_top[lane] = y + pad_top + ((height - content) / 2.0).floor();
            b.rows_bottom[lane] = b.rows_top[lane] + rows_height[lane];
            y += height;
        }
        b.bottom = y;
        b
    };
    let axes = |rows_top: &[f64]| -> Vec<f64> {
        (0..layered.nodes.len())
            .map(|v| {
                let lane = layered.nodes[v].lane.min(lane_count - 1);
                let mut y = rows_top[lane];
                for r in 0..row[v] {
                    y += row_above[lane][r] + row_below[lane][r] + ROW_GAP;
                }
                y + row_above[lane][row[v]]
            })
            .collect()
    };

    // Loops: each runs on a track over the top of the higher lane of its two
    // ends or under the bottom of the lower one, whichever crosses fewer
    // flows; nested by column span on each side of each lane.
    let loops: Vec<LoopSpan> = layered
        .chains
        .iter()
        .enumerate()
        .filter(|(e, _)| layered.back[*e])
        .map(|(e, chain)| {
            let (u, v) = (chain[0], chain[chain.len() - 1]);
            let (nu, nv) = (&layered.nodes[u], &layered.nodes[v]);
            LoopSpan {
                edge: e,
                from: u,
                to: v,
                upper: nu.lane.min(nv.lane).min(lane_count - 1),
                lower: nu.lane.max(nv.lane).min(lane_count - 1),
            }
        })
        .collect();
    let gaps = layered.layer_count + 1;
    let below: Vec<bool> = {
        let none = vec![0; lane_count];
        let draft = bands(&none, &none);
        choose_loop_sides(layered, &loops, &axes(&draft.rows_top), &draft, gaps)
    };
    let spans: Vec<(usize, usize, usize)> = loops
        .iter()
        .zip(&below)
        .map(|(l, &down)| {
            let (a, b) = (layered.nodes[l.from].layer, layered.nodes[l.to].layer);
            (if down { lane_count + l.lower } else { l.upper }, a.min(b), a.max(b))
        })
        .collect();
    let (levels, levels_per_side) = loop_levels(&spans, 2 * lane_count);
    let Bands { lane_top, lane_height, rows_top, rows_bottom, bottom: pool_bottom } =
        bands(&levels_per_side[..lane_count], &levels_per_side[lane_count..]);
    let node_y: Vec<f64> = axes(&rows_top);
    let track_y = |k: usize| {
        if below[k] {
            rows_bottom[loops[k].lower] + 12.0 + TRACK_SPACING * levels[k] as f64
        } else {
            rows_top[loops[k].upper] - 12.0 - TRACK_SPACING * levels[k] as f64
        }
    };

    // A name under a node whose flows need both vertices — forward flows
    // up and down, or a loop leaving or entering down to its track — moves
    // right of the bottom vertex (its height stays, so the rows do too).
    let mut loop_down = vec![false; n_real];
    for (l, _) in loops.iter().zip(&below).filter(|(_, down)| **down) {
        for w in [l.from, l.to] {
            let bottom_row = layered.nodes[w].lane == l.lower && row[w] + 1 == rows_per_lane[l.lower];
            if w < n_real && bottom_row && l.from != l.to {
                loop_down[w] = true;
            }
        }
    }
    let name_place: Vec<NamePlace> = (0..n_real)
        .map(|i| match (named(i), above[i], needs_bottom[i] || loop_down[i]) {
            (false, _, _) => NamePlace::Below,
            (true, true, _) => NamePlace::Above,
            (true, false, true) => NamePlace::BelowRight,
            (true, false, false) => NamePlace::Below,
        })
        .collect();
    // Whether the top (bottom) vertex of a node is free of its own name.
    let top_clear = |i: usize| !label_above(i);
    let bottom_clear = |i: usize| sized[i].lines.is_empty() || name_place[i] != NamePlace::Below;

    // Occupied vertical range of each real node (shape and label).
    let occupied = |v: usize| -> (f64, f64) {
        let (a, b) = extent(v);
        (node_y[v] - a, node_y[v] + b)
    };
    let column_free = |layer: usize, except: usize, y1: f64, y2: f64| -> bool {
        let (lo, hi) = if y1 < y2 { (y1, y2) } else { (y2, y1) };
        // The end away from the node, where the run turns horizontal.
        let outer = if (y1 - node_y[except]).abs() > (y2 - node_y[except]).abs() { y1 } else { y2 };
        layered.order[layer].iter().flatten().all(|&w| {
            if w == except {
                return true;
            }
            // A long flow crosses the column on its dummy's axis: a vertical
            // run may cut it (the route through the channel would cross it
            // too) but must not turn onto it.
            if layered.nodes[w].real.is_none() {
                return (node_y[w] - outer).abs() > 0.5;
            }
            let (a, b) = occupied(w);
            b < lo - 2.0 || a > hi + 2.0
        })
    };

    // Plan every route: ports first, channel segments collected per gap.
    // (edge, side, y of the other end) for spreading ports on task sides.
    let mut side_uses: Vec<Vec<(usize, Side, f64, bool)>> = vec![Vec::new(); n_real];
    // A vertex carries flows one way only: never one in and one out.
    let mut top_used = vec![false; n_real];
    let mut top_in = vec![false; n_real];
    let mut bottom_in = vec![false; n_real];
    let mut bottom_out = vec![false; n_real];
    let is_round = |i: usize| !matches!(graph.nodes[i].shape, Shape::Task(_) | Shape::Subprocess | Shape::Process);
    let is_gateway = |i: usize| matches!(graph.nodes[i].shape, Shape::Gateway(_));
    let half_height = |i: usize| sized[i].height / 2.0;

    // The y where each flow turns towards its other end, beside each node (a
    // loop's is its track): a gateway vertex only takes the outermost flow of
    // its side, as a flow further out would run its vertical through that
    // flow's horizontal.
    let mut out_ys: Vec<Vec<f64>> = vec![Vec::new(); n_real];
    let mut in_ys: Vec<Vec<f64>> = vec![Vec::new(); n_real];
    for (e, chain) in layered.chains.iter().enumerate() {
        if !layered.back[e] {
            out_ys[chain[0]].push(node_y[chain[1]]);
            in_ys[chain[chain.len() - 1]].push(node_y[chain[chain.len() - 2]]);
        }
    }
    // Whether a loop leaves (enters) the node: it shares the centre port of
    // the task's right (left) side.
    let mut loop_out = vec![false; n_real];
    let mut loop_in = vec![false; n_real];
    for (k, l) in loops.iter().enumerate() {
        out_ys[l.from].push(track_y(k));
        in_ys[l.to].push(track_y(k));
        loop_out[l.from] = true;
        loop_in[l.to] = true;
    }
    // Whether `y` is the only outermost one of `ys` on the given side.
    let outermost = |ys: &[f64], y: f64, upwards: bool| {
        let beyond = |o: f64| if upwards { o < y + 0.5 } else { o > y - 0.5 };
        ys.iter().filter(|&&o| beyond(o)).count() == 1
    };

    // Forward edges.
    let mut exits: Vec<(Side, f64)> = vec![(Side::Right, 0.0); graph.edges.len()];
    let mut entries: Vec<(Side, f64)> = vec![(Side::Left, 0.0); graph.edges.len()];
    // Where a branch leaving a top or bottom vertex turns horizontal.
    let mut exit_turn: Vec<f64> = vec![0.0; graph.edges.len()];
    // Branches choose their vertex first: a split's branch going down needs
    // the bottom vertex more than a flow joining from below, which can enter
    // on the left.
    for (e, chain) in layered.chains.iter().enumerate() {
        if layered.back[e] {
            continue;
        }
        let u = chain[0];
        let next_y = node_y[chain[1]];
        let lu = layered.nodes[u].layer;
        let cu = node_y[u];
        // Gateway branches may leave through the top or bottom vertex: up or
        // down to the height of their next node, or, where something in the
        // gateway's column is in the way, a short stub that turns into the
        // channel after it (so the branch still has a vertex of its own).
        let (top, bottom) = (cu - half_height(u), cu + half_height(u));
        let vertical = |to: f64, from: f64, stub: f64| {
            if column_free(lu, u, to, from) {
                Some(to)
            } else if (stub - from).abs() < (to - from).abs() - 0.5 && column_free(lu, u, stub, from) {
                Some(stub)
            } else {
                None
            }
        };
        let up =
            (is_gateway(u) && next_y < cu - 0.5 && top_clear(u) && !top_in[u] && outermost(&out_ys[u], next_y, true))
                .then(|| vertical(next_y, top, top - VERTEX_STUB))
                .flatten();
        let down = (is_gateway(u)
            && next_y > cu + 0.5
            && bottom_clear(u)
            && !bottom_in[u]
            && outermost(&out_ys[u], next_y, false))
        .then(|| vertical(next_y, bottom, bottom + VERTEX_STUB))
        .flatten();
        let (exit, turn) = match (up, down) {
            (Some(y), _) => (Side::Top, y),
            (None, Some(y)) => (Side::Bottom, y),
            (None, None) => (Side::Right, next_y),
        };
        exit_turn[e] = turn;
        match exit {
            Side::Top => top_used[u] = true,
            Side::Bottom => bottom_out[u] = true,
            _ => {}
        }
        exits[e] = (exit, next_y);
        if exit == Side::Right {
            side_uses[u].push((e, Side::Right, next_y, true));
        }
    }
    for (e, chain) in layered.chains.iter().enumerate() {
        if layered.back[e] {
            continue;
        }
        let v = chain[chain.len() - 1];
        let prev_y = node_y[chain[chain.len() - 2]];
        let lv = layered.nodes[v].layer;
        let cv = node_y[v];
        let exit = exits[e].0;
        // Joins and events may take flows from above or below through those
        // vertices, so flows from elsewhere do not T-join the straight one.
        let entry = if is_round(v)
            && (chain.len() == 2 || is_gateway(v))
            && exit == Side::Right
            && prev_y < cv - 0.5
            && top_clear(v)
            && (top_in[v] || !top_used[v])
            && outermost(&in_ys[v], prev_y, true)
            && column_free(lv, v, prev_y, cv - half_height(v))
        {
            Side::Top
        } else if is_round(v)
            && (chain.len() == 2 || is_gateway(v))
            && exit == Side::Right
            && prev_y > cv + 0.5
            && bottom_clear(v)
            && !bottom_out[v]
            && outermost(&in_ys[v], prev_y, false)
            && column_free(lv, v, cv + half_height(v), prev_y)
        {
            Side::Bottom
        } else {
            Side::Left
        };
        match entry {
            Side::Top => {
                top_used[v] = true;
                top_in[v] = true;
            }
            Side::Bottom => bottom_in[v] = true,
            _ => {}
        }
        entries[e] = (entry, prev_y);
        if entry == Side::Left {
            side_uses[v].push((e, Side::Left, prev_y, false));
        }
    }
    // Port offsets on task sides: the straight flow keeps the centre, others
    // spread above and below in the order of the nodes they come from.
    let mut exit_dy = vec![0.0; graph.edges.len()];
    let mut entry_dy = vec![0.0; graph.edges.len()];
    for i in 0..n_real {
        if is_round(i) {
            continue;
        }
        for side in [Side::Left, Side::Right] {
            let mut uses: Vec<(usize, f64, bool)> =
                side_uses[i].iter().filter(|u| u.1 == side).map(|u| (u.0, u.2, u.3)).collect();
            if uses.len() < 2 {
                continue;
            }
            uses.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
            let centre = node_y[i];
            let straight = uses
                .iter()
                .position(|u| (u.1 - centre).abs() < 0.5)
                .map_or((uses.len() as f64 - 1.0) / 2.0, |p| p as f64);
            // As far apart as the side allows: the port furthest from the
            // straight one stays 8 px inside the corner.
            let furthest = straight.max(uses.len() as f64 - 1.0 - straight).max(1.0);
            let spacing = PORT_SPACING.min((sized[i].height / 2.0 - 8.0) / furthest);
            for (k, (e, _, outgoing)) in uses.iter().enumerate() {
                let dy = (k as f64 - straight) * spacing;
                if *outgoing {
                    exit_dy[*e] = dy;
                } else {
                    entry_dy[*e] = dy;
                }
            }
        }
    }
    let key = |node: usize, side: Side, dy: f64| (node, side as u8, (dy * 100.0).round() as i64);
    // Routes of the forward flows for given port offsets: points at known
    // heights, and the vertical runs each makes in the channels.
    let plan_forward = |exit_dy: &[f64], entry_dy: &[f64]| {
        let mut segments: Vec<Vec<Segment>> = vec![Vec::new(); gaps];
        let mut legs: Vec<Vec<Leg>> = vec![Vec::new(); graph.edges.len()];
        for (e, chain) in layered.chains.iter().enumerate() {
            if layered.back[e] {
                continue;
            }
            let (u, v) = (chain[0], chain[chain.len() - 1]);
            let (exit, _) = exits[e];
            let (entry, _) = entries[e];
            let mut route = Vec::new();
            let mut y_now = match exit {
                Side::Top | Side::Bottom => {
                    let ey = node_y[u] + if exit == Side::Top { -half_height(u) } else { half_height(u) };
                    route.push(Leg::At { x: XRef::NodeCenter(u), y: ey });
                    route.push(Leg::At { x: XRef::NodeCenter(u), y: exit_turn[e] });
                    exit_turn[e]
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
                    let from_key = if k == 1 { key(u, exit, exit_dy[e]) } else { (usize::MAX - e, 9, part as i64) };
                    let to_key = if k == last { key(v, entry, entry_dy[e]) } else { (usize::MAX - e, 8, part as i64) };
                    segments[gap].push(Segment {
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
                    let ey = node_y[v] + if entry == Side::Top { -half_height(v) } else { half_height(v) };
                    route.push(Leg::At { x: XRef::NodeCenter(v), y: ey });
                }
                Side::Right => {}
            }
            legs[e] = route;
        }
        (segments, legs)
    };
    let (mut segments, mut legs) = plan_forward(&exit_dy, &entry_dy);
    // Two flows crossing one channel in opposite directions between the same
    // two heights lie on top of each other at one end whichever goes left:
    // move a single port of one of them off that height, so they cross.
    // A port shared with a loop's end stays put.
    let single_port = |node: usize, side: Side| {
        node < n_real
            && !is_round(node)
            && !(if side == Side::Left { loop_in[node] } else { loop_out[node] })
            && side_uses[node].iter().filter(|u| u.1 == side).count() == 1
    };
    let unrelated = |a: &Segment, b: &Segment| {
        a.run == Run::Through
            && b.run == Run::Through
            && a.edge != b.edge
            && a.from_key != b.from_key
            && a.to_key != b.to_key
    };
    let same = |p: f64, q: f64| (p - q).abs() < 0.5;
    // Two flows swapping heights, or three passing their heights round
    // (a's end is b's start, b's end c's start, c's end a's start): no order
    // of their tracks keeps every pair apart.
    let mut cycles: Vec<Vec<&Segment>> = Vec::new();
    for channel in &segments {
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
                let round =
                    |x: &Segment, y: &Segment, z: &Segment| same(x.y2, y.y1) && same(y.y2, z.y1) && same(z.y2, x.y1);
                for c in &channel[j + 1..] {
                    if unrelated(a, c) && unrelated(b, c) && (round(a, b, c) || round(a, c, b)) {
                        cycles.push(vec![a, b, c]);
                    }
                }
            }
        }
    }
    let toward = |from: f64, to: f64, node: usize| PORT_SPACING.min(half_height(node) - 8.0).copysign(to - from);
    let mut nudged = false;
    for cycle in cycles {
        // A pair is nudged apart even if one of them moved already; of three,
        // one moved flow is enough.
        if cycle.len() > 2 && cycle.iter().any(|s| exit_dy[s.edge] != 0.0 || entry_dy[s.edge] != 0.0) {
            continue;
        }
        for s in cycle {
            let (u, v) = (s.from_key.0, s.to_key.0);
            if s.to_key.1 == Side::Left as u8 && single_port(v, Side::Left) && entry_dy[s.edge] == 0.0 {
                entry_dy[s.edge] = toward(s.y2, s.y1, v);
            } else if s.from_key.1 == Side::Right as u8 && single_port(u, Side::Right) && exit_dy[s.edge] == 0.0 {
                exit_dy[s.edge] = toward(s.y1, s.y2, u);
            } else {
                continue;
            }
            nudged = true;
            break;
        }
    }
    if nudged {
        (segments, legs) = plan_forward(&exit_dy, &entry_dy);
    }

    // Back edges: out, up (or down) to the loop track, across, back to the
    // target. A loop leaves or enters through the vertex that faces its track
    // when that vertex is free and nothing lies between it and the track.
    let name_below = |i: usize| sized[i].outside && !sized[i].lines.is_empty() && name_place[i] == NamePlace::Below;
    // A loop leaving or entering a task side that forward flows use gets a
    // port of its own beyond theirs, towards its track, so it does not
    // T-join them (a join would read as a split). 0 where the side is free.
    let mut loop_ports_used: std::collections::HashMap<(usize, u8), usize> = Default::default();
    let mut loop_port = |node: usize, side: Side, track: f64| -> f64 {
        if is_round(node) {
            return 0.0;
        }
        let dys: Vec<f64> = side_uses[node]
            .iter()
            .filter(|use_| use_.1 == side)
            .map(|use_| if use_.3 { exit_dy[use_.0] } else { entry_dy[use_.0] })
            .collect();
        if dys.is_empty() {
            return 0.0;
        }
        let nth = loop_ports_used.entry((node, side as u8)).or_default();
        *nth += 1;
        let step = PORT_SPACING * *nth as f64;
        let dy = if track < node_y[node] {
            dys.iter().copied().fold(f64::INFINITY, f64::min) - step
        } else {
            dys.iter().copied().fold(f64::NEG_INFINITY, f64::max) + step
        };
        let limit = sized[node].height / 2.0 - 4.0;
        if dy.abs() > limit { 0.0 } else { dy }
    };
    for (k, l) in loops.iter().enumerate() {
        let (e, u, v) = (l.edge, l.from, l.to);
        let ty = track_y(k);
        let (lu, lv) = (layered.nodes[u].layer, layered.nodes[v].layer);
        let down = below[k];
        let faces_track = |w: usize| {
            if down {
                layered.nodes[w].lane == l.lower
                    && row[w] + 1 == rows_per_lane[l.lower]
                    && !bottom_in[w]
                    && !bottom_out[w]
                    && !name_below(w)
            } else {
                layered.nodes[w].lane == l.upper && row[w] == 0 && !top_used[w] && top_clear(w)
            }
        };
        let vertex_y = |w: usize| node_y[w] + if down { half_height(w) } else { -half_height(w) };
        // Both ends are distinct nodes, so both can be decided before either
        // vertex is marked used.
        let vertex_exit = u != v && faces_track(u);
        let vertex_entry = u != v && faces_track(v);
        let mut route = Vec::new();
        if vertex_exit {
            route.push(Leg::At { x: XRef::NodeCenter(u), y: vertex_y(u) });
            route.push(Leg::At { x: XRef::NodeCenter(u), y: ty });
        } else {
            let ey = node_y[u] + loop_port(u, Side::Right, ty);
            route.push(Leg::At { x: XRef::NodeRight(u), y: ey });
            let gap = lu + 1;
            segments[gap].push(Segment {
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
            if down {
                bottom_out[u] = true;
                bottom_in[u] = true;
            } else {
                top_used[u] = true;
            }
        }
        if vertex_entry {
            route.push(Leg::At { x: XRef::NodeCenter(v), y: ty });
            route.push(Leg::At { x: XRef::NodeCenter(v), y: vertex_y(v) });
            if down {
                bottom_out[v] = true;
                bottom_in[v] = true;
            } else {
                top_used[v] = true;
            }
        } else {
            let gap = lv;
            let part = if vertex_exit { 0 } else { 1 };
            let dy = loop_port(v, Side::Left, ty);
            segments[gap].push(Segment {
                y1: ty,
                y2: node_y[v] + dy,
                from_key: (usize::MAX - e, 5, part as i64),
                to_key: key(v, Side::Left, dy),
                edge: e,
                part,
                run: Run::OutOfLoop,
            });
            route.push(Leg::Channel { gap, part });
            route.push(Leg::At { x: XRef::NodeLeft(v), y: node_y[v] + dy });
        }
        legs[e] = route;
    }

    // Tracks in each channel, ordered to avoid crossings.
    let mut track_of: std::collections::BTreeMap<(usize, usize), (usize, usize)> = Default::default();
    let mut track_count = vec![0usize; gaps];
    for (gap, segs) in segments.iter().enumerate() {
        let tracks = order_tracks(segs);
        track_count[gap] = tracks.iter().copied().max().map_or(0, |t| t + 1);
        for (s, t) in segs.iter().zip(tracks) {
            track_of.insert((s.edge, s.part), (gap, t));
        }
    }

    // Columns to x.
    // Each column's room left and right of its centre line (a name placed
    // right of a bottom vertex widens only the right).
    let column_sides: Vec<(f64, f64)> = (0..layered.layer_count)
        .map(|l| {
            layered.order[l].iter().flatten().filter_map(|&v| layered.nodes[v].real).fold(
                (12.0f64, 12.0f64),
                |(left, right), i| {
                    let s = &sized[i];
                    let (l_i, r_i) = match (s.outside && !s.lines.is_empty(), name_place[i]) {
                        (true, NamePlace::BelowRight) => {
                            (s.width / 2.0, (s.width / 2.0).max(sizes::BESIDE_VERTEX + s.text_width.ceil() + 2.0 + 4.0))
                        }
                        (true, _) => {
                            let half = s.width.max(s.text_width + 8.0) / 2.0;
                            (half, half)
                        }
                        _ => (s.width / 2.0, s.width / 2.0),
                    };
                    (left.max(l_i), right.max(r_i))
                },
            )
        })
        .collect();
    let column_width: Vec<f64> = column_sides.iter().map(|(l, r)| l + r).collect();
    let mut label_room = vec![0.0f64; gaps];
    for (e, edge) in graph.edges.iter().enumerate() {
        if let (Some(label), false) = (&edge.label, layered.back[e]) {
            let (_, width, _) = sizes::flow_label(measurer, label);
            let gap = layered.nodes[edge.from].layer + 1;
            label_room[gap] = label_room[gap].max(width + 20.0);
        }
    }
    let gap_width: Vec<f64> = (0..gaps)
        .map(|g| {
            let base = if g == 0 || g == gaps - 1 { GAP_OUTER } else { GAP_INNER };
            let tracks = (track_count[g] as f64 + 1.0) * TRACK_SPACING;
            base.max(tracks).max(label_room[g]) + extra_gap.get(g).copied().unwrap_or(0.0)
        })
        .collect();
    let content_left = MARGIN + if has_lanes { POOL_HEADER + LANE_HEADER } else { 0.0 };
    let mut gap_x = vec![0.0; gaps];
    let mut column_x = vec![0.0; layered.layer_count];
    let mut x = content_left;
    for g in 0..gaps {
        gap_x[g] = x;
        x += gap_width[g];
        if g < layered.layer_count {
            column_x[g] = x;
            x += column_width[g];
        }
    }
    let content_right = x;
    let column_center = |l: usize| column_x[l] + column_sides[l].0;
    let node_rect = |i: usize| -> Rect {
        let cx = column_center(layered.nodes[i].layer);
        Rect {
            x: cx - sized[i].width / 2.0,
            y: node_y[i] - sized[i].height / 2.0,
            width: sized[i].width,
            height: sized[i].height,
        }
    };
    let track_x = |gap: usize, track: usize| -> f64 {
        gap_x[gap] + (track as f64 + 1.0) * gap_width[gap] / (track_count[gap] as f64 + 1.0)
    };

    // Polylines.
    let mut edges = Vec::with_capacity(graph.edges.len());
    for (e, route) in legs.iter().enumerate() {
        let mut points: Vec<Point> = Vec::new();
        let mut pending_channel: Option<f64> = None;
        for leg in route {
            match leg {
                Leg::At { x, y } => {
                    let px = match *x {
                        XRef::NodeLeft(i) => node_rect(i).x,
                        XRef::NodeRight(i) => node_rect(i).right(),
                        XRef::NodeCenter(i) => column_center(layered.nodes[i].layer),
                        XRef::Column(l) => column_center(l),
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
                    let (g, t) = track_of.get(&(e, *part)).copied().unwrap_or((*gap, 0));
                    let cx = track_x(g, t);
                    if let Some(last) = points.last().copied() {
                        points.push(Point { x: cx, y: last.y });
                    }
                    pending_channel = Some(cx);
                }
            }
        }
        // Round-shaped nodes: ports on the left and right sit on the outline
        // at the centre height, which `NodeLeft`/`NodeRight` already give.
        let points = simplify(points);
        edges.push(Edge {
            from: graph.edges[e].from,
            to: graph.edges[e].to,
            points,
            label: None,
            default: graph.edges[e].default,
            back: layered.back[e],
        });
    }

    // Nodes and their names.
    let nodes: Vec<Node> = (0..n_real)
        .map(|i| {
            let rect = node_rect(i);
            Node {
                id: graph.nodes[i].id.clone(),
                shape: graph.nodes[i].shape,
                rect,
                lane: graph.nodes[i].lane,
                label: sized[i].label(rect, name_place[i]),
                link: graph.nodes[i].link.clone(),
            }
        })
        .collect();

    // Pool and lanes.
    let width = content_right + MARGIN;
    let height = pool_bottom + MARGIN;
    let (pool, lanes) = if has_lanes {
        let pool_rect = Rect { x: MARGIN, y: top, width: content_right - MARGIN, height: pool_bottom - top };
        let pool_header = Rect { x: MARGIN, y: top, width: POOL_HEADER, height: pool_bottom - top };
        let pool_label = sizes::header(measurer, &graph.title, pool_header, Weight::SemiBold);
        let lanes = (0..lane_count)
            .map(|k| {
                let rect = Rect {
                    x: MARGIN + POOL_HEADER,
                    y: lane_top[k],
                    width: content_right - MARGIN - POOL_HEADER,
                    height: lane_height[k],
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
    } else {
        (None, Vec::new())
    };
    let mut diagram = Diagram {
        id: graph.id.clone(),
        title: graph.title.clone(),
        description: graph.description.clone(),
        width: width.ceil(),
        height: height.ceil(),
        pool,
        lanes,
        nodes,
        edges,
    };
    let unplaced = place_flow_labels(&mut diagram, graph, measurer);
    let widen: Vec<usize> = unplaced.iter().map(|&e| layered.nodes[graph.edges[e].from].layer + 1).collect();
    (diagram, widen)
}

/// Vertical bands of the lanes: where each lane and its rows begin and end.
struct Bands {
    lane_top: Vec<f64>,
    lane_height: Vec<f64>,
    rows_top: Vec<f64>,
    rows_bottom: Vec<f64>,
    /// Bottom of the last lane.
    bottom: f64,
}

/// A loop-back: its flow, its two ends (layered nodes) and the lanes of the
/// higher and the lower end.
struct LoopSpan {
    edge: usize,
    from: usize,
    to: usize,
    upper: usize,
    lower: usize,
}

/// For every loop, whether its track goes under the bottom of its lower lane
/// (`true`) rather than over the top of its upper lane. Counts, with the rows
/// already in place, the forward flows each choice would cross: vertical runs
/// in the channels under the track, and flows passing the channels where the
/// loop runs up or down to its track. Ties keep the track on top.
fn choose_loop_sides(layered: &Layered, loops: &[LoopSpan], node_y: &[f64], bands: &Bands, gaps: usize) -> Vec<bool> {
    // Per channel: the heights at which every forward flow enters and leaves it.
    let mut passes: Vec<Vec<(f64, f64)>> = vec![Vec::new(); gaps];
    for (chain, _) in layered.chains.iter().zip(&layered.back).filter(|(_, back)| !**back) {
        for w in chain.windows(2) {
            passes[layered.nodes[w[1]].layer].push((node_y[w[0]], node_y[w[1]]));
        }
    }
    // Vertical runs of forward flows in the channels under each track.
    let heights = |l: &LoopSpan| [bands.rows_top[l.upper] - 12.0, bands.rows_bottom[l.lower] + 12.0];
    let runs: Vec<TrackRun> = loops
        .iter()
        .flat_map(|l| {
            let (lu, lv) = (layered.nodes[l.from].layer, layered.nodes[l.to].layer);
            heights(l).map(|height| TrackRun { first: lu.min(lv) + 1, last: lu.max(lv), height })
        })
        .collect();
    let across = crossings(&passes, &runs);
    loops
        .iter()
        .zip(across.chunks(2))
        .map(|(l, across)| {
            let (lu, lv) = (layered.nodes[l.from].layer, layered.nodes[l.to].layer);
            // A flow that changes height in the channel of one of the
            // loop's runs can keep to the side where it does not meet the
            // run, unless both of its heights lie within that run.
            let runs = |ty: f64| -> usize {
                [(lu + 1, node_y[l.from]), (lv, node_y[l.to])]
                    .iter()
                    .map(|&(g, y)| passes[g].iter().filter(|(a, b)| inside(*a, y, ty) && inside(*b, y, ty)).count())
                    .sum()
            };
            let [over, under] = heights(l);
            across[1] + runs(under) < across[0] + runs(over)
        })
        .collect()
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

/// Assigns a track to every segment of one channel: segments of one split or
/// one merge share a track; tracks are ordered left to right to avoid
/// crossings and overlaps (the cheapest order for up to [`EXACT_TRACKS`]
/// tracks, adjacent swaps on the pairwise cost beyond).
fn order_tracks(segments: &[Segment]) -> Vec<usize> {
    let n = segments.len();
    // Union segments that share an end.
    let mut group: Vec<usize> = (0..n).collect();
    fn find(group: &mut [usize], i: usize) -> usize {
        let mut r = i;
        while group[r] != r {
            r = group[r];
        }
        let mut j = i;
        while group[j] != r {
            let next = group[j];
            group[j] = r;
            j = next;
        }
        r
    }
    for i in 0..n {
        for j in i + 1..n {
            if segments[i].from_key == segments[j].from_key || segments[i].to_key == segments[j].to_key {
                let (a, b) = (find(&mut group, i), find(&mut group, j));
                group[b.max(a)] = a.min(b);
            }
        }
    }
    let mut roots: Vec<usize> = (0..n).map(|i| find(&mut group, i)).collect::<Vec<_>>();
    let mut tracks: Vec<usize> = roots.clone();
    tracks.sort();
    tracks.dedup();
    // Each track: its members' horizontal runs on its left and on its right.
    let members = |t: usize, roots: &[usize]| -> Vec<usize> { (0..n).filter(|i| roots[*i] == t).collect() };
    let spans: Vec<(f64, f64, Vec<f64>, Vec<f64>)> = tracks
        .iter()
        .map(|&t| {
            let m = members(t, &roots);
            let lo = m.iter().map(|&i| segments[i].y1.min(segments[i].y2)).fold(f64::INFINITY, f64::min);
            let hi = m.iter().map(|&i| segments[i].y1.max(segments[i].y2)).fold(f64::NEG_INFINITY, f64::max);
            let (mut left, mut right) = (Vec::new(), Vec::new());
            for s in m.iter().map(|&i| &segments[i]) {
                match s.run {
                    Run::Through => (left.push(s.y1), right.push(s.y2)),
                    Run::IntoLoop => (left.push(s.y1), left.push(s.y2)),
                    Run::OutOfLoop => (right.push(s.y1), right.push(s.y2)),
                };
            }
            (lo, hi, left, right)
        })
        .collect();
    // cost(a left of b): a's horizontal runs on its right cross b's vertical;
    // b's runs on its left cross a's vertical.
    let inside = |y: f64, lo: f64, hi: f64| y > lo + 0.5 && y < hi - 0.5;
    // A left of B also lays a run on A's right on top of one on B's left
    // when they share a height: a reader cannot tell the two flows apart
    // there, so that costs as much as several crossings.
    let cost = |a: usize, b: usize| -> usize {
        let (alo, ahi, _, aout) = &spans[a];
        let (blo, bhi, bin, _) = &spans[b];
        let crossings = aout.iter().filter(|y| inside(**y, *blo, *bhi)).count()
            + bin.iter().filter(|y| inside(**y, *alo, *ahi)).count();
        let overlaps = aout.iter().filter(|y| bin.iter().any(|x| (*x - **y).abs() < 0.5)).count();
        crossings + 4 * overlaps
    };
    let mut order: Vec<usize> = (0..tracks.len()).collect();
    // Start from a sensible order: by the top of each span.
    order.sort_by(|a, b| spans[*a].0.total_cmp(&spans[*b].0).then(a.cmp(b)));
    if tracks.len() <= EXACT_TRACKS {
        order = cheapest_order(&order, &cost);
    } else {
        for _ in 0..tracks.len() {
            let mut swapped = false;
            for i in 1..order.len() {
                let (a, b) = (order[i - 1], order[i]);
                if cost(b, a) < cost(a, b) {
                    order.swap(i - 1, i);
                    swapped = true;
                }
            }
            if !swapped {
                break;
            }
        }
        if tracks.len() <= MOVED_TRACKS {
            move_tracks(&mut order, &cost);
        }
    }
    let position: std::collections::BTreeMap<usize, usize> =
        order.iter().enumerate().map(|(pos, &t)| (tracks[t], pos)).collect();
    for r in roots.iter_mut() {
        *r = position[r];
    }
    roots
}

/// Up to this many tracks in one channel, their order is the cheapest of all
/// orders (2^n subsets); beyond, adjacent swaps, then single moves.
const EXACT_TRACKS: usize = 10;

/// Up to this many tracks, adjacent swaps are followed by moves of one track
/// to any place (cubic in the tracks); beyond, adjacent swaps only.
const MOVED_TRACKS: usize = 64;

/// Moves single tracks to the place that lowers the total cost most, while
/// one does: adjacent swaps cannot separate two tracks whose runs overlap
/// when the tracks between them would cost more on the way.
fn move_tracks(order: &mut Vec<usize>, cost: &dyn Fn(usize, usize) -> usize) {
    for _ in 0..order.len() {
        let mut best: Option<(isize, usize, usize)> = None;
        for from in 0..order.len() {
            let t = order[from];
            // Moving right past order[k]: the pair flips from (t, k) to (k, t).
            let mut delta = 0isize;
            for (to, &k) in order.iter().enumerate().skip(from + 1) {
                delta += cost(k, t) as isize - cost(t, k) as isize;
                if delta < best.map_or(0, |b| b.0) {
                    best = Some((delta, from, to));
                }
            }
            let mut delta = 0isize;
            for to in (0..from).rev() {
                let k = order[to];
                delta += cost(t, k) as isize - cost(k, t) as isize;
                if delta < best.map_or(0, |b| b.0) {
                    best = Some((delta, from, to));
                }
            }
        }
        let Some((_, from, to)) = best else { break };
        let t = order.remove(from);
        order.insert(to, t);
    }
}

/// The order of `sensible` with the least total pairwise cost (`cost(a, b)`:
/// a placed left of b), by dynamic programming over the set of tracks placed
/// so far. Among equally cheap orders, the one closest to `sensible` (fewest
/// pairs swapped) wins, so tracks move only to save a crossing or overlap.
fn cheapest_order(sensible: &[usize], cost: &dyn Fn(usize, usize) -> usize) -> Vec<usize> {
    let n = sensible.len();
    // Pairwise weight with the tie-break folded in: a swapped pair costs a
    // little, less than any crossing.
    let weight: Vec<Vec<usize>> =
        (0..n).map(|i| (0..n).map(|j| cost(sensible[i], sensible[j]) * n * n + usize::from(i > j)).collect()).collect();
    let full = (1usize << n) - 1;
    let mut best = vec![(usize::MAX, 0usize); 1 << n];
    best[0] = (0, 0);
    for set in 0..full {
        let (so_far, _) = best[set];
        for t in (0..n).filter(|t| set & (1 << t) == 0) {
            let added: usize = (0..n).filter(|s| set & (1 << s) != 0).map(|s| weight[s][t]).sum();
            let next = set | (1 << t);
            if so_far + added < best[next].0 {
                best[next] = (so_far + added, t);
            }
        }
    }
    let mut order = Vec::with_capacity(n);
    let mut set = full;
    while set != 0 {
        let t = best[set].1;
        order.push(sensible[t]);
        set &= !(1 << t);
    }
    order.reverse();
    order
}

/// Keeps the lane order as authored, or when asked, the order of lanes that
/// minimises the total lane distance travelled by flows (exhaustive up to
/// eight lanes, otherwise authored).
pub fn optimise_lane_order(graph: &LayoutGraph) -> Vec<usize> {
    let lanes = graph.lanes.len();
    let identity: Vec<usize> = (0..lanes).collect();
    if !(2..=8).contains(&lanes) {
        return identity;
    }
    let cost = |perm: &[usize]| -> usize {
        graph.edges.iter().map(|e| perm[graph.nodes[e.from].lane].abs_diff(perm[graph.nodes[e.to].lane])).sum()
    };
    let mut best = identity.clone();
    let mut best_cost = cost(&best);
    let mut perm = identity;
    // Heap's algorithm over all permutations.
    let mut c = vec![0usize; lanes];
    let mut i = 0;
    while i < lanes {
        if c[i] < i {
            if i % 2 == 0 {
                perm.swap(0, i);
            } else {
                perm.swap(c[i], i);
            }
            let k = cost(&perm);
            if k < best_cost {
                best_cost = k;
                best = perm.clone();
            }
            c[i] += 1;
            i = 0;
        } else {
            c[i] = 0;
            i += 1;
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn track_order_is_the_cheapest_even_where_adjacent_swaps_get_stuck() {
        // cost[a][b]: a placed left of b. From 0 1 2 (total 5) every single
        // adjacent swap costs more (6), yet 2 0 1 costs 1.
        let cost = [[0, 0, 5], [1, 0, 0], [0, 1, 0]];
        let order = cheapest_order(&[0, 1, 2], &|a, b| cost[a][b]);
        assert_eq!(order, vec![2, 0, 1]);
    }

    #[test]
    fn a_loop_turning_back_along_its_track_keeps_left_of_a_flow_passing_that_track() {
        // A loop leaves a node at y 100 and climbs to its track at y 0, then
        // runs back to the left; a forward flow from y -50 (a lane above) to
        // y 50 passes the track's height in the same channel.
        let segment = |y1, y2, edge, run| Segment {
            y1,
            y2,
            from_key: (usize::MAX - edge, 1, 0),
            to_key: (usize::MAX - edge, 2, 0),
            edge,
            part: 0,
            run,
        };
        let tracks = order_tracks(&[segment(-50.0, 50.0, 0, Run::Through), segment(100.0, 0.0, 1, Run::IntoLoop)]);
        // Left of the flow, the loop crosses nothing: its track turns away
        // from the flow, and the flow's runs lie outside the loop's height.
        assert_eq!(tracks, vec![1, 0]);
    }

    #[test]
    fn a_track_moves_past_several_others_where_adjacent_swaps_get_stuck() {
        // Track 0 left of track 2 costs 8 (an overlap); every adjacent swap
        // on the way costs 1 more, so swaps leave 0 1 2 as it is.
        let cost = |a: usize, b: usize| match (a, b) {
            (0, 2) => 8,
            (1, 0) | (2, 1) => 1,
            _ => 0,
        };
        let mut order = vec![0, 1, 2];
        move_tracks(&mut order, &cost);
        let total = |o: &[usize]| -> usize {
            (0..3).flat_map(|i| (i + 1..3).map(move |j| (i, j))).map(|(i, j)| cost(o[i], o[j])).sum()
        };
        assert!(total(&order) < total(&[0, 1, 2]), "{order:?}");
        assert_eq!(order, vec![1, 2, 0]);
    }

    #[test]
    fn equally_cheap_track_orders_keep_the_sensible_one() {
        let order = cheapest_order(&[3, 1, 2, 0], &|_, _| 0);
        assert_eq!(order, vec![3, 1, 2, 0]);
    }
}
