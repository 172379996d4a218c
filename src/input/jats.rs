//! PMC full text: JATS and NLM XML articles (`.nxml`, `.xml`) and efetch `db=pmc` answers.
//!
//! # The format
//!
//! Every DTD PMC has used: NLM Archiving and Interchange 2.x, Journal Publishing 3.0, JATS 1.x
//! (Archiving, Publishing). A file is one `<article>`, or a `<pmc-articleset>` of them (what
//! `efetch.fcgi?db=pmc` answers):
//!
//! ```text
//! <article>
//!   <front> <journal-meta> <journal-title> ...
//!           <article-meta> <article-id pub-id-type="pmc|pmid|doi"> <title-group><article-title>
//!                          <pub-date> <permissions><license> <abstract> <trans-abstract> ...
//!   <body> <p>... <sec sec-type="intro"> <title>Introduction</title> <p>... <fig><caption>...
//!   <back> <ack> <ref-list> <app-group> <fn-group> <sec>Competing interests ...
//!   <floats-group> <fig> <table-wrap> ...
//!   <sub-article article-type="decision-letter|reply|translation"> ...
//! ```
//!
//! # What an article becomes
//!
//! A [`Document`] (full text) whose sections are the blocks a reader reads one after the other:
//! the title, each paragraph, list item and heading of the abstracts and the body, each caption
//! paragraph, each table cell (with `--include tables`). Blocks are separate sections, so a
//! match or a sentence never runs from one paragraph, list item or cell into the next. Each
//! block's kind ([`SectionKind`]) comes from the `sec-type` or the heading of the section it is
//! in (the innermost that names a kind), its name is `kind: heading` (`results: Platelet
//! activation in septic mice`; the kind alone when the heading is the kind's own name).
//! Untitled paragraphs at the start of a body that has sections are the introduction.
//! Figure and table captions are `caption: Figure 1`; boxed text belongs to the section it
//! stands in.
//!
//! Left out ([`Part`]), unless `--include` names them: table cells (`tables`), translations
//! (`translations`), sub-articles (`sub-articles`), acknowledgements, funding, competing
//! interests, author contributions and notes (`back-matter`); never read: the reference list,
//! supplementary-material descriptions, keywords and the other front matter.
//!
//! Text is read as a reader reads it: inline markup adds no space, MathML is flattened as for
//! PubMed, `tex-math` and graphics are left out, and citation markers (`<xref ref-type="bibr">`,
//! footnote markers) are removed with the brackets and separators they leave
//! ([`super::fulltext::clean_citations`]).
//!
//! Article id: the PMCID (`PMC` + the digits of `article-id pub-id-type="pmc"`), else `PMC` +
//! digits in the file name (`PMC176545.nxml`), else the DOI, else the file stem (with `#N`
//! for the N-th article of a file). PMID, DOI, journal, year (the earliest publication date)
//! and licence are kept.
//!
//! # Errors
//!
//! A file that is not JATS, a broken article (malformed XML, an unknown entity) is reported with
//! its byte offset and record number and skipped; in a `<pmc-articleset>` reading goes on with
//! the next `<article>`. A file that ends inside an article is truncated: a fatal error.

use std::io::BufRead;
use std::rc::Rc;

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;

use super::fulltext::{self, CITATION, Include, Part};
use super::limit::{Limited, human_size};
use super::xml::{self, Prefixed, TextBuf};
use super::{InputError, InputOptions, Record};
use crate::diagnostic::Setting;
use crate::document::{Document, Origin, Place, Section, SectionKind};

/// How deep elements may nest inside an article before it is taken for broken.
const MAX_DEPTH: usize = 256;

/// A start tag, owned: its qualified name and the attributes the reader looks at.
#[derive(Debug, Clone, Default)]
struct Tag {
    name: String,
    attrs: Vec<(String, String)>,
}

impl Tag {
    fn of(e: &BytesStart<'_>) -> Tag {
        let name = e.name().as_ref().to_string();
        let mut attrs = Vec::new();
        if WITH_ATTRS.contains(&xml::local(&name)) {
            for a in e.attributes().flatten() {
                let key = a.key.local_name().as_ref().to_string();
                if let Ok(v) = a.normalized_value(quick_xml::XmlVersion::Implicit1_0) {
                    attrs.push((key, v.into_owned()));
                }
            }
        }
        Tag { name, attrs }
    }

    fn local(&self) -> &str {
        xml::local(&self.name)
    }

    fn attr(&self, key: &str) -> Option<&str> {
        self.attrs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
    }
}

/// The elements whose attributes matter.
const WITH_ATTRS: &[&str] = &[
    "article",
    "sub-article",
    "response",
    "sec",
    "xref",
    "abstract",
    "trans-abstract",
    "trans-title-group",
    "article-id",
    "pub-date",
    "license",
    "journal-id",
    "fn",
];

/// A problem inside an article: a message and where it is.
#[derive(Debug)]
struct Broken {
    message: String,
    fix: Option<String>,
    /// The byte offset, when the error has its own (quick-xml's error position).
    at: Option<u64>,
    /// The rest of the file cannot be read.
    fatal: bool,
}

impl Broken {
    fn new(message: impl Into<String>) -> Broken {
        Broken {
            message: message.into(),
            fix: None,
            at: None,
            fatal: false,
        }
    }
}

