//! The combinatorial phases of the layered layout: cycle breaking, columns
//! (layers), dummy nodes for long flows, and the order of nodes inside each
//! lane of each column (crossing minimisation).
//!
//! Everything here works on indices and small integers; geometry comes later.

use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};

use super::diagram::Shape;
use super::input::LayoutGraph;

/// A node of the layered graph: a real step or a dummy on a long flow.
#[derive(Debug, Clone, PartialEq)]
pub struct LayerNode {
    /// Index of the real node, or `None` for a dummy.
    pub real: Option<usize>,
    pub layer: usize,
    pub lane: usize,
}

/// The layered graph: real nodes first (same indices as the input), dummies
/// after; every edge chain goes from one layer to the next, except a stacked
/// hand-off ([`Layered::stacked`]), whose two ends share a column.
#[derive(Debug, Clone)]
pub struct Layered {
    pub nodes: Vec<LayerNode>,
    /// For each input edge: the chain of layered nodes from source to target.
    /// Forward edges run left to right; back edges are stored in flow order
    /// (source first) with `back[e]` set and no dummies.
    pub chains: Vec<Vec<usize>>,
    pub back: Vec<bool>,
    /// Per edge: a hand-off drawn straight down or up into the next lane,
    /// its two steps in one column (see [`stackable`]).
    pub stacked: Vec<bool>,
    pub layer_count: usize,
    /// `order[layer][lane]`: nodes of that block, top to bottom.
    pub order: Vec<Vec<Vec<usize>>>,
}

/// Marks back edges, in model order. First, a flow inside a cycle that goes
/// to an earlier-declared step is a loop-back, as authors write loops ("reopen
/// → back to diagnosis"), provided its target is also reached by a flow from
/// an earlier step (a join declared before its branches is not a loop target).
/// Cycles that remain are broken by a depth-first search from the start events
/// in declaration order, following flows to earlier-declared steps first: a
/// flow to a step still on the search stack closes a loop.
pub fn back_edges(graph: &LayoutGraph) -> Vec<bool> {
    let n = graph.nodes.len();
    let has_start = graph.nodes.iter().any(|node| matches!(node.shape, Shape::StartEvent(_)));
    if !has_start {
        return greedy_back_edges(graph);
    }
    let mut g: DiGraph<(), ()> = DiGraph::with_capacity(n, graph.edges.len());
    for _ in 0..n {
        g.add_node(());
    }
    for edge in &graph.edges {
        g.add_edge(NodeIndex::new(edge.from), NodeIndex::new(edge.to), ());
    }
    let mut component = vec![0usize; n];
    for (c, members) in tarjan_scc(&g).into_iter().enumerate() {
        for m in members {
            component[m.index()] = c;
        }
    }
    let backward_in_cycle =
        |e: &super::input::InputEdge| e.from == e.to || (component[e.from] == component[e.to] && e.to < e.from);
    let mut reached_forward = vec![false; n];
    for edge in graph.edges.iter().filter(|e| !backward_in_cycle(e)) {
        reached_forward[edge.to] = true;
    }
    let mut back: Vec<bool> =
        graph.edges.iter().map(|e| e.from == e.to || (backward_in_cycle(e) && reached_forward[e.to])).collect();

    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut has_incoming = vec![false; n];
    for (e, edge) in graph.edges.iter().enumerate() {
        if back[e] {
            continue;
        }
        outgoing[edge.from].push(e);
        has_incoming[edge.to] = true;
    }
    for list in &mut outgoing {
        list.sort_by_key(|&e| (graph.edges[e].to, e));
    }
    let starts = (0..n).filter(|v| matches!(graph.nodes[*v].shape, Shape::StartEvent(_)));
    let roots = starts.chain((0..n).filter(|v| !has_incoming[*v])).chain(0..n);
    // 0 = unseen, 1 = on the stack, 2 = done.
    let mut state = vec![0u8; n];
    for root in roots {
        if state[root] != 0 {
            continue;
        }
        let mut stack = vec![(root, 0usize)];
        state[root] = 1;
        while let Some((v, i)) = stack.last_mut() {
            if let Some(&e) = outgoing[*v].get(*i) {
                *i += 1;
                let w = graph.edges[e].to;
                match state[w] {
                    0 => {
                        state[w] = 1;
                        stack.push((w, 0));
                    }
                    1 => back[e] = true,
                    _ => {}
                }
            } else {
                state[*v] = 2;
                stack.pop();
            }
        }
    }
    back
}

