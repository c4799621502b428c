//! The font-independent SVG of a diagram: every line of text turned into
//! outlines, so the picture looks the same in every viewer, whatever fonts
//! it has (wikis, Confluence, image viewers without Inter).
//!
//! There is still only one drawing path: [`super::svg`] is read by usvg with
//! the bundled fonts (the font database the PNG uses) and written back out,
//! which lays out each text block exactly as resvg does for the PNG and
//! writes its glyphs as paths. The result keeps the SVG's safety — usvg
//! writes no scripts, no event attributes and no external references — and
//! gets the diagram's `<title>` and `viewBox` back, which usvg does not carry
//! over.

use std::fmt::Write as _;

use resvg::usvg;

use super::{RenderError, escape, num};
use crate::layout::diagram::Diagram;

/// The SVG of `diagram` with its text as outlines (no `<text>` element).
pub fn svg_outlined(diagram: &Diagram) -> Result<String, RenderError> {
    outline(&super::svg(diagram), &diagram.title)
}

/// Turns the text of an SVG document procflow wrote into outlines, adding a
/// `<title>` (escaped) as the first child of the root so screen readers and
/// tooltips still name the picture.
pub fn outline(svg: &str, title: &str) -> Result<String, RenderError> {
    Ok(outlined(&super::png::read(svg)?, title))
}

/// [`outline`] of an SVG already read by [`super::png::read`] (which the
/// PNG can then be drawn from too).
pub(crate) fn outlined(tree: &usvg::Tree, title: &str) -> String {
    // Two decimals, as the text version writes coordinates: a hundredth of a
    // pixel is invisible even at the PNG's double scale, and glyph outlines
    // at usvg's default of eight take about three times the bytes; no
    // indentation (a picture, not a document to read).
    let write = usvg::WriteOptions {
        coordinates_precision: 2,
        transforms_precision: 4,
        indent: usvg::Indent::None,
        ..Default::default()
    };
    let size = tree.size();
    finish(&tree.to_string(&write), title, size.width(), size.height())
}

/// Gives the root element a `viewBox` (usvg writes only width and height,
/// and without a viewBox a browser crops the picture instead of scaling it
/// to a wiki's column) and inserts `<title>` right after the start tag.
fn finish(svg: &str, title: &str, width: f32, height: f32) -> String {
    let Some(root) = svg.find("<svg") else { return svg.to_string() };
    let Some(end) = svg[root..].find('>').map(|i| root + i + 1) else { return svg.to_string() };
    let start_tag = &svg[root..end];
    let mut out = String::with_capacity(svg.len() + title.len() + 64);
    out.push_str(&svg[..root + 4]);
    if !start_tag.contains("viewBox") {
        let _ = write!(out, r#" viewBox="0 0 {} {}""#, num(f64::from(width)), num(f64::from(height)));
    }
    out.push_str(&svg[root + 4..end]);
    if !title.is_empty() {
        let _ = write!(out, "\n<title>{}</title>", escape(title));
    }
    out.push_str(&svg[end..]);
    out
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
        assert!(out.starts_with(r#"<svg viewBox="0 0 100 40""#), "{out}");
        roxmltree::Document::parse(&out).expect("well-formed");
    }
}
