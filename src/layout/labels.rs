//! Placement of flow condition labels: next to the start of their flow, at the
//! first candidate position that collides with no node, node name, header or
//! other label (and, if possible, with no other flow).

use super::diagram::{Align, Diagram, Point, Rect, TextBlock, Weight};
use super::input::LayoutGraph;
use super::sizes::{self, SMALL_FONT, SMALL_LINE};
use crate::text::Measurer;
use rustc_hash::FxHashMap;

/// Places every flow label; returns the edges whose label found no free place
/// (the caller widens the channel after their source and lays out again).
pub fn place_flow_labels(diagram: &mut Diagram, graph: &LayoutGraph, measurer: &mut Measurer) -> Vec<usize> {
    let mut obstacles = Grid::default();
    for node in &diagram.nodes {
        obstacles.insert(node.rect, usize::MAX);
        if let Some(label) = &node.label {
            obstacles.insert(label.bounds, usize::MAX);
        }
    }
    for lane in &diagram.lanes {
        obstacles.insert(lane.header, usize::MAX);
    }
    // A default flow's slash is a drawn line too: no label may touch it.
    for edge in diagram.edges.iter().filter(|e| e.default) {
        if let [start, next, ..] = edge.points.as_slice() {
            let c = super::diagram::default_slash_centre(*start, *next);
            let r = super::diagram::DEFAULT_SLASH_REACH;
            obstacles.insert(Rect { x: c.x - r, y: c.y - r, width: 2.0 * r, height: 2.0 * r }, usize::MAX);
        }
    }
    if let Some(pool) = &diagram.pool {
        obstacles.insert(pool.header, usize::MAX);
    }
    // Labels stay inside the pool (clear of its frame), or the drawing.
    let area = match &diagram.pool {
        Some(pool) => Rect {
            x: pool.rect.x + 1.0,
            y: pool.rect.y + 1.0,
            width: pool.rect.width - 2.0,
            height: pool.rect.height - 2.0,
        },
        None => Rect { x: 0.0, y: 0.0, width: diagram.width, height: diagram.height },
    };
    let mut flows = Grid::default();
    for (e, edge) in diagram.edges.iter().enumerate() {
        for w in edge.points.windows(2) {
            flows.insert(segment_box(w[0], w[1]), e);
        }
    }
    // How many flows leave through each port in each direction: branches that
    // share a first segment.
    let mut first_legs: FxHashMap<FirstLeg, usize> = FxHashMap::default();
    for edge in &diagram.edges {
        *first_legs.entry(first_leg(edge)).or_default() += 1;
    }
    let mut placed = Grid::default();
    let mut unplaced = Vec::new();
    for (e, input) in graph.edges.iter().enumerate() {
        let Some(text) = &input.label else { continue };
        let (lines, width, height) = sizes::flow_label(measurer, text);
        let points = diagram.edges[e].points.clone();
        // When several branches leave through one port they share a first
        // segment; their labels belong after the split, on their own segment.
        let shared = first_legs.get(&first_leg(&diagram.edges[e])).is_some_and(|count| *count > 1);
        let skip = usize::from(shared && points.len() > 2);
        // A loop's label belongs on its long run over the top, where it
        // cannot be mistaken for another flow's.
        let route_candidates = || -> Box<dyn Iterator<Item = Rect> + '_> {
            match diagram.edges[e].back {
                true => Box::new(track_candidates(&points, width, height)),
                false => Box::new(candidates(&points[skip..], width, height)),
            }
        };
        let fits = |r: &Rect, avoid_edges: bool| {
            // Another flow's label keeps a gap (so it cannot overlap either),
            // or the two read as one.
            let spaced = Rect {
                x: r.x - LABEL_GAP,
                y: r.y - LABEL_GAP,
                width: r.width + 2.0 * LABEL_GAP,
                height: r.height + 2.0 * LABEL_GAP,
            };
            area.contains(r)
                && !obstacles.any(r, |o, _| o.overlaps(r))
                && !placed.any(&spaced, |o, _| o.overlaps(&spaced))
                && (!avoid_edges || !flows.any(r, |b, owner| owner != e && b.overlaps_or_touches(r)))
        };
        // A reader matches a label with the nearest line: its centre must be
        // clearly nearer its own flow than any other (so not on a trunk it
        // shares with a sibling branch).
        let own_segments: Vec<Rect> = points.windows(2).map(|w| segment_box(w[0], w[1])).collect();
        let unambiguous = |r: &Rect| {
            let c = Point { x: r.x + r.width / 2.0, y: r.y + r.height / 2.0 };
            let own = own_segments.iter().map(|b| squared_distance_to(b, c)).fold(f64::INFINITY, f64::min);
            let reach = own.sqrt() + OWN_FLOW_MARGIN;
            let near = Rect { x: c.x - reach, y: c.y - reach, width: 2.0 * reach, height: 2.0 * reach };
            !flows.any(&near, |b, owner| owner != e && squared_distance_to(b, c) < reach * reach)
        };
        // The first candidate that is free and unambiguous; failing that the
        // first free of other flows; failing that the first free of nodes and
        // labels. One lazy pass: a long route has thousands of candidates.
        let (mut first, mut clear, mut free) = (None, None, None);
        for r in route_candidates().take(MAX_CANDIDATES) {
            if fits(&r, true) {
                if unambiguous(&r) {
                    free = Some(r);
                    break;
                }
                clear = clear.or(Some(r));
            } else if clear.is_none() && fits(&r, false) {
                first = first.or(Some(r));
            }
        }
        let chosen = free.or(clear).or(first);
        let bounds = match chosen {
            Some(r) => r,
            None => {
                unplaced.push(e);
                route_candidates().next().unwrap_or(Rect { x: 0.0, y: 0.0, width, height })
            }
        };
        placed.insert(bounds, e);
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

/// How far along a loop's track, from its source's end, its label may sit:
/// further on it no longer reads with the gateway it leaves.
const TRACK_WINDOW: f64 = 240.0;

/// Room kept between a loop label and the corner where its track begins.
const TRACK_INSET: f64 = 12.0;

/// Candidates tried per label, nearest the flow's start (or its track's end
/// at its source) first: 256 reach about 1,000 px along the route, beyond
/// which a label would not read as the flow's; the bound keeps placement
/// fast where thousands of branches crowd one channel.
const MAX_CANDIDATES: usize = 256;

/// Space kept between the labels of two flows.
const LABEL_GAP: f64 = 5.0;

/// How much nearer its own flow than any other a label's centre must be.
const OWN_FLOW_MARGIN: f64 = 6.0;

/// Squared distance from `p` to the nearest point of `r` (0 inside).
fn squared_distance_to(r: &Rect, p: Point) -> f64 {
    let dx = (r.x - p.x).max(p.x - r.right()).max(0.0);
    let dy = (r.y - p.y).max(p.y - r.bottom()).max(0.0);
    dx * dx + dy * dy
}

/// A flow's source, start point and first direction.
type FirstLeg = (usize, i8, i8, u64, u64);

fn first_leg(edge: &super::diagram::Edge) -> FirstLeg {
    match edge.points.as_slice() {
        [a, b, ..] => (edge.from, (b.x - a.x).signum() as i8, (b.y - a.y).signum() as i8, a.x.to_bits(), a.y.to_bits()),
        _ => (edge.from, 0, 0, 0, 0),
    }
}

/// The box of an axis-aligned segment (zero width or height).
fn segment_box(a: Point, b: Point) -> Rect {
    Rect { x: a.x.min(b.x), y: a.y.min(b.y), width: (a.x - b.x).abs(), height: (a.y - b.y).abs() }
}

/// A uniform grid of rectangles, so collision queries look only at what is
/// nearby (labels are placed in linear time even on huge diagrams). A long
/// box (a flow's run across the diagram) is kept once per row or column of
/// cells it lies in, not once per cell.
#[derive(Default)]
struct Grid {
    cells: FxHashMap<(i64, i64), Vec<usize>>,
    rows: FxHashMap<i64, Vec<usize>>,
    columns: FxHashMap<i64, Vec<usize>>,
    items: Vec<(Rect, usize)>,
}

const CELL: f64 = 160.0;

/// Boxes spanning more cells than this go into rows or columns.
const LONG_SPAN: i64 = 8;

/// First and last cell index of `from..to` along one axis.
fn cell_span(from: f64, to: f64) -> (i64, i64) {
    (cell_index(from), cell_index(to))
}

/// `floor(at / CELL)` without a call into libm (this runs for every query).
fn cell_index(at: f64) -> i64 {
    let q = at / CELL;
    let i = q as i64;
    i - i64::from((i as f64) > q)
}

impl Grid {
    fn cells_of(r: &Rect) -> impl Iterator<Item = (i64, i64)> {
        let ((x1, x2), (y1, y2)) = (cell_span(r.x, r.right()), cell_span(r.y, r.bottom()));
        (x1..=x2).flat_map(move |x| (y1..=y2).map(move |y| (x, y)))
    }

    fn insert(&mut self, r: Rect, tag: usize) {
        let index = self.items.len();
        self.items.push((r, tag));
        let ((x1, x2), (y1, y2)) = (cell_span(r.x, r.right()), cell_span(r.y, r.bottom()));
        if x2 - x1 > LONG_SPAN && x2 - x1 >= y2 - y1 {
            (y1..=y2).for_each(|y| self.rows.entry(y).or_default().push(index));
        } else if y2 - y1 > LONG_SPAN {
            (x1..=x2).for_each(|x| self.columns.entry(x).or_default().push(index));
        } else {
            Self::cells_of(&r).for_each(|cell| self.cells.entry(cell).or_default().push(index));
        }
    }

    fn any(&self, r: &Rect, test: impl Fn(&Rect, usize) -> bool) -> bool {
        let test_all = |items: Option<&Vec<usize>>| {
            items.is_some_and(|items| {
                items.iter().any(|&i| {
                    let (rect, tag) = &self.items[i];
                    test(rect, *tag)
                })
            })
        };
        let ((x1, x2), (y1, y2)) = (cell_span(r.x, r.right()), cell_span(r.y, r.bottom()));
        Self::cells_of(r).any(|cell| test_all(self.cells.get(&cell)))
            || (y1..=y2).any(|y| test_all(self.rows.get(&y)))
            || (x1..=x2).any(|x| test_all(self.columns.get(&x)))
    }
}

/// Candidate boxes along the segments of a route, nearest its start first.
fn candidates(points: &[Point], width: f64, height: f64) -> impl Iterator<Item = Rect> + '_ {
    points.windows(2).flat_map(move |pair| {
        let (a, b) = (pair[0], pair[1]);
        let horizontal = (a.y - b.y).abs() < 0.01;
        let length = if horizontal { (b.x - a.x).abs() } else { (b.y - a.y).abs() };
        let steps = ((length - 4.0).max(6.0) - 6.0) / 8.0;
        (0..=steps.floor() as usize).flat_map(move |i| {
            let t = 6.0 + 8.0 * i as f64;
            if horizontal {
                let x = if b.x >= a.x { a.x + t } else { a.x - t - width };
                [Rect { x, y: a.y - 3.0 - height, width, height }, Rect { x, y: a.y + 3.0, width, height }]
            } else {
                let y = if b.y >= a.y { a.y + t } else { a.y - t - height };
                [Rect { x: a.x + 5.0, y, width, height }, Rect { x: a.x - 5.0 - width, y, width, height }]
            }
        })
    })
}

