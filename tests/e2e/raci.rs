//! RACI views end to end: golden files for every format on `models/`, the CSV
//! parsed back against the model, the SVG parsed as XML and rasterised, the
//! Markdown parsed as a GFM table, the analysis on a fixture with planted
//! overloads and gaps, escaping of hostile names, and the CLI's exit statuses.
//!
//! Goldens live in `tests/raci/`; run with `UPDATE_EXPECT=1` to rewrite them after
//! a deliberate change, then review the diff. Set `RACI_PNG_DIR=<dir>` to also
//! write PNGs of the SVGs rendered with the system's fonts, for looking at.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use procflow::compile::{Model, RaciLetter};
use procflow::project::Project;
use procflow::raci::{
    self, ActivityIssue, ColumnOrder, Format, Matrix, Options, RoleFlag, Selection, View, cross_process_matrix,
    process_matrix,
};
use procflow::source::Sources;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn load(dir: &Path) -> Model {
    let project = Project::read(dir).expect("project reads");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "{} has errors: {:?}", dir.display(), checked.diagnostics);
    checked.model
}

fn load_text(yaml: &str) -> Model {
    let mut sources = Sources::new();
    sources.add_text("models/test.yaml", yaml);
    let checked = procflow::check(&sources);
    assert!(checked.is_ok(false), "test model has errors: {:?}", checked.diagnostics);
    checked.model
}

const FORMATS: [(Format, &str); 5] = [
    (Format::Csv, "csv"),
    (Format::Markdown, "md"),
    (Format::Svg, "svg"),
    (Format::Html, "html"),
    (Format::Json, "json"),
];

/// The views the goldens cover: the cross-process matrix, every process matrix,
/// one role view per kind of role (process owner, worker, outsider).
fn golden_views(model: &Model) -> Vec<(String, Selection)> {
    let mut views = vec![("all".to_string(), Selection::All)];
    for &p in &model.processes {
        views.push((format!("process-{}", model.process(p).id), Selection::Process(p)));
    }
    for id in ["incident-manager", "service-desk-agent", "access-manager", "user"] {
        let role = model.role_by_id(id).expect("role of the example");
        views.push((format!("role-{id}"), Selection::Role(role)));
    }
    views
}

#[test]
fn every_format_matches_its_golden_file_on_the_example_models() {
    let model = load(&root());
    let dir = root().join("tests/raci");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    if update {
        fs::create_dir_all(&dir).expect("create tests/raci");
    }
    let mut failures = Vec::new();
    let mut views = golden_views(&model);
    views.push(("all-by-involvement".into(), Selection::All));
    for (name, selection) in views {
        let order = if name.ends_with("by-involvement") { ColumnOrder::Involvement } else { ColumnOrder::Model };
        let options = Options { order, ..Options::default() };
        for (format, ext) in FORMATS {
            let actual = raci::render(&model, selection, &options, format);
            let path = dir.join(format!("{name}.{ext}"));
            if update {
                fs::write(&path, &actual).expect("write golden");
                continue;
            }
            let expected = fs::read_to_string(&path).unwrap_or_default();
            if expected != actual {
                failures.push(path.display().to_string());
            }
        }
    }
    assert!(failures.is_empty(), "output differs from (UPDATE_EXPECT=1 rewrites): {failures:#?}");
}

#[test]
fn output_is_identical_across_runs() {
    let model = load(&root());
    for (_, selection) in golden_views(&model) {
        for (format, _) in FORMATS {
            let a = raci::render(&model, selection, &Options::default(), format);
            let b = raci::render(&load(&root()), selection, &Options::default(), format);
            assert_eq!(a, b);
        }
    }
}

/// (process id, activity id) → role id → letters, as the model says.
type Assignments = BTreeMap<(String, String), BTreeMap<String, String>>;

