//! Sizes of shapes and their text, from measured label widths: BPMN standard
//! sizes (task 100×80, gateway 50×50, event 36×36), tasks growing only for
//! long names, outside labels wrapped under events and gateways.

use super::diagram::{Align, Rect, Shape, TextBlock, Weight};
use crate::text::Measurer;

/// Task and subprocess names.
pub const TASK_FONT: f64 = 12.0;
pub const TASK_LINE: f64 = 15.0;
/// Names outside events and gateways, and flow conditions.
pub const SMALL_FONT: f64 = 11.0;
pub const SMALL_LINE: f64 = 13.5;
/// Lane and pool headers.
pub const HEADER_FONT: f64 = 13.0;
pub const HEADER_LINE: f64 = 16.0;

const TASK_WIDTH: f64 = 100.0;
const TASK_HEIGHT: f64 = 80.0;
const TASK_PADDING_X: f64 = 8.0;
/// Room above and below the name; more above a task-kind icon and below the
/// `[+]` marker of a subprocess.
const PAD_PLAIN: f64 = 8.0;
const PAD_ICON: f64 = 24.0;
const PAD_MARKER: f64 = 20.0;
const OUTSIDE_LABEL_WIDTH: f64 = 110.0;
/// Gap between a shape and its outside label.
pub const LABEL_GAP: f64 = 4.0;

/// How much wider than Inter the commonest fallback font draws the same
/// text, when an SVG is opened where Inter is missing: DejaVu Sans (the
/// default sans-serif of most Linux systems) is up to 7 % wider in Regular
/// and up to 19 % wider in Bold, which stands in for SemiBold (Liberation
/// Sans and Arial are narrower than Inter). Lane and pool headers wrap, and
/// flow-label plates are sized, so that such text still fits.
const FALLBACK_REGULAR: f64 = 1.08;
const FALLBACK_BOLD: f64 = 1.2;

fn fallback_width(weight: Weight) -> f64 {
    match weight {
        Weight::Regular => FALLBACK_REGULAR,
        Weight::SemiBold => FALLBACK_BOLD,
    }
}

/// The width a header may take in Inter along a band of `length`, so that
/// the widest fallback font still fits.
fn header_room(length: f64, weight: Weight) -> f64 {
    (length - 12.0).max(40.0) / fallback_width(weight)
}

/// A node's shape size and its (not yet positioned) name.
#[derive(Debug, Clone)]
pub struct Sized {
    pub width: f64,
    pub height: f64,
    /// Lines of the name, and the width of the widest.
    pub lines: Vec<String>,
    pub text_width: f64,
    pub outside: bool,
    /// Room kept free above and below the name inside a box.
    pub pad_top: f64,
    pub pad_bottom: f64,
}

impl Sized {
    /// Height of the name block when drawn.
    pub fn text_height(&self) -> f64 {
        let line = if self.outside { SMALL_LINE } else { TASK_LINE };
        self.lines.len() as f64 * line
    }

    /// The name as a text block inside the shape at `rect`, or outside it
    /// where `place` says.
    pub fn label(&self, rect: Rect, place: NamePlace) -> Option<TextBlock> {
        if self.lines.is_empty() {
            return None;
        }
        let height = self.text_height();
        let (font_size, line_height, y) = if self.outside {
            let y = if place == NamePlace::Above { rect.y - LABEL_GAP - height } else { rect.bottom() + LABEL_GAP };
            (SMALL_FONT, SMALL_LINE, y)
        } else {
            let area = rect.height - self.pad_top - self.pad_bottom;
            (TASK_FONT, TASK_LINE, rect.y + self.pad_top + (area - height) / 2.0)
        };
        let width = self.text_width.ceil() + 2.0;
        let x = match (self.outside, place) {
            (true, NamePlace::BelowRight) => rect.center().x + BESIDE_VERTEX,
            _ => rect.center().x - width / 2.0,
        };
        Some(TextBlock {
            lines: self.lines.clone(),
            bounds: Rect { x, y, width, height },
            font_size,
            line_height,
            weight: Weight::Regular,
            align: Align::Middle,
            vertical: false,
        })
    }
}

/// Where the name of a gateway or event goes: under it (the BPMN default),
/// over it when its flows need the bottom vertex, or under it and right of
/// the bottom vertex when flows need both vertices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NamePlace {
    Below,
    Above,
    BelowRight,
}

