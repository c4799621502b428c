//! Writing a built site to disk without ever leaving a half-written one: files
//! go into a temporary folder beside the output folder, which is swapped in
//! only when complete. Like `project.rs`, this module does the I/O the
//! pipeline's stages never do.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::site::Site;

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: the output folder must not be the project folder or contain it")]
    Unsafe { path: PathBuf },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// Writes `site` into `out`, replacing what was there only once every file is
/// written. `project` is the project folder: `out` may not be it or an
/// ancestor of it, so a mistyped `-o` can never delete the models.
pub fn write_site(site: &Site, out: &Path, project: &Path) -> Result<(), OutputError> {
    let out_abs = absolute(out);
    let project_abs = absolute(project);
    if project_abs.starts_with(&out_abs) {
        return Err(OutputError::Unsafe { path: out.to_path_buf() });
    }
    let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let name = out_abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let staging = parent.join(format!(".{name}.procflow-new-{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = write_files(site, &staging).and_then(|()| swap(&staging, &out_abs, &parent, &name));
    if result.is_err() {
        let _ = fs::remove_dir_all(&staging);
    }
    result
}

fn write_files(site: &Site, staging: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(staging).map_err(io_error(staging))?;
    for file in &site.files {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        fs::write(&path, &file.bytes).map_err(io_error(&path))?;
    }
    Ok(())
}

/// Moves the old output aside, the new one into place, then deletes the old.
fn swap(staging: &Path, out: &Path, parent: &Path, name: &str) -> Result<(), OutputError> {
    let old = parent.join(format!(".{name}.procflow-old-{}", std::process::id()));
    let had_old = out.exists();
    if had_old {
        fs::rename(out, &old).map_err(io_error(out))?;
    }
    if let Err(source) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(&old, out);
        }
        return Err(OutputError::Io { path: out.to_path_buf(), source });
    }
    if had_old {
        fs::remove_dir_all(&old).map_err(io_error(&old))?;
    }
    Ok(())
}

fn absolute(path: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    };
    // Resolve `..` and `.` lexically; the folder may not exist yet.
    let mut out = PathBuf::new();
    for part in joined.components() {
        match part {
            std::path::Component::ParentDir => {
                out.pop();
            }
            std::path::Component::CurDir => {}
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::site::SiteFile;

    fn site(text: &str) -> Site {
        Site { files: vec![SiteFile { path: "a/b.html".into(), bytes: text.as_bytes().to_vec() }], diagrams: 0 }
    }

    #[test]
    fn replaces_the_old_site_completely() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("output");
        fs::create_dir_all(out.join("stale")).expect("mkdir");
        write_site(&site("one"), &out, &dir.path().join("project")).expect("written");
        assert_eq!(fs::read_to_string(out.join("a/b.html")).expect("file"), "one");
        assert!(!out.join("stale").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left");
    }

    #[test]
    fn refuses_to_overwrite_the_project() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = write_site(&site("x"), dir.path(), &dir.path().join("sub")).expect_err("refused");
        assert!(matches!(err, OutputError::Unsafe { .. }));
    }
}
