//! The handbook as data for the template: serde types written as one JSON
//! file into the Typst world and read there with `json(..)`.
//!
//! User text travels only as JSON strings, never spliced into Typst source,
//! so no name or instruction can change the template's meaning and nothing
//! needs escaping. The vocabulary is small — chapters of blocks of text
//! runs — and the template (`templates/handbook.typ`) is its only reader.

use serde::Serialize;

/// The whole handbook.
#[derive(Debug, Clone, Serialize)]
pub struct Handbook {
    /// The site title, on the cover and in the running header.
    pub title: String,
    /// The build date (`YYYY-MM-DD`), on the cover.
    pub date: String,
    /// Lines under the title: what the handbook holds, where documents stand.
    pub summary: Vec<String>,
    /// Every chapter in reading order.
    pub chapters: Vec<Chapter>,
}

/// One chapter or section, opened by a heading in the outline.
#[derive(Debug, Clone, Serialize)]
pub struct Chapter {
    /// 1 for a part of the handbook, 2 for a process, workflow or role…
    pub level: u8,
    pub title: String,
    /// What links to this chapter point at (the wiki page's key).
    pub label: String,
    /// Whether the chapter starts on a new page.
    pub page_break: bool,
    pub blocks: Vec<Block>,
}

/// A block of a chapter, in reading order.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Block {
    /// A heading, `level` below the chapter's own (1 = just below it).
    Heading {
        level: u8,
        body: Vec<Span>,
    },
    /// A bold line of the user's Markdown (its headings stay out of the
    /// outline, which is the handbook's own).
    Subhead {
        body: Vec<Span>,
    },
    Par {
        body: Vec<Span>,
    },
    List {
        ordered: bool,
        start: u64,
        items: Vec<Vec<Block>>,
    },
    Table {
        header: Vec<Vec<Span>>,
        rows: Vec<Vec<Vec<Span>>>,
    },
    Code {
        text: String,
    },
    Quote {
        body: Vec<Block>,
    },
    Rule,
    Note {
        body: Vec<Span>,
    },
    /// A place links point at (a step's description).
    Anchor {
        label: String,
    },
    Diagram(Box<Diagram>),
}

/// A run of text.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "k", rename_all = "lowercase")]
pub enum Span {
    Text {
        s: String,
    },
    Strong {
        body: Vec<Span>,
    },
    Emph {
        body: Vec<Span>,
    },
    Strike {
        body: Vec<Span>,
    },
    Code {
        s: String,
    },
    /// A link out of the handbook (`http:`, `https:`, `mailto:` only).
    Url {
        url: String,
        body: Vec<Span>,
    },
    /// A link inside the handbook, to a chapter's or anchor's label.
    Ref {
        label: String,
        body: Vec<Span>,
    },
    Break,
}

impl Span {
    /// Plain text.
    pub fn text(s: impl Into<String>) -> Span {
        Span::Text { s: s.into() }
    }
}

/// A diagram: its SVG file in the world, the page form it takes and the
/// tiles it is cut into, and the links over its steps.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Diagram {
    /// The SVG's path in the world.
    pub file: String,
    pub title: String,
    /// Natural size in CSS pixels.
    pub width: f64,
    pub height: f64,
    /// Points per CSS pixel (0.75 is natural size).
    pub scale: f64,
    /// Whether the diagram goes on landscape pages.
    pub landscape: bool,
    /// The parts printed, in reading order (rows, then columns).
    pub tiles: Vec<Rect>,
    /// Linked rectangles (diagram pixels) and where they point.
    pub links: Vec<Link>,
}

/// A rectangle in diagram pixels.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// A linked area of a diagram.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Link {
    pub rect: Rect,
    pub label: String,
}
