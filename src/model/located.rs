//! Values that remember where they were written, and the format's short forms.
//!
//! [`Located`] wraps serde-saphyr's `Spanned` so every id and reference keeps its
//! file position (for diagnostics that point at the value) and so the JSON
//! Schema can describe the value as if it were plain. [`OneOrMany`] and
//! [`Next`] accept the short forms of the format (`R: role` or a list; the three
//! forms of `next`) with hand-written visitors, because serde's untagged enums
//! would drop the positions.

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::source::{FileId, Span};

/// A value with its position in the YAML text.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub value: T,
    /// Position within the file; the file itself is known to the caller.
    pub line: u32,
    pub column: u32,
    pub start: usize,
    pub len: usize,
}

impl<T> Located<T> {
    /// The full span, once the caller says which file the value came from.
    pub fn span(&self, file: FileId) -> Span {
        Span { file, line: self.line, column: self.column, start: self.start, len: self.len }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Located<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<T>::deserialize(deserializer)?;
        let location = spanned.referenced;
        let span = location.span();
        Ok(Located {
            value: spanned.value,
            line: location.line() as u32,
            column: location.column() as u32,
            start: span.byte_offset().unwrap_or(0) as usize,
            len: span.byte_len().unwrap_or(0) as usize,
        })
    }
}

impl<T: JsonSchema> JsonSchema for Located<T> {
    fn inline_schema() -> bool {
        T::inline_schema()
    }

    fn schema_name() -> Cow<'static, str> {
        T::schema_name()
    }

    fn schema_id() -> Cow<'static, str> {
        T::schema_id()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        T::json_schema(generator)
    }
}

/// One value or a list of them (`R: agent` or `R: [agent, manager]`).
#[derive(Debug, Clone)]
pub enum OneOrMany<T> {
    One(T),
    Many(Vec<Located<T>>),
}

impl<T: Clone> OneOrMany<T> {
    /// The values with their positions; a single value gets the position of the
    /// whole entry, which is its own.
    pub fn items(this: &Located<OneOrMany<T>>) -> Vec<Located<T>> {
        match &this.value {
            OneOrMany::One(v) => vec![Located {
                value: v.clone(),
                line: this.line,
                column: this.column,
                start: this.start,
                len: this.len,
            }],
            OneOrMany::Many(items) => items.clone(),
        }
    }
}

impl<'de> Deserialize<'de> for OneOrMany<String> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct OneOrManyVisitor;
        impl<'de> Visitor<'de> for OneOrManyVisitor {
            type Value = OneOrMany<String>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a role id or a list of role ids")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(OneOrMany::One(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(OneOrMany::Many(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Located<String>>()? {
                    items.push(item);
                }
                Ok(OneOrMany::Many(items))
            }
        }
        deserializer.deserialize_any(OneOrManyVisitor)
    }
}

/// Where a step's sequence flow goes: `next: id`, `next: [a, b]` or
/// `next: [{to, label?, default?}]` (forms may be mixed inside a list).
#[derive(Debug, Clone)]
pub enum Next {
    One(String),
    Many(Vec<Located<FlowTarget>>),
}

/// One outgoing sequence flow as written.
#[derive(Debug, Clone)]
pub struct FlowTarget {
    pub to: Located<String>,
    /// The condition shown on the flow (e.g. "yes").
    pub label: Option<Located<String>>,
    /// Taken when no other condition holds; at most one per gateway.
    pub default: Option<Located<bool>>,
}

impl Next {
    /// Every flow of a `next` entry with positions; the single-id form gets the
    /// position of the value itself.
    pub fn flows(this: &Located<Next>) -> Vec<FlowTarget> {
        match &this.value {
            Next::One(id) => vec![FlowTarget {
                to: Located {
                    value: id.clone(),
                    line: this.line,
                    column: this.column,
                    start: this.start,
                    len: this.len,
                },
                label: None,
                default: None,
            }],
            Next::Many(items) => items.iter().map(|i| i.value.clone()).collect(),
        }
    }
}

const FLOW_FIELDS: &[&str] = &["to", "label", "default"];

impl<'de> Deserialize<'de> for Next {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct NextVisitor;
        impl<'de> Visitor<'de> for NextVisitor {
            type Value = Next;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step id, a list of step ids, or a list of {to, label, default}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Next::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut items = Vec::new();
                while let Some(item) = seq.next_element::<Located<FlowTarget>>()? {
                    items.push(item);
                }
                Ok(Next::Many(items))
            }
        }
        deserializer.deserialize_any(NextVisitor)
    }
}

impl<'de> Deserialize<'de> for FlowTarget {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FlowVisitor<'de>(PhantomData<&'de ()>);
        impl<'de> Visitor<'de> for FlowVisitor<'de> {
            type Value = FlowTarget;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a step id or a mapping {to, label, default}")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                // The position of a bare id inside a list is filled in by the
                // surrounding `Located`, see `Next::flows`.
                Ok(FlowTarget {
                    to: Located { value: v.to_string(), line: 0, column: 0, start: 0, len: 0 },
                    label: None,
                    default: None,
                })
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut to = None;
                let mut label = None;
                let mut default = None;
                while let Some(key) = map.next_key::<String>()? {
                    match key.as_str() {
                        "to" if to.is_none() => to = Some(map.next_value()?),
                        "label" if label.is_none() => label = Some(map.next_value()?),
                        "default" if default.is_none() => default = Some(map.next_value()?),
                        "to" | "label" | "default" => return Err(de::Error::duplicate_field(FLOW_FIELDS[0])),
                        other => return Err(de::Error::unknown_field(other, FLOW_FIELDS)),
                    }
                }
                let to = to.ok_or_else(|| de::Error::missing_field("to"))?;
                Ok(FlowTarget { to, label, default })
            }
        }
        deserializer.deserialize_any(FlowVisitor(PhantomData))
    }
}

/// Fills in the position of bare ids inside a `next` list from their entry.
pub(crate) fn fix_bare_positions(next: &mut Located<Next>) {
    if let Next::Many(items) = &mut next.value {
        for item in items {
            if item.value.to.line == 0 {
                item.value.to.line = item.line;
                item.value.to.column = item.column;
                item.value.to.start = item.start;
                item.value.to.len = item.len;
            }
        }
    }
}

impl JsonSchema for Next {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Next".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        crate::schema::next_schema()
    }
}

/// A text that must pass `valid` (a duration, a date): read as a string,
/// refused with `expected` as the hint, so that a typo is reported at the
/// value (E0102) like any other wrong value.
pub(super) fn checked_text<'de, D: Deserializer<'de>>(
    deserializer: D,
    valid: fn(&str) -> bool,
    expected: &'static str,
) -> Result<String, D::Error> {
    let text = String::deserialize(deserializer)?;
    if valid(&text) {
        Ok(text)
    } else {
        Err(serde::de::Error::invalid_value(serde::de::Unexpected::Str(&text), &expected))
    }
}
