//! A small sentence splitter: the evidence product's sentences, and the sentence a tagging stage
//! looks within (a cue word and the mention it qualifies).
//!
//! Abstracts are edited prose, so a few rules go a long way. A sentence ends after `.`, `!` or
//! `?` (and any closing quotes or brackets after it) when white space follows and the next word
//! starts with an upper-case letter, a digit or an opening bracket or quote. A period does not end
//! a sentence
//!
//! * inside a number (`1.5`, `p < 0.05`): no white space follows it;
//! * after a common abbreviation (`e.g.`, `i.e.`, `et al.`, `vs.`, `Fig.`, `approx.`, `cf.`, ...);
//! * after a single capital letter (an initial, as in `J. Smith`);
//! * when the next word starts in lower case (`the vs. control group`, `ca. two thirds`).
//!
//! An empty line always ends a sentence. Spans exclude the white space around sentences.

/// Words that end in a period without ending the sentence (compared in lower case, without the
/// final period).
const ABBREVIATIONS: &[&str] = &[
    "al", "approx", "ca", "cf", "co", "dr", "e.g", "eg", "eq", "eqs", "fig", "figs", "i.e", "ie", "inc", "incl", "jr",
    "ltd", "mr", "mrs", "ms", "no", "nos", "nr", "p", "pp", "prof", "ref", "refs", "resp", "sp", "spp", "sr", "st",
    "suppl", "u.s", "viz", "vol", "vs",
];

/// Byte spans of the sentences of `text`, in order.
///
/// Only `.`, `!`, `?` and a line break can end a sentence, and all four are ASCII: the scan jumps
/// from one to the next (measured: the qualifier stage splits every section with a mention, and a
/// walk over every character cost it 34 M instructions on the sepsis subset; see BENCHMARKS.md).
pub fn sentence_spans(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    // an abstract's section holds about ten sentences: one allocation, not four doublings
    let mut out = Vec::with_capacity(16);
    let mut start = skip_space(text, 0);
    let mut i = start;
    // the next line break at or after `i`, found once and reused until passed
    let mut newline = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    while i < bytes.len() {
        if newline < i {
            newline = memchr::memchr(b'\n', &bytes[i..]).map_or(bytes.len(), |o| i + o);
        }
        let mark = memchr::memchr3(b'.', b'!', b'?', &bytes[i..newline]).map(|o| i + o);
        let Some(at) = mark.or((newline < bytes.len()).then_some(newline)) else {
            break;
        };
        let c = bytes[at] as char;
        let mut next = at + 1;
        let end_here = match c {
            '.' | '!' | '?' => {
                // swallow closing quotes/brackets after the mark
                let mut end = at + 1;
                for d in text[end..].chars() {
                    if matches!(d, ')' | ']' | '"' | '\'' | '\u{201d}' | '\u{2019}') {
                        end += d.len_utf8();
                    } else {
                        break;
                    }
                }
                next = end;
                if ends_sentence(text, start, at, c, end) {
                    Some(end)
                } else {
                    None
                }
            }
            _ if text[at + 1..].starts_with('\n') || text[at + 1..].starts_with("\r\n") => Some(trim_end(text, at)),
            _ => None,
        };
        if let Some(end) = end_here {
            if end > start {
                out.push((start, end));
            }
            start = skip_space(text, end);
            next = next.max(start);
        }
        i = next;
    }
    let end = trim_end(text, text.len());
    if end > start {
        out.push((start, end));
    }
    out
}

/// The span among `spans` that holds byte `at` (or the nearest one before it).
pub fn span_at(spans: &[(usize, usize)], at: usize) -> Option<(usize, usize)> {
    let i = spans.partition_point(|&(s, _)| s <= at);
    if i == 0 {
        spans.first().copied()
    } else {
        Some(spans[i - 1])
    }
}

/// A sentence as shown in a product: runs of white space (line breaks too) as one space.
pub fn display(sentence: &str) -> String {
    if sentence.is_ascii() {
        return display_ascii(sentence.as_bytes());
    }
    display_chars(sentence)
}

fn display_chars(sentence: &str) -> String {
    let mut out = String::with_capacity(sentence.len());
    let mut space = false;
    for c in sentence.chars() {
        if c.is_whitespace() {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(' ');
            }
            space = false;
            out.push(c);
        }
    }
    out
}

/// [`display`] of ASCII text, a byte at a time (the white space of [`char::is_whitespace`]
/// in ASCII: tab to carriage return, and space).
fn display_ascii(sentence: &[u8]) -> String {
    let mut out = Vec::with_capacity(sentence.len());
    let mut space = false;
    for &b in sentence {
        if matches!(b, b'\t'..=b'\r' | b' ') {
            space = true;
        } else {
            if space && !out.is_empty() {
                out.push(b' ');
            }
            space = false;
            out.push(b);
        }
    }
    String::from_utf8(out).expect("ASCII in, ASCII out")
}

