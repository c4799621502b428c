//! RACI views of the compiled model: the matrix of one process, the matrix of
//! every process, the view of one role, and the review analysis under them.
//!
//! This module owns the plain-data views ([`Matrix`], [`RoleView`], [`Analysis`])
//! derived from a [`Model`], and one renderer per output format in its
//! submodules ([`html`], [`csv`], [`markdown`], [`svg`], [`json`]), each a pure
//! function from a view to a `String`. It must not read files, print, or hold
//! assignments of its own: every letter comes from the model graph, so the
//! matrices can never disagree with the workflows. Output is deterministic:
//! everything is listed in model order (or a documented order derived from it),
//! never in hash order.

pub mod csv;
pub mod html;
pub mod json;
pub mod markdown;
pub mod measure;
pub mod svg;

use std::collections::HashMap;

use petgraph::Direction;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::EdgeRef;
use serde::Serialize;

use crate::compile::{Edge, Model, RaciLetter};

/// A role is flagged as overloaded when it is Accountable for more than this many
/// activities in one view. Accountability that piles up on one role makes it a
/// bottleneck and usually means it is answering for work it cannot oversee; eight
/// is about what one person can genuinely answer for at once.
pub const MAX_ACCOUNTABLE: usize = 8;

/// Which matrix or view to produce; chosen by the CLI's `--all`, `--process`, `--role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    /// Every activity of every process × every role.
    All,
    /// One process's activities × the roles involved in it.
    Process(NodeIndex),
    /// What one role is responsible for, performs and owns.
    Role(NodeIndex),
}

/// Order of the role columns.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ColumnOrder {
    /// The order of `roles:` in the model (sorted file order, then position).
    #[default]
    Model,
    /// Roles holding the most letters in the view first; ties keep model order.
    Involvement,
}

/// The output formats, so callers can pick one at run time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// RFC 4180 with a UTF-8 byte order mark, for spreadsheets.
    Csv,
    /// GitHub-flavoured tables, for wikis.
    Markdown,
    /// A standalone picture, for wikis and slides.
    Svg,
    /// A fragment for the site or another page.
    Html,
    /// For other tools.
    Json,
}

/// Builds the link to a step's entry from its workflow id and step id.
pub type StepHref = fn(workflow: &str, step: &str) -> String;

/// Choices that change how a view is derived, not what it says.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// The order of the role columns.
    pub order: ColumnOrder,
    /// Links from the role view to the steps it performs; the site sets its own
    /// page layout here, the default is [`default_step_href`].
    pub step_href: StepHref,
}

impl Default for Options {
    fn default() -> Self {
        Options { order: ColumnOrder::Model, step_href: default_step_href }
    }
}

/// The default step link, `workflows/<workflow>.html#step-<step>`: relative, so it
/// works from any sub-path, and built from ids only, so it never needs escaping.
pub fn default_step_href(workflow: &str, step: &str) -> String {
    format!("workflows/{workflow}.html#step-{step}")
}

/// The letters one role holds for one activity (a set; `A/R` when it holds two).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Letters(u8);

impl Letters {
    /// Display order: Accountable first, as in the usual `A/R`, then R, C, I.
    pub const ORDER: [RaciLetter; 4] = [RaciLetter::A, RaciLetter::R, RaciLetter::C, RaciLetter::I];

    /// Reading order of the acronym, R, A, C, I: for legends, counts and columns.
    pub const RACI_ORDER: [RaciLetter; 4] = [RaciLetter::R, RaciLetter::A, RaciLetter::C, RaciLetter::I];

    fn bit(letter: RaciLetter) -> u8 {
        match letter {
            RaciLetter::R => 1,
            RaciLetter::A => 2,
            RaciLetter::C => 4,
            RaciLetter::I => 8,
        }
    }

    /// Adds a letter (holding a letter twice is holding it once).
    pub fn insert(&mut self, letter: RaciLetter) {
        self.0 |= Self::bit(letter);
    }

    /// Whether the role holds `letter`.
    pub fn contains(self, letter: RaciLetter) -> bool {
        self.0 & Self::bit(letter) != 0
    }

