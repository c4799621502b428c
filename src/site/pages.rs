//! The pages of the site: one askama template each (`templates/*.html`), and
//! the data each one shows, gathered from the model.

use std::collections::HashMap;
use std::fmt::Write as _;

use askama::Template;
use petgraph::stable_graph::NodeIndex;

use super::document::{DocumentView, ReviewRow, reviews};
use super::{RenderedDiagram, SiteError, SiteFile, esc, markdown, summary};
use crate::Checked;
use crate::compile::{Finding, Model, Peer};
use crate::diagnostic::{self, Severity};
use crate::model::{FindingStatus, StepType};
use crate::raci::{self, Format, Options, Selection};
use crate::source::Sources;

/// What every page shows around its content.
pub struct Frame {
    /// The page's own title; empty on the home page, whose title is the site's.
    pub page_title: String,
    pub site_title: String,
    /// Relative path from the page to the site root ("" or "../").
    pub root: &'static str,
    pub canonical: Option<String>,
    pub footer: String,
    /// The site menu, with the entry of this page (or its section) marked.
    pub menu: Vec<MenuItem>,
    /// This page is the home page (the site name in the header marks it).
    pub home: bool,
    /// When the models were built from a git repository: the commit that
    /// last changed what this page shows, as a line of HTML.
    pub last_changed: Option<String>,
    /// "Edit this page" and "Give feedback" (`edit_url`, `feedback_url`),
    /// on pages made from one model file.
    pub actions: Vec<PageAction>,
    /// Scripts of this page beyond the search, from `assets/`.
    pub scripts: &'static [&'static str],
}

/// A link from a page to where it is edited or commented on, outside the site.
pub struct PageAction {
    pub href: String,
    pub label: &'static str,
}

/// One entry of the site menu.
pub struct MenuItem {
    /// From the site root.
    pub href: &'static str,
    /// The text of the entry.
    pub label: &'static str,
    /// `aria-current`: "page" on the entry of this very page, "true" on the
    /// section (processes, workflows, roles) a page belongs to, else empty.
    pub current: &'static str,
}

/// Where a page sits in the site menu.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Home,
    Processes,
    Workflows,
    Roles,
    Raci,
    Kpis,
    Improvements,
    Check,
    Alignment,
    Changes,
}

/// The menu entries in order, with the one for `section` marked.
fn menu(section: Section, history: bool) -> Vec<MenuItem> {
    let changes = history.then_some((Section::Changes, super::changes::PATH, "Changes", "page"));
    let entries = [
        (Section::Processes, "index.html#processes", "Processes", "true"),
        (Section::Workflows, "index.html#workflows", "Workflows", "true"),
        (Section::Roles, "index.html#roles", "Roles", "true"),
        (Section::Raci, "raci.html", "RACI", "page"),
        (Section::Kpis, "kpis.html", "KPIs", "page"),
        (Section::Improvements, "improvements.html", "Improvements", "page"),
        (Section::Check, "check.html", "Model check", "page"),
    ];
    entries
        .into_iter()
        .chain(changes)
        .map(|(s, href, label, mark)| {
            // The tool alignment page belongs to the check report's section.
            let current = match (s, section) {
                _ if s == section => mark,
                (Section::Check, Section::Alignment) => "true",
                _ => "",
            };
            MenuItem { href, label, current }
        })
        .collect()
}

/// A link to a model element.
pub struct Link {
    pub id: String,
    pub name: String,
}

/// An entry of a list on the home page.
pub struct Card {
    pub id: String,
    pub name: String,
    pub summary: String,
}

#[derive(Template)]
#[template(path = "index.html")]
struct IndexPage {
    frame: Frame,
    errors: usize,
    warnings: usize,
    open_findings: usize,
    landscape: String,
    /// The landscape's SVG and PNG downloads, like a workflow diagram's.
    downloads: Vec<Download>,
    processes: Vec<Card>,
    workflows: Vec<Card>,
    roles: Vec<Card>,
    /// Reviews of processes and workflows, soonest first.
    reviews: Vec<ReviewRow>,
    /// Whether `handbook.pdf` is written (`formats` lists `pdf`).
    handbook: bool,
}

struct TextList {
    id: &'static str,
    title: &'static str,
    items: Vec<String>,
}

struct FlowRow {
    direction: &'static str,
    name: String,
    peer: String,
    link: Option<String>,
}

struct KpiRow {
    id: String,
    name: String,
    target: String,
    frequency: String,
    description: String,
}

struct StepRef {
    href: String,
    name: String,
    workflow: String,
}

struct ActivityBlock {
    id: String,
    /// The steps performing it, as `workflow-id/step-id` separated by
    /// spaces: which nodes of the diagrams above `highlight.js` marks.
    step_refs: String,
    name: String,
    description: String,
    steps: Vec<StepRef>,
    findings: String,
}

