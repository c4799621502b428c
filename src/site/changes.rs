//! The "What changed" page: the last commits that changed the models, newest
//! first, each with what it meant — processes, workflows and roles added,
//! removed or changed, and how many of their parts — so a reader sees what
//! moved in the process documentation without reading YAML diffs.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use super::esc;
use crate::compile::Model;
use crate::diff::{Change, Group};
use crate::history::History;

/// Elements listed per commit, at most: the commit that adds a large project
/// would otherwise list every one of it.
const ENTRIES: usize = 25;

/// The page's path from the site root.
pub(super) const PATH: &str = "changes.html";

/// The page body: one entry per commit, anchored `#commit-<short id>`.
pub(super) fn body(history: &History, model: &Model) -> String {
    if history.commits.is_empty() {
        return "<p>No commit has changed the models yet.</p>".into();
    }
    let reach = if history.complete { ", back to the commit that added them" } else { "" };
    let mut out = format!(
        "<p>The {} commits that changed the models, newest first{reach}. \
         <code>procflow diff</code> shows any change in full.</p><ol class=\"commits\">",
        history.commits.len()
    );
    for commit in &history.commits {
        let _ = write!(
            out,
            "<li id=\"commit-{short}\"><h2>{subject}</h2>\
             <p class=\"commit-meta\"><time datetime=\"{date}\">{date}</time> · {author} · <code>{short}</code></p>\
             <p>{summary}</p><ul>",
            short = esc(&commit.short),
            subject = esc(&commit.subject),
            date = esc(&commit.date),
            author = esc(&commit.author),
            summary = esc(&crate::diff::text::summary(&commit.diff)),
        );
        let roles = commit.diff.roles.iter().map(|role| {
            let name = model.role_by_id(&role.id).map(|r| model.role(r).name.as_str());
            entry("Role", "roles", &role.id, name, &role.change, "")
        });
        let groups =
            [("Process", "processes", &commit.diff.processes), ("Workflow", "workflows", &commit.diff.workflows)]
                .into_iter()
                .flat_map(|(word, folder, groups)| {
                    groups.iter().map(move |g| entry(word, folder, &g.id, Some(&g.name), &g.change, &parts(g)))
                });
        let lines: Vec<String> = roles.chain(groups).collect();
        for line in lines.iter().take(ENTRIES) {
            out.push_str(line);
        }
        if lines.len() > ENTRIES {
            let _ = write!(out, "<li>and {} more</li>", lines.len() - ENTRIES);
        }
        out.push_str("</ul></li>");
    }
    out.push_str("</ol>");
    out
}

/// One line of a commit's list: the element, linked unless it is gone, how
/// it changed and, for processes and workflows, what changed in it.
fn entry(word: &str, folder: &str, id: &str, name: Option<&str>, change: &Change, parts: &str) -> String {
    let shown = esc(name.filter(|n| !n.is_empty()).unwrap_or(id));
    let title =
        if *change == Change::Removed { shown } else { format!("<a href=\"{folder}/{}.html\">{shown}</a>", esc(id)) };
    let how = match change {
        Change::Renamed { from } => format!("renamed from <code>{}</code>", esc(from)),
        other => other.word().to_string(),
    };
    let parts = if parts.is_empty() { String::new() } else { format!(": {parts}") };
    format!("<li>{word} {title} {how}{parts}</li>")
}

/// What changed inside a process or workflow: its own fields by name, then
/// its parts counted by kind and change (`2 steps added, 1 flow removed`).
fn parts(group: &Group) -> String {
    let mut out: Vec<String> = Vec::new();
    if group.change == Change::Changed && !group.fields.is_empty() {
        let fields: Vec<&str> = group.fields.iter().map(|f| f.field.as_str()).collect();
        out.push(esc(&fields.join(", ")));
    }
    let mut counts: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for item in &group.items {
        *counts.entry((item.element.word(), item.change.word())).or_default() += 1;
    }
    for ((word, how), n) in counts {
        let plural = if n == 1 { word.to_string() } else { format!("{word}s") };
        out.push(format!("{n} {plural} {how}"));
    }
    out.join(", ")
}
