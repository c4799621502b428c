//! Finding a project's files on disk: `procflow.yaml` and every `*.yaml` /
//! `*.yml` under the models folder, recursively, in sorted path order,
//! following symbolic links. What looks like part of the model but is not read
//! (a folder too deep, a link loop, a FIFO) is recorded in the [`Sources`] so
//! that `check` says so.
//!
//! This is the only module of the library that reads the disk; it hands the
//! pipeline a [`Sources`] and the stages never see a path again.

use std::collections::{HashMap, HashSet, VecDeque};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model;
use crate::source::{MAX_FILE_BYTES, Skipped, Sources};

/// Where a project's parts are, once `procflow.yaml` has been read.
#[derive(Debug, Clone)]
pub struct Project {
    pub root: PathBuf,
    pub models_dir: PathBuf,
    pub output_dir: PathBuf,
    pub sources: Sources,
}

/// Errors that stop a command before any checking (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum ProjectError {
    #[error("{path}: no such folder")]
    MissingRoot { path: PathBuf },
    #[error(
        "{path}: this is a file; procflow takes the project folder (the one holding procflow.yaml and models/){hint}"
    )]
    FileGiven { path: PathBuf, hint: String },
    #[error("{path}: no models folder here{hint}")]
    MissingModels { path: PathBuf, hint: String },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Folders nested deeper than this are not searched (and reported): a bound on
/// the walk whatever the file system holds.
pub(crate) const MAX_FOLDER_DEPTH: usize = 32;

impl Project {
    /// The models folder of the project in `root`, as its `procflow.yaml`
    /// names it (or the default), without reading the models.
    pub fn models_dir(root: &Path) -> PathBuf {
        let mut sources = Sources::new();
        if let Ok(bytes) = fs::read(root.join("procflow.yaml")) {
            sources.set_settings("procflow.yaml", bytes);
        }
        root.join(model::load_settings(&sources).0.models)
    }

    /// Reads the project in `root`.
    pub fn read(root: &Path) -> Result<Project, ProjectError> {
        Project::read_cached(root, &mut FileCache { files: HashMap::new(), keep: false }, &HashSet::new())
    }

    /// Reads the project in `root` again, taking from `cache` every file whose
    /// size and modification time are unchanged, unless it is in `touched`
    /// (the paths a file watcher reported, re-read whatever their time says).
    pub fn read_cached(
        root: &Path,
        cache: &mut FileCache,
        touched: &HashSet<PathBuf>,
    ) -> Result<Project, ProjectError> {
        if root.is_file() {
            let hint = project_above(root).map_or(String::new(), |p| format!(": try `{}`", p.display()));
            return Err(ProjectError::FileGiven { path: root.to_path_buf(), hint });
        }
        if !root.is_dir() {
            return Err(ProjectError::MissingRoot { path: root.to_path_buf() });
        }
        let mut seen = HashSet::new();
        let mut read = |path: &Path| {
            seen.insert(path.to_path_buf());
            cache.read(path, touched.contains(path))
        };
        let mut sources = Sources::new();
        let settings_path = root.join("procflow.yaml");
        if settings_path.is_file() {
            sources.set_settings("procflow.yaml", read(&settings_path)?);
        }
        let (settings, problems) = model::load_settings(&sources);
        let models_dir = root.join(&settings.models);
        let output_dir = root.join(&settings.output);
        if !models_dir.is_dir() {
            let hint = missing_models_hint(root, &problems);
            return Err(ProjectError::MissingModels { path: models_dir, hint });
        }
        let found = collect_yaml(&models_dir)?;
        let shown = |path: &Path| path.strip_prefix(root).unwrap_or(path).to_path_buf();
        for path in found.files {
            let shown = shown(&path);
            let size = fs::metadata(&path).map_err(|source| ProjectError::Io { path: path.clone(), source })?.len();
            if size > MAX_FILE_BYTES {
                sources.add_too_large(shown, size);
            } else {
                sources.add_bytes(shown, read(&path)?);
            }
        }
        // After the files, so that a skipped path appearing or going away
        // leaves the files' ids (and what the caches hold for them) as they were.
        for (path, why) in found.skipped {
            let why = match why {
                Skipped::Loop { first } => Skipped::Loop { first: shown(&first) },
                Skipped::SameFolder { first } => Skipped::SameFolder { first: shown(&first) },
                other => other,
            };
            sources.add_skipped(shown(&path), why);
        }
        cache.files.retain(|path, _| seen.contains(path));
        Ok(Project { root: root.to_path_buf(), models_dir, output_dir, sources })
    }
}

