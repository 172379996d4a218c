//! JSON Lines: one JSON object per line.
//!
//! The id comes from `--id-field` (default `id`; a string or a number). The text comes from
//! `--text-fields` (each field a section), by default `title` and `abstract`, or `text` when
//! neither is present. `year` (its four-digit year: `2020`, `"2020-05-01"`), `journal`, `doi` and
//! `pmid` are kept as metadata when present.
//! Blank lines are skipped.
//!
//! A record is read in one pass that keeps only the fields above, borrowed from the line where
//! they hold no escapes, and checks the rest as JSON without keeping it ([`Fields`]); a record
//! that this pass cannot take as it is (bad JSON, no id, a field of the wrong type) is read
//! again into a whole [`serde_json::Value`], which gives the error its message. (Every record
//! parsed into a `Value`, copied and looked up in its map: 0.46 G instructions of the 4.2 G of
//! tagging pubmed21n1298's text, BENCHMARKS.md, "Issue 19: the plain-text run".)

mod flat;

use std::borrow::Cow;
use std::fmt;
use std::io::BufRead;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use super::{InputError, InputOptions, Record};
use crate::diagnostic::Setting;
use crate::document::{Document, Origin, Section, SectionKind, year_in};

/// The metadata fields kept when present.
const META: [&str; 5] = ["year", "journal", "doi", "pmid", "title"];

pub struct JsonlReader {
    reader: Box<dyn BufRead + Send>,
    lines: Lines,
    line: u64,
    record: u64,
    /// A line that does not lie whole in the reader's buffer, gathered.
    buf: Vec<u8>,
    done: bool,
}

/// How a line becomes a document: the file's name and the fields to read.
struct Lines {
    path: String,
    opts: InputOptions,
    /// The names of the fields a record is read for: the id, the text fields (`title`,
    /// `abstract`, `text` when not named), the metadata; each once.
    wanted: Vec<String>,
    /// The text fields named by `--text-fields`, or `title` + `abstract`, and `text`: each
    /// with its section kind and its place in `wanted`.
    named: Option<Vec<TextField>>,
    title_abstract: [TextField; 2],
    text: [TextField; 1],
    /// The place of each of [`META`] in `wanted` (the id's is 0).
    meta: [usize; 5],
}

struct TextField {
    name: String,
    kind: SectionKind,
    slot: usize,
}

impl JsonlReader {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, opts: InputOptions) -> JsonlReader {
        let mut wanted: Vec<String> = Vec::new();
        let mut slot = |name: &str| match wanted.iter().position(|w| w == name) {
            Some(i) => i,
            None => {
                wanted.push(name.to_string());
                wanted.len() - 1
            }
        };
        // the id is slot 0
        slot(&opts.id_field);
        let mut field = |name: &str| TextField {
            name: name.to_string(),
            kind: SectionKind::of_label(name),
            slot: slot(name),
        };
        let named = opts.text_fields.as_ref().map(|f| f.iter().map(|n| field(n)).collect());
        let title_abstract = [field("title"), field("abstract")];
        let text = [field("text")];
        let meta = META.map(slot);
        JsonlReader {
            reader,
            lines: Lines {
                path,
                opts,
                wanted,
                named,
                title_abstract,
                text,
                meta,
            },
            line: 0,
            record: 0,
            buf: Vec::new(),
            done: false,
        }
    }
}

impl Lines {
    /// The record on one line, read for the fields it needs; None when it is not a record this
    /// way can take (then [`JsonlReader::parse`] reads it whole, and says what is wrong).
    fn parse_fields(&self, text: &str) -> Option<Document> {
        let fields = match flat::fields(text, &self.wanted) {
            Some(values) => Fields {
                names: &self.wanted,
                values,
            },
            None => self.serde_fields(text)?,
        };
        let id = match fields.get(0)? {
            Field::Str(s) if !s.trim().is_empty() => s.trim().to_string(),
            Field::Num(n) => n.to_string(),
            _ => return None,
        };
        let present = |f: &TextField| fields.get(f.slot).is_some();
        let text_fields: &[TextField] = match &self.named {
            Some(f) => f,
            None if self.title_abstract.iter().any(present) => &self.title_abstract,
            None => &self.text,
        };
        let mut sections = Vec::with_capacity(text_fields.len());
        for f in text_fields {
            match fields.get(f.slot) {
                Some(Field::Str(s)) => sections.push(Section::with_kind(f.name.clone(), f.kind, s.as_ref())),
                Some(Field::Null) | None => {}
                Some(_) => return None,
            }
        }
        if sections.is_empty() {
            return None;
        }
        let mut doc = Document::new(id, sections);
        let meta_str = |i: usize| match fields.get(self.meta[i]) {
            Some(Field::Str(s)) if !s.is_empty() => Some(s.to_string()),
            Some(Field::Num(n)) => Some(n.to_string()),
            _ => None,
        };
        set_meta(&mut doc, meta_str);
        Some(doc)
    }

