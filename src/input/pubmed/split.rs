//! Cutting one PubMed XML file into blocks of whole records, so that one file's records can be
//! parsed on several threads.
//!
//! # Segments
//!
//! After the prolog (read by one parser up to the root's start tag), the rest of a file is a
//! sequence of *segments*: each begins at a record's start tag (`<PubmedArticle`,
//! `<PubmedBookArticle`, `<DeleteCitation`, `<DeleteDocument`; `<MedlineCitation` in a
//! `MedlineCitationSet`) and runs to the next one. The first segment begins just after the root's
//! start tag; the last runs to the end of the file and holds the root's end tag. Text and
//! attribute values never hold a literal `<`, so record start tags are found by scanning the raw
//! bytes; comments, CDATA sections and processing instructions, which may, are skipped whole.
//!
//! Each segment is parsed on its own ([`PubmedBlock`]'s [`blocks::Block::parse`]), so the records read never depend on how
//! the file was cut into blocks or on the number of threads:
//!
//! * a broken record is reported and the rest of its segment skipped: reading goes on at the
//!   next record's start tag;
//! * a record whose end tag is missing ends where the next record starts (reported as not
//!   closed) instead of swallowing the records after it;
//! * the root's end tag ends the file: anything after it (a second document appended to the
//!   file) is not read;
//! * a segment longer than [`InputOptions::max_record_bytes`] stops the file with an error, so
//!   memory stays bounded by the limit plus one block.
//!
//! # Blocks and numbering
//!
//! [`Blocks`] reads the file and cuts it into blocks of about [`InputOptions::pubmed_block_bytes`],
//! always at a segment's start. A block is parsed with its records numbered from 1;
//! [`blocks::Numbering`], applied in file order, adds the records of the blocks before it and
//! drops the blocks after the one that ended the file (the root closed, or a fatal error).

use std::io::BufRead;
use std::sync::{Arc, OnceLock};

use aho_corasick::{AhoCorasick, MatchKind, packed};

use super::{Context, End, Events, RecordParser, Root};
use crate::input::blocks::{self, BlockReader, Parsed, shift_record};
use crate::input::{InputError, InputOptions, Record};

/// What the scanner looks for: the openers of the constructs skipped whole, then record start
/// tags (without their `>`: attributes may follow).
const OPENERS: [(&[u8], &[u8]); 3] = [(b"<!--", b"-->"), (b"<![CDATA[", b"]]>"), (b"<?", b"?>")];
const PUBMED_RECORDS: [&str; 4] = [
    "<PubmedArticle",
    "<PubmedBookArticle",
    "<DeleteCitation",
    "<DeleteDocument",
];
const MEDLINE_RECORDS: [&str; 3] = ["<MedlineCitation", "<DeleteCitation", "<DeleteDocument"];
/// The longest pattern, less one: bytes kept for the next scan when a read may have cut one.
const KEEP: usize = 17;

/// A multi-pattern search for the scanner: SIMD (Teddy) where the CPU has it, which looks at
/// far fewer places than the `<` of every tag; an automaton otherwise.
enum Finder {
    Packed(packed::Searcher),
    Automaton(AhoCorasick),
}

impl Finder {
    /// The first pattern in `data`, leftmost first: (pattern index, start, length).
    fn find(&self, data: &[u8]) -> Option<(usize, usize, usize)> {
        match self {
            Finder::Packed(s) => s.find(data).map(|m| (m.pattern().as_usize(), m.start(), m.len())),
            Finder::Automaton(a) => a.find(data).map(|m| (m.pattern().as_usize(), m.start(), m.len())),
        }
    }
}

fn finder(root: Root) -> &'static Finder {
    static PUBMED: OnceLock<Finder> = OnceLock::new();
    static MEDLINE: OnceLock<Finder> = OnceLock::new();
    let (cell, records): (_, &[&str]) = match root {
        Root::Pubmed => (&PUBMED, &PUBMED_RECORDS),
        Root::Medline => (&MEDLINE, &MEDLINE_RECORDS),
    };
    cell.get_or_init(|| {
        let patterns: Vec<&[u8]> = OPENERS
            .iter()
            .map(|(open, _)| *open)
            .chain(records.iter().map(|r| r.as_bytes()))
            .collect();
        let simd = packed::Config::new()
            .match_kind(packed::MatchKind::LeftmostFirst)
            .builder()
            .extend(&patterns)
            .build();
        match simd {
            Some(s) => Finder::Packed(s),
            None => Finder::Automaton(
                AhoCorasick::builder()
                    .match_kind(MatchKind::LeftmostFirst)
                    .build(patterns)
                    .expect("a handful of literal patterns always compile"),
            ),
        }
    })
}

