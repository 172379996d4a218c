//! The optimised matcher agrees with a naive reference matcher.
//!
//! The reference shares nothing with `matcher.rs` but the normaliser: it loops over every term
//! and every byte position of the folded text, applies the same rules in the plainest way
//! (whole words = no letter or digit on either side; abbreviations confirmed case-sensitively
//! against the original; candidates inside an `exclude` phrase of their concept dropped), then
//! picks leftmost-longest, non-overlapping spans, each concept once per span. Variants are off
//! (`CompileOptions { variants: false }`): the reference knows only the terms as written. Both
//! engines (overlapping DFA and word-start NFA) are checked.

mod common;

use coagtag::normalize::{canonical, fold, normalize};
use coagtag::ontology::{Ontology, TermKind, load_texts};
use coagtag::tag::matcher::{CompileOptions, EngineKind, Matcher, Via};
use proptest::prelude::*;

/// (char start, char end, concept, term, via, byte start, byte end), as in `Mention`.
type Found = (u32, u32, u32, u32, Via, u32, u32);

fn is_word(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric()
}

fn reference(ont: &Ontology, text: &str) -> Vec<Found> {
    let norm = normalize(text, true);
    let hay = norm.text.as_str();
    // every occurrence of `pat` in the folded text with no word character on either side
    let occurrences = |pat: &str| -> Vec<(usize, usize)> {
        let mut v = Vec::new();
        if pat.is_empty() || pat.len() > hay.len() {
            return v;
        }
        for s in 0..=hay.len() - pat.len() {
            if !hay.is_char_boundary(s) || !hay[s..].starts_with(pat) {
                continue;
            }
            let e = s + pat.len();
            let before = hay[..s].chars().last();
            let after = hay[e..].chars().next();
            if before.is_some_and(is_word) || after.is_some_and(is_word) {
                continue;
            }
            v.push((s, e));
        }
        v
    };
    let mut excl: Vec<(usize, usize, u32)> = Vec::new();
    for (ci, c) in ont.concepts.iter().enumerate() {
        for x in &c.excludes {
            for (s, e) in occurrences(&fold(x)) {
                excl.push((s, e, ci as u32));
            }
        }
    }
    // (start, end, concept, via, term)
    let mut cands: Vec<(usize, usize, u32, Via, u32)> = Vec::new();
    for (ci, c) in ont.concepts.iter().enumerate() {
        for (ti, t) in c.terms.iter().enumerate() {
            let abbr = t.kind == TermKind::Abbreviation;
            for (s, e) in occurrences(&fold(&t.text)) {
                if abbr {
                    let (os, oe) = norm.original_span(text, s, e);
                    if canonical(&text[os..oe]) != canonical(&t.text) {
                        continue;
                    }
                }
                let ci = ci as u32;
                if excl.iter().any(|&(xs, xe, xc)| xc == ci && xs <= s && e <= xe) {
                    continue;
                }
                let via = if abbr { Via::Abbreviation } else { Via::Synonym };
                cands.push((s, e, ci, via, ti as u32));
            }
        }
    }
    cands.sort_by_key(|&(s, e, c, via, t)| (s, std::cmp::Reverse(e), c, via, t));
    let mut out = Vec::new();
    let mut last_end = 0;
    let mut i = 0;
    while i < cands.len() {
        let (s, e, ..) = cands[i];
        let mut j = i;
        while j < cands.len() && cands[j].0 == s && cands[j].1 == e {
            j += 1;
        }
        if s >= last_end {
            let (os, oe) = norm.original_span(text, s, e);
            let cs = text[..os].chars().count() as u32;
            let ce = text[..oe].chars().count() as u32;
            let mut seen: Vec<u32> = Vec::new();
            for &(_, _, c, via, t) in &cands[i..j] {
                if !seen.contains(&c) {
                    seen.push(c);
                    out.push((cs, ce, c, t, via, os as u32, oe as u32));
                }
            }
            last_end = e;
        }
        i = j;
    }
    out
}

fn optimised(m: &Matcher, text: &str) -> Vec<Found> {
    m.find(text)
        .into_iter()
        .map(|x| (x.start, x.end, x.concept.0, x.term, x.via, x.byte_start, x.byte_end))
        .collect()
}

fn json(s: &str) -> String {
    serde_json::to_string(s).expect("a string serialises")
}

/// An ontology file in which every term is shared on purpose, so any random vocabulary
/// validates and a span claimed by several concepts counts for each.
fn vocabulary_yaml(concepts: &[(Vec<String>, Vec<String>, Vec<String>)]) -> String {
    let mut y = String::from("concepts:\n");
    for (i, (syn, abbr, excl)) in concepts.iter().enumerate() {
        let list = |v: &[String]| v.iter().map(|s| json(s)).collect::<Vec<_>>().join(", ");
        let all: Vec<String> = syn.iter().chain(abbr).cloned().collect();
        y.push_str(&format!(
            "  - id: c{i}\n    label: C{i}\n    synonyms: [{}]\n    abbreviations: [{}]\n    exclude: [{}]\n    ambiguous: [{}]\n",
            list(syn),
            list(abbr),
            list(excl),
            list(&all)
        ));
    }
    y
}

const WORDS: &[&str] = &[
    "tf",
    "TF",
    "Tf",
    "factor",
    "tissue",
    "fibrin",
    "fibrinogen",
    "net",
    "NET",
    "NETs",
    "α",
    "alpha",
    "il",
    "6",
    "p2y(12)",
    "é",
    "e\u{301}",
    "ß",
    "x",
];