    /// The fields of the record on one line as serde_json reads them; None when the line is
    /// not one JSON object.
    fn serde_fields<'a>(&self, text: &'a str) -> Option<Fields<'_, 'a>> {
        let mut de = serde_json::Deserializer::from_str(text);
        let fields = Fields::new(&self.wanted).deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(fields)
    }

    /// The record on line `line` (its `record`th), its white space trimmed.
    fn read(&self, bytes: &[u8], line: u64, record: u64) -> Result<Document, InputError> {
        // the check of the whole line 32 bytes a step (the standard library's: 21.4 M
        // instructions of the 1,979 M of tagging pubmed21n1298's text, BENCHMARKS.md,
        // "areader"); a line that fails it is read by `parse`, which says where
        let fast = simdutf8::basic::from_utf8(bytes)
            .ok()
            .and_then(|text| self.parse_fields(text));
        let mut doc = match fast {
            Some(doc) => doc,
            None => self.parse(bytes, line, record)?,
        };
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: Some(line),
            record,
        };
        Ok(doc)
    }

    /// The record read whole into a [`Value`]: what is wrong with it, with its place.
    fn parse(&self, bytes: &[u8], line: u64, record: u64) -> Result<Document, InputError> {
        let err = |msg: String| InputError::new(&self.path, msg).at_line(line).record(record);
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
        let meta_str = |i: usize| match obj.get(META[i]) {
            Some(Value::String(s)) if !s.is_empty() => Some(s.clone()),
            Some(Value::Number(n)) => Some(n.to_string()),
            _ => None,
        };
        set_meta(&mut doc, meta_str);
        Ok(doc)
    }
}

/// The metadata of `doc`: [`META`], each the non-empty string or the number `field(i)` gives
/// for `META[i]`.
fn set_meta(doc: &mut Document, field: impl Fn(usize) -> Option<String>) {
    let [year, journal, doi, pmid, title] = [0, 1, 2, 3, 4].map(field);
    doc.meta.year = year.as_deref().and_then(year_in);
    (doc.meta.journal, doc.meta.doi, doc.meta.pmid, doc.meta.title) = (journal, doi, pmid, title);
}

/// One kept field's value: what the record's reading looks at.
#[derive(Debug, PartialEq)]
enum Field<'a> {
    Str(Cow<'a, str>),
    Num(Number),
    Null,
    /// true, false, an array or an object (checked, not kept)
    Other,
}

/// The kept fields of one record, by their place in the names they were read for; the last of
/// a repeated name counts (as in a `serde_json::Map`).
struct Fields<'n, 'a> {
    names: &'n [String],
    values: Vec<Option<Field<'a>>>,
}

impl<'n, 'a> Fields<'n, 'a> {
    fn new(names: &'n [String]) -> Self {
        Fields {
            names,
            values: Vec::new(),
        }
    }

    fn get(&self, slot: usize) -> Option<&Field<'a>> {
        self.values.get(slot)?.as_ref()
    }
}

impl<'de, 'n> DeserializeSeed<'de> for Fields<'n, 'de> {
    type Value = Fields<'n, 'de>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, 'n> Visitor<'de> for Fields<'n, 'de> {
    type Value = Fields<'n, 'de>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<Self::Value, A::Error> {
        self.values.resize_with(self.names.len(), || None);
        while let Some(key) = map.next_key::<Str<'de>>()? {
            match self.names.iter().position(|n| *n == key.0) {
                Some(i) => self.values[i] = Some(map.next_value()?),
                None => {
                    map.next_value::<Skip>()?;
                }
            }
        }
        Ok(self)
    }
}

/// A key: a string, borrowed from the line when it holds no escapes.
struct Str<'a>(Cow<'a, str>);

impl<'de> de::Deserialize<'de> for Str<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Field::deserialize(d)? {
            Field::Str(s) => Ok(Str(s)),
            _ => Err(de::Error::custom("a key that is not a string")),
        }
    }
}

