//! Standalone SVG of the RACI views, for wikis and slides.
//!
//! Same rules as the diagrams: no scripts, no external references (no links, no
//! fonts, no images), valid XML, `role="img"` with a `<title>` and `<desc>`,
//! `viewBox` plus `width`/`height`, and every id prefixed with the view's slug so
//! several SVGs can be inlined in one page. Columns and rows are sized from text
//! measured by [`super::measure`]; labels wrap instead of overflowing. Cells carry
//! the letter as text, the fill only repeats it. Coordinates are rounded to two
//! decimals so output is byte-for-byte stable. This module lays out and writes a
//! table; it must not derive anything from the model.

use std::fmt::Write as _;

use super::measure::{text_width, wrap_balanced};
use super::{Letters, Matrix, MatrixKind, RoleFlag, RoleView, escape_xml as esc, letter_meaning, letter_str};
use crate::compile::RaciLetter;

use crate::text::FONT_FAMILY;
const SIZE: f64 = 12.0;
const TITLE_SIZE: f64 = 16.0;
const LINE: f64 = 15.0;
const TITLE_LINE: f64 = 20.0;
const MARGIN: f64 = 16.0;
const PAD: f64 = 6.0;
const ROW: f64 = 22.0;
/// Row labels wrap beyond this width, column headers beyond this height.
const MAX_LABEL: f64 = 300.0;
const MAX_HEADER: f64 = 170.0;
const MIN_COLUMN: f64 = 28.0;
/// Indent of activity rows under a process header.
const INDENT: f64 = 12.0;
/// Room left for fonts wider than the measured metrics: a viewer without
/// Helvetica, Arial or Liberation Sans falls back to something else, typically
/// DejaVu Sans on Linux, which sets the same text up to about 15 % wider.
const SLACK: f64 = 1.15;
/// The same for bold text, where DejaVu Sans Bold runs about 20 % wider.
const BOLD_SLACK: f64 = 1.22;
/// Notes below the table wrap at the table's width, but never narrower than this.
const MIN_TEXT_WIDTH: f64 = 560.0;

const INK: &str = "#1a1a1a";
const MUTED: &str = "#555555";
const GRID: &str = "#c3c9d0";
const HEADER_FILL: &str = "#f1f3f6";
const GROUP_FILL: &str = "#dfe6ee";
const WARN_FILL: &str = "#f4cccc";
const WARN_INK: &str = "#8a1c1c";

fn fill(letter: RaciLetter) -> &'static str {
    match letter {
        RaciLetter::A => "#f6c48f",
        RaciLetter::R => "#a9cbe9",
        RaciLetter::C => "#bedcb0",
        RaciLetter::I => "#e3e3e3",
    }
}

/// A table to draw: the common shape of the matrices and the role view.
struct Sheet {
    id: String,
    title: String,
    desc: String,
    corner: &'static str,
    columns: Vec<String>,
    groups: Vec<Group>,
    footer: Vec<FooterRow>,
    notes: Vec<Note>,
}

struct Group {
    title: Option<String>,
    rows: Vec<Row>,
}

struct Row {
    label: String,
    cells: Vec<Letters>,
}

struct FooterRow {
    label: String,
    values: Vec<(String, bool)>,
}

struct Note {
    heading: String,
    items: Vec<String>,
    legend: bool,
}

