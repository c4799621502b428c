//! Reading a BPMN 2.0 XML file into procflow's YAML model format.
//!
//! This module owns the mapping from the OMG BPMN 2.0 interchange format back
//! to procflow's input contract (`docs/model-format.md`): which step a BPMN
//! flow node becomes, how roles come out of lanes and pools, how BPMN ids and
//! names turn into procflow ids, and the list of everything procflow does not
//! model. It takes the file's bytes and returns YAML text plus warnings; it
//! must not touch the disk, print, compile or check the model (the caller
//! loads the YAML through the normal pipeline), and it must not panic or
//! unwrap on any input: every malformed file gives an [`ImportError`] or
//! warnings.
//!
//! The mapping, in short:
//!
//! - every `process` with flow nodes becomes one workflow, and so does every
//!   embedded `subProcess` with flow nodes (the sub-process step `calls` it);
//! - lanes become roles (the deepest lane wins for nested lanes); nodes
//!   outside every lane go to a role named after the pool, or `unassigned`;
//! - events, tasks, gateways, sub-processes and call activities become steps
//!   of the matching `type`, `kind` and `trigger`; sequence flows become
//!   explicit `next` entries (`label` from the flow's name or condition,
//!   `default` from the source's `default` attribute). Every step except end
//!   events gets a `next`, `next: []` included, so the format's implicit flow
//!   to the following step never adds a flow the BPMN file did not have;
//! - `documentation` becomes `instructions` (or `description` for the
//!   `…_description` elements procflow's export writes), data objects
//!   connected by data associations become step `inputs`/`outputs`;
//! - steps are ordered left to right by their diagram position (top to
//!   bottom in vertical pools) when every node has one, else in document
//!   order.
//!
//! Elements with no procflow counterpart (message flows, boundary events,
//! annotations, groups, event sub-processes, loop markers, …) are reported as
//! [`Warning`]s naming their ids, never dropped silently. Execution details
//! with no visible meaning (vendor `extensionElements`, `ioSpecification`,
//! timer expressions, global message/signal/item definitions) are skipped
//! without a warning — except an intermediate timer's `timeDuration` that is
//! an ISO 8601 duration, which becomes the step's `duration`.
//!
//! Ids: a BPMN id that is already a valid procflow id is kept; otherwise the
//! id comes from the element's name (`Check invoice` → `check-invoice`,
//! accents spelt out), else from a short BPMN id, else from the step type,
//! made unique with `-2`, `-3`…. Roles are shared by lanes of the same name
//! across pools. Files produced by procflow's own export
//! (`exporter="procflow"`) get their model ids back (`Process_x` → workflow
//! `x`, `Step_y` → step `y`, `Lane_z` → role `z`), so export → import →
//! export keeps every id.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::fmt::{self, Write as _};

use roxmltree::{Document, Node, ParsingOptions};

use super::{BPMNDI_NS, DC_NS, MODEL_NS};
use crate::model::{StepKind, StepType, Trigger};

/// Largest file accepted. BPMN files from modelling tools are well below a
/// megabyte; the bound keeps memory use predictable on hostile input.
pub const MAX_INPUT_BYTES: usize = 64 * 1024 * 1024;

/// Most XML nodes parsed (roxmltree's `nodes_limit`).
const MAX_XML_NODES: u32 = 4_000_000;

/// Embedded sub-processes nested deeper than this are imported as plain
/// sub-process steps, their contents reported as dropped.
const MAX_NESTING: usize = 16;

/// Longest id derived from a name, leaving room for a `-N` suffix within the
/// format's 64 characters.
const MAX_SLUG: usize = 48;

/// What a BPMN file imports to: YAML files for a project's models folder and
/// the warnings about everything that did not carry over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    /// Model files in order: `roles.yaml` (`roles-2.yaml` when a workflow is
    /// called `roles`), then one `<workflow id>.yaml` per BPMN process
    /// (holding the workflows of its embedded sub-processes too). No two
    /// names are alike, also ignoring case.
    pub files: Vec<ImportedFile>,
    /// Ids of the workflows created, in file order.
    pub workflows: Vec<String>,
    /// Ids of the roles created, in order of first use.
    pub roles: Vec<String>,
    /// Elements that were left out or approximated, in document order.
    pub warnings: Vec<Warning>,
}

impl Imported {
    /// Every file as one YAML stream (documents separated by `---`), as
    /// `procflow import bpmn` prints it without `-o`.
    pub fn yaml(&self) -> String {
        let mut out = String::new();
        for (i, file) in self.files.iter().enumerate() {
            if i > 0 {
                out.push_str("---\n");
            }
            out.push_str(&file.text);
        }
        out
    }
}

/// One YAML file of an import.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedFile {
    /// File name inside the models folder: `roles.yaml` or `<workflow id>.yaml`
    /// (with `-2`, `-3`… where that name is taken).
    pub name: String,
    /// The file's YAML text.
    pub text: String,
}

/// How much of an element survived the import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Loss {
    /// Left out of the model entirely.
    Dropped,
    /// Imported in a simpler form (the warning says which).
    Approximated,
}

/// A BPMN element that procflow does not model, or models only in part.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Warning {
    /// The element's local name, e.g. `boundaryEvent`; `definitions` for
    /// problems of the file as a whole.
    pub element: String,
    /// The element's `id` attribute, when it has one.
    pub id: Option<String>,
    /// The element's `name` attribute, when it has one.
    pub name: Option<String>,
    /// The BPMN feature that did not carry over, in a few words (`boundary
    /// event`, `message flow`, `resource assignment`…), for grouping.
    pub feature: String,
    /// Whether the element was dropped or approximated.
    pub loss: Loss,
    /// What happened to it, in a sentence.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.element)?;
        if let Some(id) = &self.id {
            write!(f, " `{id}`")?;
        }
        if let Some(name) = &self.name {
            write!(f, " ({name:?})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Why a file could not be imported at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImportError {
    /// The file is larger than [`MAX_INPUT_BYTES`].
    #[error("the file has {bytes} bytes; at most {MAX_INPUT_BYTES} are read")]
    TooLarge { bytes: usize },
    /// The XML declaration names an encoding that is not known.
    #[error("the file declares the unknown encoding {label:?}")]
    UnknownEncoding { label: String },
    /// The text is not well-formed XML.
    #[error("not well-formed XML: {0}")]
    Xml(String),
    /// The root element is not BPMN 2.0's `definitions`.
    #[error("not a BPMN 2.0 file: the root element is {found}, expected `definitions` in the namespace {MODEL_NS}")]
    NotBpmn { found: String },
    /// No `process` holds a flow node, so there is no workflow to make.
    #[error("the file has no process with flow nodes (events, tasks, gateways){detail}")]
    NoProcess { detail: String },
}

/// Imports a BPMN 2.0 XML file (any encoding the XML declaration or a byte
/// order mark names, any namespace prefixes) into procflow YAML.
///
/// Fails only when there is nothing to import (not XML, not BPMN, no
/// process with flow nodes); everything else that does not carry over is a
/// [`Warning`] in the result.
pub fn import(bytes: &[u8]) -> Result<Imported, ImportError> {
    let (text, decode_warning) = decode(bytes)?;
    let options = ParsingOptions { allow_dtd: false, nodes_limit: MAX_XML_NODES, ..ParsingOptions::default() };
    let doc = Document::parse_with_options(&text, options).map_err(|e| ImportError::Xml(e.to_string()))?;
    let root = doc.root_element();
    if !is_model(&root, "definitions") {
        let found = match root.tag_name().namespace() {
            Some(ns) => format!("`{}` in the namespace {ns}", root.tag_name().name()),
            None => format!("`{}` without a namespace", root.tag_name().name()),
        };
        return Err(ImportError::NotBpmn { found });
    }
    let mut importer = Importer::new(root);
    if let Some(message) = decode_warning {
        importer.warn_on(root, Loss::Approximated, "encoding", message);
    }
    importer.run()
}

// ---------------------------------------------------------------------------
// Decoding

/// The file's text: a byte order mark wins, then the XML declaration's
/// `encoding`, then UTF-8. Invalid UTF-8 is replaced (with a warning) rather
/// than refused, since real files mislabel their encoding.
fn decode(bytes: &[u8]) -> Result<(Cow<'_, str>, Option<String>), ImportError> {
    if bytes.len() > MAX_INPUT_BYTES {
        return Err(ImportError::TooLarge { bytes: bytes.len() });
    }
    let (encoding, body) = if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        (encoding, bytes.get(bom..).unwrap_or_default())
    } else if bytes.starts_with(&[b'<', 0, b'?', 0]) {
        (encoding_rs::UTF_16LE, bytes)
    } else if bytes.starts_with(&[0, b'<', 0, b'?']) {
        (encoding_rs::UTF_16BE, bytes)
    } else {
        let encoding = match declared_encoding(bytes) {
            None => encoding_rs::UTF_8,
            Some(label) => match encoding_rs::Encoding::for_label(label.as_bytes()) {
                // A declaration readable as ASCII means the bytes are not
                // UTF-16, whatever the label says.
                Some(e) if e == encoding_rs::UTF_16LE || e == encoding_rs::UTF_16BE => encoding_rs::UTF_8,
                Some(e) => e,
                None => return Err(ImportError::UnknownEncoding { label }),
            },
        };
        (encoding, bytes)
    };
    if encoding == encoding_rs::UTF_8 {
        return Ok(match std::str::from_utf8(body) {
            Ok(text) => (Cow::Borrowed(text), None),
            Err(err) => (
                String::from_utf8_lossy(body),
                Some(format!(
                    "the file is not valid UTF-8 (first bad byte at offset {}); invalid bytes were replaced by U+FFFD",
                    err.valid_up_to()
                )),
            ),
        });
    }
    let (text, had_errors) = encoding.decode_without_bom_handling(body);
    let warning =
        had_errors.then(|| format!("the file is not valid {}; invalid bytes were replaced by U+FFFD", encoding.name()));
    Ok((Cow::Owned(text.into_owned()), warning))
}

