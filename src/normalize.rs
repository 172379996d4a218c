//! Text folding with an offset map back to the original.
//!
//! Matching runs on a normalised copy of the text, never on the original, so that one
//! case-sensitive automaton serves every spelling. The copy is made in one pass:
//!
//! * Unicode compatibility forms are composed (NFKC): ligatures, full-width letters, the micro
//!   sign, superscript digits and the like become their ordinary letters;
//! * Greek letters become their English names (`α` -> `alpha`, `Β` -> `beta`), so `TNF-α`
//!   and `TNF-alpha` read the same;
//! * every dash, hyphen and minus sign becomes `-`; curly and prime quotes become `'` or `"`;
//! * soft hyphens and zero-width characters are dropped;
//! * runs of white space become one space;
//! * with `fold`, letters are lower-cased with Unicode's full lower-case mapping (not ASCII
//!   only), so `TNF-Α` with a capital Greek alpha still matches.
//!
//! Some characters change length when folded (`İ` lower-cases to two characters, `ﬁ` becomes
//! two letters, `α` five). The [`Normalized::map`] therefore records, for every byte of the copy,
//! the byte offset in the original of the character it came from; offsets never drift.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::{decompose_canonical, decompose_compatible, is_combining_mark};

/// A normalised copy of a text and its map back to the original.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Normalized {
    /// The normalised text.
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the character (with its
    /// combining marks) that produced it.
    pub map: Vec<u32>,
}

impl Normalized {
    /// The byte span in `original` covered by the normalised byte span `start..end`.
    ///
    /// `original` must be the text this copy was made from and `start < end <= text.len()`.
    pub fn original_span(&self, original: &str, start: usize, end: usize) -> (usize, usize) {
        let s = self.map[start] as usize;
        let last = self.map[end - 1] as usize;
        (s, cluster_end(original, last))
    }
}

/// Normalise `src` into `out` (cleared first), reusing its buffers.
pub fn normalize_into(src: &str, fold: bool, out: &mut Normalized) {
    normalize_prefix_into(src, fold, usize::MAX, out);
}

/// Normalise `src` into `out` (cleared first) only until the copy holds at least `min_len`
/// bytes (or the whole of `src`): a prefix of what [`normalize_into`] makes, text and map, since
/// the copy is made from left to right and stops only where a character and its combining
/// marks end. Returns whether all of `src` was normalised (the copy is then the whole normal
/// form). For a caller that reads only the start of a text ([`crate::tag::matcher::Matcher::find_at_start`]).
pub fn normalize_prefix_into(src: &str, fold: bool, min_len: usize, out: &mut Normalized) -> bool {
    normalize_with(src, fold, min_len, out).0
}

/// The case-preserving normal form of `src` into `out` ([`normalize_into`] without folding),
/// returning whether the folded normal form is that copy with its ASCII capitals lower-cased
/// under the same map ([`folds_by_ascii_case`] of the copy): learnt while copying, from the
/// non-ASCII characters copied as they are, instead of reading the copy again (8.9 M
/// instructions of issue 19's run; BENCHMARKS.md, branch `anorm`).
pub fn normalize_case_into(src: &str, out: &mut Normalized) -> bool {
    normalize_with(src, false, usize::MAX, out).1
}