#[derive(Template)]
#[template(path = "process.html")]
struct ProcessPage {
    frame: Frame,
    name: String,
    owner: Option<Link>,
    purpose: String,
    scope: String,
    lists: Vec<TextList>,
    flows: Vec<FlowRow>,
    kpis: Vec<KpiRow>,
    activities: Vec<ActivityBlock>,
    raci: String,
    workflows: Vec<Link>,
    uncovered: Vec<Link>,
    findings: String,
    document: Option<DocumentView>,
    diagrams: Vec<ProcessDiagram>,
}

/// The scripts of a process page: the diagram viewer, then the activity
/// highlighting that finds the viewer's diagrams.
const PROCESS_SCRIPTS: &[&str] = &["viewer.js", "highlight.js"];

/// Class of the steps in a process page's diagrams that perform one of its
/// activities (drawn with a thick border by the stylesheet).
pub(super) const REALIZES_CLASS: &str = "realizes";

/// A diagram of a workflow implementing the process on the process's page.
pub(super) struct ProcessDiagram {
    pub workflow: Link,
    /// Inline SVG, steps linked to the workflow page, those realizing the
    /// process's activities classed [`REALIZES_CLASS`].
    pub svg: String,
}

/// The file stem of the process landscape's downloads, at the site's root.
pub(super) const LANDSCAPE: &str = "landscape";

struct Download {
    href: String,
    label: &'static str,
    /// Made by the reader's browser from the inline SVG, not a file.
    in_browser: bool,
}

/// The SVG and PNG downloads of a diagram written as `<stem>.svg` and, when
/// `png_file`, `<stem>.png`. Without a PNG file the page draws one from the
/// SVG when asked (assets/png.js): every diagram has a raster download.
fn diagram_downloads(stem: &str, png_file: bool) -> Vec<Download> {
    vec![
        Download { href: format!("{stem}.svg"), label: "SVG", in_browser: false },
        Download { href: format!("{stem}.png"), label: "PNG", in_browser: !png_file },
    ]
}

struct ActivityRef {
    href: String,
    name: String,
    process: String,
    raci: Vec<RaciGroup>,
}

/// The roles holding one RACI letter of an activity.
struct RaciGroup {
    letter: &'static str,
    word: &'static str,
    roles: Vec<Link>,
}

struct NextRef {
    id: String,
    name: String,
    label: Option<String>,
}

struct StepBlock {
    id: String,
    name: String,
    kind: String,
    lane: Option<Link>,
    realizes: Vec<ActivityRef>,
    inputs: Vec<String>,
    outputs: Vec<String>,
    next: Vec<NextRef>,
    calls: Option<Link>,
    description: String,
    instructions: String,
    findings: String,
}

#[derive(Template)]
#[template(path = "workflow.html")]
struct WorkflowPage {
    frame: Frame,
    name: String,
    description: String,
    implements: Vec<Link>,
    diagram: String,
    downloads: Vec<Download>,
    calls: Vec<Link>,
    called_by: Vec<Link>,
    steps: Vec<StepBlock>,
    document: Option<DocumentView>,
}

#[derive(Template)]
#[template(path = "role.html")]
struct RolePage {
    frame: Frame,
    name: String,
    group: String,
    description: String,
    owns: Vec<Link>,
    view: String,
}

#[derive(Template)]
#[template(path = "simple.html")]
struct SimplePage {
    frame: Frame,
    body: String,
}

/// Step links from role pages, which live one folder down.
fn role_step_href(workflow: &str, step: &str) -> String {
    format!("../workflows/{workflow}.html#step-{step}")
}

/// What every page of one build shares: the model, the page frame and the
/// reverse relations. Pages are rendered one at a time from it, so an
/// incremental rebuild can redo only the pages whose inputs changed.
pub(super) struct Pages<'a> {
    checked: &'a Checked,
    sources: &'a Sources,
    relations: Relations,
    footer: String,
    /// The build's date (`YYYY-MM-DD`): what marks a review overdue.
    today: &'a str,
    /// Per page path, the newest commit that changed it.
    last_changes: crate::history::LastChanges,
}

impl<'a> Pages<'a> {
    /// The pages of `checked`, read from `sources` (the edit links name the
    /// files), dated `today` (`YYYY-MM-DD`).
    pub(super) fn new(checked: &'a Checked, sources: &'a Sources, today: &'a str) -> Self {
        let custom = checked.settings.footer.as_deref().map(markdown).unwrap_or_default();
        let footer = format!("{custom}<p class=\"generator\">Generated by procflow from the process models.</p>");
        let last_changes = checked.history.as_ref().map(|h| h.last_changes()).unwrap_or_default();
        Pages { checked, sources, relations: Relations::new(&checked.model), footer, today, last_changes }
    }

    /// The document-control header of a process's or workflow's page.
    fn document(&self, document: Option<&crate::compile::DocumentControl>) -> Option<DocumentView> {
        document.map(|d| DocumentView::new(&self.checked.model, d, self.today))
    }

