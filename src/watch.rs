//! Keeping a site up to date while its models are edited: the engine behind
//! `procflow serve` and `procflow build --watch`.
//!
//! A [`Rebuilder`] keeps every stage's state between rebuilds — file contents
//! ([`FileCache`]), parsed files ([`LoadCache`]) and rendered pages
//! ([`Incremental`]) — so a save re-reads, re-parses and re-renders only what
//! it changed. A model with errors never replaces the last good site: the
//! rebuild reports the diagnostics and leaves the site as it was. [`Watch`]
//! turns file-system events into debounced batches of changed paths.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use notify::{EventKind, RecursiveMode, Watcher};

use crate::diagnostic::{self, Severity};
use crate::model::LoadCache;
use crate::project::{FileCache, Project, ProjectError};
use crate::site::{Incremental, SiteDelta, SiteError};

/// Rebuilds one project's site, keeping what it can between rebuilds.
#[derive(Debug)]
pub struct Rebuilder {
    root: PathBuf,
    files: FileCache,
    loads: LoadCache,
    site: Incremental,
    /// The output folder, once the project has been read.
    output: Option<PathBuf>,
}

/// What one rebuild did.
#[derive(Debug)]
pub enum Outcome {
    /// The site is up to date with the models.
    Built {
        /// Warnings, as the terminal report (empty when there are none).
        report: String,
        /// Diagrams in the site.
        diagrams: usize,
    },
    /// The models have errors (or the project cannot be read); the site was
    /// left as it was.
    Rejected {
        /// The diagnostics as the terminal report (colour as asked).
        report: String,
        /// The errors as `procflow check --format json` prints them.
        json: String,
    },
}

