//! Fuzz the `drift` export readers, the comparison and the import: the
//! first byte picks the format, the rest is the export; the bundled example
//! model is compared with whatever was read, and each read Jira workflow is
//! imported as YAML and checked.

#![no_main]

use libfuzzer_sys::fuzz_target;
use procflow::drift::{ExportFormat, drift, import, read_export};
use procflow::source::Sources;

const MODEL: &str = include_str!("../../models/incident/workflow.yaml");
const ROLES: &str = include_str!("../../models/roles.yaml");

fuzz_target!(|data: &[u8]| {
    let Some((selector, export)) = data.split_first() else { return };
    let format = match selector % 3 {
        0 => ExportFormat::JiraXml,
        1 => ExportFormat::JiraCloud,
        _ => ExportFormat::ServiceNow,
    };
    let mut sources = Sources::new();
    sources.add_text("models/roles.yaml", ROLES);
    sources.add_text("models/incident/workflow.yaml", MODEL);
    let checked = procflow::check(&sources);
    let file = sources.add_bytes("exports/IT Incident Workflow.xml", export.to_vec());
    let Ok(read) = read_export(format, &sources, file) else { return };
    let findings = drift(&checked.model, std::slice::from_ref(&read), &sources);
    for finding in &findings {
        let _ = procflow::diagnostic::render_human(finding, &sources, false);
    }
    for workflow in &read.workflows {
        let mut imported = Sources::new();
        imported.add_text("models/imported.yaml", import(workflow).yaml);
        let _ = procflow::check(&imported);
    }
});
