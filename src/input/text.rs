//! Plain text: the whole file is one document, its id the file stem, its one section `text`.

use std::io::{BufRead, Read};
use std::path::Path;

use super::{InputError, Record, file_stem_id};
use crate::document::{Document, Origin, Section};

pub struct TextReader {
    reader: Option<Box<dyn BufRead + Send>>,
    path: String,
    id: String,
}

impl TextReader {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, file: &Path) -> TextReader {
        TextReader {
            reader: Some(reader),
            path,
            id: file_stem_id(file),
        }
    }
}

impl Iterator for TextReader {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut reader = self.reader.take()?;
        let mut bytes = Vec::new();
        if let Err(e) = reader.read_to_end(&mut bytes) {
            return Some(Err(InputError::io(&self.path, &e).id(self.id.clone())));
        }
        Some(match String::from_utf8(bytes) {
            Ok(text) => {
                let mut doc = Document::new(self.id.clone(), vec![Section::new("text", text)]);
                doc.origin = Origin {
                    path: self.path.clone().into(),
                    line: Some(1),
                    record: 1,
                };
                Ok(Record::Document(doc))
            }
            Err(e) => {
                let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
                let line = valid.iter().filter(|&&b| b == b'\n').count() as u64 + 1;
                Err(
                    InputError::new(&self.path, format!("invalid UTF-8 at byte {}", valid.len()))
                        .at_line(line)
                        .record(1)
                        .id(self.id.clone())
                        .fix("save the file as UTF-8 (iconv -f latin1 -t utf-8 converts Latin-1)"),
                )
            }
        })
    }
}
