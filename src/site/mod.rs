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

mod incremental;
mod markdown;
mod pages;
mod search;

use crate::Checked;
use crate::source::Sources;

pub use incremental::{Incremental, SiteDelta};
pub use markdown::render as markdown;

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
}

/// A workflow's diagram in every form the site needs.
pub(crate) struct RenderedDiagram {
    /// Inline SVG with every step linked to its entry in the step table.
    pub inline: String,
    /// Standalone SVG for download.
    pub svg: String,
    /// BPMN 2.0 XML for download, when `formats` asks for it.
    pub bpmn: Option<String>,
}

/// Builds the site from a checked model. `sources` are needed only to show
/// diagnostics' source lines on the model check page.
pub fn build(checked: &Checked, sources: &Sources) -> Result<Site, SiteError> {
    let mut files = Vec::new();
    let diagrams = Incremental::default().rebuild(checked, sources, &mut |delta| files.extend(delta.files))?;
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Site { files, diagrams })
}

/// The stylesheet, search script and fonts: the same for every site.
fn theme_files() -> Vec<SiteFile> {
    let file = |path: &str, bytes: &[u8]| SiteFile { path: path.into(), bytes: bytes.to_vec() };
    vec![
        file("assets/style.css", STYLE.as_bytes()),
        file("assets/search.js", SEARCH_JS.as_bytes()),
        file("assets/fonts/Inter-Regular.otf", crate::text::INTER_REGULAR),
        file("assets/fonts/Inter-SemiBold.otf", crate::text::INTER_SEMIBOLD),
        file("assets/fonts/OFL.txt", FONT_LICENSE.as_bytes()),
    ]
}

/// The theme, compiled into the binary.
static STYLE: &str = include_str!("../../templates/assets/style.css");
static SEARCH_JS: &str = include_str!("../../templates/assets/search.js");
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
