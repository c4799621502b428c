//! Time of the whole `procflow render WORKFLOW -o FILE.svg` on one generated
//! workflow of 2,000 to 50,000 steps, against the physical floor: reading the
//! YAML and writing the SVG's bytes. Also how the time grows from each size
//! to the next, next to n log n. Run with `cargo bench --bench render`.

mod common;

use std::time::{Duration, Instant};

use common::{Size, run_measured, write_model};

fn main() {
    println!(
        "{:>7} {:>9} {:>8} {:>9} {:>10} {:>9} {:>8} {:>9} {:>10}",
        "steps", "YAML MiB", "SVG MiB", "floor ms", "render ms", "× floor", "peak MiB", "growth", "n log n"
    );
    let mut previous: Option<(usize, Duration)> = None;
    for steps in [2_000, 10_000, 50_000] {
        let size = Size {
            roles: 100,
            processes: 1,
            activities_per_process: 10,
            workflows_per_process: 1,
            steps_per_workflow: steps,
        };
        let dir = tempfile::tempdir().expect("tempdir");
        write_model(dir.path(), size).expect("model written");
        let svg = dir.path().join("workflow.svg");
        let args = ["render".as_ref(), "workflow-0-0".as_ref(), dir.path().as_os_str(), "-o".as_ref(), svg.as_os_str()];
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..5 {
            let (time, peak_kb, ok) = run_measured(&args);
            assert!(ok, "the generated workflow renders");
            times.push(time);
            peak = peak.max(peak_kb);
        }
        times.sort();
        let render = times[2];
        let (floor, yaml_bytes, svg_bytes) = floor(dir.path(), &svg);
        let growth = previous.map(|(n, t)| {
            let ratio = render.as_secs_f64() / t.as_secs_f64();
            let n_log_n = (steps as f64 * (steps as f64).ln()) / (n as f64 * (n as f64).ln());
            (format!("{ratio:.1}×"), format!("{n_log_n:.1}×"))
        });
        let (growth, n_log_n) = growth.unwrap_or_else(|| ("–".into(), "–".into()));
        println!(
            "{:>7} {:>9.1} {:>8.1} {:>9.1} {:>10.0} {:>8.1}× {:>8.0} {:>9} {:>10}",
            steps,
            yaml_bytes as f64 / 1048576.0,
            svg_bytes as f64 / 1048576.0,
            floor.as_secs_f64() * 1000.0,
            render.as_secs_f64() * 1000.0,
            render.as_secs_f64() / floor.as_secs_f64(),
            peak as f64 / 1024.0,
            growth,
            n_log_n
        );
        previous = Some((steps, render));
    }
}

/// The median time of reading every model file and writing as many bytes as
/// the rendered SVG has; the model's and the SVG's sizes.
fn floor(project: &std::path::Path, svg: &std::path::Path) -> (Duration, u64, u64) {
    let svg_bytes = std::fs::read(svg).expect("rendered SVG");
    let copy = project.join("floor.svg");
    let mut times = Vec::new();
    let mut yaml_bytes = 0;
    for _ in 0..5 {
        let started = Instant::now();
        yaml_bytes = 0;
        for entry in std::fs::read_dir(project.join("models")).expect("models") {
            yaml_bytes += std::fs::read(entry.expect("entry").path()).expect("model file").len() as u64;
        }
        std::fs::write(&copy, &svg_bytes).expect("copy written");
        times.push(started.elapsed());
    }
    times.sort();
    (times[2], yaml_bytes, svg_bytes.len() as u64)
}
