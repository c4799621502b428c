//! Comparing elements by id: the generic [`Record`] comparison every kind of
//! element goes through (pairing by id, renames by identical body, field by
//! field changes), and the roles and processes (activities, RACI cells, KPIs,
//! findings) turned into records.

use std::collections::{BTreeMap, HashMap, VecDeque};

use petgraph::stable_graph::NodeIndex;

use super::{Change, Element, FieldChange, Group, Item, LineChange};
use crate::compile::{Finding, Model, Peer, RaciLetter};
use crate::site::status_word;

/// Base id → head id of the elements of one kind that were renamed.
pub(super) type Renames = BTreeMap<String, String>;

/// A field's value as compared: a short text, a list whose entries are
/// compared one by one, or a long text shown with a line diff.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) enum Value {
    Text(Option<String>),
    List(Vec<String>),
    Long(Option<String>),
}

/// One element of one side, reduced to what is compared: its id, a few words
/// saying what it is (shown when it is added or removed) and its fields in
/// the order reports list them. References to other elements are written as
/// head ids (base references already mapped through the renames).
#[derive(Debug, Clone)]
pub(super) struct Record {
    pub id: String,
    pub summary: String,
    pub fields: Vec<(String, Value)>,
}

impl Record {
    pub fn new(id: impl Into<String>, summary: impl Into<String>) -> Self {
        Record { id: id.into(), summary: summary.into(), fields: Vec::new() }
    }

    /// Adds a short text field.
    pub fn text(mut self, field: &str, value: Option<impl Into<String>>) -> Self {
        self.fields.push((field.to_string(), Value::Text(value.map(Into::into))));
        self
    }

    /// Adds a list field.
    pub fn list(mut self, field: &str, value: Vec<String>) -> Self {
        self.fields.push((field.to_string(), Value::List(value)));
        self
    }

    /// Adds a long text field (shown with a line diff).
    pub fn long(mut self, field: &str, value: Option<impl Into<String>>) -> Self {
        self.fields.push((field.to_string(), Value::Long(value.map(Into::into))));
        self
    }
}

/// Compares the records of one kind of element: pairs them by id, pairs a
/// removed and an added record with the same fields as a rename when
/// `renames` is set, and returns the changed items (head order, then what
/// only the base has) with the renames found.
pub(super) fn compare_records(
    element: Element,
    base: Vec<Record>,
    head: Vec<Record>,
    renames: bool,
) -> (Vec<Item>, Renames) {
    let head_ids: HashMap<&str, ()> = head.iter().map(|r| (r.id.as_str(), ())).collect();
    let mut base_by_id: HashMap<&str, &Record> = HashMap::new();
    let mut removed: Vec<&Record> = Vec::new();
    for record in &base {
        if head_ids.contains_key(record.id.as_str()) {
            base_by_id.insert(record.id.as_str(), record);
        } else {
            removed.push(record);
        }
    }
    // Removed records by body, so that pairing renames stays linear.
    let mut by_body: HashMap<&[(String, Value)], VecDeque<usize>> = HashMap::new();
    if renames {
        for (at, record) in removed.iter().enumerate() {
            by_body.entry(record.fields.as_slice()).or_default().push_back(at);
        }
    }
    let mut taken = vec![false; removed.len()];
    let mut found = Renames::new();
    let mut items = Vec::new();
    for record in &head {
        if let Some(before) = base_by_id.get(record.id.as_str()) {
            let fields = field_changes(&before.fields, &record.fields);
            if !fields.is_empty() {
                items.push(item(element, &record.id, Change::Changed, String::new(), fields));
            }
        } else if let Some(at) = by_body.get_mut(record.fields.as_slice()).and_then(VecDeque::pop_front) {
            taken[at] = true;
            found.insert(removed[at].id.clone(), record.id.clone());
            let change = Change::Renamed { from: removed[at].id.clone() };
            items.push(item(element, &record.id, change, String::new(), Vec::new()));
        } else {
            items.push(item(element, &record.id, Change::Added, record.summary.clone(), Vec::new()));
        }
    }
    for (record, taken) in removed.iter().zip(&taken) {
        if !taken {
            items.push(item(element, &record.id, Change::Removed, record.summary.clone(), Vec::new()));
        }
    }
    (items, found)
}

fn item(element: Element, id: &str, change: Change, summary: String, fields: Vec<FieldChange>) -> Item {
    Item { element, id: id.to_string(), change, summary, fields }
}

