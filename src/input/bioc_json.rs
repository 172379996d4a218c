//! BioC JSON: the JSON form of BioC that PubTator and BioC-PMC serve.
//!
//! # The format
//!
//! ```text
//! {"source": "PMC", "date": "20240101", "key": "pmc.key", "infons": {},
//!  "documents": [
//!    {"id": "PMC5968224", "infons": {"license": "CC BY"},
//!     "passages": [{"offset": 0, "infons": {"section_type": "TITLE", "type": "front", ...},
//!                   "text": "...", "sentences": [], "annotations": [], "relations": []}, ...],
//!     "relations": []}]}
//! ```
//!
//! A file may hold one collection, an array of collections (what the BioC-PMC API answers), an
//! object whose array holds the documents (`{"PubTator3": [...]}`), one document, or several of
//! these one after the other (JSON Lines). A collection's documents are read one at a time, as
//! the file streams. Each document becomes a [`crate::Document`] as in BioC XML
//! ([`super::bioc_passages`]: passage types for abstracts, `section_type` for full text).
//!
//! # Errors
//!
//! A document without an id is reported and skipped. Malformed JSON stops the file (JSON cannot
//! be resynchronised), with its line and column; the documents before it stand.

use std::fmt;
use std::io::{self, BufRead, Read};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use serde::de::{self, DeserializeSeed, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::Value;

use super::bioc_passages::Passages;
use super::fulltext::Include;
use super::{InputError, InputOptions, Record};
use crate::document::Origin;

/// Records the parsing thread may hold ready.
const AHEAD: usize = 32;

/// The message of the error a visitor returns when the caller stopped reading.
const STOPPED: &str = "coagtag: the reader was dropped";

/// A BioC JSON reader: the file is parsed on a thread of its own, a document at a time.
pub struct BiocJsonReader {
    rx: Receiver<Result<Record, InputError>>,
}

impl BiocJsonReader {
    pub fn new(reader: Box<dyn BufRead + Send>, path: String, opts: &InputOptions) -> BiocJsonReader {
        let (tx, rx) = sync_channel(AHEAD);
        let include = opts.full_text;
        std::thread::spawn(move || parse(reader, &path, include, &tx));
        BiocJsonReader { rx }
    }
}

impl Iterator for BiocJsonReader {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.rx.recv().ok()
    }
}

/// Counts the bytes and lines read, for positions in messages.
struct Counting<R> {
    inner: R,
    bytes: u64,
    lines: u64,
}

impl<R: BufRead> Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bytes += n as u64;
        self.lines += buf[..n].iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }
}

/// What the visitors share: where documents go and how many there were.
struct Sink<'a> {
    tx: &'a SyncSender<Result<Record, InputError>>,
    path: &'a str,
    include: Include,
    record: u64,
}

impl Sink<'_> {
    /// Turn a document value into a record and send it; `false` once the caller stopped.
    fn document(&mut self, v: Value) -> bool {
        self.record += 1;
        let rec = to_document(v, self.include).map_err(|msg| {
            InputError::new(self.path, msg)
                .record(self.record)
                .fix("every BioC document needs an \"id\" and its \"passages\"")
        });
        let rec = rec.map(|mut d| {
            d.origin = Origin {
                path: self.path.into(),
                line: None,
                record: self.record,
            };
            Record::Document(d)
        });
        self.tx.send(rec).is_ok()
    }

    /// A value that is a document, a collection, or an array of them.
    fn value(&mut self, v: Value) -> bool {
        match v {
            Value::Array(items) => items.into_iter().all(|i| self.value(i)),
            Value::Object(mut o) => {
                if o.contains_key("passages") {
                    return self.document(Value::Object(o));
                }
                match o.remove("documents") {
                    Some(docs) => self.value(docs),
                    None => true,
                }
            }
            _ => true,
        }
    }
}

