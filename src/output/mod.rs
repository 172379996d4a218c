//! Products: every file goes through the one CSV dialect here and is written atomically.
//!
//! Each product is a writer in its own module that consumes tagged articles one at a time
//! ([`Tagged`]) and emits rows into a [`Sink`]: a CSV file ([`CsvSink`]) or a workbook sheet
//! ([`xlsx::SheetSink`]). Products that aggregate (matrix, roll-ups, co-occurrence, summary)
//! keep compact counts and write at the end; the others (evidence, articles, JSONL) stream.
//! [`products::Products`] runs the set a command asked for.

pub mod articles;
pub mod categories;
pub mod cooccurrence;
pub mod dialect;
pub mod evidence;
pub mod jsonl;
pub mod manifest;
pub mod matrix;
pub mod products;
pub mod pubtator;
pub mod spool;
pub mod summary;
pub mod xlsx;

pub use dialect::{CsvSink, CsvWriter, Dialect};

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::document::Document;
use crate::tag::matcher::Mention;

/// What a run's products tell the user: a choice made for them, or a filter that matched
/// nothing. The binary names the options in its own words; [`std::fmt::Display`] here does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// `auto` chose article rows: `articles` articles are more columns than a spreadsheet has.
    ArticleRows { articles: usize },
    /// Concept rows were asked for, and the matrix has more columns than a spreadsheet opens.
    TooManyColumns { columns: usize },
    /// The section filter names a section no article has.
    NoSuchSection { name: String, seen: Vec<String> },
    /// A workbook sheet holds its first `rows` rows only; `dropped` more are in the CSV product.
    SheetCut { sheet: String, rows: u32, dropped: u64 },
}

impl std::fmt::Display for Notice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        use matrix::EXCEL_MAX_COLUMNS;
        match self {
            Notice::ArticleRows { articles } => write!(
                f,
                "{articles} articles do not fit in the {EXCEL_MAX_COLUMNS} columns of a spreadsheet as concept rows; \
                 the matrix has one row per article instead"
            ),
            Notice::TooManyColumns { columns } => write!(
                f,
                "the matrix has {columns} columns, more than the {EXCEL_MAX_COLUMNS} Excel and LibreOffice can open"
            ),
            Notice::NoSuchSection { name, seen } => write!(
                f,
                "no article has a section named {name:?} (sections seen: {})",
                seen.join(", ")
            ),
            Notice::SheetCut { sheet, rows, dropped } => write!(
                f,
                "the workbook's {sheet} sheet holds the first {rows} rows, the most a sheet can; {dropped} more are only in the CSV product"
            ),
        }
    }
}

/// One article as the products see it: the document and the mentions that passed the filters.
#[derive(Debug, Clone, Copy)]
pub struct Tagged<'a> {
    pub doc: &'a Document,
    pub mentions: &'a [Mention],
}

/// What the aggregate products (matrix, roll-up, co-occurrence, summary) need of an article,
/// without its text: kept in a temporary file during a run and read back for the live articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Digest {
    pub id: String,
    /// Year, journal and DOI (empty where absent).
    pub meta: [String; 3],
    /// (concept index, matched text, mentions), sorted.
    pub mentions: Vec<(u32, String, u32)>,
}

impl Digest {
    /// The digest of an article's (filtered) mentions.
    pub fn of(art: Tagged<'_>) -> Digest {
        let mut d = Digest {
            id: art.doc.id.clone(),
            meta: [
                art.doc.meta.year.clone().unwrap_or_default(),
                art.doc.meta.journal.clone().unwrap_or_default(),
                art.doc.meta.doi.clone().unwrap_or_default(),
            ],
            mentions: Vec::new(),
        };
        let mut v: Vec<(u32, &str)> = art.mentions.iter().map(|m| (m.concept.0, m.text(art.doc))).collect();
        v.sort_unstable();
        for (c, t) in v {
            match d.mentions.last_mut() {
                Some((lc, lt, n)) if *lc == c && lt == t => *n += 1,
                _ => d.mentions.push((c, t.to_string(), 1)),
            }
        }
        d
    }

    /// One concept index per mention.
    pub fn concepts(&self) -> impl Iterator<Item = u32> + '_ {
        self.mentions
            .iter()
            .flat_map(|(c, _, k)| std::iter::repeat_n(*c, *k as usize))
    }
}

