//! JSON Lines: one JSON object per line.
//!
//! The id comes from `--id-field` (default `id`; a string or a number). The text comes from
//! `--text-fields` (each field a section), by default `title` and `abstract`, or `text` when
//! neither is present. `year` (its four-digit year: `2020`, `"2020-05-01"`), `journal`, `doi` and
//! `pmid` are kept as metadata when present.
//! Blank lines are skipped.

use std::io::BufRead;

use serde_json::Value;

use super::{InputError, InputOptions, Record};
use crate::diagnostic::Setting;
use crate::document::{Document, Origin, Section, year_in};

pub struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    path: String,
    opts: InputOptions,
    line: u64,
    record: u64,
    buf: Vec<u8>,
    done: bool,
}

impl JsonlReader {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, opts: InputOptions) -> JsonlReader {
        JsonlReader {
            reader,
            path,
            opts,
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
        }
    }

    fn parse(&self, bytes: &[u8]) -> Result<Document, InputError> {
        let err = |msg: String| InputError::new(&self.path, msg).at_line(self.line).record(self.record);
        let text = std::str::from_utf8(bytes).map_err(|e| {
            err(format!("invalid UTF-8 at byte {} of the line", e.valid_up_to())).fix("save the file as UTF-8")
        })?;
        let value: Value =
            serde_json::from_str(text).map_err(|e| err(format!("invalid JSON at column {}: {e}", e.column())))?;
        let Value::Object(obj) = value else {
            return Err(err("the line is not a JSON object".into()).fix("write one {...} object per line"));
        };
        let id = match obj.get(&self.opts.id_field) {
            Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
            Some(Value::Number(n)) => n.to_string(),
            Some(_) => {
                return Err(err(format!(
                    "the id field {:?} is empty or not a string or number",
                    self.opts.id_field
                )));
            }
            None => {
                let keys: Vec<&String> = obj.keys().collect();
                return Err(err(format!("no id field {:?} (fields: {keys:?})", self.opts.id_field))
                    .fix("name the id field")
                    .setting(Setting::IdField(None)));
            }
        };
        let fields: Vec<String> = match &self.opts.text_fields {
            Some(f) => f.clone(),
            None if obj.contains_key("title") || obj.contains_key("abstract") => {
                vec!["title".into(), "abstract".into()]
            }
            None => vec!["text".into()],
        };
        let mut sections = Vec::new();
        let mut any = false;
        for f in &fields {
            match obj.get(f) {
                Some(Value::String(s)) => {
                    any = true;
                    sections.push(Section::new(f.clone(), s.clone()));
                }
                Some(Value::Null) | None => {}
                Some(_) => return Err(err(format!("field {f:?} is not a string")).id(id)),
            }
        }
        if !any {
            let keys: Vec<&String> = obj.keys().collect();
            return Err(err(format!(
                "none of the text fields {fields:?} is present (fields: {keys:?})"
            ))
            .id(id)
            .fix("name the text fields")
            .setting(Setting::TextFields));
        }
        let mut doc = Document::new(id, sections);
        let meta_str = |k: &str| match obj.get(k) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        doc.meta.year = meta_str("year").as_deref().and_then(year_in);
        doc.meta.journal = meta_str("journal");
        doc.meta.doi = meta_str("doi");
        doc.meta.pmid = meta_str("pmid");
        doc.meta.title = meta_str("title");
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: Some(self.line),
            record: self.record,
        };
        Ok(doc)
    }
}

impl Iterator for JsonlReader {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        loop {
            self.buf.clear();
            match self.reader.read_until(b'\n', &mut self.buf) {
                Ok(0) => {
                    self.done = true;
                    return None;
                }
                Ok(_) => {}
                Err(e) => {
                    self.done = true;
                    return Some(Err(InputError::io(&self.path, &e).at_line(self.line + 1)));
                }
            }
            self.line += 1;
            let bytes = std::mem::take(&mut self.buf);
            let trimmed = bytes.trim_ascii();
            if trimmed.is_empty() {
                self.buf = bytes;
                continue;
            }
            self.record += 1;
            let out = self.parse(trimmed).map(Record::Document);
            self.buf = bytes;
            return Some(out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, opts: InputOptions) -> Vec<Result<Record, InputError>> {
        JsonlReader::new(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            "t.jsonl".into(),
            opts,
        )
        .collect()
    }