/// Where text goes while walking: the kind and name of the blocks, and what is special.
#[derive(Debug, Clone)]
struct Ctx {
    kind: SectionKind,
    /// The innermost heading, if any.
    heading: Option<Rc<str>>,
    /// The section name (`kind: heading`), made once.
    name: Rc<str>,
    place: Place,
    /// Text is captured whole (a heading being read): block boundaries only add a space.
    capture: bool,
    /// The body's own paragraphs before its first section (the introduction, if sections follow).
    body_top: bool,
    /// Sections inside keep this kind and name (sub-articles).
    fixed: bool,
    /// Appended to headings: the language of a translation, `(pt)`.
    suffix: Option<Rc<str>>,
    /// The text is from the body or the back (not title or abstract): the document is full text.
    body: bool,
}

impl Ctx {
    fn new(kind: SectionKind, heading: Option<&str>, place: Place, suffix: Option<Rc<str>>) -> Ctx {
        let heading: Option<Rc<str>> = heading.map(Rc::from);
        Ctx {
            kind,
            name: Rc::from(section_name(kind, heading.as_deref(), suffix.as_deref()).as_str()),
            heading,
            place,
            capture: false,
            body_top: false,
            fixed: false,
            suffix,
            body: false,
        }
    }

    /// The same place and flags with another kind and heading.
    fn with(&self, kind: SectionKind, heading: Option<Rc<str>>) -> Ctx {
        Ctx {
            kind,
            name: Rc::from(section_name(kind, heading.as_deref(), self.suffix.as_deref()).as_str()),
            heading,
            body_top: false,
            ..self.clone()
        }
    }
}

/// `kind: heading`, or the kind alone when there is no heading or the heading is the kind's name.
fn section_name(kind: SectionKind, heading: Option<&str>, suffix: Option<&str>) -> String {
    let mut name = match heading {
        Some(h) if !h.is_empty() => {
            let plain = h.trim_end_matches([':', '.']).trim();
            if plain.eq_ignore_ascii_case(kind.name()) {
                kind.name().to_string()
            } else {
                format!("{}: {plain}", kind.name())
            }
        }
        _ => kind.name().to_string(),
    };
    if let Some(s) = suffix {
        name.push_str(" (");
        name.push_str(s);
        name.push(')');
    }
    name
}

/// What the front matter says.
#[derive(Debug, Default)]
struct Meta {
    pmc: Option<String>,
    pmid: Option<String>,
    doi: Option<String>,
    journal: Option<String>,
    journal_id: Option<String>,
    years: Vec<String>,
    licence: Option<String>,
    title: Option<String>,
}

/// Walks one article's events and builds its document.
struct Walker<'x, R: BufRead> {
    xml: &'x mut Reader<R>,
    buf: Vec<u8>,
    include: Include,
    block: TextBuf,
    sections: Vec<Section>,
    meta: Meta,
    depth: usize,
    /// Indices of the body's own paragraphs before its first section.
    body_top: Vec<usize>,
    body_has_sec: bool,
    full_text: bool,
}

/// What [`Walker::next`] read.
enum Ev {
    Start(Tag),
    Empty(Tag),
    End,
    Eof,
}

impl<'x, R: BufRead> Walker<'x, R> {
    fn new(xml: &'x mut Reader<R>, include: Include) -> Self {
        Walker {
            xml,
            buf: Vec::with_capacity(4096),
            include,
            block: TextBuf::default(),
            sections: Vec::new(),
            meta: Meta::default(),
            depth: 0,
            body_top: Vec::new(),
            body_has_sec: false,
            full_text: false,
        }
    }

    /// The next start, empty or end tag; text on the way goes to the current block when
    /// `text` is on.
    fn next(&mut self, text: bool) -> Result<Ev, Broken> {
        loop {
            self.buf.clear();
            let Walker { xml, buf, block, .. } = self;
            match xml.read_event_into(buf) {
                Ok(Event::Start(e)) => return Ok(Ev::Start(Tag::of(&e))),
                Ok(Event::Empty(e)) => return Ok(Ev::Empty(Tag::of(&e))),
                Ok(Event::End(_)) => return Ok(Ev::End),
                Ok(Event::Text(t)) => {
                    if text {
                        let s = t.xml10_content();
                        if s.contains(CITATION) {
                            block.push(&s.replace(CITATION, "\u{FFFD}"));
                        } else {
                            block.push(&s);
                        }
                    }
                }
                Ok(Event::CData(t)) => {
                    if text {
                        block.push(&t.xml10_content());
                    }
                }
                Ok(Event::GeneralRef(r)) => match xml::resolve_ref(&r) {
                    Ok(c) => {
                        if text {
                            block.push_char(c);
                        }
                    }
                    Err(msg) => {
                        let mut b = Broken::new(msg);
                        b.fix = Some("replace the reference with the character it stands for".into());
                        return Err(b);
                    }
                },
                Ok(Event::Eof) => return Ok(Ev::Eof),
                Ok(_) => {}
                Err(e) => return Err(self.xml_error(&e)),
            }
        }
    }