/// How far right of the vertex line a name placed `BelowRight` starts.
pub const BESIDE_VERTEX: f64 = 6.0;

/// Measures a node: its shape size and its wrapped name.
pub fn size(measurer: &mut Measurer, shape: Shape, name: &str) -> Sized {
    match shape {
        Shape::Task(kind) => {
            let top = if kind == crate::model::StepKind::None { PAD_PLAIN } else { PAD_ICON };
            box_size(measurer, name, top, PAD_PLAIN)
        }
        Shape::Subprocess => box_size(measurer, name, PAD_PLAIN, PAD_MARKER),
        Shape::Process => box_size(measurer, name, PAD_PLAIN, PAD_PLAIN),
        Shape::Gateway(_) => outside(measurer, name, 50.0),
        Shape::StartEvent(_) | Shape::IntermediateEvent(_) | Shape::EndEvent(_) => outside(measurer, name, 36.0),
    }
}

/// A box grows wider (then taller) until its name fits in the lines its
/// standard height leaves free.
fn box_size(measurer: &mut Measurer, name: &str, pad_top: f64, pad_bottom: f64) -> Sized {
    let max_lines = (((TASK_HEIGHT - pad_top - pad_bottom) / TASK_LINE).floor() as usize).max(1);
    let mut width = TASK_WIDTH;
    loop {
        let available = width - 2.0 * TASK_PADDING_X;
        let (lines, widest) = measurer.wrap_balanced(name, available, TASK_FONT, Weight::Regular);
        let too_wide = widest > available;
        if (lines.len() <= max_lines && !too_wide) || width >= 220.0 {
            let width = width.max(widest + 2.0 * TASK_PADDING_X).ceil();
            let height = TASK_HEIGHT.max(lines.len() as f64 * TASK_LINE + pad_top + pad_bottom).ceil();
            return Sized { width, height, lines, text_width: widest, outside: false, pad_top, pad_bottom };
        }
        width += 20.0;
    }
}

fn outside(measurer: &mut Measurer, name: &str, side: f64) -> Sized {
    let (lines, widest) = measurer.wrap_balanced(name, OUTSIDE_LABEL_WIDTH, SMALL_FONT, Weight::Regular);
    Sized { width: side, height: side, lines, text_width: widest, outside: true, pad_top: 0.0, pad_bottom: 0.0 }
}

/// Wraps a header (lane or pool name) to fit `length` along the band and
/// returns the block (vertical, centred in `band`) and the band width needed.
pub fn header(measurer: &mut Measurer, name: &str, band: Rect, weight: Weight) -> TextBlock {
    let (lines, _) = measurer.wrap(name, header_room(band.height, weight), HEADER_FONT, weight);
    let thickness = lines.len() as f64 * HEADER_LINE;
    TextBlock {
        lines,
        bounds: Rect {
            x: band.x + (band.width - thickness) / 2.0,
            y: band.y + 6.0,
            width: thickness,
            height: band.height - 12.0,
        },
        font_size: HEADER_FONT,
        line_height: HEADER_LINE,
        weight,
        align: Align::Middle,
        vertical: true,
    }
}

/// Lines a header needs when the band is `length` long.
pub fn header_lines(measurer: &mut Measurer, name: &str, length: f64, weight: Weight) -> usize {
    measurer.wrap(name, header_room(length, weight), HEADER_FONT, weight).0.len().max(1)
}

/// The shortest band length that shows a header in at most two lines.
pub fn header_length(measurer: &mut Measurer, name: &str, weight: Weight) -> f64 {
    let full = measurer.width(name, HEADER_FONT, weight) * fallback_width(weight);
    let mut length = 80.0_f64.max((full / 2.0).min(full) + 12.0);
    while header_lines(measurer, name, length, weight) > 2 && length < full + 12.0 {
        length += 10.0;
    }
    length.min(full + 12.0).max(60.0).ceil()
}

/// A condition label on a flow: its lines, and the size of its plate, wide
/// enough for the lines in a fallback font too (the text is centred on it).
pub fn flow_label(measurer: &mut Measurer, text: &str) -> (Vec<String>, f64, f64) {
    let (lines, widest) = measurer.wrap(text, 120.0, SMALL_FONT, Weight::Regular);
    let height = lines.len() as f64 * SMALL_LINE;
    (lines, (widest * FALLBACK_REGULAR).ceil() + 4.0, height)
}
