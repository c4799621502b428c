//! The Markdown wikis (GitHub, GitLab, Azure DevOps): one `.md` file per
//! page in the layout [`Naming`] gives, tables as GFM tables, diagrams as
//! image files, plus each wiki's navigation file (`_Sidebar.md` on GitHub,
//! `.order` per folder on Azure DevOps).
//!
//! Every string from the model is escaped ([`crate::raci::markdown::escape`])
//! so a name never becomes markup, a link or a broken table. Markdown the
//! user wrote (purposes, work instructions) is kept as Markdown, but raw HTML
//! in it is escaped into text, links the site refuses (`javascript:`…) become
//! their text, and an unclosed code fence is closed, so one text cannot
//! swallow or restyle the rest of its page. This module only formats pages.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

use super::Flavor;
use super::RenderedDiagram;
use super::names::{self, Naming};
use super::page::{Block, Inline, Page, PageKind};
use crate::compile::links::{MARKDOWN, refused_links};
use crate::raci::markdown::escape;
use crate::site::SiteFile;

/// The width of a wiki's page column, in CSS pixels: wider diagrams are shown
/// reduced to it, with a link to the full-size image.
pub const COLUMN_WIDTH: f64 = 880.0;

/// Every file of a Markdown wiki: pages, navigation and images.
pub fn files(flavor: Flavor, pages: &[Page], naming: &Naming, diagrams: &[RenderedDiagram]) -> Vec<SiteFile> {
    let mut files: Vec<SiteFile> = pages
        .iter()
        .enumerate()
        .map(|(i, page)| SiteFile {
            path: naming.files[i].clone(),
            bytes: page_text(flavor, i, page, naming, diagrams).into_bytes(),
        })
        .collect();
    match flavor {
        Flavor::Gfm => files.push(SiteFile { path: "_Sidebar.md".into(), bytes: sidebar(pages, naming).into_bytes() }),
        Flavor::Azure => files.extend(order_files(naming)),
        Flavor::Gitlab | Flavor::Confluence => {}
    }
    let folder = naming.image_folder();
    for diagram in diagrams {
        files
            .push(SiteFile { path: format!("{folder}/{}.svg", diagram.stem), bytes: diagram.svg.clone().into_bytes() });
        if let Some(png) = &diagram.png {
            files.push(SiteFile { path: format!("{folder}/{}.png", diagram.stem), bytes: png.clone() });
        }
    }
    files
}

/// One page as Markdown. Every wiki shows a page's title above it (from the
/// file name), so the page starts with its first block.
fn page_text(flavor: Flavor, index: usize, page: &Page, naming: &Naming, diagrams: &[RenderedDiagram]) -> String {
    let writer = Writer { flavor, index, naming };
    let mut out = String::new();
    for block in &page.blocks {
        writer.block(&mut out, block, diagrams);
    }
    while out.ends_with("\n\n") {
        out.pop();
    }
    out
}

struct Writer<'a> {
    flavor: Flavor,
    index: usize,
    naming: &'a Naming,
}

