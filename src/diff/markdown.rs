//! The diff as Markdown for a pull-request comment: a summary table (GFM),
//! then one section per changed process and workflow, folded in a
//! `<details>` element when it is long. All user text is escaped, so a name
//! holding `|`, `<script>` or `*` stays text; text diffs go in fenced blocks
//! whose fence is longer than any backtick run they hold.

use std::fmt::Write;

use super::text::{field_phrase, group_title, item_title, summary};
use super::{CheckSide, Diff, FieldChange, Group, Item, tallies};
use crate::raci::markdown::escape;

/// Sections with more lines than this are folded.
const FOLD_AFTER: usize = 12;

/// The diff as Markdown.
pub fn render(diff: &Diff) -> String {
    let esc = |text: &str| escape(text);
    let mut out = String::new();
    let _ = writeln!(out, "## procflow diff: {} → {}\n", esc(&diff.base), esc(&diff.head));
    let _ = writeln!(out, "{}\n", esc(&summary(diff)));
    if diff.is_empty() {
        return out;
    }
    out.push_str("| | added | removed | changed |\n|---|---:|---:|---:|\n");
    for (label, tally) in tallies(diff) {
        let _ = writeln!(out, "| {label} | {} | {} | {} |", tally.added, tally.removed, tally.changed);
    }
    if !diff.roles.is_empty() {
        let mut lines = Vec::new();
        for item in &diff.roles {
            item_lines(item, &mut lines);
        }
        section("Roles", &lines, diff.roles.len(), &mut out);
    }
    for (kind, groups) in [("process", &diff.processes), ("workflow", &diff.workflows)] {
        for group in groups {
            let title = group_title(kind, group, &esc);
            let count = group.fields.len() + group.items.len();
            section(&format!("{}{}", sign(group.change.sign()), &title[1..]), &group_lines(group), count, &mut out);
        }
    }
    if !diff.checks.is_empty() {
        let lines: Vec<String> = diff
            .checks
            .iter()
            .map(|c| {
                let (mark, word) =
                    if c.change == CheckSide::Appeared { ('+', "appeared") } else { ('-', "disappeared") };
                format!("- {} {word}: {}\\[{}\\]: {}", sign(mark), c.severity, c.code, esc(&c.message))
            })
            .collect();
        section("Check results", &lines, lines.len(), &mut out);
    }
    out
}

/// A heading and its lines, folded when there are many, the fold saying how
/// many `changes` it holds.
fn section(title: &str, lines: &[String], changes: usize, out: &mut String) {
    let _ = writeln!(out, "\n### {title}\n");
    let fold = lines.len() > FOLD_AFTER;
    if fold {
        let noun = if changes == 1 { "change" } else { "changes" };
        let _ = writeln!(out, "<details><summary>{changes} {noun}</summary>\n");
    }
    for line in lines {
        let _ = writeln!(out, "{line}");
    }
    if fold {
        out.push_str("\n</details>\n");
    }
}

fn group_lines(group: &Group) -> Vec<String> {
    let mut lines = Vec::new();
    for field in &group.fields {
        field_lines(field, "", &mut lines);
    }
    for item in &group.items {
        item_lines(item, &mut lines);
    }
    lines
}

fn item_lines(item: &Item, lines: &mut Vec<String>) {
    let title = item_title(item, &|t: &str| escape(t));
    // The sign starts the line, where Markdown would take `+`/`-` for a bullet.
    lines.push(format!("- {}{}", sign(item.change.sign()), &title[1..]));
    for field in &item.fields {
        field_lines(field, "  ", lines);
    }
}

fn field_lines(field: &FieldChange, indent: &str, lines: &mut Vec<String>) {
    let (sign, phrase) = field_phrase(field, &|t: &str| escape(t));
    let sign = if sign == ' ' { String::new() } else { format!("{} ", self::sign(sign)) };
    lines.push(format!("{indent}- {sign}{phrase}"));
    if field.lines.is_empty() {
        return;
    }
    let body: Vec<String> = field.lines.iter().map(|l| format!("{} {}", l.sign, l.text)).collect();
    let fence = "`".repeat(longest_backtick_run(&body).max(2) + 1);
    lines.push(String::new());
    lines.push(format!("{indent}  {fence}diff"));
    for line in body {
        lines.push(format!("{indent}  {line}"));
    }
    lines.push(format!("{indent}  {fence}"));
    lines.push(String::new());
}

/// A change sign escaped, so Markdown never reads it as a list bullet or
/// strikethrough.
fn sign(sign: char) -> &'static str {
    match sign {
        '+' => "\\+",
        '-' => "\\-",
        _ => "\\~",
    }
}

fn longest_backtick_run(lines: &[String]) -> usize {
    lines.iter().flat_map(|l| l.split(|c| c != '`')).map(str::len).max().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_sections_fold_and_fences_outgrow_the_text() {
        let mut out = String::new();
        section("x", &vec!["- line".to_string(); FOLD_AFTER + 1], 13, &mut out);
        assert!(out.contains("<details><summary>13 changes</summary>\n") && out.ends_with("</details>\n"), "{out}");
        let mut short = String::new();
        section("x", &["- line".to_string()], 1, &mut short);
        assert!(!short.contains("details"));
        assert_eq!(longest_backtick_run(&["a ```` b".to_string(), "`".to_string()]), 4);
    }
}
