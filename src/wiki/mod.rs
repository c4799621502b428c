//! `procflow export wiki`: the documentation as pages for the wikis people
//! read — GitHub, GitLab and Azure DevOps wikis (Markdown files in a git
//! repository) and Confluence (storage-format pages, attachments and a
//! manifest for a publishing script).
//!
//! Data flows one way: [`content`] turns the checked model into plain
//! [`page::Page`]s (the same for every wiki), [`names`] decides where each
//! page goes and how it is linked in each wiki's conventions, and one writer
//! per family formats them ([`markdown`], [`confluence`]). Diagrams are laid
//! out and drawn in parallel and collected in model order. Like the site,
//! [`export`] returns files in memory, sorted by path, byte-identical for the
//! same model; [`crate::output`] writes them. No I/O here.

mod confluence;
pub(crate) mod content;
mod markdown;
mod names;
pub(crate) mod page;

use rayon::prelude::*;

use crate::Checked;
use crate::layout::{self, LayoutOptions};
use crate::render::{self, RenderError};
use crate::site::SiteFile;
use content::Drawing;

pub use markdown::COLUMN_WIDTH;

/// The wiki to write for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flavor {
    /// GitHub wikis (Gollum): flat pages, `_Sidebar.md`.
    Gfm,
    /// GitLab wikis: pages in folders, `uploads/`.
    Gitlab,
    /// Azure DevOps wikis: folders, `.order` files, `.attachments/`.
    Azure,
    /// Confluence: storage format, attachments, `manifest.json`.
    Confluence,
}

/// How to export.
#[derive(Debug, Clone, Copy)]
pub struct WikiOptions {
    /// Which wiki's layout, link style and syntax to write.
    pub flavor: Flavor,
    /// Write diagram SVGs with text as outlines (the default), so they look
    /// the same in every viewer; `false` keeps `<text>` (smaller, selectable).
    pub text_as_paths: bool,
}

/// The exported wiki: files sorted by path, and counts for the summary line.
#[derive(Debug, Clone, Default)]
pub struct Wiki {
    /// Every file, relative to the export folder, sorted by path.
    pub files: Vec<SiteFile>,
    /// How many pages and diagrams (for the summary line).
    pub pages: usize,
    pub diagrams: usize,
}

/// Why the wiki could not be exported.
#[derive(Debug, thiserror::Error)]
pub enum WikiError {
    #[error("a diagram could not be rendered: {0}")]
    Render(#[from] RenderError),
}

/// A diagram as the writers need it: both files and its size.
#[derive(Debug, Clone)]
pub(crate) struct RenderedDiagram {
    /// The page showing it (index into the page list).
    pub page: usize,
    /// File name without extension (`workflow-<id>`, `landscape`).
    pub stem: String,
    /// The diagram's title (alt text and caption).
    pub title: String,
    /// The SVG file's text (outlined unless `--svg-text`).
    pub svg: String,
    /// `None` when the diagram is too large for a readable PNG file.
    pub png: Option<Vec<u8>>,
    /// Natural size in CSS pixels.
    pub width: f64,
    pub height: f64,
}

/// Exports the checked model as a wiki of `options.flavor`.
pub fn export(checked: &Checked, options: &WikiOptions) -> Result<Wiki, WikiError> {
    let model = &checked.model;
    let (pages, specs) = content::pages(model, &checked.settings.title);
    let diagrams: Vec<RenderedDiagram> = specs
        .par_iter()
        .map(|spec| {
            let diagram = match spec.drawing {
                Drawing::Workflow(w) => layout::workflow(model, w, LayoutOptions::default()),
                Drawing::Landscape => layout::landscape(model),
            };
            draw(&diagram, spec, options.text_as_paths)
        })
        .collect::<Result<_, _>>()?;
    let mut files = match options.flavor {
        Flavor::Confluence => confluence::files(&pages, &diagrams),
        flavor => markdown::files(flavor, &pages, &names::Naming::new(flavor, &pages), &diagrams),
    };
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(Wiki { files, pages: pages.len(), diagrams: diagrams.len() })
}

/// The SVG (outlined or not) and the PNG at the site's download scale. The
/// SVG is written once and read once (its text laid out with the bundled
/// fonts) for both the outlines and the PNG.
fn draw(
    diagram: &layout::diagram::Diagram,
    spec: &content::DiagramSpec,
    outlined: bool,
) -> Result<RenderedDiagram, RenderError> {
    let svg = render::svg(diagram);
    let scale = render::png::download_scale(diagram);
    let read = if outlined || scale.is_some() { Some(render::png::read(&svg)?) } else { None };
    let png = match (&read, scale) {
        (Some(tree), Some(scale)) => Some(render::png::png_of_read(diagram, tree, scale)?),
        _ => None,
    };
    let svg = match &read {
        Some(tree) if outlined => render::outline::outlined(tree, &diagram.title),
        _ => svg,
    };
    Ok(RenderedDiagram {
        page: spec.page,
        stem: spec.stem.clone(),
        title: diagram.title.clone(),
        svg,
        png,
        width: diagram.width,
        height: diagram.height,
    })
}
