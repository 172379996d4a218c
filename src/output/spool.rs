//! Per-article logs: how the streaming products write rows as articles arrive and still honour
//! PubMed's update semantics (a later record replaces an earlier one with the same id, a delete
//! record removes ids), possibly long after the rows were written.
//!
//! Every article gets a sequence number. A streaming product writes its header, then each
//! article's rows, and records the byte length each article took ([`Ranges`]: four bytes per
//! article, in a temporary file past the latest 65,536). Replaced and deleted articles are
//! marked in [`Dead`] (one bit per article), known at the end of the run. At the
//! end, a product with no dead article is committed as written; otherwise it is copied once,
//! sequentially, without the dead ranges ([`LiveReader`]). Products that need typed cells later
//! (workbook sheets) or aggregate at the end (the ledger of per-article counts) use the same
//! mechanism with a compact binary encoding of cells ([`CellSpool`], [`CellReader`]) in an
//! unnamed temporary file, so no document text stays in memory.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use super::Sink;
use crate::scratch::{buffered_varint, next_byte, write_varint};

/// A writer that counts the bytes through it. Its `flush` does not flush the inner writer (so a
/// CSV writer can empty its buffer into it at every article boundary cheaply); the owner
/// flushes the inner writer when done.
pub struct Tally<W> {
    inner: W,
    count: u64,
}

impl<W: Write> Tally<W> {
    pub fn new(inner: W) -> Tally<W> {
        Tally { inner, count: 0 }
    }

    /// Bytes written so far.
    pub fn count(&self) -> u64 {
        self.count
    }

    pub fn get_mut(&mut self) -> &mut W {
        &mut self.inner
    }

    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for Tally<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.count += n as u64;
        Ok(n)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.inner.write_all(buf)?;
        self.count += buf.len() as u64;
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

pub use crate::pipeline::Dead;

/// Lengths kept in memory before they go to the temporary file (256 KB).
pub const LENS_KEPT: usize = 1 << 16;

/// Where a log's header ends and how many bytes each article's rows took, in sequence order:
/// the latest [`LENS_KEPT`] in memory, the earlier ones in an unnamed temporary file (four
/// bytes each), so a run of any number of articles keeps 256 KB a product.
#[derive(Debug, Default)]
pub struct Ranges {
    header: u64,
    last: u64,
    /// The lengths after the `spilled` ones in `file`.
    lens: Vec<u32>,
    file: Option<File>,
    spilled: usize,
    dir: Option<PathBuf>,
    kept: usize,
}

impl Ranges {
    /// Ranges whose temporary file (if they need one) goes in `dir`.
    pub fn new(dir: Option<&Path>) -> Ranges {
        Ranges {
            dir: dir.map(Path::to_path_buf),
            kept: LENS_KEPT,
            ..Ranges::default()
        }
    }

    /// The header ends at byte `at`.
    pub fn header_done(&mut self, at: u64) {
        self.header = at;
        self.last = at;
    }

    /// The next article's rows end at byte `at`.
    pub fn push(&mut self, at: u64) -> io::Result<()> {
        let len = u32::try_from(at - self.last)
            .map_err(|_| io::Error::other("one article's rows take more than 4 GB in one product"))?;
        self.lens.push(len);
        self.last = at;
        if self.lens.len() >= self.kept.max(1) {
            let file = match &mut self.file {
                Some(f) => f,
                None => self.file.insert(temp_file(self.dir.as_deref())?),
            };
            let bytes: Vec<u8> = self.lens.iter().flat_map(|l| l.to_le_bytes()).collect();
            file.seek(SeekFrom::End(0))?;
            file.write_all(&bytes)?;
            self.spilled += self.lens.len();
            self.lens.clear();
        }
        Ok(())
    }
}

/// A reader of a file at its own position (positional reads: the file's shared position is
/// left alone), so that several threads read one temporary file at once.
pub struct ReadAt<'f> {
    file: &'f File,
    pos: u64,
}

impl<'f> ReadAt<'f> {
    /// From the start of `file`.
    pub fn new(file: &'f File) -> ReadAt<'f> {
        ReadAt { file, pos: 0 }
    }
}

impl Read for ReadAt<'_> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        #[cfg(unix)]
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.pos)?;
        #[cfg(windows)]
        let n = std::os::windows::fs::FileExt::seek_read(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

impl Seek for ReadAt<'_> {
    fn seek(&mut self, to: SeekFrom) -> io::Result<u64> {
        let pos = match to {
            SeekFrom::Start(n) => Some(n),
            SeekFrom::Current(d) => self.pos.checked_add_signed(d),
            SeekFrom::End(d) => self.file.metadata()?.len().checked_add_signed(d),
        };
        self.pos = pos.ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "seek before the start"))?;
        Ok(self.pos)
    }
}

/// Reads a log's header and the ranges of the live articles, in order, skipping the dead.
pub struct LiveReader<'a, R: Read + Seek> {
    inner: BufReader<R>,
    ranges: &'a Ranges,
    dead: &'a Dead,
    next: usize,
    left: u64,
    /// The lengths read from the ranges' temporary file and the first one's sequence number.
    lens: Vec<u32>,
    lens_from: usize,
}