    fn frame(&self, title: &str, root: &'static str, path: &str, section: Section) -> Frame {
        let settings = &self.checked.settings;
        let home = section == Section::Home;
        Frame {
            page_title: if home { String::new() } else { title.to_string() },
            site_title: settings.title.clone(),
            root,
            canonical: (!settings.base_url.is_empty())
                .then(|| format!("{}/{path}", settings.base_url.trim_end_matches('/'))),
            footer: self.footer.clone(),
            menu: menu(section, self.checked.history.is_some()),
            home,
            last_changed: self.last_changed(path, root),
            actions: Vec::new(),
            scripts: &[],
        }
    }

    /// The "last changed" line of the page at `path`: the newest commit that
    /// changed the process, workflow or role it shows; for one that none of
    /// the listed commits changed, since when it has not changed.
    fn last_changed(&self, path: &str, root: &str) -> Option<String> {
        let history = self.checked.history.as_ref()?;
        let entity = ["processes/", "workflows/", "roles/"].iter().any(|p| path.starts_with(p));
        if !entity {
            return None;
        }
        let link = |c: &crate::history::Commit| {
            format!("<a href=\"{root}{}#commit-{}\">{}</a>", super::changes::PATH, esc(&c.short), esc(&c.short))
        };
        if let Some(commit) = self.last_changes.get(path).and_then(|&k| history.commits.get(k)) {
            return Some(format!(
                "Last changed on {} in commit {}: {}",
                esc(&commit.date),
                link(commit),
                esc(&commit.subject)
            ));
        }
        let oldest = history.oldest().filter(|_| !history.complete)?;
        Some(format!("Not changed since {} (commit {}) or earlier", esc(&oldest.date), link(oldest)))
    }

    /// `frame` with the edit and feedback links of a page titled `title` made
    /// from the file `span` is in, as far as the settings ask for them.
    fn with_source(&self, mut frame: Frame, title: &str, span: &crate::source::Span) -> Frame {
        let settings = &self.checked.settings;
        let path = self.sources.path(span.file).to_string_lossy().replace('\\', "/");
        let values = [("title", title), ("path", path.as_str())];
        let links = [(&settings.edit_url, "Edit this page"), (&settings.feedback_url, "Give feedback")];
        frame.actions = links
            .into_iter()
            .filter_map(|(template, label)| {
                let template = template.as_ref()?;
                Some(PageAction { href: crate::model::expand_url(&template.value, &values), label })
            })
            .collect();
        frame
    }

    /// `processes/<id>.html`, with the diagrams of the workflows implementing
    /// it (`diagrams`, in model order, their realizing steps classed).
    pub(super) fn process(&self, p: NodeIndex, diagrams: Vec<ProcessDiagram>) -> Result<SiteFile, SiteError> {
        let model = &self.checked.model;
        let process = model.process(p);
        let path = format!("processes/{}.html", process.id);
        let frame = self.frame(&process.name, "../", &path, Section::Processes);
        let mut frame = self.with_source(frame, &process.name, &process.span);
        frame.scripts = PROCESS_SCRIPTS;
        let html =
            process_page(model, &self.relations, p, frame, self.document(process.document.as_deref()), diagrams)?;
        Ok(SiteFile { path, bytes: with_contents(&html).into_bytes() })
    }

    /// `workflows/<id>.html`, around its already rendered diagram.
    pub(super) fn workflow(&self, w: NodeIndex, rendered: &RenderedDiagram) -> Result<SiteFile, SiteError> {
        let model = &self.checked.model;
        let wf = model.workflow(w);
        let mut downloads = diagram_downloads(&wf.id, rendered.png_file);
        if rendered.bpmn.is_some() {
            downloads.push(Download { href: format!("{}.bpmn", wf.id), label: "BPMN", in_browser: false });
        }
        let path = format!("workflows/{}.html", wf.id);
        let frame = self.frame(&wf.name, "../", &path, Section::Workflows);
        let frame = self.with_source(frame, &wf.name, &wf.span);
        let document = self.document(wf.document.as_deref());
        let html = workflow_page(model, &self.relations, w, rendered, downloads, frame, document)?;
        Ok(SiteFile { path, bytes: with_contents(&html).into_bytes() })
    }

    /// `roles/<id>.html`.
    pub(super) fn role(&self, r: NodeIndex) -> Result<SiteFile, SiteError> {
        let model = &self.checked.model;
        let role = model.role(r);
        let options = Options { step_href: role_step_href, ..Options::default() };
        let owns = model
            .processes
            .iter()
            .filter(|&&p| model.process(p).owner == Some(r))
            .map(|&p| Link { id: model.process(p).id.clone(), name: model.process(p).name.clone() })
            .collect();
        let path = format!("roles/{}.html", role.id);
        let role_page = RolePage {
            frame: self.with_source(self.frame(&role.name, "../", &path, Section::Roles), &role.name, &role.span),
            name: role.name.clone(),
            group: role.group.clone().unwrap_or_default(),
            description: markdown(role.description.as_deref().unwrap_or_default()),
            owns,
            view: relink(&raci::render(model, Selection::Role(r), &options, Format::Html), "../"),
        };
        Ok(SiteFile { path, bytes: role_page.render()?.into_bytes() })
    }