/// For graphs without a start (the process landscape, where data flows both
/// ways): the Eades–Lin–Smyth ordering — sinks to the end, sources to the
/// front, otherwise the node with most outgoing minus incoming flows (ties in
/// model order) — and the flows that go back in that order are the loops. It
/// keeps the number of loops small when there is no reading order to follow.
fn greedy_back_edges(graph: &LayoutGraph) -> Vec<bool> {
    let n = graph.nodes.len();
    let mut removed = vec![false; n];
    let live = |removed: &[bool], e: &super::input::InputEdge| !removed[e.from] && !removed[e.to] && e.from != e.to;
    let (mut front, mut back): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    while front.len() + back.len() < n {
        let degree = |v: usize, removed: &[bool]| {
            let out = graph.edges.iter().filter(|e| live(removed, e) && e.from == v).count();
            let inc = graph.edges.iter().filter(|e| live(removed, e) && e.to == v).count();
            (out, inc)
        };
        let remaining: Vec<usize> = (0..n).filter(|v| !removed[*v]).collect();
        if let Some(&sink) = remaining.iter().rev().find(|&&v| degree(v, &removed).0 == 0) {
            removed[sink] = true;
            back.push(sink);
        } else if let Some(&source) = remaining.iter().find(|&&v| degree(v, &removed).1 == 0) {
            removed[source] = true;
            front.push(source);
        } else {
            let best = remaining
                .iter()
                .copied()
                .max_by_key(|&v| {
                    let (out, inc) = degree(v, &removed);
                    (out as i64 - inc as i64, std::cmp::Reverse(v))
                })
                .unwrap_or(remaining[0]);
            removed[best] = true;
            front.push(best);
        }
    }
    front.extend(back.into_iter().rev());
    let mut position = vec![0usize; n];
    for (i, v) in front.iter().enumerate() {
        position[*v] = i;
    }
    graph.edges.iter().map(|e| position[e.to] <= position[e.from]).collect()
}

/// Assigns columns: longest path from the sources over forward flows, then
/// nodes without predecessors move right next to their first successor. With
/// `pull_right`, so does every step with one flow in and one out (a branch
/// task shorter than its sibling branches sits next to the join instead of
/// next to the split).
fn layers(graph: &LayoutGraph, back: &[bool], stack: &[bool], pull_right: bool) -> Vec<usize> {
    let n = graph.nodes.len();
    let mut indegree = vec![0usize; n];
    // (successor, columns it must lie to the right: 0 for a stacked hand-off)
    let mut outgoing: Vec<Vec<(usize, usize)>> = vec![Vec::new(); n];
    let mut incoming: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (e, edge) in graph.edges.iter().enumerate() {
        if !back[e] && edge.from != edge.to {
            indegree[edge.to] += 1;
            outgoing[edge.from].push((edge.to, usize::from(!stack[e])));
            incoming[edge.to].push(edge.from);
        }
    }
    // Kahn's algorithm in model order gives a deterministic topological order.
    let mut layer = vec![0usize; n];
    let mut ready: std::collections::BTreeSet<usize> = (0..n).filter(|v| indegree[*v] == 0).collect();
    let mut topo = Vec::with_capacity(n);
    while let Some(v) = ready.pop_first() {
        topo.push(v);
        for &(w, step) in &outgoing[v] {
            layer[w] = layer[w].max(layer[v] + step);
            indegree[w] -= 1;
            if indegree[w] == 0 {
                ready.insert(w);
            }
        }
    }
    // A later source (an intermediate event that only starts a branch) sits
    // just before the node it feeds, not at the far left. Start events stay.
    // Successors are final when a node moves (reverse topological order), so
    // every flow keeps at least its length.
    for &v in topo.iter().rev() {
        let passing = pull_right && incoming[v].len() == 1 && outgoing[v].len() == 1;
        if passing || (incoming[v].is_empty() && !outgoing[v].is_empty() && !is_start(graph, v)) {
            let earliest = outgoing[v].iter().map(|&(w, step)| layer[w].saturating_sub(step)).min().unwrap_or(0);
            layer[v] = layer[v].max(earliest);
        }
    }
    layer
}

