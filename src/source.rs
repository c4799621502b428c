//! Source texts handed to the pipeline by id, and positions inside them.
//!
//! Stages never touch the disk: the CLI (or a test) fills a [`Sources`] and the
//! stages refer to text through [`FileId`] and [`Span`]. This keeps every stage
//! testable on in-memory strings and lets diagnostics quote the exact line.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

/// Index of one file inside [`Sources`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FileId(pub u32);

/// A place in a source file: 1-based line and column plus the byte range, so
/// diagnostics can show the line and underline the offending value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Span {
    pub file: FileId,
    pub line: u32,
    pub column: u32,
    pub start: usize,
    pub len: usize,
}

impl Span {
    /// A span that points at a whole file, for problems that have no better place
    /// (an empty file, a file that is not text).
    pub fn file_start(file: FileId) -> Self {
        Span { file, line: 1, column: 1, start: 0, len: 0 }
    }
}

/// One file's text, or the reason it has none (not UTF-8, too large, not read
/// at all).
#[derive(Debug, Clone)]
pub struct SourceFile {
    /// Path as shown to the user, relative to the project folder where possible.
    pub path: PathBuf,
    pub text: String,
    /// Set when the bytes could not be used as text; the loader reports it.
    pub unreadable: Option<Unreadable>,
    /// Byte offset of the start of every line, computed the first time a line
    /// is asked for: a report quotes thousands of lines of large files.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    /// Whether this is a skipped path rather than a file that was read.
    pub fn is_skipped(&self) -> bool {
        matches!(self.unreadable, Some(Unreadable::Skipped(_)))
    }
}

/// Why a file's bytes were not turned into text.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Unreadable {
    /// The file is not UTF-8; the position of the first invalid byte.
    NotUtf8 { line: u32, column: u32, offset: usize },
    /// The file is larger than [`MAX_FILE_BYTES`].
    TooLarge { bytes: u64 },
    /// The path was not read at all; the loader says why, as a warning.
    Skipped(Skipped),
}

/// Why an entry of the models folder that looks like part of the model was
/// not read. Paths are as shown to the user.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Skipped {
    /// A folder nested deeper than `limit` folders below the models folder.
    TooDeep { limit: usize },
    /// A folder that is (through a symbolic link) one of the folders that
    /// contain it: entering it would never end.
    Loop { first: PathBuf },
    /// A folder that is (through a symbolic link) a folder already searched
    /// under another path: its files are read once, from there.
    SameFolder { first: PathBuf },
    /// A `*.yaml` entry that is not a regular file (a FIFO, socket or
    /// device): reading it could wait forever or never end.
    NotAFile { kind: &'static str },
    /// A `*.yaml` symbolic link that cannot be followed (its target is
    /// missing, or links loop); `why` is the system's reason.
    BrokenLink { target: PathBuf, why: String },
}

/// Largest model file accepted. A hand-written model is a few kilobytes; this
/// bound keeps memory use predictable on hostile input.
pub const MAX_FILE_BYTES: u64 = 16 * 1024 * 1024;

/// The set of model files of one project, in sorted path order.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
    /// The project's `procflow.yaml`, kept apart because it has its own format.
    settings: Option<FileId>,
}

impl Sources {
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds a model file from its raw bytes; invalid UTF-8 is recorded, not fatal,
    /// so the other files can still be checked.
    pub fn add_bytes(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>) -> FileId {
        let path = path.into();
        let file = match String::from_utf8(bytes) {
            Ok(text) => SourceFile { path, text, unreadable: None, line_starts: OnceLock::new() },
            Err(err) => {
                let valid = err.utf8_error().valid_up_to();
                let bytes = err.as_bytes();
                let (line, column) = line_column(&String::from_utf8_lossy(&bytes[..valid]), valid);
                SourceFile {
                    path,
                    // Kept only to show the line in the diagnostic.
                    text: String::from_utf8_lossy(bytes).into_owned(),
                    unreadable: Some(Unreadable::NotUtf8 { line, column, offset: valid }),
                    line_starts: OnceLock::new(),
                }
            }
        };
        self.push(file)
    }

    /// Adds a model file from text (tests, fuzzing, the server's in-memory edits).
    pub fn add_text(&mut self, path: impl Into<PathBuf>, text: impl Into<String>) -> FileId {
        self.push(SourceFile { path: path.into(), text: text.into(), unreadable: None, line_starts: OnceLock::new() })
    }

    /// Records a file that was too large to read.
    pub fn add_too_large(&mut self, path: impl Into<PathBuf>, bytes: u64) -> FileId {
        self.push(SourceFile {
            path: path.into(),
            text: String::new(),
            unreadable: Some(Unreadable::TooLarge { bytes }),
            line_starts: OnceLock::new(),
        })
    }

