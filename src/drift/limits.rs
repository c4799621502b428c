//! Bounds checked on an export's text before any parser sees it: its size
//! (the caller reads at most [`MAX_EXPORT_BYTES`]) and how deeply it nests.
//! The scans here are linear, allocate nothing and never recurse, so a
//! hostile file (a megabyte of `[`, ten thousand nested elements) is refused
//! with the place where it went too deep instead of exhausting the stack of
//! a recursive reader later.

/// Largest export read. A large Jira workflow export is a few hundred
/// kilobytes; ServiceNow choice lists are smaller still.
pub const MAX_EXPORT_BYTES: usize = 16 * 1024 * 1024;

/// Deepest nesting accepted. Jira's OSWorkflow XML nests about 10 levels,
/// Jira Cloud's condition trees a few more; 64 leaves room for both.
pub const MAX_DEPTH: usize = 64;

/// The byte offset where a JSON text first nests deeper than `limit`
/// arrays and objects, skipping strings (and escapes inside them).
pub fn json_too_deep(text: &str, limit: usize) -> Option<usize> {
    let (mut depth, mut in_string, mut escaped) = (0usize, false, false);
    for (offset, byte) in text.bytes().enumerate() {
        if in_string {
            match byte {
                _ if escaped => escaped = false,
                b'\\' => escaped = true,
                b'"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match byte {
            b'"' => in_string = true,
            b'[' | b'{' => {
                depth += 1;
                if depth > limit {
                    return Some(offset);
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The byte offset where an XML text first nests deeper than `limit`
/// elements. Comments, processing instructions, CDATA and declarations do
/// not nest; quotes inside a tag hide `>` and `/>`.
pub fn xml_too_deep(text: &str, limit: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let (mut depth, mut at) = (0usize, 0usize);
    while let Some(found) = bytes.get(at..).and_then(|rest| rest.iter().position(|b| *b == b'<')) {
        let start = at + found;
        let rest = &text[start..];
        let skip_to = |end: &str| rest.find(end).map_or(text.len(), |i| start + i + end.len());
        at = if rest.starts_with("<!--") {
            skip_to("-->")
        } else if rest.starts_with("<![CDATA[") {
            skip_to("]]>")
        } else if rest.starts_with("<?") {
            skip_to("?>")
        } else if rest.starts_with("<!") {
            skip_to(">")
        } else if rest.starts_with("</") {
            depth = depth.saturating_sub(1);
            skip_to(">")
        } else {
            let end = tag_end(bytes, start);
            if bytes.get(end.saturating_sub(2)) != Some(&b'/') {
                depth += 1;
                if depth > limit {
                    return Some(start);
                }
            }
            end
        };
    }
    None
}

/// The offset just past the `>` closing the tag that opens at `start`,
/// ignoring a `>` inside a quoted attribute value.
fn tag_end(bytes: &[u8], start: usize) -> usize {
    let mut quote = None;
    for (i, byte) in bytes.iter().enumerate().skip(start + 1) {
        match (quote, *byte) {
            (None, b'"' | b'\'') => quote = Some(*byte),
            (Some(q), b) if b == q => quote = None,
            (None, b'>') => return i + 1,
            _ => {}
        }
    }
    bytes.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_depth_counts_brackets_outside_strings() {
        assert_eq!(json_too_deep(r#"{"a": [1, {"b": "[[[["}]}"#, 2), Some(10));
        assert_eq!(json_too_deep(r#"{"a": "[[[[[[", "b": "\"[["}"#, 1), None);
        assert_eq!(json_too_deep(&"[".repeat(100), 64), Some(64));
    }

    #[test]
    fn xml_depth_ignores_empty_elements_comments_and_quotes() {
        let text = r#"<?xml version="1.0"?><!-- <a><b> --><a x="/>"><b/><c><![CDATA[<d><e>]]></c></a>"#;
        assert_eq!(xml_too_deep(text, 2), None);
        assert_eq!(xml_too_deep(text, 1), text.find("<c>"));
        assert_eq!(xml_too_deep(&"<a>".repeat(70), 64), Some(64 * 3));
    }
}
