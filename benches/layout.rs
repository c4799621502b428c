//! Layout + SVG time and drawing quality on generated workflows of 20 to
//! 10,000 steps (6–8 lanes, branches, joins, loops), compared in the same run
//! with Graphviz `dot` drawing the same graphs with lanes as clusters.
//! Run `bench/layout-vs-dot.sh` (installs Graphviz) or
//! `cargo bench --bench layout`; figures go to stdout.

use std::fmt::Write as _;
use std::io::Write as _;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use procflow::compile::GatewayKind;
use procflow::layout::diagram::Shape;
use procflow::layout::input::{InputEdge, InputLane, InputNode, LayoutGraph};
use procflow::layout::{LayoutOptions, layout, metrics};
use procflow::model::{StepKind, Trigger};

/// Deterministic pseudo-random numbers (xorshift), so every run draws the
/// same workflows.
struct Rng(u64);

impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

/// A workflow of about `steps` steps: a main path of tasks with exclusive or
/// parallel splits into two or three branches that join again, and every
/// so often a loop back to an earlier task.
fn workflow(steps: usize, seed: u64) -> LayoutGraph {
    let mut rng = Rng(seed);
    let lanes = 6 + rng.below(3);
    let mut nodes: Vec<InputNode> = Vec::new();
    let mut edges: Vec<InputEdge> = Vec::new();
    fn add(nodes: &mut Vec<InputNode>, shape: Shape, lane: usize, name: String) -> usize {
        nodes.push(InputNode { id: format!("s{}", nodes.len()), name, shape, lane, link: None });
        nodes.len() - 1
    }
    let mut last = add(&mut nodes, Shape::StartEvent(Trigger::None), 0, "Start".into());
    let mut tasks: Vec<usize> = Vec::new();
    while nodes.len() + 2 < steps {
        let lane = rng.below(lanes);
        let name = format!("Handle case part {}", nodes.len());
        let task = add(&mut nodes, Shape::Task(StepKind::User), lane, name);
        edges.push(InputEdge { from: last, to: task, label: None, default: false });
        tasks.push(task);
        last = task;
        if rng.below(3) == 0 && nodes.len() + 8 < steps {
            let parallel = rng.below(2) == 0;
            let kind = if parallel { GatewayKind::Parallel } else { GatewayKind::Exclusive };
            let split = add(&mut nodes, Shape::Gateway(kind), lane, "Which way?".into());
            edges.push(InputEdge { from: last, to: split, label: None, default: false });
            let join = add(&mut nodes, Shape::Gateway(kind), lane, String::new());
            for b in 0..2 + rng.below(2) {
                let mut prev = split;
                for _ in 0..1 + rng.below(3) {
                    let name = format!("Branch work {}", nodes.len());
                    let t = add(&mut nodes, Shape::Task(StepKind::Service), rng.below(lanes), name);
                    let label = (prev == split && !parallel).then(|| ["yes", "no", "later"][b].to_string());
                    edges.push(InputEdge { from: prev, to: t, label, default: false });
                    prev = t;
                }
                edges.push(InputEdge { from: prev, to: join, label: None, default: false });
            }
            last = join;
        }
        if rng.below(12) == 0 && tasks.len() > 4 {
            let check = add(&mut nodes, Shape::Gateway(GatewayKind::Exclusive), lane, "Done?".into());
            edges.push(InputEdge { from: last, to: check, label: None, default: false });
            let target = tasks[tasks.len() - 2 - rng.below(3.min(tasks.len() - 2))];
            edges.push(InputEdge { from: check, to: target, label: Some("no".into()), default: false });
            last = check;
        }
    }
    let end = add(&mut nodes, Shape::EndEvent(Trigger::None), rng.below(lanes), "Done".into());
    edges.push(InputEdge { from: last, to: end, label: Some("yes".into()), default: false });
    LayoutGraph {
        id: format!("w{steps}"),
        title: format!("Generated workflow of {steps} steps"),
        description: String::new(),
        lanes: (0..lanes).map(|l| InputLane { id: format!("r{l}"), name: format!("Role {l}") }).collect(),
        nodes,
        edges,
    }
}

/// The same graph for dot: left to right, one cluster per lane.
fn dot_source(graph: &LayoutGraph) -> String {
    let mut dot = String::from("digraph G {\n  rankdir=LR; newrank=true; node [shape=box, width=1.4, height=1.1];\n");
    for (l, lane) in graph.lanes.iter().enumerate() {
        let _ = writeln!(dot, "  subgraph cluster_{l} {{ label=\"{}\";", lane.name);
        for (i, node) in graph.nodes.iter().enumerate().filter(|(_, n)| n.lane == l) {
            let _ = writeln!(dot, "    n{i} [label=\"{}\"];", node.name.replace('"', ""));
        }
        dot.push_str("  }\n");
    }
    for e in &graph.edges {
        let _ = writeln!(dot, "  n{} -> n{};", e.from, e.to);
    }
    dot.push_str("}\n");
    dot
}

