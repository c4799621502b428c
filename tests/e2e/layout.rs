//! The layout's hard invariants on every workflow of the bundled models and the
//! fixtures, and on generated workflows (proptest).

use std::path::Path;

use procflow::layout::{self, LayoutOptions, metrics};
use procflow::project::Project;

fn checked(dir: &Path) -> Option<procflow::Checked> {
    let project = Project::read(dir).ok()?;
    let checked = procflow::check(&project.sources);
    checked.is_ok(false).then_some(checked)
}

#[test]
fn bundled_workflows_keep_every_invariant() {
    let checked = checked(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("models check");
    let model = &checked.model;
    for &w in &model.workflows {
        for options in [LayoutOptions::default(), LayoutOptions { optimise_lanes: true }] {
            let diagram = layout::workflow(model, w, options);
            let problems = metrics::violations(&diagram);
            assert!(problems.is_empty(), "{}: {problems:#?}", diagram.id);
            // Two unrelated flows on one line read as one: none in the
            // examples people copy from.
            assert_eq!(metrics::measure(&diagram).overlaps, 0, "{}", diagram.id);
        }
    }
    let landscape = layout::landscape(model);
    let problems = metrics::violations(&landscape);
    assert!(problems.is_empty(), "landscape: {problems:#?}");
}

/// Labels of two different flows never touch: stacked, they would read as
/// one label of one flow.
#[test]
fn flow_labels_of_bundled_diagrams_keep_apart() {
    let checked = checked(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("models check");
    let model = &checked.model;
    let mut diagrams: Vec<_> =
        model.workflows.iter().map(|&w| layout::workflow(model, w, LayoutOptions::default())).collect();
    diagrams.push(layout::landscape(model));
    for diagram in &diagrams {
        let labels: Vec<_> = diagram.edges.iter().filter_map(|e| e.label.as_ref().map(|l| l.bounds)).collect();
        for (i, a) in labels.iter().enumerate() {
            for b in &labels[i + 1..] {
                let gap_x = (b.x - (a.x + a.width)).max(a.x - (b.x + b.width));
                let gap_y = (b.y - (a.y + a.height)).max(a.y - (b.y + b.height));
                assert!(gap_x.max(gap_y) >= 4.0, "{}: labels at {a:?} and {b:?} touch", diagram.id);
            }
        }
    }
}

/// A landscape edge carrying several data flows lists each behind a bullet.
#[test]
fn landscape_lists_several_data_flows_as_bullets() {
    let checked = checked(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("models check");
    let graph = procflow::layout::LayoutGraph::landscape(&checked.model);
    let labels: Vec<&str> = graph.edges.iter().filter_map(|e| e.label.as_deref()).collect();
    let several: Vec<&&str> = labels.iter().filter(|l| l.contains('\n')).collect();
    assert!(!several.is_empty(), "the example has pairs of processes exchanging several data flows");
    for label in several {
        assert!(label.lines().all(|line| line.starts_with("• ")), "{label}");
    }
    assert!(labels.iter().filter(|l| !l.contains('\n')).all(|l| !l.starts_with('•')));
}

/// Small hand-made two-lane workflows for the routing cases below.
mod two_lanes {
    pub use procflow::compile::GatewayKind;
    pub use procflow::layout::diagram::Shape;
    use procflow::layout::input::{InputEdge, InputLane, InputNode, LayoutGraph};
    pub use procflow::model::{StepKind, Trigger};

    pub const TASK: Shape = Shape::Task(StepKind::User);

    /// Steps as (id, shape, lane 0 or 1), flows as pairs of step indices.
    pub fn graph(steps: &[(&str, Shape, usize)], flows: &[(usize, usize)]) -> LayoutGraph {
        LayoutGraph {
            id: "two-lanes".into(),
            title: "Two lanes".into(),
            description: String::new(),
            lanes: vec![InputLane { id: "a".into(), name: "A".into() }, InputLane { id: "b".into(), name: "B".into() }],
            nodes: steps
                .iter()
                .map(|&(id, shape, lane)| InputNode {
                    id: id.into(),
                    name: format!("Step {id}"),
                    shape,
                    lane,
                    link: None,
                })
                .collect(),
            edges: flows.iter().map(|&(from, to)| InputEdge { from, to, label: None, default: false }).collect(),
        }
    }
}

/// Two flows crossing one channel in opposite directions between the same two
/// heights: a step in lane A dropping to lane B's row and a step in lane B
/// rising to lane A's row. They must cross, not share a line.
#[test]
fn opposed_flows_in_one_channel_cross_instead_of_overlapping() {
    use two_lanes::*;
    let split = Shape::Gateway(GatewayKind::Parallel);
    // start → split → p → p2 (lane a) → q (lane b), and split → x → x2 (lane b) → y (lane a).
    let graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("split", split, 0),
            ("p", TASK, 0),
            ("p2", TASK, 0),
            ("x", TASK, 1),
            ("x2", TASK, 1),
            ("q", TASK, 1),
            ("y", TASK, 0),
            ("join", split, 0),
            ("end", Shape::EndEvent(Trigger::None), 0),
        ],
        &[(0, 1), (1, 2), (2, 3), (3, 6), (1, 4), (4, 5), (5, 7), (6, 8), (7, 8), (8, 9)],
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty());
    let figures = metrics::measure(&diagram);
    assert_eq!((figures.overlaps, figures.crossings), (0, 1));
}

/// A check gateway whose "yes" goes up to the next step and whose "no" loops
/// back over the top: the loop climbs past the "yes" flow, so the "yes" flow
/// must not take the gateway's top vertex (the loop would cut it).
#[test]
fn a_branch_leaves_the_gateway_vertex_to_a_loop_that_climbs_past_it() {
    use two_lanes::*;
    let graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("a", TASK, 0),
            ("b", TASK, 1),
            ("done", Shape::Gateway(GatewayKind::Exclusive), 1),
            ("c", TASK, 0),
            ("end", Shape::EndEvent(Trigger::None), 0),
        ],
        &[(0, 1), (1, 2), (2, 3), (3, 4), (3, 1), (4, 5)],
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty());
    assert_eq!(metrics::measure(&diagram).crossings, 0);
}

