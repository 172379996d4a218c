//! The workbook (`--xlsx FILE`, `matrix.xlsx` in `--out-dir`): one sheet per product.
//!
//! Every sheet has the product's CSV columns, with typed cells: identifiers (PMIDs, concept ids,
//! MeSH ids, gene symbols such as SEPT2 or MARCH1) and prose are text cells, so a spreadsheet
//! never turns them into numbers or dates; counts, offsets, years (a column headed `year`) and
//! shares (`share`) are numbers. Each column is as wide as its content (up to
//! [`MAX_WIDTH`] characters); longer text wraps inside its cell, whose row keeps one line's
//! height, so a title or a journal name never spills over the empty cells beside it. The header
//! row is bold and frozen together with the label columns (a matrix's concept or article labels,
//! each other sheet's identifying columns, see [`SheetSink::with_label_columns`]), so scrolling never loses
//! them; every sheet has an autofilter, and the matrix sheets show their counts with a colour
//! scale that separates none (white), one (a light tint) and many (deepening to dark red on a
//! logarithmic midpoint), since most non-zero cells of a matrix hold 1. A sheet holds at most
//! 1,048,576 rows: the rest of a longer product (evidence on a large run) is left out of the
//! sheet, with a note, and is in the CSV product. In the count matrices (concepts, categories)
//! a zero is an empty cell: most cells of a matrix are zero, so the sheet is written and opened
//! several times faster and the mentions stand out; SUM, COUNT and COUNTIF treat an empty cell
//! as no mentions (AVERAGE skips it: divide a SUM by the number of articles instead). The CSV
//! matrix has every 0. The workbook's creation property
//! is fixed (2000-01-01), so the same run writes the same bytes. Text cells are never formulas in
//! a workbook, so they are written as they are, without the CSV products' `'` guard.

use std::io::{self, Write};
use std::path::Path;
use std::sync::{Arc, Mutex};

use rust_xlsxwriter::{
    ConditionalFormat2ColorScale, ConditionalFormat3ColorScale, ConditionalFormatCell, ConditionalFormatCellRule,
    ConditionalFormatType, DocProperties, ExcelDateTime, Format, FormatAlign, Workbook, Worksheet, XlsxError,
};

use super::{Notice, Sink};

/// Excel's row limit.
pub const EXCEL_MAX_ROWS: u32 = 1_048_576;
/// Deflate level of the zip container. Level 1 deflates the XML parts several times faster
/// than the default 6 for a somewhat larger file (measured in BENCHMARKS.md); a large
/// matrix sheet is mostly zip time.
const ZIP_LEVEL: u8 = 1;
/// Excel's limit on the characters of one cell.
const EXCEL_MAX_CELL_CHARS: usize = 32_767;
/// The widest a column gets (characters); longer text wraps inside its cell.
pub const MAX_WIDTH: usize = 60;
/// The height of every row (points): one line of text, a little more than Excel's 15 so the
/// rows are fixed (`customHeight`) and a wrapped cell never grows its row.
const ROW_HEIGHT: f64 = 15.75;
/// Headers of text columns whose values are numbers in a sheet (CSV writes them as text), and
/// whether they are shares (shown as percentages; the others in the General format).
const NUMBER_COLUMNS: [(&str, bool); 2] = [("year", false), ("share", true)];
/// The colour scale of the matrices: one mention, the midpoint, the most.
const SCALE_ONE: u32 = 0xFDDBC7;
const SCALE_MID: u32 = 0xEF8A62;
const SCALE_MANY: u32 = 0xB2182B;

fn xlsx_err(sheet: &str, e: XlsxError) -> io::Error {
    io::Error::other(format!("sheet {sheet}: {e}"))
}

/// Finished sheets, shared by the sinks that fill them, in the order they finish.
#[derive(Default, Clone)]
pub struct Book {
    sheets: Arc<Mutex<Vec<(usize, Worksheet)>>>,
    notes: Arc<Mutex<Vec<Notice>>>,
    /// With constant memory: the workbook the sheets are made by (each sheet's rows go to a
    /// temporary file as they are written, so a sheet costs one row of memory).
    workbook: Option<Arc<Mutex<Workbook>>>,
}

impl Book {
    /// A workbook kept in memory until saved.
    pub fn new() -> Book {
        Book::default()
    }

