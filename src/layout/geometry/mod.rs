//! Geometry: rows and lanes to y coordinates, ports on node sides, channel
//! tracks for vertical edge segments, columns to x coordinates, polylines,
//! and the placement of text. Produces the final [`Diagram`].
//!
//! The phases run in order, each handing the next a value it does not
//! change: [`heights`] (rows, lanes, loop tracks: every y), [`ports`] (where
//! flows leave and enter nodes), [`routes`] (legs and channel segments of
//! every flow), [`tracks`] (the order of segments in each channel),
//! [`coordinates`] (every x) and [`assemble`] (polylines, nodes, pool and
//! lanes, flow labels). Ports and routes interleave: loops take their ports
//! after the forward flows are routed.

mod assemble;
mod coordinates;
mod heights;
mod ports;
mod routes;
mod tracks;

use self::coordinates::Columns;
use self::heights::Heights;
use self::ports::Ports;
use self::routes::Plan;
use self::tracks::Tracks;
use super::diagram::Diagram;
use super::input::LayoutGraph;
use super::rank::Layered;
use crate::text::Measurer;

/// Room around the pool, and the top of the first lane.
const MARGIN: f64 = 10.0;
const POOL_HEADER: f64 = 30.0;
const LANE_HEADER: f64 = 30.0;
/// Distance between loop tracks, and between channel tracks at least.
const TRACK_SPACING: f64 = 20.0;

/// Lays out a graph: the whole pipeline after ranking. `extra_gap[g]` widens
/// channel `g` (used when a flow label found no free place). Returns the
/// diagram and the channels to widen for labels that found no place.
pub fn geometry(
    graph: &LayoutGraph,
    layered: &Layered,
    measurer: &mut Measurer,
    extra_gap: &[f64],
) -> (Diagram, Vec<usize>) {
    let heights = Heights::new(graph, layered, measurer);
    let mut ports = Ports::new(graph, layered, &heights);
    let plan = Plan::new(&mut ports, &heights);
    let tracks = Tracks::assign(&plan.segments);
    let columns = Columns::new(graph, &heights, &tracks, measurer, extra_gap);
    assemble::diagram(graph, &heights, &plan.legs, &tracks, &columns, measurer)
}