/// The matrix, its legend and its analysis as a standalone SVG document.
pub fn matrix(matrix: &Matrix) -> String {
    let cross = matrix.kind == MatrixKind::CrossProcess;
    let groups = matrix
        .processes
        .iter()
        .map(|g| Group {
            title: cross.then(|| match &g.owner {
                Some(owner) => format!("{} (owner: {})", g.process.name, owner.name),
                None => g.process.name.clone(),
            }),
            rows: g.activities.iter().map(|a| Row { label: a.name.clone(), cells: a.cells.clone() }).collect(),
        })
        .collect();
    let footer = Letters::RACI_ORDER
        .into_iter()
        .map(|letter| FooterRow {
            label: format!("{} count", letter_meaning(letter).0),
            values: matrix
                .analysis
                .roles
                .iter()
                .map(|r| (r.counts.get(letter).to_string(), flagged(&r.flags, letter)))
                .collect(),
        })
        .collect();
    let mut notes = vec![legend()];
    let mut title = matrix.title.clone();
    if !cross && let Some(owner) = matrix.processes.first().and_then(|g| g.owner.as_ref()) {
        title = format!("{title} (owner: {})", owner.name);
    }
    let flagged_roles: Vec<String> = matrix
        .analysis
        .roles
        .iter()
        .flat_map(|r| r.flags.iter().map(move |f| format!("{}: {}", r.role.name, f.message())))
        .collect();
    notes.push(Note {
        heading: format!(
            "Roles to review (Accountable for more than {}, or performing steps without being Responsible)",
            matrix.analysis.max_accountable
        ),
        items: if flagged_roles.is_empty() { vec!["None.".into()] } else { flagged_roles },
        legend: false,
    });
    let activities: Vec<String> = matrix
        .analysis
        .activities
        .iter()
        .map(|r| {
            let issues: Vec<String> = r.issues.iter().map(|i| i.message()).collect();
            format!("{} ({}/{}): {}", r.activity.name, r.activity.process, r.activity.id, issues.join("; "))
        })
        .collect();
    notes.push(Note {
        heading: "Activities to review".into(),
        items: if activities.is_empty() { vec!["None.".into()] } else { activities },
        legend: false,
    });
    let desc = format!(
        "RACI matrix of {} activities in {} and {} roles; letters: R Responsible, A Accountable, C Consulted, I Informed.",
        matrix.activity_count(),
        if cross { format!("{} processes", matrix.processes.len()) } else { "one process".to_string() },
        matrix.roles.len()
    );
    draw(&Sheet {
        id: format!("raci-{}", matrix.slug()),
        title,
        desc,
        corner: "Activity",
        columns: matrix.roles.iter().map(|r| r.name.clone()).collect(),
        groups,
        footer,
        notes,
    })
}

/// Whether a role's flags concern its count of `letter` (so the count is highlighted).
fn flagged(flags: &[RoleFlag], letter: RaciLetter) -> bool {
    flags.iter().any(|f| match f {
        RoleFlag::AccountableOverload { .. } => letter == RaciLetter::A,
        RoleFlag::NotResponsibleForOwnSteps { .. } => letter == RaciLetter::R,
    })
}

fn legend() -> Note {
    Note {
        heading: "Legend".into(),
        items: Letters::RACI_ORDER
            .iter()
            .map(|l| {
                let (name, meaning) = letter_meaning(*l);
                format!("{name}: {meaning}")
            })
            .collect(),
        legend: true,
    }
}

