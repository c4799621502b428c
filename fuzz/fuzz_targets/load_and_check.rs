//! Fuzz load + compile + check, and the rendering of every diagnostic, on
//! arbitrary bytes split into up to three model files.

#![no_main]

use libfuzzer_sys::fuzz_target;
use procflow::source::Sources;

fuzz_target!(|data: &[u8]| {
    let mut sources = Sources::new();
    for (i, part) in data.split(|b| *b == 0).take(3).enumerate() {
        sources.add_bytes(format!("models/{i}.yaml"), part.to_vec());
    }
    let checked = procflow::check(&sources);
    for diagnostic in &checked.diagnostics {
        let _ = procflow::diagnostic::render_human(diagnostic, &sources, false);
    }
    let _ = procflow::diagnostic::render_json(&checked.diagnostics, &sources);
});