/// Whether `b` can continue an element name (any non-ASCII byte can, as in XML).
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.') || b >= 0x80
}

/// Where the segments of `data` start, given that scanning may begin at `pos` (nothing before it
/// is a start tag still to find) and that a construct whose closer is `skip` may be open there.
#[derive(Debug)]
struct Scanner {
    root: Root,
    /// The next byte to look at.
    pos: usize,
    /// Inside a comment, CDATA section or processing instruction: its closer.
    skip: Option<&'static [u8]>,
}

/// What one scan found.
#[derive(Debug, PartialEq, Eq)]
enum Found {
    /// A record's start tag at this offset.
    Start(usize),
    /// Nothing more in the bytes so far; more are needed to go on.
    More,
}

impl Scanner {
    fn new(root: Root) -> Scanner {
        Scanner {
            root,
            pos: 0,
            skip: None,
        }
    }

    /// The next record start tag at or after `self.pos`.
    fn next(&mut self, data: &[u8]) -> Found {
        loop {
            if let Some(closer) = self.skip {
                match memchr::memmem::find(&data[self.pos..], closer) {
                    Some(j) => {
                        self.pos += j + closer.len();
                        self.skip = None;
                    }
                    None => {
                        self.pos = self.pos.max(data.len().saturating_sub(closer.len() - 1));
                        return Found::More;
                    }
                }
            }
            let Some((p, start, len)) = finder(self.root).find(&data[self.pos..]) else {
                self.pos = self.pos.max(data.len().saturating_sub(KEEP));
                return Found::More;
            };
            let at = self.pos + start;
            if let Some((_, closer)) = OPENERS.get(p) {
                self.skip = Some(closer);
                self.pos = at + len;
                continue;
            }
            let end = at + len;
            match data.get(end) {
                None => {
                    // the byte after the name decides; wait for it
                    self.pos = at;
                    return Found::More;
                }
                Some(&b) if is_name_byte(b) => self.pos = at + 1,
                Some(_) => {
                    self.pos = end;
                    return Found::Start(at);
                }
            }
        }
    }

    /// The bytes before `cut` were handed on: offsets now count from `cut`.
    fn rebase(&mut self, cut: usize) {
        self.pos = self.pos.saturating_sub(cut);
    }
}

/// Bytes of a PubMed XML file holding whole segments, ready to be parsed on any thread.
#[derive(Debug)]
pub struct PubmedBlock {
    ctx: Arc<Context>,
    data: Vec<u8>,
    /// Offset of `data` in the file.
    base: u64,
    /// Where each segment starts in `data` (the first at 0).
    starts: Vec<usize>,
    /// How the last segment ends.
    end: End,
}

impl blocks::Block for PubmedBlock {
    /// Parse every segment of the block, each on its own.
    fn parse(&self) -> Parsed {
        let mut out = Parsed::default();
        for (k, &start) in self.starts.iter().enumerate() {
            let (stop, end) = match self.starts.get(k + 1) {
                Some(&next) => (next, End::Next),
                None => (self.data.len(), self.end.clone()),
            };
            let segment = self.segment(&self.data[start..stop], self.base + start as u64, end);
            for mut rec in segment.records {
                let fatal = matches!(&rec, Err(e) if e.fatal);
                shift_record(&mut rec, out.count);
                out.records.push(rec);
                if fatal {
                    out.stop = true;
                    break;
                }
            }
            out.count += segment.count;
            if segment.root_closed {
                out.stop = true;
            }
            if out.stop {
                break;
            }
        }
        out
    }
}

/// What one segment holds.
struct Segment {
    /// Its records, numbered from 1 within the segment, up to the first fatal problem.
    records: Vec<Result<Record, InputError>>,
    /// Records counted (the numbers used), skipped ones included.
    count: u64,
    /// The root's end tag was read.
    root_closed: bool,
}

