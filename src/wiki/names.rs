//! Where each page goes and how other pages link to it, in each Markdown
//! wiki's own conventions:
//!
//! - GitHub wikis (Gollum) have one flat namespace: `Home.md` and one file
//!   per page, named after its title with spaces as `-`; links are relative
//!   page names without `.md` (`[Incident Management](Incident-Management)`),
//!   images live in the wiki repository (`images/`).
//! - GitLab wikis keep folders: `home.md`, a section page `Processes.md` and
//!   its pages in `Processes/`; links are relative to the linking page's
//!   folder, without `.md` (`../Workflows/Log-an-incident`); images go in
//!   `uploads/`, where GitLab's own editor puts them.
//! - Azure DevOps wikis map the page tree to folders and order pages by a
//!   `.order` file in each folder; a title's spaces are `-` in its file name
//!   and a real hyphen is `%2D` (`:<>*?|"` are percent-encoded too); links
//!   are absolute from the wiki root (`/Processes/Incident-Management`),
//!   attachments live in `/.attachments/`.
//!
//! Names are made unique per folder ignoring case (wikis resolve links
//! case-insensitively, and so do Windows and macOS checkouts).

use std::collections::HashSet;

use super::Flavor;
use super::page::{Page, PageKind};

/// The file of every page and the folder of the images, for one flavour.
#[derive(Debug, Clone)]
pub struct Naming {
    flavor: Flavor,
    /// Path of each page's file relative to the export folder, `/`-separated.
    pub files: Vec<String>,
}

impl Naming {
    /// Names every page of `pages` (in tree order) for `flavor`.
    pub fn new(flavor: Flavor, pages: &[Page]) -> Naming {
        let mut taken: HashSet<String> = HashSet::new();
        let mut files: Vec<String> = Vec::with_capacity(pages.len());
        for page in pages {
            let folder = match (flavor, page.parent) {
                (Flavor::Gfm, _) | (_, None) => String::new(),
                // Children of the home page sit beside it; deeper pages in
                // their parent's folder.
                (_, Some(parent)) if pages[parent].parent.is_none() => String::new(),
                (_, Some(parent)) => format!("{}/", stem(&files[parent])),
            };
            let base = match page.kind {
                PageKind::Home if flavor == Flavor::Gitlab => "home".to_string(),
                PageKind::Home => "Home".to_string(),
                _ => page_name(flavor, &page.title),
            };
            let mut name = base.clone();
            let mut n = 1;
            while taken.contains(&format!("{folder}{name}").to_lowercase()) || is_reserved(flavor, &name) {
                n += 1;
                name = format!("{base}-{n}");
            }
            taken.insert(format!("{folder}{name}").to_lowercase());
            files.push(format!("{folder}{name}.md"));
        }
        Naming { flavor, files }
    }

    /// The link from page `from` to page `to`.
    pub fn href(&self, from: usize, to: usize) -> String {
        let target = stem(&self.files[to]);
        match self.flavor {
            Flavor::Azure => format!("/{target}"),
            _ => relative(folder(&self.files[from]), target),
        }
    }

    /// The folder image files go in.
    pub fn image_folder(&self) -> &'static str {
        match self.flavor {
            Flavor::Gitlab => "uploads",
            Flavor::Azure => ".attachments",
            _ => "images",
        }
    }

    /// The reference to image `file` from page `from`.
    pub fn image(&self, from: usize, file: &str) -> String {
        let path = format!("{}/{file}", self.image_folder());
        match self.flavor {
            Flavor::Azure => format!("/{path}"),
            _ => relative(folder(&self.files[from]), &path),
        }
    }
}

/// Names Gollum gives a meaning of its own (`_Sidebar`, `_Footer`), which a
/// page must not take.
fn is_reserved(flavor: Flavor, name: &str) -> bool {
    flavor == Flavor::Gfm && name.starts_with('_')
}

/// A page's file without `.md`: its name in links and in `.order` files.
pub fn stem(file: &str) -> &str {
    file.strip_suffix(".md").unwrap_or(file)
}

fn folder(file: &str) -> &str {
    file.rfind('/').map_or("", |i| &file[..i])
}

