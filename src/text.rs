//! Text measured with the bundled font, so boxes fit their labels.
//!
//! procflow ships Inter (SIL OFL 1.1, `templates/fonts/`) and measures every
//! label by shaping it with harfrust — the shaper resvg uses — so a width
//! computed here is the width resvg draws in the PNG and, since the SVG names
//! Inter first, the width a browser draws too. Widths are cached per word.

use std::collections::HashMap;
use std::sync::OnceLock;

use harfrust::{FontRef, ShaperData, UnicodeBuffer};

use crate::layout::diagram::Weight;

/// Inter Regular, embedded in the binary.
pub static INTER_REGULAR: &[u8] = include_bytes!("../templates/fonts/Inter-Regular.otf");
/// Inter SemiBold, embedded in the binary.
pub static INTER_SEMIBOLD: &[u8] = include_bytes!("../templates/fonts/Inter-SemiBold.otf");

/// The font stack written into SVG: the bundled font first, then fonts with
/// similar metrics for viewers that do not have it.
pub const FONT_FAMILY: &str = "Inter, 'Liberation Sans', Arial, Helvetica, sans-serif";

struct Face {
    font: FontRef<'static>,
    data: ShaperData,
    units_per_em: f64,
}

fn face(weight: Weight) -> Option<&'static Face> {
    static REGULAR: OnceLock<Option<Face>> = OnceLock::new();
    static SEMIBOLD: OnceLock<Option<Face>> = OnceLock::new();
    let (cell, bytes) = match weight {
        Weight::Regular => (&REGULAR, INTER_REGULAR),
        Weight::SemiBold => (&SEMIBOLD, INTER_SEMIBOLD),
    };
    cell.get_or_init(|| {
        let font = FontRef::new(bytes).ok()?;
        let data = ShaperData::new(&font);
        let shaper = data.shaper(&font).build();
        let units_per_em = f64::from(shaper.units_per_em());
        Some(Face { font, data, units_per_em })
    })
    .as_ref()
}

/// Measures text in the bundled font. Keep one per layout run: it caches the
/// width of every word it has seen.
#[derive(Default)]
pub struct Measurer {
    /// Advance width in font units per word, one map per weight (looked up by
    /// `&str`, so a cache hit allocates nothing).
    regular: HashMap<String, f64>,
    semibold: HashMap<String, f64>,
}

impl Measurer {
    pub fn new() -> Self {
        Self::default()
    }

    /// Width of `text` at `size` pixels.
    pub fn width(&mut self, text: &str, size: f64, weight: Weight) -> f64 {
        let units: f64 = text.split(' ').map(|word| self.word_units(word, weight)).sum::<f64>()
            + self.word_units(" ", weight) * text.matches(' ').count() as f64;
        let per_em = face(weight).map_or(1000.0, |f| f.units_per_em);
        units * size / per_em
    }

    fn word_units(&mut self, word: &str, weight: Weight) -> f64 {
        if word.is_empty() {
            return 0.0;
        }
        let cache = match weight {
            Weight::Regular => &mut self.regular,
            Weight::SemiBold => &mut self.semibold,
        };
        if let Some(units) = cache.get(word) {
            return *units;
        }
        let units = shape_units(word, weight);
        cache.insert(word.to_string(), units);
        units
    }

    /// Breaks `text` into lines no wider than `max_width` at word boundaries.
    /// A single word wider than `max_width` gets a line of its own (the caller
    /// decides whether to grow the box). Returns the lines and the widest one.
    pub fn wrap(&mut self, text: &str, max_width: f64, size: f64, weight: Weight) -> (Vec<String>, f64) {
        let mut lines: Vec<String> = Vec::new();
        let mut widest: f64 = 0.0;
        for paragraph in text.lines() {
            let mut current = String::new();
            for word in paragraph.split_whitespace() {
                let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
                if current.is_empty() || self.width(&candidate, size, weight) <= max_width {
                    current = candidate;
                } else {
                    widest = widest.max(self.width(&current, size, weight));
                    lines.push(std::mem::replace(&mut current, word.to_string()));
                }
            }
            if !current.is_empty() {
                widest = widest.max(self.width(&current, size, weight));
                lines.push(current);
            }
        }
        (lines, widest)
    }
}