impl Segment {
    fn read<'i, E: Events<'i>>(mut parser: RecordParser<'i, E>) -> (Segment, RecordParser<'i, E>) {
        let mut records = Vec::new();
        for rec in parser.by_ref() {
            let fatal = matches!(&rec, Err(e) if e.fatal);
            records.push(rec);
            if fatal {
                break;
            }
        }
        let segment = Segment {
            records,
            count: parser.record,
            root_closed: parser.root_closed,
        };
        (segment, parser)
    }
}

impl PubmedBlock {
    /// Parse one segment of the block, `base` bytes into the file. A segment of valid UTF-8
    /// whose records all read well is parsed without quick-xml's UTF-8 checks per event
    /// ([`super::slice`]); any other (a broken record, invalid UTF-8, a comment or CDATA
    /// section) is parsed by quick-xml, which gives the messages and positions.
    fn segment(&self, data: &[u8], base: u64, end: End) -> Segment {
        if let Ok(text) = simdutf8::basic::from_utf8(data) {
            let parser = RecordParser::checked_segment(text, base, &self.ctx, end.clone());
            let (segment, parser) = Segment::read(parser);
            if !parser.xml.bailed() && segment.records.iter().all(|r| r.is_ok()) {
                return segment;
            }
        }
        Segment::read(RecordParser::segment(data, base, &self.ctx, end)).0
    }
}

/// Size of the reads that fill a block.
const READ: usize = 256 * 1024;

/// The blocks of one PubMed XML file, read from its (decompressed) bytes. An `Err` is a fatal
/// problem with the prolog (not XML, not PubMed, empty); it ends the file.
///
/// After the prolog, each record's start tag (`<PubmedArticle`, `<PubmedBookArticle`,
/// `<DeleteCitation`, `<DeleteDocument`; `<MedlineCitation` in a `MedlineCitationSet`) begins a
/// segment that runs to the next one; comments, CDATA sections and processing instructions are
/// skipped whole when looking for them. A block is whole segments, cut at the first record start
/// past [`InputOptions::pubmed_block_bytes`].
pub struct Blocks<R: BufRead> {
    src: Option<R>,
    path: String,
    opts: InputOptions,
    ctx: Option<Arc<Context>>,
    scanner: Scanner,
    data: Vec<u8>,
    base: u64,
    starts: Vec<usize>,
}

impl<R: BufRead> Blocks<R> {
    pub fn new(reader: R, path: impl Into<String>, opts: &InputOptions) -> Blocks<R> {
        Blocks {
            src: Some(reader),
            path: path.into(),
            opts: opts.clone(),
            ctx: None,
            scanner: Scanner::new(Root::Pubmed),
            data: Vec::new(),
            base: 0,
            starts: vec![0],
        }
    }

    /// Read the prolog up to the root's start tag. `Ok(false)`: the file holds no records.
    fn start(&mut self) -> Result<bool, InputError> {
        let Some(src) = self.src.take() else { return Ok(false) };
        let mut prolog = RecordParser::prolog(src, &self.path, &self.opts);
        if !prolog.read_root()? {
            return Ok(false);
        }
        let root = prolog.root.expect("read_root sets the root");
        let (rest, pos, root_name) = prolog.into_rest();
        self.src = Some(rest);
        self.base = pos;
        self.scanner = Scanner::new(root);
        self.ctx = Some(Arc::new(Context {
            path: self.path.clone(),
            include_other: self.opts.include_other_abstracts,
            max_record_bytes: self.opts.max_record_bytes,
            root,
            root_name,
        }));
        Ok(true)
    }

    /// Hand on the bytes before `cut` as a block.
    fn take(&mut self, cut: usize, end: End) -> PubmedBlock {
        let ctx = Arc::clone(self.ctx.as_ref().expect("blocks are cut after the prolog"));
        let mut next = Vec::with_capacity(self.opts.pubmed_block_bytes.max(1) + READ);
        next.extend_from_slice(&self.data[cut..]);
        let mut data = std::mem::replace(&mut self.data, next);
        data.truncate(cut);
        let starts = std::mem::replace(&mut self.starts, vec![0]);
        self.scanner.rebase(cut);
        let base = self.base;
        self.base += cut as u64;
        PubmedBlock {
            ctx,
            data,
            base,
            starts,
            end,
        }
    }

    /// The last block of the file: everything left.
    fn last(&mut self, end: End) -> PubmedBlock {
        self.src = None;
        self.take(self.data.len(), end)
    }

