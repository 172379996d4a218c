//! The size and SHA-256 of an input file, for the manifest and a run's state: taken from the
//! bytes as the reader reads them ([`ReadDigests`]), or by reading the file whole
//! ([`file_sha256`]) when no reader read it to its end.
//!
//! Reading each input again at the end of a run cost an `--out-dir` run on pubmed21n1298 2.08 G
//! of its 24.87 G instructions (callgrind; software SHA-256 there), serially on the main thread
//! between reading and the products (BENCHMARKS.md, issue 19).

use std::fs::File;
use std::io::{self, Read};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use sha2::{Digest, Sha256};

/// Byte count and SHA-256 (lower-case hex) of the input files that a reader read to their end.
#[derive(Debug, Default)]
pub struct ReadDigests(Mutex<Vec<(PathBuf, u64, String)>>);

impl ReadDigests {
    /// The byte count and checksum of `path` (as the reader was given it), if it was read whole.
    pub fn get(&self, path: &Path) -> Option<(u64, String)> {
        let seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        seen.iter()
            .find(|(p, _, _)| p == path)
            .map(|(_, n, sha)| (*n, sha.clone()))
    }

    fn put(&self, path: PathBuf, bytes: u64, sha256: String) {
        let mut seen = self.0.lock().unwrap_or_else(|p| p.into_inner());
        if !seen.iter().any(|(p, _, _)| *p == path) {
            seen.push((path, bytes, sha256));
        }
    }
}

/// A file's reader that hashes what passes through it and, at the end of the file, records
/// the byte count and checksum in a [`ReadDigests`]. A reader dropped before the end records
/// nothing (the file is then read again for its checksum).
pub(crate) struct Digesting<R> {
    inner: R,
    hash: Sha256,
    bytes: u64,
    into: Option<(PathBuf, Arc<ReadDigests>)>,
}

impl<R: Read> Digesting<R> {
    pub(crate) fn new(inner: R, path: &Path, into: Arc<ReadDigests>) -> Self {
        Digesting {
            inner,
            hash: Sha256::new(),
            bytes: 0,
            into: Some((path.to_path_buf(), into)),
        }
    }
}

impl<R: Read> Read for Digesting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        if n > 0 {
            self.hash.update(&buf[..n]);
            self.bytes += n as u64;
        } else if !buf.is_empty()
            && let Some((path, into)) = self.into.take()
        {
            into.put(path, self.bytes, hex(&self.hash.finalize_reset()));
        }
        Ok(n)
    }
}

/// Byte count and SHA-256 (lower-case hex) of a file's content.
pub fn file_sha256(path: &Path) -> io::Result<(u64, String)> {
    let mut f = File::open(path)?;
    let mut h = Sha256::new();
    let mut buf = vec![0u8; 256 * 1024];
    let mut n = 0u64;
    loop {
        let k = f.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += k as u64;
        h.update(&buf[..k]);
    }
    Ok((n, hex(&h.finalize())))
}

/// Bytes as lower-case hex.
pub fn hex(bytes: &[u8]) -> String {
    const D: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for &b in bytes {
        s.push(D[(b >> 4) as usize] as char);
        s.push(D[(b & 15) as usize] as char);
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Read whole, in pieces of any size, the file's digest is recorded and equals the one
    /// read from disk; a file not read to its end records nothing.
    #[test]
    fn a_file_read_to_its_end_is_recorded_as_read_from_disk() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("in.txt");
        let data: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        std::fs::write(&path, &data).unwrap();
        for piece in [1, 4096, 1 << 20] {
            let digests = Arc::new(ReadDigests::default());
            let mut r = Digesting::new(File::open(&path).unwrap(), &path, Arc::clone(&digests));
            let mut buf = vec![0u8; piece];
            let mut got = 0;
            loop {
                match r.read(&mut buf).unwrap() {
                    0 => break,
                    n => got += n,
                }
            }
            assert_eq!(got, data.len());
            assert_eq!(
                digests.get(&path),
                Some(file_sha256(&path).unwrap()),
                "pieces of {piece}"
            );
        }
        let digests = Arc::new(ReadDigests::default());
        let mut r = Digesting::new(File::open(&path).unwrap(), &path, Arc::clone(&digests));
        r.read_exact(&mut [0u8; 1000]).unwrap();
        drop(r);
        assert_eq!(digests.get(&path), None);
    }
}