fn ends_sentence(text: &str, start: usize, mark: usize, c: char, end: usize) -> bool {
    let rest = &text[end..];
    let Some(first) = rest.chars().next() else {
        return true;
    };
    if !first.is_whitespace() {
        return false;
    }
    let Some(next) = rest.trim_start().chars().next() else {
        return true;
    };
    if !(next.is_uppercase() || next.is_ascii_digit() || matches!(next, '(' | '[' | '"' | '\u{201c}' | '\'')) {
        return false;
    }
    if c != '.' {
        return true;
    }
    // the word before the period
    let before = &text[start..mark];
    let word = before
        .rsplit(|ch: char| ch.is_whitespace() || ch == '(' || ch == '[')
        .next()
        .unwrap_or("");
    if word.is_empty() {
        return true;
    }
    let mut chars = word.chars();
    if let (Some(only), None) = (chars.next(), chars.next())
        && only.is_uppercase()
    {
        return false;
    }
    // compared in place, not lower-cased into a new string per period (1.7 M instructions of
    // the 8.9 M the split cost on the sepsis subset, BENCHMARKS.md); a non-ASCII word is
    // lower-cased as before (the Kelvin sign lower-cases to an ASCII `k`)
    if word.is_ascii() {
        // none is longer than six bytes: most words before a period are not compared at all
        !(word.len() <= 6 && ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word)))
    } else {
        let lower = word.to_lowercase();
        !ABBREVIATIONS.contains(&lower.as_str())
    }
}

fn skip_space(text: &str, from: usize) -> usize {
    from + (text[from..].len() - text[from..].trim_start().len())
}

fn trim_end(text: &str, to: usize) -> usize {
    text[..to].trim_end().len()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_abbreviation_is_longer_than_six_bytes() {
        assert!(ABBREVIATIONS.iter().all(|a| a.len() <= 6));
    }

    fn split(text: &str) -> Vec<&str> {
        sentence_spans(text).into_iter().map(|(s, e)| &text[s..e]).collect()
    }

    #[test]
    fn splits_and_keeps_together() {
        let cases: &[(&str, &[&str])] = &[
            ("One. Two.", &["One.", "Two."]),
            (
                "  Lead space.  Next one!  Third? ",
                &["Lead space.", "Next one!", "Third?"],
            ),
            (
                "Markers (e.g. TF and PAI-1) rose. Levels fell.",
                &["Markers (e.g. TF and PAI-1) rose.", "Levels fell."],
            ),
            (
                "As Levi et al. Showed, TF rises. Yes.",
                &["As Levi et al. Showed, TF rises.", "Yes."],
            ),
            (
                "Mean 2.5 vs. 3.1 mg (p = 0.03). Next.",
                &["Mean 2.5 vs. 3.1 mg (p = 0.03).", "Next."],
            ),
            (
                "Sepsis vs. Control differed. Next.",
                &["Sepsis vs. Control differed.", "Next."],
            ),
            (
                "Found by J. Smith in 2001. 45 patients died.",
                &["Found by J. Smith in 2001.", "45 patients died."],
            ),
            (
                "It rose (see Fig. 2). \"Quoted.\" Then.",
                &["It rose (see Fig. 2).", "\"Quoted.\"", "Then."],
            ),
            ("A trial, i.e. A study. B.", &["A trial, i.e. A study.", "B."]),
            (
                "the control vs. treated group. End",
                &["the control vs. treated group.", "End"],
            ),
            ("No final mark", &["No final mark"]),
            ("Title line\n\nBody text. More.", &["Title line", "Body text.", "More."]),
            ("", &[]),
            ("   ", &[]),
            ("TNF-α rose. IL-6 fell.", &["TNF-α rose.", "IL-6 fell."]),
        ];
        for (text, want) in cases {
            assert_eq!(split(text), *want, "text: {text:?}");
        }
    }

    #[test]
    fn span_at_finds_the_sentence_holding_a_byte() {
        let text = "One two. Three four.";
        let spans = sentence_spans(text);
        assert_eq!(span_at(&spans, 4), Some((0, 8)));
        assert_eq!(span_at(&spans, 9), Some((9, 20)));
        // the space between sentences belongs to the one before
        assert_eq!(span_at(&spans, 8), Some((0, 8)));
        assert_eq!(span_at(&[], 3), None);
    }

    #[test]
    fn display_collapses_white_space() {
        assert_eq!(display("TF\n  rose\tsharply."), "TF rose sharply.");
        assert_eq!(display(" \u{a0}TF\u{2009}rose "), "TF rose");
    }

    #[test]
    fn ascii_display_is_the_same_as_by_characters() {
        // every ASCII character, alone, between letters, doubled and at the ends
        for b in 0u8..128 {
            let c = b as char;
            for t in [
                format!("{c}"),
                format!("a{c}b"),
                format!("{c}{c}a {c}b\t{c}"),
                format!("x{c}"),
            ] {
                assert_eq!(display_ascii(t.as_bytes()), display_chars(&t), "{t:?}");
            }
        }
    }
}
