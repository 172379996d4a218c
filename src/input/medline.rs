//! MEDLINE text: PubMed's "Send to: File: MEDLINE" export (`.txt`, `.nbib`, `.medline`).
//!
//! # The format
//!
//! Records are separated by blank lines. Each line starts with a tag of up to four characters,
//! padded with spaces to four, then `- ` and the value; a value goes on over lines indented by six
//! spaces. Tags repeat (`AU`, `MH`, ...).
//!
//! ```text
//! PMID- 12230038
//! DP  - 2002 Sep
//! TI  - The Bio* toolkits--a brief overview.
//! AB  - Bioinformatics research is often difficult to do with commercial software. The
//!       Open Source BioPerl, BioPython and Biojava projects provide toolkits with
//! JT  - Briefings in bioinformatics
//! AID - 10.1093/bib/3.3.296 [doi]
//! ```
//!
//! # What a record becomes
//!
//! A [`Document`] with id `PMID` and sections `title` (`TI`, or `BTI` for a book) and `abstract`
//! (`AB`); continuation lines are joined with one space. With
//! [`InputOptions::include_other_abstracts`], `TT` (the transliterated title) and `OAB` become
//! `vernacular_title` and `other_abstract`. Metadata: PMID, year (the year in `DP`, else the first four digits of `DEP`),
//! journal (`JT`, else `TA`), DOI (`AID` or `LID` ending in `[doi]`), title.
//!
//! A record without `PMID`, a line that is neither a tag nor a continuation, and invalid UTF-8 are
//! reported with the line number and the record is skipped. Lines longer than
//! [`InputOptions::max_record_bytes`] stop the file.

use std::io::BufRead;

use super::limit::{Limited, human_size};
use super::{InputError, InputOptions, Record};
use crate::document::{Document, Origin, Section, year_in};

/// A streaming MEDLINE text reader.
pub struct MedlineReader<R: BufRead> {
    reader: Limited<R>,
    path: String,
    include_other: bool,
    line: u64,
    record: u64,
    buf: Vec<u8>,
    done: bool,
}

#[derive(Default)]
struct Fields {
    start_line: u64,
    pmid: Option<String>,
    title: Option<String>,
    book_title: Option<String>,
    abstract_: Option<String>,
    vernacular: Option<String>,
    other: Vec<String>,
    year: Option<String>,
    /// The year of `DEP`, used when `DP` has none.
    dep_year: Option<String>,
    journal: Option<String>,
    abbrev: Option<String>,
    doi: Option<String>,
    /// The first problem in the record, reported when the record ends.
    problem: Option<InputError>,
}