fn to_document(v: Value, include: Include) -> Result<crate::Document, String> {
    let Value::Object(o) = v else {
        return Err("a document is not a JSON object".into());
    };
    let id = match o.get("id") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Err("the document has no \"id\"".into()),
    };
    let mut p = Passages::new(include);
    if let Some(Value::Object(infons)) = o.get("infons") {
        for (k, v) in infons {
            if let Some(s) = scalar(v) {
                p.document_infon(k, &s);
            }
        }
    }
    let passages = match o.get("passages") {
        Some(Value::Array(a)) => a.as_slice(),
        _ => &[],
    };
    for passage in passages {
        let Value::Object(po) = passage else { continue };
        let text = match po.get("text") {
            Some(Value::String(s)) => s.clone(),
            _ => continue,
        };
        let infons: Vec<(String, String)> = match po.get("infons") {
            Some(Value::Object(m)) => m
                .iter()
                .filter_map(|(k, v)| scalar(v).map(|s| (k.clone(), s)))
                .collect(),
            _ => Vec::new(),
        };
        p.add(
            |k| infons.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()),
            text,
        );
    }
    Ok(p.finish(id))
}

/// An infon's value as text (BioC infons are strings; numbers are written as they are).
fn scalar(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Parse every top-level value of the file.
fn parse(reader: Box<dyn BufRead + Send>, path: &str, include: Include, tx: &SyncSender<Result<Record, InputError>>) {
    let mut src = Counting {
        inner: reader,
        bytes: 0,
        lines: 0,
    };
    let mut sink = Sink {
        tx,
        path,
        include,
        record: 0,
    };
    let mut values = 0u64;
    loop {
        // skip white space up to the next value, or the end
        let at_end = loop {
            let buf = match src.inner.fill_buf() {
                Ok(b) => b,
                Err(e) => {
                    let _ = tx.send(Err(InputError::io(path, &e)));
                    return;
                }
            };
            if buf.is_empty() {
                break true;
            }
            let ws = buf.iter().take_while(|b| b.is_ascii_whitespace()).count();
            let lines = buf[..ws].iter().filter(|&&b| b == b'\n').count() as u64;
            let done = ws < buf.len();
            src.inner.consume(ws);
            src.bytes += ws as u64;
            src.lines += lines;
            if done {
                break false;
            }
        };
        if at_end {
            if values == 0 {
                let _ = tx.send(Err(InputError::new(path, "the file is empty")
                    .fatal()
                    .fix("a BioC JSON file holds a collection {\"documents\": [...]} of documents")));
            }
            return;
        }
        values += 1;
        let line0 = src.lines;
        let mut de = serde_json::Deserializer::from_reader(&mut src);
        let result = Top(&mut sink).deserialize(&mut de);
        if let Err(e) = result {
            if e.to_string().starts_with(STOPPED) {
                return;
            }
            let line = line0 + e.line() as u64;
            let msg = if e.is_eof() {
                "the file ends inside a JSON value: it is truncated".to_string()
            } else {
                format!("invalid JSON at column {}: {e}", e.column())
            };
            let mut err = InputError::new(path, msg).at_line(line).fatal();
            err = if e.is_eof() {
                err.fix("download the file again")
            } else {
                err.fix("check that this is BioC JSON")
            };
            let _ = tx.send(Err(err));
            return;
        }
    }
}

/// A top-level value: a collection (its documents streamed), a document, an array of them.
struct Top<'s, 'a>(&'s mut Sink<'a>);

impl<'de> DeserializeSeed<'de> for Top<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(TopVisitor(self.0))
    }
}

struct TopVisitor<'s, 'a>(&'s mut Sink<'a>);

fn stopped<E: de::Error>() -> E {
    E::custom(STOPPED)
}

/// Hand each element of an array of documents to the sink, one at a time.
fn documents_of<'de, A: SeqAccess<'de>>(sink: &mut Sink<'_>, mut seq: A) -> Result<(), A::Error> {
    while let Some(v) = seq.next_element::<Value>()? {
        if !sink.value(v) {
            return Err(stopped());
        }
    }
    Ok(())
}

impl<'de> Visitor<'de> for TopVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a BioC collection, document, or an array of them")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        documents_of(self.0, seq)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        // a document's fields are kept; a collection's documents are streamed
        let mut fields = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" | "infons" | "passages" => {
                    let v: Value = map.next_value()?;
                    fields.insert(key, v);
                }
                "source" | "date" | "key" | "version" | "relations" | "annotations" => {
                    map.next_value::<IgnoredAny>()?;
                }
                _ => map.next_value_seed(Documents(self.0))?,
            }
        }
        if fields.contains_key("passages") && !self.0.document(Value::Object(fields)) {
            return Err(stopped());
        }
        Ok(())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Err(E::custom("a string is not BioC JSON"))
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Err(E::custom("a number is not BioC JSON"))
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Err(E::custom("a number is not BioC JSON"))
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Err(E::custom("a number is not BioC JSON"))
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Err(E::custom("a boolean is not BioC JSON"))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Err(E::custom("null is not BioC JSON"))
    }
}

