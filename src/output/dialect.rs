//! The one CSV dialect: every CSV the tool writes (the products, and the files of `diff`,
//! `stats` and `eval`) goes through it, so every one has the same quoting and line ends and
//! every text cell the spreadsheet formula guard (`neutralize`, the OWASP rule).
//!
//! [`CsvSink`] is a product's [`Sink`]: typed cells, whole rows written fast. [`CsvWriter`]
//! writes whole records of text for the other commands.

use std::borrow::Cow;
use std::io::{self, Write};

use super::Sink;

/// Settings of the one CSV dialect.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Dialect {
    /// UTF-8 byte-order mark and CRLF line ends, so Excel reads non-ASCII text correctly.
    pub excel: bool,
}

impl Dialect {
    /// A writer of whole records in this dialect, every cell guarded (for the CSV files of the
    /// other commands: `diff`, `stats`, `eval`). With [`Dialect::excel`] it starts with the
    /// byte-order mark.
    pub fn writer<W: Write>(self, mut w: W) -> io::Result<CsvWriter<W>> {
        if self.excel {
            w.write_all("\u{feff}".as_bytes())?;
        }
        Ok(CsvWriter {
            w: csv_writer_with(w, self),
        })
    }
}

/// Records in the one dialect, every cell neutralised (`neutralize`).
pub struct CsvWriter<W: Write> {
    w: csv::Writer<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn write_record<I, T>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        for c in cells {
            self.w.write_field(neutralize(c.as_ref()).as_bytes())?;
        }
        Ok(self.w.write_record(std::iter::empty::<&[u8]>())?)
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.flush()
    }
}

/// The raw writer of the dialect: comma-separated, `"` quoting where needed, LF ends (CRLF
/// with [`Dialect::excel`]). The byte-order mark is the caller's to write, because it belongs
/// to the file, not to the records.
fn csv_writer_with<W: Write>(w: W, dialect: Dialect) -> csv::Writer<W> {
    csv::WriterBuilder::new()
        .quote_style(csv::QuoteStyle::Necessary)
        .terminator(if dialect.excel {
            csv::Terminator::CRLF
        } else {
            csv::Terminator::Any(b'\n')
        })
        .from_writer(w)
}

/// Neutralise a text cell for spreadsheets (the OWASP CSV-injection rule).
///
/// A cell that starts with `=`, `+`, `-`, `@`, tab or carriage return could be read as a formula
/// by Excel or LibreOffice; it gets a leading `'`, which makes every spreadsheet program show
/// it as text. A cell that is a plain decimal number (`-1.5`, `+3`, `-2e5`) is left alone: it
/// cannot run anything and stays a number.
fn neutralize(cell: &str) -> Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') if !is_plain_number(cell) => Cow::Owned(format!("'{cell}")),
        _ => Cow::Borrowed(cell),
    }
}

/// A text cell as it was before the guard, for reading a product back: the leading `'` taken off
/// where `neutralize` would have put it. A cell that began with `'` itself is left as it is
/// unless its rest looks guarded, which no reader can tell apart.
pub fn unguard(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(['=', '+', '-', '@', '\t', '\r']) && !is_plain_number(rest) => rest,
        _ => cell,
    }
}

/// `[+-]digits[.digits][(e|E)[+-]digits]`, nothing else.
fn is_plain_number(s: &str) -> bool {
    let b = s.as_bytes();
    let mut i = 0;
    if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
        i += 1;
    }
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i > s
    };
    if !digits(&mut i) {
        return false;
    }
    if i < b.len() && b[i] == b'.' {
        i += 1;
        if !digits(&mut i) {
            return false;
        }
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        i += 1;
        if i < b.len() && (b[i] == b'+' || b[i] == b'-') {
            i += 1;
        }
        if !digits(&mut i) {
            return false;
        }
    }
    i == b.len()
}

/// Rows as CSV in the one dialect, every text cell neutralised.
pub struct CsvSink<W: Write> {
    /// `None` only if handing a row past it failed (the error was returned then).
    w: Option<csv::Writer<W>>,
    dialect: Dialect,
    /// A whole row being put together by [`Sink::row`].
    line: Vec<u8>,
}

