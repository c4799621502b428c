//! BPMN 2.0 XML interchange: a workflow as a `.bpmn` file that Camunda
//! Modeler, bpmn.io, Signavio and other BPMN 2.0 tools open, and a `.bpmn`
//! file from those tools as procflow YAML ([`import()`]).
//!
//! This module owns the mapping between procflow's compiled model and the
//! OMG BPMN 2.0 interchange format: which BPMN element each step becomes, the
//! element ids derived from model ids, and the diagram interchange (BPMNDI)
//! written from the layout's own coordinates, so the picture in another tool
//! matches procflow's SVG. The export reads only the compiled [`Model`] and a
//! laid-out [`Diagram`]; it must not read YAML, lay anything out, measure
//! text, touch the disk or mutate its inputs. Output is byte-for-byte
//! deterministic. The import reads bytes and writes YAML text (checked
//! afterwards by the normal pipeline) and warnings; it does no I/O either.
//!
//! [`Model`]: crate::compile::Model
//! [`Diagram`]: crate::layout::Diagram

mod export;
mod import;

pub use export::export;
pub use import::{ImportError, Imported, ImportedFile, Loss, MAX_INPUT_BYTES, Warning, import};

/// The BPMN 2.0 semantic namespace (`bpmn:` prefix in exported files).
pub const MODEL_NS: &str = "http://www.omg.org/spec/BPMN/20100524/MODEL";
/// The BPMN 2.0 diagram interchange namespace (`bpmndi:`).
pub const BPMNDI_NS: &str = "http://www.omg.org/spec/BPMN/20100524/DI";
/// The OMG diagram-definition common namespace (`dc:`: bounds, points).
pub const DC_NS: &str = "http://www.omg.org/spec/DD/20100524/DC";
/// The OMG diagram-definition interchange namespace (`di:`: waypoints).
pub const DI_NS: &str = "http://www.omg.org/spec/DD/20100524/DI";
/// XML Schema instance, for `xsi:type="bpmn:tFormalExpression"`.
pub const XSI_NS: &str = "http://www.w3.org/2001/XMLSchema-instance";

/// The id of the `process` element that a workflow's export holds:
/// `Process_<workflow id>`. A call activity that calls the workflow names it
/// in `calledElement`, so the reference resolves in the called workflow's own
/// `.bpmn` file.
pub fn process_id(workflow_id: &str) -> String {
    format!("Process_{}", ncname(workflow_id))
}

/// A model id made safe inside an XML `NCName`: ASCII letters, digits, `-`,
/// `_` and `.` are kept, anything else becomes `_`. Every id procflow writes
/// starts with a letter prefix (`Step_`, `Flow_`, …), so the result never has
/// to start with a letter itself.
pub(crate) fn ncname(id: &str) -> String {
    id.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncname_keeps_model_ids_and_replaces_the_rest() {
        assert_eq!(ncname("log-incident_2"), "log-incident_2");
        assert_eq!(ncname("a b/c:d"), "a_b_c_d");
        assert_eq!(ncname("Zürich"), "Z_rich");
        assert_eq!(process_id("major-incident"), "Process_major-incident");
    }
}
