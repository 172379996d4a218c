//! One input opened and read ahead on a thread of its own, while the caller still prepares
//! (a run builds its tagger, 0.03-0.04 s on the default ontology, before it can tag anything).
//!
//! [`ReadAhead::start`] opens the file as [`super::open_source`] would and reads its first
//! blocks of records (PubMed XML) or records into a bounded queue; [`super::open_source`]
//! called later for the same path (through [`InputOptions::ahead`]) takes them from the queue,
//! then the rest of the file, which the thread hands over as soon as it is taken: from then on
//! the file is read where the run reads it, no further ahead than it would be. The records,
//! their order and every error are the ones reading the file directly gives: only when the
//! work is done changes. Dropped unused, the queue closes and the thread stops at its next
//! item.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Mutex};

use super::blocks::Block;
use super::{InputError, InputOptions, Record, Source, open_source};

/// Blocks (about 1 MB of XML each: [`super::pubmed::DEFAULT_BLOCK_BYTES`]) read ahead at most.
/// On pubmed21n1298 (two threads) the decompression and cutting of 32 blocks take about as
/// long as building the default ontology's tagger.
const BLOCKS_AHEAD: usize = 32;

/// Records read ahead at most (formats read record by record).
const RECORDS_AHEAD: usize = 2048;

type Items<T> = Box<dyn Iterator<Item = T> + Send>;

/// What the reading thread hands on: an item read ahead, or the rest of the file.
enum Ahead<T> {
    Item(T),
    Rest(Items<T>),
}

/// What the file turned out to be, with the queue of its items.
enum Opened {
    Failed(InputError),
    Blocks(Receiver<Ahead<Result<Box<dyn Block>, InputError>>>),
    Records(Receiver<Ahead<Result<Record, InputError>>>),
}

/// An input being read ahead; see the module documentation.
pub struct ReadAhead {
    path: PathBuf,
    opened: Receiver<Opened>,
    /// Set when the run takes the file: the thread hands over the rest.
    taken: Arc<AtomicBool>,
}

impl std::fmt::Debug for ReadAhead {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ReadAhead")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

/// A read-ahead waiting for its [`super::open_source`] (in [`InputOptions::ahead`]).
pub type Slot = Arc<Mutex<Option<ReadAhead>>>;

/// Send `items` one by one until the run takes them (`taken`), then the rest at once; false
/// when the queue is gone.
fn hand_on<T: Send + 'static>(mut items: Items<T>, tx: std::sync::mpsc::SyncSender<Ahead<T>>, taken: &AtomicBool) {
    while !taken.load(Ordering::Acquire) {
        match items.next() {
            Some(item) => {
                if tx.send(Ahead::Item(item)).is_err() {
                    return;
                }
            }
            None => return,
        }
    }
    let _ = tx.send(Ahead::Rest(items));
}

/// The items read ahead, then the rest of the file.
struct Queue<T> {
    rx: Option<Receiver<Ahead<T>>>,
    rest: Option<Items<T>>,
}

impl<T> Iterator for Queue<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        if let Some(rest) = self.rest.as_mut() {
            return rest.next();
        }
        match self.rx.as_ref()?.recv() {
            Ok(Ahead::Item(item)) => Some(item),
            Ok(Ahead::Rest(rest)) => {
                self.rx = None;
                self.rest.insert(rest).next()
            }
            // the file ended while read ahead
            Err(_) => None,
        }
    }
}

fn queue<T>(rx: Receiver<Ahead<T>>) -> Queue<T> {
    Queue {
        rx: Some(rx),
        rest: None,
    }
}

impl ReadAhead {
    /// Start reading `path` with `opts` (its own [`InputOptions::ahead`] is not looked at).
    pub fn start(path: &Path, opts: &InputOptions) -> ReadAhead {
        let opts = InputOptions {
            ahead: None,
            ..opts.clone()
        };
        let (opened_tx, opened) = sync_channel::<Opened>(1);
        let taken = Arc::new(AtomicBool::new(false));
        let flag = Arc::clone(&taken);
        let owned = path.to_path_buf();
        // Not joined: once the queue is dropped, the thread's next send fails and it ends. The
        // queue's sender is dropped as soon as the queue is handed over, so a queue still
        // waiting in `opened` goes with it.
        std::thread::spawn(move || match open_source(&owned, &opts) {
            Err(e) => {
                let _ = opened_tx.send(Opened::Failed(e));
            }
            Ok(Source::Blocks(blocks)) => {
                let (tx, rx) = sync_channel(BLOCKS_AHEAD);
                if opened_tx.send(Opened::Blocks(rx)).is_ok() {
                    drop(opened_tx);
                    hand_on(blocks, tx, &flag);
                }
            }
            Ok(Source::Records(records)) => {
                let (tx, rx) = sync_channel(RECORDS_AHEAD);
                if opened_tx.send(Opened::Records(rx)).is_ok() {
                    drop(opened_tx);
                    hand_on(records, tx, &flag);
                }
            }
        });
        ReadAhead {
            path: path.to_path_buf(),
            opened,
            taken,
        }
    }