/// Runs dot (with a time limit) and counts crossings of its edges, each
/// approximated by the polyline through its spline control points.
fn run_dot(source: &str, limit: Duration) -> Option<(Duration, usize)> {
    let started = Instant::now();
    let mut child = Command::new("dot")
        .arg("-Tplain")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .ok()?;
    child.stdin.take()?.write_all(source.as_bytes()).ok()?;
    let stdout = child.stdout.take()?;
    let reader = std::thread::spawn(move || std::io::read_to_string(stdout).unwrap_or_default());
    loop {
        if child.try_wait().ok()?.is_some() {
            break;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            return None;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let elapsed = started.elapsed();
    let plain = reader.join().ok()?;
    let mut polylines: Vec<Vec<(f64, f64)>> = Vec::new();
    for line in plain.lines().filter(|l| l.starts_with("edge ")) {
        let parts: Vec<&str> = line.split_whitespace().collect();
        let n: usize = parts.get(3)?.parse().ok()?;
        let points = (0..n)
            .filter_map(|k| Some((parts.get(4 + 2 * k)?.parse().ok()?, parts.get(5 + 2 * k)?.parse().ok()?)))
            .collect();
        polylines.push(points);
    }
    Some((elapsed, polyline_crossings(&polylines)))
}

/// A segment of polyline `usize`, from one point to the next.
type Segment = (usize, (f64, f64), (f64, f64));

fn polyline_crossings(lines: &[Vec<(f64, f64)>]) -> usize {
    let segs: Vec<Segment> =
        lines.iter().enumerate().flat_map(|(i, l)| l.windows(2).map(move |w| (i, w[0], w[1]))).collect();
    let orient = |a: (f64, f64), b: (f64, f64), c: (f64, f64)| (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
    let mut count = 0;
    for (i, (ea, a1, a2)) in segs.iter().enumerate() {
        for (eb, b1, b2) in &segs[i + 1..] {
            if ea == eb {
                continue;
            }
            let (d1, d2) = (orient(*a1, *a2, *b1), orient(*a1, *a2, *b2));
            let (d3, d4) = (orient(*b1, *b2, *a1), orient(*b1, *b2, *a2));
            if d1 * d2 < -1e-9 && d3 * d4 < -1e-9 {
                count += 1;
            }
        }
    }
    count
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let has_dot = Command::new("dot").arg("-V").stderr(Stdio::null()).status().is_ok_and(|s| s.success());
    println!(
        "{:>6} {:>6} {:>6} {:>12} {:>10} {:>9} {:>10} {:>12} {:>10}",
        "steps", "flows", "lanes", "procflow ms", "crossings", "overlaps", "bends", "dot ms", "dot cross"
    );
    for steps in std::env::var("SIZES")
        .map(|s| s.split(",").filter_map(|x| x.parse().ok()).collect::<Vec<usize>>())
        .unwrap_or(vec![20, 50, 100, 500, 2000, 10000])
    {
        let graph = workflow(steps, 0x5eed + steps as u64);
        let runs = if steps >= 2000 { 3 } else { 15 };
        let mut times = Vec::new();
        let mut diagram = None;
        for _ in 0..runs {
            let started = Instant::now();
            let d = layout(&graph, LayoutOptions::default());
            let svg = procflow::render::svg(&d);
            times.push(started.elapsed());
            assert!(svg.len() > 100);
            diagram = Some(d);
        }
        let Some(diagram) = diagram else { continue };
        let m = metrics::measure(&diagram);
        let violations = metrics::violations(&diagram);
        assert!(violations.is_empty(), "{steps} steps: {violations:?}");
        let dot = if has_dot && steps <= 2000 { run_dot(&dot_source(&graph), Duration::from_secs(120)) } else { None };
        let (dot_ms, dot_cross) = match dot {
            Some((t, c)) => (format!("{:.1}", t.as_secs_f64() * 1000.0), c.to_string()),
            None if has_dot && steps <= 2000 => ("timeout".into(), "-".into()),
            None => ("-".into(), "-".into()),
        };
        println!(
            "{:>6} {:>6} {:>6} {:>12.2} {:>10} {:>9} {:>10} {:>12} {:>10}",
            graph.nodes.len(),
            graph.edges.len(),
            graph.lanes.len(),
            median(times).as_secs_f64() * 1000.0,
            m.crossings,
            m.overlaps,
            m.bends,
            dot_ms,
            dot_cross
        );
    }
}
