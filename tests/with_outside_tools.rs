//! The summary of the tests that need tools beyond Rust: which of them run
//! here and which pass without running, and why. Its own harness (no libtest),
//! so its lines are never captured, and named to sort last (cargo runs test
//! binaries in name order, doctests after them), so a `cargo test` that
//! skipped something ends its test binaries by saying so:
//!
//! ```text
//! SKIPPED  bpmn.rs: exports_validate_against_the_omg_bpmn_schemas — xmllint is not installed (…)
//! 5 of 9 tests that need outside tools were SKIPPED here: `.ci/run` installs the tools and runs everything
//! ```
//!
//! It fails, like the skipped tests themselves, when a `PROCFLOW_REQUIRE_*`
//! variable asks for a test whose tool is missing.

#[path = "e2e/outside/mod.rs"]
mod outside;

use std::process::ExitCode;

fn main() -> ExitCode {
    // `cargo test -- <filter>` and `--list` pass arguments; the summary is
    // only worth printing for a whole run.
    if std::env::args().skip(1).any(|a| a == "--list" || !a.starts_with('-')) {
        return ExitCode::SUCCESS;
    }
    let mut skipped = 0;
    let mut required_but_missing: Vec<String> = outside::CHECKS.iter().filter_map(stale).collect();
    println!("\ntests that need tools beyond Rust:");
    for check in outside::CHECKS {
        match (check.missing)() {
            None => println!("  runs     {}", check.test),
            Some(reason) => {
                skipped += 1;
                println!("  SKIPPED  {} — {reason}", check.test);
                if let Some(variable) = outside::required(check) {
                    required_but_missing.push(format!("{}: {variable}=1 requires it", check.test));
                }
            }
        }
    }
    let total = outside::CHECKS.len();
    if skipped == 0 {
        println!("all {total} ran\n");
    } else {
        println!(
            "{skipped} of {total} tests that need outside tools were SKIPPED here (they pass without running): \
             `.ci/run` installs the tools and runs everything; PROCFLOW_REQUIRE_*=1 turns a skip into a failure\n"
        );
    }
    if required_but_missing.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: {}", required_but_missing.join("\n       "));
        ExitCode::FAILURE
    }
}

/// A complaint when `check` names a test its file does not have (renamed or
/// removed), so the table cannot drift from the suite.
fn stale(check: &outside::OutsideCheck) -> Option<String> {
    let (file, test) = check.test.split_once(": ")?;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e").join(file);
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    (!text.contains(&format!("fn {test}()")))
        .then(|| format!("tests/e2e/outside/mod.rs names `{test}`, which tests/e2e/{file} does not have"))
}
