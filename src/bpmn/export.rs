//! Writing one workflow as a BPMN 2.0 XML document with diagram interchange.
//!
//! The document holds a `collaboration` with one `participant` (the pool), the
//! `process` it references (a `laneSet` with one `lane` per diagram lane, one
//! flow node per step, one `sequenceFlow` per flow) and a `BPMNDiagram` whose
//! shapes and edges carry the layout's coordinates. Lane membership and every
//! coordinate come from the [`Diagram`], so the picture another tool draws is
//! the one procflow draws; everything else comes from the [`Model`].
//!
//! Text is written with the crate's XML escaping; element ids are derived
//! from model ids (`Step_<id>`, `Flow_<from>_<to>`, `Lane_<role>`,
//! `<element id>_di`) and made unique in a fixed order, so the same model
//! always gives the same bytes.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::{self, Write as _};

use petgraph::stable_graph::NodeIndex;

use super::{BPMNDI_NS, DC_NS, DI_NS, MODEL_NS, XSI_NS, ncname, process_id};
use crate::compile::{GatewayKind, Model, Step, StepKind};
use crate::layout::diagram::{Diagram, Point, Rect};
use crate::model::{StepKind as TaskKind, StepType, Trigger};
use crate::render::{escape, num};

/// `writeln!` into a `String`, which cannot fail.
macro_rules! put {
    ($out:expr, $($arg:tt)*) => {{
        let _ = writeln!($out, $($arg)*);
    }};
}

/// Writes `workflow` of `model` as BPMN 2.0 XML, with BPMNDI taken from
/// `diagram`, which must be the layout of that workflow
/// (`layout::workflow(model, workflow, …)`).
///
/// Every step becomes one flow node and every flow one `sequenceFlow`; steps
/// are matched to diagram nodes by id and flows to diagram edges by their
/// ends, in order. Given a diagram of another workflow the function still
/// does not panic: a step without a diagram node gets no shape, and a flow
/// without a routed edge is drawn straight between its shapes.
pub fn export(model: &Model, workflow: NodeIndex, diagram: &Diagram) -> String {
    let document = Document::new(model, workflow, diagram);
    let mut out = String::with_capacity(4096 + 1024 * document.elements.len());
    document.write(&mut out);
    out
}

/// A flow node to write: one step of the workflow.
struct Element<'m> {
    step: &'m Step,
    id: String,
    tag: &'static str,
    name: Option<&'m str>,
    /// Index into `Diagram::nodes`.
    node: Option<usize>,
    /// Indices into `Document::flows`.
    incoming: Vec<usize>,
    outgoing: Vec<usize>,
    /// The default flow, where BPMN allows a `default` attribute.
    default: Option<usize>,
    /// The event definition element and its id.
    definition: Option<(&'static str, String)>,
    /// `calledElement` of a call activity.
    called: Option<String>,
    /// `documentation` elements as (id, Markdown text): instructions, then description.
    docs: Vec<(String, &'m str)>,
    di: String,
}

/// A sequence flow to write.
struct Flow<'m> {
    id: String,
    /// Indices into `Document::elements`.
    from: usize,
    to: usize,
    label: Option<&'m str>,
    /// Whether the label is also written as a `conditionExpression`.
    condition: bool,
    /// Index into `Diagram::edges`.
    edge: Option<usize>,
    di: String,
}

/// A lane to write.
struct LaneOut {
    id: String,
    name: String,
    /// Index into `Diagram::lanes`.
    index: usize,
    /// Indices into `Document::elements`.
    members: Vec<usize>,
    di: String,
}

/// Everything the XML needs, ids already allocated.
struct Document<'a> {
    diagram: &'a Diagram,
    name: &'a str,
    description: Option<&'a str>,
    definitions: String,
    target_namespace: String,
    collaboration: String,
    participant: String,
    participant_di: String,
    process: String,
    lane_set: String,
    plane: String,
    bpmn_diagram: String,
    lanes: Vec<LaneOut>,
    elements: Vec<Element<'a>>,
    flows: Vec<Flow<'a>>,
}