    /// If the current segment, ending at `end`, is over the record limit: the last block, cut
    /// just past the limit (its parse reports the record as too large).
    fn over_limit(&mut self, end: usize) -> Option<PubmedBlock> {
        let start = *self.starts.last().expect("starts holds the block's first segment");
        let limit = usize::try_from(self.opts.max_record_bytes).unwrap_or(usize::MAX);
        if end - start <= limit {
            return None;
        }
        self.data.truncate(start.saturating_add(limit).saturating_add(1));
        Some(self.last(End::Limit))
    }
}

impl<R: BufRead> Iterator for Blocks<R> {
    type Item = Result<PubmedBlock, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.ctx.is_none() {
            match self.start() {
                Ok(true) => {}
                Ok(false) => return None,
                Err(e) => return Some(Err(e)),
            }
        }
        self.src.as_ref()?;
        let block_bytes = self.opts.pubmed_block_bytes.max(1);
        loop {
            while let Found::Start(at) = self.scanner.next(&self.data) {
                if let Some(block) = self.over_limit(at) {
                    return Some(Ok(block));
                }
                if at >= block_bytes {
                    return Some(Ok(self.take(at, End::Next)));
                }
                if at != *self.starts.last().expect("starts holds the block's first segment") {
                    self.starts.push(at);
                }
            }
            if let Some(block) = self.over_limit(self.data.len()) {
                return Some(Ok(block));
            }
            let src = self.src.as_mut()?;
            let read = match src.fill_buf() {
                Ok(buf) => {
                    self.data.extend_from_slice(buf);
                    buf.len()
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    let e = InputError::io(&self.path, &e);
                    return Some(Ok(self.last(End::Io(e))));
                }
            };
            if read == 0 {
                return Some(Ok(self.last(End::File)));
            }
            src.consume(read);
        }
    }
}

/// A streaming reader of PubMed XML records on one thread: the blocks of [`Blocks`] parsed in
/// turn. The parallel pipeline parses the same blocks on its workers instead.
pub struct PubmedReader<R: BufRead>(BlockReader<Blocks<R>>);

impl<R: BufRead> PubmedReader<R> {
    pub fn new(reader: R, path: impl Into<String>, opts: &InputOptions) -> PubmedReader<R> {
        PubmedReader::from_blocks(Blocks::new(reader, path, opts))
    }

    pub fn from_blocks(blocks: Blocks<R>) -> PubmedReader<R> {
        PubmedReader(BlockReader::new(blocks))
    }
}

impl<R: BufRead> Iterator for PubmedReader<R> {
    type Item = Result<Record, InputError>;

