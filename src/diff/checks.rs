//! Check results that appear or disappear between the two sides. A result is
//! its code and message (which names the element by id); its file, line and
//! column are left out, so moving a definition or adding lines above it
//! changes nothing. Equal results are counted, so a second copy of a warning
//! still shows.

use std::collections::BTreeMap;

use super::{CheckChange, CheckSide};
use crate::diagnostic::{Diagnostic, Severity};

/// The results only the head has (appeared), then those only the base has
/// (disappeared), each in its side's report order.
pub(super) fn checks(base: &[Diagnostic], head: &[Diagnostic]) -> Vec<CheckChange> {
    let mut changes = only_in(head, base, CheckSide::Appeared);
    changes.extend(only_in(base, head, CheckSide::Disappeared));
    changes
}

/// The results of `side` beyond those `other` has as many times.
fn only_in(side: &[Diagnostic], other: &[Diagnostic], change: CheckSide) -> Vec<CheckChange> {
    let mut left: BTreeMap<(&str, &str), usize> = BTreeMap::new();
    for d in other {
        *left.entry((d.code.as_str(), d.message.as_str())).or_default() += 1;
    }
    let mut changes = Vec::new();
    for d in side {
        match left.get_mut(&(d.code.as_str(), d.message.as_str())) {
            Some(count) if *count > 0 => *count -= 1,
            _ => changes.push(CheckChange {
                change,
                severity: match d.severity() {
                    Severity::Error => "error",
                    Severity::Warning => "warning",
                }
                .to_string(),
                code: d.code.as_str().to_string(),
                message: d.message.clone(),
            }),
        }
    }
    changes
}
