//! What the XML readers (PubMed, BioC) share: the element stack, text with reader spacing, entity
//! references, and error messages for quick-xml's errors.
//!
//! # Text with reader spacing
//!
//! The text of an element is all the text inside it, markup removed, as ElementTree's
//! `itertext()` gives it, with two rules a reader would apply:
//!
//! * runs of XML white space (space, tab, CR, LF) become one space, and the text is trimmed;
//!   inline markup adds no space (`IL-1<i>β</i>` reads `IL-1β`);
//! * inside MathML (`<mml:math>`) white space between elements carries no meaning, so every text
//!   node there is trimmed before it is appended (`<msup><mi>R</mi> <mn>2</mn></msup>` reads
//!   `R2`).
//!
//! `scripts/pubmed_expected.py` applies the same two rules to ElementTree's output; a test
//! compares the two on real records.

use std::borrow::Cow;
use std::io::{self, BufRead, Read};

use quick_xml::events::BytesRef;

/// XML white space (the only white space these rules touch; U+00A0 and friends are text).
pub fn is_xml_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Text collected from one element, with reader spacing.
#[derive(Debug, Default)]
pub struct TextBuf {
    text: String,
    /// White space seen since the last word: one space is written before the next word.
    pending_space: bool,
    /// Depth of MathML elements we are inside (0: not in MathML).
    math_depth: usize,
    /// The current MathML text node, trimmed when the node ends.
    math_node: String,
}

impl TextBuf {
    pub fn clear(&mut self) {
        self.text.clear();
        self.pending_space = false;
        self.math_depth = 0;
        self.math_node.clear();
    }

    /// Append text (already decoded).
    pub fn push(&mut self, s: &str) {
        if self.math_depth > 0 {
            self.math_node.push_str(s);
        } else {
            push_collapsed(&mut self.text, s, &mut self.pending_space);
        }
    }

    pub fn push_char(&mut self, c: char) {
        let mut b = [0u8; 4];
        self.push(c.encode_utf8(&mut b));
    }

    /// An element starts (or an empty element stands) inside the text.
    pub fn start(&mut self, local_name: &str) {
        self.end_math_node();
        if self.math_depth > 0 || local_name == "math" {
            self.math_depth += 1;
        }
    }

    /// An element inside the text ends.
    pub fn end(&mut self) {
        self.end_math_node();
        if self.math_depth > 0 {
            self.math_depth -= 1;
        }
    }

    /// An empty element (`<mml:mspace/>`, `<br/>`) inside the text.
    pub fn empty(&mut self, local_name: &str) {
        self.start(local_name);
        self.end();
    }

    fn end_math_node(&mut self) {
        if self.math_depth > 0 && !self.math_node.is_empty() {
            let node = std::mem::take(&mut self.math_node);
            let trimmed = node.trim_matches(|c: char| c.is_ascii() && is_xml_ws(c as u8));
            // Trimmed, so no space joins it to the math before it; space inside it collapses.
            push_collapsed(&mut self.text, trimmed, &mut self.pending_space);
            self.math_node = node;
            self.math_node.clear();
        }
    }

    /// The text so far (complete once the element has ended).
    pub fn as_str(&mut self) -> &str {
        self.end_math_node();
        &self.text
    }

    /// Take the text out, leaving the buffer empty but keeping its capacity where possible.
    pub fn take(&mut self) -> String {
        self.end_math_node();
        let out = self.text.clone();
        self.clear();
        out
    }
}

/// Append `s` to `out`, turning runs of XML white space into one space. The space is written
/// lazily, before the next word, so the text never ends in white space and never starts with it.
pub fn push_collapsed(out: &mut String, s: &str, pending: &mut bool) {
    let bytes = s.as_bytes();
    // Fast path, most text nodes: single spaces between words, nothing to collapse or trim.
    if let (Some(&first), Some(&last)) = (bytes.first(), bytes.last())
        && first != b' '
        && last != b' '
        && !bytes.iter().any(|&b| matches!(b, b'\t' | b'\n' | b'\r'))
        && !bytes.windows(2).any(|w| w == b"  ")
    {
        if *pending && !out.is_empty() {
            out.push(' ');
        }
        *pending = false;
        out.push_str(s);
        return;
    }
    let mut i = 0;
    while i < bytes.len() {
        let ws = i;
        while i < bytes.len() && is_xml_ws(bytes[i]) {
            i += 1;
        }
        if i > ws {
            *pending = true;
        }
        let word = i;
        while i < bytes.len() && !is_xml_ws(bytes[i]) {
            i += 1;
        }
        if i > word {
            if *pending && !out.is_empty() {
                out.push(' ');
            }
            *pending = false;
            // ASCII white space never falls inside a UTF-8 sequence, so these are char boundaries.
            out.push_str(&s[word..i]);
        }
    }
}

