//! The common shape of a JSON Lines record, read without serde: one object whose values are
//! strings, numbers, `true`, `false` or `null`, with no control character anywhere in the line
//! (white space between tokens is spaces). Anything else (a nested array or object, a tab, a
//! lone surrogate, bad JSON) is not taken here: [`fields`] gives `None` and serde_json, the
//! parser of record, reads the line ([`super::Fields`]).
//!
//! What it takes it reads exactly as serde_json does (the property test below holds it to
//! that): a string's escapes decoded, its text borrowed from the line where it has none, a
//! number as serde_json reads it (the number itself is handed to serde_json), the last of a
//! repeated key counting.
//!
//! Why: serde_json looks at a string's bytes one 8-byte word at a time for a quote, a backslash
//! or a control character; with the control characters ruled out for the whole line at once,
//! a string's end is found with `memchr2` (32 bytes at a time). Reading pubmed21n1298's titles
//! and abstracts took 128 M instructions in serde_json (82 M of them looking for the strings'
//! ends) and 23 M here (BENCHMARKS.md, "areader").

use std::borrow::Cow;

use super::Field;

/// The values of the keys in `names` (by place) in the object on `line`, or `None` when the
/// line is not of the common shape (see the module documentation).
pub(super) fn fields<'a>(line: &'a str, names: &[String]) -> Option<Vec<Option<Field<'a>>>> {
    // no control character: a string's end is its next quote or backslash, white space is a space
    // (a fold without an early exit: the compiler makes it 16 or 32 bytes a step)
    if line.bytes().fold(u8::MAX, u8::min) < 0x20 {
        return None;
    }
    let mut p = Parser { s: line, at: 0 };
    let mut values: Vec<Option<Field<'a>>> = std::iter::repeat_with(|| None).take(names.len()).collect();
    p.space();
    p.eat(b'{')?;
    p.space();
    if p.peek() == Some(b'}') {
        p.at += 1;
    } else {
        loop {
            p.eat(b'"')?;
            let key = p.string()?;
            p.space();
            p.eat(b':')?;
            p.space();
            let value = p.value()?;
            if let Some(i) = names.iter().position(|n| n.as_str() == key.as_ref()) {
                values[i] = Some(value);
            }
            p.space();
            match p.peek()? {
                b',' => {
                    p.at += 1;
                    p.space();
                }
                b'}' => {
                    p.at += 1;
                    break;
                }
                _ => return None,
            }
        }
    }
    p.space();
    (p.at == line.len()).then_some(values)
}

struct Parser<'a> {
    s: &'a str,
    /// The next byte's place; always on a character boundary (every step is over ASCII).
    at: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.s.as_bytes().get(self.at).copied()
    }

    fn space(&mut self) {
        while self.peek() == Some(b' ') {
            self.at += 1;
        }
    }

    fn eat(&mut self, b: u8) -> Option<()> {
        (self.peek()? == b).then(|| self.at += 1)
    }

    /// A value; `None` for an array, an object, or what is not JSON.
    fn value(&mut self) -> Option<Field<'a>> {
        let word = |p: &mut Parser<'a>, w: &str, f: Field<'a>| {
            p.s[p.at..].starts_with(w).then(|| {
                p.at += w.len();
                f
            })
        };
        match self.peek()? {
            b'"' => {
                self.at += 1;
                self.string().map(Field::Str)
            }
            b'n' => word(self, "null", Field::Null),
            b't' => word(self, "true", Field::Other),
            b'f' => word(self, "false", Field::Other),
            b'-' | b'0'..=b'9' => {
                // serde_json reads the number (how it rounds, what it takes for out of range):
                // all of the characters a number can hold, or it is not one
                let start = self.at;
                while matches!(self.peek(), Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')) {
                    self.at += 1;
                }
                serde_json::from_str(&self.s[start..self.at]).ok()
            }
            _ => None,
        }
    }

    /// The rest of a string after its opening quote.
    fn string(&mut self) -> Option<Cow<'a, str>> {
        let (s, b) = (self.s, self.s.as_bytes());
        let start = self.at;
        let end = start + memchr::memchr2(b'"', b'\\', &b[start..])?;
        if b[end] == b'"' {
            self.at = end + 1;
            return Some(Cow::Borrowed(&s[start..end]));
        }
        // as long as the rest of the line at most: never grown
        let mut out = String::with_capacity(b.len() - start);
        let mut at = start;
        loop {
            let end = at + memchr::memchr2(b'"', b'\\', &b[at..])?;
            out.push_str(&s[at..end]);
            if b[end] == b'"' {
                self.at = end + 1;
                return Some(Cow::Owned(out));
            }
            at = end + 2;
            match *b.get(end + 1)? {
                b'"' => out.push('"'),
                b'\\' => out.push('\\'),
                b'/' => out.push('/'),
                b'b' => out.push('\u{8}'),
                b'f' => out.push('\u{c}'),
                b'n' => out.push('\n'),
                b'r' => out.push('\r'),
                b't' => out.push('\t'),
                b'u' => {
                    let (c, next) = self.unicode(at)?;
                    out.push(c);
                    at = next;
                }
                _ => return None,
            }
        }
    }

    /// The character of the `\u` escape whose four digits start at `at` (a surrogate pair
    /// taken whole), and where it ends; `None` for a lone surrogate.
    fn unicode(&self, at: usize) -> Option<(char, usize)> {
        let n = self.hex4(at)?;
        match n {
            0xD800..=0xDBFF => {
                if self.s.as_bytes().get(at + 4..at + 6)? != b"\\u" {
                    return None;
                }
                let low = self.hex4(at + 6)?;
                if !(0xDC00..=0xDFFF).contains(&low) {
                    return None;
                }
                let c = 0x10000 + ((n - 0xD800) << 10) + (low - 0xDC00);
                Some((char::from_u32(c)?, at + 10))
            }
            0xDC00..=0xDFFF => None,
            _ => Some((char::from_u32(n)?, at + 4)),
        }
    }

    fn hex4(&self, at: usize) -> Option<u32> {
        self.s
            .as_bytes()
            .get(at..at + 4)?
            .iter()
            .try_fold(0, |n, &d| Some(n * 16 + char::from(d).to_digit(16)?))
    }
}

