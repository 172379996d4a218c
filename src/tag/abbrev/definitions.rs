//! Finding the abbreviations a document defines ("neutrophil extracellular traps (NETs)").
//!
//! Detection follows Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
//! definitions in biomedical text": for every parenthesis, the text inside is a short-form
//! candidate and the words before it (back to the start of the long form's search window, see
//! `long_form_window_start`) the long-form candidate; the long form is the shortest suffix of
//! those words in which every letter and digit of the short form occurs in order, the first one
//! at the start of a word. When the parenthesis holds the long form instead ("TF (tissue
//! factor)"), the word before it is the short form. Cases handled beyond the paper's pseudo-code:
//!
//! * detection runs on the case-preserving normal form of the text ([`crate::normalize`]), so
//!   Greek letters, dashes and ligatures read the same in both forms (`TNF-α` = `TNF-alpha`);
//! * nested parentheses: the candidate is the whole balanced group, cut at the first `;` or `,`
//!   ("(TF; CD142)" defines "TF"); a definition inside a parenthesis ("(interleukin (IL)-6)")
//!   takes its long form from inside that parenthesis only;
//! * plural short forms ("NETs") also stand for their singular ("NET") and the reverse;
//! * the title is the first section; a definition anywhere applies to the whole document.
//!
//! What the definitions mean for the mentions is decided in `super::resolve`.

use std::borrow::Cow;

use crate::document::Document;
use crate::normalize::{self, Normalized};
use crate::tag::stage::CaseForms;

/// One abbreviation definition found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Index of the section that holds the definition.
    pub section: u32,
    /// The short form as written in the text.
    pub short: String,
    /// The long form as written in the text.
    pub long: String,
    /// Byte span of the short form in the section's text.
    pub short_span: (u32, u32),
    /// Byte span of the long form in the section's text.
    pub long_span: (u32, u32),
}

impl Definition {
    /// The key under which uses of the short form are looked up: its case-preserving normal
    /// form, with a plural `s` after an upper-case letter or digit removed (NETs -> NET).
    pub fn key(&self) -> String {
        self.key_ref().into_owned()
    }

    /// [`Definition::key`], borrowed from the short form where that is its own normal form:
    /// ASCII without a white space byte other than single spaces (nearly every short form; the
    /// copies were 10 M instructions of target (a) of issue 19, BENCHMARKS.md, "abbrev2").
    pub(super) fn key_ref(&self) -> Cow<'_, str> {
        let short = self.short.as_str();
        // ASCII's normal form turns each of `\t`..`\r` into a space and joins runs of white space
        // (`normalize::canonical`): a form without them, or two spaces together, is its own
        let own = short.is_ascii() && !short.bytes().any(|b| b.wrapping_sub(b'\t') < 5) && !short.contains("  ");
        if own {
            return Cow::Borrowed(singular(short).unwrap_or(short));
        }
        Cow::Owned(short_key(&normalize::canonical(short)))
    }
}

fn short_key(canon: &str) -> String {
    singular(canon).unwrap_or(canon).to_string()
}

/// "NETs" -> "NET"; None when the form is not such a plural.
fn singular(canon: &str) -> Option<&str> {
    let stem = canon.strip_suffix('s')?;
    let last = stem.chars().next_back()?;
    (stem.chars().count() >= 2 && (last.is_uppercase() || last.is_ascii_digit())).then_some(stem)
}

/// Every definition in a document, in document order.
pub fn find_definitions(doc: &Document) -> Vec<Definition> {
    find_definitions_with(doc, &mut CaseForms::default())
}

/// [`find_definitions`], taking the case-preserving normal forms of non-ASCII sections from
/// `forms` (and leaving there those it makes).
pub(super) fn find_definitions_with(doc: &Document, forms: &mut CaseForms) -> Vec<Definition> {
    let mut out = Vec::new();
    for (i, s) in doc.sections.iter().enumerate() {
        if has_candidate(&s.text) {
            find_in(&s.text, i as u32, forms.get(i, &s.text), &mut out);
        }
    }
    out
}

/// The definitions in one text, appended to `out` in text order.
pub fn find_in_text(text: &str, section: u32, out: &mut Vec<Definition>) {
    if has_candidate(text) {
        find_in(text, section, CaseForms::default().get(0, text), out);
    }
}

/// The definitions in `text`, whose case-preserving normal form is `norm` (None: ASCII text).
fn find_in(text: &str, section: u32, norm: Option<&Normalized>, out: &mut Vec<Definition>) {
    match norm {
        // ASCII text: its bytes are its characters; it is read as it is, not copied into
        // characters (copying made this search 1.23 G instructions of tagging pubmed21n1298,
        // BENCHMARKS.md, "Speed per core")
        None => scan_ascii(text, None, text, section, out),
        // a normal form that is ASCII (Greek letters, dashes, ligatures spelled out): its bytes
        // too (collecting the characters of such sections was 0.24 G instructions of the plain-text
        // run (a), BENCHMARKS.md, "Issue 19: the plain-text run")
        Some(norm) if norm.text.is_ascii() => scan_ascii(&norm.text, Some(norm), text, section, out),
        // a normal form that is not ASCII (`±`, `é`, `≥`...): the characters of each
        // parenthesis' window alone, from where its long form's search window can start to its
        // closing parenthesis (collecting every character of such sections was 0.15 G
        // instructions of the 2.61 G of issue 19's plain-text run; BENCHMARKS.md, "Issue 19:
        // the plain-text run, third pass")
        Some(norm) => {
            let form = norm.text.as_str();
            let bytes = form.as_bytes();
            // the characters of `form[cs_from..cs_to]`: the parentheses of one sentence share
            // the start of their windows, and each extends the characters of the one before
            let mut cs: Vec<char> = Vec::new();
            let (mut cs_from, mut cs_to) = (usize::MAX, 0);
            // the close of the last parenthesis whose window was found, and that window's start
            let mut last = None;
            for open in memchr::memchr_iter(b'(', bytes) {
                // parentheses are ASCII, never part of another character: the same close as
                // in characters
                let Some(close) = matching_close(bytes, open) else {
                    continue;
                };
                if !may_define(form, open, close) {
                    continue;
                }
                // read as bytes, the window starts where it does in characters or before (a
                // byte that reads as white space alone, 0x85 or 0xA0, only ever continues a
                // character, never follows a `.`), at a character's start: the window in
                // characters is found within the characters from there
                let from = window_start_after(bytes, open, last);
                last = Some((close, from));
                // a window of ASCII bytes (the form's other characters elsewhere, `p ≥ 0.05`):
                // its bytes are its characters, read as they are (the sections whose normal
                // form is not ASCII, 118 M instructions of target (a) of issue 19 read as
                // characters, 73 M so; BENCHMARKS.md, "abbrev2"). Read from `from` as the characters are, its window starts at its
                // first byte: the search back from `open` stopped first at `from`'s byte before.
                let window = &bytes[from..=close];
                if window.is_ascii() {
                    let at = |i: usize| from + i;
                    define(window, open - from, close - from, 0, at, Some(norm), text, section, out);
                    continue;
                }
                if from != cs_from {
                    cs.clear();
                    (cs_from, cs_to) = (from, from);
                }
                if cs_to <= close {
                    cs.extend(form[cs_to..=close].chars());
                    cs_to = close + 1;
                }
                let (open_byte, close_byte) = (open, close);
                let open = form[from..open_byte].chars().count();
                let close = open + form[open_byte..close_byte].chars().count();
                // the byte offsets of the few characters that end a definition, counted then
                let byte_of = |i: usize| from + cs[..i].iter().map(|c| c.len_utf8()).sum::<usize>();
                let cs = &cs[..=close];
                define(
                    cs,
                    open,
                    close,
                    long_form_window_start(cs, open),
                    byte_of,
                    Some(norm),
                    text,
                    section,
                    out,
                );
            }
        }
    }
}