/// Flows that may be drawn as a stacked hand-off: a step hands over to one
/// step of another lane that nothing else leads to, so the second can sit in
/// the same column straight below (or above) the first, with a vertical
/// arrow between them, as modellers draw a hand-off — a column saved per
/// hand-off instead of a flow that runs right and turns down. Both are tasks
/// (an event's name hangs below it, across the vertex), the flow has no
/// label, the first step has no other flow out and the second no other flow
/// in. Whether the column is free for it is decided after ordering.
fn stackable(graph: &LayoutGraph, back: &[bool]) -> Vec<bool> {
    let n = graph.nodes.len();
    let (mut outs, mut ins) = (vec![0usize; n], vec![0usize; n]);
    for edge in &graph.edges {
        outs[edge.from] += 1;
        ins[edge.to] += 1;
    }
    let task = |v: usize| matches!(graph.nodes[v].shape, Shape::Task(_) | Shape::Subprocess);
    graph
        .edges
        .iter()
        .enumerate()
        .map(|(e, edge)| {
            let (u, v) = (edge.from, edge.to);
            graph.has_lanes()
                && !back[e]
                && u != v
                && graph.nodes[u].lane != graph.nodes[v].lane
                && edge.label.is_none()
                && outs[u] == 1
                && ins[v] == 1
                && task(u)
                && task(v)
        })
        .collect()
}

/// Makes room for the stacked hand-offs of an ordered graph: the first step
/// moves to the end of its lane's block that faces the second, the second to
/// the end facing the first. Returns the flows that cannot stand as drawn —
/// the lanes between them hold something in that column, another hand-off
/// already holds that end of a block, or a step would need both ends.
fn seat_stacked(layered: &mut Layered) -> Vec<usize> {
    let mut failed = Vec::new();
    let mut held: std::collections::BTreeSet<(usize, usize, bool)> = std::collections::BTreeSet::new();
    // Per seated step: whether it went to the bottom end of its block.
    let mut seated: std::collections::BTreeMap<usize, bool> = std::collections::BTreeMap::new();
    for e in 0..layered.chains.len() {
        if !layered.stacked[e] {
            continue;
        }
        let (u, v) = (layered.chains[e][0], layered.chains[e][1]);
        let (l, a, b) = (layered.nodes[u].layer, layered.nodes[u].lane, layered.nodes[v].lane);
        let down = a < b;
        let between_empty = (a.min(b) + 1..a.max(b)).all(|lane| layered.order[l][lane].is_empty());
        // (layer, lane, bottom end of the block)
        let (end_u, end_v) = ((l, a, down), (l, b, !down));
        // A step of two hand-offs, one in and one out, cannot sit at both
        // ends of its block unless it is alone there.
        let torn = |w: usize, lane: usize, bottom: bool| {
            seated.get(&w).is_some_and(|&end| end != bottom) && layered.order[l][lane].len() > 1
        };
        if !between_empty || held.contains(&end_u) || held.contains(&end_v) || torn(u, a, down) || torn(v, b, !down) {
            failed.push(e);
            continue;
        }
        held.insert(end_u);
        held.insert(end_v);
        seated.insert(u, down);
        seated.insert(v, !down);
        move_to_end(&mut layered.order[l][a], u, down);
        move_to_end(&mut layered.order[l][b], v, !down);
    }
    failed
}