    /// A workbook whose sheets keep only their current row in memory, the rest in temporary
    /// files in `tempdir` (the system's temporary directory if `None`). Each sheet's rows must
    /// be written in order, which every product does.
    pub fn with_constant_memory(tempdir: Option<&Path>) -> Book {
        let mut wb = Workbook::new();
        if let Some(d) = tempdir {
            // an error here shows when a sheet is made
            let _ = wb.set_tempdir(d);
        }
        Book {
            workbook: Some(Arc::new(Mutex::new(wb))),
            ..Book::default()
        }
    }

    fn new_worksheet(&self) -> Result<Worksheet, XlsxError> {
        match &self.workbook {
            Some(wb) => wb
                .lock()
                .map_err(|_| XlsxError::ParameterError("poisoned".into()))?
                .new_worksheet_with_constant_memory(),
            None => Ok(Worksheet::new()),
        }
    }

    /// A sink for a new sheet; sheets appear in the workbook in `order`.
    pub fn sheet(&self, name: &str, order: usize) -> SheetSink {
        self.sheet_with_limit(name, order, EXCEL_MAX_ROWS)
    }

    /// A sheet that keeps at most `max_rows` rows (the header included).
    pub fn sheet_with_limit(&self, name: &str, order: usize, max_rows: u32) -> SheetSink {
        SheetSink {
            max_rows,
            dropped: 0,
            book: self.clone(),
            order,
            name: name.to_string(),
            ws: None,
            row: 0,
            col: 0,
            max_col: 0,
            numeric: None,
            label_columns: 1,
            bold: Format::new().set_bold(),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            widths: Vec::new(),
            number_columns: Vec::new(),
            percent: Format::new().set_num_format("0.0%"),
            max_count: 0,
        }
    }

    /// What the user should know about the sheets (rows left out).
    pub fn notes(&self) -> Vec<Notice> {
        self.notes.lock().map(|n| n.clone()).unwrap_or_default()
    }

    /// The workbook as bytes.
    pub fn to_bytes(&self) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        self.save_to(&mut buf)?;
        Ok(buf)
    }

    /// Write the workbook (once every sheet is finished).
    pub fn save_to<W: Write + Send>(&self, w: W) -> io::Result<()> {
        let mut sheets = std::mem::take(&mut *self.sheets.lock().map_err(|_| io::Error::other("poisoned"))?);
        sheets.sort_by_key(|(o, _)| *o);
        let mut own = None;
        let mut guard = match &self.workbook {
            Some(wb) => Some(wb.lock().map_err(|_| io::Error::other("poisoned"))?),
            None => None,
        };
        let wb: &mut Workbook = match guard.as_deref_mut() {
            Some(wb) => wb,
            None => own.insert(Workbook::new()),
        };
        // a fixed creation time, so the same run writes the same bytes (the manifest has the
        // real time)
        let created = ExcelDateTime::from_ymd(2000, 1, 1).map_err(|e| io::Error::other(e.to_string()))?;
        wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
        wb.set_zip_compression_level(ZIP_LEVEL);
        for (_, ws) in sheets {
            wb.push_worksheet(ws);
        }
        wb.save_to_writer(w)
            .map_err(|e| io::Error::other(format!("workbook: {e}")))
    }
}

/// Rows into one worksheet.
pub struct SheetSink {
    max_rows: u32,
    /// Rows beyond `max_rows`, left out.
    dropped: u64,
    book: Book,
    order: usize,
    name: String,
    ws: Option<Worksheet>,
    row: u32,
    col: u16,
    max_col: u16,
    numeric: Option<(u32, u16)>,
    /// How many leading columns identify a row (frozen with the header) when no numeric block
    /// says so.
    label_columns: u16,
    bold: Format,
    /// Text cells longer than [`MAX_WIDTH`]: wrapped inside the cell, from its top (the first
    /// line shows).
    wrap: Format,
    /// The widest content of each column so far (characters).
    widths: Vec<usize>,
    /// Which columns hold numbers written as text, and whether they are shares (see
    /// [`NUMBER_COLUMNS`]).
    number_columns: Vec<Option<bool>>,
    /// Shares: a percentage with one decimal.
    percent: Format,
    /// The largest count in the numeric block.
    max_count: u64,
}

