//! Drawing a laid-out [`Diagram`] as SVG and PNG.
//!
//! This stage owns the BPMN look: the shapes, icons, markers, line styles and
//! colours of swimlane diagrams and of the process landscape. It sees only the
//! positioned [`Diagram`] — never the YAML, the model graph or the layout
//! engine — and it never mutates it, never measures text and never wraps it:
//! every box, polyline and line of text is drawn where the layout put it.
//! The SVG is the one drawing path; the PNG is that SVG rasterised by resvg
//! with the bundled Inter font, so both formats show the same picture;
//! [`svg_outlined`] is that SVG with its text as outlines, read back the same
//! way.
//!
//! Output is byte-for-byte deterministic: coordinates are written with at most
//! two decimals and ids are derived from model ids.

mod icons;
pub mod outline;
pub mod png;
pub mod svg;

pub use outline::svg_outlined;
pub use png::{RenderError, png};
pub use svg::{svg, svg_with_links};

use std::fmt;

use crate::layout::diagram::Diagram;

/// A coordinate as written into SVG: at most two decimals and no trailing
/// zeros, so that the same diagram always gives the same bytes. Values that
/// are not finite (which a sound layout never produces) are written as `0`,
/// keeping the document parseable. Formatting goes through integers, which is
/// both exact and several times faster than float formatting.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Num(pub f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hundredths = (self.0 * 100.0).round();
        // Beyond ±2^53 hundredths a float has no fractional digits left;
        // such a coordinate is nonsense anyway.
        if !hundredths.is_finite() || hundredths.abs() > 9.0e15 || hundredths == 0.0 {
            return f.write_str("0");
        }
        let h = hundredths as i64;
        let (int, frac) = (h.unsigned_abs() / 100, h.unsigned_abs() % 100);
        if h < 0 {
            f.write_str("-")?;
        }
        write!(f, "{int}")?;
        match frac {
            0 => Ok(()),
            f10 if f10 % 10 == 0 => write!(f, ".{}", f10 / 10),
            _ => write!(f, ".{frac:02}"),
        }
    }
}

/// Shorthand for [`Num`].
pub(crate) fn num(value: f64) -> Num {
    Num(value)
}

/// A user string escaped for XML text and attribute values. Characters that
/// XML 1.0 does not allow at all (most control characters) become U+FFFD, so
/// no name can make the document malformed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Escaped<'a>(pub &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = self.0;
        let mut start = 0;
        for (i, c) in text.char_indices() {
            let replacement = match c {
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '"' => "&quot;",
                '\'' => "&apos;",
                '\t' | '\n' | '\r' => continue,
                c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => "\u{FFFD}",
                _ => continue,
            };
            f.write_str(&text[start..i])?;
            f.write_str(replacement)?;
            start = i + c.len_utf8();
        }
        f.write_str(&text[start..])
    }
}

/// Shorthand for [`Escaped`].
pub(crate) fn escape(text: &str) -> Escaped<'_> {
    Escaped(text)
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
        let n = |v: f64| num(v).to_string();
        assert_eq!(n(12.0), "12");
        assert_eq!(n(12.5), "12.5");
        assert_eq!(n(12.345), "12.35");
        assert_eq!(n(0.07), "0.07");
        assert_eq!(n(-0.001), "0");
        assert_eq!(n(-0.25), "-0.25");
        assert_eq!(n(-3.10), "-3.1");
        assert_eq!(n(1234567.891), "1234567.89");
        assert_eq!(n(f64::NAN), "0");
        assert_eq!(n(f64::INFINITY), "0");
    }

    #[test]
    fn escaping_covers_markup_and_control_characters() {
        let e = |t: &str| escape(t).to_string();
        assert_eq!(e(r#"<a href="x">&'"#), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;");
        assert_eq!(e("a\u{1}b\tc"), "a\u{FFFD}b\tc");
        assert_eq!(e("Zürich → Genève"), "Zürich → Genève");
    }

    #[test]
    fn slugs_keep_only_safe_characters() {
        assert_eq!(slug("Handle Request/v2"), "handle-request-v2");
        assert_eq!(slug(""), "x");
    }
}