/// Moves `v` to the bottom (`bottom`) or top end of its block.
fn move_to_end(block: &mut Vec<usize>, v: usize, bottom: bool) {
    if let Some(k) = block.iter().position(|&w| w == v) {
        block.remove(k);
        if bottom {
            block.push(v);
        } else {
            block.insert(0, v);
        }
    }
}

fn is_gateway(graph: &LayoutGraph, v: usize) -> bool {
    matches!(graph.nodes[v].shape, Shape::Gateway(_))
}

fn is_start(graph: &LayoutGraph, v: usize) -> bool {
    matches!(graph.nodes[v].shape, Shape::StartEvent(_))
}

/// Chooses, for every forward flow, the last column it runs in its source
/// lane before it turns into the target's lane: a long flow between two
/// lanes may make that turn in any channel it passes, and each channel has
/// its own traffic. The cost of turning in channel `k` is the number of flows
/// running along the lanes it cuts there, plus the flows its horizontal runs
/// meet elsewhere (those cutting through the source lane before `k`, through
/// the target lane after it). Flows are placed one by one in model order,
/// twice, each against the others' current choice; ties turn as late as
/// possible, so a flow runs along its own lane and drops in just before its
/// target, as people draw it — except a gateway's branch, which turns as
/// early as possible, out of its own vertex.
fn lane_switches(graph: &LayoutGraph, layer: &[usize], back: &[bool]) -> Vec<usize> {
    let lane_count = graph.nodes.iter().map(|n| n.lane + 1).max().unwrap_or(1);
    let channels = layer.iter().max().map_or(0, |m| m + 1);
    let span = |e: usize| {
        let edge = &graph.edges[e];
        (layer[edge.from], layer[edge.to], graph.nodes[edge.from].lane, graph.nodes[edge.to].lane)
    };
    let mut switch: Vec<usize> =
        (0..graph.edges.len()).map(|e| if back[e] { 0 } else { span(e).1.saturating_sub(1) }).collect();
    let movable: Vec<usize> = (0..graph.edges.len())
        .filter(|&e| {
            let (lu, lv, a, b) = span(e);
            !back[e] && a != b && lv > lu + 1
        })
        .collect();
    if movable.is_empty() {
        return switch;
    }
    // along[c][lane]: flows running along `lane` through channel c (after
    // column c); through[c][lane]: flows crossing `lane` vertically there.
    let mut along = vec![vec![0i64; lane_count]; channels];
    let mut through = vec![vec![0i64; lane_count]; channels];
    let apply = |along: &mut Vec<Vec<i64>>, through: &mut Vec<Vec<i64>>, e: usize, k: usize, sign: i64| {
        let (lu, lv, a, b) = span(e);
        for c in lu..lv {
            if c == k && a != b {
                for count in &mut through[c][a.min(b) + 1..a.max(b)] {
                    *count += sign;
                }
            } else {
                along[c][if c < k { a } else { b }] += sign;
            }
        }
    };
    for e in (0..graph.edges.len()).filter(|&e| !back[e]) {
        apply(&mut along, &mut through, e, switch[e], 1);
    }
    for _ in 0..2 {
        for &e in &movable {
            apply(&mut along, &mut through, e, switch[e], -1);
            let (lu, lv, a, b) = span(e);
            let between = a.min(b) + 1..a.max(b);
            let mut best = (i64::MAX, switch[e]);
            // Running sums while k walks left, so a long flow costs its
            // length, not its length squared.
            let mut before: i64 = (lu..lv - 1).map(|c| through[c][a]).sum();
            let mut after: i64 = 0;
            // A branch of a gateway turns as early as it can instead: it then
            // leaves through the gateway's top or bottom vertex, one branch
            // per vertex, instead of sharing the right vertex with the
            // straight branch and forking further on.
            let early = is_gateway(graph, graph.edges[e].from);
            for k in (lu..lv).rev() {
                let cut: i64 = between.clone().map(|lane| along[k][lane]).sum();
                let cost = cut + before + after;
                if cost < best.0 || (early && cost == best.0) {
                    best = (cost, k);
                }
                if k > lu {
                    before -= through[k - 1][a];
                    after += through[k][b];
                }
            }
            switch[e] = best.1;
            apply(&mut along, &mut through, e, switch[e], 1);
        }
    }
    switch
}