    /// The pages that summarise the whole model: home, RACI overview, KPI
    /// catalogue, improvement register and check report. `landscape` is the
    /// home page's diagram; `png_file` says whether the build writes
    /// `landscape.png` beside `landscape.svg`.
    pub(super) fn summaries(
        &self,
        sources: &Sources,
        landscape: &str,
        png_file: bool,
    ) -> Result<Vec<SiteFile>, SiteError> {
        let checked = self.checked;
        let model = &checked.model;
        let settings = &checked.settings;
        let mut files = Vec::new();
        let mut page = |path: &str, html: String| files.push(SiteFile { path: path.into(), bytes: html.into_bytes() });

        let counts = diagnostic::count(&checked.diagnostics);
        let findings = all_findings(model);
        let handbook = settings.formats.contains(&crate::model::DiagramFormat::Pdf);
        let open_findings = findings.iter().filter(|(_, f, _)| f.status != FindingStatus::Done).count();
        let card = |id: &str, name: &str, text: &str| Card { id: id.into(), name: name.into(), summary: summary(text) };
        let index = IndexPage {
            frame: self.frame(&settings.title, "", "index.html", Section::Home),
            errors: counts.errors,
            warnings: counts.warnings,
            open_findings,
            landscape: landscape.to_string(),
            downloads: diagram_downloads(LANDSCAPE, png_file),
            reviews: reviews(model, self.today),
            processes: model
                .processes
                .iter()
                .map(|&p| model.process(p))
                .map(|p| card(&p.id, &p.name, p.purpose.as_deref().unwrap_or_default()))
                .collect(),
            workflows: model
                .workflows
                .iter()
                .map(|&w| model.workflow(w))
                .map(|w| {
                    let text = w.description.clone().unwrap_or_else(|| format!("{} steps.", w.steps.len()));
                    card(&w.id, &w.name, &text)
                })
                .collect(),
            roles: model
                .roles
                .iter()
                .map(|&r| model.role(r))
                .map(|r| card(&r.id, &r.name, r.description.as_deref().or(r.group.as_deref()).unwrap_or_default()))
                .collect(),
            handbook,
        };
        page("index.html", index.render()?);
        let raci_body = relink(&raci::render(model, Selection::All, &Options::default(), Format::Html), "");
        let mut frame = self.frame("RACI overview", "", "raci.html", Section::Raci);
        frame.scripts = &["raci.js"];
        page("raci.html", SimplePage { frame, body: raci_body }.render()?);
        let body = kpi_catalogue(model);
        page(
            "kpis.html",
            SimplePage { frame: self.frame("KPI catalogue", "", "kpis.html", Section::Kpis), body }.render()?,
        );
        let body = improvement_register(model, &findings);
        let frame = self.frame("Improvement register", "", "improvements.html", Section::Improvements);
        page("improvements.html", SimplePage { frame, body }.render()?);
        let body = check_report(checked, sources);
        page(
            "check.html",
            SimplePage { frame: self.frame("Model check report", "", "check.html", Section::Check), body }.render()?,
        );
        if let Some(history) = &checked.history {
            let body = super::changes::body(history, model);
            let frame = self.frame("What changed", "", super::changes::PATH, Section::Changes);
            page(super::changes::PATH, SimplePage { frame, body }.render()?);
        }
        if !checked.alignment.is_empty() {
            let body = super::alignment::body(checked, sources);
            let frame = self.frame("Tool alignment", "", super::alignment::PATH, Section::Alignment);
            page(super::alignment::PATH, SimplePage { frame, body }.render()?);
        }
        if handbook {
            let pdf = crate::pdf::export(checked, &crate::model::Date(self.today.to_string()))?;
            files.push(SiteFile { path: "handbook.pdf".into(), bytes: pdf.bytes });
        }
        Ok(files)
    }
}

/// RACI fragments link to `workflows/…` from the root; pages elsewhere need a
/// prefix, and process and role names link to their pages.
fn relink(fragment: &str, root: &str) -> String {
    if root.is_empty() {
        return fragment.to_string();
    }
    fragment.replace("href=\"workflows/", &format!("href=\"{root}workflows/"))
}

/// Reverse relations every page of one kind needs, gathered in one pass over
/// the model so that building all pages stays linear in the model's size.
struct Relations {
    /// Workflow → the workflows with a step calling it, in model order.
    callers: HashMap<NodeIndex, Vec<NodeIndex>>,
    /// Process → the workflows implementing it, in model order.
    implementers: HashMap<NodeIndex, Vec<NodeIndex>>,
}