/// The relative reference from a page in `from_folder` to `target` (both
/// relative to the export folder).
fn relative(from_folder: &str, target: &str) -> String {
    let ups = from_folder.split('/').filter(|p| !p.is_empty()).count();
    format!("{}{target}", "../".repeat(ups))
}

/// A page's file name (without `.md`) from its title.
pub fn page_name(flavor: Flavor, title: &str) -> String {
    match flavor {
        Flavor::Azure => azure_name(title),
        _ => slug(title),
    }
}

/// Letters and digits of any script kept, every other run of characters one
/// `-`: what Gollum and GitLab turn a title into, minus the characters that
/// need encoding in a URL (so links never depend on it).
fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    for c in title.chars() {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-');
    if out.is_empty() { "Page".to_string() } else { out.to_string() }
}

/// An Azure DevOps page file name: spaces as `-`, a hyphen as `%2D`, the
/// characters Azure encodes as their `%XX`; `/ \ #` (not allowed in titles)
/// and control characters as a space; no leading or trailing dot.
fn azure_name(title: &str) -> String {
    let mut out = String::with_capacity(title.len() + 8);
    for c in title.trim().chars() {
        match c {
            ' ' | '/' | '\\' | '#' => out.push('-'),
            '-' => out.push_str("%2D"),
            ':' => out.push_str("%3A"),
            '<' => out.push_str("%3C"),
            '>' => out.push_str("%3E"),
            '*' => out.push_str("%2A"),
            '?' => out.push_str("%3F"),
            '|' => out.push_str("%7C"),
            '"' => out.push_str("%22"),
            '%' => out.push_str("%25"),
            c if c.is_control() || c.is_whitespace() => out.push('-'),
            c => out.push(c),
        }
    }
    let out = out.trim_matches('.');
    if out.is_empty() { "Page".to_string() } else { out.to_string() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wiki::page::Section;

    fn page(title: &str, kind: PageKind, parent: Option<usize>) -> Page {
        Page { kind, key: String::new(), title: title.into(), parent, blocks: Vec::new() }
    }

    fn tree() -> Vec<Page> {
        vec![
            page("IT Services", PageKind::Home, None),
            page("Processes", PageKind::Section(Section::Processes), Some(0)),
            page("Log-in | reset: <fast>?", PageKind::Process(0), Some(1)),
            page("Log in / reset (fast)", PageKind::Process(1), Some(1)),
            page("Home", PageKind::Process(2), Some(1)),
        ]
    }

    #[test]
    fn github_pages_are_flat_and_unique() {
        let naming = Naming::new(Flavor::Gfm, &tree());
        assert_eq!(
            naming.files,
            ["Home.md", "Processes.md", "Log-in-reset-fast.md", "Log-in-reset-fast-2.md", "Home-2.md"]
        );
        assert_eq!(naming.href(2, 3), "Log-in-reset-fast-2");
        assert_eq!(naming.image(2, "x.svg"), "images/x.svg");
    }

    #[test]
    fn gitlab_pages_sit_in_their_section_folder_and_link_relatively() {
        let naming = Naming::new(Flavor::Gitlab, &tree());
        assert_eq!(naming.files[0], "home.md");
        assert_eq!(naming.files[2], "Processes/Log-in-reset-fast.md");
        assert_eq!(naming.href(2, 0), "../home");
        assert_eq!(naming.href(0, 2), "Processes/Log-in-reset-fast");
        assert_eq!(naming.image(2, "x.svg"), "../uploads/x.svg");
    }

    #[test]
    fn azure_names_encode_hyphens_and_special_characters() {
        let naming = Naming::new(Flavor::Azure, &tree());
        assert_eq!(naming.files[2], "Processes/Log%2Din-%7C-reset%3A-%3Cfast%3E%3F.md");
        assert_eq!(naming.files[3], "Processes/Log-in---reset-(fast).md");
        assert_eq!(naming.href(3, 2), "/Processes/Log%2Din-%7C-reset%3A-%3Cfast%3E%3F");
        assert_eq!(naming.image(0, "x.png"), "/.attachments/x.png");
        assert_eq!(azure_name(".hidden."), "hidden");
    }
}