mod generated {
    use procflow::compile::GatewayKind;
    use procflow::layout::diagram::Shape;
    use procflow::layout::input::{InputEdge, InputLane, InputNode, LayoutGraph};
    use procflow::layout::{self, LayoutOptions, metrics};
    use procflow::model::{StepKind, Trigger};
    use proptest::prelude::*;

    /// A workflow-like graph: a backbone from a start to an end event, with
    /// gateways splitting into branches that rejoin, loops back and names of
    /// every length, spread over several lanes.
    fn workflow() -> impl Strategy<Value = LayoutGraph> {
        (3usize..40, 1usize..8, prop::collection::vec((0usize..1000, 0usize..1000, 0u8..10), 0..30), any::<u64>())
            .prop_map(|(n, lanes, extras, seed)| {
                let mut state = seed | 1;
                let mut next = move |m: usize| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    (state % m as u64) as usize
                };
                let names = [
                    "",
                    "Log",
                    "Assign to level 1",
                    "Accept the level 1 assignment and inform the user",
                    "Supercalifragilisticexpialidocious",
                    "Ask user to confirm resolution?",
                ];
                let nodes: Vec<InputNode> = (0..n)
                    .map(|i| {
                        let shape = if i == 0 {
                            Shape::StartEvent(Trigger::Message)
                        } else if i == n - 1 {
                            Shape::EndEvent(Trigger::None)
                        } else {
                            match next(6) {
                                0 => Shape::Gateway(GatewayKind::Exclusive),
                                1 => Shape::Gateway(GatewayKind::Parallel),
                                2 => Shape::IntermediateEvent(Trigger::Timer),
                                3 => Shape::Subprocess,
                                _ => Shape::Task(StepKind::User),
                            }
                        };
                        InputNode {
                            id: format!("s{i}"),
                            name: names[next(names.len())].to_string(),
                            shape,
                            lane: next(lanes),
                            link: None,
                        }
                    })
                    .collect();
                let mut edges: Vec<InputEdge> =
                    (0..n - 1).map(|i| InputEdge { from: i, to: i + 1, label: None, default: false }).collect();
                for (a, b, kind) in extras {
                    let (from, to) = (a % (n - 1), 1 + b % (n - 1));
                    if edges.iter().any(|e| e.from == from && e.to == to) {
                        continue;
                    }
                    let label = (kind % 3 == 0)
                        .then(|| ["yes", "no", "needs level 3 or supplier"][kind as usize % 3].to_string());
                    edges.push(InputEdge { from, to, label, default: kind == 9 });
                }
                LayoutGraph {
                    id: "generated".into(),
                    title: "Generated workflow".into(),
                    description: String::new(),
                    lanes: (0..lanes)
                        .map(|l| InputLane { id: format!("r{l}"), name: format!("Role number {l}") })
                        .collect(),
                    nodes,
                    edges,
                }
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(1000))]

