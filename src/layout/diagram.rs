//! The positioned diagram: plain data that renderers draw and tests measure.
//!
//! A [`Diagram`] holds everything a renderer needs — pool, lanes, shapes, edge
//! polylines, text already wrapped into lines — in absolute coordinates (pixels,
//! y down, origin at the top-left of the drawing). It knows nothing of petgraph
//! or YAML, and renderers must not change it.

use crate::compile::GatewayKind;
use crate::model::{StepKind as TaskKind, Trigger};

/// A point in diagram coordinates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An axis-aligned rectangle.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    pub fn right(&self) -> f64 {
        self.x + self.width
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.height
    }

    pub fn center(&self) -> Point {
        Point { x: self.x + self.width / 2.0, y: self.y + self.height / 2.0 }
    }

    /// Whether the interiors of two rectangles overlap (touching edges do not).
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() && other.x < self.right() && self.y < other.bottom() && other.y < self.bottom()
    }

    /// Whether `other` lies inside this rectangle (edges may touch).
    pub fn contains(&self, other: &Rect) -> bool {
        other.x >= self.x - 1e-6
            && other.y >= self.y - 1e-6
            && other.right() <= self.right() + 1e-6
            && other.bottom() <= self.bottom() + 1e-6
    }
}

/// Font weight of a text block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Weight {
    Regular,
    SemiBold,
}

/// How lines of a text block are aligned horizontally.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Start,
    Middle,
}

/// Text already measured and wrapped. `bounds` is the box the lines occupy;
/// lines are drawn top to bottom inside it, each `line_height` tall.
#[derive(Debug, Clone, PartialEq)]
pub struct TextBlock {
    pub lines: Vec<String>,
    pub bounds: Rect,
    pub font_size: f64,
    pub line_height: f64,
    pub weight: Weight,
    pub align: Align,
    /// Drawn rotated by -90° (reading bottom to top), as lane and pool headers
    /// are; `bounds` is then the rotated (tall) box.
    pub vertical: bool,
}

/// What a node looks like, in BPMN terms.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// Rounded rectangle with a task-kind icon in the top-left corner.
    Task(TaskKind),
    /// Collapsed subprocess / call activity: thick border and a `[+]` marker.
    Subprocess,
    StartEvent(Trigger),
    IntermediateEvent(Trigger),
    EndEvent(Trigger),
    Gateway(GatewayKind),
    /// A process in the process landscape: a box with the process name.
    Process,
}

impl Shape {
    /// Whether the node's name is drawn outside (below or above) the shape.
    pub fn has_outside_label(&self) -> bool {
        !matches!(self, Shape::Task(_) | Shape::Subprocess | Shape::Process)
    }
}

/// One step of the workflow, placed.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The step id (unique within the diagram; used for links and element ids).
    pub id: String,
    pub shape: Shape,
    pub rect: Rect,
    /// Index into [`Diagram::lanes`].
    pub lane: usize,
    /// The name: inside the box for tasks and subprocesses, outside otherwise.
    pub label: Option<TextBlock>,
    /// Where the node links to: the workflow a subprocess calls, or the
    /// process a landscape box stands for.
    pub link: Option<String>,
}

/// One sequence flow, routed.
#[derive(Debug, Clone, PartialEq)]
pub struct Edge {
    /// Indices into [`Diagram::nodes`].
    pub from: usize,
    pub to: usize,
    /// Orthogonal polyline from the border of `from` to the border of `to`;
    /// the arrowhead goes at the last point.
    pub points: Vec<Point>,
    /// The condition label, placed where it collides with no node or label.
    pub label: Option<TextBlock>,
    /// Default flow: drawn with a slash near its start.
    pub default: bool,
    /// A flow that goes back against the reading direction (a loop).
    pub back: bool,
}

/// The pool: the frame around all lanes, titled with the workflow name.
#[derive(Debug, Clone, PartialEq)]
pub struct Pool {
    pub rect: Rect,
    /// The title band on the left, with the workflow name, vertical.
    pub header: Rect,
    pub label: TextBlock,
}

/// A lane: one role's horizontal band.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub role_id: String,
    pub rect: Rect,
    /// The header band on the left with the role name, vertical.
    pub header: Rect,
    pub label: TextBlock,
}

/// How far along its first segment a default flow's slash is drawn (at
/// most half the segment), and how far the slash reaches around that point:
/// render draws it there, and labels keep clear of it.
pub const DEFAULT_SLASH_AT: f64 = 10.0;
/// Half the size of the box a default slash fits in.
pub const DEFAULT_SLASH_REACH: f64 = 6.0;

/// Where a default flow's slash is centred, from the flow's first two points.
pub fn default_slash_centre(start: Point, next: Point) -> Point {
    let length = (next.x - start.x).hypot(next.y - start.y);
    if length == 0.0 {
        return start;
    }
    let along = DEFAULT_SLASH_AT.min(length / 2.0);
    Point { x: start.x + (next.x - start.x) / length * along, y: start.y + (next.y - start.y) / length * along }
}

/// A laid-out diagram: a workflow (pool, lanes, steps) or the process landscape.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Diagram {
    /// The workflow id (or `landscape`); prefixes element ids so several
    /// diagrams fit in one page.
    pub id: String,
    pub title: String,
    /// Plain-text description for screen readers.
    pub description: String,
    pub width: f64,
    pub height: f64,
    /// Workflow diagrams have a pool with lanes; the process landscape has neither.
    pub pool: Option<Pool>,
    pub lanes: Vec<Lane>,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// A status mark drawn in a band above the drawing ("DRAFT" for a
    /// workflow not yet approved), so that a copy pasted into a wiki or a
    /// slide still says it is not in force.
    pub mark: Option<TextBlock>,
}

/// Height of the band above a marked drawing.
pub const MARK_BAND: f64 = 28.0;

impl Diagram {
    /// The diagram with `mark` in a band of [`MARK_BAND`] above it:
    /// everything moves down by the band's height.
    pub fn with_mark(mut self, mark: &str) -> Diagram {
        let width = crate::text::Measurer::new().width(mark, 12.0, Weight::SemiBold);
        let label = TextBlock {
            lines: vec![mark.to_string()],
            bounds: Rect { x: 18.0, y: 6.0, width, height: 16.0 },
            font_size: 12.0,
            line_height: 16.0,
            weight: Weight::SemiBold,
            align: Align::Start,
            vertical: false,
        };
        let shift = |r: &mut Rect| r.y += MARK_BAND;
        if let Some(pool) = &mut self.pool {
            shift(&mut pool.rect);
            shift(&mut pool.header);
            shift(&mut pool.label.bounds);
        }
        for lane in &mut self.lanes {
            shift(&mut lane.rect);
            shift(&mut lane.header);
            shift(&mut lane.label.bounds);
        }
        for node in &mut self.nodes {
            shift(&mut node.rect);
            if let Some(label) = &mut node.label {
                shift(&mut label.bounds);
            }
        }
        for edge in &mut self.edges {
            edge.points.iter_mut().for_each(|p| p.y += MARK_BAND);
            if let Some(label) = &mut edge.label {
                shift(&mut label.bounds);
            }
        }
        self.height += MARK_BAND;
        self.width = self.width.max(label.bounds.right() + 18.0);
        self.mark = Some(label);
        self
    }
}