/// [`normalize_prefix_into`], returning also, when not folding, whether the copy folds by ASCII
/// case (see [`normalize_case_into`]).
fn normalize_with(src: &str, fold: bool, min_len: usize, out: &mut Normalized) -> (bool, bool) {
    // Work on the bytes of the text buffer: runs of ASCII (nearly all of an English abstract)
    // are then copied a word at a time, without encoding each byte as a `char`.
    let mut text = std::mem::take(&mut out.text).into_bytes();
    text.clear();
    out.map.clear();
    text.reserve(src.len());
    out.map.reserve(src.len());
    let mut emitter = Emitter {
        text,
        map: &mut out.map,
        fold,
        last_space: false,
        folds_by_ascii_case: true,
    };
    let bytes = src.as_bytes();
    let mut i = 0;
    while i < bytes.len() && emitter.text.len() < min_len {
        // the ASCII run [i, end): up to the first non-ASCII byte, less the ASCII character
        // before it if a combining mark follows (that character starts a cluster)
        let mut end = i + ascii_prefix_len(&bytes[i..]);
        if end < bytes.len() && end > i && next_is_mark(src, end) {
            end -= 1;
        }
        // no further than the bytes still wanted (each ASCII byte makes at most one): the byte
        // at the cut is ASCII, so never a combining mark, and a run copied in two parts is
        // copied as in one (`ascii_run` joins white space across them)
        end = end.min(i.saturating_add(min_len - emitter.text.len()));
        if end > i {
            emitter.ascii_run(&bytes[i..end], i);
            i = end;
            continue;
        }
        let end = cluster_end(src, i);
        let cluster = &src[i..end];
        if let Some(c) = nfkc_of_lone_char(cluster) {
            emitter.emit(c, i);
        } else {
            for c in cluster.nfkc() {
                emitter.emit(c, i);
            }
        }
        i = end;
    }
    // only whole UTF-8 sequences are ever written, so this never takes the lossy branch
    let folds_by_ascii_case = emitter.folds_by_ascii_case;
    out.text = String::from_utf8(emitter.text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
    (i >= bytes.len(), folds_by_ascii_case)
}

/// Normalise into a new value.
pub fn normalize(src: &str, fold: bool) -> Normalized {
    let mut out = Normalized::default();
    normalize_into(src, fold, &mut out);
    out
}

/// The folded (case-insensitive) normal form of a term or text, without the map.
pub fn fold(src: &str) -> String {
    if src.is_ascii() {
        return ascii_without_map::<true>(src.as_bytes());
    }
    normalize(src, true).text
}

/// The case-preserving normal form of a term or text, without the map.
pub fn canonical(src: &str) -> String {
    if src.is_ascii() {
        return ascii_without_map::<false>(src.as_bytes());
    }
    normalize(src, false).text
}

/// What [`normalize_into`] makes of ASCII text, without building the map (ontology compilation
/// folds every term and variant).
fn ascii_without_map<const FOLD: bool>(src: &[u8]) -> String {
    // copied first (vector instructions), white space runs joined after, as `Emitter::ascii_run`
    let mut out: Vec<u8> = src.iter().map(|&b| ascii_out::<FOLD>(b)).collect();
    if needs_compaction(src) {
        out.dedup_by(|b, prev| *b == b' ' && *prev == b' ');
    }
    // ASCII in, ASCII out: never the lossy branch
    String::from_utf8(out).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned())
}

/// Whether the folded normal form of `text` is its bytes one for one: each lower-cased, white
/// space as a space, and the map the identity. So it is for ASCII text in which no two white
/// space bytes stand together (see [`normalize_into`]: a single white space byte becomes a space,
/// a run of them one space, everything else is copied).
pub fn folds_byte_for_byte(text: &str) -> bool {
    let bytes = text.as_bytes();
    // A first pass over each pair of neighbours that asks one thing of the larger byte of the
    // two: whether it is ASCII above the space (`0x21..=0x7f`). Every byte is in a pair, and
    // the larger byte of a pair of white space bytes is at most a space, so where every pair
    // says yes the text is ASCII without two white space bytes together; where one says no (a
    // non-ASCII byte, rarely two control bytes together) the text is asked again exactly. 64
    // pairs at a time (vector instructions), stopping at the first chunk that says no.
    // Measured (callgrind, BENCHMARKS.md, branch `anorm`): 40.0 M -> 18.4 M instructions of issue
    // 19's run, which asks it of every title and abstract.
    let Some(pairs) = bytes.len().checked_sub(1) else {
        return bytes.is_ascii();
    };
    let (xs, ys) = (&bytes[..pairs], &bytes[1..]);
    let plain = |x: &[u8], y: &[u8]| {
        x.iter()
            .zip(y)
            .fold(0u8, |a, (&x, &y)| a | u8::from(x.max(y).wrapping_sub(0x21) >= 0x5f))
            == 0
    };
    let mut xc = xs.chunks_exact(64);
    let mut yc = ys.chunks_exact(64);
    let all_plain = xc.by_ref().zip(yc.by_ref()).all(|(x, y)| plain(x, y)) && plain(xc.remainder(), yc.remainder());
    all_plain || (text.is_ascii() && !needs_compaction(bytes))
}

/// Whether the folded normal form of a text whose case-preserving normal form is `normal` is
/// `normal` with its ASCII capitals lower-cased, byte for byte, under the same map: so it is
/// when every non-ASCII character of `normal` is its own lower case (`±`, `é`, `≥`; not `É`).
/// Folding lower-cases each character that the case-preserving form keeps as it is (the other
/// branches of the normaliser, white space, dashes, quotes, Greek letters, are the same in
/// both forms and ASCII), so one normal form serves both: the matcher searches it through the
/// DFA's folding of ASCII capitals and the abbreviations read it as it is (the tagging
/// stages' `CaseForms`).
pub fn folds_by_ascii_case(normal: &str) -> bool {
    let bytes = normal.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        i += ascii_prefix_len(&bytes[i..]);
        let Some(c) = normal[i..].chars().next() else {
            break;
        };
        let mut lower = c.to_lowercase();
        if lower.next() != Some(c) || lower.next().is_some() {
            return false;
        }
        i += c.len_utf8();
    }
    true
}