/// Runs cycle breaking, layering, normalisation and ordering. Columns are
/// tried twice — steps as far left as they go, and single-flow steps pulled
/// right — and the order with fewer crossings wins (the left one on a tie):
/// which one untangles a diagram depends on its branches, and ordering is
/// cheap next to routing.
pub fn layered(graph: &LayoutGraph) -> Layered {
    let back = back_edges(graph);
    let mut stack = stackable(graph, &back);
    // Hand-offs whose column is taken are drawn the usual way and the columns
    // assigned again; after a few rounds, none is stacked (and then none can
    // fail).
    let mut round = 1;
    loop {
        let (layered, failed) = layered_with(graph, &back, &stack);
        if failed.is_empty() {
            return layered;
        }
        if round + 1 >= STACKING_ROUNDS {
            stack.fill(false);
        } else {
            for e in failed {
                stack[e] = false;
            }
        }
        round += 1;
    }
}

/// Rounds of [`layered`]: the last one stacks no hand-off.
const STACKING_ROUNDS: usize = 4;

/// [`layered`] for one choice of stackable hand-offs; with it, the
/// hand-offs that found their column taken.
fn layered_with(graph: &LayoutGraph, back: &[bool], stack: &[bool]) -> (Layered, Vec<usize>) {
    let left_layers = layers(graph, back, stack, false);
    let (left, left_crossings, left_failed) = ordered(graph, &left_layers, back.to_vec());
    if left_crossings == 0 {
        return (left, left_failed);
    }
    let right_layers = layers(graph, back, stack, true);
    if right_layers == left_layers {
        return (left, left_failed);
    }
    let (right, right_crossings, right_failed) = ordered(graph, &right_layers, back.to_vec());
    if right_crossings < left_crossings { (right, right_failed) } else { (left, left_failed) }
}

/// Normalisation (dummies on long flows, turning lanes where it crosses
/// least) and crossing minimisation for one column assignment; returns the
/// crossings left.
fn ordered(graph: &LayoutGraph, layer: &[usize], back: Vec<bool>) -> (Layered, usize, Vec<usize>) {
    let mut nodes: Vec<LayerNode> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| LayerNode { real: Some(i), layer: layer[i], lane: n.lane })
        .collect();
    let mut chains = Vec::with_capacity(graph.edges.len());
    let switch = lane_switches(graph, layer, &back);
    for (e, edge) in graph.edges.iter().enumerate() {
        let mut chain = vec![edge.from];
        if !back[e] {
            for l in layer[edge.from] + 1..layer[edge.to] {
                let lane = if l <= switch[e] { graph.nodes[edge.from].lane } else { graph.nodes[edge.to].lane };
                nodes.push(LayerNode { real: None, layer: l, lane });
                chain.push(nodes.len() - 1);
            }
        }
        chain.push(edge.to);
        chains.push(chain);
    }
    let layer_count = nodes.iter().map(|n| n.layer + 1).max().unwrap_or(0);
    let lane_count = graph.nodes.iter().map(|n| n.lane + 1).max().unwrap_or(1).max(graph.lanes.len());
    let mut order = vec![vec![Vec::new(); lane_count]; layer_count];
    for (i, node) in nodes.iter().enumerate() {
        order[node.layer][node.lane].push(i);
    }
    // Only a stackable flow can end in its own column (it alone may have
    // length 0 in `layers`).
    let stacked: Vec<bool> = graph
        .edges
        .iter()
        .enumerate()
        .map(|(e, edge)| !back[e] && edge.from != edge.to && layer[edge.from] == layer[edge.to])
        .collect();
    let mut layered = Layered { nodes, chains, back, stacked, layer_count, order };
    let mut crossings = minimise_crossings(&mut layered);
    let failed = seat_stacked(&mut layered);
    if layered.stacked.iter().any(|s| *s) {
        crossings = self::crossings(&layered);
    }
    (layered, crossings, failed)
}