/// The definitions in `form`, an ASCII case-preserving normal form `norm` of `text` (None:
/// `text` itself), read as bytes: its bytes are its characters.
fn scan_ascii(form: &str, norm: Option<&Normalized>, text: &str, section: u32, out: &mut Vec<Definition>) {
    let bytes = form.as_bytes();
    // the close of the last parenthesis whose window was found, and that window's start
    let mut last = None;
    for open in memchr::memchr_iter(b'(', bytes) {
        let Some(close) = matching_close(bytes, open) else {
            continue;
        };
        if may_define(form, open, close) {
            let window = window_start_after(bytes, open, last);
            last = Some((close, window));
            define(bytes, open, close, window, |i| i, norm, text, section, out);
        }
    }
}

/// [`long_form_window_start`] of the parenthesis at `open`, given `last`: the close of an
/// earlier parenthesis and the start of that one's window. The parentheses of a sentence share
/// the start of their windows, and each was searched for back to it (34 M instructions of the
/// plain-text run of issue 19; BENCHMARKS.md, "aabbrev"): the search that comes to `last`'s
/// close outside any group goes on as `last`'s did and ends where it ended. (Read back from a
/// close, the search passes the group it closes, whose every end of a sentence or clause is
/// nested, and goes on from before its `(` as the search for that one did.)
fn window_start_after(bytes: &[u8], open: usize, last: Option<(usize, usize)>) -> usize {
    let (stop, start) = last.filter(|&(close, _)| close < open).unwrap_or((usize::MAX, 0));
    let mut depth = 0;
    let mut k = open;
    while k > 0 {
        k -= 1;
        match bytes[k] {
            b')' if k == stop && depth == 0 => return start,
            b')' => depth += 1,
            b'(' if depth == 0 => return k + 1,
            b'(' => depth -= 1,
            b'.' | b'!' | b'?' | b';'
                if depth == 0 && bytes.get(k + 1).is_some_and(|&c| char::from(c).is_whitespace()) =>
            {
                return k + 1;
            }
            b':' if depth == 0 => return k + 1,
            _ => {}
        }
    }
    0
}

/// Whether the parenthesis `form[open..=close]` (`close` its matching close) can hold a
/// definition: what [`define`] asks of its content and of the word before it, without the
/// search window of its long form (`long_form_window_start`, ~700 instructions a parenthesis)
/// or the characters of a non-ASCII form. False only where [`define`] finds nothing: its
/// content, cut and trimmed as there, is a short form written as it asks ("long form (short
/// form)"), or of two words or more after a word with a capital letter, of which the short form
/// would be the end ("short form (long form)").
fn may_define(form: &str, open: usize, close: usize) -> bool {
    let bytes = form.as_bytes();
    // the content, cut at the first top-level `;`, `,` or `:` (ASCII, as in `define`): found by
    // memchr where no parenthesis stands before it (every prefix of the content holds as many
    // `(` as `)` or more, so one after no `(` is at the top level); the loop over its bytes was
    // half of this function's 53 M instructions (BENCHMARKS.md, "aabbrev")
    let content = &bytes[open + 1..close];
    let inner_end = match memchr::memchr3(b';', b',', b':', content) {
        None => close,
        Some(p) if memchr::memchr(b'(', &content[..p]).is_none() => open + 1 + p,
        Some(_) => {
            let mut inner_end = close;
            let mut depth = 0i32;
            for (k, &b) in content.iter().enumerate() {
                match b {
                    b'(' => depth += 1,
                    b')' => depth -= 1,
                    b';' | b',' | b':' if depth == 0 => {
                        inner_end = open + 1 + k;
                        break;
                    }
                    _ => {}
                }
            }
            inner_end
        }
    };
    // most parentheses hold no capital and follow a word without one ("(n = 45)", "(p < 0.05)"):
    // ruled out on their bytes, a byte of a non-ASCII character counting as a capital (the
    // tests below as they stand cost ~650 instructions a parenthesis, 55 M in the plain-text
    // run of issue 19; BENCHMARKS.md, "aabbrev")
    let maybe_capital = |b: &u8| b.is_ascii_uppercase() || !b.is_ascii();
    let content = &bytes[open + 1..inner_end];
    if !content.iter().any(maybe_capital) && !word_before(bytes, open).iter().any(maybe_capital) {
        return false;
    }
    let before = &form[..open];
    // the word before, of which the short form would be the end, has a capital
    let capital_before = || {
        let word = word_before(bytes, open);
        // an ASCII run follows an ASCII white space byte or the start: the word itself
        if word.is_ascii() {
            return word.iter().any(u8::is_ascii_uppercase);
        }
        before
            .trim_end_matches(char::is_whitespace)
            .rsplit(char::is_whitespace)
            .next()
            .is_some_and(|w| w.chars().any(char::is_uppercase))
    };
    // ASCII content after an ASCII byte (nearly always): its tests on bytes (with the word
    // before found only where needed, this function 44 M -> 33 M instructions of target (a) of
    // issue 19; BENCHMARKS.md, "abbrev2")
    let last = open.checked_sub(1).map(|p| bytes[p]);
    if content.is_ascii() && last.is_none_or(|b| b.is_ascii()) {
        let Some((short_inside, words)) = content_tests_ascii(content, last) else {
            return false;
        };
        return short_inside || (words >= 2 && capital_before());
    }
    let inner = form[open + 1..inner_end].trim_matches(char::is_whitespace);
    let Some(first) = inner.chars().next() else {
        return false;
    };
    // the words of the content, counted up to three
    let words = || inner.split_whitespace().take(3).count();
    // at most 10 characters (counted no further than the 11th), a capital, a letter or digit
    // first, a single one only after white space, at most two words
    let short_inside = first.is_alphanumeric()
        && inner.chars().nth(10).is_none()
        && inner.chars().any(char::is_uppercase)
        && (inner.chars().nth(1).is_some() || before.ends_with(char::is_whitespace))
        && words() <= 2;
    short_inside || (words() >= 2 && capital_before())
}

