//! Finding a project's files on disk: `procflow.yaml` and every `*.yaml` /
//! `*.yml` under the models folder, recursively, in sorted path order.
//!
//! This is the only module of the library that reads the disk; it hands the
//! pipeline a [`Sources`] and the stages never see a path again.

use std::collections::{HashMap, HashSet};
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::model;
use crate::source::{MAX_FILE_BYTES, Sources};

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
        "{path}: no models folder here (and no procflow.yaml naming one); run procflow in a project folder or pass it as an argument"
    )]
    MissingModels { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

/// Folders nested deeper than this are not searched (guards against loops).
const MAX_FOLDER_DEPTH: usize = 32;

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
        Project::read_cached(root, &mut FileCache::default(), &HashSet::new())
    }

    /// Reads the project in `root` again, taking from `cache` every file whose
    /// size and modification time are unchanged, unless it is in `touched`
    /// (the paths a file watcher reported, re-read whatever their time says).
    pub fn read_cached(
        root: &Path,
        cache: &mut FileCache,
        touched: &HashSet<PathBuf>,
    ) -> Result<Project, ProjectError> {
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
        let (settings, _) = model::load_settings(&sources);
        let models_dir = root.join(&settings.models);
        let output_dir = root.join(&settings.output);
        if !models_dir.is_dir() {
            return Err(ProjectError::MissingModels { path: models_dir });
        }
        let mut files = Vec::new();
        collect_yaml(&models_dir, 0, &mut files)?;
        files.sort();
        for path in files {
            let shown = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
            let size = fs::metadata(&path).map_err(|source| ProjectError::Io { path: path.clone(), source })?.len();
            if size > MAX_FILE_BYTES {
                sources.add_too_large(shown, size);
            } else {
                sources.add_bytes(shown, read(&path)?);
            }
        }
        cache.files.retain(|path, _| seen.contains(path));
        Ok(Project { root: root.to_path_buf(), models_dir, output_dir, sources })
    }
}

/// File contents kept between reads of a project that is being watched, so a
/// re-read after one save reads one file, not all of them.
#[derive(Debug, Default)]
pub struct FileCache {
    files: HashMap<PathBuf, (Stamp, Vec<u8>)>,
}

/// Size and modification time: what tells that a file may have changed.
type Stamp = (u64, Option<std::time::SystemTime>);

impl FileCache {
    fn read(&mut self, path: &Path, touched: bool) -> Result<Vec<u8>, ProjectError> {
        let io = |source| ProjectError::Io { path: path.to_path_buf(), source };
        let meta = fs::metadata(path).map_err(io)?;
        let stamp = (meta.len(), meta.modified().ok());
        if let Some((cached, bytes)) = self.files.get(path)
            && !touched
            && *cached == stamp
        {
            return Ok(bytes.clone());
        }
        let bytes = fs::read(path).map_err(io)?;
        self.files.insert(path.to_path_buf(), (stamp, bytes.clone()));
        Ok(bytes)
    }
}

fn collect_yaml(dir: &Path, depth: usize, out: &mut Vec<PathBuf>) -> Result<(), ProjectError> {
    if depth > MAX_FOLDER_DEPTH {
        return Ok(());
    }
    let entries = fs::read_dir(dir).map_err(|source| ProjectError::Io { path: dir.to_path_buf(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| ProjectError::Io { path: dir.to_path_buf(), source })?;
        let path = entry.path();
        let name = entry.file_name();
        if name.to_string_lossy().starts_with('.') {
            continue;
        }
        let file_type = entry.file_type().map_err(|source| ProjectError::Io { path: path.clone(), source })?;
        if file_type.is_dir() {
            collect_yaml(&path, depth + 1, out)?;
        } else if is_yaml(&path) && (file_type.is_file() || path.is_file()) {
            out.push(path);
        }
    }
    Ok(())
}

fn is_yaml(path: &Path) -> bool {
    matches!(path.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
}