impl Relations {
    fn new(model: &Model) -> Self {
        let mut callers: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
        let mut implementers: HashMap<NodeIndex, Vec<NodeIndex>> = HashMap::new();
        for &w in &model.workflows {
            for &s in &model.workflow(w).steps {
                if let Some(called) = model.called_workflow(s) {
                    let list = callers.entry(called).or_default();
                    if list.last() != Some(&w) {
                        list.push(w);
                    }
                }
            }
            for p in model.implemented_processes(w) {
                implementers.entry(p).or_default().push(w);
            }
        }
        Relations { callers, implementers }
    }

    fn callers(&self, workflow: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.callers.get(&workflow).into_iter().flatten().copied()
    }

    fn implementers(&self, process: NodeIndex) -> impl Iterator<Item = NodeIndex> + '_ {
        self.implementers.get(&process).into_iter().flatten().copied()
    }
}

fn link_workflow(model: &Model, workflow: NodeIndex) -> Link {
    let w = model.workflow(workflow);
    Link { id: w.id.clone(), name: w.name.clone() }
}

pub(super) fn link_role(model: &Model, role: NodeIndex) -> Link {
    let r = model.role(role);
    Link { id: r.id.clone(), name: r.name.clone() }
}

fn process_page(
    model: &Model,
    relations: &Relations,
    p: NodeIndex,
    frame: Frame,
    document: Option<DocumentView>,
    diagrams: Vec<ProcessDiagram>,
) -> Result<String, SiteError> {
    let process = model.process(p);
    let lists = [
        ("objectives", "Objectives", &process.objectives),
        ("drivers", "Drivers", &process.drivers),
        ("principles", "Principles", &process.principles),
        ("csf", "Critical success factors", &process.critical_success_factors),
        ("triggers", "Triggers", &process.triggers),
    ]
    .into_iter()
    .filter(|(_, _, items)| !items.is_empty())
    .map(|(id, title, items)| TextList { id, title, items: items.clone() })
    .collect();
    let flow = |direction: &'static str, f: &crate::compile::DataFlow| {
        let (peer, link) = match &f.peer {
            Peer::Process(q) => (model.process(*q).name.clone(), Some(format!("{}.html", model.process(*q).id))),
            Peer::External(text) => (text.clone(), None),
            Peer::Unspecified => (String::new(), None),
        };
        FlowRow { direction, name: f.name.clone(), peer, link }
    };
    let flows =
        process.inputs.iter().map(|f| flow("In", f)).chain(process.outputs.iter().map(|f| flow("Out", f))).collect();
    let kpis = process
        .kpis
        .iter()
        .map(|k| KpiRow {
            id: k.id.clone(),
            name: k.name.clone(),
            target: k.target.clone().unwrap_or_default(),
            frequency: k.frequency.clone().unwrap_or_default(),
            description: markdown(k.description.as_deref().unwrap_or_default()),
        })
        .collect();
    let activities: Vec<ActivityBlock> = process
        .activities
        .iter()
        .map(|&a| {
            let activity = model.activity(a);
            let steps = model
                .realizing_steps(a)
                .into_iter()
                .map(|s| {
                    let step = model.step(s);
                    let wf = model.workflow(step.workflow);
                    StepRef {
                        href: format!("../workflows/{}.html#step-{}", wf.id, step.id),
                        name: step.name.clone(),
                        workflow: wf.name.clone(),
                    }
                })
                .collect();
            let step_refs = model
                .realizing_steps(a)
                .into_iter()
                .map(|s| format!("{}/{}", model.workflow(model.step(s).workflow).id, model.step(s).id))
                .collect::<Vec<_>>()
                .join(" ");
            ActivityBlock {
                id: activity.id.clone(),
                step_refs,
                name: activity.name.clone(),
                description: markdown(activity.description.as_deref().unwrap_or_default()),
                steps,
                findings: findings_list(model, &activity.findings, "../"),
            }
        })
        .collect();
    let uncovered = process
        .activities
        .iter()
        .filter(|&&a| model.realizing_steps(a).is_empty())
        .map(|&a| Link { id: model.activity(a).id.clone(), name: model.activity(a).name.clone() })
        .collect();
    let workflows = relations.implementers(p).map(|w| link_workflow(model, w)).collect();
    let raci = relink(&raci::render(model, Selection::Process(p), &Options::default(), Format::Html), "../");
    let findings = {
        let list = findings_list(model, &process.findings, "../");
        if list.is_empty() { "<p>No findings.</p>".to_string() } else { list }
    };
    let page = ProcessPage {
        frame,
        document,
        name: process.name.clone(),
        owner: process.owner.map(|o| link_role(model, o)),
        purpose: markdown(process.purpose.as_deref().unwrap_or_default()),
        scope: markdown(process.scope.as_deref().unwrap_or_default()),
        lists,
        flows,
        kpis,
        activities,
        raci,
        workflows,
        uncovered,
        findings,
        diagrams,
    };
    Ok(page.render()?)
}

