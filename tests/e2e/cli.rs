//! The `procflow check` command as a user meets it: exit statuses, report
//! formats, and the bundled example checking clean.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn procflow() -> Command {
    let mut cmd = Command::cargo_bin("procflow").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

fn fixture(name: &str) -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)
}

#[test]
fn bundled_models_check_clean() {
    procflow()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--deny-warnings"])
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 0 warnings"))
        .stderr(predicate::str::contains("workflows"));
}

#[test]
fn bundled_models_are_substantial() {
    let project = procflow::project::Project::read(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("reads");
    let checked = procflow::check(&project.sources);
    let model = &checked.model;
    assert!(model.roles.len() >= 10);
    assert!(model.workflows.len() >= 4);
    assert!(model.process_by_id("incident-management").is_some());
    assert!(model.process_by_id("change-management").is_some());
    assert!(model.process_by_id("release-management").is_some());
    assert!(model.process_by_id("request-fulfillment").is_some());
    assert!(model.process_by_id("access-management").is_some());
    assert!(!model.data_flows().is_empty());
}

/// The JSON document `check --format FORMAT` prints for a fixture with two
/// errors and three warnings (exit status 1).
fn two_errors_three_warnings_report(format: &str) -> serde_json::Value {
    let output = procflow()
        .args(["check", "--format", format])
        .arg(fixture("mixed-two-errors-three-warnings"))
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    serde_json::from_slice(&output.stdout).expect("the report is JSON")
}

#[test]
fn json_report_lists_diagnostics_with_locations() {
    let report = two_errors_three_warnings_report("json");
    assert_eq!(report["counts"]["errors"], 2);
    assert_eq!(report["counts"]["warnings"], 3);
    let diagnostics = report["diagnostics"].as_array().expect("array");
    assert_eq!(diagnostics.len(), 5);
    for d in diagnostics {
        assert!(d["file"].as_str().is_some_and(|f| f.starts_with("models/")));
        assert!(d["line"].as_u64().is_some_and(|l| l > 0));
        assert!(d["code"].as_str().is_some_and(|c| c.len() == 5));
        assert!(d["source_line"].is_string());
    }
}

#[test]
fn warnings_pass_unless_denied() {
    let dir = fixture("w0409-unused-role");
    procflow().arg("check").arg(&dir).assert().code(0);
    procflow().arg("check").arg("--deny-warnings").arg(&dir).assert().code(1);
}

#[test]
fn missing_folder_is_a_usage_error() {
    procflow()
        .args(["check", "/nonexistent/procflow-project"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("no such folder"));
    let empty = tempfile::tempdir().expect("tempdir");
    procflow().arg("check").arg(empty.path()).assert().code(2).stderr(predicate::str::contains("no models folder"));
}

#[test]
fn unknown_flag_is_a_usage_error() {
    procflow().args(["check", "--colour"]).assert().code(2);
}

#[test]
fn readme_lists_every_check_rule() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).expect("README");
    for code in procflow::diagnostic::Code::ALL {
        let row = format!("| `{}` | ", code.as_str());
        assert!(readme.contains(&row), "README lacks {}", code.as_str());
        assert!(readme.contains(code.summary()), "README's text for {} is out of date", code.as_str());
    }
}

#[test]
fn a_failed_build_names_the_output_folder_it_left_alone() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    std::fs::write(dir.path().join("models/a.yaml"), "roles:\n  - id: Bad Id\n").expect("write");
    let site = dir.path().join("published-site");
    procflow()
        .arg("build")
        .arg(dir.path())
        .arg("-o")
        .arg(&site)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(format!("the site in {} was left as it was", site.display())))
        .stderr(predicate::str::contains("output was left").not());
}

#[test]
fn build_into_an_existing_file_is_refused_before_anything_is_touched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, "precious").expect("write");
    procflow()
        .arg("build")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")))
        .arg("-o")
        .arg(&notes)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("this is a file, not a folder"));
    assert_eq!(std::fs::read_to_string(&notes).expect("kept"), "precious");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 1, "nothing beside it");
}

#[test]
fn completions_come_from_the_command_definition() {
    let bash = procflow().args(["completions", "bash"]).output().expect("runs");
    assert!(bash.status.success());
    let script = String::from_utf8(bash.stdout).expect("UTF-8");
    assert!(script.contains("complete -F"), "{script}");
    for subcommand in ["build", "check", "init", "serve", "render"] {
        assert!(script.contains(subcommand), "bash completion lacks {subcommand}");
    }
    // The value enum of `check --format` is completed too.
    assert!(script.contains("human"));
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let out = procflow().args(["completions", shell]).output().expect("runs");
        assert!(out.status.success() && out.stdout.len() > 500, "{shell}");
    }
    procflow().args(["completions", "tcsh"]).assert().code(2);
}

