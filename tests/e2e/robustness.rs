//! Hostile and broken input: whatever the bytes, checking ends quickly with
//! located diagnostics and never panics.

use std::fs;
use std::time::Duration;

use procflow::diagnostic::Code;
use procflow::project::Project;
use procflow::source::Sources;
use proptest::prelude::*;

fn codes(sources: &Sources) -> Vec<Code> {
    procflow::check(sources).diagnostics.iter().map(|d| d.code).collect()
}

fn one_file(text: &str) -> Sources {
    let mut sources = Sources::new();
    sources.add_text("models/a.yaml", text);
    sources
}

#[test]
fn file_larger_than_the_limit_is_refused_without_reading_it() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("models")).expect("mkdir");
    let big = vec![b'#'; 17 * 1024 * 1024];
    fs::write(dir.path().join("models/huge.yaml"), big).expect("write");
    let project = Project::read(dir.path()).expect("project reads");
    assert_eq!(codes(&project.sources), vec![Code::FileTooLarge]);
}

#[test]
fn deep_flow_nesting_is_a_resource_error() {
    let text = format!("roles: {}{}\n", "[".repeat(20_000), "]".repeat(20_000));
    assert_eq!(codes(&one_file(&text)), vec![Code::ResourceLimit]);
}

#[test]
fn deep_block_nesting_is_a_resource_error() {
    let mut text = String::from("roles:\n");
    for depth in 0..20_000 {
        text.push_str(&" ".repeat(depth * 2));
        text.push_str("- \n");
    }
    let found = codes(&one_file(&text));
    assert_eq!(found.len(), 1, "{found:?}");
    // Streaming parsing stops at the first value that cannot be a role.
    assert!(matches!(found[0], Code::ResourceLimit | Code::YamlSyntax | Code::WrongType), "{found:?}");
}

#[test]
fn alias_bomb_stops_quickly() {
    // Each level multiplies the previous one by ten: 10^9 strings if expanded.
    let mut text =
        String::from("process:\n  id: p\n  name: P\n  x0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for i in 1..10 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("  x{i}: &a{i} [{refs}]\n"));
    }
    text.push_str("  objectives: *a9\n");
    let started = std::time::Instant::now();
    let found = codes(&one_file(&text));
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn aliases_that_expand_within_limits_are_allowed() {
    let text = "roles:\n  - id: a\n    name: &n Agent\n  - id: b\n    name: *n\n";
    let checked = procflow::check(&one_file(text));
    assert_eq!(checked.model.roles.len(), 2);
}

#[test]
fn empty_and_whitespace_files_are_warnings() {
    for text in ["", "\n\n", "# only a comment\n", "---\n", "--- \n...\n"] {
        assert_eq!(codes(&one_file(text)), vec![Code::EmptyFile], "{text:?}");
    }
}

#[test]
fn non_utf8_bytes_are_located() {
    let mut sources = Sources::new();
    sources.add_bytes("models/a.yaml", b"roles:\n  - id: a\n    name: G\xe9rant\n".to_vec());
    let checked = procflow::check(&sources);
    assert_eq!(checked.diagnostics.len(), 1);
    let d = &checked.diagnostics[0];
    assert_eq!((d.code, d.span.line, d.span.column), (Code::NotUtf8, 3, 12));
}

const VALID: &str = "roles:
  - id: agent
  - id: manager
process:
  id: inc
  name: Incident
  owner: manager
  activities:
    - id: log
      raci: {R: agent, A: manager}
workflow:
  id: wf
  steps:
    - id: s
      type: start
      lane: agent
    - id: g
      type: gateway
      next: [{to: a, label: 'yes'}, {to: e, label: 'no', default: true}]
    - id: a
      realizes: [inc/log]
    - id: e
      type: end
";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    /// Random edits of a valid model (lines dropped, duplicated, characters
    /// inserted) never panic and every diagnostic points inside the file.
    #[test]
    fn mutated_models_never_panic(
        edits in prop::collection::vec((0usize..40, 0usize..60, prop::sample::select(vec![
            "", ":", "-", "[", "{", "&x", "*x", "'", "\"", "\t", "  ", "next: zz", "type: gateway", "default: true",
        ])), 1..6)
    ) {
        let mut lines: Vec<String> = VALID.lines().map(String::from).collect();
        for (line, column, insert) in edits {
            let line = line % lines.len();
            let text = &mut lines[line];
            let column = (0..=column.min(text.len())).rev().find(|c| text.is_char_boundary(*c)).unwrap_or(0);
            text.insert_str(column, insert);
        }
        let text = lines.join("\n");
        let sources = one_file(&text);
        let checked = procflow::check(&sources);
        let line_count = text.lines().count().max(1) as u32 + 1;
        for d in &checked.diagnostics {
            prop_assert!(d.span.line >= 1 && d.span.line <= line_count, "{d:?}");
            let report = procflow::diagnostic::render_human(d, &sources, false);
            prop_assert!(!report.is_empty());
        }
    }

    /// Arbitrary bytes never panic.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..400)) {
        let mut sources = Sources::new();
        sources.add_bytes("models/a.yaml", bytes);
        let _ = procflow::check(&sources);
    }
}

