//! A run's id bookkeeping, decided at the end and kept on disk when large.
//!
//! PubMed's update semantics (a later record replaces an earlier one with the same id, a delete
//! record removes ids) need, for every article, whether a later event names its id. A run over
//! all of PubMed reads 36 million ids, too many to keep in memory (a hash map of them took about
//! 100 bytes an id: 3.6 GB). So the run only logs each event as it comes (the id, the event's
//! position in the run, the article's sequence number and place) and decides once at the end:
//! the log is sorted by (id, position), so that every id's events come together and in order,
//! and walked once. Up to [`SPILL_AFTER`] entries are sorted in memory; beyond that each full
//! batch is sorted and written to an unnamed temporary file (beside the products) and the
//! batches are merged at the end (k-way, a few buffered readers at a time: more than
//! [`MERGE_WAYS`] batches are first merged into one). Memory is the batch, whatever the number
//! of articles; what stays per article is one bit ([`Dead`]).
//!
//! The same walk finds the papers read both from PubMed (under their PMID) and as PMC full text
//! (whose PMID is known): an article whose PMID is its id is an entry of that id already, and a
//! full text adds an entry under its PMID.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fs::File;
use std::io::{self, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use crate::document::Document;
use crate::scratch::{read_varint, read_varint_or_end, temp_file, write_varint};

/// Entries kept in memory before a sorted batch goes to a temporary file (about 60 bytes an
/// entry plus the id: about 20 MB).
pub const SPILL_AFTER: usize = 1 << 18;

/// Overrides [`SPILL_AFTER`] (for tests that exercise the temporary files on small inputs).
pub const SPILL_AFTER_VAR: &str = "COAGTAG_IDS_SPILL_AFTER";

/// Sorted batches merged at a time (each has a buffered reader).
pub const MERGE_WAYS: usize = 64;

/// The articles replaced by a later one or deleted, by sequence number (the order they were
/// handed to the sink): one bit an article.
#[derive(Debug, Default, Clone)]
pub struct Dead {
    words: Vec<u64>,
    count: usize,
}

impl Dead {
    pub fn kill(&mut self, seq: u32) {
        let (w, b) = (seq as usize / 64, seq % 64);
        if self.words.len() <= w {
            self.words.resize(w + 1, 0);
        }
        if self.words[w] & (1 << b) == 0 {
            self.words[w] |= 1 << b;
            self.count += 1;
        }
    }

    pub fn is_dead(&self, seq: u32) -> bool {
        self.words
            .get(seq as usize / 64)
            .is_some_and(|w| w & (1 << (seq % 64)) != 0)
    }

    /// How many articles are dead.
    pub fn count(&self) -> usize {
        self.count
    }
}

/// Where a record was read: the input's index in [`IdLog`]'s paths and its line (or record
/// number where the format has no lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Place {
    path: u32,
    line: bool,
    n: u64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    /// An article with this id: its sequence number, where it was read, whether its PMID is
    /// its id (it is then the PubMed form of that paper).
    Article { seq: u32, at: Place, as_pmid: bool },
    /// A delete record named this id.
    Delete,
    /// A full text (its own id given) whose PMID is this id.
    FullText(Box<str>),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Rec {
    key: Box<str>,
    /// The event's position in the run.
    t: u64,
    entry: Entry,
}

impl Rec {
    fn order(&self, other: &Rec) -> Ordering {
        self.key.as_bytes().cmp(other.key.as_bytes()).then(self.t.cmp(&other.t))
    }
}

/// The run's events as they come; [`IdLog::resolve`] decides at the end.
pub struct IdLog {
    paths: Vec<PathBuf>,
    batch: Vec<Rec>,
    spill_after: usize,
    dir: Option<PathBuf>,
    runs: Vec<File>,
    t: u64,
    seq: u32,
}

/// What the end of a run decided.
#[derive(Debug, Default)]
pub struct Resolved {
    pub dead: Dead,
    /// Articles replaced by a later one with the same id.
    pub replaced: usize,
    /// Articles removed by a delete record.
    pub deleted: usize,
    /// The first replacements in the run's order (up to [`crate::diagnostic::EXAMPLES`]), as
    /// the warning shows them.
    pub examples: Vec<String>,
    /// Papers read both from PubMed and as PMC full text, and the first found (PMID, full
    /// text's id).
    pub same_papers: usize,
    pub same_example: Option<(String, String)>,
}

impl IdLog {
    /// A log whose temporary files go to `dir` (the system's temporary directory if `None`).
    pub fn new(dir: Option<PathBuf>) -> IdLog {
        let spill_after = std::env::var(SPILL_AFTER_VAR)
            .ok()
            .and_then(|v| v.parse().ok())
            .filter(|&n: &usize| n > 0)
            .unwrap_or(SPILL_AFTER);
        IdLog {
            paths: Vec::new(),
            batch: Vec::new(),
            spill_after,
            dir,
            runs: Vec::new(),
            t: 0,
            seq: 0,
        }
    }

    fn push(&mut self, key: &str, entry: Entry) -> io::Result<()> {
        self.batch.push(Rec {
            key: key.into(),
            t: self.t,
            entry,
        });
        self.t += 1;
        if self.batch.len() >= self.spill_after {
            self.spill()?;
        }
        Ok(())
    }

    /// The next article (its sequence number is the number of articles before it).
    pub fn article(&mut self, doc: &Document) -> io::Result<()> {
        let origin = &doc.origin;
        if self.paths.last() != Some(&origin.path) {
            self.paths.push(origin.path.clone());
        }
        let at = Place {
            path: (self.paths.len() - 1) as u32,
            line: origin.line.is_some(),
            n: origin.line.unwrap_or(origin.record),
        };
        let pmid = doc.meta.pmid.as_deref().filter(|p| !p.is_empty());
        let seq = self.seq;
        self.seq += 1;
        self.push(
            &doc.id,
            Entry::Article {
                seq,
                at,
                as_pmid: pmid == Some(doc.id.as_str()),
            },
        )?;
        if let Some(pmid) = pmid
            && pmid != doc.id
            && doc.meta.full_text
        {
            self.push(pmid, Entry::FullText(doc.id.as_str().into()))?;
        }
        Ok(())
    }

    /// An id of a delete record.
    pub fn delete(&mut self, id: &str) -> io::Result<()> {
        self.push(id, Entry::Delete)
    }

    fn spill(&mut self) -> io::Result<()> {
        self.batch.sort_unstable_by(Rec::order);
        let mut file = temp_file(self.dir.as_deref())?;
        {
            let mut w = BufWriter::with_capacity(256 * 1024, &mut file);
            for r in self.batch.drain(..) {
                write_rec(&mut w, &r)?;
            }
            w.flush()?;
        }
        self.runs.push(file);
        if self.runs.len() >= MERGE_WAYS {
            // merge them into one, so the end never holds more than MERGE_WAYS readers
            let mut one = temp_file(self.dir.as_deref())?;
            {
                let mut w = BufWriter::with_capacity(256 * 1024, &mut one);
                let mut merged = Merged::new(std::mem::take(&mut self.runs), Vec::new())?;
                while let Some(r) = merged.next_rec()? {
                    write_rec(&mut w, &r)?;
                }
                w.flush()?;
            }
            self.runs.push(one);
        }
        Ok(())
    }

    /// Walk every id's events in order and decide: which articles died, the counts, the
    /// examples the warnings show.
    pub fn resolve(mut self) -> io::Result<Resolved> {
        self.batch.sort_unstable_by(Rec::order);
        let mut merged = Merged::new(std::mem::take(&mut self.runs), std::mem::take(&mut self.batch))?;
        let mut out = Resolved::default();
        // the examples: the earliest replacements, (t, text)
        let mut first: Vec<(u64, String)> = Vec::new();
        let mut same_first: Option<(u64, String, String)> = None;
        let mut key: Option<Box<str>> = None;
        // the id's state: its live article; the paper's: read under its PMID, its full text
        let mut live: Option<(u32, Place)> = None;
        let mut by_pmid = false;
        let mut full_text: Option<Box<str>> = None;
        while let Some(r) = merged.next_rec()? {
            if key.as_deref() != Some(&*r.key) {
                live = None;
                by_pmid = false;
                full_text = None;
                key = Some(r.key.clone());
            }
            let mut found = |full: &str, out: &mut Resolved| {
                out.same_papers += 1;
                if same_first.as_ref().is_none_or(|f| r.t < f.0) {
                    same_first = Some((r.t, r.key.to_string(), full.to_string()));
                }
            };
            match &r.entry {
                Entry::Article { seq, at, as_pmid } => {
                    if let Some((old, old_at)) = live {
                        out.replaced += 1;
                        out.dead.kill(old);
                        if first.len() < crate::diagnostic::EXAMPLES || r.t < first.last().map_or(0, |f| f.0) {
                            let text = format!(
                                "id {} at {} replaces {}",
                                r.key,
                                self.show(*at),
                                self.show_from(old_at, at.path)
                            );
                            let i = first.partition_point(|f| f.0 < r.t);
                            first.insert(i, (r.t, text));
                            first.truncate(crate::diagnostic::EXAMPLES);
                        }
                    }
                    live = Some((*seq, *at));
                    if *as_pmid && !by_pmid {
                        by_pmid = true;
                        if let Some(ft) = &full_text {
                            found(ft, &mut out);
                        }
                    }
                }
                Entry::Delete => {
                    if let Some((old, _)) = live.take() {
                        out.deleted += 1;
                        out.dead.kill(old);
                    }
                }
                Entry::FullText(id) => {
                    if full_text.is_none() && by_pmid {
                        found(id, &mut out);
                    }
                    full_text = Some(id.clone());
                }
            }
        }
        out.examples = first.into_iter().map(|(_, text)| text).collect();
        out.same_example = same_first.map(|(_, pmid, id)| (pmid, id));
        Ok(out)
    }

    fn show(&self, at: Place) -> String {
        let path = &self.paths[at.path as usize];
        if at.line {
            super::place(path, Some(at.n), 0)
        } else {
            super::place(path, None, at.n)
        }
    }

    /// Like [`IdLog::show`], without the file's name when it is the one of `current`.
    fn show_from(&self, at: Place, current: u32) -> String {
        match (self.paths[at.path as usize] == self.paths[current as usize], at.line) {
            (true, true) => format!("line {}", at.n),
            (true, false) => format!("record {}", at.n),
            (false, _) => self.show(at),
        }
    }
}

/// The one message for a run in which papers were read both ways.
pub fn same_paper_message(count: usize, pmid: &str, id: &str) -> String {
    format!(
        "{} paper{} read both from PubMed and as PMC full text (e.g. PMID {pmid} is also {id}); both rows are kept, \
         and articles.csv joins them through its pmid column",
        count,
        if count == 1 { " was" } else { "s were" }
    )
}

fn put_str(w: &mut impl Write, s: &str) -> io::Result<()> {
    write_varint(w, s.len() as u64)?;
    w.write_all(s.as_bytes())
}

fn get_str(r: &mut impl Read) -> io::Result<Box<str>> {
    let n = read_varint(r)? as usize;
    let mut buf = vec![0u8; n];
    r.read_exact(&mut buf)?;
    String::from_utf8(buf)
        .map(String::into_boxed_str)
        .map_err(|_| io::Error::other("a temporary file of ids is damaged"))
}

/// An entry: key, position, then 0 (article: sequence, path, line flag and PMID flag, n),
/// 1 (delete) or 2 (full text: its id).
fn write_rec(w: &mut impl Write, r: &Rec) -> io::Result<()> {
    put_str(w, &r.key)?;
    write_varint(w, r.t)?;
    match &r.entry {
        Entry::Article { seq, at, as_pmid } => {
            write_varint(w, 0)?;
            write_varint(w, u64::from(*seq))?;
            write_varint(w, u64::from(at.path))?;
            write_varint(w, u64::from(at.line) | u64::from(*as_pmid) << 1)?;
            write_varint(w, at.n)
        }
        Entry::Delete => write_varint(w, 1),
        Entry::FullText(id) => {
            write_varint(w, 2)?;
            put_str(w, id)
        }
    }
}

fn read_rec(r: &mut impl Read) -> io::Result<Option<Rec>> {
    let Some(len) = read_varint_or_end(r)? else {
        return Ok(None);
    };
    let mut key = vec![0u8; len as usize];
    r.read_exact(&mut key)?;
    let key = String::from_utf8(key).map_err(|_| io::Error::other("a temporary file of ids is damaged"))?;
    let t = read_varint(r)?;
    let narrow = |n: u64| u32::try_from(n).map_err(|_| io::Error::other("a temporary file of ids is damaged"));
    let entry = match read_varint(r)? {
        0 => {
            let seq = narrow(read_varint(r)?)?;
            let path = narrow(read_varint(r)?)?;
            let flags = read_varint(r)?;
            let n = read_varint(r)?;
            Entry::Article {
                seq,
                at: Place {
                    path,
                    line: flags & 1 != 0,
                    n,
                },
                as_pmid: flags & 2 != 0,
            }
        }
        1 => Entry::Delete,
        2 => Entry::FullText(get_str(r)?),
        _ => return Err(io::Error::other("a temporary file of ids is damaged")),
    };
    Ok(Some(Rec {
        key: key.into_boxed_str(),
        t,
        entry,
    }))
}

/// A source's next entry, for the heap: smallest (key, t) first.
struct Head {
    rec: Rec,
    source: usize,
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.rec.order(&other.rec) == Ordering::Equal
    }
}

