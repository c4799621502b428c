//! Builds the bundled example project's site into a folder, through the
//! library as `procflow build` does, and tells whether the outside tools the
//! tests need are here. Shared by the tests that look at the generated site
//! from outside (`tests/e2e/browser.rs`, `tests/e2e/html_valid.rs`, `tests/e2e/bpmn.rs`,
//! `tests/e2e/live_reload.rs`); each uses a part.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Builds the bundled example project into `dir/site` with `procflow build`,
/// so the site is the one users get, with the tool alignment page the
/// project's `tool_exports` call for (the library's `check` alone does not
/// read the exports).
pub fn build_into(dir: &Path) -> PathBuf {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = dir.join("site");
    let output = Command::new(env!("CARGO_BIN_EXE_procflow"))
        .arg("build")
        .arg(root)
        .arg("-o")
        .arg(&out)
        .output()
        .expect("procflow runs");
    assert!(output.status.success(), "the bundled project does not build: {}", String::from_utf8_lossy(&output.stderr));
    assert!(out.join("alignment.html").is_file(), "the bundled project's tool exports give a tool alignment page");
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

/// The Chromium the browser tests drive (`PROCFLOW_CHROMIUM`, else Debian's).
pub fn chromium() -> PathBuf {
    std::env::var_os("PROCFLOW_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

/// Why a browser test cannot run here, if it cannot: node, one of the npm
/// `packages` of `script_dir` (`npm ci` there) or Chromium missing.
pub fn browser_missing(script_dir: &Path, packages: &[&str]) -> Option<String> {
    let node = Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        return Some("node is not installed".into());
    }
    if let Some(package) =
        packages.iter().find(|p| !script_dir.join("node_modules").join(p).join("package.json").is_file())
    {
        return Some(format!("{package} is not installed (run `npm ci` in {})", script_dir.display()));
    }
    let browser = chromium();
    if !browser.is_file() {
        return Some(format!("{} is not installed (apt-get install chromium)", browser.display()));
    }
    None
}

/// Where a browser test saves its screenshots: `$PROCFLOW_SCREENSHOTS`, else
/// `target/screenshots/<sub>` (`sub` may be empty).
pub fn screenshots_dir(sub: &str) -> PathBuf {
    std::env::var_os("PROCFLOW_SCREENSHOTS").map_or_else(
        || Path::new(env!("CARGO_TARGET_TMPDIR")).parent().expect("target folder").join("screenshots").join(sub),
        PathBuf::from,
    )
}
