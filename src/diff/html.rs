//! The diff as one self-contained HTML page (no scripts, no outside
//! references): the text report's changes, and for each changed workflow
//! its new diagram, added steps and flows classed `diff-added` and changed
//! ones `diff-changed`, the removed ones listed, with the old diagram beside
//! it where removed steps and flows are classed `diff-removed`. The classes
//! go on the SVG's own node and flow groups through
//! [`crate::render::svg::Classes`]; the page's stylesheet colours them.

use std::collections::HashSet;
use std::fmt::Write;

use super::text::{field_phrase, group_title, item_title};
use super::{Change, Diff, Element, Group, marked};
use crate::Checked;
use crate::layout::{self, LayoutOptions};
use crate::render::escape;
use crate::render::svg::{Classes, svg_with_classes};

const STYLE: &str = "body{font-family:Inter,'Liberation Sans',Arial,sans-serif;margin:2rem;color:#1f2328}\
h1{font-size:1.4rem}h2{font-size:1.15rem;margin-top:2rem}\
.sides{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-start}\
figure{margin:0;border:1px solid #d0d7de;padding:.5rem;overflow:auto;max-width:100%}\
figcaption{font-weight:600;margin-bottom:.4rem}\
.diff-added rect,.diff-added circle,.diff-added path,.diff-added polygon{stroke:#1a7f37!important;stroke-width:3px}\
.diff-changed rect,.diff-changed circle,.diff-changed path,.diff-changed polygon{stroke:#bf8700!important;stroke-width:3px}\
.diff-removed{opacity:.45}.diff-removed rect,.diff-removed circle,.diff-removed path,.diff-removed polygon{stroke:#cf222e!important;stroke-dasharray:4 3}\
.add{color:#1a7f37}.del{color:#cf222e}.chg{color:#9a6700}\
ul{list-style:none;padding-left:1rem}pre{background:#f6f8fa;padding:.5rem}\
.legend span{display:inline-block;margin-right:1rem;padding:0 .4rem;border:3px solid}";

/// The diff as HTML; `base` and `head` are the two checked sides the diff
/// was made from (their workflows are laid out here).
pub fn render(diff: &Diff, base: &Checked, head: &Checked) -> String {
    let esc = |text: &str| escape(text).to_string();
    let mut out = String::new();
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>procflow diff {} → {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&diff.base),
        esc(&diff.head)
    );
    let _ = writeln!(out, "<h1>procflow diff {} → {}</h1>", esc(&diff.base), esc(&diff.head));
    let _ = writeln!(out, "<p>{}</p>", esc(&super::text::summary(diff)));
    out.push_str(
        "<p class=\"legend\"><span style=\"border-color:#1a7f37\">added</span><span style=\"border-color:#bf8700\">changed</span><span style=\"border-color:#cf222e\">removed</span></p>\n",
    );
    if !diff.roles.is_empty() {
        out.push_str("<h2>Roles</h2>\n<ul>\n");
        for item in &diff.roles {
            let _ = writeln!(out, "<li class=\"{}\">{}</li>", css(&item.change), item_title(item, &esc));
        }
        out.push_str("</ul>\n");
    }
    for (kind, groups) in [("process", &diff.processes), ("workflow", &diff.workflows)] {
        for group in groups {
            let _ = writeln!(out, "<h2 class=\"{}\">{}</h2>", css(&group.change), group_title(kind, group, &esc));
            changes(group, &mut out);
            if kind == "workflow" && group.change == Change::Changed {
                diagrams(group, base, head, &mut out);
            }
        }
    }
    if !diff.checks.is_empty() {
        out.push_str("<h2>Check results</h2>\n<ul>\n");
        for c in &diff.checks {
            let (class, sign) = if c.change == super::CheckSide::Appeared { ("add", '+') } else { ("del", '-') };
            let _ = writeln!(out, "<li class=\"{class}\">{sign} {}[{}]: {}</li>", c.severity, c.code, esc(&c.message));
        }
        out.push_str("</ul>\n");
    }
    out.push_str("</body>\n</html>\n");
    out
}