    /// Whether the role holds no letter (an empty cell).
    pub fn is_empty(self) -> bool {
        self.0 == 0
    }

    /// The letters held, in display order.
    pub fn iter(self) -> impl Iterator<Item = RaciLetter> {
        Self::ORDER.into_iter().filter(move |l| self.contains(*l))
    }

    /// How many letters are held (for `--order involvement`).
    pub fn count(self) -> usize {
        self.0.count_ones() as usize
    }

    /// The cell text: `A/R`, `C`, or empty.
    pub fn label(self) -> String {
        let mut out = String::new();
        for letter in self.iter() {
            if !out.is_empty() {
                out.push('/');
            }
            out.push_str(letter_str(letter));
        }
        out
    }

    /// The letter that colours the cell: A outranks R, R outranks C, C outranks I.
    pub fn strongest(self) -> Option<RaciLetter> {
        self.iter().next()
    }
}

impl Serialize for Letters {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter().map(letter_str))
    }
}

/// The letter as written in the model and in every output.
pub fn letter_str(letter: RaciLetter) -> &'static str {
    match letter {
        RaciLetter::R => "R",
        RaciLetter::A => "A",
        RaciLetter::C => "C",
        RaciLetter::I => "I",
    }
}

/// What a letter means, for legends.
pub fn letter_meaning(letter: RaciLetter) -> (&'static str, &'static str) {
    match letter {
        RaciLetter::R => ("Responsible", "does the work"),
        RaciLetter::A => ("Accountable", "answers for the result; exactly one per activity"),
        RaciLetter::C => ("Consulted", "gives input before or during the work"),
        RaciLetter::I => ("Informed", "is told of the outcome"),
    }
}

/// A role as shown in a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleRef {
    pub id: String,
    pub name: String,
}

/// A process as shown in a view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessRef {
    pub id: String,
    pub name: String,
}

/// An activity as shown in a view; `process` is the id of its process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityRef {
    pub process: String,
    pub id: String,
    pub name: String,
}

/// A workflow step, with the link to its entry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StepRef {
    pub workflow: String,
    pub workflow_name: String,
    pub id: String,
    pub name: String,
    /// Built by [`Options::step_href`].
    pub href: String,
}

/// Whether a matrix covers one process or all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum MatrixKind {
    /// One process × the roles involved in it.
    Process,
    /// Every process × every role.
    CrossProcess,
}

/// A RACI matrix: activity rows grouped by process × role columns, with its analysis.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub kind: MatrixKind,
    /// The caption, e.g. `RACI matrix: Incident Management`.
    pub title: String,
    /// Column roles, in the chosen [`ColumnOrder`].
    pub roles: Vec<RoleRef>,
    /// Row groups in model order; a process matrix has exactly one.
    pub processes: Vec<ProcessGroup>,
    pub analysis: Analysis,
}

impl Matrix {
    /// A short stable slug for ids and file names: `all` or `process-<id>`.
    pub fn slug(&self) -> String {
        match (self.kind, self.processes.first()) {
            (MatrixKind::Process, Some(p)) => format!("process-{}", p.process.id),
            _ => "all".to_string(),
        }
    }

    /// Number of activity rows (group header rows not counted).
    pub fn activity_count(&self) -> usize {
        self.processes.iter().map(|p| p.activities.len()).sum()
    }
}

/// The rows of one process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProcessGroup {
    pub process: ProcessRef,
    pub owner: Option<RoleRef>,
    pub activities: Vec<ActivityRow>,
}

/// One activity row; `cells[i]` belongs to `Matrix::roles[i]`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityRow {
    pub id: String,
    pub name: String,
    pub cells: Vec<Letters>,
}

/// The review questions answered for one view: who holds how much, and which
/// activities break a rule or disagree with the workflows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Analysis {
    /// The threshold used for [`RoleFlag::AccountableOverload`].
    pub max_accountable: usize,
    /// One entry per column role, in column order.
    pub roles: Vec<RoleSummary>,
    /// Only activities with at least one issue, in row order.
    pub activities: Vec<ActivityReview>,
}