/// The step's type in words, as the site's step list and the wiki's step
/// table show it: `exclusive gateway`, `user task`, `start event (timer)`.
pub(crate) fn step_kind(model: &Model, step: NodeIndex) -> String {
    use crate::compile::{GatewayKind, StepKind};
    use crate::model::{StepKind as TaskKind, Trigger};
    let s = model.step(step);
    let base = match s.step_type {
        StepType::Start => "start event",
        StepType::End => "end event",
        StepType::Event => "intermediate event",
        StepType::Task => "task",
        StepType::Gateway => "gateway",
        StepType::Subprocess => "subprocess",
    };
    let detail = match s.kind {
        StepKind::Gateway(GatewayKind::Exclusive) => "exclusive ",
        StepKind::Gateway(GatewayKind::Parallel) => "parallel ",
        StepKind::Gateway(GatewayKind::Inclusive) => "inclusive ",
        StepKind::Gateway(GatewayKind::EventBased) => "event-based ",
        StepKind::Task(TaskKind::User) => "user ",
        StepKind::Task(TaskKind::Manual) => "manual ",
        StepKind::Task(TaskKind::Service) => "service ",
        StepKind::Task(TaskKind::Send) => "send ",
        StepKind::Task(TaskKind::Receive) => "receive ",
        StepKind::Task(TaskKind::Script) => "script ",
        StepKind::Task(TaskKind::BusinessRule) => "business-rule ",
        _ => "",
    };
    // Spelled out rather than taken from the variants' names, so renaming a
    // variant cannot change what pages say.
    let trigger = match s.trigger {
        Trigger::None => "",
        Trigger::Message => " (message)",
        Trigger::Timer => " (timer)",
        Trigger::Signal => " (signal)",
        Trigger::Error => " (error)",
        Trigger::Conditional => " (conditional)",
        Trigger::Escalation => " (escalation)",
        Trigger::Terminate => " (terminate)",
    };
    format!("{detail}{base}{trigger}")
}

fn workflow_page(
    model: &Model,
    relations: &Relations,
    w: NodeIndex,
    rendered: &RenderedDiagram,
    downloads: Vec<Download>,
    frame: Frame,
    document: Option<DocumentView>,
) -> Result<String, SiteError> {
    let wf = model.workflow(w);
    let link_workflow = |x: NodeIndex| link_workflow(model, x);
    let mut calls: Vec<Link> = Vec::new();
    for &s in &wf.steps {
        if let Some(c) = model.called_workflow(s)
            && !calls.iter().any(|l| l.id == model.workflow(c).id)
        {
            calls.push(link_workflow(c));
        }
    }
    let called_by = relations.callers(w).map(link_workflow).collect();
    let steps = wf
        .steps
        .iter()
        .map(|&s| {
            let step = model.step(s);
            StepBlock {
                id: step.id.clone(),
                name: step.name.clone(),
                kind: step_kind(model, s),
                lane: step.lane.map(|l| link_role(model, l)),
                realizes: model.realized_by(s).into_iter().map(|a| activity_ref(model, a)).collect(),
                inputs: step.inputs.clone(),
                outputs: step.outputs.clone(),
                next: model
                    .flows_from(s)
                    .into_iter()
                    .map(|(_, t, flow)| NextRef {
                        id: model.step(t).id.clone(),
                        name: model.step(t).name.clone(),
                        label: flow.label.clone(),
                    })
                    .collect(),
                calls: model.called_workflow(s).map(link_workflow),
                description: markdown(step.description.as_deref().unwrap_or_default()),
                instructions: markdown(step.instructions.as_deref().unwrap_or_default()),
                findings: findings_list(model, &step.findings, "../"),
            }
        })
        .collect();
    let implements = model
        .implemented_processes(w)
        .into_iter()
        .map(|p| Link { id: model.process(p).id.clone(), name: model.process(p).name.clone() })
        .collect();
    let page = WorkflowPage {
        frame,
        document,
        name: wf.name.clone(),
        description: markdown(wf.description.as_deref().unwrap_or_default()),
        implements,
        diagram: rendered.inline.clone(),
        downloads,
        calls,
        called_by,
        steps,
    };
    Ok(page.render()?)
}

/// An activity a step realizes, with who holds each RACI letter.
fn activity_ref(model: &Model, a: NodeIndex) -> ActivityRef {
    let activity = model.activity(a);
    let process = model.process(activity.process);
    let mut raci: Vec<RaciGroup> = Vec::new();
    for (letter, role) in model.raci(a) {
        let role = link_role(model, role);
        match raci.last_mut() {
            Some(group) if group.letter == crate::raci::letter_str(letter) => group.roles.push(role),
            _ => {
                raci.push(RaciGroup { letter: crate::raci::letter_str(letter), word: letter.word(), roles: vec![role] })
            }
        }
    }
    ActivityRef {
        href: format!("../processes/{}.html#activity-{}", process.id, activity.id),
        name: activity.name.clone(),
        process: process.name.clone(),
        raci,
    }
}

