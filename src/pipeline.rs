//! A tagging run: read every input, tag every document, hand the results to a sink.
//!
//! Records are processed in input order. A later record with an id already seen replaces the
//! earlier one (PubMed's update semantics); a `Delete` record removes ids from the results.
//! Broken records are reported through the diagnostic callback and skipped; a file that cannot
//! be read at all is reported and the run goes on with the next file. With `strict`, the first
//! problem stops the run instead.

mod same_paper;
pub mod stream;

use std::collections::HashMap;
use std::path::PathBuf;

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::ids::IdMap;
use crate::input::{self, InputError, InputOptions};
use crate::tag::Tagger;
use crate::tag::matcher::Mention;
pub use stream::{Event, StreamOptions};

/// Counts for the end-of-run summary.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    pub files: usize,
    /// Files that could not be read at all (or not to the end).
    pub failed_files: usize,
    /// Files read to the end that held no record at all ([`InputError::empty`]).
    pub empty_files: usize,
    /// Documents read and tagged.
    pub documents: usize,
    /// Records reported and skipped.
    pub skipped: usize,
    /// Documents removed by delete records.
    pub deleted: usize,
    /// Ids named by delete records, whether or not an article read before had them (a run of
    /// a daily update file holding only deletions has them for a later merge).
    pub delete_ids: usize,
    /// Documents replaced by a later record with the same id.
    pub replaced: usize,
    /// Mentions in the documents kept.
    pub mentions: usize,
    /// Papers read both from PubMed and as PMC full text (both rows kept).
    pub same_papers: usize,
}

impl RunSummary {
    /// Whether anything went wrong that the exit code must show.
    pub fn had_errors(&self) -> bool {
        self.skipped > 0 || self.failed_files > 0 || self.empty_files > 0
    }

    /// What went wrong, for the last line of a run: `2 records skipped, 1 file holds no
    /// articles`; empty when nothing did.
    pub fn problems(&self) -> String {
        let plural = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
        let mut parts = Vec::new();
        if self.skipped > 0 {
            parts.push(plural(self.skipped, "record skipped", "records skipped"));
        }
        if self.failed_files > 0 {
            parts.push(plural(self.failed_files, "file not fully read", "files not fully read"));
        }
        if self.empty_files > 0 {
            parts.push(plural(
                self.empty_files,
                "file holds no articles",
                "files hold no articles",
            ));
        }
        parts.join(", ")
    }
}

/// A tagged document: the document and its mentions in document order.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Article {
    pub doc: Document,
    pub mentions: Vec<Mention>,
}

/// The results of a run, in input order, with replacement and deletion applied.
#[derive(Debug, Default)]
pub struct Results {
    slots: Vec<Option<Article>>,
    index: HashMap<String, usize>,
}

impl Results {
    /// Add an article; returns true if it replaced an earlier one with the same id.
    pub fn insert(&mut self, article: Article) -> bool {
        let replaced = match self.index.get(&article.doc.id) {
            Some(&old) => {
                self.slots[old] = None;
                true
            }
            None => false,
        };
        self.index.insert(article.doc.id.clone(), self.slots.len());
        self.slots.push(Some(article));
        replaced
    }

    /// Remove an article by id; returns whether it was there.
    pub fn remove(&mut self, id: &str) -> bool {
        match self.index.remove(id) {
            Some(i) => {
                self.slots[i] = None;
                true
            }
            None => false,
        }
    }

    /// The articles kept, in input order.
    pub fn articles(&self) -> impl Iterator<Item = &Article> {
        self.slots.iter().flatten()
    }

    /// The articles kept, in input order.
    pub fn into_articles(self) -> Vec<Article> {
        self.slots.into_iter().flatten().collect()
    }

    /// Number of articles kept.
    pub fn len(&self) -> usize {
        self.index.len()
    }

    pub fn is_empty(&self) -> bool {
        self.index.is_empty()
    }
}

