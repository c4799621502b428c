//! The CI recipes of the README, run: every `procflow` command between the
//! `<!-- ci-recipe:… -->` markers is taken from the README as written and run
//! with `sh` on a copy of the bundled project, so a recipe that stops working
//! (a renamed flag, a format that fails) fails this test.

use crate::common;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The recipe between `<!-- ci-recipe:NAME -->` and `<!-- /ci-recipe:NAME -->`.
fn recipe(name: &str) -> String {
    let readme = fs::read_to_string(root().join("README.md")).expect("README");
    let start = format!("<!-- ci-recipe:{name} -->");
    let end = format!("<!-- /ci-recipe:{name} -->");
    let from = readme.find(&start).unwrap_or_else(|| panic!("README has no {start}")) + start.len();
    let to = readme[from..].find(&end).unwrap_or_else(|| panic!("README has no {end}")) + from;
    readme[from..to].to_string()
}

/// The shell lines of a recipe that run procflow (`run: procflow …` in GitHub
/// Actions, `- procflow …` in a GitLab script).
fn procflow_commands(recipe: &str) -> Vec<String> {
    recipe
        .lines()
        .map(str::trim)
        .filter_map(|line| line.strip_prefix("- run: ").or(line.strip_prefix("run: ")).or(line.strip_prefix("- ")))
        .filter(|command| command.starts_with("procflow "))
        .map(str::to_string)
        .collect()
}

/// A copy of the bundled project (settings, models and the tool exports
/// `drift` reads), as a repository holding only its processes would be
/// checked out.
fn checkout() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::copy(root().join("procflow.yaml"), dir.path().join("procflow.yaml")).expect("copyable");
    common::copy_tree(&root().join("models"), &dir.path().join("models"));
    common::copy_tree(&root().join("exports"), &dir.path().join("exports"));
    dir
}

/// Runs each command with `sh -c` in `dir`, the procflow under test first on PATH.
fn run_all(commands: &[String], dir: &Path) {
    let binary = PathBuf::from(env!("CARGO_BIN_EXE_procflow"));
    let bin_dir = binary.parent().expect("folder");
    let path = std::env::join_paths(
        std::iter::once(bin_dir.to_path_buf())
            .chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .expect("PATH");
    for command in commands {
        let output = Command::new("sh")
            .arg("-c")
            .arg(command)
            .current_dir(dir)
            .env("PATH", &path)
            .env("NO_COLOR", "1")
            .output()
            .expect("sh runs");
        assert!(
            output.status.success(),
            "`{command}` failed ({}):\n{}{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
    }
}

#[test]
fn github_actions_recipe_checks_builds_and_uploads_the_site() {
    let recipe = recipe("github");
    let commands = procflow_commands(&recipe);
    assert!(commands.iter().any(|c| c.starts_with("procflow check") && c.contains("--format github")), "{commands:?}");
    assert!(commands.iter().any(|c| c.starts_with("procflow build")), "{commands:?}");
    assert!(recipe.contains("actions/upload-pages-artifact") && recipe.contains("actions/deploy-pages"));
    let dir = checkout();
    run_all(&commands, dir.path());
    // What the upload step uploads.
    assert!(recipe.contains("path: public"));
    assert!(dir.path().join("public/index.html").is_file());
}

#[test]
fn gitlab_ci_recipe_checks_keeps_sarif_and_builds_pages() {
    let recipe = recipe("gitlab");
    let commands = procflow_commands(&recipe);
    assert!(commands.iter().any(|c| c.contains("--format sarif")), "{commands:?}");
    assert!(commands.iter().any(|c| c.starts_with("procflow build")), "{commands:?}");
    assert!(recipe.contains("pages:") && recipe.contains("paths: [public]"));
    let dir = checkout();
    run_all(&commands, dir.path());
    let sarif: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(dir.path().join("procflow.sarif")).expect("artifact")).expect("JSON");
    assert_eq!(sarif["version"], "2.1.0");
    assert!(dir.path().join("public/index.html").is_file());
}

#[test]
fn drift_recipe_exports_and_fails_on_drift() {
    let recipe = recipe("drift");
    let commands = procflow_commands(&recipe);
    assert_eq!(commands, ["procflow drift --format github"]);
    // The exports the recipe writes are the ones procflow.yaml names.
    let settings = fs::read_to_string(root().join("procflow.yaml")).expect("settings");
    for export in ["exports/IT Incident Workflow.xml", "exports/change_request-states.xml"] {
        assert!(recipe.contains(export) && settings.contains(export), "{export}");
    }
    let dir = checkout();
    run_all(&commands, dir.path());
    // Drift fails the job: the same command on an export that lost a status.
    let export = dir.path().join("exports/change_request-states.xml");
    let xml = fs::read_to_string(&export).expect("export");
    fs::write(&export, xml.replace("<label>Review</label>", "<label>Post-Implementation Review</label>"))
        .expect("write");
    let output = Command::new(env!("CARGO_BIN_EXE_procflow"))
        .args(["drift", "--format", "github"])
        .current_dir(dir.path())
        .output()
        .expect("procflow runs");
    assert_eq!(output.status.code(), Some(1));
    let annotations = String::from_utf8_lossy(&output.stdout);
    assert!(annotations.contains("::warning file=models/change-release/workflow.yaml"), "{annotations}");
}

#[test]
fn recipe_commands_are_found() {
    let commands = procflow_commands("      - run: procflow check\n    - procflow build -o public\n  - cargo x\n");
    assert_eq!(commands, ["procflow check", "procflow build -o public"]);
}