impl SheetSink {
    /// Freeze the first `n` columns with the header: those that identify a row (a matrix says
    /// so itself through [`Sink::numeric_block`]; 1 unless set).
    pub fn with_label_columns(mut self, n: u16) -> SheetSink {
        self.label_columns = n;
        self
    }

    fn ws(&mut self) -> io::Result<&mut Worksheet> {
        if self.ws.is_none() {
            let mut ws = self.book.new_worksheet().map_err(|e| xlsx_err(&self.name, e))?;
            ws.set_name(&self.name).map_err(|e| xlsx_err(&self.name, e))?;
            ws.set_default_row_height(ROW_HEIGHT);
            // The sheets share one table of formats, filled in the order formats are first used,
            // and they are written on threads of their own: every sheet registers all of them,
            // in one order, before its first cell (which its header then replaces), so a format's
            // index never depends on which sheet came first.
            for f in [&self.bold, &self.wrap, &self.percent] {
                ws.write_blank(0, 0, f).map_err(|e| xlsx_err(&self.name, e))?;
            }
            self.ws = Some(ws);
        }
        Ok(self.ws.as_mut().expect("just created"))
    }

    /// The cell to write next, or `None` past the row limit (the row is left out).
    fn at(&self) -> io::Result<Option<(u32, u16)>> {
        if self.row >= self.max_rows {
            return Ok(None);
        }
        if self.col >= super::matrix::EXCEL_MAX_COLUMNS as u16 {
            return Err(io::Error::other(format!(
                "sheet {}: more than {} columns; write the matrix with article rows",
                self.name,
                super::matrix::EXCEL_MAX_COLUMNS
            )));
        }
        Ok(Some((self.row, self.col)))
    }

    /// Note that column `c` holds something `chars` characters wide.
    fn widen(&mut self, c: u16, chars: usize) {
        let c = c as usize;
        if self.widths.len() <= c {
            self.widths.resize(c + 1, 0);
        }
        self.widths[c] = self.widths[c].max(chars);
    }

    /// The label columns frozen with the header.
    fn frozen_columns(&self) -> u16 {
        match self.numeric {
            Some((_, c0)) => c0,
            None => self.label_columns,
        }
    }

    /// The matrix colour scale on the counts (rows from `r0`, columns from `c0`); a zero is an
    /// empty cell, which no rule colours.
    fn colour_scale(&mut self, r0: u32, c0: u16, r1: u32, c1: u16) -> Result<(), XlsxError> {
        let max = self.max_count;
        let ws = self.ws.as_mut().expect("created before");
        if max <= 1 {
            // 0/1 cells (or nothing): one tint for every mention
            let one = ConditionalFormatCell::new()
                .set_rule(ConditionalFormatCellRule::GreaterThanOrEqualTo(1))
                .set_format(Format::new().set_background_color(SCALE_ONE));
            ws.add_conditional_format(r0, c0, r1, c1, &one)?;
        } else if max == 2 {
            let scale = ConditionalFormat2ColorScale::new()
                .set_minimum(ConditionalFormatType::Number, 1)
                .set_maximum(ConditionalFormatType::Number, 2)
                .set_minimum_color(SCALE_ONE)
                .set_maximum_color(SCALE_MANY);
            ws.add_conditional_format(r0, c0, r1, c1, &scale)?;
        } else {
            // the midpoint on a log scale between 1 and the maximum, so 2, 3 and 10 differ as much
            // as 10, 30 and 100 do
            let mid = ((max as f64).sqrt().round() as u64).clamp(2, max - 1);
            let scale = ConditionalFormat3ColorScale::new()
                .set_minimum(ConditionalFormatType::Number, 1)
                .set_midpoint(ConditionalFormatType::Number, mid as f64)
                .set_maximum(ConditionalFormatType::Number, max as f64)
                .set_minimum_color(SCALE_ONE)
                .set_midpoint_color(SCALE_MID)
                .set_maximum_color(SCALE_MANY);
            ws.add_conditional_format(r0, c0, r1, c1, &scale)?;
        }
        Ok(())
    }
}