/// Collapse and trim a whole string (for attribute values and short fields).
pub fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut pending = false;
    push_collapsed(&mut out, s, &mut pending);
    out
}

/// Resolve an entity or character reference; `Err` names what is wrong.
pub fn resolve_ref(r: &BytesRef<'_>) -> Result<char, String> {
    match r.resolve_char_ref() {
        Ok(Some(c)) => return Ok(c),
        Ok(None) => {}
        Err(e) => return Err(format!("invalid character reference &{};: {e}", &**r)),
    }
    match &**r {
        "lt" => Ok('<'),
        "gt" => Ok('>'),
        "amp" => Ok('&'),
        "apos" => Ok('\''),
        "quot" => Ok('"'),
        other => Err(format!(
            "unknown entity &{other}; (XML defines only &lt; &gt; &amp; &apos; &quot; and numeric references)"
        )),
    }
}

/// The value of an attribute, entities resolved, or `None` if absent or broken.
pub fn attr<'a>(e: &'a quick_xml::events::BytesStart<'_>, key: &str) -> Option<Cow<'a, str>> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == key)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| Cow::Owned(v.into_owned()))
        })
}

/// The names of the open elements, kept in one reused buffer.
#[derive(Debug, Default)]
pub struct Stack {
    names: String,
    starts: Vec<usize>,
}

impl Stack {
    pub fn clear(&mut self) {
        self.names.clear();
        self.starts.clear();
    }

    pub fn push(&mut self, name: &str) {
        self.starts.push(self.names.len());
        self.names.push_str(name);
    }

    pub fn depth(&self) -> usize {
        self.starts.len()
    }

    /// The name of the element at `depth` (1 = the root).
    pub fn at(&self, depth: usize) -> &str {
        if depth == 0 || depth > self.starts.len() {
            return "";
        }
        let start = self.starts[depth - 1];
        let end = self.starts.get(depth).copied().unwrap_or(self.names.len());
        &self.names[start..end]
    }

    /// The innermost open element.
    pub fn top(&self) -> &str {
        self.at(self.depth())
    }

    /// The parent of the innermost open element.
    pub fn parent(&self) -> &str {
        self.at(self.depth().saturating_sub(1))
    }

    /// Close the innermost element; `Err` carries the name that was expected.
    pub fn pop(&mut self, name: &str) -> Result<(), String> {
        match self.starts.pop() {
            Some(start) => {
                let ok = self.names[start..] == *name;
                let expected = if ok {
                    String::new()
                } else {
                    self.names[start..].to_string()
                };
                self.names.truncate(start);
                if ok { Ok(()) } else { Err(expected) }
            }
            None => Err(String::new()),
        }
    }
}

/// The local part of a qualified name (`mml:math` -> `math`).
pub fn local(name: &str) -> &str {
    name.rsplit_once(':').map_or(name, |(_, l)| l)
}

/// A byte stream with a few bytes put back in front of it.
///
/// quick-xml stops for good after its first error. To go on with the next record, a reader
/// scans the raw bytes for the next record's start tag ([`scan_to_start`]), puts `<Name` back
/// with [`Prefixed::put_back`] and starts a fresh quick-xml reader on the same stream.
pub struct Prefixed<R> {
    prefix: Vec<u8>,
    at: usize,
    inner: R,
    /// Bytes consumed from `inner` (put-back bytes not counted).
    inner_consumed: u64,
}

impl<R: BufRead> Prefixed<R> {
    pub fn new(inner: R) -> Prefixed<R> {
        Prefixed {
            prefix: Vec::new(),
            at: 0,
            inner,
            inner_consumed: 0,
        }
    }

    /// The offset in the underlying stream of the first put-back byte: the bytes put back were
    /// the last ones consumed from it.
    pub fn start_of_put_back(&self) -> u64 {
        self.inner_consumed.saturating_sub(self.prefix.len() as u64)
    }

    pub fn put_back(&mut self, bytes: &[u8]) {
        self.prefix.clear();
        self.prefix.extend_from_slice(bytes);
        self.at = 0;
    }
}

impl<R: BufRead> Read for Prefixed<R> {
    fn read(&mut self, out: &mut [u8]) -> io::Result<usize> {
        super::limit::read_via_buf(self, out)
    }
}