fn model_assignments(model: &Model) -> Assignments {
    let mut out = Assignments::new();
    for &p in &model.processes {
        for &a in &model.process(p).activities {
            let mut letters: BTreeMap<String, Vec<RaciLetter>> = BTreeMap::new();
            for (letter, role) in model.raci(a) {
                letters.entry(model.role(role).id.clone()).or_default().push(letter);
            }
            let cells = letters
                .into_iter()
                .map(|(role, mut ls)| {
                    // Display order: A, R, C, I.
                    ls.sort_by_key(|l| raci::Letters::ORDER.iter().position(|o| o == l));
                    ls.dedup();
                    let text: Vec<&str> = ls.into_iter().map(raci::letter_str).collect();
                    (role, text.join("/"))
                })
                .collect();
            out.insert((model.process(p).id.clone(), model.activity(a).id.clone()), cells);
        }
    }
    out
}

fn csv_assignments(model: &Model, text: &str) -> Assignments {
    let body = text.strip_prefix('\u{feff}').expect("CSV starts with a UTF-8 byte order mark");
    let mut reader = csv::ReaderBuilder::new().has_headers(true).from_reader(body.as_bytes());
    let headers = reader.headers().expect("header record").clone();
    assert_eq!(&headers.iter().take(4).collect::<Vec<_>>(), &["Process ID", "Process", "Activity ID", "Activity"]);
    let by_name: BTreeMap<&str, &str> =
        model.roles.iter().map(|r| (model.role(*r).name.as_str(), model.role(*r).id.as_str())).collect();
    let mut out = Assignments::new();
    for record in reader.records() {
        let record = record.expect("RFC 4180 record");
        assert_eq!(record.len(), headers.len());
        let mut cells = BTreeMap::new();
        for (name, value) in headers.iter().zip(record.iter()).skip(4) {
            if !value.is_empty() {
                cells.insert(by_name[name].to_string(), value.to_string());
            }
        }
        out.insert((record[0].to_string(), record[2].to_string()), cells);
    }
    out
}

#[test]
fn csv_parses_back_to_the_models_assignments() {
    let model = load(&root());
    let text = raci::render(&model, Selection::All, &Options::default(), Format::Csv);
    assert!(text.ends_with("\r\n") && !text.replace("\r\n", "").contains('\n'), "CRLF line ends");
    assert_eq!(csv_assignments(&model, &text), model_assignments(&model));
    // A process matrix holds the same rows for its own activities.
    let p = model.process_by_id("incident-management").expect("process");
    let text = raci::render(&model, Selection::Process(p), &Options::default(), Format::Csv);
    let expected: Assignments =
        model_assignments(&model).into_iter().filter(|((process, _), _)| process == "incident-management").collect();
    assert_eq!(csv_assignments(&model, &text), expected);
}

#[test]
fn role_csv_lists_every_letter_step_and_owned_process() {
    let model = load(&root());
    let role = model.role_by_id("incident-manager").expect("role");
    let View::Role(view) = raci::view(&model, Selection::Role(role), &Options::default()) else {
        panic!("a role view")
    };
    let text = raci::csv::role(&view);
    let body = text.strip_prefix('\u{feff}').expect("BOM");
    let mut reader = csv::Reader::from_reader(body.as_bytes());
    let mut kinds: BTreeMap<String, usize> = BTreeMap::new();
    for record in reader.records() {
        let record = record.expect("RFC 4180 record");
        assert_eq!(record.len(), 6);
        *kinds.entry(record[0].to_string()).or_default() += 1;
    }
    let letters: usize = view.assignments.iter().map(|g| g.activities.len()).sum();
    let steps: usize = view.workflows.iter().map(|w| w.steps.len()).sum();
    assert_eq!(kinds.get("raci"), Some(&letters));
    assert_eq!(kinds.get("step"), Some(&steps));
    assert_eq!(kinds.get("owns"), Some(&1));
}

#[test]
fn csv_parses_back_in_involvement_order_too() {
    let model = load(&root());
    let options = Options { order: ColumnOrder::Involvement, ..Options::default() };
    let text = raci::render(&model, Selection::All, &options, Format::Csv);
    assert_eq!(csv_assignments(&model, &text), model_assignments(&model));
}