/// Letter counts per role.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "UPPERCASE")]
pub struct Counts {
    pub r: usize,
    pub a: usize,
    pub c: usize,
    pub i: usize,
}

impl Counts {
    fn add(&mut self, letters: Letters) {
        for letter in letters.iter() {
            match letter {
                RaciLetter::R => self.r += 1,
                RaciLetter::A => self.a += 1,
                RaciLetter::C => self.c += 1,
                RaciLetter::I => self.i += 1,
            }
        }
    }

    /// The count of one letter.
    pub fn get(&self, letter: RaciLetter) -> usize {
        match letter {
            RaciLetter::R => self.r,
            RaciLetter::A => self.a,
            RaciLetter::C => self.c,
            RaciLetter::I => self.i,
        }
    }

    fn total(&self) -> usize {
        self.r + self.a + self.c + self.i
    }
}

/// One role's workload in a view and what a reviewer should look at.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleSummary {
    pub role: RoleRef,
    pub counts: Counts,
    pub flags: Vec<RoleFlag>,
}

/// Something about a role that a RACI review should question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum RoleFlag {
    /// Accountable for more than [`MAX_ACCOUNTABLE`] activities of the view.
    AccountableOverload { accountable: usize, max: usize },
    /// The role's lanes hold steps that realize activities of the view, and the
    /// role is Responsible for none of those activities: it does work that the
    /// RACI does not give it. `steps` are those steps, in model order.
    NotResponsibleForOwnSteps { steps: Vec<StepRef> },
}

impl RoleFlag {
    /// One line for people, without a trailing dot.
    pub fn message(&self) -> String {
        match self {
            RoleFlag::AccountableOverload { accountable, max } => {
                format!(
                    "Accountable for {accountable} activities (more than {max}): consider delegating accountability"
                )
            }
            RoleFlag::NotResponsibleForOwnSteps { steps } => {
                let names: Vec<String> = steps.iter().map(|s| format!("“{}”", s.name)).collect();
                format!(
                    "performs {} realizing activities but is Responsible for none of them: {}",
                    plural(steps.len(), "step", "steps"),
                    names.join(", ")
                )
            }
        }
    }
}

/// An activity that a RACI review should question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ActivityReview {
    pub activity: ActivityRef,
    pub issues: Vec<ActivityIssue>,
}

/// Why an activity is listed for review.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum ActivityIssue {
    /// Not exactly one Accountable role (a rule of the format; an error in `check`).
    AccountableCount { count: usize },
    /// No Responsible role (a rule of the format; an error in `check`).
    NoResponsible,
    /// No workflow step realizes the activity, so no workflow ensures it is done.
    NotRealized,
    /// A step realizing the activity lies in the lane of a role that is neither
    /// Responsible nor Accountable for it: the diagram and the RACI disagree.
    PerformerNotResponsible { step: StepRef, role: RoleRef },
}

impl ActivityIssue {
    /// One line for people, without a trailing dot.
    pub fn message(&self) -> String {
        match self {
            ActivityIssue::AccountableCount { count: 0 } => "no Accountable role (exactly one is required)".into(),
            ActivityIssue::AccountableCount { count } => {
                format!("{count} Accountable roles (exactly one is required)")
            }
            ActivityIssue::NoResponsible => "no Responsible role".into(),
            ActivityIssue::NotRealized => "realized by no workflow step".into(),
            ActivityIssue::PerformerNotResponsible { step, role } => format!(
                "step “{}” of “{}” is performed by {}, who is neither Responsible nor Accountable",
                step.name, step.workflow_name, role.name
            ),
        }
    }
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// What one role does: the letters it holds, the steps it performs, the
/// processes it owns, and its review flags over the whole model.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleView {
    pub role: RoleRef,
    pub group: Option<String>,
    /// Processes whose owner the role is, in model order.
    pub owns: Vec<ProcessRef>,
    /// Activities where the role holds a letter, grouped by process in model order.
    pub assignments: Vec<RoleAssignments>,
    /// Steps in the role's lanes, grouped by workflow in model order.
    pub workflows: Vec<PerformedSteps>,
    /// Counts and flags over every process (as in the cross-process matrix).
    pub summary: RoleSummary,
    pub max_accountable: usize,
}

