//! Readers: every input format yields the same [`Record`]s.
//!
//! | format | files | one document is |
//! |---|---|---|
//! | JSONL | `.jsonl`, `.ndjson` | one JSON object per line (`id`; `title` + `abstract`, or `text`) |
//! | CSV / TSV | `.csv`, `.tsv` | one row (columns `id`, `title`, `abstract`) |
//! | plain text | `.txt`, a directory of them | one file (id = file stem) |
//! | PubMed XML | `.xml` (baseline, update, efetch files) | one `PubmedArticle`, `PubmedBookArticle` or `MedlineCitation` ([`pubmed`]) |
//! | MEDLINE text | `.nbib`, `.medline`, `.txt` starting `PMID-` | one record between blank lines ([`medline`]) |
//! | PubTator | `.pubtator`, `.PubTator.txt`, `.txt` starting `123\|t\|` | one `\|t\|` + `\|a\|` pair; annotations ignored ([`pubtator`]) |
//! | BioC XML | `.BioC.xml`, `.bioc`, `.xml` with root `<collection>` | one `<document>`, passages as sections ([`bioc`]) |
//! | BioC JSON | `.json`, `.bioc.json`, JSON with `documents` or `passages` | one document ([`bioc_json`]) |
//! | JATS (PMC full text) | `.nxml`, `.xml` with root `<article>` or `<pmc-articleset>` | one `<article>`, blocks as sections ([`jats`]) |
//! | tar package | `.tar`, `.tar.gz`, `.tgz`, tar content | each article member, read without unpacking ([`package`]) |
//!
//! Every format may be gzip-compressed (`.gz`). The format is chosen from the file name and,
//! where the name is not enough (`.txt`, `.xml`, no known extension), from the first bytes
//! ([`detect`]); `--format` overrides both. A broken record is reported as an [`InputError`] with
//! its location (line, or byte offset in the decompressed data for XML), record number and id
//! where known, and skipped; the reader goes on with the next record. A file that cannot be read
//! on (truncated gzip, not the format its name says, a record past
//! [`InputOptions::max_record_bytes`]) ends with a fatal error; the records before it stand.
//! The streaming readers ([`limit`]) hold one record at a time.

pub mod ahead;
pub mod bioc;
pub mod bioc_json;
pub mod bioc_passages;
pub mod blocks;
pub mod check;
pub mod csv;
pub mod detect;
pub mod digest;
pub mod fulltext;
pub mod jats;
pub mod jsonl;
pub mod limit;
pub mod medline;
pub mod package;
pub mod pubmed;
pub mod pubtator;
pub mod text;
pub mod xml;

use std::fmt;
use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use crate::diagnostic::{Diagnostic, Fix, Setting};
use crate::document::Document;
pub use check::check_inputs;

