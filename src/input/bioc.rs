//! BioC XML: the exchange format of the BioCreative corpora.
//!
//! # The format
//!
//! ```text
//! <collection> <source>PubTator</source> <date/> <key/>
//!   <document> <id>227508</id>
//!     <passage> <infon key="type">title</infon> <offset>0</offset>
//!       <text>Naloxone reverses the antihypertensive effect of clonidine.</text>
//!       <annotation id="0"> ... <location offset="0" length="8"/> <text>Naloxone</text> </annotation>
//!     </passage>
//!     <passage> <infon key="type">abstract</infon> <offset>60</offset> <text>...</text> </passage>
//!     <relation> ... </relation>
//!   </document>
//! </collection>
//! ```
//!
//! # What a document becomes
//!
//! A [`Document`] with the BioC id, one section per passage that has a `<text>` (annotation texts
//! are not passage text), named by the passage's `type` infon (`title`, `abstract`, ...; else
//! `passage`), or for BioC-PMC full text by its `section_type` and headings
//! ([`super::bioc_passages`]). Passage text is kept as written (BioC offsets count its
//! characters), entities decoded. Errors and resynchronisation work as in [`super::pubmed`].

use std::io::BufRead;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::bioc_passages::Passages;
use super::fulltext::Include;
use super::limit::{Limited, human_size};
use super::xml::{self, Prefixed};
use super::{InputError, InputOptions, Record};
use crate::diagnostic::Setting;
use crate::document::{Document, Origin};

fn parser<R: BufRead>(input: Limited<Prefixed<R>>) -> Reader<Limited<Prefixed<R>>> {
    let mut xml = Reader::from_reader(input);
    let config = xml.config_mut();
    config.allow_unmatched_ends = true;
    config.trim_text(false);
    xml
}

/// A streaming BioC XML reader.
pub struct BiocReader<R: BufRead> {
    xml: Option<Reader<Limited<Prefixed<R>>>>,
    base: u64,
    buf: Vec<u8>,
    path: String,
    record: u64,
    started: bool,
    done: bool,
    resync: bool,
    include: Include,
}

impl<R: BufRead> BiocReader<R> {
    pub fn new(reader: R, path: impl Into<String>, opts: &InputOptions) -> BiocReader<R> {
        BiocReader {
            xml: Some(parser(Limited::new(Prefixed::new(reader), opts.max_record_bytes))),
            base: 0,
            buf: Vec::with_capacity(16 * 1024),
            path: path.into(),
            record: 0,
            started: false,
            done: false,
            resync: false,
            include: opts.full_text,
        }
    }

    fn pos(&self) -> u64 {
        self.base + self.xml.as_ref().map_or(0, |x| x.buffer_position())
    }

    /// The error for a root element other than `<collection>`, with the format it looks like.
    fn wrong_root(&self, root: &str) -> InputError {
        let (fix, format) = if matches!(root, "PubmedArticleSet" | "MedlineCitationSet") {
            ("this is PubMed XML; read it with the PubMed reader", Some("pubmed"))
        } else {
            ("check the file, or name its format", None)
        };
        self.err(format!(
            "the root element is <{root}>, not <collection>: this is not BioC XML"
        ))
        .fatal()
        .fix(fix)
        .setting(Setting::Format(format))
    }

    fn err(&self, message: impl Into<String>) -> InputError {
        InputError::new(&self.path, message).at_byte(self.pos())
    }

    fn xml_error(&self, e: &quick_xml::Error) -> InputError {
        let limited = self.xml.as_ref().map(|x| x.get_ref());
        if let Some(l) = limited.filter(|l| l.exceeded()) {
            return self
                .err(format!(
                    "a document is larger than {} (is this really BioC?)",
                    human_size(l.limit())
                ))
                .fatal()
                .fix("check the file");
        }
        match e {
            quick_xml::Error::Io(io) => InputError::io(&self.path, io).at_byte(self.pos()),
            quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => {
                let at = self.base + self.xml.as_ref().map_or(0, |x| x.error_position());
                self.err(xml::describe(e)).at_byte(at)
            }
            _ => self.err(xml::describe(e)),
        }
    }

    /// Scan to the next `<document` and start a fresh parser there.
    fn resync(&mut self) -> bool {
        let Some(xml) = self.xml.take() else { return false };
        let mut limited = xml.into_inner();
        limited.mark();
        let found = xml::scan_to_start(limited.get_mut(), |n| n == "document")
            .ok()
            .flatten();
        if found.is_none() {
            return false;
        }
        limited.get_mut().put_back(b"<document");
        self.base = limited.get_mut().start_of_put_back();
        self.xml = Some(parser(limited));
        true
    }