fn css(change: &Change) -> &'static str {
    match change {
        Change::Added => "add",
        Change::Removed => "del",
        _ => "chg",
    }
}

/// The group's field and item changes as a list.
fn changes(group: &Group, out: &mut String) {
    let esc = |text: &str| escape(text).to_string();
    if group.fields.is_empty() && group.items.is_empty() {
        return;
    }
    out.push_str("<ul>\n");
    let field = |f: &super::FieldChange, out: &mut String| {
        let (sign, phrase) = field_phrase(f, &esc);
        let class = match sign {
            '+' => "add",
            '-' => "del",
            _ => "chg",
        };
        let _ = write!(out, "<li class=\"{class}\">{sign} {phrase}");
        if !f.lines.is_empty() {
            out.push_str("<pre>");
            for line in &f.lines {
                let class = match line.sign {
                    '+' => "add",
                    '-' => "del",
                    _ => "",
                };
                let _ = writeln!(out, "<span class=\"{class}\">{} {}</span>", line.sign, esc(&line.text));
            }
            out.push_str("</pre>");
        }
        out.push_str("</li>\n");
    };
    for f in &group.fields {
        field(f, out);
    }
    for item in &group.items {
        let _ = write!(out, "<li class=\"{}\">{}", css(&item.change), item_title(item, &esc));
        if !item.fields.is_empty() {
            out.push_str("<ul>\n");
            for f in &item.fields {
                field(f, out);
            }
            out.push_str("</ul>");
        }
        out.push_str("</li>\n");
    }
    out.push_str("</ul>\n");
}

/// The new diagram with added and changed steps and flows classed, and the
/// old one with removed ones classed, side by side.
fn diagrams(group: &Group, base: &Checked, head: &Checked, out: &mut String) {
    let (added_steps, changed_steps) = marked(group, Element::Step);
    let (added_flows, changed_flows) = marked(group, Element::Flow);
    let removed = |element: Element| -> HashSet<&str> {
        group
            .items
            .iter()
            .filter(|i| i.element == element && i.change == Change::Removed)
            .map(|i| i.id.as_str())
            .collect()
    };
    let (removed_steps, removed_flows) = (removed(Element::Step), removed(Element::Flow));
    let set = |ids: Vec<&str>| ids.into_iter().map(str::to_string).collect::<HashSet<String>>();
    let (added_steps, changed_steps) = (set(added_steps), set(changed_steps));
    let (added_flows, changed_flows) = (set(added_flows), set(changed_flows));
    let flow_id = |from: &str, to: &str| format!("{from} → {to}");
    let new_classes = Classes {
        node: &|id| {
            if added_steps.contains(id) {
                Some("diff-added")
            } else if changed_steps.contains(id) {
                Some("diff-changed")
            } else {
                None
            }
        },
        flow: &|from, to| {
            let id = flow_id(from, to);
            if added_flows.contains(&id) {
                Some("diff-added")
            } else if changed_flows.contains(&id) {
                Some("diff-changed")
            } else {
                None
            }
        },
    };
    let old_classes = Classes {
        node: &|id| removed_steps.contains(id).then_some("diff-removed"),
        flow: &|from, to| removed_flows.contains(flow_id(from, to).as_str()).then_some("diff-removed"),
    };
    out.push_str("<div class=\"sides\">\n");
    for (caption, checked, classes) in [("new", head, &new_classes), ("old", base, &old_classes)] {
        let Some(workflow) = checked.model.workflow_by_id(&group.id) else { continue };
        let diagram = layout::workflow(&checked.model, workflow, LayoutOptions::default());
        let _ = writeln!(out, "<figure class=\"{caption}\"><figcaption>{caption}</figcaption>");
        out.push_str(&svg_with_classes(&diagram, &|_| None, classes));
        out.push_str("</figure>\n");
    }
    out.push_str("</div>\n");
}