impl<'a, R: Read + Seek> LiveReader<'a, R> {
    /// `inner` positioned at the start of the log.
    pub fn new(inner: R, ranges: &'a Ranges, dead: &'a Dead) -> Self {
        LiveReader {
            inner: BufReader::with_capacity(256 * 1024, inner),
            ranges,
            dead,
            next: 0,
            left: ranges.header,
            lens: Vec::new(),
            lens_from: 0,
        }
    }

    /// The byte length of article `seq`'s rows; `None` past the last article.
    fn len(&mut self, seq: usize) -> io::Result<Option<u32>> {
        let r = self.ranges;
        if seq >= r.spilled {
            return Ok(r.lens.get(seq - r.spilled).copied());
        }
        if seq < self.lens_from || seq >= self.lens_from + self.lens.len() {
            // read at its own position: several readers of one log may run at once
            let mut file = ReadAt::new(r.file.as_ref().expect("spilled lengths have a file"));
            let n = (r.spilled - seq).min(r.kept.max(1));
            let mut bytes = vec![0u8; n * 4];
            file.seek(SeekFrom::Start(seq as u64 * 4))?;
            file.read_exact(&mut bytes)?;
            self.lens.clear();
            self.lens.extend(
                bytes
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
            );
            self.lens_from = seq;
        }
        Ok(Some(self.lens[seq - self.lens_from]))
    }
}

impl<R: Read + Seek> Read for LiveReader<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        loop {
            if self.left > 0 {
                let want = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
                let n = self.inner.read(&mut buf[..want])?;
                if n == 0 {
                    return Err(io::Error::new(
                        io::ErrorKind::UnexpectedEof,
                        "a temporary product file is shorter than what was written to it",
                    ));
                }
                self.left -= n as u64;
                return Ok(n);
            }
            let Some(len) = self.len(self.next)? else {
                return Ok(0);
            };
            let seq = self.next as u32;
            self.next += 1;
            if self.dead.is_dead(seq) {
                self.inner.seek_relative(i64::from(len))?;
            } else {
                self.left = u64::from(len);
            }
        }
    }
}

/// Temporary files go in the output directory, so large spools do not fill a memory-backed /tmp.
pub use crate::scratch::temp_file;

const TEXT: u8 = 0;
const INT: u8 = 1;
const END: u8 = 2;

/// Typed cells in a temporary file, to be replayed into another [`Sink`] later.
pub struct CellSpool {
    w: Tally<BufWriter<File>>,
    file: File,
}

impl CellSpool {
    pub fn new(dir: Option<&Path>) -> io::Result<CellSpool> {
        let file = temp_file(dir)?;
        let w = Tally::new(BufWriter::with_capacity(256 * 1024, file.try_clone()?));
        Ok(CellSpool { w, file })
    }

    /// Bytes written so far.
    pub fn position(&self) -> u64 {
        self.w.count()
    }

    /// Flush and return the file, positioned at its start, for reading.
    pub fn into_file(mut self) -> io::Result<File> {
        self.w.get_mut().flush()?;
        drop(self.w);
        self.file.seek(SeekFrom::Start(0))?;
        Ok(self.file)
    }
}

impl Sink for CellSpool {
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.w.write_all(&[TEXT])?;
        write_varint(&mut self.w, s.len() as u64)?;
        self.w.write_all(s.as_bytes())
    }

    fn int(&mut self, n: u64) -> io::Result<()> {
        self.w.write_all(&[INT])?;
        write_varint(&mut self.w, n)
    }

    fn end_row(&mut self) -> io::Result<()> {
        self.w.write_all(&[END])
    }

    fn finish(&mut self) -> io::Result<()> {
        self.w.get_mut().flush()
    }
}

/// One cell read back from a [`CellSpool`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(u64),
    EndRow,
}

/// One cell read back, borrowing its text from the reader ([`CellReader::next_ref`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellRef<'a> {
    Text(&'a str),
    Int(u64),
    EndRow,
}

/// Reads the cells of a [`CellSpool`] back, their tags and numbers a byte at a time from the
/// buffer of `R`.
pub struct CellReader<R: BufRead> {
    r: R,
    /// The text of the last text cell.
    text: Vec<u8>,
}

impl<R: BufRead> CellReader<R> {
    pub fn new(r: R) -> Self {
        CellReader { r, text: Vec::new() }
    }

    fn varint(&mut self) -> io::Result<u64> {
        buffered_varint(&mut self.r)
    }