/// What to do when the models folder is missing: fix `procflow.yaml` first
/// when it has errors (an unreadable file falls back to the default folder,
/// which hides the folder it names); pass the parent when `root` looks like
/// the models folder itself; otherwise run in (or pass) a project folder.
fn missing_models_hint(root: &Path, settings_problems: &[crate::diagnostic::Diagnostic]) -> String {
    if !settings_problems.is_empty() {
        let list: Vec<String> = settings_problems
            .iter()
            .map(|d| format!("procflow.yaml:{}:{}: {}", d.span.line, d.span.column, d.message))
            .collect();
        return format!(
            "; procflow.yaml could not be read, so the default folder was used — fix it first: {}",
            list.join("; ")
        );
    }
    let named = if root.join("procflow.yaml").is_file() { "" } else { " (and no procflow.yaml naming one)" };
    let holds_yaml = fs::read_dir(root).into_iter().flatten().flatten().any(|e| {
        let path = e.path();
        path.is_file()
            && path.extension().is_some_and(|x| x == "yaml" || x == "yml")
            && !path.ends_with("procflow.yaml")
    });
    let what = match project_above(root) {
        Some(parent) if holds_yaml => {
            format!("this looks like the models folder itself: pass the project folder `{}`", parent.display())
        }
        _ if holds_yaml => {
            "this folder holds model files: put them in a `models/` folder, or add a procflow.yaml with `models: .`"
                .to_string()
        }
        _ => "run procflow in a project folder or pass it as an argument (`procflow init` starts one)".to_string(),
    };
    format!("{named}; {what}")
}

/// The nearest folder above `path` that looks like a project (a procflow.yaml
/// or a models folder), for hints when a file or the models folder was given.
fn project_above(path: &Path) -> Option<PathBuf> {
    let start = if path.is_file() { path.parent()? } else { path };
    let absolute = fs::canonicalize(start).ok()?;
    absolute
        .ancestors()
        .find(|dir| dir.join("procflow.yaml").is_file() || (dir.join("models").is_dir() && *dir != absolute))
        .map(|dir| {
            // Show it as the user would type it: relative when under the
            // current folder.
            let here = std::env::current_dir().ok().and_then(|c| fs::canonicalize(c).ok());
            match here.as_deref().and_then(|h| dir.strip_prefix(h).ok()) {
                Some(rel) if rel.as_os_str().is_empty() => PathBuf::from("."),
                Some(rel) => rel.to_path_buf(),
                None => dir.to_path_buf(),
            }
        })
}

/// File contents kept between reads of a project that is being watched, so a
/// re-read after one save reads one file, not all of them.
#[derive(Debug)]
pub struct FileCache {
    files: HashMap<PathBuf, (Stamp, Vec<u8>)>,
    /// Whether contents are kept; a single read (`check`) does not copy them.
    keep: bool,
}

impl Default for FileCache {
    fn default() -> Self {
        FileCache { files: HashMap::new(), keep: true }
    }
}

/// Size and modification time: what tells that a file may have changed.
type Stamp = (u64, Option<std::time::SystemTime>);

impl FileCache {
    fn read(&mut self, path: &Path, touched: bool) -> Result<Vec<u8>, ProjectError> {
        let io = |source| ProjectError::Io { path: path.to_path_buf(), source };
        let meta = fs::metadata(path).map_err(io)?;
        if !meta.is_file() {
            // The walk only lists regular files; this one changed since.
            return Err(io(io::Error::new(io::ErrorKind::InvalidInput, "not a regular file")));
        }
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((cached, bytes)) = self.files.get(path)
            && !touched
            && *cached == stamp
        {
            return Ok(bytes.clone());
        }
        let bytes = fs::read(path).map_err(io)?;
        if self.keep {
            self.files.insert(path.to_path_buf(), (stamp, bytes.clone()));
        }
        Ok(bytes)
    }
}