/// Count and pass on an input problem; in strict mode it ends the run instead.
fn report(
    e: InputError,
    strict: bool,
    summary: &mut RunSummary,
    diag: &mut dyn FnMut(Diagnostic),
) -> Result<(), InputError> {
    if strict {
        return Err(e);
    }
    if e.fatal {
        summary.failed_files += 1;
    } else {
        summary.skipped += 1;
    }
    diag(e.to_diagnostic());
    Ok(())
}

/// Read and tag every input; `diag` receives every problem as it is found.
///
/// Returns `Err` only in strict mode, with the first problem.
pub fn run(
    tagger: &Tagger,
    inputs: &[PathBuf],
    opts: &InputOptions,
    strict: bool,
    diag: &mut dyn FnMut(Diagnostic),
) -> Result<(Results, RunSummary), InputError> {
    run_with(tagger, inputs, opts, StreamOptions::default(), strict, diag)
}

/// Like [`run`], with stream options (threads).
pub fn run_with(
    tagger: &Tagger,
    inputs: &[PathBuf],
    opts: &InputOptions,
    sopts: StreamOptions,
    strict: bool,
    diag: &mut dyn FnMut(Diagnostic),
) -> Result<(Results, RunSummary), InputError> {
    let mut results = Results::default();
    let summary = for_each_article(Some(tagger), inputs, opts, sopts, strict, diag, &mut results)?;
    let mut summary = summary;
    summary.mentions = results.articles().map(|a| a.mentions.len()).sum();
    Ok((results, summary))
}

/// What every replacement warning says ([`Diagnostic::repeated`]).
pub const REPLACED: &str = "an id read again replaces the earlier record with that id";

/// What receives the articles of a run, in input order.
pub trait ArticleSink {
    /// A tagged article. An earlier article with the same id, if any, is replaced by it.
    fn add(&mut self, article: Article);
    /// Delete an article by id; returns whether it was there.
    fn remove(&mut self, id: &str) -> bool;
    /// False once the sink cannot take more (it failed and keeps the error): the run stops.
    fn keep_going(&self) -> bool {
        true
    }
    /// A file is about to be read (for a sink that records the run, [`crate::output::run_state`]).
    fn file_start(&mut self, _path: &std::path::Path) {}
    /// A problem was reported and its record skipped (or the rest of its file, when fatal).
    fn problem(&mut self, _e: &InputError) {}
}

impl ArticleSink for Results {
    fn add(&mut self, article: Article) {
        self.insert(article);
    }

    fn remove(&mut self, id: &str) -> bool {
        Results::remove(self, id)
    }
}

/// Where a record was read, for messages: `file:line` where the format has lines, `file,
/// record N` where it has not (XML).
fn place(path: &std::path::Path, line: Option<u64>, record: u64) -> String {
    match line {
        Some(l) => format!("{}:{l}", input::display_path(path)),
        None => format!("{}, record {record}", input::display_path(path)),
    }
}

/// Where a record was read, compactly: the input's index in [`SeenIds::paths`] and its line
/// (or record number where the format has no lines).
#[derive(Debug, Clone, Copy)]
struct Seen {
    path: u32,
    line: bool,
    n: u64,
}

/// The ids read so far and where, to tell a replacement. A whole PubMed baseline has tens of
/// millions of ids: places are kept as indices, with no allocation per article.
#[derive(Debug, Default)]
struct SeenIds {
    paths: Vec<PathBuf>,
    ids: IdMap<Seen>,
}

impl SeenIds {
    /// Record where `id` was read; where it was read before, if it was.
    fn insert(&mut self, id: &str, origin: &crate::document::Origin) -> Option<Seen> {
        if self.paths.last() != Some(&origin.path) {
            self.paths.push(origin.path.clone());
        }
        let here = Seen {
            path: (self.paths.len() - 1) as u32,
            line: origin.line.is_some(),
            n: origin.line.unwrap_or(origin.record),
        };
        self.ids.insert(id, here)
    }