/// Neighbours of each layered node in the previous and next layer (forward
/// chain links only).
fn neighbours(layered: &Layered) -> (Vec<Vec<usize>>, Vec<Vec<usize>>) {
    let n = layered.nodes.len();
    let mut up = vec![Vec::new(); n];
    let mut down = vec![Vec::new(); n];
    for (chain, back) in layered.chains.iter().zip(&layered.back) {
        if *back {
            continue;
        }
        for pair in chain.windows(2) {
            if layered.nodes[pair[0]].layer + 1 == layered.nodes[pair[1]].layer {
                down[pair[0]].push(pair[1]);
                up[pair[1]].push(pair[0]);
            }
        }
    }
    (up, down)
}

/// Writes the vertical position of every node of one layer into `pos`: its
/// index when the layer's lane blocks are stacked in lane order.
fn set_positions(layer: &[Vec<usize>], pos: &mut [usize]) {
    let mut position = 0;
    for block in layer {
        for &v in block {
            pos[v] = position;
            position += 1;
        }
    }
}

/// Crossings between layer `l` and layer `l + 1`; `pos` must hold both layers'
/// positions.
fn crossings_after(layered: &Layered, l: usize, down: &[Vec<usize>], pos: &[usize]) -> usize {
    let Some(layer) = layered.order.get(l) else { return 0 };
    let mut segments: Vec<(usize, usize)> = Vec::new();
    for block in layer {
        for &v in block {
            segments.extend(down[v].iter().map(|w| (pos[v], pos[*w])));
        }
    }
    let mut total = 0;
    for (i, a) in segments.iter().enumerate() {
        for b in &segments[i + 1..] {
            if (a.0 < b.0 && a.1 > b.1) || (a.0 > b.0 && a.1 < b.1) {
                total += 1;
            }
        }
    }
    total
}

/// Crossings of flows between adjacent layers for the current order.
pub fn crossings(layered: &Layered) -> usize {
    let (_, down) = neighbours(layered);
    let mut pos = vec![0; layered.nodes.len()];
    let mut total = 0;
    for l in 0..layered.layer_count {
        set_positions(&layered.order[l], &mut pos);
        if l + 1 < layered.layer_count {
            set_positions(&layered.order[l + 1], &mut pos);
        }
        total += crossings_after(layered, l, &down, &pos);
    }
    total
}

/// Crossings on both sides of layer `l`.
fn crossings_around(layered: &Layered, l: usize, down: &[Vec<usize>], pos: &mut [usize]) -> usize {
    set_positions(&layered.order[l], pos);
    let mut total = 0;
    if l > 0 {
        set_positions(&layered.order[l - 1], pos);
        total += crossings_after(layered, l - 1, down, pos);
    }
    if l + 1 < layered.layer_count {
        set_positions(&layered.order[l + 1], pos);
        total += crossings_after(layered, l, down, pos);
    }
    total
}

