//! BPMN icons and markers as SVG fragments: event triggers, task kinds,
//! gateway markers and the collapsed-subprocess `[+]`.
//!
//! Each icon is designed in a small local grid (36 units for events, 50 for
//! gateways, 16 for task icons) and written in absolute diagram coordinates
//! through a [`Frame`], so the output needs no transforms. This module only
//! writes markup; it decides nothing about where a shape goes.

use std::f64::consts::PI;
use std::fmt::{self, Write as _};

use super::{Num, num};
use crate::compile::GatewayKind;
use crate::model::{StepKind, Trigger};

/// Stroke and fill colour of shapes, icons and text.
pub(crate) const INK: &str = "#1f2329";
/// Fill of shapes and of the open (catching) icons.
pub(crate) const PAPER: &str = "#ffffff";

/// Maps an icon's local grid onto the diagram: local `(x, y)` lands at
/// `(left + x * scale, top + y * scale)`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Frame {
    pub left: f64,
    pub top: f64,
    pub scale: f64,
}

impl Frame {
    fn x(&self, x: f64) -> Num {
        num(self.left + x * self.scale)
    }

    fn y(&self, y: f64) -> Num {
        num(self.top + y * self.scale)
    }

    fn len(&self, v: f64) -> Num {
        num(v * self.scale)
    }

    fn pt(&self, x: f64, y: f64) -> Pt {
        Pt(self.x(x), self.y(y))
    }

    /// A path builder in this frame.
    fn path(&self) -> PathData<'_> {
        PathData { frame: self, d: String::new() }
    }
}

/// A point written as `x,y`.
struct Pt(Num, Num);

impl fmt::Display for Pt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{},{}", self.0, self.1)
    }
}

/// Path data in local coordinates, written absolute.
struct PathData<'a> {
    frame: &'a Frame,
    d: String,
}

impl PathData<'_> {
    fn m(mut self, x: f64, y: f64) -> Self {
        let _ = write!(self.d, "M{}", self.frame.pt(x, y));
        self
    }

    fn l(mut self, x: f64, y: f64) -> Self {
        let _ = write!(self.d, "L{}", self.frame.pt(x, y));
        self
    }

    fn q(mut self, cx: f64, cy: f64, x: f64, y: f64) -> Self {
        let _ = write!(self.d, "Q{} {}", self.frame.pt(cx, cy), self.frame.pt(x, y));
        self
    }

    fn c(mut self, c1: (f64, f64), c2: (f64, f64), to: (f64, f64)) -> Self {
        let f = self.frame;
        let _ = write!(self.d, "C{} {} {}", f.pt(c1.0, c1.1), f.pt(c2.0, c2.1), f.pt(to.0, to.1));
        self
    }

    fn z(mut self) -> Self {
        self.d.push('Z');
        self
    }

    fn polygon(mut self, points: &[(f64, f64)]) -> Self {
        for (i, &(x, y)) in points.iter().enumerate() {
            self = if i == 0 { self.m(x, y) } else { self.l(x, y) };
        }
        self.z()
    }

    fn done(self) -> String {
        self.d
    }
}

