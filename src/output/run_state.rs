//! A run's state (`state.jsonl.gz` in a run directory): what `coagtag merge` and
//! `coagtag tag --update` rebuild the products from, without reading or tagging the inputs
//! again.
//!
//! Every event of the run in input order, one JSON object a line, gzipped:
//!
//! ```text
//! {"header": {format, version, tool_version, ontology: {sha256, files: [{name, text}]}, options}}
//! {"file": PATH}                      a file is about to be read
//! {"article": {doc, mentions}}        a tagged article (every one, replaced ones too)
//! {"delete": ID}                      a delete record's id (PubMed DeleteCitation)
//! {"problem": {path, line, ...}}      a record skipped (or the rest of a file, when fatal)
//! {"end": {files, inputs: [{path, bytes, sha256}]}}
//! ```
//!
//! Replaying the events of several runs in order through the rules of a run
//! ([`crate::pipeline::for_each_event`]) into the same product writers gives the products of
//! one run over all their inputs: the same articles in the same order, replaced and deleted
//! across runs as within one, the same counts and warnings. The ontology's files are kept so
//! a merge needs nothing else; runs are merged only when their ontology (content hash) and
//! product options are the same ([`incompatibility`]). A state without its `end` line was
//! not finished and is refused. [`VERSION`] changes whenever the layout does; a state of
//! another version is refused with the fix (tag again).

use std::fs::File;
use std::io::{self, BufRead, BufReader, Write};
use std::path::{Path, PathBuf};

use flate2::Compression;
use flate2::read::MultiGzDecoder;
use serde::{Deserialize, Serialize};

use super::AtomicFile;
use super::manifest::InputFile;
use crate::document::Document;
use crate::input::InputError;
use crate::pipeline::{Article, ArticleSink, Event};
use crate::tag::matcher::Mention;

/// The state's file name in a run directory.
pub const FILE_NAME: &str = "state.jsonl.gz";

/// The layout's version.
pub const VERSION: u32 = 1;

const FORMAT: &str = "coagtag run state";

/// The first line: what made the run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u32,
    /// The coagtag version that wrote it.
    pub tool_version: String,
    pub ontology: StoredOntology,
    /// Every option that shapes the products, as the manifest records them.
    pub options: serde_json::Value,
}

impl Header {
    pub fn new(ontology: StoredOntology, options: serde_json::Value) -> Header {
        Header {
            format: FORMAT.into(),
            version: VERSION,
            tool_version: env!("CARGO_PKG_VERSION").into(),
            ontology,
            options,
        }
    }
}

/// The ontology a run used: its content hash ([`super::manifest::ontology_sha256`]) and its
/// files' texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredOntology {
    pub sha256: String,
    pub files: Vec<OntologyFile>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OntologyFile {
    pub name: String,
    pub text: String,
}

/// The last line: what a merged run needs to know about the inputs.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct End {
    /// Input files (after expanding directories).
    pub files: usize,
    /// Each input's path as given, size and checksum when it was read.
    pub inputs: Vec<InputFile>,
}

/// A problem as kept (the setting that fixes it is the command line's business and is not
/// kept).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Problem {
    path: String,
    line: Option<u64>,
    byte: Option<u64>,
    record: Option<u64>,
    id: Option<String>,
    message: String,
    fix: Option<String>,
    fatal: bool,
    gzip_bytes: Option<u64>,
}

impl Problem {
    fn of(e: &InputError) -> Problem {
        Problem {
            path: e.path.clone(),
            line: e.line,
            byte: e.byte,
            record: e.record,
            id: e.id.clone(),
            message: e.message.clone(),
            fix: e.fix.clone(),
            fatal: e.fatal,
            gzip_bytes: e.gzip_bytes,
        }
    }

    fn into_error(self) -> InputError {
        let mut e = InputError::new(&self.path, self.message);
        e.line = self.line;
        e.byte = self.byte;
        e.record = self.record;
        e.id = self.id;
        e.fix = self.fix;
        e.fatal = self.fatal;
        e.gzip_bytes = self.gzip_bytes;
        e
    }
}

