//! `procflow init`: a new project to start from — `procflow.yaml` and a small
//! model (roles, one process with RACI, one workflow with a decision, a
//! parallel split and join and a timer), commented so that it explains the
//! format, which checks clean and builds.
//!
//! Besides `output`, this is the one library module that writes to the disk.
//! It never overwrites: every file of the project is checked before anything
//! is written, and a file that exists stops it with nothing written. It never
//! writes outside the folder it is given (a symbolic link on the way is
//! refused). Editor files (`.vscode/…`) and `.gitignore` are conveniences: one
//! that exists is kept as it is, not an error.

use std::fs;
use std::io::{self, Write as _};
use std::path::{Path, PathBuf};

/// One file `init` writes, as a path relative to the project folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StarterFile {
    /// Relative path with `/` separators.
    pub path: &'static str,
    /// The file's contents.
    pub text: String,
    /// Kept as it is when it exists, instead of stopping `init`.
    pub optional: bool,
}

/// Where the editor association points: the model schema, written beside the
/// VS Code settings so that a project carries the schema of the procflow that
/// made it.
const MODEL_SCHEMA: &str = ".vscode/procflow.schema.json";
const SETTINGS_SCHEMA: &str = ".vscode/procflow-settings.schema.json";

/// The files of a new project, in the order they are written.
pub fn starter_files() -> Vec<StarterFile> {
    let required = |path, text: &str| StarterFile { path, text: text.to_string(), optional: false };
    let optional = |path, text: String| StarterFile { path, text, optional: true };
    vec![
        required("procflow.yaml", include_str!("starter/procflow.yaml")),
        required("models/roles.yaml", include_str!("starter/models/roles.yaml")),
        required("models/incident-management.yaml", include_str!("starter/models/incident-management.yaml")),
        required("models/incident-handling.yaml", include_str!("starter/models/incident-handling.yaml")),
        optional(".gitignore", "# The site is built from the models: `procflow build`.\n/output/\n".to_string()),
        optional(MODEL_SCHEMA, format!("{}\n", crate::schema::model_schema())),
        optional(SETTINGS_SCHEMA, format!("{}\n", crate::schema::settings_schema())),
        optional(".vscode/settings.json", vscode_settings()),
    ]
}

/// VS Code settings associating the schemas with the project's files by glob
/// (yaml-language-server's `yaml.schemas`), so that nested model files get
/// completion too, which a relative `$schema` modeline in each file would not.
fn vscode_settings() -> String {
    let settings = serde_json::json!({
        "yaml.schemas": {
            format!("./{MODEL_SCHEMA}"): ["models/**/*.yaml", "models/**/*.yml"],
            format!("./{SETTINGS_SCHEMA}"): ["procflow.yaml"],
        }
    });
    format!("{}\n", serde_json::to_string_pretty(&settings).unwrap_or_default())
}

/// What `init` did, for the CLI to report.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Created {
    /// Files written, in order.
    pub written: Vec<PathBuf>,
    /// Optional files that existed and were left as they were.
    pub kept: Vec<PathBuf>,
}

/// Why `init` wrote nothing.
#[derive(Debug, thiserror::Error)]
pub enum InitError {
    #[error("{}: exists already; init writes a new project and overwrites nothing", list(paths))]
    Exists { paths: Vec<PathBuf> },
    #[error("{path}: the models folder holds files already; init starts a new project")]
    ModelsNotEmpty { path: PathBuf },
    #[error("{path}: is a symbolic link; init writes only inside the project folder")]
    Symlink { path: PathBuf },
    #[error("{path}: exists and is not a folder")]
    NotAFolder { path: PathBuf },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn list(paths: &[PathBuf]) -> String {
    paths.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", ")
}

