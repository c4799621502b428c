//! Text measurement for the SVG matrix: how wide a label is, and how to wrap it.
//!
//! Until a font is bundled, widths come from a fixed metric table: the advance
//! widths of Helvetica (identical to Arial and Liberation Sans) in 1/1000 em,
//! which is what the SVG names first in its `font-family`. Characters outside the
//! table get a conservative width (wide for CJK and other full-width scripts).
//! This module owns only that arithmetic: it must not know about matrices, and it
//! is small on purpose so a shaped measurement with the bundled font can replace
//! [`text_width`] without touching the renderer.

/// Advance widths of Helvetica, code points 32..=126, in 1/1000 em.
const REGULAR: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, // 0 to ?
    1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778, // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, // P to _
    333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, // ` to o
    556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584, // p to ~
];

/// Advance widths of Helvetica Bold, code points 32..=126, in 1/1000 em.
const BOLD: [u16; 95] = [
    278, 333, 474, 556, 556, 889, 722, 238, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
    556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 333, 333, 584, 584, 584, 611, // 0 to ?
    975, 722, 722, 722, 722, 667, 611, 778, 722, 278, 556, 722, 611, 833, 722, 778, // @ to O
    667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 333, 278, 333, 584, 556, // P to _
    333, 556, 611, 556, 611, 556, 333, 611, 611, 278, 278, 556, 278, 889, 611, 611, // ` to o
    611, 611, 389, 556, 333, 611, 556, 778, 556, 556, 500, 389, 280, 389, 584, // p to ~
];

/// Width of one character in 1/1000 em.
fn advance(c: char, bold: bool) -> u32 {
    let code = c as u32;
    if (32..=126).contains(&code) {
        let table = if bold { &BOLD } else { &REGULAR };
        return u32::from(table[(code - 32) as usize]);
    }
    match code {
        // Combining marks and zero-width characters take no room.
        0x0300..=0x036F | 0x200B..=0x200F | 0xFE00..=0xFE0F => 0,
        // Typographic quotes, dashes and the ellipsis that the views themselves use.
        0x2018..=0x201A => 222,
        0x201C..=0x201E => 333,
        0x2013 => 556,
        0x2014 => 1000,
        0x2026 => 1000,
        0x00A0 => 278,
        // Full-width scripts: CJK, Hangul, full-width forms, emoji.
        0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFF00..=0xFF60 => 1000,
        0x1F000..=0x1FAFF => 1000,
        // Latin letters with accents, Greek, Cyrillic and the rest: as wide as a
        // wide Latin letter, so a label rather ends up with room to spare.
        _ => {
            if bold {
                722
            } else {
                667
            }
        }
    }
}

/// Width of `text` set at `size` px, in px.
pub fn text_width(text: &str, size: f64, bold: bool) -> f64 {
    let units: u32 = text.chars().map(|c| advance(c, bold)).sum();
    f64::from(units) * size / 1000.0
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
    fn widths_follow_the_helvetica_table() {
        assert!((text_width("A", 10.0, false) - 6.67).abs() < 1e-9);
        assert!((text_width("iiii", 10.0, false) - 8.88).abs() < 1e-9);
        assert!(text_width("Ab", 12.0, true) > text_width("Ab", 12.0, false));
        assert_eq!(text_width("", 12.0, false), 0.0);
        assert!(text_width("漢字", 10.0, false) >= 20.0);
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
