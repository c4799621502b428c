//! The wiki's flavour-neutral pages rearranged as the handbook's chapters:
//! each process followed by the workflows that implement it, then the roles
//! and the registers. The pages' blocks are converted one for one — the
//! handbook shows what the wiki shows, from the same code — and page links
//! become links to the chapters' labels.

use std::collections::{BTreeSet, HashMap};

use super::data::{Block, Chapter, Diagram, Span};
use super::registers::Register;
use crate::compile::Model;
use crate::wiki::page::{self, Inline, Page, PageKind, Section};

/// Tables wider than this many columns are split into several, each
/// repeating the first `KEPT` columns, so that no table runs off the page.
const MAX_COLUMNS: usize = 9;

/// The chapters of the handbook from the wiki's `pages`, the laid-out
/// `diagrams` they show (by index) and the `registers`.
pub fn chapters(model: &Model, pages: &[Page], diagrams: Vec<Diagram>, registers: Vec<Register>) -> Vec<Chapter> {
    let mut diagrams: Vec<Option<Diagram>> = diagrams.into_iter().map(Some).collect();
    let convert = |page: &Page, level: u8, page_break: bool, diagrams: &mut [Option<Diagram>]| Chapter {
        level,
        title: page.title.clone(),
        label: page.key.clone(),
        page_break,
        blocks: page.blocks.iter().flat_map(|b| block(b, pages, diagrams)).collect(),
    };
    let by_kind: HashMap<PageKind, &Page> = pages.iter().map(|p| (p.kind, p)).collect();
    let mut out = Vec::new();
    if let Some(home) = by_kind.get(&PageKind::Home) {
        let landscape: Vec<&page::Block> =
            home.blocks.iter().filter(|b| matches!(b, page::Block::Diagram(_))).collect();
        if !landscape.is_empty() {
            let blocks = landscape.into_iter().flat_map(|b| block(b, pages, &mut diagrams)).collect();
            out.push(Chapter {
                level: 1,
                title: "Process landscape".into(),
                label: "landscape".into(),
                page_break: true,
                blocks,
            });
        }
    }
    // Each workflow goes after the first process it implements.
    let mut placed = BTreeSet::new();
    let mut under: HashMap<usize, Vec<usize>> = HashMap::new();
    for (i, &w) in model.workflows.iter().enumerate() {
        if let Some(&p) = model.implemented_processes(w).first()
            && let Some(index) = model.processes.iter().position(|&q| q == p)
        {
            under.entry(index).or_default().push(i);
            placed.insert(i);
        }
    }
    for i in 0..model.processes.len() {
        let Some(process) = by_kind.get(&PageKind::Process(i)) else { continue };
        out.push(convert(process, 1, true, &mut diagrams));
        for &w in under.get(&i).into_iter().flatten() {
            if let Some(workflow) = by_kind.get(&PageKind::Workflow(w)) {
                out.push(convert(workflow, 2, true, &mut diagrams));
            }
        }
    }
    let others: Vec<usize> = (0..model.workflows.len()).filter(|w| !placed.contains(w)).collect();
    if !others.is_empty() {
        out.push(part("Other workflows", "other-workflows", "Workflows that implement no process."));
        for w in others {
            if let Some(workflow) = by_kind.get(&PageKind::Workflow(w)) {
                out.push(convert(workflow, 2, true, &mut diagrams));
            }
        }
    }
    if let Some(roles) = by_kind.get(&PageKind::Section(Section::Roles)) {
        let mut chapter = convert(roles, 1, true, &mut diagrams);
        chapter.blocks.truncate(1); // the introduction; the roles follow as chapters
        out.push(chapter);
        for i in 0..model.roles.len() {
            if let Some(role) = by_kind.get(&PageKind::Role(i)) {
                out.push(convert(role, 2, false, &mut diagrams));
            }
        }
    }
    for register in registers {
        let blocks = register.blocks.into_iter().flat_map(split_wide).collect();
        out.push(Chapter {
            level: 1,
            title: register.title.into(),
            label: register.label.into(),
            page_break: true,
            blocks,
        });
    }
    drop_dangling_links(&mut out);
    out
}

fn part(title: &str, label: &str, intro: &str) -> Chapter {
    Chapter {
        level: 1,
        title: title.into(),
        label: label.into(),
        page_break: true,
        blocks: vec![Block::Par { body: vec![Span::text(intro)] }],
    }
}

fn spans(inlines: &[Inline], pages: &[Page]) -> Vec<Span> {
    inlines
        .iter()
        .map(|inline| match inline {
            Inline::Text(s) => Span::text(s.as_str()),
            Inline::Strong(s) => Span::Strong { body: vec![Span::text(s.as_str())] },
            Inline::Page(i, name) => match pages.get(*i) {
                Some(page) => Span::Ref { label: page.key.clone(), body: vec![Span::text(name.as_str())] },
                None => Span::text(name.as_str()),
            },
        })
        .collect()
}