impl Eq for Head {}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        other.rec.order(&self.rec)
    }
}

/// Sorted batches (files and the one in memory) merged into one sorted stream.
struct Merged {
    files: Vec<BufReader<File>>,
    memory: std::vec::IntoIter<Rec>,
    heap: BinaryHeap<Head>,
}

impl Merged {
    fn new(runs: Vec<File>, memory: Vec<Rec>) -> io::Result<Merged> {
        let mut files = Vec::with_capacity(runs.len());
        for mut f in runs {
            f.seek(SeekFrom::Start(0))?;
            files.push(BufReader::with_capacity(64 * 1024, f));
        }
        let mut m = Merged {
            files,
            memory: memory.into_iter(),
            heap: BinaryHeap::new(),
        };
        for source in 0..=m.files.len() {
            m.refill(source)?;
        }
        Ok(m)
    }

    /// Source `files.len()` is the batch in memory.
    fn refill(&mut self, source: usize) -> io::Result<()> {
        let next = match self.files.get_mut(source) {
            Some(f) => read_rec(f)?,
            None => self.memory.next(),
        };
        if let Some(rec) = next {
            self.heap.push(Head { rec, source });
        }
        Ok(())
    }

    fn next_rec(&mut self) -> io::Result<Option<Rec>> {
        let Some(Head { rec, source }) = self.heap.pop() else {
            return Ok(None);
        };
        self.refill(source)?;
        Ok(Some(rec))
    }
}