    fn xml_error(&self, e: &quick_xml::Error) -> Broken {
        let mut b = Broken::new(xml::describe(e));
        match e {
            quick_xml::Error::Syntax(_) | quick_xml::Error::IllFormed(_) => b.at = Some(self.xml.error_position()),
            quick_xml::Error::Encoding(_) => {
                b.fix =
                    Some("JATS XML is UTF-8; convert the file (iconv -f latin1 -t utf-8) or download it again".into())
            }
            quick_xml::Error::Io(_) => b.fatal = true,
            _ => {}
        }
        b
    }

    fn truncated() -> Broken {
        let mut b = Broken::new("the file ends inside the article: it is truncated");
        b.fix = Some("download the file again".into());
        b.fatal = true;
        b
    }

    /// Skip the rest of the element `tag` (its start tag just read).
    fn skip(&mut self, tag: &Tag) -> Result<(), Broken> {
        self.buf.clear();
        match self.xml.read_to_end_into(QName(tag.name.as_str()), &mut self.buf) {
            Ok(_) => Ok(()),
            Err(quick_xml::Error::IllFormed(quick_xml::errors::IllFormedError::MissingEndTag(_))) => {
                Err(Self::truncated())
            }
            Err(e) => Err(self.xml_error(&e)),
        }
    }

    /// The current block as a section of `ctx` (nothing when it holds no text).
    fn flush(&mut self, ctx: &Ctx) {
        if ctx.capture {
            self.block.push(" ");
            return;
        }
        let raw = self.block.take();
        if raw.is_empty() {
            return;
        }
        let text = fulltext::clean_citations(&raw);
        if text.is_empty() {
            return;
        }
        if ctx.body_top && !self.body_has_sec {
            self.body_top.push(self.sections.len());
        }
        if ctx.body {
            self.full_text = true;
        }
        self.sections.push(Section::with_kind(&*ctx.name, ctx.kind, text));
    }

