//! HTML fragments of the RACI views, for the site and for pasting into pages.
//!
//! Accessible tables: a `<caption>`, `scope`d header cells, one `<tbody>` per
//! process with a `rowgroup` header, and cells that carry the letter as text (the
//! `raci-a`, `raci-r`, `raci-c`, `raci-i` classes are for colour only), followed by
//! a legend (its letters classed like the cells) and the analysis. No inline styles and no scripts: the page's
//! stylesheet decides the look. Every user string is escaped. This module only
//! formats: it must not derive anything from the model.

use std::fmt::Write as _;

use super::{Analysis, Letters, Matrix, MatrixKind, RoleView, escape_xml as esc, letter_meaning, letter_str};

/// The matrix, its legend and its analysis as an HTML fragment.
pub fn matrix(matrix: &Matrix) -> String {
    let mut out = String::new();
    let slug = matrix.slug();
    let _ = writeln!(out, "<div class=\"procflow-raci\" id=\"raci-{slug}\">");
    // Wide matrices scroll in this box (the site keeps the header row and
    // first column in view): it takes keyboard focus so the arrow keys
    // scroll it, and is named after the matrix.
    let _ = writeln!(
        out,
        "<div class=\"raci-scroll\" role=\"region\" tabindex=\"0\" aria-label=\"{}\">",
        esc(&matrix.title)
    );
    let _ = writeln!(out, "<table class=\"raci-matrix\">\n<caption>{}</caption>", esc(&matrix.title));
    out.push_str("<thead>\n<tr><th scope=\"col\">Activity</th>");
    for role in &matrix.roles {
        let _ = write!(out, "<th scope=\"col\" class=\"raci-role\">{}</th>", esc(&role.name));
    }
    out.push_str("</tr>\n</thead>\n");
    let span = matrix.roles.len() + 1;
    for group in &matrix.processes {
        out.push_str("<tbody>\n");
        if matrix.kind == MatrixKind::CrossProcess || group.owner.is_some() {
            let _ = write!(
                out,
                "<tr class=\"raci-group\"><th scope=\"rowgroup\" colspan=\"{span}\">{}",
                esc(&group.process.name)
            );
            if let Some(owner) = &group.owner {
                let _ = write!(out, " <span class=\"raci-owner\">(owner: {})</span>", esc(&owner.name));
            }
            out.push_str("</th></tr>\n");
        }
        for row in &group.activities {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&row.name));
            for cell in &row.cells {
                push_cell(&mut out, *cell);
            }
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n</div>\n");
    legend(&mut out);
    analysis(&mut out, &matrix.analysis);
    out.push_str("</div>\n");
    out
}

fn push_cell(out: &mut String, cell: Letters) {
    if cell.is_empty() {
        out.push_str("<td></td>");
        return;
    }
    out.push_str("<td class=\"raci-cell");
    for letter in cell.iter() {
        let _ = write!(out, " raci-{}", letter_str(letter).to_ascii_lowercase());
    }
    let _ = write!(out, "\">{}</td>", cell.label());
}

fn legend(out: &mut String) {
    out.push_str("<dl class=\"raci-legend\">\n");
    for letter in Letters::RACI_ORDER {
        let (name, meaning) = letter_meaning(letter);
        let letter = letter_str(letter);
        let class = letter.to_ascii_lowercase();
        let _ = writeln!(out, "<dt class=\"raci-cell raci-{class}\">{letter}</dt><dd>{name}: {meaning}</dd>");
    }
    out.push_str("</dl>\n");
}

