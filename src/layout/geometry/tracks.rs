//! Tracks: the x order of the vertical segments inside each channel. Each
//! segment gets a track; only the many flows of one crowded port (a wide
//! split or merge) share one;
//! tracks are ordered left to right at least cost, where an overlap of two
//! unrelated flows costs more than a crossing.
//!
//! Invariants: the order depends only on the segments' heights, keys and
//! runs, never on x; it is exact (the cheapest of all orders) up to
//! [`EXACT_TRACKS`] tracks, and among equally cheap orders keeps the one
//! sorted by the top of each track's span; beyond, adjacent swaps and then,
//! up to [`MOVED_TRACKS`] tracks, moves of one track past several others
//! only ever lower the total cost.

use std::collections::BTreeMap;

use super::routes::{Run, Segment};

/// The track every channel segment runs on, and how many tracks each
/// channel holds.
pub(super) struct Tracks {
    /// (edge, part) → (channel, track from the left).
    track_of: BTreeMap<(usize, usize), (usize, usize)>,
    /// Per channel.
    pub count: Vec<usize>,
}

impl Tracks {
    /// Tracks in each channel, ordered to avoid crossings.
    pub fn assign(segments: &[Vec<Segment>]) -> Tracks {
        let mut track_of: BTreeMap<(usize, usize), (usize, usize)> = BTreeMap::new();
        let mut count = vec![0usize; segments.len()];
        for (gap, segs) in segments.iter().enumerate() {
            let tracks = order_tracks(segs);
            count[gap] = tracks.iter().copied().max().map_or(0, |t| t + 1);
            for (s, t) in segs.iter().zip(tracks) {
                track_of.insert((s.edge, s.part), (gap, t));
            }
        }
        Tracks { track_of, count }
    }

    /// The channel and track of an edge's `part`-th channel crossing.
    pub fn of(&self, edge: usize, part: usize) -> Option<(usize, usize)> {
        self.track_of.get(&(edge, part)).copied()
    }
}

/// Assigns a track to every segment of one channel: segments of one crowded
/// split or merge share a track; tracks are ordered left to right to avoid
/// crossings and overlaps (the cheapest order for up to [`EXACT_TRACKS`]
/// tracks, adjacent swaps on the pairwise cost beyond, then single moves up
/// to [`MOVED_TRACKS`]).
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
    // Flows of one port each keep a track of their own (a branch reads as
    // its own line), unless the port sends or takes more than
    // [`OWN_TRACKS_PER_PORT`] through this channel: those share one trunk.
    let mut per_port: BTreeMap<(usize, u8, i64), usize> = BTreeMap::new();
    for s in segments {
        *per_port.entry(s.from_key).or_default() += 1;
        *per_port.entry(s.to_key).or_default() += 1;
    }
    let crowded = |key: &(usize, u8, i64)| per_port.get(key).is_some_and(|&k| k > OWN_TRACKS_PER_PORT);
    for i in 0..n {
        for j in i + 1..n {
            let (a, b) = (&segments[i], &segments[j]);
            if (a.from_key == b.from_key && crowded(&a.from_key)) || (a.to_key == b.to_key && crowded(&a.to_key)) {
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
    let position: BTreeMap<usize, usize> = order.iter().enumerate().map(|(pos, &t)| (tracks[t], pos)).collect();
    for r in roots.iter_mut() {
        *r = position[r];
    }
    roots
}

/// Up to this many flows of one port crossing one channel get a track each;
/// more share one, so a wide split does not widen its channel without bound.
const OWN_TRACKS_PER_PORT: usize = 4;

/// Up to this many tracks in one channel, their order is the cheapest of all
/// orders (2^n subsets); beyond, adjacent swaps, then single moves.
const EXACT_TRACKS: usize = 10;

/// Up to this many tracks, adjacent swaps are followed by moves of one track
/// to any place (cubic in the tracks); beyond, adjacent swaps only. The port
/// nudge seeks three-flow cycles only in channels of at most this many
/// segments.
pub(super) const MOVED_TRACKS: usize = 64;

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
