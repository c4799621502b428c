//! Writing a built site to disk without ever leaving a half-written one: files
//! go into a temporary folder beside the output folder, which is swapped in
//! only when complete. Like `project.rs`, this module does the I/O the
//! pipeline's stages never do.

use std::collections::HashMap;
use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use crate::site::{Site, SiteDelta};

/// Why the site could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("{path}: the output folder must not be the project folder or contain it")]
    Unsafe { path: PathBuf },
    #[error(
        "{path}: the folder is not empty and was not written by procflow; choose another output folder (or empty it)"
    )]
    Foreign { path: PathBuf },
    #[error("{path}: this is {kind}, not a folder; name a folder for the site (it is created if it does not exist)")]
    NotAFolder { path: PathBuf, kind: &'static str },
    #[error(
        "{path}: this is a symbolic link; name the folder it points to ({target}), so that the link is not replaced by a folder"
    )]
    Symlink { path: PathBuf, target: PathBuf },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// Writes `site` into `out`, replacing what was there only once every file is
/// written. `project` is the project folder: `out` may not be it or an
/// ancestor of it, so a mistyped `-o` can never delete the models.
pub fn write_site(site: &Site, out: &Path, project: &Path) -> Result<(), OutputError> {
    check_target(out, project)?;
    let out_abs = absolute(out);
    let parent = out_abs.parent().map(Path::to_path_buf).unwrap_or_else(|| PathBuf::from("."));
    fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    let name = out_abs.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "output".into());
    let work = WorkFolders::claim(&parent, &name)?;
    remove_leftovers(&parent, &name);
    let result = write_files(site, &work.staging).and_then(|()| swap(&work.staging, &out_abs, &work.old));
    if result.is_err() {
        let _ = fs::remove_dir_all(&work.staging);
    }
    work.release();
    result
}

/// Whether [`write_site`] may write into `out`: callers check before the
/// (long) build, so a wrong `-o` is reported at once, and `write_site`
/// checks again before it touches anything.
pub fn check_target(out: &Path, project: &Path) -> Result<(), OutputError> {
    let out_abs = absolute(out);
    if absolute(project).starts_with(&out_abs) {
        return Err(OutputError::Unsafe { path: out.to_path_buf() });
    }
    check_replaceable(out, &out_abs)
}

/// Refuses, before anything is touched, an output path that is not a folder
/// procflow may replace: a file or device (it would be moved away), a
/// symbolic link (it would be replaced by a folder), or a folder that is
/// neither empty nor holds the marker (a mistyped `-o ~` must not wipe a
/// home folder). A path that does not exist yet is fine.
fn check_replaceable(out: &Path, out_abs: &Path) -> Result<(), OutputError> {
    let meta = match fs::symlink_metadata(out_abs) {
        Ok(meta) => meta,
        Err(err) if err.kind() == io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(OutputError::Io { path: out.to_path_buf(), source }),
    };
    let file_type = meta.file_type();
    if file_type.is_symlink() {
        let target = fs::read_link(out_abs).unwrap_or_default();
        return Err(OutputError::Symlink { path: out.to_path_buf(), target });
    }
    if !file_type.is_dir() {
        let kind = if file_type.is_file() { "a file" } else { "a device, socket or pipe" };
        return Err(OutputError::NotAFolder { path: out.to_path_buf(), kind });
    }
    if !out_abs.join(MARKER).is_file() {
        let mut entries = fs::read_dir(out_abs).map_err(io_error(out_abs))?;
        if entries.next().is_some() {
            return Err(OutputError::Foreign { path: out.to_path_buf() });
        }
    }
    Ok(())
}

/// The temporary folders of one write beside the output folder (the new site
/// being written, the old one being deleted), and the lock that tells other
/// builds they are in use. The lock file is created and locked before either
/// folder exists and removed only after both are gone, so a folder whose lock
/// can be taken belongs to a build that was killed.
struct WorkFolders {
    staging: PathBuf,
    old: PathBuf,
    lock_path: PathBuf,
    lock: fs::File,
}

