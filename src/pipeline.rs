//! A tagging run: read every input, tag every document, hand the results to a sink.
//!
//! Records are processed in input order. A later record with an id already seen replaces the
//! earlier one (PubMed's update semantics); a `Delete` record removes ids from the results.
//! Broken records are reported through the diagnostic callback and skipped; a file that cannot
//! be read at all is reported and the run goes on with the next file. With `strict`, the first
//! problem stops the run instead.

pub mod id_log;
pub mod stream;

use std::path::{Path, PathBuf};

use crate::diagnostic::Diagnostic;
use crate::document::Document;
use crate::input::{self, InputError, InputOptions};
use crate::tag::Tagger;
use crate::tag::matcher::Mention;
pub use id_log::Dead;
use id_log::IdLog;
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
    /// By sequence number; `None` once the end of the run found it replaced or deleted.
    slots: Vec<Option<Article>>,
}

impl Results {
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
        self.articles().count()
    }

    pub fn is_empty(&self) -> bool {
        self.articles().next().is_none()
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

/// What receives the articles of a run, in input order. Which of them a later record replaced
/// or deleted is known only at the end of the run ([`ArticleSink::dead`]): the run keeps no id
/// in memory ([`id_log`]).
pub trait ArticleSink {
    /// A tagged article; its sequence number is the number of articles added before it.
    fn add(&mut self, article: Article);
    /// The same as [`ArticleSink::add`], for a sink that only reads the article (the caller
    /// keeps it, as a sink that records the run does, without a copy).
    fn add_ref(&mut self, article: &Article) {
        self.add(article.clone());
    }
    /// An id of a delete record (for a sink that records the run, [`crate::output::run_state`]).
    fn delete(&mut self, _id: &str) {}
    /// At the end of the run: the articles replaced by a later one with the same id or
    /// deleted, by sequence number.
    fn dead(&mut self, dead: Dead);
    /// False once the sink cannot take more (it failed and keeps the error): the run stops.
    fn keep_going(&self) -> bool {
        true
    }
    /// A file is about to be read (for a sink that records the run, [`crate::output::run_state`]).
    fn file_start(&mut self, _path: &std::path::Path) {}
    /// A problem was reported and its record skipped (or the rest of its file, when fatal).
    fn problem(&mut self, _e: &InputError) {}
    /// Where the run's temporary files go (beside the products); the system's temporary
    /// directory when `None`.
    fn spill_dir(&self) -> Option<&Path> {
        None
    }
}

/// The articles of a run, in memory: the sequence numbers are the slots.
impl ArticleSink for Results {
    fn add(&mut self, article: Article) {
        self.slots.push(Some(article));
    }

    fn dead(&mut self, dead: Dead) {
        for (seq, slot) in self.slots.iter_mut().enumerate() {
            if dead.is_dead(seq as u32) {
                *slot = None;
            }
        }
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

/// The engine of a run: stream the inputs, apply the error rules, count, and hand every
/// article and deletion to `sink` in input order. Replacements (a later article with an id
/// already seen) and deletions are decided at the end ([`id_log`]: the ids go to temporary
/// files in the sink's [`ArticleSink::spill_dir`] when there are many), counted and warned
/// about here, and handed to the sink ([`ArticleSink::dead`]).
///
/// Returns `Err` in strict mode with the first problem, and when the run's temporary files
/// cannot be written.
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
/// summary's `files` is left at 0 for the caller. `Err` only when the run's temporary files
/// cannot be written.
pub fn for_each_event(
    diag: &mut dyn FnMut(Diagnostic),
    sink: &mut dyn ArticleSink,
    events: &mut dyn FnMut(&mut OnEvent<'_>),
) -> Result<RunSummary, InputError> {
    // the problems were counted when the inputs were read: replayed, they only count again
    consume(RunSummary::default(), false, diag, sink, events)
}

/// The run's temporary files of ids could not be written or read back.
fn spill_error(dir: Option<&Path>, e: std::io::Error) -> InputError {
    let mut err = InputError::new(
        &format!("a temporary file of article ids in {}", id_log::shown_dir(dir)),
        format!("cannot be written or read back: {e}"),
    );
    err.fix = Some("make room on that disk (about 40 bytes an article), or write the products elsewhere".into());
    err
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
    let dir = sink.spill_dir().map(Path::to_path_buf);
    let mut ids = IdLog::new(dir.clone());
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
                if let Err(e) = ids.article(&a.doc) {
                    failure = Some(spill_error(dir.as_deref(), e));
                    return false;
                }
                sink.add(a);
                if !sink.keep_going() {
                    return false;
                }
                Ok(())
            }
            Event::Delete(del) => {
                if let Some(f) = file.as_mut() {
                    f.2 = true;
                }
                summary.delete_ids += del.len();
                for id in del {
                    if let Err(e) = ids.delete(&id) {
                        failure = Some(spill_error(dir.as_deref(), e));
                        return false;
                    }
                    sink.delete(&id);
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
    if failure.is_none() {
        match ids.resolve() {
            Ok(decided) => {
                summary.replaced = decided.replaced;
                summary.deleted = decided.deleted;
                // the summary line shows a few examples; the others are only counted
                for i in 0..decided.replaced {
                    diag(Diagnostic::repeated(
                        REPLACED,
                        decided.examples.get(i).cloned().unwrap_or_default(),
                    ));
                }
                if let Some((pmid, id)) = &decided.same_example {
                    summary.same_papers = decided.same_papers;
                    diag(Diagnostic::warning(id_log::same_paper_message(
                        decided.same_papers,
                        pmid,
                        id,
                    )));
                }
                sink.dead(decided.dead);
            }
            Err(e) => failure = Some(spill_error(dir.as_deref(), e)),
        }
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
