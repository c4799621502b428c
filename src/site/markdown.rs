//! Markdown from the models (purposes, descriptions, work instructions) turned
//! into HTML that cannot carry markup of its own: raw HTML is shown as text and
//! links that could run code (`javascript:`, `data:`…) lead nowhere.

use pulldown_cmark::{CowStr, Event, Parser, Tag, html};

use crate::compile::links::{MARKDOWN, refused_scheme};

/// Renders Markdown safely; an empty or missing text gives an empty string.
pub fn render(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let parser = Parser::new_ext(text, MARKDOWN).map(|event| match event {
        Event::Html(raw) | Event::InlineHtml(raw) => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Link { link_type, dest_url: safe_url(dest_url), title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            Event::Start(Tag::Image { link_type, dest_url: safe_url(dest_url), title, id })
        }
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, parser);
    out
}

/// Keeps relative links and web/mail links; anything else becomes `#` (and
/// `check` warns about it: both ask [`refused_scheme`]).
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    match refused_scheme(&url) {
        None => url,
        Some(_) => CowStr::Borrowed("#"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_becomes_html() {
        assert_eq!(render("1. Open *the* record"), "<ol>\n<li>Open <em>the</em> record</li>\n</ol>\n");
        assert_eq!(render("  "), "");
    }

    #[test]
    fn raw_html_is_shown_as_text() {
        let html = render("Hi <script>alert(1)</script> <b onclick=x>b</b>");
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("<b "), "{html}");
        assert!(html.contains("&lt;script&gt;"), "{html}");
        let block = render("<div>\n<script>x</script>\n</div>");
        assert!(!block.contains("<div") && !block.contains("<script"), "{block}");
    }

    #[test]
    fn dangerous_links_lead_nowhere() {
        assert!(render("[x](javascript:alert(1))").contains("href=\"#\""));
        assert!(render("[x](JavaScript:alert(1))").contains("href=\"#\""));
        assert!(render("[x](data:text/html,hi)").contains("href=\"#\""));
        assert!(render("[x](java&#9;script:alert(1))").contains("href=\"#\""));
        assert!(render("[x](&#1;javascript:alert(1))").contains("href=\"#\""));
        assert!(render("[x](https://intranet/x)").contains("href=\"https://intranet/x\""));
        assert!(render("[x](../roles/a.html)").contains("href=\"../roles/a.html\""));
    }

    /// The check warns about exactly the links the renderer makes dead.
    #[test]
    fn renderer_and_check_refuse_the_same_links() {
        for url in [
            "javascript:x",
            " JAVASCRIPT:x",
            "java&#9;script:x",
            "&#1;vbscript:x",
            "data:x",
            "ftp://h/x",
            "tel:1",
            "https://h/x",
            "HTTP://h",
            "mailto:a@b",
            "../a.html",
            "a/b:c.html",
            "#top",
            "?q=a:b",
        ] {
            let text = format!("[x]({url})");
            let dead = render(&text).contains("href=\"#\"") && url != "#top";
            let warned = !crate::compile::links::refused_links(&text).is_empty();
            assert_eq!(dead, warned, "{url}");
        }
    }
}