/// [`may_define`]'s tests of ASCII `content` (cut, not trimmed) after the byte `last` (None:
/// the parenthesis starts the text): whether it is a short form as `define` asks, and its words
/// counted up to three; None when it is empty.
fn content_tests_ascii(content: &[u8], last: Option<u8>) -> Option<(bool, usize)> {
    // ASCII white space as `char::is_whitespace` reads it (vertical tab too)
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let from = content.iter().position(|b| !space(b))?;
    let to = content.iter().rposition(|b| !space(b)).map_or(from, |p| p + 1);
    let inner = &content[from..to];
    let words = inner.split(space).filter(|w| !w.is_empty()).take(3).count();
    let short_inside = inner[0].is_ascii_alphanumeric()
        && inner.len() <= 10
        && inner.iter().any(u8::is_ascii_uppercase)
        && (inner.len() >= 2 || last.is_some_and(|b| space(&b)))
        && words <= 2;
    Some((short_inside, words))
}

/// The bytes of the word before `bytes[at]`, white space between them skipped: those of the
/// last run of bytes before it that are not ASCII white space (a non-ASCII white space character
/// stays in it: the run holds the word as [`define`] reads it, or more).
fn word_before(bytes: &[u8], at: usize) -> &[u8] {
    // ASCII white space as `char::is_whitespace` reads it (vertical tab too)
    let space = |b: &u8| matches!(b, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r');
    let end = bytes[..at].iter().rposition(|b| !space(b)).map_or(0, |p| p + 1);
    let start = bytes[..end].iter().rposition(space).map_or(0, |p| p + 1);
    &bytes[start..end]
}

/// The definition at the parenthesis `cs[open..=close]` (`close` its matching close, the search
/// window of its long form starting at `region_start`, see [`long_form_window_start`]), if it
/// holds one, appended to `out`: `cs` are the characters of the case-preserving normal form
/// `norm` of `text` (None: `text` itself), `byte_of(i)` the byte offset of character `i` in that
/// form.
#[allow(clippy::too_many_arguments)]
fn define<C: Ch>(
    cs: &[C],
    open: usize,
    close: usize,
    region_start: usize,
    byte_of: impl Fn(usize) -> usize,
    norm: Option<&Normalized>,
    text: &str,
    section: u32,
    out: &mut Vec<Definition>,
) {
    let ch = |k: usize| -> char { cs[k].into() };
    // the parenthesis' content, cut at the first top-level `;` or `,`
    let mut inner_end = close;
    let mut depth = 0i32;
    for (k, &c) in cs.iter().enumerate().take(close).skip(open + 1) {
        match c.into() {
            '(' => depth += 1,
            ')' => depth -= 1,
            ';' | ',' | ':' if depth == 0 => {
                inner_end = k;
                break;
            }
            _ => {}
        }
    }
    let (is, ie) = trim(cs, open + 1, inner_end);
    if is >= ie {
        return;
    }
    let (rs, re) = trim(cs, region_start, open);
    if rs >= re {
        return;
    }
    // long form (short form)
    let mut found = None;
    // a single letter defines a short form only after a space: "acid(A)" is a subscript
    if valid_short(&cs[is..ie])
        && (ie - is > 1 || open.checked_sub(1).is_some_and(|p| ch(p).is_whitespace()))
        && words(&cs[is..ie]) <= 2
        && let Some(ls) = C::best_long_form(&cs[is..ie], &cs[rs..re])
    {
        found = Some(((is, ie), (rs + ls, re)));
    }
    // short form (long form)
    if found.is_none() && words(&cs[is..ie]) >= 2 {
        let ss = cs[rs..re]
            .iter()
            .rposition(|&c| c.into().is_whitespace())
            .map_or(rs, |p| rs + p + 1);
        let short = &cs[ss..re];
        if short.len() >= 2
            && valid_short(short)
            && short.iter().any(|&c| c.into().is_uppercase())
            && let Some(ls) = C::best_long_form(short, &cs[is..ie])
        {
            found = Some(((ss, re), (is + ls, ie)));
        }
    }
    let Some(((ss, se), (ls, le))) = found else {
        return;
    };
    // a long form that holds its own short form reaches back over an earlier use of it:
    // "MELD (AUROC: 0.759), CLIF-SOFA (AUROC: 0.767)" (pubmed21n1298, PMID 34092979)
    if contains_word_in(&cs[ls..le], &cs[ss..se]) {
        return;
    }
    let orig_span = |s: usize, e: usize| {
        let (bs, be) = (byte_of(s), byte_of(e));
        norm.map_or((bs, be), |n| n.original_span(text, bs, be))
    };
    let short_span = orig_span(ss, se);
    let long_span = orig_span(ls, le);
    out.push(Definition {
        section,
        short: text[short_span.0..short_span.1].to_string(),
        long: text[long_span.0..long_span.1].to_string(),
        short_span: (short_span.0 as u32, short_span.1 as u32),
        long_span: (long_span.0 as u32, long_span.1 as u32),
    });
}

/// Whether any parenthesis could hold a definition: a short form inside (at most 16
/// characters with a capital letter), or a long form after a word with a capital letter. A
/// cheap test on the raw text that spares most abstracts the full scan.
fn has_candidate(text: &str) -> bool {
    // memchr's vectorised search, and the ASCII ends of the content found as bytes: `str::find`
    // made this test 30 M instructions of the plain-text run of issue 19 (BENCHMARKS.md, "aabbrev")
    let bytes = text.as_bytes();
    for open in memchr::memchr_iter(b'(', bytes) {
        let rest = &bytes[open + 1..];
        let end = rest
            .iter()
            .position(|b| matches!(b, b')' | b',' | b';' | b':'))
            .unwrap_or(rest.len());
        let inner = text[open + 1..open + 1 + end].trim();
        // at most 16 characters, counted no further than the 17th
        if inner.chars().nth(16).is_none() && inner.chars().any(char::is_uppercase) {
            return true;
        }
        let before = text[..open].trim_end();
        let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
        if word.chars().any(char::is_uppercase) && inner.contains(' ') {
            return true;
        }
    }
    false
}

fn matching_close<C: Copy + Into<char>>(cs: &[C], open: usize) -> Option<usize> {
    let mut depth = 0;
    for (k, &c) in cs.iter().enumerate().skip(open) {
        match c.into() {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return Some(k);
                }
            }
            _ => {}
        }
    }
    None
}

/// Where the search window for a long form before the parenthesis at `at` starts: after the
/// enclosing `(`, the last `.`, `!`, `?` or `;` followed by white space, or the last `:`. A
/// long form does not reach over any of them (Schwartz & Hearst look "within the sentence"; a
/// clause or a label is as far as a long form goes). This is not a sentence splitter: the
/// sentences are [`crate::sentence`]'s.
fn long_form_window_start<C: Copy + Into<char>>(cs: &[C], at: usize) -> usize {
    let mut depth = 0;
    let mut k = at;
    while k > 0 {
        k -= 1;
        match cs[k].into() {
            ')' => depth += 1,
            '(' if depth == 0 => return k + 1,
            '(' => depth -= 1,
            '.' | '!' | '?' | ';' if depth == 0 && cs.get(k + 1).is_some_and(|&c| c.into().is_whitespace()) => {
                return k + 1;
            }
            ':' if depth == 0 => return k + 1,
            _ => {}
        }
    }
    0
}

