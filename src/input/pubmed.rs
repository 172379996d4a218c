//! PubMed XML: NLM's baseline and update files, efetch output, old MEDLINE XML.
//!
//! # The format
//!
//! A file is one XML document whose root is `PubmedArticleSet` (the current DTDs; baseline and
//! update files `pubmedNNnXXXX.xml.gz`, `efetch.fcgi?db=pubmed&retmode=xml`),
//! `PubmedBookArticleSet`, or `MedlineCitationSet` (the MEDLINE DTDs up to 2016). Its children
//! are records:
//!
//! ```text
//! <PubmedArticle>                         one journal article
//!   <MedlineCitation>
//!     <PMID Version="1">10704411</PMID>     the id (CommentsCorrections hold other PMIDs)
//!     <Article>
//!       <Journal> <JournalIssue> <PubDate> <Year>2000</Year> (or <MedlineDate>2018 Jul-Aug)
//!                 <Title>Current biology : CB</Title>
//!       <ArticleTitle>Dopamine modulates ...</ArticleTitle>
//!       <ELocationID EIdType="doi">10.1016/...</ELocationID>
//!       <Abstract>
//!         <AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Drugs of ...</AbstractText>
//!         ...
//!       <VernacularTitle>...</VernacularTitle>      the title in the original language
//!     <OtherAbstract Language="spa"> <AbstractText>...   abstracts by the publisher, translations
//!   <PubmedData> <ArticleIdList> <ArticleId IdType="doi">...
//! <PubmedBookArticle>                     a book or chapter (NCBI Bookshelf)
//!   <BookDocument> <PMID/> <Book> <BookTitle/> <PubDate/> </Book> <ArticleTitle/> <Abstract/>
//! <DeleteCitation> <PMID/>... </DeleteCitation>   PMIDs withdrawn since an earlier file
//! ```
//!
//! In `MedlineCitationSet` files the records are bare `MedlineCitation`s.
//!
//! Titles and abstracts contain inline markup (`<i>`, `<b>`, `<sup>`, `<sub>`, `<u>`) and MathML,
//! entity and character references, and occasionally CDATA.
//!
//! # What a record becomes
//!
//! A journal article or book becomes a [`Document`] whose id is its PMID, with sections:
//!
//! * `title`: `ArticleTitle` (for a book without one, `BookTitle`);
//! * one section per `AbstractText`, named by its `Label` (as printed, e.g. `BACKGROUND`), else its
//!   `NlmCategory`, else `abstract`; its kind ([`SectionKind`]) comes from `NlmCategory`
//!   (`Patients and methods` with `NlmCategory="METHODS"` is `methods`), else from the label,
//!   else `abstract`;
//! * only with [`InputOptions::include_other_abstracts`]: `vernacular_title`, and each
//!   `OtherAbstract`'s texts as `other_abstract` (or `other_abstract:LABEL`).
//!
//! Empty sections are left out. Text is flattened with reader spacing (see [`super::xml`]).
//! Metadata: PMID and its `Version`, year (`PubDate/Year`, else the first year in `MedlineDate`,
//! else the year of the `ArticleDate`, the electronic publication; see [`crate::document::year_in`]),
//! journal (`Journal/Title`, or `BookTitle`), DOI (`ELocationID` or `ArticleId` of type `doi`),
//! title. A `DeleteCitation` becomes [`Record::Delete`].
//!
//! # Streaming and errors
//!
//! The file is read in blocks of whole records ([`Blocks`]): after the prolog, each record's
//! start tag begins a segment that runs to the next one, and every segment is parsed on its own,
//! in place, so a file's blocks can be parsed on several threads with the same result
//! (see [`Blocks`] for where it is cut). Only a block is held, and a record larger than
//! [`InputOptions::max_record_bytes`] stops the file with an error instead of exhausting memory.
//! A malformed record (bad nesting, invalid UTF-8, an unknown entity, no PMID, an end tag
//! missing before the next record) is reported with its byte offset, record number and PMID
//! when known, and reading resumes at the next record. A file that ends inside a record, a
//! broken gzip stream, an empty file or a file that is not PubMed XML stops that file with a
//! fatal error.

use std::io::BufRead;
use std::marker::PhantomData;

use quick_xml::Reader;
use quick_xml::events::Event;

use super::limit::{Limited, human_size};
use super::xml::{self, Stack, TextBuf, local};
use super::{InputError, InputOptions, Record};
use crate::diagnostic::Setting;
use crate::document::{Document, Origin, Place, Section, SectionKind, year_in};

mod slice;
mod split;

use slice::SliceEvents;
pub use split::{Blocks, PubmedBlock, PubmedReader};

/// The default size of the blocks a file is cut into ([`InputOptions::pubmed_block_bytes`]):
/// about a hundred records, a few milliseconds of work for a thread.
pub const DEFAULT_BLOCK_BYTES: usize = 1 << 20;

/// What the root element says the file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Root {
    /// `PubmedArticleSet` or `PubmedBookArticleSet`: records are `PubmedArticle`,
    /// `PubmedBookArticle`, `DeleteCitation`, `DeleteDocument`.
    Pubmed,
    /// `MedlineCitationSet`: records are `MedlineCitation` and `DeleteCitation`.
    Medline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Article,
    Book,
    Delete,
}

fn record_kind(root: Root, name: &str) -> Option<Kind> {
    match (root, name) {
        (Root::Pubmed, "PubmedArticle") | (Root::Medline, "MedlineCitation") => Some(Kind::Article),
        (Root::Pubmed, "PubmedBookArticle") => Some(Kind::Book),
        (_, "DeleteCitation" | "DeleteDocument") => Some(Kind::Delete),
        _ => None,
    }
}

