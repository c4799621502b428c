//! End-to-end test of the generated site in a real browser: builds the bundled
//! models into a temporary folder, then runs `tests/browser/e2e.mjs`
//! (playwright-core driving Debian's headless Chromium over file://). The
//! script crawls every page for broken links and anchors and console errors,
//! searches for a work instruction and follows the first result, drives the
//! diagram viewer (fit, zoom, pan, full screen) and the step details at 1280
//! and 390 px, runs axe-core on every page in the light and the dark theme,
//! checks the phone layout, and takes screenshots into `target/screenshots`
//! (or `$PROCFLOW_SCREENSHOTS`).
//!
//! Without node, the npm packages (`npm ci` in tests/browser) or Chromium the
//! test passes with a note, unless PROCFLOW_REQUIRE_BROWSER=1 (`.ci/run` sets
//! it after installing them).

use crate::site_helpers as site;
use std::path::Path;
use std::process::Command;

const REQUIRE: &str = "PROCFLOW_REQUIRE_BROWSER";

#[test]
fn site_works_in_a_real_browser() {
    let script_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if let Some(reason) = site::browser_missing(&script_dir, &["playwright-core", "axe-core"]) {
        site::skip_or_fail(REQUIRE, &reason);
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = site::build_into(dir.path());
    let screenshots = site::screenshots_dir("");
    // The script prints its findings itself (stdout is inherited), so they
    // show in the CI log whether the test passes or fails.
    let status = Command::new("node")
        .arg(script_dir.join("e2e.mjs"))
        .arg(&out)
        .current_dir(&script_dir)
        .env("PROCFLOW_SCREENSHOTS", &screenshots)
        .env("PROCFLOW_CHROMIUM", site::chromium())
        .status()
        .expect("node runs");
    assert!(status.success(), "the browser test found problems in the site (listed above as FAIL lines): {status}");
}

/// A project built without PNG files: the page's PNG button draws one in the
/// browser (`tests/browser/png.mjs`).
#[test]
fn png_download_made_in_the_browser_matches_the_diagram() {
    let script_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if let Some(reason) = site::browser_missing(&script_dir, &["playwright-core"]) {
        site::skip_or_fail(REQUIRE, &reason);
        return;
    }
    let dir = tempfile::tempdir().expect("temporary folder");
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut project = procflow::project::Project::read(root).expect("the bundled project reads");
    let settings = std::fs::read_to_string(root.join("procflow.yaml")).expect("settings");
    project.sources.set_settings("procflow.yaml", settings.replace("png, ", "").into_bytes());
    let checked = procflow::check(&project.sources);
    assert!(!checked.settings.formats.contains(&procflow::model::DiagramFormat::Png));
    let site = procflow::site::build(&checked, &project.sources).expect("the site builds");
    assert!(site.get("workflows/incident-handling.png").is_none(), "no PNG file");
    let out = dir.path().join("site");
    procflow::output::write_site(&site, &out, &project.root).expect("the site is written");
    let status = Command::new("node")
        .arg(script_dir.join("png.mjs"))
        .arg(&out)
        .current_dir(&script_dir)
        .env("PROCFLOW_SCREENSHOTS", site::screenshots_dir(""))
        .env("PROCFLOW_CHROMIUM", site::chromium())
        .status()
        .expect("node runs");
    assert!(status.success(), "the PNG made in the browser is wrong (FAIL lines above): {status}");
}
