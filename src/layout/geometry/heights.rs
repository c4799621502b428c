//! Heights: everything vertical, decided before any port or x exists. Node
//! sizes, the row of every node in its lane, which names go above their
//! shape, how tall each row is, the lanes' bands, each loop's track (over its
//! upper lane or under its lower one, and its nesting level there), and from
//! these the y of every node axis and every loop track; last, once the loops'
//! sides are known, where every name sits ([`NamePlace`]): above, below, or
//! below and right of the bottom vertex when flows need both vertices.
//!
//! Invariants: a row is as tall as the tallest node (with its name) in it, in
//! any column; a lane is never shorter than its header's text; loop tracks of
//! one side of one lane never share a level where their column spans
//! overlap; moving a name right of the bottom vertex never changes its
//! height, so it never changes a row. Nothing here reads x coordinates.

use super::super::crossing_counts::{TrackRun, crossings, inside};
use super::super::diagram::{Shape, Weight};
use super::super::input::LayoutGraph;
use super::super::rank::Layered;
use super::super::rows::{assign_rows, loop_levels};
use super::super::sizes::{self, NamePlace, Sized};
use super::{MARGIN, TRACK_SPACING};
use crate::text::Measurer;

const ROW_GAP: f64 = 26.0;
const LANE_PAD: f64 = 22.0;

/// Rows of every lane and what each node takes up in its row, before any y is
/// known: enough to stack the lanes for any number of loop levels.
pub(super) struct Rows<'a> {
    pub layered: &'a Layered,
    pub lane_count: usize,
    /// Shape size and wrapped name of every real node.
    pub sized: Vec<Sized>,
    /// Row of every layered node inside its lane.
    pub row: Vec<usize>,
    pub rows_per_lane: Vec<usize>,
    /// Whether a real node wears its outside name above its shape.
    pub label_above: Vec<bool>,
    /// Whether a real node's forward flows need its bottom vertex.
    needs_bottom: Vec<bool>,
    /// Per lane, per row: the reach of its nodes above and below the axis.
    row_above: Vec<Vec<f64>>,
    row_below: Vec<Vec<f64>>,
    /// Per lane: the rows' total height, and the least height its header needs.
    rows_height: Vec<f64>,
    header_min: Vec<f64>,
}

impl<'a> Rows<'a> {
    /// Sizes every node, gives it a row and measures the rows and headers.
    fn new(graph: &LayoutGraph, layered: &'a Layered, measurer: &mut Measurer) -> Self {
        let lane_count = graph.lanes.len().max(1);
        let sized: Vec<Sized> = graph.nodes.iter().map(|n| sizes::size(measurer, n.shape, &n.name)).collect();
        let (row, rows_per_lane) = assign_rows(graph, layered, lane_count);
        let (needs_top, needs_bottom) = vertex_needs(layered, &row, sized.len());
        // A named gateway or event whose flows need its bottom vertex and not
        // its top one wears its name above, freeing the bottom vertex for
        // them; every other name goes below.
        let label_above: Vec<bool> =
            (0..sized.len()).map(|i| named(&sized[i]) && needs_bottom[i] && !needs_top[i]).collect();
        let mut rows = Rows {
            layered,
            lane_count,
            sized,
            row,
            rows_per_lane,
            label_above,
            needs_bottom,
            row_above: Vec::new(),
            row_below: Vec::new(),
            rows_height: Vec::new(),
            header_min: Vec::new(),
        };
        rows.measure_rows();
        let has_lanes = graph.has_lanes();
        rows.header_min = (0..lane_count)
            .map(|lane| {
                if has_lanes { sizes::header_length(measurer, &graph.lanes[lane].name, Weight::SemiBold) } else { 0.0 }
            })
            .collect();
        rows
    }

