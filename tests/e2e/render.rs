//! The SVG and PNG renderers on hand-built diagrams: every shape, trigger,
//! task kind and gateway kind, flows with corners, labels, a default flow and
//! a loop; names full of markup. The SVG must be valid, wiki-safe XML with
//! prefixed ids; the PNG must have the scaled size and show text.
//!
//! `PROCFLOW_RENDER_CHECK=/tmp/render-check.png cargo test --test e2e render::`
//! also writes the all-shapes picture, to look at.

use procflow::compile::GatewayKind;
use procflow::layout::diagram::{Align, Diagram, Edge, Lane, Node, Point, Pool, Rect, Shape, TextBlock, Weight};
use procflow::model::{StepKind, Trigger};
use procflow::render::{self, RenderError};
use procflow::text::Measurer;
use resvg::tiny_skia::Pixmap;

const LEFT: f64 = 10.0;
const TOP: f64 = 10.0;
const POOL_HEADER: f64 = 30.0;
const LANE_HEADER: f64 = 30.0;
const WIDTH: f64 = 1180.0;

/// Builds a diagram by hand the way the layout engine would: text measured
/// and wrapped with the bundled font.
struct Builder {
    measurer: Measurer,
    diagram: Diagram,
}

impl Builder {
    fn new(id: &str, title: &str) -> Self {
        Builder {
            measurer: Measurer::new(),
            diagram: Diagram {
                id: id.to_string(),
                title: title.to_string(),
                description: format!("Swimlane diagram of {title}"),
                ..Diagram::default()
            },
        }
    }

    fn block(&mut self, text: &str, max: f64, size: f64, weight: Weight) -> (Vec<String>, f64, f64) {
        let (lines, widest) = self.measurer.wrap(text, max, size, weight);
        let line_height = (size * 1.25).round();
        let height = line_height * lines.len() as f64;
        (lines, widest, height)
    }

    /// A vertical label centred in a header band.
    fn vertical(&mut self, text: &str, header: Rect, size: f64, weight: Weight) -> TextBlock {
        let (lines, widest, height) = self.block(text, header.height - 12.0, size, weight);
        let c = header.center();
        TextBlock {
            lines,
            bounds: Rect { x: c.x - height / 2.0, y: c.y - widest / 2.0, width: height, height: widest },
            font_size: size,
            line_height: (size * 1.25).round(),
            weight,
            align: Align::Middle,
            vertical: true,
        }
    }

    fn lane(&mut self, role: &str, name: &str, height: f64) -> f64 {
        let y = self.diagram.lanes.last().map_or(TOP, |l| l.rect.bottom());
        let rect = Rect { x: LEFT + POOL_HEADER, y, width: WIDTH - POOL_HEADER, height };
        let header = Rect { x: rect.x, y, width: LANE_HEADER, height };
        let label = self.vertical(name, header, 12.0, Weight::Regular);
        self.diagram.lanes.push(Lane { role_id: role.to_string(), rect, header, label });
        y
    }

    fn close_pool(&mut self, name: &str) {
        let bottom = self.diagram.lanes.last().map_or(TOP + 100.0, |l| l.rect.bottom());
        let rect = Rect { x: LEFT, y: TOP, width: WIDTH, height: bottom - TOP };
        let header = Rect { x: LEFT, y: TOP, width: POOL_HEADER, height: rect.height };
        let label = self.vertical(name, header, 13.0, Weight::SemiBold);
        self.diagram.pool = Some(Pool { rect, header, label });
        self.diagram.width = WIDTH + 2.0 * LEFT;
        self.diagram.height = bottom + TOP;
    }