/// The `encoding` pseudo-attribute of an ASCII-compatible XML declaration.
fn declared_encoding(bytes: &[u8]) -> Option<String> {
    let head = bytes.get(..bytes.len().min(1024))?;
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = head.windows(2).position(|w| w == b"?>")?;
    let decl = std::str::from_utf8(head.get(..end)?).ok()?;
    let rest = &decl[decl.find("encoding")? + "encoding".len()..];
    let rest = rest.trim_start().strip_prefix('=')?.trim_start();
    let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = rest.get(1..)?;
    Some(value.get(..value.find(quote)?)?.trim().to_string())
}

// ---------------------------------------------------------------------------
// Element classes

/// Flow nodes that become steps, with their step type and kind.
fn step_shape(tag: &str) -> Option<(StepType, Option<StepKind>)> {
    Some(match tag {
        "startEvent" => (StepType::Start, None),
        "endEvent" => (StepType::End, None),
        "intermediateCatchEvent" | "intermediateThrowEvent" => (StepType::Event, None),
        "task" => (StepType::Task, None),
        "userTask" => (StepType::Task, Some(StepKind::User)),
        "manualTask" => (StepType::Task, Some(StepKind::Manual)),
        "serviceTask" => (StepType::Task, Some(StepKind::Service)),
        "sendTask" => (StepType::Task, Some(StepKind::Send)),
        "receiveTask" => (StepType::Task, Some(StepKind::Receive)),
        "scriptTask" => (StepType::Task, Some(StepKind::Script)),
        "businessRuleTask" => (StepType::Task, Some(StepKind::BusinessRule)),
        "subProcess" | "transaction" | "adHocSubProcess" | "callActivity" => (StepType::Subprocess, None),
        "exclusiveGateway" => (StepType::Gateway, Some(StepKind::Exclusive)),
        "parallelGateway" => (StepType::Gateway, Some(StepKind::Parallel)),
        "inclusiveGateway" => (StepType::Gateway, Some(StepKind::Inclusive)),
        "eventBasedGateway" => (StepType::Gateway, Some(StepKind::EventBased)),
        // The closest procflow gateway: any combination of branches.
        "complexGateway" => (StepType::Gateway, Some(StepKind::Inclusive)),
        _ => return None,
    })
}

/// Sub-process elements whose flow nodes may form a workflow of their own.
fn is_container(tag: &str) -> bool {
    matches!(tag, "subProcess" | "transaction" | "adHocSubProcess")
}

/// Every flow node BPMN defines (for counting what an element contains).
fn is_flow_node_tag(tag: &str) -> bool {
    step_shape(tag).is_some()
        || matches!(
            tag,
            "boundaryEvent" | "implicitThrowEvent" | "choreographyTask" | "callChoreography" | "subChoreography"
        )
}

/// Children of a process or sub-process that are execution details without a
/// diagram meaning, or handled elsewhere: skipped without a warning.
fn is_silent_in_scope(tag: &str) -> bool {
    matches!(
        tag,
        "documentation"
            | "extensionElements"
            | "incoming"
            | "outgoing"
            | "laneSet"
            | "ioSpecification"
            | "property"
            | "auditing"
            | "monitoring"
            | "ioBinding"
            | "correlationSubscription"
            | "supports"
            | "sequenceFlow"
            | "dataObject"
            | "dataObjectReference"
            | "dataStoreReference"
    )
}

/// Top-level `definitions` children that only declare things other elements
/// refer to (messages, signals, item definitions…): skipped without a warning.
fn is_silent_definition(tag: &str) -> bool {
    matches!(
        tag,
        "import"
            | "extension"
            | "extensionElements"
            | "documentation"
            | "relationship"
            | "message"
            | "signal"
            | "error"
            | "escalation"
            | "itemDefinition"
            | "resource"
            | "interface"
            | "endPoint"
            | "dataStore"
            | "category"
            | "correlationProperty"
            | "partnerEntity"
            | "partnerRole"
            | "globalTask"
            | "globalUserTask"
            | "globalManualTask"
            | "globalScriptTask"
            | "globalBusinessRuleTask"
            | "messageEventDefinition"
            | "timerEventDefinition"
            | "signalEventDefinition"
            | "errorEventDefinition"
            | "conditionalEventDefinition"
            | "escalationEventDefinition"
            | "terminateEventDefinition"
            | "compensateEventDefinition"
            | "cancelEventDefinition"
            | "linkEventDefinition"
    )
}

/// The trigger of an event definition element.
fn trigger_of(definition: &str) -> Option<Trigger> {
    Some(match definition {
        "messageEventDefinition" => Trigger::Message,
        "timerEventDefinition" => Trigger::Timer,
        "signalEventDefinition" => Trigger::Signal,
        "errorEventDefinition" => Trigger::Error,
        "conditionalEventDefinition" => Trigger::Conditional,
        "escalationEventDefinition" => Trigger::Escalation,
        "terminateEventDefinition" => Trigger::Terminate,
        _ => return None,
    })
}

// ---------------------------------------------------------------------------
// The importer

/// A diagram shape's bounds and orientation.
#[derive(Debug, Clone, Copy)]
struct Shape {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
    /// `isHorizontal`, when written.
    horizontal: Option<bool>,
}

/// A process or embedded sub-process whose flow nodes become one workflow.
struct Scope<'a, 'i> {
    node: Node<'a, 'i>,
    /// The process this scope belongs to.
    process: Node<'a, 'i>,
    participant: Option<Node<'a, 'i>>,
    /// The scope index of the enclosing workflow, for sub-processes.
    parent: Option<usize>,
    workflow_id: String,
}

/// What a step says: shared by the step being built and the step as written.
#[derive(Clone)]
struct StepFields {
    id: String,
    step_type: StepType,
    kind: Option<StepKind>,
    trigger: Trigger,
    /// An intermediate timer's `timeDuration`, when it is an ISO 8601 duration.
    duration: Option<String>,
    name: Option<String>,
    lane: String,
    calls: Option<String>,
    instructions: Option<String>,
    description: Option<String>,
    inputs: Vec<String>,
    outputs: Vec<String>,
}

/// A step being built.
struct StepOut<'a, 'i> {
    node: Node<'a, 'i>,
    fields: StepFields,
    flows: Vec<FlowOut>,
    /// The diagram position to order by (primary, secondary coordinate).
    position: Option<(f64, f64)>,
}

impl std::ops::Deref for StepOut<'_, '_> {
    type Target = StepFields;
    fn deref(&self) -> &StepFields {
        &self.fields
    }
}

impl std::ops::DerefMut for StepOut<'_, '_> {
    fn deref_mut(&mut self) -> &mut StepFields {
        &mut self.fields
    }
}

/// One outgoing flow of a step, by index into the workflow's steps.
struct FlowOut {
    to: usize,
    label: Option<String>,
    default: bool,
}

/// A role made from a lane or pool.
struct RoleOut {
    id: String,
    name: String,
    description: Option<String>,
}

/// A workflow ready to be written.
struct WorkflowOut {
    id: String,
    name: Option<String>,
    description: Option<String>,
    lanes: Vec<String>,
    steps: Vec<StepOutFinal>,
    /// Index of the process scope whose file this workflow goes into.
    file_scope: usize,
    /// The BPMN element the workflow came from, for the file's comment.
    source: String,
}

/// A step as written, ids resolved.
struct StepOutFinal {
    fields: StepFields,
    /// (target step id, label, default).
    next: Vec<(String, Option<String>, bool)>,
}

impl std::ops::Deref for StepOutFinal {
    type Target = StepFields;
    fn deref(&self) -> &StepFields {
        &self.fields
    }
}

struct Importer<'a, 'i> {
    root: Node<'a, 'i>,
    /// Every element with an `id`, first occurrence wins.
    by_id: HashMap<&'a str, Node<'a, 'i>>,
    /// Diagram shapes by the id of the element they draw (first one wins).
    shapes: HashMap<&'a str, Shape>,
    /// Whether procflow's own export wrote the file.
    procflow: bool,
    /// The participant (pool) of each process, by process id.
    participants: HashMap<&'a str, Node<'a, 'i>>,
    /// For each flow node id: the lane it is in, and how deeply that lane is nested.
    lane_of: HashMap<&'a str, (usize, Node<'a, 'i>)>,
    /// Role id of each lane element, once made.
    lane_roles: HashMap<roxmltree::NodeId, String>,
    roles: Vec<RoleOut>,
    role_ids: BTreeMap<String, usize>,
    warnings: Vec<Warning>,
    /// Data elements that became step inputs/outputs, with the step ids.
    data_uses: HashMap<roxmltree::NodeId, Vec<roxmltree::NodeId>>,
    /// Workflow id of each imported process, by process id (for `calledElement`).
    process_workflows: HashMap<String, String>,
    /// Workflow id of each embedded sub-process with flow nodes.
    sub_workflows: HashMap<roxmltree::NodeId, String>,
    /// (workflow id, step id) of each flow node imported as a step.
    step_refs: HashMap<roxmltree::NodeId, (String, String)>,
    /// Per process: whether it is drawn vertically, and its lanes in order.
    layout_of: HashMap<roxmltree::NodeId, (bool, Vec<Node<'a, 'i>>)>,
}