/// A finding's status as pages show it (site and wiki).
pub(crate) fn status_word(status: FindingStatus) -> &'static str {
    match status {
        FindingStatus::Open => "open",
        FindingStatus::Planned => "planned",
        FindingStatus::Done => "done",
    }
}

/// Findings as a list, with status and owner.
fn findings_list(model: &Model, findings: &[Finding], root: &str) -> String {
    if findings.is_empty() {
        return String::new();
    }
    let mut out = String::from("<ul class=\"findings\">");
    for f in findings {
        let _ = write!(out, "<li><span class=\"status {0}\">{0}</span> {1}", status_word(f.status), esc(&f.text));
        if let Some(owner) = f.owner {
            let r = model.role(owner);
            let _ = write!(out, " — <a href=\"{root}roles/{}.html\">{}</a>", esc(&r.id), esc(&r.name));
        }
        out.push_str("</li>");
    }
    out.push_str("</ul>");
    out
}

/// Every finding of the model with where it was made (a link from the root).
fn all_findings(model: &Model) -> Vec<(String, &Finding, String)> {
    let mut out = Vec::new();
    for &p in &model.processes {
        let process = model.process(p);
        let href = format!("processes/{}.html", process.id);
        out.extend(process.findings.iter().map(|f| (process.name.clone(), f, format!("{href}#findings"))));
        for &a in &process.activities {
            let activity = model.activity(a);
            let place = format!("{} · {}", process.name, activity.name);
            out.extend(
                activity.findings.iter().map(|f| (place.clone(), f, format!("{href}#activity-{}", activity.id))),
            );
        }
    }
    for &w in &model.workflows {
        let wf = model.workflow(w);
        for &s in &wf.steps {
            let step = model.step(s);
            let place = format!("{} · {}", wf.name, step.name);
            let href = format!("workflows/{}.html#step-{}", wf.id, step.id);
            out.extend(step.findings.iter().map(|f| (place.clone(), f, href.clone())));
        }
    }
    out
}

fn improvement_register(model: &Model, findings: &[(String, &Finding, String)]) -> String {
    if findings.is_empty() {
        return "<p>No findings recorded.</p>".to_string();
    }
    let mut out = String::new();
    for status in [FindingStatus::Open, FindingStatus::Planned, FindingStatus::Done] {
        let rows: Vec<_> = findings.iter().filter(|(_, f, _)| f.status == status).collect();
        if rows.is_empty() {
            continue;
        }
        let word = status_word(status);
        let _ = write!(
            out,
            "<section aria-labelledby=\"{word}\"><h2 id=\"{word}\">{} ({})</h2><table><caption>Findings that are {word}</caption>\
             <thead><tr><th scope=\"col\">Finding</th><th scope=\"col\">Owner</th><th scope=\"col\">Where</th></tr></thead><tbody>",
            capitalise(word),
            rows.len()
        );
        for (place, f, href) in rows {
            let owner = f.owner.map_or(String::from("–"), |o| {
                let r = model.role(o);
                format!("<a href=\"roles/{}.html\">{}</a>", esc(&r.id), esc(&r.name))
            });
            let _ = write!(
                out,
                "<tr><td>{}</td><td>{owner}</td><td><a href=\"{}\">{}</a></td></tr>",
                esc(&f.text),
                esc(href),
                esc(place)
            );
        }
        out.push_str("</tbody></table></section>");
    }
    out
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default()
}

fn kpi_catalogue(model: &Model) -> String {
    let mut out = String::new();
    for &p in &model.processes {
        let process = model.process(p);
        if process.kpis.is_empty() {
            continue;
        }
        let _ = write!(
            out,
            "<section><h2><a href=\"processes/{}.html#kpis\">{}</a></h2><table class=\"kpi-table\"><caption>KPIs of {}</caption>\
             <thead><tr><th scope=\"col\">KPI</th><th scope=\"col\">Target</th><th scope=\"col\">Frequency</th><th scope=\"col\">Description</th></tr></thead><tbody>",
            esc(&process.id),
            esc(&process.name),
            esc(&process.name)
        );
        for k in &process.kpis {
            let _ = write!(
                out,
                "<tr><th scope=\"row\">{}</th><td data-label=\"Target\">{}</td><td data-label=\"Frequency\">{}</td><td data-label=\"Description\">{}</td></tr>",
                esc(&k.name),
                esc(k.target.as_deref().unwrap_or_default()),
                esc(k.frequency.as_deref().unwrap_or_default()),
                markdown(k.description.as_deref().unwrap_or_default())
            );
        }
        out.push_str("</tbody></table></section>");
    }
    if out.is_empty() { "<p>No KPIs defined.</p>".to_string() } else { out }
}