/// Tells apart the writes of one process (tests write several sites at once).
static WRITES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl WorkFolders {
    fn claim(parent: &Path, name: &str) -> Result<WorkFolders, OutputError> {
        let n = WRITES.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let tag = format!("{}-{n}", std::process::id());
        let lock_path = parent.join(format!(".{name}.procflow-{tag}.lock"));
        let lock = fs::File::create(&lock_path).map_err(io_error(&lock_path))?;
        lock.lock().map_err(io_error(&lock_path))?;
        let staging = parent.join(format!(".{name}.procflow-new-{tag}"));
        let old = parent.join(format!(".{name}.procflow-old-{tag}"));
        Ok(WorkFolders { staging, old, lock_path, lock })
    }

    fn release(self) {
        let _ = fs::remove_file(&self.lock_path);
        drop(self.lock);
    }
}

/// Deletes what builds killed half-way (power cut, `kill -9`) left beside the
/// output folder `name`: their staging copies and old sites. Folders of
/// builds still running (their lock is held) are left alone. Best effort: a
/// leftover that cannot be deleted costs disk space, not correctness.
fn remove_leftovers(parent: &Path, name: &str) {
    let Ok(entries) = fs::read_dir(parent) else { return };
    let prefix = format!(".{name}.procflow-");
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(rest) = file_name.strip_prefix(&prefix) else { continue };
        let Some(tag) = rest.strip_prefix("new-").or_else(|| rest.strip_prefix("old-")) else { continue };
        let lock_path = parent.join(format!("{prefix}{tag}.lock"));
        let held_elsewhere = match fs::File::open(&lock_path) {
            Ok(lock) => matches!(lock.try_lock(), Err(fs::TryLockError::WouldBlock)),
            Err(_) => false,
        };
        if !held_elsewhere {
            let _ = fs::remove_dir_all(entry.path());
            let _ = fs::remove_file(&lock_path);
        }
    }
}

/// The file that marks a folder as a site procflow wrote and may replace.
pub const MARKER: &str = ".procflow-site";

fn write_files(site: &Site, staging: &Path) -> Result<(), OutputError> {
    fs::create_dir_all(staging).map_err(io_error(staging))?;
    let marker = staging.join(MARKER);
    fs::write(&marker, "This folder is generated by procflow build and replaced on every build.\n")
        .map_err(io_error(&marker))?;
    for file in &site.files {
        let path = staging.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        fs::write(&path, &file.bytes).map_err(io_error(&path))?;
    }
    Ok(())
}

/// Moves the old output aside (to `old`), the new one into place, then
/// deletes the old.
fn swap(staging: &Path, out: &Path, old: &Path) -> Result<(), OutputError> {
    let had_old = out.exists();
    if had_old {
        fs::rename(out, old).map_err(io_error(out))?;
    }
    if let Err(source) = fs::rename(staging, out) {
        if had_old {
            let _ = fs::rename(old, out);
        }
        return Err(OutputError::Io { path: out.to_path_buf(), source });
    }
    if had_old {
        fs::remove_dir_all(old).map_err(io_error(old))?;
    }
    Ok(())
}

