//! Finding a project's files on disk: `procflow.yaml` and every `*.yaml` /
//! `*.yml` under the models folder, recursively, in sorted path order.
//!
//! This is the only module of the library that reads the disk; it hands the
//! pipeline a [`Sources`] and the stages never see a path again.

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
    /// Reads the project in `root`.
    pub fn read(root: &Path) -> Result<Project, ProjectError> {
        if !root.is_dir() {
            return Err(ProjectError::MissingRoot { path: root.to_path_buf() });
        }
        let mut sources = Sources::new();
        let settings_path = root.join("procflow.yaml");
        if settings_path.is_file() {
            let bytes = read(&settings_path)?;
            sources.set_settings("procflow.yaml", bytes);
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
        Ok(Project { root: root.to_path_buf(), models_dir, output_dir, sources })
    }
}

fn read(path: &Path) -> Result<Vec<u8>, ProjectError> {
    fs::read(path).map_err(|source| ProjectError::Io { path: path.to_path_buf(), source })
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
