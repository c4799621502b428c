//! The site built from a git repository: a "What changed" page listing the
//! commits that changed the models' meaning, newest first, and on every
//! process, workflow and role page the commit that last changed it; the
//! same pages for the same commits, and none of it outside a repository.

use std::fs;
use std::path::Path;

use crate::common::{git, git_dated, run_procflow};

/// `procflow init`'s starter project in `dir`, building SVG only (fast).
fn starter(dir: &Path) {
    let out = run_procflow(&["init", "project"], dir);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let settings = dir.join("project/procflow.yaml");
    let text = fs::read_to_string(&settings).expect("settings");
    fs::write(&settings, text.replace("formats: [svg, bpmn]", "formats: [svg]")).expect("settings");
}

fn build(project: &Path) -> (String, String, String) {
    let out = run_procflow(&["build", "-o", "site"], project);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let read = |path: &str| fs::read_to_string(project.join("site").join(path)).unwrap_or_default();
    (read("changes.html"), read("workflows/incident-handling.html"), read("processes/incident-management.html"))
}

fn edit(path: &Path, from: &str, to: &str) {
    let text = fs::read_to_string(path).expect("model file");
    assert!(text.contains(from), "{from:?} in {}", path.display());
    fs::write(path, text.replacen(from, to, 1)).expect("model file");
}

#[test]
fn the_site_lists_the_commits_that_changed_the_models_and_dates_each_page() {
    let temp = tempfile::tempdir().expect("temp dir");
    let repo = temp.path();
    git(repo, &["init", "-q", "-b", "main"]);
    starter(repo);
    let project = repo.join("project");
    let workflow = project.join("models/incident-handling.yaml");
    git(repo, &["add", "."]);
    git_dated(repo, Some("2026-10-01T09:00:00Z"), &["commit", "-q", "-m", "Start the <service desk> & its models"]);
    fs::write(repo.join("README.md"), "Notes\n").expect("readme");
    git(repo, &["add", "."]);
    git_dated(repo, Some("2026-10-05T09:00:00Z"), &["commit", "-q", "-m", "Notes beside the models"]);
    edit(&workflow, "name: Log and categorise the incident", "name: Log, categorise and prioritise the incident");
    git(repo, &["commit", "-q", "-am", "Rename the logging step"]);
    git_dated(repo, Some("2026-11-02T09:00:00Z"), &["commit", "-q", "--amend", "--no-edit"]);
    // A comment is no change of meaning.
    edit(&workflow, "\nworkflow:\n", "\n# reworded comment\nworkflow:\n");
    git(repo, &["commit", "-q", "-am", "Reword a comment"]);

    let (changes, workflow_page, process_page) = build(&project);
    let at = |needle: &str| changes.find(needle).unwrap_or_else(|| panic!("{needle:?} on the page:\n{changes}"));
    assert!(at("Rename the logging step") < at("Start the &lt;service desk&gt; &amp; its models"), "newest first");
    assert!(!changes.contains("Notes beside the models") && !changes.contains("Reword a comment"), "{changes}");
    assert!(changes.contains("<time datetime=\"2026-11-02\">2026-11-02</time>"), "{changes}");
    assert!(changes.contains("workflows: 1 changed; steps: 1 changed"), "{changes}");
    assert!(changes.contains("back to the commit that added them"), "{changes}");
    assert!(
        workflow_page.contains("Last changed on 2026-11-02 in commit <a href=\"../changes.html#commit-"),
        "{workflow_page}"
    );
    assert!(workflow_page.contains(": Rename the logging step</p>"), "{workflow_page}");
    assert!(process_page.contains("Last changed on 2026-10-01"), "{process_page}");
    // The anchors the pages link to exist.
    let anchor = workflow_page.split("changes.html#").nth(1).and_then(|s| s.split('"').next()).expect("link");
    assert!(changes.contains(&format!("id=\"{anchor}\"")), "{anchor}");

    // The same commits give the same pages.
    let again = build(&project);
    assert_eq!(again, (changes, workflow_page, process_page));
}

#[test]
fn a_site_built_outside_a_repository_has_no_history() {
    let temp = tempfile::tempdir().expect("temp dir");
    starter(temp.path());
    let (changes, workflow_page, _) = build(&temp.path().join("project"));
    assert!(changes.is_empty(), "no changes.html");
    assert!(!workflow_page.is_empty() && !workflow_page.contains("last-changed"));
    assert!(!workflow_page.contains("changes.html"), "no menu entry");
}