    /// Adds a node whose box is centred at `(cx, cy)`; returns its index.
    fn node(&mut self, id: &str, shape: Shape, lane: usize, (cx, cy): (f64, f64), name: &str) -> usize {
        let (width, height) = match shape {
            Shape::Task(_) | Shape::Subprocess | Shape::Process => (100.0, 80.0),
            Shape::Gateway(_) => (50.0, 50.0),
            _ => (36.0, 36.0),
        };
        let rect = Rect { x: cx - width / 2.0, y: cy - height / 2.0, width, height };
        let label = if name.is_empty() {
            None
        } else if shape.has_outside_label() {
            let (lines, widest, h) = self.block(name, 90.0, 11.0, Weight::Regular);
            Some(TextBlock {
                lines,
                // Gateway names go above, where no branch leaves.
                bounds: Rect {
                    x: cx - widest / 2.0,
                    y: if matches!(shape, Shape::Gateway(_)) { rect.y - 4.0 - h } else { rect.bottom() + 4.0 },
                    width: widest,
                    height: h,
                },
                font_size: 11.0,
                line_height: (11.0_f64 * 1.25).round(),
                weight: Weight::Regular,
                align: Align::Middle,
                vertical: false,
            })
        } else {
            let weight = if shape == Shape::Process { Weight::SemiBold } else { Weight::Regular };
            let (lines, widest, h) = self.block(name, width - 16.0, 12.0, weight);
            // Clear of the task icon in the top-left corner.
            let has_icon = matches!(shape, Shape::Task(kind) if kind != StepKind::None);
            let top = if has_icon { (cy - h / 2.0).max(rect.y + 24.0) } else { cy - h / 2.0 };
            Some(TextBlock {
                lines,
                bounds: Rect { x: cx - widest / 2.0, y: top, width: widest, height: h },
                font_size: 12.0,
                line_height: 15.0,
                weight,
                align: Align::Middle,
                vertical: false,
            })
        };
        self.diagram.nodes.push(Node { id: id.to_string(), shape, rect, lane, label, link: None });
        self.diagram.nodes.len() - 1
    }

    fn edge(&mut self, from: usize, to: usize, points: &[(f64, f64)]) -> &mut Edge {
        self.diagram.edges.push(Edge {
            from,
            to,
            points: points.iter().map(|&(x, y)| Point { x, y }).collect(),
            label: None,
            default: false,
            back: false,
        });
        let last = self.diagram.edges.len() - 1;
        &mut self.diagram.edges[last]
    }

    /// A flow label with its top-left corner at `(x, y)`.
    fn flow_label(&mut self, text: &str, (x, y): (f64, f64)) -> TextBlock {
        let (lines, widest, height) = self.block(text, 120.0, 11.0, Weight::Regular);
        TextBlock {
            lines,
            bounds: Rect { x, y, width: widest, height },
            font_size: 11.0,
            line_height: (11.0_f64 * 1.25).round(),
            weight: Weight::Regular,
            align: Align::Start,
            vertical: false,
        }
    }
}

const TRIGGERS: [(Trigger, &str); 8] = [
    (Trigger::None, "None"),
    (Trigger::Message, "Message"),
    (Trigger::Timer, "Timer"),
    (Trigger::Signal, "Signal"),
    (Trigger::Error, "Error"),
    (Trigger::Conditional, "Conditional"),
    (Trigger::Escalation, "Escalation"),
    (Trigger::Terminate, "Terminate"),
];

const TASKS: [(StepKind, &str); 8] = [
    (StepKind::None, "Plain task without an icon"),
    (StepKind::User, "Review the request"),
    (StepKind::Manual, "Sign the paper form"),
    (StepKind::Service, "Call the billing API"),
    (StepKind::Send, "Send the confirmation"),
    (StepKind::Receive, "Receive the invoice"),
    (StepKind::Script, "Run the import script"),
    (StepKind::BusinessRule, "Apply discount rules"),
];

