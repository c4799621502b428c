//! Coordinates: columns and the channels between them get their widths and
//! x positions, and with them every node's rectangle and every track's x.
//!
//! Invariants: a column has room left and right of its centre line for the
//! widest node (or outside name) on each side — a name placed right of a
//! bottom vertex widens only the right; a channel is wide enough for its
//! tracks spaced evenly, for the widest label of a flow leaving into it, and
//! for any extra width asked for after a label found no place; nodes are
//! centred on their column's centre line.

use super::super::diagram::Rect;
use super::super::input::LayoutGraph;
use super::super::sizes::{self, NamePlace};
use super::heights::Heights;
use super::tracks::Tracks;
use super::{LANE_HEADER, MARGIN, POOL_HEADER, TRACK_SPACING};
use crate::text::Measurer;

const GAP_INNER: f64 = 50.0;
const GAP_OUTER: f64 = 18.0;

/// The x of every column and channel.
pub(super) struct Columns<'a> {
    heights: &'a Heights<'a>,
    column_x: Vec<f64>,
    /// Per column: its room left and right of its centre line.
    column_sides: Vec<(f64, f64)>,
    gap_x: Vec<f64>,
    gap_width: Vec<f64>,
    /// Tracks per channel, spread evenly across its width.
    tracks: &'a Tracks,
    /// Right end of the last channel.
    pub content_right: f64,
}

impl<'a> Columns<'a> {
    /// Columns to x. `extra_gap[g]` widens channel `g`.
    pub fn new(
        graph: &LayoutGraph,
        heights: &'a Heights<'a>,
        tracks: &'a Tracks,
        measurer: &mut Measurer,
        extra_gap: &[f64],
    ) -> Self {
        let layered = heights.rows.layered;
        let gaps = layered.layer_count + 1;
        let column_sides = column_sides(heights);
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
                let tracks = (tracks.count[g] as f64 + 1.0) * TRACK_SPACING;
                base.max(tracks).max(label_room[g]) + extra_gap.get(g).copied().unwrap_or(0.0)
            })
            .collect();
        let content_left = MARGIN + if graph.has_lanes() { POOL_HEADER + LANE_HEADER } else { 0.0 };
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
        Columns { heights, column_x, column_sides, gap_x, gap_width, tracks, content_right: x }
    }

    /// The x of column `l`'s centre line.
    pub fn center(&self, l: usize) -> f64 {
        self.column_x[l] + self.column_sides[l].0
    }

    /// The rectangle of real node `i`'s shape.
    pub fn node_rect(&self, i: usize) -> Rect {
        let (layered, sized, node_y) = (self.heights.rows.layered, &self.heights.rows.sized, &self.heights.node_y);
        let cx = self.center(layered.nodes[i].layer);
        Rect {
            x: cx - sized[i].width / 2.0,
            y: node_y[i] - sized[i].height / 2.0,
            width: sized[i].width,
            height: sized[i].height,
        }
    }

    /// The x of track `track` in channel `gap`.
    pub fn track_x(&self, gap: usize, track: usize) -> f64 {
        self.gap_x[gap] + (track as f64 + 1.0) * self.gap_width[gap] / (self.tracks.count[gap] as f64 + 1.0)
    }
}

/// Each column's room left and right of its centre line: half of each node's
/// shape, or half of its outside name where that is wider, and for a name
/// placed right of its bottom vertex, the name's whole width on the right.
fn column_sides(heights: &Heights) -> Vec<(f64, f64)> {
    let (layered, sized, name_place) = (heights.rows.layered, &heights.rows.sized, &heights.name_place);
    (0..layered.layer_count)
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
        .collect()
}