/// An input format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    Jsonl,
    Csv,
    Tsv,
    Text,
    Pubmed,
    Medline,
    Pubtator,
    Bioc,
    /// PMC full text: JATS / NLM XML articles, efetch `db=pmc` answers ([`jats`]).
    Jats,
    /// BioC JSON: PubTator and BioC-PMC collections ([`bioc_json`]).
    BiocJson,
    /// A tar package (`.tar`, `.tar.gz`, `.tgz`) of article files, read without unpacking
    /// ([`package`]). Found from the name or the content; not a `--format`.
    Package,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "jsonl",
            Format::Csv => "csv",
            Format::Tsv => "tsv",
            Format::Text => "text",
            Format::Pubmed => "pubmed",
            Format::Medline => "medline",
            Format::Pubtator => "pubtator",
            Format::Bioc => "bioc",
            Format::Jats => "jats",
            Format::BiocJson => "bioc-json",
            Format::Package => "package",
        }
    }

    /// The format's name in messages.
    pub fn description(self) -> &'static str {
        match self {
            Format::Jsonl => "JSON Lines",
            Format::Csv => "CSV",
            Format::Tsv => "TSV",
            Format::Text => "plain text",
            Format::Pubmed => "PubMed XML",
            Format::Medline => "MEDLINE text",
            Format::Pubtator => "PubTator",
            Format::Bioc => "BioC XML",
            Format::Jats => "JATS XML (PMC full text)",
            Format::BiocJson => "BioC JSON",
            Format::Package => "a tar package",
        }
    }

    /// Every format `--format` can name, for messages.
    pub const ALL: [Format; 10] = [
        Format::Jsonl,
        Format::Csv,
        Format::Tsv,
        Format::Text,
        Format::Pubmed,
        Format::Medline,
        Format::Pubtator,
        Format::Bioc,
        Format::Jats,
        Format::BiocJson,
    ];

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// The format a file name implies (a trailing `.gz` is looked through). `.txt` and `.xml`
    /// are refined from the first bytes when the file is opened ([`detect`]).
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        if name.ends_with(".tar.gz") || name.ends_with(".tgz") || name.ends_with(".tar") {
            return Some(Format::Package);
        }
        let name = name.strip_suffix(".gz").unwrap_or(&name);
        if name.ends_with(".bioc.xml") {
            return Some(Format::Bioc);
        }
        if name.ends_with(".bioc.json") {
            return Some(Format::BiocJson);
        }
        if name.ends_with(".pubtator.txt") {
            return Some(Format::Pubtator);
        }
        let ext = name.rsplit_once('.').map(|(_, e)| e)?;
        match ext {
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            "csv" => Some(Format::Csv),
            "tsv" | "tab" => Some(Format::Tsv),
            "txt" | "text" => Some(Format::Text),
            "xml" => Some(Format::Pubmed),
            "nbib" | "medline" => Some(Format::Medline),
            "pubtator" => Some(Format::Pubtator),
            "bioc" => Some(Format::Bioc),
            "nxml" => Some(Format::Jats),
            "json" => Some(Format::BiocJson),
            _ => None,
        }
    }
}

/// How to read inputs.
#[derive(Debug, Clone)]
pub struct InputOptions {
    /// Force a format instead of guessing from the file name.
    pub format: Option<Format>,
    /// The id field (JSONL) or column (CSV/TSV).
    pub id_field: String,
    /// Text fields or columns, each becoming a section; `None` means `title` + `abstract`, or
    /// `text`.
    pub text_fields: Option<Vec<String>>,
    /// PubMed XML: also read `VernacularTitle` and `OtherAbstract` (translations, publisher
    /// abstracts) as sections (`--include other-abstracts`).
    pub include_other_abstracts: bool,
    /// Full text (JATS, BioC): the parts read beyond the paper's own prose (`--include tables,
    /// translations,sub-articles,back-matter`).
    pub full_text: fulltext::Include,
    /// The largest record a streaming reader accepts before it stops the file with an error.
    pub max_record_bytes: u64,
    /// PubMed XML is cut into blocks of whole records of about this many bytes, which the
    /// parallel pipeline parses on its workers ([`pubmed::Blocks`]). What is read does not
    /// depend on it; tests set it tiny to put block edges everywhere.
    pub pubmed_block_bytes: usize,
    /// Decompress gzip input on a thread of its own, a few chunks ahead of the parser (the
    /// parallel pipeline sets this; plain files are read directly either way).
    pub decompress_thread: bool,
    /// Live counts for a progress display, updated as the inputs are read.
    pub progress: Option<Arc<Progress>>,
    /// Where the files read to their end leave their size and checksum (for the manifest and
    /// the run's state, which otherwise read every input again).
    pub digests: Option<Arc<digest::ReadDigests>>,
    /// An input already being read ahead ([`ahead::ReadAhead`]): opening that path takes it.
    pub ahead: Option<ahead::Slot>,
}

/// Live counts of a run, for a progress display: the readers add the bytes they read and the
/// pipeline the files and articles it has handed out. Every count only grows.
#[derive(Debug, Default)]
pub struct Progress {
    /// Bytes of the input files as stored (compressed bytes for `.gz`).
    pub bytes_read: AtomicU64,
    /// Bytes of data handed to the parsers (after decompression).
    pub bytes_decoded: AtomicU64,
    /// Files opened.
    pub files_started: AtomicU64,
    /// Articles handed out, in input order.
    pub articles: AtomicU64,
}

impl Progress {
    fn add(counter: &AtomicU64, n: usize) {
        counter.fetch_add(n as u64, Ordering::Relaxed);
    }
}

