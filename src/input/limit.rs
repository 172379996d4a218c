//! A byte stream that refuses to let one record grow without bound.
//!
//! Streaming readers (PubMed XML, BioC, MEDLINE, PubTator) hold one record at a time. A file that
//! is corrupt or not what it claims to be can make "one record" the whole rest of the file: an
//! XML element that is never closed, a line with no newline. [`Limited`] counts the bytes handed
//! out since the reader last called [`Limited::mark`] (at every record boundary) and fails with
//! [`RecordTooLarge`] once they pass the limit, so memory stays bounded by the limit plus one
//! buffer whatever the input.

use std::io::{self, BufRead, Read};

/// The default limit on one record: far above any real PubMed record (the largest, with long
/// reference lists, are a few hundred kilobytes) and far below the memory of any machine.
pub const DEFAULT_MAX_RECORD_BYTES: u64 = 64 * 1024 * 1024;

/// The error [`Limited`] returns once a record passes the limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordTooLarge {
    pub limit: u64,
}

impl std::fmt::Display for RecordTooLarge {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "one record is larger than the limit of {} bytes", self.limit)
    }
}

impl std::error::Error for RecordTooLarge {}

/// A [`BufRead`] that counts bytes since the last [`mark`](Limited::mark).
pub struct Limited<R> {
    inner: R,
    limit: u64,
    since_mark: u64,
    /// Bytes consumed in total, for byte offsets in messages.
    total: u64,
    exceeded: bool,
}

impl<R: BufRead> Limited<R> {
    pub fn new(inner: R, limit: u64) -> Limited<R> {
        Limited {
            inner,
            limit,
            since_mark: 0,
            total: 0,
            exceeded: false,
        }
    }

    /// Start counting a new record here.
    pub fn mark(&mut self) {
        self.since_mark = 0;
    }

    /// Whether the limit was hit (the error seen by the caller is this one).
    pub fn exceeded(&self) -> bool {
        self.exceeded
    }

    pub fn limit(&self) -> u64 {
        self.limit
    }

    pub fn get_mut(&mut self) -> &mut R {
        &mut self.inner
    }

    pub fn into_inner(self) -> R {
        self.inner
    }

    /// Bytes consumed so far.
    pub fn position(&self) -> u64 {
        self.total
    }
}

/// `Read::read` for a type whose reading lives in its `BufRead` methods.
pub(crate) fn read_via_buf(r: &mut impl BufRead, out: &mut [u8]) -> io::Result<usize> {
    let n = {
        let buf = r.fill_buf()?;
        let n = buf.len().min(out.len());
        out[..n].copy_from_slice(&buf[..n]);
        n
    };
    r.consume(n);
    Ok(n)
}

impl<R: BufRead> Read for Limited<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        read_via_buf(self, out)
    }
}

impl<R: BufRead> BufRead for Limited<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.since_mark > self.limit {
            self.exceeded = true;
            return Err(io::Error::other(RecordTooLarge { limit: self.limit }));
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.since_mark += amt as u64;
        self.total += amt as u64;
        self.inner.consume(amt);
    }
}

/// A size in bytes for messages: `64 MiB`, `512 KiB`, `100 bytes`.
pub fn human_size(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fails_once_past_the_limit_and_resets_at_mark() {
        let data = [b'x'; 100];
        let mut r = Limited::new(io::BufReader::with_capacity(10, &data[..]), 25);
        let mut out = [0u8; 10];
        let mut got = 0;
        while got <= 25 {
            got += r.read(&mut out).unwrap();
        }
        assert_eq!(got, 30);
        let err = r.read(&mut out).unwrap_err();
        assert_eq!(err.to_string(), "one record is larger than the limit of 25 bytes");
        assert!(r.exceeded());
        r.mark();
        assert_eq!(r.read(&mut out).unwrap(), 10);
        assert_eq!(r.position(), 40);
    }

    #[test]
    fn human_sizes() {
        assert_eq!(human_size(64 << 20), "64 MiB");
        assert_eq!(human_size(2048), "2 KiB");
        assert_eq!(human_size(100), "100 bytes");
    }
}
