//! The models' recent history, for the site's "What changed" page and the
//! "last changed" line of every page: the last commits that changed the
//! project's models (or its `procflow.yaml`), each with its semantic diff
//! against its first parent, read from the repository with gix.
//!
//! Only first parents are followed, newest first, so the history is a line
//! and the same commits always give the same pages. A commit that leaves
//! the models as they were (a README edit) is skipped without reading them;
//! a commit whose files changed but whose meaning did not (a comment, a file
//! moved between folders) is skipped after the diff.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::Checked;
use crate::diff::{self, Change, Diff};
use crate::model::date_of_day;
use crate::revision::{self, RevisionError};
use crate::source::Sources;

/// How many commits that changed the models the site shows.
pub const COMMITS: usize = 10;
/// How many commits are looked at, at most, to find them: a repository whose
/// models rarely change still builds in bounded time.
const SCANNED: usize = 1_000;

/// The commits that changed the models, newest first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct History {
    pub commits: Vec<Commit>,
    /// Whether the list reaches back to the first commit of the models, so
    /// that everything in them was changed (added) by one of `commits`.
    pub complete: bool,
}

/// One commit that changed the models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Commit {
    /// The full hexadecimal id.
    pub id: String,
    /// Its first 10 characters, as pages show it.
    pub short: String,
    /// The committer's date, `YYYY-MM-DD` (UTC).
    pub date: String,
    pub author: String,
    /// The first line of the message.
    pub subject: String,
    /// What it changed, against its first parent (an empty project for the
    /// first commit).
    pub diff: Diff,
}

/// What a commit's models are: the ids of its settings blob and models tree.
type Fingerprint = (Option<gix::ObjectId>, Option<gix::ObjectId>);

/// A page's last change: the commit (an index into [`History::commits`]).
pub type LastChanges = BTreeMap<String, usize>;

impl History {
    /// For every page of a process, workflow or role that one of the commits
    /// changed, the newest such commit; keys are site paths
    /// (`processes/<id>.html`, `workflows/<id>.html`, `roles/<id>.html`).
    pub fn last_changes(&self) -> LastChanges {
        let mut last = LastChanges::new();
        for (k, commit) in self.commits.iter().enumerate() {
            let live = |change: &Change| *change != Change::Removed;
            let paths = commit
                .diff
                .processes
                .iter()
                .filter(|g| live(&g.change))
                .map(|g| format!("processes/{}.html", g.id))
                .chain(
                    commit
                        .diff
                        .workflows
                        .iter()
                        .filter(|g| live(&g.change))
                        .map(|g| format!("workflows/{}.html", g.id)),
                )
                .chain(commit.diff.roles.iter().filter(|r| live(&r.change)).map(|r| format!("roles/{}.html", r.id)));
            for path in paths {
                last.entry(path).or_insert(k);
            }
        }
        last
    }

    /// The oldest commit shown: pages changed by none of the commits were
    /// last changed before it.
    pub fn oldest(&self) -> Option<&Commit> {
        self.commits.last()
    }
}

/// The recent history of the project in folder `root`; `None` outside a git
/// repository or before its first commit. `models` is the project's models
/// folder, relative to `root`.
pub fn read(root: &Path, models: &Path) -> Result<Option<History>, RevisionError> {
    let Ok(repo) = gix::discover(root) else { return Ok(None) };
    let Ok(head) = repo.head_commit() else { return Ok(None) };
    let Some(workdir) = repo.workdir() else { return Ok(None) };
    let prefix = revision::relative_to(root, workdir).ok_or_else(|| RevisionError::Outside { path: root.into() })?;
    let settings = prefix.join("procflow.yaml");
    let models = revision::normal(&prefix.join(models)).unwrap_or_default();
    let read_error = |why: String| RevisionError::Read { path: root.into(), revision: "HEAD".into(), why };
    let fingerprint = |commit: &gix::Commit<'_>| -> Result<Fingerprint, String> {
        let tree = commit.tree().map_err(|e| e.to_string())?;
        let id_at = |path: &PathBuf| -> Result<Option<gix::ObjectId>, String> {
            Ok(tree.lookup_entry_by_path(path).map_err(|e| e.to_string())?.map(|entry| entry.object_id()))
        };
        Ok((id_at(&settings)?, id_at(&models)?))
    };
    let mut commits = Vec::new();
    let mut complete = false;
    let mut current = head;
    let mut current_print = fingerprint(&current).map_err(read_error)?;
    // The head side of the next diff, kept for the commit after it.
    let mut cached: Option<(Fingerprint, Checked)> = None;
    for _ in 0..SCANNED {
        let parent = match current.parent_ids().next() {
            Some(id) => Some(id.object().map_err(|e| read_error(e.to_string()))?.into_commit()),
            None => None,
        };
        let parent_print = match &parent {
            Some(p) => fingerprint(p).map_err(read_error)?,
            None => (None, None),
        };
        if parent_print != current_print && current_print.1.is_some() {
            let head_side = match cached.take() {
                Some((print, checked)) if print == current_print => checked,
                _ => checked_at(root, &current)?,
            };
            let base_side = match &parent {
                Some(p) if parent_print.1.is_some() => checked_at(root, p)?,
                _ => crate::check(&Sources::new()),
            };
            let diff = diff::diff(&base_side, &head_side, "", "");
            if !diff.is_empty() {
                commits.push(describe(&current, diff).map_err(read_error)?);
            }
            cached = Some((parent_print, base_side));
        }
        let Some(p) = parent.filter(|_| parent_print.1.is_some()) else {
            complete = true;
            break;
        };
        if commits.len() >= COMMITS {
            break;
        }
        current = p;
        current_print = parent_print;
    }
    Ok(Some(History { commits, complete }))
}

/// The project as commit `commit` holds it, checked.
fn checked_at(root: &Path, commit: &gix::Commit<'_>) -> Result<Checked, RevisionError> {
    match revision::read(root, &commit.id.to_string()) {
        Ok(sources) => Ok(crate::check(&sources)),
        Err(RevisionError::NoProject { .. }) => Ok(crate::check(&Sources::new())),
        Err(err) => Err(err),
    }
}

/// The commit's id, date, author and subject, with its diff.
fn describe(commit: &gix::Commit<'_>, diff: Diff) -> Result<Commit, String> {
    let id = commit.id.to_string();
    let time = commit.time().map_err(|e| e.to_string())?;
    let author = commit.author().map_err(|e| e.to_string())?.name.to_string();
    let subject = commit.message().map_err(|e| e.to_string())?.summary().to_string();
    Ok(Commit {
        short: id.chars().take(10).collect(),
        id,
        date: date_of_day(time.seconds.div_euclid(86_400)).0,
        author,
        subject,
        diff,
    })
}