impl Default for InputOptions {
    fn default() -> Self {
        InputOptions {
            format: None,
            id_field: "id".to_string(),
            text_fields: None,
            include_other_abstracts: false,
            full_text: fulltext::Include::default(),
            max_record_bytes: limit::DEFAULT_MAX_RECORD_BYTES,
            pubmed_block_bytes: pubmed::DEFAULT_BLOCK_BYTES,
            decompress_thread: false,
            progress: None,
            digests: None,
            ahead: None,
        }
    }
}

/// What a reader yields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Record {
    /// An article to tag.
    Document(Document),
    /// Ids to remove from the run's results (PubMed `DeleteCitation`).
    Delete(Vec<String>),
}

/// A problem with an input: where it is, what it is, how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The file as the user named it (`-` for standard input).
    pub path: String,
    pub line: Option<u64>,
    /// Byte offset, where lines do not apply (binary or XML input).
    pub byte: Option<u64>,
    /// 1-based record number in the file.
    pub record: Option<u64>,
    /// The record's id (PMID), when known.
    pub id: Option<String>,
    pub message: String,
    pub fix: Option<String>,
    /// The setting that does the fix, when one does.
    pub setting: Option<Setting>,
    /// The rest of the file cannot be read (as opposed to one record skipped).
    pub fatal: bool,
    /// The file is gzip data of this many bytes: `byte` counts the decompressed data.
    pub gzip_bytes: Option<u64>,
}

impl InputError {
    pub fn new(path: &str, message: impl Into<String>) -> InputError {
        InputError {
            path: path.to_string(),
            line: None,
            byte: None,
            record: None,
            id: None,
            message: message.into(),
            fix: None,
            setting: None,
            fatal: false,
            gzip_bytes: None,
        }
    }

    /// An input that holds no articles: one message whatever the format (an empty file, white
    /// space only, a CSV header without rows, an XML set without records).
    pub fn empty(path: &str) -> InputError {
        InputError::new(path, "the file holds no articles (it is empty)")
            .fix("check that it was exported or downloaded completely; it is skipped")
    }

    pub fn at_line(mut self, line: u64) -> Self {
        self.line = Some(line);
        self
    }

    pub fn at_byte(mut self, byte: u64) -> Self {
        self.byte = Some(byte);
        self
    }

    pub fn record(mut self, n: u64) -> Self {
        self.record = Some(n);
        self
    }

    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> Self {
        self.fix = Some(fix.into());
        self
    }

    /// The setting that does the fix (see [`Setting`]).
    pub fn setting(mut self, setting: Setting) -> Self {
        self.setting = Some(setting);
        self
    }

    pub fn fatal(mut self) -> Self {
        self.fatal = true;
        self
    }

