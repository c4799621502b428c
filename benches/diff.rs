//! `procflow diff` on the 50,000-step synthetic model: two folders, and two
//! commits of a git repository, where the head changes every process's
//! purpose and drops a fifth of the processes (10,000 steps) — a large change
//! set. Run with `cargo bench --bench diff`; figures go to stdout. The target
//! is under 2 s for two revisions.

mod common;

use std::ffi::OsStr;
use std::fs;
use std::path::Path;
use std::process::Command;

use common::{Size, run_measured, write_model};

/// Changes the model in `dir` as the bench's head: every purpose reworded,
/// the last fifth of the process files removed.
fn change(dir: &Path, size: Size) {
    for p in 0..size.processes {
        let path = dir.join(format!("models/process-{p:04}.yaml"));
        if p >= size.processes * 4 / 5 {
            fs::remove_file(&path).expect("remove");
        } else {
            let text = fs::read_to_string(&path).expect("read");
            fs::write(&path, text.replace("purpose: Keep", "purpose: Run")).expect("write");
        }
    }
}

fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .args(["-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("git runs");
    assert!(status.success(), "git {args:?}");
}

/// The median of five runs of `procflow ARGS`, in ms, and the peak memory in MiB.
fn measure(args: &[&OsStr]) -> (f64, f64) {
    let mut times = Vec::new();
    let mut peak = 0;
    for _ in 0..5 {
        let (time, peak_kb, _) = run_measured(args);
        times.push(time);
        peak = peak.max(peak_kb);
    }
    times.sort();
    (times[2].as_secs_f64() * 1000.0, peak as f64 / 1024.0)
}

fn main() {
    let size = Size::with_processes(500);
    let base = tempfile::tempdir().expect("tempdir");
    let head = tempfile::tempdir().expect("tempdir");
    write_model(base.path(), size).expect("model written");
    write_model(head.path(), size).expect("model written");
    change(head.path(), size);
    println!("{:>7} {:>22} {:>10} {:>10}", "steps", "sides", "median ms", "peak MiB");
    let (ms, mib) = measure(&["diff".as_ref(), base.path().as_os_str(), head.path().as_os_str()]);
    println!("{:>7} {:>22} {ms:>10.0} {mib:>10.1}", size.steps(), "two folders");

    let repo = tempfile::tempdir().expect("tempdir");
    write_model(repo.path(), size).expect("model written");
    git(repo.path(), &["init", "-q"]);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-q", "-m", "base"]);
    change(repo.path(), size);
    git(repo.path(), &["commit", "-q", "-am", "head"]);
    let project = repo.path().as_os_str();
    let (ms, mib) = measure(&["diff".as_ref(), "HEAD~1".as_ref(), "HEAD".as_ref(), "-C".as_ref(), project]);
    println!("{:>7} {:>22} {ms:>10.0} {mib:>10.1}", size.steps(), "two git revisions");
}