    /// The reach of every row above and below its axis, and each lane's rows
    /// stacked with their gaps.
    fn measure_rows(&mut self) {
        let lane_count = self.lane_count;
        let mut row_above = vec![vec![8.0f64; 0]; lane_count];
        let mut row_below = vec![vec![8.0f64; 0]; lane_count];
        for lane in 0..lane_count {
            row_above[lane] = vec![8.0; self.rows_per_lane[lane]];
            row_below[lane] = vec![8.0; self.rows_per_lane[lane]];
        }
        for (v, node) in self.layered.nodes.iter().enumerate() {
            let (a, b) = self.extent(v);
            let lane = node.lane.min(lane_count - 1);
            row_above[lane][self.row[v]] = row_above[lane][self.row[v]].max(a);
            row_below[lane][self.row[v]] = row_below[lane][self.row[v]].max(b);
        }
        // Lanes top to bottom: rows, with loop tracks above and below them.
        self.rows_height = (0..lane_count)
            .map(|lane| {
                (0..self.rows_per_lane[lane]).map(|r| row_above[lane][r] + row_below[lane][r]).sum::<f64>()
                    + ROW_GAP * (self.rows_per_lane[lane] as f64 - 1.0)
            })
            .collect();
        self.row_above = row_above;
        self.row_below = row_below;
    }

    /// Vertical extent of a layered node around its row axis: its shape and
    /// its outside name (a dummy keeps a little room for its flow).
    pub fn extent(&self, v: usize) -> (f64, f64) {
        match self.layered.nodes[v].real {
            Some(i) => {
                let s = &self.sized[i];
                let label = if s.outside && !s.lines.is_empty() { sizes::LABEL_GAP + s.text_height() } else { 0.0 };
                if self.label_above[i] {
                    (s.height / 2.0 + label, s.height / 2.0)
                } else {
                    (s.height / 2.0, s.height / 2.0 + label)
                }
            }
            None => (8.0, 8.0),
        }
    }

    /// Half the height of a node's shape: from its axis to a vertex.
    pub fn half_height(&self, i: usize) -> f64 {
        self.sized[i].height / 2.0
    }

    /// The lanes stacked from the top margin with room for the given number
    /// of loop levels over and under each lane's rows, the rows centred in
    /// lanes their header makes taller.
    fn bands(&self, levels_above: &[usize], levels_below: &[usize]) -> Bands {
        let lane_count = self.lane_count;
        let mut b = Bands {
            lane_top: vec![0.0; lane_count],
            lane_height: vec![0.0; lane_count],
            rows_top: vec![0.0; lane_count],
            rows_bottom: vec![0.0; lane_count],
            bottom: 0.0,
        };
        let mut y = MARGIN;
        for lane in 0..lane_count {
            let pad_top = LANE_PAD + levels_above[lane] as f64 * TRACK_SPACING;
            let pad_bottom = LANE_PAD + levels_below[lane] as f64 * TRACK_SPACING;
            let content = pad_top + self.rows_height[lane] + pad_bottom;
            let height = content.max(self.header_min[lane]).ceil();
            b.lane_top[lane] = y;
            b.lane_height[lane] = height;
            b.rows_top[lane] = y + pad_top + ((height - content) / 2.0).floor();
            b.rows_bottom[lane] = b.rows_top[lane] + self.rows_height[lane];
            y += height;
        }
        b.bottom = y;
        b
    }

    /// The y of every layered node's axis, given where each lane's rows begin.
    fn axes(&self, rows_top: &[f64]) -> Vec<f64> {
        (0..self.layered.nodes.len())
            .map(|v| {
                let lane = self.layered.nodes[v].lane.min(self.lane_count - 1);
                let mut y = rows_top[lane];
                for r in 0..self.row[v] {
                    y += self.row_above[lane][r] + self.row_below[lane][r] + ROW_GAP;
                }
                y + self.row_above[lane][self.row[v]]
            })
            .collect()
    }
}

/// Whether a node wears its name outside its shape (a gateway or event with
/// a name).
fn named(s: &Sized) -> bool {
    s.outside && !s.lines.is_empty()
}