    /// The error as a diagnostic, its fix kept apart (so that the binary can name the setting).
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::error(self.place_and_message()).with_fix(self.fix.as_ref().map(|text| Fix {
            text: text.clone(),
            setting: self.setting.clone(),
        }))
    }

    /// Where the problem is and what it is, without the fix.
    fn place_and_message(&self) -> String {
        let mut f = self.path.clone();
        if let Some(l) = self.line {
            f.push_str(&format!(":{l}"));
        } else if let Some(b) = self.byte {
            f.push_str(&format!(": byte {b}"));
            if let Some(n) = self.gzip_bytes {
                f.push_str(&format!(
                    " of the decompressed data (the file holds {n} bytes of gzip data)"
                ));
            }
        }
        f.push(':');
        if let Some(r) = self.record {
            f.push_str(&format!(" record {r}"));
            if let Some(id) = &self.id {
                f.push_str(&format!(" (id {id})"));
            }
            f.push(':');
        } else if let Some(id) = &self.id {
            f.push_str(&format!(" id {id}:"));
        }
        f.push(' ');
        f.push_str(&self.message);
        f
    }

    /// An I/O error while reading, with gzip problems explained.
    pub fn io(path: &str, err: &io::Error) -> InputError {
        let gz = path.ends_with(".gz");
        let msg = match err.kind() {
            io::ErrorKind::UnexpectedEof if gz => "the gzip data ends early (truncated file)".to_string(),
            io::ErrorKind::InvalidInput | io::ErrorKind::InvalidData if gz => {
                format!("the gzip data is corrupt ({err})")
            }
            _ => format!("read error: {err}"),
        };
        let e = InputError::new(path, msg).fatal();
        if gz {
            e.fix("download the file again; `gzip -t FILE` checks it")
        } else {
            e
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // the same text as the diagnostic
        let d = self.to_diagnostic();
        write!(f, "{}", d.message)?;
        if let Some(fix) = &d.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}

impl std::error::Error for InputError {}

/// A stream of records from one input.
pub type Records = Box<dyn Iterator<Item = Result<Record, InputError>> + Send>;

/// How a path is shown in messages.
pub fn display_path(path: &Path) -> String {
    if path == Path::new("-") {
        "-".to_string()
    } else {
        path.display().to_string()
    }
}

/// Open a byte stream, decompressing `.gz` files (and gzip data on standard input).
pub fn open_bytes(path: &Path) -> Result<Box<dyn BufRead + Send>, InputError> {
    open_bytes_with(path, &InputOptions::default())
}

/// Size of the chunks read from files and decompressed.
const CHUNK: usize = 256 * 1024;

/// Chunks the decompression thread may hold ready ahead of the parser.
const CHUNKS_AHEAD: usize = 4;

/// Like [`open_bytes`], with the counters and the decompression thread of `opts`.
pub fn open_bytes_with(path: &Path, opts: &InputOptions) -> Result<Box<dyn BufRead + Send>, InputError> {
    let shown = display_path(path);
    let raw: Box<dyn Read + Send> = if path == Path::new("-") {
        Box::new(io::stdin())
    } else {
        let f = File::open(path).map_err(|e| {
            InputError::new(&shown, format!("cannot open: {e}"))
                .fatal()
                .fix("check the path")
        })?;
        match &opts.digests {
            Some(d) => Box::new(digest::Digesting::new(f, path, Arc::clone(d))),
            None => Box::new(f),
        }
    };
    let raw = Counted::new(raw, opts.progress.clone(), |p| &p.bytes_read);
    let mut buf = BufReader::with_capacity(CHUNK, raw);
    let head = buf.fill_buf().map_err(|e| InputError::io(&shown, &e))?;
    let is_gzip = head.starts_with(&[0x1f, 0x8b]);
    if let Some(e) = gzip_mismatch(&shown, head, is_gzip) {
        return Err(e);
    }
    if !is_gzip {
        // not compressed: what is read is what is parsed
        if let Some(p) = &opts.progress {
            Progress::add(&p.bytes_decoded, buf.buffer().len());
        }
        let progress = opts.progress.clone();
        buf.get_mut().decoded = progress;
        return Ok(Box::new(buf));
    }
    let dec = flate2::bufread::MultiGzDecoder::new(buf);
    if opts.decompress_thread {
        Ok(Box::new(ChunkReader::spawn(dec, opts.progress.clone())))
    } else {
        let dec = Counted::new(dec, opts.progress.clone(), |p| &p.bytes_decoded);
        Ok(Box::new(BufReader::with_capacity(CHUNK, dec)))
    }
}

/// The size of a file that holds gzip data (its offsets in messages count decompressed bytes);
/// `None` for other files and for standard input.
pub fn gzip_size(path: &Path) -> Option<u64> {
    if path == Path::new("-") {
        return None;
    }
    let mut f = File::open(path).ok()?;
    let mut magic = [0u8; 2];
    f.read_exact(&mut magic).ok()?;
    (magic == [0x1f, 0x8b])
        .then(|| f.metadata().ok().map(|m| m.len()))
        .flatten()
}

/// A file named `.gz` that does not start as gzip data does.
fn gzip_mismatch(shown: &str, head: &[u8], is_gzip: bool) -> Option<InputError> {
    (shown.ends_with(".gz") && !is_gzip && !head.is_empty()).then(|| {
        InputError::new(shown, "the name ends in .gz but the file is not gzip data")
            .fatal()
            .fix("rename the file without .gz, or compress it with gzip")
    })
}

/// A reader that adds the bytes it reads to a progress counter (and, for a plain file, to the
/// decoded count too). It sits under a buffer, so it counts once per chunk.
struct Counted<R> {
    inner: R,
    progress: Option<Arc<Progress>>,
    counter: fn(&Progress) -> &AtomicU64,
    decoded: Option<Arc<Progress>>,
}

impl<R: Read> Counted<R> {
    fn new(inner: R, progress: Option<Arc<Progress>>, counter: fn(&Progress) -> &AtomicU64) -> Self {
        Counted {
            inner,
            progress,
            counter,
            decoded: None,
        }
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if let Some(p) = &self.progress {
            Progress::add((self.counter)(p), n);
        }
        if let Some(p) = &self.decoded {
            Progress::add(&p.bytes_decoded, n);
        }
        Ok(n)
    }
}

/// The parser's side of a decompression thread: chunks of decompressed bytes arrive through a
/// bounded channel and are read in place; emptied chunks go back to the thread for reuse.
struct ChunkReader {
    rx: Receiver<io::Result<Vec<u8>>>,
    recycle: SyncSender<Vec<u8>>,
    cur: Vec<u8>,
    pos: usize,
    /// The thread has sent its last chunk, or an error.
    done: bool,
}

impl ChunkReader {
    fn spawn<R: Read + Send + 'static>(mut dec: R, progress: Option<Arc<Progress>>) -> ChunkReader {
        let (tx, rx) = sync_channel::<io::Result<Vec<u8>>>(CHUNKS_AHEAD);
        let (recycle, spare) = sync_channel::<Vec<u8>>(CHUNKS_AHEAD + 2);
        std::thread::spawn(move || {
            loop {
                let mut chunk = spare.try_recv().unwrap_or_else(|_| Vec::with_capacity(CHUNK));
                chunk.clear();
                chunk.resize(CHUNK, 0);
                let mut filled = 0;
                let end = loop {
                    match dec.read(&mut chunk[filled..]) {
                        Ok(0) => break true,
                        Ok(n) => {
                            filled += n;
                            if filled == chunk.len() {
                                break false;
                            }
                        }
                        Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            chunk.truncate(filled);
                            if filled > 0 && tx.send(Ok(std::mem::take(&mut chunk))).is_err() {
                                return;
                            }
                            let _ = tx.send(Err(e));
                            return;
                        }
                    }
                };
                chunk.truncate(filled);
                if let Some(p) = &progress {
                    Progress::add(&p.bytes_decoded, filled);
                }
                // an empty chunk says the end; a closed channel means the parser stopped
                if filled > 0 && tx.send(Ok(chunk)).is_err() {
                    return;
                }
                if end {
                    return;
                }
            }
        });
        ChunkReader {
            rx,
            recycle,
            cur: Vec::new(),
            pos: 0,
            done: false,
        }
    }
}

