//! Time and peak memory of the default `procflow build` (SVG and PNG
//! downloads) on the synthetic models up to 500 processes, 2,000 workflows
//! and 50,000 steps — the whole command, from reading the YAML to the site on
//! disk. Run with `cargo bench --bench build`; figures go to stdout.

mod common;

use common::{Size, run_measured, write_model};

fn main() {
    // `cargo bench --bench build -- --write DIR PROCESSES` only writes the
    // model, for profiling a build by hand.
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--write") {
        let (Some(dir), Some(processes)) = (args.get(at + 1), args.get(at + 2).and_then(|p| p.parse().ok())) else {
            panic!("usage: --write DIR PROCESSES");
        };
        let size = Size::with_processes(processes);
        write_model(std::path::Path::new(dir), size).expect("model written");
        return;
    }
    println!(
        "{:>9} {:>9} {:>7} {:>8} {:>10} {:>10} {:>10}",
        "processes", "workflows", "steps", "PNGs", "median s", "peak MiB", "site MiB"
    );
    for scale in [1, 4] {
        let size = Size::with_processes(125 * scale);
        let dir = tempfile::tempdir().expect("tempdir");
        write_model(dir.path(), size).expect("model written");
        let out = dir.path().join("site");
        let mut times = Vec::new();
        let mut peak = 0;
        for _ in 0..3 {
            let args = ["build".as_ref(), "--quiet".as_ref(), "-o".as_ref(), out.as_os_str(), dir.path().as_os_str()];
            let (time, peak_kb, ok) = run_measured(&args);
            assert!(ok, "the generated model builds");
            times.push(time);
            peak = peak.max(peak_kb);
        }
        times.sort();
        let (mut pngs, mut bytes) = (0, 0u64);
        for entry in std::fs::read_dir(out.join("workflows")).expect("workflows folder") {
            let entry = entry.expect("entry");
            pngs += usize::from(entry.path().extension().is_some_and(|e| e == "png"));
        }
        for entry in walk(&out) {
            bytes += entry;
        }
        println!(
            "{:>9} {:>9} {:>7} {:>8} {:>10.2} {:>10.0} {:>10.1}",
            size.processes,
            size.processes * size.workflows_per_process,
            size.steps(),
            pngs,
            times[1].as_secs_f64(),
            peak as f64 / 1024.0,
            bytes as f64 / 1048576.0
        );
    }
}

/// The sizes of every file under `dir`.
fn walk(dir: &std::path::Path) -> Vec<u64> {
    let mut sizes = Vec::new();
    for entry in std::fs::read_dir(dir).expect("folder").map(|e| e.expect("entry")) {
        let meta = entry.metadata().expect("metadata");
        if meta.is_dir() {
            sizes.extend(walk(&entry.path()));
        } else {
            sizes.push(meta.len());
        }
    }
    sizes
}
