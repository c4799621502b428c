//! Rebuilding the site after an edit without redoing what did not change.
//!
//! Every process, workflow and role page (with a workflow's diagrams and
//! downloads, and each entity's part of the search index) is cached under a
//! *key*: a hash of the settings and of every source file its content can come
//! from. Those files are found through the model graph: the entity and its
//! members (a process's activities, a workflow's steps), every node one edge
//! away, and for steps among those, every node one edge further (a step's lane,
//! the activities it realizes, its workflow). That covers everything a page
//! shows — role names in lanes, activity and process names, callers, RACI
//! letters — so a changed key is the only reason to render again, and an
//! unchanged key means the page's bytes would be identical. A clean build is
//! the same code with an empty cache, and tests compare the two after edits.
//!
//! The summary pages (home, RACI overview, KPIs, improvements, check report)
//! depend on the whole model and are rendered on every rebuild, on another
//! thread while the changed entities render, and published second with the
//! PNG downloads (rasterising is the slowest step).

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, NodeIndexable};
use rayon::prelude::*;

use super::pages::Pages;
use super::{RenderedDiagram, SiteError, SiteFile, search};
use crate::Checked;
use crate::compile::{Model, Node};
use crate::layout::{self, LayoutOptions};
use crate::model::DiagramFormat;
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
}

impl Incremental {
    /// Brings the site up to date with `checked`. `publish` is called twice:
    /// first with the pages of the entities that changed and the search index
    /// (so the page being edited can reload at once), then with the summary
    /// pages, the theme (first build only) and the removed paths. Returns the
    /// number of diagrams in the site.
    pub fn rebuild(
        &mut self,
        checked: &Checked,
        sources: &Sources,
        publish: &mut dyn FnMut(SiteDelta),
    ) -> Result<usize, SiteError> {
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
    ) -> Result<usize, SiteError> {
        let model = &checked.model;
        let keys = Keys::new(checked, sources);
        let pages = Pages::new(checked);
        let entities: Vec<(Entity, NodeIndex)> = model
            .processes
            .iter()
            .map(|&p| (Entity::Process(model.process(p).id.clone()), p))
            .chain(model.workflows.iter().map(|&w| (Entity::Workflow(model.workflow(w).id.clone()), w)))
            .chain(model.roles.iter().map(|&r| (Entity::Role(model.role(r).id.clone()), r)))
            .collect();
        let entity_keys: Vec<u64> = entities.par_iter().map(|(_, node)| keys.entity(model, *node)).collect();

        let (pngs, summaries) = std::thread::scope(|scope| {
            let summaries = scope.spawn(|| {
                let diagram = layout::landscape(model);
                let link =
                    |node: &crate::layout::diagram::Node| node.link.as_ref().map(|p| format!("processes/{p}.html"));
                pages.summaries(sources, &crate::render::svg_with_links(&diagram, &link))
            });
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
                    paths.extend(rendered.png.as_ref().map(|(path, _)| path.clone()));
                    Ok((i, Cached { key, search: rendered.search.as_str().into(), paths }, rendered))
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
                Err(err) => return (Err(err), summaries.join()),
            }
            let live: std::collections::HashSet<&Entity> = entities.iter().map(|(e, _)| e).collect();
            self.entities.retain(|entity, _| live.contains(entity));
            let fragments = entities.iter().filter_map(|(e, _)| self.entities.get(e)).map(|c| &*c.search);
            files.push(SiteFile { path: SEARCH_INDEX.into(), bytes: search::index_script(fragments).into_bytes() });
            publish(SiteDelta { files, removed: Vec::new() });
            // Rasterising is the slowest step: it runs after the pages are
            // out, beside the summaries.
            let pngs: Result<Vec<SiteFile>, SiteError> = pngs
                .par_iter()
                .map(|(path, diagram)| Ok(SiteFile { path: path.clone(), bytes: crate::render::png(diagram, 2.0)? }))
                .collect();
            (pngs, summaries.join())
        });

        let mut files = pngs?;
        files.extend(summaries.unwrap_or_else(|panic| std::panic::resume_unwind(panic))?);
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
        Ok(model.workflows.len() + 1)
    }
}

/// What rendering one entity gives: its files, the diagram still to be
/// rasterised (path and layout) and its search index entries.
struct Rendered {
    files: Vec<SiteFile>,
    png: Option<(String, crate::layout::diagram::Diagram)>,
    search: String,
}