/// Which field the text being collected belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Target {
    Pmid,
    DeletePmid,
    Title,
    BookTitle,
    /// The section's name (label as written) and kind (from `NlmCategory`).
    Abstract(String, SectionKind),
    Vernacular,
    Other(String),
    Journal,
    Year,
    MedlineDate,
    ArticleYear,
    Doi,
}

/// What one record has collected so far.
#[derive(Debug, Default)]
struct Fields {
    pmid: Option<String>,
    version: Option<String>,
    title: Option<String>,
    book_title: Option<String>,
    abstracts: Vec<Section>,
    others: Vec<Section>,
    journal: Option<String>,
    year: Option<String>,
    /// The year of the `ArticleDate`, used when `PubDate` has none.
    article_year: Option<String>,
    doi: Option<String>,
    deleted: Vec<String>,
}

fn configure<R>(xml: &mut Reader<R>) {
    let config = xml.config_mut();
    // End names are checked against our own stack, which knows the record being read.
    // A parser started on one record does not know the root element is open.
    config.check_end_names = false;
    config.allow_unmatched_ends = true;
    config.trim_text(false);
}

/// Where a parser's events come from: a stream (the prolog, read up to the root) or a block's
/// bytes in memory (records), which quick-xml reads in place instead of copying each event.
trait Events<'i> {
    fn event<'b>(&mut self, buf: &'b mut Vec<u8>) -> quick_xml::Result<Event<'b>>
    where
        'i: 'b;
    fn buffer_position(&self) -> u64;
    fn error_position(&self) -> u64;
    /// Whether the stream passed the record limit (the error seen is that one).
    fn exceeded(&self) -> bool;
    /// A record starts or ends here (the record limit counts from here).
    fn mark(&mut self);
}

impl<'i, R: BufRead> Events<'i> for Reader<Limited<R>> {
    fn event<'b>(&mut self, buf: &'b mut Vec<u8>) -> quick_xml::Result<Event<'b>>
    where
        'i: 'b,
    {
        self.read_event_into(buf)
    }
    fn buffer_position(&self) -> u64 {
        Reader::buffer_position(self)
    }
    fn error_position(&self) -> u64 {
        Reader::error_position(self)
    }
    fn exceeded(&self) -> bool {
        self.get_ref().exceeded()
    }
    fn mark(&mut self) {
        self.get_mut().mark();
    }
}

/// A segment is never longer than the record limit ([`split`] cuts it there), so in memory
/// there is no limit to count.
impl<'i> Events<'i> for Reader<&'i [u8]> {
    fn event<'b>(&mut self, _: &'b mut Vec<u8>) -> quick_xml::Result<Event<'b>>
    where
        'i: 'b,
    {
        self.read_event()
    }
    fn buffer_position(&self) -> u64 {
        Reader::buffer_position(self)
    }
    fn error_position(&self) -> u64 {
        Reader::error_position(self)
    }
    fn exceeded(&self) -> bool {
        false
    }
    fn mark(&mut self) {}
}

/// How the bytes given to a [`RecordParser`] end.
#[derive(Debug, Clone)]
pub(crate) enum End {
    /// The end of the file (or of the prolog, for the parser that reads up to the root).
    File,
    /// The next record's start tag follows: a record still open here is not closed.
    Next,
    /// The record ran past [`InputOptions::max_record_bytes`] without the next record starting.
    Limit,
    /// Reading stopped with this error (a broken gzip stream) after these bytes.
    Io(InputError),
}

/// The file-level facts every record parser of one file needs.
#[derive(Debug)]
pub(crate) struct Context {
    path: String,
    include_other: bool,
    max_record_bytes: u64,
    root: Root,
    root_name: String,
}

/// A parser of PubMed XML records: of the prolog up to the root element (the file's start), or
/// of one segment of a file (a record's start tag up to the next one, [`split`]).
struct RecordParser<'i, E: Events<'i>> {
    xml: E,
    input: PhantomData<&'i [u8]>,
    /// The record limit ([`InputOptions::max_record_bytes`]).
    limit: u64,
    /// Bytes of the file before these bytes.
    base: u64,
    buf: Vec<u8>,
    path: String,
    include_other: bool,
    root: Option<Root>,
    /// How the bytes end.
    end: End,
    /// Done with these bytes (root closed, their end, or a broken record).
    done: bool,
    /// The root element's end tag was read: nothing after it is read.
    root_closed: bool,
    stack: Stack,
    text: TextBuf,
    record: u64,
    record_byte: u64,
}

impl<R: BufRead> RecordParser<'static, Reader<Limited<R>>> {
    /// A parser of a file's start, for [`Self::read_root`].
    fn prolog(reader: R, path: &str, opts: &InputOptions) -> Self {
        let mut xml = Reader::from_reader(Limited::new(reader, opts.max_record_bytes));
        configure(&mut xml);
        RecordParser {
            xml,
            input: PhantomData,
            limit: opts.max_record_bytes,
            base: 0,
            buf: Vec::new(),
            path: path.to_string(),
            include_other: opts.include_other_abstracts,
            root: None,
            end: End::File,
            done: false,
            root_closed: false,
            stack: Stack::default(),
            text: TextBuf::default(),
            record: 0,
            record_byte: 0,
        }
    }

    /// After [`Self::read_root`]: the rest of the input (just after the root's start tag), how
    /// far into the file it starts, and the root's name.
    fn into_rest(self) -> (R, u64, String) {
        let pos = self.pos();
        let name = self.stack.at(1).to_string();
        (self.xml.into_inner().into_inner(), pos, name)
    }
}

