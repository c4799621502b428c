//! ServiceNow state choice lists and state flows: `sys_choice` and
//! `sf_state_flow` records, as the XML record export writes them
//! (`<unload><sys_choice>` with one child element per field, also inside
//! update-set payloads) or as the Table API returns them (`{"result":
//! [{…}]}`, fields as texts or as `{value, display_value}`).
//! A choice record has `name` (the table), `element` (the field), `value`,
//! `label` and `inactive`; the active choices of a table's `state` field
//! are that table's statuses. A state flow record has `table`,
//! `starting_state` and `ending_state` (choice values; no starting state:
//! reached from any state), `name` and `active`; where an export holds
//! state flows, they are the table's transitions. One file may hold both,
//! or each its own: `drift` joins a table's records across the exports.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{Locator, text_field};
use super::xml::{child_text, element_span};
use super::{FromStatus, Positions, ToolStatus, ToolTransition, ToolWorkflow, not_the_format};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// The field whose choices are a table's states.
const STATE_FIELD: &str = "state";

/// One record's fields: a choice or a state flow.
struct Record {
    kind: RecordKind,
    /// The choice's table (`name`) or the state flow's (`table`).
    table: String,
    element: String,
    value: String,
    label: String,
    /// The state flow's `starting_state` and `ending_state`.
    from: String,
    to: String,
    /// `inactive` of a choice, `active: false` of a state flow.
    inactive: bool,
    span: Span,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum RecordKind {
    Choice,
    StateFlow,
}

/// The record tags (XML) this reader takes, and what each is.
const KINDS: [(&str, RecordKind); 2] = [("sys_choice", RecordKind::Choice), ("sf_state_flow", RecordKind::StateFlow)];

/// Reads every table's state choices and state flows, in the order of each
/// table's first record.
pub fn read(text: &str, file: FileId) -> Result<Vec<ToolWorkflow>, Box<Diagnostic>> {
    let records = if text.trim_start().starts_with('<') { from_xml(text, file)? } else { from_json(text, file)? };
    let mut tables: Vec<ToolWorkflow> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let wanted = |r: &Record| !r.inactive && (r.kind == RecordKind::StateFlow || r.element == STATE_FIELD);
    for record in records.into_iter().filter(wanted) {
        let at = *index.entry(record.table.clone()).or_insert_with(|| {
            tables.push(ToolWorkflow {
                name: record.table.clone(),
                span: record.span,
                statuses: Vec::new(),
                transitions: None,
            });
            tables.len() - 1
        });
        let table = &mut tables[at];
        match record.kind {
            RecordKind::Choice => table.statuses.push(ToolStatus {
                id: record.value,
                name: record.label,
                approval: None,
                span: record.span,
            }),
            RecordKind::StateFlow => table.transitions.get_or_insert_with(Vec::new).push(ToolTransition {
                id: record.value,
                name: record.label,
                from: if record.from.is_empty() { FromStatus::Any } else { FromStatus::Status(record.from) },
                to: record.to,
                admits: None,
                span: record.span,
            }),
        }
    }
    Ok(tables)
}

/// The `sys_choice` and `sf_state_flow` elements of a record export,
/// wherever they are nested.
fn from_xml(text: &str, file: FileId) -> Result<Vec<Record>, Box<Diagnostic>> {
    let document = super::xml::parse(text, file)?;
    let positions = Positions::new(file, text);
    let records: Vec<Record> = document
        .descendants()
        .filter_map(|n| {
            let (_, kind) = KINDS.iter().find(|(tag, _)| n.has_tag_name(*tag))?;
            let field = |name: &str| child_text(n, name).unwrap_or_default();
            match kind {
                RecordKind::Choice if child_text(n, "element").is_none() => None,
                RecordKind::StateFlow if child_text(n, "ending_state").is_none() => None,
                _ => Some(record(*kind, &field, element_span(&positions, n))),
            }
        })
        .collect();
    if records.is_empty() {
        return Err(not_the_format(
            file,
            text,
            "not a ServiceNow export: it holds no <sys_choice> or <sf_state_flow> record",
        ));
    }
    Ok(records)
}

/// A record of `kind` from its fields.
fn record(kind: RecordKind, field: &dyn Fn(&str) -> String, span: Span) -> Record {
    match kind {
        RecordKind::Choice => Record {
            kind,
            table: field("name"),
            element: field("element"),
            value: field("value"),
            label: field("label"),
            from: String::new(),
            to: String::new(),
            inactive: field("inactive") == "true",
            span,
        },
        RecordKind::StateFlow => Record {
            kind,
            table: field("table"),
            element: String::new(),
            value: Some(field("sys_id")).filter(|id| !id.is_empty()).unwrap_or_else(|| field("name")),
            label: field("name"),
            from: field("starting_state"),
            to: field("ending_state"),
            inactive: field("active") == "false",
            span,
        },
    }
}

/// The records of a Table API response (`result`), or a bare list of them.
fn from_json(text: &str, file: FileId) -> Result<Vec<Record>, Box<Diagnostic>> {
    let value = super::json::parse(text, file)?;
    let records = match &value {
        Value::Array(records) => Some(records),
        Value::Object(_) => value.get("result").and_then(Value::as_array),
        _ => None,
    };
    let Some(records) = records else {
        return Err(not_the_format(file, text, "not a ServiceNow Table API export: it needs a `result` list"));
    };
    let positions = Positions::new(file, text);
    let mut locator = Locator::new(&positions);
    Ok(records
        .iter()
        .map(|entry| {
            let field = |key: &str| text_field(entry, key).unwrap_or_default();
            let kind = if entry.get("ending_state").is_some() { RecordKind::StateFlow } else { RecordKind::Choice };
            let sys_id = field("sys_id");
            let span = if sys_id.is_empty() {
                let key = if kind == RecordKind::Choice { "value" } else { "ending_state" };
                locator.next(key, &field(key))
            } else {
                locator.next("sys_id", &sys_id)
            };
            record(kind, &field, span)
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_flows_are_the_tables_transitions() {
        let xml = r#"<unload>
  <sys_choice><name>incident</name><element>state</element><value>1</value><label>New</label></sys_choice>
  <sf_state_flow><table>incident</table><name>Start</name><sys_id>a1</sys_id><starting_state>1</starting_state><ending_state>2</ending_state></sf_state_flow>
  <sf_state_flow><table>incident</table><name>Cancel</name><starting_state/><ending_state>8</ending_state></sf_state_flow>
  <sf_state_flow><table>incident</table><name>Old</name><active>false</active><starting_state>1</starting_state><ending_state>3</ending_state></sf_state_flow>
</unload>"#;
        let tables = read(xml, FileId(0)).expect("reads");
        let [table] = tables.as_slice() else { panic!("one table") };
        assert_eq!(table.statuses.len(), 1);
        let transitions = table.transitions.as_ref().expect("state flows read");
        let shape: Vec<(&str, FromStatus, &str)> =
            transitions.iter().map(|t| (t.id.as_str(), t.from.clone(), t.to.as_str())).collect();
        // No starting state: reached from any state; the inactive one is left out;
        // a flow without sys_id is named by its name.
        assert_eq!(shape, [("a1", FromStatus::Status("1".into()), "2"), ("Cancel", FromStatus::Any, "8")]);
        assert!(transitions.iter().all(|t| t.admits.is_none()));
    }

    #[test]
    fn a_choice_list_alone_holds_no_transitions_and_json_state_flows_are_read() {
        let choices = r#"{"result": [{"name": "incident", "element": "state", "value": "1", "label": "New"}]}"#;
        let tables = read(choices, FileId(0)).expect("reads");
        assert!(tables[0].transitions.is_none());
        assert_eq!(tables[0].statuses[0].approval, None, "a choice list cannot say");
        let flows = r#"{"result": [{"table": "incident", "name": "Start",
            "starting_state": {"value": "1", "display_value": "New"}, "ending_state": "2"}]}"#;
        let tables = read(flows, FileId(0)).expect("reads");
        let transitions = tables[0].transitions.as_ref().expect("state flows");
        assert_eq!((transitions[0].from.clone(), transitions[0].to.as_str()), (FromStatus::Status("1".into()), "2"));
        assert_eq!(transitions[0].span.line, 2, "placed at its `ending_state`");
    }
}
