//! The static documentation site: every page, diagram, download, the search
//! index and the theme, as files in memory.
//!
//! [`build`] is a pure function of the checked model: it returns the files and
//! their bytes, sorted by path, and never touches the disk (writing them into
//! place is [`crate::output`]'s job). Pages come from askama templates in
//! `templates/`; every user string is escaped by the templates or by
//! [`esc`], Markdown goes through [`markdown::render`]. Links are relative, so
//! the site works from file:// and from any sub-path of a web server.
//! Diagrams are laid out and rendered in parallel, collected in model order,
//! so the output is byte-identical whatever the thread count. [`Incremental`]
//! keeps what a build produced so a rebuild after an edit redoes only the
//! pages whose inputs changed; [`build`] is the same code with nothing kept.

mod alignment;
mod changes;
mod document;
mod incremental;
mod markdown;
mod pages;
mod search;

use crate::Checked;
use crate::source::Sources;

pub use incremental::{Incremental, Rebuilt, SiteDelta};
pub use markdown::render as markdown;
pub(crate) use pages::{status_word, step_kind};

/// One file of the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SiteFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    pub bytes: Vec<u8>,
}

/// The whole site, files sorted by path.
#[derive(Debug, Clone, Default)]
pub struct Site {
    pub files: Vec<SiteFile>,
    /// How many diagrams were drawn (for the summary line).
    pub diagrams: usize,
    /// What rendering found worth telling, in model order.
    pub warnings: Vec<crate::diagnostic::Diagnostic>,
}

impl Site {
    /// Number of HTML pages.
    pub fn pages(&self) -> usize {
        self.files.iter().filter(|f| f.path.ends_with(".html")).count()
    }

    /// A file's bytes, by path.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.iter().find(|f| f.path == path).map(|f| f.bytes.as_slice())
    }
}

/// Why the site could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SiteError {
    #[error("a page template failed: {0}")]
    Template(#[from] askama::Error),
    #[error("a diagram could not be rendered: {0}")]
    Render(#[from] crate::render::RenderError),
    #[error("{0}")]
    Pdf(#[from] crate::pdf::PdfError),
}

/// A workflow's diagram in every form the site needs.
pub(crate) struct RenderedDiagram {
    /// Inline SVG with every step linked to its entry in the step table.
    pub inline: String,
    /// Standalone SVG for download.
    pub svg: String,
    /// BPMN 2.0 XML for download, when `formats` asks for it.
    pub bpmn: Option<String>,
    /// Whether a PNG file is written beside it (else the page offers a PNG
    /// made in the browser from the SVG).
    pub png_file: bool,
}

/// Builds the site from a checked model. `sources` are needed only to show
/// diagnostics' source lines on the model check page.
pub fn build(checked: &Checked, sources: &Sources) -> Result<Site, SiteError> {
    let mut files = Vec::new();
    let rebuilt = Incremental::default().rebuild(checked, sources, &mut |delta| files.extend(delta.files))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Site { files, diagrams: rebuilt.diagrams, warnings: rebuilt.warnings })
}

/// The stylesheet, search script and fonts: the same for every site.
fn theme_files() -> Vec<SiteFile> {
    let file = |path: &str, bytes: &[u8]| SiteFile { path: path.into(), bytes: bytes.to_vec() };
    vec![
        file("assets/style.css", STYLE.as_bytes()),
        file("assets/search.js", SEARCH_JS.as_bytes()),
        file("assets/png.js", PNG_JS.as_bytes()),
        file("assets/viewer.js", VIEWER_JS.as_bytes()),
        file("assets/highlight.js", HIGHLIGHT_JS.as_bytes()),
        file("assets/raci.js", RACI_JS.as_bytes()),
        file("assets/fonts/inter-data.js", font_data_script().as_bytes()),
        file("assets/fonts/Inter-Regular.otf", crate::text::INTER_REGULAR),
        file("assets/fonts/Inter-SemiBold.otf", crate::text::INTER_SEMIBOLD),
        file("assets/fonts/OFL.txt", FONT_LICENSE.as_bytes()),
    ]
}

/// The theme, compiled into the binary.
static STYLE: &str = include_str!("../../templates/assets/style.css");
static SEARCH_JS: &str = include_str!("../../templates/assets/search.js");
static PNG_JS: &str = include_str!("../../templates/assets/png.js");
static VIEWER_JS: &str = include_str!("../../templates/assets/viewer.js");
static HIGHLIGHT_JS: &str = include_str!("../../templates/assets/highlight.js");
static RACI_JS: &str = include_str!("../../templates/assets/raci.js");

/// The bundled fonts as a script (`window.procflowFonts`, base64), which
/// `png.js` loads on demand: a script tag loads from file:// where `fetch`
/// may not, and an SVG drawn as an image can only use fonts inside it.
fn font_data_script() -> String {
    format!(
        "// Inter (SIL Open Font License 1.1, see OFL.txt), for PNGs drawn in the browser.\nwindow.procflowFonts = {{ regular: \"{}\", semibold: \"{}\" }};\n",
        base64(crate::text::INTER_REGULAR),
        base64(crate::text::INTER_SEMIBOLD)
    )
}

/// Standard base64 with padding (RFC 4648).
fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, &b)| n | (u32::from(b) << (16 - 8 * i)));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}
static FONT_LICENSE: &str = include_str!("../../templates/fonts/OFL.txt");

/// Escapes text for HTML.
pub(crate) fn esc(text: &str) -> String {
    crate::render::escape(text).to_string()
}

pub(crate) use crate::text::plain_text as plain;

/// The first sentence of a Markdown text, cut at a word boundary to at most
/// about 160 characters.
pub(crate) fn summary(markdown: &str) -> String {
    let text = plain(markdown);
    let sentence = text.find(". ").map_or(text.as_str(), |i| &text[..=i]);
    if sentence.chars().count() <= 160 {
        return sentence.to_string();
    }
    let cut: String = sentence.chars().take(160).collect();
    let words = cut.rsplit_once(' ').map_or(cut.as_str(), |(head, _)| head);
    format!("{}…", words.trim_end_matches([',', ';', ':', ' ']))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_standard() {
        assert_eq!(base64(b""), "");
        assert_eq!(base64(b"f"), "Zg==");
        assert_eq!(base64(b"fo"), "Zm8=");
        assert_eq!(base64(b"foo"), "Zm9v");
        assert_eq!(base64(b"foobar"), "Zm9vYmFy");
        assert_eq!(base64(&[0xff, 0xfe, 0x00]), "//4A");
    }
}
