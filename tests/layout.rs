//! The layout's hard invariants on every workflow of the bundled models and the
//! fixtures, and on generated workflows (proptest).

use std::path::Path;

use procflow::layout::{self, LayoutOptions, metrics};
use procflow::project::Project;

fn checked(dir: &Path) -> Option<procflow::Checked> {
    let project = Project::read(dir).ok()?;
    let checked = procflow::check(&project.sources);
    checked.is_ok(false).then_some(checked)
}

#[test]
fn bundled_workflows_keep_every_invariant() {
    let checked = checked(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("models check");
    let model = &checked.model;
    for &w in &model.workflows {
        for options in [LayoutOptions::default(), LayoutOptions { optimise_lanes: true }] {
            let diagram = layout::workflow(model, w, options);
            let problems = metrics::violations(&diagram);
            assert!(problems.is_empty(), "{}: {problems:#?}", diagram.id);
        }
    }
    let landscape = layout::landscape(model);
    let problems = metrics::violations(&landscape);
    assert!(problems.is_empty(), "landscape: {problems:#?}");
}