impl RoleView {
    /// The caption, e.g. `RACI of role: Incident Manager`.
    pub fn title(&self) -> String {
        format!("RACI of role: {}", self.role.name)
    }

    /// A short stable slug for ids and file names: `role-<id>`.
    pub fn slug(&self) -> String {
        format!("role-{}", self.role.id)
    }
}

/// A role's letters within one process.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RoleAssignments {
    pub process: ProcessRef,
    pub activities: Vec<AssignedActivity>,
}

/// One activity and the letters the role holds for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AssignedActivity {
    pub id: String,
    pub name: String,
    pub letters: Letters,
}

/// The steps a role performs in one workflow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerformedSteps {
    pub workflow: String,
    pub workflow_name: String,
    pub steps: Vec<PerformedStep>,
}

/// A step in the role's lane and the activities it realizes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PerformedStep {
    pub step: StepRef,
    pub realizes: Vec<ActivityRef>,
}

/// Any of the three views, as [`view`] returns it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum View {
    /// A process or cross-process matrix.
    Matrix(Matrix),
    /// The view of one role.
    Role(RoleView),
}

/// Derives the selected view from the model.
pub fn view(model: &Model, selection: Selection, options: &Options) -> View {
    match selection {
        Selection::All => View::Matrix(cross_process_matrix(model, options)),
        Selection::Process(process) => View::Matrix(process_matrix(model, process, options)),
        Selection::Role(role) => View::Role(role_view(model, role, options)),
    }
}

/// Derives the selected view and renders it: the one call the CLI and the site need.
pub fn render(model: &Model, selection: Selection, options: &Options, format: Format) -> String {
    match view(model, selection, options) {
        View::Matrix(matrix) => match format {
            Format::Csv => csv::matrix(&matrix),
            Format::Markdown => markdown::matrix(&matrix),
            Format::Svg => svg::matrix(&matrix),
            Format::Html => html::matrix(&matrix),
            Format::Json => json::matrix(&matrix),
        },
        View::Role(role) => match format {
            Format::Csv => csv::role(&role),
            Format::Markdown => markdown::role(&role),
            Format::Svg => svg::role(&role),
            Format::Html => html::role(&role),
            Format::Json => json::role(&role),
        },
    }
}

/// The matrix of one process: its activities in model order × the roles involved
/// in it (holding a letter, or performing a step that realizes one of its
/// activities, so a RACI gap shows as an empty column rather than not at all).
pub fn process_matrix(model: &Model, process: NodeIndex, options: &Options) -> Matrix {
    let p = model.process(process);
    let index = Index::new(model, options);
    let activities = &p.activities;
    let mut involved = vec![false; model.roles.len()];
    for &activity in activities {
        for (_, role) in model.raci(activity) {
            if let Some(&pos) = index.role_pos.get(&role) {
                involved[pos] = true;
            }
        }
        for step in model.realizing_steps(activity) {
            if let Some(pos) = model.step(step).lane.and_then(|l| index.role_pos.get(&l)) {
                involved[*pos] = true;
            }
        }
    }
    let roles: Vec<NodeIndex> = model.roles.iter().zip(&involved).filter(|(_, keep)| **keep).map(|(r, _)| *r).collect();
    build_matrix(model, &index, MatrixKind::Process, format!("RACI matrix: {}", p.name), &[process], roles, options)
}

/// The matrix of every activity of every process (grouped by process, in model
/// order) × every role of the model, so gaps and overloads show at a glance.
pub fn cross_process_matrix(model: &Model, options: &Options) -> Matrix {
    let index = Index::new(model, options);
    build_matrix(
        model,
        &index,
        MatrixKind::CrossProcess,
        "RACI matrix: all processes".to_string(),
        &model.processes,
        model.roles.clone(),
        options,
    )
}

/// Positions of roles in model order, computed once per view so the analysis
/// can sort without walking the graph again. Steps need no table: their node
/// indices already follow model order (see [`crate::compile::Model`]).
struct Index {
    role_pos: HashMap<NodeIndex, usize>,
    step_href: StepHref,
}

