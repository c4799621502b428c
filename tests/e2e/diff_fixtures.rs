//! `procflow diff` end to end. Every folder under `tests/diff-fixtures/`
//! holds a `before` and an `after` project differing in one kind of change,
//! and the exact expected text (with the exit status), JSON and Markdown
//! reports; the Markdown's summary must render as a table. A temporary git
//! repository covers revisions, the working tree, running from a sub-folder,
//! a file moved between folders and a repository without commits. Run with
//! `UPDATE_EXPECT=1` to rewrite the expected files, then review the diff.

use crate::common::{self, git};
use std::fs;
use std::path::{Path, PathBuf};

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/diff-fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(root)
        .expect("tests/diff-fixtures")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Runs procflow in `dir`; the exit status and standard output (standard
/// error appended after a marker when there is any).
fn procflow(dir: &Path, args: &[&str]) -> (i32, String) {
    let output = common::run_procflow(args, dir);
    let mut text = String::from_utf8_lossy(&output.stdout).into_owned();
    if !output.stderr.is_empty() {
        text.push_str("--- stderr\n");
        text.push_str(&String::from_utf8_lossy(&output.stderr));
    }
    (output.status.code().expect("exit status"), text)
}

#[test]
fn every_fixture_pair_reports_exactly_what_it_expects() {
    let mut failures = Vec::new();
    let dirs = fixtures();
    assert!(dirs.len() >= 12, "a fixture for every kind of change");
    for dir in &dirs {
        for (format, file) in [("text", "expected.txt"), ("json", "expected.json"), ("markdown", "expected.md")] {
            let (status, output) = procflow(dir, &["diff", "before", "after", "--format", format]);
            let actual = if format == "text" { format!("status: {status}\n{output}") } else { output };
            let no_change = dir.ends_with("no-change");
            if status != if no_change { 0 } else { 1 } {
                failures.push(format!("{}: exit status {status}", dir.display()));
            }
            if let Err(expected) = common::recorded(&dir.join(file), &actual) {
                failures.push(format!("--- {} {file}\n--- expected\n{expected}\n--- actual\n{actual}", dir.display()));
            }
        }
    }
    assert!(failures.is_empty(), "{} report(s) differ:\n{}", failures.len(), failures.join("\n"));
}

#[test]
fn markdown_summary_renders_as_a_table_and_user_text_stays_text() {
    use pulldown_cmark::{Event, Options, Parser, Tag};
    for dir in fixtures().iter().filter(|d| !d.ends_with("no-change")) {
        let (_, markdown) = procflow(dir, &["diff", "before", "after", "--format", "markdown"]);
        let events: Vec<Event> = Parser::new_ext(&markdown, Options::ENABLE_TABLES).collect();
        assert!(events.iter().any(|e| matches!(e, Event::Start(Tag::Table(_)))), "{}: no table", dir.display());
        // Only the <details> folding is raw HTML; nothing the user wrote.
        for event in &events {
            if let Event::Html(html) | Event::InlineHtml(html) = event {
                assert!(html.contains("details") || html.contains("summary"), "{}: raw HTML {html:?}", dir.display());
            }
        }
    }
    let (_, markdown) = procflow(
        &fixtures()[0].parent().expect("parent").join("findings-opened-closed"),
        &["diff", "before", "after", "--format", "markdown"],
    );
    assert!(markdown.contains("\\<b\\>agreed\\</b\\> \\| yet"), "{markdown}");
}

#[test]
fn json_report_parses_and_names_every_change() {
    let dir = fixtures().into_iter().find(|d| d.ends_with("activities-and-raci")).expect("fixture");
    let (_, json) = procflow(&dir, &["diff", "before", "after", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(report["changed"], true);
    let items = report["processes"][0]["items"].as_array().expect("items");
    let approve = items.iter().find(|i| i["id"] == "approve").expect("approve changed");
    let a = approve["fields"].as_array().expect("fields").iter().find(|f| f["field"] == "A").expect("A cell");
    assert_eq!((a["before"].as_str(), a["after"].as_str()), (Some("manager"), Some("cab")));
}

#[test]
fn revisions_working_tree_sub_folders_moves_and_empty_repositories() {
    let temp = tempfile::tempdir().expect("temp dir");
    let repo = temp.path();
    let case = |name: &str| fixtures().into_iter().find(|d| d.ends_with(name)).expect("fixture");
    // The project lives in a sub-folder of the repository, its models
    // folder named in procflow.yaml.
    let project = repo.join("docs/process");
    git(repo, &["init", "-q", "-b", "main"]);
    let (status, output) = procflow(repo, &["diff"]);
    assert_eq!(status, 2, "{output}");
    assert!(output.contains("no commits yet") && output.contains("commit the project first"), "{output}");

    common::copy_tree(&case("step-instructions").join("before/models"), &project.join("model-files"));
    fs::write(project.join("procflow.yaml"), "models: model-files\n").expect("settings");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    // Nothing changed yet; run from the models folder itself.
    let (status, output) = procflow(&project.join("model-files"), &["diff"]);
    assert_eq!((status, output.as_str()), (0, "procflow diff HEAD → working tree\n\nno semantic change\n"));

    // A file moved to another folder is no change.
    fs::create_dir_all(project.join("model-files/flows")).expect("mkdir");
    fs::rename(project.join("model-files/workflow.yaml"), project.join("model-files/flows/workflow.yaml")).expect("mv");
    let (status, output) = procflow(&project, &["diff"]);
    assert_eq!(status, 0, "{output}");
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-q", "-m", "move"]);

    // The working tree against HEAD, then the commit against the one before.
    fs::copy(
        case("step-instructions").join("after/models/workflow.yaml"),
        project.join("model-files/flows/workflow.yaml"),
    )
    .expect("edit");
    let (status, working) = procflow(&project, &["diff"]);
    assert_eq!(status, 1, "{working}");
    assert!(working.contains("~ step assess") && working.contains("+ Plan a rollback."), "{working}");
    git(repo, &["commit", "-q", "-am", "edit"]);
    let (status, revisions) = procflow(&repo.join("docs"), &["diff", "HEAD~1", "HEAD", "-C", "process"]);
    assert_eq!(status, 1, "{revisions}");
    assert_eq!(revisions.replace("HEAD~1 → HEAD", "HEAD → working tree"), working);

    let (status, output) = procflow(&project, &["diff", "no-such-branch"]);
    assert_eq!(status, 2, "{output}");
    assert!(output.contains("`no-such-branch` is no revision"), "{output}");
}

#[test]
fn html_report_classes_exactly_the_changed_steps_and_flows() {
    let dir = fixtures().into_iter().find(|d| d.ends_with("steps-added-removed-renamed")).expect("fixture");
    let (status, html) = procflow(&dir, &["diff", "before", "after", "--format", "html"]);
    assert_eq!(status, 1);
    assert!(!html.contains("<script"), "no scripts");
    assert!(!html.contains("src=\"http") && !html.contains("href=\"http"), "self-contained");
    let mut marked: Vec<String> = html
        .split("class=\"")
        .skip(1)
        .filter_map(|rest| {
            let (class, rest) = rest.split_once('"')?;
            if !class.contains("diff-") {
                return None;
            }
            let element = rest.strip_prefix(" data-step=\"").and_then(|r| r.split_once('"')).map_or("", |(s, _)| s);
            Some(format!("{class} {element}"))
        })
        .filter(|m| m.starts_with("node") || m.starts_with("flow"))
        .collect();
    marked.sort();
    assert_eq!(
        marked,
        [
            "flow diff-added ",
            "flow diff-added ",
            "flow diff-added ",
            "flow diff-removed ",
            "flow diff-removed ",
            "node diff-added notify",
            "node diff-changed evaluate",
            "node diff-removed rejected",
        ]
    );
    // The flows marked are the ones the diff names.
    for id in ["flow-approved-done", "flow-implement-notify", "flow-notify-done"] {
        let at = html.find(id).unwrap_or_else(|| panic!("{id} drawn"));
        assert!(html[at..].starts_with(&format!("{id}\" class=\"flow diff-added\"")), "{id}");
    }
}

#[test]
fn a_models_folder_beside_the_project_folder_is_read_at_each_revision() {
    let temp = tempfile::tempdir().expect("temp dir");
    let repo = temp.path();
    let case = fixtures().into_iter().find(|d| d.ends_with("step-instructions")).expect("fixture");
    git(repo, &["init", "-q", "-b", "main"]);
    common::copy_tree(&case.join("before/models"), &repo.join("shared"));
    fs::create_dir_all(repo.join("site")).expect("mkdir");
    fs::write(repo.join("site/procflow.yaml"), "models: ../shared\n").expect("settings");
    git(repo, &["add", "."]);
    git(repo, &["commit", "-q", "-m", "first"]);
    fs::copy(case.join("after/models/workflow.yaml"), repo.join("shared/workflow.yaml")).expect("edit");
    let (status, output) = procflow(&repo.join("shared"), &["diff", "-C", "../site"]);
    assert_eq!(status, 1, "{output}");
    assert!(output.ends_with("workflows: 1 changed; steps: 1 changed\n"), "{output}");
}
