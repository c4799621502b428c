//! The URL templates of the settings — `edit_url` with `{path}` and
//! `feedback_url` with `{title}` and `{path}` — in one place: which
//! placeholders each takes, the check [`super::load_settings`] runs on them,
//! and filling one in for a page ([`expand_url`]).
//!
//! A template is checked once, where it is written, so that a page never
//! carries a link that is no web or mail address (`javascript:` and the like
//! are refused) or that does not name the page. Filling in percent-encodes
//! the values; escaping the result for HTML is the page's job.

use super::{Located, Settings};
use crate::diagnostic::{Code, Diagnostic};
use crate::source::FileId;

/// A URL setting: its key, the placeholders it may hold, and those of which
/// it needs at least one.
struct Rule {
    key: &'static str,
    allowed: &'static [&'static str],
    needs_one_of: &'static [&'static str],
    example: &'static str,
}

const EDIT_URL: Rule = Rule {
    key: "edit_url",
    allowed: &["path"],
    needs_one_of: &["path"],
    example: "https://github.com/org/repo/edit/main/{path}",
};

const FEEDBACK_URL: Rule = Rule {
    key: "feedback_url",
    allowed: &["title", "path"],
    needs_one_of: &["title", "path"],
    example: "https://github.com/org/repo/issues/new?title=Feedback%20on%20{title}&body={path}",
};

/// The schemes a URL setting may use.
const SCHEMES: [&str; 3] = ["http://", "https://", "mailto:"];

/// Checks `edit_url` and `feedback_url` of `settings`, read from `file`: an
/// error (E0102) located at each value that has another scheme, spaces or
/// control characters, a stray brace, an unknown placeholder or none of those
/// it needs — what the settings schema's patterns say too.
pub fn check_url_settings(settings: &Settings, file: FileId) -> Vec<Diagnostic> {
    [(&EDIT_URL, &settings.edit_url), (&FEEDBACK_URL, &settings.feedback_url)]
        .into_iter()
        .filter_map(|(rule, value)| value.as_ref().and_then(|v| check(rule, v, file)))
        .collect()
}

fn check(rule: &Rule, value: &Located<String>, file: FileId) -> Option<Diagnostic> {
    let url = value.value.as_str();
    let error = |message: String, help: String| {
        Some(Diagnostic::new(Code::WrongType, value.span(file), message).with_help(help))
    };
    let lower = url.to_ascii_lowercase();
    if !SCHEMES.iter().any(|scheme| lower.starts_with(scheme)) {
        return error(
            format!("`{}` must be an http://, https:// or mailto: URL", rule.key),
            format!("for example `{}`", rule.example),
        );
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return error(
            format!("`{}` contains a space or a control character", rule.key),
            "write a space as `%20`".to_string(),
        );
    }
    let names = placeholders(url);
    if url.matches(['{', '}']).count() != 2 * names.len() {
        return error(
            format!("`{}` has a `{{` or `}}` that opens or closes no placeholder", rule.key),
            format!("write it as `%7B` or `%7D`; placeholders are {}", list(rule.allowed)),
        );
    }
    if let Some(unknown) = names.iter().find(|name| !rule.allowed.contains(name)) {
        return error(
            format!("`{}` has an unknown placeholder `{{{unknown}}}`", rule.key),
            format!("it may hold {}", list(rule.allowed)),
        );
    }
    if !names.iter().any(|name| rule.needs_one_of.contains(name)) {
        return error(
            format!("`{}` has no {} placeholder, so it cannot name the page", rule.key, list(rule.needs_one_of)),
            format!("for example `{}`", rule.example),
        );
    }
    None
}

/// `{a}` or `{a}` / `{b}`, for messages.
fn list(names: &[&str]) -> String {
    names.iter().map(|n| format!("`{{{n}}}`")).collect::<Vec<_>>().join(" or ")
}

/// The names between braces in `template`, in order.
fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        names.push(&after[..close]);
        rest = &after[close + 1..];
    }
    names
}

/// `template` with each `{name}` of `values` replaced by its value,
/// percent-encoded (everything but letters, digits, `-._~` and `/`). A
/// template that passed [`check_url_settings`] gives a URL of its own scheme.
pub fn expand_url(template: &str, values: &[(&str, &str)]) -> String {
    values.iter().fold(template.to_string(), |url, (name, value)| url.replace(&format!("{{{name}}}"), &encode(value)))
}

/// Percent-encoding of UTF-8 bytes (RFC 3986), keeping the unreserved
/// characters and `/`, so a path reads as one.
fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn located(text: &str) -> Located<String> {
        Located { value: text.to_string(), line: 3, column: 11, start: 40, len: text.len() }
    }

    fn problem(rule: &Rule, text: &str) -> Option<String> {
        check(rule, &located(text), FileId(0)).map(|d| d.message)
    }

    #[test]
    fn edit_urls_need_a_web_or_mail_scheme_and_the_path() {
        assert_eq!(problem(&EDIT_URL, "https://github.com/o/r/edit/main/{path}"), None);
        assert_eq!(problem(&EDIT_URL, "HTTP://git.example/{path}"), None);
        let scheme = problem(&EDIT_URL, "javascript:alert('{path}')").expect("refused");
        assert!(scheme.contains("http://, https:// or mailto:"), "{scheme}");
        assert!(problem(&EDIT_URL, "https://github.com/o/r").expect("refused").contains("no `{path}`"));
        assert!(problem(&EDIT_URL, "https://x/{title}").expect("refused").contains("unknown placeholder `{title}`"));
        assert!(problem(&EDIT_URL, "https://x/{path} y").expect("refused").contains("space"));
        assert!(problem(&EDIT_URL, "https://x/{path}/{").expect("refused").contains("opens or closes no placeholder"));
        assert!(problem(&EDIT_URL, "https://x/}{path}").expect("refused").contains("opens or closes no placeholder"));
    }

    #[test]
    fn feedback_urls_need_the_title_or_the_path() {
        assert_eq!(problem(&FEEDBACK_URL, "mailto:smo@example.com?subject={title}"), None);
        assert_eq!(problem(&FEEDBACK_URL, "https://x/new?title={title}&body={path}"), None);
        assert!(problem(&FEEDBACK_URL, "mailto:smo@example.com").expect("refused").contains("`{title}` or `{path}`"));
    }

    #[test]
    fn the_problem_is_located_at_the_value() {
        let d = check(&EDIT_URL, &located("ftp://x/{path}"), FileId(0)).expect("refused");
        assert_eq!((d.span.line, d.span.column), (3, 11));
        assert_eq!(d.code, Code::WrongType);
    }

    #[test]
    fn values_are_percent_encoded_and_paths_keep_their_slashes() {
        let url = expand_url(
            "https://x/new?title={title}&body={path}",
            &[("title", "Incident & \"Request\" é"), ("path", "models/a b.yaml")],
        );
        assert_eq!(url, "https://x/new?title=Incident%20%26%20%22Request%22%20%C3%A9&body=models/a%20b.yaml");
    }
}