        #[test]
        fn generated_workflows_keep_every_invariant(graph in workflow(), optimise in any::<bool>()) {
            let diagram = layout::layout(&graph, LayoutOptions { optimise_lanes: optimise });
            let problems = metrics::violations(&diagram);
            prop_assert!(problems.is_empty(), "{problems:#?}");
            prop_assert_eq!(diagram.nodes.len(), graph.nodes.len());
            prop_assert_eq!(diagram.edges.len(), graph.edges.len());
        }
    }
}

/// A named gateway splitting into a straight branch and one to a lower row of
/// its own lane (problem-investigation's "Permanent fix justified?"): its
/// name goes above, so the lower branch leaves through the bottom vertex
/// instead of sharing the right vertex with the straight one.
#[test]
fn a_named_gateway_sends_a_branch_to_a_lower_row_out_of_its_bottom_vertex() {
    use two_lanes::*;
    let gateway = Shape::Gateway(GatewayKind::Exclusive);
    // start → check → split → fix → end, and split → accept → end2: fix and
    // accept share a column in lane a, so accept takes the row below.
    let mut graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("check", TASK, 0),
            ("split", gateway, 0),
            ("fix", TASK, 0),
            ("accept", TASK, 0),
            ("end", Shape::EndEvent(Trigger::None), 0),
            ("end2", Shape::EndEvent(Trigger::None), 0),
        ],
        &[(0, 1), (1, 2), (2, 3), (3, 5), (2, 4), (4, 6)],
    );
    graph.nodes[2].name = "Permanent fix justified?".into();
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    assert_eq!(metrics::measure(&diagram).shared_trunks, 0, "one branch per vertex");
}

/// A named gateway splitting into three branches of its own lane (MIWG A.2.0,
/// "Gateway (Split Flow)"): the middle branch continues the gateway's row,
/// the others leave through the top and bottom vertices, and the name moves
/// right of the bottom vertex. Before, the gateway sat on the first branch's
/// row and two branches shared its right vertex.
#[test]
fn a_three_way_split_keeps_its_middle_branch_straight_and_gives_each_branch_a_vertex() {
    use two_lanes::*;
    let gateway = Shape::Gateway(GatewayKind::Exclusive);
    let mut graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("split", gateway, 0),
            ("up", TASK, 0),
            ("middle", TASK, 0),
            ("down", TASK, 0),
            ("join", gateway, 0),
            ("end", Shape::EndEvent(Trigger::None), 0),
        ],
        &[(0, 1), (1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (4, 5), (5, 6)],
    );
    graph.nodes[1].name = "Gateway (Split Flow)".into();
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let centre_y = |i: usize| diagram.nodes[i].rect.center().y;
    assert!((centre_y(1) - centre_y(3)).abs() < 0.5, "the middle branch continues the split's row");
    assert!(centre_y(2) < centre_y(1) && centre_y(4) > centre_y(1), "the others above and below");
    assert!((centre_y(5) - centre_y(1)).abs() < 0.5, "the join stays on the main row");
    let m = metrics::measure(&diagram);
    assert_eq!((m.shared_trunks, m.shared_lines), (0, 0), "one branch per vertex, no shared line");
    let split = diagram.nodes[1].rect;
    let name = diagram.nodes[1].label.as_ref().expect("name").bounds;
    assert!(name.x > split.center().x && name.y > split.bottom(), "the name sits right of the bottom vertex");
}

