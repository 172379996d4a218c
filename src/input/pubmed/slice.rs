//! quick-xml's events for one segment already checked as UTF-8, without quick-xml's checks.
//!
//! quick-xml 0.42 reading bytes in memory checks the UTF-8 of every event it hands out
//! (`str::from_utf8` on each text node, tag and reference: 1.6 G instructions of the 6.6 G spent
//! parsing pubmed21n1298's records, callgrind; BENCHMARKS.md, "Issue 19: reading PubMed XML
//! faster"). A segment is checked once instead ([`SliceEvents::new`]) and then cut into the same
//! events quick-xml would give, configured as [`super::configure`] does, built with quick-xml's
//! own types so that everything downstream (attributes, references, line ends) is quick-xml's
//! code.
//!
//! Only well-formed markup of the kinds records are made of is cut here: start, end and empty
//! tags, text, `&...;` references and processing instructions (`<?pmcsd?>`, in 2% of the
//! records of pubmed21n1298). At anything else (a comment, CDATA section, XML declaration or
//! DOCTYPE, a tag or reference not closed, a tag without a name, a byte-order
//! mark) the source stops and says so ([`SliceEvents::bailed`]); the segment is then parsed again
//! by quick-xml from its start, so errors, their messages and their positions are always
//! quick-xml's. A test compares the two event by event.

use memchr::{memchr2, memchr3, memchr3_iter};
use quick_xml::events::{BytesEnd, BytesPI, BytesRef, BytesStart, BytesText, Event};

use super::Events;

/// Where the source is: what the next byte starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    /// At a `&`.
    Ref,
    /// At a `<`.
    Markup,
    Done,
}

/// The events of one segment (valid UTF-8), as quick-xml's `Reader<&[u8]>` would give them.
#[derive(Debug)]
pub(super) struct SliceEvents<'i> {
    data: &'i str,
    /// Bytes consumed: quick-xml's `buffer_position`.
    pos: usize,
    state: State,
    /// Something this source does not cut was met: the segment must be parsed by quick-xml.
    bailed: bool,
}

/// XML white space as quick-xml counts it (ends tag names, trimmed from end tag names).
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

/// Where the `>` that ends the tag starting at `bytes[0]` is, quotes respected (quick-xml's
/// `ElementParser`), or `None` if the tag is not closed.
fn tag_end(bytes: &[u8]) -> Option<usize> {
    // most tags hold no quote before their `>`: one search (a scalar look for quotes costs more,
    // +0.58 G instructions on pubmed21n1298)
    let first = memchr3(b'>', b'\'', b'"', bytes)?;
    if bytes[first] == b'>' {
        return Some(first);
    }
    let mut quote = bytes[first];
    let mut outside = false;
    for i in memchr3_iter(b'>', b'\'', b'"', &bytes[first + 1..]) {
        let b = bytes[first + 1 + i];
        if outside {
            match b {
                b'>' => return Some(first + 1 + i),
                q => {
                    quote = q;
                    outside = false;
                }
            }
        } else if b == quote {
            outside = true;
        }
    }
    None
}

