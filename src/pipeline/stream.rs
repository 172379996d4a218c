//! The parallel, ordered, streaming engine under every run.
//!
//! ```text
//! decompression       reader threads
//! (per .gz file)      (one per file, a few files ahead)      workers (N)         caller's thread
//!   inflate -> chunks -> parse -> batches of records  -> dispatcher -> tag batches -> reorder -> events
//! ```
//!
//! With more than one thread, a gzip file is decompressed on a thread of its own, a few 256 KiB
//! chunks ahead of its parser ([`InputOptions::decompress_thread`]), so decompression, parsing
//! and tagging of one file run at the same time; plain files are parsed as they are read.
//!
//! A file opened as blocks ([`Source::Blocks`]: PubMed XML) is not parsed by its reader thread:
//! the reader only hands on its blocks of whole records, and the workers parse each block as well
//! as tag it. The caller's thread, putting blocks back in order, also puts their record numbers
//! into the file's numbering ([`Numbering`]), so events, messages and record numbers are the same
//! as on one thread.
//!
//! Files are read in parallel, a bounded number ahead of the one being emitted; each reader
//! cuts its records into batches that the dispatcher numbers in input order and hands to the
//! workers; the caller receives every event in exactly the input order, whatever the number of
//! threads. Memory is bounded: each reader holds at most a few batches, and at most
//! `4 * workers` batches are between the dispatcher and the caller at any time (a bounded channel
//! of tokens: the dispatcher puts one in per batch, the caller takes one out per batch handed
//! out, and drops the channel to stop the run).

use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, channel, sync_channel};

use crossbeam_channel::bounded;

use super::Article;
use crate::input::blocks::{Block, Numbering, shift_document, shift_error};
use crate::input::{self, InputError, InputOptions, Record, Source};
use crate::tag::Tagger;
use crate::tag::matcher::Scratch;

/// What a run produces, in input order.
#[derive(Debug)]
pub enum Event {
    /// A document and its mentions (no mentions when the stream does not tag).
    Article(Article),
    /// Ids to delete (PubMed `DeleteCitation`).
    Delete(Vec<String>),
    /// A problem with the input; a `fatal` one ends its file.
    Problem(InputError),
    /// A file was opened (`path`) and will be read; sent before its records.
    FileStart(PathBuf),
}

/// How to stream.
#[derive(Debug, Clone, Copy)]
pub struct StreamOptions {
    /// Worker threads for tagging; 0 or 1 runs everything on the caller's thread.
    pub threads: usize,
    /// Documents per batch.
    pub batch: usize,
}

impl Default for StreamOptions {
    fn default() -> Self {
        StreamOptions { threads: 1, batch: 64 }
    }
}

type Batch = Vec<Result<Record, InputError>>;

/// Read (and with a tagger, tag) every input, calling `on` with each event in input order.
/// `on` returns false to stop the run early.
pub fn stream(
    tagger: Option<&Tagger>,
    files: &[PathBuf],
    opts: &InputOptions,
    sopts: StreamOptions,
    on: &mut dyn FnMut(Event) -> bool,
) {
    // progress: files and articles are counted as they are handed out, in input order
    let progress = opts.progress.clone();
    let mut counted = |e: Event| {
        if let Some(p) = &progress {
            let counter = match &e {
                Event::Article(_) => Some(&p.articles),
                Event::FileStart(_) => Some(&p.files_started),
                _ => None,
            };
            if let Some(c) = counter {
                c.fetch_add(1, Ordering::Relaxed);
            }
        }
        on(e)
    };
    if sopts.threads <= 1 {
        sequential(tagger, files, opts, &mut counted);
    } else {
        // decompression gets a thread of its own, so that it runs beside parsing and tagging
        let opts = InputOptions {
            decompress_thread: true,
            ..opts.clone()
        };
        parallel(tagger, files, &opts, sopts, &mut counted);
    }
}

fn to_event(tagger: Option<&Tagger>, rec: Result<Record, InputError>, scratch: &mut Scratch) -> Event {
    match rec {
        Ok(Record::Document(doc)) => {
            let mentions = tagger.map(|t| t.tag(&doc, scratch)).unwrap_or_default();
            Event::Article(Article { doc, mentions })
        }
        Ok(Record::Delete(ids)) => Event::Delete(ids),
        Err(e) => Event::Problem(e),
    }
}

