//! Confluence: each page in the storage format (the XHTML Confluence keeps
//! pages in, with `ac:` macros and `ri:` resource identifiers), its diagrams
//! as attachment files, and `manifest.json`, the page tree a publishing
//! script pushes through the REST API (titles, parents, files, attachments).
//!
//! Layout of the bundle: `pages/<key>.xml`, `attachments/<key>/<file>`,
//! `manifest.json`. Diagrams are shown as PNG (Confluence and its exporters
//! handle SVG poorly), sized to the page column, with the SVG attached too.
//! Links between pages name the target by title (`ri:page`), which is how
//! Confluence resolves them within a space. Every user string goes through
//! XML escaping; user Markdown is rendered under the site's rules (raw HTML
//! shown as text, refused links dropped) as well-formed XHTML, images as
//! `ac:image`.

use std::fmt::Write as _;

use pulldown_cmark::{Event, Parser, Tag, TagEnd, html};
use serde::Serialize;

use super::RenderedDiagram;
use super::markdown::COLUMN_WIDTH;
use super::page::{Block, Inline, Page};
use crate::compile::links::{MARKDOWN, refused_scheme};
use crate::render::escape;
use crate::site::SiteFile;

/// The manifest's description of the bundle.
#[derive(Debug, Serialize)]
struct Manifest<'a> {
    /// What wrote the bundle and the manifest's layout version.
    generator: &'static str,
    version: u32,
    /// Pages in tree order: a page's parent always comes before it.
    pages: Vec<ManifestPage<'a>>,
}

#[derive(Debug, Serialize)]
struct ManifestPage<'a> {
    key: &'a str,
    title: &'a str,
    /// The parent page's key (`null` for the root page).
    parent: Option<&'a str>,
    /// The storage-format body, relative to the bundle.
    file: String,
    attachments: Vec<Attachment>,
}

#[derive(Debug, Serialize)]
struct Attachment {
    /// The attachment's name on the page (what `ri:filename` refers to).
    name: String,
    /// The file in the bundle.
    file: String,
    media_type: &'static str,
}

/// Every file of the Confluence bundle.
pub fn files(pages: &[Page], diagrams: &[RenderedDiagram]) -> Vec<SiteFile> {
    let mut files = Vec::new();
    let mut manifest = Manifest { generator: "procflow", version: 1, pages: Vec::with_capacity(pages.len()) };
    for (i, page) in pages.iter().enumerate() {
        let file = format!("pages/{}.xml", page.key);
        files.push(SiteFile { path: file.clone(), bytes: page_xml(page, pages, diagrams).into_bytes() });
        let mut attachments = Vec::new();
        for diagram in diagrams.iter().filter(|d| d.page == i) {
            let mut attach = |name: String, bytes: Vec<u8>, media_type| {
                let path = format!("attachments/{}/{name}", page.key);
                files.push(SiteFile { path: path.clone(), bytes });
                attachments.push(Attachment { name, file: path, media_type });
            };
            if let Some(png) = &diagram.png {
                attach(format!("{}.png", diagram.stem), png.clone(), "image/png");
            }
            attach(format!("{}.svg", diagram.stem), diagram.svg.clone().into_bytes(), "image/svg+xml");
        }
        manifest.pages.push(ManifestPage {
            key: &page.key,
            title: &page.title,
            parent: page.parent.map(|p| pages[p].key.as_str()),
            file,
            attachments,
        });
    }
    let mut json = serde_json::to_string_pretty(&manifest).unwrap_or_default();
    json.push('\n');
    files.push(SiteFile { path: "manifest.json".into(), bytes: json.into_bytes() });
    files
}

/// One page's body in the storage format.
fn page_xml(page: &Page, pages: &[Page], diagrams: &[RenderedDiagram]) -> String {
    let mut out = String::new();
    for block in &page.blocks {
        block_xml(&mut out, block, pages, diagrams);
    }
    out
}