impl Index {
    fn new(model: &Model, options: &Options) -> Self {
        let role_pos = model.roles.iter().enumerate().map(|(i, r)| (*r, i)).collect();
        Index { role_pos, step_href: options.step_href }
    }
}

fn role_ref(model: &Model, role: NodeIndex) -> RoleRef {
    let r = model.role(role);
    RoleRef { id: r.id.clone(), name: r.name.clone() }
}

fn process_ref(model: &Model, process: NodeIndex) -> ProcessRef {
    let p = model.process(process);
    ProcessRef { id: p.id.clone(), name: p.name.clone() }
}

fn activity_ref(model: &Model, activity: NodeIndex) -> ActivityRef {
    let a = model.activity(activity);
    ActivityRef { process: model.process(a.process).id.clone(), id: a.id.clone(), name: a.name.clone() }
}

fn step_ref(model: &Model, step: NodeIndex, href: StepHref) -> StepRef {
    let s = model.step(step);
    let w = model.workflow(s.workflow);
    StepRef {
        workflow: w.id.clone(),
        workflow_name: w.name.clone(),
        id: s.id.clone(),
        name: s.name.clone(),
        href: href(&w.id, &s.id),
    }
}

/// The letters of every role for one activity, keyed by role.
fn letters_by_role(model: &Model, activity: NodeIndex) -> Vec<(NodeIndex, Letters)> {
    let mut out: Vec<(NodeIndex, Letters)> = Vec::new();
    for (letter, role) in model.raci(activity) {
        match out.iter_mut().find(|(r, _)| *r == role) {
            Some((_, letters)) => letters.insert(letter),
            None => {
                let mut letters = Letters::default();
                letters.insert(letter);
                out.push((role, letters));
            }
        }
    }
    out
}

fn build_matrix(
    model: &Model,
    index: &Index,
    kind: MatrixKind,
    title: String,
    processes: &[NodeIndex],
    mut roles: Vec<NodeIndex>,
    options: &Options,
) -> Matrix {
    let scope: Vec<NodeIndex> = processes.iter().flat_map(|p| model.process(*p).activities.iter().copied()).collect();
    // `roles` arrive in model order, which is also the tie-break of the involvement order.
    let summaries = analyse_roles(model, index, &scope, &roles);
    let mut by_role: HashMap<NodeIndex, RoleSummary> = roles.iter().copied().zip(summaries).collect();
    if options.order == ColumnOrder::Involvement {
        // A stable sort, so ties keep model order.
        roles.sort_by_key(|r| std::cmp::Reverse(by_role.get(r).map_or(0, |s| s.counts.total())));
    }
    let column: HashMap<NodeIndex, usize> = roles.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let groups = processes
        .iter()
        .map(|&process| {
            let p = model.process(process);
            let activities = p
                .activities
                .iter()
                .map(|&activity| {
                    let a = model.activity(activity);
                    let mut cells = vec![Letters::default(); roles.len()];
                    for (role, letters) in letters_by_role(model, activity) {
                        if let Some(&col) = column.get(&role) {
                            cells[col] = letters;
                        }
                    }
                    ActivityRow { id: a.id.clone(), name: a.name.clone(), cells }
                })
                .collect();
            ProcessGroup {
                process: process_ref(model, process),
                owner: p.owner.map(|o| role_ref(model, o)),
                activities,
            }
        })
        .collect();
    let summaries = roles.iter().filter_map(|r| by_role.remove(r)).collect();
    Matrix {
        kind,
        title,
        roles: roles.iter().map(|r| role_ref(model, *r)).collect(),
        processes: groups,
        analysis: Analysis {
            max_accountable: MAX_ACCOUNTABLE,
            roles: summaries,
            activities: analyse_activities(model, index, &scope),
        },
    }
}