/// Rasterises an SVG with resvg. Without fonts text draws nothing, so the rule
/// lines and cell fills are what must show; `fonts` loads the system's fonts
/// for pictures meant for a person.
fn rasterise(svg: &str, fonts: bool) -> resvg::tiny_skia::Pixmap {
    let mut options = resvg::usvg::Options::default();
    if fonts {
        let db = options.fontdb_mut();
        // RACI_PNG_FONT_DIR picks one folder, to see how a fallback font fits.
        let dirs = match std::env::var("RACI_PNG_FONT_DIR") {
            Ok(dir) => vec![dir],
            Err(_) => vec!["/usr/share/fonts/truetype/liberation".into(), "/usr/share/fonts/truetype/dejavu".into()],
        };
        for dir in dirs {
            for entry in fs::read_dir(dir).into_iter().flatten().flatten() {
                if let Ok(data) = fs::read(entry.path()) {
                    db.load_font_data(data);
                }
            }
        }
        let has = |family: &str| db.faces().any(|f| f.families.iter().any(|(n, _)| n == family));
        if let Some(sans) = ["Liberation Sans", "DejaVu Sans"].into_iter().find(|f| has(f)) {
            db.set_sans_serif_family(sans);
        }
    }
    let tree = resvg::usvg::Tree::from_str(svg, &options).expect("usvg parses the SVG");
    let size = tree.size().to_int_size();
    let mut pixmap = resvg::tiny_skia::Pixmap::new(size.width(), size.height()).expect("non-empty picture");
    resvg::render(&tree, resvg::tiny_skia::Transform::default(), &mut pixmap.as_mut());
    pixmap
}

fn assert_svg_is_sound(svg: &str) {
    let doc = roxmltree::Document::parse(svg).expect("the SVG is well-formed XML");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.tag_name().namespace(), Some("http://www.w3.org/2000/svg"));
    assert_eq!(root.attribute("role"), Some("img"));
    for attr in ["viewBox", "width", "height"] {
        assert!(root.attribute(attr).is_some(), "missing {attr}");
    }
    assert!(root.children().any(|n| n.has_tag_name("title")), "a <title> first");
    for node in doc.descendants().filter(|n| n.is_element()) {
        let name = node.tag_name().name();
        assert!(!matches!(name, "script" | "foreignObject" | "image" | "a" | "use" | "style"), "<{name}> found");
        for attr in node.attributes() {
            assert!(!attr.name().starts_with("on"), "event handler {}", attr.name());
            assert!(attr.name() != "href", "external reference");
            assert!(!attr.value().contains("url("), "url() reference");
        }
        if let Some(id) = node.attribute("id") {
            assert!(id.starts_with("raci-"), "unprefixed id {id}");
        }
    }
}

#[test]
fn svg_is_valid_xml_and_renders_not_blank() {
    let model = load(&root());
    let png_dir = std::env::var_os("RACI_PNG_DIR").map(PathBuf::from);
    let fixture = fixture();
    let mut svgs: Vec<(String, String)> = golden_views(&model)
        .into_iter()
        .map(|(name, selection)| (name, raci::render(&model, selection, &Options::default(), Format::Svg)))
        .collect();
    // The fixture shows the flags: highlighted counts, roles and activities to review.
    svgs.push(("fixture-all".into(), raci::render(&fixture, Selection::All, &Options::default(), Format::Svg)));
    for (name, svg) in svgs {
        assert_svg_is_sound(&svg);
        let pixmap = rasterise(&svg, false);
        let inked = pixmap.pixels().iter().filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200).count();
        assert!(inked > 500, "{name}: only {inked} non-white pixels");
        if let Some(dir) = &png_dir {
            fs::create_dir_all(dir).expect("png dir");
            rasterise(&svg, true).save_png(dir.join(format!("{name}.png"))).expect("write png");
        }
    }
}

