//! CSV and TSV: one row per document, with a header row.
//!
//! The id column is `--id-field` (default `id`); text columns are `--text-fields` (default
//! `title` and `abstract`, or `text`). Columns `year` (its four-digit year), `journal`, `doi`
//! and `pmid` are kept as metadata. Header names match case-insensitively. A row with the wrong number of fields or
//! invalid UTF-8 is reported and skipped.

use std::io::BufRead;

use super::{InputError, InputOptions, Record, Records};
use crate::diagnostic::Setting;
use crate::document::{Document, Origin, Section, year_in};

struct Columns {
    id: usize,
    text: Vec<(usize, String)>,
    year: Option<usize>,
    journal: Option<usize>,
    doi: Option<usize>,
    pmid: Option<usize>,
}

pub fn open(
    reader: Box<dyn BufRead + Send>,
    path: String,
    opts: &InputOptions,
    delimiter: u8,
) -> Result<Records, InputError> {
    let mut rdr = ::csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .has_headers(true)
        .flexible(false)
        .from_reader(reader);
    let headers = match rdr.byte_headers() {
        Ok(h) => h.clone(),
        Err(e) => return Err(csv_error(&path, &e).fatal()),
    };
    let names: Vec<String> = headers
        .iter()
        .map(|h| {
            String::from_utf8_lossy(h)
                .trim()
                .trim_start_matches('\u{feff}')
                .to_string()
        })
        .collect();
    if names.iter().all(|n| n.is_empty()) {
        return Err(InputError::new(&path, "the file is empty or has no header row")
            .at_line(1)
            .fatal()
            .fix("the first row must name the columns, e.g. id,title,abstract"));
    }
    let find = |want: &str| names.iter().position(|n| n.eq_ignore_ascii_case(want));
    let kind = if delimiter == b'\t' { "TSV" } else { "CSV" };
    let id = find(&opts.id_field).ok_or_else(|| {
        InputError::new(
            &path,
            format!(
                "no id column {:?} in the header (columns: {})",
                opts.id_field,
                names.join(", ")
            ),
        )
        .at_line(1)
        .fatal()
        .fix("name the id column")
        .setting(Setting::IdField(Some(
            names.first().map_or("id", String::as_str).to_string(),
        )))
    })?;
    let wanted: Vec<String> = match &opts.text_fields {
        Some(f) => f.clone(),
        None if find("title").is_some() || find("abstract").is_some() => vec!["title".into(), "abstract".into()],
        None => vec!["text".into()],
    };
    let mut text = Vec::new();
    for w in &wanted {
        match find(w) {
            Some(i) => text.push((i, w.clone())),
            None if opts.text_fields.is_some() => {
                return Err(InputError::new(
                    &path,
                    format!(
                        "no text column {w:?} in the {kind} header (columns: {})",
                        names.join(", ")
                    ),
                )
                .at_line(1)
                .fatal()
                .fix("name existing columns")
                .setting(Setting::TextFields));
            }
            None => {}
        }
    }
    if text.is_empty() {
        return Err(InputError::new(
            &path,
            format!(
                "no text column (title, abstract or text) in the header (columns: {})",
                names.join(", ")
            ),
        )
        .at_line(1)
        .fatal()
        .fix("name the text columns")
        .setting(Setting::TextFields));
    }
    let cols = Columns {
        id,
        text,
        year: find("year"),
        journal: find("journal"),
        doi: find("doi"),
        pmid: find("pmid"),
    };
    let mut record = 0u64;
    let mut rows = rdr.into_byte_records();
    let mut done = false;
    Ok(Box::new(std::iter::from_fn(move || {
        if done {
            return None;
        }
        let row = rows.next()?;
        record += 1;
        Some(match row {
            Ok(r) => {
                let line = r.position().map_or(0, |p| p.line());
                to_document(&r, &cols, &path, line, record).map(Record::Document)
            }
            Err(e) => {
                let err = csv_error(&path, &e).record(record);
                if matches!(e.kind(), ::csv::ErrorKind::Io(_)) {
                    done = true;
                    Err(err.fatal())
                } else {
                    Err(err)
                }
            }
        })
    })))
}

fn csv_error(path: &str, e: &::csv::Error) -> InputError {
    let line = e.position().map(|p| p.line());
    let base = match e.kind() {
        ::csv::ErrorKind::Io(io) => return InputError::io(path, io),
        ::csv::ErrorKind::UnequalLengths { expected_len, len, .. } => InputError::new(
            path,
            format!("the row has {len} fields but the header has {expected_len}"),
        )
        .fix("quote fields that contain the delimiter or line breaks"),
        _ => InputError::new(path, e.to_string()),
    };
    match line {
        Some(l) => base.at_line(l),
        None => base,
    }
}

