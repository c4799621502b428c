//! Links in the models' Markdown texts (descriptions, purposes, scopes, work
//! instructions) that the site refuses to follow.
//!
//! The rule lives here once: the site's Markdown renderer (`site::markdown`)
//! turns exactly the links [`refused_scheme`] names into dead links, and the
//! check warns about exactly those, at the link. This module does no I/O; it
//! reads the file texts only to place a warning on the link's own line.

use std::ops::Range;

use pulldown_cmark::{Event, Options, Parser, Tag};

use crate::diagnostic::{Code, Diagnostic};
use crate::model::Located;
use crate::source::{FileId, Span, line_column};

/// The Markdown dialect of the models, for the renderer and the check alike.
pub const MARKDOWN: Options = Options::ENABLE_TABLES.union(Options::ENABLE_STRIKETHROUGH);

/// The scheme (lower case) of a link destination the site will not link to,
/// or `None` for relative links and `http:`, `https:` and `mailto:` ones.
///
/// The scheme is read as browsers read it: leading and trailing spaces and
/// control characters are stripped and tabs and line breaks anywhere are
/// ignored, so `" Java\tScript:alert(1)"` is a `javascript:` link.
pub fn refused_scheme(url: &str) -> Option<String> {
    let url: String = url
        .trim_matches(|c: char| c <= ' ' || c.is_whitespace() || c.is_control())
        .chars()
        .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
        .collect();
    let (scheme, _) = url.split_once(':')?;
    // A colon after a slash, `?` or `#` is part of a relative path.
    if scheme.contains(['/', '?', '#']) {
        return None;
    }
    let scheme = scheme.to_ascii_lowercase();
    (!matches!(scheme.as_str(), "http" | "https" | "mailto")).then_some(scheme)
}

/// A link or image of a Markdown text that the site refuses to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RefusedLink {
    /// Byte range of the whole link (`[text](url)`) in the Markdown text.
    pub range: Range<usize>,
    pub scheme: String,
    pub image: bool,
}

/// Every refused link and image of `text`, in text order.
pub fn refused_links(text: &str) -> Vec<RefusedLink> {
    Parser::new_ext(text, MARKDOWN)
        .into_offset_iter()
        .filter_map(|(event, range)| {
            let (url, image) = match &event {
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url, false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url, true),
                _ => return None,
            };
            refused_scheme(url).map(|scheme| RefusedLink { range, scheme, image })
        })
        .collect()
}

/// Warnings for the refused links of one Markdown value. `what` names the
/// value for the reader ("the instructions of step `approve`"); `text` is the
/// file's text, to point at the link itself.
pub fn check(file: FileId, text: &str, value: &Located<String>, what: &str) -> Vec<Diagnostic> {
    refused_links(&value.value)
        .into_iter()
        .map(|link| {
            let span = link_span(file, text, value, &link.range).unwrap_or(value.span(file));
            let scheme = &link.scheme;
            let thing = if link.image { "image from" } else { "link to" };
            let help = match scheme.as_str() {
                "javascript" | "vbscript" => {
                    format!("a `{scheme}:` link runs code in the reader's browser; link to an `https:` page instead")
                }
                "data" => format!(
                    "a `{scheme}:` address can carry a script; put the file on a web server and link to it with `https:`"
                ),
                _ => "the site links only to relative paths and `http:`, `https:` and `mailto:` addresses".to_string(),
            };
            Diagnostic::new(
                Code::RefusedLink,
                span,
                format!("{thing} a `{scheme}:` address in {what}; the site shows it as a dead link"),
            )
            .with_help(help)
        })
        .collect()
}

