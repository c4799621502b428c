//! Markdown output of the RACI views: GitHub-flavoured tables for wikis.
//!
//! Every user string goes through [`escape`], which backslash-escapes the
//! characters that Markdown or a GFM table would act on (`|`, `*`, `_`, `` ` ``,
//! `[`, `<`, `&`, ...) and folds line breaks into spaces, so a name is always
//! shown as written and never becomes a link, HTML or a broken table. This module
//! only formats: it must not derive anything from the model.

use std::fmt::Write as _;

use super::{Analysis, Letters, Matrix, MatrixKind, RoleView, letter_meaning};

/// The matrix, its legend and its analysis as Markdown.
pub fn matrix(matrix: &Matrix) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", escape(&matrix.title));
    if matrix.kind == MatrixKind::Process
        && let Some(owner) = matrix.processes.first().and_then(|g| g.owner.as_ref())
    {
        let _ = writeln!(out, "Process owner: {}\n", escape(&owner.name));
    }
    out.push_str("| Activity |");
    for role in &matrix.roles {
        let _ = write!(out, " {} |", escape(&role.name));
    }
    out.push_str("\n| :--- |");
    out.push_str(&" :---: |".repeat(matrix.roles.len()));
    out.push('\n');
    let empty_cells = " |".repeat(matrix.roles.len());
    for group in &matrix.processes {
        if matrix.kind == MatrixKind::CrossProcess {
            let _ = write!(out, "| **{}**", escape(&group.process.name));
            if let Some(owner) = &group.owner {
                let _ = write!(out, " (owner: {})", escape(&owner.name));
            }
            let _ = writeln!(out, " |{empty_cells}");
        }
        for row in &group.activities {
            let _ = write!(out, "| {} |", escape(&row.name));
            for cell in &row.cells {
                out.push_str(&cell_text(*cell));
            }
            out.push('\n');
        }
    }
    out.push('\n');
    legend(&mut out);
    analysis(&mut out, &matrix.analysis);
    out
}

fn cell_text(cell: Letters) -> String {
    if cell.is_empty() { " |".to_string() } else { format!(" {} |", cell.label()) }
}

fn legend(out: &mut String) {
    let parts: Vec<String> = Letters::RACI_ORDER
        .iter()
        .map(|l| {
            let (name, meaning) = letter_meaning(*l);
            format!("**{}** = {name} ({meaning})", super::letter_str(*l))
        })
        .collect();
    let _ = writeln!(out, "{}\n", parts.join(" · "));
}

fn analysis(out: &mut String, analysis: &Analysis) {
    out.push_str("### Workload per role\n\n");
    out.push_str("| Role | R | A | C | I | Review |\n| :--- | ---: | ---: | ---: | ---: | :--- |\n");
    for role in &analysis.roles {
        let flags: Vec<String> = role.flags.iter().map(|f| format!("⚠ {}", escape(&f.message()))).collect();
        let c = role.counts;
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            escape(&role.role.name),
            c.r,
            c.a,
            c.c,
            c.i,
            flags.join("; ")
        );
    }
    let _ = writeln!(
        out,
        "\nA role is flagged when it is Accountable for more than {} activities, or when steps in its lane realize activities it is not Responsible for at all.\n",
        analysis.max_accountable
    );
    out.push_str("### Activities to review\n\n");
    if analysis.activities.is_empty() {
        out.push_str("None: every activity has exactly one Accountable and at least one Responsible role, is realized by a workflow step, and every step realizing it lies in the lane of a Responsible or Accountable role.\n");
        return;
    }
    for review in &analysis.activities {
        let issues: Vec<String> = review.issues.iter().map(|i| escape(&i.message())).collect();
        let _ = writeln!(
            out,
            "- **{}** ({}): {}",
            escape(&review.activity.name),
            escape(&format!("{}/{}", review.activity.process, review.activity.id)),
            issues.join("; ")
        );
    }
}

/// The role view as Markdown: ownership, letters by process, steps with links.
pub fn role(view: &RoleView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "## {}\n", escape(&view.title()));
    if let Some(group) = &view.group {
        let _ = writeln!(out, "Group: {}\n", escape(group));
    }
    out.push_str("### Processes owned\n\n");
    if view.owns.is_empty() {
        out.push_str("None.\n\n");
    } else {
        for p in &view.owns {
            let _ = writeln!(out, "- {}", escape(&p.name));
        }
        out.push('\n');
    }
    out.push_str("### Activities\n\n");
    if view.assignments.is_empty() {
        out.push_str("The role holds no RACI letter.\n\n");
    } else {
        out.push_str("| Process | Activity | RACI |\n| :--- | :--- | :---: |\n");
        for group in &view.assignments {
            for a in &group.activities {
                let _ =
                    writeln!(out, "| {} | {} | {} |", escape(&group.process.name), escape(&a.name), a.letters.label());
            }
        }
        out.push('\n');
        legend(&mut out);
    }
    out.push_str("### Steps performed\n\n");
    if view.workflows.is_empty() {
        out.push_str("The role performs no step in any workflow.\n\n");
    } else {
        for w in &view.workflows {
            let _ = writeln!(out, "**{}**\n", escape(&w.workflow_name));
            for s in &w.steps {
                // Links are built from ids only, which need no escaping.
                let _ = write!(out, "- [{}]({})", escape(&s.step.name), s.step.href);
                if !s.realizes.is_empty() {
                    let names: Vec<String> = s.realizes.iter().map(|a| escape(&a.name)).collect();
                    let _ = write!(out, ", realizes {}", names.join(", "));
                }
                out.push('\n');
            }
            out.push('\n');
        }
    }
    out.push_str("### Review\n\n");
    let c = view.summary.counts;
    let _ = writeln!(out, "Letters held: R {}, A {}, C {}, I {}.\n", c.r, c.a, c.c, c.i);
    if view.summary.flags.is_empty() {
        out.push_str("Nothing to review.\n");
    }
    for flag in &view.summary.flags {
        let _ = writeln!(out, "- ⚠ {}", escape(&flag.message()));
    }
    out
}

/// Escapes user text for inline Markdown and GFM table cells.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&' | '#' | '!' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '\r' | '\n' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escape_neutralises_markdown_and_table_syntax() {
        assert_eq!(escape("<b>|*x*|</b>"), "\\<b\\>\\|\\*x\\*\\|\\</b\\>");
        assert_eq!(escape("a\nb [l](u) &amp;"), "a b \\[l\\](u) \\&amp;");
    }
}