/// Counts and flags for `roles` (given in model order) over the activities of `scope`.
fn analyse_roles(model: &Model, index: &Index, scope: &[NodeIndex], roles: &[NodeIndex]) -> Vec<RoleSummary> {
    let mut counts: HashMap<NodeIndex, Counts> = HashMap::new();
    // Role → (steps in its lanes realizing an activity of the scope, R for any of those?).
    let mut performed: HashMap<NodeIndex, (Vec<NodeIndex>, bool)> = HashMap::new();
    for &activity in scope {
        let letters = letters_by_role(model, activity);
        for (role, l) in &letters {
            counts.entry(*role).or_default().add(*l);
        }
        for step in model.realizing_steps(activity) {
            let Some(lane) = model.step(step).lane else {
                continue;
            };
            let entry = performed.entry(lane).or_default();
            entry.0.push(step);
            if letters.iter().any(|(r, l)| *r == lane && l.contains(RaciLetter::R)) {
                entry.1 = true;
            }
        }
    }
    roles
        .iter()
        .map(|&role| {
            let counts = counts.get(&role).copied().unwrap_or_default();
            let mut flags = Vec::new();
            if counts.a > MAX_ACCOUNTABLE {
                flags.push(RoleFlag::AccountableOverload { accountable: counts.a, max: MAX_ACCOUNTABLE });
            }
            if let Some((steps, false)) = performed.get(&role) {
                let mut steps = steps.clone();
                steps.sort();
                steps.dedup();
                let steps = steps.into_iter().map(|s| step_ref(model, s, index.step_href)).collect();
                flags.push(RoleFlag::NotResponsibleForOwnSteps { steps });
            }
            RoleSummary { role: role_ref(model, role), counts, flags }
        })
        .collect()
}

/// The rule and alignment checks for every activity of `scope`, in order.
fn analyse_activities(model: &Model, index: &Index, scope: &[NodeIndex]) -> Vec<ActivityReview> {
    let mut reviews = Vec::new();
    for &activity in scope {
        let letters = letters_by_role(model, activity);
        let mut issues = Vec::new();
        let accountable = letters.iter().filter(|(_, l)| l.contains(RaciLetter::A)).count();
        if accountable != 1 {
            issues.push(ActivityIssue::AccountableCount { count: accountable });
        }
        if !letters.iter().any(|(_, l)| l.contains(RaciLetter::R)) {
            issues.push(ActivityIssue::NoResponsible);
        }
        let mut steps = model.realizing_steps(activity);
        if steps.is_empty() {
            issues.push(ActivityIssue::NotRealized);
        }
        steps.sort();
        steps.dedup();
        for step in steps {
            let Some(lane) = model.step(step).lane else {
                continue;
            };
            let performs =
                letters.iter().any(|(r, l)| *r == lane && (l.contains(RaciLetter::R) || l.contains(RaciLetter::A)));
            if !performs {
                issues.push(ActivityIssue::PerformerNotResponsible {
                    step: step_ref(model, step, index.step_href),
                    role: role_ref(model, lane),
                });
            }
        }
        if !issues.is_empty() {
            reviews.push(ActivityReview { activity: activity_ref(model, activity), issues });
        }
    }
    reviews
}

