//! The diff as terminal text: one line per changed element, its field
//! changes indented under it, `+` added, `-` removed, `~` changed, coloured
//! when the caller says the output is a terminal that takes colour. The
//! phrases (`lane: cab → change-manager`) are shared with the Markdown report,
//! which escapes the user's text through the `esc` they take.

use std::fmt::Write;

use super::{Change, CheckSide, Diff, FieldChange, Group, Item, Tally, tallies};

const GREEN: &str = "\x1b[32m";
const RED: &str = "\x1b[31m";
const YELLOW: &str = "\x1b[33m";
const BOLD: &str = "\x1b[1m";
const RESET: &str = "\x1b[0m";

/// The diff as text; `color` adds ANSI colours.
pub fn render(diff: &Diff, color: bool) -> String {
    let paint = |sign: char, text: &str| -> String {
        let code = match sign {
            '+' => GREEN,
            '-' => RED,
            '~' => YELLOW,
            _ => return text.to_string(),
        };
        if color { format!("{code}{text}{RESET}") } else { text.to_string() }
    };
    let bold = |text: &str| if color { format!("{BOLD}{text}{RESET}") } else { text.to_string() };
    let plain = |text: &str| text.to_string();
    let mut out = String::new();
    let _ = writeln!(out, "{}", bold(&format!("procflow diff {} → {}", diff.base, diff.head)));
    if !diff.roles.is_empty() {
        let _ = writeln!(out, "\n{}", bold("roles"));
        for item in &diff.roles {
            item_lines(item, &plain, &paint, &mut out);
        }
    }
    for (kind, groups) in [("process", &diff.processes), ("workflow", &diff.workflows)] {
        for group in groups {
            let _ = writeln!(out, "\n{}", paint(group.change.sign(), &bold(&group_title(kind, group, &plain))));
            for field in &group.fields {
                field_lines(field, "  ", &plain, &paint, &mut out);
            }
            for item in &group.items {
                item_lines(item, &plain, &paint, &mut out);
            }
        }
    }
    if !diff.checks.is_empty() {
        let _ = writeln!(out, "\n{}", bold("check results"));
        for check in &diff.checks {
            let sign = if check.change == CheckSide::Appeared { '+' } else { '-' };
            let line = format!("  {sign} {}[{}]: {}", check.severity, check.code, check.message);
            let _ = writeln!(out, "{}", paint(sign, &line));
        }
    }
    let _ = writeln!(out, "\n{}", summary(diff));
    out
}

/// `process change-management "Change management" (added)`.
pub(super) fn group_title(kind: &str, group: &Group, esc: &dyn Fn(&str) -> String) -> String {
    let what = match &group.change {
        Change::Added => " (added)",
        Change::Removed => " (removed)",
        _ => "",
    };
    format!("{} {kind} {} \"{}\"{what}", group.change.sign(), esc(&group.id), esc(&group.name))
}

/// `+ step notify: user task "Notify" in lane cab`, `~ role lead (renamed from manager)`.
pub(super) fn item_title(item: &Item, esc: &dyn Fn(&str) -> String) -> String {
    let tail = match &item.change {
        Change::Renamed { from } => format!(" (renamed from {})", esc(from)),
        Change::Added | Change::Removed if !item.summary.is_empty() => format!(": {}", esc(&item.summary)),
        _ => String::new(),
    };
    format!("{} {} {}{tail}", item.change.sign(), item.element.word(), esc(&item.id))
}

/// `lane: cab → change-manager`, `+ objectives: fewer failed changes`,
/// `- owner: cab`; the line diff is not part of it.
pub(super) fn field_phrase(field: &FieldChange, esc: &dyn Fn(&str) -> String) -> (char, String) {
    let name = esc(&field.field);
    match (&field.before, &field.after) {
        _ if !field.lines.is_empty() => ('~', format!("{name}:")),
        (Some(before), Some(after)) => ('~', format!("{name}: {} → {}", esc(before), esc(after))),
        (None, Some(after)) => ('+', format!("{name}: {}", esc(after))),
        (Some(before), None) => ('-', format!("{name}: {}", esc(before))),
        (None, None) => (' ', name),
    }
}

fn item_lines(item: &Item, esc: &dyn Fn(&str) -> String, paint: &dyn Fn(char, &str) -> String, out: &mut String) {
    let _ = writeln!(out, "  {}", paint(item.change.sign(), &item_title(item, esc)));
    for field in &item.fields {
        field_lines(field, "      ", esc, paint, out);
    }
}

fn field_lines(
    field: &FieldChange,
    indent: &str,
    esc: &dyn Fn(&str) -> String,
    paint: &dyn Fn(char, &str) -> String,
    out: &mut String,
) {
    let (sign, phrase) = field_phrase(field, esc);
    let _ = writeln!(out, "{indent}{}", paint(sign, &format!("{sign} {phrase}")));
    for line in &field.lines {
        let _ = writeln!(out, "{indent}  {}", paint(line.sign, &format!("{} {}", line.sign, line.text)));
    }
}

/// The closing line: `no semantic change`, or the counts per kind
/// (`steps: 2 added, 1 changed; check results: 1 appeared`).
pub fn summary(diff: &Diff) -> String {
    if diff.is_empty() {
        return "no semantic change".to_string();
    }
    let parts: Vec<String> = tallies(diff)
        .into_iter()
        .filter(|(_, t)| *t != Tally::default())
        .map(|(label, t)| {
            let words = if label == "check results" { ["appeared", "disappeared"] } else { ["added", "removed"] };
            let mut counts = Vec::new();
            for (n, word) in [(t.added, words[0]), (t.removed, words[1]), (t.changed, "changed")] {
                if n > 0 {
                    counts.push(format!("{n} {word}"));
                }
            }
            format!("{label}: {}", counts.join(", "))
        })
        .collect();
    parts.join("; ")
}