/// The main path a reader follows (the default branch, else the first one
/// written) keeps the split's row (incident-handling's "Incident or service
/// request?": before, the gateway stayed on the row of the branch drawn on
/// top, and the main path bent down into *Log incident*).
#[test]
fn the_default_branch_of_a_two_way_split_keeps_the_split_s_row() {
    use two_lanes::*;
    let gateway = Shape::Gateway(GatewayKind::Exclusive);
    for default_first in [true, false] {
        let mut graph = graph(
            &[
                ("start", Shape::StartEvent(Trigger::None), 0),
                ("split", gateway, 0),
                ("first", TASK, 0),
                ("second", TASK, 0),
                ("end", Shape::EndEvent(Trigger::None), 0),
                ("end2", Shape::EndEvent(Trigger::None), 0),
            ],
            &[(0, 1), (1, 2), (1, 3), (2, 4), (3, 5)],
        );
        let main = if default_first { 1 } else { 2 };
        graph.edges[main].default = true;
        let diagram = layout::layout(&graph, LayoutOptions::default());
        assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
        let centre_y = |i: usize| diagram.nodes[i].rect.center().y;
        let target = graph.edges[main].to;
        assert!(
            (centre_y(target) - centre_y(1)).abs() < 0.5,
            "default to {}: not on the split's row",
            graph.nodes[target].id
        );
        assert!((centre_y(0) - centre_y(1)).abs() < 0.5, "the start stays on the main row");
    }
}

/// A branch whose run down from the gateway's bottom vertex would pass a step
/// in the gateway's column (MIWG C.8.0, "Refused" over *Vacation Refused
/// Automatically*) still leaves through that vertex, on a short stub into the
/// channel. Before, it shared the right vertex with the straight branch, with
/// the default slash on the shared part.
#[test]
fn a_branch_blocked_in_the_gateway_s_column_leaves_its_vertex_on_a_stub() {
    use two_lanes::*;
    let gateway = Shape::Gateway(GatewayKind::Exclusive);
    let mut graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("a", TASK, 0),
            ("split", gateway, 0),
            ("b", TASK, 0),
            ("c", TASK, 1),
            ("start2", Shape::StartEvent(Trigger::None), 1),
            ("y", TASK, 1),
            ("x", TASK, 1),
            ("end", Shape::EndEvent(Trigger::None), 0),
        ],
        &[(0, 1), (1, 2), (2, 3), (2, 4), (5, 6), (6, 7), (3, 8), (4, 8), (7, 8)],
    );
    graph.edges[2].default = true;
    graph.nodes[2].name = String::new();
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let (split, x) = (diagram.nodes[2].rect, diagram.nodes[7].rect);
    assert!((split.center().x - x.center().x).abs() < 0.5, "the test needs x in the split's column");
    let branch = &diagram.edges[3].points;
    assert!(
        (branch[0].x - split.center().x).abs() < 0.5 && (branch[0].y - split.bottom()).abs() < 0.5,
        "the branch leaves the bottom vertex: {branch:?}"
    );
    assert!(branch[1].y < x.y, "its stub turns before x: {branch:?}");
    assert_eq!(metrics::measure(&diagram).shared_trunks, 0);
}

/// Adds lanes `c`, `d`, … to a two-lane graph, up to `count` lanes.
fn with_lanes(mut graph: procflow::layout::input::LayoutGraph, count: usize) -> procflow::layout::input::LayoutGraph {
    for k in graph.lanes.len()..count {
        let id = char::from(b'a' + k as u8).to_string();
        graph.lanes.push(procflow::layout::input::InputLane { name: id.to_uppercase(), id });
    }
    graph
}

