//! The end-to-end tests, one module per concern, in one test binary: each
//! test binary links procflow with its whole dependency tree (Typst, gitoxide,
//! resvg…), so one binary instead of one per file saves most of the link time
//! and disk of `cargo test`. Fixtures and snapshots stay in `tests/`, beside
//! this folder; `tests/with_outside_tools.rs` is the one other binary, the
//! summary of what was skipped, which runs after this one.

// Helpers shared by the test modules.
mod common;
mod example;
#[path = "../../benches/common/mod.rs"]
#[allow(dead_code)]
mod generated;
mod outside;
#[path = "../browser/site.rs"]
mod site_helpers;

mod bpmn;
mod bpmn_import;
mod browser;
mod ci_recipes;
mod cli;
mod diagrams;
mod diff_fixtures;
mod drift;
mod fixtures_check;
mod html_valid;
mod incremental;
mod init;
mod layout;
mod layout_fixtures;
mod live_reload;
mod miwg;
mod pdf;
mod raci;
mod render;
mod robustness;
mod schema;
mod schema_verdicts;
mod serve;
mod site;
mod site_history;
mod site_portal;
mod wiki;
