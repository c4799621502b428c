//! Portal features of the site beyond single pages, as the generated HTML
//! shows them: the process landscape offered as SVG and PNG download like a
//! workflow diagram, process pages with their workflows' diagrams and the
//! realizing steps marked, tables of contents, the RACI overview's scroll
//! region, legend and filter script, the search combobox, and the edit and
//! feedback links of the settings. `tests/browser/portal.mjs` drives them in
//! a real browser.

use std::path::Path;

use procflow::project::Project;
use procflow::site::Site;

fn build(dir: &Path) -> Site {
    let project = Project::read(dir).expect("project");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "{:?}", checked.diagnostics);
    procflow::site::build(&checked, &project.sources).expect("site builds")
}

fn text(site: &Site, path: &str) -> String {
    String::from_utf8(site.get(path).unwrap_or_else(|| panic!("{path} missing")).to_vec()).expect("utf-8")
}

/// The home page's figure around the landscape, from its opening to its end.
fn landscape_figure(index: &str) -> &str {
    let start = index.find("<section aria-labelledby=\"landscape\">").expect("landscape section");
    let end = start + index[start..].find("</figure>").expect("figure ends");
    &index[start..end]
}

#[test]
fn the_landscape_is_offered_as_svg_and_png_files_when_the_project_asks_for_png() {
    // The bundled project sets `formats: [svg, png, bpmn]`.
    let site = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let svg = text(&site, "landscape.svg");
    assert!(svg.contains("<svg") && svg.contains("xmlns=\"http://www.w3.org/2000/svg\""), "standalone SVG");
    // The download is the picture alone: the page's process links stay on the page.
    assert!(!svg.contains("processes/"), "no page links in the download");
    let png = site.get("landscape.png").expect("landscape.png written");
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG file");

    let index = text(&site, "index.html");
    let figure = landscape_figure(&index);
    // Downloads sit in the caption, outside the scrolling viewport.
    let caption = &figure[..figure.find("</figcaption>").expect("caption")];
    assert!(caption.contains(r#"<a href="landscape.svg" download>SVG</a>"#), "{caption}");
    assert!(caption.contains(r#"<a href="landscape.png" download>PNG</a>"#), "{caption}");
    assert!(!caption.contains("png-download"), "a PNG file, not one drawn in the browser");
}

#[test]
fn without_png_files_the_home_page_draws_the_landscape_png_in_the_browser() {
    // The minimal fixture has no settings: `formats` defaults to SVG only.
    let site = build(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ok-minimal"));
    assert!(site.get("landscape.svg").is_some());
    assert!(site.get("landscape.png").is_none(), "no PNG file without `png` in formats");
    let index = text(&site, "index.html");
    let caption = landscape_figure(&index);
    assert!(
        caption.contains(r#"<button type="button" class="png-download" data-file="landscape.png">PNG</button>"#),
        "{caption}"
    );
    assert!(index.contains(r#"<script src="assets/png.js" defer></script>"#), "the script that draws it");
}

/// The bundled project's site with `extra` appended to its settings.
fn build_with_settings(extra: &str) -> Site {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let project = Project::read(root).expect("project");
    let settings = std::fs::read_to_string(root.join("procflow.yaml")).expect("settings");
    let mut sources = procflow::source::Sources::new();
    sources.set_settings("procflow.yaml", format!("{settings}\n{extra}\n").into_bytes());
    for (_, file) in project.sources.model_files() {
        sources.add_text(file.path.clone(), file.text.clone());
    }
    let checked = procflow::check(&sources);
    assert!(checked.is_ok(false), "{:?}", checked.diagnostics);
    procflow::site::build(&checked, &sources).expect("site builds")
}

/// The values of `attr="…"` on the page, in order.
fn attribute_values<'a>(html: &'a str, attr: &str) -> Vec<&'a str> {
    let open = format!(" {attr}=\"");
    html.match_indices(&open)
        .filter_map(|(at, _)| html[at + open.len()..].split_once('"').map(|(value, _)| value))
        .collect()
}

#[test]
fn process_pages_show_their_workflows_diagrams_with_the_realizing_steps_marked() {
    let site = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = text(&site, "processes/incident-management.html");
    let figure_at = page.find(r#"<figure class="diagram process-diagram" data-workflow="incident-handling">"#);
    let figure = &page[figure_at.expect("the implementing workflow's diagram")..];
    let figure = &figure[..figure.find("</figure>").expect("figure ends")];
    assert!(figure.contains("<svg"), "an inline diagram");
    assert!(figure.contains(r#"class="viewer-bar""#), "in the viewer");
    assert!(figure.contains(r#"href="../workflows/incident-handling.html""#), "the caption links the workflow");
    // Steps link to their entries on the workflow page.
    assert!(figure.contains(r#"href="../workflows/incident-handling.html#step-accept-level-1""#), "{figure:.400}");
    // The steps that realize an activity carry the class, and only those.
    let marked = figure.matches(r#"class="node realizes""#).count();
    assert!(marked > 0, "realizing steps marked");
    assert!(figure.matches(r#"class="node""#).count() > 0, "other steps unmarked");
    // Every step an activity names is a marked node of a diagram on the page.
    let refs = attribute_values(&page, "data-steps");
    assert!(!refs.is_empty(), "activities name their steps");
    for r in refs.iter().flat_map(|v| v.split(' ')) {
        let (workflow, step) = r.split_once('/').expect("workflow/step");
        let diagram = &page[page.find(&format!("data-workflow=\"{workflow}\"")).expect("its diagram")..];
        assert!(diagram.contains(&format!(r#"class="node realizes" data-step="{step}""#)), "{r} is a marked node");
    }
    assert!(page.contains(r#"<script src="../assets/highlight.js" defer></script>"#));
    assert!(page.contains(r#"<script src="../assets/viewer.js" defer></script>"#));
    // Each viewer's key help has its own id.
    let keys = attribute_values(&page, "aria-describedby");
    let mut unique = keys.clone();
    unique.sort_unstable();
    unique.dedup();
    assert_eq!(keys.len(), unique.len(), "{keys:?}");
    assert!(site.get("assets/highlight.js").is_some_and(|js| js.starts_with(b"// On a process page")));
}

#[test]
fn long_pages_have_a_table_of_contents_of_their_sections() {
    let site = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = text(&site, "processes/incident-management.html");
    let start = page.find(r#"<nav class="contents" aria-label="On this page">"#).expect("a table of contents");
    let nav = &page[start..start + page[start..].find("</nav>").expect("nav ends")];
    let targets: Vec<&str> = attribute_values(nav, "href").into_iter().map(|h| h.trim_start_matches('#')).collect();
    assert!(targets.len() >= 5, "{targets:?}");
    for section in ["purpose", "diagrams", "activities", "workflows", "findings"] {
        assert!(targets.contains(&section), "{section} in {targets:?}");
    }
    for id in &targets {
        assert!(page.contains(&format!(r#"<h2 id="{id}">"#)), "#{id} is a heading of the page");
    }
    // It comes before the first section, after the title.
    assert!(start > page.find("<h1>").expect("title") && start < page.find(r#"<h2 id="purpose">"#).expect("purpose"));
    assert!(!page.contains("<!--contents-->"), "the mark is gone");
    // A page with fewer sections has none.
    let workflow = text(&site, "workflows/incident-handling.html");
    assert!(!workflow.contains("<!--contents-->") && !workflow.contains("On this page"));
}

#[test]
fn the_raci_overview_scrolls_in_a_named_focusable_region_with_a_coded_legend_and_a_filter_script() {
    let site = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = text(&site, "raci.html");
    assert!(page.contains(r#"<div class="raci-scroll" role="region" tabindex="0" aria-label="#), "scroll region");
    // The region holds the matrix only; legend and analysis follow it.
    let region = &page[page.find(r#"class="raci-scroll""#).expect("region")..];
    let table_end = region.find("</table>").expect("matrix");
    assert!(region[table_end..].starts_with("</table>\n</div>"), "the region closes after the matrix");
    for letter in ["a", "r", "c", "i"] {
        assert!(page.contains(&format!(r#"<dt class="raci-cell raci-{letter}">"#)), "legend entry for {letter}");
    }
    assert!(page.contains(r#"<script src="assets/raci.js" defer></script>"#));
    // Without script there is no filter: the full matrix shows.
    assert!(!page.contains("raci-filter"), "the filter is made by the script");
    let css = text(&site, "assets/style.css");
    assert!(css.contains(".raci-matrix thead th { position: sticky; top: 0;"), "sticky header row");
    assert!(css.contains(".raci-matrix tbody th { position: sticky; left: 0;"), "sticky first column");
}

#[test]
fn the_search_box_is_a_combobox_over_a_listbox() {
    let site = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    let page = text(&site, "index.html");
    let input = &page[page.find(r#"<input id="search-box""#).expect("search box")..];
    let input = &input[..input.find('>').expect("tag ends")];
    for attr in [
        r#"role="combobox""#,
        r#"aria-expanded="false""#,
        r#"aria-controls="search-results""#,
        r#"aria-autocomplete="list""#,
    ] {
        assert!(input.contains(attr), "{attr} in {input}");
    }
    assert!(page.contains(r#"<ul id="search-results" class="search-results" role="listbox""#));
    let js = text(&site, "assets/search.js");
    assert!(js.contains("aria-activedescendant") && js.contains("createElement(\"mark\")"));
}

#[test]
fn edit_and_feedback_links_name_the_page_and_its_file_escaped() {
    let site = build_with_settings(
        "edit_url: https://git.example.com/acme/handbook/edit/main/{path}\n\
         feedback_url: https://git.example.com/acme/handbook/issues/new?title=About%20{title}&body={path}",
    );
    let page = text(&site, "processes/incident-management.html");
    let actions = &page[page.find(r#"<ul class="page-actions">"#).expect("page actions")..];
    let actions = &actions[..actions.find("</ul>").expect("list ends")];
    let hrefs = attribute_values(actions, "href");
    assert_eq!(hrefs.len(), 2, "{actions}");
    assert!(hrefs[0].starts_with("https://git.example.com/acme/handbook/edit/main/models/"), "{}", hrefs[0]);
    assert!(hrefs[0].ends_with(".yaml"), "{}", hrefs[0]);
    // The title is URL-encoded and `&` escaped for HTML.
    assert!(hrefs[1].contains("?title=About%20Incident%20Management&#38;body=models/"), "{}", hrefs[1]);
    assert!(actions.contains(">Edit this page</a>") && actions.contains(">Give feedback</a>"));
    for path in ["workflows/incident-handling.html", "roles/service-desk-agent.html"] {
        assert!(text(&site, path).contains(r#"<ul class="page-actions">"#), "{path}");
    }
    // Pages made from the whole model have no single file to edit.
    for path in ["index.html", "raci.html", "kpis.html", "check.html"] {
        assert!(!text(&site, path).contains("page-actions"), "{path}");
    }
    // Without the settings, no links.
    let plain = build(Path::new(env!("CARGO_MANIFEST_DIR")));
    assert!(!text(&plain, "processes/incident-management.html").contains("page-actions"));
}

#[test]
fn a_title_with_markup_characters_is_encoded_in_the_feedback_link() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let models = dir.path().join("models");
    std::fs::create_dir_all(&models).expect("models folder");
    std::fs::write(dir.path().join("procflow.yaml"), "feedback_url: \"mailto:smo@example.com?subject={title}\"\n")
        .expect("settings");
    std::fs::write(models.join("roles.yaml"), "roles:\n  - id: agent\n    name: \"Agent <b>&\\\"quoted\\\"</b>\"\n")
        .expect("roles");
    let project = Project::read(dir.path()).expect("project");
    let checked = procflow::check(&project.sources);
    let site = procflow::site::build(&checked, &project.sources).expect("site builds");
    let page = text(&site, "roles/agent.html");
    assert!(
        page.contains(r#"href="mailto:smo@example.com?subject=Agent%20%3Cb%3E%26%22quoted%22%3C/b%3E""#),
        "{}",
        &page[page.find("page-actions").expect("actions")..]
    );
}
