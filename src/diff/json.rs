//! The diff as JSON for tools: the [`Diff`] serialised with serde, fields in
//! declaration order, so equal diffs give equal bytes.

use super::Diff;

/// The diff as pretty-printed JSON, ending in a newline.
pub fn render(diff: &Diff) -> String {
    #[derive(serde::Serialize)]
    struct Report<'a> {
        changed: bool,
        summary: String,
        #[serde(flatten)]
        diff: &'a Diff,
    }
    let report = Report { changed: !diff.is_empty(), summary: super::text::summary(diff), diff };
    // Serialising plain strings, vectors and enums cannot fail.
    let mut out = serde_json::to_string_pretty(&report).unwrap_or_default();
    out.push('\n');
    out
}