/// A join gathering flows from above, from its own row and from below, whose
/// one outgoing flow goes up (major-incident-comms' "All tracks complete"):
/// the outgoing flow leaves by the right vertex, so the top vertex is free
/// for the flow from above. Before, the outgoing flow took the top vertex and
/// two incoming flows shared the left one.
#[test]
fn the_only_flow_out_of_a_join_leaves_by_its_right_vertex() {
    use two_lanes::*;
    let parallel = Shape::Gateway(GatewayKind::Parallel);
    let graph = with_lanes(
        graph(
            &[
                ("start", Shape::StartEvent(Trigger::None), 1),
                ("split", parallel, 1),
                ("above", TASK, 0),
                ("level", TASK, 1),
                ("below", TASK, 2),
                ("join", parallel, 1),
                ("after", TASK, 0),
                ("end", Shape::EndEvent(Trigger::None), 0),
            ],
            &[(0, 1), (1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (4, 5), (5, 6), (6, 7)],
        ),
        3,
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let join = diagram.nodes[5].rect;
    let out = &diagram.edges[7].points;
    assert!(
        (out[0].x - join.right()).abs() < 0.5 && (out[0].y - join.center().y).abs() < 0.5,
        "the outgoing flow leaves the right vertex: {out:?}"
    );
    let m = metrics::measure(&diagram);
    assert_eq!((m.shared_lines, m.crossings), (0, 0), "each incoming flow on a vertex of its own");
}

/// A check gateway whose branches go up and straight on and whose third
/// branch loops back (normal-change-cab's "CAB recommendation?"): where over
/// and under cross as many flows, the loop runs under, out of the free bottom
/// vertex. Before, it ran over the top out of the right vertex, on one line
/// with the straight branch.
#[test]
fn a_loop_from_a_gateway_whose_top_vertex_is_a_branch_s_runs_under_from_its_bottom_vertex() {
    use two_lanes::*;
    let graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 1),
            ("review", TASK, 1),
            ("decide", Shape::Gateway(GatewayKind::Exclusive), 1),
            ("escalate", TASK, 0),
            ("approve", TASK, 1),
            ("end", Shape::EndEvent(Trigger::None), 0),
            ("end2", Shape::EndEvent(Trigger::None), 1),
        ],
        &[(0, 1), (1, 2), (2, 3), (2, 4), (2, 1), (3, 5), (4, 6)],
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let decide = diagram.nodes[2].rect;
    let back = &diagram.edges[4].points;
    assert!(
        (back[0].x - decide.center().x).abs() < 0.5 && (back[0].y - decide.bottom()).abs() < 0.5,
        "the loop leaves the bottom vertex: {back:?}"
    );
    let m = metrics::measure(&diagram);
    assert_eq!((m.shared_lines, m.crossings), (0, 0));
}

/// A split in the top lane whose three branches all go down to lanes below
/// (normal-change-cab's "Request reviews"): two share the right vertex, but
/// each runs down on a track of its own instead of one trunk they peel off.
#[test]
fn branches_sharing_a_vertex_run_down_on_tracks_of_their_own() {
    use two_lanes::*;
    let parallel = Shape::Gateway(GatewayKind::Parallel);
    let graph = with_lanes(
        graph(
            &[
                ("start", Shape::StartEvent(Trigger::None), 0),
                ("split", parallel, 0),
                ("first", TASK, 1),
                ("second", TASK, 2),
                ("third", TASK, 3),
                ("join", parallel, 0),
                ("end", Shape::EndEvent(Trigger::None), 0),
            ],
            &[(0, 1), (1, 2), (1, 3), (1, 4), (2, 5), (3, 5), (4, 5), (5, 6)],
        ),
        4,
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let mut verticals: Vec<f64> = diagram.edges[1..4]
        .iter()
        .flat_map(|e| e.points.windows(2).filter(|w| (w[0].x - w[1].x).abs() < 0.01).map(|w| w[0].x).take(1))
        .collect();
    verticals.sort_by(f64::total_cmp);
    verticals.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    assert_eq!(verticals.len(), 3, "one vertical run per branch");
    assert_eq!(metrics::measure(&diagram).crossings, 0);
}

/// Three loops return to one task whose left side also takes a forward flow
/// (normal-change-cab's "Schedule change"): each loop gets a port of its own
/// and none crosses another. Before, the third found no room and entered on
/// the forward flow's port, so the two read as one line.
#[test]
fn loops_into_a_crowded_task_side_take_ports_of_their_own() {
    use two_lanes::*;
    let gateway = Shape::Gateway(GatewayKind::Exclusive);
    let graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("plan", TASK, 0),
            ("schedule", TASK, 0),
            ("first", gateway, 0),
            ("second", gateway, 0),
            ("third", gateway, 0),
            ("end", Shape::EndEvent(Trigger::None), 0),
        ],
        &[(0, 1), (1, 2), (2, 3), (3, 4), (4, 5), (5, 6), (3, 2), (4, 2), (5, 2)],
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let m = metrics::measure(&diagram);
    assert_eq!((m.shared_lines, m.crossings), (0, 0));
}