/// A word character for boundary checks: any Unicode letter or digit.
#[inline]
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric()
}

/// The English name of a Greek letter (any case, with or without accents), if it is one.
pub fn greek_name(c: char) -> Option<&'static str> {
    let code = c as u32;
    if !((0x0370..=0x03FF).contains(&code) || (0x1F00..=0x1FFF).contains(&code)) {
        return None;
    }
    let mut base = c;
    let mut first = true;
    decompose_canonical(c, |d| {
        if first {
            base = d;
            first = false;
        }
    });
    let lower = base.to_lowercase().next().unwrap_or(base);
    Some(match lower {
        'α' => "alpha",
        'β' | 'ϐ' => "beta",
        'γ' => "gamma",
        'δ' => "delta",
        'ε' | 'ϵ' => "epsilon",
        'ζ' => "zeta",
        'η' => "eta",
        'θ' | 'ϑ' => "theta",
        'ι' => "iota",
        'κ' | 'ϰ' => "kappa",
        'λ' => "lambda",
        'μ' => "mu",
        'ν' => "nu",
        'ξ' => "xi",
        'ο' => "omicron",
        'π' | 'ϖ' => "pi",
        'ρ' | 'ϱ' => "rho",
        'σ' | 'ς' => "sigma",
        'τ' => "tau",
        'υ' => "upsilon",
        'φ' | 'ϕ' => "phi",
        'χ' => "chi",
        'ψ' => "psi",
        'ω' => "omega",
        _ => return None,
    })
}

fn is_dash(c: char) -> bool {
    matches!(
        c,
        '\u{2010}'
            ..='\u{2015}'
                | '\u{2212}'
                | '\u{2043}'
                | '\u{FE58}'
                | '\u{FE63}'
                | '\u{FF0D}'
                | '\u{058A}'
                | '\u{1806}'
                | '\u{2E3A}'
                | '\u{2E3B}'
    )
}

fn is_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{2060}' | '\u{FEFF}'
    )
}

fn next_is_mark(src: &str, at: usize) -> bool {
    src[at..].chars().next().is_some_and(is_combining_mark)
}

/// The NFKC form of `cluster` if it is one character (no combining mark after it) whose
/// compatibility decomposition is one character (itself or another): that character, since
/// composing a single character leaves it as it is. So are nearly all the non-ASCII characters
/// of abstracts (no-break and thin spaces, `±`, `≥`, Greek letters, the micro sign), for which
/// the decomposition's one table look-up replaces the crate's composing iterator: the 62,590
/// non-ASCII characters of issue 19's run cost 11.7 M instructions less (BENCHMARKS.md, branch
/// `anorm`). None: the cluster goes through [`UnicodeNormalization::nfkc`].
fn nfkc_of_lone_char(cluster: &str) -> Option<char> {
    let mut chars = cluster.chars();
    let c = chars.next()?;
    if chars.next().is_some() {
        return None;
    }
    let (mut first, mut n) = (c, 0u32);
    decompose_compatible(c, |d| {
        first = d;
        n += 1;
    });
    (n == 1).then_some(first)
}

/// Byte offset just past the character at `at` and the combining marks that follow it.
fn cluster_end(src: &str, at: usize) -> usize {
    let mut it = src[at..].char_indices();
    let mut end = match it.next() {
        Some((_, c)) => at + c.len_utf8(),
        None => return at,
    };
    for (off, c) in it {
        if !is_combining_mark(c) {
            break;
        }
        end = at + off + c.len_utf8();
    }
    end
}

struct Emitter<'a> {
    text: Vec<u8>,
    map: &'a mut Vec<u32>,
    fold: bool,
    last_space: bool,
    /// Not folding: whether every non-ASCII character copied is its own lower case (see
    /// [`folds_by_ascii_case`]; every other branch of [`Emitter::emit`] writes ASCII).
    folds_by_ascii_case: bool,
}

