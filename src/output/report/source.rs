//! Reading a report's inputs back from an `--out-dir`: `manifest.json`, `summary.csv`,
//! `cooccurrence.csv`, `trends.csv`, `evidence.csv` and `texts.jsonl.gz`.
//!
//! Each product is read under its standard name in the directory (a run's paths in the manifest
//! are not followed: the directory may have moved, and a relative path would then name
//! another run's file). The CSV files may be in either dialect (`--excel` adds a byte-order mark
//! and CRLF ends); the spreadsheet guard (`'` before a cell starting with `=`, `+`, `-`, `@`) is
//! taken off, so the cells are those the run had. The evidence is read as a stream, beside the
//! texts, one article at a time.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use flate2::read::MultiGzDecoder;

use super::model::{ArticleInput, DataError, Facts, ReportData, TextRecord};
use super::{RebuildError, TextTable};
use crate::output::dialect;
use crate::output::products::{ProductKind, Table};

/// What a report is built from, read from a directory.
pub struct Source {
    pub title: String,
    pub data: ReportData,
    pub articles: Articles,
}

/// The file of `product` in `dir`, under its standard name.
fn locate(dir: &Path, product: ProductKind) -> Result<PathBuf, RebuildError> {
    let standard = product
        .file_name()
        .expect("the report reads products that --out-dir writes");
    let product = product.name();
    let here = dir.join(standard);
    if here.is_file() {
        return Ok(here);
    }
    Err(RebuildError::Read {
        path: here,
        message: format!("no {product} product here"),
        fix: format!(
            "it is written by `coagtag tag --out-dir DIR`: run that again (a product written elsewhere \
             with its own flag can be copied here as {standard})"
        ),
    })
}

fn read_error(path: &Path, e: impl std::fmt::Display) -> RebuildError {
    RebuildError::Read {
        path: path.to_path_buf(),
        message: format!("cannot read it ({e})"),
        fix: "check that the directory is a whole coagtag --out-dir".into(),
    }
}

fn csv_reader(path: &Path) -> Result<csv::Reader<File>, RebuildError> {
    let f = File::open(path).map_err(|e| read_error(path, e))?;
    Ok(csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(false)
        .from_reader(f))
}

fn record(path: &Path, rec: csv::Result<csv::StringRecord>) -> Result<Vec<String>, RebuildError> {
    let rec = rec.map_err(|e| read_error(path, e))?;
    Ok(rec.iter().map(|c| dialect::unguard(c).to_string()).collect())
}

/// A whole CSV product as a table.
fn read_table(path: &Path) -> Result<TextTable, RebuildError> {
    let mut t = TextTable::default();
    let mut r = csv_reader(path)?;
    for (i, rec) in r.records().enumerate() {
        let mut row = record(path, rec)?;
        if i == 0 {
            strip_bom(&mut row);
            t.header = row;
        } else {
            t.rows.push(row);
        }
    }
    Ok(t)
}

fn strip_bom(row: &mut [String]) {
    if let Some(first) = row.first_mut()
        && let Some(rest) = first.strip_prefix('\u{feff}')
    {
        *first = rest.to_string();
    }
}

/// Open a directory's products and start the report.
pub fn read(dir: &Path) -> Result<Source, RebuildError> {
    let manifest_path = dir.join(ProductKind::Manifest.file_name().expect("--out-dir writes it"));
    let text = std::fs::read_to_string(&manifest_path).map_err(|e| RebuildError::Read {
        path: manifest_path.clone(),
        message: format!("cannot read the run's manifest ({e})"),
        fix: "name a directory written by `coagtag tag --out-dir DIR`".into(),
    })?;
    let manifest: serde_json::Value = serde_json::from_str(&text).map_err(|e| read_error(&manifest_path, e))?;
    let facts = Facts::from_manifest(&manifest);
    let title = super::title(&facts);
    let table = |t: Table| locate(dir, ProductKind::Table(t));
    let summary = read_table(&table(Table::Summary)?)?;
    let cooccurrence = read_table(&table(Table::Cooccurrence)?)?;
    let trends = read_table(&table(Table::Trends)?)?;
    let evidence_path = table(Table::Evidence)?;
    let texts_path = locate(dir, ProductKind::Texts)?;
    let mut evidence = csv_reader(&evidence_path)?.into_records();
    let mut header = match evidence.next() {
        Some(rec) => record(&evidence_path, rec)?,
        None => return Err(read_error(&evidence_path, "the file is empty")),
    };
    strip_bom(&mut header);
    let article = header
        .iter()
        .position(|h| h == "article_id")
        .ok_or_else(|| DataError(format!("{} has no column \"article_id\"", evidence_path.display())))?;
    let data = ReportData::new(facts, &summary, &cooccurrence, &trends, &header)?;
    let texts = File::open(&texts_path).map_err(|e| read_error(&texts_path, e))?;
    Ok(Source {
        title,
        data,
        articles: Articles {
            texts: BufReader::new(Box::new(MultiGzDecoder::new(BufReader::new(texts)))),
            texts_path,
            evidence,
            evidence_path,
            article,
            next: None,
            line: 0,
        },
    })
}

/// The articles with a mention: each text with its evidence rows.
pub struct Articles {
    texts: BufReader<Box<dyn Read>>,
    texts_path: PathBuf,
    evidence: csv::StringRecordsIntoIter<File>,
    evidence_path: PathBuf,
    /// The evidence's article column.
    article: usize,
    /// An evidence row read ahead: the first of the next article.
    next: Option<Vec<String>>,
    line: u64,
}

impl Articles {
    fn next_row(&mut self) -> Result<Option<Vec<String>>, RebuildError> {
        if let Some(r) = self.next.take() {
            return Ok(Some(r));
        }
        match self.evidence.next() {
            Some(rec) => Ok(Some(record(&self.evidence_path, rec)?)),
            None => Ok(None),
        }
    }

    fn read_next(&mut self) -> Result<Option<ArticleInput>, RebuildError> {
        let mut line = String::new();
        let n = self
            .texts
            .read_line(&mut line)
            .map_err(|e| read_error(&self.texts_path, e))?;
        if n == 0 {
            return match self.next_row()? {
                None => Ok(None),
                Some(row) => Err(RebuildError::Data(DataError(format!(
                    "{} has mentions of article {}, which {} does not hold: were they written by the same run?",
                    self.evidence_path.display(),
                    row[self.article],
                    self.texts_path.display()
                )))),
            };
        }
        self.line += 1;
        let text: TextRecord = serde_json::from_str(&line)
            .map_err(|e| read_error(&self.texts_path, format!("line {}: {e}", self.line)))?;
        let mut evidence = Vec::new();
        while let Some(row) = self.next_row()? {
            if row[self.article] != text.id {
                self.next = Some(row);
                break;
            }
            evidence.push(row);
        }
        Ok(Some(ArticleInput { text, evidence }))
    }
}

impl Iterator for Articles {
    type Item = Result<ArticleInput, RebuildError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.read_next().transpose()
    }
}