fn check_report(checked: &Checked, sources: &Sources) -> String {
    let counts = diagnostic::count(&checked.diagnostics);
    let mut out = format!("<p>{} errors, {} warnings.</p>", counts.errors, counts.warnings);
    if !checked.alignment.is_empty() {
        let _ = write!(
            out,
            "<p>The findings include the comparison with the ITSM tool's exports; \
             <a href=\"{}\">Tool alignment</a> shows it per workflow.</p>",
            super::alignment::PATH
        );
    }
    if checked.diagnostics.is_empty() {
        out.push_str("<p>The models pass every check.</p>");
        return out;
    }
    out.push_str(&diagnostic_list(&checked.diagnostics, sources));
    out
}

/// Diagnostics as the check report lists them: severity, code, message,
/// location, the line quoted and the help.
pub(super) fn diagnostic_list(diagnostics: &[diagnostic::Diagnostic], sources: &Sources) -> String {
    let mut out = String::from("<ol class=\"diagnostics\">");
    for d in diagnostics {
        let severity = if d.severity() == Severity::Error { "error" } else { "warning" };
        let path = sources.path(d.span.file).to_string_lossy().replace('\\', "/");
        let _ = write!(
            out,
            "<li class=\"{severity}\"><p><strong>{severity}[{}]</strong>: {}</p><p class=\"location\">{}:{}:{}</p>",
            d.code.as_str(),
            esc(&d.message),
            esc(&path),
            d.span.line,
            d.span.column
        );
        if let Some(line) = sources.line_text(d.span.file, d.span.line) {
            let _ = write!(out, "<pre><code>{}</code></pre>", esc(line));
        }
        if let Some(help) = &d.help {
            let _ = write!(out, "<p class=\"help\">help: {}</p>", esc(help));
        }
        out.push_str("</li>");
    }
    out.push_str("</ol>");
    out
}

/// Where a page's table of contents goes (`templates/contents.html`).
const CONTENTS_MARK: &str = "<!--contents-->";
/// A page gets a table of contents from this many sections on.
const CONTENTS_FROM: usize = 3;

/// `html` with its mark replaced by a table of contents of its sections:
/// every `<h2 id="…">` heading, in order, so each entry links to an id the
/// page has. Short pages lose the mark only.
fn with_contents(html: &str) -> String {
    let Some(at) = html.find(CONTENTS_MARK) else { return html.to_string() };
    let entries = section_headings(&html[at..]);
    let mut nav = String::new();
    if entries.len() >= CONTENTS_FROM {
        nav.push_str(
            "<nav class=\"contents\" aria-label=\"On this page\"><h2 class=\"contents-title\">On this page</h2><ol>",
        );
        for (id, text) in entries {
            let _ = write!(nav, "<li><a href=\"#{id}\">{text}</a></li>");
        }
        nav.push_str("</ol></nav>");
    }
    format!("{}{nav}{}", &html[..at], &html[at + CONTENTS_MARK.len()..])
}

/// The id and text (already escaped, tags dropped) of each `<h2 id="…">`.
fn section_headings(html: &str) -> Vec<(&str, String)> {
    const OPEN: &str = "<h2 id=\"";
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(OPEN) {
        let after = &rest[start + OPEN.len()..];
        let Some((id, tail)) = after.split_once('"') else { break };
        let Some((inner, tail)) = tail.split_once("</h2>") else { break };
        // Only headings with no attribute but their id: the step details'
        // title is no section.
        if let Some(inner) = inner.strip_prefix('>') {
            out.push((id, strip_tags(inner)));
        }
        rest = tail;
    }
    out
}

/// Markup without its tags (entities stay as they are).
fn strip_tags(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_contents_lists_the_sections_after_the_mark() {
        let page = "<h1>P</h1><!--contents--><h2 id=\"purpose\">Purpose</h2><h2 id=\"step-details-title\" class=\"x\">Step</h2>\
                    <h2 id=\"kpis\">Key &amp; <a href=\"x\">more</a></h2><h2 id=\"findings\">Findings</h2>";
        let html = with_contents(page);
        assert!(html.starts_with("<h1>P</h1><nav class=\"contents\" aria-label=\"On this page\">"), "{html}");
        assert!(html.contains(
            "<ol><li><a href=\"#purpose\">Purpose</a></li><li><a href=\"#kpis\">Key &amp; more</a></li><li><a href=\"#findings\">Findings</a></li></ol></nav>"
        ), "{html}");
        assert!(!html.contains("#step-details-title") && !html.contains("<!--contents-->"));
    }

    #[test]
    fn short_pages_lose_the_mark_only() {
        let page = "<!--contents--><h2 id=\"a\">A</h2><h2 id=\"b\">B</h2>";
        assert_eq!(with_contents(page), "<h2 id=\"a\">A</h2><h2 id=\"b\">B</h2>");
        assert_eq!(with_contents("<h2 id=\"a\">A</h2>"), "<h2 id=\"a\">A</h2>");
    }
}
