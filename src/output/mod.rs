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
pub mod directions;
pub mod evidence;
pub mod figures;
pub mod jsonl;
pub mod manifest;
pub mod matrix;
pub mod products;
pub mod pubtator;
pub mod report;
pub mod run_state;
pub mod spool;
pub mod summary;
pub mod trends;
pub mod xlsx;

pub use dialect::{CsvSink, CsvWriter, Dialect};

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::document::{Document, SectionKind};
use crate::tag::matcher::Mention;

/// What a run's products tell the user: a choice made for them, or a filter that matched
/// nothing. The binary names the options in its own words; [`std::fmt::Display`] here does not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Notice {
    /// `auto` chose article rows: `articles` articles are more columns than a spreadsheet has.
    ArticleRows { articles: usize },
    /// Concept rows were asked for, and the matrix has more columns than a spreadsheet opens.
    TooManyColumns { columns: usize },
    /// The section filter names a section kind that no section of the run has.
    NoSectionOfKind { kind: String },
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
            Notice::NoSectionOfKind { kind } => write!(f, "no section of kind {kind} in this run"),
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
    /// The sentence of each mention as the evidence shows it ([`evidence::sentences`]), when
    /// worked out once for every product that shows it; empty: each works it out itself.
    pub sentences: &'a [String],
}

/// What the aggregate products (matrix, roll-up, co-occurrence, summary) need of an article,
/// without its text: kept in a temporary file during a run and read back for the live articles.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Digest {
    pub id: String,
    /// Year, journal and DOI (empty where absent).
    pub meta: [String; 3],
    /// The article is a full text: its categories follow [`categories::full_text_rule`].
    pub full_text: bool,
    /// Characters of the counted sections (every section, or those `--sections` keeps), for
    /// `--values density`.
    pub chars: u64,
    /// The distinct mentions, sorted, with how often each occurs.
    pub mentions: Vec<Mentioned>,
}

/// Mentions of one concept with one text in one kind of section, as a [`Digest`] keeps them.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Mentioned {
    pub concept: u32,
    pub text: String,
    pub kind: SectionKind,
    /// The mentions evidence their categories ([`crate::tag::roles`]).
    pub in_rollup: bool,
    pub count: u32,
}

impl Digest {
    /// The digest of an article's (filtered) mentions; `chars` are the characters of its
    /// counted sections.
    pub fn of(art: Tagged<'_>, chars: u64) -> Digest {
        let mut d = Digest {
            id: art.doc.id.clone(),
            meta: [
                art.doc.meta.year.clone().unwrap_or_default(),
                art.doc.meta.journal.clone().unwrap_or_default(),
                art.doc.meta.doi.clone().unwrap_or_default(),
            ],
            full_text: art.doc.meta.full_text,
            chars,
            mentions: Vec::new(),
        };
        let mut v: Vec<(u32, &str, SectionKind, bool)> = art
            .mentions
            .iter()
            .map(|m| {
                (
                    m.concept.0,
                    m.text(art.doc),
                    art.doc.sections[m.section as usize].kind,
                    m.evidence.in_rollup,
                )
            })
            .collect();
        v.sort_unstable();
        for (c, t, k, r) in v {
            match d.mentions.last_mut() {
                Some(l) if l.concept == c && l.text == t && l.kind == k && l.in_rollup == r => l.count += 1,
                _ => d.mentions.push(Mentioned {
                    concept: c,
                    text: t.to_string(),
                    kind: k,
                    in_rollup: r,
                    count: 1,
                }),
            }
        }
        d
    }

    /// One concept index per mention.
    pub fn concepts(&self) -> impl Iterator<Item = u32> + '_ {
        self.mentions
            .iter()
            .flat_map(|m| std::iter::repeat_n(m.concept, m.count as usize))
    }

    /// One concept index per mention that evidences its categories.
    pub fn evidencing_concepts(&self) -> impl Iterator<Item = u32> + '_ {
        self.mentions
            .iter()
            .filter(|m| m.in_rollup)
            .flat_map(|m| std::iter::repeat_n(m.concept, m.count as usize))
    }

    /// One (concept, evidence) pair per mention, for the category roll-up.
    pub fn evidence(&self) -> impl Iterator<Item = (u32, categories::Evidence)> + '_ {
        self.mentions.iter().flat_map(|m| {
            let e = categories::Evidence {
                kind: m.kind,
                counted: m.in_rollup,
            };
            std::iter::repeat_n((m.concept, e), m.count as usize)
        })
    }
}

/// Mentions per 10,000 characters (`--values density`), with two decimals at most.
pub fn density(mentions: u64, chars: u64) -> f64 {
    if chars == 0 {
        return 0.0;
    }
    (mentions as f64 * 10_000.0 / chars as f64 * 100.0).round() / 100.0
}

/// Where a product's rows go. Text cells are identifiers or prose and stay text; numbers are
/// numbers. Every product writes a header row first.
pub trait Sink {
    fn text(&mut self, s: &str) -> io::Result<()>;
    fn int(&mut self, n: u64) -> io::Result<()>;
    fn end_row(&mut self) -> io::Result<()>;
    /// A whole row: text cells, then counts (a matrix row of mostly zeros). The same cells as
    /// [`Sink::text`] and [`Sink::int`] one by one and [`Sink::end_row`]; a sink may write it
    /// faster.
    fn row(&mut self, texts: &[&str], counts: &[u32]) -> io::Result<()> {
        for t in texts {
            self.text(t)?;
        }
        for &n in counts {
            self.int(u64::from(n))?;
        }
        self.end_row()
    }
    /// A number with a fraction (`--values density`); written as its shortest decimal.
    fn float(&mut self, x: f64) -> io::Result<()> {
        self.text(&format_float(x))
    }
    /// The rows from `first_row` and columns from `first_col` on hold the product's numbers
    /// (a workbook shows them with a colour scale).
    fn numeric_block(&mut self, _first_row: u32, _first_col: u16) {}
    /// Flush; a file sink is then ready to be committed.
    fn finish(&mut self) -> io::Result<()>;
}

