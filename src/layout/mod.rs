//! Automatic layout of workflows as BPMN swimlane diagrams, and of the
//! process landscape.
//!
//! A layered (Sugiyama-style) layout with lanes as hard constraints: loops are
//! broken by a depth-first search in model order ([`rank`]), steps get columns
//! by longest path (a hand-off to a step of another lane that nothing else
//! leads to may share its column, stacked under or over it), long flows get
//! dummy nodes and turn lanes where they cut
//! fewest flows, the order inside each lane of each column is chosen by
//! barycenter sweeps and transposition; rows keep each
//! step in line with the one before it ([`rows`]); flows are routed
//! orthogonally through channels between columns, loops over the top of their
//! upper lane or under the bottom of their lower one, whichever crosses fewer
//! flows ([`geometry`]); labels go where they collide with nothing ([`labels`]).
//! The result is a plain [`Diagram`]; nothing here draws.

mod crossing_counts;
pub mod diagram;
mod geometry;
pub mod input;
mod labels;
mod lane_order;
pub mod metrics;
mod rank;
mod rows;
mod sizes;

pub use diagram::Diagram;
pub use input::LayoutGraph;

use petgraph::stable_graph::NodeIndex;

use crate::compile::Model;
use crate::text::Measurer;

/// Layout choices.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LayoutOptions {
    /// Reorder lanes to shorten flows (otherwise: as authored).
    pub optimise_lanes: bool,
}

/// Lays out one workflow of the model; a workflow in draft or in review
/// gets a DRAFT mark above its drawing.
pub fn workflow(model: &Model, workflow: NodeIndex, options: LayoutOptions) -> Diagram {
    let diagram = layout(&LayoutGraph::workflow(model, workflow), options);
    let draft = model.workflow(workflow).document.as_ref().is_some_and(|d| d.is_draft());
    if draft { diagram.with_mark(DRAFT_MARK) } else { diagram }
}

/// The mark of a workflow not yet approved.
pub const DRAFT_MARK: &str = "DRAFT — not approved";

/// Lays out the process landscape: processes and the data flows between them.
pub fn landscape(model: &Model) -> Diagram {
    layout(&LayoutGraph::landscape(model), LayoutOptions::default())
}

/// Lays out any layout graph.
pub fn layout(graph: &LayoutGraph, options: LayoutOptions) -> Diagram {
    let reordered;
    let graph = if options.optimise_lanes && graph.has_lanes() {
        let order = lane_order::optimise_lane_order(graph);
        let mut g = graph.clone();
        let mut lanes = vec![g.lanes[0].clone(); g.lanes.len()];
        for (old, new) in order.iter().enumerate() {
            lanes[*new] = graph.lanes[old].clone();
        }
        g.lanes = lanes;
        for node in &mut g.nodes {
            node.lane = order[node.lane];
        }
        reordered = g;
        &reordered
    } else {
        graph
    };
    // The combinatorial phases do not depend on widths: run them once, even
    // when labels need wider channels and the geometry is redone.
    let layered = rank::layered(graph);
    let mut measurer = Measurer::new();
    let mut extra: Vec<f64> = Vec::new();
    let mut attempt = 0;
    loop {
        let (diagram, widen) = geometry::geometry(graph, &layered, &mut measurer, &extra);
        attempt += 1;
        if widen.is_empty() || attempt >= 4 {
            return diagram;
        }
        for gap in widen {
            if extra.len() <= gap {
                extra.resize(gap + 1, 0.0);
            }
            extra[gap] += 60.0;
        }
    }
}