    /// The path being read.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The source, as [`super::open_source`] gives it.
    fn into_source(self) -> Result<Source, InputError> {
        self.taken.store(true, Ordering::Release);
        match self.opened.recv() {
            Ok(Opened::Failed(e)) => Err(e),
            Ok(Opened::Blocks(rx)) => Ok(Source::Blocks(Box::new(queue(rx)))),
            Ok(Opened::Records(rx)) => Ok(Source::Records(Box::new(queue(rx)))),
            // the thread panicked (its panic was printed): nothing can be read
            Err(_) => {
                Err(InputError::new(&super::display_path(&self.path), "the thread reading it ahead stopped").fatal())
            }
        }
    }
}

/// The source of `path` from the read-ahead in `slot`, when it reads that path (taken: a
/// second open reads the file again).
pub(super) fn take(slot: &Slot, path: &Path) -> Option<Result<Source, InputError>> {
    let mut slot = slot.lock().unwrap_or_else(|p| p.into_inner());
    if slot.as_ref().is_some_and(|a| a.path == path) {
        return slot.take().map(ReadAhead::into_source);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record (and error) of `path` read directly, as text.
    fn read(path: &Path, opts: &InputOptions) -> Vec<String> {
        match super::super::open(path, opts) {
            Ok(records) => records.map(|r| format!("{r:?}")).collect(),
            Err(e) => vec![format!("open: {e:?}")],
        }
    }

    #[test]
    fn read_ahead_gives_what_reading_directly_gives() {
        let dir = tempfile::tempdir().unwrap();
        let broken = dir.path().join("broken.jsonl");
        std::fs::write(
            &broken,
            "{\"id\": \"a\", \"text\": \"sepsis\"}\n{not json\n{\"id\": \"b\", \"text\": \"DIC\"}\n",
        )
        .unwrap();
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let cases = [
            // blocks of whole records: tiny blocks put block edges everywhere
            (fixtures.join("pubmed_efetch2.xml"), 200),
            (
                fixtures.join("pubmed_efetch2.xml"),
                crate::input::pubmed::DEFAULT_BLOCK_BYTES,
            ),
            // records, decompressed on a thread of their own
            (fixtures.join("sepsis_sample.jsonl.gz"), 200),
            (broken, 200),
            (dir.path().join("missing.jsonl"), 200),
        ];
        for (path, block) in cases {
            for decompress_thread in [false, true] {
                let opts = InputOptions {
                    pubmed_block_bytes: block,
                    decompress_thread,
                    ..InputOptions::default()
                };
                let want = read(&path, &opts);
                assert!(!want.is_empty(), "{}", path.display());
                let ahead = InputOptions {
                    ahead: Some(Arc::new(Mutex::new(Some(ReadAhead::start(&path, &opts))))),
                    ..opts.clone()
                };
                assert_eq!(
                    read(&path, &ahead),
                    want,
                    "{} {block} {decompress_thread}",
                    path.display()
                );
                // taken once: the slot is empty, a second open reads the file again
                assert!(ahead.ahead.as_ref().unwrap().lock().unwrap().is_none());
                assert_eq!(read(&path, &ahead), want);
            }
        }
    }

    #[test]
    fn a_read_ahead_of_another_path_is_left_alone() {
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let (first, other) = (fixtures.join("sepsis25.jsonl"), fixtures.join("pubmed_efetch2.xml"));
        let opts = InputOptions::default();
        let slot: Slot = Arc::new(Mutex::new(Some(ReadAhead::start(&first, &opts))));
        let ahead = InputOptions {
            ahead: Some(Arc::clone(&slot)),
            ..opts.clone()
        };
        assert_eq!(read(&other, &ahead), read(&other, &opts));
        assert_eq!(
            slot.lock().unwrap().as_ref().map(|a| a.path().to_path_buf()),
            Some(first.clone())
        );
        // dropped unused (a run that stops before reading): its thread ends at its next item
        let left = slot.lock().unwrap().take();
        drop(left);
        assert_eq!(read(&first, &ahead), read(&first, &opts));
    }
}