impl Sink for SheetSink {
    fn text(&mut self, s: &str) -> io::Result<()> {
        let Some((r, c)) = self.at()? else { return Ok(()) };
        // a text of at most that many bytes has at most that many characters: no count needed
        let cut;
        let s = if s.len() > EXCEL_MAX_CELL_CHARS && s.chars().count() > EXCEL_MAX_CELL_CHARS {
            cut = s.chars().take(EXCEL_MAX_CELL_CHARS).collect::<String>();
            cut.as_str()
        } else {
            s
        };
        let header = r == 0;
        if header {
            let number = NUMBER_COLUMNS.iter().find(|(h, _)| *h == s).map(|(_, share)| *share);
            if self.number_columns.len() <= c as usize {
                self.number_columns.resize(c as usize + 1, None);
            }
            self.number_columns[c as usize] = number;
            // bold, and room for the filter button
            self.widen(c, s.chars().count() + 3);
            self.ws()?;
            let ws = self.ws.as_mut().expect("created");
            ws.write_string_with_format(r, c, s, &self.bold)
                .map_err(|e| xlsx_err(&self.name, e))?;
        } else if s.is_empty() {
            // nothing to write: an empty cell
        } else if let Some(x) = matches!(self.number_columns.get(c as usize), Some(Some(_)))
            .then(|| s.parse::<f64>().ok())
            .flatten()
        {
            self.widen(c, s.len());
            self.ws()?;
            let ws = self.ws.as_mut().expect("created");
            match self.number_columns[c as usize] {
                Some(true) => ws.write_number_with_format(r, c, x, &self.percent),
                _ => ws.write_number(r, c, x),
            }
            .map_err(|e| xlsx_err(&self.name, e))?;
        } else {
            let chars = if s.is_ascii() { s.len() } else { s.chars().count() };
            self.widen(c, chars);
            self.ws()?;
            let ws = self.ws.as_mut().expect("created");
            // Only a text wider than any column gets can spill into the cells beside it: it
            // wraps instead. (A format on every cell would cost rust_xlsxwriter a hash of the
            // whole format per cell: 10% more instructions for a pubmed21n1298 workbook.)
            if chars > MAX_WIDTH {
                ws.write_string_with_format(r, c, s, &self.wrap)
            } else {
                ws.write_string(r, c, s)
            }
            .map_err(|e| xlsx_err(&self.name, e))?;
        }
        self.col += 1;
        Ok(())
    }

    fn int(&mut self, n: u64) -> io::Result<()> {
        let Some((r, c)) = self.at()? else { return Ok(()) };
        if self.numeric.is_some_and(|(r0, c0)| r >= r0 && c >= c0) {
            if n == 0 {
                // a zero count in a matrix is an empty cell (see the module comment)
                self.col += 1;
                return Ok(());
            }
            self.max_count = self.max_count.max(n);
        }
        self.widen(c, itoa_len(n));
        self.ws()?;
        let ws = self.ws.as_mut().expect("created");
        ws.write_number(r, c, n as f64).map_err(|e| xlsx_err(&self.name, e))?;
        self.col += 1;
        Ok(())
    }

    fn row(&mut self, texts: &[&str], counts: &[u32]) -> io::Result<()> {
        for t in texts {
            self.text(t)?;
        }
        // Zero counts in the matrix, within the limits, are empty cells, as `int` makes them
        // (most cells of a matrix: 5.2 million of a pubmed21n1298 workbook's 5.4 million):
        // each run of them is passed over at once.
        let in_block =
            self.row < self.max_rows && self.numeric.is_some_and(|(r0, c0)| self.row >= r0 && self.col >= c0);
        let mut rest = counts;
        while !rest.is_empty() {
            if in_block {
                let zeros = rest.iter().take_while(|&&n| n == 0).count();
                // never past the last column: `int` says so
                let room = super::matrix::EXCEL_MAX_COLUMNS.saturating_sub(usize::from(self.col));
                let skip = zeros.min(room);
                self.col += skip as u16;
                rest = &rest[skip..];
            }
            let Some((&n, tail)) = rest.split_first() else { break };
            self.int(u64::from(n))?;
            rest = tail;
        }
        self.end_row()
    }

    fn float(&mut self, x: f64) -> io::Result<()> {
        let Some((r, c)) = self.at()? else { return Ok(()) };
        if x == 0.0 && self.numeric.is_some_and(|(r0, c0)| r >= r0 && c >= c0) {
            // as for counts: a zero in a matrix is an empty cell
            self.col += 1;
            return Ok(());
        }
        let name = self.name.clone();
        self.ws()?.write_number(r, c, x).map_err(|e| xlsx_err(&name, e))?;
        self.col += 1;
        Ok(())
    }