/// One page block as handbook blocks (a Markdown text may give several).
fn block(block: &page::Block, pages: &[Page], diagrams: &mut [Option<Diagram>]) -> Vec<Block> {
    match block {
        page::Block::Heading(level, text) => {
            vec![Block::Heading { level: level.saturating_sub(1).max(1), body: vec![Span::text(text.as_str())] }]
        }
        page::Block::Paragraph(inlines) => vec![Block::Par { body: spans(inlines, pages) }],
        page::Block::Markdown(text) => super::markdown::blocks(text),
        page::Block::List(items) => vec![Block::List {
            ordered: false,
            start: 1,
            items: items.iter().map(|item| vec![Block::Par { body: spans(item, pages) }]).collect(),
        }],
        page::Block::Table { header, rows } => split_wide(Block::Table {
            header: header.iter().map(|h| vec![Span::text(h.as_str())]).collect(),
            rows: rows.iter().map(|row| row.iter().map(|cell| spans(cell, pages)).collect()).collect(),
        }),
        page::Block::Diagram(i) => {
            diagrams.get_mut(*i).and_then(Option::take).map(|d| vec![Block::Diagram(Box::new(d))]).unwrap_or_default()
        }
        page::Block::Note(inlines) => vec![Block::Note { body: spans(inlines, pages) }],
        page::Block::Contents => Vec::new(),
        page::Block::Anchor(label) => vec![Block::Anchor { label: label.clone() }],
    }
}

/// A table with more than [`MAX_COLUMNS`] columns as several tables, each
/// repeating the leading name columns (those before the first RACI or
/// value column: one, or two when the second is also a name).
fn split_wide(block: Block) -> Vec<Block> {
    let Block::Table { header, rows } = block else { return vec![block] };
    if header.len() <= MAX_COLUMNS {
        return vec![Block::Table { header, rows }];
    }
    let kept = if header.get(1).is_some_and(|h| h == &vec![Span::text("Activity")]) { 2 } else { 1 };
    let per = MAX_COLUMNS - kept;
    (kept..header.len())
        .step_by(per)
        .map(|start| {
            let end = (start + per).min(header.len());
            let pick = |row: &Vec<Vec<Span>>| -> Vec<Vec<Span>> {
                row.iter().take(kept).chain(row.iter().take(end).skip(start)).cloned().collect()
            };
            Block::Table { header: pick(&header), rows: rows.iter().map(pick).collect() }
        })
        .collect()
}

/// Turns links to labels the handbook does not have (a section page, a
/// role with no chapter) into their text, as Typst refuses them.
fn drop_dangling_links(chapters: &mut [Chapter]) {
    let mut labels: BTreeSet<String> = chapters.iter().map(|c| c.label.clone()).collect();
    for chapter in chapters.iter() {
        collect_anchors(&chapter.blocks, &mut labels);
    }
    for chapter in chapters.iter_mut() {
        for block in &mut chapter.blocks {
            fix_block(block, &labels);
        }
    }
}

fn collect_anchors(blocks: &[Block], labels: &mut BTreeSet<String>) {
    for block in blocks {
        match block {
            Block::Anchor { label } => {
                labels.insert(label.clone());
            }
            Block::Quote { body } => collect_anchors(body, labels),
            Block::List { items, .. } => items.iter().for_each(|i| collect_anchors(i, labels)),
            _ => {}
        }
    }
}

fn fix_block(block: &mut Block, labels: &BTreeSet<String>) {
    match block {
        Block::Heading { body, .. } | Block::Subhead { body } | Block::Par { body } | Block::Note { body } => {
            fix_spans(body, labels)
        }
        Block::List { items, .. } => items.iter_mut().flatten().for_each(|b| fix_block(b, labels)),
        Block::Table { header, rows } => {
            header.iter_mut().chain(rows.iter_mut().flatten()).for_each(|cell| fix_spans(cell, labels))
        }
        Block::Quote { body } => body.iter_mut().for_each(|b| fix_block(b, labels)),
        Block::Diagram(diagram) => diagram.links.retain(|l| labels.contains(&l.label)),
        Block::Code { .. } | Block::Rule | Block::Anchor { .. } => {}
    }
}

fn fix_spans(spans: &mut Vec<Span>, labels: &BTreeSet<String>) {
    let old = std::mem::take(spans);
    for span in old {
        match span {
            Span::Ref { label, body } if !labels.contains(&label) => {
                let mut body = body;
                fix_spans(&mut body, labels);
                spans.extend(body);
            }
            Span::Strong { mut body } => {
                fix_spans(&mut body, labels);
                spans.push(Span::Strong { body });
            }
            other => spans.push(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(s: &str) -> Vec<Span> {
        vec![Span::text(s)]
    }

    #[test]
    fn wide_tables_split_and_repeat_their_name_columns() {
        let header: Vec<Vec<Span>> = ["Process", "Activity"].iter().chain(&["R"; 12]).map(|s| cell(s)).collect();
        let row: Vec<Vec<Span>> = (0..14).map(|i| cell(&i.to_string())).collect();
        let tables = split_wide(Block::Table { header, rows: vec![row] });
        assert_eq!(tables.len(), 2);
        let Block::Table { header, rows } = &tables[1] else { panic!() };
        assert_eq!(header.len(), 2 + 5);
        assert_eq!(rows[0][0], cell("0"));
        assert_eq!(rows[0][2], cell("9"));
    }

    #[test]
    fn links_to_missing_labels_become_text() {
        let mut chapters = vec![Chapter {
            level: 1,
            title: "A".into(),
            label: "a".into(),
            page_break: false,
            blocks: vec![Block::Par {
                body: vec![
                    Span::Ref { label: "a".into(), body: cell("here") },
                    Span::Ref { label: "gone".into(), body: cell("there") },
                ],
            }],
        }];
        drop_dangling_links(&mut chapters);
        let Block::Par { body } = &chapters[0].blocks[0] else { panic!() };
        assert!(matches!(body[0], Span::Ref { .. }));
        assert_eq!(body[1], Span::text("there"));
    }
}