impl<'i> RecordParser<'i, Reader<&'i [u8]>> {
    /// A parser of one segment that starts `base` bytes into the file, inside the root.
    fn segment(data: &'i [u8], base: u64, ctx: &Context, end: End) -> Self {
        let mut xml = Reader::from_reader(data);
        configure(&mut xml);
        RecordParser::inside_root(xml, base, ctx, end)
    }
}

impl<'i> RecordParser<'i, SliceEvents<'i>> {
    /// A parser of one segment known to be UTF-8, without quick-xml's checks per event; it
    /// gives up ([`SliceEvents::bailed`]) at anything but plain markup ([`slice`]).
    fn checked_segment(data: &'i str, base: u64, ctx: &Context, end: End) -> Self {
        RecordParser::inside_root(SliceEvents::new(data), base, ctx, end)
    }
}

impl<'i, E: Events<'i>> RecordParser<'i, E> {
    /// A parser of the events of one segment that starts `base` bytes into the file.
    fn inside_root(xml: E, base: u64, ctx: &Context, end: End) -> Self {
        let mut stack = Stack::default();
        stack.push(&ctx.root_name);
        RecordParser {
            xml,
            input: PhantomData,
            limit: ctx.max_record_bytes,
            base,
            buf: Vec::new(),
            path: ctx.path.clone(),
            include_other: ctx.include_other,
            root: Some(ctx.root),
            end,
            done: false,
            root_closed: false,
            stack,
            text: TextBuf::default(),
            record: 0,
            record_byte: 0,
        }
    }
}