/// A project of one workflow: a start, `body` (YAML of the steps between),
/// an end; the settings ask for PNG files.
fn project_with(body: &str, roles: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    fs::write(dir.path().join("procflow.yaml"), "formats: [svg, png]\n").expect("settings");
    let model = format!(
        "roles:\n{roles}workflow:\n  id: big\n  name: Big\n  steps:\n    - id: start\n      type: start\n      lane: agent\n{body}    - id: end\n      type: end\n"
    );
    fs::write(dir.path().join("models/big.yaml"), model).expect("model");
    dir
}

fn build(dir: &std::path::Path) -> std::process::Output {
    assert_cmd::Command::cargo_bin("procflow")
        .expect("binary")
        .args(["build"])
        .arg(dir)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs")
}

/// `procflow render big` of the project in `dir`: it succeeds within 20 s
/// (a debug build; the inputs that call this took minutes before); its SVG.
fn render_in_seconds(dir: &std::path::Path) -> String {
    let started = std::time::Instant::now();
    let output = assert_cmd::Command::cargo_bin("procflow")
        .expect("binary")
        .args(["render", "big"])
        .arg(dir)
        .timeout(Duration::from_secs(60))
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(started.elapsed() < Duration::from_secs(20), "took {:?}", started.elapsed());
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn a_long_word_in_a_step_name_does_not_hang_the_build() {
    let word = "x".repeat(300_000);
    let dir = project_with(&format!("    - id: long\n      name: {word}\n"), "  - id: agent\n");
    let output = build(dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("warning[W0501]") && stderr.contains("models/big.yaml:10:11"), "{stderr}");
    let svg = fs::read_to_string(dir.path().join("output/workflows/big.svg")).expect("svg");
    assert!(svg.len() < 100_000, "the drawing holds the shortened name only: {} bytes", svg.len());
    assert!(dir.path().join("output/workflows/big.png").is_file());
}

/// The steps of a parallel split into `branches` one-step branches that
/// join again.
fn parallel_split(branches: usize) -> String {
    let mut body = String::from("    - id: split\n      type: gateway\n      kind: parallel\n      next:\n");
    for i in 0..branches {
        body.push_str(&format!("        - branch-{i}\n"));
    }
    for i in 0..branches {
        body.push_str(&format!("    - id: branch-{i}\n      name: Branch {i}\n      next: join\n"));
    }
    body.push_str("    - id: join\n      type: gateway\n      kind: parallel\n");
    body
}

#[test]
fn a_thousand_way_split_still_builds_with_a_raster_download() {
    let dir = project_with(&parallel_split(1000), "  - id: agent\n");
    let output = build(dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let page = fs::read_to_string(dir.path().join("output/workflows/big.html")).expect("page");
    if dir.path().join("output/workflows/big.png").is_file() {
        assert!(page.contains("href=\"big.png\""), "the page links the PNG file");
    } else {
        assert!(stderr.contains("warning[W0502]") && stderr.contains("models/big.yaml:"), "{stderr}");
        assert!(page.contains("class=\"png-download\" data-file=\"big.png\""), "a PNG made in the browser");
    }
}

/// Before: each loop's label searched its whole track, the loop tracks were
/// stacked by comparing every pair, and every loop's side was chosen by
/// walking every channel it spans — minutes for this workflow.
#[test]
fn a_workflow_whose_loops_all_return_to_its_first_step_renders_in_seconds() {
    let mut body = String::from("    - id: t0\n      name: First task\n");
    for i in 1..=1500 {
        body.push_str(&format!(
            "    - id: t{i}\n      name: Task {i}\n    - id: ok{i}\n      type: gateway\n      name: OK?\n      next:\n        - to: {}\n          label: \"yes\"\n        - to: t0\n          label: \"no\"\n",
            if i == 1500 { "end".to_string() } else { format!("t{}", i + 1) }
        ));
    }
    let dir = project_with(&body, "  - id: agent\n");
    let svg = render_in_seconds(dir.path());
    assert_eq!(svg.matches(">no</tspan>").count(), 1500, "every loop keeps its label");
}

/// Before: each branch's row was found by searching its column block for
/// every sibling (cubic in the branches): 8 s for 3,000 in a release build.
#[test]
fn a_three_thousand_way_split_renders_in_seconds() {
    let dir = project_with(&parallel_split(3000), "  - id: agent\n");
    let svg = render_in_seconds(dir.path());
    assert_eq!(svg.matches(">Branch ").count(), 3000, "every branch drawn");
}

/// Before: every label of a split into a thousand labelled branches across
/// two lanes searched 2,048 places along routes crowded by all the others.
#[test]
fn a_thousand_way_labelled_split_across_two_lanes_renders_in_seconds() {
    let mut body = String::from("    - id: split\n      type: gateway\n      name: Which way?\n      next:\n");
    for i in 0..1000 {
        body.push_str(&format!("        - to: branch-{i}\n          label: case {i}\n"));
    }
    for i in 0..1000 {
        let lane = if i % 2 == 0 { "agent" } else { "other" };
        body.push_str(&format!("    - id: branch-{i}\n      name: Branch {i}\n      lane: {lane}\n      next: join\n"));
    }
    body.push_str("    - id: join\n      type: gateway\n");
    let dir = project_with(&body, "  - id: agent\n  - id: other\n");
    let svg = render_in_seconds(dir.path());
    assert_eq!(svg.matches(">case ").count(), 1000, "every label drawn");
}

#[test]
fn a_ten_thousand_character_lane_name_builds() {
    let name = "Service desk agent ".repeat(530);
    let dir = project_with("", &format!("  - id: agent\n    name: {name}\n"));
    let output = build(dir.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("the name of role `agent` is"), "{stderr}");
    assert!(dir.path().join("output/workflows/big.png").is_file(), "the shortened lane name fits a PNG");
}

/// A project folder with `models/` holding the valid model in `a.yaml`.
#[cfg(unix)]
fn project_with_model() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("models")).expect("mkdir");
    fs::write(dir.path().join("models/a.yaml"), VALID).expect("write");
    dir
}

