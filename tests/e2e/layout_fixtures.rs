//! Layout fixtures: realistic service-management workflows of 35 to 60 steps
//! in 6 to 8 lanes, each a self-contained project in
//! `tests/layout-fixtures/<name>/` (a major incident with parallel
//! communication, a normal change through the CAB, an access request with
//! several approvals). Every workflow keeps the hard layout invariants; its
//! figures are tracked in `tests/snapshots/layout-fixture-figures.txt` and
//! its SVG in `tests/snapshots/fixtures/<workflow-id>.svg`, so a change of
//! the layout engine shows on them in review.
//! `UPDATE_EXPECT=1 cargo test --test e2e layout_fixtures::` re-records; review the diff.

use crate::common;
use std::fs;
use std::path::{Path, PathBuf};

use common::compare;
use procflow::layout::{self, Diagram, LayoutOptions, metrics};
use procflow::project::Project;

/// The fixture projects, in name order.
fn projects() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/layout-fixtures");
    let mut dirs: Vec<PathBuf> = fs::read_dir(&root)
        .expect("tests/layout-fixtures exists")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.is_dir())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 3, "the fixture projects are missing");
    dirs
}

/// Every workflow of every fixture project, laid out with `options`, after
/// checking that the project is free of errors and warnings.
fn diagrams(options: LayoutOptions) -> Vec<Diagram> {
    let mut all = Vec::new();
    for dir in projects() {
        let project = Project::read(&dir).expect("project");
        let checked = procflow::check(&project.sources);
        let name = dir.file_name().expect("named").to_string_lossy().into_owned();
        assert!(checked.diagnostics.is_empty(), "{name}: {:#?}", checked.diagnostics);
        let model = &checked.model;
        assert!(!model.workflows.is_empty(), "{name} has no workflow");
        all.extend(model.workflows.iter().map(|&w| layout::workflow(model, w, options)));
    }
    all
}

#[test]
fn fixtures_are_large_workflows_in_many_lanes() {
    for diagram in diagrams(LayoutOptions::default()) {
        let (steps, lanes) = (diagram.nodes.len(), diagram.lanes.len());
        assert!((35..=60).contains(&steps), "{}: {steps} steps", diagram.id);
        assert!((6..=8).contains(&lanes), "{}: {lanes} lanes", diagram.id);
    }
}

/// The invariants `metrics::violations` lists (no overlapping nodes, nodes in
/// their lanes, no flow through an unrelated node, labels clear, flows on
/// their nodes' borders), and no two unrelated flows on one line, in the
/// authored lane order and with lanes optimised.
#[test]
fn fixtures_keep_every_hard_invariant() {
    for options in [LayoutOptions::default(), LayoutOptions { optimise_lanes: true }] {
        for diagram in diagrams(options) {
            let problems = metrics::violations(&diagram);
            assert!(problems.is_empty(), "{} ({options:?}): {problems:#?}", diagram.id);
            assert_eq!(metrics::measure(&diagram).overlaps, 0, "{} ({options:?})", diagram.id);
        }
    }
}

#[test]
fn fixture_svgs_and_figures_match_their_snapshots() {
    let mut failures = Vec::new();
    let mut figures = format!("{}\n", common::FIGURES_HEADER);
    for diagram in diagrams(LayoutOptions::default()) {
        compare(&format!("fixtures/{}.svg", diagram.id), &procflow::render::svg(&diagram), &mut failures);
        let m = metrics::measure(&diagram);
        // Drawing area over node area, rounded as `examples/miwg.rs` prints it.
        figures.push_str(&format!("{}\n", common::figures(&diagram.id, &m)));
    }
    compare("layout-fixture-figures.txt", &figures, &mut failures);
    assert!(failures.is_empty(), "{failures:#?}\nrun with UPDATE_EXPECT=1 and review the diff");
}