    /// Walk the content of the element just opened, up to its end tag.
    fn walk(&mut self, ctx: &Ctx) -> Result<(), Broken> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Broken::new(format!("elements nest more than {MAX_DEPTH} deep")));
        }
        loop {
            match self.next(true)? {
                Ev::Start(tag) => self.element(tag, ctx)?,
                Ev::Empty(tag) => self.empty(&tag, ctx),
                Ev::End => break,
                Ev::Eof => return Err(Self::truncated()),
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// An empty element inside text.
    fn empty(&mut self, tag: &Tag, ctx: &Ctx) {
        match tag.local() {
            "break" => self.block.push(" "),
            "xref" if is_citation(tag) => self.block.push_char(CITATION),
            "p" | "list-item" | "td" | "th" | "tr" => self.flush(ctx),
            other => self.block.empty(other),
        }
    }

    /// A part that is left out unless included: walked with `ctx`, or skipped.
    fn part(&mut self, part: Part, tag: &Tag, ctx: &Ctx) -> Result<(), Broken> {
        if !part.included(self.include) {
            return self.skip(tag);
        }
        match tag.local() {
            // titled back matter: its title is its heading
            "ack" | "notes" | "glossary" | "fn-group" | "bio" | "author-notes" => {
                self.sec(tag, ctx, SectionKind::Other)
            }
            _ => self.block_element(tag, ctx),
        }
    }

    /// An element that is a block of its own: the text before it and its own text are
    /// separate sections.
    fn block_element(&mut self, _tag: &Tag, ctx: &Ctx) -> Result<(), Broken> {
        self.flush(ctx);
        self.walk(ctx)?;
        self.flush(ctx);
        Ok(())
    }

    /// An element inside text (its start tag just read).
    fn element(&mut self, tag: Tag, ctx: &Ctx) -> Result<(), Broken> {
        match tag.local() {
            // never text
            "ref-list"
            | "tex-math"
            | "graphic"
            | "inline-graphic"
            | "media"
            | "object-id"
            | "alt-text"
            | "long-desc"
            | "label"
            | "index-term"
            | "code"
            | "permissions"
            | "private-char"
            | "kwd-group"
            | "supplementary-material"
            | "sig-block"
            | "contrib-group"
            | "aff"
            | "counts" => self.skip(&tag),
            "xref" if is_citation(&tag) => {
                self.block.push_char(CITATION);
                self.skip(&tag)
            }
            "ack" => self.part(Part::Acknowledgements, &tag, ctx),
            "funding-group" => self.part(Part::Funding, &tag, ctx),
            "fn-group" | "glossary" | "notes" | "bio" | "author-notes" => self.part(Part::Notes, &tag, ctx),
            // a footnote inside text is a note, not the sentence's words
            "fn" => self.part(Part::Notes, &tag, ctx),
            "table" | "table-wrap-foot" => self.part(Part::Tables, &tag, ctx),
            "sub-article" | "response" => self.sub_article(&tag),
            "sec" | "app" => self.sec(&tag, ctx, SectionKind::Other),
            "abstract" | "trans-abstract" => self.sec(&tag, ctx, ctx.kind),
            "fig" | "fig-group" | "table-wrap" | "table-wrap-group" | "chem-struct-wrap" => self.float(ctx),
            "boxed-text" => self.sec(&tag, ctx, ctx.kind),
            "p" | "title" | "list-item" | "td" | "th" | "tr" | "term" | "def" | "verse-line" | "disp-formula"
            | "disp-quote" | "statement" | "preformat" | "speech" | "def-item" | "list" | "attrib" | "caption"
            | "question" | "answer" | "address" | "array" | "subtitle" => self.block_element(&tag, ctx),
            local => {
                self.block.start(local);
                self.walk(ctx)?;
                self.block.end();
                Ok(())
            }
        }
    }

    /// A section-like element (`sec`, `app`, `abstract`, `boxed-text`): its label and title
    /// first, which decide its kind and heading, then its content. `default` is its kind when
    /// neither its `sec-type` nor its heading names one and the context has none.
    fn sec(&mut self, tag: &Tag, ctx: &Ctx, default: SectionKind) -> Result<(), Broken> {
        if ctx.body_top && tag.local() == "sec" {
            // the body's own paragraphs end here
            self.flush(ctx);
            self.body_has_sec = true;
        }
        let translation = tag.local() == "trans-abstract";
        if translation && !Part::Translations.included(self.include) {
            return self.skip(tag);
        }
        let sec_type = tag.attr("sec-type").unwrap_or("");
        if let Some(part) = Part::of_heading(sec_type)
            && !part.included(self.include)
        {
            return self.skip(tag);
        }
        self.flush(ctx);
        let mut parent = ctx.clone();
        parent.body_top = false;
        if translation {
            parent.suffix = tag.attr("lang").map(Rc::from);
        }
        let type_kind = SectionKind::of_heading(sec_type, parent.place);
        let mut inner: Option<Ctx> = None;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Broken::new(format!("elements nest more than {MAX_DEPTH} deep")));
        }
        loop {
            let ev = self.next(inner.is_some())?;
            match ev {
                Ev::Start(child) => {
                    if inner.is_none() {
                        match child.local() {
                            "label" | "sec-meta" | "object-id" => {
                                self.skip(&child)?;
                                continue;
                            }
                            "title" | "caption" => {
                                let heading = self.capture(&parent)?;
                                if let Some(part) = Part::of_heading(&heading)
                                    && !part.included(self.include)
                                {
                                    self.skip(tag)?;
                                    self.depth -= 1;
                                    return Ok(());
                                }
                                let c = self.inner_ctx(&parent, type_kind, default, Some(&heading));
                                if !heading.is_empty() {
                                    if c.body {
                                        self.full_text = true;
                                    }
                                    self.sections.push(Section::with_kind(&*c.name, c.kind, heading));
                                }
                                inner = Some(c);
                                continue;
                            }
                            _ => inner = Some(self.inner_ctx(&parent, type_kind, default, None)),
                        }
                    }
                    let c = inner.clone().expect("set above");
                    self.element(child, &c)?;
                }
                Ev::Empty(child) => {
                    let c = inner
                        .get_or_insert_with(|| self.inner_ctx(&parent, type_kind, default, None))
                        .clone();
                    self.empty(&child, &c);
                }
                Ev::End => break,
                Ev::Eof => return Err(Self::truncated()),
            }
        }
        self.depth -= 1;
        if let Some(c) = &inner {
            self.flush(c);
        }
        Ok(())
    }

    /// The context inside a section: its kind from its `sec-type`, else its heading, else the
    /// enclosing section's, else `default`; its heading, else the enclosing one.
    fn inner_ctx(
        &self,
        parent: &Ctx,
        type_kind: Option<SectionKind>,
        default: SectionKind,
        heading: Option<&str>,
    ) -> Ctx {
        if parent.fixed {
            return parent.clone();
        }
        let heading = heading.filter(|h| !h.is_empty());
        let kind = type_kind
            .or_else(|| heading.and_then(|h| SectionKind::of_heading(h, parent.place)))
            .unwrap_or(if parent.kind == SectionKind::Other {
                default
            } else {
                parent.kind
            });
        let heading = heading.map(Rc::from).or_else(|| parent.heading.clone());
        parent.with(kind, heading)
    }

    /// Read an element's text whole (a heading), with block boundaries as spaces.
    fn capture(&mut self, ctx: &Ctx) -> Result<String, Broken> {
        let saved = self.block.take();
        let mut c = ctx.clone();
        c.capture = true;
        self.walk(&c)?;
        let text = fulltext::clean_citations(&self.block.take());
        self.block.push(&saved);
        Ok(text)
    }

    /// A figure, table or their group: the label names the caption (`caption: Figure 1`),
    /// the caption's paragraphs are `caption` blocks, the table's cells are read with
    /// `--include tables`.
    fn float(&mut self, ctx: &Ctx) -> Result<(), Broken> {
        self.flush(ctx);
        let mut c = ctx.with(SectionKind::Caption, None);
        c.body = true;
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Broken::new(format!("elements nest more than {MAX_DEPTH} deep")));
        }
        loop {
            match self.next(true)? {
                Ev::Start(child) => match child.local() {
                    "label" => {
                        let l = self.capture(&c)?;
                        if !l.is_empty() {
                            c = ctx.with(SectionKind::Caption, Some(Rc::from(l.as_str())));
                            c.body = true;
                        }
                    }
                    "caption" => self.block_element(&child, &c)?,
                    _ => self.element(child, &c)?,
                },
                Ev::Empty(child) => self.empty(&child, &c),
                Ev::End => break,
                Ev::Eof => return Err(Self::truncated()),
            }
        }
        self.depth -= 1;
        self.flush(&c);
        Ok(())
    }

    /// A sub-article or response: a decision letter, an author response (`sub-articles`), a
    /// translation (`translations`). A translation is read like the article, its headings
    /// marked with its language; any other sub-article is `other: its title`.
    fn sub_article(&mut self, tag: &Tag) -> Result<(), Broken> {
        let translation = tag.attr("article-type") == Some("translation");
        let part = if translation {
            Part::Translations
        } else {
            Part::SubArticles
        };
        if !part.included(self.include) {
            return self.skip(tag);
        }
        let lang: Option<Rc<str>> = tag.attr("lang").map(Rc::from);
        let mut ctx = Ctx::new(
            SectionKind::Other,
            None,
            Place::Body,
            if translation { lang.clone() } else { None },
        );
        ctx.body = true;
        self.depth += 1;
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "front-stub" | "front" => {
                        let title = self.front_stub(translation, lang.clone())?;
                        if !translation {
                            let heading = title
                                .unwrap_or_else(|| tag.attr("article-type").unwrap_or("sub-article").replace('-', " "));
                            ctx = Ctx::new(SectionKind::Other, Some(&heading), Place::Body, None);
                            ctx.fixed = true;
                            ctx.body = true;
                        }
                    }
                    "body" => self.block_element(&child, &ctx)?,
                    "back" => self.back(&child, &ctx)?,
                    "sub-article" | "response" => self.sub_article(&child)?,
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End => break,
                Ev::Eof => return Err(Self::truncated()),
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// A sub-article's front: its title (returned, and a section for a translation) and, for a
    /// translation, its abstracts.
    fn front_stub(&mut self, translation: bool, lang: Option<Rc<str>>) -> Result<Option<String>, Broken> {
        let mut title = None;
        let mut depth = 0usize;
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "title-group" | "article-meta" => depth += 1,
                    "article-title" => {
                        let ctx = Ctx::new(SectionKind::Title, None, Place::Label, lang.clone());
                        let t = self.capture(&ctx)?;
                        if translation && !t.is_empty() {
                            self.sections
                                .push(Section::with_kind(&*ctx.name, SectionKind::Title, t.clone()));
                        }
                        title = Some(t).filter(|t| !t.is_empty());
                    }
                    "abstract" | "trans-abstract" if translation => {
                        let ctx = Ctx::new(SectionKind::Abstract, None, Place::Abstract, lang.clone());
                        self.sec(&child, &ctx, SectionKind::Abstract)?;
                    }
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End if depth > 0 => depth -= 1,
                Ev::End => break,
                Ev::Eof => return Err(Self::truncated()),
            }
        }
        Ok(title)
    }

    /// The back matter: appendices and figures are read, the rest is a left-out part.
    fn back(&mut self, _tag: &Tag, ctx: &Ctx) -> Result<(), Broken> {
        self.depth += 1;
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "sec" | "app" | "app-group" | "boxed-text" | "fig" | "fig-group" | "table-wrap"
                    | "table-wrap-group" | "ref-list" | "ack" | "fn-group" | "glossary" | "notes" | "bio"
                    | "sub-article" | "response" => self.element(child, ctx)?,
                    // anything else in the back (a title, a label) is not the paper's prose
                    _ => self.part(Part::Notes, &child, ctx)?,
                },
                Ev::Empty(_) => {}
                Ev::End => break,
                Ev::Eof => return Err(Self::truncated()),
            }
        }
        self.depth -= 1;
        self.flush(ctx);
        Ok(())
    }

    /// The whole `<article>` (its start tag just read).
    fn article(&mut self) -> Result<(), Broken> {
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "front" => self.front()?,
                    "body" => {
                        let mut ctx = Ctx::new(SectionKind::Other, None, Place::Body, None);
                        ctx.body_top = true;
                        ctx.body = true;
                        self.block_element(&child, &ctx)?;
                        if self.body_has_sec {
                            for &i in &self.body_top {
                                let s = &mut self.sections[i];
                                s.kind = SectionKind::Introduction;
                                s.name = SectionKind::Introduction.name().to_string();
                            }
                        }
                        self.body_top.clear();
                    }
                    "back" => {
                        let mut ctx = Ctx::new(SectionKind::Other, None, Place::Body, None);
                        ctx.body = true;
                        self.back(&child, &ctx)?;
                    }
                    "floats-group" | "floats-wrap" => {
                        let mut ctx = Ctx::new(SectionKind::Other, None, Place::Body, None);
                        ctx.body = true;
                        self.block_element(&child, &ctx)?;
                    }
                    "sub-article" | "response" => self.sub_article(&child)?,
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End => return Ok(()),
                Ev::Eof => return Err(Self::truncated()),
            }
        }
    }

    fn front(&mut self) -> Result<(), Broken> {
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "journal-meta" => self.journal_meta()?,
                    "article-meta" => self.article_meta()?,
                    "notes" => {
                        let ctx = Ctx::new(SectionKind::Other, None, Place::Body, None);
                        self.part(Part::Notes, &child, &ctx)?
                    }
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End => return Ok(()),
                Ev::Eof => return Err(Self::truncated()),
            }
        }
    }

    /// The text of the element just opened, collapsed, citations removed.
    fn text_of(&mut self) -> Result<String, Broken> {
        let ctx = Ctx::new(SectionKind::Other, None, Place::Label, None);
        self.capture(&ctx)
    }

    fn journal_meta(&mut self) -> Result<(), Broken> {
        let mut depth = 0usize;
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "journal-title-group" => depth += 1,
                    "journal-title" => {
                        let t = self.text_of()?;
                        if self.meta.journal.is_none() && !t.is_empty() {
                            self.meta.journal = Some(t);
                        }
                    }
                    "journal-id" => {
                        let nlm = child.attr("journal-id-type") == Some("nlm-ta");
                        let t = self.text_of()?;
                        if !t.is_empty() && (nlm || self.meta.journal_id.is_none()) {
                            self.meta.journal_id = Some(t);
                        }
                    }
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End if depth > 0 => depth -= 1,
                Ev::End => return Ok(()),
                Ev::Eof => return Err(Self::truncated()),
            }
        }
    }

    fn article_meta(&mut self) -> Result<(), Broken> {
        let mut depth = 0usize;
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "title-group" => depth += 1,
                    "article-id" => {
                        let kind = child.attr("pub-id-type").unwrap_or("").to_ascii_lowercase();
                        let t = self.text_of()?;
                        if t.is_empty() {
                            continue;
                        }
                        match kind.as_str() {
                            "pmc" | "pmcid" | "pmcaid" if self.meta.pmc.is_none() => self.meta.pmc = pmcid(&t),
                            "pmid" if self.meta.pmid.is_none() => self.meta.pmid = Some(t),
                            "doi" if self.meta.doi.is_none() => self.meta.doi = Some(t),
                            _ => {}
                        }
                    }
                    "article-title" => {
                        let ctx = Ctx::new(SectionKind::Title, None, Place::Label, None);
                        let t = self.capture(&ctx)?;
                        if !t.is_empty() {
                            if self.meta.title.is_none() {
                                self.meta.title = Some(t.clone());
                            }
                            self.sections.push(Section::with_kind("title", SectionKind::Title, t));
                        }
                    }
                    "subtitle" => {
                        let ctx = Ctx::new(SectionKind::Title, None, Place::Label, None);
                        let t = self.capture(&ctx)?;
                        if !t.is_empty() {
                            self.sections.push(Section::with_kind("title", SectionKind::Title, t));
                        }
                    }
                    "trans-title-group" if Part::Translations.included(self.include) => {
                        let lang: Option<Rc<str>> = child.attr("lang").map(Rc::from);
                        let ctx = Ctx::new(SectionKind::Title, None, Place::Label, lang);
                        let t = self.capture(&ctx)?;
                        if !t.is_empty() {
                            self.sections
                                .push(Section::with_kind(&*ctx.name, SectionKind::Title, t));
                        }
                    }
                    "pub-date" => {
                        let kind = child
                            .attr("pub-type")
                            .or(child.attr("date-type"))
                            .unwrap_or("")
                            .to_ascii_lowercase();
                        let year = self.pub_year()?;
                        if let Some(y) = year
                            && !matches!(
                                kind.as_str(),
                                "pmc-release" | "nihms-submitted" | "accepted" | "received"
                            )
                        {
                            self.meta.years.push(y);
                        }
                    }
                    "permissions" => self.permissions()?,
                    "abstract" | "trans-abstract" => {
                        let ctx = Ctx::new(SectionKind::Abstract, None, Place::Abstract, None);
                        self.sec(&child, &ctx, SectionKind::Abstract)?;
                    }
                    "funding-group" | "author-notes" => {
                        let part = if child.local() == "funding-group" {
                            Part::Funding
                        } else {
                            Part::Notes
                        };
                        let mut ctx = Ctx::new(SectionKind::Other, None, Place::Body, None);
                        ctx.body = true;
                        self.part(part, &child, &ctx)?;
                    }
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End if depth > 0 => depth -= 1,
                Ev::End => return Ok(()),
                Ev::Eof => return Err(Self::truncated()),
            }
        }
    }

    /// The year of a `pub-date` (or its `string-date`).
    fn pub_year(&mut self) -> Result<Option<String>, Broken> {
        let mut year = None;
        loop {
            match self.next(false)? {
                Ev::Start(child) => {
                    let local = child.local().to_string();
                    let t = self.text_of()?;
                    if year.is_none() && (local == "year" || local == "string-date") {
                        year = crate::document::year_in(&t);
                    }
                }
                Ev::Empty(_) => {}
                Ev::End => return Ok(year),
                Ev::Eof => return Err(Self::truncated()),
            }
        }
    }

    /// The licence: a Creative Commons name from the licence's URL or its text.
    fn permissions(&mut self) -> Result<(), Broken> {
        loop {
            match self.next(false)? {
                Ev::Start(child) => match child.local() {
                    "license" => {
                        let href = child.attr("href").map(str::to_string);
                        let kind = child.attr("license-type").map(str::to_string);
                        let text = self.text_of()?;
                        let name = href
                            .as_deref()
                            .map(fulltext::licence_from_url)
                            .or_else(|| fulltext::licence_from_text(&text))
                            .or(kind);
                        if self.meta.licence.is_none() {
                            self.meta.licence = name;
                        }
                    }
                    _ => self.skip(&child)?,
                },
                Ev::Empty(_) => {}
                Ev::End => return Ok(()),
                Ev::Eof => return Err(Self::truncated()),
            }
        }
    }
}