    /// The next cell, its text borrowed (no allocation per cell), or `None` at the end.
    pub fn next_ref(&mut self) -> io::Result<Option<CellRef<'_>>> {
        let Some(tag) = next_byte(&mut self.r)? else {
            return Ok(None);
        };
        Ok(Some(match tag {
            TEXT => {
                let len = self.varint()? as usize;
                self.text.resize(len, 0);
                self.r.read_exact(&mut self.text)?;
                CellRef::Text(std::str::from_utf8(&self.text).map_err(io::Error::other)?)
            }
            INT => CellRef::Int(self.varint()?),
            END => CellRef::EndRow,
            _ => return Err(io::Error::other("a temporary product file is corrupt")),
        }))
    }

    /// The next cell, a text, copied into `to` (its allocation reused): true; false at the end;
    /// `bad()` for another cell.
    pub fn text_into(&mut self, to: &mut String, bad: fn() -> io::Error) -> io::Result<bool> {
        match self.next_ref()? {
            None => Ok(false),
            Some(CellRef::Text(s)) => {
                to.clear();
                to.push_str(s);
                Ok(true)
            }
            Some(_) => Err(bad()),
        }
    }

    /// The next cell, a number; `bad()` for another cell or none.
    pub fn int(&mut self, bad: fn() -> io::Error) -> io::Result<u64> {
        match self.next_ref()? {
            Some(CellRef::Int(n)) => Ok(n),
            _ => Err(bad()),
        }
    }

    /// The next cell, the end of a row; `bad()` for another cell or none.
    pub fn end_row(&mut self, bad: fn() -> io::Error) -> io::Result<()> {
        match self.next_ref()? {
            Some(CellRef::EndRow) => Ok(()),
            _ => Err(bad()),
        }
    }

    /// The next cell, or `None` at the end.
    pub fn next_cell(&mut self) -> io::Result<Option<Cell>> {
        Ok(self.next_ref()?.map(|c| match c {
            CellRef::Text(s) => Cell::Text(s.to_string()),
            CellRef::Int(n) => Cell::Int(n),
            CellRef::EndRow => Cell::EndRow,
        }))
    }

    /// Write every cell into `sink` (without finishing it).
    pub fn replay<S: Sink + ?Sized>(&mut self, sink: &mut S) -> io::Result<()> {
        while let Some(c) = self.next_ref()? {
            match c {
                CellRef::Text(s) => sink.text(s)?,
                CellRef::Int(n) => sink.int(n)?,
                CellRef::EndRow => sink.end_row()?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_reader_skips_dead_ranges() {
        let mut f = tempfile::tempfile().unwrap();
        f.write_all(b"H|aa|bbb||cccc|d").unwrap();
        f.seek(SeekFrom::Start(0)).unwrap();
        let mut dead = Dead::default();
        dead.kill(1);
        dead.kill(3);
        dead.kill(3);
        assert_eq!(dead.count(), 2);
        // the lengths in memory, and in a temporary file past 1, 2, 3 and 5 of them
        for kept in [LENS_KEPT, 1, 2, 3, 5] {
            let dir = tempfile::tempdir().unwrap();
            let mut r = Ranges::new(Some(dir.path()));
            r.kept = kept;
            r.header_done(2);
            for at in [5, 9, 10, 15, 16] {
                r.push(at).unwrap();
            }
            assert_eq!(r.file.is_some(), kept <= 5, "kept {kept}");
            for _ in 0..2 {
                let mut out = String::new();
                f.seek(SeekFrom::Start(0)).unwrap();
                LiveReader::new(&mut f, &r, &dead).read_to_string(&mut out).unwrap();
                assert_eq!(out, "H|aa||d", "kept {kept}");
            }
            // several readers of one log at once, each at its own position, a byte at a time
            // in turn (as the threads at the end of a run read the per-article counts)
            let mut readers: Vec<_> = (0..3).map(|_| LiveReader::new(ReadAt::new(&f), &r, &dead)).collect();
            let mut outs = vec![Vec::new(); 3];
            for _ in 0..16 {
                for (rd, out) in readers.iter_mut().zip(&mut outs) {
                    let mut b = [0u8; 1];
                    if rd.read(&mut b).unwrap() == 1 {
                        out.push(b[0]);
                    }
                }
            }
            assert_eq!(outs, vec![b"H|aa||d".to_vec(); 3], "kept {kept}");
            assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        }
    }

    /// Cells come back as written, whether a number or a text lies whole in the reader's buffer
    /// or runs past its end.
    #[test]
    fn cells_round_trip() {
        let mut s = CellSpool::new(None).unwrap();
        s.text("é,\"x\"").unwrap();
        s.int(300).unwrap();
        s.int(u64::MAX).unwrap();
        s.end_row().unwrap();
        s.text("").unwrap();
        s.text(&"long ".repeat(100)).unwrap();
        let mut f = s.into_file().unwrap();
        for capacity in [1, 2, 3, 5, 8, 8192] {
            f.seek(SeekFrom::Start(0)).unwrap();
            let mut r = CellReader::new(BufReader::with_capacity(capacity, &f));
            let mut got = Vec::new();
            while let Some(c) = r.next_cell().unwrap() {
                got.push(c);
            }
            assert_eq!(
                got,
                [
                    Cell::Text("é,\"x\"".into()),
                    Cell::Int(300),
                    Cell::Int(u64::MAX),
                    Cell::EndRow,
                    Cell::Text(String::new()),
                    Cell::Text("long ".repeat(100)),
                ],
                "capacity {capacity}"
            );
        }
    }
}