fn sequential(tagger: Option<&Tagger>, files: &[PathBuf], opts: &InputOptions, on: &mut dyn FnMut(Event) -> bool) {
    let mut scratch = Scratch::default();
    for path in files {
        let records = match input::open(path, opts) {
            Ok(r) => r,
            Err(e) => {
                if !on(Event::Problem(e)) {
                    return;
                }
                continue;
            }
        };
        if !on(Event::FileStart(path.clone())) {
            return;
        }
        for rec in records {
            let fatal = matches!(&rec, Err(e) if e.fatal);
            if !on(to_event(tagger, rec, &mut scratch)) {
                return;
            }
            if fatal {
                break;
            }
        }
    }
}

/// One file's output as the reader produces it.
enum FileMsg {
    Start,
    Batch(Batch),
    /// Records still to parse: the workers parse them as well as tag them.
    Block(Box<dyn Block>),
}

fn read_file(path: &Path, opts: &InputOptions, batch: usize, tx: SyncSender<FileMsg>, stop: &AtomicBool) {
    let source = match input::open_source(path, opts) {
        Ok(s) => s,
        Err(e) => {
            let _ = tx.send(FileMsg::Batch(vec![Err(e)]));
            return;
        }
    };
    if tx.send(FileMsg::Start).is_err() {
        return;
    }
    let records = match source {
        Source::Records(r) => r,
        Source::Blocks(blocks) => {
            for block in blocks {
                if stop.load(Ordering::Relaxed) {
                    return;
                }
                let msg = match block {
                    Ok(b) => FileMsg::Block(b),
                    Err(e) => FileMsg::Batch(vec![Err(e)]),
                };
                if tx.send(msg).is_err() {
                    return;
                }
            }
            return;
        }
    };
    let mut cur: Batch = Vec::with_capacity(batch);
    let mut bytes = 0usize;
    for rec in records {
        if stop.load(Ordering::Relaxed) {
            return;
        }
        let fatal = matches!(&rec, Err(e) if e.fatal);
        if let Ok(Record::Document(d)) = &rec {
            bytes += d.sections.iter().map(|s| s.text.len()).sum::<usize>();
        }
        cur.push(rec);
        if cur.len() >= batch || bytes >= (1 << 20) {
            if tx
                .send(FileMsg::Batch(std::mem::replace(&mut cur, Vec::with_capacity(batch))))
                .is_err()
            {
                return;
            }
            bytes = 0;
        }
        if fatal {
            break;
        }
    }
    if !cur.is_empty() {
        let _ = tx.send(FileMsg::Batch(cur));
    }
}

enum Work {
    Start(PathBuf),
    Batch(Batch),
    Block(Box<dyn Block>),
}

/// What a worker hands back for one piece of work.
enum Done {
    Events(Vec<Event>),
    /// A block's events, numbered within the block ([`Numbering`] puts them in the file's).
    Block {
        events: Vec<Event>,
        count: u64,
        stop: bool,
    },
}

/// Add `by` to the record numbers of a block's event.
fn shift(e: &mut Event, by: u64) {
    match e {
        Event::Article(a) => shift_document(&mut a.doc, by),
        Event::Problem(p) => shift_error(p, by),
        Event::Delete(_) | Event::FileStart(_) => {}
    }
}

