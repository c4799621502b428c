//! The user's Markdown (purposes, work instructions) as handbook blocks:
//! pulldown-cmark events folded into the small tree of [`super::data`],
//! which the template typesets. Raw HTML is shown as text, and only
//! `http:`, `https:` and `mailto:` links stay links (relative links point
//! into the site, which a PDF does not have; other schemes are refused as
//! on the site).

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

use super::data::{Block, Span};
use crate::compile::links::{MARKDOWN, refused_scheme};

/// What an open element collects until its end event.
enum Frame {
    /// Blocks, with the text runs not yet in a paragraph (tight list items).
    Blocks {
        kind: BlockKind,
        blocks: Vec<Block>,
        loose: Vec<Span>,
    },
    /// Text runs.
    Spans {
        kind: SpanKind,
        spans: Vec<Span>,
    },
    /// Rows of cells of a table; the first row is the header.
    Table {
        rows: Vec<Vec<Vec<Span>>>,
    },
    Row {
        cells: Vec<Vec<Span>>,
    },
    Code {
        text: String,
    },
}

enum BlockKind {
    Root,
    Quote,
    Item,
    List { ordered: bool, start: u64 },
}

enum SpanKind {
    Paragraph,
    Heading,
    Cell,
    Strong,
    Emph,
    Strike,
    Link(Option<String>),
}

/// `text` (Markdown in the models' dialect) as blocks.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut stack = vec![Frame::Blocks { kind: BlockKind::Root, blocks: Vec::new(), loose: Vec::new() }];
    for event in Parser::new_ext(text, MARKDOWN) {
        match event {
            Event::Start(tag) => open(&mut stack, tag),
            Event::End(end) => close(&mut stack, end),
            Event::Text(t) => text_run(&mut stack, Span::text(t.as_ref())),
            Event::Code(t) => text_run(&mut stack, Span::Code { s: t.to_string() }),
            Event::Html(t) | Event::InlineHtml(t) => text_run(&mut stack, Span::text(t.as_ref())),
            Event::SoftBreak => text_run(&mut stack, Span::text(" ")),
            Event::HardBreak => text_run(&mut stack, Span::Break),
            Event::Rule => push_block(&mut stack, Block::Rule),
            Event::TaskListMarker(done) => text_run(&mut stack, Span::text(if done { "☑ " } else { "☐ " })),
            Event::FootnoteReference(t) => text_run(&mut stack, Span::text(format!("[{t}]"))),
            Event::InlineMath(t) | Event::DisplayMath(t) => text_run(&mut stack, Span::text(t.as_ref())),
        }
    }
    while stack.len() > 1 {
        close_top(&mut stack);
    }
    match stack.pop() {
        Some(Frame::Blocks { mut blocks, loose, .. }) => {
            flush(&mut blocks, loose);
            blocks
        }
        _ => Vec::new(),
    }
}

fn open(stack: &mut Vec<Frame>, tag: Tag) {
    let frame = match tag {
        Tag::Paragraph => Frame::Spans { kind: SpanKind::Paragraph, spans: Vec::new() },
        Tag::Heading { .. } => Frame::Spans { kind: SpanKind::Heading, spans: Vec::new() },
        Tag::BlockQuote(_) => Frame::Blocks { kind: BlockKind::Quote, blocks: Vec::new(), loose: Vec::new() },
        Tag::CodeBlock(_) => Frame::Code { text: String::new() },
        Tag::List(start) => Frame::Blocks {
            kind: BlockKind::List { ordered: start.is_some(), start: start.unwrap_or(1) },
            blocks: Vec::new(),
            loose: Vec::new(),
        },
        Tag::Item => Frame::Blocks { kind: BlockKind::Item, blocks: Vec::new(), loose: Vec::new() },
        Tag::Table(_) => Frame::Table { rows: Vec::new() },
        Tag::TableHead | Tag::TableRow => Frame::Row { cells: Vec::new() },
        Tag::TableCell => Frame::Spans { kind: SpanKind::Cell, spans: Vec::new() },
        Tag::Emphasis => Frame::Spans { kind: SpanKind::Emph, spans: Vec::new() },
        Tag::Strong => Frame::Spans { kind: SpanKind::Strong, spans: Vec::new() },
        Tag::Strikethrough => Frame::Spans { kind: SpanKind::Strike, spans: Vec::new() },
        Tag::Link { dest_url, .. } => {
            let url = dest_url.trim();
            let external = refused_scheme(url).is_none() && url.contains(':');
            Frame::Spans { kind: SpanKind::Link(external.then(|| url.to_string())), spans: Vec::new() }
        }
        // An image is shown by its alternative text; other elements by their text.
        _ => Frame::Spans { kind: SpanKind::Emph, spans: Vec::new() },
    };
    stack.push(frame);
}

fn close(stack: &mut Vec<Frame>, _end: TagEnd) {
    if stack.len() > 1 {
        close_top(stack);
    }
}

