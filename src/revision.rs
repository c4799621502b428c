//! Reading a project as a git revision holds it, for `procflow diff REV`:
//! the repository is found from the project folder (so any sub-folder
//! works), the revision resolved and its tree read with gix — no git binary.
//! The files go into the same [`Sources`] the disk loader builds: the same
//! shown paths (relative to the project folder), the same sorted order, the
//! same size and depth limits, dot-names skipped.
//!
//! Besides [`crate::project`] and [`crate::history`], this is the only
//! module that reads the disk (the repository's object database).

use std::path::{Component, Path, PathBuf};

use crate::model;
use crate::project::{MAX_FOLDER_DEPTH, is_yaml};
use crate::source::{MAX_FILE_BYTES, Skipped, Sources};

/// Why a revision could not be read (exit status 2).
#[derive(Debug, thiserror::Error)]
pub enum RevisionError {
    #[error("{path}: not inside a git repository; give folders to compare, or run in a repository")]
    NoRepository { path: PathBuf },
    #[error(
        "{path}: the repository has no commits yet, so there is no `{revision}` to compare with; commit the project first, or give two folders"
    )]
    NoCommits { path: PathBuf, revision: String },
    #[error(
        "`{revision}` is no revision of the repository at {path} ({why}); give a branch, tag or commit, or a folder"
    )]
    UnknownRevision { path: PathBuf, revision: String, why: String },
    #[error("{path}: the project folder is outside the repository's work tree")]
    Outside { path: PathBuf },
    #[error("`{revision}` holds no project at `{folder}` (no procflow.yaml and no models folder there)")]
    NoProject { revision: String, folder: String },
    #[error("{path}: reading `{revision}` failed: {why}")]
    Read { path: PathBuf, revision: String, why: String },
}

/// The project in folder `root` (on disk, inside a git work tree) as it was
/// at `revision`.
pub fn read(root: &Path, revision: &str) -> Result<Sources, RevisionError> {
    let repo = gix::discover(root).map_err(|_| RevisionError::NoRepository { path: root.to_path_buf() })?;
    let read_error =
        |why: String| RevisionError::Read { path: root.to_path_buf(), revision: revision.to_string(), why };
    let workdir = repo.workdir().ok_or_else(|| RevisionError::Outside { path: root.to_path_buf() })?;
    let prefix = relative_to(root, workdir).ok_or_else(|| RevisionError::Outside { path: root.to_path_buf() })?;
    let id = repo.rev_parse_single(revision).map_err(|err| {
        if repo.head().is_ok_and(|h| h.is_unborn()) {
            RevisionError::NoCommits { path: workdir.to_path_buf(), revision: revision.to_string() }
        } else {
            RevisionError::UnknownRevision {
                path: workdir.to_path_buf(),
                revision: revision.to_string(),
                why: err.to_string(),
            }
        }
    })?;
    let tree = id.object().and_then(|o| o.peel_to_tree()).map_err(|e| read_error(e.to_string()))?;
    let mut reader = Reader { repo: &repo, sources: Sources::new(), files: Vec::new(), skipped: Vec::new() };
    let settings = prefix.join("procflow.yaml");
    if let Some(bytes) = reader.blob_at(&tree, &settings).map_err(&read_error)? {
        reader.sources.set_settings("procflow.yaml", bytes);
    }
    let models = PathBuf::from(model::load_settings(&reader.sources).0.models);
    let models_in_repo = normal(&prefix.join(&models));
    let folder = match models_in_repo.as_ref().map(|path| tree.lookup_entry_by_path(path)) {
        Some(Ok(Some(entry))) if entry.mode().is_tree() => {
            entry.object().map_err(|e| read_error(e.to_string()))?.into_tree()
        }
        Some(Err(err)) => return Err(read_error(err.to_string())),
        _ => {
            return Err(RevisionError::NoProject {
                revision: revision.to_string(),
                folder: if prefix.as_os_str().is_empty() { ".".into() } else { prefix.display().to_string() },
            });
        }
    };
    reader.walk(&folder, models.clone(), 0).map_err(read_error)?;
    reader.finish()
}