fn block_xml(out: &mut String, block: &Block, pages: &[Page], diagrams: &[RenderedDiagram]) {
    match block {
        Block::Heading(level, text) => {
            let level = (*level).clamp(2, 6);
            let _ = writeln!(out, "<h{level}>{}</h{level}>", escape(text));
        }
        Block::Paragraph(inlines) => {
            let _ = writeln!(out, "<p>{}</p>", inlines_xml(inlines, pages));
        }
        Block::Markdown(text) => out.push_str(&markdown_xml(text)),
        Block::List(items) => {
            out.push_str("<ul>\n");
            for item in items {
                let _ = writeln!(out, "<li>{}</li>", inlines_xml(item, pages));
            }
            out.push_str("</ul>\n");
        }
        Block::Table { header, rows } => {
            out.push_str("<table><tbody>\n<tr>");
            for cell in header {
                let _ = write!(out, "<th>{}</th>", escape(cell));
            }
            out.push_str("</tr>\n");
            for row in rows {
                out.push_str("<tr>");
                for cell in row {
                    let _ = write!(out, "<td>{}</td>", inlines_xml(cell, pages));
                }
                out.push_str("</tr>\n");
            }
            out.push_str("</tbody></table>\n");
        }
        Block::Diagram(index) => {
            if let Some(diagram) = diagrams.get(*index) {
                diagram_xml(out, diagram);
            }
        }
        Block::Note(inlines) => {
            let _ = writeln!(
                out,
                r#"<ac:structured-macro ac:name="info" ac:schema-version="1"><ac:rich-text-body><p>{}</p></ac:rich-text-body></ac:structured-macro>"#,
                inlines_xml(inlines, pages)
            );
        }
        Block::Contents => {
            out.push_str(r#"<ac:structured-macro ac:name="toc" ac:schema-version="1"><ac:parameter ac:name="maxLevel">3</ac:parameter></ac:structured-macro>"#);
            out.push('\n');
        }
        Block::Anchor(_) => {}
    }
}

/// User Markdown as storage-format XHTML: the site's rules (raw HTML shown
/// as text, refused links lead nowhere), with images as `ac:image` of their
/// URL — Confluence does not take `<img>` — and control characters, which
/// XML forbids, dropped.
fn markdown_xml(text: &str) -> String {
    let clean: String = text.chars().filter(|&c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    let mut events = Vec::new();
    let mut in_image = 0usize;
    for event in Parser::new_ext(&clean, MARKDOWN) {
        match event {
            Event::Start(Tag::Image { dest_url, title, .. }) => {
                in_image += 1;
                if refused_scheme(&dest_url).is_none() {
                    events.push(Event::InlineHtml(
                        format!(
                            r#"<ac:image ac:title="{}"><ri:url ri:value="{}"/></ac:image>"#,
                            escape(&title),
                            escape(&dest_url)
                        )
                        .into(),
                    ));
                }
            }
            Event::End(TagEnd::Image) => in_image = in_image.saturating_sub(1),
            // The alt text: Confluence shows the image instead.
            _ if in_image > 0 => {}
            Event::Html(raw) | Event::InlineHtml(raw) => events.push(Event::Text(raw)),
            Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
                let dest_url = if refused_scheme(&dest_url).is_some() { "#".into() } else { dest_url };
                events.push(Event::Start(Tag::Link { link_type, dest_url, title, id }));
            }
            other => events.push(other),
        }
    }
    let mut out = String::new();
    html::push_html(&mut out, events.into_iter());
    out
}

/// The PNG (or, without one, the SVG) at its natural width up to the page
/// column, then links to both attachments at full size.
fn diagram_xml(out: &mut String, diagram: &RenderedDiagram) {
    let svg = format!("{}.svg", diagram.stem);
    let png = format!("{}.png", diagram.stem);
    let shown = if diagram.png.is_some() { &png } else { &svg };
    let width = diagram.width.min(COLUMN_WIDTH).round().max(1.0);
    let _ = writeln!(
        out,
        r#"<p><ac:image ac:alt="{}" ac:title="{}" ac:width="{width}"><ri:attachment ri:filename="{}"/></ac:image></p>"#,
        escape(&diagram.title),
        escape(&diagram.title),
        escape(shown)
    );
    let link = |file: &str, text: &str| {
        format!(
            r#"<ac:link><ri:attachment ri:filename="{}"/><ac:link-body>{}</ac:link-body></ac:link>"#,
            escape(file),
            escape(text)
        )
    };
    let mut line = format!("Full size: {}", link(&svg, "SVG"));
    if diagram.png.is_some() {
        let _ = write!(line, " · {}", link(&png, "PNG"));
    }
    let _ = writeln!(out, "<p>{line} ({} × {} px)</p>", diagram.width.round(), diagram.height.round());
}

fn inlines_xml(inlines: &[Inline], pages: &[Page]) -> String {
    let mut out = String::new();
    for inline in inlines {
        match inline {
            Inline::Text(text) => {
                let _ = write!(out, "{}", escape(text));
            }
            Inline::Strong(text) => {
                let _ = write!(out, "<strong>{}</strong>", escape(text));
            }
            Inline::Page(page, text) => match pages.get(*page) {
                Some(target) => {
                    let _ = write!(
                        out,
                        r#"<ac:link><ri:page ri:content-title="{}"/><ac:link-body>{}</ac:link-body></ac:link>"#,
                        escape(&target.title),
                        escape(text)
                    );
                }
                None => {
                    let _ = write!(out, "{}", escape(text));
                }
            },
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_images_become_confluence_images_and_html_stays_text() {
        let xml = markdown_xml(
            "See ![the form](https://example.com/f.png \"Form\") <b>now</b> [x](javascript:alert(1))\u{1}",
        );
        assert!(
            xml.contains(r#"<ac:image ac:title="Form"><ri:url ri:value="https://example.com/f.png"/></ac:image>"#),
            "{xml}"
        );
        assert!(!xml.contains("<img") && !xml.contains("<b>") && !xml.contains("javascript"), "{xml}");
        assert!(xml.contains("&lt;b&gt;now&lt;/b&gt;") && !xml.contains('\u{1}'), "{xml}");
    }
}
