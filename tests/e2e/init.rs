//! `procflow init` as a new user meets it: the project it writes checks clean
//! and builds, and it never overwrites or writes outside the folder it is given.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

fn procflow() -> Command {
    let mut cmd = Command::cargo_bin("procflow").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

/// Every file under `dir` with its contents, to compare before and after.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        for entry in fs::read_dir(&folder).expect("readable") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                folders.push(path);
            } else {
                let bytes = fs::read(&path).expect("readable");
                files.insert(path.strip_prefix(dir).expect("inside").to_path_buf(), bytes);
            }
        }
    }
    files
}

#[test]
fn init_writes_a_project_that_checks_clean_and_builds() {
    let dir = tempfile::tempdir().expect("tempdir");
    let project = dir.path().join("my-processes");
    procflow().arg("init").arg(&project).assert().success().stderr(predicate::str::contains("procflow check"));
    procflow()
        .args(["check", "--deny-warnings"])
        .arg(&project)
        .assert()
        .success()
        .stderr(predicate::str::contains("0 errors, 0 warnings"))
        .stderr(predicate::str::contains("1 process, 1 workflow"));
    procflow().arg("build").arg(&project).assert().success();
    assert!(project.join("output/index.html").is_file());
    assert!(project.join("output/workflows/incident-handling.html").is_file());
    assert!(project.join("output/workflows/incident-handling.bpmn").is_file());
    // Nothing beside the project folder.
    let beside: Vec<_> = fs::read_dir(dir.path()).expect("readable").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(beside, ["my-processes"]);
}

#[test]
fn init_into_the_current_folder_by_default() {
    let dir = tempfile::tempdir().expect("tempdir");
    procflow().current_dir(dir.path()).arg("init").assert().success();
    procflow().current_dir(dir.path()).args(["check", "--deny-warnings"]).assert().success();
}

#[test]
fn init_twice_refuses_and_leaves_files_unchanged() {
    let dir = tempfile::tempdir().expect("tempdir");
    procflow().arg("init").arg(dir.path()).assert().success();
    // An edit the second init must not undo.
    fs::write(dir.path().join("procflow.yaml"), "title: Mine\n").expect("writable");
    let before = snapshot(dir.path());
    procflow()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("procflow.yaml"))
        .stderr(predicate::str::contains("models/roles.yaml"))
        .stderr(predicate::str::contains("nothing was written"));
    assert_eq!(snapshot(dir.path()), before);
}

#[test]
fn init_beside_one_existing_file_names_it_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("procflow.yaml"), "title: Mine\n").expect("writable");
    procflow()
        .arg("init")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(predicate::str::contains("procflow.yaml: exists already"));
    assert_eq!(snapshot(dir.path()).len(), 1);
    assert!(!dir.path().join("models").exists());
}

#[test]
fn init_refuses_a_models_folder_that_holds_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("models")).expect("creatable");
    fs::write(dir.path().join("models/other.yaml"), "roles: []\n").expect("writable");
    procflow().arg("init").arg(dir.path()).assert().code(2).stderr(predicate::str::contains("models"));
    assert_eq!(snapshot(dir.path()).len(), 1);
}

#[test]
fn init_keeps_existing_editor_settings_and_gitignore() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join(".vscode")).expect("creatable");
    fs::write(dir.path().join(".vscode/settings.json"), "{\"editor.tabSize\": 2}\n").expect("writable");
    fs::write(dir.path().join(".gitignore"), "target/\n").expect("writable");
    procflow().arg("init").arg(dir.path()).assert().success().stderr(predicate::str::contains("kept"));
    assert_eq!(
        fs::read_to_string(dir.path().join(".vscode/settings.json")).expect("text"),
        "{\"editor.tabSize\": 2}\n"
    );
    assert_eq!(fs::read_to_string(dir.path().join(".gitignore")).expect("text"), "target/\n");
    assert!(dir.path().join("models/roles.yaml").is_file());
}

#[test]
fn init_model_files_validate_against_the_schemas_it_writes() {
    let dir = tempfile::tempdir().expect("tempdir");
    procflow().arg("init").arg(dir.path()).assert().success();
    let settings: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join(".vscode/settings.json")).expect("text"))
            .expect("JSON");
    let associations = settings["yaml.schemas"].as_object().expect("yaml.schemas");
    assert_eq!(associations.len(), 2);
    for (schema, globs) in associations {
        let schema: serde_json::Value =
            serde_json::from_str(&fs::read_to_string(dir.path().join(schema)).expect("schema file")).expect("JSON");
        let validator = jsonschema::validator_for(&schema).expect("schema compiles");
        let files: Vec<PathBuf> = if globs[0] == "procflow.yaml" {
            vec![dir.path().join("procflow.yaml")]
        } else {
            fs::read_dir(dir.path().join("models")).expect("readable").map(|e| e.expect("entry").path()).collect()
        };
        assert!(!files.is_empty());
        for file in files {
            let text = fs::read_to_string(&file).expect("text");
            let document: serde_json::Value = serde_saphyr::from_str(&text).expect("YAML");
            let errors: Vec<String> = validator.iter_errors(&document).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{}: {errors:?}", file.display());
        }
    }
}