    fn end_row(&mut self) -> io::Result<()> {
        if self.row >= self.max_rows {
            self.dropped += 1;
            return Ok(());
        }
        self.max_col = self.max_col.max(self.col);
        self.col = 0;
        self.row += 1;
        Ok(())
    }

    fn numeric_block(&mut self, first_row: u32, first_col: u16) {
        self.numeric = Some((first_row, first_col));
    }

    fn finish(&mut self) -> io::Result<()> {
        let (rows, cols) = (self.row, self.max_col);
        let numeric = self.numeric;
        let name = self.name.clone();
        let frozen = self.frozen_columns().min(cols);
        let widths = std::mem::take(&mut self.widths);
        let ws = self.ws()?;
        let e = |e| xlsx_err(&name, e);
        ws.set_freeze_panes(1, frozen).map_err(e)?;
        for (c, w) in widths.iter().enumerate() {
            // a little padding; never narrower than a short number, never wider than MAX_WIDTH
            let width = (*w).clamp(3, MAX_WIDTH) as f64 + 1.5;
            ws.set_column_width(c as u16, width).map_err(e)?;
        }
        if rows > 0 && cols > 0 {
            ws.autofilter(0, 0, rows - 1, cols - 1).map_err(e)?;
        }
        if let Some((r0, c0)) = numeric
            && rows > r0
            && cols > c0
        {
            self.colour_scale(r0, c0, rows - 1, cols - 1).map_err(e)?;
        }
        if self.dropped > 0 {
            self.book
                .notes
                .lock()
                .map_err(|_| io::Error::other("poisoned"))?
                .push(Notice::SheetCut {
                    sheet: self.name.clone(),
                    rows: self.row - 1,
                    dropped: self.dropped,
                });
        }
        let ws = self.ws.take().expect("created above");
        self.book
            .sheets
            .lock()
            .map_err(|_| io::Error::other("poisoned"))?
            .push((self.order, ws));
        Ok(())
    }
}

