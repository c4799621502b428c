//! The PNG of a diagram: its SVG rasterised by resvg with the bundled font.
//!
//! There is no second drawing path: the picture is [`super::svg`] parsed by
//! usvg and painted by resvg, so PNG and SVG always agree. The font database
//! holds only the two bundled Inter faces — no system fonts — and every
//! family name, generic or unknown, resolves to Inter, so the same diagram
//! gives the same bytes on every machine. The database is built once and
//! shared by all threads.

use std::sync::{Arc, OnceLock};

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

use crate::layout::diagram::Diagram;
use crate::text::{INTER_REGULAR, INTER_SEMIBOLD};

/// The largest picture [`png`] draws, in pixels (about 400 MB of RGBA).
/// Beyond it a smaller scale is the answer, not an out-of-memory abort.
pub const MAX_PIXELS: u64 = 100_000_000;

/// The largest PNG download the site writes, in pixels: a picture people
/// open in image viewers, office documents and wikis, which refuse or choke
/// on larger ones.
pub const MAX_DOWNLOAD_PIXELS: u64 = 40_000_000;

/// The longest side of a PNG download, in pixels (what common viewers and
/// browsers' canvases accept).
pub const MAX_DOWNLOAD_SIDE: u64 = 16_384;

/// Below this scale the text of a diagram (12 px) would be too small to
/// read, so no PNG download is written at all.
pub const MIN_DOWNLOAD_SCALE: f32 = 1.0;

/// Why a diagram could not be rasterised.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The scale is zero, negative or not a number.
    #[error("the scale must be a positive number, not {0}")]
    InvalidScale(f32),
    /// The picture would exceed [`MAX_PIXELS`] (or have no pixels at all).
    #[error(
        "the picture would be {width}×{height} pixels, more than the limit of {limit}; {}",
        match largest_scale { Some(scale) => format!("try --scale {scale} or less"), None => "use the SVG".to_string() }
    )]
    TooLarge {
        /// Width in pixels at the requested scale.
        width: u64,
        /// Height in pixels at the requested scale.
        height: u64,
        /// [`MAX_PIXELS`].
        limit: u64,
        /// The largest scale (in hundredths, rounded down) that fits, if any.
        largest_scale: Option<f32>,
    },
    /// usvg rejected the SVG (a bug in the SVG writer if it ever happens).
    #[error("the diagram's SVG could not be read: {0}")]
    Svg(#[from] usvg::Error),
    /// The pixels could not be encoded as PNG.
    #[error("the PNG could not be encoded: {0}")]
    Encode(String),
}

/// The scale at which the site's PNG download of `diagram` is drawn: 2 (sharp
/// on high-density screens) when that fits [`MAX_DOWNLOAD_PIXELS`] and
/// [`MAX_DOWNLOAD_SIDE`], else the largest that does — or `None` when even
/// [`MIN_DOWNLOAD_SCALE`] does not fit (the page then offers a PNG made in
/// the reader's browser from the SVG, and `build` warns).
pub fn download_scale(diagram: &Diagram) -> Option<f32> {
    let (width, height) = (diagram.width.max(1.0), diagram.height.max(1.0));
    let by_area = (MAX_DOWNLOAD_PIXELS as f64 / (width * height)).sqrt();
    let by_side = MAX_DOWNLOAD_SIDE as f64 / width.max(height);
    // Hundredths, rounded down, so the picture's size is exactly reproducible.
    let scale = ((by_area.min(by_side).min(2.0) * 100.0).floor() / 100.0) as f32;
    (scale >= MIN_DOWNLOAD_SCALE).then_some(scale)
}

/// The picture's size in pixels at `scale`, as [`png`] draws it.
fn pixel_size(width: f64, height: f64, scale: f32) -> (u64, u64) {
    // Saturating casts: absurd sizes stay absurd and fail the limit check.
    let side = |units: f64| (units * f64::from(scale)).ceil().max(0.0) as u64;
    (side(width), side(height))
}

/// The family name the bundled faces carry, as the SVG names it first.
pub(crate) const FAMILY: &str = "Inter";

/// The shared font database: the bundled Inter Regular and SemiBold, with
/// every generic family (serif, sans-serif, …) mapped to Inter. usvg falls
/// back to the serif family when no named family matches, so fonts the SVG
/// names but the database lacks ('Liberation Sans', Arial) also end up as
/// Inter.
pub fn font_database() -> Arc<fontdb::Database> {
    static DATABASE: OnceLock<Arc<fontdb::Database>> = OnceLock::new();
    DATABASE
        .get_or_init(|| {
            let mut db = fontdb::Database::new();
            db.load_font_data(INTER_REGULAR.to_vec());
            db.load_font_data(INTER_SEMIBOLD.to_vec());
            db.set_serif_family(FAMILY);
            db.set_sans_serif_family(FAMILY);
            db.set_cursive_family(FAMILY);
            db.set_fantasy_family(FAMILY);
            db.set_monospace_family(FAMILY);
            Arc::new(db)
        })
        .clone()
}

