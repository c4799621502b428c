//! Incremental rebuilds (what `serve` and `build --watch` run) give exactly
//! the site a clean build gives, after every kind of edit, while rendering
//! only the pages an edit can change.

use crate::example;
use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::{Path, PathBuf};

use example::{edit, example_copy};

use procflow::project::Project;
use procflow::watch::{Outcome, Rebuilder};

fn clean_build(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let project = Project::read(dir).expect("project");
    let checked = procflow::check(&project.sources);
    assert!(checked.is_ok(false), "the edited example still checks");
    let site = procflow::site::build(&checked, &project.sources).expect("site");
    site.files.into_iter().map(|f| (f.path, f.bytes)).collect()
}

/// The site as a server holds it: every delta applied in order.
#[derive(Default)]
struct Served {
    files: BTreeMap<String, Vec<u8>>,
}

/// What one rebuild published.
struct Step {
    outcome: Outcome,
    /// Paths of the files published in the first phase (the changed entities).
    first_phase: Vec<String>,
}

impl Served {
    fn rebuild(&mut self, rebuilder: &mut Rebuilder, touched: &[PathBuf]) -> Step {
        let touched: HashSet<PathBuf> = touched.iter().cloned().collect();
        let mut phases = Vec::new();
        let outcome = rebuilder
            .rebuild(&touched, false, &mut |delta| {
                phases.push(delta.files.iter().map(|f| f.path.clone()).collect::<Vec<_>>());
                for file in delta.files {
                    self.files.insert(file.path, file.bytes);
                }
                for path in delta.removed {
                    assert!(self.files.remove(&path).is_some(), "{path} removed but never published");
                }
            })
            .expect("rebuild");
        Step { outcome, first_phase: phases.into_iter().next().unwrap_or_default() }
    }
}