/// Which vertices the forward flows of each real node need, (top, bottom):
/// the bottom one for branches going down, to lower lanes or lower rows of
/// its own lane, or flows joining from below; the top one the other way.
fn vertex_needs(layered: &Layered, row: &[usize], n_real: usize) -> (Vec<bool>, Vec<bool>) {
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
    (needs_top, needs_bottom)
}

/// Vertical bands of the lanes: where each lane and its rows begin and end.
pub(super) struct Bands {
    pub lane_top: Vec<f64>,
    pub lane_height: Vec<f64>,
    pub rows_top: Vec<f64>,
    pub rows_bottom: Vec<f64>,
    /// Bottom of the last lane.
    pub bottom: f64,
}

/// A loop-back: its flow, its two ends (layered nodes) and the lanes of the
/// higher and the lower end.
pub(super) struct LoopSpan {
    pub edge: usize,
    pub from: usize,
    pub to: usize,
    pub upper: usize,
    pub lower: usize,
}

/// The vertical result of the layout: rows, lanes, loop tracks and the y of
/// every node axis.
pub(super) struct Heights<'a> {
    pub rows: Rows<'a>,
    /// Every loop-back, in edge order.
    pub loops: Vec<LoopSpan>,
    /// Per loop: whether its track runs under its lower lane.
    pub below: Vec<bool>,
    /// Per loop: its nesting level on its side of its lane (0 nearest the rows).
    levels: Vec<usize>,
    pub bands: Bands,
    /// The y of every layered node's axis.
    pub node_y: Vec<f64>,
    /// Where every real node's name goes.
    pub name_place: Vec<NamePlace>,
}

impl<'a> Heights<'a> {
    /// Rows first, then each loop's side on a draft without loop levels, then
    /// the lanes with room for the loops' levels.
    pub fn new(graph: &LayoutGraph, layered: &'a Layered, measurer: &mut Measurer) -> Self {
        let rows = Rows::new(graph, layered, measurer);
        let lane_count = rows.lane_count;
        // Loops: each runs on a track over the top of the higher lane of its
        // two ends or under the bottom of the lower one, whichever crosses
        // fewer flows; nested by column span on each side of each lane.
        let loops = loop_spans(layered, lane_count);
        let below: Vec<bool> = {
            let none = vec![0; lane_count];
            let draft = rows.bands(&none, &none);
            choose_loop_sides(graph, layered, &loops, &rows.axes(&draft.rows_top), &draft)
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
        let bands = rows.bands(&levels_per_side[..lane_count], &levels_per_side[lane_count..]);
        let node_y = rows.axes(&bands.rows_top);
        let name_place = name_places(&rows, &loops, &below);
        Heights { rows, loops, below, levels, bands, node_y, name_place }
    }

    /// Whether the top vertex of a node is free of its own name.
    pub fn top_clear(&self, i: usize) -> bool {
        !self.rows.label_above[i]
    }

    /// Whether the bottom vertex of a node is free of its own name.
    pub fn bottom_clear(&self, i: usize) -> bool {
        self.rows.sized[i].lines.is_empty() || self.name_place[i] != NamePlace::Below
    }

    /// Whether a node wears an outside name under its shape, across its
    /// bottom vertex.
    pub fn name_below(&self, i: usize) -> bool {
        named(&self.rows.sized[i]) && self.name_place[i] == NamePlace::Below
    }

    /// The y of loop `k`'s track.
    pub fn track_y(&self, k: usize) -> f64 {
        if self.below[k] {
            self.bands.rows_bottom[self.loops[k].lower] + 12.0 + TRACK_SPACING * self.levels[k] as f64
        } else {
            self.bands.rows_top[self.loops[k].upper] - 12.0 - TRACK_SPACING * self.levels[k] as f64
        }
    }

    /// Occupied vertical range of a layered node (shape and name).
    pub fn occupied(&self, v: usize) -> (f64, f64) {
        let (a, b) = self.rows.extent(v);
        (self.node_y[v] - a, self.node_y[v] + b)
    }

    /// Whether a vertical run from `y1` to `y2` at the centre of column
    /// `layer` passes no node of that column but `except`, and does not turn
    /// onto a long flow crossing the column.
    pub fn column_free(&self, layer: usize, except: usize, y1: f64, y2: f64) -> bool {
        let layered = self.rows.layered;
        let node_y = &self.node_y;
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
            let (a, b) = self.occupied(w);
            b < lo - 2.0 || a > hi + 2.0
        })
    }
}

