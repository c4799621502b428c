//! Drawing a laid-out [`Diagram`] as SVG and PNG.
//!
//! This stage owns the BPMN look: the shapes, icons, markers, line styles and
//! colours of swimlane diagrams and of the process landscape. It sees only the
//! positioned [`Diagram`] — never the YAML, the model graph or the layout
//! engine — and it never mutates it, never measures text and never wraps it:
//! every box, polyline and line of text is drawn where the layout put it.
//! The SVG is the one drawing path; the PNG is that SVG rasterised by resvg
//! with the bundled Inter font, so both formats show the same picture.
//!
//! Output is byte-for-byte deterministic: coordinates are written with at most
//! two decimals and ids are derived from model ids.

mod icons;
pub mod png;
pub mod svg;

pub use png::{RenderError, png};
pub use svg::{svg, svg_with_links};

use crate::layout::diagram::Diagram;

/// Formats a coordinate with at most two decimals and no trailing zeros, so
/// that the same diagram always gives the same bytes. Values that are not
/// finite (which a sound layout never produces) are written as `0`, keeping
/// the document parseable.
pub(crate) fn num(value: f64) -> String {
    if !value.is_finite() {
        return "0".to_string();
    }
    let rounded = (value * 100.0).round() / 100.0;
    let mut text = format!("{rounded:.2}");
    while text.ends_with('0') {
        text.pop();
    }
    if text.ends_with('.') {
        text.pop();
    }
    if text == "-0" {
        text = "0".to_string();
    }
    text
}

/// Escapes a user string for XML text and attribute values. Characters that
/// XML 1.0 does not allow at all (most control characters) become U+FFFD, so
/// no name can make the document malformed.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(c),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => out.push('\u{FFFD}'),
            c => out.push(c),
        }
    }
    out
}

/// Turns a model id into a fragment safe for XML ids and CSS selectors:
/// ASCII letters (lowercased), digits, `-` and `_`; anything else becomes `-`.
pub(crate) fn slug(id: &str) -> String {
    let slug: String = id
        .chars()
        .map(|c| match c {
            'a'..='z' | '0'..='9' | '-' | '_' => c,
            'A'..='Z' => c.to_ascii_lowercase(),
            _ => '-',
        })
        .collect();
    if slug.is_empty() { "x".to_string() } else { slug }
}

/// The prefix of every element id of `diagram`'s SVG (`pf-<diagram id>`), so
/// several diagrams can be inlined in one HTML page.
pub fn id_prefix(diagram: &Diagram) -> String {
    format!("pf-{}", slug(&diagram.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_at_most_two_decimals_and_no_trailing_zeros() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.5), "12.5");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(-3.10), "-3.1");
        assert_eq!(num(f64::NAN), "0");
    }

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        assert_eq!(escape(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
        assert_eq!(escape("a\u{1}b"), "a\u{FFFD}b");
    }

    #[test]
    fn slugs_keep_only_safe_characters() {
        assert_eq!(slug("Handle Request/v2"), "handle-request-v2");
        assert_eq!(slug(""), "x");
    }
}
