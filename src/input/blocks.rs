//! Inputs read in blocks: a reader cuts a file into blocks of whole records, and any thread
//! parses a block.
//!
//! A format whose records can be found without parsing them (PubMed XML: its record start tags,
//! see [`super::pubmed`]) is opened as a [`BlockStream`] ([`super::Source::Blocks`]), so that
//! one large file is parsed on several threads. A block's records come back numbered from 1
//! within the block ([`Parsed`]); [`Numbering`], applied in file order, puts them into the file's
//! numbering and drops the blocks after the one that ended the file. [`BlockReader`] parses the
//! blocks in turn on one thread: the same records, numbered the same.

use super::{InputError, Record};
use crate::document::Document;

/// Bytes of a file holding whole records, ready to be parsed on any thread.
pub trait Block: Send {
    /// Parse the block's records, numbered from 1 within it.
    fn parse(&self) -> Parsed;
}

/// The blocks of one file, in file order. An `Err` is a fatal problem; it ends the file.
pub type BlockStream = Box<dyn Iterator<Item = Result<Box<dyn Block>, InputError>> + Send>;

/// The records of a block, numbered from 1 within it.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub records: Vec<Result<Record, InputError>>,
    /// Records counted (the numbers used), skipped ones included.
    pub count: u64,
    /// The file ends in this block: its end was read, or a fatal error.
    pub stop: bool,
}

/// Add `by` to the record number of a record numbered within its block.
pub fn shift_record(rec: &mut Result<Record, InputError>, by: u64) {
    match rec {
        Ok(Record::Document(d)) => shift_document(d, by),
        Ok(Record::Delete(_)) => {}
        Err(e) => shift_error(e, by),
    }
}

/// Add `by` to a document's record number.
pub fn shift_document(d: &mut Document, by: u64) {
    d.origin.record += by;
}

/// Add `by` to a problem's record number.
pub fn shift_error(e: &mut InputError, by: u64) {
    if let Some(r) = e.record.as_mut() {
        *r += by;
    }
}

/// Puts the blocks of one file back into one numbering, in file order.
#[derive(Debug, Default)]
pub struct Numbering {
    offset: u64,
    stopped: bool,
}

impl Numbering {
    /// The number to add to the records of the next block, given what its parse counted; `None`
    /// if the file already ended in an earlier block (its records are dropped).
    pub fn next_block(&mut self, count: u64, stop: bool) -> Option<u64> {
        if self.stopped {
            return None;
        }
        let by = self.offset;
        self.offset += count;
        self.stopped = stop;
        Some(by)
    }
}

/// The records of a file's blocks parsed in turn on one thread.
pub struct BlockReader<B> {
    blocks: B,
    numbering: Numbering,
    ready: std::vec::IntoIter<Result<Record, InputError>>,
    done: bool,
}

impl<B> BlockReader<B> {
    pub fn new(blocks: B) -> BlockReader<B> {
        BlockReader {
            blocks,
            numbering: Numbering::default(),
            ready: Vec::new().into_iter(),
            done: false,
        }
    }
}

impl<B, K> Iterator for BlockReader<B>
where
    B: Iterator<Item = Result<K, InputError>>,
    K: Block,
{
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            if let Some(rec) = self.ready.next() {
                return Some(rec);
            }
            if self.done {
                return None;
            }
            let block = match self.blocks.next() {
                Some(Ok(b)) => b,
                Some(Err(e)) => {
                    self.done = true;
                    return Some(Err(e));
                }
                None => {
                    self.done = true;
                    return None;
                }
            };
            let mut parsed = block.parse();
            let Some(by) = self.numbering.next_block(parsed.count, parsed.stop) else {
                self.done = true;
                return None;
            };
            if parsed.stop {
                self.done = true;
            }
            for rec in &mut parsed.records {
                shift_record(rec, by);
            }
            self.ready = parsed.records.into_iter();
        }
    }
}

impl Block for Box<dyn Block> {
    fn parse(&self) -> Parsed {
        (**self).parse()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbering_shifts_in_file_order_and_stops_after_the_end() {
        let mut n = Numbering::default();
        assert_eq!(n.next_block(3, false), Some(0));
        assert_eq!(n.next_block(0, false), Some(3));
        assert_eq!(n.next_block(2, true), Some(3));
        assert_eq!(n.next_block(5, false), None);
        let mut e = InputError::new(
            "f",
            "the file ends inside this record (<PubmedArticle>): it is truncated",
        )
        .record(2);
        shift_error(&mut e, 40);
        assert_eq!(e.record, Some(42));
        let mut e = InputError::new("f", "the file is empty");
        shift_error(&mut e, 40);
        assert_eq!(e.record, None);
    }
}
