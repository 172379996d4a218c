//! Line numbers for concepts and terms, recovered from the file text.
//!
//! The parser gives each entry's line ([`super::shape`]); validation, which works on the terms as
//! text, finds each term's line within its entry's lines. A term written on its entry's line
//! (flow style) is found there.

/// The lines of a file, and where each entry under `concepts:` and `extend:` starts.
#[derive(Debug, Default)]
pub struct Locator {
    lines: Vec<Line>,
    /// Sorted.
    entry_lines: Vec<usize>,
}

/// A line, with what [`Locator::term`] reads of it whatever the term: worked out once per line
/// rather than once per term of its entry (a term's search reads every line of its entry before
/// its own: 13 M of the 256 M instructions of loading the default ontology went there,
/// BENCHMARKS.md, branch `aload`).
#[derive(Debug, Default)]
struct Line {
    text: String,
    /// Where the line's content starts: after its indentation and any `- ` list marks.
    body: usize,
    /// Whether the line opens some key (a colon in an unquoted, unbracketed body), so that the
    /// items after it belong to that key.
    opens_a_key: bool,
}

impl Line {
    fn new(text: &str) -> Line {
        let mut t = text.trim_start();
        while let Some(rest) = t.strip_prefix("- ") {
            t = rest;
        }
        Line {
            text: text.to_string(),
            body: text.len() - t.len(),
            // a `{term: .., when: ..}` item stays in its list
            opens_a_key: t.contains(':') && !t.starts_with(['"', '\'', '[', '{']),
        }
    }

    fn body(&self) -> &str {
        &self.text[self.body..]
    }
}

impl Locator {
    /// `entry_lines`: where the entries start, as the parser saw them.
    pub fn new(text: &str, mut entry_lines: Vec<usize>) -> Locator {
        entry_lines.sort_unstable();
        Locator {
            lines: text.lines().map(Line::new).collect(),
            entry_lines,
        }
    }

    /// First line at or after `from` (and before the next entry) that contains `needle` after
    /// `key`, falling back to `from`.
    pub fn term(&self, from: Option<usize>, key: &str, needle: &str) -> Option<usize> {
        let from = from?;
        // the next entry by binary search (a linear scan per term made large vocabularies
        // quadratic to load)
        let next = self
            .entry_lines
            .get(self.entry_lines.partition_point(|&l| l <= from))
            .copied()
            .unwrap_or(self.lines.len() + 1)
            .min(self.lines.len() + 1);
        let blank = needle.trim().is_empty();
        let mut in_key = false;
        for n in from..next {
            let line = &self.lines[n - 1];
            let t = line.body();
            if t.strip_prefix(key).is_some_and(|r| r.starts_with(':')) || has_space_key_colon(&line.text, key) {
                in_key = true;
            } else if line.opens_a_key {
                in_key = false;
            }
            if !in_key {
                continue;
            }
            let hit = if blank {
                // a blank item: `- ""` or `- "  "`
                let item = t.trim();
                item.len() >= 2
                    && item.trim_matches(['"', '\'']).trim().is_empty()
                    && line.text.trim_start().starts_with('-')
            } else {
                super::find_short(&line.text, needle).is_some()
            };
            if hit {
                return Some(n);
            }
        }
        Some(from)
    }
}

/// Whether `line` holds ` key:`, found from its colons, which are few (see [`super::find_short`]).
fn has_space_key_colon(line: &str, key: &str) -> bool {
    let b = line.as_bytes();
    memchr::memchr_iter(b':', b)
        .any(|colon| colon > key.len() && b[..colon].ends_with(key.as_bytes()) && b[colon - key.len() - 1] == b' ')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_terms_within_their_entry() {
        let text = "ontology: {id: x}\nconcepts:\n  - id: a\n    label: A\n    synonyms: [alpha thing]\n  - id: b\n    label: B\n    synonyms:\n      - beta thing\n      - gamma\nextend:\n  - id: c\n    synonyms: [more, gamma]\n";
        let l = Locator::new(text, vec![12, 3, 6]);
        assert_eq!(l.term(Some(3), "synonyms", "alpha thing"), Some(5));
        assert_eq!(l.term(Some(6), "synonyms", "gamma"), Some(10));
        assert_eq!(l.term(Some(12), "synonyms", "more"), Some(13));
        assert_eq!(l.term(Some(12), "synonyms", "gamma"), Some(13));
        assert_eq!(
            l.term(Some(3), "synonyms", "gamma"),
            Some(3),
            "not found within the entry: its first line"
        );
    }

    /// (line, whether its body opens a key), as the search read each line before.
    #[test]
    fn line_table() {
        let table: &[(&str, &str, bool)] = &[
            ("  - id: a", "id: a", true),
            ("    - - x: y", "x: y", true),
            ("      - \"a: b\"", "\"a: b\"", false),
            ("      - {term: x, when: y}", "{term: x, when: y}", false),
            ("      - [a, b]", "[a, b]", false),
            ("      - 'a:b'", "'a:b'", false),
            ("      - plain", "plain", false),
            ("-x: y", "-x: y", true),
            ("", "", false),
        ];
        for &(text, body, opens) in table {
            let line = Line::new(text);
            assert_eq!((line.body(), line.opens_a_key), (body, opens), "{text:?}");
            let t = text.trim_start().trim_start_matches("- ");
            assert_eq!(line.body(), t);
        }
    }

    /// (line, key, whether it holds " key:"), against `str::contains`.
    #[test]
    fn space_key_colon_table() {
        let table: &[(&str, &str, bool)] = &[
            ("    synonyms: [a]", "synonyms", true),
            ("synonyms: [a]", "synonyms", false),
            ("  - {term: x, when: y}", "when", true),
            ("  - {term: x,when: y}", "when", false),
            ("  exclude : x", "exclude", false),
            ("  a: b, exclude:", "exclude", true),
            (" x: a:b exclude:c", "exclude", true),
            ("", "k", false),
            (" k", "k", false),
            (":k:", "k", false),
            (" :", "", true),
        ];
        for &(line, key, want) in table {
            assert_eq!(has_space_key_colon(line, key), want, "{line:?} {key:?}");
            assert_eq!(line.contains(&format!(" {key}:")), want, "{line:?} {key:?}");
        }
    }
}
