//! The font-independent SVG of a diagram: every line of text turned into
//! outlines, so the picture looks the same in every viewer, whatever fonts
//! it has (wikis, Confluence, image viewers without Inter).
//!
//! There is still only one drawing path: [`super::svg`] is read by usvg with
//! the bundled fonts (the font database the PNG uses) and written back out,
//! which lays out each text block exactly as resvg does for the PNG and
//! writes its glyphs as paths. The result keeps the SVG's safety — usvg
//! writes no scripts, no event attributes and no external references — and
//! gets the diagram's `<title>` back, which usvg does not carry over.

use resvg::usvg;

use super::png::{FAMILY, font_database};
use super::{RenderError, escape};
use crate::layout::diagram::Diagram;

/// The SVG of `diagram` with its text as outlines (no `<text>` element).
pub fn svg_outlined(diagram: &Diagram) -> Result<String, RenderError> {
    outline(&super::svg(diagram), &diagram.title)
}

/// Turns the text of an SVG document procflow wrote into outlines, adding a
/// `<title>` (escaped) as the first child of the root so screen readers and
/// tooltips still name the picture.
pub fn outline(svg: &str, title: &str) -> Result<String, RenderError> {
    let options = usvg::Options { fontdb: font_database(), font_family: FAMILY.to_string(), ..Default::default() };
    let tree = usvg::Tree::from_str(svg, &options)?;
    let written = tree.to_string(&usvg::WriteOptions::default());
    Ok(with_title(&written, title))
}

/// Inserts `<title>` right after the root element's start tag.
fn with_title(svg: &str, title: &str) -> String {
    let Some(root) = svg.find("<svg") else { return svg.to_string() };
    let Some(end) = svg[root..].find('>').map(|i| root + i + 1) else { return svg.to_string() };
    if title.is_empty() {
        return svg.to_string();
    }
    format!("{}\n<title>{}</title>{}", &svg[..end], escape(title), &svg[end..])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_becomes_paths_and_the_title_stays() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" width="100" height="40"><text x="5" y="20" font-family="Inter" font-size="12">Hello</text></svg>"#;
        let out = outline(svg, "A <b> & c").expect("outlined");
        assert!(!out.contains("<text"), "{out}");
        assert!(out.contains("<path"), "{out}");
        assert!(out.contains("<title>A &lt;b&gt; &amp; c</title>"), "{out}");
        roxmltree::Document::parse(&out).expect("well-formed");
    }
}