/// The view of one role: its letters by process, the steps in its lanes by
/// workflow (with links), the processes it owns, and its model-wide flags.
pub fn role_view(model: &Model, role: NodeIndex, options: &Options) -> RoleView {
    let index = Index::new(model, options);
    let r = model.role(role);
    let owns = model
        .processes
        .iter()
        .filter(|p| model.process(**p).owner == Some(role))
        .map(|p| process_ref(model, *p))
        .collect();
    // The role's own edges lead to its activities and steps; node order is
    // model order, so sorting groups them by process and workflow in order.
    let neighbours = |direction: Direction, keep: fn(&Edge) -> bool| {
        let mut nodes: Vec<NodeIndex> = model
            .graph
            .edges_directed(role, direction)
            .filter(|e| keep(e.weight()))
            .map(|e| match direction {
                Direction::Outgoing => e.target(),
                Direction::Incoming => e.source(),
            })
            .collect();
        nodes.sort();
        nodes.dedup();
        nodes
    };
    let mut assignments: Vec<RoleAssignments> = Vec::new();
    let mut scope = Vec::new();
    for activity in neighbours(Direction::Outgoing, |e| matches!(e, Edge::Raci(_))) {
        let Some((_, letters)) = letters_by_role(model, activity).into_iter().find(|(r, _)| *r == role) else {
            continue;
        };
        scope.push(activity);
        let a = model.activity(activity);
        let process = process_ref(model, a.process);
        let assigned = AssignedActivity { id: a.id.clone(), name: a.name.clone(), letters };
        match assignments.last_mut() {
            Some(last) if last.process == process => last.activities.push(assigned),
            _ => assignments.push(RoleAssignments { process, activities: vec![assigned] }),
        }
    }
    let mut workflows: Vec<PerformedSteps> = Vec::new();
    for step in neighbours(Direction::Incoming, |e| matches!(e, Edge::PerformedBy)) {
        let s = model.step(step);
        // Start and end events sit in a lane but are not work the role does.
        if s.lane != Some(role) || matches!(s.step_type, crate::model::StepType::Start | crate::model::StepType::End) {
            continue;
        }
        let realizes = model.realized_by(step);
        scope.extend(&realizes);
        let performed = PerformedStep {
            step: step_ref(model, step, options.step_href),
            realizes: realizes.into_iter().map(|a| activity_ref(model, a)).collect(),
        };
        let w = model.workflow(s.workflow);
        match workflows.last_mut() {
            Some(last) if last.workflow == w.id => last.steps.push(performed),
            _ => workflows.push(PerformedSteps {
                workflow: w.id.clone(),
                workflow_name: w.name.clone(),
                steps: vec![performed],
            }),
        }
    }
    // The analysis of one role needs only the activities it holds a letter
    // for and those its steps realize; the rest of the model cannot change it.
    scope.sort();
    scope.dedup();
    let summary = analyse_roles(model, &index, &scope, &[role]).into_iter().next().unwrap_or(RoleSummary {
        role: role_ref(model, role),
        counts: Counts::default(),
        flags: Vec::new(),
    });
    RoleView {
        role: role_ref(model, role),
        group: r.group.clone(),
        owns,
        assignments,
        workflows,
        summary,
        max_accountable: MAX_ACCOUNTABLE,
    }
}

