//! RACI benchmark: a generated model of 2,000 activities (100 processes of 20)
//! and 100 roles, with one workflow per process realizing its activities, and
//! the cross-process matrix rendered in every format. The goal is well under a
//! second per format. Run with `cargo bench --bench raci`; figures go to stdout.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use procflow::raci::{self, Format, Options, Selection};
use procflow::source::Sources;

const ROLES: usize = 100;
const PROCESSES: usize = 100;
const ACTIVITIES: usize = 20;
const RUNS: usize = 5;

/// The model as YAML text: roles, then one file per process with its workflow.
fn generate() -> Sources {
    let mut sources = Sources::new();
    let mut roles = String::from("roles:\n");
    for r in 0..ROLES {
        let _ = writeln!(roles, "  - id: role-{r}\n    name: Role number {r} of the organisation");
    }
    sources.add_text("models/roles.yaml", roles);
    let role = |p: usize, a: usize, k: usize| (p * 7 + a * 3 + k * 11) % ROLES;
    for p in 0..PROCESSES {
        let mut text =
            format!("process:\n  id: process-{p}\n  name: Process {p}\n  owner: role-{}\n  activities:\n", p % ROLES);
        for a in 0..ACTIVITIES {
            let (r, acc, c, i) = (role(p, a, 1), p % ROLES, role(p, a, 2), role(p, a, 3));
            let _ = writeln!(
                text,
                "    - id: a{a}\n      name: Activity {a} of process {p}\n      raci: {{ R: role-{r}, A: role-{acc}, C: [role-{c}], I: [role-{i}] }}"
            );
        }
        let _ = write!(
            text,
            "---\nworkflow:\n  id: workflow-{p}\n  name: Workflow {p}\n  steps:\n    - {{ id: start, type: start, lane: role-{} }}\n",
            role(p, 0, 1)
        );
        // Every fifth activity is left unrealized, so the analysis has work to do.
        for a in (0..ACTIVITIES).filter(|a| a % 5 != 4) {
            let _ = writeln!(
                text,
                "    - {{ id: s{a}, name: Step {a}, lane: role-{}, realizes: [process-{p}/a{a}] }}",
                role(p, a, 1)
            );
        }
        text.push_str("    - { id: end, type: end }\n");
        sources.add_text(format!("models/process-{p:03}.yaml"), text);
    }
    sources
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn main() {
    let started = Instant::now();
    let sources = generate();
    let checked = procflow::check(&sources);
    assert!(checked.is_ok(false), "the generated model must have no errors: {:?}", checked.diagnostics.first());
    let model = checked.model;
    assert_eq!(model.roles.len(), ROLES);
    println!(
        "model: {} processes, {} activities, {} roles, {} workflows; generated and checked in {:.0} ms",
        model.processes.len(),
        model.processes.iter().map(|p| model.process(*p).activities.len()).sum::<usize>(),
        model.roles.len(),
        model.workflows.len(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    let options = Options::default();
    let times: Vec<Duration> = (0..RUNS)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(raci::cross_process_matrix(&model, &options));
            t.elapsed()
        })
        .collect();
    println!("{:<28} {:>10}", "view + analysis (no output)", format!("{:.1} ms", median(times).as_secs_f64() * 1000.0));
    println!("{:<10} {:>12} {:>12}", "format", "median", "output");
    for (format, name) in [
        (Format::Csv, "csv"),
        (Format::Markdown, "md"),
        (Format::Svg, "svg"),
        (Format::Html, "html"),
        (Format::Json, "json"),
    ] {
        let mut size = 0;
        let times: Vec<Duration> = (0..RUNS)
            .map(|_| {
                let t = Instant::now();
                let text = raci::render(&model, Selection::All, &options, format);
                let elapsed = t.elapsed();
                size = text.len();
                elapsed
            })
            .collect();
        let median = median(times);
        println!("{name:<10} {:>9.1} ms {:>8.1} MiB", median.as_secs_f64() * 1000.0, size as f64 / (1024.0 * 1024.0));
        assert!(median < Duration::from_secs(1), "{name} took {median:?}, the goal is well under a second");
    }
}
