//! The one world a handbook is typeset in: the bundled Inter fonts, the
//! handbook template and its data as in-memory files, and a fixed date.
//!
//! Typst asks its `World` for everything it reads. This one answers only
//! from memory — no file system, no package downloads, no system fonts — so
//! the PDF depends on nothing but the model and the build date, and two
//! builds of the same model are byte-identical on every machine.

use std::collections::HashMap;

use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};

use crate::model::Date;

/// The handbook's world: a main source, data files by path, the fonts.
pub struct HandbookWorld {
    library: LazyHash<Library>,
    book: LazyHash<FontBook>,
    fonts: Vec<Font>,
    main: Source,
    files: HashMap<FileId, Bytes>,
    today: Option<Datetime>,
}

/// The bundled fonts as Typst reads them, parsed once per process: every
/// handbook uses the same two faces.
fn bundled_fonts() -> Vec<Font> {
    [crate::text::INTER_REGULAR, crate::text::INTER_SEMIBOLD]
        .into_iter()
        .flat_map(|data| Font::iter(Bytes::new(data)))
        .collect()
}

/// The id of an in-memory file at `path` (absolute, `/`-separated).
///
/// Only procflow's own constant paths come here, so a path Typst cannot
/// read is a bug in procflow, reported as such.
pub fn file_id(path: &str) -> Result<FileId, String> {
    let vpath = VirtualPath::new(path).map_err(|err| format!("{path}: {err:?}"))?;
    Ok(RootedPath::new(VirtualRoot::Project, vpath).intern())
}

impl HandbookWorld {
    /// A world whose main file is `template` (at `main_path`), with `files`
    /// (path → bytes) beside it and `today` as the date Typst's
    /// `datetime.today()` gives.
    pub fn new(main_path: &str, template: &str, files: Vec<(String, Vec<u8>)>, today: &Date) -> Result<Self, String> {
        let fonts = bundled_fonts();
        let main = Source::new(file_id(main_path)?, template.to_string());
        let files = files
            .into_iter()
            .map(|(path, bytes)| Ok((file_id(&path)?, Bytes::new(bytes))))
            .collect::<Result<_, String>>()?;
        Ok(HandbookWorld {
            library: LazyHash::new(Library::default()),
            book: LazyHash::new(FontBook::from_fonts(&fonts)),
            fonts,
            main,
            files,
            today: datetime_of(today),
        })
    }
}

/// A `YYYY-MM-DD` date as Typst's date (`None` if it is not one, which the
/// model's checked dates never are).
pub fn datetime_of(date: &Date) -> Option<Datetime> {
    let mut parts = date.0.split('-').map(str::parse::<i64>);
    let (Some(Ok(year)), Some(Ok(month)), Some(Ok(day))) = (parts.next(), parts.next(), parts.next()) else {
        return None;
    };
    Datetime::from_ymd(i32::try_from(year).ok()?, u8::try_from(month).ok()?, u8::try_from(day).ok()?)
}

impl World for HandbookWorld {
    fn library(&self) -> &LazyHash<Library> {
        &self.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.book
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() { Ok(self.main.clone()) } else { Err(not_found(id)) }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if id == self.main.id() {
            return Ok(Bytes::from_string(self.main.text().to_string()));
        }
        self.files.get(&id).cloned().ok_or_else(|| not_found(id))
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        self.today
    }
}

fn not_found(id: FileId) -> FileError {
    FileError::NotFound(id.vpath().get_without_slash().into())
}