fn trim<C: Copy + Into<char>>(cs: &[C], mut s: usize, mut e: usize) -> (usize, usize) {
    while s < e && cs[s].into().is_whitespace() {
        s += 1;
    }
    while e > s && cs[e - 1].into().is_whitespace() {
        e -= 1;
    }
    (s, e)
}

fn words<C: Copy + Into<char>>(cs: &[C]) -> usize {
    cs.split(|&c| c.into().is_whitespace())
        .filter(|w| !w.is_empty())
        .count()
}

/// A short form: 2 to 10 characters, a capital letter among them, starting with a letter or
/// digit. (Schwartz & Hearst ask only for a letter; without the capital, "(2 mg/kg)" and
/// "(ie)" pass as short forms.)
fn valid_short<C: Copy + Into<char>>(cs: &[C]) -> bool {
    (1..=10).contains(&cs.len()) && cs.iter().any(|&c| c.into().is_uppercase()) && cs[0].into().is_alphanumeric()
}

/// Schwartz & Hearst's `findBestLongForm`: the start (index into `long`) of the shortest suffix
/// of `long`, beginning at a word, that contains the short form's letters and digits in order,
/// the first one at a word start; None if there is none or it fails the paper's length checks.
fn best_long_form<C: Copy + Into<char>>(short: &[C], long: &[C]) -> Option<usize> {
    // ASCII without setting up `to_lowercase`'s iterator (nearly every character here)
    let lower = |c: C| {
        let c: char = c.into();
        if c.is_ascii() {
            c.to_ascii_lowercase()
        } else {
            c.to_lowercase().next().unwrap_or(c)
        }
    };
    let mut s = short.len() as isize - 1;
    let mut l = long.len() as isize - 1;
    while s >= 0 {
        let cur = lower(short[s as usize]);
        if !cur.is_alphanumeric() {
            s -= 1;
            continue;
        }
        while (l >= 0 && lower(long[l as usize]) != cur)
            || (s == 0 && l > 0 && long[l as usize - 1].into().is_alphanumeric())
        {
            l -= 1;
        }
        if l < 0 {
            return None;
        }
        l -= 1;
        s -= 1;
    }
    let start = long[..(l + 1) as usize]
        .iter()
        .rposition(|&c| c.into().is_whitespace())
        .map_or(0, |p| p + 1);
    let lf = &long[start..];
    let n_words = words(lf);
    if lf.len() <= short.len() || n_words > (short.len() + 5).min(short.len() * 2) {
        return None;
    }
    Some(start)
}

/// A character as [`define`] reads it: a `char`, or a byte of ASCII text.
trait Ch: Copy + Into<char> + PartialEq {
    /// [`best_long_form`] of these characters.
    fn best_long_form(short: &[Self], long: &[Self]) -> Option<usize> {
        best_long_form(short, long)
    }
}

impl Ch for char {}

impl Ch for u8 {
    fn best_long_form(short: &[u8], long: &[u8]) -> Option<usize> {
        best_long_form_ascii(short, long)
    }
}

/// [`best_long_form`] of ASCII bytes: each letter or digit of the short form searched for back
/// from the last one's by memchr's `memrchr2` (its two cases) or `memrchr` (a digit), not
/// compared character by character (~1,000 instructions a call, the window being the sentence
/// before the parenthesis: 48 M -> 37 M of target (a) of issue 19; BENCHMARKS.md, "abbrev2").
/// Bytes that are not ASCII are read as [`best_long_form`] reads them.
fn best_long_form_ascii(short: &[u8], long: &[u8]) -> Option<usize> {
    if !short.is_ascii() || !long.is_ascii() {
        return best_long_form(short, long);
    }
    // the search goes on in `long[..end]`
    let mut end = long.len();
    for (k, &c) in short.iter().enumerate().rev() {
        let cur = c.to_ascii_lowercase();
        if !cur.is_ascii_alphanumeric() {
            continue;
        }
        // the last `cur` in either case (a digit as it is), the first one of the short form
        // at a word's start
        loop {
            let hay = &long[..end];
            let at = if cur.is_ascii_lowercase() {
                memchr::memrchr2(cur, cur.to_ascii_uppercase(), hay)
            } else {
                memchr::memrchr(cur, hay)
            }?;
            end = at;
            if k > 0 || at == 0 || !long[at - 1].is_ascii_alphanumeric() {
                break;
            }
        }
    }
    let start = long[..end]
        .iter()
        .rposition(|&c| char::from(c).is_whitespace())
        .map_or(0, |p| p + 1);
    let lf = &long[start..];
    let n_words = words(lf);
    if lf.len() <= short.len() || n_words > (short.len() + 5).min(short.len() * 2) {
        return None;
    }
    Some(start)
}

/// Whether `needle` occurs in `hay` with no word character on either side.
pub(super) fn contains_word(hay: &str, needle: &str) -> bool {
    // a long form is a few words: setting up memchr's search would cost more than it saves
    !needle.is_empty()
        && hay
            .match_indices(needle)
            .any(|(at, _)| is_whole_word(hay, at, needle.len()))
}

/// [`contains_word`] on characters, without copying them into strings (the copies of every
/// candidate's short and long forms were 0.05 G instructions of issue 19's plain-text run;
/// BENCHMARKS.md, "Issue 19: the plain-text run, third pass"): the occurrences taken left to
/// right without overlap, as `str::match_indices` takes them.
fn contains_word_in<C: Copy + Into<char> + PartialEq>(hay: &[C], needle: &[C]) -> bool {
    let n = needle.len();
    if n == 0 {
        return false;
    }
    let word = |k: Option<&C>| k.is_some_and(|&c| normalize::is_word_char(c.into()));
    // the first element compared before the rest: a slice comparison at every position called
    // `memcmp` 608,000 times in target (a) of issue 19, 12.8 M instructions (BENCHMARKS.md,
    // "abbrev2")
    let (first, rest) = (needle[0], &needle[1..]);
    let mut i = 0;
    while i + n <= hay.len() {
        if hay[i] != first || hay[i + 1..i + n] != *rest {
            i += 1;
            continue;
        }
        if !word(i.checked_sub(1).map(|p| &hay[p])) && !word(hay.get(i + n)) {
            return true;
        }
        i += n;
    }
    false
}

/// No word character just before `at` or just after `at + len`.
fn is_whole_word(hay: &str, at: usize, len: usize) -> bool {
    // an ASCII byte next to the form is the character there (nearly always), read without
    // decoding (150,891 calls in target (a) of issue 19, 7.7 M instructions decoding;
    // BENCHMARKS.md, "abbrev2")
    let bytes = hay.as_bytes();
    let before = match at.checked_sub(1).map(|p| bytes[p]) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => hay[..at].chars().next_back().is_some_and(normalize::is_word_char),
    };
    let after = match bytes.get(at + len) {
        None => false,
        Some(b) if b.is_ascii() => b.is_ascii_alphanumeric(),
        Some(_) => hay[at + len..].chars().next().is_some_and(normalize::is_word_char),
    };
    !before && !after
}