/// Hands out unique ids: a base that is already taken gets `_2`, `_3`, …
/// Ids are requested in a fixed order, so the result is deterministic.
#[derive(Default)]
struct Ids {
    used: BTreeSet<String>,
}

impl Ids {
    fn unique(&mut self, base: String) -> String {
        if self.used.insert(base.clone()) {
            return base;
        }
        (2..).map(|n| format!("{base}_{n}")).find(|candidate| self.used.insert(candidate.clone())).unwrap_or_default()
    }
}

impl<'a> Document<'a> {
    fn new(model: &'a Model, workflow: NodeIndex, diagram: &'a Diagram) -> Self {
        let w = model.workflow(workflow);
        let wf = ncname(&w.id);
        let mut ids = Ids::default();
        // The process id must be exactly what `process_id` gives, since call
        // activities of other exports name it; its `Process_` prefix is used by
        // nothing else, so it is always free.
        let process = ids.unique(process_id(&w.id));
        let definitions = ids.unique(format!("Definitions_{wf}"));
        let collaboration = ids.unique(format!("Collaboration_{wf}"));
        let participant = ids.unique(format!("Participant_{wf}"));
        let lane_set = ids.unique(format!("LaneSet_{wf}"));

        let node_of: BTreeMap<&str, usize> =
            diagram.nodes.iter().enumerate().map(|(i, n)| (n.id.as_str(), i)).collect();
        let mut elements: Vec<Element<'a>> = w
            .steps
            .iter()
            .map(|&s| {
                let step = model.step(s);
                let called = model.called_workflow(s).map(|c| process_id(&model.workflow(c).id));
                let outside_label =
                    matches!(step.step_type, StepType::Start | StepType::End | StepType::Event | StepType::Gateway);
                // procflow does not draw an event's or gateway's name when it is
                // only the id; the export leaves it out too, so both pictures match.
                let id_only = outside_label && step.name == step.id;
                let name = Some(step.name.as_str()).filter(|n| !n.is_empty() && !id_only);
                Element {
                    step,
                    id: ids.unique(format!("Step_{}", ncname(&step.id))),
                    tag: tag(step, called.is_some()),
                    name,
                    node: node_of.get(step.id.as_str()).copied(),
                    incoming: Vec::new(),
                    outgoing: Vec::new(),
                    default: None,
                    definition: None,
                    called,
                    docs: Vec::new(),
                    di: String::new(),
                }
            })
            .collect();

        // Flows in model order (steps, then each step's flows as written), the
        // order the layout routes them in. Diagram edges are matched by their
        // ends, the n-th flow between two steps to the n-th edge between them.
        let mut edges_between: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
        for (e, edge) in diagram.edges.iter().enumerate().rev() {
            edges_between.entry((edge.from, edge.to)).or_default().push(e);
        }
        let position: BTreeMap<NodeIndex, usize> = w.steps.iter().enumerate().map(|(i, &s)| (s, i)).collect();
        let mut flows: Vec<Flow<'a>> = Vec::new();
        for (from, &s) in w.steps.iter().enumerate() {
            for (_, target, flow) in model.flows_from(s) {
                let Some(&to) = position.get(&target) else { continue };
                let edge = match (elements[from].node, elements[to].node) {
                    (Some(a), Some(b)) => edges_between.get_mut(&(a, b)).and_then(Vec::pop),
                    _ => None,
                };
                let id =
                    ids.unique(format!("Flow_{}_{}", ncname(&elements[from].step.id), ncname(&model.step(target).id)));
                // Labelled branches of a gateway that chooses by conditions
                // become conditions, so tools show (and bpmnlint accepts) them.
                let splits_on_conditions = matches!(elements[from].tag, "exclusiveGateway" | "inclusiveGateway");
                let label = flow.label.as_deref().filter(|l| !l.is_empty());
                let index = flows.len();
                if flow.default && takes_default(elements[from].step) && elements[from].default.is_none() {
                    elements[from].default = Some(index);
                }
                flows.push(Flow {
                    id,
                    from,
                    to,
                    label,
                    condition: splits_on_conditions && label.is_some() && !flow.default,
                    edge,
                    di: String::new(),
                });
                elements[from].outgoing.push(index);
                elements[to].incoming.push(index);
            }
        }

        let lanes: Vec<LaneOut> = diagram
            .lanes
            .iter()
            .enumerate()
            .map(|(index, lane)| {
                let role = model.role_by_id(&lane.role_id).map(|r| model.role(r));
                let name = role.map_or_else(|| lane.label.lines.join(" "), |r| r.name.clone());
                let base = if lane.role_id.is_empty() { wf.clone() } else { ncname(&lane.role_id) };
                LaneOut {
                    id: ids.unique(format!("Lane_{base}")),
                    name,
                    index,
                    members: (0..elements.len())
                        .filter(|&e| elements[e].node.map(|n| diagram.nodes[n].lane) == Some(index))
                        .collect(),
                    di: String::new(),
                }
            })
            .collect();

        // Ids of the parts inside elements, then of the diagram interchange,
        // after every semantic id, so that a model id never shifts because of
        // a DI id.
        for element in &mut elements {
            if let Some(definition) = definition(element.step.trigger) {
                element.definition = Some((definition, ids.unique(format!("{}_{definition}", element.id))));
            }
            let texts = [("instructions", &element.step.instructions), ("description", &element.step.description)];
            for (what, text) in texts {
                if let Some(text) = text.as_deref().filter(|t| !t.trim().is_empty()) {
                    element.docs.push((ids.unique(format!("{}_{what}", element.id)), text));
                }
            }
        }
        let bpmn_diagram = ids.unique(format!("BPMNDiagram_{wf}"));
        let plane = ids.unique(format!("BPMNPlane_{wf}"));
        let participant_di = ids.unique(format!("{participant}_di"));
        let mut lanes = lanes;
        for lane in &mut lanes {
            lane.di = ids.unique(format!("{}_di", lane.id));
        }
        for element in &mut elements {
            element.di = ids.unique(format!("{}_di", element.id));
        }
        for flow in &mut flows {
            flow.di = ids.unique(format!("{}_di", flow.id));
        }

        Document {
            diagram,
            name: &w.name,
            description: w.description.as_deref().filter(|d| !d.trim().is_empty()),
            definitions,
            target_namespace: format!("urn:procflow:workflow:{wf}"),
            collaboration,
            participant,
            participant_di,
            process,
            lane_set,
            plane,
            bpmn_diagram,
            lanes,
            elements,
            flows,
        }
    }

