//! Portal features of the site beyond single pages: the process landscape on
//! the home page offered as SVG and PNG download like a workflow diagram.

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