    /// Read up to the next `<document>` start; `Ok(false)` at the end.
    fn next_document(&mut self, buf: &mut Vec<u8>) -> Result<bool, InputError> {
        loop {
            buf.clear();
            let xml = self.xml.as_mut().expect("parser present outside resync");
            let ev = xml.read_event_into(buf);
            match ev {
                Ok(Event::Start(e)) => match e.name().as_ref() {
                    "collection" if !self.started => self.started = true,
                    "document" => return Ok(true),
                    "collection" => return Err(self.err("a second <collection>").fatal()),
                    // source, date, key, infon: collection metadata.
                    other if self.started => {
                        let end = other.to_string();
                        let xml = self.xml.as_mut().expect("parser present");
                        if let Err(e) = xml.read_to_end_into(quick_xml::name::QName(&end), &mut Vec::new()) {
                            return Err(self.xml_error(&e));
                        }
                    }
                    other => return Err(self.wrong_root(other)),
                },
                Ok(Event::End(e)) if e.name().as_ref() == "collection" => return Ok(false),
                Ok(Event::Empty(e)) if !self.started => {
                    let name = e.name().as_ref().to_string();
                    if name == "collection" {
                        return Ok(false);
                    }
                    return Err(self.wrong_root(&name));
                }
                Ok(Event::Eof) => {
                    if self.pos() == 0 {
                        return Err(InputError::new(&self.path, "the file is empty")
                            .fatal()
                            .fix("a BioC file holds a <collection> of <document>s"));
                    }
                    if !self.started {
                        return Err(self.err("the file holds no <collection>").fatal());
                    }
                    return Err(self
                        .err("the file ends before </collection>: it is truncated")
                        .fatal()
                        .fix("download the file again"));
                }
                Ok(Event::Text(t)) if !t.as_bytes().iter().all(|&b| xml::is_xml_ws(b)) => {
                    return Err(self
                        .err("this is not XML (text outside any element)")
                        .fatal()
                        .fix("check the file, or name its format")
                        .setting(Setting::Format(None)));
                }
                Ok(_) => {}
                Err(e) => return Err(self.xml_error(&e)),
            }
        }
    }

    /// Read one `<document>` whose start tag has just been read.
    fn read_document(&mut self, buf: &mut Vec<u8>) -> Result<Document, InputError> {
        self.record += 1;
        let start = self.pos();
        if let Some(x) = self.xml.as_mut() {
            x.get_mut().mark();
        }
        let mut id: Option<String> = None;
        let mut passages = Passages::new(self.include);
        let mut infons: Vec<(String, String)> = Vec::new();
        let mut passage_text: Option<String> = None;
        // Path below <document>: which element's text we are in.
        let mut path: Vec<String> = Vec::new();
        let mut text = String::new();
        let mut infon_key = String::new();
        loop {
            buf.clear();
            let xml = self.xml.as_mut().expect("parser present");
            let ev = match xml.read_event_into(buf) {
                Ok(ev) => ev,
                Err(e) => {
                    let mut err = self.xml_error(&e).record(self.record);
                    if let Some(id) = &id {
                        err = err.id(id.clone());
                    }
                    return Err(err);
                }
            };
            match ev {
                Event::Start(e) => {
                    let name = e.name().as_ref().to_string();
                    if name == "infon" {
                        infon_key = xml::attr(&e, "key").map(|k| k.into_owned()).unwrap_or_default();
                    }
                    if name == "passage" {
                        infons.clear();
                        passage_text = None;
                    }
                    text.clear();
                    path.push(name);
                }
                Event::End(e) => {
                    let qname = e.name();
                    let name = qname.as_ref();
                    if path.last().map(String::as_str) != Some(name) {
                        if name == "document" && path.is_empty() {
                            break;
                        }
                        let mut err = self
                            .err(format!(
                                "malformed XML: </{name}> closes <{}>",
                                path.last().map_or("document", String::as_str)
                            ))
                            .record(self.record)
                            // Point at the `<` of the offending end tag, as the PubMed reader does.
                            .at_byte(self.pos().saturating_sub(name.len() as u64 + 3));
                        if let Some(id) = &id {
                            err = err.id(id.clone());
                        }
                        return Err(err);
                    }
                    path.pop();
                    let parent = path.last().map(String::as_str);
                    match (name, parent) {
                        ("id", None) => id = Some(text.trim().to_string()),
                        ("infon", Some("passage")) => {
                            infons.push((std::mem::take(&mut infon_key), text.trim().to_string()))
                        }
                        ("infon", None) => passages.document_infon(&infon_key, text.trim()),
                        ("text", Some("passage")) => passage_text = Some(std::mem::take(&mut text)),
                        ("passage", None) => {
                            if let Some(t) = passage_text.take() {
                                passages.add(|k| infons.iter().find(|(key, _)| key == k).map(|(_, v)| v.as_str()), t);
                            }
                        }
                        _ => {}
                    }
                    text.clear();
                }
                Event::Text(t) => text.push_str(&t.xml10_content()),
                Event::CData(t) => text.push_str(&t.xml10_content()),
                Event::GeneralRef(r) => match xml::resolve_ref(&r) {
                    Ok(c) => text.push(c),
                    Err(msg) => {
                        let mut err = self.err(msg).record(self.record);
                        if let Some(id) = &id {
                            err = err.id(id.clone());
                        }
                        return Err(err);
                    }
                },
                Event::Eof => {
                    return Err(self
                        .err(format!(
                            "the file ends inside document {}: it is truncated",
                            self.record
                        ))
                        .record(self.record)
                        .fatal()
                        .fix("download the file again"));
                }
                _ => {}
            }
        }
        let Some(id) = id.filter(|i| !i.is_empty()) else {
            return Err(InputError::new(&self.path, "the document has no <id>")
                .at_byte(start)
                .record(self.record));
        };
        let mut doc = passages.finish(id);
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: None,
            record: self.record,
        };
        Ok(doc)
    }
}