impl Writer<'_> {
    fn block(&self, out: &mut String, block: &Block, diagrams: &[RenderedDiagram]) {
        match block {
            Block::Heading(level, text) => {
                let _ = writeln!(out, "{} {}\n", "#".repeat(usize::from((*level).clamp(2, 6))), escape(text));
            }
            Block::Paragraph(inlines) => {
                let _ = writeln!(out, "{}\n", self.inlines(inlines));
            }
            Block::Markdown(text) => {
                let _ = writeln!(out, "{}\n", user_markdown(text).trim_end());
            }
            Block::List(items) => {
                for item in items {
                    let _ = writeln!(out, "- {}", self.inlines(item));
                }
                out.push('\n');
            }
            Block::Table { header, rows } => self.table(out, header, rows),
            Block::Diagram(index) => {
                if let Some(diagram) = diagrams.get(*index) {
                    self.diagram(out, diagram);
                }
            }
            Block::Note(inlines) => {
                let _ = writeln!(out, "> **Note:** {}\n", self.inlines(inlines));
            }
            // GitLab and Azure DevOps draw a table of contents for this tag;
            // GitHub shows its own outline button, and would print the tag.
            Block::Contents if self.flavor != Flavor::Gfm => out.push_str("[[_TOC_]]\n\n"),
            Block::Contents | Block::Anchor(_) => {}
        }
    }

    fn inlines(&self, inlines: &[Inline]) -> String {
        let mut out = String::new();
        for inline in inlines {
            match inline {
                Inline::Text(text) => out.push_str(&escape(text)),
                Inline::Strong(text) if text.trim().is_empty() => out.push_str(&escape(text)),
                Inline::Strong(text) => {
                    // Emphasis may not start or end inside spaces.
                    let trimmed = text.trim_end();
                    let _ = write!(out, "**{}**{}", escape(trimmed), &text[trimmed.len()..]);
                }
                Inline::Page(page, text) => {
                    let _ = write!(out, "[{}]({})", escape(text), destination(&self.naming.href(self.index, *page)));
                }
            }
        }
        out
    }

    fn table(&self, out: &mut String, header: &[String], rows: &[Vec<Vec<Inline>>]) {
        out.push('|');
        for cell in header {
            let _ = write!(out, " {} |", escape(cell));
        }
        out.push_str("\n|");
        out.push_str(&" --- |".repeat(header.len()));
        out.push('\n');
        for row in rows {
            out.push('|');
            for cell in row {
                let text = self.inlines(cell);
                let _ = write!(out, " {} |", if text.is_empty() { " " } else { text.as_str() }.trim_end());
            }
            out.push('\n');
        }
        out.push('\n');
    }

    /// The SVG shown in the page column (wikis scale images down to the
    /// column, never up), linked to itself for full size, and a line with the
    /// full-size SVG and PNG files and what the reader sees.
    fn diagram(&self, out: &mut String, diagram: &RenderedDiagram) {
        let svg = destination(&self.naming.image(self.index, &format!("{}.svg", diagram.stem)));
        let _ = writeln!(out, "[![{}]({svg})]({svg})\n", escape(&diagram.title));
        let mut line = format!("Full size: [SVG]({svg})");
        if diagram.png.is_some() {
            let png = destination(&self.naming.image(self.index, &format!("{}.png", diagram.stem)));
            let _ = write!(line, " · [PNG]({png})");
        }
        let (w, h) = (diagram.width.round(), diagram.height.round());
        if diagram.width > COLUMN_WIDTH {
            let percent = (COLUMN_WIDTH / diagram.width * 100.0).floor();
            let _ = write!(line, " — {w} × {h} px, shown at about {percent} % in an {COLUMN_WIDTH} px column");
        } else {
            let _ = write!(line, " — {w} × {h} px, shown at full size");
        }
        let _ = writeln!(out, "{line}\n");
    }
}