/// Writes a new project into `dir` (created if missing). Nothing is written
/// when any required file exists, the models folder holds files, or a folder
/// on the way is a symbolic link or a file; on an I/O error midway the files
/// written so far are removed again.
pub fn init(dir: &Path) -> Result<Created, InitError> {
    let files = starter_files();
    let mut existing = Vec::new();
    let mut created = Created::default();
    let mut to_write = Vec::new();
    for file in &files {
        let path = dir.join(file.path);
        check_parents(dir, file.path)?;
        if path.symlink_metadata().is_ok() {
            if file.optional {
                created.kept.push(path);
            } else {
                existing.push(path);
            }
        } else {
            to_write.push((path, file));
        }
    }
    if !existing.is_empty() {
        return Err(InitError::Exists { paths: existing });
    }
    let models = dir.join("models");
    let holds_files = fs::read_dir(&models).map(|mut entries| entries.next().is_some()).unwrap_or(false);
    if holds_files {
        return Err(InitError::ModelsNotEmpty { path: models });
    }
    for (path, file) in to_write {
        if let Err(err) = write_new(&path, &file.text) {
            undo(dir, &created.written);
            return Err(err);
        }
        created.written.push(path);
    }
    Ok(created)
}

/// Refuses a symbolic link or a file among the folders between `dir` and the
/// file `relative` (writing through a link could land outside `dir`).
fn check_parents(dir: &Path, relative: &str) -> Result<(), InitError> {
    let mut folder = dir.to_path_buf();
    let parts: Vec<&str> = relative.split('/').collect();
    for part in &parts[..parts.len().saturating_sub(1)] {
        folder.push(part);
        match folder.symlink_metadata() {
            Ok(meta) if meta.file_type().is_symlink() => return Err(InitError::Symlink { path: folder }),
            Ok(meta) if !meta.is_dir() => return Err(InitError::NotAFolder { path: folder }),
            _ => {}
        }
    }
    Ok(())
}

/// Creates `path` (and its folders); `create_new` fails on anything already
/// there, a dangling link included, so nothing is ever written through.
fn write_new(path: &Path, text: &str) -> Result<(), InitError> {
    let io_error = |source| InitError::Io { path: path.to_path_buf(), source };
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent).map_err(io_error)?;
    }
    let mut file = fs::OpenOptions::new().write(true).create_new(true).open(path).map_err(io_error)?;
    file.write_all(text.as_bytes()).map_err(io_error)
}

/// Removes what a failed `init` wrote: the files, then the folders it leaves
/// empty (a folder holding anything else stays).
fn undo(dir: &Path, written: &[PathBuf]) {
    for path in written.iter().rev() {
        let _ = fs::remove_file(path);
        let mut parent = path.parent();
        while let Some(folder) = parent.filter(|p| *p != dir && p.starts_with(dir)) {
            if fs::remove_dir(folder).is_err() {
                break;
            }
            parent = folder.parent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn starter_files_stay_inside_the_project() {
        for file in starter_files() {
            assert!(!file.path.starts_with('/') && !file.path.split('/').any(|p| p == ".."), "{}", file.path);
        }
    }

    #[test]
    fn vscode_settings_associate_both_schemas_by_glob() {
        let settings: serde_json::Value = serde_json::from_str(&vscode_settings()).expect("JSON");
        let schemas = settings["yaml.schemas"].as_object().expect("object");
        assert_eq!(schemas["./.vscode/procflow.schema.json"][0], "models/**/*.yaml");
        assert_eq!(schemas["./.vscode/procflow-settings.schema.json"][0], "procflow.yaml");
    }

    #[cfg(unix)]
    #[test]
    fn a_models_folder_symlink_is_refused_before_writing() {
        let dir = tempfile::tempdir().expect("tempdir");
        let elsewhere = tempfile::tempdir().expect("tempdir");
        std::os::unix::fs::symlink(elsewhere.path(), dir.path().join("models")).expect("symlink");
        assert!(matches!(init(dir.path()), Err(InitError::Symlink { .. })));
        assert!(fs::read_dir(elsewhere.path()).expect("readable").next().is_none());
        assert!(!dir.path().join("procflow.yaml").exists());
    }
}