/// The number of decimal digits of `n`.
fn itoa_len(n: u64) -> usize {
    n.checked_ilog10().map_or(1, |l| l as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Regression: the sheets are finished on threads of their own, and a sheet that first used
    // the percentage format before another first used the wrapping one swapped their indices:
    // the same run wrote different bytes.
    #[test]
    fn the_bytes_do_not_depend_on_which_sheet_is_written_first() {
        let write = |first_b: bool| {
            let book = Book::with_constant_memory(None);
            let mut a = book.sheet("a", 0);
            let mut b = book.sheet("b", 1);
            let long = "x".repeat(MAX_WIDTH + 1);
            let fill_a = |a: &mut SheetSink| {
                a.text("title").unwrap();
                a.end_row().unwrap();
                a.text(&long).unwrap();
                a.end_row().unwrap();
                a.finish().unwrap();
            };
            let fill_b = |b: &mut SheetSink| {
                b.text("share").unwrap();
                b.end_row().unwrap();
                b.text("0.5000").unwrap();
                b.end_row().unwrap();
                b.finish().unwrap();
            };
            if first_b {
                fill_b(&mut b);
                fill_a(&mut a);
            } else {
                fill_a(&mut a);
                fill_b(&mut b);
            }
            book.to_bytes().unwrap()
        };
        assert!(write(true) == write(false));
    }

    // Regression (vendor/rust_xlsxwriter, PATCH.md): constant-memory sheets share the
    // workbook's table of formats; two sheets that met a new format at the same moment on two
    // threads both inserted it, so two formats shared an index and `styles.xml` changed from run
    // to run. Sheets made first, then their formats used behind a barrier, many times: always
    // the bytes of the same sheets filled one after the other. (A race: without the fix this
    // fails often, not every time.)
    #[test]
    fn formats_met_at_once_on_several_sheets_get_the_indices_of_formats_met_in_turn() {
        const SHEETS: usize = 4;
        let formats = [
            Format::new().set_bold(),
            Format::new().set_text_wrap().set_align(FormatAlign::Top),
            Format::new().set_num_format("0.0%"),
        ];
        let fill = |ws: &mut Worksheet| {
            for f in &formats {
                ws.write_blank(0, 0, f).unwrap();
            }
        };
        let save = |wb: &mut Workbook, sheets: Vec<Worksheet>| {
            for ws in sheets {
                wb.push_worksheet(ws);
            }
            // a fixed creation time, as `Book` sets, so that only the formats can differ
            let created = ExcelDateTime::from_ymd(2000, 1, 1).unwrap();
            wb.set_properties(&DocProperties::new().set_creation_datetime(&created));
            wb.save_to_buffer().unwrap()
        };
        let new_sheets = |wb: &mut Workbook| -> Vec<Worksheet> {
            (0..SHEETS)
                .map(|_| wb.new_worksheet_with_constant_memory().unwrap())
                .collect()
        };
        let in_turn = {
            let mut wb = Workbook::new();
            let mut sheets = new_sheets(&mut wb);
            sheets.iter_mut().for_each(fill);
            save(&mut wb, sheets)
        };
        for round in 0..300 {
            let mut wb = Workbook::new();
            let mut sheets = new_sheets(&mut wb);
            let barrier = std::sync::Barrier::new(SHEETS);
            std::thread::scope(|scope| {
                for ws in &mut sheets {
                    let barrier = &barrier;
                    scope.spawn(move || {
                        barrier.wait();
                        fill(ws);
                    });
                }
            });
            assert!(save(&mut wb, sheets) == in_turn, "round {round}");
        }
    }

    // `row` skips a matrix's zeros itself: the same workbook as cell by cell
    #[test]
    fn a_row_at_once_is_the_same_as_cell_by_cell() {
        let rows: [(&[&str], &[u32]); 6] = [
            (&["id", "a", "b", "c", "d"], &[]),
            (&["x"], &[0, 3, 0, 0]),
            (&["y"], &[0, 0, 0, 1]),
            (&["v"], &[0, 0, 0, 0]),
            (&["w"], &[2, 0, 7, 0]),
            (&["z"], &[5, 0, 0, 0]),
        ];
        let write = |at_once: bool| {
            let book = Book::with_constant_memory(None);
            // five rows at most: the last is left out
            let mut s = book.sheet_with_limit("matrix", 0, 5);
            for (i, (texts, ints)) in rows.iter().enumerate() {
                if i == 1 {
                    s.numeric_block(1, 1);
                }
                if at_once {
                    s.row(texts, ints).unwrap();
                } else {
                    texts.iter().for_each(|t| s.text(t).unwrap());
                    ints.iter().for_each(|&n| s.int(u64::from(n)).unwrap());
                    s.end_row().unwrap();
                }
            }
            s.finish().unwrap();
            (book.to_bytes().unwrap(), book.notes())
        };
        let (bytes, notes) = write(true);
        assert!(bytes == write(false).0);
        assert_eq!(notes, write(false).1);
        assert_eq!(notes.len(), 1);
    }

    // a run of zeros that goes past the last column of a sheet: the error `int` gives
    #[test]
    fn a_row_wider_than_a_sheet_is_refused() {
        let max = super::super::matrix::EXCEL_MAX_COLUMNS;
        for width in [max - 1, max, max + 1, max + 5] {
            let book = Book::with_constant_memory(None);
            let mut s = book.sheet("matrix", 0);
            s.text("id").unwrap();
            s.end_row().unwrap();
            s.numeric_block(1, 1);
            let ints = vec![0; width];
            let res = s.row(&["x"], &ints).map_err(|e| e.to_string());
            if width < max {
                assert_eq!(res, Ok(()), "{width}");
            } else {
                assert_eq!(
                    res,
                    Err(format!(
                        "sheet matrix: more than {max} columns; write the matrix with article rows"
                    )),
                    "{width}"
                );
            }
        }
    }

    #[test]
    fn rows_past_the_limit_are_left_out_with_a_note() {
        let book = Book::new();
        let mut s = book.sheet_with_limit("evidence", 0, 3);
        for i in 0..5u64 {
            s.text(&format!("r{i}")).unwrap();
            s.int(i).unwrap();
            s.end_row().unwrap();
        }
        s.finish().unwrap();
        let notes: Vec<String> = book.notes().iter().map(ToString::to_string).collect();
        assert_eq!(
            notes,
            [
                "the workbook's evidence sheet holds the first 2 rows, the most a sheet can; 2 more are only in the CSV product"
            ]
        );
        assert!(book.to_bytes().unwrap().starts_with(b"PK"));
    }
}
