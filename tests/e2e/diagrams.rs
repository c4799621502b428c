//! Snapshots of the diagrams of the bundled models: SVG bytes, the layout
//! quality figures (so a regression in crossings or bends shows in review),
//! and a PNG rasterised from each that must not be blank.
//! `UPDATE_EXPECT=1 cargo test --test e2e diagrams::` re-records; review the diff.

use crate::common;
use std::fs;
use std::path::Path;

use procflow::layout::{self, LayoutOptions, metrics};
use procflow::project::Project;

fn diagrams() -> Vec<procflow::layout::Diagram> {
    let project = Project::read(Path::new(env!("CARGO_MANIFEST_DIR"))).expect("project");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(true));
    let model = &checked.model;
    let mut all: Vec<_> =
        model.workflows.iter().map(|w| layout::workflow(model, *w, LayoutOptions::default())).collect();
    all.push(layout::landscape(model));
    all
}

#[test]
fn svg_and_layout_figures_match_their_snapshots() {
    let mut failures = Vec::new();
    let mut figures = format!("{}\n", common::FIGURES_HEADER);
    for diagram in diagrams() {
        common::compare(&format!("{}.svg", diagram.id), &procflow::render::svg(&diagram), &mut failures);
        figures.push_str(&common::figures(&diagram.id, &metrics::measure(&diagram)));
        figures.push('\n');
    }
    common::compare("layout-figures.txt", &figures, &mut failures);
    assert!(failures.is_empty(), "{failures:#?}\nrun with UPDATE_EXPECT=1 and review the diff");
}

#[test]
fn every_diagram_rasterises_to_a_picture_with_ink() {
    for diagram in diagrams() {
        let png = procflow::render::png(&diagram, 1.0).expect("renders");
        let pixmap = resvg::tiny_skia::Pixmap::decode_png(&png).expect("decodes");
        assert_eq!(pixmap.width(), diagram.width.ceil() as u32);
        let dark = pixmap.pixels().iter().filter(|p| p.alpha() > 0 && p.red() < 100 && p.green() < 100).count();
        assert!(dark > 2_000, "{}: only {dark} dark pixels", diagram.id);
    }
}

#[test]
fn layout_is_identical_across_runs() {
    let first: Vec<String> = diagrams().iter().map(procflow::render::svg).collect();
    let second: Vec<String> = diagrams().iter().map(procflow::render::svg).collect();
    assert_eq!(first, second);
}

#[test]
fn render_command_writes_svg_and_png() {
    let dir = tempfile::tempdir().expect("tempdir");
    let svg = dir.path().join("w.svg");
    let png = dir.path().join("w.png");
    let root = env!("CARGO_MANIFEST_DIR");
    let run = |args: &[&str]| {
        assert_cmd::Command::cargo_bin("procflow").expect("binary").current_dir(root).args(args).assert().success();
    };
    run(&["render", "change-ticket", "-o", svg.to_str().expect("utf-8 path")]);
    run(&["render", "change-ticket", "--format", "png", "--scale", "2", "-o", png.to_str().expect("utf-8 path")]);
    let text = fs::read_to_string(&svg).expect("svg written");
    assert!(text.starts_with("<svg") || text.starts_with("<?xml"));
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(&fs::read(&png).expect("png written")).expect("decodes");
    assert!(pixmap.width() > 1000);
    assert_cmd::Command::cargo_bin("procflow")
        .expect("binary")
        .current_dir(root)
        .args(["render", "--stats"])
        .assert()
        .success()
        .stdout(predicates::str::contains("incident-handling"))
        .stdout(predicates::str::contains("crossings overlaps"));
}

/// Before: the major-incident timer flow ran on the row where *Confirm
/// restoration*'s flow came in, 20 px apart, and incident-handling's *Escalate
/// to level 2* lined up with the flow into *Ask user to confirm resolution*:
/// each pair read as one flow. One port of such a pair now moves off the line.
#[test]
fn no_bundled_workflow_has_flows_that_line_up_end_to_end() {
    for diagram in diagrams().iter().filter(|d| d.pool.is_some()) {
        assert_eq!(metrics::measure(diagram).false_junctions, 0, "{}", diagram.id);
    }
}

/// The only workflow of a fixture project, laid out.
fn fixture_workflow(fixture: &str) -> procflow::layout::Diagram {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(fixture);
    let project = Project::read(&dir).expect("project");
    let checked = procflow::check(&project.sources);
    let model = &checked.model;
    layout::workflow(model, model.workflows[0], LayoutOptions::default())
}

/// A workflow in review carries the DRAFT mark in a band above its drawing,
/// in the SVG and so in the PNG made from it; an approved one does not.
#[test]
fn a_draft_workflow_s_diagram_carries_the_draft_mark() {
    let draft = fixture_workflow("w0603-draft-workflow-of-approved-process");
    let svg = procflow::render::svg(&draft);
    assert!(svg.contains(r#"class="pf-mark""#) && svg.contains(layout::DRAFT_MARK), "{svg}");
    let mark = draft.mark.as_ref().expect("mark").bounds;
    let pool = draft.pool.as_ref().expect("pool").rect;
    assert!(mark.bottom() < pool.y, "the mark sits above the pool: {mark:?} {pool:?}");
    assert!(metrics::violations(&draft).is_empty(), "{:?}", metrics::violations(&draft));

    let approved = fixture_workflow("w0601-review-date-passed");
    assert!(approved.mark.is_none());
    assert!(!procflow::render::svg(&approved).contains("pf-mark"));
    assert!((draft.height - approved.height - procflow::layout::diagram::MARK_BAND).abs() < 0.5);
}