/// Every shape, trigger, task kind and gateway kind, plus a small flow with a
/// labelled branch, a default flow, a loop back and a flow between lanes.
fn all_shapes() -> Diagram {
    let mut b = Builder::new("all-shapes", "Every BPMN shape procflow draws");
    let column = |k: usize, step: f64| 120.0 + k as f64 * step;

    let y = b.lane("starts", "Start events", 100.0);
    for (k, (trigger, name)) in TRIGGERS.iter().take(7).enumerate() {
        b.node(&format!("start-{k}"), Shape::StartEvent(*trigger), 0, (column(k, 110.0), y + 35.0), name);
    }
    let y = b.lane("intermediates", "Intermediate events", 100.0);
    for (k, (trigger, name)) in TRIGGERS.iter().take(7).enumerate() {
        b.node(&format!("catch-{k}"), Shape::IntermediateEvent(*trigger), 1, (column(k, 110.0), y + 35.0), name);
    }
    let y = b.lane("ends", "End events", 100.0);
    for (k, (trigger, name)) in TRIGGERS.iter().enumerate() {
        b.node(&format!("end-{k}"), Shape::EndEvent(*trigger), 2, (column(k, 110.0), y + 35.0), name);
    }
    let y = b.lane("tasks", "Tasks of every kind", 120.0);
    for (k, (kind, name)) in TASKS.iter().enumerate() {
        b.node(&format!("task-{k}"), Shape::Task(*kind), 3, (column(k, 130.0) + 20.0, y + 60.0), name);
    }

    // Lane 4: a small process with a loop, a decision and every gateway.
    let y = b.lane("clerk", "Order clerk with a rather long role name", 250.0);
    let row = y + 90.0;
    let low = y + 200.0;
    let start = b.node("received", Shape::StartEvent(Trigger::Message), 4, (100.0, row), "Order received");
    let assess = b.node("assess", Shape::Task(StepKind::User), 4, (210.0, row), "Assess the order and its attachments");
    let decide = b.node("decide", Shape::Gateway(GatewayKind::Exclusive), 4, (335.0, row), "Complete?");
    let fulfil = b.node("fulfil", Shape::Subprocess, 4, (460.0, row), "Fulfil the order");
    let ask = b.node("ask", Shape::Task(StepKind::Send), 4, (460.0, low), "Ask for the missing details");
    let split = b.node("split", Shape::Gateway(GatewayKind::Parallel), 4, (585.0, row), "");
    let any = b.node("any", Shape::Gateway(GatewayKind::Inclusive), 4, (685.0, row), "");
    let wait = b.node("wait", Shape::Gateway(GatewayKind::EventBased), 4, (785.0, row), "Wait");
    let done = b.node("done", Shape::EndEvent(Trigger::Terminate), 4, (885.0, row), "Order closed");
    let billing = b.node("billing", Shape::Process, 4, (1040.0, row), "Billing and invoicing");
    let escalate = b.node("escalate", Shape::IntermediateEvent(Trigger::Timer), 4, (785.0, low), "3 days");

    b.edge(start, assess, &[(118.0, row), (160.0, row)]);
    b.edge(assess, decide, &[(260.0, row), (310.0, row)]);
    let label = b.flow_label("yes", (364.0, row - 17.0));
    b.edge(decide, fulfil, &[(360.0, row), (410.0, row)]).label = Some(label);
    let label = b.flow_label("details missing", (342.0, row + 52.0));
    let e = b.edge(decide, ask, &[(335.0, row + 25.0), (335.0, low), (410.0, low)]);
    e.default = true;
    e.label = Some(label);
    // The loop: from the bottom task back over the top of the row.
    let channel = y + 22.0;
    let label = b.flow_label("rework", (300.0, channel - 16.0));
    let e = b.edge(ask, assess, &[(510.0, low), (530.0, low), (530.0, channel), (210.0, channel), (210.0, row - 40.0)]);
    e.back = true;
    e.label = Some(label);
    b.edge(fulfil, split, &[(510.0, row), (560.0, row)]);
    b.edge(split, any, &[(610.0, row), (660.0, row)]);
    b.edge(any, wait, &[(710.0, row), (760.0, row)]);
    b.edge(wait, done, &[(810.0, row), (867.0, row)]);
    b.edge(wait, escalate, &[(785.0, row + 25.0), (785.0, low - 18.0)]);
    b.edge(escalate, billing, &[(803.0, low), (1040.0, low), (1040.0, row + 40.0)]);
    // A flow from the task lane down to the process lane.
    b.edge(7, billing, &[(1050.0, y - 20.0), (1050.0, row - 40.0)]);
    b.diagram.nodes[billing].link = Some("billing".to_string());

    b.close_pool("Order handling — all shapes");
    b.diagram
}

fn parse(svg: &str) -> roxmltree::Document<'_> {
    roxmltree::Document::parse(svg).expect("the SVG is well-formed XML")
}

fn decode(png: &[u8]) -> Pixmap {
    Pixmap::decode_png(png).expect("the PNG decodes")
}