/// A number as CSV writes it: `0`, `1.5`, `0.25` (Rust's shortest round-trip form).
pub fn format_float(x: f64) -> String {
    if x == x.trunc() && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The temporary files of products not yet moved into place ([`remove_unfinished`]).
static UNFINISHED: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

/// Held while products are moved into place, so that [`remove_unfinished`] waits for the last
/// rename of a run instead of leaving new and old products side by side.
static COMMITTING: Mutex<()> = Mutex::new(());

fn lock<T>(m: &'static Mutex<T>) -> MutexGuard<'static, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Remove the temporary file of every [`AtomicFile`] not yet committed, for a process about to
/// end without running destructors (an interrupt handler that exits). Earlier files under the
/// final names stay as they were. Waits while a commit is under way, and blocks every commit
/// after it: no product is moved into place once this has run. Returns how many were removed.
pub fn remove_unfinished() -> usize {
    std::mem::forget(lock(&COMMITTING));
    let mut files = lock(&UNFINISHED);
    let n = files.len();
    for f in files.drain(..) {
        let _ = std::fs::remove_file(f);
    }
    n
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
    /// Everything written is on disk ([`AtomicFile::sync`]): the commit only renames.
    synced: bool,
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
        // created and registered under the lock, so that an interrupt cannot fall between the two
        let mut unfinished = lock(&UNFINISHED);
        let tmp = builder.tempfile_in(dir)?;
        unfinished.push(tmp.path().to_path_buf());
        drop(unfinished);
        let writer = BufWriter::with_capacity(256 * 1024, tmp.as_file().try_clone()?);
        Ok(AtomicFile {
            target: target.to_path_buf(),
            tmp: Some(tmp),
            writer: Some(writer),
            special,
            synced: false,
        })
    }

    /// The final name.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush, and open what was written so far for reading, from its start.
    pub fn reopen(&mut self) -> io::Result<File> {
        self.flushed()?.reopen()
    }

    /// The temporary file, everything written so far flushed into it.
    fn flushed(&mut self) -> io::Result<&tempfile::NamedTempFile> {
        if let Some(w) = self.writer.as_mut() {
            w.flush()?;
        }
        self.tmp.as_ref().ok_or_else(|| io::Error::other("file committed"))
    }

    /// Flush and sync the file now (it stays under its temporary name), so that its commit
    /// has only to rename it. A file finished on a thread of its own is synced there, beside
    /// the work still going on, rather than at the commit, where every file of a run waits for
    /// the disk in turn: pubmed21n1298 with every product spent 0.04-0.08 s there. A file not
    /// written to since its last sync is not synced again (the report's texts are synced on
    /// their compressing thread, then with the report's other files).
    pub fn sync(&mut self) -> io::Result<()> {
        if self.special || self.synced {
            return Ok(());
        }
        self.flushed()?.as_file().sync_all()?;
        self.synced = true;
        Ok(())
    }

    /// Flush, sync and move the file into place.
    pub fn commit(self) -> io::Result<()> {
        let _committing = lock(&COMMITTING);
        self.commit_now()
    }

    /// Commit every file, in order, as one step that an interrupt does not cut in two
    /// ([`remove_unfinished`]). The error names the file that failed.
    pub fn commit_all(files: Vec<AtomicFile>) -> Result<(), (PathBuf, io::Error)> {
        let _committing = lock(&COMMITTING);
        for f in files {
            let target = f.target.clone();
            f.commit_now().map_err(|e| (target, e))?;
        }
        Ok(())
    }

    fn commit_now(mut self) -> io::Result<()> {
        if let Some(mut w) = self.writer.take() {
            w.flush()?;
        }
        let tmp = self.tmp.take().ok_or_else(|| io::Error::other("already committed"))?;
        // under the commit lock, which `remove_unfinished` waits for
        forget_unfinished(tmp.path());
        if self.special {
            // a device or pipe: copy the finished data into it; the temporary file goes away
            let mut src = tmp.reopen()?;
            let mut dst = std::fs::OpenOptions::new().write(true).open(&self.target)?;
            io::copy(&mut src, &mut dst)?;
            return dst.flush();
        }
        if !self.synced {
            tmp.as_file().sync_all()?;
        }
        tmp.persist(&self.target).map_err(|e| e.error)?;
        Ok(())
    }
}

fn forget_unfinished(path: &Path) {
    lock(&UNFINISHED).retain(|p| p != path);
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        // not committed: the temporary file goes away with `tmp`
        if let Some(tmp) = &self.tmp {
            forget_unfinished(tmp.path());
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.synced = false;
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

    // A file synced early (on the thread that finished it) still appears only on commit, with
    // everything written, also what was written after the sync; a special file has nothing
    // to sync.
    #[test]
    fn a_synced_file_still_appears_only_on_commit_and_whole() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("e.csv");
        std::fs::write(&target, "old").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"first,").unwrap();
        f.sync().unwrap();
        assert!(f.synced);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "old");
        f.write_all(b"second").unwrap();
        assert!(!f.synced, "written after the sync: the commit syncs again");
        f.commit().unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "first,second");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        if cfg!(unix) {
            let mut f = AtomicFile::create(Path::new("/dev/null")).unwrap();
            f.write_all(b"discarded").unwrap();
            f.sync().unwrap();
            assert!(!f.synced);
            f.commit().unwrap();
        }
    }
}
