//! Vertical placement: each lane is split into rows so that nodes in one
//! lane and one column stack without overlapping, a node stays in the row of
//! the step before it (straight main paths), and loop-backs get nested tracks
//! above or below the rows they span.

use std::collections::BTreeMap;

use super::input::LayoutGraph;
use super::rank::Layered;

/// Row of every layered node inside its lane.
pub fn assign_rows(graph: &LayoutGraph, layered: &Layered, lane_count: usize) -> (Vec<usize>, Vec<usize>) {
    let n = layered.nodes.len();
    let main = main_branches(graph);
    // Same-lane neighbours along forward flows, in flow order; with each
    // successor, whether it is on its predecessor's main branch.
    let mut ups: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut downs: Vec<Vec<(usize, bool)>> = vec![Vec::new(); n];
    for (e, (chain, back)) in layered.chains.iter().zip(&layered.back).enumerate() {
        if *back {
            continue;
        }
        for (k, pair) in chain.windows(2).enumerate() {
            if layered.nodes[pair[0]].lane == layered.nodes[pair[1]].lane {
                ups[pair[1]].push(pair[0]);
                downs[pair[0]].push((pair[1], k > 0 || main[e]));
            }
        }
    }
    // Each node's place in its block, top to bottom.
    let mut place = vec![0usize; n];
    for block in layered.order.iter().flatten() {
        for (k, &v) in block.iter().enumerate() {
            place[v] = k;
        }
    }
    let position = |v: usize| place[v];
    // Rows relative to the main row (0); a split's upper branches go above.
    let mut row = vec![0i64; n];
    for layer in &layered.order {
        for block in layer {
            let wanted: Vec<Option<i64>> =
                block.iter().map(|&v| wanted_row(&ups[v], &downs, &row, v, &position)).collect();
            // A node with no flow from its own lane goes just above the next
            // node that has one, so that node keeps its row (a flow runs
            // straight into it) and the order top to bottom stays.
            let mut desired = vec![0i64; block.len()];
            let mut next_anchor: Option<(i64, usize)> = None;
            for k in (0..block.len()).rev() {
                desired[k] = match (wanted[k], next_anchor) {
                    (Some(r), _) => r,
                    (None, Some((r, at))) => r - (at - k) as i64,
                    (None, None) => 0,
                };
                if let Some(r) = wanted[k] {
                    next_anchor = Some((r, k));
                }
            }
            let mut next_free = i64::MIN / 2;
            for (k, &v) in block.iter().enumerate() {
                let r = desired[k].max(next_free);
                row[v] = r;
                next_free = r + 1;
            }
        }
    }
    // Each lane's rows from 0.
    let mut lowest = vec![i64::MAX; lane_count];
    for (v, node) in layered.nodes.iter().enumerate() {
        if let Some(low) = lowest.get_mut(node.lane) {
            *low = (*low).min(row[v]);
        }
    }
    let mut rows_per_lane = vec![1usize; lane_count];
    let mut row: Vec<usize> = layered
        .nodes
        .iter()
        .enumerate()
        .map(|(v, node)| {
            let r = (row[v] - lowest.get(node.lane).copied().unwrap_or(0)).max(0) as usize;
            if let Some(count) = rows_per_lane.get_mut(node.lane) {
                *count = (*count).max(r + 1);
            }
            r
        })
        .collect();
    straighten_dummy_runs(layered, &mut row);
    (row, rows_per_lane)
}

/// The row a node wants from the flows into it from its own lane (none if
/// there are none): a join of three or more keeps the middle one's row (the
/// split's main row); otherwise the first flow in decides.
fn wanted_row(
    ups: &[usize],
    downs: &[Vec<(usize, bool)>],
    row: &[i64],
    v: usize,
    position: &impl Fn(usize) -> usize,
) -> Option<i64> {
    let mut wanted: Vec<i64> = ups.iter().map(|&p| row[p] + branch_offset(&downs[p], v, position)).collect();
    match wanted.len() {
        0 => None,
        1 | 2 => Some(wanted[0]),
        _ => {
            wanted.sort_unstable();
            Some(wanted[(wanted.len() - 1) / 2])
        }
    }
}

/// Where a node wants its row relative to a predecessor in its lane: a split
/// into three or more branches of one lane puts its middle branch on its own
/// row (a modeller's straight main path, the others above and below it); of
/// two, the main branch keeps the row and the other goes above or below it.
fn branch_offset(branches: &[(usize, bool)], v: usize, position: &impl Fn(usize) -> usize) -> i64 {
    if branches.len() < 2 {
        return 0;
    }
    let rank = |w: usize| branches.iter().filter(|&&(b, _)| position(b) < position(w)).count() as i64;
    let straight = match branches {
        [_, _] => branches.iter().find(|(_, main)| *main).map_or(0, |&(b, _)| rank(b)),
        _ => (branches.len() as i64 - 1) / 2,
    };
    rank(v) - straight
}