impl<'a, 'i> Importer<'a, 'i> {
    fn new(root: Node<'a, 'i>) -> Self {
        let mut by_id = HashMap::new();
        let mut shapes = HashMap::new();
        for node in root.descendants().filter(Node::is_element) {
            if let Some(id) = node.attribute("id") {
                by_id.entry(id).or_insert(node);
            }
            if node.tag_name().namespace() == Some(BPMNDI_NS) && node.tag_name().name() == "BPMNShape" {
                let Some(element) = node.attribute("bpmnElement").map(local_ref) else { continue };
                let bounds = node.children().find(|c| {
                    c.is_element() && c.tag_name().namespace() == Some(DC_NS) && c.tag_name().name() == "Bounds"
                });
                let Some(bounds) = bounds else { continue };
                let number = |name: &str| bounds.attribute(name).and_then(|v| v.trim().parse::<f64>().ok());
                let (Some(x), Some(y), Some(width), Some(height)) =
                    (number("x"), number("y"), number("width"), number("height"))
                else {
                    continue;
                };
                if ![x, y, width, height].iter().all(|v| v.is_finite()) {
                    continue;
                }
                let horizontal = node.attribute("isHorizontal").map(|v| v.trim() != "false");
                shapes.entry(element).or_insert(Shape { x, y, width, height, horizontal });
            }
        }
        let procflow = root.attribute("exporter").is_some_and(|e| e.trim() == "procflow");
        let mut participants = HashMap::new();
        for collaboration in children(root, "collaboration") {
            for participant in children(collaboration, "participant") {
                if let Some(process) = participant.attribute("processRef").map(local_ref) {
                    participants.entry(process).or_insert(participant);
                }
            }
        }
        // Lanes: the deepest lane naming a node wins (bpmn.io repeats a
        // node's flowNodeRef in every ancestor lane).
        let mut lane_of: HashMap<&'a str, (usize, Node<'a, 'i>)> = HashMap::new();
        for lane in root.descendants().filter(|n| is_model(n, "lane")) {
            let depth = lane.ancestors().filter(|a| is_model(a, "lane")).count();
            for reference in children(lane, "flowNodeRef") {
                let Some(id) = reference.text().map(str::trim).filter(|t| !t.is_empty()) else { continue };
                let id = local_ref(id);
                match lane_of.get(id) {
                    Some((d, _)) if *d >= depth => {}
                    _ => {
                        lane_of.insert(id, (depth, lane));
                    }
                }
            }
        }
        Importer {
            root,
            by_id,
            shapes,
            procflow,
            participants,
            lane_of,
            lane_roles: HashMap::new(),
            roles: Vec::new(),
            role_ids: BTreeMap::new(),
            warnings: Vec::new(),
            data_uses: HashMap::new(),
            process_workflows: HashMap::new(),
            sub_workflows: HashMap::new(),
            step_refs: HashMap::new(),
            layout_of: HashMap::new(),
        }
    }

    fn run(mut self) -> Result<Imported, ImportError> {
        let root = self.root;
        let processes: Vec<Node> = children(root, "process").collect();

        // Scopes: every process with flow nodes, then its sub-processes with
        // flow nodes, depth first, in document order.
        let mut scopes: Vec<Scope> = Vec::new();
        let mut empty_processes = Vec::new();
        for &process in &processes {
            if !process.children().any(|c| is_model_element(&c) && step_shape(c.tag_name().name()).is_some()) {
                empty_processes.push(process);
                continue;
            }
            let participant = process.attribute("id").and_then(|id| self.participants.get(id).copied());
            let index = scopes.len();
            scopes.push(Scope { node: process, process, participant, parent: None, workflow_id: String::new() });
            self.collect_sub_scopes(process, process, participant, index, 1, &mut scopes);
        }
        if scopes.is_empty() {
            let participants = children(root, "collaboration").flat_map(|c| children(c, "participant")).count();
            let choreographies = children(root, "choreography").count();
            let mut parts = Vec::new();
            if !processes.is_empty() {
                parts.push(format!("{} without flow nodes", plural(processes.len(), "process", "processes")));
            }
            if participants > 0 {
                parts.push(plural(participants, "participant", "participants"));
            }
            if choreographies > 0 {
                parts.push(plural(choreographies, "choreography", "choreographies"));
            }
            let detail = if parts.is_empty() { String::new() } else { format!("; it has {}", parts.join(", ")) };
            return Err(ImportError::NoProcess { detail });
        }
        self.assign_workflow_ids(&mut scopes);

        // What the file holds outside the processes that become workflows.
        self.warn_nested_lanes();
        for scope in &scopes {
            match (scope.parent, scope.node.attribute("id")) {
                (None, Some(id)) => {
                    self.process_workflows.entry(id.to_string()).or_insert_with(|| scope.workflow_id.clone());
                }
                (None, None) => {}
                (Some(_), _) => {
                    self.sub_workflows.insert(scope.node.id(), scope.workflow_id.clone());
                }
            }
        }

        let mut workflows = Vec::new();
        for (index, scope) in scopes.iter().enumerate() {
            let file_scope = {
                let mut s = index;
                while let Some(parent) = scopes.get(s).and_then(|sc| sc.parent) {
                    s = parent;
                }
                s
            };
            let workflow = self.workflow(scope, file_scope);
            workflows.push(workflow);
        }
        self.warn_outside_processes(&empty_processes, &scopes);
        self.warn_data_objects(&scopes);
        Ok(self.finish(&scopes, workflows))
    }

    /// Adds the embedded sub-processes of `container` that hold flow nodes as
    /// scopes; deeper than [`MAX_NESTING`] their contents are reported.
    fn collect_sub_scopes(
        &mut self,
        container: Node<'a, 'i>,
        process: Node<'a, 'i>,
        participant: Option<Node<'a, 'i>>,
        parent: usize,
        depth: usize,
        scopes: &mut Vec<Scope<'a, 'i>>,
    ) {
        for child in container.children().filter(is_model_element) {
            let tag = child.tag_name().name();
            if !is_container(tag) || is_event_subprocess(&child) {
                continue;
            }
            let inner = child.children().filter(|c| is_model_element(c) && step_shape(c.tag_name().name()).is_some());
            if inner.count() == 0 {
                continue;
            }
            if depth > MAX_NESTING {
                let contained = count_flow_nodes(child);
                let message = format!(
                    "sub-processes nested more than {MAX_NESTING} deep are imported without their contents ({} left out)",
                    plural(contained, "flow node", "flow nodes")
                );
                self.warn_on(child, Loss::Approximated, "deep nesting", message);
                continue;
            }
            let index = scopes.len();
            scopes.push(Scope { node: child, process, participant, parent: Some(parent), workflow_id: String::new() });
            self.collect_sub_scopes(child, process, participant, index, depth + 1, scopes);
        }
    }

    /// Workflow ids: model ids from procflow's own export and valid BPMN ids
    /// are kept first, then ids are derived from names.
    fn assign_workflow_ids(&self, scopes: &mut [Scope]) {
        let single = scopes.iter().filter(|s| s.parent.is_none()).count() == 1;
        let mut used = BTreeSet::new();
        let mut exact: Vec<Option<String>> = Vec::new();
        for scope in scopes.iter() {
            let id = scope.node.attribute("id").unwrap_or_default();
            let kept = if scope.parent.is_none() { self.kept_id(id, "Process_") } else { None };
            exact.push(kept.filter(|k| used.insert(k.clone())));
        }
        for (scope, kept) in scopes.iter_mut().zip(exact) {
            if let Some(kept) = kept {
                scope.workflow_id = kept;
                continue;
            }
            let id = scope.node.attribute("id").unwrap_or_default();
            let mut candidates = vec![name_of(scope.node)];
            if scope.parent.is_none() {
                candidates.push(scope.participant.and_then(name_of));
                if single {
                    candidates.push(self.root.attribute("name").map(str::to_string));
                }
            }
            let base = candidates.iter().flatten().map(|c| slug(c)).find(|s| !s.is_empty()).or_else(|| id_slug(id));
            let fallback = if scope.parent.is_none() { "workflow" } else { "subprocess" };
            scope.workflow_id = unique(base.unwrap_or_else(|| fallback.to_string()), &mut used);
        }
    }

    /// The model id a BPMN id stands for, when it can be kept: the id after
    /// `prefix` in procflow's own exports, or the BPMN id itself when it is
    /// already a valid procflow id.
    fn kept_id(&self, id: &str, prefix: &str) -> Option<String> {
        if self.procflow
            && let Some(stripped) = id.strip_prefix(prefix).filter(|s| is_valid_id(s))
        {
            return Some(stripped.to_string());
        }
        is_valid_id(id).then(|| id.to_string())
    }