/// Dark pixels (all channels below 128) inside `rect`, in diagram units.
fn dark_pixels(pixmap: &Pixmap, rect: Rect, scale: f64) -> usize {
    let mut count = 0;
    let x0 = (rect.x * scale).floor().max(0.0) as u32;
    let y0 = (rect.y * scale).floor().max(0.0) as u32;
    let x1 = ((rect.right() * scale).ceil() as u32).min(pixmap.width());
    let y1 = ((rect.bottom() * scale).ceil() as u32).min(pixmap.height());
    for y in y0..y1 {
        for x in x0..x1 {
            if let Some(p) = pixmap.pixel(x, y)
                && p.red() < 128
                && p.green() < 128
                && p.blue() < 128
                && p.alpha() > 200
            {
                count += 1;
            }
        }
    }
    count
}

#[test]
fn svg_is_valid_xml_with_title_desc_and_role() {
    let diagram = all_shapes();
    let svg = render::svg(&diagram);
    let doc = parse(&svg);
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attribute("version"), Some("1.1"));
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("viewBox"), Some("0 0 1200 690"));
    assert_eq!(root.attribute("width"), Some("1200"));
    assert_eq!(root.attribute("height"), Some("690"));
    let children: Vec<_> = root.children().filter(|n| n.is_element()).collect();
    assert_eq!(children[0].tag_name().name(), "title");
    assert_eq!(children[0].text(), Some("Every BPMN shape procflow draws"));
    assert_eq!(children[1].tag_name().name(), "desc");
    let labelled_by: Vec<&str> = root.attribute("aria-labelledby").expect("aria-labelledby").split(' ').collect();
    assert_eq!(labelled_by, [children[0].attribute("id").unwrap(), children[1].attribute("id").unwrap()]);
}

#[test]
fn svg_has_no_scripts_handlers_styles_or_external_references() {
    let svg = render::svg(&all_shapes());
    let doc = parse(&svg);
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(!matches!(name, "script" | "foreignObject" | "image" | "use" | "style" | "marker"), "<{name}>");
        for attr in node.attributes() {
            assert!(!attr.name().to_ascii_lowercase().starts_with("on"), "event attribute {}", attr.name());
            assert!(!attr.value().contains("url("), "reference in {}", attr.name());
        }
    }
    assert!(!svg.contains("<script"));
    assert!(!svg.contains("@import"));
    assert_eq!(svg.matches("http").count(), 1, "only the SVG namespace");
}

#[test]
fn every_element_id_is_prefixed_and_unique() {
    let diagram = all_shapes();
    let svg = render::svg(&diagram);
    let doc = parse(&svg);
    let ids: Vec<&str> = doc.descendants().filter_map(|n| n.attribute("id")).collect();
    assert!(ids.len() > diagram.nodes.len() + diagram.edges.len());
    for id in &ids {
        assert!(id.starts_with("pf-all-shapes"), "{id}");
    }
    let unique: std::collections::BTreeSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "ids repeat");
}

#[test]
fn every_node_is_a_group_with_its_step_id() {
    let diagram = all_shapes();
    let svg = render::svg(&diagram);
    let doc = parse(&svg);
    let steps: Vec<&str> = doc
        .descendants()
        .filter(|n| n.attribute("class") == Some("node"))
        .filter_map(|n| n.attribute("data-step"))
        .collect();
    let expected: Vec<&str> = diagram.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(steps, expected);
    let node = doc.descendants().find(|n| n.attribute("id") == Some("pf-all-shapes-node-assess")).expect("node group");
    assert_eq!(node.tag_name().name(), "g");
}

