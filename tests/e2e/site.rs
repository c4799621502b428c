//! The documentation site built from the bundled models: every page and link,
//! determinism across thread counts, escaping, and the atomic output folder.

use std::collections::BTreeSet;
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use procflow::project::Project;
use procflow::site::Site;

fn build(dir: &Path) -> Site {
    let project = Project::read(dir).expect("project");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "{:?}", checked.diagnostics);
    procflow::site::build(&checked, &project.sources).expect("site builds")
}

fn bundled() -> Site {
    build(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn text(site: &Site, path: &str) -> String {
    String::from_utf8(site.get(path).unwrap_or_else(|| panic!("{path} missing")).to_vec()).expect("utf-8")
}

/// `href` and `src` values of a page (a small scan; the pages are generated).
fn references(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attribute in ["href=\"", "src=\""] {
        let mut rest = html;
        while let Some(at) = rest.find(attribute) {
            rest = &rest[at + attribute.len()..];
            if let Some(end) = rest.find('"') {
                out.push(rest[..end].replace("&amp;", "&"));
            }
        }
    }
    out
}

fn ids(html: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let mut rest = html;
    while let Some(at) = rest.find(" id=\"") {
        rest = &rest[at + 5..];
        if let Some(end) = rest.find('"') {
            out.insert(rest[..end].to_string());
        }
    }
    out
}

fn resolve(page: &str, href: &str) -> String {
    let mut parts: Vec<&str> = page.split('/').collect();
    parts.pop();
    for piece in href.split('/') {
        match piece {
            ".." => {
                parts.pop();
            }
            "." | "" => {}
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[test]
fn every_page_exists_and_every_link_and_anchor_resolves() {
    let site = bundled();
    for page in ["index.html", "raci.html", "kpis.html", "improvements.html", "check.html"] {
        assert!(site.get(page).is_some(), "{page}");
    }
    assert!(site.get("workflows/incident-handling.html").is_some());
    assert!(site.get("workflows/incident-handling.svg").is_some());
    assert!(site.get("workflows/incident-handling.png").is_some());
    assert!(site.get("processes/change-management.html").is_some());
    assert!(site.get("roles/service-desk-agent.html").is_some());
    let mut checked = 0;
    for file in site.files.iter().filter(|f| f.path.ends_with(".html")) {
        let html = text(&site, &file.path);
        for href in references(&html) {
            assert!(!href.starts_with("http:") && !href.starts_with("//"), "{}: external {href}", file.path);
            if href.starts_with("data:") {
                continue; // the empty icon: nothing to fetch
            }
            let (target, fragment) = href.split_once('#').unwrap_or((&href, ""));
            let target_path = if target.is_empty() { file.path.clone() } else { resolve(&file.path, target) };
            let target_html = site.get(&target_path).unwrap_or_else(|| panic!("{}: broken link {href}", file.path));
            if !fragment.is_empty() {
                let target_ids = ids(std::str::from_utf8(target_html).expect("utf-8"));
                assert!(target_ids.contains(fragment), "{}: no #{fragment} in {target_path}", file.path);
            }
            checked += 1;
        }
    }
    assert!(checked > 500, "only {checked} links checked");
}

#[test]
fn workflow_page_links_every_diagram_step_to_its_entry() {
    let site = bundled();
    let html = text(&site, "workflows/incident-handling.html");
    for step in ["log-incident", "assign-level-1", "accept-level-1"] {
        assert!(html.contains(&format!("href=\"#step-{step}\"")), "{step} not linked from the diagram");
        assert!(html.contains(&format!("id=\"step-{step}\"")), "{step} has no entry");
    }
    assert!(html.contains("<title id="), "diagram has a title for screen readers");
    assert!(html.contains("Work instructions"));
}

#[test]
fn search_index_covers_work_instructions() {
    let site = bundled();
    let index = text(&site, "assets/search-index.js");
    assert!(index.starts_with("window.PROCFLOW_INDEX = ["));
    assert!(index.contains("workflows/incident-handling.html#step-accept-level-1"));
    assert!(index.contains("\"k\":\"kpi\""));
}

#[test]
fn output_is_identical_whatever_the_thread_count() {
    let one = rayon::ThreadPoolBuilder::new().num_threads(1).build().expect("pool").install(bundled);
    let four = rayon::ThreadPoolBuilder::new().num_threads(4).build().expect("pool").install(bundled);
    assert_eq!(one.files.len(), four.files.len());
    for (a, b) in one.files.iter().zip(&four.files) {
        assert_eq!(a.path, b.path);
        assert!(a.bytes == b.bytes, "{} differs between 1 and 4 threads", a.path);
    }
}

#[test]
fn user_text_is_escaped_and_markdown_html_is_inert() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("models")).expect("mkdir");
    fs::write(
        dir.path().join("models/m.yaml"),
        r#"roles:
  - id: agent
    name: "<script>alert('role')</script>"
process:
  id: p
  name: "Proc <img src=x onerror=alert(1)>"
  owner: agent
  purpose: "Hello <script>alert('md')</script> [link](javascript:alert(1))"
  activities:
    - id: a
      name: "A & B"
      raci: { R: agent, A: agent }
workflow:
  id: w
  name: "W \"quoted\""
  steps:
    - { id: s, type: start, lane: agent }
    - { id: t, name: "<b>bold</b>", realizes: [p/a], instructions: "<iframe src=x></iframe>" }
    - { id: e, type: end }
"#,
    )
    .expect("write");
    let site = build(dir.path());
    for file in site.files.iter().filter(|f| f.path.ends_with(".html") || f.path.ends_with(".svg")) {
        let html = String::from_utf8_lossy(&file.bytes);
        assert!(!html.contains("<script>alert"), "{}", file.path);
        assert!(!html.contains("<img src=x"), "{}", file.path);
        assert!(!html.contains("<iframe"), "{}", file.path);
        assert!(!html.contains("<b>bold"), "{}", file.path);
        // The check page quotes the model's source line (as text); no page
        // carries the address in a tag, where a browser would follow it.
        for (at, _) in html.match_indices("javascript:") {
            let before = &html[..at];
            assert!(before.rfind('<') < before.rfind('>'), "{}: javascript: inside a tag", file.path);
            assert_eq!(file.path, "check.html", "javascript: in the text of a page");
        }
    }
    let check = site.files.iter().find(|f| f.path == "check.html").expect("check page");
    assert!(String::from_utf8_lossy(&check.bytes).contains("warning[W0413]"));
}

#[test]
fn a_failed_build_leaves_the_previous_site_untouched() {
    let dir = tempfile::tempdir().expect("tempdir");
    let models = dir.path().join("models");
    fs::create_dir(&models).expect("mkdir");
    let source = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok-minimal/models");
    for entry in fs::read_dir(&source).expect("fixture") {
        let entry = entry.expect("entry");
        fs::copy(entry.path(), models.join(entry.file_name())).expect("copy");
    }
    let out = dir.path().join("site");
    let run =
        || Command::cargo_bin("procflow").expect("binary").arg("build").arg(dir.path()).arg("-o").arg(&out).output();
    let first = run().expect("runs");
    assert!(first.status.success(), "{}", String::from_utf8_lossy(&first.stderr));
    assert!(String::from_utf8_lossy(&first.stderr).contains("built "));
    let before = fs::read(out.join("index.html")).expect("index written");
    fs::write(models.join("broken.yaml"), "roles: [\n").expect("write");
    let second = run().expect("runs");
    assert_eq!(second.status.code(), Some(1));
    assert_eq!(fs::read(out.join("index.html")).expect("index still there"), before);
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("e").file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.contains("procflow-new")), "staging left behind: {names:?}");
}

#[test]
fn menu_marks_the_current_page_and_the_home_title_is_the_site_name() {
    let site = bundled();
    let home = text(&site, "index.html");
    let title = &home[home.find("<title>").expect("title") + 7..home.find("</title>").expect("title end")];
    assert!(!title.contains(" · "), "the home title repeats the site name: {title}");
    assert!(home.contains(&format!("<h1>{title}</h1>")), "the home title is the site name");
    assert!(home.contains(r#"class="brand" href="index.html" aria-current="page""#));
    let kpis = text(&site, "kpis.html");
    assert!(kpis.contains(r#"<a href="kpis.html" aria-current="page">KPIs</a>"#));
    assert_eq!(kpis.matches("aria-current=").count(), 1, "one entry marked");
    assert!(text(&site, "kpis.html").contains("<title>KPI catalogue · "));
    let workflow = text(&site, "workflows/incident-handling.html");
    assert!(workflow.contains(r#"<a href="../index.html#workflows" aria-current="true">Workflows</a>"#));
    assert!(!workflow.contains(r#"aria-current="page""#), "no entry is this page");
}

#[test]
fn workflow_page_has_a_diagram_viewer_and_a_step_details_panel() {
    let site = bundled();
    assert!(site.get("assets/viewer.js").is_some_and(|js| js.starts_with(b"// Diagram viewer")));
    let html = text(&site, "workflows/incident-handling.html");
    assert!(html.contains(r#"<script src="../assets/viewer.js" defer></script>"#));
    let viewport = html.find(r#"<div class="viewer-viewport" tabindex="0""#).expect("a focusable viewer box");
    let downloads = html.find(r#"<span class="downloads">"#).expect("downloads");
    let svg_end = viewport + html[viewport..].find("</svg>").expect("the diagram in the box");
    assert!(downloads < viewport, "the downloads come before the scrolling box, not inside it");
    assert!(html[viewport..svg_end].contains(r##"href="#step-diagnose-level-1""##));
    assert!(html.contains(r#"aria-describedby="viewer-keys""#) && html.contains(r#"id="viewer-keys""#));
    for name in ["Zoom in", "Zoom out"] {
        assert!(html.contains(&format!(r#"aria-label="{name}""#)), "{name} button");
    }
    assert!(
        html.contains(r#"<section class="step-details" aria-labelledby="step-details-title" tabindex="-1" hidden>"#)
    );
    // The landscape on the home page has the viewer too.
    let home = text(&site, "index.html");
    assert!(home.contains(r#"class="viewer-viewport""#) && home.contains(r#"src="assets/viewer.js""#));
}

/// The step list entry of `step` on a workflow page.
fn step_entry<'a>(html: &'a str, step: &str) -> &'a str {
    let start = html.find(&format!(r#"<article class="step" id="step-{step}""#)).expect("step entry");
    &html[start..start + html[start..].find("</article>").expect("entry end")]
}

#[test]
fn step_entries_start_with_the_role_and_show_who_holds_each_raci_letter() {
    let site = bundled();
    let html = text(&site, "workflows/incident-handling.html");
    let entry = step_entry(&html, "diagnose-level-1");
    let first_term = &entry[entry.find("<dt>").expect("a term")..];
    assert!(first_term.starts_with("<dt>Role</dt>"), "starts with {}", &first_term[..40]);
    assert!(entry.contains("<dt>Id</dt><dd><code>diagnose-level-1</code></dd>"), "the id comes last");
    assert!(entry.contains(r#"<span class="raci-letter" aria-hidden="true">A</span> Accountable: <a href="../roles/incident-manager.html">Incident Manager</a>"#));
    assert!(entry.contains("Responsible: <a href=\"../roles/service-desk-agent.html\">"));
}

#[test]
fn role_page_lists_no_start_or_end_events_as_steps_performed() {
    let site = bundled();
    let html = text(&site, "roles/service-desk-agent.html");
    assert!(html.contains("#step-identify-incident\""), "work the role does");
    for event in ["incident-closed", "redirected-to-request"] {
        assert!(!html.contains(&format!("#step-{event}\"")), "{event} is an end event, not work");
    }
    let user = text(&site, "roles/user.html");
    assert!(!user.contains("#step-incident-reported\""), "a start event is not work either");
}

#[test]
fn kpi_tables_label_every_value_for_the_phone_layout() {
    let site = bundled();
    for page in ["kpis.html", "processes/incident-management.html"] {
        let html = text(&site, page);
        assert!(html.contains(r#"<table class="kpi-table">"#), "{page}");
        assert!(html.contains(r#"<td data-label="Target">"#) && html.contains(r#"<td data-label="Description">"#));
    }
}

/// `build --approved-only` publishes the approved process and leaves out the
/// workflow still in review; without it, the workflow's page and its DRAFT
/// mark are there.
#[test]
fn approved_only_leaves_out_what_is_not_approved() {
    let project = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/w0603-draft-workflow-of-approved-process");
    let dir = tempfile::tempdir().expect("tempdir");
    let build = |out: &Path, approved_only: bool| {
        let mut cmd = Command::cargo_bin("procflow").expect("binary");
        cmd.arg("build").arg(&project).arg("-o").arg(out);
        if approved_only {
            cmd.arg("--approved-only");
        }
        cmd.output().expect("runs")
    };
    let (all, approved) = (dir.path().join("all"), dir.path().join("approved"));
    assert!(build(&all, false).status.success());
    let workflow = fs::read_to_string(all.join("workflows/handle-request.html")).expect("workflow page");
    assert!(workflow.contains(procflow::layout::DRAFT_MARK), "the draft's diagram carries its mark");

    let run = build(&approved, true);
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(run.status.success(), "{stderr}");
    assert!(stderr.contains("left out 0 processes and 1 workflow not approved"), "{stderr}");
    assert!(approved.join("processes/support.html").exists());
    assert!(!approved.join("workflows/handle-request.html").exists());
    let index = fs::read_to_string(approved.join("index.html")).expect("index");
    assert!(!index.contains("handle-request"), "no link to the left-out workflow");
}
