//! CSV output of the RACI views, for spreadsheets.
//!
//! RFC 4180: fields holding a comma, a double quote, CR or LF are quoted and
//! their quotes doubled; records end in CRLF. The text starts with a UTF-8 byte
//! order mark, which is how Excel recognises UTF-8 (LibreOffice accepts it too).
//! Every record carries its process, so the rows can be filtered and sorted in a
//! spreadsheet; there are no group header rows and no analysis rows, which would
//! break that (the analysis is in the other formats). Text that a spreadsheet
//! would evaluate as a formula is neutralised (see `push_field`). This module
//! only formats: it must not derive or decide anything about the model.

use super::{Matrix, RoleView};

const BOM: &str = "\u{FEFF}";

/// The matrix as CSV: `Process ID, Process, Activity ID, Activity`, then one
/// column per role (headed by the role's name) holding `A/R`-style cells.
pub fn matrix(matrix: &Matrix) -> String {
    let mut out = String::from(BOM);
    let mut header: Vec<&str> = vec!["Process ID", "Process", "Activity ID", "Activity"];
    header.extend(matrix.roles.iter().map(|r| r.name.as_str()));
    record(&mut out, header);
    for group in &matrix.processes {
        for row in &group.activities {
            let cells: Vec<String> = row.cells.iter().map(|c| c.label()).collect();
            let mut fields: Vec<&str> = vec![&group.process.id, &group.process.name, &row.id, &row.name];
            fields.extend(cells.iter().map(String::as_str));
            record(&mut out, fields);
        }
    }
    out
}

/// The role view as CSV, one record per fact: `owns` (a process it owns), `raci`
/// (letters for an activity) and `step` (a step it performs, with its link).
pub fn role(view: &RoleView) -> String {
    let mut out = String::from(BOM);
    record(&mut out, ["Type", "Group ID", "Group", "Item ID", "Item", "Value"]);
    for p in &view.owns {
        record(&mut out, ["owns", &p.id, &p.name, "", "", ""]);
    }
    for group in &view.assignments {
        for a in &group.activities {
            let letters = a.letters.label();
            record(&mut out, ["raci", &group.process.id, &group.process.name, &a.id, &a.name, &letters]);
        }
    }
    for w in &view.workflows {
        for s in &w.steps {
            record(&mut out, ["step", &w.workflow, &w.workflow_name, &s.step.id, &s.step.name, &s.step.href]);
        }
    }
    out
}

fn record<'a>(out: &mut String, fields: impl IntoIterator<Item = &'a str>) {
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        push_field(out, field);
    }
    out.push_str("\r\n");
}

/// Appends one field, quoted when RFC 4180 requires it. A field that a
/// spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or
/// CR) gets a leading `'`, as OWASP advises against CSV injection: a name such
/// as `=HYPERLINK(...)` or `- draft -` then shows as text instead of a formula.
fn push_field(out: &mut String, field: &str) {
    let guarded;
    let field = if field.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        guarded = format!("'{field}");
        guarded.as_str()
    } else {
        field
    };
    if field.contains([',', '"', '\r', '\n']) {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_only_when_needed() {
        let mut out = String::new();
        record(&mut out, ["plain", "a,b", "say \"hi\"", "two\nlines", ""]);
        assert_eq!(out, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",\r\n");
    }

    #[test]
    fn formulas_are_neutralised() {
        let mut out = String::new();
        record(&mut out, ["=1+1", "@SUM(A1)", "-x", "+y", "a=b"]);
        assert_eq!(out, "'=1+1,'@SUM(A1),'-x,'+y,a=b\r\n");
    }
}