/// Where a product's rows go. Text cells are identifiers or prose and stay text; numbers are
/// numbers. Every product writes a header row first.
pub trait Sink {
    fn text(&mut self, s: &str) -> io::Result<()>;
    fn int(&mut self, n: u64) -> io::Result<()>;
    fn end_row(&mut self) -> io::Result<()>;
    /// A whole row: text cells, then numbers (a matrix row of mostly zeros). The same cells as
    /// [`Sink::text`] and [`Sink::int`] one by one and [`Sink::end_row`]; a sink may write it
    /// faster.
    fn row(&mut self, texts: &[&str], ints: &mut dyn Iterator<Item = u64>) -> io::Result<()> {
        for t in texts {
            self.text(t)?;
        }
        for n in ints {
            self.int(n)?;
        }
        self.end_row()
    }
    /// The rows from `first_row` and columns from `first_col` on hold the product's numbers
    /// (a workbook shows them with a colour scale).
    fn numeric_block(&mut self, _first_row: u32, _first_col: u16) {}
    /// Flush; a file sink is then ready to be committed.
    fn finish(&mut self) -> io::Result<()>;
}

/// A file that appears under its final name only when complete.
///
/// Data goes to a temporary file in the same directory, which is renamed over the target on
/// [`AtomicFile::commit`]. If the run fails or is interrupted, the temporary file is removed and
/// any earlier file under the final name is left untouched.
pub struct AtomicFile {
    target: PathBuf,
    tmp: Option<tempfile::NamedTempFile>,
    writer: Option<BufWriter<File>>,
    /// The target exists and is not a regular file (`/dev/null`, a named pipe, a terminal):
    /// it is written into on commit, never replaced.
    special: bool,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        // Renaming over `/dev/null` (as root) would replace the device with a plain file.
        let special = std::fs::metadata(target).is_ok_and(|m| !m.is_file() && !m.is_dir());
        let temp_dir = std::env::temp_dir();
        let dir = match target.parent() {
            _ if special => temp_dir.as_path(),
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("output");
        let prefix = format!(".{name}.");
        let mut builder = tempfile::Builder::new();
        builder.prefix(&prefix).suffix(".tmp");
        // a product is an ordinary file (tempfile's default is owner-only)
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            builder.permissions(std::fs::Permissions::from_mode(0o644));
        }
        let tmp = builder.tempfile_in(dir)?;
        let writer = BufWriter::with_capacity(256 * 1024, tmp.as_file().try_clone()?);
        Ok(AtomicFile {
            target: target.to_path_buf(),
            tmp: Some(tmp),
            writer: Some(writer),
            special,
        })
    }

    /// The final name.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush, and open what was written so far for reading, from its start.
    pub fn reopen(&mut self) -> io::Result<File> {
        if let Some(w) = self.writer.as_mut() {
            w.flush()?;
        }
        self.tmp
            .as_ref()
            .ok_or_else(|| io::Error::other("file committed"))?
            .reopen()
    }

    /// Flush, sync and move the file into place.
    pub fn commit(mut self) -> io::Result<()> {
        if let Some(mut w) = self.writer.take() {
            w.flush()?;
        }
        let tmp = self.tmp.take().ok_or_else(|| io::Error::other("already committed"))?;
        if self.special {
            // a device or pipe: copy the finished data into it; the temporary file goes away
            let mut src = tmp.reopen()?;
            let mut dst = std::fs::OpenOptions::new().write(true).open(&self.target)?;
            io::copy(&mut src, &mut dst)?;
            return dst.flush();
        }
        tmp.as_file().sync_all()?;
        tmp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("file committed"))?
            .write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        match self.writer.as_mut() {
            Some(w) => w.flush(),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Regression: `-o /dev/null` run as root renamed the temporary file over /dev/null and
    // replaced the device with a plain file. Special files are written into, never replaced.
    #[cfg(unix)]
    #[test]
    fn a_special_target_is_written_into_not_replaced() {
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().unwrap();
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || std::fs::read_to_string(fifo).unwrap())
        };
        let mut f = AtomicFile::create(&fifo).unwrap();
        f.write_all(b"through the pipe").unwrap();
        f.commit().unwrap();
        assert_eq!(reader.join().unwrap(), "through the pipe");
        assert!(std::fs::metadata(&fifo).unwrap().file_type().is_fifo());
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file beside the pipe"
        );
        // /dev/null stays a character device
        let mut f = AtomicFile::create(Path::new("/dev/null")).unwrap();
        f.write_all(b"discarded").unwrap();
        f.commit().unwrap();
        assert!(std::fs::metadata("/dev/null").unwrap().file_type().is_char_device());
    }

    #[test]
    fn atomic_file_appears_only_on_commit() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("m.csv");
        std::fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"new half").unwrap();
            // dropped without commit: an interrupted run
        }
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        assert_eq!(
            std::fs::read_dir(dir.path()).unwrap().count(),
            1,
            "no temporary file left"
        );
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