fn to_document(
    r: &::csv::ByteRecord,
    cols: &Columns,
    path: &str,
    line: u64,
    record: u64,
) -> Result<Document, InputError> {
    let field = |i: usize| -> Result<&str, InputError> {
        std::str::from_utf8(r.get(i).unwrap_or_default()).map_err(|e| {
            InputError::new(
                path,
                format!("invalid UTF-8 in column {} at byte {}", i + 1, e.valid_up_to()),
            )
            .at_line(line)
            .record(record)
            .fix("save the file as UTF-8")
        })
    };
    let id = field(cols.id)?.trim().to_string();
    if id.is_empty() {
        return Err(InputError::new(path, "the id column is empty")
            .at_line(line)
            .record(record));
    }
    let mut sections = Vec::with_capacity(cols.text.len());
    for (i, name) in &cols.text {
        sections.push(Section::new(name.clone(), field(*i).map_err(|e| e.id(id.clone()))?));
    }
    let mut doc = Document::new(id, sections);
    let opt = |i: Option<usize>| {
        i.and_then(|i| field(i).ok())
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    doc.meta.year = opt(cols.year).as_deref().and_then(year_in);
    doc.meta.journal = opt(cols.journal);
    doc.meta.doi = opt(cols.doi);
    doc.meta.pmid = opt(cols.pmid);
    doc.meta.title = cols
        .text
        .iter()
        .find(|(_, n)| n == "title")
        .and_then(|(i, _)| opt(Some(*i)));
    doc.origin = Origin {
        path: path.into(),
        line: Some(line),
        record,
    };
    Ok(doc)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8], delim: u8, opts: &InputOptions) -> Result<Vec<Result<Record, InputError>>, InputError> {
        Ok(open(
            Box::new(std::io::Cursor::new(text.to_vec())),
            "t.csv".into(),
            opts,
            delim,
        )?
        .collect())
    }

    fn ids(out: &[Result<Record, InputError>]) -> Vec<String> {
        out.iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => d.id.clone(),
                Ok(o) => format!("{o:?}"),
                Err(e) => e.to_string(),
            })
            .collect()
    }

    #[test]
    fn reads_rows_with_quoted_newlines() {
        let out = read(
            b"id,title,abstract\n1,T1,\"A, with comma\nand newline\"\n2,T2,A2\n",
            b',',
            &InputOptions::default(),
        )
        .unwrap();
        assert_eq!(ids(&out), vec!["1", "2"]);
        let Ok(Record::Document(d)) = &out[0] else { panic!() };
        assert_eq!(d.sections[1].text, "A, with comma\nand newline");
        let Ok(Record::Document(d)) = &out[1] else { panic!() };
        assert_eq!(d.origin.line, Some(4));
    }

    #[test]
    fn year_column_holds_the_year_of_a_date() {
        let out = read(
            b"id,title,Year\n1,T,2019\n2,T,May 2020\n3,T,n.d.\n4,T,\n",
            b',',
            &InputOptions::default(),
        )
        .unwrap();
        let years: Vec<Option<&str>> = out
            .iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => d.meta.year.as_deref(),
                other => panic!("{other:?}"),
            })
            .collect();
        assert_eq!(years, [Some("2019"), Some("2020"), None, None]);
    }

    #[test]
    fn tsv_and_text_column() {
        let out = read(b"ID\ttext\nx\thello\n", b'\t', &InputOptions::default()).unwrap();
        assert_eq!(ids(&out), vec!["x"]);
    }

    #[test]
    fn bad_rows_are_skipped_with_line() {
        let out = read(
            b"id,title,abstract\n1,T,A\n2,T\n3,T,\xff\n4,T,A\n",
            b',',
            &InputOptions::default(),
        )
        .unwrap();
        assert_eq!(
            ids(&out),
            vec![
                "1".to_string(),
                "t.csv:3: record 2: the row has 2 fields but the header has 3 (fix: quote fields that contain the delimiter or line breaks)".to_string(),
                "t.csv:4: record 3 (id 3): invalid UTF-8 in column 3 at byte 0 (fix: save the file as UTF-8)".to_string(),
                "4".to_string(),
            ]
        );
    }

    #[test]
    fn missing_id_column_is_fatal_with_fix() {
        let err = read(b"pmid,title\n1,T\n", b',', &InputOptions::default())
            .err()
            .unwrap();
        assert_eq!(
            err.to_string(),
            "t.csv:1: no id column \"id\" in the header (columns: pmid, title) (fix: name the id column (pmid))"
        );
    }

    #[test]
    fn empty_file_is_fatal() {
        let err = read(b"", b',', &InputOptions::default()).err().unwrap();
        assert!(
            err.to_string().contains("the file is empty or has no header row"),
            "{err}"
        );
    }
}