#[test]
fn shapes_are_drawn_in_bpmn_style() {
    let svg = render::svg(&all_shapes());
    let doc = parse(&svg);
    let group = |id: &str| {
        doc.descendants()
            .find(|n| n.attribute("id") == Some(&*format!("pf-all-shapes-node-{id}")))
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    let stroke_widths = |id: &str| -> Vec<String> {
        group(id)
            .descendants()
            .filter(|n| n.has_tag_name("circle") || n.has_tag_name("rect"))
            .filter_map(|n| n.attribute("stroke-width").map(str::to_string))
            .collect()
    };
    assert_eq!(stroke_widths("start-0"), ["1.5"], "thin start event");
    assert_eq!(stroke_widths("end-0"), ["4"], "thick end event");
    assert_eq!(stroke_widths("catch-0"), ["1.5", "1.5"], "double circle");
    assert_eq!(stroke_widths("fulfil")[0], "3", "thick subprocess border");
    let task = group("task-0").children().find(|n| n.has_tag_name("rect")).expect("task box");
    assert_eq!(task.attribute("rx"), Some("10"));
    // A plain task has no icon; every other kind has one.
    assert_eq!(group("task-0").children().filter(|n| n.has_tag_name("path")).count(), 0);
    for k in 1..8 {
        assert!(group(&format!("task-{k}")).children().any(|n| n.has_tag_name("path")), "task-{k} has no icon");
    }
    // Every trigger but None draws an icon inside the circle.
    for k in 1..7 {
        for prefix in ["start", "catch", "end"] {
            let icon = group(&format!("{prefix}-{k}")).children().filter(|n| !n.has_tag_name("text")).count();
            assert!(icon > 1 + usize::from(prefix == "catch"), "{prefix}-{k} has no icon");
        }
    }
    let vertical = doc
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter(|n| n.attribute("transform").is_some_and(|t| t.starts_with("rotate(-90 ")))
        .count();
    assert_eq!(vertical, 6, "five lane headers and the pool title read bottom to top");
}

#[test]
fn flows_end_in_an_arrowhead_and_the_default_flow_has_a_slash() {
    let diagram = all_shapes();
    let svg = render::svg(&diagram);
    let doc = parse(&svg);
    let flows: Vec<_> =
        doc.descendants().filter(|n| n.attribute("class").is_some_and(|c| c.starts_with("flow"))).collect();
    assert_eq!(flows.len(), diagram.edges.len());
    for (flow, edge) in flows.iter().zip(&diagram.edges) {
        let paths: Vec<_> = flow.children().filter(|n| n.has_tag_name("path")).collect();
        let expected = if edge.default { 3 } else { 2 };
        assert_eq!(paths.len(), expected, "line, arrowhead and the default slash");
        let tip = edge.points.last().unwrap();
        let head = paths[1].attribute("d").unwrap();
        assert!(head.starts_with(&format!("M{},{}", tip.x, tip.y)), "{head}");
        assert_eq!(flow.attribute("class") == Some("flow back"), edge.back);
    }
    let back = doc.descendants().find(|n| n.attribute("id") == Some("pf-all-shapes-flow-ask-assess")).unwrap();
    assert!(back.children().next().unwrap().attribute("d").unwrap().contains('Q'), "rounded corners");
    for word in ["yes", "details missing", "rework"] {
        assert!(doc.descendants().any(|n| n.text() == Some(word)), "label {word}");
    }
}

#[test]
fn text_lines_are_tspans_with_explicit_baselines() {
    let diagram = all_shapes();
    let svg = render::svg(&diagram);
    let doc = parse(&svg);
    let assess = &diagram.nodes[diagram.nodes.iter().position(|n| n.id == "assess").unwrap()];
    let label = assess.label.as_ref().unwrap();
    assert!(label.lines.len() >= 2, "{:?}", label.lines);
    let text = doc
        .descendants()
        .find(|n| n.has_tag_name("text") && n.first_child().and_then(|c| c.text()) == Some(&label.lines[0]))
        .expect("the task's label");
    assert_eq!(text.attribute("text-anchor"), Some("middle"));
    assert_eq!(text.attribute("font-weight"), Some("400"));
    let spans: Vec<_> = text.children().collect();
    assert_eq!(spans.len(), label.lines.len());
    for (i, span) in spans.iter().enumerate() {
        let y: f64 = span.attribute("y").unwrap().parse().unwrap();
        let line_top = label.bounds.y + i as f64 * label.line_height;
        assert!(y > line_top + label.font_size * 0.6 && y < line_top + label.line_height, "baseline {y}");
        // A later line's leading space is a chunk of its own at the same x.
        let xs: Vec<f64> = span.attribute("x").unwrap().split(' ').map(|x| x.parse().unwrap()).collect();
        assert_eq!(xs.len(), if i == 0 { 1 } else { 2 });
        assert!(xs.iter().all(|x| (x - assess.rect.center().x).abs() < 0.01), "{xs:?}");
    }
    // Read as text (screen readers, axe's visible-text rule), the lines are
    // words apart, as the link's accessible name says them.
    let read: String = spans.iter().filter_map(|s| s.text()).collect();
    assert_eq!(read, label.lines.join(" "));
    assert!(!svg.contains("dominant-baseline"));
}

#[test]
fn same_diagram_gives_identical_bytes() {
    let a = render::svg(&all_shapes());
    let b = render::svg(&all_shapes());
    assert_eq!(a, b);
    assert_eq!(render::png(&all_shapes(), 1.0).unwrap(), render::png(&all_shapes(), 1.0).unwrap());
    // Coordinates carry at most two decimals.
    let doc = parse(&a);
    for node in doc.descendants() {
        for attr in ["x", "y", "cx", "cy", "r", "width", "height"] {
            if let Some(v) = node.attribute(attr) {
                let decimals = v.split('.').nth(1).map_or(0, str::len);
                assert!(decimals <= 2, "{attr}={v}");
            }
        }
    }
}

#[test]
fn png_has_the_scaled_size_and_is_not_blank() {
    let diagram = all_shapes();
    let pixmap = decode(&render::png(&diagram, 2.0).unwrap());
    assert_eq!((pixmap.width(), pixmap.height()), (2400, 1380));
    let whole = Rect { x: 0.0, y: 0.0, width: diagram.width, height: diagram.height };
    assert!(dark_pixels(&pixmap, whole, 2.0) > 20_000);
    // Opaque: the background is painted, so the picture reads on dark pages.
    assert!(pixmap.pixels().iter().all(|p| p.alpha() == 255));
    if let Ok(path) = std::env::var("PROCFLOW_RENDER_CHECK") {
        std::fs::write(path, render::png(&diagram, 2.0).unwrap()).unwrap();
    }
}

#[test]
fn text_renders_in_the_png_with_the_bundled_font() {
    let mut diagram = all_shapes();
    let index = diagram.nodes.iter().position(|n| n.id == "task-0").unwrap();
    let bounds = diagram.nodes[index].label.as_ref().unwrap().bounds;
    let with_text = decode(&render::png(&diagram, 2.0).unwrap());
    let inked = dark_pixels(&with_text, bounds, 2.0);
    assert!(inked > 150, "only {inked} dark pixels in the label");
    diagram.nodes[index].label = None;
    let without = decode(&render::png(&diagram, 2.0).unwrap());
    assert_eq!(dark_pixels(&without, bounds, 2.0), 0, "nothing else is drawn there");
    // The glyphs stay inside their measured box: nothing dark just outside it.
    let right = Rect { x: bounds.right() + 1.0, y: bounds.y, width: 5.0, height: bounds.height };
    assert_eq!(dark_pixels(&with_text, right, 2.0), 0, "text spills to the right");
    let below = Rect { x: bounds.x, y: bounds.bottom() + 1.5, width: bounds.width, height: 4.0 };
    assert_eq!(dark_pixels(&with_text, below, 2.0), 0, "text spills below its box");
}

#[test]
fn png_rejects_a_scale_that_is_not_positive() {
    let diagram = all_shapes();
    for scale in [0.0, -1.0, f32::NAN, f32::INFINITY] {
        assert!(matches!(render::png(&diagram, scale), Err(RenderError::InvalidScale(_))), "{scale}");
    }
    assert!(matches!(render::png(&diagram, 1000.0), Err(RenderError::TooLarge { .. })));
}

const NASTY: &str = r#"<script>alert("x")</script> & 'q'"#;

fn nasty() -> Diagram {
    let mut b = Builder::new(NASTY, NASTY);
    b.diagram.description = NASTY.to_string();
    let y = b.lane(NASTY, NASTY, 140.0);
    let a = b.node(NASTY, Shape::Task(StepKind::None), 0, (140.0, y + 70.0), NASTY);
    let c = b.node("end", Shape::EndEvent(Trigger::None), 0, (300.0, y + 70.0), NASTY);
    let label = b.flow_label(NASTY, (200.0, y + 20.0));
    b.edge(a, c, &[(190.0, y + 70.0), (282.0, y + 70.0)]).label = Some(label);
    b.close_pool(NASTY);
    b.diagram
}

#[test]
fn names_with_markup_are_escaped() {
    let svg = render::svg(&nasty());
    assert!(!svg.contains("<script"));
    let doc = parse(&svg);
    assert!(doc.descendants().all(|n| !n.has_tag_name("script")));
    let root = doc.root_element();
    assert_eq!(root.children().find(|n| n.has_tag_name("title")).unwrap().text(), Some(NASTY));
    assert_eq!(root.children().find(|n| n.has_tag_name("desc")).unwrap().text(), Some(NASTY));
    assert!(doc.descendants().any(|n| n.attribute("data-step") == Some(NASTY)));
    assert!(doc.descendants().any(|n| n.attribute("data-role") == Some(NASTY)));
    for id in doc.descendants().filter_map(|n| n.attribute("id")) {
        assert!(id.starts_with("pf--script-alert--x----script-----q-"), "{id}");
        assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{id}");
    }
    let text: String = doc.descendants().filter(|n| n.is_text()).filter_map(|n| n.text()).collect();
    assert!(text.contains("alert(\"x\")"));
    // Still renders.
    decode(&render::png(&nasty(), 1.0).unwrap());
}

#[test]
fn control_characters_in_names_keep_the_xml_valid() {
    let mut diagram = nasty();
    diagram.title = "bell\u{7} and nul\u{0}".to_string();
    diagram.nodes[0].label.as_mut().unwrap().lines[0] = "\u{1b}[31mred".to_string();
    parse(&render::svg(&diagram));
}

#[test]
fn links_are_relative_escaped_and_never_scripts() {
    let diagram = all_shapes();
    let svg = render::svg_with_links(&diagram, &|node: &Node| match node.id.as_str() {
        "assess" => Some("#step-assess&x=\"1\"".to_string()),
        "billing" => node.link.as_ref().map(|p| format!("../processes/{p}.html")),
        "decide" => Some("javascript:alert(1)".to_string()),
        "fulfil" => Some("https://example.com/".to_string()),
        "ask" => Some("//example.com/".to_string()),
        _ => None,
    });
    let doc = parse(&svg);
    let links: Vec<(&str, &str)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("a"))
        .map(|a| {
            let step = a.first_element_child().and_then(|g| g.attribute("data-step")).unwrap();
            (step, a.attribute("href").unwrap())
        })
        .collect();
    assert_eq!(links, [("assess", "#step-assess&x=\"1\""), ("billing", "../processes/billing.html")]);
    assert!(!svg.contains("javascript"));
    assert!(!svg.contains("example.com"));
    // Links still render.
    assert!(render::png(&diagram, 1.0).is_ok());
}