#[test]
fn html_is_well_nested_with_captions_and_scoped_headers() {
    let model = load(&root());
    for (name, selection) in golden_views(&model) {
        let html = raci::render(&model, selection, &Options::default(), Format::Html);
        // The fragment is written XHTML-clean, so an XML parser checks the nesting.
        let doc = roxmltree::Document::parse(&html).unwrap_or_else(|e| panic!("{name}: {e}"));
        let tables: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("table")).collect();
        assert!(!tables.is_empty());
        for table in tables {
            let first = table.children().find(|n| n.is_element()).expect("table content");
            assert!(first.has_tag_name("caption"), "{name}: a table without a leading caption");
        }
        for th in doc.descendants().filter(|n| n.has_tag_name("th")) {
            assert!(matches!(th.attribute("scope"), Some("col" | "row" | "rowgroup")), "{name}: <th> without scope");
        }
        assert!(doc.descendants().any(|n| n.has_tag_name("dl")), "{name}: legend");
    }
}

/// Text of each row of the first table in `markdown`, parsed as GFM.
fn markdown_table(markdown: &str) -> Vec<Vec<String>> {
    use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag, TagEnd};
    let mut rows: Vec<Vec<String>> = Vec::new();
    let mut in_table = false;
    let mut done = false;
    for event in Parser::new_ext(markdown, MdOptions::ENABLE_TABLES) {
        match event {
            Event::Start(Tag::Table(_)) if !done => in_table = true,
            Event::End(TagEnd::Table) if in_table => {
                in_table = false;
                done = true;
            }
            Event::Start(Tag::TableHead | Tag::TableRow) if in_table => rows.push(Vec::new()),
            Event::Start(Tag::TableCell) if in_table => rows.last_mut().expect("row").push(String::new()),
            Event::Text(text) | Event::Code(text) if in_table => {
                rows.last_mut().and_then(|r| r.last_mut()).expect("cell").push_str(&text)
            }
            Event::Html(html) | Event::InlineHtml(html) => {
                panic!("raw HTML in the Markdown: {html}")
            }
            _ => {}
        }
    }
    rows
}

/// Destinations of every link in `markdown`.
fn markdown_links(markdown: &str) -> Vec<String> {
    use pulldown_cmark::{Event, Options as MdOptions, Parser, Tag};
    Parser::new_ext(markdown, MdOptions::ENABLE_TABLES)
        .filter_map(|e| match e {
            Event::Start(Tag::Link { dest_url, .. }) => Some(dest_url.to_string()),
            _ => None,
        })
        .collect()
}

#[test]
fn markdown_is_a_gfm_table_with_one_row_per_activity_and_group() {
    let model = load(&root());
    let matrix = cross_process_matrix(&model, &Options::default());
    let md = raci::markdown::matrix(&matrix);
    let rows = markdown_table(&md);
    assert_eq!(rows.len(), 1 + matrix.processes.len() + matrix.activity_count());
    assert!(rows.iter().all(|r| r.len() == 1 + model.roles.len()), "every row has every column");
    let header: Vec<&str> = rows[0].iter().map(String::as_str).collect();
    let mut expected = vec!["Activity"];
    expected.extend(model.roles.iter().map(|r| model.role(*r).name.as_str()));
    assert_eq!(header, expected);
    assert_eq!(rows[1][0], format!("{} (owner: {})", matrix.processes[0].process.name, "Change Manager"));
    assert_eq!(rows[2][0], matrix.processes[0].activities[0].name);

    let p = model.process_by_id("incident-management").expect("process");
    let matrix = process_matrix(&model, p, &Options::default());
    let rows = markdown_table(&raci::markdown::matrix(&matrix));
    assert_eq!(rows.len(), 1 + matrix.activity_count(), "a process matrix has no group rows");
    assert!(rows.iter().all(|r| r.len() == 1 + matrix.roles.len()));
}