/// The value of a collection's `documents` (or any other array key): each element in turn.
struct Documents<'s, 'a>(&'s mut Sink<'a>);

impl<'de> DeserializeSeed<'de> for Documents<'_, '_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(DocumentsVisitor(self.0))
    }
}

struct DocumentsVisitor<'s, 'a>(&'s mut Sink<'a>);

impl<'de> Visitor<'de> for DocumentsVisitor<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("an array of BioC documents")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        documents_of(self.0, seq)
    }

    // anything else under another key is not documents: passed over
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(())
    }
    fn visit_str<E: de::Error>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E: de::Error>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E: de::Error>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E: de::Error>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_bool<E: de::Error>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::SectionKind;

    fn read(text: &str) -> Vec<Result<Record, InputError>> {
        BiocJsonReader::new(
            Box::new(std::io::Cursor::new(text.as_bytes().to_vec())),
            "b.json".into(),
            &InputOptions::default(),
        )
        .collect()
    }

    fn ids(out: &[Result<Record, InputError>]) -> Vec<String> {
        out.iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => d.id.clone(),
                Ok(other) => format!("{other:?}"),
                Err(e) => format!("error: {e}"),
            })
            .collect()
    }

    const DOC: &str = r#"{"id": "PMC1", "infons": {"license": "CC BY"}, "passages": [
        {"offset": 0, "infons": {"section_type": "TITLE", "type": "front", "article-id_pmc": "1", "article-id_pmid": "11"}, "text": "Title", "annotations": []},
        {"offset": 6, "infons": {"section_type": "RESULTS", "type": "paragraph"}, "text": "Platelets rose.", "annotations": []},
        {"offset": 22, "infons": {"section_type": "REF", "type": "ref"}, "text": "A cited sepsis paper."}]}"#;

    #[test]
    fn every_shape_of_file_gives_its_documents() {
        let collection =
            format!(r#"{{"source": "PMC", "date": "2024", "key": "k", "infons": {{}}, "documents": [{DOC}, {DOC}]}}"#);
        assert_eq!(ids(&read(&collection)), ["PMC1", "PMC1"]);
        assert_eq!(ids(&read(&format!("[{collection}]"))), ["PMC1", "PMC1"]);
        assert_eq!(ids(&read(&format!(r#"{{"PubTator3": [{DOC}]}}"#))), ["PMC1"]);
        assert_eq!(ids(&read(DOC)), ["PMC1"]);
        let lines = format!("{}\n{}\n", DOC.replace('\n', " "), DOC.replace('\n', " "));
        assert_eq!(ids(&read(&lines)), ["PMC1", "PMC1"]);
        let Ok(Record::Document(d)) = &read(DOC)[0] else {
            panic!()
        };
        assert_eq!(d.meta.pmid.as_deref(), Some("11"));
        assert_eq!(d.meta.licence.as_deref(), Some("CC BY"));
        let kinds: Vec<SectionKind> = d.sections.iter().map(|s| s.kind).collect();
        assert_eq!(kinds, [SectionKind::Title, SectionKind::Results]);
    }

    #[test]
    fn problems_are_reported_with_their_place() {
        let out = read(
            r#"{"documents": [{"passages": []}, {"id": 7, "passages": [{"infons": {"type": "title"}, "text": "T"}]}]}"#,
        );
        assert_eq!(
            ids(&out),
            [
                "error: b.json: record 1: the document has no \"id\" (fix: every BioC document needs an \"id\" and its \"passages\")",
                "7"
            ]
        );
        let out = read("{\"documents\": [\n{\"id\": \"1\", \"passages\": []},\n{\"id\": ");
        assert_eq!(
            ids(&out),
            [
                "1",
                "error: b.json:3: the file ends inside a JSON value: it is truncated (fix: download the file again)"
            ]
        );
        let out = read("");
        assert_eq!(
            ids(&out),
            [
                "error: b.json: the file is empty (fix: a BioC JSON file holds a collection {\"documents\": [...]} of documents)"
            ]
        );
        let out = read("{\"documents\": [}");
        assert!(
            ids(&out)[0].starts_with("error: b.json:1: invalid JSON at column 16"),
            "{:?}",
            ids(&out)
        );
    }
}