fn analysis(out: &mut String, analysis: &Analysis) {
    out.push_str("<table class=\"raci-workload\">\n<caption>Workload per role</caption>\n<thead>\n<tr><th scope=\"col\">Role</th>");
    for letter in Letters::RACI_ORDER {
        let _ = write!(
            out,
            "<th scope=\"col\"><abbr title=\"{}\">{}</abbr></th>",
            letter_meaning(letter).0,
            letter_str(letter)
        );
    }
    out.push_str("<th scope=\"col\">Review</th></tr>\n</thead>\n<tbody>\n");
    for role in &analysis.roles {
        let class = if role.flags.is_empty() { "" } else { " class=\"raci-flagged\"" };
        let _ = write!(out, "<tr{class}><th scope=\"row\">{}</th>", esc(&role.role.name));
        for letter in Letters::RACI_ORDER {
            let _ = write!(out, "<td>{}</td>", role.counts.get(letter));
        }
        out.push_str("<td>");
        push_list(out, role.flags.iter().map(|f| f.message()));
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    let _ = writeln!(
        out,
        "<p class=\"raci-note\">A role is flagged when it is Accountable for more than {} activities, or when steps in its lane realize activities it is not Responsible for at all.</p>",
        analysis.max_accountable
    );
    if analysis.activities.is_empty() {
        out.push_str("<p class=\"raci-review-none\">No activity to review: every activity has exactly one Accountable and at least one Responsible role, is realized by a workflow step, and every step realizing it lies in the lane of a Responsible or Accountable role.</p>\n");
        return;
    }
    out.push_str("<table class=\"raci-review\">\n<caption>Activities to review</caption>\n<thead>\n<tr><th scope=\"col\">Activity</th><th scope=\"col\">Process</th><th scope=\"col\">Issues</th></tr>\n</thead>\n<tbody>\n");
    for review in &analysis.activities {
        let _ = write!(
            out,
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>",
            esc(&review.activity.name),
            esc(&review.activity.process)
        );
        push_list(out, review.issues.iter().map(|i| i.message()));
        out.push_str("</td></tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
}

fn push_list(out: &mut String, items: impl Iterator<Item = String>) {
    let items: Vec<String> = items.collect();
    if items.is_empty() {
        return;
    }
    out.push_str("<ul>");
    for item in items {
        let _ = write!(out, "<li>{}</li>", esc(&item));
    }
    out.push_str("</ul>");
}

/// The role view as an HTML fragment: ownership, letters by process, steps
/// with links, and the review flags.
pub fn role(view: &RoleView) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "<div class=\"procflow-raci procflow-raci-role\" id=\"raci-{}\">", view.slug());
    out.push_str("<dl class=\"raci-role-facts\">\n");
    let _ = writeln!(out, "<dt>Role</dt><dd>{}</dd>", esc(&view.role.name));
    if let Some(group) = &view.group {
        let _ = writeln!(out, "<dt>Group</dt><dd>{}</dd>", esc(group));
    }
    out.push_str("<dt>Processes owned</dt><dd>");
    if view.owns.is_empty() {
        out.push_str("None");
    } else {
        push_list(&mut out, view.owns.iter().map(|p| p.name.clone()));
    }
    out.push_str("</dd>\n");
    let c = view.summary.counts;
    let _ = writeln!(out, "<dt>Letters held</dt><dd>R {}, A {}, C {}, I {}</dd>", c.r, c.a, c.c, c.i);
    out.push_str("<dt>Review</dt><dd>");
    if view.summary.flags.is_empty() {
        out.push_str("Nothing to review");
    } else {
        push_list(&mut out, view.summary.flags.iter().map(|f| f.message()));
    }
    out.push_str("</dd>\n</dl>\n");

    let _ = writeln!(out, "<table class=\"raci-matrix\">\n<caption>{}</caption>", esc(&view.title()));
    out.push_str("<thead>\n<tr><th scope=\"col\">Activity</th><th scope=\"col\">RACI</th></tr>\n</thead>\n");
    if view.assignments.is_empty() {
        out.push_str("<tbody>\n<tr><td colspan=\"2\">The role holds no RACI letter.</td></tr>\n</tbody>\n");
    }
    for group in &view.assignments {
        let _ = writeln!(
            out,
            "<tbody>\n<tr class=\"raci-group\"><th scope=\"rowgroup\" colspan=\"2\">{}</th></tr>",
            esc(&group.process.name)
        );
        for a in &group.activities {
            let _ = write!(out, "<tr><th scope=\"row\">{}</th>", esc(&a.name));
            push_cell(&mut out, a.letters);
            out.push_str("</tr>\n");
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n");
    legend(&mut out);

    out.push_str("<table class=\"raci-steps\">\n<caption>Steps performed</caption>\n");
    out.push_str("<thead>\n<tr><th scope=\"col\">Step</th><th scope=\"col\">Realizes</th></tr>\n</thead>\n");
    if view.workflows.is_empty() {
        out.push_str("<tbody>\n<tr><td colspan=\"2\">The role performs no step in any workflow.</td></tr>\n</tbody>\n");
    }
    for w in &view.workflows {
        let _ = writeln!(
            out,
            "<tbody>\n<tr class=\"raci-group\"><th scope=\"rowgroup\" colspan=\"2\">{}</th></tr>",
            esc(&w.workflow_name)
        );
        for s in &w.steps {
            let _ = write!(
                out,
                "<tr><th scope=\"row\"><a href=\"{}\">{}</a></th><td>",
                esc(&s.step.href),
                esc(&s.step.name)
            );
            let names: Vec<String> = s.realizes.iter().map(|a| esc(&a.name)).collect();
            out.push_str(&names.join(", "));
            out.push_str("</td></tr>\n");
        }
        out.push_str("</tbody>\n");
    }
    out.push_str("</table>\n</div>\n");
    out
}
