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
    pub fn writer<W: Write>(self, w: W) -> io::Result<CsvWriter<W>> {
        Ok(CsvWriter {
            w: CsvSink::new(w, self)?,
        })
    }
}

/// Records in the one dialect, every cell neutralised (`neutralize`): whole records of text
/// through a [`CsvSink`].
pub struct CsvWriter<W: Write> {
    w: CsvSink<W>,
}

impl<W: Write> CsvWriter<W> {
    pub fn write_record<I, T>(&mut self, cells: I) -> io::Result<()>
    where
        I: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        for c in cells {
            self.w.text(c.as_ref())?;
        }
        self.w.end_row()
    }

    pub fn flush(&mut self) -> io::Result<()> {
        self.w.finish()
    }
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

/// Rows as CSV in the one dialect, every text cell neutralised: comma-separated, `"` quoting
/// where needed, LF line ends (CRLF and a byte-order mark with [`Dialect::excel`]).
///
/// It drives the engine of `csv::Writer` (`csv_core`: the same quoting and line ends) into a
/// buffer of its own, so that [`Sink::row`] can append a matrix row's numbers to the line as
/// they are. (It used to put each row together with a fresh `csv::Writer` and to take its
/// file writer out and back into another fresh one: two 8 KB zeroed buffers per row, 0.72 G of
/// the 24.79 G instructions of an `--out-dir` run on pubmed21n1298; BENCHMARKS.md, issue 19.)
pub struct CsvSink<W: Write> {
    /// `None` only if handing bytes to it failed (the error was returned then).
    w: Option<W>,
    core: csv_core::Writer,
    /// A cell of the current row is written: the next one starts with a comma.
    in_row: bool,
    dialect: Dialect,
    /// Rows not yet handed to `w`.
    buf: Vec<u8>,
}

/// How many bytes of rows [`CsvSink`] gathers before it hands them on (as `csv::Writer`).
const CSV_BUFFER: usize = 8 * 1024;

impl<W: Write> CsvSink<W> {
    /// Start a CSV product; with the Excel dialect this writes the byte-order mark.
    pub fn new(mut w: W, dialect: Dialect) -> io::Result<CsvSink<W>> {
        if dialect.excel {
            w.write_all("\u{feff}".as_bytes())?;
        }
        let core = csv_core::WriterBuilder::new()
            .quote_style(csv_core::QuoteStyle::Necessary)
            .terminator(if dialect.excel {
                csv_core::Terminator::CRLF
            } else {
                csv_core::Terminator::Any(b'\n')
            })
            .build();
        Ok(CsvSink {
            w: Some(w),
            core,
            in_row: false,
            dialect,
            buf: Vec::with_capacity(CSV_BUFFER),
        })
    }

    /// Empty the CSV buffer into the underlying writer (flushing it too) and return it.
    pub fn written(&mut self) -> io::Result<&W> {
        self.flush()?;
        self.w.as_ref().ok_or_else(gone)
    }

    /// The underlying writer, flushed.
    pub fn into_inner(mut self) -> io::Result<W> {
        self.flush()?;
        self.w.take().ok_or_else(gone)
    }

    /// One text cell (the guard applied by the caller): a comma first if it is not the row's
    /// first, then the cell, quoted where the dialect needs it.
    fn field(&mut self, cell: &[u8]) {
        if self.in_row {
            let core = &mut self.core;
            put(&mut self.buf, 2, |out| core.delimiter(out));
        }
        let core = &mut self.core;
        put(&mut self.buf, 2 + 2 * cell.len(), |out| {
            let (res, _, n) = core.field(cell, out);
            (res, n)
        });
        self.in_row = true;
    }

    /// The end of the row (a closing quote, `""` for a row of one empty cell, the line end).
    fn terminator(&mut self) {
        let core = &mut self.core;
        put(&mut self.buf, 5, |out| core.terminator(out));
        self.in_row = false;
    }

    /// Hand the buffer on once it is full.
    fn spill(&mut self) -> io::Result<()> {
        if self.buf.len() >= CSV_BUFFER {
            self.hand_on()?;
        }
        Ok(())
    }

    fn hand_on(&mut self) -> io::Result<()> {
        let w = self.w.as_mut().ok_or_else(gone)?;
        if let Err(e) = w.write_all(&self.buf) {
            self.w = None;
            return Err(e);
        }
        self.buf.clear();
        Ok(())
    }

    /// The text cells of a row whose numbers follow ([`Sink::row`]), through the CSV engine;
    /// the numbers never need quoting, so they are appended as they are, after the text cells'
    /// closing (a row with no text or one empty text cell starts with `""`, as a record of it
    /// alone would).
    fn texts_before_numbers(&mut self, texts: &[&str]) {
        for t in texts {
            self.field(neutralize(t).as_bytes());
        }
        self.terminator();
        let end = if self.dialect.excel { 2 } else { 1 };
        self.buf.truncate(self.buf.len() - end);
    }

