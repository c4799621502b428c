//! `procflow export pdf`: the whole documentation as one PDF handbook,
//! typeset by Typst used as a library.
//!
//! The wiki's flavour-neutral pages ([`crate::wiki::content`]) are the
//! content — the handbook says what the wiki says — rearranged into
//! chapters ([`chapters`]) with the registers no single page holds
//! ([`registers`]); user Markdown becomes a small tree ([`markdown`]); the
//! diagrams are laid out in parallel, drawn as SVG with their text kept as
//! text (Typst embeds it with the bundled fonts, so `pdftotext` finds step
//! names) and planned onto pages ([`diagrams`]). Everything goes as one JSON
//! file ([`data`]) beside the template `templates/handbook.typ` into a world
//! of memory ([`world`]). No I/O here: the PDF comes back as bytes.

mod chapters;
pub mod data;
mod diagrams;
mod markdown;
mod registers;
mod world;

use rayon::prelude::*;

use crate::Checked;
use crate::compile::Model;
use crate::layout::{self, LayoutOptions};
use crate::model::{Date, DocumentStatus};
use crate::wiki::content::{self, Drawing};
use data::Handbook;

pub use diagrams::MIN_SCALE;

/// The handbook template, compiled in.
const TEMPLATE: &str = include_str!("../../templates/handbook.typ");

/// The handbook as typeset, with counts for the summary line.
#[derive(Debug, Clone)]
pub struct Pdf {
    pub bytes: Vec<u8>,
    pub pages: usize,
    pub diagrams: usize,
}

/// Why the handbook could not be typeset. Any of these is a bug in
/// procflow's template or data, never in the model, which reaches Typst
/// only as data.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the handbook could not be typeset: {0}")]
    Typeset(String),
}

/// Typesets the checked model as a PDF handbook dated `today`.
/// Where a diagram's step links lead: a step id to its label, if any.
type StepLinks = Box<dyn Fn(&str) -> Option<String>>;

pub fn export(checked: &Checked, today: &Date) -> Result<Pdf, PdfError> {
    let model = &checked.model;
    let (pages, specs) = content::pages(model, &checked.settings.title);
    let laid: Vec<(data::Diagram, String)> = specs
        .par_iter()
        .enumerate()
        .map(|(i, spec)| {
            let (diagram, links): (_, StepLinks) = match spec.drawing {
                Drawing::Workflow(w) => {
                    let workflow = model.workflow(w);
                    let page = format!("workflow-{}", workflow.id);
                    let ids: Vec<&str> = workflow.steps.iter().map(|&s| model.step(s).id.as_str()).collect();
                    let ids: std::collections::BTreeSet<String> = ids.into_iter().map(String::from).collect();
                    (
                        layout::workflow(model, w, LayoutOptions::default()),
                        Box::new(move |id: &str| ids.contains(id).then(|| format!("{page}/{id}"))),
                    )
                }
                Drawing::Landscape => {
                    let ids: std::collections::BTreeSet<String> =
                        model.processes.iter().map(|&p| model.process(p).id.clone()).collect();
                    (
                        layout::landscape(model),
                        Box::new(move |id: &str| ids.contains(id).then(|| format!("process-{id}"))),
                    )
                }
            };
            let file = format!("/diagrams/{i}.svg");
            (diagrams::plan(&diagram, file, links), crate::render::svg(&diagram))
        })
        .collect();
    let count = laid.len();
    let mut files = Vec::with_capacity(count + 1);
    let mut plans = Vec::with_capacity(count);
    for (plan, svg) in laid {
        files.push((plan.file.clone(), svg.into_bytes()));
        plans.push(plan);
    }
    let handbook = Handbook {
        title: checked.settings.title.clone(),
        date: today.0.clone(),
        summary: summary(model),
        chapters: chapters::chapters(model, &pages, plans, registers::registers(model)),
    };
    let json = serde_json::to_vec(&handbook).map_err(|e| PdfError::Typeset(e.to_string()))?;
    files.push(("/handbook.json".to_string(), json));
    let world = world::HandbookWorld::new("/handbook.typ", TEMPLATE, files, today).map_err(PdfError::Typeset)?;
    let (bytes, page_count) = typeset(&world, today)?;
    Ok(Pdf { bytes, pages: page_count, diagrams: count })
}

/// Compiles the world and writes the PDF: tagged (for screen readers), with
/// a fixed identifier and the build date, so builds are byte-identical.
fn typeset(world: &world::HandbookWorld, today: &Date) -> Result<(Vec<u8>, usize), PdfError> {
    let compiled = typst::compile::<typst_layout::PagedDocument>(world);
    let document = compiled.output.map_err(|errors| PdfError::Typeset(messages(world, &errors)))?;
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom("procflow-handbook".into()),
        creator: typst::foundations::Smart::Custom(Some("procflow".into())),
        timestamp: world::datetime_of(today).map(typst_pdf::Timestamp::new_utc),
        tagged: true,
        ..typst_pdf::PdfOptions::default()
    };
    let bytes = typst_pdf::pdf(&document, &options).map_err(|errors| PdfError::Typeset(messages(world, &errors)))?;
    Ok((bytes, document.pages().len()))
}

/// Typst's errors in one line, each at its line of the template.
fn messages(world: &world::HandbookWorld, diagnostics: &[typst::diag::SourceDiagnostic]) -> String {
    use typst::WorldExt;
    diagnostics
        .iter()
        .map(|d| match world.range(d.span) {
            Some(range) => {
                let line = TEMPLATE.get(..range.start).map_or(0, |t| t.matches('\n').count()) + 1;
                format!("templates/handbook.typ:{line}: {}", d.message)
            }
            None => d.message.to_string(),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// The cover's lines: what the handbook holds and where its documents stand.
fn summary(model: &Model) -> Vec<String> {
    let counted = crate::diagnostic::counted;
    let mut lines = vec![format!(
        "{} · {} · {}",
        counted(model.processes.len(), "process", "processes"),
        counted(model.workflows.len(), "workflow", "workflows"),
        counted(model.roles.len(), "role", "roles"),
    )];
    let statuses = model
        .processes
        .iter()
        .filter_map(|&p| model.process(p).document.as_ref().and_then(|d| d.status))
        .chain(model.workflows.iter().filter_map(|&w| model.workflow(w).document.as_ref().and_then(|d| d.status)));
    let mut counts = std::collections::BTreeMap::<DocumentStatus, usize>::new();
    for status in statuses {
        *counts.entry(status).or_default() += 1;
    }
    if !counts.is_empty() {
        let parts: Vec<String> =
            counts.iter().map(|(status, n)| format!("{n} {}", status.word().to_lowercase())).collect();
        lines.push(format!("Documents: {}", parts.join(", ")));
    }
    lines
}