impl Rect {
    /// Like `overlaps`, but a zero-width box (a segment) touching counts.
    fn overlaps_or_touches(&self, other: &Rect) -> bool {
        self.x <= other.right() && other.x <= self.right() && self.y <= other.bottom() && other.y <= self.bottom()
    }
}

/// Candidate boxes above and below the longest horizontal segment of a route
/// (a loop's track), from the end nearest the loop's source inwards — so the
/// label reads with the gateway it leaves — then those of `candidates`.
fn track_candidates(points: &[Point], width: f64, height: f64) -> impl Iterator<Item = Rect> + '_ {
    let longest = points
        .windows(2)
        .filter(|w| (w[0].y - w[1].y).abs() < 0.01)
        .max_by(|a, b| (a[0].x - a[1].x).abs().total_cmp(&(b[0].x - b[1].x).abs()));
    let source_x = points.first().map_or(0.0, |p| p.x);
    let track = longest.into_iter().flat_map(move |w| {
        let (left, right, y) = (w[0].x.min(w[1].x), w[0].x.max(w[1].x), w[0].y);
        let from_right = (right - source_x).abs() <= (left - source_x).abs();
        let reach = (right - left - width - 2.0 * TRACK_INSET).clamp(0.0, TRACK_WINDOW);
        (0..=(reach / 12.0).floor() as usize).flat_map(move |i| {
            let offset = TRACK_INSET + 12.0 * i as f64;
            let x = if from_right { right - width - offset } else { left + offset };
            [Rect { x, y: y - 2.0 - height, width, height }, Rect { x, y: y + 2.0, width, height }]
                .into_iter()
                .filter(move |_| x >= left && x + width <= right)
        })
    });
    track.chain(candidates(points, width, height))
}

/// Whether an axis-aligned segment passes through the interior of `r`.
pub fn segment_hits(a: Point, b: Point, r: &Rect) -> bool {
    let (x1, x2) = (a.x.min(b.x), a.x.max(b.x));
    let (y1, y2) = (a.y.min(b.y), a.y.max(b.y));
    x1 < r.right() && x2 > r.x && y1 < r.bottom() && y2 > r.y
}