    fn write(&self, out: &mut String) {
        out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        put!(
            out,
            r#"<bpmn:definitions xmlns:bpmn="{MODEL_NS}" xmlns:bpmndi="{BPMNDI_NS}" xmlns:dc="{DC_NS}" xmlns:di="{DI_NS}" xmlns:xsi="{XSI_NS}" id="{}" targetNamespace="{}" exporter="procflow" exporterVersion="{}">"#,
            self.definitions,
            attr(&self.target_namespace),
            env!("CARGO_PKG_VERSION")
        );
        put!(out, r#"  <bpmn:collaboration id="{}">"#, self.collaboration);
        put!(
            out,
            r#"    <bpmn:participant id="{}"{} processRef="{}" />"#,
            self.participant,
            name_attr(Some(self.name)),
            self.process
        );
        out.push_str("  </bpmn:collaboration>\n");
        put!(out, r#"  <bpmn:process id="{}"{} isExecutable="false">"#, self.process, name_attr(Some(self.name)));
        if let Some(description) = self.description {
            put!(
                out,
                r#"    <bpmn:documentation textFormat="text/markdown">{}</bpmn:documentation>"#,
                escape(description)
            );
        }
        if !self.lanes.is_empty() {
            put!(out, r#"    <bpmn:laneSet id="{}">"#, self.lane_set);
            for lane in &self.lanes {
                put!(out, r#"      <bpmn:lane id="{}"{}>"#, lane.id, name_attr(Some(&lane.name)));
                for &member in &lane.members {
                    put!(out, "        <bpmn:flowNodeRef>{}</bpmn:flowNodeRef>", self.elements[member].id);
                }
                out.push_str("      </bpmn:lane>\n");
            }
            out.push_str("    </bpmn:laneSet>\n");
        }
        for element in &self.elements {
            self.write_element(out, element);
        }
        for flow in &self.flows {
            self.write_flow(out, flow);
        }
        out.push_str("  </bpmn:process>\n");
        self.write_di(out);
        out.push_str("</bpmn:definitions>\n");
    }

    fn write_element(&self, out: &mut String, e: &Element) {
        let _ = write!(out, r#"    <bpmn:{} id="{}"{}"#, e.tag, e.id, name_attr(e.name));
        if let Some(called) = &e.called {
            let _ = write!(out, r#" calledElement="{called}""#);
        }
        if let Some(default) = e.default {
            let _ = write!(out, r#" default="{}""#, self.flows[default].id);
        }
        let empty = e.docs.is_empty() && e.incoming.is_empty() && e.outgoing.is_empty() && e.definition.is_none();
        if empty {
            out.push_str(" />\n");
            return;
        }
        out.push_str(">\n");
        for (id, text) in &e.docs {
            put!(
                out,
                r#"      <bpmn:documentation id="{id}" textFormat="text/markdown">{}</bpmn:documentation>"#,
                escape(text)
            );
        }
        for &flow in &e.incoming {
            put!(out, "      <bpmn:incoming>{}</bpmn:incoming>", self.flows[flow].id);
        }
        for &flow in &e.outgoing {
            put!(out, "      <bpmn:outgoing>{}</bpmn:outgoing>", self.flows[flow].id);
        }
        match &e.definition {
            Some((tag @ "conditionalEventDefinition", id)) => {
                put!(out, r#"      <bpmn:{tag} id="{id}">"#);
                out.push_str("        <bpmn:condition xsi:type=\"bpmn:tFormalExpression\" />\n");
                put!(out, "      </bpmn:{tag}>");
            }
            Some((tag @ "timerEventDefinition", id)) if e.step.duration.is_some() => {
                put!(out, r#"      <bpmn:{tag} id="{id}">"#);
                let duration = escape(e.step.duration.as_deref().unwrap_or_default());
                put!(
                    out,
                    r#"        <bpmn:timeDuration xsi:type="bpmn:tFormalExpression">{duration}</bpmn:timeDuration>"#
                );
                put!(out, "      </bpmn:{tag}>");
            }
            Some((tag, id)) => put!(out, r#"      <bpmn:{tag} id="{id}" />"#),
            None => {}
        }
        put!(out, "    </bpmn:{}>", e.tag);
    }

    fn write_flow(&self, out: &mut String, flow: &Flow) {
        let _ = write!(
            out,
            r#"    <bpmn:sequenceFlow id="{}"{} sourceRef="{}" targetRef="{}""#,
            flow.id,
            name_attr(flow.label),
            self.elements[flow.from].id,
            self.elements[flow.to].id
        );
        match flow.label.filter(|_| flow.condition) {
            Some(label) => {
                out.push_str(">\n");
                put!(
                    out,
                    r#"      <bpmn:conditionExpression xsi:type="bpmn:tFormalExpression">{}</bpmn:conditionExpression>"#,
                    escape(label)
                );
                out.push_str("    </bpmn:sequenceFlow>\n");
            }
            None => out.push_str(" />\n"),
        }
    }

    fn write_di(&self, out: &mut String) {
        let d = self.diagram;
        put!(out, r#"  <bpmndi:BPMNDiagram id="{}"{}>"#, self.bpmn_diagram, name_attr(Some(self.name)));
        put!(out, r#"    <bpmndi:BPMNPlane id="{}" bpmnElement="{}">"#, self.plane, self.collaboration);
        let pool = d.pool.as_ref().map_or_else(|| enclosing(d), |p| p.rect);
        shape(out, &self.participant_di, &self.participant, r#" isHorizontal="true""#, pool, None);
        for lane in &self.lanes {
            if let Some(l) = d.lanes.get(lane.index) {
                shape(out, &lane.di, &lane.id, r#" isHorizontal="true""#, l.rect, None);
            }
        }
        for e in &self.elements {
            let Some(node) = e.node.and_then(|n| d.nodes.get(n)) else { continue };
            let extra = match e.tag {
                "exclusiveGateway" => r#" isMarkerVisible="true""#,
                "subProcess" | "callActivity" => r#" isExpanded="false""#,
                _ => "",
            };
            let label = node.label.as_ref().filter(|_| node.shape.has_outside_label()).map(|l| l.bounds);
            shape(out, &e.di, &e.id, extra, node.rect, label);
        }
        for flow in &self.flows {
            let edge = flow.edge.and_then(|i| d.edges.get(i));
            let points: Vec<Point> = match edge {
                Some(edge) if edge.points.len() >= 2 => edge.points.clone(),
                // A flow the layout did not route: a straight line between the
                // two shapes, so the file still has DI for it.
                _ => {
                    let centre = |e: usize| self.elements[e].node.and_then(|n| d.nodes.get(n)).map(|n| n.rect.center());
                    match (centre(flow.from), centre(flow.to)) {
                        (Some(a), Some(b)) => vec![a, b],
                        _ => continue,
                    }
                }
            };
            put!(out, r#"      <bpmndi:BPMNEdge id="{}" bpmnElement="{}">"#, flow.di, flow.id);
            for p in &points {
                put!(out, r#"        <di:waypoint x="{}" y="{}" />"#, num(p.x), num(p.y));
            }
            if let Some(label) = edge.and_then(|e| e.label.as_ref()).filter(|_| flow.label.is_some()) {
                out.push_str("        <bpmndi:BPMNLabel>\n");
                put!(out, "          {}", bounds(label.bounds));
                out.push_str("        </bpmndi:BPMNLabel>\n");
            }
            out.push_str("      </bpmndi:BPMNEdge>\n");
        }
        out.push_str("    </bpmndi:BPMNPlane>\n");
        out.push_str("  </bpmndi:BPMNDiagram>\n");
    }
}

/// The BPMN element a step becomes.
fn tag(step: &Step, calls: bool) -> &'static str {
    match step.step_type {
        StepType::Start => "startEvent",
        StepType::End => "endEvent",
        // BPMN's blank intermediate event is a throwing one (a catch event
        // must name what it waits for); bpmn-js draws both alike.
        StepType::Event if step.trigger == Trigger::None => "intermediateThrowEvent",
        StepType::Event => "intermediateCatchEvent",
        StepType::Gateway => match step.kind {
            StepKind::Gateway(GatewayKind::Parallel) => "parallelGateway",
            StepKind::Gateway(GatewayKind::Inclusive) => "inclusiveGateway",
            StepKind::Gateway(GatewayKind::EventBased) => "eventBasedGateway",
            // The layout draws a gateway without a kind as exclusive, too.
            _ => "exclusiveGateway",
        },
        StepType::Subprocess if calls => "callActivity",
        StepType::Subprocess => "subProcess",
        StepType::Task => match step.kind {
            StepKind::Task(TaskKind::User) => "userTask",
            StepKind::Task(TaskKind::Manual) => "manualTask",
            StepKind::Task(TaskKind::Service) => "serviceTask",
            StepKind::Task(TaskKind::Send) => "sendTask",
            StepKind::Task(TaskKind::Receive) => "receiveTask",
            StepKind::Task(TaskKind::Script) => "scriptTask",
            StepKind::Task(TaskKind::BusinessRule) => "businessRuleTask",
            _ => "task",
        },
    }
}

/// Whether BPMN lets the step's element name a default flow: exclusive and
/// inclusive gateways and activities do; parallel and event-based gateways and
/// events have no `default` attribute in the schema.
fn takes_default(step: &Step) -> bool {
    match step.step_type {
        StepType::Gateway => !matches!(step.kind, StepKind::Gateway(GatewayKind::Parallel | GatewayKind::EventBased)),
        StepType::Task | StepType::Subprocess => true,
        StepType::Start | StepType::End | StepType::Event => false,
    }
}

/// The event definition element of a trigger.
fn definition(trigger: Trigger) -> Option<&'static str> {
    Some(match trigger {
        Trigger::None => return None,
        Trigger::Message => "messageEventDefinition",
        Trigger::Timer => "timerEventDefinition",
        Trigger::Signal => "signalEventDefinition",
        Trigger::Error => "errorEventDefinition",
        Trigger::Conditional => "conditionalEventDefinition",
        Trigger::Escalation => "escalationEventDefinition",
        Trigger::Terminate => "terminateEventDefinition",
    })
}

/// One `BPMNShape`, with a `BPMNLabel` when the element's name is drawn
/// outside it.
fn shape(out: &mut String, id: &str, element: &str, extra: &str, rect: Rect, label: Option<Rect>) {
    put!(out, r#"      <bpmndi:BPMNShape id="{id}" bpmnElement="{element}"{extra}>"#);
    put!(out, "        {}", bounds(rect));
    if let Some(label) = label {
        out.push_str("        <bpmndi:BPMNLabel>\n");
        put!(out, "          {}", bounds(label));
        out.push_str("        </bpmndi:BPMNLabel>\n");
    }
    out.push_str("      </bpmndi:BPMNShape>\n");
}

fn bounds(r: Rect) -> String {
    format!(r#"<dc:Bounds x="{}" y="{}" width="{}" height="{}" />"#, num(r.x), num(r.y), num(r.width), num(r.height))
}

/// The box around everything drawn, for a diagram without a pool.
fn enclosing(d: &Diagram) -> Rect {
    let rects = d.lanes.iter().map(|l| l.rect).chain(d.nodes.iter().map(|n| n.rect));
    let (mut x0, mut y0, mut x1, mut y1) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for r in rects {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.right());
        y1 = y1.max(r.bottom());
    }
    if x0 > x1 || y0 > y1 {
        return Rect { x: 0.0, y: 0.0, width: d.width, height: d.height };
    }
    Rect { x: x0, y: y0, width: x1 - x0, height: y1 - y0 }
}

/// ` name="…"`, or nothing when there is no name.
fn name_attr(name: Option<&str>) -> String {
    name.filter(|n| !n.is_empty()).map(|n| format!(r#" name="{}""#, attr(n))).unwrap_or_default()
}

/// An attribute value: escaped like text, with line breaks and tabs as
/// character references, which attribute-value normalisation would otherwise
/// turn into spaces.
fn attr(value: &str) -> Attr<'_> {
    Attr(value)
}

struct Attr<'a>(&'a str);

impl fmt::Display for Attr<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut rest = self.0;
        while let Some(i) = rest.find(['\n', '\r', '\t']) {
            write!(f, "{}", escape(&rest[..i]))?;
            f.write_str(match rest.as_bytes()[i] {
                b'\n' => "&#10;",
                b'\r' => "&#13;",
                _ => "&#9;",
            })?;
            rest = &rest[i + 1..];
        }
        write!(f, "{}", escape(rest))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_keep_line_breaks_as_character_references() {
        assert_eq!(attr("a\nb\t<c>\r").to_string(), "a&#10;b&#9;&lt;c&gt;&#13;");
    }

    #[test]
    fn taken_ids_get_a_number() {
        let mut ids = Ids::default();
        assert_eq!(ids.unique("Flow_a_b_c".into()), "Flow_a_b_c");
        assert_eq!(ids.unique("Flow_a_b_c".into()), "Flow_a_b_c_2");
        assert_eq!(ids.unique("Flow_a_b_c".into()), "Flow_a_b_c_3");
    }
}