/// Reads an SVG procflow wrote as usvg does for the PNG: with the bundled
/// fonts, every family resolving to Inter. [`png`] and
/// [`super::outline`] both read through here.
pub(crate) fn read(svg: &str) -> Result<usvg::Tree, RenderError> {
    let options = usvg::Options { fontdb: font_database(), font_family: FAMILY.to_string(), ..Default::default() };
    Ok(usvg::Tree::from_str(svg, &options)?)
}

/// Rasterises `diagram` at `scale` (2.0 gives a sharp picture on high-density
/// screens) and returns the PNG file's bytes. The picture is
/// `ceil(width × scale)` by `ceil(height × scale)` pixels. The size is checked
/// before any text is laid out or pixel drawn, so a picture over the limit
/// fails at once, whatever is in it.
pub fn png(diagram: &Diagram, scale: f32) -> Result<Vec<u8>, RenderError> {
    let (w, h) = picture_size(diagram, scale)?;
    paint(&read(&super::svg(diagram))?, diagram, scale, w, h)
}

/// [`png`] from the diagram's SVG already [`read`], for a caller that also
/// outlines it ([`super::outline::outlined`]): the SVG is written and its
/// text laid out once for both.
pub(crate) fn png_of_read(diagram: &Diagram, tree: &usvg::Tree, scale: f32) -> Result<Vec<u8>, RenderError> {
    let (w, h) = picture_size(diagram, scale)?;
    paint(tree, diagram, scale, w, h)
}

/// The picture's size in pixels at `scale`, or why it cannot be drawn.
fn picture_size(diagram: &Diagram, scale: f32) -> Result<(u32, u32), RenderError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(RenderError::InvalidScale(scale));
    }
    let (width, height) = pixel_size(diagram.width, diagram.height, scale);
    if width == 0 || height == 0 || width.saturating_mul(height) > MAX_PIXELS {
        return Err(too_large(diagram, scale));
    }
    match (u32::try_from(width), u32::try_from(height)) {
        (Ok(w), Ok(h)) => Ok((w, h)),
        _ => Err(too_large(diagram, scale)),
    }
}

/// The error for a picture over [`MAX_PIXELS`], with the largest scale that fits.
fn too_large(diagram: &Diagram, scale: f32) -> RenderError {
    let (width, height) = pixel_size(diagram.width, diagram.height, scale);
    let fits = (MAX_PIXELS as f64 / (diagram.width.max(1.0) * diagram.height.max(1.0))).sqrt();
    let largest = ((fits * 100.0).floor() / 100.0) as f32;
    RenderError::TooLarge { width, height, limit: MAX_PIXELS, largest_scale: (largest > 0.0).then_some(largest) }
}

/// Draws the read SVG into a `w` × `h` picture at `scale` and encodes it.
fn paint(tree: &usvg::Tree, diagram: &Diagram, scale: f32, w: u32, h: u32) -> Result<Vec<u8>, RenderError> {
    let mut pixmap = Pixmap::new(w, h).ok_or_else(|| too_large(diagram, scale))?;
    // An opaque background: every pixel then has alpha 255, so the
    // premultiplied pixels are the plain ones and are encoded as they are.
    pixmap.fill(resvg::tiny_skia::Color::WHITE);
    resvg::render(tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    encode_opaque(pixmap.data(), w, h)
}

/// Encodes opaque RGBA pixels as PNG. Fast deflate with adaptive filters:
/// about seven times faster than the default compression for files about
/// two and a half times as large — diagrams are mostly flat colour, so they
/// stay small either way.
fn encode_opaque(pixels: &[u8], width: u32, height: u32) -> Result<Vec<u8>, RenderError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, width, height);
    encoder.set_color(png::ColorType::Rgba);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Adaptive);
    let encode_error = |e: png::EncodingError| RenderError::Encode(e.to_string());
    let mut writer = encoder.write_header().map_err(encode_error)?;
    writer.write_image_data(pixels).map_err(encode_error)?;
    writer.finish().map_err(encode_error)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::diagram::Diagram;

    fn empty(width: f64, height: f64) -> Diagram {
        Diagram { width, height, ..Diagram::default() }
    }

    #[test]
    fn an_oversized_picture_fails_before_drawing_with_a_scale_that_fits() {
        let err = png(&empty(3_000_000.0, 144.0), 2.0).expect_err("too large");
        let text = err.to_string();
        assert!(text.contains("6000000×288 pixels"), "{text}");
        assert!(text.contains("try --scale 0.48 or less"), "{text}");
    }

    #[test]
    fn downloads_are_scaled_to_fit_or_left_to_the_browser() {
        assert_eq!(download_scale(&empty(1000.0, 500.0)), Some(2.0));
        let wide = download_scale(&empty(12_000.0, 800.0)).expect("fits at a smaller scale");
        assert!((1.0..2.0).contains(&wide), "{wide}");
        assert!((12_000.0 * f64::from(wide)) as u64 <= MAX_DOWNLOAD_SIDE);
        assert_eq!(download_scale(&empty(3_000_000.0, 144.0)), None);
        assert_eq!(download_scale(&empty(9_000.0, 9_000.0)), None, "81 M units² is over 40 M pixels at scale 1");
    }
}