/// A form (a short form, its plural, a long form) to look for as a whole word (no word character
/// just before or after it) in every section of a document, its search set up once. memchr's
/// vectorised search finds the same non-overlapping occurrences as `str::match_indices`, whose
/// byte-by-byte search made the uses of the short forms 861 M instructions of tagging
/// pubmed21n1298; setting it up again for every section cost another 70 M (BENCHMARKS.md,
/// "Speed per core").
pub(super) struct WholeWord<'n> {
    finder: memchr::memmem::Finder<'n>,
}

impl<'n> WholeWord<'n> {
    pub(super) fn new(needle: &'n str) -> WholeWord<'n> {
        WholeWord {
            finder: memchr::memmem::Finder::new(needle.as_bytes()),
        }
    }

    /// The length of the form in bytes.
    pub(super) fn needle_len(&self) -> usize {
        self.finder.needle().len()
    }

    /// The byte offsets where the form occurs in `hay` as a whole word.
    pub(super) fn in_text<'a>(&'a self, hay: &'a str) -> impl Iterator<Item = usize> + 'a {
        let len = self.needle_len();
        let found = (len > 0).then(|| self.finder.find_iter(hay.as_bytes()));
        found
            .into_iter()
            .flatten()
            .filter(move |&at| is_whole_word(hay, at, len))
    }
}

/// A short form's key and its plural (the key and an `s`), each looked for as a whole word in
/// every section of a document with one search: the occurrences of the plural are those of the
/// key with an `s` after them. Two searches, one for each, were 282 M instructions of the
/// plain-text run of issue 19 (BENCHMARKS.md, "Issue 19: the plain-text run, second pass").
///
/// The key's occurrences are found at its rarest byte ([`byte_rank`]; `memchr`, vectorised) and
/// compared there. Setting up memchr's substring search for each key of each document (a few
/// thousand bytes of text) cost more than the search: `find_uses` 167 M -> 163 M instructions and
/// the run 8 M fewer (BENCHMARKS.md, "Issue 19: the plain-text run, third pass"). Found at its
/// first byte instead, a key that begins with a small letter or a common capital ("tPA", "IL")
/// stopped at every such letter: 510,009 stops for the 35,023 definitions of the plain-text run,
/// `find_uses` 133 M instructions (BENCHMARKS.md, "aabbrev").
pub(super) struct KeyAndPlural<'n> {
    key: &'n [u8],
    /// The index in `key` of the byte searched for.
    rare: usize,
}

