//! Markdown from the models (purposes, descriptions, work instructions) turned
//! into HTML that cannot carry markup of its own: raw HTML is shown as text and
//! links that could run code (`javascript:`, `data:`…) lead nowhere.

use pulldown_cmark::{CowStr, Event, Options, Parser, Tag, html};

/// Renders Markdown safely; an empty or missing text gives an empty string.
pub fn render(text: &str) -> String {
    if text.trim().is_empty() {
        return String::new();
    }
    let parser =
        Parser::new_ext(text, Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH).map(|event| match event {
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

/// Keeps relative links and web/mail links; anything else becomes `#`.
fn safe_url(url: CowStr<'_>) -> CowStr<'_> {
    let lower = url.trim().to_ascii_lowercase();
    let scheme = lower.split_once(':').map(|(s, _)| s).filter(|s| !s.contains(['/', '?', '#']));
    match scheme {
        None | Some("http" | "https" | "mailto") => url,
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
        assert!(render("[x](https://intranet/x)").contains("href=\"https://intranet/x\""));
        assert!(render("[x](../roles/a.html)").contains("href=\"../roles/a.html\""));
    }
}
