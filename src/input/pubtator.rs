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
//! [`PubtatorTextReader`] yields one [`Document`] per PMID with sections `title` and `abstract`
//! and ignores annotation lines; it is the input side of the tagger. (Gold annotations are parsed
//! separately by the evaluation code.) A line repeated verbatim is read once; a `|t|` or `|a|`
//! line with an empty id, or an `|a|` line whose id is not the current document's, is reported
//! with its line number and skipped.

use std::io::BufRead;

use super::limit::{Limited, human_size};
use super::{InputError, InputOptions, Record};
use crate::document::{Document, Origin, Section};

/// A streaming reader of PubTator title and abstract lines.
pub struct PubtatorTextReader<R: BufRead> {
    reader: Limited<R>,
    path: String,
    line: u64,
    record: u64,
    buf: Vec<u8>,
    done: bool,
    /// The document being read.
    current: Option<Document>,
    /// A finished document or error waiting to be returned after the one before it.
    queued: Option<Result<Record, InputError>>,
}

impl<R: BufRead> PubtatorTextReader<R> {
    pub fn new(reader: R, path: impl Into<String>, opts: &InputOptions) -> PubtatorTextReader<R> {
        PubtatorTextReader {
            reader: Limited::new(reader, opts.max_record_bytes),
            path: path.into(),
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
            current: None,
            queued: None,
        }
    }

    fn start(&mut self, id: &str, title: &str) -> Option<Document> {
        self.record += 1;
        let mut doc = Document::new(id, vec![Section::new("title", title)]);
        doc.meta.pmid = Some(id.to_string());
        doc.meta.title = Some(title.to_string()).filter(|t| !t.is_empty());
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: Some(self.line),
            record: self.record,
        };
        self.current.replace(doc)
    }

    fn error(&self, message: impl Into<String>) -> InputError {
        InputError::new(&self.path, message).at_line(self.line)
    }

    /// Handle one line; returns a finished record, if the line finished one.
    fn line(&mut self, line: &str) -> Option<Result<Record, InputError>> {
        let text_line = line.split_once('|').and_then(|(id, rest)| {
            let (kind, text) = rest.split_once('|')?;
            matches!(kind, "t" | "a").then_some((id, kind, text))
        });
        let Some((id, kind, text)) = text_line else {
            // Annotation lines, relation lines and anything else are not text.
            return None;
        };
        if id.trim().is_empty() {
            return Some(Err(self
                .error(format!("a |{kind}| line with an empty id"))
                .fix("every PubTator text line starts with the document id: `PMID|t|title`")));
        }
        let id = id.trim();
        let current = self.current.as_ref().map(|d| (d.id.as_str(), d.sections.len()));
        match (kind, current) {
            ("t", Some((cur, _))) if cur == id && self.current.as_ref().is_some_and(|d| d.sections[0].text == text) => {
                None
            }
            ("t", _) => self.start(id, text).map(|d| Ok(Record::Document(d))),
            ("a", Some((cur, 1))) if cur == id => {
                if let Some(d) = self.current.as_mut() {
                    d.sections.push(Section::new("abstract", text));
                }
                None
            }
            ("a", Some((cur, _))) if cur == id && self.current.as_ref().is_some_and(|d| d.sections[1].text == text) => {
                None
            }
            ("a", _) => Some(Err(self
                .error(format!(
                    "an abstract line for id {id} that does not follow its title line"
                ))
                .id(id)
                .fix("each document is `PMID|t|title` followed by `PMID|a|abstract`"))),
            _ => None,
        }
    }
}

impl<R: BufRead> Iterator for PubtatorTextReader<R> {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if let Some(q) = self.queued.take() {
            return Some(q);
        }
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
                    if let Some(d) = &self.current
                        && e.id.as_deref().is_none_or(|id| id == d.id)
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
        self.current.take().map(|d| Ok(Record::Document(d)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &[u8]) -> Vec<Result<Record, InputError>> {
        PubtatorTextReader::new(text, "p.txt", &InputOptions::default()).collect()
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
}
