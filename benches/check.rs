//! Load + compile + check time and peak memory of `procflow check` on
//! synthetic models up to 500 processes, 2,000 workflows and 50,000 steps.
//! Run with `cargo bench --bench check`; figures go to stdout.

mod common;

use common::{Size, run_measured, write_model};

fn main() {
    println!(
        "{:>9} {:>9} {:>7} {:>10} {:>10} {:>10}",
        "processes", "workflows", "steps", "model MiB", "median ms", "peak MiB"
    );
    for scale in [1, 2, 4] {
        let size = Size::with_processes(125 * scale);
        let dir = tempfile::tempdir().expect("tempdir");
        write_model(dir.path(), size).expect("model written");
        let bytes: u64 = std::fs::read_dir(dir.path().join("models"))
            .expect("models")
            .map(|e| e.expect("entry").metadata().expect("meta").len())
            .sum();
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..5 {
            let (time, peak_kb, ok) =
                run_measured(&["check".as_ref(), "--format".as_ref(), "json".as_ref(), dir.path().as_os_str()]);
            assert!(ok, "generated model must check clean");
            times.push(time);
            peak = peak.max(peak_kb);
        }
        times.sort();
        println!(
            "{:>9} {:>9} {:>7} {:>10.1} {:>10.0} {:>10.1}",
            size.processes,
            size.processes * size.workflows_per_process,
            size.steps(),
            bytes as f64 / 1048576.0,
            times[2].as_secs_f64() * 1000.0,
            peak as f64 / 1024.0
        );
    }
}
