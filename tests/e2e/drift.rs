//! `procflow drift` end to end: every folder under `tests/drift-fixtures/`
//! is a project whose `procflow.yaml` names its exports and whose
//! `expected.txt` holds the exit status and the exact report; the bundled
//! example reports no drift, and one transition taken out of its Jira export
//! gives exactly one located finding. Run with `UPDATE_EXPECT=1` to rewrite
//! the expected files after a deliberate change, then review the diff.

use crate::common;
use std::ffi::OsStr;
use std::fs;
use std::path::{Path, PathBuf};

use procflow::drift::{ExportFormat, read_export};
use procflow::source::Sources;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn fixture_dirs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = fs::read_dir(root().join("tests/drift-fixtures"))
        .expect("tests/drift-fixtures exists")
        .map(|e| e.expect("readable entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    dirs
}

/// Runs procflow with `args` in `dir`; the exit status, stdout and stderr.
fn procflow(args: &[impl AsRef<OsStr>], dir: &Path) -> (i32, String, String) {
    let output = common::run_procflow(args, dir);
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code().expect("exit status"), text(&output.stdout), text(&output.stderr))
}

/// Runs `procflow drift DIR` with `args` from the crate's folder.
fn drift(args: &[&str], dir: &Path) -> (i32, String, String) {
    let mut all = vec![OsStr::new("drift"), dir.as_os_str()];
    all.extend(args.iter().map(OsStr::new));
    procflow(&all, &root())
}

#[test]
fn every_drift_fixture_reports_what_it_expects() {
    let mut failures = Vec::new();
    let dirs = fixture_dirs();
    assert!(dirs.len() >= 4, "expected the Jira XML, Jira Cloud, ServiceNow and hostile fixtures");
    for dir in dirs {
        let (status, _, report) = drift(&[], &dir);
        let actual = format!("status: {status}\n{report}");
        if let Err(expected) = common::recorded(&dir.join("expected.txt"), &actual) {
            failures.push(format!("--- {}\n--- expected\n{expected}\n--- actual\n{actual}", dir.display()));
        }
    }
    assert!(failures.is_empty(), "{} fixture(s) differ:\n{}", failures.len(), failures.join("\n"));
}

/// Each tool fixture plants one drift of every kind its format can show.
#[test]
fn each_format_fixture_plants_every_rule_it_can_show() {
    let jira = ["W0703", "W0704", "W0705", "W0706", "W0707", "W0708", "W0709", "W0710", "E0702"];
    for (case, codes) in [
        ("jira-xml", &jira[..]),
        ("jira-cloud", &jira[..]),
        // State flows hold no approvals, and restrict by ServiceNow's own
        // user roles, which the model does not map.
        ("servicenow", &["W0703", "W0704", "W0705", "W0706", "W0708"][..]),
    ] {
        let (status, stdout, _) = drift(&["--format", "json"], &root().join("tests/drift-fixtures").join(case));
        assert_eq!(status, 1, "{case}");
        let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
        let mut found: Vec<&str> =
            report["diagnostics"].as_array().expect("list").iter().filter_map(|d| d["code"].as_str()).collect();
        found.sort_unstable();
        let mut wanted = codes.to_vec();
        wanted.sort_unstable();
        assert_eq!(found, wanted, "{case}: one finding per planted drift");
    }
}

#[test]
fn the_bundled_example_reports_no_drift() {
    let (status, _, report) = drift(&[], &root());
    assert_eq!(status, 0, "{report}");
    assert!(report.contains("drift: 2 mapped workflows with 2 exports: no drift"), "{report}");
}

/// Copies the example project (settings, models, exports) into a temporary folder.
fn copy_example() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(root().join("procflow.yaml"), dir.path().join("procflow.yaml")).expect("copy settings");
    for folder in ["models", "exports"] {
        common::copy_tree(&root().join(folder), &dir.path().join(folder));
    }
    dir
}