    /// Builds the workflow of one scope.
    fn workflow(&mut self, scope: &Scope<'a, 'i>, file_scope: usize) -> WorkflowOut {
        let (vertical, process_lanes) = match self.layout_of.get(&scope.process.id()) {
            Some(known) => known.clone(),
            None => {
                let vertical = self.is_vertical(scope.process);
                let lanes = self.ordered_lanes(scope.process, vertical);
                self.layout_of.insert(scope.process.id(), (vertical, lanes.clone()));
                (vertical, lanes)
            }
        };
        let mut steps: Vec<StepOut> = Vec::new();
        let mut index_of: HashMap<&str, usize> = HashMap::new();
        // Reported once the steps have ids, so the warnings can name them.
        let mut unsupported = Vec::new();
        let mut dropped_flows = Vec::new();
        for child in scope.node.children().filter(is_model_element) {
            let tag = child.tag_name().name();
            if let Some((step_type, kind)) = step_shape(tag) {
                if is_event_subprocess(&child) {
                    let contained = count_flow_nodes(child);
                    self.warn_on(
                        child,
                        Loss::Dropped,
                        "event sub-process",
                        format!(
                            "event sub-processes are not modelled; left out with the {} inside",
                            plural(contained, "flow node", "flow nodes")
                        ),
                    );
                    continue;
                }
                let step = self.step(child, scope, (step_type, kind), vertical);
                if let Some(id) = child.attribute("id") {
                    index_of.entry(id).or_insert(steps.len());
                }
                steps.push(step);
            } else if !is_silent_in_scope(tag) {
                unsupported.push(child);
            }
        }

        // Sequence flows, in document order.
        for flow in children(scope.node, "sequenceFlow") {
            let source = flow.attribute("sourceRef").map(local_ref);
            let target = flow.attribute("targetRef").map(local_ref);
            let (Some(source), Some(target)) = (source, target) else {
                self.warn_on(
                    flow,
                    Loss::Dropped,
                    "broken sequence flow",
                    "the sequence flow has no sourceRef or no targetRef; left out".into(),
                );
                continue;
            };
            let (Some(&from), Some(&to)) = (index_of.get(source), index_of.get(target)) else {
                dropped_flows.push((flow, source, target));
                continue;
            };
            if steps.get(from).is_some_and(|s| s.step_type == StepType::End) {
                dropped_flows.push((flow, source, target));
                continue;
            }
            let flow_id = flow.attribute("id");
            let is_default = |s: &StepOut| flow_id.is_some() && s.node.attribute("default").map(local_ref) == flow_id;
            let default = steps.get(from).is_some_and(is_default)
                && !steps.get(from).is_some_and(|s| s.flows.iter().any(|f| f.default));
            let label = name_of(flow).or_else(|| {
                children(flow, "conditionExpression").next().map(|c| collapse(&all_text(c))).filter(|t| !t.is_empty())
            });
            if let Some(step) = steps.get_mut(from) {
                step.flows.push(FlowOut { to, label, default });
            }
        }
        self.link_events(&mut steps);

        // Order: left to right (top to bottom in vertical pools) when every
        // step has a shape, else as written.
        let order: Vec<usize> = match steps.iter().map(|s| s.position).collect::<Option<Vec<_>>>() {
            Some(positions) => diagram_order(positions),
            None => (0..steps.len()).collect(),
        };

        // Step ids: ids kept from the file first, then names.
        let mut used = BTreeSet::new();
        let mut ids: Vec<Option<String>> = steps
            .iter()
            .map(|s| {
                self.kept_id(s.node.attribute("id").unwrap_or_default(), "Step_").filter(|k| used.insert(k.clone()))
            })
            .collect();
        for (i, step) in steps.iter().enumerate() {
            if ids.get(i).is_some_and(Option::is_some) {
                continue;
            }
            let base = step
                .name
                .as_deref()
                .map(slug)
                .filter(|s| !s.is_empty())
                .or_else(|| id_slug(step.node.attribute("id").unwrap_or_default()))
                .unwrap_or_else(|| type_word(step.step_type).to_string());
            if let Some(slot) = ids.get_mut(i) {
                *slot = Some(unique(base, &mut used));
            }
        }
        for (step, id) in steps.iter_mut().zip(ids) {
            step.id = id.unwrap_or_default();
            self.step_refs.insert(step.node.id(), (scope.workflow_id.clone(), step.id.clone()));
        }
        for node in unsupported {
            self.warn_unsupported(node);
        }
        for (flow, source, target) in dropped_flows {
            let tag = |id: &str| self.by_id.get(id).map(|n| n.tag_name().name());
            let (feature, what) = if tag(source) == Some("boundaryEvent") {
                ("exception flow", "exception flows from boundary events are not modelled")
            } else if tag(source) == Some("endEvent") {
                ("flow out of an end event", "a flow out of an end event cannot be written in procflow")
            } else {
                ("flow between scopes", "a flow must join two steps of the same workflow")
            };
            let message = format!("{what}; left out (from {} to {})", self.reference(source), self.reference(target));
            self.warn_on(flow, Loss::Dropped, feature, message);
        }

        // Lanes: the process's lanes in diagram order, then roles first used.
        let mut lanes: Vec<String> = Vec::new();
        if scope.parent.is_none() {
            for &lane in &process_lanes {
                let role = self.role_for_lane(lane);
                if !lanes.contains(&role) {
                    lanes.push(role);
                }
            }
        } else {
            let used: HashSet<&str> = steps.iter().map(|s| s.lane.as_str()).collect();
            for &lane in &process_lanes {
                let role = self.role_for_lane(lane);
                if used.contains(role.as_str()) && !lanes.contains(&role) {
                    lanes.push(role);
                }
            }
        }

        let final_steps = order
            .iter()
            .filter_map(|&i| steps.get(i))
            .map(|s| StepOutFinal {
                fields: StepFields { name: s.name.clone().filter(|n| *n != s.id), ..s.fields.clone() },
                next: s
                    .flows
                    .iter()
                    .filter_map(|f| Some((steps.get(f.to)?.id.clone(), f.label.clone(), f.default)))
                    .collect(),
            })
            .collect();

        let (name, description) = self.workflow_texts(scope);
        WorkflowOut {
            id: scope.workflow_id.clone(),
            name,
            description,
            lanes,
            steps: final_steps,
            file_scope,
            source: describe(scope.node),
        }
    }

    /// A workflow's name and description.
    fn workflow_texts(&self, scope: &Scope) -> (Option<String>, Option<String>) {
        let mut name = name_of(scope.node);
        if scope.parent.is_none() {
            name = name.or_else(|| scope.participant.and_then(name_of));
        }
        let mut docs = documentation(scope.node).into_iter().map(|(_, text)| text).collect::<Vec<_>>();
        if let Some(participant) = scope.participant.filter(|_| scope.parent.is_none()) {
            docs.extend(documentation(participant).into_iter().map(|(_, text)| text));
        }
        (name, join_texts(docs))
    }

    /// Builds one step from a flow node.
    fn step(
        &mut self,
        node: Node<'a, 'i>,
        scope: &Scope<'a, 'i>,
        (step_type, kind): (StepType, Option<StepKind>),
        vertical: bool,
    ) -> StepOut<'a, 'i> {
        let tag = node.tag_name().name();
        let trigger = if matches!(step_type, StepType::Start | StepType::End | StepType::Event) {
            self.trigger(node, step_type)
        } else {
            Trigger::None
        };
        let duration =
            (step_type == StepType::Event && trigger == Trigger::Timer).then(|| self.time_duration(node)).flatten();
        let mut calls = None;
        match tag {
            "callActivity" => {
                let called = node.attribute("calledElement").map(local_ref).unwrap_or_default();
                if let Some(workflow) = self.process_workflows.get(called) {
                    calls = Some(workflow.clone());
                } else if !called.is_empty() {
                    let (what, hint) = match self.by_id.get(called) {
                        Some(target) => (
                            format!("{} `{called}`, which is not a process with flow nodes", target.tag_name().name()),
                            String::new(),
                        ),
                        None => match called.strip_prefix("Process_").filter(|w| self.procflow && is_valid_id(w)) {
                            Some(workflow) => (
                                format!("`{called}` from another file (procflow workflow `{workflow}`)"),
                                format!("; import that file too and add `calls: {workflow}`"),
                            ),
                            None => (format!("`{called}`, which is not in this file"), String::new()),
                        },
                    };
                    self.warn_on(
                        node,
                        Loss::Approximated,
                        "unresolved call",
                        format!("the call activity calls {what}: imported as a sub-process step without `calls`{hint}"),
                    );
                }
            }
            "transaction" | "adHocSubProcess" => {
                let what = if tag == "transaction" { "transactions" } else { "ad-hoc sub-processes" };
                let feature = if tag == "transaction" { "transaction" } else { "ad-hoc sub-process" };
                self.warn_on(node, Loss::Approximated, feature, format!("{what} are imported as plain sub-processes"));
            }
            "complexGateway" => {
                let message = "complex gateways are imported as inclusive gateways".to_string();
                self.warn_on(node, Loss::Approximated, "complex gateway", message);
            }
            _ => {}
        }
        if is_container(tag) {
            calls = self.sub_workflows.get(&node.id()).cloned();
        }
        // Markers and details of the flow node that procflow does not draw.
        for child in node.children().filter(is_model_element) {
            match child.tag_name().name() {
                "multiInstanceLoopCharacteristics" => {
                    let sequential = child.attribute("isSequential").is_some_and(|v| v.trim() == "true");
                    let which = if sequential { "sequential" } else { "parallel" };
                    self.warn_on(
                        node,
                        Loss::Approximated,
                        "multi-instance marker",
                        format!("the {which} multi-instance marker is not modelled; imported as a single step"),
                    );
                }
                "standardLoopCharacteristics" => {
                    self.warn_on(
                        node,
                        Loss::Approximated,
                        "loop marker",
                        "the loop marker is not modelled; imported as a single step".into(),
                    );
                }
                resource @ ("performer" | "humanPerformer" | "potentialOwner") => {
                    let who = child
                        .descendants()
                        .find(|d| is_model(d, "resourceRef"))
                        .and_then(|r| r.text())
                        .map(|r| local_ref(r.trim()))
                        .and_then(|r| self.by_id.get(r).and_then(|n| name_of(*n)).or(Some(r.to_string())))
                        .or_else(|| name_of(child));
                    let who = who.map(|w| format!(" ({w})")).unwrap_or_default();
                    self.warn_on(
                        node,
                        Loss::Approximated,
                        "resource assignment",
                        format!(
                            "the resource assignment `{resource}`{who} is not modelled; the step stays in its lane"
                        ),
                    );
                }
                _ => {}
            }
        }
        if node.attribute("isForCompensation").is_some_and(|v| v.trim() == "true") {
            self.warn_on(
                node,
                Loss::Approximated,
                "compensation activity",
                "compensation activities are not modelled; imported as a step without incoming flows".into(),
            );
        }

        let docs = documentation(node);
        let (descriptions, instructions): (Vec<_>, Vec<_>) =
            docs.into_iter().partition(|(id, _)| id.as_deref().is_some_and(|id| id.ends_with("_description")));
        let (inputs, outputs) = self.data(node);
        let lane = self.lane(node, scope);
        let position = self.position(node, vertical);
        StepOut {
            node,
            fields: StepFields {
                id: String::new(),
                step_type,
                kind,
                trigger,
                duration,
                name: name_of(node),
                lane,
                calls,
                instructions: join_texts(instructions.into_iter().map(|(_, t)| t).collect()),
                description: join_texts(descriptions.into_iter().map(|(_, t)| t).collect()),
                inputs,
                outputs,
            },
            flows: Vec::new(),
            position,
        }
    }

