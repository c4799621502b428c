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
//! so the output is byte-identical whatever the thread count.

mod markdown;
mod pages;
mod search;

use rayon::prelude::*;

use crate::Checked;
use crate::layout::{self, LayoutOptions};
use crate::model::DiagramFormat;
use crate::source::Sources;

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
    pub png: Option<Vec<u8>>,
}

/// Builds the site from a checked model. `sources` are needed only to show
/// diagnostics' source lines on the model check page.
pub fn build(checked: &Checked, sources: &Sources) -> Result<Site, SiteError> {
    let model = &checked.model;
    let want_png = checked.settings.formats.contains(&DiagramFormat::Png);
    let diagrams: Vec<Result<RenderedDiagram, SiteError>> = model
        .workflows
        .par_iter()
        .map(|&w| {
            let diagram = layout::workflow(model, w, LayoutOptions::default());
            let link = |node: &crate::layout::diagram::Node| Some(format!("#step-{}", node.id));
            let inline = crate::render::svg_with_links(&diagram, &link);
            let svg = crate::render::svg(&diagram);
            let png = if want_png { Some(crate::render::png(&diagram, 2.0)?) } else { None };
            Ok(RenderedDiagram { inline, svg, png })
        })
        .collect();
    let diagrams: Vec<RenderedDiagram> = diagrams.into_iter().collect::<Result<_, _>>()?;
    let landscape = {
        let diagram = layout::landscape(model);
        let link = |node: &crate::layout::diagram::Node| node.link.as_ref().map(|p| format!("processes/{p}.html"));
        crate::render::svg_with_links(&diagram, &link)
    };

    let mut files = pages::render_all(checked, sources, &diagrams, &landscape)?;
    for (&w, rendered) in model.workflows.iter().zip(&diagrams) {
        let id = &model.workflow(w).id;
        files.push(SiteFile { path: format!("workflows/{id}.svg"), bytes: rendered.svg.clone().into_bytes() });
        if let Some(png) = &rendered.png {
            files.push(SiteFile { path: format!("workflows/{id}.png"), bytes: png.clone() });
        }
    }
    files.push(SiteFile { path: "assets/search-index.js".into(), bytes: search::index_script(model).into_bytes() });
    files.push(SiteFile { path: "assets/style.css".into(), bytes: STYLE.as_bytes().to_vec() });
    files.push(SiteFile { path: "assets/search.js".into(), bytes: SEARCH_JS.as_bytes().to_vec() });
    files.push(SiteFile { path: "assets/fonts/Inter-Regular.otf".into(), bytes: crate::text::INTER_REGULAR.to_vec() });
    files
        .push(SiteFile { path: "assets/fonts/Inter-SemiBold.otf".into(), bytes: crate::text::INTER_SEMIBOLD.to_vec() });
    files.push(SiteFile { path: "assets/fonts/OFL.txt".into(), bytes: FONT_LICENSE.as_bytes().to_vec() });
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Site { files, diagrams: diagrams.len() + 1 })
}

/// The theme, compiled into the binary.
static STYLE: &str = include_str!("../../templates/assets/style.css");
static SEARCH_JS: &str = include_str!("../../templates/assets/search.js");
static FONT_LICENSE: &str = include_str!("../../templates/fonts/OFL.txt");

/// Escapes text for HTML.
pub(crate) fn esc(text: &str) -> String {
    crate::render::escape(text).to_string()
}

/// Plain text of Markdown, for summaries and the search index.
pub(crate) fn plain(markdown: &str) -> String {
    let mut out = String::new();
    for event in pulldown_cmark::Parser::new(markdown) {
        match event {
            pulldown_cmark::Event::Text(t) | pulldown_cmark::Event::Code(t) => out.push_str(&t),
            pulldown_cmark::Event::SoftBreak | pulldown_cmark::Event::HardBreak | pulldown_cmark::Event::End(_)
                if !out.ends_with(' ') =>
            {
                out.push(' ');
            }
            _ => {}
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The first sentence (at most about 160 characters) of a Markdown text.
pub(crate) fn summary(markdown: &str) -> String {
    let text = plain(markdown);
    let end = text.find(". ").map_or(text.len(), |i| i + 1);
    let mut out: String = text[..end].chars().take(160).collect();
    if out.len() < end {
        out.push('…');
    }
    out
}