fn fixture() -> Model {
    load(&root().join("tests/fixtures/raci-analysis"))
}

/// Role id → flags, and activity → issues, as short strings for comparison.
fn flags(matrix: &Matrix) -> (Vec<String>, Vec<String>) {
    let roles = matrix
        .analysis
        .roles
        .iter()
        .flat_map(|r| {
            r.flags.iter().map(move |f| match f {
                RoleFlag::AccountableOverload { accountable, max } => {
                    format!("{}: accountable {accountable} > {max}", r.role.id)
                }
                RoleFlag::NotResponsibleForOwnSteps { steps } => {
                    let ids: Vec<&str> = steps.iter().map(|s| s.id.as_str()).collect();
                    format!("{}: not responsible for own steps {}", r.role.id, ids.join(","))
                }
            })
        })
        .collect();
    let activities = matrix
        .analysis
        .activities
        .iter()
        .flat_map(|a| {
            a.issues.iter().map(move |i| {
                let what = match i {
                    ActivityIssue::AccountableCount { count } => format!("{count} accountable"),
                    ActivityIssue::NoResponsible => "no responsible".into(),
                    ActivityIssue::NotRealized => "not realized".into(),
                    ActivityIssue::PerformerNotResponsible { step, role } => {
                        format!("step {} performed by {}", step.id, role.id)
                    }
                };
                format!("{}/{}: {what}", a.activity.process, a.activity.id)
            })
        })
        .collect();
    (roles, activities)
}

#[test]
fn analysis_flags_exactly_the_planted_overloads_and_gaps() {
    let model = fixture();
    let (roles, activities) = flags(&cross_process_matrix(&model, &Options::default()));
    assert_eq!(
        roles,
        [
            "chief: accountable 9 > 8",
            "ghost-writer: not responsible for own steps draft-review",
            "approver: not responsible for own steps sign-off",
        ]
    );
    assert_eq!(
        activities,
        [
            "operations/op-9: not realized",
            "planning/pl-8: not realized",
            "review/rv-1: step draft-review performed by ghost-writer",
        ]
    );
    // Per process: the same findings, limited to the process.
    let operations = process_matrix(&model, model.process_by_id("operations").expect("process"), &Options::default());
    assert_eq!(
        flags(&operations),
        (vec!["chief: accountable 9 > 8".into()], vec!["operations/op-9: not realized".into()])
    );
    let planning = process_matrix(&model, model.process_by_id("planning").expect("process"), &Options::default());
    assert_eq!(flags(&planning), (vec![], vec!["planning/pl-8: not realized".into()]));
    // The counts behind the flags.
    let matrix = cross_process_matrix(&model, &Options::default());
    let counts: Vec<(&str, [usize; 4])> = matrix
        .analysis
        .roles
        .iter()
        .map(|r| (r.role.id.as_str(), [r.counts.r, r.counts.a, r.counts.c, r.counts.i]))
        .collect();
    assert_eq!(
        counts,
        [
            ("chief", [0, 9, 0, 0]),
            ("deputy", [0, 8, 0, 0]),
            ("clerk", [19, 0, 0, 0]),
            ("ghost-writer", [0, 0, 1, 0]),
            ("approver", [0, 2, 0, 0]),
            ("courier", [0, 0, 0, 0]),
            ("observer", [0, 0, 0, 1]),
        ]
    );
}

#[test]
fn role_view_carries_the_model_wide_flags_of_the_role() {
    let model = fixture();
    let role = model.role_by_id("ghost-writer").expect("role");
    let View::Role(view) = raci::view(&model, Selection::Role(role), &Options::default()) else {
        panic!("a role view")
    };
    assert_eq!(view.summary.flags.len(), 1);
    assert_eq!(view.workflows[0].steps[0].step.href, "workflows/month-end.html#step-draft-review");
    let json: serde_json::Value = serde_json::from_str(&raci::json::role(&view)).expect("role view JSON parses");
    assert_eq!(json["summary"]["flags"][0]["kind"], "not-responsible-for-own-steps");
    assert_eq!(json["assignments"][0]["activities"][0]["letters"], serde_json::json!(["C"]));
}