impl Read for ChunkReader {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let avail = self.fill_buf()?;
        let n = avail.len().min(buf.len());
        buf[..n].copy_from_slice(&avail[..n]);
        self.consume(n);
        Ok(n)
    }
}

impl BufRead for ChunkReader {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        while self.pos >= self.cur.len() && !self.done {
            match self.rx.recv() {
                Ok(Ok(chunk)) => {
                    let old = std::mem::replace(&mut self.cur, chunk);
                    self.pos = 0;
                    if old.capacity() > 0 {
                        let _ = self.recycle.try_send(old);
                    }
                }
                Ok(Err(e)) => {
                    self.done = true;
                    return Err(e);
                }
                Err(_) => self.done = true,
            }
        }
        Ok(&self.cur[self.pos.min(self.cur.len())..])
    }

    fn consume(&mut self, amt: usize) {
        self.pos = (self.pos + amt).min(self.cur.len());
    }
}

/// Expand directories into their files (sorted, recursively), keeping files as given.
/// Within a directory only files whose format is known (or `.txt` for `--format text`) are taken.
pub fn expand_inputs(inputs: &[PathBuf], opts: &InputOptions) -> Result<Vec<PathBuf>, InputError> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, opts)?;
            found.sort();
            if found.is_empty() {
                return Err(
                    InputError::new(&p.display().to_string(), "the directory holds no input files")
                        .fatal()
                        .fix("give files with a known extension (.jsonl, .csv, .tsv, .txt, .xml, .nxml, .json, .nbib, .pubtator, optionally .gz; .tar.gz packages)"),
                );
            }
            out.extend(found);
        } else {
            out.push(p.clone());
        }
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>, opts: &InputOptions) -> Result<(), InputError> {
    let rd = std::fs::read_dir(dir)
        .map_err(|e| InputError::new(&dir.display().to_string(), format!("cannot read the directory: {e}")).fatal())?;
    for entry in rd.flatten() {
        let path = entry.path();
        if path.is_dir() {
            walk(&path, out, opts)?;
        } else if let Some(f) = Format::from_path(&path)
            // `.txt` and `.xml` hold several formats; --format says which.
            && opts.format.is_none_or(|want| {
                want == f || matches!(f, Format::Text | Format::Pubmed | Format::Package)
            })
        {
            out.push(path);
        }
    }
    Ok(())
}