/// The changes between two records' fields: head order, then fields only the
/// base has.
pub(super) fn field_changes(before: &[(String, Value)], after: &[(String, Value)]) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    let empty_like = |value: &Value| match value {
        Value::Text(_) => Value::Text(None),
        Value::List(_) => Value::List(Vec::new()),
        Value::Long(_) => Value::Long(None),
    };
    for (name, value) in after {
        let old = before.iter().find(|(n, _)| n == name).map_or_else(|| empty_like(value), |(_, v)| v.clone());
        value_changes(name, &old, value, &mut changes);
    }
    for (name, value) in before {
        if !after.iter().any(|(n, _)| n == name) {
            value_changes(name, value, &empty_like(value), &mut changes);
        }
    }
    changes
}

fn value_changes(field: &str, before: &Value, after: &Value, out: &mut Vec<FieldChange>) {
    match (before, after) {
        (Value::List(old), Value::List(new)) => {
            for entry in old.iter().filter(|e| !new.contains(e)) {
                out.push(FieldChange::new(field, Some(entry.clone()), None));
            }
            for entry in new.iter().filter(|e| !old.contains(e)) {
                out.push(FieldChange::new(field, None, Some(entry.clone())));
            }
        }
        (Value::Long(old), Value::Long(new)) if old != new => {
            let mut change = FieldChange::new(field, old.clone(), new.clone());
            change.lines = line_diff(old.as_deref().unwrap_or(""), new.as_deref().unwrap_or(""));
            out.push(change);
        }
        (Value::Text(old), Value::Text(new)) if old != new => {
            out.push(FieldChange::new(field, old.clone(), new.clone()))
        }
        _ => {}
    }
}

/// The lines of `after` against `before`, each marked added, removed or kept.
pub(super) fn line_diff(before: &str, after: &str) -> Vec<LineChange> {
    use similar::{ChangeTag, TextDiff};
    TextDiff::from_lines(before, after)
        .iter_all_changes()
        .map(|change| LineChange {
            sign: match change.tag() {
                ChangeTag::Delete => '-',
                ChangeTag::Insert => '+',
                ChangeTag::Equal => ' ',
            },
            text: change.value().trim_end_matches(['\n', '\r']).to_string(),
        })
        .collect()
}

/// The renames among compared items (base id → head id).
pub(super) fn renames(items: &[Item]) -> Renames {
    items
        .iter()
        .filter_map(|item| match &item.change {
            Change::Renamed { from } => Some((from.clone(), item.id.clone())),
            _ => None,
        })
        .collect()
}

/// A base id as the head would write it: its new id when it was renamed.
pub(super) fn mapped(renames: &Renames, id: &str) -> String {
    renames.get(id).cloned().unwrap_or_else(|| id.to_string())
}

/// The roles of both sides compared; renamed roles are paired by identical
/// name, description and group.
pub(super) fn roles(base: &Model, head: &Model) -> Vec<Item> {
    let records = |model: &Model| -> Vec<Record> {
        model
            .roles
            .iter()
            .map(|&r| {
                let role = model.role(r);
                Record::new(&role.id, format!("\"{}\"", role.name))
                    .text("name", Some(&role.name))
                    .text("description", role.description.as_ref())
                    .text("group", role.group.as_ref())
            })
            .collect()
    };
    compare_records(Element::Role, records(base), records(head), true).0
}

/// The processes of both sides compared: their fields, activities (with
/// their RACI cells) and findings.
pub(super) fn processes(base: &Model, head: &Model, roles: &Renames) -> Vec<Group> {
    let no_renames = Renames::new();
    let old: HashMap<&str, NodeIndex> = base.processes.iter().map(|&p| (base.process(p).id.as_str(), p)).collect();
    let mut groups = Vec::new();
    for &p in &head.processes {
        let process = head.process(p);
        let Some(&b) = old.get(process.id.as_str()) else {
            groups.push(whole(&process.id, &process.name, Change::Added));
            continue;
        };
        let fields =
            field_changes(&process_record(base, b, roles).fields, &process_record(head, p, &no_renames).fields);
        let (mut items, _) = compare_records(
            Element::Activity,
            activity_records(base, b, roles),
            activity_records(head, p, &no_renames),
            false,
        );
        items.extend(findings(&finding_records(base, b, roles), &finding_records(head, p, &no_renames)));
        if !fields.is_empty() || !items.is_empty() {
            groups.push(Group {
                id: process.id.clone(),
                name: process.name.clone(),
                change: Change::Changed,
                fields,
                items,
            });
        }
    }
    let new: HashMap<&str, ()> = head.processes.iter().map(|&p| (head.process(p).id.as_str(), ())).collect();
    for &p in &base.processes {
        let process = base.process(p);
        if !new.contains_key(process.id.as_str()) {
            groups.push(whole(&process.id, &process.name, Change::Removed));
        }
    }
    groups
}