impl<'i> SliceEvents<'i> {
    pub(super) fn new(data: &'i str) -> SliceEvents<'i> {
        // quick-xml removes a byte-order mark at the start without counting its bytes
        let bailed = data.starts_with('\u{feff}');
        SliceEvents {
            data,
            pos: 0,
            state: State::Text,
            bailed,
        }
    }

    /// Whether the segment holds something only quick-xml reads (the events so far are void).
    pub(super) fn bailed(&self) -> bool {
        self.bailed
    }

    /// Stop: quick-xml must read this segment.
    fn bail<T>(&mut self) -> Option<T> {
        self.bailed = true;
        self.state = State::Done;
        None
    }

    #[inline(always)]
    fn next_event(&mut self) -> Option<Event<'i>> {
        if self.bailed {
            return None;
        }
        let data = self.data;
        let bytes = data.as_bytes();
        loop {
            let rest = &bytes[self.pos..];
            match self.state {
                State::Done => return Some(Event::Eof),
                State::Text => match memchr2(b'<', b'&', rest) {
                    Some(i) => {
                        self.state = if rest[i] == b'<' { State::Markup } else { State::Ref };
                        if i == 0 {
                            continue;
                        }
                        let text = &data[self.pos..self.pos + i];
                        self.pos += i;
                        return Some(Event::Text(BytesText::from_escaped(text)));
                    }
                    None => {
                        self.state = State::Done;
                        if rest.is_empty() {
                            return Some(Event::Eof);
                        }
                        let text = &data[self.pos..];
                        self.pos = bytes.len();
                        return Some(Event::Text(BytesText::from_escaped(text)));
                    }
                },
                State::Ref => {
                    // quick-xml: up to the `;`, or an error (a dangling `&`) at a `&` or `<` first
                    let mut it = memchr3_iter(b';', b'&', b'<', &rest[1..]);
                    match it.next() {
                        Some(i) if rest[i + 1] == b';' => {
                            let name = &data[self.pos + 1..self.pos + 1 + i];
                            self.pos += i + 2;
                            self.state = State::Text;
                            return Some(Event::GeneralRef(BytesRef::new(name)));
                        }
                        _ => return self.bail(),
                    }
                }
                State::Markup if rest.get(1) == Some(&b'?') => {
                    // a processing instruction (`<?pmcsd?>` in some records): up to the first `?>`
                    let Some(end) = memchr::memchr_iter(b'>', rest).find(|&i| i > 1 && rest[i - 1] == b'?') else {
                        return self.bail();
                    };
                    let tag = &data[self.pos..self.pos + end + 1];
                    if tag.len() <= 4 {
                        return self.bail();
                    }
                    let content = &tag[2..tag.len() - 2];
                    if content.starts_with("xml") && content.as_bytes().get(3).is_none_or(|&b| is_ws(b)) {
                        // an XML declaration: quick-xml's `Decl`
                        return self.bail();
                    }
                    self.pos += end + 1;
                    self.state = State::Text;
                    return Some(Event::PI(BytesPI::new(content)));
                }
                State::Markup => {
                    let Some(end) = tag_end(rest) else { return self.bail() };
                    let tag = &data[self.pos..self.pos + end + 1];
                    match rest.get(1) {
                        Some(b'!' | b'?') | None => return self.bail(),
                        Some(b'/') => {
                            let content = &tag[2..tag.len() - 1];
                            let name = content.trim_end_matches(|c: char| c.is_ascii() && is_ws(c as u8));
                            if name.is_empty() {
                                return self.bail();
                            }
                            self.pos += end + 1;
                            self.state = State::Text;
                            return Some(Event::End(BytesEnd::new(name)));
                        }
                        Some(_) => {
                            let (content, empty) = match tag[1..].strip_suffix("/>") {
                                Some(c) => (c, true),
                                None => (&tag[1..tag.len() - 1], false),
                            };
                            let name_len = content.bytes().position(is_ws).unwrap_or(content.len());
                            if name_len == 0 {
                                return self.bail();
                            }
                            self.pos += end + 1;
                            self.state = State::Text;
                            let start = BytesStart::from_content(content, name_len);
                            return Some(if empty {
                                Event::Empty(start)
                            } else {
                                Event::Start(start)
                            });
                        }
                    }
                }
            }
        }
    }
}

