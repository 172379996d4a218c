//! The run's temporary files ([`crate::output::spool`], [`crate::pipeline::id_log`]): unnamed
//! files beside the products, and the compact numbers written to them (unsigned LEB128: seven
//! bits a byte, the high bit set on all but the last).

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// An unnamed temporary file in `dir` (the system's temporary directory if `None`): it has no
/// name, so it is gone when closed, whatever happens to the run.
pub fn temp_file(dir: Option<&Path>) -> io::Result<File> {
    match dir {
        Some(d) => tempfile::tempfile_in(d),
        None => tempfile::tempfile(),
    }
}

/// Write `n`.
pub fn write_varint(w: &mut impl Write, mut n: u64) -> io::Result<()> {
    let mut buf = [0u8; 10];
    let mut i = 0;
    loop {
        let b = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            buf[i] = b;
            i += 1;
            break;
        }
        buf[i] = b | 0x80;
        i += 1;
    }
    w.write_all(&buf[..i])
}

/// Read a number, or `None` at the end of the data (before its first byte).
pub fn read_varint_or_end(r: &mut impl Read) -> io::Result<Option<u64>> {
    let mut n = 0u64;
    let mut shift = 0;
    let mut b = [0u8; 1];
    loop {
        if r.read(&mut b)? == 0 {
            return if shift == 0 {
                Ok(None)
            } else {
                Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "a temporary file ends early",
                ))
            };
        }
        n |= u64::from(b[0] & 0x7f) << shift;
        if b[0] & 0x80 == 0 {
            return Ok(Some(n));
        }
        shift += 7;
        if shift > 63 {
            return Err(io::Error::other("a temporary file is damaged"));
        }
    }
}

/// Read a number that must be there.
pub fn read_varint(r: &mut impl Read) -> io::Result<u64> {
    read_varint_or_end(r)?.ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "a temporary file ends early"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_come_back_and_a_cut_one_is_an_error() {
        let cases: [(u64, &[u8]); 5] = [
            (0, &[0]),
            (127, &[0x7f]),
            (128, &[0x80, 1]),
            (300, &[0xac, 2]),
            (u64::MAX, &[0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1]),
        ];
        for (n, bytes) in cases {
            let mut buf = Vec::new();
            write_varint(&mut buf, n).unwrap();
            assert_eq!(buf, bytes, "{n}");
            assert_eq!(read_varint(&mut &buf[..]).unwrap(), n);
            assert_eq!(read_varint_or_end(&mut &buf[..]).unwrap(), Some(n));
        }
        assert_eq!(read_varint_or_end(&mut &[][..]).unwrap(), None);
        assert_eq!(
            read_varint(&mut &[][..]).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
        assert_eq!(
            read_varint_or_end(&mut &[0x80][..]).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }
}
