//! `procflow export wiki` end to end, on the bundled models and on a project
//! of hostile names: every link and image of every Markdown flavour resolves
//! inside the export, GFM pages are tables and images to a Markdown parser,
//! Confluence pages are well-formed storage format whose attachments are in
//! the bundle, user text never becomes markup, the output is deterministic
//! and written like the site (never into a foreign folder). Also
//! `--text-as-paths`: no `<text>`, and the same pixels without any font.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::Path;

use assert_cmd::Command;
use procflow::project::Project;
use procflow::wiki::{Flavor, Wiki, WikiOptions};
use pulldown_cmark::{Event, Parser, Tag, TagEnd};

const MARKDOWN_FLAVORS: [Flavor; 3] = [Flavor::Gfm, Flavor::Gitlab, Flavor::Azure];

fn checked(dir: &Path) -> procflow::Checked {
    let project = Project::read(dir).expect("project");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "{:?}", checked.diagnostics);
    checked
}

fn export(checked: &procflow::Checked, flavor: Flavor) -> BTreeMap<String, Vec<u8>> {
    let Wiki { files, .. } =
        procflow::wiki::export(checked, &WikiOptions { flavor, text_as_paths: true }).expect("exports");
    files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

fn bundled() -> procflow::Checked {
    checked(Path::new(env!("CARGO_MANIFEST_DIR")))
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(files.get(path).unwrap_or_else(|| panic!("{path} missing")).clone()).expect("utf-8")
}

/// Link and image destinations of a Markdown page.
fn destinations(markdown: &str) -> Vec<(String, bool)> {
    Parser::new_ext(markdown, pulldown_cmark::Options::ENABLE_TABLES)
        .filter_map(|event| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((dest_url.to_string(), false)),
            Event::Start(Tag::Image { dest_url, .. }) => Some((dest_url.to_string(), true)),
            _ => None,
        })
        .collect()
}

/// The file a page link or image reference of `page` names, the way the
/// flavour's wiki resolves it: Azure DevOps from the wiki root, the others
/// relative to the page's folder; page links without `.md`.
fn resolve(flavor: Flavor, page: &str, dest: &str, image: bool) -> String {
    let folder = page.rfind('/').map_or("", |i| &page[..i]);
    let mut parts: Vec<&str> =
        if dest.starts_with('/') || folder.is_empty() { Vec::new() } else { folder.split('/').collect() };
    assert!(flavor != Flavor::Azure || dest.starts_with('/'), "{page}: Azure links are absolute: {dest}");
    for part in dest.trim_start_matches('/').split('/') {
        match part {
            ".." => {
                assert!(parts.pop().is_some(), "{page}: {dest} leaves the wiki");
            }
            "." | "" => {}
            part => parts.push(part),
        }
    }
    let path = parts.join("/");
    if image { path } else { format!("{path}.md") }
}

fn is_external(dest: &str) -> bool {
    dest.starts_with("http://") || dest.starts_with("https://") || dest.starts_with("mailto:") || dest.starts_with('#')
}

fn assert_links_resolve(flavor: Flavor, files: &BTreeMap<String, Vec<u8>>) -> usize {
    let mut checked = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".md")) {
        let page = String::from_utf8(bytes.clone()).expect("utf-8");
        for (dest, image) in destinations(&page) {
            if is_external(&dest) {
                continue;
            }
            let image = image || dest.ends_with(".svg") || dest.ends_with(".png");
            let target = resolve(flavor, path, &dest, image);
            assert!(files.contains_key(&target), "{flavor:?} {path}: {dest} → {target} is not in the export");
            checked += 1;
        }
    }
    checked
}

#[test]
fn every_link_and_image_of_every_markdown_flavour_resolves_inside_the_export() {
    let checked = bundled();
    for flavor in MARKDOWN_FLAVORS {
        let files = export(&checked, flavor);
        let pages = files.keys().filter(|p| p.ends_with(".md") && !p.starts_with('_')).count();
        let model = &checked.model;
        assert_eq!(pages, 4 + model.processes.len() + model.workflows.len() + model.roles.len(), "{flavor:?}");
        let links = assert_links_resolve(flavor, &files);
        assert!(links > 200, "{flavor:?}: only {links} links checked");
        for stem in ["landscape", "workflow-incident-handling"] {
            assert!(files.keys().any(|p| p.ends_with(&format!("/{stem}.svg"))), "{flavor:?}: {stem}.svg");
            assert!(files.keys().any(|p| p.ends_with(&format!("/{stem}.png"))), "{flavor:?}: {stem}.png");
        }
    }
}