/// What a walk of a revision's models folder collects, then hands over in
/// the disk loader's order.
struct Reader<'r> {
    repo: &'r gix::Repository,
    sources: Sources,
    /// (shown path, blob id, size).
    files: Vec<(PathBuf, gix::ObjectId, u64)>,
    skipped: Vec<(PathBuf, Skipped)>,
}

impl Reader<'_> {
    /// The bytes of the file at `path` in `tree`, if there is one.
    fn blob_at(&self, tree: &gix::Tree<'_>, path: &Path) -> Result<Option<Vec<u8>>, String> {
        match tree.lookup_entry_by_path(path).map_err(|e| e.to_string())? {
            Some(entry) if entry.mode().is_blob() => Ok(Some(entry.object().map_err(|e| e.to_string())?.detach().data)),
            _ => Ok(None),
        }
    }

    /// Collects the YAML files under `tree`, shown as `shown/...`, `depth`
    /// folders below the models folder.
    fn walk(&mut self, tree: &gix::Tree<'_>, shown: PathBuf, depth: usize) -> Result<(), String> {
        if depth > MAX_FOLDER_DEPTH {
            self.skipped.push((shown, Skipped::TooDeep { limit: MAX_FOLDER_DEPTH }));
            return Ok(());
        }
        for entry in tree.iter() {
            let entry = entry.map_err(|e| e.to_string())?;
            let name = entry.filename().to_string();
            if name.starts_with('.') {
                continue;
            }
            let path = shown.join(&name);
            let mode = entry.mode();
            if mode.is_tree() {
                let sub = self.repo.find_object(entry.object_id()).map_err(|e| e.to_string())?.into_tree();
                self.walk(&sub, path, depth + 1)?;
            } else if is_yaml(&path) {
                if mode.is_blob() {
                    let header = self.repo.find_header(entry.object_id()).map_err(|e| e.to_string())?;
                    self.files.push((path, entry.object_id(), header.size()));
                } else if mode.is_link() {
                    self.skipped.push((path, Skipped::NotAFile { kind: "symbolic link (not followed in a revision)" }));
                }
            }
        }
        Ok(())
    }

    /// The files in sorted path order, then the skipped entries, as
    /// [`crate::project::Project::read`] adds them.
    fn finish(mut self) -> Result<Sources, RevisionError> {
        self.files.sort_by(|a, b| a.0.cmp(&b.0));
        self.skipped.sort_by(|a, b| a.0.cmp(&b.0));
        for (path, id, size) in std::mem::take(&mut self.files) {
            if size > MAX_FILE_BYTES {
                self.sources.add_too_large(path, size);
            } else {
                let data = self.repo.find_object(id).map_err(|e| RevisionError::Read {
                    path: path.clone(),
                    revision: String::new(),
                    why: e.to_string(),
                })?;
                self.sources.add_bytes(path, data.detach().data);
            }
        }
        for (path, why) in self.skipped {
            self.sources.add_skipped(path, why);
        }
        Ok(self.sources)
    }
}

/// `path` relative to `base`, both made absolute first.
pub(crate) fn relative_to(path: &Path, base: &Path) -> Option<PathBuf> {
    let path = path.canonicalize().ok()?;
    let base = base.canonicalize().ok()?;
    path.strip_prefix(base).ok().map(Path::to_path_buf)
}

/// `path` with `.` and `..` resolved lexically; `None` when it climbs above
/// the repository's top folder.
pub(crate) fn normal(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    return None;
                }
            }
            Component::Normal(part) => out.push(part),
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(out)
}

/// The project folder `start` is in: the nearest folder from `start` upwards
/// holding a `procflow.yaml`, not looking above the repository's top folder;
/// `start` itself when there is none (a project with default settings).
pub fn project_root(start: &Path) -> PathBuf {
    let Ok(absolute) = start.canonicalize() else { return start.to_path_buf() };
    let top = gix::discover(&absolute).ok().and_then(|r| r.workdir().and_then(|w| w.canonicalize().ok()));
    for dir in absolute.ancestors() {
        if dir.join("procflow.yaml").is_file() {
            return dir.to_path_buf();
        }
        if top.as_deref() == Some(dir) {
            break;
        }
    }
    start.to_path_buf()
}