/// Whether an `<xref>` is a citation or footnote marker (removed from the text).
fn is_citation(tag: &Tag) -> bool {
    matches!(tag.attr("ref-type"), Some("bibr" | "fn" | "table-fn"))
}

/// `PMC` + the digits of a PMC id (`8435807`, `PMC8435807`), or `None` if it has none.
pub fn pmcid(s: &str) -> Option<String> {
    let t = s.trim();
    let digits = t.strip_prefix("PMC").or_else(|| t.strip_prefix("pmc")).unwrap_or(t);
    (!digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit())).then(|| format!("PMC{digits}"))
}

/// `PMC` + digits in a file name (`PMC176545.nxml`, `oa_PMC176545_v2.xml`), if there are any.
pub fn pmcid_in_name(name: &str) -> Option<String> {
    let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let upper = file.to_ascii_uppercase();
    let mut from = 0;
    while let Some(i) = upper[from..].find("PMC") {
        let start = from + i + 3;
        let digits: String = upper[start..].chars().take_while(char::is_ascii_digit).collect();
        if !digits.is_empty() {
            return Some(format!("PMC{digits}"));
        }
        from = start;
    }
    None
}

/// How a file's articles are named when they carry no id.
#[derive(Debug, Clone)]
pub struct Naming {
    /// The file (or package member) stem.
    pub stem: String,
    /// `PMC` + digits in the file name.
    pub pmc: Option<String>,
}