#[test]
fn empty_and_degenerate_diagrams_do_not_panic() {
    let mut b = Builder::new("", "");
    b.diagram.width = 0.0;
    b.diagram.height = f64::NAN;
    let n = b.node("a", Shape::Task(StepKind::None), 0, (50.0, 50.0), "");
    b.edge(n, n, &[]);
    b.edge(n, 7, &[(1.0, 1.0)]);
    b.edge(n, n, &[(1.0, 1.0), (1.0, 1.0), (f64::NAN, 3.0), (1.0, 1.0)]);
    let svg = render::svg(&b.diagram);
    parse(&svg);
    let _ = render::png(&b.diagram, 1.0);
}

#[test]
fn the_font_database_holds_only_inter_and_resolves_every_family_to_it() {
    use resvg::usvg::fontdb::{Family, Query, Weight as FontWeight};
    let db = render::png::font_database();
    let faces: Vec<(String, u16)> = db.faces().map(|f| (f.families[0].0.clone(), f.weight.0)).collect();
    assert_eq!(faces, [("Inter".to_string(), 400), ("Inter".to_string(), 600)]);
    let lookups: [&[Family]; 4] = [
        &[Family::Name("Inter")],
        &[Family::SansSerif],
        // usvg appends the serif family when nothing the SVG names is found.
        &[Family::Name("Liberation Sans"), Family::Name("Arial"), Family::Serif],
        &[Family::Monospace],
    ];
    for families in lookups {
        for weight in [400, 600] {
            let query = Query { families, weight: FontWeight(weight), ..Query::default() };
            let face = db.query(&query).and_then(|id| db.face(id)).expect("a face");
            assert_eq!((face.families[0].0.as_str(), face.weight.0), ("Inter", weight), "{families:?}");
        }
    }
    // One database, shared.
    assert!(std::sync::Arc::ptr_eq(&db, &render::png::font_database()));
}