#[test]
fn flavours_follow_their_wikis_layout() {
    let checked = bundled();
    let gfm = export(&checked, Flavor::Gfm);
    assert!(
        gfm.contains_key("Home.md") && gfm.contains_key("_Sidebar.md") && gfm.contains_key("Incident-Management.md")
    );
    assert!(gfm.keys().all(|p| !p.ends_with(".md") || !p.contains('/')), "GitHub wikis are flat");
    assert!(text(&gfm, "Home.md").contains("[Incident Management](Incident-Management)"));
    let gitlab = export(&checked, Flavor::Gitlab);
    assert!(gitlab.contains_key("home.md") && gitlab.contains_key("Processes/Incident-Management.md"));
    let page = text(&gitlab, "Workflows/Log-and-resolve-an-incident.md");
    assert!(page.contains("](../uploads/workflow-incident-handling.svg)"), "{page}");
    assert!(page.contains("[Incident Management](../Processes/Incident-Management)"), "{page}");
    assert!(page.starts_with("[[_TOC_]]"), "{page}");
    let azure = export(&checked, Flavor::Azure);
    assert_eq!(text(&azure, ".order"), "Home\nProcesses\nWorkflows\nRoles\n");
    let order = text(&azure, "Processes/.order");
    for name in order.lines() {
        assert!(azure.contains_key(&format!("Processes/{name}.md")), "{name} of .order has no page");
    }
    assert_eq!(order.lines().count(), checked.model.processes.len());
    assert!(azure.contains_key(".attachments/workflow-incident-handling.png"));
    let page = text(&azure, "Workflows/Log-and-resolve-an-incident.md");
    assert!(page.contains("(/.attachments/workflow-incident-handling.svg)"), "{page}");
}

#[test]
fn gfm_pages_are_tables_and_images_to_a_markdown_parser() {
    let checked = bundled();
    let files = export(&checked, Flavor::Gfm);
    let page = text(&files, "Log-and-resolve-an-incident.md");
    let options = pulldown_cmark::Options::ENABLE_TABLES;
    let mut tables = 0;
    let mut rows = 0;
    let mut images = Vec::new();
    let mut cells_in_row = 0;
    let mut header_cells = 0;
    for event in Parser::new_ext(&page, options) {
        match event {
            Event::Start(Tag::Table(_)) => tables += 1,
            Event::Start(Tag::TableHead) => cells_in_row = 0,
            Event::End(TagEnd::TableHead) => header_cells = cells_in_row,
            Event::Start(Tag::TableRow) => cells_in_row = 0,
            Event::Start(Tag::TableCell) => cells_in_row += 1,
            Event::End(TagEnd::TableRow) => {
                rows += 1;
                assert_eq!(cells_in_row, header_cells, "a step row with a wrong number of cells");
            }
            Event::Start(Tag::Image { dest_url, .. }) => images.push(dest_url.to_string()),
            Event::Html(html) | Event::InlineHtml(html) => panic!("raw HTML in a page: {html}"),
            _ => {}
        }
    }
    let steps =
        checked.model.workflow(checked.model.workflow_by_id("incident-handling").expect("workflow")).steps.len();
    assert_eq!(tables, 1);
    assert_eq!(rows, steps, "one row per step");
    assert_eq!(images, ["images/workflow-incident-handling.svg"]);
    let process = text(&files, "Incident-Management.md");
    let html = {
        let mut html = String::new();
        pulldown_cmark::html::push_html(&mut html, Parser::new_ext(&process, options));
        html
    };
    assert!(html.matches("<table>").count() >= 3, "activities, KPIs and the RACI matrix are tables");
    assert!(html.contains("<th>Activity</th>"), "{html}");
}