impl Naming {
    pub fn of(name: &str) -> Naming {
        let file = name.rsplit(['/', '\\']).next().unwrap_or(name);
        Naming {
            stem: super::file_stem_id(std::path::Path::new(file)),
            pmc: pmcid_in_name(file),
        }
    }
}

fn parser<R: BufRead>(input: Limited<Prefixed<R>>) -> Reader<Limited<Prefixed<R>>> {
    let mut xml = Reader::from_reader(input);
    let config = xml.config_mut();
    config.check_end_names = true;
    // after a broken article the parser starts again at the next <article>, inside the set
    config.allow_unmatched_ends = true;
    config.trim_text(false);
    xml
}

/// A streaming reader of JATS articles: one `<article>` file, or a `<pmc-articleset>`.
pub struct JatsReader<R: BufRead> {
    xml: Option<Reader<Limited<Prefixed<R>>>>,
    base: u64,
    path: String,
    naming: Naming,
    include: Include,
    record: u64,
    /// The root: `None` before it is read, `Some(true)` for a `<pmc-articleset>`.
    set: Option<bool>,
    done: bool,
    resync: bool,
    buf: Vec<u8>,
}

impl<R: BufRead> JatsReader<R> {
    /// `path` is shown in messages; `naming` names articles that carry no id.
    pub fn new(reader: R, path: impl Into<String>, naming: Naming, opts: &InputOptions) -> JatsReader<R> {
        JatsReader {
            xml: Some(parser(Limited::new(Prefixed::new(reader), opts.max_record_bytes))),
            base: 0,
            path: path.into(),
            naming,
            include: opts.full_text,
            record: 0,
            set: None,
            done: false,
            resync: false,
            buf: Vec::new(),
        }
    }