/// The directory of a log's temporary files, for messages.
pub fn shown_dir(dir: Option<&Path>) -> String {
    dir.map_or_else(|| "the temporary directory".into(), |d| d.display().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Origin;
    use std::collections::HashMap;

    enum Ev {
        Article(&'static str, &'static str, Option<&'static str>, bool),
        Delete(&'static str),
    }

    fn doc(id: &str, path: &str, line: Option<u64>, record: u64, pmid: Option<&str>, full_text: bool) -> Document {
        let mut d = Document::new(id, vec![]);
        d.origin = Origin {
            path: PathBuf::from(path),
            line,
            record,
        };
        d.meta.pmid = pmid.map(String::from);
        d.meta.full_text = full_text;
        d
    }

    /// The dead, replaced, deleted, examples, same papers and their example.
    type Decided = (Vec<u32>, usize, usize, Vec<String>, usize, Option<(String, String)>);

    /// The naive reference: the maps a run kept in memory before this log.
    fn naive(events: &[(Document, bool)]) -> Decided {
        let mut index: HashMap<String, (u32, Origin)> = HashMap::new();
        let mut dead = Vec::new();
        let (mut replaced, mut deleted, mut examples) = (0, 0, Vec::new());
        let mut full_texts: HashMap<String, String> = HashMap::new();
        let mut by_pmid: std::collections::HashSet<String> = Default::default();
        let (mut same, mut same_example) = (0, None);
        let mut seq = 0;
        let show = |o: &Origin, current: &Path| match (o.path == current, o.line) {
            (true, Some(l)) => format!("line {l}"),
            (true, None) => format!("record {}", o.record),
            (false, l) => super::super::place(&o.path, l, o.record),
        };
        for (d, is_delete) in events {
            if *is_delete {
                if let Some((s, _)) = index.remove(&d.id) {
                    dead.push(s);
                    deleted += 1;
                }
                continue;
            }
            if let Some((s, o)) = index.insert(d.id.clone(), (seq, d.origin.clone())) {
                dead.push(s);
                replaced += 1;
                if examples.len() < crate::diagnostic::EXAMPLES {
                    examples.push(format!(
                        "id {} at {} replaces {}",
                        d.id,
                        super::super::place(&d.origin.path, d.origin.line, d.origin.record),
                        show(&o, &d.origin.path)
                    ));
                }
            }
            seq += 1;
            if let Some(pmid) = d.meta.pmid.as_deref().filter(|p| !p.is_empty()) {
                let mut found = |p: &str, f: &str| {
                    same += 1;
                    same_example.get_or_insert((p.to_string(), f.to_string()));
                };
                if d.id == pmid {
                    if by_pmid.insert(pmid.to_string())
                        && let Some(f) = full_texts.get(pmid)
                    {
                        found(pmid, &f.clone());
                    }
                } else if d.meta.full_text
                    && full_texts.insert(pmid.to_string(), d.id.clone()).is_none()
                    && by_pmid.contains(pmid)
                {
                    found(pmid, &d.id);
                }
            }
        }
        dead.sort_unstable();
        (dead, replaced, deleted, examples, same, same_example)
    }

    fn logged(events: &[(Document, bool)], spill_after: usize) -> Decided {
        let dir = tempfile::tempdir().unwrap();
        let mut log = IdLog::new(Some(dir.path().to_path_buf()));
        log.spill_after = spill_after;
        for (d, is_delete) in events {
            if *is_delete {
                log.delete(&d.id).unwrap();
            } else {
                log.article(d).unwrap();
            }
        }
        assert_eq!(
            !log.runs.is_empty(),
            log.t >= spill_after as u64,
            "spill after {spill_after}"
        );
        let r = log.resolve().unwrap();
        let dead: Vec<u32> = (0..1000).filter(|&s| r.dead.is_dead(s)).collect();
        assert_eq!(dead.len(), r.dead.count());
        // the temporary files are unnamed: nothing is left in the directory
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        (dead, r.replaced, r.deleted, r.examples, r.same_papers, r.same_example)
    }

    /// Replacements, deletions (of ids read, not read, read again after), the same paper both
    /// ways in either order, ids of every form: the log gives what the maps gave, in memory
    /// and spilled after any number of entries (batches merged in cascades too).
    #[test]
    fn the_log_decides_as_the_maps_did_whenever_it_spills() {
        use Ev::*;
        let script = [
            Article("123", "a.xml", Some("123"), false),
            Article("00123", "a.xml", None, false),
            Article("PMC9", "a.xml", Some("77"), true),
            Article("doc-7", "b.jsonl", None, false),
            Article("123", "b.jsonl", Some("123"), false),
            Delete("doc-7"),
            Delete("nope"),
            Article("77", "b.jsonl", Some("77"), false),
            Article("doc-7", "b.jsonl", None, false),
            Article("11", "c.xml", Some("11"), false),
            Article("PMC1", "c.xml", Some("11"), true),
            Article("PMC2", "c.xml", Some("11"), true),
            Article("123", "c.xml", Some("123"), false),
            Article("00123", "c.xml", None, false),
            Delete("123"),
            Article("123", "c.xml", Some("123"), false),
            Article("\u{e9}t\u{e9}", "c.xml", None, false),
            Article("\u{e9}t\u{e9}", "c.xml", None, false),
        ];
        let mut record = 0;
        let events: Vec<(Document, bool)> = script
            .iter()
            .map(|e| {
                record += 1;
                match e {
                    Article(id, path, pmid, ft) => {
                        let line = path.ends_with(".jsonl").then_some(record * 10);
                        (doc(id, path, line, record, *pmid, *ft), false)
                    }
                    Delete(id) => (doc(id, "", None, 0, None, false), true),
                }
            })
            .collect();
        let want = naive(&events);
        assert_eq!(want.0, [0, 1, 3, 4, 10, 13]);
        assert_eq!((want.1, want.2), (4, 2));
        assert_eq!(
            want.3,
            [
                "id 123 at b.jsonl:50 replaces a.xml, record 1",
                "id 123 at c.xml, record 13 replaces b.jsonl:50",
                "id 00123 at c.xml, record 14 replaces a.xml, record 2",
            ]
        );
        assert_eq!((want.4, want.5.clone()), (2, Some(("77".into(), "PMC9".into()))));
        for spill_after in [1, 2, 3, 5, 8, 1000] {
            assert_eq!(logged(&events, spill_after), want, "spill after {spill_after}");
        }
        // more batches than are merged at once: merged in a cascade
        let many: Vec<(Document, bool)> = (0..(MERGE_WAYS * 3 + 5))
            .map(|i| (doc(&(i % 50).to_string(), "m.xml", None, i as u64, None, false), false))
            .collect();
        assert_eq!(logged(&many, 1), naive(&many));
    }

    #[test]
    fn the_same_paper_message() {
        assert_eq!(
            same_paper_message(2, "34527728", "PMC8435807"),
            "2 papers were read both from PubMed and as PMC full text (e.g. PMID 34527728 is also PMC8435807); \
             both rows are kept, and articles.csv joins them through its pmid column"
        );
        assert!(same_paper_message(1, "1", "PMC1").starts_with("1 paper was read"));
    }
}