    /// The end of a row of [`CsvSink::texts_before_numbers`].
    fn line_end(&mut self) -> io::Result<()> {
        self.buf
            .extend_from_slice(if self.dialect.excel { b"\r\n" } else { b"\n" });
        self.spill()
    }

    fn flush(&mut self) -> io::Result<()> {
        self.hand_on()?;
        self.w.as_mut().ok_or_else(gone)?.flush()
    }
}

/// One step of the CSV engine, written at the end of `buf` with `room` bytes made for it (each
/// step's most: a field of n bytes takes at most 2 + 2n, all quotes doubled and the two around).
fn put(buf: &mut Vec<u8>, room: usize, step: impl FnOnce(&mut [u8]) -> (csv_core::WriteResult, usize)) {
    let start = buf.len();
    buf.resize(start + room, 0);
    let (res, n) = step(&mut buf[start..]);
    assert!(
        matches!(res, csv_core::WriteResult::InputEmpty),
        "csv_core needed more than its stated most"
    );
    buf.truncate(start + n);
}

fn gone() -> io::Error {
    io::Error::other("an earlier write to this file failed")
}

/// Like `csv::Writer`, whatever is still buffered goes out when the sink is dropped (errors
/// ignored: [`Sink::finish`] is where they are seen).
impl<W: Write> Drop for CsvSink<W> {
    fn drop(&mut self) {
        if self.w.is_some() && !self.buf.is_empty() && !std::thread::panicking() {
            let _ = self.flush();
        }
    }
}

impl<W: Write> Sink for CsvSink<W> {
    fn text(&mut self, s: &str) -> io::Result<()> {
        self.field(neutralize(s).as_bytes());
        Ok(())
    }

    fn int(&mut self, n: u64) -> io::Result<()> {
        // Matrices are millions of mostly-zero cells: format without allocating.
        let mut buf = [0u8; 20];
        self.field(decimal(n, &mut buf));
        Ok(())
    }

    fn end_row(&mut self) -> io::Result<()> {
        self.terminator();
        self.spill()
    }

    /// The text cells through the CSV engine (see [`CsvSink::texts_before_numbers`]), then the
    /// counts: the runs of zeros between the other counts found a block at a time and appended
    /// as runs of `,0`: an article-columns matrix row (a concept) is tens of thousands of cells,
    /// nearly all zero, and one call per cell was 0.16 G of the 2.56 G instructions of issue
    /// 19's plain-text run (BENCHMARKS.md, branch `aspeed`).
    fn row(&mut self, texts: &[&str], counts: &[u32]) -> io::Result<()> {
        self.texts_before_numbers(texts);
        let mut digits = [0u8; 20];
        let mut rest = counts;
        loop {
            let zeros = leading_zeros(rest);
            push_zero_cells(&mut self.buf, zeros);
            let Some((&n, tail)) = rest[zeros..].split_first() else {
                break;
            };
            self.buf.push(b',');
            self.buf.extend_from_slice(decimal(u64::from(n), &mut digits));
            rest = tail;
        }
        self.line_end()
    }

    fn finish(&mut self) -> io::Result<()> {
        self.flush()
    }
}

/// How many of `counts` are zero before the first that is not (all of them if none is): a
/// block of 16 at a time, which the compiler tests with vector instructions, then one by one.
fn leading_zeros(counts: &[u32]) -> usize {
    let mut n = 0;
    for block in counts.chunks_exact(16) {
        if block.iter().fold(0, |a, &c| a | c) != 0 {
            break;
        }
        n += 16;
    }
    n + counts[n..].iter().take_while(|&&c| c == 0).count()
}

/// `,0` 128 times.
const ZERO_CELLS: [u8; 256] = {
    let mut cells = [b'0'; 256];
    let mut i = 0;
    while i < cells.len() {
        cells[i] = b',';
        i += 2;
    }
    cells
};

