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

/// Why a diagram could not be rasterised.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The scale is zero, negative or not a number.
    #[error("the scale must be a positive number, not {0}")]
    InvalidScale(f32),
    /// The picture would exceed [`MAX_PIXELS`] (or have no pixels at all).
    #[error("the picture would be {width}×{height} pixels, more than the limit of {limit}; try a smaller scale")]
    TooLarge {
        /// Width in pixels at the requested scale.
        width: u64,
        /// Height in pixels at the requested scale.
        height: u64,
        /// [`MAX_PIXELS`].
        limit: u64,
    },
    /// usvg rejected the SVG (a bug in the SVG writer if it ever happens).
    #[error("the diagram's SVG could not be read: {0}")]
    Svg(#[from] usvg::Error),
    /// The pixels could not be encoded as PNG.
    #[error("the PNG could not be encoded: {0}")]
    Encode(String),
}

/// The family name the bundled faces carry, as the SVG names it first.
const FAMILY: &str = "Inter";

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

/// Rasterises `diagram` at `scale` (2.0 gives a sharp picture on high-density
/// screens) and returns the PNG file's bytes. The picture is
/// `ceil(width × scale)` by `ceil(height × scale)` pixels.
pub fn png(diagram: &Diagram, scale: f32) -> Result<Vec<u8>, RenderError> {
    if !(scale.is_finite() && scale > 0.0) {
        return Err(RenderError::InvalidScale(scale));
    }
    let svg = super::svg(diagram);
    let options = usvg::Options { fontdb: font_database(), font_family: FAMILY.to_string(), ..Default::default() };
    let tree = usvg::Tree::from_str(&svg, &options)?;
    let size = tree.size();
    let width = (f64::from(size.width()) * f64::from(scale)).ceil();
    let height = (f64::from(size.height()) * f64::from(scale)).ceil();
    // Both are finite and positive here (usvg sizes are), so the casts are exact
    // for any picture under the limit; the limit check sees saturated values
    // for absurd ones.
    let (width, height) = (width as u64, height as u64);
    let too_large = RenderError::TooLarge { width, height, limit: MAX_PIXELS };
    if width == 0 || height == 0 || width.saturating_mul(height) > MAX_PIXELS {
        return Err(too_large);
    }
    let (Ok(w), Ok(h)) = (u32::try_from(width), u32::try_from(height)) else {
        return Err(too_large);
    };
    let mut pixmap = Pixmap::new(w, h).ok_or(too_large)?;
    resvg::render(&tree, Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    pixmap.encode_png().map_err(|e| RenderError::Encode(e.to_string()))
}