/// The warnings about skipped paths, as `path: message`.
#[cfg(unix)]
fn skipped(sources: &Sources) -> Vec<String> {
    let checked = procflow::check(sources);
    checked
        .diagnostics
        .iter()
        .filter(|d| d.code == Code::SkippedPath)
        .map(|d| format!("{}: {}", sources.path(d.span.file).display(), d.message))
        .collect()
}

#[cfg(unix)]
#[test]
fn symlinked_sub_folder_and_file_are_read() {
    use std::os::unix::fs::symlink;
    let dir = project_with_model();
    let outside = tempfile::tempdir().expect("tempdir");
    fs::create_dir(outside.path().join("shared")).expect("mkdir");
    fs::write(outside.path().join("shared/more.yaml"), "roles:\n  - id: linked-folder-role\n").expect("write");
    fs::write(outside.path().join("one.yaml"), "roles:\n  - id: linked-file-role\n").expect("write");
    symlink(outside.path().join("shared"), dir.path().join("models/shared")).expect("symlink");
    symlink(outside.path().join("one.yaml"), dir.path().join("models/one.yaml")).expect("symlink");
    let project = Project::read(dir.path()).expect("project reads");
    let paths: Vec<String> = project.sources.model_files().map(|(_, f)| f.path.display().to_string()).collect();
    assert_eq!(paths, ["models/a.yaml", "models/one.yaml", "models/shared/more.yaml"]);
    let checked = procflow::check(&project.sources);
    assert!(checked.model.role_by_id("linked-folder-role").is_some());
    assert!(checked.model.role_by_id("linked-file-role").is_some());
    assert!(skipped(&project.sources).is_empty());
}