    #[test]
    fn reads_title_abstract_text_and_numbers() {
        let out = read(
            "{\"id\": \"a\", \"title\": \"T\", \"abstract\": \"A\", \"year\": \"2019-03-02\"}\n\n{\"id\": 7, \"text\": \"X\", \"year\": 2020}\n",
            InputOptions::default(),
        );
        assert_eq!(out.len(), 2);
        let Ok(Record::Document(d)) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(d.id, "a");
        assert_eq!(
            d.sections,
            vec![Section::new("title", "T"), Section::new("abstract", "A")]
        );
        assert_eq!(d.origin.line, Some(1));
        // a date: its year
        assert_eq!(d.meta.year.as_deref(), Some("2019"));
        let Ok(Record::Document(d)) = &out[1] else {
            panic!("{out:?}")
        };
        assert_eq!(d.id, "7");
        assert_eq!(d.sections, vec![Section::new("text", "X")]);
        assert_eq!(d.meta.year.as_deref(), Some("2020"));
        assert_eq!(d.origin.line, Some(3));
    }

    #[test]
    fn bad_lines_are_reported_with_line_and_skipped() {
        let out = read(
            "{\"id\": \"a\", \"text\": \"ok\"}\n{not json\n[1]\n{\"text\": \"no id\"}\n{\"id\": \"b\", \"body\": \"x\"}\n{\"id\": \"c\", \"text\": \"ok\"}\n",
            InputOptions::default(),
        );
        let msgs: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => format!("doc {}", d.id),
                Ok(other) => format!("{other:?}"),
                Err(e) => e.to_string(),
            })
            .collect();
        assert_eq!(msgs[0], "doc a");
        assert!(
            msgs[1].starts_with("t.jsonl:2: record 2: invalid JSON at column 2"),
            "{}",
            msgs[1]
        );
        assert_eq!(
            msgs[2],
            "t.jsonl:3: record 3: the line is not a JSON object (fix: write one {...} object per line)"
        );
        assert_eq!(
            msgs[3],
            "t.jsonl:4: record 4: no id field \"id\" (fields: [\"text\"]) (fix: name the id field)"
        );
        assert_eq!(
            msgs[4],
            "t.jsonl:5: record 5 (id b): none of the text fields [\"text\"] is present (fields: [\"body\", \"id\"]) (fix: name the text fields)"
        );
        assert_eq!(msgs[5], "doc c");
    }

    #[test]
    fn configurable_fields() {
        let opts = InputOptions {
            id_field: "pmid".into(),
            text_fields: Some(vec!["body".into()]),
            ..Default::default()
        };
        let out = read("{\"pmid\": \"9\", \"body\": \"B\"}\n", opts);
        let Ok(Record::Document(d)) = &out[0] else { panic!() };
        assert_eq!((d.id.as_str(), d.sections[0].name.as_str()), ("9", "body"));
    }

    #[test]
    fn invalid_utf8_is_one_skipped_record() {
        let mut bytes = b"{\"id\": \"a\", \"text\": \"\xff\"}\n".to_vec();
        bytes.extend_from_slice(b"{\"id\": \"b\", \"text\": \"ok\"}\n");
        let out: Vec<_> = JsonlReader::new(
            Box::new(std::io::Cursor::new(bytes)),
            "t.jsonl".into(),
            InputOptions::default(),
        )
        .collect();
        assert_eq!(
            out[0].as_ref().unwrap_err().to_string(),
            "t.jsonl:1: record 1: invalid UTF-8 at byte 21 of the line (fix: save the file as UTF-8)"
        );
        assert!(matches!(&out[1], Ok(Record::Document(d)) if d.id == "b"));
    }
}