    /// Records an entry of the models folder that was not read, and why.
    pub fn add_skipped(&mut self, path: impl Into<PathBuf>, why: Skipped) -> FileId {
        self.push(SourceFile {
            path: path.into(),
            text: String::new(),
            unreadable: Some(Unreadable::Skipped(why)),
            line_starts: OnceLock::new(),
        })
    }

    /// Adds the project's settings file.
    pub fn set_settings(&mut self, path: impl Into<PathBuf>, bytes: Vec<u8>) -> FileId {
        let id = self.add_bytes(path, bytes);
        self.settings = Some(id);
        id
    }

    fn push(&mut self, file: SourceFile) -> FileId {
        let id = FileId(self.files.len() as u32);
        self.files.push(file);
        id
    }

    pub fn get(&self, id: FileId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    pub fn settings(&self) -> Option<FileId> {
        self.settings
    }

    /// Every file, the settings file included, in the order they were added.
    pub fn files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files.iter().enumerate().map(|(i, f)| (FileId(i as u32), f))
    }

    /// Model files (everything but the settings file), in the order they were added.
    pub fn model_files(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files().filter(move |(id, _)| Some(*id) != self.settings)
    }

    pub fn path(&self, id: FileId) -> &Path {
        &self.get(id).path
    }

    /// The text of line `line` (1-based) of a file, without its line break.
    pub fn line_text(&self, id: FileId, line: u32) -> Option<&str> {
        let file = self.get(id);
        let text = &file.text;
        let starts = file
            .line_starts
            .get_or_init(|| std::iter::once(0).chain(text.match_indices('\n').map(|(i, _)| i + 1)).collect());
        let index = line.checked_sub(1)? as usize;
        let start = *starts.get(index)?;
        let end = starts.get(index + 1).map_or(text.len(), |next| next - 1);
        let line = &text[start..end];
        Some(line.strip_suffix('\r').unwrap_or(line))
    }
}

/// A content hash for telling whether something changed between two reads
/// (never stored: the hasher's output may change between releases). Fast
/// rather than collision-resistant: it decides what to rebuild, so a rebuild
/// of a 6 MiB model hashes every file several times in a few milliseconds.
pub fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::Hasher;
    let mut hasher = rustc_hash::FxHasher::default();
    value.hash(&mut hasher);
    hasher.finish()
}

/// 1-based line and column (in characters) of byte `offset` in `text`.
pub fn line_column(text: &str, offset: usize) -> (u32, u32) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before[line_start..].chars().count() + 1;
    (line as u32, column as u32)
}

/// The byte offset of a 1-based `line` and `column` (in characters) of
/// `text`, the inverse of [`line_column`], for parsers that report positions
/// but no offsets. A place beyond the text or its line is clamped to the end
/// of it.
pub fn offset_of(text: &str, line: u32, column: u32) -> usize {
    let line_start: usize =
        text.split_inclusive('\n').take(line.saturating_sub(1) as usize).map(str::len).sum::<usize>().min(text.len());
    let rest = &text[line_start..];
    let line_end = rest.find('\n').unwrap_or(rest.len());
    line_start + rest[..line_end].char_indices().nth(column.saturating_sub(1) as usize).map_or(line_end, |(i, _)| i)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offset_of_inverts_line_column() {
        let text = "ab\nüb\n\nlast";
        for offset in [0, 1, 3, 5, 6, 7, 8, 11] {
            let (line, column) = line_column(text, offset);
            assert_eq!(offset_of(text, line, column), offset, "offset {offset}");
        }
        assert_eq!(offset_of(text, 2, 9), 6, "past the line: its end");
        assert_eq!(offset_of(text, 9, 1), text.len(), "past the text: its end");
    }

    #[test]
    fn line_column_counts_characters_not_bytes() {
        assert_eq!(line_column("a\nüb", 4), (2, 2));
        assert_eq!(line_column("abc", 0), (1, 1));
    }

    #[test]
    fn invalid_utf8_is_located() {
        let mut sources = Sources::new();
        let id = sources.add_bytes("x.yaml", b"roles:\n  - id: \xff\n".to_vec());
        assert_eq!(sources.get(id).unreadable, Some(Unreadable::NotUtf8 { line: 2, column: 9, offset: 15 }));
    }

    #[test]
    fn line_text_is_each_line_without_its_break() {
        let mut sources = Sources::new();
        let id = sources.add_text("x.yaml", "a\r\n\nb\nc");
        let lines: Vec<_> = (0..6).map(|n| sources.line_text(id, n)).collect();
        assert_eq!(lines, [None, Some("a"), Some(""), Some("b"), Some("c"), None]);
        let id = sources.add_text("y.yaml", "a\n");
        assert_eq!(sources.line_text(id, 2), Some(""));
        assert_eq!(sources.line_text(id, 3), None);
    }
}
