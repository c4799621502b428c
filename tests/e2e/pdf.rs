//! `procflow export pdf` end to end, on the bundled models, on a project of
//! names full of Typst's markup characters and on a generated project: the
//! handbook is byte-identical across builds and thread counts, and, read
//! back with poppler and qpdf, it holds every process, workflow, step name
//! and instruction as text, embeds only the bundled Inter faces, is a valid
//! PDF with bookmarks and internal links, and prints no text under 6 pt.

use crate::generated;
use crate::outside;
use std::collections::BTreeSet;
use std::fs;
use std::path::Path;
use std::process::Command as Process;

use assert_cmd::Command;
use procflow::project::Project;

/// A fixed build date, so that builds compare byte for byte.
const EPOCH: &str = "1764633600";

fn export(project: &Path, out: &Path, threads: Option<&str>) -> Vec<u8> {
    let mut command = Command::cargo_bin("procflow").expect("binary");
    command.env("SOURCE_DATE_EPOCH", EPOCH).args(["export", "pdf", "--quiet"]).arg(project).arg("-o").arg(out);
    if let Some(threads) = threads {
        command.env("RAYON_NUM_THREADS", threads);
    }
    command.assert().success();
    fs::read(out).expect("pdf written")
}

fn bundled() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn run(program: &str, args: &[&str], pdf: &Path) -> String {
    let mut command = Process::new(program);
    command.args(args).arg(pdf);
    if program == "pdftotext" {
        command.arg("-"); // to standard output
    }
    let output = command.output().expect("runs");
    assert!(output.status.success(), "{program} {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Whitespace runs as one space, so text wrapped over lines compares equal.
fn normalized(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// What pdftotext, pdffonts, qpdf and the word boxes say about `pdf`, for
/// the model of `project`; `instructions` also checks each instruction's
/// paragraphs word for word.
fn check_read_back(project: &Path, pdf: &Path) {
    let checked = procflow::check(&Project::read(project).expect("project").sources);
    let model = &checked.model;
    let text = run("pdftotext", &["-enc", "UTF-8"], pdf).replace('\u{ad}', "-");
    // Hyphens are compared away: poppler drops some of those Typst sets.
    let flat = normalized(&text.replace("-\n", "")).replace('-', "");
    let words: BTreeSet<&str> = text.split_whitespace().collect();
    for &p in &model.processes {
        let name = normalized(&model.process(p).name).replace('-', "");
        assert!(flat.contains(&name), "process {name}");
    }
    for &w in &model.workflows {
        let workflow = model.workflow(w);
        let name = normalized(&workflow.name).replace('-', "");
        assert!(flat.contains(&name), "workflow {name}");
        for &s in &workflow.steps {
            let step = model.step(s);
            for word in step.name.split_whitespace() {
                assert!(words.iter().any(|w| w.contains(word)), "step {:?}: word {word:?}", step.name);
            }
            for text in [&step.instructions, &step.description].into_iter().flatten() {
                // Punctuation after inline code sits apart from it.
                let plain = procflow::text::plain_text(text);
                for word in plain.split_whitespace().map(|w| w.trim_matches(|c| ",.;:!?()".contains(c))) {
                    let word = word.replace('-', "");
                    assert!(flat.contains(&word), "{}/{}: instruction word {word:?}", workflow.id, step.id);
                }
            }
        }
    }
    let fonts = run("pdffonts", &[], pdf);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(!rows.is_empty(), "{fonts}");
    for row in rows {
        assert!(row.contains("Inter"), "only the bundled fonts: {row}");
        let columns: Vec<&str> = row.split_whitespace().collect();
        let emb = columns.len().checked_sub(5).map(|i| columns[i]);
        assert_eq!(emb, Some("yes"), "embedded: {row}");
    }
    run("qpdf", &["--check"], pdf);
    let expanded = pdf.with_extension("qdf.pdf");
    let status = Process::new("qpdf")
        .args(["--qdf", "--object-streams=disable"])
        .arg(pdf)
        .arg(&expanded)
        .status()
        .expect("qpdf runs");
    assert!(status.success());
    let raw = String::from_utf8_lossy(&fs::read(&expanded).expect("expanded")).into_owned();
    assert!(raw.contains("/Outlines"), "bookmarks");
    assert!(raw.contains("/StructTreeRoot"), "tagged");
    let links = raw.matches("/Subtype /Link").count();
    let steps: usize = model.workflows.iter().map(|&w| model.workflow(w).steps.len()).sum();
    assert!(links >= steps, "{links} links for {steps} steps");
    let smallest = smallest_text(&run("pdftotext", &["-bbox"], pdf));
    assert!(smallest >= 6.0, "text of {smallest:.2} pt");
}

/// A landscape diagram once left its heading alone on a portrait page: no
/// page may hold one line between its running header (two lines) and its
/// page number.
fn no_page_holds_only_a_heading(pdf: &Path) {
    let info = run("pdfinfo", &[], pdf);
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("pdfinfo names the page count");
    for page in 2..=pages {
        let number = page.to_string();
        let text = run("pdftotext", &["-enc", "UTF-8", "-layout", "-f", &number, "-l", &number], pdf);
        let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
        // -layout puts the header's two parts on one line.
        let body = lines.len().saturating_sub(2);
        assert!(body != 1, "page {page} holds one line: {lines:?}");
    }
}

/// The sections of each chapter (Purpose, Scope…) are bookmarks under it,
/// though the contents page lists chapters and workflows only.
fn sections_are_bookmarked(pdf: &Path) {
    let json = run("qpdf", &["--json", "--json-key=outlines"], pdf);
    let outlines: serde_json::Value = serde_json::from_str(&json).expect("qpdf writes JSON");
    let chapters = outlines["outlines"].as_array().expect("outlines");
    let change = chapters.iter().find(|c| c["title"] == "Change Management").expect("a chapter per process");
    let sections: Vec<&str> =
        change["kids"].as_array().expect("sections").iter().filter_map(|k| k["title"].as_str()).collect();
    for section in ["Purpose", "Activities", "RACI matrix"] {
        assert!(sections.contains(&section), "{section} bookmarked under its chapter: {sections:?}");
    }
}

/// The height of the smallest word box pdftotext reports (about the font
/// size: Inter's line box is 1.21 em). Rotated lane names come a letter a
/// box, whose width is then the line's height.
fn smallest_text(bbox: &str) -> f64 {
    let attribute = |line: &str, name: &str| -> Option<f64> {
        let at = line.find(&format!("{name}=\""))? + name.len() + 2;
        line[at..].split('"').next()?.parse().ok()
    };
    bbox.lines()
        .filter(|l| l.trim_start().starts_with("<word"))
        .filter_map(|l| {
            let height = attribute(l, "yMax")? - attribute(l, "yMin")?;
            let width = attribute(l, "xMax")? - attribute(l, "xMin")?;
            let letters = l.split('>').nth(1)?.split('<').next()?.chars().count();
            Some(if letters == 1 { height.max(width) } else { height })
        })
        .fold(f64::INFINITY, f64::min)
}

#[test]
fn the_handbook_is_byte_identical_across_builds_and_thread_counts() {
    let dir = tempfile::tempdir().expect("tempdir");
    let first = export(bundled(), &dir.path().join("a.pdf"), None);
    let second = export(bundled(), &dir.path().join("b.pdf"), None);
    let serial = export(bundled(), &dir.path().join("c.pdf"), Some("1"));
    assert!(first.starts_with(b"%PDF-"));
    assert!(first == second, "two builds differ");
    assert!(first == serial, "one thread and many differ");
    let names: Vec<String> = fs::read_dir(dir.path())
        .expect("dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 3, "no temporary file left: {names:?}");
}

#[test]
fn the_handbook_reads_back_with_poppler_and_qpdf() {
    if outside::skip("the_handbook_reads_back_with_poppler_and_qpdf") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let pdf = dir.path().join("handbook.pdf");
    export(bundled(), &pdf, None);
    check_read_back(bundled(), &pdf);
    no_page_holds_only_a_heading(&pdf);
    sections_are_bookmarked(&pdf);
    let project = dir.path().join("markup");
    markup_project(&project);
    let pdf = dir.path().join("markup.pdf");
    export(&project, &pdf, None);
    check_read_back(&project, &pdf);
    let text = normalized(&run("pdftotext", &["-enc", "UTF-8"], &pdf));
    for literal in
        ["#set page(width: 1cm)", "$x^2$ <fake> @fake", "*not bold* _not_ \\ // no comment", "Wiki <b>|]] & co"]
    {
        assert!(text.contains(literal), "{literal:?} printed as written");
    }
}

#[test]
fn a_generated_project_of_many_workflows_reads_back() {
    if outside::skip("a_generated_project_of_many_workflows_reads_back") {
        return;
    }
    let dir = tempfile::tempdir().expect("tempdir");
    let size = generated::Size { processes: 6, ..generated::Size::with_processes(6) };
    generated::write_model(dir.path(), size).expect("model written");
    let pdf = dir.path().join("handbook.pdf");
    export(dir.path(), &pdf, None);
    check_read_back(dir.path(), &pdf);
}

#[test]
fn a_model_with_errors_writes_no_handbook() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(dir.path().join("models")).expect("mkdir");
    fs::write(dir.path().join("models/bad.yaml"), "process:\n  id: p\n  name: P\n  owner: nobody\n").expect("write");
    let out = dir.path().join("handbook.pdf");
    Command::cargo_bin("procflow")
        .expect("binary")
        .args(["export", "pdf"])
        .arg(dir.path())
        .arg("-o")
        .arg(&out)
        .assert()
        .code(1)
        .stderr(predicates::str::contains("bad.yaml:4:10"))
        .stderr(predicates::str::contains("no handbook was written"));
    assert!(!out.exists());
}

/// Names and instructions full of Typst markup, which must print as written.
fn markup_project(dir: &Path) {
    fs::create_dir_all(dir.join("models")).expect("mkdir");
    fs::write(dir.join("procflow.yaml"), "title: \"Wiki <b>|]] & co\"\n").expect("write");
    let models = r##"roles:
  - id: agent
    name: "#set page(width: 1cm)"
  - id: boss
    name: "Boss ] [ #{"
---
process:
  id: p
  name: "$x^2$ <fake> @fake"
  owner: boss
  purpose: "Keep `#raw` and [a link](https://example.org) and [bad](javascript:alert(1))"
  activities:
    - id: act
      name: "Act \\ one"
      raci: { R: agent, A: boss }
---
workflow:
  id: w
  name: "*not bold* _not_ \\ // no comment"
  steps:
    - id: s
      type: start
      lane: agent
    - id: t
      name: "Task #let x = 1"
      realizes: [p/act]
      instructions: |
        Step one <script>alert(2)</script> with *emphasis* and `code`.

        1. first #item
        2. second ]]
    - id: e
      type: end
"##;
    fs::write(dir.join("models/all.yaml"), models).expect("write");
}
