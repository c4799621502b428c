//! JSON output of the RACI views, for other tools.
//!
//! Keys come out in a fixed order (struct field order, no maps), so the text is
//! stable across runs. An activity's letters are written as in the model format
//! (`"raci": {"R": [...], "A": [...], "C": [...], "I": [...]}`, role ids in column
//! order), so a consumer that knows the input format knows this one. This module
//! only shapes and serialises: it must not derive anything from the model.

use serde::Serialize;

use super::{Analysis, Letters, Matrix, MatrixKind, ProcessRef, RoleRef, RoleView};
use crate::compile::RaciLetter;

#[derive(Serialize)]
struct MatrixJson<'a> {
    kind: MatrixKind,
    title: &'a str,
    roles: &'a [RoleRef],
    processes: Vec<GroupJson<'a>>,
    analysis: &'a Analysis,
}

#[derive(Serialize)]
struct GroupJson<'a> {
    id: &'a str,
    name: &'a str,
    owner: Option<&'a RoleRef>,
    activities: Vec<ActivityJson<'a>>,
}

#[derive(Serialize)]
struct ActivityJson<'a> {
    id: &'a str,
    name: &'a str,
    raci: RaciJson<'a>,
}

#[derive(Serialize, Default)]
struct RaciJson<'a> {
    #[serde(rename = "R")]
    r: Vec<&'a str>,
    #[serde(rename = "A")]
    a: Vec<&'a str>,
    #[serde(rename = "C")]
    c: Vec<&'a str>,
    #[serde(rename = "I")]
    i: Vec<&'a str>,
}

impl<'a> RaciJson<'a> {
    fn new(roles: &'a [RoleRef], cells: &[Letters]) -> Self {
        let mut raci = RaciJson::default();
        for (role, cell) in roles.iter().zip(cells) {
            for letter in cell.iter() {
                let list = match letter {
                    RaciLetter::R => &mut raci.r,
                    RaciLetter::A => &mut raci.a,
                    RaciLetter::C => &mut raci.c,
                    RaciLetter::I => &mut raci.i,
                };
                list.push(role.id.as_str());
            }
        }
        raci
    }
}

#[derive(Serialize)]
struct RoleJson<'a> {
    kind: &'static str,
    title: String,
    #[serde(flatten)]
    view: &'a RoleView,
}

/// The matrix and its analysis as pretty-printed JSON.
pub fn matrix(matrix: &Matrix) -> String {
    let json = MatrixJson {
        kind: matrix.kind,
        title: &matrix.title,
        roles: &matrix.roles,
        processes: matrix
            .processes
            .iter()
            .map(|g| {
                let ProcessRef { id, name } = &g.process;
                GroupJson {
                    id,
                    name,
                    owner: g.owner.as_ref(),
                    activities: g
                        .activities
                        .iter()
                        .map(|a| ActivityJson {
                            id: &a.id,
                            name: &a.name,
                            raci: RaciJson::new(&matrix.roles, &a.cells),
                        })
                        .collect(),
                }
            })
            .collect(),
        analysis: &matrix.analysis,
    };
    to_string(&json)
}

/// The role view as pretty-printed JSON.
pub fn role(view: &RoleView) -> String {
    to_string(&RoleJson { kind: "role", title: view.title(), view })
}

fn to_string(value: &impl Serialize) -> String {
    // Serialising plain structs of strings and numbers cannot fail; an empty
    // object keeps the function total should that ever change.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "{}".to_string());
    text.push('\n');
    text
}
