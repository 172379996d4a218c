//! PubTator text, read for its text only (annotations are left to the evaluation code).
//!
//! # The format
//!
//! ```text
//! 10192393|t|A common human skin tumour is caused by activating mutations in beta-catenin.
//! 10192393|a|WNT signalling orchestrates a number of developmental programs. ...
//! 10192393<TAB>15<TAB>26<TAB>skin tumour<TAB>DiseaseClass<TAB>D012878
//!
//! ```
//!
//! A document is a `PMID|t|title` line, a `PMID|a|abstract` line and any number of tab-separated
//! annotation lines (`PMID start end mention type id`); documents are usually, not always,
//! separated by blank lines. Annotation offsets count characters over title and abstract joined
//! by one character, which is the offset space of [`Document`].
//!
//! # What this reader does
//!
//! [`PubtatorReader`] yields one document per PMID with sections `title` and `abstract`. For
//! tagging ([`records`]) it ignores the annotation lines; for gold corpora
//! ([`PubtatorReader::with_annotations`], read by [`crate::eval::gold`]) it keeps them, and a
//! document's annotation lines must follow its text lines before the next blank line. A line
//! repeated verbatim is read once; a `|t|` or `|a|` line with an empty id, or an `|a|` line whose
//! id is not the current document's, is reported with its line number and skipped.

use std::io::BufRead;

use super::limit::{Limited, human_size};
use super::{InputError, InputOptions, Record, Records};
use crate::document::{Document, Origin, Section};

/// One annotation line, as written: `PMID start end text type id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotation {
    /// Character offsets in the document (title, one separator, abstract).
    pub start: u32,
    pub end: u32,
    pub text: String,
    /// The entity type (`Chemical`, `Disease`, `SpecificDisease`, ...).
    pub kind: String,
    /// The concept id as written (`D003920`, `MESH:D003920`, `D002318|D012131`, `-1`), trimmed.
    pub id: String,
    /// 1-based line in the file.
    pub line: u64,
}

/// A document and, when they are read, its annotations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Annotated {
    pub doc: Document,
    pub annotations: Vec<Annotation>,
}

/// The records of a PubTator file for tagging: its documents, annotations ignored.
pub fn records<R: BufRead + Send + 'static>(reader: R, path: impl Into<String>, opts: &InputOptions) -> Records {
    Box::new(PubtatorReader::new(reader, path, opts).map(|r| r.map(|a| Record::Document(a.doc))))
}

/// A streaming reader of PubTator documents.
pub struct PubtatorReader<R: BufRead> {
    reader: Limited<R>,
    path: String,
    line: u64,
    record: u64,
    buf: Vec<u8>,
    done: bool,
    /// The document being read.
    current: Option<Annotated>,
    /// Annotation lines are read (else skipped).
    annotations: bool,
    /// No blank line since the current document's title line.
    open: bool,
}

impl<R: BufRead> PubtatorReader<R> {
    /// A reader of the documents; annotation lines are skipped.
    pub fn new(reader: R, path: impl Into<String>, opts: &InputOptions) -> PubtatorReader<R> {
        PubtatorReader {
            reader: Limited::new(reader, opts.max_record_bytes),
            path: path.into(),
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
            current: None,
            annotations: false,
            open: false,
        }
    }

    /// A reader of the documents with their annotations.
    pub fn with_annotations(reader: R, path: impl Into<String>, opts: &InputOptions) -> PubtatorReader<R> {
        PubtatorReader {
            annotations: true,
            ..PubtatorReader::new(reader, path, opts)
        }
    }