impl<W: Write> CsvSink<W> {
    /// Start a CSV product; with the Excel dialect this writes the byte-order mark.
    pub fn new(mut w: W, dialect: Dialect) -> io::Result<CsvSink<W>> {
        if dialect.excel {
            w.write_all("\u{feff}".as_bytes())?;
        }
        Ok(CsvSink {
            w: Some(csv_writer_with(w, dialect)),
            dialect,
            line: Vec::new(),
        })
    }

    /// Empty the CSV buffer into the underlying writer (flushing it too) and return it.
    pub fn written(&mut self) -> io::Result<&W> {
        let w = self.w()?;
        w.flush()?;
        Ok(w.get_ref())
    }

    /// The underlying writer, flushed.
    pub fn into_inner(self) -> io::Result<W> {
        self.w
            .ok_or_else(gone)?
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))
    }

    fn w(&mut self) -> io::Result<&mut csv::Writer<W>> {
        self.w.as_mut().ok_or_else(gone)
    }
}

fn gone() -> io::Error {
    io::Error::other("an earlier write to this file failed")
}

impl<W: Write> Sink for CsvSink<W> {
    fn text(&mut self, s: &str) -> io::Result<()> {
        Ok(self.w()?.write_field(neutralize(s).as_bytes())?)
    }

    fn int(&mut self, n: u64) -> io::Result<()> {
        // Matrices are millions of mostly-zero cells: format without allocating.
        let mut buf = [0u8; 20];
        Ok(self.w()?.write_field(decimal(n, &mut buf))?)
    }

    fn end_row(&mut self) -> io::Result<()> {
        Ok(self.w()?.write_record(std::iter::empty::<&[u8]>())?)
    }

    /// The text cells are quoted by a CSV writer of the same dialect; numbers never need quoting,
    /// so they are appended as they are, and the line goes out whole past the writer (which is
    /// between records, so its state stays right).
    fn row(&mut self, texts: &[&str], ints: &mut dyn Iterator<Item = u64>) -> io::Result<()> {
        let mut line = std::mem::take(&mut self.line);
        line.clear();
        let mut cells = csv_writer_with(line, self.dialect);
        cells.write_record(texts.iter().map(|t| neutralize(t).into_owned()))?;
        let mut line = cells.into_inner().map_err(|e| io::Error::other(e.to_string()))?;
        let end = if self.dialect.excel { 2 } else { 1 };
        line.truncate(line.len() - end);
        let mut buf = [0u8; 20];
        for n in ints {
            // most cells of a matrix are zero
            if n == 0 {
                line.extend_from_slice(b",0");
            } else {
                line.push(b',');
                line.extend_from_slice(decimal(n, &mut buf));
            }
        }
        line.extend_from_slice(if self.dialect.excel { b"\r\n" } else { b"\n" });
        // csv::Writer gives no access to its writer but by taking it out
        let mut w = self
            .w
            .take()
            .ok_or_else(gone)?
            .into_inner()
            .map_err(|e| io::Error::other(e.to_string()))?;
        w.write_all(&line)?;
        self.w = Some(csv_writer_with(w, self.dialect));
        self.line = line;
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.w()?.flush()
    }
}