/// Where the link at `range` of the value was written in the file, if that can
/// be told for sure: its first line is looked for, verbatim, in the value's
/// part of the file, and taken when the value and the file hold it equally
/// often (the n-th in the value is then the n-th in the file). A link written
/// other than verbatim (escapes in a quoted value, a line folded inside it)
/// is not found, and the caller points at the value instead.
fn link_span(file: FileId, text: &str, value: &Located<String>, range: &Range<usize>) -> Option<Span> {
    let rest = value.value.get(range.clone())?;
    let needle = rest.split('\n').next().filter(|line| !line.is_empty())?;
    let region = text.get(value.start..value.start.checked_add(value.len)?)?;
    let in_value: Vec<usize> = value.value.match_indices(needle).map(|(i, _)| i).collect();
    let in_file: Vec<usize> = region.match_indices(needle).map(|(i, _)| i).collect();
    if in_value.len() != in_file.len() {
        return None;
    }
    let nth = in_value.iter().position(|&i| i == range.start)?;
    let start = value.start + in_file[nth];
    let (line, column) = line_column(text, start);
    Some(Span { file, line, column, start, len: needle.chars().count() })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        assert_eq!(refused_scheme("javascript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(refused_scheme(" \u{1}Java\tScript:alert(1)").as_deref(), Some("javascript"));
        assert_eq!(refused_scheme("VBScript:x").as_deref(), Some("vbscript"));
        assert_eq!(refused_scheme("\ndata:text/html,hi").as_deref(), Some("data"));
        assert_eq!(refused_scheme("ftp://host/x").as_deref(), Some("ftp"));
        assert_eq!(refused_scheme("https://intranet/x"), None);
        assert_eq!(refused_scheme("MAILTO:a@b"), None);
        assert_eq!(refused_scheme("../roles/a.html"), None);
        assert_eq!(refused_scheme("notes/a:b.html"), None);
        assert_eq!(refused_scheme("#top"), None);
    }

    #[test]
    fn links_images_and_references_are_found() {
        let text = "See [a](javascript:x), ![i](data:image/png;base64,AA) and [r][ref] or <vbscript:y>.\n\n[ref]: JAVASCRIPT:z\n";
        let links = refused_links(text);
        let found: Vec<(&str, &str, bool)> =
            links.iter().map(|l| (&text[l.range.clone()], l.scheme.as_str(), l.image)).collect();
        assert_eq!(
            found,
            [
                ("[a](javascript:x)", "javascript", false),
                ("![i](data:image/png;base64,AA)", "data", true),
                ("[r][ref]", "javascript", false),
                ("<vbscript:y>", "vbscript", false),
            ]
        );
        assert!(refused_links("[ok](https://x) [rel](a/b.html) `[c](javascript:x)`").is_empty());
    }

    /// (line, column) of every refused-link warning of a one-file model.
    fn warned_at(text: &str) -> Vec<(u32, u32)> {
        let mut sources = crate::source::Sources::new();
        sources.add_text("models/a.yaml", text);
        let checked = crate::check(&sources);
        checked
            .diagnostics
            .iter()
            .filter(|d| d.code == Code::RefusedLink)
            .map(|d| (d.span.line, d.span.column))
            .collect()
    }

    #[test]
    fn script_link_in_markdown_is_warned_at_the_link_not_silently_dropped() {
        let block = "roles:\n  - id: a\n    description: |\n      Intro.\n\n        See [x](javascript:go()) and ![i](data:x).\n";
        assert_eq!(warned_at(block), [(6, 13), (6, 38)]);
        let plain = "roles:\n  - id: a\n    description: Call [x](vbscript:x)\n";
        assert_eq!(warned_at(plain), [(3, 23)]);
        let folded = "roles:\n  - id: a\n    description: >\n      one\n      [x](data:x)\n";
        assert_eq!(warned_at(folded), [(5, 7)]);
    }

    #[test]
    fn link_not_written_verbatim_is_warned_at_its_value() {
        // The escape makes the value's link differ from the file's text.
        let escaped = "roles:\n  - id: a\n    description: \"see [x](java\\x73cript:1)\"\n";
        assert_eq!(warned_at(escaped), [(3, 18)]);
        // Folded inside the link: its first line is not in the file as such.
        let split = "roles:\n  - id: a\n    description: see [the\n      manager](data:x)\n";
        assert_eq!(warned_at(split), [(3, 18)]);
    }
}
