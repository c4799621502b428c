//! ServiceNow state choice lists: `sys_choice` records, as the XML record
//! export writes them (`<unload><sys_choice>` with one child element per
//! field, also inside update-set payloads) or as the Table API returns them
//! (`{"result": [{…}]}`, fields as texts or as `{value, display_value}`).
//! Each record has `name` (the table), `element` (the field), `value`,
//! `label` and `inactive`; the active choices of a table's `state` field
//! are that table's statuses. Choice lists hold no transitions.

use std::collections::BTreeMap;

use serde_json::Value;

use super::json::{Locator, text_field};
use super::xml::{child_text, element_span};
use super::{Positions, ToolStatus, ToolWorkflow, not_the_format};
use crate::diagnostic::Diagnostic;
use crate::source::{FileId, Span};

/// The field whose choices are a table's states.
const STATE_FIELD: &str = "state";

/// One choice record's fields.
struct Choice {
    table: String,
    element: String,
    value: String,
    label: String,
    inactive: bool,
    span: Span,
}

/// Reads every table's state choices, in the order of each table's first choice.
pub fn read(text: &str, file: FileId) -> Result<Vec<ToolWorkflow>, Box<Diagnostic>> {
    let choices = if text.trim_start().starts_with('<') { from_xml(text, file)? } else { from_json(text, file)? };
    let mut tables: Vec<ToolWorkflow> = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    for choice in choices.into_iter().filter(|c| c.element == STATE_FIELD && !c.inactive) {
        let at = *index.entry(choice.table.clone()).or_insert_with(|| {
            tables.push(ToolWorkflow {
                name: choice.table.clone(),
                span: choice.span,
                statuses: Vec::new(),
                transitions: None,
            });
            tables.len() - 1
        });
        tables[at].statuses.push(ToolStatus { id: choice.value, name: choice.label, span: choice.span });
    }
    Ok(tables)
}

/// The `sys_choice` elements of a record export, wherever they are nested.
fn from_xml(text: &str, file: FileId) -> Result<Vec<Choice>, Box<Diagnostic>> {
    let document = super::xml::parse(text, file)?;
    let positions = Positions::new(file, text);
    let records: Vec<Choice> = document
        .descendants()
        .filter(|n| n.has_tag_name("sys_choice") && child_text(*n, "element").is_some())
        .map(|n| Choice {
            table: child_text(n, "name").unwrap_or_default(),
            element: child_text(n, "element").unwrap_or_default(),
            value: child_text(n, "value").unwrap_or_default(),
            label: child_text(n, "label").unwrap_or_default(),
            inactive: child_text(n, "inactive").as_deref() == Some("true"),
            span: element_span(&positions, n),
        })
        .collect();
    if records.is_empty() {
        return Err(not_the_format(file, text, "not a ServiceNow choice export: it holds no <sys_choice> record"));
    }
    Ok(records)
}

/// The records of a Table API response (`result`), or a bare list of them.
fn from_json(text: &str, file: FileId) -> Result<Vec<Choice>, Box<Diagnostic>> {
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
        .map(|record| {
            let field = |key: &str| text_field(record, key).unwrap_or_default();
            let sys_id = field("sys_id");
            let span = if sys_id.is_empty() {
                locator.next("value", &field("value"))
            } else {
                locator.next("sys_id", &sys_id)
            };
            Choice {
                table: field("name"),
                element: field("element"),
                value: field("value"),
                label: field("label"),
                inactive: field("inactive") == "true",
                span,
            }
        })
        .collect())
}