impl<'de> de::Deserialize<'de> for Field<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Field<'de>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(Field::Str(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(Field::Str(Cow::Owned(v.to_string())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(Field::Str(Cow::Owned(v)))
            }
            // numbers as `serde_json::Value` makes them
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                Ok(Field::Num(v.into()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                Ok(Field::Num(v.into()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                Ok(Number::from_f64(v).map_or(Field::Null, Field::Num))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(Field::Null)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Field::Other)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Skip::seq(seq).map(|_| Field::Other)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                Skip::map(map).map(|_| Field::Other)
            }
        }
        d.deserialize_any(V)
    }
}

/// A value read and checked as `serde_json::Value` reads it (its strings' escapes, its depth),
/// and not kept. (`serde::de::IgnoredAny` lets serde_json skip a value unchecked.)
struct Skip;

impl Skip {
    fn seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<Skip, A::Error> {
        while seq.next_element::<Skip>()?.is_some() {}
        Ok(Skip)
    }

    fn map<'de, A: MapAccess<'de>>(mut map: A) -> Result<Skip, A::Error> {
        while map.next_entry::<Skip, Skip>()?.is_some() {}
        Ok(Skip)
    }
}

impl<'de> de::Deserialize<'de> for Skip {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Skip;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("any JSON value")
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Skip, E> {
                Ok(Skip)
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Skip, A::Error> {
                Skip::seq(seq)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Skip, A::Error> {
                Skip::map(map)
            }
        }
        d.deserialize_any(V)
    }
}

impl Iterator for JsonlReader {
    type Item = Result<Record, InputError>;