    fn next(&mut self) -> Option<Self::Item> {
        self.0.next()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The record starts the scanner finds in `marked` (each marked by a `|`, which is removed),
    /// fed whole and in pieces of every size.
    fn check(root: Root, marked: &str) {
        let data = marked.replace('|', "");
        let mut want = Vec::new();
        for (i, c) in marked.char_indices() {
            if c == '|' {
                want.push(i - want.len());
            }
        }
        let data = data.as_bytes();
        for step in 1..=data.len().max(1) {
            let mut scanner = Scanner::new(root);
            let mut got = Vec::new();
            let mut have = 0;
            loop {
                have = (have + step).min(data.len());
                while let Found::Start(at) = scanner.next(&data[..have]) {
                    got.push(at);
                }
                if have == data.len() {
                    break;
                }
            }
            assert_eq!(got, want, "{marked:?}, fed {step} bytes at a time");
        }
    }

    #[test]
    fn record_starts_table() {
        let cases: [(Root, &str); 16] = [
            (Root::Pubmed, ""),
            (
                Root::Pubmed,
                "\n|<PubmedArticle>x</PubmedArticle>\n|<PubmedArticle Status=\"y\">x</PubmedArticle>",
            ),
            (Root::Pubmed, "</PubmedArticle><PubmedArticleSet><PubmedArticleX>"),
            (
                Root::Pubmed,
                "|<PubmedBookArticle>b</PubmedBookArticle>|<DeleteCitation><PMID>1</PMID></DeleteCitation>|<DeleteDocument/>",
            ),
            (Root::Pubmed, "|<PubmedArticle\n>|<PubmedArticle/>|<PubmedArticle\t/>"),
            (Root::Pubmed, "<!-- <PubmedArticle> --> |<PubmedArticle>"),
            (Root::Pubmed, "<!---><PubmedArticle>-->|<PubmedArticle>"),
            (Root::Pubmed, "<t><![CDATA[ <PubmedArticle> ]]></t>|<PubmedArticle>"),
            (Root::Pubmed, "<?pi <PubmedArticle> ?>|<PubmedArticle>"),
            (Root::Pubmed, "<!-- <PubmedArticle> never closed"),
            (Root::Pubmed, "<PubmedArticle\u{e9}>"),
            (Root::Pubmed, "<PubmedArticle"),
            (
                Root::Pubmed,
                "|<PubmedArticle><MedlineCitation><PMID>1</PMID></MedlineCitation>",
            ),
            (
                Root::Medline,
                "|<MedlineCitation><PMID>1</PMID></MedlineCitation>|<DeleteCitation/>",
            ),
            (Root::Medline, "<PubmedArticle>|<MedlineCitation>"),
            (Root::Pubmed, "<a>&lt;PubmedArticle&gt;</a>"),
        ];
        for (root, marked) in cases {
            check(root, marked);
        }
    }

    /// A file with every kind of record and problem: deletes, a replacement, a broken record,
    /// a record never closed, an unexpected element, a comment and CDATA holding start tags.
    const MIXED: &str = "<?xml version=\"1.0\"?>\n<!DOCTYPE PubmedArticleSet>\n<PubmedArticleSet>\n\
        <PubmedArticle><MedlineCitation><PMID>1</PMID><Article><ArticleTitle>one</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n\
        <!-- <PubmedArticle><MedlineCitation><PMID>99</PMID></MedlineCitation></PubmedArticle> -->\n\
        <PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>two <![CDATA[<DeleteCitation>]]></ArticleTitle></Article></MedlineCitation></PubmedArticle>\n\
        <DeleteCitation><PMID>1</PMID></DeleteCitation>\n\
        <PubmedArticle><MedlineCitation><PMID>3</PMID><Article><ArticleTitle>bad</Article></MedlineCitation></PubmedArticle>\n\
        <PubmedArticle><MedlineCitation><PMID>4</PMID><Article><ArticleTitle>open\n\
        <Unexpected>x</Unexpected>\n\
        <DeleteCitation/>\n\
        <PubmedArticle><MedlineCitation><PMID>2</PMID><Article><ArticleTitle>two again</ArticleTitle></Article></MedlineCitation></PubmedArticle>\n\
        </PubmedArticleSet>\n\
        <PubmedArticle><MedlineCitation><PMID>5</PMID></MedlineCitation></PubmedArticle>\n";

    fn describe(recs: &[Result<Record, InputError>]) -> Vec<String> {
        recs.iter()
            .map(|r| match r {
                Ok(Record::Document(d)) => format!(
                    "record {} id {} {:?}",
                    d.origin.record,
                    d.id,
                    d.sections.iter().map(|s| s.text.as_str()).collect::<Vec<_>>()
                ),
                Ok(Record::Delete(ids)) => format!("delete {ids:?}"),
                Err(e) => format!("error {e}"),
            })
            .collect()
    }

    #[test]
    fn the_records_do_not_depend_on_the_block_size() {
        let at = |s: &str| MIXED.find(s).unwrap();
        let want = vec![
            "record 1 id 1 [\"one\"]".to_string(),
            "record 2 id 2 [\"two <DeleteCitation>\"]".to_string(),
            "delete [\"1\"]".to_string(),
            format!(
                "error t.xml: byte {}: record 4 (id 3): malformed XML: </Article> closes <ArticleTitle>",
                at("bad</Article>") + 3
            ),
            format!(
                "error t.xml: byte {}: record 5 (id 4): <PubmedArticle> is not closed before the next record starts; skipped (fix: check the file; every record ends with its end tag)",
                at("<DeleteCitation/>")
            ),
            "record 6 id 2 [\"two again\"]".to_string(),
        ];
        for block in 1..=MIXED.len() + 1 {
            let opts = InputOptions {
                pubmed_block_bytes: block,
                ..InputOptions::default()
            };
            let got: Vec<_> = PubmedReader::new(MIXED.as_bytes(), "t.xml", &opts).collect();
            assert_eq!(describe(&got), want, "blocks of {block} bytes");
        }
    }
}