    fn pos(&self) -> u64 {
        self.base + self.xml.as_ref().map_or(0, |x| x.buffer_position())
    }

    fn err(&self, message: impl Into<String>) -> InputError {
        InputError::new(&self.path, message).at_byte(self.pos())
    }

    fn limit_error(&self) -> Option<InputError> {
        let l = self.xml.as_ref()?.get_ref();
        l.exceeded().then(|| {
            self.err(format!(
                "an article is larger than {} (is this really JATS XML?)",
                human_size(l.limit())
            ))
            .fatal()
            .fix("check the file")
        })
    }

    /// Scan to the next `<article` and start a fresh parser there.
    fn resync(&mut self) -> bool {
        let Some(xml) = self.xml.take() else { return false };
        let mut limited = xml.into_inner();
        limited.mark();
        let found = xml::scan_to_start(limited.get_mut(), |n| n == "article").ok().flatten();
        if found.is_none() {
            return false;
        }
        limited.get_mut().put_back(b"<article");
        self.base = limited.get_mut().start_of_put_back();
        self.xml = Some(parser(limited));
        true
    }

    /// Read to the next `<article>` start tag; `Ok(false)` at the end.
    fn next_article(&mut self) -> Result<bool, InputError> {
        loop {
            self.buf.clear();
            let xml = self.xml.as_mut().expect("parser present outside resync");
            let ev = xml.read_event_into(&mut self.buf);
            match ev {
                Ok(Event::Start(e)) => {
                    let name = e.name().as_ref().to_string();
                    match (self.set, name.as_str()) {
                        (None, "article") => {
                            self.set = Some(false);
                            return Ok(true);
                        }
                        (None, "pmc-articleset") => self.set = Some(true),
                        (Some(true), "article") => return Ok(true),
                        (Some(true), other) => {
                            let other = other.to_string();
                            self.record += 1;
                            let at = self.pos();
                            let xml = self.xml.as_mut().expect("parser present");
                            let _ = xml.read_to_end_into(QName(other.as_str()), &mut Vec::new());
                            return Err(InputError::new(
                                &self.path,
                                format!("unexpected element <{other}> in <pmc-articleset>; skipped"),
                            )
                            .at_byte(at)
                            .record(self.record));
                        }
                        (Some(false), _) => return Ok(false),
                        (None, other) => return Err(self.wrong_root(other)),
                    }
                }
                Ok(Event::Empty(e)) => {
                    let name = e.name().as_ref().to_string();
                    match (self.set, name.as_str()) {
                        (None, "pmc-articleset") => return Ok(false),
                        (None, "article") => {
                            self.record += 1;
                            return Err(self.err("the article is empty (<article/>)").record(self.record));
                        }
                        (None, other) => return Err(self.wrong_root(other)),
                        _ => {}
                    }
                }
                Ok(Event::End(_)) => return Ok(false),
                Ok(Event::Eof) => {
                    return Err(match self.set {
                        _ if self.pos() == 0 => InputError::new(&self.path, "the file is empty")
                            .fatal()
                            .fix("a JATS file holds an <article> (or a <pmc-articleset> of them)"),
                        None => self
                            .err("the file holds no <article>")
                            .fatal()
                            .fix("check that this is JATS XML"),
                        Some(true) => self
                            .err("the file ends before </pmc-articleset>: it is truncated")
                            .fatal()
                            .fix("download the file again"),
                        Some(false) => return Ok(false),
                    });
                }
                Ok(Event::Text(t)) if !t.as_bytes().iter().all(|&b| xml::is_xml_ws(b)) => {
                    return Err(self
                        .err("this is not XML (text outside any element)")
                        .fatal()
                        .fix("check the file, or name its format")
                        .setting(Setting::Format(None)));
                }
                Ok(_) => {}
                Err(e) => {
                    if let Some(l) = self.limit_error() {
                        return Err(l);
                    }
                    return Err(self.err(xml::describe(&e)).fatal());
                }
            }
        }
    }