/// A process or workflow added or removed as a whole.
pub(super) fn whole(id: &str, name: &str, change: Change) -> Group {
    Group { id: id.to_string(), name: name.to_string(), change, fields: Vec::new(), items: Vec::new() }
}

/// A role's id as the head writes it.
pub(super) fn role_id(model: &Model, role: NodeIndex, renames: &Renames) -> String {
    mapped(renames, &model.role(role).id)
}

fn process_record(model: &Model, p: NodeIndex, roles: &Renames) -> Record {
    let process = model.process(p);
    let peer = |peer: &Peer| match peer {
        Peer::Process(other) => format!(" ({})", model.process(*other).id),
        Peer::External(text) => format!(" ({text})"),
        Peer::Unspecified => String::new(),
    };
    let mut record = Record::new(&process.id, "")
        .text("name", Some(&process.name))
        .text("owner", process.owner.map(|o| role_id(model, o, roles)))
        .text("version", process.document.as_deref().and_then(|d| d.version.as_ref()))
        .long("purpose", process.purpose.as_ref())
        .long("scope", process.scope.as_ref())
        .list("objectives", process.objectives.clone())
        .list("drivers", process.drivers.clone())
        .list("principles", process.principles.clone())
        .list("critical success factors", process.critical_success_factors.clone())
        .list("triggers", process.triggers.clone())
        .list("inputs", process.inputs.iter().map(|f| format!("{}{}", f.name, peer(&f.peer))).collect())
        .list("outputs", process.outputs.iter().map(|f| format!("{}{}", f.name, peer(&f.peer))).collect());
    for kpi in &process.kpis {
        let field = |what: &str| format!("kpi {} {what}", kpi.id);
        record = record
            .text(&field("name"), Some(&kpi.name))
            .text(&field("target"), kpi.target.as_ref())
            .text(&field("frequency"), kpi.frequency.as_ref())
            .long(&field("description"), kpi.description.as_ref());
    }
    record
}

fn activity_records(model: &Model, p: NodeIndex, roles: &Renames) -> Vec<Record> {
    model
        .process(p)
        .activities
        .iter()
        .map(|&a| {
            let activity = model.activity(a);
            let raci = model.raci(a);
            let mut record = Record::new(&activity.id, format!("\"{}\"", activity.name))
                .text("name", Some(&activity.name))
                .long("description", activity.description.as_ref());
            for letter in [RaciLetter::R, RaciLetter::A, RaciLetter::C, RaciLetter::I] {
                let holders: Vec<String> =
                    raci.iter().filter(|(l, _)| *l == letter).map(|(_, r)| role_id(model, *r, roles)).collect();
                let holders = (!holders.is_empty()).then(|| holders.join(", "));
                record = record.text(&format!("{letter:?}"), holders);
            }
            record
        })
        .collect()
}

/// The findings of a process and of its activities, each named by its
/// holder's id and its text.
fn finding_records(model: &Model, p: NodeIndex, roles: &Renames) -> Vec<Record> {
    let process = model.process(p);
    let mut records = finding_list(model, &process.id, &process.findings, roles);
    for &a in &process.activities {
        let activity = model.activity(a);
        records.extend(finding_list(model, &activity.id, &activity.findings, roles));
    }
    records
}

/// Findings as records: id `holder: text`, fields status and owner.
pub(super) fn finding_list(model: &Model, holder: &str, findings: &[Finding], roles: &Renames) -> Vec<Record> {
    findings
        .iter()
        .map(|finding| {
            let status = status_word(finding.status);
            Record::new(format!("{holder}: {}", finding.text), status)
                .text("status", Some(status))
                .text("owner", finding.owner.map(|o| role_id(model, o, roles)))
        })
        .collect()
}

/// Findings compared by holder and text (a finding has no id, so no renames).
pub(super) fn findings(base: &[Record], head: &[Record]) -> Vec<Item> {
    compare_records(Element::Finding, base.to_vec(), head.to_vec(), false).0
}