    /// The `timeDuration` of an event's timer definition (inline, or named by
    /// `eventDefinitionRef`), when procflow can say it: an ISO 8601 duration.
    fn time_duration(&self, node: Node<'a, 'i>) -> Option<String> {
        let definitions = node.children().filter(is_model_element).filter_map(|child| match child.tag_name().name() {
            "timerEventDefinition" => Some(child),
            "eventDefinitionRef" => self.by_id.get(local_ref(child.text()?.trim())).copied(),
            _ => None,
        });
        let duration = definitions
            .flat_map(|d| d.children().filter(is_model_element))
            .find(|c| c.tag_name().name() == "timeDuration")?;
        let text = duration.text()?.trim();
        crate::model::is_iso_duration(text).then(|| text.to_string())
    }

    /// The trigger of an event from its event definitions (inline, or named
    /// by `eventDefinitionRef`), with warnings for what procflow cannot say.
    fn trigger(&mut self, node: Node<'a, 'i>, step_type: StepType) -> Trigger {
        let mut definitions: Vec<&str> = Vec::new();
        for child in node.children().filter(is_model_element) {
            let tag = child.tag_name().name();
            if tag.ends_with("EventDefinition") {
                definitions.push(tag);
            } else if tag == "eventDefinitionRef" {
                let target = child.text().map(|t| local_ref(t.trim())).unwrap_or_default();
                if let Some(definition) = self.by_id.get(target) {
                    definitions.push(definition.tag_name().name());
                }
            }
        }
        let tag = node.tag_name().name();
        let trigger = match definitions.as_slice() {
            [] => Trigger::None,
            [definition] => match trigger_of(definition) {
                Some(Trigger::Terminate) if step_type != StepType::End => {
                    self.warn_on(
                        node,
                        Loss::Approximated,
                        "terminate trigger",
                        "only end events terminate; imported without a trigger".into(),
                    );
                    Trigger::None
                }
                Some(trigger) => trigger,
                // Link events are joined up by `link_events`.
                None if *definition == "linkEventDefinition" => Trigger::None,
                None => {
                    let what = definition.trim_end_matches("EventDefinition");
                    self.warn_on(
                        node,
                        Loss::Approximated,
                        &format!("{what} event"),
                        format!("{what} events are not modelled; imported as an event without a trigger"),
                    );
                    Trigger::None
                }
            },
            several => {
                self.warn_on(
                    node,
                    Loss::Approximated,
                    "multiple event",
                    format!(
                        "an event with several definitions ({}) is imported as an event without a trigger",
                        several.iter().map(|d| d.trim_end_matches("EventDefinition")).collect::<Vec<_>>().join(", ")
                    ),
                );
                Trigger::None
            }
        };
        if tag == "intermediateThrowEvent" && trigger != Trigger::None {
            let message = "procflow does not tell throwing from catching intermediate events; \
                           imported as an event that waits for its trigger";
            self.warn_on(node, Loss::Approximated, "throwing event", message.into());
        }
        trigger
    }