/// For every flow, whether it is its source's main branch: the default flow
/// if there is one, else the first one written. A reader follows it first,
/// so it keeps its row.
fn main_branches(graph: &LayoutGraph) -> Vec<bool> {
    let mut chosen: Vec<Option<usize>> = vec![None; graph.nodes.len()];
    for (e, edge) in graph.edges.iter().enumerate() {
        let Some(slot) = chosen.get_mut(edge.from) else { continue };
        let replaces = slot.is_none_or(|c| edge.default && !graph.edges[c].default);
        if replaces {
            *slot = Some(e);
        }
    }
    (0..graph.edges.len()).map(|e| chosen.get(graph.edges[e].from).copied().flatten() == Some(e)).collect()
}

/// A long flow that changes row halfway would run into the row of some step
/// and look as if it fed that step. Where a run of dummies in one lane uses
/// several rows, move the whole run to its lowest row if that row is free all
/// along, so the flow changes row only where it enters the lane.
fn straighten_dummy_runs(layered: &Layered, row: &mut [usize]) {
    let mut taken: std::collections::BTreeSet<(usize, usize, usize)> =
        layered.nodes.iter().enumerate().map(|(v, n)| (n.layer, n.lane, row[v])).collect();
    for (chain, back) in layered.chains.iter().zip(&layered.back) {
        if *back {
            continue;
        }
        let mut start = 1;
        while start + 1 < chain.len() {
            let lane = layered.nodes[chain[start]].lane;
            let mut end = start;
            while end + 1 < chain.len() - 1 && layered.nodes[chain[end + 1]].lane == lane {
                end += 1;
            }
            let run = &chain[start..=end];
            // Only a run that leaves its row because a step sits in it looks
            // like it feeds that step; other changes of row are harmless.
            let blocked = run.windows(2).any(|w| {
                let next = &layered.nodes[w[1]];
                row[w[0]] != row[w[1]]
                    && layered.order[next.layer][next.lane]
                        .iter()
                        .any(|&x| layered.nodes[x].real.is_some() && row[x] == row[w[0]])
            });
            if !blocked {
                start = end + 1;
                continue;
            }
            let target = run.iter().map(|&d| row[d]).max().unwrap_or(0);
            // The move must keep the top-to-bottom order chosen for crossings.
            let free = run.iter().all(|&d| {
                let n = &layered.nodes[d];
                let block = &layered.order[n.layer][n.lane];
                let at = block.iter().position(|&x| x == d).unwrap_or(0);
                let below_ok = block.get(at + 1).is_none_or(|&next| row[next] > target);
                row[d] == target || (!taken.contains(&(n.layer, n.lane, target)) && below_ok)
            });
            if free {
                for &d in run {
                    let n = &layered.nodes[d];
                    taken.remove(&(n.layer, n.lane, row[d]));
                    row[d] = target;
                    taken.insert((n.layer, n.lane, target));
                }
            }
            start = end + 1;
        }
    }
}

/// Nesting level of every back edge's track (0 = closest to the nodes) and the
/// number of levels per band. A band is where a loop runs (the engine uses the
/// top and the bottom of each lane); loops in one band whose column spans
/// overlap get different levels, inner (shorter) loops closer to the nodes.
pub fn loop_levels(
    spans: &[(usize, usize, usize)], // (band, first column, last column) per back edge
    band_count: usize,
) -> (Vec<usize>, Vec<usize>) {
    let mut order: Vec<usize> = (0..spans.len()).collect();
    order.sort_by_key(|&i| (spans[i].2 - spans[i].1, i));
    let mut level = vec![0usize; spans.len()];
    let mut per_lane = vec![0usize; band_count];
    // Per band, per level: the column spans taken there, disjoint, by first
    // column (so an overlap test is one ordered lookup).
    let mut taken: Vec<Vec<BTreeMap<usize, usize>>> = vec![Vec::new(); band_count];
    for i in order {
        let (lane, a, b) = spans[i];
        if lane >= taken.len() {
            taken.resize(lane + 1, Vec::new());
        }
        let levels = &mut taken[lane];
        let overlaps = |spans: &BTreeMap<usize, usize>| spans.range(..=b).next_back().is_some_and(|(_, &end)| end >= a);
        let l = levels.iter().position(|spans| !overlaps(spans)).unwrap_or(levels.len());
        if l == levels.len() {
            levels.push(BTreeMap::new());
        }
        levels[l].insert(a, b);
        level[i] = l;
        if let Some(count) = per_lane.get_mut(lane) {
            *count = (*count).max(l + 1);
        }
    }
    (level, per_lane)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nested_loops_get_distinct_levels() {
        let spans = [(0, 1, 5), (0, 2, 3), (0, 6, 8), (1, 1, 5)];
        let (level, per_lane) = loop_levels(&spans, 2);
        assert_eq!(level, vec![1, 0, 0, 0]);
        assert_eq!(per_lane, vec![2, 1]);
    }
}
