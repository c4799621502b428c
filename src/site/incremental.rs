//! Rebuilding the site after an edit without redoing what did not change.
//!
//! Every process, workflow and role page (with a workflow's diagrams and
//! downloads, and each entity's part of the search index) is cached under a
//! *key*: a hash of the settings and of every source file its content can come
//! from. Those files are found through the model graph: the entity and its
//! members (a process's activities, a workflow's steps), every node one edge
//! away, and for steps among those, every node one edge further (a step's lane,
//! the activities it realizes, its workflow); a workflow's key also covers
//! the roles holding the RACI letters of the activities its steps realize
//! (shown in the step details), a process's key the keys of the workflows
//! implementing it (it draws their diagrams), and a process's or workflow's
//! key its approver and whether its review is overdue (its header). That covers everything a page
//! shows — role names in lanes, activity and process names, callers, RACI
//! letters — so a changed key is the only reason to render again, and an
//! unchanged key means the page's bytes would be identical. A clean build is
//! the same code with an empty cache, and tests compare the two after edits.
//!
//! The summary pages (home, RACI overview, KPIs, improvements, check report)
//! depend on the whole model and are rendered on every rebuild, after the
//! changed entities are published (so the page being edited reloads first),
//! beside the PNG downloads (rasterising is the slowest step).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};
use rayon::prelude::*;

use super::pages::{Link, Pages, ProcessDiagram, REALIZES_CLASS};
use super::{RenderedDiagram, SiteError, SiteFile, search};
use crate::Checked;
use crate::compile::{Model, Node};
use crate::diagnostic::{Code, Diagnostic};
use crate::layout::{self, LayoutOptions};
use crate::model::DiagramFormat;
use crate::render::svg::{Classes, svg_with_classes};
use crate::source::{Sources, hash_of};

/// Files to write or replace, and paths to delete, after one build step.
#[derive(Debug, Default)]
pub struct SiteDelta {
    /// New or possibly changed files (a caller that keeps the previous bytes
    /// may skip the ones that are equal).
    pub files: Vec<SiteFile>,
    /// Paths of the previous build that no longer exist.
    pub removed: Vec<String>,
}

/// What the previous builds produced, kept so the next one redoes only what
/// changed. Start from `Incremental::default()`: the first rebuild renders
/// everything.
#[derive(Debug, Default)]
pub struct Incremental {
    entities: HashMap<Entity, Cached>,
    /// Every path of the last build.
    paths: BTreeSet<String>,
}

/// A page-owning entity: its kind and id (ids are unique per kind).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Entity {
    Process(String),
    Workflow(String),
    Role(String),
}

#[derive(Debug)]
struct Cached {
    key: u64,
    /// The entity's entries in the search index.
    search: Arc<str>,
    /// The files it produced.
    paths: Vec<String>,
    /// What rendering it found worth telling (a diagram too large for a PNG).
    warnings: Vec<Diagnostic>,
}

/// What a rebuild produced besides files.
#[derive(Debug, Default)]
pub struct Rebuilt {
    /// Diagrams in the site.
    pub diagrams: usize,
    /// Warnings found while rendering, in model order (see [`Code::DiagramTooLarge`]).
    pub warnings: Vec<Diagnostic>,
}

impl Incremental {
    /// Brings the site up to date with `checked`. `publish` is called twice:
    /// first with the pages of the entities that changed and the search index
    /// (so the page being edited can reload at once), then with the summary
    /// pages, the theme (first build only) and the removed paths. Returns the
    /// number of diagrams in the site and the warnings of rendering.
    pub fn rebuild(
        &mut self,
        checked: &Checked,
        sources: &Sources,
        publish: &mut dyn FnMut(SiteDelta),
    ) -> Result<Rebuilt, SiteError> {
        let result = self.update(checked, sources, publish);
        if result.is_err() {
            // Some files may be missing: render everything next time.
            self.entities.clear();
        }
        result
    }