#[cfg(test)]
mod tests {
    use serde::de::DeserializeSeed;

    use super::*;

    fn names() -> Vec<String> {
        ["id", "title", "abstract", "year", "x"].map(String::from).to_vec()
    }

    /// What serde_json gives for the same names: the values, or `None` for what it rejects.
    fn by_serde<'a>(line: &'a str, names: &[String]) -> Option<Vec<Option<Field<'a>>>> {
        let mut de = serde_json::Deserializer::from_str(line);
        let fields = super::super::Fields::new(names).deserialize(&mut de).ok()?;
        de.end().ok()?;
        Some(fields.values)
    }

    fn s(v: &str) -> Option<Field<'_>> {
        Some(Field::Str(Cow::Borrowed(v)))
    }

    fn owned(v: &str) -> Option<Field<'static>> {
        Some(Field::Str(Cow::Owned(v.to_string())))
    }

    fn num(v: &str) -> Option<Field<'static>> {
        Some(Field::Num(serde_json::from_str(v).unwrap()))
    }

    #[test]
    fn the_common_shape_is_read_and_the_rest_left_to_serde() {
        let long = format!(
            r#"{{"id": "L", "abstract": "{}\n{}"}}"#,
            "a é ".repeat(20_000),
            "z".repeat(70_000)
        );
        let long_text = format!("{}\n{}", "a é ".repeat(20_000), "z".repeat(70_000));
        // (line, the values of id, title, abstract, year, x; None: left to serde_json)
        #[allow(clippy::type_complexity)]
        let cases: Vec<(&str, Option<[Option<Field>; 5]>)> = vec![
            (
                r#"{"id": "1", "title": "T", "abstract": "A", "year": 2020}"#,
                Some([s("1"), s("T"), s("A"), num("2020"), None]),
            ),
            (r#"{}"#, Some([None, None, None, None, None])),
            (
                r#"  { "id" : "a" , "x" : null }  "#,
                Some([s("a"), None, None, None, Some(Field::Null)]),
            ),
            (
                r#"{"id":"a","x":true,"title":false}"#,
                Some([s("a"), Some(Field::Other), None, None, Some(Field::Other)]),
            ),
            // unknown keys are read and dropped; the last of a repeated key counts
            (
                r#"{"pmid": "9", "id": 1, "other": "o", "id": "b", "authors": "x, y"}"#,
                Some([s("b"), None, None, None, None]),
            ),
            // escapes: each of JSON's, \u of the BMP and a surrogate pair
            (
                r#"{"id": "e", "title": "q\"b\\s\/\b\f\n\r\t", "abstract": "\u00e9\u00C9 \ud83d\ude00 \u0000"}"#,
                Some([
                    s("e"),
                    owned("q\"b\\s/\u{8}\u{c}\n\r\t"),
                    owned("é\u{c9} 😀 \u{0}"),
                    None,
                    None,
                ]),
            ),
            // an escaped key
            (
                r#"{"\u0069d": "k", "t\u0069tle": "t"}"#,
                Some([s("k"), s("t"), None, None, None]),
            ),
            // non-ASCII text, as written
            (
                r#"{"id": "ü", "title": "TNF-α → IL-6; 凝固"}"#,
                Some([s("ü"), s("TNF-α → IL-6; 凝固"), None, None, None]),
            ),
            // numbers as serde_json reads them
            (
                r#"{"id": -0, "year": 2020.50, "x": 1e2, "title": 18446744073709551616}"#,
                Some([
                    num("-0"),
                    num("18446744073709551616"),
                    None,
                    num("2020.5"),
                    num("100.0"),
                ]),
            ),
            (&long, Some([s("L"), None, owned(&long_text), None, None])),
            // left to serde_json: nested values, control characters (a tab between tokens, a raw
            // one in a string), lone surrogates, bad escapes, bad numbers, bad JSON
            (r#"{"id": "a", "x": [1, 2]}"#, None),
            (r#"{"id": "a", "x": {"y": 1}}"#, None),
            ("{\"id\":\t\"a\"}", None),
            ("{\"id\": \"a\u{1}b\"}", None),
            (r#"{"id": "\ud800"}"#, None),
            (r#"{"id": "\udc00"}"#, None),
            (r#"{"id": "\ud800\u0041"}"#, None),
            (r#"{"id": "\u00e"}"#, None),
            (r#"{"id": "\x"}"#, None),
            (r#"{"id": 01}"#, None),
            (r#"{"id": 1.}"#, None),
            (r#"{"id": -}"#, None),
            (r#"{"id": 1e999}"#, None),
            (r#"{"id": 1-2}"#, None),
            (r#"{"id": nul}"#, None),
            (r#"{"id": "a",}"#, None),
            (r#"{"id" "a"}"#, None),
            (r#"{"id": "a"} x"#, None),
            (r#"{"id": "a"}}"#, None),
            (r#"{"id": "a""#, None),
            (r#"{"id": "a"#, None),
            (r#"{id: "a"}"#, None),
            (r#"["id"]"#, None),
            ("\u{feff}{\"id\": \"a\"}", None),
            ("", None),
        ];
        let names = names();
        for (line, want) in cases {
            let got = fields(line, &names);
            assert_eq!(got, want.map(Vec::from), "{line}");
            // what is taken, serde_json reads the same
            if let Some(got) = got {
                assert_eq!(Some(got), by_serde(line, &names), "{line}");
            }
        }
    }

    /// A piece of a line: tokens of JSON, right and wrong.
    const PIECES: &[&str] = &[
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        " ",
        "\t",
        "\"",
        "\\",
        "\"id\"",
        "\"title\"",
        "\"x\"",
        "\"y\"",
        "\"\\u0069d\"",
        "\"T\"",
        "\"a b\"",
        "\"é\"",
        "\"α→\"",
        "\"\\n\"",
        "\"\\\"\"",
        "\"\\\\\"",
        "\"\\/\"",
        "\"\\u00e9\"",
        "\"\\ud83d\\ude00\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\u12\"",
        "\"\\q\"",
        "\"\u{1}\"",
        "null",
        "true",
        "false",
        "nul",
        "0",
        "-0",
        "01",
        "12",
        "-3.5e2",
        "1e999",
        "1.",
        "-",
        "1E+2",
        "18446744073709551616",
        "x",
    ];

    /// The values an object of the common shape holds.
    const VALUES: &[&str] = &[
        "\"T\"",
        "\"\"",
        "\"a\\\"b\"",
        "\"\\u00e9\\ud83d\\ude00\"",
        "\"é α\"",
        "null",
        "true",
        "false",
        "0",
        "-7",
        "2.5",
        "1e3",
        "[1]",
        "{\"a\": 1}",
        "\"\\ud800\"",
        "\"a\tb\"",
    ];

    fn agrees(line: &str) {
        let names = names();
        if let Some(got) = fields(line, &names) {
            assert_eq!(Some(got), by_serde(line, &names), "{line}");
        }
    }

    proptest::proptest! {
        /// Whatever it takes, serde_json reads the same: on pieces of JSON put together at random.
        #[test]
        fn pieces_read_as_serde_json_reads_them(parts in proptest::collection::vec(proptest::sample::select(PIECES), 0..20)) {
            agrees(&parts.concat());
        }

        /// On objects: those of the common shape are taken (and read as serde_json reads them).
        #[test]
        fn objects_read_as_serde_json_reads_them(entries in proptest::collection::vec(
            (proptest::sample::select(&["\"id\"", "\"title\"", "\"x\"", "\"y\"", "\"\\u0069d\""][..]),
             proptest::sample::select(VALUES),
             proptest::sample::select(&["", " ", "  "][..])),
            0..8,
        )) {
            let body: Vec<String> = entries.iter().map(|(k, v, sp)| format!("{k}{sp}:{sp}{v}")).collect();
            let line = format!("{{{}}}", body.join(", "));
            agrees(&line);
            let common = entries.iter().all(|(_, v, _)| !["[1]", "{\"a\": 1}", "\"\\ud800\"", "\"a\tb\""].contains(v));
            proptest::prop_assert_eq!(fields(&line, &names()).is_some(), common, "{}", line);
        }
    }
}
