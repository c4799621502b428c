//! The handbook's cross-cutting chapters, which no single wiki page holds:
//! the RACI overview of every process, the KPI catalogue and the
//! improvement register (every finding of processes, activities and steps).
//!
//! They are written directly as handbook blocks, linking to the process,
//! workflow and role chapters by their labels (the wiki pages' keys) and to
//! steps by their anchors.

use super::data::{Block, Span};
use crate::compile::{Finding, Model};
use crate::raci;
use crate::site::status_word;

/// A chapter of the registers: title, label and blocks.
pub struct Register {
    pub title: &'static str,
    pub label: &'static str,
    pub blocks: Vec<Block>,
}

/// A link to the chapter or anchor `label`.
fn page_link(label: String, name: &str) -> Span {
    Span::Ref { label, body: vec![Span::text(name)] }
}

/// A table of text columns.
fn table(header: &[&str], rows: Vec<Vec<Vec<Span>>>) -> Block {
    Block::Table { header: header.iter().map(|h| vec![Span::text(*h)]).collect(), rows }
}

/// The three register chapters, in handbook order.
pub fn registers(model: &Model) -> Vec<Register> {
    vec![
        Register { title: "RACI overview", label: "raci-overview", blocks: raci_overview(model) },
        Register { title: "KPI catalogue", label: "kpi-catalogue", blocks: kpi_catalogue(model) },
        Register { title: "Improvement register", label: "improvement-register", blocks: improvements(model) },
    ]
}

fn raci_overview(model: &Model) -> Vec<Block> {
    let matrix = raci::cross_process_matrix(model, &raci::Options::default());
    if matrix.activity_count() == 0 {
        return vec![Block::Par { body: vec![Span::text("No process has activities yet.")] }];
    }
    let mut header = vec![vec![Span::text("Process")], vec![Span::text("Activity")]];
    header.extend(matrix.roles.iter().map(|r| vec![Span::text(r.name.as_str())]));
    let rows = matrix
        .processes
        .iter()
        .flat_map(|group| group.activities.iter().map(move |row| (group, row)))
        .map(|(group, row)| {
            let mut cells = vec![
                vec![page_link(format!("process-{}", group.process.id), &group.process.name)],
                vec![Span::text(row.name.as_str())],
            ];
            cells.extend(row.cells.iter().map(|c| vec![Span::text(c.label())]));
            cells
        })
        .collect();
    vec![
        Block::Par {
            body: vec![Span::text(
                "Every process's activities and who is responsible, accountable, consulted or informed.",
            )],
        },
        Block::Table { header, rows },
    ]
}

fn kpi_catalogue(model: &Model) -> Vec<Block> {
    let text = |t: &Option<String>| vec![Span::text(t.as_deref().map(crate::text::plain_text).unwrap_or_default())];
    let rows: Vec<Vec<Vec<Span>>> = model
        .processes
        .iter()
        .flat_map(|&p| model.process(p).kpis.iter().map(move |k| (p, k)))
        .map(|(p, k)| {
            let process = model.process(p);
            vec![
                vec![page_link(format!("process-{}", process.id), &process.name)],
                vec![Span::text(k.name.as_str())],
                text(&k.target),
                text(&k.frequency),
                text(&k.description),
            ]
        })
        .collect();
    if rows.is_empty() {
        return vec![Block::Par { body: vec![Span::text("No process defines a KPI yet.")] }];
    }
    vec![table(&["Process", "KPI", "Target", "Frequency", "Description"], rows)]
}

fn improvements(model: &Model) -> Vec<Block> {
    let mut rows: Vec<Vec<Vec<Span>>> = Vec::new();
    let mut add = |key: String, name: &str, findings: &[Finding]| {
        for f in findings {
            let owner = f
                .owner
                .map(|r| vec![page_link(format!("role-{}", model.role(r).id), &model.role(r).name)])
                .unwrap_or_default();
            rows.push(vec![
                vec![page_link(key.clone(), name)],
                vec![Span::text(status_word(f.status))],
                vec![Span::text(f.text.as_str())],
                owner,
            ]);
        }
    };
    for &p in &model.processes {
        let process = model.process(p);
        let key = format!("process-{}", process.id);
        add(key.clone(), &process.name, &process.findings);
        for &a in &process.activities {
            let activity = model.activity(a);
            add(key.clone(), &format!("{}: {}", process.name, activity.name), &activity.findings);
        }
    }
    for &w in &model.workflows {
        let workflow = model.workflow(w);
        for &s in &workflow.steps {
            let step = model.step(s);
            let anchor = crate::wiki::content::step_anchor(model, w, s);
            add(anchor, &format!("{}: {}", workflow.name, step.name), &step.findings);
        }
    }
    if rows.is_empty() {
        return vec![Block::Par { body: vec![Span::text("No finding is recorded.")] }];
    }
    vec![table(&["Where", "Status", "Finding", "Owner"], rows)]
}
