//! procflow: process and workflow models as code.
//!
//! The pipeline runs one way: [`source`] texts → [`model`] (YAML as written) →
//! [`compile`] (the checked model graph) → views. The functions here wire the
//! stages together for the CLI and for tests; they do no I/O themselves.

#![forbid(unsafe_code)]

pub mod bpmn;
pub mod ci;
pub mod compile;
pub mod diagnostic;
pub mod diff;
pub mod drift;
pub mod history;
pub mod init;
pub mod layout;
pub mod model;
pub mod output;
pub mod pdf;
pub mod project;
pub mod raci;
pub mod render;
pub mod revision;
pub mod schema;
pub mod serve;
pub mod site;
pub mod source;
pub mod text;
pub mod watch;
pub mod wiki;

use compile::Model;
use diagnostic::Diagnostic;
use model::Settings;
use source::Sources;

/// The result of loading and checking a project: the model graph (as much of it
/// as is valid), the settings and every diagnostic, sorted by file and line.
#[derive(Debug, Clone)]
pub struct Checked {
    pub model: Model,
    pub settings: Settings,
    pub diagnostics: Vec<Diagnostic>,
    /// The mapped workflows compared with the tool exports the settings
    /// name (empty when they name none): see [`Checked::add_drift`].
    pub alignment: Vec<drift::Alignment>,
    /// The commits that last changed the models, when the site is built from
    /// a git repository (`procflow build` sets it; see [`history`]).
    pub history: Option<history::History>,
}

impl Checked {
    /// Adds the comparison with the tool's exports: the drift findings join
    /// the diagnostics (so `check` and the site's check report show them),
    /// with `unreadable`, the exports that could not be read, and each mapped
    /// workflow's alignment is kept for the site. `sources` holds the exports.
    pub fn add_drift(&mut self, exports: &[drift::Export], unreadable: Vec<Diagnostic>, sources: &Sources) {
        self.alignment = drift::alignments(&self.model, exports, sources);
        self.diagnostics.extend(unreadable);
        self.diagnostics.extend(self.alignment.iter().flat_map(|a| a.findings.iter().cloned()));
        diagnostic::sort(&mut self.diagnostics, sources);
    }

    /// Whether the model may be published: no errors (and, when `deny_warnings`
    /// is set, no warnings).
    pub fn is_ok(&self, deny_warnings: bool) -> bool {
        let counts = diagnostic::count(&self.diagnostics);
        counts.errors == 0 && (!deny_warnings || counts.warnings == 0)
    }
}

/// Loads, compiles and checks every model file of `sources`.
pub fn check(sources: &Sources) -> Checked {
    check_incremental(sources, &mut model::LoadCache::default())
}

/// [`check`] of the approved processes and workflows only (`build
/// --approved-only`), and how many were left out. Problems of the files
/// themselves (YAML, unknown keys) are reported as by [`check`].
pub fn check_approved_only(sources: &Sources) -> (Checked, model::LeftOut) {
    let (settings, mut diagnostics) = model::load_settings(sources);
    let mut cache = model::LoadCache::default();
    let (files, load_diagnostics) = cache.load(sources);
    diagnostics.extend(load_diagnostics);
    let (approved, left_out) = model::approved_only(&files);
    (compiled(settings, diagnostics, &approved, sources), left_out)
}

/// [`check`] for a project being edited: files unchanged since the last call
/// with the same `cache` are not parsed again. The result is the same as
/// [`check`]'s.
pub fn check_incremental(sources: &Sources, cache: &mut model::LoadCache) -> Checked {
    let (settings, mut diagnostics) = model::load_settings(sources);
    let (files, load_diagnostics) = cache.load(sources);
    diagnostics.extend(load_diagnostics);
    compiled(settings, diagnostics, files, sources)
}

/// The loaded files compiled and checked, after the load's `diagnostics`.
fn compiled<'a>(
    settings: Settings,
    mut diagnostics: Vec<Diagnostic>,
    files: impl IntoIterator<Item = &'a model::LoadedFile>,
    sources: &Sources,
) -> Checked {
    let (model, compile_diagnostics) = compile::compile(files, sources);
    // A file that did not load leaves holes (its roles, its steps) that would
    // show up as a flood of unknown references; report the YAML problems alone.
    if diagnostic::count(&diagnostics).errors == 0 {
        diagnostics.extend(compile_diagnostics);
    }
    diagnostic::sort(&mut diagnostics, sources);
    Checked { model, settings, diagnostics, alignment: Vec::new(), history: None }
}