/// Where every real node's name goes. A name under a node whose flows need
/// both vertices — forward flows up and down, or a loop leaving or entering
/// down to its track — moves right of the bottom vertex (its height stays, so
/// the rows do too); a name put above stays there.
fn name_places(rows: &Rows, loops: &[LoopSpan], below: &[bool]) -> Vec<NamePlace> {
    let n_real = rows.sized.len();
    let mut loop_down = vec![false; n_real];
    for (l, _) in loops.iter().zip(below).filter(|(_, down)| **down) {
        for w in [l.from, l.to] {
            let bottom_row = rows.layered.nodes[w].lane == l.lower && rows.row[w] + 1 == rows.rows_per_lane[l.lower];
            if w < n_real && bottom_row && l.from != l.to {
                loop_down[w] = true;
            }
        }
    }
    (0..n_real)
        .map(|i| match (named(&rows.sized[i]), rows.label_above[i], rows.needs_bottom[i] || loop_down[i]) {
            (false, _, _) => NamePlace::Below,
            (true, true, _) => NamePlace::Above,
            (true, false, true) => NamePlace::BelowRight,
            (true, false, false) => NamePlace::Below,
        })
        .collect()
}

/// Every loop-back with its ends and the lanes it spans.
fn loop_spans(layered: &Layered, lane_count: usize) -> Vec<LoopSpan> {
    layered
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
        .collect()
}

/// For every loop, whether its track goes under the bottom of its lower lane
/// (`true`) rather than over the top of its upper lane. Counts, with the rows
/// already in place, the forward flows each choice would cross: vertical runs
/// in the channels under the track, and flows passing the channels where the
/// loop runs up or down to its track. Of two equal sides, the one where a
/// gateway's vertex facing the track is not already a branch's (so the loop
/// leaves by a vertex of its own); else the track stays on top.
fn choose_loop_sides(
    graph: &LayoutGraph,
    layered: &Layered,
    loops: &[LoopSpan],
    node_y: &[f64],
    bands: &Bands,
) -> Vec<bool> {
    let gaps = layered.layer_count + 1;
    let branch_sides = gateway_branch_sides(graph, layered, node_y);
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
            let (up_taken, down_taken) = branch_sides.get(l.from).copied().unwrap_or_default();
            let cost = |crossed: usize, taken: bool| (crossed, usize::from(taken));
            cost(across[1] + runs(under), down_taken) < cost(across[0] + runs(over), up_taken)
        })
        .collect()
}

/// Per real node: whether it is a gateway with a forward branch to a node
/// above it, and one below it (the branches that will take its top and
/// bottom vertices).
fn gateway_branch_sides(graph: &LayoutGraph, layered: &Layered, node_y: &[f64]) -> Vec<(bool, bool)> {
    let mut sides = vec![(false, false); graph.nodes.len()];
    for (chain, _) in layered.chains.iter().zip(&layered.back).filter(|(_, back)| !**back) {
        let (u, next) = (chain[0], chain[1]);
        if !matches!(graph.nodes[u].shape, Shape::Gateway(_)) {
            continue;
        }
        let side = &mut sides[u];
        side.0 |= node_y[next] < node_y[u] - 0.5;
        side.1 |= node_y[next] > node_y[u] + 0.5;
    }
    sides
}
