//! The workbook (`--xlsx FILE`, `matrix.xlsx` in `--out-dir`): one sheet per product.
//!
//! Every sheet has the product's CSV columns, with typed cells: identifiers (PMIDs, concept ids,
//! MeSH ids, gene symbols such as SEPT2 or MARCH1) and prose are text cells, so a spreadsheet
//! never turns them into numbers or dates; counts and offsets are numbers. The header row is
//! bold and frozen, every sheet has an autofilter, and the matrix sheets show their counts with
//! a colour scale (white for none, deepening with the count). A sheet holds at most
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
    ConditionalFormat2ColorScale, DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError,
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
            bold: Format::new().set_bold(),
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
    bold: Format,
}

impl SheetSink {
    fn ws(&mut self) -> io::Result<&mut Worksheet> {
        if self.ws.is_none() {
            let mut ws = self.book.new_worksheet().map_err(|e| xlsx_err(&self.name, e))?;
            ws.set_name(&self.name).map_err(|e| xlsx_err(&self.name, e))?;
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
}

impl Sink for SheetSink {
    fn text(&mut self, s: &str) -> io::Result<()> {
        let Some((r, c)) = self.at()? else { return Ok(()) };
        let s = if s.chars().count() > EXCEL_MAX_CELL_CHARS {
            s.chars().take(EXCEL_MAX_CELL_CHARS).collect::<String>()
        } else {
            s.to_string()
        };
        let header = r == 0;
        let bold = self.bold.clone();
        let name = self.name.clone();
        let ws = self.ws()?;
        if header {
            ws.write_string_with_format(r, c, s, &bold)
        } else {
            ws.write_string(r, c, s)
        }
        .map_err(|e| xlsx_err(&name, e))?;
        self.col += 1;
        Ok(())
    }

    fn int(&mut self, n: u64) -> io::Result<()> {
        let Some((r, c)) = self.at()? else { return Ok(()) };
        if n == 0 && self.numeric.is_some_and(|(r0, c0)| r >= r0 && c >= c0) {
            // a zero count in a matrix is an empty cell (see the module comment)
            self.col += 1;
            return Ok(());
        }
        let name = self.name.clone();
        self.ws()?
            .write_number(r, c, n as f64)
            .map_err(|e| xlsx_err(&name, e))?;
        self.col += 1;
        Ok(())
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
        let ws = self.ws()?;
        let e = |e| xlsx_err(&name, e);
        ws.set_freeze_panes(1, 0).map_err(e)?;
        if rows > 0 && cols > 0 {
            ws.autofilter(0, 0, rows - 1, cols - 1).map_err(e)?;
        }
        if let Some((r0, c0)) = numeric
            && rows > r0
            && cols > c0
        {
            let scale = ConditionalFormat2ColorScale::new()
                .set_minimum_color(0xFFFFFF)
                .set_maximum_color(0xC0504D);
            ws.add_conditional_format(r0, c0, rows - 1, cols - 1, &scale)
                .map_err(e)?;
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

#[cfg(test)]
mod tests {
    use super::*;

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