/// An ASCII byte as the copy has it: white space (tab, line feed, vertical tab, form feed,
/// carriage return) as a space, a capital lower-cased when folding.
///
/// Arithmetic rather than a table lookup, so that the copy of a run (`Emitter::ascii_run`)
/// compiles to vector instructions: with a 256-byte table it was a byte at a time. Measured
/// (callgrind, one thread, the shared sepsis subset; BENCHMARKS.md, branch `tagspeed2`): with
/// [`ascii_prefix_len`] and [`needs_compaction`] vectorised too, `normalize_into` 35.8 M ->
/// 21.4 M instructions and `Tagger::tag` 179.9 M -> 165.3 M (pubmed21n1298: 2,703 M -> 2,390 M).
#[inline(always)]
fn ascii_out<const FOLD: bool>(b: u8) -> u8 {
    let space = b.wrapping_sub(b'\t') < 5;
    let upper = FOLD & (b.wrapping_sub(b'A') < 26);
    if space { b' ' } else { b | (u8::from(upper) << 5) }
}

/// The length of the ASCII prefix of `bytes`: sixteen bytes at a time (an OR the compiler
/// vectorises), then the byte that ends it.
#[inline]
fn ascii_prefix_len(bytes: &[u8]) -> usize {
    let mut n = 0;
    for chunk in bytes.chunks_exact(16) {
        if chunk.iter().fold(0u8, |a, &b| a | b) >= 0x80 {
            break;
        }
        n += 16;
    }
    n + bytes[n..].iter().position(|&b| b >= 0x80).unwrap_or(bytes.len() - n)
}

/// Whether an ASCII run holds two white space bytes together (tab, line feed, vertical tab, form
/// feed, carriage return, space): only then does its copy ([`ascii_out`]: each white space byte a
/// space) hold two spaces together to join. An OR-reduction with no carried state, which the
/// compiler vectorises. (It asked for any control byte or two spaces together before, which sent
/// every run with a line break through the byte-at-a-time [`Emitter::compact_spaces`]: 120 M
/// instructions of the plain-text run of issue 19, BENCHMARKS.md, "Issue 19: the plain-text run,
/// second pass".)
#[inline]
fn needs_compaction(run: &[u8]) -> bool {
    let Some(pairs) = run.len().checked_sub(1) else {
        return false;
    };
    // two slices of one length, so that the zip is indexed (with `skip(1)` it was not); first
    // whether any pair of neighbours are both at most a space (so are two white space bytes),
    // a cheaper test, and only then the exact one: 21 M instructions less of issue 19's run
    // (BENCHMARKS.md, branch `anorm`)
    let (xs, ys) = (&run[..pairs], &run[1..]);
    let any = |pair: fn(u8, u8) -> bool| xs.iter().zip(ys).fold(0u8, |a, (&x, &y)| a | u8::from(pair(x, y))) != 0;
    any(|x, y| x.max(y) <= b' ') && any(|x, y| is_white(x) & is_white(y))
}

/// An ASCII white space byte: tab, line feed, vertical tab, form feed, carriage return, space.
#[inline(always)]
fn is_white(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

impl Emitter<'_> {
    /// Emit ASCII bytes that start at byte `at` of the source: white space runs become one
    /// space, letters are lower-cased when folding, everything else is copied.
    ///
    /// Abstracts are nearly all ASCII with single spaces, so the run is first copied byte for
    /// byte (vector instructions, see [`ascii_out`]), and only a run that holds white space
    /// other than single spaces is compacted afterwards.
    fn ascii_run(&mut self, run: &[u8], at: usize) {
        let t0 = self.text.len();
        // one loop per case, so each is a loop without a branch
        if self.fold {
            self.text.extend(run.iter().map(|&b| ascii_out::<true>(b)));
        } else {
            self.text.extend(run.iter().map(|&b| ascii_out::<false>(b)));
        }
        let from = at as u32;
        self.map.extend(from..from + run.len() as u32);
        let first_joins = self.last_space && self.text[t0] == b' ';
        if first_joins || needs_compaction(run) {
            self.compact_spaces(t0);
        }
        self.last_space = self.text.last() == Some(&b' ');
    }

    /// Collapse runs of spaces in `text[t0..]` (and its map) to one space, also joining a
    /// leading space to a space already emitted before `t0`.
    fn compact_spaces(&mut self, t0: usize) {
        let mut last = self.last_space;
        let mut w = t0;
        for r in t0..self.text.len() {
            let b = self.text[r];
            let space = b == b' ';
            if !(space && last) {
                self.text[w] = b;
                self.map[w] = self.map[r];
                w += 1;
            }
            last = space;
        }
        self.text.truncate(w);
        self.map.truncate(w);
    }

    #[inline]
    fn push_byte(&mut self, b: u8, src: usize) {
        // only ASCII bytes come through here
        self.text.push(b);
        self.map.push(src as u32);
        self.last_space = false;
    }

    #[inline]
    fn space(&mut self, src: usize) {
        if !self.last_space {
            self.text.push(b' ');
            self.map.push(src as u32);
            self.last_space = true;
        }
    }

    fn push_char(&mut self, c: char, src: usize) {
        let mut buf = [0u8; 4];
        let enc = c.encode_utf8(&mut buf);
        self.text.extend_from_slice(enc.as_bytes());
        for _ in 0..enc.len() {
            self.map.push(src as u32);
        }
        self.last_space = false;
    }

    fn emit(&mut self, c: char, src: usize) {
        if c.is_whitespace() {
            self.space(src);
        } else if is_dash(c) {
            self.push_char('-', src);
        } else if matches!(c, '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}') {
            self.push_char('\'', src);
        } else if matches!(c, '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}') {
            self.push_char('"', src);
        } else if is_ignorable(c) {
        } else if let Some(name) = greek_name(c) {
            for b in name.bytes() {
                self.push_byte(b, src);
            }
        } else if self.fold {
            for l in c.to_lowercase() {
                self.push_char(l, src);
            }
        } else {
            if !c.is_ascii() {
                let mut lower = c.to_lowercase();
                self.folds_by_ascii_case &= lower.next() == Some(c) && lower.next().is_none();
            }
            self.push_char(c, src);
        }
    }
}

