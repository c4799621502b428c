//! Time, peak memory and size of `procflow export pdf` on the bundled
//! models and on a generated project of 125 processes and 500 workflows
//! (12,500 steps) — the whole command, from reading the YAML to the PDF on
//! disk. Run with `cargo bench --bench pdf`; figures go to stdout.

mod common;

use std::path::Path;

use common::{Size, run_measured, write_model};

fn measure(name: &str, project: &Path, out: &Path) {
    let args =
        ["export".as_ref(), "pdf".as_ref(), "--quiet".as_ref(), project.as_os_str(), "-o".as_ref(), out.as_os_str()];
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..3 {
        let (time, peak_kb, ok) = run_measured(&args);
        assert!(ok, "{name} exports");
        times.push(time);
        peak = peak.max(peak_kb);
    }
    times.sort();
    let bytes = std::fs::read(out).expect("pdf written");
    println!(
        "{name:>22} {:>10.2} {:>10.0} {:>10.1}",
        times[1].as_secs_f64(),
        peak as f64 / 1024.0,
        bytes.len() as f64 / 1_048_576.0,
    );
}

fn main() {
    println!("{:>22} {:>10} {:>10} {:>10}", "project", "median s", "peak MiB", "PDF MiB");
    let dir = tempfile::tempdir().expect("tempdir");
    measure("models/", Path::new(env!("CARGO_MANIFEST_DIR")), &dir.path().join("models.pdf"));
    let size = Size::with_processes(125);
    let generated = dir.path().join("generated");
    write_model(&generated, size).expect("model written");
    measure(
        &format!("{} workflows", size.processes * size.workflows_per_process),
        &generated,
        &dir.path().join("big.pdf"),
    );
}