/// `n` cells of `,0` at the end of `buf`.
fn push_zero_cells(buf: &mut Vec<u8>, mut n: usize) {
    buf.reserve(2 * n);
    while n > 0 {
        let k = n.min(ZERO_CELLS.len() / 2);
        buf.extend_from_slice(&ZERO_CELLS[..2 * k]);
        n -= k;
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
        let rows: [([&str; 2], [u32; 3]); 4] = [
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
                    cells.int(u64::from(n)).unwrap();
                }
                cells.end_row().unwrap();
                whole.row(&texts, &ints).unwrap();
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

    /// The sink drives `csv_core` itself: its cells must be what `csv::Writer` writes in the
    /// dialect, whatever needs quoting and past its buffer's size.
    #[test]
    fn cells_are_what_the_csv_crate_writes() {
        let long_quotes = "\"".repeat(CSV_BUFFER + 7);
        let long_plain = "x".repeat(3 * CSV_BUFFER);
        let rows: Vec<Vec<&str>> = vec![
            vec!["plain", "x", "0"],
            vec!["with, comma", "=SUM(A1)", "12"],
            vec!["quote \" here", "line\nbreak", "cr\rhere"],
            vec![""],
            vec!["", ""],
            vec![&long_quotes, "tail"],
            vec!["head", &long_plain],
        ];
        for excel in [false, true] {
            let dialect = Dialect { excel };
            let mut got = Vec::new();
            let mut sink = CsvSink::new(&mut got, dialect).unwrap();
            for row in &rows {
                for t in row {
                    sink.text(t).unwrap();
                }
                sink.end_row().unwrap();
            }
            sink.finish().unwrap();
            drop(sink);
            // the dialect's settings in `csv::Writer`, a writer per row (rows of different
            // lengths are an error to it), the byte-order mark first
            let mut want = Vec::new();
            if excel {
                want.extend_from_slice("\u{feff}".as_bytes());
            }
            for row in &rows {
                let mut w = csv::WriterBuilder::new()
                    .quote_style(csv::QuoteStyle::Necessary)
                    .terminator(if excel {
                        csv::Terminator::CRLF
                    } else {
                        csv::Terminator::Any(b'\n')
                    })
                    .from_writer(&mut want);
                w.write_record(row.iter().map(|t| neutralize(t).into_owned())).unwrap();
                w.flush().unwrap();
            }
            assert_eq!(got, want, "excel {excel}");
        }
    }

    /// A whole row of one empty text cell starts with `""`, as the row writer always did.
    #[test]
    fn a_whole_row_of_one_empty_cell() {
        let mut out = Vec::new();
        let mut sink = CsvSink::new(&mut out, Dialect::default()).unwrap();
        sink.row(&[""], &[0, 3]).unwrap();
        sink.row(&["a"], &[0]).unwrap();
        sink.finish().unwrap();
        drop(sink);
        assert_eq!(String::from_utf8(out).unwrap(), "\"\",0,3\na,0\n");
    }

    /// A counts row: (texts, counts, the line written).
    #[test]
    fn row_table() {
        let zeros_then_one: Vec<u32> = (0..300).map(|i| u32::from(i == 299)).collect();
        let want_long = format!("c{},1\n", ",0".repeat(299));
        let table: &[(&[&str], &[u32], &str)] = &[
            (&["a"], &[], "a\n"),
            (&["a"], &[0], "a,0\n"),
            (&["a", "b, c"], &[3, 0, 0, 12], "a,\"b, c\",3,0,0,12\n"),
            (&[""], &[0, 3], "\"\",0,3\n"),
            (&["=x"], &[u32::MAX], "'=x,4294967295\n"),
            (&["c"], &zeros_then_one, &want_long),
        ];
        for &(texts, counts, want) in table {
            let mut out = Vec::new();
            let mut sink = CsvSink::new(&mut out, Dialect::default()).unwrap();
            sink.row(texts, counts).unwrap();
            sink.finish().unwrap();
            drop(sink);
            assert_eq!(String::from_utf8(out).unwrap(), want, "{texts:?}");
        }
    }

    #[test]
    fn leading_zeros_table() {
        let mut long = [0u32; 40];
        long[37] = 2;
        for (counts, want) in [
            (&[][..], 0),
            (&[0][..], 1),
            (&[5][..], 0),
            (&[0, 0, 1, 0][..], 2),
            (&[0; 16][..], 16),
            (&[0; 33][..], 33),
            (&long[..], 37),
            (&long[16..], 21),
        ] {
            assert_eq!(leading_zeros(counts), want, "{counts:?}");
        }
    }

    proptest::proptest! {
        /// A row's runs of zeros written a block at a time: the same bytes as each count
        /// appended on its own.
        #[test]
        fn a_row_is_its_counts_one_by_one(
            texts in proptest::collection::vec("[a-c,\" =]{0,3}", 0..3),
            counts in proptest::collection::vec(
                proptest::prop_oneof![8 => proptest::strategy::Just(0u32), 1 => proptest::num::u32::ANY, 1 => 1u32..10],
                0..200,
            ),
            excel in proptest::bool::ANY,
        ) {
            let texts: Vec<&str> = texts.iter().map(String::as_str).collect();
            let dialect = Dialect { excel };
            let (mut a, mut b) = (Vec::new(), Vec::new());
            let mut fast = CsvSink::new(&mut a, dialect).unwrap();
            let mut simple = CsvSink::new(&mut b, dialect).unwrap();
            fast.row(&texts, &counts).unwrap();
            // the naive row: the same text cells, then each count appended on its own
            simple.texts_before_numbers(&texts);
            for &n in &counts {
                simple.buf.extend_from_slice(format!(",{n}").as_bytes());
            }
            simple.line_end().unwrap();
            fast.finish().unwrap();
            simple.finish().unwrap();
            drop((fast, simple));
            proptest::prop_assert_eq!(a, b);
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