impl<R: BufRead> Iterator for BiocReader<R> {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        if self.resync {
            self.resync = false;
            if !self.resync() {
                self.done = true;
                return None;
            }
        }
        let mut buf = std::mem::take(&mut self.buf);
        let out = match self.next_document(&mut buf) {
            Ok(true) => Some(self.read_document(&mut buf).map(Record::Document)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        };
        self.buf = buf;
        match &out {
            None => self.done = true,
            Some(Err(e)) if e.fatal => self.done = true,
            Some(Err(_)) => self.resync = true,
            Some(Ok(_)) => {}
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;

    fn read(text: &str) -> Vec<Result<Record, InputError>> {
        BiocReader::new(text.as_bytes(), "b.xml", &InputOptions::default()).collect()
    }

    const TWO: &str = "<?xml version='1.0' encoding='UTF-8'?><!DOCTYPE collection SYSTEM 'BioC.dtd'>\n<collection><source>PubTator</source><date>0/0/0</date><key>k</key>\n<document><id>1</id><passage><infon key=\"type\">title</infon><offset>0</offset><text>A &amp; B.</text><annotation id='0'><infon key=\"type\">Chemical</infon><location offset='0' length='1' /><text>A</text></annotation></passage><passage><infon key=\"type\">abstract</infon><offset>7</offset><text>More.</text></passage><relation id='R0'><infon key='relation'>CID</infon></relation></document>\n<document><id>2</id><passage><offset>0</offset><text>Only.</text></passage></document></collection>";

    #[test]
    fn passages_become_sections_and_annotations_are_not_text() {
        let out = read(TWO);
        assert_eq!(out.len(), 2, "{out:?}");
        let Ok(Record::Document(d)) = &out[0] else {
            panic!("{out:?}")
        };
        assert_eq!(d.id, "1");
        assert_eq!(
            d.sections,
            vec![Section::new("title", "A & B."), Section::new("abstract", "More.")]
        );
        assert_eq!(d.meta.title.as_deref(), Some("A & B."));
        let Ok(Record::Document(d)) = &out[1] else {
            panic!("{out:?}")
        };
        assert_eq!(d.sections, vec![Section::new("passage", "Only.")]);
    }

    // Found by the fuzz test: a second error right after resynchronising underflowed the byte
    // offset of the new parser.
    #[test]
    fn broken_documents_back_to_back() {
        let out =
            read("<collection><document><id>1</id></txt><document></x><document><id>3</id></document></collection>");
        let ids: Vec<String> = out
            .iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => d.id.clone(),
                Ok(Record::Delete(_)) => "delete".into(),
                Err(e) => format!("error at {}", e.byte.unwrap_or(0)),
            })
            .collect();
        assert_eq!(ids, vec!["error at 32", "error at 48", "3"]);
    }

    #[test]
    fn broken_document_is_skipped_and_file_problems_are_fatal() {
        let broken = TWO.replace("<text>More.</text>", "<text>More.</txt>");
        let out = read(&broken);
        assert_eq!(out.len(), 2, "{out:?}");
        let e = out[0].as_ref().unwrap_err();
        assert_eq!((e.record, e.id.as_deref(), e.fatal), (Some(1), Some("1"), false));
        assert_eq!(e.message, "malformed XML: expected `</text>`, but `</txt>` was found");
        assert!(matches!(&out[1], Ok(Record::Document(d)) if d.id == "2"));

        let e = &read("")[0].as_ref().unwrap_err().clone();
        assert_eq!(e.message, "the file is empty");
        let e = &read("<PubmedArticleSet/>")[0].as_ref().unwrap_err().clone();
        assert_eq!(
            e.fix.as_deref(),
            Some("this is PubMed XML; read it with the PubMed reader")
        );
        assert_eq!(e.setting, Some(Setting::Format(Some("pubmed"))));
        let e = &read("<collection><document><id>1</id>")[0]
            .as_ref()
            .unwrap_err()
            .clone();
        assert!(e.fatal);
        assert_eq!(e.message, "the file ends inside document 1: it is truncated");
    }
}
