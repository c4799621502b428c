//! What the two JSON readers (Jira Cloud, ServiceNow Table API) share:
//! parsing under the limits, and finding where a value was written.
//!
//! serde_json's values carry no positions, so [`Locator`] finds an entry's
//! place by its `"key": "value"` text, searching forward from the previous
//! entry's place: entries are read in the order they are written, so the
//! place found is the entry's own even when another entry elsewhere has the
//! same value.

use serde_json::Value;

use super::{Positions, limits, span_at_line, unreadable_at};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::{FileId, Span};

/// Parses `text` as JSON under the depth limit.
pub fn parse(text: &str, file: FileId) -> Result<Value, Box<Diagnostic>> {
    if let Some(offset) = limits::json_too_deep(text, limits::MAX_DEPTH) {
        let message = format!("the export nests arrays and objects more than {} deep", limits::MAX_DEPTH);
        return Err(Box::new(unreadable_at(file, text, offset, message)));
    }
    serde_json::from_str(text).map_err(|err| {
        let span = span_at_line(file, text, err.line(), err.column());
        Box::new(Diagnostic::new(Code::ExportUnreadable, span, format!("the export is not valid JSON: {err}")))
    })
}

/// A text field of a JSON object: a string, a number, or (ServiceNow with
/// display values) an object whose `value` is one.
pub fn text_field(object: &Value, key: &str) -> Option<String> {
    match object.get(key)? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        nested @ Value::Object(_) => text_field(nested, "value"),
        _ => None,
    }
}

/// Finds where entries were written, moving forward through the text.
pub struct Locator<'a> {
    positions: &'a Positions<'a>,
    cursor: usize,
}

impl<'a> Locator<'a> {
    pub fn new(positions: &'a Positions<'a>) -> Self {
        Locator { positions, cursor: 0 }
    }

    /// The span of the next `"key": "value"` (or `"key": value`) at or after
    /// the cursor, which moves there; the cursor's place when not found.
    pub fn next(&mut self, key: &str, value: &str) -> Span {
        let quoted_key = format!("\"{key}\"");
        let text = self.positions.text;
        let mut from = self.cursor;
        while let Some(found) = text.get(from..).and_then(|rest| rest.find(&quoted_key)) {
            let key_at = from + found;
            let after = text[key_at + quoted_key.len()..].trim_start();
            let after = after.strip_prefix(':').map(str::trim_start).unwrap_or("");
            let bare = after.strip_prefix('"').unwrap_or(after);
            let rest = bare.strip_prefix(value);
            if rest.is_some_and(|r| r.starts_with(['"', ',', '}', ']', ' ', '\n', '\r', '\t']) || r.is_empty()) {
                self.cursor = key_at + quoted_key.len();
                return self.positions.span(key_at, quoted_key.len());
            }
            from = key_at + quoted_key.len();
        }
        self.positions.span(self.cursor, 0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_locator_finds_entries_in_order_and_whole_values_only() {
        let text = "{\"a\": [{\"id\": \"10\"}, {\"id\": \"1\"},\n {\"id\": 1}]}";
        let positions = Positions::new(FileId(0), text);
        let mut locator = Locator::new(&positions);
        assert_eq!(locator.next("id", "1").column, 23, "not the \"10\" before it");
        let last = text.rfind("\"id\"").expect("key");
        assert_eq!((locator.next("id", "1").start, locator.cursor), (last, last + 4), "a bare number too");
        // Not found: the cursor's place, which does not move.
        assert_eq!((locator.next("id", "2").start, locator.cursor), (last + 4, last + 4));
    }

    #[test]
    fn text_fields_read_numbers_and_display_value_objects() {
        let value: Value =
            serde_json::from_str(r#"{"a": 3, "b": {"value": "x", "display_value": "X"}, "c": []}"#).expect("JSON");
        assert_eq!(text_field(&value, "a").as_deref(), Some("3"));
        assert_eq!(text_field(&value, "b").as_deref(), Some("x"));
        assert_eq!(text_field(&value, "c"), None);
    }
}