/// Why the site could not be rebuilt or written although the models are fine.
#[derive(Debug, thiserror::Error)]
pub enum RebuildError {
    #[error(transparent)]
    Site(#[from] SiteError),
    #[error(transparent)]
    Output(#[from] crate::output::OutputError),
    #[error(transparent)]
    Watch(#[from] WatchError),
}

impl Rebuilder {
    /// A rebuilder for the project in `root`; the first [`Rebuilder::rebuild`]
    /// builds everything.
    pub fn new(root: &Path) -> Self {
        Rebuilder {
            // Absolute, so that the paths a watcher reports match the paths read.
            root: root.canonicalize().unwrap_or_else(|_| root.to_path_buf()),
            files: FileCache::default(),
            loads: LoadCache::default(),
            site: Incremental::default(),
            output: None,
        }
    }

    /// The output folder named by the project's settings (known after the
    /// first rebuild that could read the project).
    pub fn output_dir(&self) -> Option<PathBuf> {
        self.output.clone()
    }

    /// Reads what changed (`touched`: paths a watcher reported; files whose
    /// size or time changed are re-read anyway), checks the models and, when
    /// they have no errors, brings the site up to date through `publish` (see
    /// [`Incremental::rebuild`]).
    pub fn rebuild(
        &mut self,
        touched: &HashSet<PathBuf>,
        color: bool,
        publish: &mut dyn FnMut(SiteDelta),
    ) -> Result<Outcome, RebuildError> {
        let project = match Project::read_cached(&self.root, &mut self.files, touched) {
            Ok(project) => project,
            Err(err) => return Ok(project_problem(&err)),
        };
        self.output = Some(project.output_dir.clone());
        let checked = crate::check_incremental(&project.sources, &mut self.loads);
        if !checked.is_ok(false) {
            let report = diagnostic::render_report(&checked.diagnostics, &project.sources, color);
            let errors: Vec<_> =
                checked.diagnostics.iter().filter(|d| d.severity() == Severity::Error).cloned().collect();
            // One line, as an event stream carries it best.
            let pretty = diagnostic::render_json(&errors, &project.sources);
            let json = serde_json::from_str::<serde_json::Value>(&pretty).map_or(pretty, |v| v.to_string());
            return Ok(Outcome::Rejected { report, json });
        }
        let rebuilt = match self.site.rebuild(&checked, &project.sources, publish) {
            Ok(rebuilt) => rebuilt,
            // A valid model whose site cannot be rendered must not end a
            // preview either: the last good site stays, the error shows.
            Err(err) => return Ok(problem(&err.to_string())),
        };
        // Rendered after publishing: it is not what the open pages wait for.
        let mut warnings = checked.diagnostics;
        warnings.extend(rebuilt.warnings);
        let report = if warnings.is_empty() {
            String::new()
        } else {
            diagnostic::render_report(&warnings, &project.sources, color)
        };
        Ok(Outcome::Built { report, diagrams: rebuilt.diagrams })
    }
}

/// A project that cannot be read (models folder deleted, permissions) is
/// reported like a model error: the last good site stays.
fn project_problem(err: &ProjectError) -> Outcome {
    problem(&err.to_string())
}

/// A problem without a place in the models, reported like a model error.
fn problem(message: &str) -> Outcome {
    let json = serde_json::json!({
        "counts": { "errors": 1, "warnings": 0 },
        "diagnostics": [{ "severity": "error", "message": message, "file": "", "line": 0, "column": 0 }],
    });
    Outcome::Rejected { report: format!("error: {message}\n"), json: json.to_string() }
}

/// How long the folder must stay quiet after a change before a rebuild starts:
/// editors save in several steps (write, rename, change attributes), all
/// within a millisecond or two; a longer pause would be felt on every save.
pub const QUIET: Duration = Duration::from_millis(10);

/// A rebuild starts at the latest this long after the first change of a
/// batch, even if changes keep coming.
const MAX_DELAY: Duration = Duration::from_millis(300);

/// Why watching failed.
#[derive(Debug, thiserror::Error)]
pub enum WatchError {
    #[error("cannot watch {path}: {source}")]
    Notify { path: PathBuf, source: notify::Error },
}

/// A file watcher on `procflow.yaml` in a project folder and everything under
/// its models folder. Create it before the first build, so no save between
/// that build and the first [`Watch::run`] is missed.
pub struct Watch {
    root: PathBuf,
    models: PathBuf,
    events: mpsc::Receiver<notify::Result<notify::Event>>,
    // Dropping the watcher stops the events.
    _watcher: notify::RecommendedWatcher,
}

impl Watch {
    /// Starts watching the project in `root` (its models folder as
    /// `procflow.yaml` names it).
    pub fn new(root: &Path) -> Result<Watch, WatchError> {
        // Watchers report absolute paths; compare them with absolute paths.
        let root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let models = Project::models_dir(&root);
        let models = models.canonicalize().unwrap_or(models);
        let (sender, events) = mpsc::channel();
        let mut watcher =
            notify::recommended_watcher(sender).map_err(|source| WatchError::Notify { path: root.clone(), source })?;
        watcher
            .watch(&models, RecursiveMode::Recursive)
            .map_err(|source| WatchError::Notify { path: models.clone(), source })?;
        // The settings file is watched through its folder, so that an editor
        // replacing it (write to a temporary file, rename) is still seen.
        watcher
            .watch(&root, RecursiveMode::NonRecursive)
            .map_err(|source| WatchError::Notify { path: root.clone(), source })?;
        Ok(Watch { root, models, events, _watcher: watcher })
    }

    /// Calls `on_change` with each debounced batch of changed paths until it
    /// returns `false`.
    pub fn run(self, mut on_change: impl FnMut(HashSet<PathBuf>) -> bool) {
        let settings = self.root.join("procflow.yaml");
        let models = &self.models;
        let relevant = |path: &Path| path == settings || path.starts_with(models);
        let changed_paths = |event: notify::Result<notify::Event>| -> Vec<PathBuf> {
            match event {
                Ok(event) if !matches!(event.kind, EventKind::Access(_)) => {
                    event.paths.into_iter().filter(|p| relevant(p)).collect()
                }
                Ok(_) => Vec::new(),
                // Lost events (queue overflow): files are compared by size
                // and time on the rebuild anyway.
                Err(_) => vec![models.clone()],
            }
        };
        loop {
            let Ok(first) = self.events.recv() else {
                return;
            };
            let mut batch: HashSet<PathBuf> = changed_paths(first).into_iter().collect();
            if batch.is_empty() {
                continue;
            }
            let started = Instant::now();
            while started.elapsed() < MAX_DELAY {
                match self.events.recv_timeout(QUIET) {
                    Ok(event) => batch.extend(changed_paths(event)),
                    Err(mpsc::RecvTimeoutError::Timeout) => break,
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
            if !on_change(batch) {
                return;
            }
        }
    }
}

/// `procflow build --watch`: builds the site into `out` (default: the
/// project's output folder), then rewrites only the files a change alters,
/// until the process ends. The first build swaps the whole folder in like
/// `procflow build`; while the models have errors the folder is left alone.
pub fn build_and_watch(
    root: &Path,
    out: Option<&Path>,
    color: bool,
    quiet: bool,
    log: &dyn Fn(&str),
) -> Result<(), RebuildError> {
    // Errors are always shown; warnings and summaries unless `quiet`.
    let info = |text: &str| {
        if !quiet {
            log(text);
        }
    };
    let mut rebuilder = Rebuilder::new(root);
    // Hashes of the files as written; `None` until the first full write.
    let mut written: Option<std::collections::HashMap<String, u64>> = None;
    let mut step = |rebuilder: &mut Rebuilder, touched: &HashSet<PathBuf>| -> Result<(), RebuildError> {
        let started = Instant::now();
        let mut deltas = Vec::new();
        match rebuilder.rebuild(touched, color, &mut |delta| deltas.push(delta))? {
            Outcome::Rejected { report, .. } => {
                log(&report);
                log("the models have errors: the site was left as it was\n");
                return Ok(());
            }
            Outcome::Built { report, .. } => info(&report),
        }
        let first = written.is_none();
        let target =
            out.map(Path::to_path_buf).or_else(|| rebuilder.output_dir()).unwrap_or_else(|| root.join("output"));
        let changed = match &mut written {
            Some(written) => {
                let mut changed = 0;
                for delta in &deltas {
                    changed += crate::output::apply_delta(&target, delta, written)?;
                }
                changed
            }
            None => {
                let mut files: Vec<_> = deltas.into_iter().flat_map(|d| d.files).collect();
                files.sort_by(|a, b| a.path.cmp(&b.path));
                let hashes = files.iter().map(|f| (f.path.clone(), crate::source::hash_of(&f.bytes))).collect();
                let site = crate::site::Site { files, ..Default::default() };
                crate::output::write_site(&site, &target, root)?;
                written = Some(hashes);
                site.files.len()
            }
        };
        info(&format!(
            "{} in {:.0} ms: {changed} file{} written to {}\n",
            if first { "built" } else { "rebuilt" },
            started.elapsed().as_secs_f64() * 1000.0,
            if changed == 1 { "" } else { "s" },
            target.display()
        ));
        Ok(())
    };
    let watch = Watch::new(root)?;
    step(&mut rebuilder, &HashSet::new())?;
    // Without this line the command looks hung once the first build is done.
    info(&format!("watching {} for changes; Ctrl-C stops\n", root.display()));
    let mut failure = None;
    watch.run(|touched| match step(&mut rebuilder, &touched) {
        Ok(()) => true,
        Err(err) => {
            failure = Some(err);
            false
        }
    });
    failure.map_or(Ok(()), Err)
}
