//! The search index: every process, activity, workflow, step, role and KPI
//! with its text, written as a script that sets a global variable — a script
//! tag works from file://, where fetching a JSON file does not.

use petgraph::stable_graph::NodeIndex;
use serde::Serialize;

use super::plain;
use crate::compile::Model;

/// One searchable entry.
#[derive(Serialize)]
struct Entry {
    /// Title shown in the results.
    t: String,
    /// Kind: process, activity, workflow, step, role, kpi.
    k: &'static str,
    /// Link, relative to the site root.
    u: String,
    /// Text searched (plain text of names, descriptions, instructions).
    x: String,
}

/// The entries of one process, its activities and KPIs, as comma-separated
/// JSON objects: a fragment of the index that a rebuild can keep while the
/// process is unchanged.
pub fn process_entries(model: &Model, p: NodeIndex) -> String {
    let mut entries = Vec::new();
    let process = model.process(p);
    let text = [process.purpose.as_deref(), process.scope.as_deref()].into_iter().flatten().collect::<Vec<_>>();
    let mut x = plain(&text.join("\n\n"));
    for list in [&process.objectives, &process.triggers, &process.drivers] {
        x.push(' ');
        x.push_str(&list.join(" "));
    }
    entries.push(Entry { t: process.name.clone(), k: "process", u: format!("processes/{}.html", process.id), x });
    for &a in &process.activities {
        let activity = model.activity(a);
        entries.push(Entry {
            t: format!("{} ({})", activity.name, process.name),
            k: "activity",
            u: format!("processes/{}.html#activity-{}", process.id, activity.id),
            x: plain(activity.description.as_deref().unwrap_or_default()),
        });
    }
    for kpi in &process.kpis {
        entries.push(Entry {
            t: format!("{} ({})", kpi.name, process.name),
            k: "kpi",
            u: format!("processes/{}.html#kpi-{}", process.id, kpi.id),
            x: format!(
                "{} {}",
                plain(kpi.description.as_deref().unwrap_or_default()),
                kpi.target.as_deref().unwrap_or_default()
            ),
        });
    }
    fragment(&entries)
}

/// The entries of one workflow and its steps (see [`process_entries`]).
pub fn workflow_entries(model: &Model, w: NodeIndex) -> String {
    let mut entries = Vec::new();
    let wf = model.workflow(w);
    entries.push(Entry {
        t: wf.name.clone(),
        k: "workflow",
        u: format!("workflows/{}.html", wf.id),
        x: plain(wf.description.as_deref().unwrap_or_default()),
    });
    for &s in &wf.steps {
        let step = model.step(s);
        let text =
            [step.description.as_deref(), step.instructions.as_deref()].into_iter().flatten().collect::<Vec<_>>();
        entries.push(Entry {
            t: format!("{} ({})", step.name, wf.name),
            k: "step",
            u: format!("workflows/{}.html#step-{}", wf.id, step.id),
            x: plain(&text.join("\n\n")),
        });
    }
    fragment(&entries)
}

/// The entry of one role (see [`process_entries`]).
pub fn role_entries(model: &Model, r: NodeIndex) -> String {
    let mut entries = Vec::new();
    let role = model.role(r);
    entries.push(Entry {
        t: role.name.clone(),
        k: "role",
        u: format!("roles/{}.html", role.id),
        x: format!(
            "{} {}",
            role.group.as_deref().unwrap_or_default(),
            plain(role.description.as_deref().unwrap_or_default())
        ),
    });
    fragment(&entries)
}

fn fragment(entries: &[Entry]) -> String {
    let json = serde_json::to_string(entries).unwrap_or_else(|_| "[]".to_string());
    // `</script>` inside a string would end an inline script; this file is
    // loaded with src=, but keep it safe to inline anyway.
    let inner = json.strip_prefix('[').and_then(|j| j.strip_suffix(']')).unwrap_or_default();
    inner.replace("</", "<\\/")
}

/// `window.PROCFLOW_INDEX = [...]` from the fragments of every process,
/// workflow and role, in model order.
pub fn index_script<'a>(fragments: impl Iterator<Item = &'a str>) -> String {
    let mut script = String::from("window.PROCFLOW_INDEX = [");
    for (i, fragment) in fragments.filter(|f| !f.is_empty()).enumerate() {
        if i > 0 {
            script.push(',');
        }
        script.push_str(fragment);
    }
    script.push_str("];\n");
    script
}
