//! Helpers shared by the test modules (`crate::common`) and the `miwg` example:
//! comparing output with a recorded snapshot or expected file, one row of
//! layout figures, the BPMN files of a folder, copying a folder. Each user
//! takes only some of them.
#![allow(dead_code)]

pub mod miwg;

use std::fs;
use std::path::{Path, PathBuf};

use procflow::layout::metrics::Metrics;

/// `tests/snapshots/`.
pub fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Compares `actual` with the snapshot `tests/snapshots/<name>` (`name` may
/// name a subfolder) and records a failure when they differ; with
/// `UPDATE_EXPECT` set, writes `actual` as the new snapshot instead.
pub fn compare(name: &str, actual: &str, failures: &mut Vec<String>) {
    if recorded(&snapshots().join(name), actual).is_err() {
        failures.push(format!("{name} differs from tests/snapshots/{name}"));
    }
}

/// Checks `actual` against the file recorded at `path`: `Err` with the
/// recorded text (empty when there is none) when they differ. With
/// `UPDATE_EXPECT` set, writes `actual` there instead, so one variable
/// re-records every snapshot and expected report.
pub fn recorded(path: &Path, actual: &str) -> Result<(), String> {
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::create_dir_all(path.parent().expect("a recorded file lies in a folder")).expect("mkdir");
        fs::write(path, actual).expect("write the recorded file");
        return Ok(());
    }
    let expected = fs::read_to_string(path).unwrap_or_default();
    if expected == actual { Ok(()) } else { Err(expected) }
}

/// Copies the folder `from` with everything in it to `to`.
pub fn copy_tree(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("mkdir");
    for entry in fs::read_dir(from).expect("read folder") {
        let path = entry.expect("entry").path();
        let target = to.join(path.file_name().expect("name"));
        if path.is_dir() {
            copy_tree(&path, &target);
        } else {
            fs::copy(&path, &target).expect("copy file");
        }
    }
}

/// The `.bpmn` files of a folder, sorted.
pub fn bpmn_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "bpmn"))
        .collect();
    files.sort();
    files
}

/// The columns of [`figures`], space-separated.
pub const FIGURES_HEADER: &str = "diagram nodes flows crossings overlaps bends main-path-bends backward length width height area/node shared-lines shared-trunks misplaced-labels junctions rails crowded-heads";

/// One diagram's layout figures in the columns of [`FIGURES_HEADER`], without
/// a line end.
pub fn figures(id: &str, m: &Metrics) -> String {
    format!(
        "{} {} {} {} {} {} {} {} {:.0} {} {} {:.1} {} {} {}/{} {} {} {}",
        id,
        m.nodes,
        m.edges,
        m.crossings,
        m.overlaps,
        m.bends,
        m.main_path_bends,
        m.backward_edges,
        m.edge_length,
        m.width,
        m.height,
        m.area_ratio,
        m.shared_lines,
        m.shared_trunks,
        m.misplaced_labels,
        m.labelled_flows,
        m.false_junctions,
        m.rails,
        m.crowded_arrowheads
    )
}

/// Runs the procflow binary with `args` in `dir`, without colour: what the
/// end-to-end tests read (status, standard output and error).
pub fn run_procflow<S: AsRef<std::ffi::OsStr>>(args: &[S], dir: &Path) -> std::process::Output {
    assert_cmd::Command::cargo_bin("procflow")
        .expect("binary builds")
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("procflow runs")
}

/// Runs git in `dir` with a throwaway identity and no user configuration,
/// failing the test when it fails.
pub fn git(dir: &Path, args: &[&str]) {
    git_dated(dir, None, args);
}

/// [`git`], with the author and committer dates set to `date` (RFC 2822 or
/// ISO 8601) when given, so commits made by a test have known dates.
pub fn git_dated(dir: &Path, date: Option<&str>, args: &[&str]) {
    let mut command = std::process::Command::new("git");
    command
        .args(["-c", "user.name=t", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"])
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    if let Some(date) = date {
        command.env("GIT_AUTHOR_DATE", date).env("GIT_COMMITTER_DATE", date);
    }
    assert!(command.status().expect("git runs").success(), "git {args:?}");
}