    fn wrong_root(&self, name: &str) -> InputError {
        let (fix, format) = match name {
            "PubmedArticleSet" | "MedlineCitationSet" | "PubmedBookArticleSet" => {
                ("this is PubMed XML; read it with the PubMed reader", Some("pubmed"))
            }
            "collection" => ("this is BioC XML; read it with the BioC reader", Some("bioc")),
            _ => ("check the file, or name its format", None),
        };
        self.err(format!(
            "the root element is <{name}>, not <article> or <pmc-articleset>: this is not JATS XML"
        ))
        .fatal()
        .fix(fix)
        .setting(Setting::Format(format))
    }

    /// Read one `<article>` whose start tag has just been read.
    fn read_article(&mut self) -> Result<Document, InputError> {
        self.record += 1;
        let start = self.pos();
        let include = self.include;
        let xml = self.xml.as_mut().expect("parser present");
        xml.get_mut().mark();
        let mut w = Walker::new(xml, include);
        let out = w.article();
        let Walker {
            sections,
            meta,
            full_text,
            ..
        } = w;
        if let Err(b) = out {
            if let Some(l) = self.limit_error() {
                return Err(l.record(self.record));
            }
            let at = match b.at {
                Some(a) => self.base + a,
                None => self.pos(),
            };
            let mut e = InputError::new(&self.path, b.message).at_byte(at).record(self.record);
            if let Some(id) = meta.pmc.clone().or(meta.doi.clone()) {
                e = e.id(id);
            }
            if let Some(f) = b.fix {
                e = e.fix(f);
            }
            if b.fatal {
                e = e.fatal();
            }
            return Err(e);
        }
        let _ = start;
        let id = meta
            .pmc
            .clone()
            .or_else(|| {
                if self.record == 1 {
                    self.naming.pmc.clone()
                } else {
                    None
                }
            })
            .or_else(|| meta.doi.clone())
            .unwrap_or_else(|| {
                if self.record == 1 {
                    self.naming.stem.clone()
                } else {
                    format!("{}#{}", self.naming.stem, self.record)
                }
            });
        let mut doc = Document::new(id, sections);
        doc.meta.pmid = meta.pmid;
        doc.meta.doi = meta.doi;
        doc.meta.journal = meta.journal.or(meta.journal_id);
        doc.meta.year = meta.years.into_iter().min();
        doc.meta.licence = meta.licence;
        doc.meta.title = meta.title;
        doc.meta.full_text = full_text;
        doc.origin = Origin {
            path: self.path.clone().into(),
            line: None,
            record: self.record,
        };
        Ok(doc)
    }
}

impl<R: BufRead> Iterator for JatsReader<R> {
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
        let out = match self.next_article() {
            Ok(true) => Some(self.read_article().map(Record::Document)),
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        };
        match &out {
            None => self.done = true,
            Some(Err(e)) if e.fatal => self.done = true,
            Some(Err(_)) if self.set == Some(true) => self.resync = true,
            Some(Err(_)) => self.done = self.set == Some(false) || self.set.is_none(),
            Some(Ok(_)) => {
                if self.set == Some(false) {
                    self.done = true;
                }
            }
        }
        out
    }
}

#[cfg(test)]
mod tests;