/// Layer sweeps with the barycenter heuristic inside each lane block, then
/// adjacent swaps (transposition); keeps the best order seen. Lanes never mix:
/// a block only reorders its own nodes. Returns the crossings left.
fn minimise_crossings(layered: &mut Layered) -> usize {
    let (up, down) = neighbours(layered);
    let mut pos = vec![0; layered.nodes.len()];
    let mut best = layered.order.clone();
    let mut best_crossings = crossings(layered);
    if best_crossings == 0 {
        return 0;
    }
    for iteration in 0..12 {
        let downward = iteration % 2 == 0;
        let layers: Vec<usize> = if downward {
            (1..layered.layer_count).collect()
        } else {
            (0..layered.layer_count.saturating_sub(1)).rev().collect()
        };
        for l in layers {
            let (fixed_layer, fixed) = if downward { (l - 1, &up) } else { (l + 1, &down) };
            set_positions(&layered.order[fixed_layer], &mut pos);
            set_positions(&layered.order[l], &mut pos);
            for block in layered.order[l].iter_mut() {
                let mut keyed: Vec<(f64, usize)> = block
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        let ns = &fixed[v];
                        // Nodes without neighbours keep their place.
                        let key = if ns.is_empty() {
                            pos[v] as f64
                        } else {
                            ns.iter().map(|w| pos[*w] as f64).sum::<f64>() / ns.len() as f64
                        };
                        (key + i as f64 * 1e-6, v)
                    })
                    .collect();
                keyed.sort_by(|a, b| a.0.total_cmp(&b.0));
                *block = keyed.into_iter().map(|(_, v)| v).collect();
            }
        }
        transpose(layered, &down, &mut pos);
        let c = crossings(layered);
        if c < best_crossings {
            best_crossings = c;
            best = layered.order.clone();
            if c == 0 {
                break;
            }
        }
    }
    layered.order = best;
    best_crossings
}

