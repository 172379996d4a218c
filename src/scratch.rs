//! The run's temporary files ([`crate::output::spool`], [`crate::pipeline::id_log`]): unnamed
//! files beside the products, and the compact numbers written to them (unsigned LEB128: seven
//! bits a byte, the high bit set on all but the last).

use std::fs::File;
use std::io::{self, BufRead, Read, Write};
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
    varint_from(|| {
        let mut b = [0u8; 1];
        Ok((r.read(&mut b)? != 0).then_some(b[0]))
    })
}

/// [`read_varint_or_end`] from a buffered reader, each byte taken from its buffer: a call of
/// `Read::read` per byte was most of the 0.13 G instructions of reading a run's spooled cells
/// back in issue 19's plain-text run (BENCHMARKS.md, branch `aspeed`).
#[inline]
pub fn buffered_varint_or_end(r: &mut impl BufRead) -> io::Result<Option<u64>> {
    varint_from(|| next_byte(r))
}

/// The next byte of `r`, or `None` at its end.
#[inline]
pub fn next_byte(r: &mut impl BufRead) -> io::Result<Option<u8>> {
    let Some(&b) = r.fill_buf()?.first() else {
        return Ok(None);
    };
    r.consume(1);
    Ok(Some(b))
}

/// A number from its bytes as `next` gives them (`None` at the end of the data).
#[inline]
fn varint_from(mut next: impl FnMut() -> io::Result<Option<u8>>) -> io::Result<Option<u64>> {
    let mut n = 0u64;
    let mut shift = 0;
    loop {
        let Some(b) = next()? else {
            return if shift == 0 { Ok(None) } else { Err(ends_early()) };
        };
        n |= u64::from(b & 0x7f) << shift;
        if b & 0x80 == 0 {
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
    read_varint_or_end(r)?.ok_or_else(ends_early)
}

/// [`read_varint`] from a buffered reader (see [`buffered_varint_or_end`]).
#[inline]
pub fn buffered_varint(r: &mut impl BufRead) -> io::Result<u64> {
    buffered_varint_or_end(r)?.ok_or_else(ends_early)
}

fn ends_early() -> io::Error {
    io::Error::new(io::ErrorKind::UnexpectedEof, "a temporary file ends early")
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
            assert_eq!(buffered_varint_or_end(&mut &buf[..]).unwrap(), Some(n));
            assert_eq!(buffered_varint(&mut &buf[..]).unwrap(), n);
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
        assert_eq!(buffered_varint_or_end(&mut &[][..]).unwrap(), None);
        for cut in [&[][..], &[0x80][..]] {
            assert_eq!(
                buffered_varint(&mut &cut[..]).unwrap_err().kind(),
                io::ErrorKind::UnexpectedEof
            );
        }
        assert_eq!(
            buffered_varint_or_end(&mut &[0xff; 11][..]).unwrap_err().to_string(),
            "a temporary file is damaged"
        );
    }

    proptest::proptest! {
        /// Any bytes, read as numbers to their end through a buffer of any size: what reading
        /// them a byte at a time reads, errors included.
        #[test]
        fn buffered_numbers_are_the_unbuffered_ones(
            bytes in proptest::collection::vec(proptest::prop_oneof![0u8..0x80, 0x80u8..=0xff], 0..40),
            capacity in 1usize..8,
        ) {
            let mut plain = &bytes[..];
            let mut buffered = io::BufReader::with_capacity(capacity, &bytes[..]);
            loop {
                let want = read_varint_or_end(&mut plain).map_err(|e| e.to_string());
                let got = buffered_varint_or_end(&mut buffered).map_err(|e| e.to_string());
                proptest::prop_assert_eq!(&got, &want);
                if !matches!(want, Ok(Some(_))) {
                    break;
                }
            }
        }
    }
}