/// An opened input: its records, or its blocks of records still to parse (PubMed XML; see
/// [`blocks`]).
pub enum Source {
    Records(Records),
    Blocks(blocks::BlockStream),
}

/// Open one input and return its records.
pub fn open(path: &Path, opts: &InputOptions) -> Result<Records, InputError> {
    Ok(match open_source(path, opts)? {
        Source::Records(r) => r,
        Source::Blocks(b) => Box::new(blocks::BlockReader::new(b)),
    })
}

/// What to do when the format cannot be told (with [`Setting::Format`]).
const FORMAT_FIX: &str = "name the file .jsonl, .csv, .tsv, .txt, .xml, .nxml, .json, .nbib or .pubtator (optionally .gz), or name its format";

/// The format of an opened input (`--format`, else its name and first bytes), and a reader that
/// still starts at byte 0. The one place that decides, for reading and for [`check_inputs`].
fn format_of(
    reader: Box<dyn BufRead + Send>,
    path: &Path,
    opts: &InputOptions,
) -> Result<(Box<dyn BufRead + Send>, Format), InputError> {
    let shown = display_path(path);
    // a package is a package whatever --format says (the format is its members')
    let named = Format::from_path(path);
    let (reader, format) = if named == Some(Format::Package) {
        (reader, Some(Format::Package))
    } else {
        detect::decide(reader, &shown, opts.format, named)?
    };
    match (reader, format) {
        (reader, Some(f)) => Ok((reader, f)),
        (_, None) if path == Path::new("-") => Err(InputError::new(&shown, "cannot tell the format of standard input")
            .fatal()
            .fix("name its format")
            .setting(Setting::Format(None))),
        (_, None) => Err(
            InputError::new(&shown, "cannot tell the format from the file name or its first bytes")
                .fatal()
                .fix(FORMAT_FIX)
                .setting(Setting::Format(None)),
        ),
    }
}

/// Whether an input holds nothing but white space; the reader handed back still starts at byte 0.
fn blank(mut reader: Box<dyn BufRead + Send>, shown: &str) -> Result<(Box<dyn BufRead + Send>, bool), InputError> {
    const LOOK: u64 = 8 * 1024;
    let mut head = Vec::new();
    (&mut reader)
        .take(LOOK)
        .read_to_end(&mut head)
        .map_err(|e| InputError::io(shown, &e))?;
    let blank = (head.len() as u64) < LOOK
        && head
            .strip_prefix(b"\xef\xbb\xbf")
            .unwrap_or(&head)
            .iter()
            .all(u8::is_ascii_whitespace);
    Ok((Box::new(io::Cursor::new(head).chain(reader)), blank))
}

/// Open one input: PubMed XML as blocks (for parsing on several threads), any other format as
/// its records. An input with nothing but white space in it yields no records, whatever its
/// format (the run reports it as holding no articles, [`InputError::empty`]).
pub fn open_source(path: &Path, opts: &InputOptions) -> Result<Source, InputError> {
    if let Some(opened) = opts.ahead.as_ref().and_then(|slot| ahead::take(slot, path)) {
        return opened;
    }
    source_from(open_bytes_with(path, opts)?, path, opts)
}

