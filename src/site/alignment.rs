//! The "Tool alignment" page: for each workflow mapped to an ITSM tool whose
//! export the settings name, which steps' statuses the tool has, which tool
//! statuses no step is in, and the drift findings — so readers see where the
//! documentation and the tool's configuration agree before trusting either.

use std::fmt::Write as _;

use super::esc;
use super::pages::diagnostic_list;
use crate::Checked;
use crate::source::Sources;

/// The page's path from the site root.
pub(super) const PATH: &str = "alignment.html";

/// The page body: one section per compared workflow, in model order.
pub(super) fn body(checked: &Checked, sources: &Sources) -> String {
    let model = &checked.model;
    let mut out = String::from(
        "<p>Each workflow mapped to a tool, compared with the tool's exported configuration \
         (<code>tool_exports</code> in <code>procflow.yaml</code>). \
         <code>procflow drift</code> prints the same findings.</p>",
    );
    for alignment in &checked.alignment {
        let workflow = model.workflow(alignment.workflow);
        let matched = alignment.steps.iter().filter(|s| s.in_tool.is_some()).count();
        let _ = write!(
            out,
            "<section id=\"{id}\" aria-labelledby=\"{id}-title\"><h2 id=\"{id}-title\">\
             <a href=\"workflows/{id}.html\">{name}</a></h2>\
             <p>Runs as {tool}. {matched} of {steps} steps with a status are in a status the tool has; \
             {findings}.</p>",
            id = esc(&workflow.id),
            name = esc(&workflow.name),
            tool = esc(&alignment.tool),
            steps = alignment.steps.len(),
            findings = match alignment.findings.len() {
                0 => "no drift".to_string(),
                1 => "1 finding".to_string(),
                n => format!("{n} findings"),
            },
        );
        if !alignment.steps.is_empty() {
            // Each workflow's region is named after it: landmarks of one
            // page must be told apart.
            let _ = write!(
                out,
                "<div class=\"table-scroll\" tabindex=\"0\" role=\"region\" aria-label=\"Steps and tool statuses of {}\">\
                 <table class=\"alignment\"><thead><tr><th scope=\"col\">Step</th>\
                 <th scope=\"col\">Status in the model</th><th scope=\"col\">In the tool</th></tr></thead><tbody>",
                esc(&workflow.name)
            );
            for row in &alignment.steps {
                let step = model.step(row.step);
                let in_tool = match &row.in_tool {
                    Some((name, id)) => {
                        format!("<span class=\"match\">✓ matches</span> {} (id {})", esc(name), esc(id))
                    }
                    None => "<span class=\"drift\">✗ not a status of the tool</span>".to_string(),
                };
                let _ = write!(
                    out,
                    "<tr><td><a href=\"workflows/{}.html#step-{}\">{}</a></td><td>{}</td><td>{in_tool}</td></tr>",
                    esc(&workflow.id),
                    esc(&step.id),
                    esc(&step.name),
                    esc(&row.status),
                );
            }
            out.push_str("</tbody></table></div>");
        }
        if !alignment.uncovered.is_empty() {
            let names: Vec<String> = alignment.uncovered.iter().map(|n| format!("“{}”", esc(n))).collect();
            let _ = write!(out, "<p>Tool statuses no step is in: {}.</p>", names.join(", "));
        }
        if !alignment.findings.is_empty() {
            out.push_str("<h3>Findings</h3>");
            out.push_str(&diagnostic_list(&alignment.findings, sources));
        }
        out.push_str("</section>");
    }
    out
}
