//! Text measured with the bundled font, so boxes fit their labels.
//!
//! procflow ships Inter (SIL OFL 1.1, `templates/fonts/`) and measures every
//! label by shaping it with harfrust — the shaper resvg uses — so a width
//! computed here is the width resvg draws in the PNG and, since the SVG names
//! Inter first, the width a browser draws too. Widths are cached per word.

use std::borrow::Cow;
use std::sync::OnceLock;

use rustc_hash::FxHashMap;

use harfrust::{FontRef, ShaperData, UnicodeBuffer};

use crate::layout::diagram::Weight;

/// Inter Regular, embedded in the binary.
pub static INTER_REGULAR: &[u8] = include_bytes!("../templates/fonts/Inter-Regular.otf");
/// Inter SemiBold, embedded in the binary.
pub static INTER_SEMIBOLD: &[u8] = include_bytes!("../templates/fonts/Inter-SemiBold.otf");

/// The longest name or label a diagram shows, in characters. Longer text is
/// shortened with an ellipsis (and `check` warns, W0501): a name is a label,
/// not a paragraph, and text laid out in a drawing costs time in proportion
/// to its length — a megabyte-long word must not stall a build.
pub const MAX_LABEL_CHARS: usize = 150;

/// `text` as a diagram shows it: at most [`MAX_LABEL_CHARS`] characters, the
/// last one an ellipsis when it was cut.
pub fn drawn_label(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(MAX_LABEL_CHARS) {
        None => Cow::Borrowed(text),
        Some(_) => {
            let cut = text.char_indices().nth(MAX_LABEL_CHARS - 1).map_or(text.len(), |(i, _)| i);
            Cow::Owned(format!("{}…", text[..cut].trim_end()))
        }
    }
}

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
    regular: FxHashMap<String, f64>,
    semibold: FxHashMap<String, f64>,
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
    /// A single word wider than `max_width` is broken between characters, so
    /// no box grows past its width because of one long word. Returns the
    /// lines and the widest one.
    pub fn wrap(&mut self, text: &str, max_width: f64, size: f64, weight: Weight) -> (Vec<String>, f64) {
        let words = self.words(text, max_width, size, weight);
        let breaks = greedy_breaks(&words, max_width);
        lines_at(&words, &breaks)
    }

    /// The words of `text` with their widths at `size` (a word wider than
    /// `max_width` split into pieces that fit), paragraph ends marked.
    fn words<'t>(&mut self, text: &'t str, max_width: f64, size: f64, weight: Weight) -> Vec<Word<'t>> {
        let scale = size / face(weight).map_or(1000.0, |f| f.units_per_em);
        let space = self.word_units(" ", weight) * scale;
        let mut words = Vec::new();
        for paragraph in text.lines() {
            let first = words.len();
            for word in paragraph.split_whitespace() {
                let width = self.word_units(word, weight) * scale;
                if width <= max_width || word.chars().nth(1).is_none() {
                    words.push(Word { text: word, width, space, starts_paragraph: false });
                    continue;
                }
                // Glued pieces: no space between them when they share a line.
                // A hyphenated word breaks after its hyphens first
                // ("reason-for-" / "outage"), a part still too wide between
                // characters.
                let first_piece = words.len();
                for part in word.split_inclusive('-') {
                    let part_width = self.word_units(part, weight) * scale;
                    if part_width <= max_width {
                        words.push(Word { text: part, width: part_width, space: 0.0, starts_paragraph: false });
                    } else {
                        self.push_char_pieces(part, max_width, scale, weight, &mut words);
                    }
                }
                words[first_piece].space = space;
            }
            if let Some(word) = words.get_mut(first) {
                word.starts_paragraph = true;
            }
        }
        words
    }

    /// Pieces of `part`, each as wide as fits in `max_width`, broken between
    /// characters and glued (no space between them on one line).
    fn push_char_pieces<'t>(
        &mut self,
        part: &'t str,
        max_width: f64,
        scale: f64,
        weight: Weight,
        words: &mut Vec<Word<'t>>,
    ) {
        let mut start = 0;
        let mut piece_width = 0.0;
        for (i, c) in part.char_indices() {
            let mut buffer = [0; 4];
            let w = self.word_units(c.encode_utf8(&mut buffer), weight) * scale;
            if i > start && piece_width + w > max_width {
                words.push(Word { text: &part[start..i], width: piece_width, space: 0.0, starts_paragraph: false });
                start = i;
                piece_width = 0.0;
            }
            piece_width += w;
        }
        words.push(Word { text: &part[start..], width: piece_width, space: 0.0, starts_paragraph: false });
    }
}