impl<R: BufRead> MedlineReader<R> {
    pub fn new(reader: R, path: impl Into<String>, opts: &InputOptions) -> MedlineReader<R> {
        MedlineReader {
            reader: Limited::new(reader, opts.max_record_bytes),
            path: path.into(),
            include_other: opts.include_other_abstracts,
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    /// The next line without its line end; `None` at the end of the input.
    fn next_line(&mut self) -> Result<Option<Vec<u8>>, InputError> {
        self.buf.clear();
        self.reader.mark();
        match self.reader.read_until(b'\n', &mut self.buf) {
            Ok(0) => Ok(None),
            Ok(_) => {
                self.line += 1;
                let mut l = std::mem::take(&mut self.buf);
                while matches!(l.last(), Some(b'\n' | b'\r')) {
                    l.pop();
                }
                Ok(Some(l))
            }
            Err(e) if self.reader.exceeded() => Err(InputError::new(
                &self.path,
                format!(
                    "a line is longer than {} (is this really MEDLINE text?)",
                    human_size(self.reader.limit())
                ),
            )
            .at_line(self.line + 1)
            .fatal()
            .fix(format!("check the file ({e})"))),
            Err(e) => Err(InputError::io(&self.path, &e).at_line(self.line + 1)),
        }
    }

    fn build(&self, f: Fields) -> Result<Record, InputError> {
        if let Some(p) = f.problem {
            return Err(p);
        }
        let Some(pmid) = f.pmid.filter(|p| !p.is_empty()) else {
            return Err(InputError::new(&self.path, "the record has no PMID- line")
                .at_line(f.start_line)
                .record(self.record)
                .fix("every MEDLINE record starts with `PMID- <number>`"));
        };
        let title = f.title.or(f.book_title.clone()).filter(|t| !t.is_empty());
        let mut sections = Vec::new();
        if let Some(t) = &title {
            sections.push(Section::new("title", t.clone()));
        }
        if let Some(a) = f.abstract_.filter(|a| !a.is_empty()) {
            sections.push(Section::new("abstract", a));
        }
        if self.include_other {
            if let Some(v) = f.vernacular.filter(|v| !v.is_empty()) {
                sections.push(Section::new("vernacular_title", v));
            }
            for o in f.other.into_iter().filter(|o| !o.is_empty()) {
                sections.push(Section::new("other_abstract", o));
            }
        }
        let mut doc = Document::new(pmid.clone(), sections);
        doc.meta.pmid = Some(pmid);
        doc.meta.year = f.year.or(f.dep_year);
        doc.meta.journal = f.journal.or(f.abbrev).or(f.book_title);
        doc.meta.doi = f.doi;
        doc.meta.title = title;
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: Some(f.start_line),
            record: self.record,
        };
        Ok(Record::Document(doc))
    }
}

/// Split `TAG - value` into the tag and the value; `None` if the line is not a field line.
fn field(line: &str) -> Option<(&str, &str)> {
    if line.len() < 5 || !line.is_char_boundary(4) || line.as_bytes()[4] != b'-' {
        return None;
    }
    let tag = line[..4].trim_end();
    if tag.is_empty() || !tag.bytes().all(|b| b.is_ascii_uppercase() || b.is_ascii_digit()) {
        return None;
    }
    Some((tag, line[5..].trim()))
}

fn append(slot: &mut Option<String>, text: &str) {
    match slot {
        Some(s) if !text.is_empty() => {
            if !s.is_empty() {
                s.push(' ');
            }
            s.push_str(text);
        }
        Some(_) => {}
        None => *slot = Some(text.to_string()),
    }
}

impl<R: BufRead> Iterator for MedlineReader<R> {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut f: Option<Fields> = None;
        // The tag a continuation line belongs to.
        let mut last_tag = String::new();
        loop {
            let line = match self.next_line() {
                Ok(Some(l)) => l,
                Ok(None) => {
                    self.done = true;
                    if self.line == 0 {
                        return Some(Err(InputError::new(&self.path, "the file is empty").fatal().fix(
                            "export the records again (PubMed: Send to > Citation manager, or Save > Format: PubMed)",
                        )));
                    }
                    return f.map(|f| self.build(f));
                }
                Err(e) => {
                    self.done = true;
                    return Some(Err(e));
                }
            };
            let line = match String::from_utf8(line) {
                Ok(l) => l,
                Err(e) => {
                    let at = e.utf8_error().valid_up_to();
                    let err = InputError::new(&self.path, format!("invalid UTF-8 at byte {at} of the line"))
                        .at_line(self.line)
                        .fix("save the file as UTF-8");
                    let fields = f.get_or_insert_with(|| {
                        self.record += 1;
                        Fields {
                            start_line: self.line,
                            ..Fields::default()
                        }
                    });
                    if fields.problem.is_none() {
                        fields.problem = Some(err.record(self.record));
                    }
                    continue;
                }
            };
            let line = line.strip_prefix('\u{feff}').unwrap_or(&line);
            if line.trim().is_empty() {
                match f.take() {
                    Some(done) => return Some(self.build(done)),
                    None => continue,
                }
            }
            let fields = f.get_or_insert_with(|| {
                self.record += 1;
                Fields {
                    start_line: self.line,
                    ..Fields::default()
                }
            });
            if let Some((tag, value)) = field(line) {
                last_tag.clear();
                last_tag.push_str(tag);
                match tag {
                    "PMID" => {
                        if fields.pmid.is_some() && fields.problem.is_none() {
                            // Two PMIDs without a blank line between: two records run together.
                            fields.problem = Some(
                                InputError::new(&self.path, "a second PMID- line inside one record")
                                    .at_line(self.line)
                                    .record(self.record)
                                    .id(fields.pmid.clone().unwrap_or_default())
                                    .fix("separate records with a blank line"),
                            );
                        }
                        fields.pmid.get_or_insert_with(|| value.to_string());
                    }
                    "TI" => append(&mut fields.title, value),
                    "BTI" => append(&mut fields.book_title, value),
                    "AB" => append(&mut fields.abstract_, value),
                    "TT" => append(&mut fields.vernacular, value),
                    "OAB" => fields.other.push(value.to_string()),
                    "DP" if fields.year.is_none() => fields.year = year_in(value),
                    // the electronic publication date (YYYYMMDD), when DP has no year
                    "DEP" if fields.dep_year.is_none() => {
                        fields.dep_year = value
                            .get(..4)
                            .filter(|y| y.bytes().all(|b| b.is_ascii_digit()))
                            .map(str::to_string);
                    }
                    "JT" => append(&mut fields.journal, value),
                    "TA" => append(&mut fields.abbrev, value),
                    "AID" | "LID" => {
                        if fields.doi.is_none()
                            && let Some(doi) = value.strip_suffix("[doi]")
                        {
                            fields.doi = Some(doi.trim().to_string());
                        }
                    }
                    _ => {}
                }
            } else if let Some(cont) = line.strip_prefix("      ") {
                let cont = cont.trim();
                match last_tag.as_str() {
                    "TI" => append(&mut fields.title, cont),
                    "BTI" => append(&mut fields.book_title, cont),
                    "AB" => append(&mut fields.abstract_, cont),
                    "TT" => append(&mut fields.vernacular, cont),
                    "OAB" => {
                        if let Some(o) = fields.other.last_mut() {
                            let mut s = Some(std::mem::take(o));
                            append(&mut s, cont);
                            *o = s.unwrap_or_default();
                        }
                    }
                    "JT" => append(&mut fields.journal, cont),
                    "" if fields.problem.is_none() => {
                        fields.problem = Some(
                            InputError::new(&self.path, "a continuation line before any field")
                                .at_line(self.line)
                                .record(self.record),
                        );
                    }
                    _ => {}
                }
            } else if fields.problem.is_none() {
                let shown: String = line.chars().take(40).collect();
                let mut e = InputError::new(
                    &self.path,
                    format!("not a MEDLINE field line: {shown:?}"),
                )
                .at_line(self.line)
                .record(self.record)
                .fix("MEDLINE lines are `TAG - value` (tag padded to four characters) or continuations indented by six spaces");
                if let Some(p) = &fields.pmid {
                    e = e.id(p.clone());
                }
                fields.problem = Some(e);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Vec<Result<Record, InputError>> {
        MedlineReader::new(text, "m.txt", &InputOptions::default()).collect()
    }

    #[test]
    fn records_fields_and_continuations() {
        let text = b"\nPMID- 1\nDP  - 2002 Sep\nTI  - A title\n      goes on.\nAB  - First line\n      second line.\nJT  - Journal\nAID - 10.1/x [doi]\n\nPMID- 2\nDP  - Spring\nDEP - 20210601\nTI  - Two\n";
        let out = read(text);
        assert_eq!(out.len(), 2);
        let Ok(Record::Document(d)) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(d.id, "1");
        assert_eq!(
            d.sections,
            vec![
                Section::new("title", "A title goes on."),
                Section::new("abstract", "First line second line.")
            ]
        );
        assert_eq!(d.meta.year.as_deref(), Some("2002"));
        assert_eq!(d.meta.journal.as_deref(), Some("Journal"));
        assert_eq!(d.meta.doi.as_deref(), Some("10.1/x"));
        assert_eq!(d.origin.line, Some(2));
        let Ok(Record::Document(d)) = &out[1] else {
            panic!("{out:?}")
        };
        assert_eq!(d.sections, vec![Section::new("title", "Two")]);
        // no year in DP: the electronic publication date's
        assert_eq!(d.meta.year.as_deref(), Some("2021"));
        assert_eq!(d.origin.record, 2);
    }

    #[test]
    fn bad_records_are_reported_with_lines_and_skipped() {
        let text = b"PMID- 1\nTI  - ok\n\nTI  - no id\n\nPMID- 3\ngarbage here\n\nPMID- 4\nTI  - caf\xe9\n\nPMID- 5\nTI  - fine\n";
        let out = read(text);
        assert_eq!(out.len(), 5, "{out:?}");
        assert!(matches!(&out[0], Ok(Record::Document(d)) if d.id == "1"));
        assert_eq!(
            out[1].as_ref().unwrap_err().to_string(),
            "m.txt:4: record 2: the record has no PMID- line (fix: every MEDLINE record starts with `PMID- <number>`)"
        );
        let e = out[2].as_ref().unwrap_err();
        assert_eq!((e.line, e.record, e.id.as_deref()), (Some(7), Some(3), Some("3")));
        assert_eq!(e.message, "not a MEDLINE field line: \"garbage here\"");
        let e = out[3].as_ref().unwrap_err();
        assert_eq!(
            e.to_string(),
            "m.txt:10: record 4: invalid UTF-8 at byte 9 of the line (fix: save the file as UTF-8)"
        );
        assert!(matches!(&out[4], Ok(Record::Document(d)) if d.id == "5"));
    }

    #[test]
    fn empty_file_and_enormous_line() {
        let out = read(b"");
        assert_eq!(out.len(), 1);
        assert!(out[0].as_ref().unwrap_err().fatal);
        assert!(out[0].as_ref().unwrap_err().message == "the file is empty");
        let mut big = b"PMID- 1\nAB  - ".to_vec();
        big.extend(std::iter::repeat_n(b'x', 10_000));
        let opts = InputOptions {
            max_record_bytes: 1000,
            ..InputOptions::default()
        };
        let out: Vec<_> = MedlineReader::new(std::io::BufReader::with_capacity(64, &big[..]), "m.txt", &opts).collect();
        assert_eq!(out.len(), 1);
        let e = out[0].as_ref().unwrap_err();
        assert!(e.fatal);
        assert_eq!(e.line, Some(2));
        assert_eq!(
            e.message,
            "a line is longer than 1000 bytes (is this really MEDLINE text?)"
        );
    }
}