/// The role view as a standalone SVG: its letters by process as a four-column
/// table, then the processes it owns, the steps it performs and its flags.
pub fn role(view: &RoleView) -> String {
    let order = Letters::RACI_ORDER;
    let groups = view
        .assignments
        .iter()
        .map(|g| Group {
            title: Some(g.process.name.clone()),
            rows: g
                .activities
                .iter()
                .map(|a| Row {
                    label: a.name.clone(),
                    cells: order
                        .iter()
                        .map(|l| {
                            let mut one = Letters::default();
                            if a.letters.contains(*l) {
                                one.insert(*l);
                            }
                            one
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let footer = vec![FooterRow {
        label: "Count".into(),
        values: order
            .iter()
            .map(|l| (view.summary.counts.get(*l).to_string(), flagged(&view.summary.flags, *l)))
            .collect(),
    }];
    let owns: Vec<String> = view.owns.iter().map(|p| p.name.clone()).collect();
    let flags: Vec<String> = view.summary.flags.iter().map(|f| f.message()).collect();
    let none = |items: Vec<String>| {
        if items.is_empty() { vec!["None.".to_string()] } else { items }
    };
    let mut notes = vec![legend(), Note { heading: "Processes owned".into(), items: none(owns), legend: false }];
    if view.workflows.is_empty() {
        notes.push(Note { heading: "Steps performed".into(), items: none(Vec::new()), legend: false });
    }
    for w in &view.workflows {
        let items = w
            .steps
            .iter()
            .map(|s| {
                let realizes: Vec<&str> = s.realizes.iter().map(|a| a.name.as_str()).collect();
                if realizes.is_empty() {
                    s.step.name.clone()
                } else {
                    format!("{} (realizes {})", s.step.name, realizes.join(", "))
                }
            })
            .collect();
        notes.push(Note { heading: format!("Steps performed in “{}”", w.workflow_name), items, legend: false });
    }
    notes.push(Note { heading: "Review".into(), items: none(flags), legend: false });
    let held: usize = view.assignments.iter().map(|g| g.activities.len()).sum();
    draw(&Sheet {
        id: format!("raci-{}", view.slug()),
        title: view.title(),
        desc: format!(
            "The {held} activities for which {} holds a RACI letter, grouped by process, with the steps it performs.",
            view.role.name
        ),
        corner: "Activity",
        columns: order.iter().map(|l| letter_meaning(*l).0.to_string()).collect(),
        groups,
        footer,
        notes,
    })
}

/// Formats a coordinate with at most two decimals and no trailing zeros.
fn num(v: f64) -> String {
    let s = format!("{:.2}", (v * 100.0).round() / 100.0);
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".to_string() } else { s.to_string() }
}

fn slack(bold: bool) -> f64 {
    if bold { BOLD_SLACK } else { SLACK }
}

fn measured(text: &str, size: f64, bold: bool) -> f64 {
    text_width(text, size, bold) * slack(bold)
}

/// Wraps with the same slack [`measured`] adds, so wrapped lines fit their box.
fn wrapped(text: &str, max: f64, size: f64, bold: bool) -> Vec<String> {
    wrap_balanced(text, max / slack(bold), size, bold)
}

/// Extends the last span of column rules down to `y`.
fn extend_span(spans: &mut [(f64, f64)], y: f64) {
    if let Some(last) = spans.last_mut() {
        last.1 = y;
    }
}

/// Baseline that centres a line of `size` text vertically on `center`.
fn baseline(center: f64, size: f64) -> f64 {
    center + size * 0.35
}

fn draw(sheet: &Sheet) -> String {
    // Column headers: rotated, wrapped to MAX_HEADER, so a column is as wide as
    // its header's lines are tall, or as its widest cell.
    let headers: Vec<Vec<String>> = sheet.columns.iter().map(|c| wrapped(c, MAX_HEADER, SIZE, true)).collect();
    let mut header_h: f64 = 0.0;
    let mut widths = Vec::with_capacity(headers.len());
    for (i, lines) in headers.iter().enumerate() {
        let longest = lines.iter().map(|l| measured(l, SIZE, true)).fold(0.0, f64::max);
        header_h = header_h.max(longest + 2.0 * PAD);
        let mut w = (lines.len() as f64 * LINE + 2.0 * PAD).max(MIN_COLUMN);
        for group in &sheet.groups {
            for row in &group.rows {
                if let Some(cell) = row.cells.get(i) {
                    w = w.max(measured(&cell.label(), SIZE, false) + 2.0 * PAD);
                }
            }
        }
        for f in &sheet.footer {
            if let Some((v, _)) = f.values.get(i) {
                w = w.max(measured(v, SIZE, true) + 2.0 * PAD);
            }
        }
        widths.push(w);
    }
    header_h = header_h.max(measured(sheet.corner, SIZE, true) + 2.0 * PAD).max(ROW);
    let indent = if sheet.groups.iter().any(|g| g.title.is_some()) { INDENT } else { 0.0 };

    // Row labels, wrapped to MAX_LABEL.
    let row_lines: Vec<Vec<Vec<String>>> = sheet
        .groups
        .iter()
        .map(|g| g.rows.iter().map(|r| wrapped(&r.label, MAX_LABEL, SIZE, false)).collect())
        .collect();
    let mut label_w = measured(sheet.corner, SIZE, true);
    for lines in row_lines.iter().flatten().flatten() {
        label_w = label_w.max(measured(lines, SIZE, false) + indent);
    }
    for f in &sheet.footer {
        label_w = label_w.max(measured(&f.label, SIZE, true));
    }
    let label_w = label_w + 2.0 * PAD;
    let table_w = label_w + widths.iter().sum::<f64>();
    let text_w = table_w.max(MIN_TEXT_WIDTH);

    let mut body = String::new();
    let mut y = MARGIN;
    let x0 = MARGIN;

    // Title.
    let _ = write!(body, "<g font-size=\"{}\" font-weight=\"bold\" fill=\"{INK}\">", num(TITLE_SIZE));
    for line in wrapped(&sheet.title, text_w, TITLE_SIZE, true) {
        let _ = write!(
            body,
            "<text x=\"{}\" y=\"{}\">{}</text>",
            num(x0),
            num(baseline(y + TITLE_LINE / 2.0, TITLE_SIZE)),
            esc(&line)
        );
        y += TITLE_LINE;
    }
    body.push_str("</g>\n");
    y += PAD;

    // Header band.
    let table_top = y;
    let _ = writeln!(
        body,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{HEADER_FILL}\"/>",
        num(x0),
        num(y),
        num(table_w),
        num(header_h)
    );
    let _ = write!(body, "<g font-weight=\"bold\" fill=\"{INK}\">");
    let _ = write!(
        body,
        "<text x=\"{}\" y=\"{}\">{}</text>",
        num(x0 + PAD),
        num(y + header_h - PAD - 3.0),
        esc(sheet.corner)
    );
    let mut x = x0 + label_w;
    for (lines, w) in headers.iter().zip(&widths) {
        let start = x + w / 2.0 - lines.len() as f64 * LINE / 2.0;
        for (i, line) in lines.iter().enumerate() {
            let bx = baseline(start + i as f64 * LINE + LINE / 2.0, SIZE);
            let by = y + header_h - PAD;
            let _ =
                write!(body, "<text transform=\"translate({} {}) rotate(-90)\">{}</text>", num(bx), num(by), esc(line));
        }
        x += w;
    }
    body.push_str("</g>\n");
    y += header_h;

    // Body: group bands, cell fills, then all text, then the grid on top.
    let mut fills = String::new();
    let mut texts = String::new();
    let mut cell_texts = String::new();
    let mut hlines = vec![table_top, y];
    // Where the column rules run: everywhere but across group header bands.
    let mut column_spans: Vec<(f64, f64)> = vec![(table_top, y)];
    for (group, lines) in sheet.groups.iter().zip(&row_lines) {
        if let Some(title) = &group.title {
            let title_lines = wrapped(title, table_w - 2.0 * PAD, SIZE, true);
            let h = (title_lines.len() as f64 * LINE + 2.0 * PAD - 3.0).max(ROW);
            let _ = write!(
                fills,
                "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{GROUP_FILL}\"/>",
                num(x0),
                num(y),
                num(table_w),
                num(h)
            );
            let top = y + (h - title_lines.len() as f64 * LINE) / 2.0;
            for (i, line) in title_lines.iter().enumerate() {
                let _ = write!(
                    texts,
                    "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>",
                    num(x0 + PAD),
                    num(baseline(top + i as f64 * LINE + LINE / 2.0, SIZE)),
                    esc(line)
                );
            }
            y += h;
            hlines.push(y);
            column_spans.push((y, y));
        }
        for (row, label) in group.rows.iter().zip(lines) {
            let h = (label.len() as f64 * LINE + 2.0 * PAD - 3.0).max(ROW);
            let top = y + (h - label.len() as f64 * LINE) / 2.0;
            for (i, line) in label.iter().enumerate() {
                let _ = write!(
                    texts,
                    "<text x=\"{}\" y=\"{}\">{}</text>",
                    num(x0 + PAD + indent),
                    num(baseline(top + i as f64 * LINE + LINE / 2.0, SIZE)),
                    esc(line)
                );
            }
            let mut x = x0 + label_w;
            for (cell, w) in row.cells.iter().zip(&widths) {
                if let Some(strongest) = cell.strongest() {
                    let _ = write!(
                        fills,
                        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\"/>",
                        num(x),
                        num(y),
                        num(*w),
                        num(h),
                        fill(strongest)
                    );
                    let _ = write!(
                        cell_texts,
                        "<text x=\"{}\" y=\"{}\">{}</text>",
                        num(x + w / 2.0),
                        num(baseline(y + h / 2.0, SIZE)),
                        cell.label()
                    );
                }
                x += w;
            }
            y += h;
            hlines.push(y);
            extend_span(&mut column_spans, y);
        }
    }
    // Footer rows: counts per column, flagged counts highlighted.
    let footer_top = y;
    for f in &sheet.footer {
        let _ = write!(
            texts,
            "<text x=\"{}\" y=\"{}\" font-weight=\"bold\">{}</text>",
            num(x0 + PAD),
            num(baseline(y + ROW / 2.0, SIZE)),
            esc(&f.label)
        );
        let mut x = x0 + label_w;
        for ((value, warn), w) in f.values.iter().zip(&widths) {
            if *warn {
                let _ = write!(
                    fills,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{WARN_FILL}\"/>",
                    num(x),
                    num(y),
                    num(*w),
                    num(ROW)
                );
            }
            let style = if *warn { format!(" fill=\"{WARN_INK}\" font-weight=\"bold\"") } else { String::new() };
            let _ = write!(
                cell_texts,
                "<text x=\"{}\" y=\"{}\"{style}>{}</text>",
                num(x + w / 2.0),
                num(baseline(y + ROW / 2.0, SIZE)),
                esc(value)
            );
            x += w;
        }
        y += ROW;
        hlines.push(y);
        extend_span(&mut column_spans, y);
    }
    let table_bottom = y;
    if !sheet.footer.is_empty() && footer_top > table_top {
        let _ = write!(
            fills,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{HEADER_FILL}\" fill-opacity=\"0.6\"/>",
            num(x0),
            num(footer_top),
            num(label_w),
            num(table_bottom - footer_top)
        );
    }
    let _ = writeln!(body, "<g>{fills}</g>");
    let _ = writeln!(body, "<g fill=\"{INK}\">{texts}</g>");
    let _ = writeln!(body, "<g fill=\"{INK}\" text-anchor=\"middle\">{cell_texts}</g>");

    // Grid: one path for every line.
    let mut d = String::new();
    hlines.dedup();
    for hy in &hlines {
        let _ = write!(d, "M{} {}H{}", num(x0), num(*hy), num(x0 + table_w));
    }
    for vx in [x0, x0 + table_w] {
        let _ = write!(d, "M{} {}V{}", num(vx), num(table_top), num(table_bottom));
    }
    column_spans.retain(|(top, bottom)| bottom > top);
    let mut vx = x0;
    for w in std::iter::once(&label_w).chain(&widths[..widths.len().saturating_sub(1)]) {
        vx += w;
        for (top, bottom) in &column_spans {
            let _ = write!(d, "M{} {}V{}", num(vx), num(*top), num(*bottom));
        }
    }
    let _ = writeln!(body, "<path d=\"{d}\" fill=\"none\" stroke=\"{GRID}\" stroke-width=\"1\"/>");
    if !sheet.footer.is_empty() {
        let _ = writeln!(
            body,
            "<path d=\"M{} {}H{}\" stroke=\"{MUTED}\" stroke-width=\"1.5\"/>",
            num(x0),
            num(footer_top),
            num(x0 + table_w)
        );
    }

    // Notes: legend, then the analysis.
    y += 2.0 * PAD;
    for note in &sheet.notes {
        y += PAD;
        for line in wrapped(&note.heading, text_w, SIZE, true) {
            let _ = write!(
                body,
                "<text x=\"{}\" y=\"{}\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
                num(x0),
                num(baseline(y + LINE / 2.0, SIZE)),
                esc(&line)
            );
            y += LINE;
        }
        body.push('\n');
        for (i, item) in note.items.iter().enumerate() {
            let (bullet_w, marker) =
                if note.legend { (MIN_COLUMN + PAD, Some(Letters::RACI_ORDER[i.min(3)])) } else { (INDENT, None) };
            if let Some(letter) = marker {
                let _ = write!(
                    body,
                    "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" fill=\"{}\" stroke=\"{GRID}\"/><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" font-weight=\"bold\" fill=\"{INK}\">{}</text>",
                    num(x0),
                    num(y + 1.0),
                    num(MIN_COLUMN),
                    num(LINE + 2.0),
                    fill(letter),
                    num(x0 + MIN_COLUMN / 2.0),
                    num(baseline(y + 2.0 + LINE / 2.0, SIZE)),
                    letter_str(letter)
                );
            } else {
                let _ = write!(
                    body,
                    "<text x=\"{}\" y=\"{}\" fill=\"{MUTED}\">•</text>",
                    num(x0 + 2.0),
                    num(baseline(y + LINE / 2.0 + 2.0, SIZE))
                );
            }
            for line in wrapped(item, text_w - bullet_w, SIZE, false) {
                let _ = write!(
                    body,
                    "<text x=\"{}\" y=\"{}\" fill=\"{INK}\">{}</text>",
                    num(x0 + bullet_w),
                    num(baseline(y + 2.0 + LINE / 2.0, SIZE)),
                    esc(&line)
                );
                y += LINE;
            }
            y += if note.legend { 5.0 } else { 2.0 };
            body.push('\n');
        }
    }

    let width = (text_w + 2.0 * MARGIN).ceil();
    let height = (y + MARGIN).ceil();
    let id = &sheet.id;
    let mut out = String::with_capacity(body.len() + 1024);
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {w} {h}\" width=\"{w}\" height=\"{h}\" font-family=\"{FONT_FAMILY}\" font-size=\"{size}\">",
        w = num(width),
        h = num(height),
        size = num(SIZE)
    );
    let _ = writeln!(out, "<title id=\"{id}-title\">{}</title>", esc(&sheet.title));
    let _ = writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", esc(&sheet.desc));
    let _ = writeln!(
        out,
        "<rect id=\"{id}-background\" width=\"{}\" height=\"{}\" fill=\"#ffffff\"/>",
        num(width),
        num(height)
    );
    let _ = writeln!(out, "<g id=\"{id}-content\">");
    out.push_str(&body);
    out.push_str("</g>\n</svg>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_rounded_to_two_decimals_without_trailing_zeros() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.346), "12.35");
        assert_eq!(num(0.1), "0.1");
        assert_eq!(num(-0.001), "0");
    }
}