impl<'n> KeyAndPlural<'n> {
    pub(super) fn new(key: &'n str) -> KeyAndPlural<'n> {
        let key = key.as_bytes();
        // the first of the rarest bytes
        let rare = (0..key.len()).min_by_key(|&i| (byte_rank(key[i]), i)).unwrap_or(0);
        KeyAndPlural { key, rare }
    }

    /// `found(at, len)` for every whole-word occurrence in `hay` of the key (`len` its length)
    /// and of its plural (`len` one more), by position: the same occurrences as two searches
    /// ([`WholeWord::in_text`] of each), each taking them left to right without overlap.
    pub(super) fn in_text(&self, hay: &str, mut found: impl FnMut(usize, usize)) {
        let (key, rare) = (self.key, self.rare);
        let len = key.len();
        let Some(&byte) = key.get(rare) else {
            return;
        };
        let bytes = hay.as_bytes();
        // where the next occurrence of each may begin, as in a search for it alone
        let (mut next_key, mut next_plural) = (0, 0);
        // every occurrence of the key, overlapping or not, left to right: each has its rare byte
        // at `rare`, and is found once, where that byte is
        let starts = memchr::memchr_iter(byte, bytes).filter_map(|at| at.checked_sub(rare));
        // compared byte by byte, not by `starts_with` (a call of `memcmp` at every stop, 5.8 M
        // instructions of target (a) of issue 19; BENCHMARKS.md, "abbrev2"): nearly every stop
        // that is not an occurrence differs at its first or second byte
        let here = |at: usize| {
            bytes
                .get(at..at + len)
                .is_some_and(|w| w.iter().zip(key).all(|(a, b)| a == b))
        };
        for at in starts.filter(|&at| here(at)) {
            if at >= next_key {
                next_key = at + len;
                if is_whole_word(hay, at, len) {
                    found(at, len);
                }
            }
            if bytes.get(at + len) == Some(&b's') && at >= next_plural {
                next_plural = at + len + 1;
                if is_whole_word(hay, at, len + 1) {
                    found(at, len + 1);
                }
            }
        }
    }
}

/// How common a byte is in English and biomedical running text, the most common highest: a
/// heuristic for which byte of a short form to search for (any choice finds the same
/// occurrences; a rarer one stops less often). Small letters by their frequency in English,
/// white space and common punctuation above them, digits and capitals below, other bytes
/// (UTF-8's) lowest.
fn byte_rank(b: u8) -> u8 {
    const SMALL: &[u8; 26] = b"etaoinsrhldcumfpgwybvkxjqz";
    const CAPITALS: &[u8; 26] = b"CSPTAIMRDEBHNLFGOVKUWYJXQZ";
    match b {
        b' ' => 255,
        b'a'..=b'z' => 250 - SMALL.iter().position(|&c| c == b).unwrap_or(0) as u8,
        b',' | b'.' | b'-' | b'(' | b')' => 220,
        b'0'..=b'9' => 200,
        b'A'..=b'Z' => 190 - CAPITALS.iter().position(|&c| c == b).unwrap_or(0) as u8,
        0..=0x7F => 120,
        _ => 100,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn defs(text: &str) -> Vec<(String, String)> {
        let mut out = Vec::new();
        find_in_text(text, 0, &mut out);
        out.into_iter().map(|d| (d.short, d.long)).collect()
    }

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter().map(|(s, l)| (s.to_string(), l.to_string())).collect()
    }

    /// Real sentences from the shared corpora (BC5CDR, NCBI disease, the sepsis subset).
    #[test]
    fn detects_definitions_in_real_sentences() {
        let table: &[(&str, &[(&str, &str)])] = &[
            // BC5CDR 20003049: plain definition
            (
                "BACKGROUND: Direct thrombin inhibitors (DTIs) provide an alternative method of anticoagulation.",
                &[("DTIs", "Direct thrombin inhibitors")],
            ),
            // BC5CDR: plural short form
            (
                "Neuromuscular blocking agents (NMBAs) are often used for patients requiring mechanical ventilation.",
                &[("NMBAs", "Neuromuscular blocking agents")],
            ),
            // BC5CDR 14659530: definition in a title, hyphenated long form
            (
                "NO-induced migraine attack: strong increase in plasma calcitonin gene-related peptide (CGRP) concentration and negative correlation with platelet serotonin release.",
                &[("CGRP", "calcitonin gene-related peptide")],
            ),
            // NCBI disease 8808605: hyphens and digits in the long form
            (
                "In most people with red-blood-cell glucose-6-phosphate dehydrogenase (G6PD) deficiency, the enzyme-deficient phenotype is only moderately expressed.",
                &[("G6PD", "glucose-6-phosphate dehydrogenase")],
            ),
            // two definitions in one sentence
            (
                "Sarin and soman are potent inhibitors of acetylcholinesterases (AChEs) and butyrylcholinesterases (BChEs).",
                &[("AChEs", "acetylcholinesterases"), ("BChEs", "butyrylcholinesterases")],
            ),
            // reverse order: short form (long form)
            ("Patients received CCNU (lomustine) and vincristine.", &[]),
            (
                "Sera were tested by RAST (radioallergosorbent test) for specific IgE.",
                &[("RAST", "radioallergosorbent test")],
            ),
            // Greek letters: the short form's letter reads as its name in the long form
            (
                "Serum tumor necrosis factor-α (TNF-α) rose after LPS.",
                &[("TNF-α", "tumor necrosis factor-α")],
            ),
            // nested parentheses: the definition inside a parenthesis
            (
                "Levels of cytokines (interleukin (IL)-6 and IL-8) were measured.",
                &[("IL", "interleukin")],
            ),
            // the parenthesis holds a list: cut at the first comma
            (
                "Monocytes expressed tissue factor (TF, CD142) after LPS.",
                &[("TF", "tissue factor")],
            ),
            // no definition: numbers, statistics, and words that do not spell the short form
            (
                "Large parenteral doses of vitamin D3 (15 to 17.5 x 10(6) IU vitamin D3) were given.",
                &[],
            ),
            (
                "A 30% decrease in platelet count or thrombocytopenia (<150 x 10(9)/L) occurred.",
                &[],
            ),
            ("Mortality was lower (p < 0.05) in treated rats.", &[]),
            // BC5CDR 3780814: a colon ends the short form like a comma
            (
                "It is administered simultaneously with diethylnitrosamine (DEN: 10 mg/kg/day).",
                &[("DEN", "diethylnitrosamine")],
            ),
            // ... but a long form holding its own short form reaches back over an earlier use
            // (pubmed21n1298, PMID 34092979)
            (
                "Its accuracy (AUROC: 0.830) beat MELD (AUROC: 0.759), CLIF-SOFA (AUROC: 0.767).",
                &[],
            ),
            // a short form may be the start of its long form (pubmed21n1298, PMID 33345328)
            (
                "Hirudin (Hiru) can inhibit the activity of thrombin.",
                &[("Hiru", "Hirudin")],
            ),
            // BC5CDR 15638391: a single letter after a space is a short form ...
            (
                "Serum concentrations of prolactin (PRL) and testosterone (T) were measured.",
                &[("PRL", "prolactin"), ("T", "testosterone")],
            ),
            // ... but not a letter written against the word, a subscript (BC5CDR 11860495)
            ("A negative modulator of gamma-aminobutyric acid(A) receptors.", &[]),
        ];
        for (text, want) in table {
            assert_eq!(defs(text), pairs(want), "in {text:?}");
        }
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "Serum tumor necrosis factor-α (TNF-α) rose.";
        let mut out = Vec::new();
        find_in_text(text, 3, &mut out);
        let d = &out[0];
        assert_eq!(d.section, 3);
        assert_eq!(&text[d.short_span.0 as usize..d.short_span.1 as usize], "TNF-α");
        assert_eq!(
            &text[d.long_span.0 as usize..d.long_span.1 as usize],
            "tumor necrosis factor-α"
        );
        assert_eq!(d.key(), "TNF-alpha");
    }

    #[test]
    fn plural_short_forms_share_the_singular_key() {
        for (short, key) in [
            ("NETs", "NET"),
            ("DTIs", "DTI"),
            ("TF", "TF"),
            ("Ts", "Ts"),
            ("IL-6s", "IL-6"),
        ] {
            assert_eq!(short_key(short), key, "{short}");
        }
    }

    /// Each form's whole-word occurrences, by position, as two searches find them.
    fn two_searches(key: &str, hay: &str) -> Vec<(usize, usize)> {
        let plural = format!("{key}s");
        let mut want: Vec<(usize, usize)> = WholeWord::new(key)
            .in_text(hay)
            .map(|at| (at, key.len()))
            .chain(WholeWord::new(&plural).in_text(hay).map(|at| (at, plural.len())))
            .collect();
        want.sort_unstable();
        want
    }

    fn one_search(key: &str, hay: &str) -> Vec<(usize, usize)> {
        let mut got = Vec::new();
        KeyAndPlural::new(key).in_text(hay, |at, len| got.push((at, len)));
        got
    }

    /// (key, text, occurrences (start, length))
    #[test]
    fn a_key_and_its_plural_in_one_search() {
        type Case<'a> = (&'a str, &'a str, &'a [(usize, usize)]);
        let table: &[Case] = &[
            ("NET", "NETs and NET, NETS, xNET, NETss", &[(0, 4), (9, 3)]),
            // overlapping occurrences: each form left to right without overlap, as alone
            ("A-A", "A-A-As A-A-A", &[(0, 3), (2, 4), (7, 3)]),
            ("AA", "AAAs AAs", &[(5, 3)]),
            ("α", "α αs", &[(0, 2), (3, 3)]),
            ("", "anything", &[]),
            // searched at a byte after the first (the capital, the digit)
            ("tPA", "tPA tPAs xtPA tPA-1 tP", &[(0, 3), (4, 4), (14, 3)]),
            ("IL-6", "IL-6 IL-6s IL-66 xIL-6", &[(0, 4), (5, 5)]),
            ("aa1", "aaa1 aa1aa1s aa1s", &[(13, 4)]),
        ];
        for &(key, hay, want) in table {
            assert_eq!(one_search(key, hay), want, "{key:?} in {hay:?}");
            assert_eq!(two_searches(key, hay), want, "{key:?} in {hay:?}");
        }
    }

    /// The definitions at the opening parentheses `opens` of the characters `cs` (indices,
    /// ascending), every parenthesis read by [`define`]: [`find_in`] before it skipped those
    /// that [`may_define`] rules out.
    fn scan<C: Ch>(
        cs: &[C],
        opens: impl Iterator<Item = usize>,
        byte_of: impl Fn(usize) -> usize,
        norm: Option<&Normalized>,
        text: &str,
        section: u32,
        out: &mut Vec<Definition>,
    ) {
        for open in opens {
            let Some(close) = matching_close(cs, open) else {
                continue;
            };
            define(
                cs,
                open,
                close,
                long_form_window_start(cs, open),
                &byte_of,
                norm,
                text,
                section,
                out,
            );
        }
    }