#[cfg(unix)]
#[test]
fn fifo_symlink_loop_and_broken_link_are_reported_not_skipped_silently() {
    use std::os::unix::fs::symlink;
    let dir = project_with_model();
    let models = dir.path().join("models");
    let status = std::process::Command::new("mkfifo").arg(models.join("pipe.yaml")).status().expect("mkfifo runs");
    assert!(status.success());
    fs::create_dir(models.join("sub")).expect("mkdir");
    symlink("..", models.join("sub/up")).expect("symlink");
    symlink("../sub", models.join("sub/again")).expect("symlink");
    symlink("sub", models.join("twin")).expect("symlink");
    symlink("missing.yaml", models.join("gone.yaml")).expect("symlink");
    let started = std::time::Instant::now();
    let project = Project::read(dir.path()).expect("project reads");
    assert!(started.elapsed() < Duration::from_secs(5));
    let found = skipped(&project.sources);
    let expected = [
        "models/gone.yaml: not read: a symbolic link to `missing.yaml`, which cannot be followed",
        "models/pipe.yaml: not read: this is a FIFO (named pipe), not a regular file",
        "models/sub/again: folder not searched: it leads back to `models/sub`, which contains it (a symbolic-link loop)",
        "models/sub/up: folder not searched: it leads back to `models`, which contains it (a symbolic-link loop)",
        "models/twin: folder not searched again: it is the folder `models/sub`, whose files are already read",
    ];
    assert_eq!(found.len(), expected.len(), "{found:#?}");
    for (found, expected) in found.iter().zip(expected) {
        assert!(found.starts_with(expected), "{found} does not start with {expected}");
    }
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "warnings only: {:?}", checked.diagnostics);
    assert!(!checked.is_ok(true));
}

#[cfg(unix)]
#[test]
fn rebuild_reports_the_same_skipped_paths_as_a_first_read() {
    let dir = project_with_model();
    let status =
        std::process::Command::new("mkfifo").arg(dir.path().join("models/pipe.yaml")).status().expect("mkfifo runs");
    assert!(status.success());
    let first = skipped(&Project::read(dir.path()).expect("reads").sources);
    assert_eq!(first.len(), 1, "{first:?}");
    let mut cache = procflow::project::FileCache::default();
    let touched = std::collections::HashSet::from([dir.path().join("models/pipe.yaml")]);
    for _ in 0..2 {
        let project = Project::read_cached(dir.path(), &mut cache, &touched).expect("reads");
        assert_eq!(skipped(&project.sources), first);
    }
    let mut rebuilder = procflow::watch::Rebuilder::new(dir.path());
    for _ in 0..2 {
        match rebuilder.rebuild(&touched, false, &mut |_| {}).expect("rebuilds") {
            procflow::watch::Outcome::Built { report, .. } => {
                assert!(report.contains("warning[W0412]: not read: this is a FIFO"), "{report}")
            }
            other => panic!("the model has only a warning: {other:?}"),
        }
    }
}