/// What a walk of the models folder found: the model files to read, and the
/// entries that look like part of the model but are not read, with the reason.
#[derive(Debug, Default)]
struct Found {
    files: Vec<PathBuf>,
    skipped: Vec<(PathBuf, Skipped)>,
}

/// Walks the models folder. Symbolic links are followed; a folder is entered
/// once, by its canonical path, so links cannot make the walk loop or read a
/// file twice. Real folders are searched before linked ones, so a link to a
/// folder inside the models folder never hides the folder's own path. Nothing
/// but regular files is ever opened: a FIFO named `x.yaml` would block a read
/// forever.
fn collect_yaml(models_dir: &Path) -> Result<Found, ProjectError> {
    let mut walk = Walk::default();
    walk.enter(models_dir.to_path_buf(), 0)?;
    while let Some((path, depth)) = walk.linked.pop_front() {
        walk.enter(path, depth)?;
    }
    walk.found.files.sort();
    walk.found.skipped.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(walk.found)
}

#[derive(Debug, Default)]
struct Walk {
    found: Found,
    /// Canonical path of every folder searched → the path it was searched as.
    searched: HashMap<PathBuf, PathBuf>,
    /// Linked folders met so far, with their depth, searched after the real ones.
    linked: VecDeque<(PathBuf, usize)>,
}

impl Walk {
    /// Searches folder `dir`, `depth` folders below the models folder, unless
    /// it is too deep or was searched already.
    fn enter(&mut self, dir: PathBuf, depth: usize) -> Result<(), ProjectError> {
        fn io(path: &Path) -> impl FnOnce(io::Error) -> ProjectError + '_ {
            move |source| ProjectError::Io { path: path.to_path_buf(), source }
        }
        if depth > MAX_FOLDER_DEPTH {
            self.found.skipped.push((dir, Skipped::TooDeep { limit: MAX_FOLDER_DEPTH }));
            return Ok(());
        }
        let canonical = dir.canonicalize().map_err(io(&dir))?;
        if let Some(first) = self.searched.get(&canonical) {
            let first = first.clone();
            // A folder that contains the link is one of its ancestors.
            let why = if inside(&dir, &canonical) { Skipped::Loop { first } } else { Skipped::SameFolder { first } };
            self.found.skipped.push((dir, why));
            return Ok(());
        }
        self.searched.insert(canonical, dir.clone());
        let mut entries = Vec::new();
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            entries.push(entry.map_err(io(&dir))?);
        }
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            if entry.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let path = entry.path();
            let link = entry.file_type().map_err(io(&path))?.is_symlink();
            // What a link leads to decides what it is.
            let meta = match fs::metadata(&path) {
                Ok(meta) => meta,
                Err(err) if link => {
                    if is_yaml(&path) {
                        let target = fs::read_link(&path).unwrap_or_default();
                        self.found.skipped.push((path, Skipped::BrokenLink { target, why: err.to_string() }));
                    }
                    continue;
                }
                Err(source) => return Err(ProjectError::Io { path, source }),
            };
            if meta.is_dir() {
                if link {
                    self.linked.push_back((path, depth + 1));
                } else {
                    self.enter(path, depth + 1)?;
                }
            } else if is_yaml(&path) {
                if meta.is_file() {
                    self.found.files.push(path);
                } else {
                    self.found.skipped.push((path, Skipped::NotAFile { kind: kind_of(&meta.file_type()) }));
                }
            }
        }
        Ok(())
    }
}

/// Whether the folder `canonical` is `dir` itself or one of the folders that
/// contain it, following links: then entering `dir` would never end.
fn inside(dir: &Path, canonical: &Path) -> bool {
    dir.parent().and_then(|parent| parent.canonicalize().ok()).is_some_and(|parent| parent.starts_with(canonical))
}

/// What a file-system entry that is neither a folder nor a regular file is.
fn kind_of(file_type: &fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "FIFO (named pipe)";
        }
        if file_type.is_socket() {
            return "socket";
        }
        if file_type.is_block_device() || file_type.is_char_device() {
            return "device";
        }
    }
    let _ = file_type;
    "special file"
}

pub(crate) fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}