/// Escapes text for XML and HTML content and attribute values alike (the
/// renderers' escaping, see [`crate::render`]), with line breaks as spaces
/// because every RACI label is a single line.
pub(crate) fn escape_xml(text: &str) -> String {
    crate::render::escape(&text.replace(['\t', '\n', '\r'], " ")).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::Sources;

    pub(crate) fn model(yaml: &str) -> Model {
        let mut sources = Sources::new();
        sources.add_text("models/test.yaml", yaml);
        crate::check(&sources).model
    }

    const SMALL: &str = r#"
roles:
  - { id: boss, name: Boss }
  - { id: clerk, name: Clerk }
  - { id: auditor, name: Auditor }
process:
  id: p
  name: P
  owner: boss
  activities:
    - id: one
      name: One
      raci: { R: clerk, A: boss, I: [auditor] }
    - id: two
      name: Two
      raci: { R: [boss], A: boss, C: [clerk] }
workflow:
  id: w
  name: W
  steps:
    - { id: s, type: start, lane: clerk }
    - { id: do-one, name: Do one, realizes: [p/one] }
    - { id: do-two, name: Do two, realizes: [p/two] }
    - { id: e, type: end }
"#;

    #[test]
    fn letters_combine_accountable_first() {
        let mut l = Letters::default();
        l.insert(RaciLetter::R);
        l.insert(RaciLetter::A);
        l.insert(RaciLetter::R);
        assert_eq!(l.label(), "A/R");
        assert_eq!(l.count(), 2);
        assert_eq!(l.strongest(), Some(RaciLetter::A));
        assert_eq!(Letters::default().label(), "");
    }

    #[test]
    fn process_matrix_rows_columns_and_cells() {
        let m = model(SMALL);
        let p = m.process_by_id("p").expect("process");
        let matrix = process_matrix(&m, p, &Options::default());
        let roles: Vec<&str> = matrix.roles.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(roles, ["boss", "clerk", "auditor"]);
        let rows = &matrix.processes[0].activities;
        assert_eq!(rows[0].cells.iter().map(|c| c.label()).collect::<Vec<_>>(), ["A", "R", "I"]);
        assert_eq!(rows[1].cells.iter().map(|c| c.label()).collect::<Vec<_>>(), ["A/R", "C", ""]);
    }

    #[test]
    fn involvement_order_puts_busiest_role_first_and_keeps_ties_in_model_order() {
        let m = model(SMALL);
        let options = Options { order: ColumnOrder::Involvement, ..Options::default() };
        let matrix = cross_process_matrix(&m, &options);
        let roles: Vec<&str> = matrix.roles.iter().map(|r| r.id.as_str()).collect();
        // boss: 3 letters, clerk: 2, auditor: 1.
        assert_eq!(roles, ["boss", "clerk", "auditor"]);
        let summary: Vec<&str> = matrix.analysis.roles.iter().map(|r| r.role.id.as_str()).collect();
        assert_eq!(summary, roles, "analysis follows the column order");
        assert_eq!(matrix.analysis.roles[0].counts, Counts { r: 1, a: 2, c: 0, i: 0 });
    }

    #[test]
    fn clerk_performing_an_activity_it_only_consults_on_is_flagged() {
        let m = model(SMALL);
        let matrix = cross_process_matrix(&m, &Options::default());
        let review = &matrix.analysis.activities;
        assert_eq!(review.len(), 1);
        assert_eq!(review[0].activity.id, "two");
        assert!(matches!(
            &review[0].issues[..],
            [ActivityIssue::PerformerNotResponsible { step, role }] if step.id == "do-two" && role.id == "clerk"
        ));
        // The clerk is R for `one`, which one of its steps realizes: no role flag.
        assert!(matrix.analysis.roles.iter().all(|r| r.flags.is_empty()));
    }

    #[test]
    fn rule_breaks_in_a_model_with_errors_are_reported_not_panicked_on() {
        let m = model(
            r#"
roles:
  - { id: a, name: A }
  - { id: b, name: B }
process:
  id: p
  name: P
  activities:
    - { id: none, name: None, raci: { C: [a] } }
    - { id: two, name: Two, raci: { R: a, A: [a, b] } }
"#,
        );
        let matrix = cross_process_matrix(&m, &Options::default());
        let issues: Vec<Vec<String>> =
            matrix.analysis.activities.iter().map(|r| r.issues.iter().map(|i| i.message()).collect()).collect();
        assert_eq!(
            issues,
            [
                vec![
                    "no Accountable role (exactly one is required)".to_string(),
                    "no Responsible role".into(),
                    "realized by no workflow step".into()
                ],
                vec!["2 Accountable roles (exactly one is required)".into(), "realized by no workflow step".into()],
            ]
        );
    }

    #[test]
    fn role_view_lists_letters_steps_and_ownership() {
        let m = model(SMALL);
        let boss = role_view(&m, m.role_by_id("boss").expect("role"), &Options::default());
        assert_eq!(boss.owns, [ProcessRef { id: "p".into(), name: "P".into() }]);
        assert_eq!(boss.assignments[0].activities.len(), 2);
        assert!(boss.workflows.is_empty());
        let clerk = role_view(&m, m.role_by_id("clerk").expect("role"), &Options::default());
        let steps: Vec<&str> = clerk.workflows[0].steps.iter().map(|s| s.step.id.as_str()).collect();
        assert_eq!(steps, ["do-one", "do-two"], "no start or end events");
        assert_eq!(clerk.workflows[0].steps[0].step.href, "workflows/w.html#step-do-one");
        assert_eq!(clerk.summary.counts, Counts { r: 1, a: 0, c: 1, i: 0 });
    }

    #[test]
    fn escape_xml_escapes_markup_and_replaces_forbidden_controls() {
        assert_eq!(escape_xml("<a href=\"x\">&'\u{1}\n"), "&lt;a href=&quot;x&quot;&gt;&amp;&apos;\u{FFFD} ");
    }
}