impl<'i> Events<'i> for SliceEvents<'i> {
    #[inline(always)]
    fn event<'b>(&mut self, _: &'b mut Vec<u8>) -> quick_xml::Result<Event<'b>>
    where
        'i: 'b,
    {
        match self.next_event() {
            Some(ev) => Ok(ev),
            // any error will do: the parse of this segment is thrown away
            None => Err(quick_xml::Error::Syntax(quick_xml::errors::SyntaxError::UnclosedTag)),
        }
    }
    fn buffer_position(&self) -> u64 {
        self.pos as u64
    }
    fn error_position(&self) -> u64 {
        self.pos as u64
    }
    fn exceeded(&self) -> bool {
        false
    }
    fn mark(&mut self) {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use quick_xml::Reader;

    /// The events of quick-xml (configured as the PubMed reader configures it) up to its first
    /// error, with the position after each.
    fn quick(data: &str) -> Vec<(String, u64)> {
        let mut r = Reader::from_reader(data.as_bytes());
        super::super::configure(&mut r);
        let mut out = Vec::new();
        loop {
            match r.read_event() {
                Ok(Event::Eof) => {
                    out.push(("Eof".to_string(), r.buffer_position()));
                    return out;
                }
                Ok(ev) => out.push((format!("{ev:?}"), r.buffer_position())),
                Err(e) => {
                    out.push((format!("error {e:?}"), r.buffer_position()));
                    return out;
                }
            }
        }
    }

    /// This source's events, or `None` if it bailed.
    fn ours(data: &str) -> Option<Vec<(String, u64)>> {
        let mut s = SliceEvents::new(data);
        let mut out = Vec::new();
        loop {
            match s.next_event() {
                Some(Event::Eof) => {
                    out.push(("Eof".to_string(), s.buffer_position()));
                    return Some(out);
                }
                Some(ev) => out.push((format!("{ev:?}"), s.buffer_position())),
                None => {
                    assert!(s.bailed());
                    return None;
                }
            }
        }
    }

    /// Same events as quick-xml, or bailed where quick-xml fails or meets what we leave to it.
    fn check(data: &str) -> bool {
        let q = quick(data);
        match ours(data) {
            Some(o) => {
                assert_eq!(o, q, "{data:?}");
                true
            }
            None => false,
        }
    }

    #[test]
    fn same_events_as_quick_xml_or_bails() {
        let cut = [
            "<PubmedArticle><MedlineCitation Status=\"MEDLINE\" Owner=\"NLM\"><PMID Version=\"1\">1</PMID>\n</MedlineCitation></PubmedArticle>\n",
            "<a x='1>2' y=\"'\">t &amp; u&#x3b1;&#945;<b/><c  /></a >\n\t",
            "<ArticleTitle>IL-1<i>β</i> rises\r\n &lt; 2</ArticleTitle></PubmedArticleSet>",
            "text only",
            "",
            "<a>&;</a>",
            "<a\tb='c'>x</a\n>",
            "</PubmedArticleSet>\n",
            "<?pi x?><a/>",
            "<a>x<?pmcsd ?>y</a>",
            "<?p>?>",
            "<?xmlx a?>",
            "<?p?>",
        ];
        for d in cut {
            assert!(check(d), "bailed on {d:?}");
        }
        let left = [
            "<a><!-- c --></a>",
            "<a><![CDATA[x]]></a>",
            "<?xml version='1.0'?><a/>",
            "<?xml?>",
            "<?>",
            "<??>",
            "<?p",
            "<!DOCTYPE a><a/>",
            "<a>lone & amp</a>",
            "<a>&amp</a>",
            "<a>&amp<b/></a>",
            "<a x='>",
            "<a",
            "<",
            "<>",
            "< a>",
            "</>",
            "\u{feff}<a/>",
        ];
        for d in left {
            assert!(!check(d), "cut {d:?}");
        }
    }

    proptest::proptest! {
        #[test]
        fn pieces_of_markup_read_as_quick_xml_reads_them(parts in proptest::collection::vec(
            proptest::sample::select(vec![
                "<a>", "</a>", "<b x=\"1\">", "<b x='>'>", "</b >", "<c/>", "<c />", "text", " ", "\n",
                "\r\n", "&amp;", "&#945;", "&", ";", "<", ">", "/", "'", "\"", "<!-- x -->",
                "<![CDATA[y]]>", "<?p?>", "α", "=",
            ]),
            0..24,
        )) {
            let data: String = parts.concat();
            check(&data);
        }
    }
}