    /// The definitions in ASCII `text`, every parenthesis read by [`define`].
    fn every_parenthesis(text: &str) -> Vec<Definition> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        scan(bytes, memchr::memchr_iter(b'(', bytes), |i| i, None, text, 0, &mut out);
        out
    }

    /// Every parenthesis' window found after the last one's: as searched for alone.
    #[test]
    fn windows_after_the_last_parenthesis() {
        // (text, the start of each parenthesis' window)
        let table: &[(&str, &[usize])] = &[
            ("a. b (x) c (y)", &[2, 2]),
            ("a (b (c) d) e (f)", &[0, 3, 0]),
            ("a) b (c) d) e (f)", &[0, 0]),
            ("x: (a) (b)", &[2, 2]),
            ("(a)(b)", &[0, 0]),
            ("a (b. c) d (e)", &[0, 0]),
            ("a (b) c. d (e) f; (g)", &[0, 8, 17]),
        ];
        for &(text, want) in table {
            let bytes = text.as_bytes();
            let mut last = None;
            let mut got = Vec::new();
            for open in memchr::memchr_iter(b'(', bytes) {
                let start = window_start_after(bytes, open, last);
                assert_eq!(start, long_form_window_start(bytes, open), "{text:?} at {open}");
                got.push(start);
                if let Some(close) = matching_close(bytes, open) {
                    last = Some((close, start));
                }
            }
            assert_eq!(got, want, "{text:?}");
        }
    }

    /// [`has_candidate`] as it searched with `str::find`.
    fn has_candidate_by_str(text: &str) -> bool {
        let mut from = 0;
        while let Some(k) = text[from..].find('(') {
            let open = from + k;
            from = open + 1;
            let inner = &text[open + 1..];
            let inner = &inner[..inner.find([')', ',', ';', ':']).unwrap_or(inner.len())];
            let inner = inner.trim();
            if inner.chars().count() <= 16 && inner.chars().any(char::is_uppercase) {
                return true;
            }
            let before = text[..open].trim_end();
            let word = before.rsplit(char::is_whitespace).next().unwrap_or("");
            if word.chars().any(char::is_uppercase) && inner.contains(' ') {
                return true;
            }
        }
        false
    }

    /// [`may_define`] as it was before its ASCII tests (BENCHMARKS.md, "abbrev2"): the content
    /// and the word before it read as characters.
    fn may_define_by_chars(form: &str, open: usize, close: usize) -> bool {
        let bytes = form.as_bytes();
        let mut inner_end = close;
        let mut depth = 0i32;
        for (k, &b) in bytes.iter().enumerate().take(close).skip(open + 1) {
            match b {
                b'(' => depth += 1,
                b')' => depth -= 1,
                b';' | b',' | b':' if depth == 0 => {
                    inner_end = k;
                    break;
                }
                _ => {}
            }
        }
        let maybe_capital = |b: &u8| b.is_ascii_uppercase() || !b.is_ascii();
        if !bytes[open + 1..inner_end].iter().any(maybe_capital) && !word_before(bytes, open).iter().any(maybe_capital)
        {
            return false;
        }
        let inner = form[open + 1..inner_end].trim_matches(char::is_whitespace);
        let Some(first) = inner.chars().next() else {
            return false;
        };
        let before = &form[..open];
        let words = || inner.split_whitespace().take(3).count();
        let short_inside = first.is_alphanumeric()
            && inner.chars().nth(10).is_none()
            && inner.chars().any(char::is_uppercase)
            && (inner.chars().nth(1).is_some() || before.ends_with(char::is_whitespace))
            && words() <= 2;
        short_inside
            || (words() >= 2
                && before
                    .trim_end_matches(char::is_whitespace)
                    .rsplit(char::is_whitespace)
                    .next()
                    .is_some_and(|w| w.chars().any(char::is_uppercase)))
    }

    /// (text, whether a parenthesis in it may hold a definition)
    #[test]
    fn may_define_rules_out_what_cannot_define() {
        let table = [
            ("tissue factor (TF) rose", true),
            ("patients (n = 45) died", false),
            ("lower (p < 0.05) in", false),
            ("a ratio (OR 1.5) of", true),
            ("a ratio (OR = 1.5) of", false),
            ("were (95% CI, 1.2) as", true),
            ("acid(A) receptors", false),
            ("testosterone (T) and", true),
            ("RAST (radioallergosorbent test) for", true),
            ("rast (radioallergosorbent test) for", false),
            ("CCNU(lomustine) and", false),
            ("CCNU  (lomustine sulfate) and", true),
            ("( ) and (;TF)", false),
            // the outer parenthesis: too long for a short form, no capital in the word before
            ("nested (interleukin (IL)-6 and IL-8)", false),
            ("x (é-Ü) y", true),
            ("x (elevenchars) y", false),
            ("x (ElevenChars) y", false),
            // a capital or a non-ASCII character in the word before passes the bytes' test
            ("Über (über eine reihe)", true),
            ("über\u{A0}(n m)", false),
            ("TF\u{A0}(tissue factor)", true),
            ("TF\u{B}(tissue factor)", true),
            ("tf\u{B}(tissue factor)", false),
            // a `,` after a nested parenthesis: the content is cut there all the same
            ("x (a (b), TF) y", false),
            ("TF (tissue (b) factor, x) y", true),
            ("x (a (b, TF)) y", false),
        ];
        for (text, want) in table {
            let open = text.find('(').expect("a parenthesis");
            let close = matching_close(text.as_bytes(), open).expect("closed");
            assert_eq!(may_define(text, open, close), want, "{text:?}");
        }
    }

    /// The definitions in `text` as [`find_in`] found them before it read the windows of
    /// the parentheses alone: every character of the normal form collected.
    fn all_characters(text: &str) -> Vec<Definition> {
        let norm = normalize::normalize(text, false);
        let chars: Vec<(usize, char)> = norm.text.char_indices().collect();
        let cs: Vec<char> = chars.iter().map(|&(_, c)| c).collect();
        let opens = cs.iter().enumerate().filter(|&(_, &c)| c == '(').map(|(k, _)| k);
        let byte_of = |i: usize| chars.get(i).map_or(norm.text.len(), |&(b, _)| b);
        let mut out = Vec::new();
        scan(&cs, opens, byte_of, Some(&norm), text, 0, &mut out);
        out
    }

    /// (hay, needle, whether it stands there as a whole word): the occurrences of `str::match_indices`,
    /// left to right without overlap, in strings and in characters alike.
    #[test]
    fn whole_words_in_strings_and_characters() {
        let table = [
            ("MELD (AUROC", "MELD", true),
            ("CLIF-SOFA", "SOFA", true),
            ("xMELD", "MELD", false),
            ("MELDs", "MELD", false),
            ("xA-A-A", "A-A", false),
            ("A-A-A", "A-A", true),
            ("é-TF", "TF", true),
            ("éTF", "TF", false),
            ("", "TF", false),
        ];
        for (hay, needle, want) in table {
            assert_eq!(contains_word(hay, needle), want, "{hay:?} {needle:?}");
            let (h, n): (Vec<char>, Vec<char>) = (hay.chars().collect(), needle.chars().collect());
            assert_eq!(contains_word_in(&h, &n), want, "{hay:?} {needle:?}");
        }
    }

    /// Non-ASCII normal forms, read by windows, define what they did read whole.
    #[test]
    fn windows_of_non_ascii_forms_define_what_the_whole_form_does() {
        let table = [
            "Tumour necrosis factor-α (TNF-α) and the p ≥ 0.05 (NS).",
            "± ratio: Über Große Einheit (ÜGE) here. Second Level Entry (SLE)",
            "x:(A) é (B) ±. (C)",
            "the Ångström Unit (ÅU)\u{2009}. Next Word Form (NWF)",
            "nested (interleukin (IL)-6) and ÜBER (über eine reihe)",
            "unclosed ( é (Tissue Factor (TF)",
            "(é) (TF) tissue factor",
        ];
        for text in table {
            let mut got = Vec::new();
            find_in(text, 0, Some(&normalize::normalize(text, false)), &mut got);
            assert_eq!(got, all_characters(text), "{text:?}");
        }
        assert_eq!(
            defs(table[0]),
            pairs(&[("TNF-α", "Tumour necrosis factor-α")]),
            "{:?}",
            table[0]
        );
    }

    proptest::proptest! {
        /// On characters as on strings: the same occurrences, as whole words or not.
        #[test]
        fn whole_words_in_characters_as_in_strings(hay in "[aA1 é-]{0,16}", needle in "[aA1 é-]{1,4}") {
            let (h, n): (Vec<char>, Vec<char>) = (hay.chars().collect(), needle.chars().collect());
            proptest::prop_assert_eq!(contains_word_in(&h, &n), contains_word(&hay, &needle));
            if hay.is_ascii() && needle.is_ascii() {
                proptest::prop_assert_eq!(contains_word_in(hay.as_bytes(), needle.as_bytes()), contains_word(&hay, &needle));
            }
        }

        #[test]
        fn windows_define_what_the_whole_form_does(
            words in proptest::collection::vec(
                "(Tissue Factor|Über Große Einheit| \\(TF\\)| \\(ÜGE\\)|\\(tissue factor\\)|TF|é|±|α|İL|x|A|\\(|\\)|\\. |:|;|,| |\u{2009}|\u{A0}|\u{85}|-)",
                0..40,
            ),
        ) {
            let text = words.concat();
            let mut got = Vec::new();
            find_in(&text, 0, Some(&normalize::normalize(&text, false)), &mut got);
            proptest::prop_assert_eq!(got, all_characters(&text));
        }

        /// Skipping the parentheses [`may_define`] rules out, ASCII text defines what it did
        /// with every parenthesis read.
        #[test]
        fn skipped_parentheses_define_nothing(
            words in proptest::collection::vec(
                "(Tissue Factor|tissue factor|TF|T|x|IL|OR 1.5|n = 4|95%|\\(|\\)|\\. |:|;|,| |  |-|\t)",
                0..40,
            ),
        ) {
            let text = words.concat();
            let mut got = Vec::new();
            find_in(&text, 0, None, &mut got);
            proptest::prop_assert_eq!(got, every_parenthesis(&text));
        }

        /// On the bytes of ASCII content as on characters.
        #[test]
        fn may_define_as_by_characters(
            words in proptest::collection::vec(
                "(TF|tf|T|x|Über|é|1|\\(|\\)|,|;|:| |  |\t|\u{B}|\u{A0}|\u{85}|\u{2009}|-|ABCDEFGHIJK)",
                0..16,
            ),
        ) {
            let text = words.concat();
            let bytes = text.as_bytes();
            for open in memchr::memchr_iter(b'(', bytes) {
                if let Some(close) = matching_close(bytes, open) {
                    proptest::prop_assert_eq!(may_define(&text, open, close), may_define_by_chars(&text, open, close), "{:?} at {}", text, open);
                }
            }
        }

        /// Every parenthesis' window found after the last one's as when searched for alone.
        #[test]
        fn windows_after_the_last_as_alone(text in "[a(). :;!?\t]{0,40}") {
            let bytes = text.as_bytes();
            let mut last = None;
            for open in memchr::memchr_iter(b'(', bytes) {
                let want = long_form_window_start(bytes, open);
                proptest::prop_assert_eq!(window_start_after(bytes, open, last), want, "{:?} at {}", text, open);
                if let Some(close) = matching_close(bytes, open) {
                    last = Some((close, want));
                }
            }
        }

        #[test]
        fn has_candidate_as_by_str(
            words in proptest::collection::vec("(Tissue|x|é|Ü|ABCDEFGHIJKLMNOPQ|abcdefghijklmnopq|\\(|\\)|,|;|:| |\u{A0})", 0..24),
        ) {
            let text = words.concat();
            proptest::prop_assert_eq!(has_candidate(&text), has_candidate_by_str(&text));
        }

        /// The bytes next to a form read as the characters there.
        #[test]
        fn whole_words_by_bytes_as_by_characters(hay in "[aA1 é.-]{0,12}") {
            let by_chars = |at: usize, len: usize| {
                let before = hay[..at].chars().next_back();
                let after = hay[at + len..].chars().next();
                !before.is_some_and(normalize::is_word_char) && !after.is_some_and(normalize::is_word_char)
            };
            for at in (0..=hay.len()).filter(|&at| hay.is_char_boundary(at)) {
                for end in (at..=hay.len()).filter(|&end| hay.is_char_boundary(end)) {
                    proptest::prop_assert_eq!(is_whole_word(&hay, at, end - at), by_chars(at, end - at));
                }
            }
        }

        /// On ASCII bytes as character by character, and on other bytes too.
        #[test]
        fn long_forms_by_memrchr_as_by_characters(
            short in proptest::collection::vec(proptest::sample::select(b"aAbB1 -.\xC0".to_vec()), 0..6),
            long in proptest::collection::vec(proptest::sample::select(b"aAbBcC12 -.\t\x0B\xA0\xC0".to_vec()), 0..40),
        ) {
            proptest::prop_assert_eq!(best_long_form_ascii(&short, &long), best_long_form(&short, &long));
        }

        /// A key borrowed from the short form is the key made from its normal form.
        #[test]
        fn borrowed_keys_as_made_from_the_normal_form(short in "[TFAs6 \t\n\r\u{B}\u{C}\u{A0}é-]{0,8}") {
            let d = Definition { section: 0, short: short.clone(), long: String::new(), short_span: (0, 0), long_span: (0, 0) };
            let (got, want) = (d.key_ref(), short_key(&normalize::canonical(&short)));
            proptest::prop_assert_eq!(got.as_ref(), want.as_str());
        }

        #[test]
        fn one_search_finds_what_two_do(key in "[aA1-]{1,4}", hay in "[aA1s é-]{0,30}") {
            proptest::prop_assert_eq!(one_search(&key, &hay), two_searches(&key, &hay));
        }
    }
}