/// A word to place on a line: its width, and the width of the space before
/// it when it follows another word on the same line (0 for the second and
/// later pieces of a broken word).
#[derive(Debug, Clone, Copy)]
struct Word<'t> {
    text: &'t str,
    width: f64,
    space: f64,
    starts_paragraph: bool,
}

/// Where lines start (indices into `words`), filling each line greedily.
fn greedy_breaks(words: &[Word], max_width: f64) -> Vec<usize> {
    let mut breaks = Vec::new();
    let mut line = 0.0;
    for (i, word) in words.iter().enumerate() {
        if i == 0 || word.starts_paragraph || line + word.space + word.width > max_width {
            breaks.push(i);
            line = word.width;
        } else {
            line += word.space + word.width;
        }
    }
    breaks
}

/// The widest line when lines start at `breaks`.
fn widest_line(words: &[Word], breaks: &[usize]) -> f64 {
    let mut widest: f64 = 0.0;
    for (n, &start) in breaks.iter().enumerate() {
        let end = breaks.get(n + 1).copied().unwrap_or(words.len());
        let width: f64 =
            words[start..end].iter().enumerate().map(|(k, w)| w.width + if k > 0 { w.space } else { 0.0 }).sum();
        widest = widest.max(width);
    }
    widest
}

/// The lines' text when lines start at `breaks`, and the widest line.
fn lines_at(words: &[Word], breaks: &[usize]) -> (Vec<String>, f64) {
    let mut lines = Vec::with_capacity(breaks.len());
    for (n, &start) in breaks.iter().enumerate() {
        let end = breaks.get(n + 1).copied().unwrap_or(words.len());
        let mut line = String::new();
        for (k, word) in words[start..end].iter().enumerate() {
            if k > 0 && word.space > 0.0 {
                line.push(' ');
            }
            line.push_str(word.text);
        }
        lines.push(line);
    }
    (lines, widest_line(words, breaks))
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
    /// alone on the last line ("Assign to level / 1"). Words are measured
    /// once; the search only moves line breaks.
    pub fn wrap_balanced(&mut self, text: &str, max_width: f64, size: f64, weight: Weight) -> (Vec<String>, f64) {
        let words = self.words(text, max_width, size, weight);
        let breaks = greedy_breaks(&words, max_width);
        let widest = widest_line(&words, &breaks);
        if breaks.len() < 2 || widest > max_width {
            return lines_at(&words, &breaks);
        }
        let (mut low, mut high) = (widest / breaks.len() as f64, max_width);
        for _ in 0..10 {
            let middle = (low + high) / 2.0;
            let candidate = greedy_breaks(&words, middle);
            if candidate.len() > breaks.len() || widest_line(&words, &candidate) > middle {
                low = middle;
            } else {
                high = middle;
            }
        }
        lines_at(&words, &greedy_breaks(&words, high))
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
    }

    #[test]
    fn a_word_wider_than_the_box_is_broken_between_characters() {
        let mut m = Measurer::new();
        let (lines, widest) = m.wrap("Supercalifragilistic is long", 40.0, 12.0, Weight::Regular);
        assert!(lines.len() >= 3, "{lines:?}");
        assert!(widest <= 40.0, "{widest}");
        assert!(lines.concat().starts_with("Supercalifragilistic"), "pieces glued in order: {lines:?}");
        let huge = "x".repeat(10_000);
        let (lines, widest) = m.wrap_balanced(&huge, 120.0, 12.0, Weight::Regular);
        assert!(widest <= 120.0 && lines.concat() == huge);
    }

    /// Before: "reason-for-outage" in a task box read "reason-for-ou / tage".
    #[test]
    fn a_hyphenated_word_wider_than_the_box_breaks_after_a_hyphen() {
        let mut m = Measurer::new();
        let width = m.wrap("reason-for-ou", 1000.0, 12.0, Weight::Regular).1 - 1.0;
        let (lines, widest) = m.wrap("Publish reason-for-outage report", width, 12.0, Weight::Regular);
        assert!(widest <= width, "{widest}");
        assert!(lines.iter().any(|l| l.ends_with("reason-for-") || l.ends_with("reason-")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("outage") || l.starts_with("for-outage")), "{lines:?}");
        assert_eq!(lines.concat().replace(' ', ""), "Publishreason-for-outagereport");
    }

    #[test]
    fn long_labels_are_shortened_for_drawing() {
        assert_eq!(drawn_label("Log incident"), "Log incident");
        let long = "word ".repeat(100);
        let drawn = drawn_label(&long);
        assert!(drawn.chars().count() <= MAX_LABEL_CHARS && drawn.ends_with('…'), "{drawn}");
        let exact = "é".repeat(MAX_LABEL_CHARS);
        assert_eq!(drawn_label(&exact), exact.as_str());
    }
}