/// Converts increasing byte offsets of one text into character offsets without rescanning.
#[derive(Debug)]
pub struct CharCounter<'a> {
    text: &'a str,
    byte: usize,
    chars: usize,
}

impl<'a> CharCounter<'a> {
    pub fn new(text: &'a str) -> CharCounter<'a> {
        CharCounter {
            text,
            byte: 0,
            chars: 0,
        }
    }

    /// The character offset of byte offset `byte` (a char boundary). Cheap when called with
    /// non-decreasing offsets; a smaller offset restarts from the beginning.
    pub fn chars_at(&mut self, byte: usize) -> usize {
        if byte < self.byte {
            self.byte = 0;
            self.chars = 0;
        }
        self.chars += self.text[self.byte..byte].chars().count();
        self.byte = byte;
        self.chars
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_table() {
        // (input, folded, case-preserving)
        let cases = [
            ("Tissue Factor", "tissue factor", "Tissue Factor"),
            ("TNF-α", "tnf-alpha", "TNF-alpha"),
            ("TNF-Α", "tnf-alpha", "TNF-alpha"),
            ("IL-1β", "il-1beta", "IL-1beta"),
            ("IL‐1β", "il-1beta", "IL-1beta"),
            ("a – b − c — d", "a - b - c - d", "a - b - c - d"),
            ("‘quoted’ “twice”", "'quoted' \"twice\"", "'quoted' \"twice\""),
            ("a \t\n  b", "a b", "a b"),
            ("ﬁbrin", "fibrin", "fibrin"),
            ("ＴＦ", "tf", "TF"),
            ("5 µm", "5 mum", "5 mum"),
            ("anti\u{00AD}thrombin", "antithrombin", "antithrombin"),
            ("ÉCOLE", "école", "ÉCOLE"),
            ("E\u{0301}cole", "école", "École"),
            ("Straße", "straße", "Straße"),
            ("ΝΕΤ", "nuepsilontau", "nuepsilontau"),
            ("ά", "alpha", "alpha"),
        ];
        for (input, folded, canon) in cases {
            assert_eq!(fold(input), folded, "fold({input:?})");
            assert_eq!(canonical(input), canon, "canonical({input:?})");
        }
    }

    #[test]
    fn ascii_bytes_and_runs_against_a_naive_reference() {
        for b in 0u8..0x80 {
            let space = matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            let want_fold = if space { b' ' } else { b.to_ascii_lowercase() };
            let want_keep = if space { b' ' } else { b };
            assert_eq!(ascii_out::<true>(b), want_fold, "fold {b:#x}");
            assert_eq!(ascii_out::<false>(b), want_keep, "keep {b:#x}");
        }
        // (ASCII run, needs compaction)
        let runs: [(&[u8], bool); 11] = [
            (b"", false),
            (b"a b c", false),
            (b" a b ", false),
            (b"a  b", true),
            (b"a\tb", false),
            (b"a\x01b\n", false),
            (b"a \nb", true),
            (b"a\r\nb", true),
            (b"a\x01 \x01 b", false),
            (b"0123456789abcdef0123456789abcdef  ", true),
            (b"0123456789abcdef0123456789abcdef x", false),
        ];
        let white = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
        for (run, compact) in runs {
            let naive = (1..run.len()).any(|i| white(run[i]) && white(run[i - 1]));
            assert_eq!(naive, compact, "{run:?}");
            assert_eq!(needs_compaction(run), compact, "{run:?}");
            // the copy holds two spaces together exactly when the run needs compacting
            let copy: Vec<u8> = run.iter().map(|&b| ascii_out::<true>(b)).collect();
            assert_eq!(copy.windows(2).any(|w| w == b"  "), compact, "{run:?}");
        }
        // (text, length of its ASCII prefix)
        let prefixes = [
            ("", 0),
            ("abc", 3),
            ("0123456789abcdef0123456789abcdef", 32),
            ("0123456789abcdef0123456789 α", 27),
            ("0123456789abcdeα", 15),
            ("α", 0),
        ];
        for (text, prefix) in prefixes {
            assert_eq!(ascii_prefix_len(text.as_bytes()), prefix, "{text:?}");
        }
    }

    /// (text, whether its folded normal form is its bytes one for one); where it is, the normal
    /// form says so: each byte lower-cased or a space, the map the identity.
    #[test]
    fn texts_that_fold_byte_for_byte() {
        let table = [
            ("", true),
            ("Tissue Factor", true),
            ("TF\nand\tTNF\r", true),
            (" a\x0bb\x0cc\x01", true),
            ("a  b", false),
            ("a\r\nb", false),
            ("a \nb", false),
            ("TNF-α", false),
            ("0123456789abcdef0123456789abcdeF\u{AD}", false),
            // two control bytes together, or a control byte beside a space: the first pass
            // asks again, and they are no white space pair
            ("a\x01\x02b", true),
            ("a\x1f b \x00", true),
            ("\x01", true),
            (" ", true),
            ("  ", false),
            ("é", false),
            ("\u{7f}\u{7f}~!", true),
            // past the first chunks of 64 pairs, and in the last byte
            (
                &"Tissue factor and thrombin generation in sepsis, measured. ".repeat(3),
                true,
            ),
            (
                &format!("{}\n\n", "Tissue factor and thrombin generation in sepsis. ".repeat(3)),
                false,
            ),
            (
                &format!(
                    "{}\u{3b1}",
                    "Tissue factor and thrombin generation in sepsis. ".repeat(3)
                ),
                false,
            ),
            (&format!("{}a  b{}", "x".repeat(63), "y".repeat(70)), false),
        ];
        for (text, want) in table {
            assert_eq!(folds_byte_for_byte(text), want, "{text:?}");
            let n = normalize(text, true);
            let same = n.map.iter().enumerate().all(|(i, &m)| m as usize == i)
                && n.text.len() == text.len()
                && n.text.bytes().zip(text.bytes()).all(|(a, b)| a == ascii_out::<true>(b));
            assert_eq!(same, want, "{text:?}: {n:?}");
        }
    }

    /// (text, whether its case-preserving normal form folds by lower-casing its ASCII capitals
    /// alone); where it does, the folded normal form is that copy under the same map.
    #[test]
    fn case_preserving_forms_that_fold_by_ascii_case() {
        let table = [
            ("", true),
            ("Tissue Factor", true),
            ("TNF-α and IL-1Β", true),
            ("5 µm ± 2, p ≥ 0.05, 37 °C", true),
            ("ﬁbrin  \u{AD}and\tＴＦ", true),
            ("café", true),
            ("ÉCOLE", false),
            ("Straße", true),
            ("İL-6", false),
            ("Ωmega", true),
            ("ǅ", true),
            ("Ǆ", false),
            ("Ω", true),
            ("Жук", false),
        ];
        for (text, want) in table {
            let case = normalize(text, false);
            assert_eq!(folds_by_ascii_case(&case.text), want, "{text:?}: {case:?}");
            if want {
                let folded = Normalized {
                    text: case.text.to_ascii_lowercase(),
                    map: case.map.clone(),
                };
                assert_eq!(normalize(text, true), folded, "{text:?}");
            }
        }
    }

    /// (text, bytes wanted, the copy made, whether it is the whole normal form).
    #[test]
    fn prefixes_of_the_normal_form() {
        let table = [
            ("Tissue  Factor", 3, "tis", false),
            ("Tissue  Factor", 7, "tissue ", false),
            ("Tissue  Factor", 8, "tissue f", false),
            ("Tissue  Factor", 13, "tissue factor", true),
            ("Tissue  Factor", 99, "tissue factor", true),
            ("TNF-α x", 4, "tnf-", false),
            ("TNF-α x", 5, "tnf-alpha", false),
            ("e\u{301}x", 1, "\u{e9}", false),
            ("\u{AD}ab", 1, "a", false),
            ("\u{AD}ab", 2, "ab", true),
            ("", 1, "", true),
        ];
        for (text, min_len, want, whole) in table {
            let mut n = Normalized::default();
            assert_eq!(
                normalize_prefix_into(text, true, min_len, &mut n),
                whole,
                "{text:?} {min_len}"
            );
            assert_eq!(n.text, want, "{text:?} {min_len}");
        }
    }

    /// The normaliser as it was before its fast paths (`anorm`): each character with its
    /// combining marks through the crate's NFKC, every byte of ASCII text included; the
    /// reference the fast paths (ASCII runs, lone characters) are tested against.
    fn reference_normalize(src: &str, fold: bool) -> (Normalized, bool) {
        let mut out = Normalized::default();
        let mut emitter = Emitter {
            text: Vec::new(),
            map: &mut out.map,
            fold,
            last_space: false,
            folds_by_ascii_case: true,
        };
        let mut i = 0;
        while i < src.len() {
            let end = cluster_end(src, i);
            for c in src[i..end].nfkc() {
                emitter.emit(c, i);
            }
            i = end;
        }
        out.text = String::from_utf8(emitter.text).unwrap();
        let folds = folds_by_ascii_case(&out.text);
        (out, folds)
    }

    /// Every character alone: NFKC as the crate makes it, where the lone-character path
    /// answers at all (and the reference answers for those it does not).
    #[test]
    fn the_nfkc_of_a_lone_character_is_the_crates() {
        let mut answered = 0;
        for c in (0..=0x10FFFFu32).filter_map(char::from_u32) {
            let mut buf = [0u8; 4];
            let one = c.encode_utf8(&mut buf);
            if let Some(got) = nfkc_of_lone_char(one) {
                let want: Vec<char> = one.nfkc().collect();
                assert_eq!(want, [got], "{c:?} U+{:04X}", c as u32);
                answered += 1;
            }
        }
        // (most of them: every character without a compatibility decomposition of several)
        assert!(answered > 1_000_000, "{answered}");
        // a character with a combining mark after it, or none, is not answered
        assert_eq!(nfkc_of_lone_char("e\u{301}"), None);
        assert_eq!(nfkc_of_lone_char(""), None);
        assert_eq!(nfkc_of_lone_char("\u{a0}"), Some(' '));
        assert_eq!(nfkc_of_lone_char("\u{fb01}"), None);
        assert_eq!(nfkc_of_lone_char("\u{b5}"), Some('\u{3bc}'));
    }

    /// (text, its case-preserving normal form, whether that folds by ASCII case), as learnt
    /// while copying ([`normalize_case_into`]).
    #[test]
    fn the_case_preserving_form_says_whether_it_folds_by_ascii_case() {
        let table = [
            ("Tissue Factor", "Tissue Factor", true),
            ("5\u{a0}µm ± 2,\u{2009}p ≥ 0.05", "5 mum ± 2, p ≥ 0.05", true),
            ("ÉCOLE", "ÉCOLE", false),
            ("E\u{301}cole", "École", false),
            ("café", "café", true),
            ("Ωmega", "omegamega", true),
            ("Жук", "Жук", false),
            ("ＴＦ\u{AD}α", "TFalpha", true),
        ];
        for (text, form, folds) in table {
            let mut n = Normalized::default();
            assert_eq!(normalize_case_into(text, &mut n), folds, "{text:?}");
            assert_eq!(n.text, form, "{text:?}");
            assert_eq!(folds_by_ascii_case(&n.text), folds, "{text:?}");
        }
    }

    proptest::proptest! {
        /// Against the normaliser as it was (`reference_normalize`): the same text and map,
        /// folded or not, and the same answer whether the case-preserving form folds by ASCII
        /// case. The texts mix what each path handles: ASCII runs with white space runs and
        /// control bytes, Greek letters, ligatures, dashes, quotes, combining marks, no-break
        /// and thin spaces, capitals that do not fold by ASCII case, and any character at all.
        #[test]
        fn the_normaliser_is_the_reference(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[a-zA-Z0-9 \t\n\r\x0b\x0c\x01(),.-]{0,40}",
                    "[αβΓΔάΩµﬁﬂ\u{2010}-\u{2015}\u{2212}\u{2018}\u{201C}\u{AD}\u{200B}\u{A0}\u{2009}\u{202F}\u{301}\u{308}±≥éÉİßǅＴＦ½²ℌ가\u{1100}\u{1161}]{1,4}",
                    proptest::strategy::Strategy::prop_map(proptest::char::any(), String::from),
                ],
                0..12,
            ),
            fold in proptest::bool::ANY,
        ) {
            let text = parts.concat();
            let (want, folds) = reference_normalize(&text, fold);
            proptest::prop_assert_eq!(&normalize(&text, fold), &want, "{:?}", text);
            if !fold {
                let mut n = Normalized::default();
                proptest::prop_assert_eq!(normalize_case_into(&text, &mut n), folds, "{:?}", text);
                proptest::prop_assert_eq!(n, want);
            }
        }

        /// Against a naive reference: ASCII, and no two white space bytes together.
        #[test]
        fn folding_byte_for_byte_is_ascii_without_white_space_pairs(
            text in "[a-z \t\n\r\x0b\x0c\x00\x01\x1f\x7fé]{0,150}",
        ) {
            let white = |b: u8| matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c);
            let b = text.as_bytes();
            let naive = text.is_ascii() && !(1..b.len()).any(|i| white(b[i]) && white(b[i - 1]));
            proptest::prop_assert_eq!(folds_byte_for_byte(&text), naive, "{:?}", text);
            if text.is_ascii() {
                proptest::prop_assert_eq!(needs_compaction(b), !naive, "{:?}", text);
            }
        }

