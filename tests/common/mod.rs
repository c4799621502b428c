//! Helpers shared by the test files (`mod common;`) and the `miwg` example.
//! Each user takes only some of them.
#![allow(dead_code)]

pub mod miwg;

use std::fs;
use std::path::{Path, PathBuf};

/// `tests/snapshots/`.
fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Compares `actual` with the snapshot `tests/snapshots/<name>`, noting a
/// difference in `failures`; with `UPDATE_EXPECT` set, records it instead.
pub fn compare(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = snapshots().join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::create_dir_all(snapshots()).expect("mkdir");
        fs::write(&path, actual).expect("write snapshot");
    } else if fs::read_to_string(&path).unwrap_or_default() != actual {
        failures.push(format!("{name} differs from tests/snapshots/{name}"));
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
