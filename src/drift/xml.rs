//! What the two XML readers (Jira, ServiceNow) share: parsing under the
//! limits, with a DOCTYPE accepted only when it declares nothing.
//!
//! Jira's export starts with OSWorkflow's public DOCTYPE line, so refusing
//! every DOCTYPE would refuse every real export. A DOCTYPE with an internal
//! subset (`[...]`, where entities are declared) is refused instead, and an
//! external DTD is never fetched (roxmltree reads no files or URLs), so no
//! entity is ever expanded.

use roxmltree::{Document, Node, ParsingOptions};

use super::{Positions, limits, span_at, span_at_line, unreadable_at};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// Most XML nodes one export may hold (elements, texts, attributes).
const MAX_NODES: u32 = 1_000_000;

/// Parses `text` as XML under the size, depth and DOCTYPE rules.
pub fn parse(text: &str, file: FileId) -> Result<Document<'_>, Box<Diagnostic>> {
    if let Some(offset) = limits::xml_too_deep(text, limits::MAX_DEPTH) {
        let message = format!("the export nests elements more than {} deep", limits::MAX_DEPTH);
        return Err(Box::new(unreadable_at(file, text, offset, message)));
    }
    if let Some(offset) = declaring_doctype(text) {
        let message = "the export's DOCTYPE declares entities or other markup, which drift refuses".to_string();
        return Err(Box::new(
            unreadable_at(file, text, offset, message)
                .with_help("export the workflow again from the tool; its exports declare nothing in the DOCTYPE"),
        ));
    }
    // No entity resolver: an external entity is an error, never fetched.
    let options = ParsingOptions { allow_dtd: true, nodes_limit: MAX_NODES, ..ParsingOptions::default() };
    Document::parse_with_options(text, options).map_err(|err| {
        let pos = err.pos();
        let span = match err {
            // Reported at the root's start; the file ends too early, so point there.
            roxmltree::Error::UnclosedRootNode => span_at(file, text, text.trim_end().len(), 0),
            _ => span_at_line(file, text, pos.row as usize, pos.col as usize),
        };
        Box::new(Diagnostic::new(
            crate::diagnostic::Code::ExportUnreadable,
            span,
            format!("the export is not well-formed XML: {err}"),
        ))
    })
}

/// The offset of a DOCTYPE with an internal subset or of any `<!ENTITY`.
fn declaring_doctype(text: &str) -> Option<usize> {
    if let Some(offset) = text.find("<!ENTITY") {
        return Some(offset);
    }
    let offset = text.find("<!DOCTYPE")?;
    let end = text[offset..].find('>').map_or(text.len(), |i| offset + i);
    text[offset..end].contains('[').then_some(offset)
}

/// The span of an element's start tag.
pub fn element_span(positions: &Positions, node: Node) -> Span {
    let start = node.range().start;
    let len = positions.text.get(start..).and_then(|rest| rest.find('>')).map_or(0, |i| i + 1);
    positions.span(start, len)
}

/// The first child element named `name`.
pub fn child<'a, 'input>(node: Node<'a, 'input>, name: &str) -> Option<Node<'a, 'input>> {
    node.children().find(|c| c.has_tag_name(name))
}

/// The child elements named `name`, in order.
pub fn children<'a, 'input: 'a>(node: Node<'a, 'input>, name: &'a str) -> impl Iterator<Item = Node<'a, 'input>> {
    node.children().filter(move |c| c.has_tag_name(name))
}

/// The trimmed text of the first child element named `name`.
pub fn child_text(node: Node, name: &str) -> Option<String> {
    child(node, name).map(|c| c.text().unwrap_or("").trim().to_string())
}