#[test]
fn rebuilds_after_edits_equal_clean_builds() {
    let dir = example_copy();
    let root = dir.path();
    let models = root.join("models");
    let mut rebuilder = Rebuilder::new(root);
    let mut served = Served::default();
    let first = served.rebuild(&mut rebuilder, &[]);
    assert!(matches!(first.outcome, Outcome::Built { .. }));
    assert_eq!(served.files, clean_build(root), "first build");
    let total = served.files.len();

    let check = |served: &Served, what: &str| {
        let clean = clean_build(root);
        let differing: Vec<&String> = clean
            .keys()
            .chain(served.files.keys())
            .filter(|p| clean.get(*p) != served.files.get(*p))
            .collect::<std::collections::BTreeSet<_>>()
            .into_iter()
            .collect();
        assert!(differing.is_empty(), "after {what}, these files differ from a clean build: {differing:?}");
    };

    // A step name: only that workflow, the pages naming the step, the index.
    let workflow = models.join("incident/workflow.yaml");
    edit(&workflow, "name: Identify incident", "name: Identify the incident");
    let step = served.rebuild(&mut rebuilder, std::slice::from_ref(&workflow));
    check(&served, "renaming a step");
    assert!(step.first_phase.contains(&"workflows/incident-handling.html".to_string()));
    assert!(!step.first_phase.contains(&"workflows/change-ticket.html".to_string()), "{:?}", step.first_phase);
    assert!(step.first_phase.len() * 3 < total, "{} of {total} files rendered again", step.first_phase.len());
    assert!(
        String::from_utf8_lossy(&served.files["workflows/incident-handling.svg"]).contains("Identify the"),
        "the diagram shows the new name"
    );

    // A role name shows in lanes of several workflows and in RACI matrices.
    edit(&models.join("roles.yaml"), "name: User\n", "name: End user\n");
    served.rebuild(&mut rebuilder, &[models.join("roles.yaml")]);
    check(&served, "renaming a role");

    // An activity name shows on the pages of the workflows realizing it.
    edit(&models.join("incident/process.yaml"), "name: Incident Identification", "name: Spot incidents");
    served.rebuild(&mut rebuilder, &[]);
    check(&served, "renaming an activity");

    // A new file with a workflow that calls another: the called workflow's
    // page lists its new caller.
    let extra = models.join("extra.yaml");
    fs::write(
        &extra,
        "workflow:\n  id: escalate-quickly\n  name: Escalate quickly\n  steps:\n    - id: go\n      type: start\n      lane: incident-manager\n    - id: call\n      type: subprocess\n      name: Run the major incident procedure\n      calls: major-incident\n    - id: ask\n      name: Ask the supplier\n      lane: supplier\n      realizes: [vendor-management/chase]\n    - id: done\n      type: end\n",
    )
    .expect("write");
    let vendor = models.join("vendor.yaml");
    fs::write(
        &vendor,
        "process:\n  id: vendor-management\n  name: Vendor management\n  activities:\n    - id: chase\n      name: Chase the vendor\n      raci:\n        R: incident-manager\n        A: incident-manager\n        C: vendor-contact\n",
    )
    .expect("write");
    let vendor_roles = models.join("vendor-roles.yaml");
    fs::write(&vendor_roles, "roles:\n  - id: vendor-contact\n    name: Vendor contact\n").expect("write");
    served.rebuild(&mut rebuilder, std::slice::from_ref(&extra));
    check(&served, "adding a workflow file and a process file");
    assert!(served.files.contains_key("workflows/escalate-quickly.html"));

    // Two edges away: the supplier holds no RACI letter in the vendor
    // process's file, yet its role page names the activity its step realizes.
    edit(&vendor, "name: Chase the vendor", "name: Chase the vendor again");
    served.rebuild(&mut rebuilder, &[]);
    check(&served, "renaming an activity performed by a role without a letter for it");
    assert!(String::from_utf8_lossy(&served.files["roles/supplier.html"]).contains("Chase the vendor again"));

    // Two edges from the workflow's steps, in a file of its own: a role with
    // no lane there, named in a step's details as a RACI holder of the
    // activity the step realizes.
    edit(&vendor_roles, "name: Vendor contact", "name: Vendor liaison");
    served.rebuild(&mut rebuilder, std::slice::from_ref(&vendor_roles));
    check(&served, "renaming a RACI holder without a lane");
    let page = String::from_utf8_lossy(&served.files["workflows/escalate-quickly.html"]).into_owned();
    assert!(page.contains(">Vendor liaison</a>"), "the step details name the holder");

    // A broken save publishes nothing and keeps the site.
    let before = served.files.clone();
    let good = fs::read_to_string(&workflow).expect("read");
    fs::write(&workflow, format!("{good}\n  steps: [")).expect("write");
    let broken = served.rebuild(&mut rebuilder, std::slice::from_ref(&workflow));
    match broken.outcome {
        Outcome::Rejected { report, json } => {
            assert!(report.contains("models/incident/workflow.yaml:"), "{report}");
            assert!(json.contains("\"line\""), "{json}");
        }
        Outcome::Built { .. } => panic!("a broken file must not build"),
    }
    assert_eq!(served.files, before, "the last good site stays");

    // Fixing it and deleting the extra workflow removes its files.
    fs::write(&workflow, good).expect("write");
    fs::remove_file(&extra).expect("remove");
    served.rebuild(&mut rebuilder, &[workflow.clone(), extra.clone()]);
    check(&served, "fixing the file and deleting a workflow");
    assert!(!served.files.contains_key("workflows/escalate-quickly.html"));

    // Settings reach every page (title) and the downloads (formats).
    edit(&root.join("procflow.yaml"), "formats: [svg, bpmn]", "formats: [svg, png]");
    edit(&root.join("procflow.yaml"), "title: IT Service Management Processes", "title: Service handbook");
    served.rebuild(&mut rebuilder, &[root.join("procflow.yaml")]);
    check(&served, "changing the settings");
    assert!(served.files.contains_key("workflows/incident-handling.png"));
    assert!(!served.files.contains_key("workflows/incident-handling.bpmn"));

    // Saving without a change renders no entity page again.
    let text = fs::read_to_string(&workflow).expect("read");
    fs::write(&workflow, text).expect("write");
    let unchanged = served.rebuild(&mut rebuilder, std::slice::from_ref(&workflow));
    assert_eq!(unchanged.first_phase, ["assets/search-index.js"], "only the index is assembled again");
    check(&served, "saving an unchanged file");
}