/// A link destination: as it is when it holds only characters that need no
/// care, else in angle brackets (CommonMark), which allow parentheses and
/// any other character but `<`, `>` and line breaks — those are escaped.
fn destination(href: &str) -> String {
    let plain = href.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | '%' | '~'));
    if plain {
        return href.to_string();
    }
    let mut out = String::from("<");
    for c in href.chars() {
        match c {
            '<' | '>' | '\\' => {
                out.push('\\');
                out.push(c);
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('>');
    out
}

/// GitHub's sidebar: the home page, then each section with its pages.
fn sidebar(pages: &[Page], naming: &Naming) -> String {
    let mut out = String::new();
    let href = |to: usize| destination(&naming.href(0, to));
    let _ = writeln!(out, "**[{}]({})**\n", escape(&pages[0].title), href(0));
    for (s, section) in pages.iter().enumerate().filter(|(_, p)| matches!(p.kind, PageKind::Section(_))) {
        let _ = writeln!(out, "**[{}]({})**\n", escape(&section.title), href(s));
        for (i, page) in pages.iter().enumerate().filter(|(_, p)| p.parent == Some(s)) {
            let _ = writeln!(out, "- [{}]({})", escape(&page.title), href(i));
        }
        out.push('\n');
    }
    out.trim_end().to_string() + "\n"
}

/// Azure DevOps' `.order` files: in each folder, its pages' names in tree
/// order, one a line (pages not listed would be sorted by name).
fn order_files(naming: &Naming) -> Vec<SiteFile> {
    let mut folders: BTreeMap<&str, String> = BTreeMap::new();
    for file in &naming.files {
        let page = names::stem(file);
        let (folder, name) = page.rsplit_once('/').unwrap_or(("", page));
        let names = folders.entry(folder).or_default();
        names.push_str(name);
        names.push('\n');
    }
    folders
        .into_iter()
        .map(|(folder, names)| {
            let path = if folder.is_empty() { ".order".to_string() } else { format!("{folder}/.order") };
            SiteFile { path, bytes: names.into_bytes() }
        })
        .collect()
}

/// User-written Markdown made safe to paste into a page: raw HTML shown as
/// text, refused links replaced by their text, control characters dropped,
/// an unclosed code fence closed.
pub fn user_markdown(text: &str) -> String {
    let text: String = text.chars().filter(|&c| !c.is_control() || matches!(c, '\n' | '\t')).collect();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    for link in refused_links(&text) {
        let shown = crate::text::plain_text(&text[link.range.clone()]);
        edits.push((link.range, escape(&shown)));
    }
    for (event, range) in Parser::new_ext(&text, MARKDOWN).into_offset_iter() {
        if let Event::Html(_) | Event::InlineHtml(_) = event {
            edits.push((range.clone(), text[range].replace('<', "\\<")));
        }
    }
    edits.sort_by_key(|(range, _)| (range.start, std::cmp::Reverse(range.end)));
    let mut out = String::with_capacity(text.len() + 16);
    let mut at = 0;
    for (range, replacement) in edits {
        if range.start < at {
            continue; // inside an edit already made
        }
        out.push_str(&text[at..range.start]);
        out.push_str(&replacement);
        at = range.end;
    }
    out.push_str(&text[at..]);
    close_fences(out)
}

/// Appends the closing fence of a fenced code block the text leaves open.
fn close_fences(mut text: String) -> String {
    let mut unclosed: Option<String> = None;
    for (event, range) in Parser::new_ext(&text, MARKDOWN).into_offset_iter() {
        if let Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(_))) = event {
            let block = &text[range];
            let opening = block.trim_start();
            let marker = opening.chars().next().unwrap_or('`');
            let fence: String = opening.chars().take_while(|&c| c == marker).collect();
            let closed = block.lines().count() > 1
                && block.lines().last().is_some_and(|last| {
                    let last = last.trim();
                    last.len() >= fence.len() && last.chars().all(|c| c == marker)
                });
            unclosed = (!closed).then_some(fence);
        }
    }
    if let Some(fence) = unclosed {
        if !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&fence);
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_html_and_script_links_become_text() {
        let out =
            user_markdown("Hi <script>alert(1)</script> [x](javascript:alert(2)) **ok**\n\n<div>\nblock\n</div>\n");
        assert!(!out.contains("<script") || out.contains("\\<script"), "{out}");
        assert!(!out.contains("javascript:"), "{out}");
        let html = crate::site::markdown(&out);
        assert!(!html.contains("<script") && !html.contains("<div"), "{html}");
        assert!(html.contains("<strong>ok</strong>"), "{html}");
    }

    #[test]
    fn an_unclosed_fence_is_closed() {
        let out = user_markdown("Run:\n\n```sh\nrm -rf /tmp/x\n");
        assert!(out.ends_with("```\n"), "{out}");
        assert_eq!(user_markdown("```\na\n```\n"), "```\na\n```\n");
    }

    #[test]
    fn destinations_with_parentheses_go_in_angle_brackets() {
        assert_eq!(destination("/Processes/Log%2Din"), "/Processes/Log%2Din");
        assert_eq!(destination("/Processes/A-(b)"), "</Processes/A-(b)>");
    }
}
