//! What `procflow build` draws after a clean check: load + compile + check
//! arbitrary bytes split into up to three model files, and when the model has
//! no errors, lay out every workflow and the landscape and render each as SVG.

#![no_main]

use libfuzzer_sys::fuzz_target;
use procflow::layout::{self, LayoutOptions};
use procflow::source::Sources;

fuzz_target!(|data: &[u8]| {
    let mut sources = Sources::new();
    for (i, part) in data.split(|b| *b == 0).take(3).enumerate() {
        sources.add_bytes(format!("models/{i}.yaml"), part.to_vec());
    }
    let checked = procflow::check(&sources);
    if !checked.is_ok(false) {
        return;
    }
    let model = &checked.model;
    for workflow in &model.workflows {
        let diagram = layout::workflow(model, *workflow, LayoutOptions::default());
        let _ = procflow::render::svg(&diagram);
    }
    let _ = procflow::render::svg(&layout::landscape(model));
});
