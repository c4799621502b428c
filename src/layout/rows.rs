//! Vertical placement: each lane is split into rows so that nodes in one
//! lane and one column stack without overlapping, a node stays in the row of
//! the step before it (straight main paths), and loop-backs get nested tracks
//! above or below the rows they span.

use std::collections::BTreeMap;

use super::rank::Layered;

/// Row of every layered node inside its lane.
pub fn assign_rows(layered: &Layered, lane_count: usize) -> (Vec<usize>, Vec<usize>) {
    let n = layered.nodes.len();
    let mut first_up: Vec<Option<usize>> = vec![None; n];
    for (chain, back) in layered.chains.iter().zip(&layered.back) {
        if *back {
            continue;
        }
        for pair in chain.windows(2) {
            if first_up[pair[1]].is_none() && layered.nodes[pair[0]].lane == layered.nodes[pair[1]].lane {
                first_up[pair[1]] = Some(pair[0]);
            }
        }
    }
    let mut row = vec![0usize; n];
    let mut rows_per_lane = vec![1usize; lane_count];
    for layer in &layered.order {
        for (lane, block) in layer.iter().enumerate() {
            let mut next_free = 0usize;
            for &v in block {
                let desired = first_up[v].map_or(0, |p| row[p]);
                let r = desired.max(next_free);
                row[v] = r;
                next_free = r + 1;
                if let Some(count) = rows_per_lane.get_mut(lane) {
                    *count = (*count).max(r + 1);
                }
            }
        }
    }
    straighten_dummy_runs(layered, &mut row);
    (row, rows_per_lane)
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