/// Closes the innermost element and hands what it collected to its parent.
fn close_top(stack: &mut Vec<Frame>) {
    let Some(frame) = stack.pop() else { return };
    match frame {
        Frame::Blocks { kind, mut blocks, loose } => {
            flush(&mut blocks, loose);
            match kind {
                BlockKind::Root => {}
                BlockKind::Quote => push_block(stack, Block::Quote { body: blocks }),
                BlockKind::Item => {
                    if let Some(Frame::Blocks { blocks: items, .. }) = stack.last_mut() {
                        items.push(Block::Quote { body: blocks });
                    }
                }
                BlockKind::List { ordered, start } => {
                    let items = blocks
                        .into_iter()
                        .map(|b| match b {
                            Block::Quote { body } => body,
                            other => vec![other],
                        })
                        .collect();
                    push_block(stack, Block::List { ordered, start, items });
                }
            }
        }
        Frame::Spans { kind, spans } => match kind {
            SpanKind::Paragraph => push_block(stack, Block::Par { body: spans }),
            SpanKind::Heading => push_block(stack, Block::Subhead { body: spans }),
            SpanKind::Cell => {
                if let Some(Frame::Row { cells }) = stack.last_mut() {
                    cells.push(spans);
                }
            }
            SpanKind::Strong => text_run(stack, Span::Strong { body: spans }),
            SpanKind::Emph => text_run(stack, Span::Emph { body: spans }),
            SpanKind::Strike => text_run(stack, Span::Strike { body: spans }),
            SpanKind::Link(Some(url)) => text_run(stack, Span::Url { url, body: spans }),
            SpanKind::Link(None) => spans.into_iter().for_each(|s| text_run(stack, s)),
        },
        Frame::Row { cells } => {
            if let Some(Frame::Table { rows }) = stack.last_mut() {
                rows.push(cells);
            }
        }
        Frame::Table { mut rows } => {
            let header = if rows.is_empty() { Vec::new() } else { rows.remove(0) };
            push_block(stack, Block::Table { header, rows });
        }
        Frame::Code { text } => push_block(stack, Block::Code { text: text.trim_end_matches('\n').to_string() }),
    }
}

/// Adds a text run to the innermost element that holds text.
fn text_run(stack: &mut [Frame], span: Span) {
    match stack.last_mut() {
        Some(Frame::Spans { spans, .. }) => spans.push(span),
        Some(Frame::Blocks { loose, .. }) => loose.push(span),
        Some(Frame::Code { text }) => {
            if let Span::Text { s } = span {
                text.push_str(&s);
            }
        }
        Some(Frame::Row { cells }) => cells.push(vec![span]),
        Some(Frame::Table { .. }) | None => {}
    }
}

/// Adds a block to the innermost element that holds blocks.
fn push_block(stack: &mut [Frame], block: Block) {
    if let Some(Frame::Blocks { blocks, loose, .. }) = stack.last_mut() {
        flush(blocks, std::mem::take(loose));
        blocks.push(block);
    }
}

/// Turns loose text runs into a paragraph.
fn flush(blocks: &mut Vec<Block>, loose: Vec<Span>) {
    if !loose.is_empty() {
        blocks.push(Block::Par { body: loose });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> Span {
        Span::text(s)
    }

    #[test]
    fn emphasis_code_and_links_become_runs() {
        let blocks = blocks("Call *now*, run `make` and see [docs](https://example.org).");
        let body = vec![
            t("Call "),
            Span::Emph { body: vec![t("now")] },
            t(", run "),
            Span::Code { s: "make".into() },
            t(" and see "),
            Span::Url { url: "https://example.org".into(), body: vec![t("docs")] },
            t("."),
        ];
        assert_eq!(blocks, vec![Block::Par { body }]);
    }

    #[test]
    fn tight_and_ordered_lists_keep_their_items() {
        let blocks = blocks("3. one\n4. **two**\n\n- a\n  - b\n");
        let Block::List { ordered: true, start: 3, items } = &blocks[0] else { panic!("{blocks:?}") };
        assert_eq!(items[0], vec![Block::Par { body: vec![t("one")] }]);
        assert_eq!(items[1], vec![Block::Par { body: vec![Span::Strong { body: vec![t("two")] }] }]);
        let Block::List { ordered: false, items, .. } = &blocks[1] else { panic!("{blocks:?}") };
        assert!(matches!(items[0][1], Block::List { .. }), "{items:?}");
    }

    #[test]
    fn scripts_relative_links_and_html_stay_text() {
        let blocks = blocks("[x](javascript:alert(1)) [y](../page.html) <b>raw</b>");
        let Block::Par { body } = &blocks[0] else { panic!() };
        assert!(body.iter().all(|s| matches!(s, Span::Text { .. })), "{body:?}");
        assert!(body.contains(&t("<b>")));
    }

    #[test]
    fn tables_code_blocks_and_headings() {
        let blocks = blocks("# Head\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n```\nx < y\n```\n");
        assert_eq!(blocks[0], Block::Subhead { body: vec![t("Head")] });
        let Block::Table { header, rows } = &blocks[1] else { panic!("{blocks:?}") };
        assert_eq!(header, &vec![vec![t("a")], vec![t("b")]]);
        assert_eq!(rows, &vec![vec![vec![t("1")], vec![t("2")]]]);
        assert_eq!(blocks[2], Block::Code { text: "x < y".into() });
    }
}