#[test]
fn man_page_is_roff_with_every_subcommand() {
    let out = procflow().arg("man").output().expect("runs");
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).expect("UTF-8");
    assert!(page.contains(".TH procflow 1"), "{page}");
    assert!(page.contains(".SH SUBCOMMANDS"));
    assert!(page.contains("procflow\\-check(1)"));
    let dir = tempfile::tempdir().expect("tempdir");
    procflow().args(["man", "-o"]).arg(dir.path()).assert().success();
    let check = std::fs::read_to_string(dir.path().join("procflow-check.1")).expect("page per subcommand");
    assert!(check.contains(".TH procflow-check 1"));
    assert!(check.contains("deny\\-warnings"));
}

#[test]
fn sarif_report_of_a_fixture_with_errors_has_rules_results_and_regions() {
    let log = two_errors_three_warnings_report("sarif");
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().is_some_and(|s| s.contains("sarif-2.1.0")));
    let runs = log["runs"].as_array().expect("runs");
    assert_eq!(runs.len(), 1);
    let driver = &runs[0]["tool"]["driver"];
    assert_eq!(driver["name"], "procflow");
    let rules = driver["rules"].as_array().expect("rules");
    assert_eq!(rules.len(), procflow::diagnostic::Code::ALL.len());
    assert!(rules.iter().all(|r| r["id"].is_string() && r["shortDescription"]["text"].is_string()));
    // The project folder is where the relative locations start.
    let base = runs[0]["originalUriBaseIds"]["PROJECTROOT"]["uri"].as_str().expect("base");
    assert!(base.starts_with("file:///") && base.ends_with("mixed-two-errors-three-warnings/"), "{base}");
    let results = runs[0]["results"].as_array().expect("results");
    assert_eq!(results.len(), 5);
    let levels: Vec<&str> = results.iter().filter_map(|r| r["level"].as_str()).collect();
    assert_eq!(levels.iter().filter(|l| **l == "error").count(), 2);
    assert_eq!(levels.iter().filter(|l| **l == "warning").count(), 3);
    for result in results {
        let rule = &rules[result["ruleIndex"].as_u64().expect("ruleIndex") as usize];
        assert_eq!(rule["id"], result["ruleId"]);
        assert!(result["message"]["text"].as_str().is_some_and(|m| !m.is_empty()));
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"].as_str().is_some_and(|u| u.starts_with("models/")));
        assert_eq!(location["artifactLocation"]["uriBaseId"], "PROJECTROOT");
        let region = &location["region"];
        let number = |key: &str| region[key].as_u64().unwrap_or_else(|| panic!("{key} in {region}"));
        assert!(number("startLine") >= 1 && number("startColumn") >= 1);
        assert!(number("endLine") == number("startLine") && number("endColumn") > number("startColumn"));
    }
}

#[test]
fn github_report_annotates_each_problem_at_its_place() {
    let output = procflow()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args(["check", "--format", "github", "tests/fixtures/mixed-two-errors-three-warnings"])
        .output()
        .expect("runs");
    assert_eq!(output.status.code(), Some(1));
    let stdout = String::from_utf8(output.stdout).expect("UTF-8");
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 5, "{stdout}");
    assert_eq!(lines.iter().filter(|l| l.starts_with("::error file=")).count(), 2);
    assert_eq!(lines.iter().filter(|l| l.starts_with("::warning file=")).count(), 3);
    // Paths from the folder the command ran in, as GitHub resolves them.
    assert!(
        lines[1].starts_with(
            "::error file=tests/fixtures/mixed-two-errors-three-warnings/models/1-support.yaml,line=19,endLine=19,col=22,endColumn=27,title=E0301::"
        ),
        "{}",
        lines[1]
    );
    // The help line and the label travel in the escaped message.
    assert!(lines[1].contains("%0Ahelp: "));
    assert!(String::from_utf8(output.stderr).expect("UTF-8").contains("2 errors, 3 warnings"));
}

/// A project of one role and one process: its build draws one diagram (the
/// landscape).
fn one_process_project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("models")).expect("creatable");
    let model = "roles:\n  - id: agent\nprocess:\n  id: p\n  name: P\n  owner: agent\n";
    std::fs::write(dir.path().join("models/a.yaml"), model).expect("writable");
    dir
}

