//! Diagrams on pages: the scale and page form each takes, and the tiles a
//! large one is cut into, so that its smallest text (11 px labels) never
//! prints below 6 pt.
//!
//! A diagram fits the portrait text area at up to natural size (0.75 pt per
//! CSS pixel), shrunk to its width or height; if that would shrink it below
//! the smallest readable scale it
//! goes on landscape pages; if it is still too large it is cut, at the
//! smallest readable scale, into page-sized tiles that overlap by
//! [`OVERLAP`] pixels, read row by row.

use super::data::{Diagram, Link, Rect};
use crate::layout::diagram::Diagram as Laid;

/// Points per CSS pixel at natural size.
const NATURAL: f64 = 0.75;
/// The smallest scale: 11 px labels at 6 pt.
pub const MIN_SCALE: f64 = 6.0 / 11.0;
/// The text area a diagram may fill, in points (A4, as the template sets
/// its margins, less room for a heading and a caption).
const PORTRAIT: (f64, f64) = (480.0, 600.0);
const LANDSCAPE: (f64, f64) = (725.0, 390.0);
/// How much neighbouring tiles share, in diagram pixels.
pub const OVERLAP: f64 = 48.0;

/// The page plan of `laid`, whose SVG is at `file` in the world; `links`
/// gives each node's link target, if any.
pub fn plan(laid: &Laid, file: String, links: impl Fn(&str) -> Option<String>) -> Diagram {
    let (width, height) = (laid.width.max(1.0), laid.height.max(1.0));
    // Shrunk to the page's width or height, whichever binds, down to the
    // smallest readable scale.
    let fits = |(w, h): (f64, f64)| {
        let scale = NATURAL.min(w / width).min(h / height);
        (scale >= MIN_SCALE).then_some(scale)
    };
    let (landscape, scale, tiles) = if let Some(scale) = fits(PORTRAIT) {
        (false, scale, vec![Rect { x: 0.0, y: 0.0, w: width, h: height }])
    } else if let Some(scale) = fits(LANDSCAPE) {
        (true, scale, vec![Rect { x: 0.0, y: 0.0, w: width, h: height }])
    } else {
        let scale = NATURAL.min(LANDSCAPE.0 / width).max(MIN_SCALE);
        let columns = cuts(width, LANDSCAPE.0 / scale);
        let rows = cuts(height, LANDSCAPE.1 / scale);
        let tiles = rows.iter().flat_map(|&(y, h)| columns.iter().map(move |&(x, w)| Rect { x, y, w, h })).collect();
        (true, scale, tiles)
    };
    let links = laid
        .nodes
        .iter()
        .filter_map(|node| {
            let r = node.rect;
            links(&node.id).map(|label| Link { rect: Rect { x: r.x, y: r.y, w: r.width, h: r.height }, label })
        })
        .collect();
    Diagram { file, title: laid.title.clone(), width, height, scale, landscape, tiles, links }
}

/// Where the tiles of one axis start and how long they are: `total` pixels
/// cut into pieces of at most `tile`, each overlapping the previous by
/// [`OVERLAP`], the last one flush with the end.
fn cuts(total: f64, tile: f64) -> Vec<(f64, f64)> {
    if total <= tile {
        return vec![(0.0, total)];
    }
    let step = (tile - OVERLAP).max(1.0);
    let count = ((total - OVERLAP) / step).ceil().max(1.0) as usize;
    (0..count).map(|i| ((i as f64 * step).min(total - tile), tile)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tiles_cover_the_axis_with_overlap() {
        let tiles = cuts(3000.0, 1000.0);
        assert_eq!(tiles.len(), 4);
        assert_eq!(tiles[0], (0.0, 1000.0));
        assert_eq!(tiles[1].0, 952.0);
        assert_eq!(tiles[3].0 + tiles[3].1, 3000.0);
        for pair in tiles.windows(2) {
            assert!(pair[1].0 <= pair[0].0 + pair[0].1 - OVERLAP);
        }
        assert_eq!(cuts(500.0, 1000.0), vec![(0.0, 500.0)]);
    }
}
