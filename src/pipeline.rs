//! A tagging run: read every input, tag every document, hand the results to a sink.
//!
//! Records are processed in input order. A later record with an id already seen replaces the
//! earlier one (PubMed's update semantics); a `Delete` record removes ids from the results.
//! Broken records are reported through the diagnostic callback and skipped; a file that cannot
//! be read at all is reported and the run goes on with the next file. With `strict`, the first
//! problem stops the run instead.

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
    /// Documents read and tagged.
    pub documents: usize,
    /// Records reported and skipped.
    pub skipped: usize,
    /// Documents removed by delete records.
    pub deleted: usize,
    /// Documents replaced by a later record with the same id.
    pub replaced: usize,
    /// Mentions in the documents kept.
    pub mentions: usize,
}

impl RunSummary {
    /// Whether anything went wrong that the exit code must show.
    pub fn had_errors(&self) -> bool {
        self.skipped > 0 || self.failed_files > 0
    }
}

/// A tagged document: the document and its mentions in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
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

/// How many replacement warnings are printed one by one before only counting.
const REPLACEMENT_WARNINGS: usize = 5;

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
    let mut seen = SeenIds::default();
    let mut failure: Option<InputError> = None;
    stream::stream(tagger, &files, opts, sopts, &mut |event| {
        match event {
            Event::FileStart(_) => {}
            Event::Article(a) => {
                summary.documents += 1;
                if let Some(first) = seen.insert(&a.doc.id, &a.doc.origin) {
                    summary.replaced += 1;
                    if summary.replaced <= REPLACEMENT_WARNINGS {
                        diag(Diagnostic::warning(format!(
                            "{}: id {} was already read at {}; the later record replaces the earlier one{}",
                            place(&a.doc.origin.path, a.doc.origin.line, a.doc.origin.record),
                            a.doc.id,
                            seen.show(first),
                            if summary.replaced == REPLACEMENT_WARNINGS {
                                " (further replacements are only counted)"
                            } else {
                                ""
                            }
                        )));
                    }
                }
                sink.add(a);
                if !sink.keep_going() {
                    return false;
                }
            }
            Event::Delete(ids) => {
                for id in ids {
                    if sink.remove(&id) {
                        seen.remove(&id);
                        summary.deleted += 1;
                    }
                }
            }
            Event::Problem(e) => {
                if let Err(e) = report(e, strict, &mut summary, diag) {
                    failure = Some(e);
                    return false;
                }
            }
        }
        true
    });
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
        seen.remove("123");
        assert!(seen.insert("123", &at("c.jsonl", Some(3), 3)).is_none());
        assert_eq!(seen.paths.len(), 3);
    }
}