const GLUE: &[&str] = &[
    " ", " ", " ", "-", ", ", ". ", "(", ")", "  ", "\t", "\u{2013}", "1", "x", "é", "\u{301}", "İ", "ﬁ", "Α", "’",
];

fn term() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(prop::sample::select(WORDS), 1..4),
        prop::sample::select(&[" ", "-", ""][..]),
    )
        .prop_map(|(w, sep)| w.join(sep))
        .prop_filter("visible after folding", |t| !fold(t).trim().is_empty())
}

fn concept() -> impl Strategy<Value = (Vec<String>, Vec<String>, Vec<String>)> {
    (
        prop::collection::vec(term(), 0..4),
        prop::collection::vec(term(), 0..3),
        prop::collection::vec(term(), 0..2),
    )
        .prop_map(|(mut syn, mut abbr, excl)| {
            // a concept may not list the same term twice under one key
            syn.sort();
            syn.dedup();
            abbr.sort();
            abbr.dedup();
            (syn, abbr, excl)
        })
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(
        prop_oneof![prop::sample::select(WORDS), prop::sample::select(GLUE)],
        0..40,
    )
    .prop_map(|parts| parts.concat())
}

const ENGINES: [EngineKind; 2] = [EngineKind::OverlappingDfa, EngineKind::WordStartTrie];

/// The ontology and one matcher per engine.
fn compile(yaml: &str) -> (Ontology, Vec<Matcher>) {
    let ont = load_texts(&[("random.yaml", yaml)]).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let ms = ENGINES
        .iter()
        .map(|&k| Matcher::with_engine(&ont, CompileOptions { variants: false }, k))
        .collect();
    (ont, ms)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn matcher_agrees_with_naive_reference(
        concepts in prop::collection::vec(concept(), 1..6),
        texts in prop::collection::vec(text(), 1..4),
    ) {
        let yaml = vocabulary_yaml(&concepts);
        let (ont, ms) = compile(&yaml);
        for t in &texts {
            let want = reference(&ont, t);
            for m in &ms {
                prop_assert_eq!(optimised(m, t), want.clone(), "text {:?}\n{}", t, yaml);
            }
        }
    }
}

fn fixture_texts() -> Vec<String> {
    let raw = std::fs::read_to_string(common::root().join("fixtures/sepsis25.jsonl")).expect("fixture present");
    let mut out = Vec::new();
    for line in raw.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("fixture is JSONL");
        for k in ["title", "abstract"] {
            out.push(v[k].as_str().unwrap_or("").to_string());
        }
    }
    out
}

#[test]
fn default_ontology_on_the_fixture_agrees_with_the_reference() {
    let ont = Ontology::default_ontology().expect("default ontology loads");
    let mut total = 0;
    for k in ENGINES {
        let m = Matcher::with_engine(&ont, CompileOptions { variants: false }, k);
        for t in fixture_texts() {
            let got = optimised(&m, &t);
            assert_eq!(got, reference(&ont, &t), "{k:?}, text {t:?}");
            total += got.len();
        }
    }
    assert!(total > 100, "the fixture has many mentions, found {total}");
}

/// 6,000 terms: above the size at which variants are compiled on several threads.
#[test]
fn synthetic_vocabulary_on_the_fixture_agrees_with_the_reference() {
    let yaml = coagtag::ontology::synthetic::synthetic_yaml(6_000);
    let (ont, ms) = compile(&yaml);
    let mut total = 0;
    for t in fixture_texts() {
        let want = reference(&ont, &t);
        for m in &ms {
            let got = optimised(m, &t);
            assert_eq!(got, want, "text {t:?}");
            total += got.len();
        }
    }
    assert!(
        total > 10,
        "the synthetic vocabulary occurs in real abstracts, found {total}"
    );
}

/// Regression for MATCHING-NOTES pitfall 1: a longer invalid candidate must not hide a valid
/// shorter one.
#[test]
fn longer_candidate_failing_the_boundary_does_not_hide_a_shorter_one() {
    let yaml = vocabulary_yaml(&[
        (vec!["tissue factor".into()], vec![], vec![]),
        (vec!["tissue factor pathway inhibitor".into()], vec![], vec![]),
    ]);
    let (ont, ms) = compile(&yaml);
    let t = "tissue factor pathway inhibitory activity";
    for m in &ms {
        assert_eq!(optimised(m, t), vec![(0, 13, 0, 0, Via::Synonym, 0, 13)]);
    }
    assert_eq!(reference(&ont, t), vec![(0, 13, 0, 0, Via::Synonym, 0, 13)]);
}

/// With variants on (the default), both engines find the same mentions as each other.
#[test]
fn engines_agree_with_variants_on() {
    let ont = Ontology::default_ontology().expect("default ontology loads");
    let [a, b] = ENGINES.map(|k| Matcher::with_engine(&ont, CompileOptions::default(), k));
    for t in fixture_texts() {
        assert_eq!(optimised(&a, &t), optimised(&b, &t), "text {t:?}");
    }
}

proptest! {
    /// `fold` and `canonical` take a shortcut for ASCII; it must equal the full normaliser.
    #[test]
    fn ascii_shortcut_of_fold_and_canonical_agrees_with_normalize(s in "[\\x00-\\x7f]{0,40}") {
        prop_assert_eq!(fold(&s), normalize(&s, true).text);
        prop_assert_eq!(canonical(&s), normalize(&s, false).text);
    }
}