#[test]
fn json_mirrors_the_model_format_and_carries_the_analysis() {
    let model = fixture();
    let json: serde_json::Value =
        serde_json::from_str(&raci::render(&model, Selection::All, &Options::default(), Format::Json))
            .expect("JSON parses");
    assert_eq!(json["kind"], "cross-process");
    let rv1 = &json["processes"][2]["activities"][0];
    assert_eq!(rv1["id"], "rv-1");
    assert_eq!(rv1["raci"], serde_json::json!({"R": ["clerk"], "A": ["approver"], "C": ["ghost-writer"], "I": []}));
    assert_eq!(json["analysis"]["max_accountable"], 8);
    assert_eq!(json["analysis"]["roles"][0]["flags"][0]["kind"], "accountable-overload");
    assert_eq!(json["analysis"]["activities"][2]["issues"][0]["kind"], "performer-not-responsible");
}

const HOSTILE: &str = r#"
roles:
  - id: evil
    name: "<script>&\"|,"
  - id: plain
    name: "*Plain* [role](javascript:alert(1)) `x`"
process:
  id: p
  name: "Process </table> & co"
  owner: evil
  activities:
    - id: a
      name: "Line\nbreak, \"quoted\" | piped"
      raci: { R: plain, A: evil }
workflow:
  id: w
  name: "W <b>"
  steps:
    - { id: s, type: start, lane: plain }
    - { id: t, name: "Do <it>", realizes: [p/a] }
    - { id: e, type: end }
"#;

const EVIL: &str = "<script>&\"|,";