#[test]
fn build_of_one_diagram_says_1_diagram_not_1_diagrams() {
    let dir = one_process_project();
    procflow()
        .arg("build")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains(" and 1 diagram into "))
        .stderr(predicate::str::contains("1 diagrams").not());
}

#[test]
fn export_of_one_workflow_says_1_workflow_not_1_workflows() {
    let dir = tempfile::tempdir().expect("tempdir");
    procflow().arg("init").arg(dir.path()).assert().success();
    procflow()
        .args(["export", "bpmn", "--all", "-o"])
        .arg(dir.path().join("bpmn"))
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicate::str::contains("exported 1 workflow into"));
}

#[test]
fn serve_on_a_port_in_use_hints_port_0() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = taken.local_addr().expect("address").port().to_string();
    let dir = one_process_project();
    procflow()
        .args(["serve", "--port", &port])
        .arg(dir.path())
        .timeout(std::time::Duration::from_secs(60))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--port 0"));
}

/// Before: a typo in procflow.yaml (`ouput:`) was hidden behind "./models: no
/// models folder here", although the file named `models: processes`.
#[test]
fn a_broken_procflow_yaml_is_named_when_the_models_folder_is_missing() {
    let dir = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir(dir.path().join("processes")).expect("mkdir");
    std::fs::write(dir.path().join("procflow.yaml"), "ouput: site\nmodels: processes\n").expect("settings");
    procflow()
        .args(["check"])
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("procflow.yaml:1:1: unknown key `ouput`"))
        .stderr(predicate::str::contains("fix it first"));
}

/// Before: `check models/` said "models/models: no models folder here" and
/// `check models/x.yaml` "no such folder"; both now say what to pass.
#[test]
fn the_models_folder_or_a_model_file_given_as_project_says_what_to_pass() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    procflow()
        .current_dir(root)
        .args(["check", "models"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("this looks like the models folder itself: pass the project folder `.`"));
    procflow()
        .current_dir(root)
        .args(["check", "models/roles.yaml"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("this is a file").and(predicate::str::contains("try `.`")));
}

/// Before: `render -o diagram.png` wrote SVG into the `.png` and
/// `raci -o r.csv` wrote Markdown. The extension now chooses the format, and
/// a `--format` that contradicts it is refused.
#[test]
fn the_output_file_s_extension_chooses_the_format_or_a_mismatch_is_refused() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    let png = out.path().join("diagram.png");
    procflow().args(["render", "change-ticket"]).arg(root).arg("-o").arg(&png).assert().success();
    assert!(std::fs::read(&png).expect("png").starts_with(b"\x89PNG"), "a PNG file");
    let csv = out.path().join("r.csv");
    procflow().args(["raci"]).arg(root).arg("-o").arg(&csv).assert().success();
    let text = std::fs::read_to_string(&csv).expect("csv");
    assert!(text.contains("Process ID,Process,Activity ID"), "CSV, not Markdown: {}", &text[..80.min(text.len())]);
    let svg_as_png = out.path().join("other.png");
    procflow()
        .args(["render", "change-ticket", "--format", "svg"])
        .arg(root)
        .arg("-o")
        .arg(&svg_as_png)
        .assert()
        .code(2)
        .stderr(predicate::str::contains("-o names a .png file but --format is svg"));
    assert!(!svg_as_png.exists(), "nothing written");
}

/// Before: `export bpmn --all -o DIR` mixed its files into any folder, such as
/// a project or a site. A folder of other files is refused, untouched; a
/// folder of earlier exports is written again.
#[test]
fn export_all_refuses_a_folder_of_other_files_and_rewrites_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = tempfile::tempdir().expect("tempdir");
    std::fs::write(out.path().join("notes.txt"), "mine").expect("write");
    procflow()
        .args(["export", "bpmn", "--all"])
        .arg(root)
        .arg("-o")
        .arg(out.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("holds `notes.txt`, which is not a BPMN file"));
    assert_eq!(std::fs::read_dir(out.path()).expect("dir").count(), 1, "nothing written");
    let own = out.path().join("bpmn");
    for _ in 0..2 {
        procflow().args(["export", "bpmn", "--all"]).arg(root).arg("-o").arg(&own).assert().success();
    }
    assert!(own.join("change-ticket.bpmn").is_file());
}