/// Writes one `<path>` element with the given paint attributes.
fn path(out: &mut String, d: &str, paint: &str) {
    let _ = write!(out, r#"<path d="{d}" {paint}/>"#);
}

fn stroke(frame: &Frame, fill: &str, width: f64) -> String {
    format!(r#"fill="{fill}" stroke="{INK}" stroke-width="{}" stroke-linejoin="round""#, frame.len(width))
}

fn circle(out: &mut String, frame: &Frame, cx: f64, cy: f64, r: f64, paint: &str) {
    let _ = write!(out, r#"<circle cx="{}" cy="{}" r="{}" {paint}/>"#, frame.x(cx), frame.y(cy), frame.len(r));
}

fn point_on_circle(cx: f64, cy: f64, r: f64, degrees: f64) -> (f64, f64) {
    let a = degrees * PI / 180.0;
    (cx + r * a.cos(), cy + r * a.sin())
}

/// An envelope in the rectangle `(x, y, w, h)`: white with a dark flap when
/// open (catching, receiving), dark with a white flap when filled (throwing,
/// sending).
fn envelope(out: &mut String, frame: &Frame, (x, y, w, h): (f64, f64, f64, f64), filled: bool, width: f64) {
    let body = frame.path().polygon(&[(x, y), (x + w, y), (x + w, y + h), (x, y + h)]).done();
    let flap = frame.path().m(x, y).l(x + w / 2.0, y + h * 0.55).l(x + w, y).done();
    if filled {
        path(out, &body, &stroke(frame, INK, width));
        let flap_paint =
            format!(r#"fill="none" stroke="{PAPER}" stroke-width="{}" stroke-linejoin="round""#, frame.len(width));
        path(out, &flap, &flap_paint);
    } else {
        path(out, &body, &stroke(frame, PAPER, width));
        path(out, &flap, &stroke(frame, "none", width));
    }
}

/// The trigger icon of an event, in the event's 36×36 grid. `filled` draws
/// the throwing variant (end events), otherwise the catching one.
pub(crate) fn trigger(out: &mut String, frame: &Frame, trigger: Trigger, filled: bool) {
    let fill = if filled { INK } else { PAPER };
    match trigger {
        Trigger::None => {}
        Trigger::Message => envelope(out, frame, (10.0, 12.5, 16.0, 11.0), filled, 1.2),
        Trigger::Timer => {
            circle(out, frame, 18.0, 18.0, 10.5, &stroke(frame, PAPER, 1.5));
            let mut ticks = frame.path();
            for k in 0..12 {
                let degrees = f64::from(k) * 30.0;
                let (x1, y1) = point_on_circle(18.0, 18.0, 8.0, degrees);
                let (x2, y2) = point_on_circle(18.0, 18.0, 10.5, degrees);
                ticks = ticks.m(x1, y1).l(x2, y2);
            }
            path(out, &ticks.done(), &stroke(frame, "none", 0.9));
            let hands = frame.path().m(18.0, 10.5).l(18.0, 18.0).l(23.0, 15.5).done();
            let paint = format!(
                r#"fill="none" stroke="{INK}" stroke-width="{}" stroke-linecap="round" stroke-linejoin="round""#,
                frame.len(1.4)
            );
            path(out, &hands, &paint);
        }
        Trigger::Signal => {
            let d = frame.path().polygon(&[(18.0, 8.5), (26.5, 23.5), (9.5, 23.5)]).done();
            path(out, &d, &stroke(frame, fill, 1.2));
        }
        Trigger::Error => {
            let d = frame
                .path()
                .polygon(&[(9.5, 27.0), (14.0, 11.0), (20.5, 18.5), (26.5, 9.0), (22.0, 25.5), (15.5, 18.0)])
                .done();
            path(out, &d, &stroke(frame, fill, 1.2));
        }
        Trigger::Conditional => {
            let sheet = frame.path().polygon(&[(11.5, 9.5), (24.5, 9.5), (24.5, 26.5), (11.5, 26.5)]).done();
            path(out, &sheet, &stroke(frame, PAPER, 1.2));
            let mut lines = frame.path();
            for y in [13.0, 16.5, 20.0, 23.5] {
                lines = lines.m(13.8, y).l(22.2, y);
            }
            path(out, &lines.done(), &stroke(frame, "none", 1.0));
        }
        Trigger::Escalation => {
            let d = frame.path().polygon(&[(18.0, 9.0), (25.0, 26.0), (18.0, 19.5), (11.0, 26.0)]).done();
            path(out, &d, &stroke(frame, fill, 1.2));
        }
        Trigger::Terminate => circle(out, frame, 18.0, 18.0, 10.0, &format!(r#"fill="{INK}""#)),
    }
}

/// The marker of a gateway, in the gateway's 50×50 grid.
pub(crate) fn gateway(out: &mut String, frame: &Frame, kind: GatewayKind) {
    let thick = |w: f64| format!(r#"fill="none" stroke="{INK}" stroke-width="{}""#, frame.len(w));
    match kind {
        GatewayKind::Exclusive => {
            let d = frame.path().m(17.5, 17.5).l(32.5, 32.5).m(32.5, 17.5).l(17.5, 32.5).done();
            path(out, &d, &thick(4.0));
        }
        GatewayKind::Parallel => {
            let d = frame.path().m(25.0, 13.5).l(25.0, 36.5).m(13.5, 25.0).l(36.5, 25.0).done();
            path(out, &d, &thick(4.0));
        }
        GatewayKind::Inclusive => circle(out, frame, 25.0, 25.0, 10.5, &thick(3.0)),
        GatewayKind::EventBased => {
            circle(out, frame, 25.0, 25.0, 13.0, &thick(1.2));
            circle(out, frame, 25.0, 25.0, 10.5, &thick(1.2));
            let points: Vec<(f64, f64)> =
                (0..5).map(|k| point_on_circle(25.0, 25.5, 6.5, -90.0 + f64::from(k) * 72.0)).collect();
            let d = frame.path().polygon(&points).done();
            path(out, &d, &stroke(frame, "none", 1.3));
        }
    }
}

/// The task-kind icon, in a 16×16 grid placed in the task's top-left corner.
pub(crate) fn task(out: &mut String, frame: &Frame, kind: StepKind) {
    match kind {
        StepKind::User => {
            let body = frame
                .path()
                .m(2.0, 16.0)
                .c((2.0, 11.6), (4.4, 9.8), (8.0, 9.8))
                .c((11.6, 9.8), (14.0, 11.6), (14.0, 16.0))
                .z()
                .done();
            path(out, &body, &stroke(frame, PAPER, 1.1));
            let arms = frame.path().m(4.6, 13.2).l(4.6, 16.0).m(11.4, 13.2).l(11.4, 16.0).done();
            path(out, &arms, &stroke(frame, "none", 1.0));
            circle(out, frame, 8.0, 5.4, 3.5, &stroke(frame, PAPER, 1.1));
            // The hair, filled, which makes the circle read as a head at 16 px.
            let hair = frame
                .path()
                .m(4.5, 5.2)
                .c((4.4, 1.0), (11.6, 1.0), (11.5, 5.2))
                .c((10.0, 3.3), (6.0, 3.3), (4.5, 5.2))
                .z()
                .done();
            path(out, &hair, &stroke(frame, INK, 0.8));
        }
        StepKind::Manual => {
            // A flat hand seen from the side, pointing right: the thumb on
            // top, four fingers stacked below it, the wrist on the left.
            let hand = frame
                .path()
                .m(0.6, 7.0)
                .c((2.0, 4.6), (3.8, 3.4), (6.6, 3.0))
                .l(11.4, 1.4)
                .q(12.9, 1.0, 13.1, 2.3)
                .q(13.2, 3.5, 11.9, 3.9)
                .l(9.2, 4.9)
                .l(16.3, 4.9)
                .q(17.6, 4.9, 17.6, 6.2)
                .q(17.6, 7.5, 16.3, 7.5)
                .l(10.0, 7.5)
                .l(16.6, 7.5)
                .q(17.9, 7.5, 17.9, 8.8)
                .q(17.9, 10.1, 16.6, 10.1)
                .l(10.0, 10.1)
                .l(15.6, 10.1)
                .q(16.8, 10.1, 16.8, 11.3)
                .q(16.8, 12.5, 15.6, 12.5)
                .l(9.6, 12.5)
                .l(13.8, 12.5)
                .q(14.9, 12.5, 14.9, 13.6)
                .q(14.9, 14.7, 13.8, 14.7)
                .l(5.8, 14.7)
                .c((3.4, 14.7), (1.8, 13.8), (0.6, 12.4))
                .done();
            path(out, &hand, &stroke(frame, PAPER, 1.0));
        }
        StepKind::Service => {
            gear(out, frame, (6.0, 6.0), 5.8, 1.0);
            gear(out, frame, (11.2, 11.2), 5.8, 1.0);
        }
        StepKind::Send => envelope(out, frame, (0.5, 3.0, 16.0, 11.0), true, 1.1),
        StepKind::Receive => envelope(out, frame, (0.5, 3.0, 16.0, 11.0), false, 1.1),
        StepKind::Script => {
            let sheet = frame
                .path()
                .m(4.0, 1.0)
                .l(15.0, 1.0)
                .c((12.0, 3.5), (12.0, 5.5), (13.5, 8.0))
                .c((15.0, 10.5), (15.0, 12.5), (12.0, 15.0))
                .l(1.0, 15.0)
                .c((4.0, 12.5), (4.0, 10.5), (2.5, 8.0))
                .c((1.0, 5.5), (1.0, 3.5), (4.0, 1.0))
                .z()
                .done();
            path(out, &sheet, &stroke(frame, PAPER, 1.0));
            let mut lines = frame.path();
            for (y, shift) in [(4.3, 0.8), (7.0, 0.0), (9.7, 0.0), (12.4, -0.8)] {
                lines = lines.m(4.8 + shift, y).l(10.6 + shift, y);
            }
            path(out, &lines.done(), &stroke(frame, "none", 0.9));
        }
        StepKind::BusinessRule => {
            let header = frame.path().polygon(&[(0.5, 2.0), (16.5, 2.0), (16.5, 5.5), (0.5, 5.5)]).done();
            path(out, &header, &stroke(frame, "#8c939c", 1.0));
            let body = frame.path().polygon(&[(0.5, 2.0), (16.5, 2.0), (16.5, 14.5), (0.5, 14.5)]).done();
            path(out, &body, &stroke(frame, "none", 1.0));
            let grid = frame.path().m(0.5, 10.0).l(16.5, 10.0).m(5.0, 5.5).l(5.0, 14.5).done();
            path(out, &grid, &stroke(frame, "none", 1.0));
        }
        // No icon for plain tasks; gateway kinds never reach a task shape.
        StepKind::None | StepKind::Exclusive | StepKind::Parallel | StepKind::Inclusive | StepKind::EventBased => {}
    }
}

/// A gear with eight teeth and a hole, centred at `center` with outer radius
/// `r`.
fn gear(out: &mut String, frame: &Frame, center: (f64, f64), r: f64, width: f64) {
    let (cx, cy) = center;
    let inner = r * 0.7;
    let mut points = Vec::with_capacity(32);
    for k in 0..8 {
        let base = f64::from(k) * 45.0 + 22.5;
        points.push(point_on_circle(cx, cy, inner, base - 16.0));
        points.push(point_on_circle(cx, cy, r, base - 10.0));
        points.push(point_on_circle(cx, cy, r, base + 10.0));
        points.push(point_on_circle(cx, cy, inner, base + 16.0));
    }
    let d = frame.path().polygon(&points).done();
    path(out, &d, &stroke(frame, PAPER, width));
    circle(out, frame, cx, cy, r * 0.32, &stroke(frame, PAPER, width));
}

/// The collapsed-subprocess marker: a small square with a plus, centred at
/// `(cx, bottom)` in diagram coordinates, its lower edge at `bottom`.
pub(crate) fn collapsed_marker(out: &mut String, cx: f64, bottom: f64) {
    let frame = Frame { left: cx - 7.0, top: bottom - 14.0, scale: 1.0 };
    let square = frame.path().polygon(&[(0.0, 0.0), (14.0, 0.0), (14.0, 14.0), (0.0, 14.0)]).done();
    path(out, &square, &stroke(&frame, PAPER, 1.2));
    let plus = frame.path().m(7.0, 3.0).l(7.0, 11.0).m(3.0, 7.0).l(11.0, 7.0).done();
    path(out, &plus, &stroke(&frame, "none", 1.5));
}