/// Like [`open_source`], for bytes already opened (and decompressed): `path` names them (its
/// name tells the format where `opts` does not) and is what messages show.
pub fn source_from(reader: Box<dyn BufRead + Send>, path: &Path, opts: &InputOptions) -> Result<Source, InputError> {
    let shown = display_path(path);
    let (reader, blank) = blank(reader, &shown)?;
    if blank {
        return Ok(Source::Records(Box::new(std::iter::empty())));
    }
    let (reader, format) = format_of(reader, path, opts)?;
    if format == Format::Pubmed {
        let blocks = pubmed::Blocks::new(reader, shown, opts);
        return Ok(Source::Blocks(Box::new(
            blocks.map(|b| b.map(|b| Box::new(b) as Box<dyn blocks::Block>)),
        )));
    }
    Ok(Source::Records(records_of(format, reader, shown, path, opts)?))
}

/// The records of an opened input of a known format; `path` names the file (a package member's
/// name, for the ids of articles that carry none).
pub fn records_of(
    format: Format,
    reader: Box<dyn BufRead + Send>,
    shown: String,
    path: &Path,
    opts: &InputOptions,
) -> Result<Records, InputError> {
    Ok(match format {
        Format::Pubmed => Box::new(pubmed::PubmedReader::new(reader, shown, opts)),
        Format::Jsonl => Box::new(jsonl::JsonlReader::new(reader, shown, opts.clone())),
        Format::Csv => csv::open(reader, shown, opts, b',')?,
        Format::Tsv => csv::open(reader, shown, opts, b'\t')?,
        Format::Text => Box::new(text::TextReader::new(reader, shown, path)),
        Format::Medline => Box::new(medline::MedlineReader::new(reader, shown, opts)),
        Format::Pubtator => pubtator::records(reader, shown, opts),
        Format::Bioc => Box::new(bioc::BiocReader::new(reader, shown, opts)),
        Format::Jats => {
            let naming = jats::Naming::of(&path.display().to_string());
            Box::new(jats::JatsReader::new(reader, shown, naming, opts))
        }
        Format::BiocJson => Box::new(bioc_json::BiocJsonReader::new(reader, shown, opts)),
        Format::Package => Box::new(package::PackageReader::spawn(reader, shown, opts)),
    })
}

/// The id of a document read from a file: its stem without `.gz` and the format extension.
pub fn file_stem_id(path: &Path) -> String {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("stdin");
    let name = name.strip_suffix(".gz").unwrap_or(name);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem.to_string(),
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_from_path_table() {
        let cases = [
            ("a.jsonl", Some(Format::Jsonl)),
            ("a.JSONL.gz", Some(Format::Jsonl)),
            ("a.ndjson", Some(Format::Jsonl)),
            ("dir/a.csv", Some(Format::Csv)),
            ("a.tsv.gz", Some(Format::Tsv)),
            ("a.txt", Some(Format::Text)),
            ("a.gz", None),
            ("pubmed21n1298.xml.gz", Some(Format::Pubmed)),
            ("CDR_TrainingSet.BioC.xml", Some(Format::Bioc)),
            ("CDR_TrainingSet.PubTator.txt", Some(Format::Pubtator)),
            ("x.nbib", Some(Format::Medline)),
            ("x.medline.gz", Some(Format::Medline)),
            ("README", None),
        ];
        for (p, want) in cases {
            assert_eq!(Format::from_path(Path::new(p)), want, "{p}");
        }
    }

    #[test]
    fn file_stem_ids() {
        assert_eq!(file_stem_id(Path::new("x/paper1.txt")), "paper1");
        assert_eq!(file_stem_id(Path::new("paper1.txt.gz")), "paper1");
        assert_eq!(file_stem_id(Path::new("noext")), "noext");
    }

    #[test]
    fn error_display_carries_location_and_fix() {
        let e = InputError::new("in.jsonl", "bad JSON")
            .at_line(4)
            .record(3)
            .id("123")
            .fix("repair it");
        assert_eq!(
            e.to_string(),
            "in.jsonl:4: record 3 (id 123): bad JSON (fix: repair it)"
        );
    }
}
