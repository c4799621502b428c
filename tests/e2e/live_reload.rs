//! The live preview of `procflow serve` in a real browser: starts the server on
//! an ephemeral port over a copy of the example, then runs
//! `tests/browser/live.mjs` (playwright-core driving Debian's headless
//! Chromium), which opens a workflow page, edits its model and checks that a
//! valid save reloads the page at the same scroll position, that a broken save
//! shows the errors over the last good page, and that the fix clears them. It
//! takes `live-problems.png` into `target/screenshots` (or
//! `$PROCFLOW_SCREENSHOTS`).
//!
//! Without node, the npm packages (`npm ci` in tests/browser) or Chromium the
//! test passes with a `SKIPPED:` line, unless PROCFLOW_REQUIRE_BROWSER=1.

use crate::example;
use crate::outside;
use crate::site_helpers as site;
use std::path::Path;
use std::process::{Command, Stdio};

use example::{Server, example_copy};

#[test]
fn live_preview_reloads_and_shows_problems_in_a_real_browser() {
    let script_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser");
    if outside::skip("live_preview_reloads_and_shows_problems_in_a_real_browser") {
        return;
    }
    let dir = example_copy();
    let server = Server::start(dir.path(), Stdio::inherit());
    let screenshots = site::screenshots_dir("");
    // The script prints what it checked (stdout is inherited).
    let status = Command::new("node")
        .arg(script_dir.join("live.mjs"))
        .arg(server.url())
        .arg(dir.path())
        .current_dir(&script_dir)
        .env("PROCFLOW_SCREENSHOTS", &screenshots)
        .env("PROCFLOW_CHROMIUM", site::chromium())
        .status()
        .expect("node runs");
    drop(server);
    assert!(status.success(), "the live preview does not work in the browser (see the FAIL line above): {status}");
}