    /// The next record. A line that lies whole in the reader's buffer (nearly every line) is
    /// read where it is; one across the buffer's end is gathered first. (`read_until` copied
    /// every line and found its end with the standard library's `memchr`: 41.6 M instructions
    /// of the 2,180 M of tagging pubmed21n1298's text, BENCHMARKS.md, "areader".)
    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.buf.clear();
        loop {
            let available = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    self.done = true;
                    return Some(Err(InputError::io(&self.lines.path, &e).at_line(self.line + 1)));
                }
            };
            let (line, used) = match memchr::memchr(b'\n', available) {
                Some(end) if self.buf.is_empty() => (&available[..end], end + 1),
                Some(end) => {
                    self.buf.extend_from_slice(&available[..end]);
                    (&self.buf[..], end + 1)
                }
                None if available.is_empty() && self.buf.is_empty() => {
                    self.done = true;
                    return None;
                }
                // the last line, without a line feed
                None if available.is_empty() => (&self.buf[..], 0),
                None => {
                    let n = available.len();
                    self.buf.extend_from_slice(available);
                    self.reader.consume(n);
                    continue;
                }
            };
            self.line += 1;
            let trimmed = line.trim_ascii();
            let out = (!trimmed.is_empty()).then(|| {
                self.record += 1;
                self.lines.read(trimmed, self.line, self.record)
            });
            self.reader.consume(used);
            self.buf.clear();
            if let Some(out) = out {
                return Some(out.map(Record::Document));
            }
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

    /// The one-pass reading takes a record exactly as the whole `Value` does, or leaves it to
    /// it (`taken` false): then the `Value` reading says what is wrong, or reads what the pass
    /// could not.
    #[test]
    fn the_kept_fields_read_as_the_whole_value() {
        let deep = format!(
            "{{\"id\": \"d\", \"text\": \"x\", \"x\": {}{}}}",
            "[".repeat(200),
            "]".repeat(200)
        );
        let cases: &[(&str, bool)] = &[
            (
                r#"{"id": "a", "title": "T", "abstract": "A", "year": "2019-03-02", "journal": "J"}"#,
                true,
            ),
            (r#"{"id": 7, "text": "X", "year": 2020, "doi": "", "pmid": 12}"#, true),
            (
                r#"{"id": "e", "title": "esc\u00e9 \"q\"", "abstract": null, "year": 2020.5}"#,
                true,
            ),
            (
                r#"{"id": 1, "id": " b ", "text": "x", "title": null, "abstract": "A", "other": [1, {"a": true}]}"#,
                true,
            ),
            (r#"{"\u0069d": "k", "text": "x", "te\u0078t": "y"}"#, true),
            (r#"{"id": 18446744073709551616, "text": "big", "journal": false}"#, true),
            (r#"{"id": "n", "title": null}"#, false),
            (r#"{"id": "f", "title": true, "abstract": "A"}"#, false),
            (r#"{"id": [1], "text": "x"}"#, false),
            (r#"{"id": "  ", "text": "x"}"#, false),
            (r#"{"text": "x"}"#, false),
            (r#"{"id": "g", "text": "x"} trailing"#, false),
            (r#"{"id": "h", "text": "x", "x": "\ud800"}"#, false),
            (&deep, false),
            (r#"[1]"#, false),
        ];
        for opts in [
            InputOptions::default(),
            InputOptions {
                id_field: "pmid".into(),
                text_fields: Some(vec!["title".into(), "x".into()]),
                ..Default::default()
            },
        ] {
            let named = opts.text_fields.is_some();
            let reader = JsonlReader::new(Box::new(std::io::empty()), "t.jsonl".into(), opts);
            for &(line, taken) in cases {
                let whole = reader.lines.parse(line.as_bytes(), 1, 1).map_err(|e| e.to_string());
                match reader.lines.parse_fields(line) {
                    Some(doc) => assert_eq!(Ok(doc), whole, "{line}"),
                    None => assert!(named || !taken, "not taken: {line}"),
                }
                if !named {
                    assert_eq!(reader.lines.parse_fields(line).is_some(), taken, "{line}");
                }
            }
        }
    }

    /// Lines read where they lie in the reader's buffer or gathered across its end give the
    /// same records at the same lines: CRLF, blank lines, a last line without a line feed, a
    /// line longer than the buffer, a bad line between good ones.
    #[test]
    fn lines_across_the_buffer_read_the_same() {
        let long = "é".repeat(5000);
        let text = format!(
            "{{\"id\": \"a\", \"text\": \"x\"}}\r\n\r\n  \n{{\"id\": \"b\", \"text\": \"{long}\"}}\n{{bad\n\t{{\"id\": \"c\", \"text\": \"y\\n\"}}  \r\n{{\"id\": 4, \"text\": \"z\"}}"
        );
        let summary = |out: Vec<Result<Record, InputError>>| -> Vec<String> {
            out.into_iter()
                .map(|r| match r {
                    Ok(Record::Document(d)) => format!(
                        "{} {:?} {} {}",
                        d.id,
                        d.origin.line,
                        d.origin.record,
                        d.sections[0].text.len()
                    ),
                    Ok(other) => format!("{other:?}"),
                    Err(e) => e.to_string(),
                })
                .collect()
        };
        let want = vec![
            "a Some(1) 1 1".to_string(),
            format!("b Some(4) 2 {}", long.len()),
            "t.jsonl:5: record 3: invalid JSON at column 2: key must be a string at line 1 column 2".into(),
            "c Some(6) 4 2".into(),
            "4 Some(7) 5 1".into(),
        ];
        for capacity in [1, 2, 3, 7, 64, 1 << 20] {
            let reader = std::io::BufReader::with_capacity(capacity, std::io::Cursor::new(text.clone().into_bytes()));
            let out = JsonlReader::new(Box::new(reader), "t.jsonl".into(), InputOptions::default()).collect();
            assert_eq!(summary(out), want, "capacity {capacity}");
        }
    }

    /// Bytes that are not UTF-8 inside a string (a byte no UTF-8 holds, a lone continuation
    /// byte, an overlong form, an encoded surrogate, a cut sequence, past U+10FFFF) make the
    /// record an error at its byte, and the next record is read.
    #[test]
    fn every_kind_of_invalid_utf8_is_found() {
        let cases: [(&[u8], usize); 7] = [
            (b"\xff", 21),
            (b"\x80", 21),
            (b"\xc0\xaf", 21),
            (b"\xed\xa0\x80", 21),
            (b"ok\xe2\x82", 23),
            (b"\xf4\x90\x80\x80", 21),
            (b"\xce\xb1\xff", 23),
        ];
        for (bad, at) in cases {
            let mut bytes = b"{\"id\": \"a\", \"text\": \"".to_vec();
            bytes.extend_from_slice(bad);
            bytes.extend_from_slice(b"\"}\n{\"id\": \"b\", \"text\": \"\xce\xb1\"}\n");
            let out: Vec<_> = JsonlReader::new(
                Box::new(std::io::Cursor::new(bytes)),
                "t.jsonl".into(),
                InputOptions::default(),
            )
            .collect();
            assert_eq!(
                out[0].as_ref().unwrap_err().to_string(),
                format!("t.jsonl:1: record 1: invalid UTF-8 at byte {at} of the line (fix: save the file as UTF-8)"),
                "{bad:?}"
            );
            assert!(matches!(&out[1], Ok(Record::Document(d)) if d.sections[0].text == "α"));
        }
    }
}