impl<R: BufRead> BufRead for Prefixed<R> {
    fn fill_buf(&mut self) -> io::Result<&[u8]> {
        if self.at < self.prefix.len() {
            Ok(&self.prefix[self.at..])
        } else {
            self.inner.fill_buf()
        }
    }

    fn consume(&mut self, amt: usize) {
        if self.at < self.prefix.len() {
            self.at = (self.at + amt).min(self.prefix.len());
        } else {
            self.inner_consumed += amt as u64;
            self.inner.consume(amt);
        }
    }
}

/// Skip raw bytes up to the next start tag whose name `wanted` accepts, consuming `<` and the
/// name. Returns the name, or `None` at the end of the input. Nothing is buffered beyond one
/// name, so memory stays flat whatever the input.
pub fn scan_to_start(src: &mut impl BufRead, wanted: impl Fn(&str) -> bool) -> io::Result<Option<String>> {
    let mut name = Vec::with_capacity(32);
    loop {
        let (found, n) = {
            let buf = src.fill_buf()?;
            if buf.is_empty() {
                return Ok(None);
            }
            match buf.iter().position(|&b| b == b'<') {
                Some(i) => (true, i + 1),
                None => (false, buf.len()),
            }
        };
        src.consume(n);
        if !found {
            continue;
        }
        name.clear();
        loop {
            let b = match src.fill_buf()?.first() {
                Some(&b) => b,
                None => return Ok(None),
            };
            if name.len() < 64 && (b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'-' | b'.')) {
                name.push(b);
                src.consume(1);
            } else {
                break;
            }
        }
        if let Ok(n) = std::str::from_utf8(&name)
            && !n.is_empty()
            && wanted(n)
        {
            return Ok(Some(n.to_string()));
        }
    }
}

/// A message for a quick-xml error.
pub fn describe(err: &quick_xml::Error) -> String {
    use quick_xml::Error;
    match err {
        Error::Encoding(e) => format!("invalid UTF-8 ({e})"),
        Error::Syntax(e) => format!("malformed XML: {e}"),
        Error::IllFormed(e) => format!("malformed XML: {e}"),
        Error::InvalidAttr(e) => format!("malformed attribute: {e}"),
        Error::Escape(e) => format!("malformed reference: {e}"),
        Error::Namespace(e) => format!("namespace error: {e}"),
        Error::Io(e) => format!("read error: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collapsing_table() {
        let cases = [
            ("  a  b\n\tc ", "a b c"),
            ("", ""),
            ("   ", ""),
            ("α\u{a0}β", "α\u{a0}β"),
            ("x\r\ny", "x y"),
            ("plain words", "plain words"),
            ("two  spaces", "two spaces"),
            (" lead", "lead"),
        ];
        for (input, want) in cases {
            assert_eq!(collapse(input), want, "{input:?}");
        }
    }

    #[test]
    fn inline_markup_adds_no_space_and_math_is_trimmed() {
        let mut t = TextBuf::default();
        t.push("IL-1");
        t.start("i");
        t.push("β");
        t.end();
        t.push(" rises ( ");
        t.start("math");
        t.push(" ");
        t.start("msup");
        t.start("mi");
        t.push("R");
        t.end();
        t.push(" ");
        t.start("mn");
        t.push(" 2 ");
        t.end();
        t.end();
        t.end();
        t.push("  = 0.7)");
        assert_eq!(t.take(), "IL-1β rises ( R2 = 0.7)");
        assert_eq!(t.take(), "");
    }

    #[test]
    fn scanning_finds_the_next_wanted_start_tag_across_buffer_edges() {
        let data = b"junk <a><PubmedArticleX> <PubmedArticle>rest";
        let mut src = io::BufReader::with_capacity(3, &data[..]);
        let got = scan_to_start(&mut src, |n| n == "PubmedArticle").unwrap();
        assert_eq!(got.as_deref(), Some("PubmedArticle"));
        let mut rest = String::new();
        src.read_to_string(&mut rest).unwrap();
        assert_eq!(rest, ">rest");
        let mut p = Prefixed::new(&b">rest"[..]);
        p.put_back(b"<x");
        let mut all = String::new();
        p.read_to_string(&mut all).unwrap();
        assert_eq!(all, "<x>rest");
    }

    #[test]
    fn stack_checks_end_names() {
        let mut s = Stack::default();
        s.push("a");
        s.push("mml:math");
        assert_eq!(s.top(), "mml:math");
        assert_eq!(s.parent(), "a");
        assert_eq!(local(s.top()), "math");
        assert_eq!(s.pop("b"), Err("mml:math".to_string()));
        assert_eq!(s.pop("a"), Ok(()));
        assert_eq!(s.pop("a"), Err(String::new()));
    }
}
