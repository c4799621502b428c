//! The wiki's pages as plain data, before any wiki syntax: what each page
//! says, in which order, and which page or diagram it points at.
//!
//! [`super::content`] fills these from the model; the flavour writers
//! ([`super::markdown`], [`super::confluence`]) only format them. User text is
//! kept as written here — escaping is the writers' job, each for its own
//! syntax — so no string is ever escaped twice or not at all.

/// A page of the wiki. Pages refer to each other by their index in the list
/// [`super::content::pages`] returns; parents come before their children.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    /// What the page is about; decides its file name in every flavour.
    pub kind: PageKind,
    /// A stable, file-safe name built from ids (`home`, `processes`,
    /// `process-<id>`…), for flavours that name files by it.
    pub key: String,
    /// The title, unique in the wiki (case-insensitively).
    pub title: String,
    /// The page it sits under in the page tree (`None` for the home page).
    pub parent: Option<usize>,
    /// What the page says, in reading order.
    pub blocks: Vec<Block>,
}

/// What a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PageKind {
    /// The root page: the landscape and every section's list.
    Home,
    /// The list of every page of one kind.
    Section(Section),
    /// A process, workflow or role, by its position in the model's list.
    Process(usize),
    /// See [`PageKind::Process`].
    Workflow(usize),
    /// See [`PageKind::Process`].
    Role(usize),
}

/// The three lists under the home page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Section {
    /// Every process.
    Processes,
    /// Every workflow.
    Workflows,
    /// Every role.
    Roles,
}

impl Section {
    /// The section's title (which also names the folder its pages go in,
    /// where a flavour has folders).
    pub fn title(self) -> &'static str {
        match self {
            Section::Processes => "Processes",
            Section::Workflows => "Workflows",
            Section::Roles => "Roles",
        }
    }
}

/// One block of a page, in reading order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading below the page title (level 2 or 3).
    Heading(u8, String),
    /// Text from the model and from procflow, to be escaped.
    Paragraph(Vec<Inline>),
    /// Markdown the user wrote (a purpose, a work instruction).
    Markdown(String),
    /// A bulleted list, one item per entry.
    List(Vec<Vec<Inline>>),
    /// A table: column headers, then rows of cells.
    Table { header: Vec<String>, rows: Vec<Vec<Vec<Inline>>> },
    /// A diagram, by its index in the export's diagram list.
    Diagram(usize),
    /// A highlighted note (Confluence: an info panel).
    Note(Vec<Inline>),
    /// The table of contents, where the wiki draws one.
    Contents,
    /// A place a diagram's step links to (`<workflow page key>/<step id>`):
    /// the handbook links each drawn step to its description; wikis, which
    /// link steps by their headings, skip it.
    Anchor(String),
}

/// A run of text inside a block.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Plain text.
    Text(String),
    /// Bold text (labels such as "Process owner:").
    Strong(String),
    /// A link to another page of the wiki, by index.
    Page(usize, String),
}

impl Inline {
    /// Plain text.
    pub fn text(text: impl Into<String>) -> Inline {
        Inline::Text(text.into())
    }
}