/// A line, as written (borrowing).
#[derive(Serialize)]
#[serde(rename_all = "snake_case")]
enum LineOut<'a> {
    Header(&'a Header),
    File(&'a Path),
    Article { doc: &'a Document, mentions: &'a [Mention] },
    Delete(&'a str),
    Problem(Problem),
    End(&'a End),
}

/// A line, as read.
#[derive(Deserialize)]
#[serde(rename_all = "snake_case")]
enum LineIn {
    Header(Box<Header>),
    File(PathBuf),
    Article(Box<Article>),
    Delete(String),
    Problem(Problem),
    End(End),
}

/// A problem with a state: where, what, and the fix.
#[derive(Debug)]
pub struct StateError {
    /// The state file.
    pub path: PathBuf,
    /// The line of the (decompressed) state, when one is at fault.
    pub line: Option<u64>,
    pub message: String,
    pub fix: Option<String>,
}

impl std::fmt::Display for StateError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(l) = self.line {
            write!(f, ", line {l}")?;
        }
        write!(f, ": {}", self.message)?;
        if let Some(fix) = &self.fix {
            write!(f, " ({fix})")?;
        }
        Ok(())
    }
}

impl std::error::Error for StateError {}

/// A line for the writer thread (owned: it is written while the run goes on).
enum Owned {
    File(PathBuf),
    Article(Box<Article>),
    Delete(String),
    Problem(Problem),
    End(End),
}

/// How many lines may wait for the writer thread (bounds the memory they take).
const QUEUE: usize = 256;

/// A sink that writes every event of a run to a state before handing it on to `inner` (the
/// products). The lines are serialised and compressed on a thread of their own, so the run's
/// own thread only copies each article once (on pubmed21n1298 the state costs 0.3 s of CPU:
/// JSON and gzip level 1; see BENCHMARKS.md). A write error stops the run;
/// [`Recording::finish`] returns it.
pub struct Recording<S> {
    /// Always there but in `finish`, which hands it back.
    inner: Option<S>,
    tx: Option<std::sync::mpsc::SyncSender<Owned>>,
    writer: Option<std::thread::JoinHandle<io::Result<AtomicFile>>>,
    /// Set by the writer thread when it failed (it keeps the error for `finish`).
    failed: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

fn write_line(out: &mut impl Write, buf: &mut Vec<u8>, line: &LineOut<'_>) -> io::Result<()> {
    buf.clear();
    serde_json::to_writer(&mut *buf, line).map_err(io::Error::other)?;
    buf.push(b'\n');
    out.write_all(buf)
}

impl<S: ArticleSink> Recording<S> {
    /// Start the state at `path` (written atomically: it appears only on commit).
    pub fn create(path: &Path, header: &Header, inner: S) -> io::Result<Recording<S>> {
        let file = AtomicFile::create(path)?;
        // level 1, no name or time in the header: same events, same bytes
        let mut out = flate2::GzBuilder::new().mtime(0).write(file, Compression::fast());
        let mut buf = Vec::new();
        write_line(&mut out, &mut buf, &LineOut::Header(header))?;
        let (tx, rx) = std::sync::mpsc::sync_channel::<Owned>(QUEUE);
        let failed = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let flag = std::sync::Arc::clone(&failed);
        let writer = std::thread::Builder::new().name("run-state".into()).spawn(move || {
            let res = (|| {
                for line in rx {
                    let res = match &line {
                        Owned::File(p) => write_line(&mut out, &mut buf, &LineOut::File(p)),
                        Owned::Article(a) => write_line(
                            &mut out,
                            &mut buf,
                            &LineOut::Article {
                                doc: &a.doc,
                                mentions: &a.mentions,
                            },
                        ),
                        Owned::Delete(id) => write_line(&mut out, &mut buf, &LineOut::Delete(id)),
                        Owned::Problem(p) => write_line(&mut out, &mut buf, &LineOut::Problem(p.clone())),
                        Owned::End(end) => {
                            write_line(&mut out, &mut buf, &LineOut::End(end))?;
                            return out.finish();
                        }
                    };
                    res?;
                }
                Err(io::Error::other("the run ended before its state was finished"))
            })();
            if res.is_err() {
                flag.store(true, std::sync::atomic::Ordering::Relaxed);
            }
            res
        })?;
        Ok(Recording {
            inner: Some(inner),
            tx: Some(tx),
            writer: Some(writer),
            failed,
        })
    }

    fn send(&mut self, line: Owned) {
        if let Some(tx) = &self.tx
            && tx.send(line).is_err()
        {
            // the writer stopped: its error comes with `finish`
            self.tx = None;
        }
    }

    /// The products, for a look before the end.
    pub fn inner_mut(&mut self) -> &mut S {
        self.inner.as_mut().expect("there until finish")
    }

    /// Write the last line; the products and the state's file (to commit with them), or the
    /// first write error with the products (to drop).
    pub fn finish(mut self, end: &End) -> (S, io::Result<AtomicFile>) {
        self.send(Owned::End(end.clone()));
        self.tx = None;
        let res = match self.writer.take().map(|w| w.join()) {
            Some(Ok(res)) => res,
            Some(Err(p)) => std::panic::resume_unwind(p),
            None => Err(io::Error::other("the state was finished twice")),
        };
        (self.inner.take().expect("there until finish"), res)
    }
}

impl<S> Drop for Recording<S> {
    fn drop(&mut self) {
        // a run given up: the writer sees the channel close and drops its unfinished file
        self.tx = None;
        if let Some(w) = self.writer.take() {
            let _ = w.join();
        }
    }
}

impl<S: ArticleSink> ArticleSink for Recording<S> {
    fn add(&mut self, article: Article) {
        // the products read the article, then the state's thread takes it: no copy
        self.inner_mut().add_ref(&article);
        self.send(Owned::Article(Box::new(article)));
    }

    fn delete(&mut self, id: &str) {
        self.send(Owned::Delete(id.to_string()));
        self.inner_mut().delete(id);
    }

    fn dead(&mut self, dead: crate::pipeline::Dead) {
        self.inner_mut().dead(dead);
    }

    fn spill_dir(&self) -> Option<&Path> {
        self.inner.as_ref().and_then(|i| i.spill_dir())
    }

    fn keep_going(&self) -> bool {
        !self.failed.load(std::sync::atomic::Ordering::Relaxed) && self.inner.as_ref().is_some_and(|i| i.keep_going())
    }

    fn file_start(&mut self, path: &Path) {
        self.send(Owned::File(path.to_path_buf()));
        self.inner_mut().file_start(path);
    }

    fn problem(&mut self, e: &InputError) {
        self.send(Owned::Problem(Problem::of(e)));
        self.inner_mut().problem(e);
    }
}

/// A state being read: its header read, its events next.
pub struct StateReader {
    path: PathBuf,
    lines: Box<dyn BufRead>,
    line: u64,
    pub header: Header,
}

impl StateReader {
    /// Open the state of the run directory `dir` and read its header.
    pub fn open(dir: &Path) -> Result<StateReader, StateError> {
        let path = dir.join(FILE_NAME);
        let err = |message: String, fix: &str| StateError {
            path: path.clone(),
            line: None,
            message,
            fix: Some(fix.into()),
        };
        let file = File::open(&path).map_err(|e| {
            if e.kind() == io::ErrorKind::NotFound && dir.is_dir() {
                err(
                    "not found: this directory holds no run state".into(),
                    "name directories written by `coagtag tag --out-dir` (without --no-state) or `coagtag merge`, or tag the inputs again",
                )
            } else {
                err(format!("cannot be read: {e}"), "check the path")
            }
        })?;
        let mut r = StateReader {
            lines: Box::new(BufReader::with_capacity(256 * 1024, MultiGzDecoder::new(file))),
            path: path.clone(),
            line: 0,
            header: Header::new(
                StoredOntology {
                    sha256: String::new(),
                    files: Vec::new(),
                },
                serde_json::Value::Null,
            ),
        };
        let mut buf = String::new();
        let header = match r.next(&mut buf)? {
            Some(LineIn::Header(h)) => *h,
            _ => return Err(r.error("the first line is not a run state's header", None)),
        };
        if header.format != FORMAT || header.version != VERSION {
            return Err(r.error(
                &format!(
                    "a run state of version {} (this coagtag, {}, reads version {VERSION})",
                    header.version,
                    env!("CARGO_PKG_VERSION")
                ),
                Some("tag that run's inputs again with this version"),
            ));
        }
        r.header = header;
        Ok(r)
    }

    /// The state file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self, message: &str, fix: Option<&str>) -> StateError {
        StateError {
            path: self.path.clone(),
            line: Some(self.line),
            message: message.into(),
            fix: fix.map(String::from),
        }
    }

    fn next(&mut self, buf: &mut String) -> Result<Option<LineIn>, StateError> {
        buf.clear();
        self.line += 1;
        let n = self.lines.read_line(buf).map_err(|e| {
            self.error(
                &format!("cannot be read: {e}"),
                Some("the file is damaged: tag that run's inputs again"),
            )
        })?;
        if n == 0 {
            return Ok(None);
        }
        serde_json::from_str(buf).map(Some).map_err(|e| {
            self.error(
                &format!("not a line of a run state: {e}"),
                Some("the file is damaged or from another version: tag that run's inputs again"),
            )
        })
    }

    /// Hand every event to `on` in order (until it returns false); the state's last line.
    pub fn events(mut self, on: &mut dyn FnMut(Event) -> bool) -> Result<End, StateError> {
        let mut buf = String::new();
        loop {
            let event = match self.next(&mut buf)? {
                None => {
                    return Err(self.error(
                        "the state ends early (its run did not finish writing it)",
                        Some("tag that run's inputs again"),
                    ));
                }
                Some(LineIn::End(end)) => return Ok(end),
                Some(LineIn::Header(_)) => return Err(self.error("a second header", None)),
                Some(LineIn::File(p)) => Event::FileStart(p),
                Some(LineIn::Article(a)) => Event::Article(*a),
                Some(LineIn::Delete(id)) => Event::Delete(vec![id]),
                Some(LineIn::Problem(p)) => Event::Problem(p.into_error()),
            };
            if !on(event) {
                return Ok(End::default());
            }
        }
    }
}

/// Why two runs cannot be merged, naming the difference and both values; `None` when they can.
/// The ontology is compared by content hash, the options one by one (the ontology's file names
/// aside: the same vocabulary may lie in other files).
pub fn incompatibility(a: &Header, a_name: &str, b: &Header, b_name: &str) -> Option<String> {
    if a.ontology.sha256 != b.ontology.sha256 {
        let names = |h: &Header| {
            h.ontology
                .files
                .iter()
                .map(|f| f.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        return Some(format!(
            "{a_name} and {b_name} were tagged with different ontologies: sha256 {} ({}) and {} ({}); tag both with the same ontology",
            a.ontology.sha256,
            names(a),
            b.ontology.sha256,
            names(b)
        ));
    }
    let empty = serde_json::Map::new();
    let (oa, ob) = (
        a.options.as_object().unwrap_or(&empty),
        b.options.as_object().unwrap_or(&empty),
    );
    let keys: std::collections::BTreeSet<&String> = oa.keys().chain(ob.keys()).collect();
    let null = serde_json::Value::Null;
    let differ: Vec<String> = keys
        .into_iter()
        .filter(|k| k.as_str() != "ontology")
        .filter_map(|k| {
            let (x, y) = (oa.get(k).unwrap_or(&null), ob.get(k).unwrap_or(&null));
            (x != y).then(|| format!("{k}: {x} in {a_name}, {y} in {b_name}"))
        })
        .collect();
    (!differ.is_empty()).then(|| {
        format!(
            "{a_name} and {b_name} were tagged with different options ({}); tag both with the same options",
            differ.join("; ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use flate2::write::GzEncoder;

    fn header(sha: &str, options: serde_json::Value) -> Header {
        Header::new(
            StoredOntology {
                sha256: sha.into(),
                files: vec![OntologyFile {
                    name: "o.yaml".into(),
                    text: "concepts: []".into(),
                }],
            },
            options,
        )
    }

    #[test]
    fn runs_differ_by_ontology_or_options_and_say_how() {
        let a = header(
            "aa",
            serde_json::json!({"ontology": ["x.yaml"], "values": "counts", "excel": false}),
        );
        let b = header(
            "aa",
            serde_json::json!({"ontology": ["y.yaml"], "values": "counts", "excel": false}),
        );
        assert_eq!(incompatibility(&a, "r1", &b, "r2"), None);
        let c = header(
            "aa",
            serde_json::json!({"ontology": ["x.yaml"], "values": "binary", "excel": true}),
        );
        assert_eq!(
            incompatibility(&a, "r1", &c, "r2").unwrap(),
            "r1 and r2 were tagged with different options (excel: false in r1, true in r2; values: \"counts\" in r1, \"binary\" in r2); tag both with the same options"
        );
        let d = header("bb", a.options.clone());
        assert_eq!(
            incompatibility(&a, "r1", &d, "r2").unwrap(),
            "r1 and r2 were tagged with different ontologies: sha256 aa (o.yaml) and bb (o.yaml); tag both with the same ontology"
        );
    }

    /// Every kind of event, written and read back, in order; a state cut short is refused.
    #[test]
    fn events_come_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let h = header("aa", serde_json::json!({"values": "counts"}));
        let mut doc = Document::new("p1", vec![Section::new("title", "Tissue factor \u{e9}")]);
        doc.origin.path = "a.xml".into();
        doc.origin.record = 3;
        let mut problem = InputError::new("a.xml", "broken");
        problem.record = Some(2);
        problem.fatal = false;
        let mut rec = Recording::create(&dir.path().join(FILE_NAME), &h, crate::pipeline::Results::default()).unwrap();
        rec.file_start(Path::new("a.xml"));
        rec.problem(&problem);
        rec.add(Article {
            doc: doc.clone(),
            mentions: vec![],
        });
        rec.delete("p9");
        let end = End {
            files: 1,
            inputs: vec![],
        };
        let (results, file) = rec.finish(&end);
        assert_eq!(results.len(), 1);
        file.unwrap().commit().unwrap();
        let r = StateReader::open(dir.path()).unwrap();
        assert_eq!(r.header, h);
        let mut got = Vec::new();
        let back = r
            .events(&mut |e| {
                got.push(match e {
                    Event::FileStart(p) => format!("file {}", p.display()),
                    Event::Problem(e) => format!("problem {} {:?} {}", e.path, e.record, e.message),
                    Event::Article(a) => {
                        assert_eq!(a.doc, doc);
                        format!("article {}", a.doc.id)
                    }
                    Event::Delete(ids) => format!("delete {ids:?}"),
                });
                true
            })
            .unwrap();
        assert_eq!(back, end);
        assert_eq!(
            got,
            [
                "file a.xml",
                "problem a.xml Some(2) broken",
                "article p1",
                "delete [\"p9\"]"
            ]
        );
        // cut short: the end line missing
        let full = std::fs::read(dir.path().join(FILE_NAME)).unwrap();
        let mut text = String::new();
        io::Read::read_to_string(&mut MultiGzDecoder::new(&full[..]), &mut text).unwrap();
        let cut: String = text.lines().take(3).map(|l| format!("{l}\n")).collect();
        let mut gz = GzEncoder::new(Vec::new(), Compression::fast());
        gz.write_all(cut.as_bytes()).unwrap();
        std::fs::write(dir.path().join(FILE_NAME), gz.finish().unwrap()).unwrap();
        let e = StateReader::open(dir.path())
            .unwrap()
            .events(&mut |_| true)
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            format!(
                "{}, line 4: the state ends early (its run did not finish writing it) (tag that run's inputs again)",
                dir.path().join(FILE_NAME).display()
            )
        );
    }
}