    fn start(&mut self, id: &str, title: &str) -> Option<Annotated> {
        self.record += 1;
        self.open = true;
        let mut doc = Document::new(id, vec![Section::new("title", title)]);
        doc.meta.pmid = Some(id.to_string());
        doc.meta.title = Some(title.to_string()).filter(|t| !t.is_empty());
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: Some(self.line),
            record: self.record,
        };
        self.current.replace(Annotated {
            doc,
            annotations: Vec::new(),
        })
    }

    fn error(&self, message: impl Into<String>) -> InputError {
        InputError::new(&self.path, message).at_line(self.line)
    }

    /// Handle one line; returns a finished record, if the line finished one.
    fn line(&mut self, line: &str) -> Option<Result<Annotated, InputError>> {
        if line.trim().is_empty() {
            self.open = false;
            return None;
        }
        // `PMID|t|` and `PMID|a|`; a `|` after a tab is inside an annotation's text
        let text_line = line
            .split_once('|')
            .filter(|(id, _)| !id.contains('\t'))
            .map(|(id, rest)| (id, rest.split_once('|')));
        let (id, kind, text) = match text_line {
            Some((id, Some((kind, text)))) if matches!(kind, "t" | "a") => (id, kind, text),
            None => return self.annotation(line).map(Err),
            // `PMID|x|` or `PMID|...`: not text; the reader of annotations refuses it
            Some((id, other)) => {
                if !self.annotations {
                    return None;
                }
                let (message, fix) = match other {
                    Some((kind, _)) => (
                        format!("unknown text line kind `|{kind}|`"),
                        "PubTator text lines are `PMID|t|title` and `PMID|a|abstract`",
                    ),
                    None => (
                        "a `PMID|t|` or `PMID|a|` line without its second `|`".to_string(),
                        "write `PMID|t|title` or `PMID|a|abstract`",
                    ),
                };
                return Some(Err(self.error(message).id(id.trim()).fix(fix)));
            }
        };
        if id.trim().is_empty() {
            return Some(Err(self
                .error(format!("a |{kind}| line with an empty id"))
                .fix("every PubTator text line starts with the document id: `PMID|t|title`")));
        }
        let id = id.trim();
        let current = self.current.as_ref().map(|a| (a.doc.id.as_str(), &a.doc.sections));
        match (kind, current) {
            ("t", Some((cur, s))) if cur == id && s[0].text == text => None,
            ("t", _) => self.start(id, text).map(Ok),
            ("a", Some((cur, s))) if cur == id && s.len() == 1 => {
                if let Some(a) = self.current.as_mut() {
                    a.doc.sections.push(Section::new("abstract", text));
                }
                None
            }
            ("a", Some((cur, s))) if cur == id && s[1].text == text => None,
            ("a", _) => Some(Err(self
                .error(format!(
                    "an abstract line for id {id} that does not follow its title line"
                ))
                .id(id)
                .fix("each document is `PMID|t|title` followed by `PMID|a|abstract`"))),
            _ => None,
        }
    }

    /// Read an annotation line into the current document (when annotations are read); a
    /// problem with it, if any.
    fn annotation(&mut self, line: &str) -> Option<InputError> {
        if !self.annotations {
            return None;
        }
        let cols: Vec<&str> = line.split('\t').collect();
        let Some(doc) = self.current.as_ref().filter(|a| self.open && a.doc.id == cols[0]) else {
            return Some(
                self.error(format!("annotation for {} outside its document", cols[0]))
                    .fix("annotation lines follow their document's title and abstract lines, before the blank line"),
            );
        };
        let _ = doc;
        if cols.len() >= 2 && cols[1].parse::<u32>().is_err() {
            // a relation line (`PMID CID chemical disease`)
            return None;
        }
        if cols.len() < 5 {
            return Some(
                self.error(format!("annotation with {} tab-separated columns", cols.len()))
                    .fix("write PMID, start, end, text, type and id separated by tabs"),
            );
        }
        let num = |s: &str, what: &str| {
            s.parse::<u32>().map_err(|_| {
                self.error(format!("the {what} offset {s:?} is not a number"))
                    .fix("offsets are character counts from the start of the title")
            })
        };
        let (start, end) = match (num(cols[1], "start"), num(cols[2], "end")) {
            (Ok(s), Ok(e)) => (s, e),
            (Err(e), _) | (_, Err(e)) => return Some(e),
        };
        let annotation = Annotation {
            start,
            end,
            text: cols[3].to_string(),
            kind: cols[4].to_string(),
            id: cols.get(5).map_or("", |s| s.trim()).to_string(),
            line: self.line,
        };
        if let Some(a) = self.current.as_mut() {
            a.annotations.push(annotation);
        }
        None
    }
}