    fn remove(&mut self, id: &str) {
        self.ids.remove(id);
    }

    fn show(&self, s: Seen) -> String {
        let path = &self.paths[s.path as usize];
        if s.line {
            place(path, Some(s.n), 0)
        } else {
            place(path, None, s.n)
        }
    }

    /// Like [`SeenIds::show`], without the file's name when it is `current`.
    fn show_from(&self, s: Seen, current: &std::path::Path) -> String {
        match (self.paths[s.path as usize] == current, s.line) {
            (true, true) => format!("line {}", s.n),
            (true, false) => format!("record {}", s.n),
            (false, _) => self.show(s),
        }
    }
}

/// The engine of a run: stream the inputs, apply the error rules, count, and hand every
/// article and deletion to `sink` in input order. Replacements (a later article with an id
/// already seen) are counted and warned about here; the sink does the replacing.
pub fn for_each_article(
    tagger: Option<&Tagger>,
    inputs: &[PathBuf],
    opts: &InputOptions,
    sopts: StreamOptions,
    strict: bool,
    diag: &mut dyn FnMut(Diagnostic),
    sink: &mut dyn ArticleSink,
) -> Result<RunSummary, InputError> {
    let mut summary = RunSummary::default();
    let files = match input::expand_inputs(inputs, opts) {
        Ok(f) => f,
        Err(e) => {
            report(e, strict, &mut summary, diag)?;
            return Ok(summary);
        }
    };
    summary.files = files.len();
    consume(summary, strict, diag, sink, &mut |on| {
        stream::stream(tagger, &files, opts, sopts, on)
    })
}