/// Plain text of Markdown, for summaries, search and screen-reader
/// descriptions: words of one paragraph run on, blocks are separated by a space.
pub fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, TagEnd};
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::End(
                TagEnd::Paragraph | TagEnd::Item | TagEnd::Heading(_) | TagEnd::TableCell | TagEnd::CodeBlock,
            ) => out.push(' '),
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

impl Measurer {
    /// Like [`Measurer::wrap`], but with lines of even length: the narrowest
    /// width that needs no more lines than `max_width` does, so no word is left
    /// alone on the last line ("Assign to level / 1").
    pub fn wrap_balanced(&mut self, text: &str, max_width: f64, size: f64, weight: Weight) -> (Vec<String>, f64) {
        let (lines, widest) = self.wrap(text, max_width, size, weight);
        if lines.len() < 2 || widest > max_width {
            return (lines, widest);
        }
        let (mut low, mut high) = (widest / lines.len() as f64, max_width);
        for _ in 0..10 {
            let middle = (low + high) / 2.0;
            let (candidate, candidate_widest) = self.wrap(text, middle, size, weight);
            if candidate.len() > lines.len() || candidate_widest > middle {
                low = middle;
            } else {
                high = middle;
            }
        }
        self.wrap(text, high, size, weight)
    }
}

/// Shapes one word and returns its advance in font units; falls back to an
/// average width if the font cannot be read (it is compiled in, so only a
/// corrupted build could get there).
fn shape_units(word: &str, weight: Weight) -> f64 {
    let Some(face) = face(weight) else {
        return word.chars().count() as f64 * 560.0;
    };
    let shaper = face.data.shaper(&face.font).build();
    let mut buffer = UnicodeBuffer::new();
    buffer.push_str(word);
    buffer.guess_segment_properties();
    let output = shaper.shape(buffer, harfrust::ShapeOptions::new());
    output.glyph_positions().iter().map(|p| f64::from(p.x_advance)).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let mut m = Measurer::new();
        let short = m.width("Log", 12.0, Weight::Regular);
        let long = m.width("Log incident", 12.0, Weight::Regular);
        assert!(short > 10.0 && short < 30.0, "{short}");
        assert!(long > short);
        assert!((m.width("Log", 24.0, Weight::Regular) - 2.0 * short).abs() < 1e-9);
        assert!(m.width("Log", 12.0, Weight::SemiBold) > short);
    }

    #[test]
    fn narrow_letters_are_narrower_than_wide_ones() {
        let mut m = Measurer::new();
        assert!(m.width("iiii", 12.0, Weight::Regular) < m.width("WWWW", 12.0, Weight::Regular) / 2.0);
    }

    #[test]
    fn wrapping_respects_the_width() {
        let mut m = Measurer::new();
        let (lines, widest) =
            m.wrap("Accept the level 1 assignment within fifteen minutes", 80.0, 12.0, Weight::Regular);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(widest <= 80.0);
        assert_eq!(lines.join(" "), "Accept the level 1 assignment within fifteen minutes");
        let (balanced, _) = m.wrap_balanced("Assign to level 1", 90.0, 12.0, Weight::Regular);
        let (greedy, _) = m.wrap("Assign to level 1", 90.0, 12.0, Weight::Regular);
        assert_eq!(greedy.len(), balanced.len());
        assert_ne!(balanced.last().map(String::as_str), Some("1"), "{balanced:?}");
        let (lines, widest) = m.wrap("Supercalifragilistic", 40.0, 12.0, Weight::Regular);
        assert_eq!(lines.len(), 1);
        assert!(widest > 40.0);
    }
}