/// A hand-off to a step of another lane that nothing else leads to is drawn
/// as modellers draw it: the second step straight under the first, joined by
/// one vertical arrow from vertex to vertex, in one column.
#[test]
fn a_hand_off_stacks_the_next_step_under_the_first_in_one_column() {
    use two_lanes::*;
    let graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("p", TASK, 0),
            ("q", TASK, 1),
            ("r", TASK, 1),
            ("end", Shape::EndEvent(Trigger::None), 1),
        ],
        &[(0, 1), (1, 2), (2, 3), (3, 4)],
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty(), "{:?}", metrics::violations(&diagram));
    let (p, q) = (&diagram.nodes[1].rect, &diagram.nodes[2].rect);
    let centre = |r: &procflow::layout::diagram::Rect| r.x + r.width / 2.0;
    assert!((centre(p) - centre(q)).abs() < 0.5, "p and q share a column");
    let points = &diagram.edges[1].points;
    assert_eq!(points.len(), 2, "one straight segment: {points:?}");
    assert!((points[0].x - centre(p)).abs() < 0.5 && (points[1].x - points[0].x).abs() < 0.01);
    assert!((points[0].y - (p.y + p.height)).abs() < 0.5, "leaves p's bottom: {points:?}");
    assert!((points[1].y - q.y).abs() < 0.5, "enters q's top: {points:?}");
    // The end event lies two columns right of the stacked pair.
    assert!(diagram.nodes[4].rect.x > q.x + q.width);
    assert!(metrics::measure(&diagram).bends == 0);
}

/// A step that another flow also leads to keeps its own column: stacked, one
/// of its two incoming flows would have to come round to its top.
#[test]
fn a_hand_off_into_a_step_with_a_second_flow_in_keeps_its_own_column() {
    use two_lanes::*;
    let xor = Shape::Gateway(GatewayKind::Exclusive);
    let graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("split", xor, 0),
            ("p", TASK, 0),
            ("x", TASK, 1),
            ("q", TASK, 1),
            ("end", Shape::EndEvent(Trigger::None), 1),
        ],
        &[(0, 1), (1, 2), (1, 3), (2, 4), (3, 4), (4, 5)],
    );
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert!(metrics::violations(&diagram).is_empty());
    let (p, q) = (&diagram.nodes[2].rect, &diagram.nodes[4].rect);
    assert!(q.x > p.x + p.width, "q sits right of p, not under it");
}

/// A step handed a case from above and handing it on below once sat at
/// both ends of its lane's block at once: the second arrow ran through the
/// step beside it in that lane (the layout bench's 500-step workflow).
#[test]
fn a_step_between_two_hand_offs_keeps_its_lane_neighbours_off_the_arrows() {
    use two_lanes::*;
    let mut graph = graph(
        &[
            ("start", Shape::StartEvent(Trigger::None), 0),
            ("a", TASK, 0),
            ("b", TASK, 1),
            ("c", TASK, 2),
            ("x", TASK, 1),
            ("end", Shape::EndEvent(Trigger::None), 2),
        ],
        &[(0, 1), (1, 2), (2, 3), (0, 4), (4, 5), (3, 5)],
    );
    graph.lanes.push(procflow::layout::input::InputLane { id: "c".into(), name: "C".into() });
    let diagram = layout::layout(&graph, LayoutOptions::default());
    assert_eq!(metrics::violations(&diagram), Vec::<String>::new());
    let centre = |i: usize| diagram.nodes[i].rect.x + diagram.nodes[i].rect.width / 2.0;
    let stacked = |i: usize, j: usize| (centre(i) - centre(j)).abs() < 0.5;
    assert!(stacked(1, 2) || stacked(2, 3), "one of the hand-offs still stacks");
}
