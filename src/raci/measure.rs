//! Text measurement for the SVG matrix: how wide a label is, and how to wrap it.
//!
//! Widths come from the bundled Inter font, shaped the way resvg shapes it
//! ([`crate::text`]), which the SVG names first in its `font-family`. This
//! module owns only the wrapping arithmetic on top: it must not know about
//! matrices.

use std::cell::RefCell;

use crate::layout::diagram::Weight;
use crate::text::Measurer;

thread_local! {
    /// One measurer (and its width cache) per thread.
    static MEASURER: RefCell<Measurer> = RefCell::new(Measurer::new());
}

/// Width of `text` set at `size` px, in px.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let weight = if bold { Weight::SemiBold } else { Weight::Regular };
    MEASURER.with(|m| m.borrow_mut().width(text, size, weight))
}

/// Breaks `text` into lines no wider than `max` px, at spaces where possible and
/// inside a word only when the word alone is too wide. Never returns no line.
pub fn wrap(text: &str, max: f64, size: f64, bold: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() { word.to_string() } else { format!("{line} {word}") };
        if text_width(&candidate, size, bold) <= max {
            line = candidate;
            continue;
        }
        if !line.is_empty() {
            lines.push(std::mem::take(&mut line));
        }
        // The word alone: split it where it overflows.
        for c in word.chars() {
            line.push(c);
            if text_width(&line, size, bold) > max && line.chars().count() > 1 {
                line.pop();
                lines.push(std::mem::take(&mut line));
                line.push(c);
            }
        }
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

/// Like [`wrap`], but with lines of even length: the narrowest width that still
/// needs no more lines than `max` does, so no word is left alone on a last line.
pub fn wrap_balanced(text: &str, max: f64, size: f64, bold: bool) -> Vec<String> {
    let lines = wrap(text, max, size, bold);
    if lines.len() < 2 {
        return lines;
    }
    let (mut lo, mut hi) = (max / lines.len() as f64, max);
    for _ in 0..12 {
        let mid = (lo + hi) / 2.0;
        if wrap(text, mid, size, bold).len() > lines.len() {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    wrap(text, hi, size, bold)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_the_bundled_font() {
        let a = text_width("A", 10.0, false);
        assert!(a > 5.0 && a < 8.0, "{a}");
        assert!(text_width("iiii", 10.0, false) < text_width("WWWW", 10.0, false) / 2.0);
        assert!(text_width("Ab", 12.0, true) > text_width("Ab", 12.0, false));
        assert_eq!(text_width("", 12.0, false), 0.0);
    }

    #[test]
    fn wrap_breaks_at_spaces_and_inside_overlong_words() {
        let lines = wrap("Log and resolve an incident", 80.0, 12.0, false);
        assert!(lines.len() > 1);
        assert!(lines.iter().all(|l| text_width(l, 12.0, false) <= 80.0));
        assert_eq!(lines.join(" "), "Log and resolve an incident");
        let long = wrap(&"x".repeat(100), 50.0, 12.0, false);
        assert!(long.len() > 1 && long.iter().all(|l| text_width(l, 12.0, false) <= 50.0));
        assert_eq!(wrap("", 50.0, 12.0, false), [""]);
    }

    #[test]
    fn balanced_wrap_leaves_no_orphan() {
        let max = text_width("Service Desk Agent (Level", 12.0, true) + 1.0;
        assert_eq!(wrap("Service Desk Agent (Level 1)", max, 12.0, true), ["Service Desk Agent (Level", "1)"]);
        assert_eq!(wrap_balanced("Service Desk Agent (Level 1)", max, 12.0, true), ["Service Desk", "Agent (Level 1)"]);
    }
}