    fn update(
        &mut self,
        checked: &Checked,
        sources: &Sources,
        publish: &mut dyn FnMut(SiteDelta),
    ) -> Result<Rebuilt, SiteError> {
        let model = &checked.model;
        // One date for the whole build: every key marks an overdue review by it.
        let today = crate::model::today().0;
        let keys = Keys::new(checked, sources, today.clone());
        let pages = Pages::new(checked, sources, &today);
        let entities: Vec<(Entity, NodeIndex)> = model
            .processes
            .iter()
            .map(|&p| (Entity::Process(model.process(p).id.clone()), p))
            .chain(model.workflows.iter().map(|&w| (Entity::Workflow(model.workflow(w).id.clone()), w)))
            .chain(model.roles.iter().map(|&r| (Entity::Role(model.role(r).id.clone()), r)))
            .collect();
        let entity_keys: Vec<u64> = entities.par_iter().map(|(_, node)| keys.entity(model, *node)).collect();

        let (pngs, summaries) = {
            let stale: Vec<(usize, u64)> = entity_keys
                .iter()
                .enumerate()
                .filter(|&(i, key)| self.entities.get(&entities[i].0).map(|c| c.key) != Some(*key))
                .map(|(i, key)| (i, *key))
                .collect();
            let fresh: Result<Vec<(usize, Cached, Rendered)>, SiteError> = stale
                .par_iter()
                .map(|&(i, key)| {
                    let rendered = render_entity(checked, &pages, &entities[i])?;
                    let mut paths: Vec<String> = rendered.files.iter().map(|f| f.path.clone()).collect();
                    paths.extend(rendered.png.as_ref().map(|(path, ..)| path.clone()));
                    let search = rendered.search.as_str().into();
                    let warnings = rendered.warnings.clone();
                    Ok((i, Cached { key, search, paths, warnings }, rendered))
                })
                .collect();
            let mut files = Vec::new();
            let mut pngs = Vec::new();
            match fresh {
                Ok(fresh) => {
                    for (i, cached, rendered) in fresh {
                        self.entities.insert(entities[i].0.clone(), cached);
                        files.extend(rendered.files);
                        pngs.extend(rendered.png);
                    }
                }
                Err(err) => return Err(err),
            }
            let live: std::collections::HashSet<&Entity> = entities.iter().map(|(e, _)| e).collect();
            self.entities.retain(|entity, _| live.contains(entity));
            let fragments = entities.iter().filter_map(|(e, _)| self.entities.get(e)).map(|c| &*c.search);
            files.push(SiteFile { path: SEARCH_INDEX.into(), bytes: search::index_script(fragments).into_bytes() });
            publish(SiteDelta { files, removed: Vec::new() });
            // Rasterising is the slowest step: it runs after the pages are
            // out, beside the summaries.
            let landscape = layout::landscape(model);
            let landscape_png = checked
                .settings
                .formats
                .contains(&DiagramFormat::Png)
                .then(|| crate::render::png::download_scale(&landscape))
                .flatten();
            let landscape_svg = SiteFile {
                path: format!("{}.svg", super::pages::LANDSCAPE),
                bytes: crate::render::svg(&landscape).into_bytes(),
            };
            let landscape_png =
                landscape_png.map(|scale| (format!("{}.png", super::pages::LANDSCAPE), &landscape, scale));
            let workflow_pngs = pngs.iter().map(|(path, diagram, scale)| (path.clone(), diagram, *scale));
            let all_pngs: Vec<_> = workflow_pngs.chain(landscape_png.clone()).collect();
            let (pngs, summaries) = rayon::join(
                || -> Result<Vec<SiteFile>, SiteError> {
                    all_pngs
                        .par_iter()
                        .map(|(path, diagram, scale)| {
                            Ok(SiteFile { path: path.clone(), bytes: crate::render::png(diagram, *scale)? })
                        })
                        .collect()
                },
                || {
                    let link =
                        |node: &crate::layout::diagram::Node| node.link.as_ref().map(|p| format!("processes/{p}.html"));
                    let inline = crate::render::svg_with_links(&landscape, &link);
                    pages.summaries(sources, &inline, landscape_png.is_some())
                },
            );
            (
                pngs,
                summaries.map(|mut files| {
                    files.push(landscape_svg);
                    files
                }),
            )
        };

        let mut files = pngs?;
        files.extend(summaries?);
        let mut paths: BTreeSet<String> = self.entities.values().flat_map(|c| c.paths.iter().cloned()).collect();
        paths.insert(SEARCH_INDEX.into());
        let theme = super::theme_files();
        paths.extend(files.iter().chain(&theme).map(|f| f.path.clone()));
        if self.paths.is_empty() {
            files.extend(theme);
        }
        let removed = self.paths.difference(&paths).cloned().collect();
        self.paths = paths;
        publish(SiteDelta { files, removed });
        let warnings = entities
            .iter()
            .filter_map(|(e, _)| self.entities.get(e))
            .flat_map(|c| c.warnings.iter().cloned())
            .collect();
        Ok(Rebuilt { diagrams: model.workflows.len() + 1, warnings })
    }
}

/// What rendering one entity gives: its files, the diagram still to be
/// rasterised (path, layout and scale), its search index entries and
/// warnings.
struct Rendered {
    files: Vec<SiteFile>,
    png: Option<(String, crate::layout::diagram::Diagram, f32)>,
    search: String,
    warnings: Vec<Diagnostic>,
}

