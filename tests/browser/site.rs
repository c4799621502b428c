//! Builds the bundled example project's site into a folder, through the
//! library as `procflow build` does. Shared by the tests that look at the
//! generated site from outside (`tests/browser.rs`, `tests/html_valid.rs`).

use std::io::Write;
use std::path::{Path, PathBuf};

/// Checks and builds `models/` and writes the site into `dir/site`.
pub fn build_into(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = procflow::project::Project::read(root).expect("the bundled project reads");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "the bundled models have errors: {:#?}", checked.diagnostics);
    let site = procflow::site::build(&checked, &project.sources).expect("the site builds");
    let out = dir.join("site");
    procflow::output::write_site(&site, &out, &project.root).expect("the site is written");
    out
}

/// Whether the environment variable `name` is set to `1`.
pub fn required(name: &str) -> bool {
    std::env::var_os(name).is_some_and(|v| v == "1")
}

/// A test that cannot run here passes with a note, unless `require_var` is set
/// to 1 (as `.ci/run` does once it has installed everything), when it fails.
/// The note goes straight to stderr so it shows even when output is captured.
pub fn skip_or_fail(require_var: &str, reason: &str) {
    if required(require_var) {
        panic!("{reason}, and {require_var}=1 requires this test to run");
    }
    let _ = writeln!(std::io::stderr(), "note: skipped: {reason} (set {require_var}=1 to make this an error)");
}
