//! The BPMN MIWG reference models (`tests/bpmn/miwg/reference/`, CC BY 3.0)
//! as people drew them beside procflow's layout of their import: the
//! reader-defect figures of both, side by side per model and in total, are
//! compared with `tests/snapshots/miwg-figures.txt`, so that a layout change
//! shows what it does to drawings made by others (`UPDATE_EXPECT=1 cargo test
//! --test e2e miwg::` re-records; review the diff). procflow's drawings must keep
//! every hard layout invariant.

use crate::common;
use common::miwg;
use procflow::layout::metrics;

#[test]
fn miwg_figures_match_their_snapshot_and_every_drawing_keeps_the_invariants() {
    let comparison = miwg::compare_folder(&miwg::reference_folder());
    assert!(comparison.problems.is_empty(), "{:#?}", comparison.problems);
    assert_eq!(comparison.table.lines().count(), 2 + 21 + 1, "a row per reference model and the totals");
    for (file, diagram) in &comparison.laid_out {
        let problems = metrics::violations(diagram);
        assert!(problems.is_empty(), "{file}, {}: {problems:#?}", diagram.id);
    }
    let mut failures = Vec::new();
    common::compare("miwg-figures.txt", &comparison.table, &mut failures);
    assert!(failures.is_empty(), "{failures:#?}\n{}\nrun with UPDATE_EXPECT=1 and review the diff", comparison.table);
}