    /// Joins throwing link events to the catching ones of the same name by
    /// a flow, which is what the pair means.
    fn link_events(&mut self, steps: &mut [StepOut<'a, 'i>]) {
        let link_name = |node: &Node| -> Option<String> {
            let definition = children(*node, "linkEventDefinition").next()?;
            name_of(definition).or_else(|| name_of(*node))
        };
        let catches: Vec<(usize, String)> = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| s.node.tag_name().name() == "intermediateCatchEvent")
            .filter_map(|(i, s)| Some((i, link_name(&s.node)?)))
            .collect();
        let throws: Vec<(usize, Option<String>)> = steps
            .iter()
            .enumerate()
            .filter(|(_, s)| {
                s.node.tag_name().name() == "intermediateThrowEvent"
                    && children(s.node, "linkEventDefinition").next().is_some()
            })
            .map(|(i, s)| (i, link_name(&s.node)))
            .collect();
        let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, name) in &catches {
            by_name.entry(name.as_str()).or_default().push(*i);
        }
        let mut reached = BTreeSet::new();
        for (throw, name) in &throws {
            let targets: Vec<usize> = name.as_deref().and_then(|n| by_name.get(n)).cloned().unwrap_or_default();
            let Some(node) = steps.get(*throw).map(|s| s.node) else { continue };
            let message = if targets.is_empty() {
                "link events are not modelled and no catching link event has its name; imported as a plain event"
                    .to_string()
            } else {
                "link events are not modelled; imported as a plain event with a flow to the catching link event"
                    .to_string()
            };
            self.warn_on(node, Loss::Approximated, "link event", message);
            if let Some(step) = steps.get_mut(*throw) {
                for to in targets {
                    reached.insert(to);
                    step.flows.push(FlowOut { to, label: None, default: false });
                }
            }
        }
        for (catch, _) in &catches {
            if let Some(node) = steps.get(*catch).map(|s| s.node) {
                let message = if reached.contains(catch) {
                    "link events are not modelled; imported as a plain event reached from its throwing link event"
                } else {
                    "link events are not modelled and no throwing link event has its name; imported as a plain event"
                };
                self.warn_on(node, Loss::Approximated, "link event", message.into());
            }
        }
    }

    /// Step inputs and outputs from data associations.
    fn data(&mut self, node: Node<'a, 'i>) -> (Vec<String>, Vec<String>) {
        let mut inputs = Vec::new();
        let mut outputs = Vec::new();
        for (association, end, list) in
            [("dataInputAssociation", "sourceRef", &mut inputs), ("dataOutputAssociation", "targetRef", &mut outputs)]
        {
            for a in children(node, association) {
                for reference in children(a, end) {
                    let Some(target) = reference.text().map(|t| local_ref(t.trim())) else { continue };
                    let Some(&data) = self.by_id.get(target) else { continue };
                    let Some(name) = self.data_name(data) else { continue };
                    if !list.contains(&name) {
                        list.push(name);
                    }
                    self.data_uses.entry(data.id()).or_default().push(node.id());
                }
            }
        }
        (inputs, outputs)
    }

    /// The name a data element is shown with, with its state: `Invoice [approved]`.
    fn data_name(&self, data: Node<'a, 'i>) -> Option<String> {
        let tag = data.tag_name().name();
        let referenced = match tag {
            "dataObjectReference" => data.attribute("dataObjectRef"),
            "dataStoreReference" => data.attribute("dataStoreRef"),
            "dataObject" | "dataStore" | "dataInput" | "dataOutput" | "property" => None,
            _ => return None,
        };
        let name = name_of(data)
            .or_else(|| referenced.and_then(|r| self.by_id.get(local_ref(r))).and_then(|n| name_of(*n)))
            .or_else(|| data.attribute("id").map(str::to_string))?;
        let state = children(data, "dataState")
            .next()
            .or_else(|| {
                referenced.and_then(|r| self.by_id.get(local_ref(r))).and_then(|n| children(*n, "dataState").next())
            })
            .and_then(name_of);
        // Tools often repeat the state in the name already.
        Some(match state {
            Some(state) if !name.ends_with(&format!("[{state}]")) => format!("{name} [{state}]"),
            _ => name,
        })
    }

    /// The role of a flow node: its deepest lane, the lane of the
    /// sub-process around it, or the pool's (or `unassigned`) role.
    fn lane(&mut self, node: Node<'a, 'i>, scope: &Scope<'a, 'i>) -> String {
        for n in node.ancestors() {
            if let Some(&(_, lane)) = n.attribute("id").and_then(|id| self.lane_of.get(id)) {
                return self.role_for_lane(lane);
            }
            if n == scope.process {
                break;
            }
        }
        match scope.participant.and_then(name_of) {
            Some(name) => {
                let participant = scope.participant.and_then(|p| p.attribute("id")).unwrap_or_default();
                let candidates = [slug(&name), slug(participant), "unassigned".to_string()];
                self.role(&candidates, name, None)
            }
            None => self.role(&["unassigned".to_string()], "Unassigned".to_string(), None),
        }
    }

    /// The role a lane stands for, made on first use.
    fn role_for_lane(&mut self, lane: Node<'a, 'i>) -> String {
        if let Some(role) = self.lane_roles.get(&lane.id()) {
            return role.clone();
        }
        let id = lane.attribute("id").unwrap_or_default();
        let mut candidates = Vec::new();
        if self.procflow
            && let Some(stripped) = id.strip_prefix("Lane_").filter(|s| is_valid_id(s))
        {
            candidates.push(stripped.to_string());
        }
        let name = name_of(lane).or_else(|| self.unnamed_lane_name(lane));
        candidates.extend(name.iter().map(|n| slug(n)));
        candidates.extend(id_slug(id));
        candidates.push("lane".to_string());
        let description = join_texts(documentation(lane).into_iter().map(|(_, t)| t).collect());
        let role = self.role(&candidates, name.unwrap_or_else(|| "Lane".to_string()), description);
        self.lane_roles.insert(lane.id(), role.clone());
        role
    }

    /// A name for a lane that has none: its pool's (participant's, else
    /// process's) name, numbered when the pool has several unnamed lanes.
    fn unnamed_lane_name(&self, lane: Node) -> Option<String> {
        let process = lane.ancestors().find(|a| is_model(a, "process"))?;
        let participant = process.attribute("id").and_then(|id| self.participants.get(id));
        let pool = participant.and_then(|p| name_of(*p)).or_else(|| name_of(process))?;
        let unnamed: Vec<Node> =
            process.descendants().filter(|n| is_model(n, "lane") && name_of(*n).is_none()).collect();
        match unnamed.iter().position(|l| *l == lane) {
            Some(n) if unnamed.len() > 1 => Some(format!("{pool} {}", n + 1)),
            _ => Some(pool),
        }
    }

    /// The role with the first usable candidate id; an existing role of that
    /// id is shared (lanes of the same name in several pools are one role).
    fn role(&mut self, candidates: &[String], name: String, description: Option<String>) -> String {
        let id = candidates.iter().find(|c| is_valid_id(c)).cloned().unwrap_or_else(|| "lane".to_string());
        if !self.role_ids.contains_key(&id) {
            self.role_ids.insert(id.clone(), self.roles.len());
            self.roles.push(RoleOut { id: id.clone(), name, description });
        }
        id
    }

    /// The lanes of a process that become lanes of its workflow, in diagram
    /// order (top to bottom, or left to right when vertical) when every lane
    /// has a shape, else in document order.
    fn ordered_lanes(&self, process: Node<'a, 'i>, vertical: bool) -> Vec<Node<'a, 'i>> {
        let all: Vec<Node> = process
            .descendants()
            .filter(|n| is_model(n, "lane"))
            .filter(|lane| {
                // Lanes of a sub-process's own lane set belong to it, not the pool.
                lane.ancestors().skip(1).find(|a| is_model(a, "process") || is_model_container(a)) == Some(process)
            })
            .collect();
        // A lane with child lanes is flattened into them; it keeps a role
        // only for nodes that no child lane names.
        let naming: HashSet<roxmltree::NodeId> = self.lane_of.values().map(|(_, l)| l.id()).collect();
        let leaves: Vec<Node> =
            all.into_iter().filter(|lane| !has_child_lanes(*lane) || naming.contains(&lane.id())).collect();
        match leaves.iter().map(|l| self.lane_position(*l, vertical)).collect::<Option<Vec<_>>>() {
            Some(positions) => diagram_order(positions).into_iter().filter_map(|i| leaves.get(i).copied()).collect(),
            None => leaves,
        }
    }

    fn lane_position(&self, lane: Node, vertical: bool) -> Option<(f64, f64)> {
        let shape = self.shapes.get(lane.attribute("id")?)?;
        Some(if vertical { (shape.x, shape.y) } else { (shape.y, shape.x) })
    }

    /// Whether the pool or lanes of a process are drawn vertically.
    fn is_vertical(&self, process: Node) -> bool {
        let participant = process.attribute("id").and_then(|id| self.participants.get(id));
        let mut elements: Vec<&str> = participant.and_then(|p| p.attribute("id")).into_iter().collect();
        elements.extend(process.descendants().filter(|n| is_model(n, "lane")).filter_map(|l| l.attribute("id")));
        elements.iter().filter_map(|e| self.shapes.get(e)).any(|s| s.horizontal == Some(false))
    }

    /// A node's position to order by: the centre's x then y (y then x when vertical).
    fn position(&self, node: Node, vertical: bool) -> Option<(f64, f64)> {
        let shape = self.shapes.get(node.attribute("id")?)?;
        let (cx, cy) = (shape.x + shape.width / 2.0, shape.y + shape.height / 2.0);
        Some(if vertical { (cy, cx) } else { (cx, cy) })
    }

    /// One warning per lane with lanes inside it: procflow has one level.
    fn warn_nested_lanes(&mut self) {
        let nested: Vec<Node> =
            self.root.descendants().filter(|n| is_model(n, "lane") && has_child_lanes(*n)).collect();
        for lane in nested {
            self.warn_on(
                lane,
                Loss::Approximated,
                "nested lane",
                "procflow has one level of lanes: the lanes inside this one become lanes of their own".into(),
            );
        }
    }

    /// Warnings for what lies outside the imported processes: pools without
    /// a process, message flows and other collaboration content, empty
    /// processes, choreographies.
    fn warn_outside_processes(&mut self, empty_processes: &[Node<'a, 'i>], scopes: &[Scope]) {
        let root = self.root;
        let imported: BTreeSet<&str> =
            scopes.iter().filter(|s| s.parent.is_none()).filter_map(|s| s.node.attribute("id")).collect();
        for child in root.children().filter(is_model_element) {
            let tag = child.tag_name().name();
            match tag {
                "process" => {}
                "collaboration" => {
                    for c in child.children().filter(is_model_element) {
                        match c.tag_name().name() {
                            "participant" => {
                                let process = c.attribute("processRef").map(local_ref);
                                if !process.is_some_and(|p| imported.contains(p)) {
                                    self.warn_on(
                                        c,
                                        Loss::Dropped,
                                        "black-box pool",
                                        "a pool without flow nodes (a black box) is not modelled; left out".into(),
                                    );
                                }
                            }
                            "documentation" | "extensionElements" => {}
                            "messageFlow" => {
                                let ends = [c.attribute("sourceRef"), c.attribute("targetRef")]
                                    .map(|e| self.reference(e.map(local_ref).unwrap_or_default()));
                                self.warn_on(
                                    c,
                                    Loss::Dropped,
                                    "message flow",
                                    format!(
                                        "message flows between pools are not modelled; left out (from {} to {})",
                                        ends[0], ends[1]
                                    ),
                                );
                            }
                            _ => self.warn_unsupported(c),
                        }
                    }
                }
                "choreography" | "globalConversation" => self.warn_on(
                    child,
                    Loss::Dropped,
                    "choreography",
                    "choreographies and conversations are not modelled; left out".into(),
                ),
                _ if is_silent_definition(tag) => {}
                _ => self.warn_unsupported(child),
            }
        }
        for &process in empty_processes {
            let content =
                process.children().filter(|c| is_model_element(c) && !is_silent_in_scope(c.tag_name().name()));
            for c in content {
                self.warn_unsupported(c);
            }
        }
    }

    /// Warnings for data objects and stores: kept as names in step inputs
    /// and outputs, or left out when no step uses them.
    fn warn_data_objects(&mut self, scopes: &[Scope<'a, 'i>]) {
        let mut seen = HashSet::new();
        // Data objects drawn through a reference: the reference carries the warning.
        let referenced: HashSet<&str> = self
            .root
            .descendants()
            .filter(|n| is_model(n, "dataObjectReference"))
            .filter_map(|r| r.attribute("dataObjectRef").map(local_ref))
            .collect();
        for scope in scopes {
            for child in scope.node.children().filter(is_model_element) {
                let tag = child.tag_name().name();
                if !matches!(tag, "dataObject" | "dataObjectReference" | "dataStoreReference")
                    || !seen.insert(child.id())
                {
                    continue;
                }
                let mut users: Vec<String> = self
                    .data_uses
                    .get(&child.id())
                    .into_iter()
                    .flatten()
                    .filter_map(|step| self.step_refs.get(step).map(|(_, s)| s.clone()))
                    .collect();
                if tag == "dataObject" && child.attribute("id").is_some_and(|id| referenced.contains(id)) {
                    continue;
                }
                users.dedup();
                let message = if users.is_empty() {
                    "data objects and stores are not drawn, and no step reads or writes this one; left out".to_string()
                } else {
                    format!(
                        "data objects and stores are not drawn; kept by name in the inputs/outputs of {} `{}`",
                        if users.len() == 1 { "step" } else { "steps" },
                        users.join("`, `")
                    )
                };
                let loss = if users.is_empty() { Loss::Dropped } else { Loss::Approximated };
                let feature = if tag == "dataStoreReference" { "data store" } else { "data object" };
                self.warn_on(child, loss, feature, message);
            }
        }
    }

    /// How a warning names the element with BPMN id `id`: as the step it
    /// became, else by its kind, id and name.
    fn reference(&self, id: &str) -> String {
        let Some(node) = self.by_id.get(id) else { return format!("`{id}`") };
        match self.step_refs.get(&node.id()) {
            Some((workflow, step)) => format!("step `{step}` of workflow `{workflow}`"),
            None => describe(*node),
        }
    }

    /// The warning for an element procflow has no counterpart for.
    fn warn_unsupported(&mut self, node: Node<'a, 'i>) {
        let tag = node.tag_name().name();
        let feature = match tag {
            "boundaryEvent" => "boundary event",
            "textAnnotation" => "text annotation",
            "association" => "association",
            "group" => "group",
            "dataStore" | "dataObject" => "data object",
            "conversation" | "subConversation" | "callConversation" | "conversationLink" => "conversation",
            other => other,
        };
        let message = match tag {
            "boundaryEvent" => {
                let attached = self.reference(node.attribute("attachedToRef").map(local_ref).unwrap_or_default());
                format!(
                    "boundary events are not modelled; left out with their exception flows (attached to {attached})"
                )
            }
            "textAnnotation" => {
                let text = children(node, "text").next().map(|t| collapse(&all_text(t))).unwrap_or_default();
                format!("text annotations are not modelled; left out ({})", shorten(&text, 60))
            }
            "association" => "associations are not modelled; left out".to_string(),
            "group" => "groups are not modelled; left out".to_string(),
            "dataStore" | "dataObject" => "data objects and stores are not drawn; left out".to_string(),
            "conversation" | "subConversation" | "callConversation" | "conversationLink" => {
                "conversations are not modelled; left out".to_string()
            }
            _ if is_flow_node_tag(tag) => format!("{tag} elements are not modelled; left out"),
            _ => format!("{tag} elements are not modelled by procflow; left out"),
        };
        let contained = count_flow_nodes(node);
        let message = if contained > 0 && !is_flow_node_tag(tag) {
            format!("{message}, with the {} inside", plural(contained, "flow node", "flow nodes"))
        } else {
            message
        };
        self.warn_on(node, Loss::Dropped, feature, message);
    }

    fn warn_on(&mut self, node: Node, loss: Loss, feature: &str, message: String) {
        self.warnings.push(Warning {
            element: node.tag_name().name().to_string(),
            id: node.attribute("id").map(str::to_string),
            name: name_of(node),
            feature: feature.to_string(),
            loss,
            message,
        });
    }

    /// Writes the YAML files.
    fn finish(mut self, scopes: &[Scope], workflows: Vec<WorkflowOut>) -> Imported {
        // Warnings in document order of their elements, each element's in the
        // order they were found.
        let mut position: HashMap<&str, usize> = HashMap::new();
        for (i, node) in self.root.descendants().enumerate() {
            if let Some(id) = node.attribute("id") {
                position.entry(id).or_insert(i);
            }
        }
        self.warnings.sort_by_key(|w| w.id.as_deref().and_then(|id| position.get(id).copied()).unwrap_or(0));

        let mut files = Vec::new();
        let mut roles_yaml = String::from("# Roles imported from the lanes and pools of a BPMN 2.0 file.\nroles:\n");
        for role in &self.roles {
            let _ = writeln!(roles_yaml, "  - id: {}", scalar(&role.id));
            if role.name != role.id {
                let _ = writeln!(roles_yaml, "    name: {}", scalar(&role.name));
            }
            if let Some(description) = &role.description {
                text_field(&mut roles_yaml, "    ", "description", description);
            }
        }
        // Workflow files are named after their workflow; the roles file takes
        // `roles.yaml` unless a workflow has that name. Names are compared
        // without case, as some file systems do.
        let mut names = FileNames::default();
        let mut workflow_files = Vec::new();
        for (index, scope) in scopes.iter().enumerate() {
            if scope.parent.is_some() {
                continue;
            }
            let mut text = String::new();
            for (n, workflow) in workflows.iter().filter(|w| w.file_scope == index).enumerate() {
                if n > 0 {
                    text.push_str("---\n");
                }
                write_workflow(&mut text, workflow);
            }
            workflow_files.push(ImportedFile { name: names.claim(&scope.workflow_id), text });
        }
        files.push(ImportedFile { name: names.claim("roles"), text: roles_yaml });
        files.extend(workflow_files);
        Imported {
            files,
            workflows: workflows.iter().map(|w| w.id.clone()).collect(),
            roles: self.roles.iter().map(|r| r.id.clone()).collect(),
            warnings: self.warnings,
        }
    }
}