impl<R: BufRead> Iterator for PubtatorReader<R> {
    type Item = Result<Annotated, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        while !self.done {
            self.buf.clear();
            self.reader.mark();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    if self.line == 0 {
                        return Some(Err(InputError::new(&self.path, "the file is empty")
                            .fatal()
                            .fix("a PubTator file holds `PMID|t|title` and `PMID|a|abstract` lines")));
                    }
                    break;
                }
                Ok(_) => self.line += 1,
                Err(e) => {
                    self.done = true;
                    let err = if self.reader.exceeded() {
                        InputError::new(
                            &self.path,
                            format!(
                                "a line is longer than {} (is this really PubTator?)",
                                human_size(self.reader.limit())
                            ),
                        )
                        .at_line(self.line + 1)
                        .fatal()
                        .fix("check the file")
                    } else {
                        InputError::io(&self.path, &e).at_line(self.line + 1)
                    };
                    return Some(Err(err));
                }
            }
            let bytes = std::mem::take(&mut self.buf);
            let mut end = bytes.len();
            while end > 0 && matches!(bytes[end - 1], b'\n' | b'\r') {
                end -= 1;
            }
            let out = match std::str::from_utf8(&bytes[..end]) {
                Ok(line) => self.line(line),
                Err(e) => Some(Err(self
                    .error(format!("invalid UTF-8 at byte {} of the line", e.valid_up_to()))
                    .fix("save the file as UTF-8"))),
            };
            self.buf = bytes;
            match out {
                Some(Err(e)) => {
                    // An error in a document's text spoils the document: drop what was read of it.
                    if let Some(a) = &self.current
                        && e.id.as_deref().is_none_or(|id| id == a.doc.id)
                        && e.message.starts_with("invalid UTF-8")
                    {
                        self.current = None;
                    }
                    return Some(Err(e.record(self.record)));
                }
                Some(ok) => return Some(ok),
                None => {}
            }
        }
        self.current.take().map(Ok)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Vec<Result<Record, InputError>> {
        PubtatorReader::new(text, "p.txt", &InputOptions::default())
            .map(|r| r.map(|a| Record::Document(a.doc)))
            .collect()
    }

    fn ids(out: &[Result<Record, InputError>]) -> Vec<String> {
        out.iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => d.id.clone(),
                Ok(Record::Delete(_)) => "delete".into(),
                Err(e) => format!("error line {}", e.line.unwrap_or(0)),
            })
            .collect()
    }

    #[test]
    fn documents_with_and_without_blank_lines_annotations_ignored() {
        let text = b"1|t|Title one\n1|a|Abstract one\n1\t0\t5\tTitle\tX\tD1\n\n2|t|T2\n2|a|A2\n3|t|T3\n3|a|\n";
        let out = read(text);
        assert_eq!(ids(&out), vec!["1", "2", "3"]);
        let Ok(Record::Document(d)) = &out[0] else { panic!() };
        assert_eq!(
            d.sections,
            vec![
                Section::new("title", "Title one"),
                Section::new("abstract", "Abstract one")
            ]
        );
        assert_eq!(d.origin.line, Some(1));
        let Ok(Record::Document(d)) = &out[2] else { panic!() };
        assert_eq!(
            d.sections,
            vec![Section::new("title", "T3"), Section::new("abstract", "")]
        );
    }

    #[test]
    fn duplicated_lines_are_read_once_and_empty_ids_reported() {
        let text = b"1|t|T\n1|t|T\n1|a|A\n1|a|A\n|t|orphan\n2|t|T2\n3|a|stray\n";
        let out = read(text);
        assert_eq!(ids(&out), vec!["error line 5", "1", "error line 7", "2"]);
        assert_eq!(
            out[0].as_ref().unwrap_err().to_string(),
            "p.txt:5: record 1: a |t| line with an empty id (fix: every PubTator text line starts with the document id: `PMID|t|title`)"
        );
        let Ok(Record::Document(d)) = &out[1] else { panic!() };
        assert_eq!(d.sections.len(), 2);
    }

    #[test]
    fn empty_file_is_an_error() {
        let out = read(b"");
        assert_eq!(out[0].as_ref().unwrap_err().message, "the file is empty");
    }

    /// With annotations: each document's annotation lines, relations skipped; lines that break
    /// the format are reported (tagging skips them without a word).
    #[test]
    fn annotations_are_read_with_their_lines_and_problems_reported() {
        let text = b"1|t|Aspirin.\n1|a|Ulcers.\n1\t0\t7\tAspirin\tChemical\tMESH:D001241 \n1\tCID\tD1\tD2\n\n1\t0\t7\tAspirin\tChemical\tD1\n2|x|odd\n2|t|T\n2\t0\tone\tT\tDisease\tD2\n2\t0\t1\n";
        let out: Vec<Result<Annotated, InputError>> =
            PubtatorReader::with_annotations(&text[..], "g.txt", &InputOptions::default()).collect();
        let got: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(a) => format!(
                    "{}: {:?}",
                    a.doc.id,
                    a.annotations
                        .iter()
                        .map(|x| (x.start, x.end, x.text.as_str(), x.kind.as_str(), x.id.as_str(), x.line))
                        .collect::<Vec<_>>()
                ),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(
            got,
            [
                "g.txt:6: record 1: annotation for 1 outside its document (fix: annotation lines follow their document's title and abstract lines, before the blank line)",
                "g.txt:7: record 1 (id 2): unknown text line kind `|x|` (fix: PubTator text lines are `PMID|t|title` and `PMID|a|abstract`)",
                "1: [(0, 7, \"Aspirin\", \"Chemical\", \"MESH:D001241\", 3)]",
                "g.txt:9: record 2: the end offset \"one\" is not a number (fix: offsets are character counts from the start of the title)",
                "g.txt:10: record 2: annotation with 3 tab-separated columns (fix: write PMID, start, end, text, type and id separated by tabs)",
                "2: []",
            ]
        );
        assert_eq!(ids(&read(text)), vec!["1", "2"]);
    }
}