#[test]
fn a_transition_removed_from_the_jira_export_is_one_located_finding() {
    let dir = copy_example();
    let export = dir.path().join("exports/IT Incident Workflow.xml");
    let xml = fs::read_to_string(&export).expect("export");
    let start = xml.find(r#"<action id="71" name="Reopen">"#).expect("the Reopen transition");
    let end = start + xml[start..].find("</action>").expect("its end") + "</action>".len();
    fs::write(&export, format!("{}{}", &xml[..start], &xml[end..])).expect("write export");

    let (status, stdout, stderr) = drift(&["--format", "json"], dir.path());
    assert_eq!(status, 1, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let findings = report["diagnostics"].as_array().expect("list");
    assert_eq!(findings.len(), 1, "{stdout}");
    let finding = &findings[0];
    assert_eq!(finding["code"], "W0705");
    assert_eq!(finding["file"], "models/incident/workflow.yaml");
    // The flow to change: reopen-incident's `next: diagnose-level-1`.
    let model = fs::read_to_string(dir.path().join("models/incident/workflow.yaml")).expect("model");
    let reopen = model.find("- id: reopen-incident").expect("the reopen step");
    let next = reopen + model[reopen..].find("next: diagnose-level-1").expect("its flow");
    let line = model[..next].matches('\n').count() + 1;
    assert_eq!(finding["line"], line, "{stdout}");
    assert!(finding["message"].as_str().is_some_and(|m| m.contains("\"Resolved\" to \"In Progress\"")), "{stdout}");
    assert_eq!(finding["labels"][0]["file"], "exports/IT Incident Workflow.xml");
}

#[test]
fn export_files_on_the_command_line_replace_the_settings() {
    let fixture = root().join("tests/drift-fixtures/jira-xml");
    let other = root().join("tests/drift-fixtures/jira-cloud/exports/workflows.json");
    let (status, _, report) = drift(&["--jira-cloud", other.to_str().expect("path")], &fixture);
    assert_eq!(status, 1);
    assert!(report.contains("workflows.json"), "{report}");
    assert!(!report.contains("Service Request.xml"), "{report}");
}

#[test]
fn no_export_at_all_is_a_usage_error() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    fs::write(dir.path().join("models/a.yaml"), "roles:\n  - id: agent\n").expect("write");
    let (status, _, report) = drift(&[], dir.path());
    assert_eq!(status, 2);
    assert!(report.contains("tool_exports"), "{report}");
}

#[test]
fn an_export_larger_than_the_limit_is_refused_unread() {
    let dir = copy_example();
    let huge = dir.path().join("huge.xml");
    let mut bytes = b"<workflow>".to_vec();
    bytes.resize(procflow::drift::MAX_EXPORT_BYTES + 1, b' ');
    fs::write(&huge, bytes).expect("write");
    let (status, _, report) = drift(&["--jira", huge.to_str().expect("path")], dir.path());
    assert_eq!(status, 1);
    assert!(
        report.contains("error[E0701]: the export is 16777217 bytes, more than the 16 MiB drift reads"),
        "{report}"
    );
    assert!(report.contains("huge.xml:1:1"), "{report}");
}

#[test]
fn sarif_output_lists_the_drift_rules_and_results() {
    let (status, stdout, _) = drift(&["--format", "sarif"], &root().join("tests/drift-fixtures/servicenow"));
    assert_eq!(status, 1);
    let log: serde_json::Value = serde_json::from_str(&stdout).expect("SARIF is JSON");
    let results = log["runs"][0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 5, "one result per planted drift");
    let rules = log["runs"][0]["tool"]["driver"]["rules"].as_array().expect("rules");
    assert!(rules.iter().any(|r| r["id"] == "W0704"));
    let uri = &results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "models/model.yaml");
}

proptest::proptest! {
    /// Whatever the bytes, every reader returns workflows or one located
    /// error; none panics.
    #[test]
    fn readers_never_panic(text in proptest::string::string_regex(
        r#"(<\?xml version="1.0"\?>|<!DOCTYPE w>|<workflow>|</workflow>|<steps>|<step id="[0-9]" name="a">|</step>|<meta name="jira.status.id">1</meta>|<action id="1"><results><unconditional-result step="[0-9]"/></results></action>|<common-action id="1"/>|<unload>|<sys_choice><element>state</element><name>t</name><value>1</value></sys_choice>|\{|\}|\[|\]|"statuses":|"workflows":|"transitions":|"statusReference":"r"|"toStatusReference":"r"|"type":"GLOBAL"|"result":|,|:|"x"|[a-z<>/"=]){0,40}"#
    ).expect("regex")) {
        for format in [ExportFormat::JiraXml, ExportFormat::JiraCloud, ExportFormat::ServiceNow] {
            let mut sources = Sources::new();
            let file = sources.add_text("export", text.clone());
            if let Err(error) = read_export(format, &sources, file) {
                proptest::prop_assert!(error.span.line >= 1 && error.span.column >= 1);
            }
        }
    }
}

#[test]
fn import_jira_gives_a_workflow_that_checks_renders_and_shows_no_drift() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    let export = root().join("exports/IT Incident Workflow.xml");
    let export = export.to_str().expect("path");
    let (status, _, notes) = procflow(&["import", "jira", export, "-o", "models/incident.yaml"], dir.path());
    assert_eq!(status, 0, "{notes}");
    // New is entered only by the create transition: who works in it is unknown.
    assert!(notes.contains("note: status \"New\""), "{notes}");
    let (status, _, report) = procflow(&["check", "."], dir.path());
    assert_eq!(status, 0, "{report}");
    assert!(report.contains("0 errors, 0 warnings"), "{report}");
    let (status, svg, report) = procflow(&["render", "it-incident-workflow", "."], dir.path());
    assert_eq!(status, 0, "{report}");
    assert!(svg.starts_with("<svg") && svg.contains("Major Incident"), "{report}");
    let (status, _, report) = procflow(&["drift", ".", "--jira", export], dir.path());
    assert_eq!(status, 0, "{report}");
    assert!(report.contains("no drift"), "{report}");
}