impl<'i, E: Events<'i>> RecordParser<'i, E> {
    /// Byte offset in the (decompressed) input just after the last event.
    fn pos(&self) -> u64 {
        self.base + self.xml.buffer_position()
    }

    fn err(&self, message: impl Into<String>) -> InputError {
        InputError::new(&self.path, message).at_byte(self.pos())
    }

    /// The error for a record past the size limit.
    fn limit_error(&self) -> InputError {
        self.err(format!(
            "the record is larger than {} (is this really PubMed XML?)",
            human_size(self.limit)
        ))
        .fatal()
        .fix("check the file; no real PubMed record comes near this size")
    }

    /// The error that ends bytes cut short (by the size limit or a read error), if they were.
    fn cut_error(&self, pmid: Option<&str>) -> Option<InputError> {
        let mut out = match &self.end {
            End::Limit => self.limit_error(),
            End::Io(e) => {
                let mut e = e.clone();
                e.byte = Some(self.pos());
                e
            }
            End::File | End::Next => return None,
        };
        if self.record > 0 && self.stack.depth() >= 2 {
            out = out.record(self.record);
        }
        if let Some(id) = pmid {
            out = out.id(id);
        }
        Some(out)
    }

    /// The error for a quick-xml failure, with the limit and I/O cases told apart.
    fn xml_error(&self, e: &quick_xml::Error, pmid: Option<&str>) -> InputError {
        if let Some(cut) = self.cut_error(pmid) {
            // whatever broke at the end of bytes cut short, the cut is the problem
            return cut;
        }
        let mut out = if self.xml.exceeded() {
            self.limit_error()
        } else if let quick_xml::Error::Io(io) = e {
            InputError::io(&self.path, io).at_byte(self.pos())
        } else if matches!(e, quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_)) {
            let at = self.base + self.xml.error_position();
            self.err(xml::describe(e)).at_byte(at)
        } else if matches!(e, quick_xml::Error::Encoding(_)) {
            self.err(xml::describe(e))
                .fix("PubMed XML is UTF-8; convert the file (iconv -f latin1 -t utf-8) or download it again")
        } else {
            self.err(xml::describe(e))
        };
        if self.record > 0 && self.stack.depth() >= 2 {
            out = out.record(self.record);
        }
        if let Some(id) = pmid {
            out = out.id(id);
        }
        out
    }

    fn read_root(&mut self) -> Result<bool, InputError> {
        let mut buf = std::mem::take(&mut self.buf);
        let out = self.read_root_with(&mut buf);
        self.buf = buf;
        out
    }

    fn read_root_with(&mut self, buf: &mut Vec<u8>) -> Result<bool, InputError> {
        loop {
            buf.clear();
            let ev = self.xml.event(buf);
            let empty = matches!(ev, Ok(Event::Empty(_)));
            match ev {
                Ok(Event::Start(e)) | Ok(Event::Empty(e)) => {
                    let name = e.name().as_ref().to_string();
                    let root = match name.as_str() {
                        "PubmedArticleSet" | "PubmedBookArticleSet" => Root::Pubmed,
                        "MedlineCitationSet" => Root::Medline,
                        other => return Err(self.wrong_root(other)),
                    };
                    self.root = Some(root);
                    if empty {
                        return Ok(false);
                    }
                    self.stack.clear();
                    self.stack.push(&name);
                    return Ok(true);
                }
                Ok(Event::Text(t)) => {
                    if t.as_bytes().iter().all(|&b| xml::is_xml_ws(b)) {
                        continue;
                    }
                    return Err(self.not_xml());
                }
                Ok(Event::Eof) => {
                    return Err(if self.pos() == 0 {
                        InputError::new(&self.path, "the file is empty")
                            .fatal()
                            .fix("download the file again; a PubMed XML file holds a <PubmedArticleSet>")
                    } else {
                        self.err("the file holds no XML element (no <PubmedArticleSet>)")
                            .fatal()
                            .fix("check that this is PubMed XML")
                    });
                }
                Ok(Event::End(_)) | Ok(Event::CData(_)) | Ok(Event::GeneralRef(_)) => return Err(self.not_xml()),
                Ok(_) => {}
                Err(e) => {
                    // Nothing can be read without the root: whatever the problem, the file ends.
                    return Err(self.xml_error(&e, None).fatal());
                }
            }
        }
    }

    fn not_xml(&self) -> InputError {
        self.err("this is not XML (the file does not start with an element)")
            .fatal()
            .fix("check the file; if it is MEDLINE, PubTator, JSONL or CSV, name it so or name its format")
            .setting(Setting::Format(None))
    }

    fn wrong_root(&self, name: &str) -> InputError {
        let e = self.err(format!(
            "the root element is <{name}>, not <PubmedArticleSet> or <MedlineCitationSet>: this is not PubMed XML"
        ));
        let (fix, setting) = match name {
            "pmc-articleset" | "article" => (
                "this is PMC full-text XML (JATS); read it with the JATS reader",
                Some(Some("jats")),
            ),
            "collection" => ("this is BioC XML; read it with the BioC reader", Some(Some("bioc"))),
            _ => ("check the file, or name its format", Some(None)),
        };
        let e = e.fatal().fix(fix);
        match setting {
            Some(format) => e.setting(Setting::Format(format)),
            None => e,
        }
    }

    /// Read one record whose start tag has just been read.
    fn read_record(&mut self, kind: Kind, name: &str) -> Result<Record, InputError> {
        let mut buf = std::mem::take(&mut self.buf);
        let out = self.read_record_with(&mut buf, kind, name);
        self.buf = buf;
        out
    }

    fn read_record_with(&mut self, buf: &mut Vec<u8>, kind: Kind, name: &str) -> Result<Record, InputError> {
        self.record += 1;
        self.record_byte = self.pos();
        self.xml.mark();
        let root_name = self.stack.at(1).to_string();
        self.stack.clear();
        self.stack.push(&root_name);
        self.stack.push(name);
        let mut f = Fields::default();
        let mut target: Option<(Target, usize)> = None;
        self.text.clear();
        loop {
            buf.clear();
            let ev = self.xml.event(buf);
            let empty = matches!(ev, Ok(Event::Empty(_)));
            let ev = match ev {
                Ok(ev) => ev,
                Err(e) => {
                    let err = self.xml_error(&e, f.pmid.as_deref());
                    return Err(err);
                }
            };
            match ev {
                Event::Start(e) | Event::Empty(e) => {
                    let qname = e.name();
                    let qname = qname.as_ref();
                    if target.is_some() {
                        if empty {
                            self.text.empty(local(qname));
                        } else {
                            self.text.start(local(qname));
                            self.stack.push(qname);
                        }
                        continue;
                    }
                    let parent = self.stack.top();
                    let t = match qname {
                        "PMID" if kind == Kind::Delete => Some(Target::DeletePmid),
                        "PMID" if matches!(parent, "MedlineCitation" | "BookDocument") && f.pmid.is_none() => {
                            f.version = xml::attr(&e, "Version").map(|v| v.into_owned());
                            Some(Target::Pmid)
                        }
                        "ArticleTitle" if matches!(parent, "Article" | "BookDocument") => Some(Target::Title),
                        "BookTitle" if parent == "Book" => Some(Target::BookTitle),
                        "AbstractText" if parent == "Abstract" => {
                            let label = xml::attr(&e, "Label")
                                .map(|l| xml::collapse(&l))
                                .filter(|l| !l.is_empty());
                            let category = xml::attr(&e, "NlmCategory")
                                .map(|l| xml::collapse(&l))
                                .filter(|l| !l.is_empty());
                            let kind = abstract_kind(label.as_deref(), category.as_deref());
                            let name = label.or(category).unwrap_or_else(|| "abstract".to_string());
                            Some(Target::Abstract(name, kind))
                        }
                        "AbstractText" if parent == "OtherAbstract" && self.include_other => {
                            let name = match xml::attr(&e, "Label").map(|l| xml::collapse(&l)) {
                                Some(l) if !l.is_empty() => format!("other_abstract:{l}"),
                                _ => "other_abstract".to_string(),
                            };
                            Some(Target::Other(name))
                        }
                        "VernacularTitle" if self.include_other => Some(Target::Vernacular),
                        "Title" if parent == "Journal" => Some(Target::Journal),
                        "Year" if parent == "PubDate" && f.year.is_none() => Some(Target::Year),
                        "MedlineDate" if parent == "PubDate" && f.year.is_none() => Some(Target::MedlineDate),
                        "Year" if parent == "ArticleDate" && f.article_year.is_none() => Some(Target::ArticleYear),
                        "ELocationID" if f.doi.is_none() && xml::attr(&e, "EIdType").is_some_and(|t| t == "doi") => {
                            Some(Target::Doi)
                        }
                        "ArticleId"
                            if f.doi.is_none()
                                && matches!(self.stack.parent(), "PubmedData" | "PubmedBookData" | "BookDocument")
                                && xml::attr(&e, "IdType").is_some_and(|t| t == "doi") =>
                        {
                            Some(Target::Doi)
                        }
                        _ => None,
                    };
                    if empty {
                        // An empty field element (`<AbstractText/>`) has no text to keep.
                        continue;
                    }
                    self.stack.push(qname);
                    if let Some(t) = t {
                        self.text.clear();
                        target = Some((t, self.stack.depth()));
                    }
                }
                Event::End(e) => {
                    let depth = self.stack.depth();
                    if let Err(expected) = self.stack.pop(e.name().as_ref()) {
                        let msg = if expected.is_empty() {
                            format!("malformed XML: unexpected </{}>", e.name().as_ref())
                        } else {
                            format!("malformed XML: </{}> closes <{expected}>", e.name().as_ref())
                        };
                        // Point at the `<` of the offending end tag.
                        let at = self.pos().saturating_sub(e.name().as_ref().len() as u64 + 3);
                        let mut err = self.err(msg).record(self.record).at_byte(at);
                        if let Some(id) = &f.pmid {
                            err = err.id(id.clone());
                        }
                        return Err(err);
                    }
                    match &target {
                        Some((_, d)) if *d == depth => {
                            let (t, _) = target.take().expect("target checked above");
                            self.finish_field(t, &mut f);
                        }
                        Some(_) => self.text.end(),
                        None => {}
                    }
                    if self.stack.depth() == 1 {
                        self.xml.mark();
                        return self.build(kind, f);
                    }
                }
                Event::Text(t) => {
                    if target.is_some() {
                        self.text.push(&t.xml10_content());
                    }
                }
                Event::CData(t) => {
                    if target.is_some() {
                        self.text.push(&t.xml10_content());
                    }
                }
                Event::GeneralRef(r) => {
                    if target.is_some() {
                        match xml::resolve_ref(&r) {
                            Ok(c) => self.text.push_char(c),
                            Err(msg) => {
                                let mut err = self.err(msg).record(self.record);
                                if let Some(id) = &f.pmid {
                                    err = err.id(id.clone());
                                }
                                return Err(err.fix("replace the reference with the character it stands for"));
                            }
                        }
                    }
                }
                Event::Eof => {
                    if let Some(cut) = self.cut_error(f.pmid.as_deref()) {
                        return Err(cut);
                    }
                    if matches!(self.end, End::Next) {
                        // the next record's start tag is here: this one was never closed
                        let mut err = self
                            .err(format!("<{name}> is not closed before the next record starts; skipped"))
                            .record(self.record);
                        if let Some(id) = &f.pmid {
                            err = err.id(id.clone());
                        }
                        return Err(err.fix("check the file; every record ends with its end tag"));
                    }
                    let mut err = self
                        .err(format!("the file ends inside this <{name}>: it is truncated"))
                        .record(self.record)
                        .fatal()
                        .fix("download the file again");
                    if let Some(id) = &f.pmid {
                        err = err.id(id.clone());
                    }
                    return Err(err);
                }
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    fn finish_field(&mut self, t: Target, f: &mut Fields) {
        let text = self.text.take();
        match t {
            Target::Pmid => f.pmid = Some(text),
            Target::DeletePmid => {
                if !text.is_empty() {
                    f.deleted.push(text);
                }
            }
            Target::Title => f.title = Some(text),
            Target::BookTitle => f.book_title = Some(text),
            Target::Abstract(name, kind) => {
                if !text.is_empty() {
                    f.abstracts.push(Section::with_kind(name, kind, text));
                }
            }
            Target::Vernacular => {
                if !text.is_empty() {
                    f.others.push(Section::new("vernacular_title", text));
                }
            }
            Target::Other(name) => {
                if !text.is_empty() {
                    f.others.push(Section::new(name, text));
                }
            }
            Target::Journal => f.journal = Some(text).filter(|t| !t.is_empty()),
            Target::Year | Target::MedlineDate => f.year = year_in(&text),
            Target::ArticleYear => f.article_year = year_in(&text),
            Target::Doi => f.doi = Some(text).filter(|t| !t.is_empty()),
        }
    }

    fn build(&mut self, kind: Kind, f: Fields) -> Result<Record, InputError> {
        if kind == Kind::Delete {
            return Ok(Record::Delete(f.deleted));
        }
        let Some(pmid) = f.pmid.filter(|p| !p.is_empty()) else {
            let mut e = InputError::new(&self.path, "the record has no PMID").record(self.record);
            e.byte = Some(self.record_byte);
            return Err(e.fix("every PubmedArticle needs <MedlineCitation><PMID>"));
        };
        let title = match f.title.filter(|t| !t.is_empty()) {
            Some(t) => Some(t),
            None if kind == Kind::Book => f.book_title.clone().filter(|t| !t.is_empty()),
            None => None,
        };
        let mut sections = Vec::with_capacity(1 + f.abstracts.len() + f.others.len());
        if let Some(t) = &title {
            sections.push(Section::new("title", t.clone()));
        }
        sections.extend(f.abstracts);
        sections.extend(f.others);
        let mut doc = Document::new(pmid.clone(), sections);
        doc.meta.pmid = Some(pmid);
        doc.meta.version = f.version;
        doc.meta.year = f.year.or(f.article_year);
        doc.meta.journal = f.journal.or(f.book_title).filter(|j| !j.is_empty());
        doc.meta.doi = f.doi;
        doc.meta.title = title;
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: None,
            record: self.record,
        };
        Ok(Record::Document(doc))
    }

    /// The next record start at the top level, or `None` at the end of the root.
    fn next_start(&mut self) -> Result<Option<(Kind, String)>, InputError> {
        let mut buf = std::mem::take(&mut self.buf);
        let out = self.next_start_with(&mut buf);
        self.buf = buf;
        out
    }

    fn next_start_with(&mut self, buf: &mut Vec<u8>) -> Result<Option<(Kind, String)>, InputError> {
        let Some(root) = self.root else { return Ok(None) };
        loop {
            buf.clear();
            match self.xml.event(buf) {
                Ok(Event::Start(e)) => {
                    let name = e.name().as_ref().to_string();
                    match record_kind(root, &name) {
                        Some(kind) => return Ok(Some((kind, name))),
                        None => {
                            self.record += 1;
                            // the rest of the segment belongs to this element
                            self.done = true;
                            return Err(self
                                .err(format!(
                                    "unexpected element <{name}> in <{}>; skipped",
                                    self.stack.at(1)
                                ))
                                .record(self.record));
                        }
                    }
                }
                Ok(Event::Empty(e)) => {
                    let name = e.name().as_ref().to_string();
                    if record_kind(root, &name) == Some(Kind::Delete) {
                        continue;
                    }
                    self.record += 1;
                    return Err(self
                        .err(format!("empty element <{name}> in <{}>; skipped", self.stack.at(1)))
                        .record(self.record));
                }
                Ok(Event::End(e)) => {
                    let name = e.name().as_ref().to_string();
                    if self.stack.pop(&name).is_err() {
                        return Err(self.err(format!("malformed XML: unexpected </{name}>")).fatal());
                    }
                    self.root_closed = true;
                    return Ok(None);
                }
                Ok(Event::Text(t)) => {
                    if !t.as_bytes().iter().all(|&b| xml::is_xml_ws(b)) {
                        return Err(self
                            .err(format!("text outside any record in <{}>", self.stack.at(1)))
                            .fatal()
                            .fix("check that the file is complete PubMed XML"));
                    }
                }
                Ok(Event::Eof) => {
                    if let Some(cut) = self.cut_error(None) {
                        return Err(cut);
                    }
                    if matches!(self.end, End::Next) {
                        return Ok(None);
                    }
                    return Err(self
                        .err(format!("the file ends before </{}>: it is truncated", self.stack.at(1)))
                        .fatal()
                        .fix("download the file again"));
                }
                Ok(_) => {}
                Err(e) => {
                    // quick-xml stops for good after an error: the rest of the segment is skipped
                    self.done = true;
                    return Err(self.xml_error(&e, None));
                }
            }
        }
    }
}

/// The kind of an `AbstractText`: its `NlmCategory`, else what its label says in an abstract,
/// else `abstract` (unlabelled text, `UNASSIGNED` labels such as "CASE REPORT" NLM could not map).
fn abstract_kind(label: Option<&str>, category: Option<&str>) -> SectionKind {
    category
        .and_then(SectionKind::of_nlm_category)
        .or_else(|| label.and_then(|l| SectionKind::of_heading(l, Place::Abstract)))
        .unwrap_or(SectionKind::Abstract)
}

impl<'i, E: Events<'i>> Iterator for RecordParser<'i, E> {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let start = match self.next_start() {
            Ok(s) => s,
            Err(e) => {
                if e.fatal {
                    self.done = true;
                }
                return Some(Err(e));
            }
        };
        let Some((kind, name)) = start else {
            self.done = true;
            return None;
        };
        match self.read_record(kind, &name) {
            Ok(rec) => Some(Ok(rec)),
            Err(e) => {
                // a broken record: the reader goes on at the next segment, the next record
                self.done = true;
                Some(Err(e))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(xml: &str) -> Vec<Result<Record, InputError>> {
        read_with(xml, &InputOptions::default())
    }

    fn read_with(xml: &str, opts: &InputOptions) -> Vec<Result<Record, InputError>> {
        PubmedReader::new(xml.as_bytes(), "t.xml", opts).collect()
    }

    fn doc(r: &Result<Record, InputError>) -> &Document {
        match r {
            Ok(Record::Document(d)) => d,
            other => panic!("not a document: {other:?}"),
        }
    }

    const ARTICLE: &str = r#"<?xml version="1.0"?>
<!DOCTYPE PubmedArticleSet PUBLIC "-//NLM//DTD PubMedArticle, 1st January 2019//EN" "x.dtd">
<PubmedArticleSet>
<PubmedArticle><MedlineCitation><PMID Version="2">11</PMID>
<Article><Journal><JournalIssue><PubDate><MedlineDate>2018 Jul-Aug</MedlineDate></PubDate></JournalIssue>
<Title>Thromb &amp; Haemost</Title></Journal>
<ArticleTitle>IL-1<i>β</i> and <![CDATA[TNF-α]]> in &#8220;DIC&#x201D;</ArticleTitle>
<ELocationID EIdType="pii">S1</ELocationID><ELocationID EIdType="doi">10.1/x</ELocationID>
<Abstract><AbstractText Label="BACKGROUND" NlmCategory="BACKGROUND">Sepsis
   causes <sup>1</sup>coagulopathy.</AbstractText>
<AbstractText NlmCategory="RESULTS">R is <mml:math xmlns:mml="http://www.w3.org/1998/Math/MathML"> <mml:msup><mml:mi>R</mml:mi> <mml:mn>2</mml:mn></mml:msup> </mml:math> .</AbstractText>
<AbstractText/></Abstract><VernacularTitle>Titre</VernacularTitle></Article>
<OtherAbstract Language="spa"><AbstractText Label="Objetivo">Hola</AbstractText></OtherAbstract>
<CommentsCorrectionsList><CommentsCorrections><PMID Version="1">99</PMID></CommentsCorrections></CommentsCorrectionsList>
</MedlineCitation>
<PubmedData><ArticleIdList><ArticleId IdType="doi">10.2/y</ArticleId></ArticleIdList></PubmedData></PubmedArticle>
<DeleteCitation><PMID Version="1">5</PMID><PMID Version="1">6</PMID></DeleteCitation>
</PubmedArticleSet>"#;

    #[test]
    fn article_sections_metadata_and_markup() {
        let out = read(ARTICLE);
        assert_eq!(out.len(), 2);
        let d = doc(&out[0]);
        assert_eq!(d.id, "11");
        assert_eq!(
            d.sections,
            vec![
                Section::new("title", "IL-1β and TNF-α in \u{201c}DIC\u{201d}"),
                Section::new("BACKGROUND", "Sepsis causes 1coagulopathy."),
                Section::new("RESULTS", "R is R2 ."),
            ]
        );
        assert_eq!(d.meta.pmid.as_deref(), Some("11"));
        assert_eq!(d.meta.version.as_deref(), Some("2"));
        assert_eq!(d.meta.year.as_deref(), Some("2018"));
        assert_eq!(d.meta.journal.as_deref(), Some("Thromb & Haemost"));
        assert_eq!(d.meta.doi.as_deref(), Some("10.1/x"));
        assert_eq!(d.meta.title.as_deref(), Some("IL-1β and TNF-α in \u{201c}DIC\u{201d}"));
        assert_eq!(d.origin.record, 1);
        assert_eq!(out[1], Ok(Record::Delete(vec!["5".into(), "6".into()])));
    }

    #[test]
    fn other_abstracts_only_when_asked() {
        let opts = InputOptions {
            include_other_abstracts: true,
            ..InputOptions::default()
        };
        let out = read_with(ARTICLE, &opts);
        let names: Vec<&str> = doc(&out[0]).sections.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(
            names,
            vec![
                "title",
                "BACKGROUND",
                "RESULTS",
                "vernacular_title",
                "other_abstract:Objetivo"
            ]
        );
        assert_eq!(doc(&out[0]).sections[4].text, "Hola");
    }

    #[test]
    fn old_medline_root_and_book_articles() {
        let xml = r#"<MedlineCitationSet><MedlineCitation><PMID>1</PMID><Article><Journal><JournalIssue><PubDate><Year>1999</Year></PubDate></JournalIssue><Title>J</Title></Journal><ArticleTitle>T</ArticleTitle><Abstract><AbstractText>A</AbstractText></Abstract></Article></MedlineCitation><DeleteCitation><PMID>2</PMID></DeleteCitation></MedlineCitationSet>"#;
        let out = read(xml);
        assert_eq!(
            doc(&out[0]).sections,
            vec![Section::new("title", "T"), Section::new("abstract", "A")]
        );
        assert_eq!(doc(&out[0]).meta.year.as_deref(), Some("1999"));
        assert_eq!(out[1], Ok(Record::Delete(vec!["2".into()])));

        let book = r#"<PubmedArticleSet><PubmedBookArticle><BookDocument><PMID Version="1">7</PMID><ArticleIdList><ArticleId IdType="doi">10.3/b</ArticleId></ArticleIdList><Book><BookTitle book="x">Sepsis Handbook</BookTitle><PubDate><Year>2020</Year></PubDate></Book><Abstract><AbstractText>About DIC.</AbstractText></Abstract></BookDocument></PubmedBookArticle></PubmedArticleSet>"#;
        let out = read(book);
        let d = doc(&out[0]);
        assert_eq!(d.id, "7");
        assert_eq!(
            d.sections,
            vec![
                Section::new("title", "Sepsis Handbook"),
                Section::new("abstract", "About DIC.")
            ]
        );
        assert_eq!(d.meta.journal.as_deref(), Some("Sepsis Handbook"));
        assert_eq!(d.meta.year.as_deref(), Some("2020"));
        assert_eq!(d.meta.doi.as_deref(), Some("10.3/b"));
    }

    #[test]
    fn broken_record_is_reported_and_the_next_one_read() {
        let xml = "<PubmedArticleSet>\
            <PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>ok</ArticleTitle></Article></MedlineCitation></PubmedArticle>\
            <PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>bad</Article></MedlineCitation></PubmedArticle>\
            <PubmedArticle><MedlineCitation><PMID>3</PMID><Article><ArticleTitle>a &foo; b</ArticleTitle></Article></MedlineCitation></PubmedArticle>\
            <PubmedArticle><MedlineCitation><Article><ArticleTitle>no id</ArticleTitle></Article></MedlineCitation></PubmedArticle>\
            <PubmedArticle><MedlineCitation><PMID>5</PMID><Article><ArticleTitle>fine</ArticleTitle></Article></MedlineCitation></PubmedArticle>\
            </PubmedArticleSet>";
        let out = read(xml);
        assert_eq!(out.len(), 5);
        assert_eq!(doc(&out[0]).id, "1");
        let e = out[1].as_ref().unwrap_err();
        let at = xml.find("bad</Article>").unwrap() + 3;
        assert_eq!(
            e.to_string(),
            format!("t.xml: byte {at}: record 2 (id 2): malformed XML: </Article> closes <ArticleTitle>")
        );
        assert!(!e.fatal);
        let e = out[2].as_ref().unwrap_err();
        assert_eq!(e.record, Some(3));
        assert_eq!(e.id.as_deref(), Some("3"));
        assert!(e.message.starts_with("unknown entity &foo;"), "{e}");
        let e = out[3].as_ref().unwrap_err();
        assert_eq!(e.message, "the record has no PMID");
        assert_eq!(e.record, Some(4));
        assert_eq!(doc(&out[4]).id, "5");
        assert_eq!(doc(&out[4]).origin.record, 5);
    }

    #[test]
    fn file_level_problems_are_fatal_and_clear() {
        let cases: [(&str, &str); 6] = [
            (
                "",
                "t.xml: the file is empty (fix: download the file again; a PubMed XML file holds a <PubmedArticleSet>)",
            ),
            (
                "PMID- 1\nTI  - x\n",
                "t.xml: byte 16: this is not XML (the file does not start with an element) (fix: check the file; if it is MEDLINE, PubTator, JSONL or CSV, name it so or name its format)",
            ),
            (
                "<pmc-articleset><article/></pmc-articleset>",
                "t.xml: byte 16: the root element is <pmc-articleset>, not <PubmedArticleSet> or <MedlineCitationSet>: this is not PubMed XML (fix: this is PMC full-text XML (JATS); read it with the JATS reader (format jats))",
            ),
            (
                "<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID>",
                "t.xml: byte 64: record 1 (id 1): the file ends inside this <PubmedArticle>: it is truncated (fix: download the file again)",
            ),
            (
                "<PubmedArticleSet>",
                "t.xml: byte 18: the file ends before </PubmedArticleSet>: it is truncated (fix: download the file again)",
            ),
            (
                "<?xml version=\"1.0\"?>\n",
                "t.xml: byte 22: the file holds no XML element (no <PubmedArticleSet>) (fix: check that this is PubMed XML)",
            ),
        ];
        for (input, want) in cases {
            let out = read(input);
            assert_eq!(out.len(), 1, "{input:?}: {out:?}");
            let e = out[0].as_ref().unwrap_err();
            assert!(e.fatal, "{input:?}");
            assert_eq!(e.to_string(), want, "{input:?}");
        }
    }

    #[test]
    fn a_byte_order_mark_is_allowed() {
        let out = read(
            "\u{feff}<?xml version=\"1.0\"?><PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>9</PMID></MedlineCitation></PubmedArticle></PubmedArticleSet>",
        );
        assert_eq!(out.len(), 1);
        assert_eq!(doc(&out[0]).id, "9");
    }

    #[test]
    fn empty_root_holds_no_records() {
        assert!(read("<PubmedArticleSet/>").is_empty());
        assert!(read("<PubmedArticleSet>\n</PubmedArticleSet>").is_empty());
    }

    #[test]
    fn invalid_utf8_skips_the_record() {
        let mut xml =
            b"<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>caf".to_vec();
        xml.extend_from_slice(&[0xE9]);
        xml.extend_from_slice(b"</ArticleTitle></Article></MedlineCitation></PubmedArticle><PubmedArticle><MedlineCitation><PMID>2</PMID></MedlineCitation></PubmedArticle></PubmedArticleSet>");
        let out: Vec<_> = PubmedReader::new(&xml[..], "t.xml", &InputOptions::default()).collect();
        assert_eq!(out.len(), 2, "{out:?}");
        let e = out[0].as_ref().unwrap_err();
        assert_eq!(e.id.as_deref(), Some("1"));
        assert!(e.message.starts_with("invalid UTF-8"), "{e}");
        assert!(!e.fatal);
        assert_eq!(doc(&out[1]).id, "2");
    }

    #[test]
    fn an_enormous_record_stops_the_file_without_exhausting_memory() {
        let mut xml =
            String::from("<PubmedArticleSet><PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>");
        xml.push_str(&"x".repeat(5000));
        xml.push_str("</ArticleTitle></Article></MedlineCitation></PubmedArticle></PubmedArticleSet>");
        let opts = InputOptions {
            max_record_bytes: 1024,
            ..InputOptions::default()
        };
        let out: Vec<_> =
            PubmedReader::new(std::io::BufReader::with_capacity(256, xml.as_bytes()), "t.xml", &opts).collect();
        assert_eq!(out.len(), 1);
        let e = out[0].as_ref().unwrap_err();
        assert!(e.fatal);
        assert_eq!(e.record, Some(1));
        assert_eq!(e.id.as_deref(), Some("1"));
        assert_eq!(
            e.message,
            "the record is larger than 1 KiB (is this really PubMed XML?)"
        );
    }

    #[test]
    fn year_from_pub_date_else_medline_date_else_article_date() {
        let rec = |pmid: u32, pub_date: &str, article_date: &str| {
            format!(
                "<PubmedArticle><MedlineCitation><PMID>{pmid}</PMID><Article><Journal><JournalIssue>\
                 <PubDate>{pub_date}</PubDate></JournalIssue><Title>J</Title></Journal>\
                 <ArticleTitle>T</ArticleTitle>{article_date}</Article></MedlineCitation></PubmedArticle>"
            )
        };
        let electronic = "<ArticleDate DateType=\"Electronic\"><Year>2020</Year><Month>12</Month></ArticleDate>";
        let xml = format!(
            "<PubmedArticleSet>{}{}{}{}{}</PubmedArticleSet>",
            rec(1, "<Year>2021</Year><Month>Jan</Month>", electronic),
            rec(2, "<MedlineDate>Winter 1998-1999</MedlineDate>", electronic),
            rec(3, "<Season>Spring</Season>", electronic),
            rec(4, "<MedlineDate>n.d.</MedlineDate>", ""),
            rec(5, "<Year>2019</Year>", ""),
        );
        let years: Vec<Option<String>> = read(&xml).iter().map(|r| doc(r).meta.year.clone()).collect();
        assert_eq!(
            years,
            [Some("2021"), Some("1998"), Some("2020"), None, Some("2019")].map(|y| y.map(String::from))
        );
    }
}