/// Like [`for_each_article`], with the events of a run recorded earlier
/// ([`crate::output::run_state`]) instead of inputs read now: `events` hands every event to
/// its argument in order and stops when it returns false. The counts, replacements,
/// deletions and warnings come out as they did (or would) when the inputs were read; the
/// summary's `files` is left at 0 for the caller.
pub fn for_each_event(
    diag: &mut dyn FnMut(Diagnostic),
    sink: &mut dyn ArticleSink,
    events: &mut dyn FnMut(&mut OnEvent<'_>),
) -> RunSummary {
    // the problems were counted when the inputs were read: replayed, they only count again
    consume(RunSummary::default(), false, diag, sink, events).expect("only strict runs fail")
}

/// What receives a run's events in order; false stops the run.
pub type OnEvent<'a> = dyn FnMut(Event) -> bool + 'a;

/// The rules of a run, applied to its events as `events` hands them over.
fn consume(
    mut summary: RunSummary,
    strict: bool,
    diag: &mut dyn FnMut(Diagnostic),
    sink: &mut dyn ArticleSink,
    events: &mut dyn FnMut(&mut OnEvent<'_>),
) -> Result<RunSummary, InputError> {
    let mut seen = SeenIds::default();
    let mut same = same_paper::SamePaper::default();
    let mut failure: Option<InputError> = None;
    // the file being read: its name as shown, its size when it is gzip data, and whether it
    // gave any record or problem yet (a file that gave neither holds no articles)
    let mut file: Option<(String, Option<u64>, bool)> = None;
    let file_done = |file: &mut Option<(String, Option<u64>, bool)>,
                     summary: &mut RunSummary,
                     diag: &mut dyn FnMut(Diagnostic)|
     -> Result<(), InputError> {
        match file.take() {
            Some((shown, _, false)) => {
                let e = InputError::empty(&shown);
                if strict {
                    return Err(e);
                }
                summary.empty_files += 1;
                diag(e.to_diagnostic());
                Ok(())
            }
            _ => Ok(()),
        }
    };
    events(&mut |event| {
        let step = match event {
            Event::FileStart(path) => {
                sink.file_start(&path);
                let done = file_done(&mut file, &mut summary, diag);
                file = Some((input::display_path(&path), input::gzip_size(&path), false));
                done
            }
            Event::Article(a) => {
                if let Some(f) = file.as_mut() {
                    f.2 = true;
                }
                summary.documents += 1;
                same.add(&a.doc);
                if let Some(first) = seen.insert(&a.doc.id, &a.doc.origin) {
                    summary.replaced += 1;
                    // the summary line shows a few examples; the others are only counted
                    let example = if summary.replaced <= crate::diagnostic::EXAMPLES {
                        format!(
                            "id {} at {} replaces {}",
                            a.doc.id,
                            place(&a.doc.origin.path, a.doc.origin.line, a.doc.origin.record),
                            seen.show_from(first, &a.doc.origin.path)
                        )
                    } else {
                        String::new()
                    };
                    diag(Diagnostic::repeated(REPLACED, example));
                }
                sink.add(a);
                if !sink.keep_going() {
                    return false;
                }
                Ok(())
            }
            Event::Delete(ids) => {
                if let Some(f) = file.as_mut() {
                    f.2 = true;
                }
                summary.delete_ids += ids.len();
                for id in ids {
                    if sink.remove(&id) {
                        seen.remove(&id);
                        summary.deleted += 1;
                    }
                }
                Ok(())
            }
            Event::Problem(mut e) => {
                if let Some(f) = file.as_mut().filter(|f| f.0 == e.path) {
                    f.2 = true;
                    e.gzip_bytes = e.gzip_bytes.or(f.1);
                }
                sink.problem(&e);
                report(e, strict, &mut summary, diag)
            }
        };
        if let Err(e) = step {
            failure = Some(e);
            return false;
        }
        true
    });
    if failure.is_none()
        && let Err(e) = file_done(&mut file, &mut summary, diag)
    {
        failure = Some(e);
    }
    if let Some(m) = same.message() {
        summary.same_papers = same.count;
        diag(Diagnostic::warning(m));
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(summary),
    }
}

/// Read every document of the inputs in order, without tagging, applying the same replacement,
/// deletion and error rules as [`run`].
///
/// For the workbench commands (`stats`, `suggest`, `explain --pmid`), which look at the text
/// itself. Returns the summary; `Err` only in strict mode.
pub fn read_documents(
    inputs: &[PathBuf],
    opts: &InputOptions,
    strict: bool,
    diag: &mut dyn FnMut(Diagnostic),
) -> Result<(Vec<Document>, RunSummary), InputError> {
    let mut results = Results::default();
    let summary = for_each_article(None, inputs, opts, StreamOptions::default(), strict, diag, &mut results)?;
    Ok((results.into_articles().into_iter().map(|a| a.doc).collect(), summary))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Origin;
    use std::path::Path;

    #[test]
    fn a_seen_id_says_where_it_was_read() {
        let at = |path: &str, line: Option<u64>, record: u64| Origin {
            path: PathBuf::from(path),
            line,
            record,
        };
        let mut seen = SeenIds::default();
        assert!(seen.insert("123", &at("a.xml", None, 1)).is_none());
        assert!(seen.insert("00123", &at("a.xml", None, 2)).is_none());
        assert!(seen.insert("doc-7", &at("b.jsonl", Some(4), 1)).is_none());
        let first = seen.insert("123", &at("b.jsonl", Some(9), 3)).unwrap();
        assert_eq!(seen.show(first), "a.xml, record 1");
        let first = seen.insert("doc-7", &at("c.jsonl", Some(1), 1)).unwrap();
        assert_eq!(seen.show(first), "b.jsonl:4");
        let first = seen.insert("00123", &at("c.jsonl", Some(2), 2)).unwrap();
        assert_eq!(seen.show(first), "a.xml, record 2");
        assert_eq!(seen.show_from(first, Path::new("c.jsonl")), "a.xml, record 2");
        assert_eq!(seen.show_from(first, Path::new("a.xml")), "record 2");
        seen.remove("123");
        assert!(seen.insert("123", &at("c.jsonl", Some(3), 3)).is_none());
        assert_eq!(seen.paths.len(), 3);
    }
}
