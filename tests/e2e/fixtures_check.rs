//! End-to-end check of every fixture folder: `procflow check` must print exactly
//! the diagnostics in the fixture's `expected.txt` and exit with its status.
//!
//! Layout: `tests/fixtures/<case>/` holds `models/` (and maybe `procflow.yaml`)
//! and `expected.txt`, whose first line is `status: N` and the rest is the report
//! `procflow check` prints. Run with `UPDATE_EXPECT=1` to rewrite the expected
//! files after a deliberate change, then review the diff.

use crate::common;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;

fn fixture_dirs() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/fixtures exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

fn run_check(dir: &Path) -> (i32, String) {
    let output = Command::cargo_bin("procflow")
        .expect("binary builds")
        .args(["check"])
        .arg(dir)
        .env("NO_COLOR", "1")
        .output()
        .expect("procflow runs");
    let status = output.status.code().expect("exit status");
    (status, String::from_utf8_lossy(&output.stderr).into_owned())
}

#[test]
fn every_fixture_reports_what_it_expects() {
    let mut failures = Vec::new();
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 30, "expected at least 30 fixtures, found {}", dirs.len());
    for dir in dirs {
        let (status, report) = run_check(&dir);
        let actual = format!("status: {status}\n{report}");
        if let Err(expected) = common::recorded(&dir.join("expected.txt"), &actual) {
            failures.push(format!("--- {}\n--- expected\n{expected}\n--- actual\n{actual}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// Every diagnostic code of the format has a fixture that triggers it, so every
/// rule's report has been read by a person at least once.
#[test]
fn every_code_has_a_fixture() {
    let mut seen = String::new();
    for dir in fixture_dirs() {
        seen.push_str(&fs::read_to_string(dir.join("expected.txt")).unwrap_or_default());
    }
    // `procflow drift`'s codes have their fixtures beside these (tests/e2e/drift.rs).
    let drift = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/drift-fixtures");
    for entry in fs::read_dir(drift).expect("tests/drift-fixtures exists") {
        let expected = entry.expect("readable entry").path().join("expected.txt");
        seen.push_str(&fs::read_to_string(expected).unwrap_or_default());
    }
    let missing: Vec<&str> = procflow::diagnostic::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .filter(|code| !seen.contains(&format!("[{code}]")))
        // I/O failures and 16 MiB files are tested at run time (tests/e2e/robustness.rs),
        // diagrams too large for a PNG by `build` (tests/e2e/site.rs).
        .filter(|code| !matches!(*code, "E0004" | "E0005" | "W0502"))
        .collect();
    assert!(missing.is_empty(), "codes without a fixture: {missing:?}");
}

/// A bad-input fixture reports its problem with a file and a line.
#[test]
fn every_diagnostic_is_located() {
    for dir in fixture_dirs() {
        let expected = fs::read_to_string(dir.join("expected.txt")).unwrap_or_default();
        let headers = expected.lines().filter(|l| l.starts_with("error[") || l.starts_with("warning[")).count();
        let locations = expected.lines().filter(|l| l.trim_start().starts_with("--> ")).count();
        assert_eq!(headers, locations, "{}: a diagnostic without a location", dir.display());
        for line in expected.lines().filter(|l| l.trim_start().starts_with("--> ")) {
            let place = line.trim_start().trim_start_matches("--> ");
            let parts: Vec<&str> = place.rsplitn(3, ':').collect();
            assert_eq!(parts.len(), 3, "{}: `{line}` lacks file:line:column", dir.display());
            assert!(parts[1].parse::<u32>().is_ok_and(|n| n > 0), "{}: bad line in `{line}`", dir.display());
        }
    }
}