/// The names of the files an import writes, never two alike (also not in
/// case: `Roles.yaml` and `roles.yaml` are one file on macOS and Windows).
#[derive(Default)]
struct FileNames {
    taken: BTreeSet<String>,
}

impl FileNames {
    /// `<stem>.yaml`, or `<stem>-2.yaml`, `<stem>-3.yaml`… when taken.
    fn claim(&mut self, stem: &str) -> String {
        let mut n = 1usize;
        loop {
            let name = if n == 1 { format!("{stem}.yaml") } else { format!("{stem}-{n}.yaml") };
            if self.taken.insert(name.to_lowercase()) {
                return name;
            }
            n += 1;
        }
    }
}

// ---------------------------------------------------------------------------
// XML helpers

/// Whether `node` is a BPMN model element named `name`.
fn is_model(node: &Node, name: &str) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(MODEL_NS) && node.tag_name().name() == name
}

fn is_model_element(node: &Node) -> bool {
    node.is_element() && node.tag_name().namespace() == Some(MODEL_NS)
}

fn is_model_container(node: &Node) -> bool {
    is_model_element(node) && is_container(node.tag_name().name())
}

fn has_child_lanes(lane: Node) -> bool {
    children(lane, "childLaneSet").any(|set| children(set, "lane").next().is_some())
}

fn is_event_subprocess(node: &Node) -> bool {
    node.tag_name().name() == "subProcess" && node.attribute("triggeredByEvent").is_some_and(|v| v.trim() == "true")
}

/// The BPMN model children of `node` named `name`.
fn children<'a, 'i>(node: Node<'a, 'i>, name: &'static str) -> impl Iterator<Item = Node<'a, 'i>> {
    node.children().filter(move |c| is_model(c, name))
}

/// Flow nodes anywhere inside `node`.
fn count_flow_nodes(node: Node) -> usize {
    node.descendants().skip(1).filter(|d| is_model_element(d) && is_flow_node_tag(d.tag_name().name())).count()
}

/// The id part of a reference that may be a QName (`tns:Task_1`).
fn local_ref(reference: &str) -> &str {
    let reference = reference.trim();
    reference.rsplit_once(':').map_or(reference, |(_, local)| local)
}

/// An element's `name`, whitespace collapsed; `None` when empty.
fn name_of(node: Node) -> Option<String> {
    node.attribute("name").map(collapse).filter(|n| !n.is_empty())
}

/// Every text inside an element, in order.
fn all_text(node: Node) -> String {
    node.descendants().filter(Node::is_text).filter_map(|t| t.text()).collect()
}

/// An element's `documentation` children as (id, text), empty ones left out.
fn documentation(node: Node) -> Vec<(Option<String>, String)> {
    children(node, "documentation")
        .filter_map(|d| {
            let text = tidy_text(&all_text(d))?;
            Some((d.attribute("id").map(str::to_string), text))
        })
        .collect()
}

/// Markdown text as it is kept: leading blank lines and trailing whitespace
/// removed, a multi-line text ending in one line break (as a YAML `|` block
/// gives it). `None` when nothing is left.
fn tidy_text(text: &str) -> Option<String> {
    let text = text.replace("\r\n", "\n");
    let start = text.lines().take_while(|l| l.trim().is_empty()).map(|l| l.len() + 1).sum::<usize>();
    let text = text.get(start.min(text.len())..).unwrap_or_default().trim_end();
    if text.is_empty() {
        return None;
    }
    Some(if text.contains('\n') { format!("{text}\n") } else { text.to_string() })
}

/// Several documentation texts as one, separated by a blank line.
fn join_texts(texts: Vec<String>) -> Option<String> {
    if texts.is_empty() {
        return None;
    }
    let joined = texts.iter().map(|t| t.trim_end()).collect::<Vec<_>>().join("\n\n");
    tidy_text(&joined)
}

/// Runs of whitespace (line breaks included) as one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return format!("{text:?}");
    }
    let cut: String = text.chars().take(max).collect();
    format!("{:?}", format!("{cut}…"))
}

fn describe(node: Node) -> String {
    let id = node.attribute("id").map(|id| format!(" `{id}`")).unwrap_or_default();
    let name = name_of(node).map(|n| format!(" ({n:?})")).unwrap_or_default();
    format!("{}{id}{name}", node.tag_name().name())
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

// ---------------------------------------------------------------------------
// Ids

/// Whether `id` matches the format's `^[a-z0-9][a-z0-9_-]{0,63}$`.
fn is_valid_id(id: &str) -> bool {
    let bytes = id.as_bytes();
    !bytes.is_empty()
        && bytes.len() <= 64
        && (bytes[0].is_ascii_lowercase() || bytes[0].is_ascii_digit())
        && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'_' || *b == b'-')
}

/// A procflow id made from a name or a BPMN id: lower-case ASCII letters
/// and digits, words joined by `-` (camelCase split, common accented letters
/// spelt without accents), at most [`MAX_SLUG`] characters; empty when
/// nothing is left.
fn slug(text: &str) -> String {
    let mut out = String::new();
    let mut gap = false;
    let mut previous_lower = false;
    for c in text.chars() {
        let spelt: Option<Cow<str>> = if c.is_ascii_alphanumeric() {
            Some(Cow::Owned(c.to_ascii_lowercase().to_string()))
        } else {
            transliterate(c).map(Cow::Borrowed)
        };
        match spelt {
            Some(s) => {
                if c.is_ascii_uppercase() && previous_lower {
                    gap = true;
                }
                if gap && !out.is_empty() {
                    out.push('-');
                }
                gap = false;
                out.push_str(&s);
                previous_lower = c.is_lowercase();
            }
            None => {
                gap = true;
                previous_lower = false;
            }
        }
        if out.len() >= MAX_SLUG {
            break;
        }
    }
    let mut out: String = out.chars().take(MAX_SLUG).collect();
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// Latin letters with diacritics (and a few ligatures) spelt in ASCII.
fn transliterate(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' | 'Æ' => "ae",
        'ç' | 'Ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' | 'ð' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' | 'Ł' | 'ľ' => "l",
        'ñ' | 'Ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' | 'ō' | 'ő' => "o",
        'œ' | 'Œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' | 'Š' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' | 'Ý' => "y",
        'ź' | 'ż' | 'ž' | 'Ž' => "z",
        'þ' | 'Þ' => "th",
        _ => return None,
    })
}

/// Indices of `positions` sorted by the first coordinate, then the second,
/// then the index (so equal positions keep document order).
fn diagram_order(positions: Vec<(f64, f64)>) -> Vec<usize> {
    let mut indexed: Vec<(usize, (f64, f64))> = positions.into_iter().enumerate().collect();
    indexed.sort_by(|(a, pa), (b, pb)| pa.0.total_cmp(&pb.0).then(pa.1.total_cmp(&pb.1)).then(a.cmp(b)));
    indexed.into_iter().map(|(i, _)| i).collect()
}

/// An id made from a BPMN id, when that gives a short one: generated ids
/// (`sid-744AEFB3-C93D-…`, UUIDs) make poor procflow ids.
fn id_slug(id: &str) -> Option<String> {
    let slug = slug(id);
    (!slug.is_empty() && slug.len() <= 24).then_some(slug)
}

/// `base`, or `base-2`, `base-3`… (shortened to stay within 64 characters),
/// whichever is not in `used` yet; records the result.
fn unique(base: String, used: &mut BTreeSet<String>) -> String {
    if used.insert(base.clone()) {
        return base;
    }
    let mut n = 2usize;
    loop {
        let suffix = format!("-{n}");
        let keep = 64usize.saturating_sub(suffix.len());
        let stem: String = base.chars().take(keep).collect();
        let candidate = format!("{stem}{suffix}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
        n += 1;
    }
}

fn type_word(step_type: StepType) -> &'static str {
    match step_type {
        StepType::Start => "start",
        StepType::End => "end",
        StepType::Event => "event",
        StepType::Task => "task",
        StepType::Gateway => "gateway",
        StepType::Subprocess => "subprocess",
    }
}

fn trigger_word(trigger: Trigger) -> &'static str {
    match trigger {
        Trigger::None => "none",
        Trigger::Message => "message",
        Trigger::Timer => "timer",
        Trigger::Signal => "signal",
        Trigger::Error => "error",
        Trigger::Conditional => "conditional",
        Trigger::Escalation => "escalation",
        Trigger::Terminate => "terminate",
    }
}