        /// Against the whole normal form: the copy of a prefix is a prefix of it, text and map,
        /// at least `min_len` bytes long unless said to be the whole, which it then is.
        #[test]
        fn a_prefix_of_the_copy_is_the_copy_of_a_prefix(
            text in "[a-zA-Z0-9 \\t\\n(),.éÉßİµ±≥αΑΩǅﬁ\u{AD}\u{301}\u{2013}ＴＦ]{0,24}",
            min_len in 0usize..40,
            fold in proptest::bool::ANY,
        ) {
            let whole = normalize(&text, fold);
            let mut n = Normalized::default();
            let complete = normalize_prefix_into(&text, fold, min_len, &mut n);
            proptest::prop_assert!(whole.text.starts_with(&n.text));
            proptest::prop_assert_eq!(&whole.map[..n.map.len()], &n.map[..]);
            proptest::prop_assert_eq!(n.map.len(), n.text.len());
            // (not whole: it may still equal it, when what is left makes nothing, a soft hyphen)
            proptest::prop_assert!(!complete || n == whole);
            proptest::prop_assert!(complete || n.text.len() >= min_len);
        }

        /// Against the normaliser itself: where the case-preserving form says it folds by ASCII
        /// case, folding the text gives that form lower-cased, byte for byte, map for map.
        #[test]
        fn folding_by_ascii_case_is_folding(text in "[a-zA-Z0-9 \\t\\n(),.éÉßİµ±≥αΑΩǅﬁ\u{AD}\u{301}\u{2013}ＴＦ]{0,24}") {
            let case = normalize(&text, false);
            if folds_by_ascii_case(&case.text) {
                let folded = Normalized {
                    text: case.text.to_ascii_lowercase(),
                    map: case.map.clone(),
                };
                proptest::prop_assert_eq!(normalize(&text, true), folded);
            }
        }
    }

    #[test]
    fn map_points_every_byte_back_to_its_source_character() {
        let src = "İL-6 and TNF-α ﬁbrin";
        let n = normalize(src, true);
        assert_eq!(n.text, "i\u{307}l-6 and tnf-alpha fibrin");
        assert_eq!(n.map.len(), n.text.len());
        // "alpha" comes from the two bytes of 'α' at byte 14
        let a = n.text.find("alpha").unwrap();
        assert!(n.map[a..a + 5].iter().all(|&m| m == 14));
        assert_eq!(&src[14..16], "α");
        // the span of "fibrin" maps back to "ﬁbrin"
        let f = n.text.find("fibrin").unwrap();
        let (s, e) = n.original_span(src, f, f + 6);
        assert_eq!(&src[s..e], "ﬁbrin");
        // the span of "tnf-alpha" maps back to "TNF-α"
        let t = n.text.find("tnf-alpha").unwrap();
        let (s, e) = n.original_span(src, t, t + 9);
        assert_eq!(&src[s..e], "TNF-α");
    }

    #[test]
    fn char_counter_counts_scalar_values() {
        let text = "αβ x ﬁ y";
        let mut c = CharCounter::new(text);
        assert_eq!(c.chars_at(0), 0);
        assert_eq!(c.chars_at(4), 2);
        assert_eq!(c.chars_at(text.find('y').unwrap()), 7);
        assert_eq!(c.chars_at(2), 1);
    }
}