#[test]
fn import_jira_cloud_maps_statuses_transitions_and_lanes() {
    let export = root().join("tests/drift-fixtures/jira-cloud/exports/workflows.json");
    let (status, yaml, notes) = procflow(&["import", "jira", "--cloud", export.to_str().expect("path")], &root());
    assert_eq!(status, 0, "{notes}");
    for expected in [
        "status: \"Waiting for approval\"",
        "next: [waiting-for-approval, done, cancelled]",
        "project_roles: [\"10002\"]",
        "jira: \"Service Request\"",
    ] {
        assert!(yaml.contains(expected), "{expected} in\n{yaml}");
    }
    // "Start work" admits a second group: it is part of the lane's role.
    assert!(yaml.contains("groups: [\"5b10ac8d82e05b22cc7d4ef5\", \"5c22bd9e93f16c33dd8e5f06\"]"), "{yaml}");
}

#[test]
fn import_jira_refuses_a_hostile_export_with_a_located_error() {
    let export = root().join("tests/drift-fixtures/hostile-exports/exports/entities.xml");
    let (status, yaml, report) = procflow(&["import", "jira", export.to_str().expect("path")], &root());
    assert_eq!(status, 1);
    assert!(yaml.is_empty());
    assert!(report.contains("error[E0701]") && report.contains("entities.xml:3:3"), "{report}");
}

/// With `tool_exports` in the settings, `check` reports the drift with the
/// model's own findings (so CI's `check` catches it), and fails on a drift error.
#[test]
fn check_reports_the_drift_of_the_exports_the_settings_name() {
    let dir = root().join("tests/drift-fixtures/jira-xml");
    let (status, stdout, _) =
        procflow(&[OsStr::new("check"), dir.as_os_str(), OsStr::new("--format"), OsStr::new("json")], &root());
    assert_eq!(status, 1, "E0702 is an error");
    let report: serde_json::Value = serde_json::from_str(&stdout).expect("JSON report");
    let codes: Vec<&str> =
        report["diagnostics"].as_array().expect("list").iter().filter_map(|d| d["code"].as_str()).collect();
    for code in ["W0703", "W0705", "W0709", "E0702"] {
        assert!(codes.contains(&code), "{code} in {codes:?}");
    }
}

/// `build` publishes despite drift: the check report lists the findings and
/// the tool alignment page shows each mapped workflow's steps against the
/// tool's statuses.
#[test]
fn build_shows_the_drift_on_the_check_report_and_the_tool_alignment_page() {
    let dir = root().join("tests/drift-fixtures/jira-xml");
    let out = tempfile::tempdir().expect("temp dir");
    let (status, _, stderr) =
        procflow(&[OsStr::new("build"), dir.as_os_str(), OsStr::new("-o"), out.path().as_os_str()], &root());
    assert_eq!(status, 0, "{stderr}");
    assert!(stderr.contains("W0709"), "build prints the drift: {stderr}");
    let check = fs::read_to_string(out.path().join("check.html")).expect("check report");
    assert!(check.contains("W0703") && check.contains("href=\"alignment.html\""), "{check}");
    let page = fs::read_to_string(out.path().join("alignment.html")).expect("alignment page");
    assert!(page.contains("<a href=\"workflows/request.html\">Fulfil a service request</a>"), "{page}");
    assert!(page.contains("Waiting for Customer</td><td><span class=\"drift\">"), "unknown status marked");
    assert!(page.contains("<td>Open</td><td><span class=\"match\">✓ matches</span> Open (id 1)"), "match shown");
    assert!(page.contains("Tool statuses no step is in: “Cancelled”."), "uncovered status listed");
    assert!(
        page.contains("Jira workflow &quot;Problem Workflow&quot;")
            || page.contains("Jira workflow \"Problem Workflow\"")
    );
    // The site of a project without exports has no such page.
    let plain = tempfile::tempdir().expect("temp dir");
    let example = root().join("tests/layout-fixtures/access-request-approvals");
    let (status, _, _) =
        procflow(&[OsStr::new("build"), example.as_os_str(), OsStr::new("-o"), plain.path().as_os_str()], &root());
    assert_eq!(status, 0);
    assert!(!plain.path().join("alignment.html").exists());
}