const SEARCH_INDEX: &str = "assets/search-index.js";

/// The files of one process, workflow or role, and its search index entries.
fn render_entity(
    checked: &Checked,
    pages: &Pages,
    (entity, node): &(Entity, NodeIndex),
) -> Result<Rendered, SiteError> {
    let model = &checked.model;
    match entity {
        Entity::Process(_) => Ok(Rendered {
            files: vec![pages.process(*node)?],
            png: None,
            search: search::process_entries(model, *node),
        }),
        Entity::Role(_) => {
            Ok(Rendered { files: vec![pages.role(*node)?], png: None, search: search::role_entries(model, *node) })
        }
        Entity::Workflow(id) => {
            let formats = &checked.settings.formats;
            let diagram = layout::workflow(model, *node, LayoutOptions::default());
            let link = |node: &crate::layout::diagram::Node| Some(format!("#step-{}", node.id));
            let rendered = RenderedDiagram {
                inline: crate::render::svg_with_links(&diagram, &link),
                svg: crate::render::svg(&diagram),
                bpmn: formats.contains(&DiagramFormat::Bpmn).then(|| crate::bpmn::export(model, *node, &diagram)),
            };
            let mut files = vec![pages.workflow(*node, &rendered)?];
            files.push(SiteFile { path: format!("workflows/{id}.svg"), bytes: rendered.svg.into_bytes() });
            if let Some(bpmn) = rendered.bpmn {
                files.push(SiteFile { path: format!("workflows/{id}.bpmn"), bytes: bpmn.into_bytes() });
            }
            let png = formats.contains(&DiagramFormat::Png).then(|| (format!("workflows/{id}.png"), diagram));
            Ok(Rendered { files, png, search: search::workflow_entries(model, *node) })
        }
    }
}

/// Content keys of every node of the model: the node's kind and id, and the
/// path and text of the file it is written in.
struct Keys {
    nodes: Vec<u64>,
    settings: u64,
}

impl Keys {
    fn new(checked: &Checked, sources: &Sources) -> Self {
        let files: Vec<u64> = sources.files().map(|(_, file)| hash_of(&(&file.path, &file.text))).collect();
        let file = |span: &crate::source::Span| files.get(span.file.0 as usize).copied().unwrap_or_default();
        let graph = &checked.model.graph;
        let mut nodes = vec![0; graph.node_bound()];
        for index in graph.node_indices() {
            nodes[index.index()] = match &graph[index] {
                Node::Role(r) => hash_of(&("role", &r.id, file(&r.span))),
                Node::Process(p) => hash_of(&("process", &p.id, file(&p.span))),
                Node::Activity(a) => hash_of(&("activity", &a.id, file(&a.span))),
                Node::Workflow(w) => hash_of(&("workflow", &w.id, file(&w.span))),
                Node::Step(s) => hash_of(&("step", &s.id, file(&s.span))),
            };
        }
        let settings = sources.settings().map_or(0, |id| files[id.0 as usize]);
        Keys { nodes, settings }
    }

    /// The key of a process, workflow or role page: the settings and the keys
    /// of every node within reach (see the module documentation).
    fn entity(&self, model: &Model, node: NodeIndex) -> u64 {
        let graph = &model.graph;
        let members: Vec<NodeIndex> = match &graph[node] {
            Node::Process(p) => std::iter::once(node).chain(p.activities.iter().copied()).collect(),
            Node::Workflow(w) => std::iter::once(node).chain(w.steps.iter().copied()).collect(),
            _ => vec![node],
        };
        let neighbours = |n: NodeIndex| {
            graph
                .edges_directed(n, Direction::Outgoing)
                .map(|e| e.target())
                .chain(graph.edges_directed(n, Direction::Incoming).map(|e| e.source()))
        };
        let mut reached = Vec::new();
        for &member in &members {
            reached.push(member);
            for near in neighbours(member) {
                reached.push(near);
                if matches!(graph[near], Node::Step(_)) {
                    reached.extend(neighbours(near));
                }
            }
        }
        let mut keys: Vec<u64> = reached.into_iter().map(|n| self.nodes[n.index()]).collect();
        keys.sort_unstable();
        keys.dedup();
        hash_of(&(self.settings, self.nodes[node.index()], keys))
    }
}