#[test]
fn confluence_pages_are_storage_format_with_their_attachments_in_the_bundle() {
    let checked = bundled();
    let files = export(&checked, Flavor::Confluence);
    let manifest: serde_json::Value = serde_json::from_slice(&files["manifest.json"]).expect("manifest is JSON");
    let pages = manifest["pages"].as_array().expect("pages");
    let titles: BTreeSet<&str> = pages.iter().filter_map(|p| p["title"].as_str()).collect();
    assert_eq!(titles.len(), pages.len(), "titles are unique");
    let mut seen_keys = BTreeSet::new();
    let mut images = 0;
    for page in pages {
        let key = page["key"].as_str().expect("key");
        if let Some(parent) = page["parent"].as_str() {
            assert!(seen_keys.contains(parent), "{key}: parent {parent} comes first");
        }
        seen_keys.insert(key);
        let attachments: BTreeSet<&str> =
            page["attachments"].as_array().expect("attachments").iter().filter_map(|a| a["name"].as_str()).collect();
        for attachment in page["attachments"].as_array().expect("attachments") {
            let file = attachment["file"].as_str().expect("file");
            assert!(files.contains_key(file), "{key}: {file} is not in the bundle");
        }
        let body = text(&files, page["file"].as_str().expect("file"));
        let wrapped = format!(
            r#"<page xmlns="http://www.w3.org/1999/xhtml" xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier">{body}</page>"#
        );
        let doc = roxmltree::Document::parse(&wrapped).unwrap_or_else(|e| panic!("{key}: {e}\n{body}"));
        for node in doc.descendants().filter(|n| n.is_element()) {
            let name = node.tag_name();
            if name.namespace() == Some("http://atlassian.com/resource/identifier") && name.name() == "attachment" {
                let file = node.attribute(("http://atlassian.com/resource/identifier", "filename")).expect("filename");
                assert!(attachments.contains(file), "{key}: ri:attachment {file} is not attached");
                images += 1;
            }
            if name.name() == "page" && name.namespace() == Some("http://atlassian.com/resource/identifier") {
                let title =
                    node.attribute(("http://atlassian.com/resource/identifier", "content-title")).expect("title");
                assert!(titles.contains(title), "{key}: link to a page that is not in the bundle: {title}");
            }
            assert_ne!(name.name(), "script", "{key}");
        }
    }
    assert!(images >= 3 * checked.model.workflows.len(), "image plus two links per workflow diagram");
    let home = text(&files, "pages/home.xml");
    assert!(home.contains(r#"<ac:structured-macro ac:name="toc""#) && home.contains(r#"ac:name="info""#));
}

#[test]
fn exports_are_byte_identical() {
    let checked = bundled();
    for flavor in [Flavor::Gfm, Flavor::Confluence] {
        assert!(export(&checked, flavor) == export(&checked, flavor), "{flavor:?}");
    }
}

/// A project whose names and texts try to break out of tables, links, XML and
/// pages.
fn hostile_project(dir: &Path) {
    fs::create_dir_all(dir.join("models")).expect("mkdir");
    fs::write(dir.join("procflow.yaml"), "title: \"Wiki <b>|]] & co\"\n").expect("write");
    let models = r#"roles:
  - id: agent
    name: "Agent | <script>alert(1)</script>"
  - id: boss
    name: "Boss]] [[Home]] -- a:b"
---
process:
  id: p
  name: "Pipes | and ]] brackets"
  owner: boss
  purpose: "Keep <img src=x onerror=alert(1)> out; [click](javascript:alert(1))"
  activities:
    - id: act
      name: "Act | one"
      raci: { R: agent, A: boss }
---
workflow:
  id: w
  name: "Flow-with-hyphens: <i>it</i> | ok"
  steps:
    - id: s
      type: start
      lane: agent
    - id: t
      name: "Task | ]] <b>bold</b>"
      realizes: [p/act]
      instructions: |
        Step one <script>alert(2)</script> ![form](https://example.com/form.png)

        ```sh
        unclosed fence
    - id: e
      type: end
"#;
    fs::write(dir.join("models/all.yaml"), models).expect("write");
}

#[test]
fn hostile_names_stay_text_in_every_flavour() {
    let dir = tempfile::tempdir().expect("tempdir");
    hostile_project(dir.path());
    let checked = checked(dir.path());
    for flavor in MARKDOWN_FLAVORS {
        let files = export(&checked, flavor);
        assert_links_resolve(flavor, &files);
        for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".md")) {
            let page = String::from_utf8(bytes.clone()).expect("utf-8");
            let (mut header, mut cells) = (0, 0);
            for event in Parser::new_ext(&page, pulldown_cmark::Options::ENABLE_TABLES) {
                match event {
                    Event::Html(html) | Event::InlineHtml(html) => panic!("{flavor:?} {path}: raw HTML {html}"),
                    Event::Start(Tag::Link { dest_url, .. }) => {
                        assert!(!dest_url.contains("javascript"), "{flavor:?} {path}: {dest_url}")
                    }
                    Event::Start(Tag::TableRow | Tag::TableHead) => cells = 0,
                    Event::Start(Tag::TableCell) => cells += 1,
                    Event::End(TagEnd::TableHead) => header = cells,
                    // A pipe in a name would add a cell (GFM pads short rows,
                    // so only too many cells show).
                    Event::End(TagEnd::TableRow) => assert_eq!(cells, header, "{flavor:?} {path}"),
                    _ => {}
                }
            }
            assert!(!page.contains("| Task | ]]"), "{path}");
        }
    }
    let gfm = export(&checked, Flavor::Gfm);
    let workflow = text(&gfm, "Flow-with-hyphens-i-it-i-ok.md");
    assert!(workflow.contains(r"Task \| \]\] \<b\>bold\</b\>"), "{workflow}");
    assert!(workflow.trim_end().ends_with("```"), "the unclosed fence is closed: {workflow}");
    assert!(workflow.contains(r"[Agent \| \<script\>alert(1)\</script\>](Agent-script-alert-1-script)"), "{workflow}");
    assert!(gfm.contains_key("Pipes-and-brackets.md") && gfm.contains_key("Boss-Home-a-b.md"));
    let azure = export(&checked, Flavor::Azure);
    let name = "Workflows/Flow%2Dwith%2Dhyphens%3A-%3Ci%3Eit%3C-i%3E-%7C-ok.md";
    assert!(azure.contains_key(name), "{:?}", azure.keys());
    let confluence = export(&checked, Flavor::Confluence);
    for (path, bytes) in confluence.iter().filter(|(p, _)| p.ends_with(".xml")) {
        let body = String::from_utf8(bytes.clone()).expect("utf-8");
        let wrapped = format!(
            r#"<page xmlns:ac="http://atlassian.com/content" xmlns:ri="http://atlassian.com/resource/identifier">{body}</page>"#
        );
        let doc = roxmltree::Document::parse(&wrapped).unwrap_or_else(|e| panic!("{path}: {e}\n{body}"));
        for node in doc.descendants().filter(|n| n.is_element()) {
            assert!(
                !matches!(node.tag_name().name(), "script" | "img" | "b" | "i"),
                "{path}: {}",
                node.tag_name().name()
            );
            assert!(node.attributes().all(|a| !a.value().contains("javascript")), "{path}");
        }
    }
    let workflow = text(&confluence, "pages/workflow-w.xml");
    assert!(workflow.contains(r#"<ri:url ri:value="https://example.com/form.png"/>"#), "{workflow}");
    assert!(
        workflow.contains("<ac:link-body>Agent | &lt;script&gt;alert(1)&lt;/script&gt;</ac:link-body>"),
        "{workflow}"
    );
}

#[test]
fn text_as_paths_has_no_text_and_draws_the_same_pixels_without_any_font() {
    use resvg::tiny_skia::{Pixmap, Transform};
    use resvg::usvg;
    let checked = bundled();
    let model = &checked.model;
    let w = model.workflow_by_id("incident-handling").expect("workflow");
    let diagram = procflow::layout::workflow(model, w, procflow::layout::LayoutOptions::default());
    let outlined = procflow::render::svg_outlined(&diagram).expect("outlined");
    assert!(!outlined.contains("<text") && !outlined.contains("<tspan"), "no text left");
    assert!(!outlined.contains("<script") && !outlined.contains("href") && !outlined.contains("<image"));
    let without_namespaces = outlined
        .replace(r#"xmlns="http://www.w3.org/2000/svg""#, "")
        .replace(r#"xmlns:xlink="http://www.w3.org/1999/xlink""#, "");
    assert!(!without_namespaces.contains("http") && !without_namespaces.contains("url(h"), "no external reference");
    assert!(outlined.contains("<title>Log and resolve an incident</title>"));
    // The text version with the bundled fonts against the outlined one with
    // no font at all: a viewer without Inter sees the same picture.
    let draw = |svg: &str, fonts: std::sync::Arc<usvg::fontdb::Database>| {
        let tree = usvg::Tree::from_str(svg, &usvg::Options { fontdb: fonts, ..Default::default() }).expect("parses");
        let size = tree.size().to_int_size();
        let mut pixmap = Pixmap::new(size.width(), size.height()).expect("pixmap");
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
        pixmap
    };
    let with_text = draw(&procflow::render::svg(&diagram), procflow::render::png::font_database());
    let no_fonts = draw(&outlined, std::sync::Arc::new(usvg::fontdb::Database::new()));
    assert_eq!((with_text.width(), with_text.height()), (no_fonts.width(), no_fonts.height()));
    let (mut differing, mut total_difference) = (0usize, 0u64);
    for (a, b) in with_text.pixels().iter().zip(no_fonts.pixels()) {
        let d = [a.red().abs_diff(b.red()), a.green().abs_diff(b.green()), a.blue().abs_diff(b.blue())];
        let max = d.into_iter().max().unwrap_or(0);
        if max > 48 {
            differing += 1;
        }
        total_difference += u64::from(max);
    }
    let pixels = with_text.pixels().len();
    assert!(differing * 1000 < pixels, "{differing} of {pixels} pixels differ clearly");
    assert!(total_difference < pixels as u64, "mean difference {} / 255", total_difference as f64 / pixels as f64);
    // And text drawn with no font would indeed be missing: the test can fail.
    let text_without_fonts = draw(&procflow::render::svg(&diagram), std::sync::Arc::new(usvg::fontdb::Database::new()));
    let missing = with_text.pixels().iter().zip(text_without_fonts.pixels()).filter(|(a, b)| a != b).count();
    assert!(missing > pixels / 200, "text without fonts must differ ({missing} pixels)");
}

/// `procflow export wiki` of the bundled models as `flavor` into `out`.
fn export_cli(flavor: &str, out: &Path) -> assert_cmd::assert::Assert {
    let root = env!("CARGO_MANIFEST_DIR");
    Command::cargo_bin("procflow")
        .expect("binary")
        .args(["export", "wiki", root, "--flavor", flavor, "-o"])
        .arg(out)
        .assert()
}

#[test]
fn the_cli_writes_a_wiki_atomically_and_refuses_foreign_folders() {
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("wiki");
    export_cli("gitlab", &out).success().stderr(predicates::str::contains("exported 35 pages and 7 diagrams"));
    assert!(out.join("home.md").is_file() && out.join("uploads/workflow-change-ticket.svg").is_file());
    // A second export replaces the first (it carries procflow's marker).
    fs::write(out.join("stale.md"), "old").expect("write");
    export_cli("azure", &out).success();
    assert!(!out.join("stale.md").exists() && out.join(".order").is_file());
    let names: Vec<_> = fs::read_dir(dir.path()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
    assert_eq!(names, ["wiki"], "nothing left beside the folder");
    // A folder procflow did not write is left alone.
    let foreign = dir.path().join("notes");
    fs::create_dir_all(&foreign).expect("mkdir");
    fs::write(foreign.join("thesis.md"), "precious").expect("write");
    export_cli("gfm", &foreign).code(2).stderr(predicates::str::contains("not written by procflow"));
    assert_eq!(fs::read_to_string(foreign.join("thesis.md")).expect("kept"), "precious");
    assert_eq!(fs::read_dir(&foreign).expect("dir").count(), 1);
}

#[test]
fn render_text_as_paths_writes_outlines() {
    let output = Command::cargo_bin("procflow")
        .expect("binary")
        .args(["render", "major-incident", env!("CARGO_MANIFEST_DIR"), "--text-as-paths"])
        .output()
        .expect("runs");
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let svg = String::from_utf8(output.stdout).expect("utf-8");
    assert!(svg.starts_with("<svg viewBox=") && !svg.contains("<text"), "{}", &svg[..200.min(svg.len())]);
    roxmltree::Document::parse(&svg).expect("well-formed");
}

/// Document control reaches the wiki: a draft workflow's page opens with a
/// DRAFT note (a Confluence info panel), an approved process's page gives its
/// version, approver and change history.
#[test]
fn wiki_pages_carry_document_control_and_the_draft_note() {
    let checked = bundled();
    let gfm = export(&checked, Flavor::Gfm);
    let draft = text(&gfm, "Investigate-a-problem.md");
    assert!(draft.contains("**DRAFT** — not approved yet"), "{draft}");
    assert!(draft.contains("**Status:** Draft"));
    let approved = text(&gfm, "Incident-Management.md");
    assert!(!approved.contains("DRAFT"));
    assert!(approved.contains("**Version:** 3.2 · **Status:** Approved · **Approved by:** [Incident Manager]"));
    assert!(approved.contains("| 3.1 | 2026-03-02 |"), "the change history as a table");

    let confluence = export(&checked, Flavor::Confluence);
    let page = confluence
        .iter()
        .find(|(path, _)| path.starts_with("pages/") && path.contains("problem-investigation"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .expect("the workflow's Confluence page");
    assert!(page.contains(r#"<ac:structured-macro ac:name="info""#) && page.contains("<strong>DRAFT</strong>"));
}