fn kind_word(kind: StepKind) -> &'static str {
    match kind {
        StepKind::None => "none",
        StepKind::User => "user",
        StepKind::Manual => "manual",
        StepKind::Service => "service",
        StepKind::Send => "send",
        StepKind::Receive => "receive",
        StepKind::Script => "script",
        StepKind::BusinessRule => "business-rule",
        StepKind::Exclusive => "exclusive",
        StepKind::Parallel => "parallel",
        StepKind::Inclusive => "inclusive",
        StepKind::EventBased => "event-based",
    }
}

// ---------------------------------------------------------------------------
// YAML

fn write_workflow(out: &mut String, w: &WorkflowOut) {
    let _ = writeln!(out, "# Imported from {}.", comment(&w.source));
    out.push_str("workflow:\n");
    let _ = writeln!(out, "  id: {}", scalar(&w.id));
    if let Some(name) = &w.name {
        let _ = writeln!(out, "  name: {}", scalar(name));
    }
    if let Some(description) = &w.description {
        text_field(out, "  ", "description", description);
    }
    if !w.lanes.is_empty() {
        let lanes: Vec<String> = w.lanes.iter().map(|l| scalar(l)).collect();
        let _ = writeln!(out, "  lanes: [{}]", lanes.join(", "));
    }
    if w.steps.is_empty() {
        out.push_str("  steps: []\n");
        return;
    }
    out.push_str("  steps:\n");
    for (i, s) in w.steps.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "    - id: {}", scalar(&s.id));
        if s.step_type != StepType::Task {
            let _ = writeln!(out, "      type: {}", type_word(s.step_type));
        }
        if s.trigger != Trigger::None {
            let _ = writeln!(out, "      trigger: {}", trigger_word(s.trigger));
        }
        if let Some(duration) = &s.duration {
            let _ = writeln!(out, "      duration: {duration}");
        }
        if let Some(kind) = s.kind.filter(|k| *k != StepKind::None) {
            let _ = writeln!(out, "      kind: {}", kind_word(kind));
        }
        if let Some(name) = &s.name {
            let _ = writeln!(out, "      name: {}", scalar(name));
        }
        let _ = writeln!(out, "      lane: {}", scalar(&s.lane));
        if let Some(calls) = &s.calls {
            let _ = writeln!(out, "      calls: {}", scalar(calls));
        }
        for (key, list) in [("inputs", &s.inputs), ("outputs", &s.outputs)] {
            if !list.is_empty() {
                let _ = writeln!(out, "      {key}:");
                for item in list {
                    let _ = writeln!(out, "        - {}", scalar(item));
                }
            }
        }
        if let Some(text) = &s.instructions {
            text_field(out, "      ", "instructions", text);
        }
        if let Some(text) = &s.description {
            text_field(out, "      ", "description", text);
        }
        if s.step_type == StepType::End {
            continue;
        }
        // Always explicit: a step without `next` would flow to the following step.
        if s.next.iter().all(|(_, label, default)| label.is_none() && !default) {
            let targets: Vec<String> = s.next.iter().map(|(to, _, _)| scalar(to)).collect();
            let _ = writeln!(out, "      next: [{}]", targets.join(", "));
        } else {
            out.push_str("      next:\n");
            for (to, label, default) in &s.next {
                let _ = writeln!(out, "        - to: {}", scalar(to));
                if let Some(label) = label {
                    let _ = writeln!(out, "          label: {}", scalar(label));
                }
                if *default {
                    out.push_str("          default: true\n");
                }
            }
        }
    }
}

/// A YAML comment's text: one line, no control characters.
fn comment(text: &str) -> String {
    text.chars().map(|c| if c.is_control() || c == '\u{2028}' || c == '\u{2029}' { ' ' } else { c }).collect()
}

/// Words a YAML 1.1 or 1.2 reader may take for something other than a string.
const RESERVED: &[&str] = &["true", "false", "yes", "no", "on", "off", "y", "n", "null", "~"];

/// A string as a YAML scalar on one line: plain when that is unambiguous,
/// double-quoted with escapes otherwise.
fn scalar(s: &str) -> String {
    let plain = s.chars().next().is_some_and(|c| c.is_alphabetic())
        && !s.ends_with(' ')
        && !s.contains("  ")
        && s.chars().all(|c| c.is_alphanumeric() || " -_.,()/&'?!+%".contains(c))
        && !RESERVED.contains(&s.to_ascii_lowercase().as_str());
    if plain { s.to_string() } else { quoted(s) }
}

/// A double-quoted YAML scalar; everything outside YAML's printable set,
/// line breaks and the byte order mark are escaped.
fn quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if needs_escape(c) => {
                let code = u32::from(c);
                let _ = match code {
                    0..=0xFF => write!(out, "\\x{code:02X}"),
                    0x100..=0xFFFF => write!(out, "\\u{code:04X}"),
                    _ => write!(out, "\\U{code:08X}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// Characters that may not appear literally in a YAML scalar (outside the
/// printable set, line breaks other than `\n`, the byte order mark).
fn needs_escape(c: char) -> bool {
    let code = u32::from(c);
    code < 0x20 || (0x7F..=0x9F).contains(&code) || matches!(code, 0x2028 | 0x2029 | 0xFEFF | 0xFFFE | 0xFFFF)
}

/// `key: text` at `indent`: a literal block (`|` or `|-`) for multi-line
/// Markdown when YAML keeps it byte for byte, a one-line scalar otherwise.
fn text_field(out: &mut String, indent: &str, key: &str, text: &str) {
    let body = text.strip_suffix('\n').unwrap_or(text);
    let literal = text.contains('\n')
        && !body.ends_with('\n')
        && !body.starts_with([' ', '\t', '\n'])
        && body.lines().last().is_some_and(|l| !l.trim().is_empty())
        && !body.chars().any(|c| c != '\n' && c != '\t' && needs_escape(c))
        && body.lines().all(|l| !l.ends_with([' ', '\t']));
    if !literal {
        let _ = writeln!(out, "{indent}{key}: {}", scalar(text));
        return;
    }
    let chomp = if text.ends_with('\n') { "" } else { "-" };
    let _ = writeln!(out, "{indent}{key}: |{chomp}");
    for line in body.split('\n') {
        if line.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "{indent}  {line}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(serde::Deserialize)]
    struct Probe {
        value: String,
    }

    fn read_back(yaml: &str) -> Option<String> {
        serde_saphyr::from_str::<Probe>(yaml).ok().map(|p| p.value)
    }

    #[test]
    fn ids_from_names() {
        assert_eq!(slug("Check invoice"), "check-invoice");
        assert_eq!(slug("  Überprüfung der Rechnung!  "), "uberprufung-der-rechnung");
        assert_eq!(slug("Activity_0abc1X"), "activity-0abc1x");
        assert_eq!(slug("sid-744AEFB3-C93D"), "sid-744aefb3-c93d");
        assert_eq!(id_slug("sid-744AEFB3-C93D-46A3-8976-EFA91784A51F"), None);
        assert_eq!(id_slug("Gateway_1x2y"), Some("gateway-1x2y".to_string()));
        assert_eq!(slug("checkInvoice"), "check-invoice");
        assert_eq!(slug("WFP-6-"), "wfp-6");
        assert_eq!(slug("日本語"), "");
        assert!(slug(&"long words ".repeat(20)).len() <= MAX_SLUG);
        let mut used = BTreeSet::new();
        assert_eq!(unique("a".into(), &mut used), "a");
        assert_eq!(unique("a".into(), &mut used), "a-2");
        let long = "x".repeat(64);
        assert_eq!(unique(long.clone(), &mut used), long);
        assert!(is_valid_id(&unique(long, &mut used)));
    }

    #[test]
    fn declared_encodings_are_found() {
        assert_eq!(
            declared_encoding(b"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><a/>").as_deref(),
            Some("ISO-8859-1")
        );
        assert_eq!(declared_encoding(b"<?xml version='1.0' encoding = 'utf-8' ?>").as_deref(), Some("utf-8"));
        assert_eq!(declared_encoding(b"<?xml version=\"1.0\"?>"), None);
        assert_eq!(declared_encoding(b"<a/>"), None);
    }

    #[test]
    fn reserved_words_and_numbers_are_quoted() {
        for s in ["yes", "No", "true", "null", "123", "1e3", "-x", "a: b", "#x", "x #y", ""] {
            assert!(scalar(s).starts_with('"'), "{s}");
            assert_eq!(read_back(&format!("value: {}\n", scalar(s))).as_deref(), Some(s));
        }
        assert_eq!(scalar("Check invoice (new)"), "Check invoice (new)");
    }

    #[test]
    fn text_blocks_keep_markdown() {
        for text in ["1. a\n2. b\n", "a\n\n  b\nc", "single", "x\n\ty\n"] {
            let mut out = String::new();
            text_field(&mut out, "", "value", text);
            assert_eq!(read_back(&out).as_deref(), Some(text), "{out}");
        }
    }

    proptest! {
        #[test]
        fn any_string_reads_back_as_written(s in any::<String>()) {
            let yaml = format!("value: {}\n", scalar(&s));
            prop_assert_eq!(read_back(&yaml), Some(s.clone()), "{}", yaml);
            let mut block = String::new();
            text_field(&mut block, "", "value", &s);
            prop_assert_eq!(read_back(&block), Some(s), "{}", block);
        }

        #[test]
        fn names_read_back(s in "[ -~\\n\\tÀ-ÿ€✓]{0,40}") {
            let yaml = format!("value: {}\n", scalar(&s));
            prop_assert_eq!(read_back(&yaml), Some(s.clone()), "{}", yaml);
            let mut block = String::new();
            text_field(&mut block, "", "value", &s);
            prop_assert_eq!(read_back(&block), Some(s), "{}", block);
        }
    }
}