/// `n` in decimal, written at the end of `buf`.
fn decimal(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut i = buf.len();
    loop {
        i -= 1;
        buf[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[i..];
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_whole_row_is_the_same_bytes_as_its_cells() {
        let rows: [([&str; 2], [u64; 3]); 4] = [
            (["plain", "x"], [0, 0, 3]),
            (["with, comma", "=SUM(A1)"], [12, 0, 0]),
            (["quote \" here", "line\nbreak"], [0, 0, 0]),
            (["", "-1.5"], [0, 7, 1_000_000]),
        ];
        for excel in [false, true] {
            let dialect = Dialect { excel };
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let mut cells = CsvSink::new(&mut a, dialect).unwrap();
            let mut whole = CsvSink::new(&mut b, dialect).unwrap();
            for (texts, ints) in rows {
                for t in texts {
                    cells.text(t).unwrap();
                }
                for n in ints {
                    cells.int(n).unwrap();
                }
                cells.end_row().unwrap();
                whole.row(&texts, &mut ints.into_iter()).unwrap();
            }
            cells.finish().unwrap();
            whole.finish().unwrap();
            drop((cells, whole));
            assert_eq!(
                String::from_utf8(b).unwrap(),
                String::from_utf8(a).unwrap(),
                "excel {excel}"
            );
        }
    }

    #[test]
    fn decimal_table() {
        for (n, want) in [
            (0, "0"),
            (7, "7"),
            (10, "10"),
            (4_800_000, "4800000"),
            (u64::MAX, "18446744073709551615"),
        ] {
            let mut buf = [0u8; 20];
            assert_eq!(decimal(n, &mut buf), want.as_bytes(), "{n}");
        }
    }

    #[test]
    fn neutralize_follows_the_owasp_rule_and_keeps_numbers() {
        let cases = [
            ("=1+1", "'=1+1"),
            ("+cmd", "'+cmd"),
            ("-x", "'-x"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("-2", "-2"),
            ("+41", "+41"),
            ("-2.5e-3", "-2.5e-3"),
            ("-2+3", "'-2+3"),
            ("-", "'-"),
            ("-.5", "'-.5"),
            ("1-2", "1-2"),
            ("TNF-α", "TNF-α"),
            ("", ""),
            (" =x", " =x"),
        ];
        for (input, want) in cases {
            assert_eq!(neutralize(input), want, "{input:?}");
        }
    }

    #[test]
    fn unguard_takes_off_only_the_guard() {
        for (cell, want) in [
            ("'=SUM(A1)", "=SUM(A1)"),
            ("'-2+3", "-2+3"),
            ("'@x", "@x"),
            ("'\tx", "\tx"),
            ("'plain", "'plain"),
            // a number is never guarded: this quote was the cell's own
            ("'-2", "'-2"),
            ("-2", "-2"),
            ("", ""),
        ] {
            assert_eq!(unguard(cell), want, "{cell:?}");
            assert_eq!(neutralize(unguard(cell)), cell, "{cell:?}: guarded again");
        }
    }

    #[test]
    fn a_record_writer_guards_every_cell() {
        let mut buf = Vec::new();
        let mut w = Dialect { excel: false }.writer(&mut buf).unwrap();
        w.write_record(["=HYPERLINK(\"x\")", "-3", "@a", "plain, with comma"])
            .unwrap();
        w.write_record(["+cmd|' /C calc'!A0", "", "TNF-α", "-"]).unwrap();
        w.flush().unwrap();
        drop(w);
        assert_eq!(
            String::from_utf8(buf).unwrap(),
            "\"'=HYPERLINK(\"\"x\"\")\",-3,'@a,\"plain, with comma\"\n'+cmd|' /C calc'!A0,,TNF-α,'-\n"
        );
        let mut buf = Vec::new();
        let mut w = Dialect { excel: true }.writer(&mut buf).unwrap();
        w.write_record(["é"]).unwrap();
        w.flush().unwrap();
        drop(w);
        assert_eq!(String::from_utf8(buf).unwrap(), "\u{feff}é\r\n");
    }

    #[test]
    fn csv_sink_guards_text_not_numbers_and_writes_the_excel_dialect() {
        let mut buf = Vec::new();
        let mut s = CsvSink::new(&mut buf, Dialect { excel: true }).unwrap();
        s.text("=A1").unwrap();
        s.text("a,b").unwrap();
        s.int(7).unwrap();
        s.end_row().unwrap();
        s.text("é").unwrap();
        s.text("-1").unwrap();
        s.text("").unwrap();
        s.end_row().unwrap();
        s.finish().unwrap();
        drop(s);
        assert_eq!(String::from_utf8(buf).unwrap(), "\u{feff}'=A1,\"a,b\",7\r\né,-1,\r\n");
    }
}