fn parallel(
    tagger: Option<&Tagger>,
    files: &[PathBuf],
    opts: &InputOptions,
    sopts: StreamOptions,
    on: &mut dyn FnMut(Event) -> bool,
) {
    let workers = sopts.threads;
    let ahead = workers.max(2);
    let stop = AtomicBool::new(false);
    // The work queue has several consumers and the tokens bound what is in flight: crossbeam
    // channels. The channels with one consumer (a reader's batches, the workers' results) are
    // std's: crossbeam's blocking calls spin and yield before they sleep, which on a loaded
    // machine cost the dispatcher and the caller their turn; with all channels crossbeam's, a
    // PubMed update file on 2 threads took 2.99 s against 2.14 s (mean of 6 interleaved runs,
    // load average 9; BENCHMARKS.md, "A room for tagging").
    let (permit_tx, permit_rx) = bounded::<()>(4 * workers);
    let mut permits = Some(permit_rx);
    let (work_tx, work_rx) = bounded::<(u64, Work)>(2 * workers);
    let (done_tx, done_rx) = channel::<(u64, Done)>();
    std::thread::scope(|s| {
        // dispatcher: starts readers a few files ahead and numbers their batches in input order
        let stop_ref = &stop;
        s.spawn(move || {
            let mut readers: VecDeque<Receiver<FileMsg>> = VecDeque::new();
            let mut next_file = 0;
            let mut seq = 0u64;
            let spawn_reader = |i: usize| {
                let (tx, rx) = sync_channel::<FileMsg>(4);
                let path = &files[i];
                s.spawn(move || read_file(path, opts, sopts.batch, tx, stop_ref));
                rx
            };
            while next_file < files.len() && readers.len() < ahead {
                readers.push_back(spawn_reader(next_file));
                next_file += 1;
            }
            let mut index = 0;
            while let Some(rx) = readers.pop_front() {
                for msg in rx.iter() {
                    // waits while 4 * workers batches are out; fails once the caller stopped
                    if permit_tx.send(()).is_err() {
                        return;
                    }
                    let work = match msg {
                        FileMsg::Start => Work::Start(files[index].clone()),
                        FileMsg::Batch(b) => Work::Batch(b),
                        FileMsg::Block(b) => Work::Block(b),
                    };
                    if work_tx.send((seq, work)).is_err() {
                        return;
                    }
                    seq += 1;
                }
                index += 1;
                if next_file < files.len() {
                    readers.push_back(spawn_reader(next_file));
                    next_file += 1;
                }
            }
        });
        for _ in 0..workers {
            let rx = work_rx.clone();
            let tx = done_tx.clone();
            s.spawn(move || {
                let mut scratch = Scratch::default();
                for (seq, work) in rx.iter() {
                    let done = match work {
                        Work::Start(p) => Done::Events(vec![Event::FileStart(p)]),
                        Work::Batch(b) => {
                            Done::Events(b.into_iter().map(|r| to_event(tagger, r, &mut scratch)).collect())
                        }
                        Work::Block(b) => {
                            let parsed = b.parse();
                            drop(b);
                            Done::Block {
                                events: parsed
                                    .records
                                    .into_iter()
                                    .map(|r| to_event(tagger, r, &mut scratch))
                                    .collect(),
                                count: parsed.count,
                                stop: parsed.stop,
                            }
                        }
                    };
                    if tx.send((seq, done)).is_err() {
                        return;
                    }
                }
            });
        }
        drop((work_rx, done_tx));
        // the caller's thread: put batches back in order and hand out their events
        let mut pending: BTreeMap<u64, Done> = BTreeMap::new();
        let mut next = 0u64;
        // the record numbers of the file being handed out
        let mut numbering = Numbering::default();
        for (seq, done) in done_rx.iter() {
            pending.insert(seq, done);
            while let Some(done) = pending.remove(&next) {
                next += 1;
                // a batch handed out: its token goes (once stopped, the dispatcher is gone)
                let Some(tokens) = &permits else { continue };
                let _ = tokens.try_recv();
                let events = match done {
                    Done::Events(events) => events,
                    Done::Block {
                        mut events,
                        count,
                        stop,
                    } => match numbering.next_block(count, stop) {
                        Some(by) => {
                            events.iter_mut().for_each(|e| shift(e, by));
                            events
                        }
                        // the file ended in an earlier block
                        None => Vec::new(),
                    },
                };
                for e in events {
                    if matches!(e, Event::FileStart(_)) {
                        numbering = Numbering::default();
                    }
                    if !on(e) {
                        // stop: readers see the flag, the dispatcher a closed token channel
                        stop.store(true, Ordering::Relaxed);
                        permits = None;
                        break;
                    }
                }
            }
        }
    });
}