/// Swaps neighbours inside blocks while that lowers the crossings around them.
fn transpose(layered: &mut Layered, down: &[Vec<usize>], pos: &mut [usize]) {
    for _ in 0..4 {
        let mut improved = false;
        for l in 0..layered.layer_count {
            for b in 0..layered.order[l].len() {
                for i in 1..layered.order[l][b].len() {
                    let before = crossings_around(layered, l, down, pos);
                    layered.order[l][b].swap(i - 1, i);
                    if crossings_around(layered, l, down, pos) < before {
                        improved = true;
                    } else {
                        layered.order[l][b].swap(i - 1, i);
                    }
                }
            }
        }
        if !improved {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::diagram::Shape;
    use crate::layout::input::{InputEdge, InputLane, InputNode};
    use crate::model::{StepKind, Trigger};

    fn graph(n: usize, edges: &[(usize, usize)]) -> LayoutGraph {
        LayoutGraph {
            lanes: vec![InputLane { id: "a".into(), name: "A".into() }],
            nodes: (0..n)
                .map(|i| InputNode {
                    id: format!("n{i}"),
                    name: String::new(),
                    shape: if i == 0 { Shape::StartEvent(Trigger::None) } else { Shape::Task(StepKind::None) },
                    lane: 0,
                    link: None,
                })
                .collect(),
            edges: edges.iter().map(|&(from, to)| InputEdge { from, to, label: None, default: false }).collect(),
            ..LayoutGraph::default()
        }
    }

    #[test]
    fn loop_back_is_the_edge_that_closes_the_cycle() {
        let g = graph(4, &[(0, 1), (1, 2), (2, 1), (2, 3)]);
        assert_eq!(back_edges(&g), vec![false, false, true, false]);
    }

    #[test]
    fn layers_follow_the_longest_path() {
        let g = graph(4, &[(0, 1), (1, 2), (0, 2), (2, 3)]);
        let layered = layered(&g);
        let layers: Vec<usize> = layered.nodes.iter().take(4).map(|n| n.layer).collect();
        assert_eq!(layers, vec![0, 1, 2, 3]);
        // The long edge 0 → 2 gets one dummy in layer 1.
        assert_eq!(layered.chains[2].len(), 3);
    }

    /// `graph` with node `i` in lane `lanes[i]`.
    fn in_lanes(lanes: &[usize], edges: &[(usize, usize)]) -> LayoutGraph {
        let mut g = graph(lanes.len(), edges);
        let count = lanes.iter().max().map_or(1, |m| m + 1);
        g.lanes = (0..count).map(|l| InputLane { id: format!("l{l}"), name: format!("L{l}") }).collect();
        for (node, &lane) in g.nodes.iter_mut().zip(lanes) {
            node.lane = lane;
        }
        g
    }

    #[test]
    fn a_long_flow_turns_lanes_where_no_flow_runs_along_the_lane_it_cuts() {
        // start(lane 0) → x → y → z (lane 1) → t (lane 2), and start → t
        // directly: four channels to drop from lane 0 to lane 2 in.
        let path = [(0, 1), (1, 2), (2, 3), (3, 4), (0, 4)];
        let lanes = [0, 1, 1, 1, 2, 1];
        let g = in_lanes(&lanes[..5], &path);
        let back = back_edges(&g);
        let layer = layers(&g, &back, &vec![false; g.edges.len()], false);
        assert_eq!(layer, vec![0, 1, 2, 3, 4]);
        // Lane 1 is free in channels 0 and 3: the tie goes to the latest, so
        // the flow runs along its own lane and drops just before its target.
        assert_eq!(lane_switches(&g, &layer, &back)[4], 3);
        // With z → u also running along lane 1 in channel 3, channel 0 is
        // the only one where the drop cuts nothing.
        let mut busy = path.to_vec();
        busy.push((3, 5));
        let g = in_lanes(&lanes, &busy);
        let layer = layers(&g, &back_edges(&g), &vec![false; g.edges.len()], false);
        assert_eq!(lane_switches(&g, &layer, &back_edges(&g))[4], 0);
        let layered = layered(&g);
        let dummy_lanes: Vec<usize> = layered.chains[4][1..4].iter().map(|&d| layered.nodes[d].lane).collect();
        assert_eq!(dummy_lanes, vec![2, 2, 2]);
    }

    #[test]
    fn a_hand_off_shares_its_column_unless_a_lane_between_is_taken_there() {
        // start(0) → a(0) → b(1): b stacks under a.
        let g = in_lanes(&[0, 0, 1], &[(0, 1), (1, 2)]);
        let free = layered(&g);
        assert!(free.stacked[1]);
        assert_eq!((free.nodes[1].layer, free.nodes[2].layer), (1, 1));
        assert_eq!(free.chains[1], vec![1, 2]);
        // start(0) → a(0) → b(2), start → x(1): x sits in lane 1 of a's
        // column, between a and b, so b gets a column of its own.
        let g = in_lanes(&[0, 0, 2, 1], &[(0, 1), (1, 2), (0, 3)]);
        let taken = layered(&g);
        assert!(!taken.stacked[1]);
        assert_eq!((taken.nodes[1].layer, taken.nodes[2].layer), (1, 2));
        // A start event (its name hangs below it) never stacks.
        let g = in_lanes(&[0, 1], &[(0, 1)]);
        assert!(!layered_stacks_any(&g));
    }

    fn layered_stacks_any(g: &LayoutGraph) -> bool {
        layered(g).stacked.iter().any(|s| *s)
    }

    #[test]
    fn pulling_single_flow_steps_right_puts_a_short_branch_next_to_its_join() {
        // split 1 → a → b → join 4, and split → c → join: c may sit next to
        // the split (column 2) or next to the join (column 3).
        let g = graph(6, &[(0, 1), (1, 2), (2, 3), (3, 4), (1, 5), (5, 4)]);
        let back = back_edges(&g);
        assert_eq!(layers(&g, &back, &vec![false; g.edges.len()], false)[5], 2);
        assert_eq!(layers(&g, &back, &vec![false; g.edges.len()], true)[5], 3);
        // A step with two flows out keeps its column.
        assert_eq!(layers(&g, &back, &vec![false; g.edges.len()], true)[1], 1);
    }
}
