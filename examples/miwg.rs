//! Development aid: the MIWG comparison (`tests/e2e/common/miwg.rs`, tracked for
//! the MIWG reference models by `tests/e2e/miwg.rs`) for any folder of BPMN
//! files, such as a tool's exports: the reader-defect figures of each file's
//! own drawing beside procflow's layout of its import, and the hard
//! invariants procflow's drawings break. Run
//! `cargo run --release --example miwg [FOLDER]` (FOLDER defaults to the
//! reference models in `tests/bpmn/miwg/reference`). The figures of the
//! bundled models' own diagrams are `procflow render --stats`.

#[path = "../tests/e2e/common/mod.rs"]
mod common;

use std::path::PathBuf;

use common::miwg;
use procflow::layout::metrics;

fn main() {
    let folder = std::env::args().nth(1).map(PathBuf::from).unwrap_or_else(miwg::reference_folder);
    let comparison = miwg::compare_folder(&folder);
    for problem in &comparison.problems {
        eprintln!("{problem}");
    }
    print!("{}", comparison.table);
    for (file, diagram) in &comparison.laid_out {
        for problem in metrics::violations(diagram) {
            println!("{file}, {}: {problem}", diagram.id);
        }
    }
}