#[test]
fn hostile_names_are_escaped_in_every_format() {
    let model = load_text(HOSTILE);
    let evil = model.role_by_id("evil").expect("role");
    let p = model.process_by_id("p").expect("process");
    for selection in [Selection::All, Selection::Process(p), Selection::Role(evil)] {
        let options = Options::default();
        // HTML: no markup from the model, only the escaped text.
        let html = raci::render(&model, selection, &options, Format::Html);
        assert!(!html.contains("<script") && !html.contains("</table> &") && !html.contains("<b>"));
        assert!(html.contains("&lt;script&gt;&amp;&quot;|,"), "{html}");
        // SVG: still XML, and the text reads as written.
        let svg = raci::render(&model, selection, &options, Format::Svg);
        assert_svg_is_sound(&svg);
        let doc = roxmltree::Document::parse(&svg).expect("XML");
        let text: String = doc.descendants().filter_map(|n| n.text()).collect();
        assert!(text.contains(EVIL), "SVG text lost the name: {text}");
        // JSON: the name round-trips.
        let json = raci::render(&model, selection, &options, Format::Json);
        assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
        assert!(json.contains(r#""<script>&\"|,""#));
        // Markdown: no raw HTML (checked by the parser), no broken table.
        let md = raci::render(&model, selection, &options, Format::Markdown);
        let rows = markdown_table(&md);
        let width = rows[0].len();
        assert!(rows.iter().all(|r| r.len() == width), "{md}");
        assert!(rows.iter().flatten().any(|c| c.contains(EVIL)) || md.contains("\\<script\\>"), "{md}");
        assert!(markdown_links(&md).iter().all(|l| !l.contains("javascript")), "a live link: {md}");
    }
    // CSV: the names come back whole.
    let csv_text = raci::render(&model, Selection::All, &Options::default(), Format::Csv);
    let mut reader = csv::Reader::from_reader(csv_text.trim_start_matches('\u{feff}').as_bytes());
    let headers = reader.headers().expect("headers").clone();
    assert_eq!(&headers[4], EVIL);
    let record = reader.records().next().expect("one row").expect("valid");
    assert_eq!(&record[3], "Line\nbreak, \"quoted\" | piped");
    assert_eq!(&record[4], "A");
    // Markdown: the header cell reads exactly the role name.
    let md = raci::render(&model, Selection::All, &Options::default(), Format::Markdown);
    assert_eq!(markdown_table(&md)[0][1], EVIL);
}

#[test]
fn long_names_wrap_inside_the_svg_instead_of_overflowing() {
    let long = "Very long activity name ".repeat(12);
    let yaml = format!(
        "roles:\n  - {{ id: r, name: \"{}\" }}\nprocess:\n  id: p\n  name: P\n  activities:\n    - {{ id: a, name: \"{long}\", raci: {{ R: r, A: r }} }}\n",
        "Role with a name much longer than any column should be ".repeat(3)
    );
    let model = load_text(&yaml);
    let svg = raci::render(&model, Selection::All, &Options::default(), Format::Svg);
    let doc = roxmltree::Document::parse(&svg).expect("XML");
    let width: f64 = doc.root_element().attribute("width").and_then(|w| w.parse().ok()).expect("width");
    assert!(width < 900.0, "the SVG grew to {width} px instead of wrapping");
    let texts = doc.descendants().filter(|n| n.has_tag_name("text")).count();
    assert!(texts > 10, "the long names were wrapped over several lines");
    if let Some(dir) = std::env::var_os("RACI_PNG_DIR").map(PathBuf::from) {
        fs::create_dir_all(&dir).expect("png dir");
        rasterise(&svg, true).save_png(dir.join("long-names.png")).expect("write png");
        let hostile = load_text(HOSTILE);
        let svg = raci::render(&hostile, Selection::All, &Options::default(), Format::Svg);
        rasterise(&svg, true).save_png(dir.join("hostile.png")).expect("write png");
    }
}

fn procflow() -> Command {
    let mut cmd = Command::cargo_bin("procflow").expect("binary builds");
    cmd.env("NO_COLOR", "1");
    cmd
}

#[test]
fn cli_prints_the_markdown_cross_process_matrix_by_default() {
    let expected = raci::render(&load(&root()), Selection::All, &Options::default(), Format::Markdown);
    let out = procflow().arg("raci").current_dir(root()).output().expect("runs");
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), expected);
}

#[test]
fn cli_writes_the_chosen_format_to_a_file() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("incident.svg");
    procflow()
        .args(["raci", "--process", "incident-management", "--format", "svg", "-o"])
        .arg(&path)
        .arg(root())
        .assert()
        .success()
        .stdout("");
    let model = load(&root());
    let process = model.process_by_id("incident-management").expect("process");
    let expected = raci::render(&model, Selection::Process(process), &Options::default(), Format::Svg);
    assert_eq!(fs::read_to_string(&path).expect("written"), expected);
}

#[test]
fn cli_unknown_id_is_a_usage_error_with_a_hint() {
    procflow()
        .args(["raci", "--process", "incident-managment"])
        .arg(root())
        .assert()
        .code(2)
        .stdout("")
        .stderr(predicates::str::contains("did you mean \"incident-management\""));
    procflow()
        .args(["raci", "--role", "incident-manger"])
        .arg(root())
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean \"incident-manager\""));
}

#[test]
fn cli_rejects_two_selections() {
    procflow().args(["raci", "--all", "--role", "user"]).arg(root()).assert().code(2);
}

#[test]
fn cli_model_with_errors_prints_diagnostics_and_no_output() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::create_dir(dir.path().join("models")).expect("models");
    fs::write(
        dir.path().join("models/bad.yaml"),
        "roles:\n  - { id: r, name: R }\nprocess:\n  id: p\n  name: P\n  activities:\n    - { id: a, name: A, raci: { R: r } }\n",
    )
    .expect("write");
    procflow()
        .args(["raci", "--format", "csv"])
        .arg(dir.path())
        .assert()
        .code(1)
        .stdout("")
        .stderr(predicates::str::contains("E0301"));
}