const SEARCH_INDEX: &str = "assets/search-index.js";

/// W0502 at the workflow: its diagram is too large for a readable PNG file.
fn too_large_for_png(model: &Model, workflow: NodeIndex, diagram: &crate::layout::diagram::Diagram) -> Diagnostic {
    use crate::render::png::{MAX_DOWNLOAD_PIXELS, MAX_DOWNLOAD_SIDE};
    let w = model.workflow(workflow);
    Diagnostic::new(
        Code::DiagramTooLarge,
        w.span,
        format!(
            "the diagram of workflow `{}` is {:.0}×{:.0} px, too large for a readable PNG file (at most {} px a side and {} megapixels); no PNG file was written",
            w.id,
            diagram.width,
            diagram.height,
            MAX_DOWNLOAD_SIDE,
            MAX_DOWNLOAD_PIXELS / 1_000_000
        ),
    )
    .with_help("its page still offers the SVG and a PNG made in the browser; split the workflow (a subprocess step with `calls`) to get a diagram people can read")
}

/// The files of one process, workflow or role, and its search index entries.
fn render_entity(
    checked: &Checked,
    pages: &Pages,
    (entity, node): &(Entity, NodeIndex),
) -> Result<Rendered, SiteError> {
    let model = &checked.model;
    match entity {
        Entity::Process(_) => Ok(Rendered {
            files: vec![pages.process(*node, process_diagrams(model, *node))?],
            png: None,
            search: search::process_entries(model, *node),
            warnings: Vec::new(),
        }),
        Entity::Role(_) => Ok(Rendered {
            files: vec![pages.role(*node)?],
            png: None,
            search: search::role_entries(model, *node),
            warnings: Vec::new(),
        }),
        Entity::Workflow(id) => {
            let formats = &checked.settings.formats;
            let diagram = layout::workflow(model, *node, LayoutOptions::default());
            let link = |node: &crate::layout::diagram::Node| Some(format!("#step-{}", node.id));
            let wants_png = formats.contains(&DiagramFormat::Png);
            let png_scale = if wants_png { crate::render::png::download_scale(&diagram) } else { None };
            let rendered = RenderedDiagram {
                inline: crate::render::svg_with_links(&diagram, &link),
                svg: crate::render::svg(&diagram),
                bpmn: formats.contains(&DiagramFormat::Bpmn).then(|| crate::bpmn::export(model, *node, &diagram)),
                png_file: png_scale.is_some(),
            };
            let mut files = vec![pages.workflow(*node, &rendered)?];
            files.push(SiteFile { path: format!("workflows/{id}.svg"), bytes: rendered.svg.into_bytes() });
            if let Some(bpmn) = rendered.bpmn {
                files.push(SiteFile { path: format!("workflows/{id}.bpmn"), bytes: bpmn.into_bytes() });
            }
            let mut warnings = Vec::new();
            if wants_png && png_scale.is_none() {
                warnings.push(too_large_for_png(model, *node, &diagram));
            }
            let png = png_scale.map(|scale| (format!("workflows/{id}.png"), diagram, scale));
            Ok(Rendered { files, png, search: search::workflow_entries(model, *node), warnings })
        }
    }
}

/// The diagrams of the workflows implementing process `p`, in model order:
/// steps link to their entries on the workflow's page, and those realizing
/// one of the process's activities carry [`REALIZES_CLASS`].
fn process_diagrams(model: &Model, p: NodeIndex) -> Vec<ProcessDiagram> {
    let activities = &model.process(p).activities;
    model
        .workflows
        .iter()
        .copied()
        .filter(|&w| model.implemented_processes(w).contains(&p))
        .map(|w| {
            let wf = model.workflow(w);
            let realizing: std::collections::HashSet<&str> = wf
                .steps
                .iter()
                .filter(|&&s| model.realized_by(s).iter().any(|a| activities.contains(a)))
                .map(|&s| model.step(s).id.as_str())
                .collect();
            let diagram = layout::workflow(model, w, LayoutOptions::default());
            let link =
                |node: &crate::layout::diagram::Node| Some(format!("../workflows/{}.html#step-{}", wf.id, node.id));
            let classes = Classes { node: &|id| realizing.contains(id).then_some(REALIZES_CLASS), flow: &|_, _| None };
            ProcessDiagram {
                workflow: Link { id: wf.id.clone(), name: wf.name.clone() },
                svg: svg_with_classes(&diagram, &link, &classes),
            }
        })
        .collect()
}

