//! Lane order: when asked, the order of lanes that shortens flows, chosen
//! before any layout runs (the layout then takes lanes as given).
//!
//! Invariants: the result is a permutation of the lanes; an order replaces
//! the authored one only when it is strictly shorter.

use super::input::LayoutGraph;

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
