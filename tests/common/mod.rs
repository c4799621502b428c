//! Helpers shared by the snapshot tests (`diagrams`, `layout_fixtures`):
//! comparing output with a recorded snapshot, and one row of layout figures.

use std::fs;
use std::path::{Path, PathBuf};

use procflow::layout::metrics::Metrics;

/// `tests/snapshots/`.
pub fn snapshots() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/snapshots")
}

/// Compares `actual` with the snapshot `tests/snapshots/<name>` (`name` may
/// name a subfolder) and records a failure when they differ; with
/// `UPDATE_EXPECT` set, writes `actual` as the new snapshot instead.
pub fn compare(name: &str, actual: &str, failures: &mut Vec<String>) {
    let path = snapshots().join(name);
    if std::env::var_os("UPDATE_EXPECT").is_some() {
        fs::create_dir_all(path.parent().expect("a snapshot lies in a folder")).expect("mkdir");
        fs::write(&path, actual).expect("write snapshot");
    } else if fs::read_to_string(&path).unwrap_or_default() != actual {
        failures.push(format!("{name} differs from tests/snapshots/{name}"));
    }
}

/// The columns of [`figures`], space-separated.
pub const FIGURES_HEADER: &str = "diagram nodes flows crossings overlaps bends backward length width height shared-lines shared-trunks misplaced-labels junctions rails crowded-heads";

/// One diagram's layout figures in the columns of [`FIGURES_HEADER`], without
/// a line end.
pub fn figures(id: &str, m: &Metrics) -> String {
    format!(
        "{} {} {} {} {} {} {} {:.0} {} {} {} {} {}/{} {} {} {}",
        id,
        m.nodes,
        m.edges,
        m.crossings,
        m.overlaps,
        m.bends,
        m.backward_edges,
        m.edge_length,
        m.width,
        m.height,
        m.shared_lines,
        m.shared_trunks,
        m.misplaced_labels,
        m.labelled_flows,
        m.false_junctions,
        m.rails,
        m.crowded_arrowheads
    )
}