/// Content keys of every node of the model.
struct Keys {
    /// Per node: its kind and id, and the path and text of the file it is
    /// written in.
    nodes: Vec<u64>,
    /// Per node: its key, the keys of its neighbours (either direction) and,
    /// for neighbours that are steps, the keys of their neighbours; combined
    /// without regard to order.
    beyond: Vec<u64>,
    settings: u64,
    /// The build's date (`YYYY-MM-DD`), against which reviews are overdue.
    today: String,
}

impl Keys {
    fn new(checked: &Checked, sources: &Sources, today: String) -> Self {
        let texts: Vec<_> = sources.files().collect();
        let files: Vec<u64> = texts.par_iter().map(|(_, file)| hash_of(&(&file.path, &file.text))).collect();
        let file = |span: &crate::source::Span| files.get(span.file.0 as usize).copied().unwrap_or_default();
        let graph = &checked.model.graph;
        // Node indices are dense (nodes are never removed).
        let indices: Vec<NodeIndex> = graph.node_indices().collect();
        debug_assert!(indices.iter().enumerate().all(|(i, n)| n.index() == i));
        let nodes: Vec<u64> = indices
            .par_iter()
            .map(|&index| match &graph[index] {
                Node::Role(r) => hash_of(&("role", &r.id, file(&r.span))),
                Node::Process(p) => hash_of(&("process", &p.id, file(&p.span))),
                Node::Activity(a) => hash_of(&("activity", &a.id, file(&a.span))),
                Node::Workflow(w) => hash_of(&("workflow", &w.id, file(&w.span))),
                Node::Step(s) => hash_of(&("step", &s.id, file(&s.span))),
            })
            .collect();
        // One pass over the edges in storage order (fast on a large graph):
        // each end adds a hash of the other end's key and of the edge's
        // direction, so the sum does not depend on the order of the edges.
        let mut around: Vec<u64> = nodes.iter().map(|&key| hash_of(&("node", key))).collect();
        for edge in graph.edge_references() {
            let (from, to) = (edge.source().index(), edge.target().index());
            around[from] = around[from].wrapping_add(hash_of(&("to", nodes[to])));
            around[to] = around[to].wrapping_add(hash_of(&("from", nodes[from])));
        }
        // A second pass reaches one edge further through steps: what a
        // step's neighbours are (its lane, its activities, its workflow).
        let is_step: Vec<bool> = indices.iter().map(|&n| matches!(graph[n], Node::Step(_))).collect();
        let mut beyond = around.clone();
        for edge in graph.edge_references() {
            let (from, to) = (edge.source().index(), edge.target().index());
            if is_step[to] {
                beyond[from] = beyond[from].wrapping_add(around[to]);
            }
            if is_step[from] {
                beyond[to] = beyond[to].wrapping_add(around[from]);
            }
        }
        // Every page's "last changed" line comes from the history, which only
        // new commits change: it keys every page, like the settings.
        let history: Vec<&str> = checked.history.iter().flat_map(|h| h.commits.iter().map(|c| c.id.as_str())).collect();
        let settings = hash_of(&(sources.settings().map_or(0, |id| files[id.0 as usize]), history));
        Keys { nodes, beyond, settings, today }
    }

    /// The key of a process, workflow or role page: the settings and the keys
    /// of every node within reach (see the module documentation), as the
    /// `beyond` keys of its members.
    fn entity(&self, model: &Model, node: NodeIndex) -> u64 {
        let (members, document): (&[NodeIndex], _) = match &model.graph[node] {
            Node::Process(p) => (&p.activities, p.document.as_deref()),
            Node::Workflow(w) => (&w.steps, w.document.as_deref()),
            _ => (&[], None),
        };
        let mut parts: Vec<u64> =
            std::iter::once(node).chain(members.iter().copied()).map(|m| self.beyond[m.index()]).collect();
        if matches!(model.graph[node], Node::Workflow(_)) {
            // The roles holding the RACI letters of the activities its steps
            // realize (the letters are in the activity's file, covered above).
            let activities = members.iter().flat_map(|&s| model.realized_by(s));
            let holders = activities.flat_map(|a| model.raci(a)).map(|(_, role)| self.nodes[role.index()]);
            parts.extend(holders);
        }
        if matches!(model.graph[node], Node::Process(_)) {
            // The page draws the diagrams of the workflows implementing it:
            // everything those workflows' pages draw.
            let implementers = model.workflows.iter().filter(|&&w| model.implemented_processes(w).contains(&node));
            parts.extend(implementers.map(|&w| self.entity(model, w)));
        }
        // The header names the approver (no edge leads to it) and marks a
        // review overdue, which changes with the date.
        if let Some(document) = document {
            parts.extend(document.approved_by.map(|role| self.nodes[role.index()]));
            parts.push(u64::from(document.review_overdue(&self.today)));
        }
        hash_of(&(self.settings, self.nodes[node.index()], parts))
    }
}