/// Writes the files of `delta` that differ from what is in `out` and deletes
/// the removed ones: how `build --watch` updates a site in place after its
/// first full [`write_site`]. `written` holds a hash of every file's bytes as
/// last written (start it empty: the first delta writes everything it names).
/// Each file is written to a temporary name and renamed, so a web server
/// reading the folder never sees half a file. Returns how many paths changed.
pub fn apply_delta(out: &Path, delta: &SiteDelta, written: &mut HashMap<String, u64>) -> Result<usize, OutputError> {
    let mut changed = 0;
    for file in &delta.files {
        let hash = crate::source::hash_of(&file.bytes);
        if written.get(&file.path) == Some(&hash) {
            continue;
        }
        let path = out.join(&file.path);
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).map_err(io_error(dir))?;
        }
        let temporary = path.with_file_name(format!(
            ".{}.procflow-new",
            path.file_name().map(|n| n.to_string_lossy()).unwrap_or_default()
        ));
        fs::write(&temporary, &file.bytes).map_err(io_error(&temporary))?;
        fs::rename(&temporary, &path).map_err(io_error(&path))?;
        written.insert(file.path.clone(), hash);
        changed += 1;
    }
    for removed in &delta.removed {
        let path = out.join(removed);
        match fs::remove_file(&path) {
            Err(err) if err.kind() != io::ErrorKind::NotFound => return Err(OutputError::Io { path, source: err }),
            _ => {}
        }
        written.remove(removed);
        changed += 1;
    }
    Ok(changed)
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
        Site { files: vec![SiteFile { path: "a/b.html".into(), bytes: text.as_bytes().to_vec() }], ..Site::default() }
    }

    #[test]
    fn replaces_the_old_site_completely() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("output");
        write_site(&site("zero"), &out, &dir.path().join("project")).expect("written");
        fs::create_dir_all(out.join("stale")).expect("mkdir");
        write_site(&site("one"), &out, &dir.path().join("project")).expect("written");
        assert_eq!(fs::read_to_string(out.join("a/b.html")).expect("file"), "one");
        assert!(!out.join("stale").exists());
        let leftovers: Vec<_> = fs::read_dir(dir.path()).expect("dir").collect();
        assert_eq!(leftovers.len(), 1, "no staging folders left");
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("documents");
        fs::create_dir_all(&out).expect("mkdir");
        fs::write(out.join("thesis.txt"), "precious").expect("write");
        let err = write_site(&site("x"), &out, &dir.path().join("project")).expect_err("refused");
        assert!(matches!(err, OutputError::Foreign { .. }));
        assert_eq!(fs::read_to_string(out.join("thesis.txt")).expect("kept"), "precious");
    }

    #[test]
    fn build_into_an_existing_file_leaves_it_untouched() {
        let dir = tempfile::tempdir().expect("tempdir");
        let notes = dir.path().join("notes.txt");
        fs::write(&notes, "precious").expect("write");
        let err = write_site(&site("x"), &notes, &dir.path().join("project")).expect_err("refused");
        assert!(matches!(err, OutputError::NotAFolder { kind: "a file", .. }), "{err}");
        assert_eq!(fs::read_to_string(&notes).expect("kept"), "precious");
        let names: Vec<_> = fs::read_dir(dir.path()).expect("dir").map(|e| e.expect("entry").file_name()).collect();
        assert_eq!(names, ["notes.txt"], "nothing renamed or left beside it");
    }

    #[cfg(unix)]
    #[test]
    fn build_into_a_device_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = write_site(&site("x"), Path::new("/dev/null"), dir.path()).expect_err("refused");
        assert!(matches!(err, OutputError::NotAFolder { .. }), "{err}");
        assert!(Path::new("/dev/null").exists());
    }

    #[cfg(unix)]
    #[test]
    fn build_into_a_symlink_keeps_the_link() {
        let dir = tempfile::tempdir().expect("tempdir");
        let target = dir.path().join("www");
        fs::create_dir_all(&target).expect("mkdir");
        let link = dir.path().join("site");
        std::os::unix::fs::symlink(&target, &link).expect("symlink");
        let err = write_site(&site("x"), &link, &dir.path().join("project")).expect_err("refused");
        assert!(matches!(err, OutputError::Symlink { .. }), "{err}");
        assert!(fs::symlink_metadata(&link).expect("link").file_type().is_symlink());
        // The folder it points to is a fine output.
        write_site(&site("x"), &target, &dir.path().join("project")).expect("written");
    }

    #[test]
    fn staging_folders_of_killed_builds_are_removed() {
        let dir = tempfile::tempdir().expect("tempdir");
        let out = dir.path().join("output");
        // An old-style leftover (no lock), and one with a lock nobody holds.
        fs::create_dir_all(dir.path().join(".output.procflow-new-4242/workflows")).expect("mkdir");
        fs::create_dir_all(dir.path().join(".output.procflow-old-77-3")).expect("mkdir");
        fs::write(dir.path().join(".output.procflow-77-3.lock"), "").expect("lock file");
        // A build still running holds its lock: its folder stays.
        let live_lock = dir.path().join(".output.procflow-99-1.lock");
        let held = fs::File::create(&live_lock).expect("lock file");
        held.lock().expect("locked");
        fs::create_dir_all(dir.path().join(".output.procflow-new-99-1")).expect("mkdir");
        write_site(&site("x"), &out, &dir.path().join("project")).expect("written");
        let mut names: Vec<String> = fs::read_dir(dir.path())
            .expect("dir")
            .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(names, [".output.procflow-99-1.lock", ".output.procflow-new-99-1", "output"]);
    }

    #[test]
    fn refuses_to_overwrite_the_project() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = write_site(&site("x"), dir.path(), &dir.path().join("sub")).expect_err("refused");
        assert!(matches!(err, OutputError::Unsafe { .. }));
    }
}
