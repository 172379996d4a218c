//! The compiled vocabulary: one Aho-Corasick automaton over normalised terms, plus the rules
//! the automaton cannot express (see `docs/matching.md`).
//!
//! Scanning a text:
//!
//! 1. fold the text into a normalised copy with an offset map ([`crate::normalize`]);
//! 2. find every occurrence of every pattern (an overlapping search), so that no valid shorter
//!    match is hidden by an invalid longer one;
//! 3. keep the candidates with no word character on either side (whole words), confirm
//!    case-sensitive terms (abbreviations) against the original text, and drop candidates that lie
//!    inside one of their concept's `exclude` phrases;
//! 4. choose leftmost-longest, non-overlapping mentions among the valid candidates. A span that
//!    matches a term shared on purpose (`ambiguous:`) counts once for each concept.

pub mod trace;

use std::collections::BTreeMap;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::document::Document;
use crate::normalize::{self, CharCounter, Normalized};
use crate::ontology::{ConceptId, Loc, Ontology, Problem, TermKind, variants};

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Via {
    /// A synonym (case-insensitive) or one of its generated variants.
    Synonym,
    /// An abbreviation (case-sensitive) or one of its generated variants.
    Abbreviation,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Synonym => "synonym",
            Via::Abbreviation => "abbreviation",
        }
    }
}

/// One mention of a concept in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Mention {
    /// Character offset in the document's offset space (see [`crate::document`]).
    pub start: u32,
    /// Character offset one past the end.
    pub end: u32,
    pub concept: ConceptId,
    /// Index into the concept's `terms`: the ontology term that matched.
    pub term: u32,
    /// Index of the section the mention stands in.
    pub section: u32,
    /// Byte offsets within that section's text.
    pub byte_start: u32,
    pub byte_end: u32,
    /// Whether a generated variant (not the term as written) matched.
    pub variant: bool,
    pub via: Via,
}

impl Mention {
    /// The matched text as it stands in the document.
    pub fn text<'d>(&self, doc: &'d Document) -> &'d str {
        &doc.sections[self.section as usize].text[self.byte_start as usize..self.byte_end as usize]
    }
}

/// Compile-time options.
#[derive(Debug, Clone, Copy)]
pub struct CompileOptions {
    /// Generate hyphen/space/joined, plural and spelling variants.
    pub variants: bool,
}

impl Default for CompileOptions {
    fn default() -> Self {
        CompileOptions { variants: true }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntryKind {
    Term,
    Exclude,
}

#[derive(Debug, Clone)]
struct Entry {
    kind: EntryKind,
    concept: ConceptId,
    term: u32,
    variant: bool,
    via: Via,
    /// The case-preserving form that an abbreviation must show in the original text.
    case: Option<Box<str>>,
}

/// A generated variant that was not used because another concept claims the same text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DroppedVariant {
    pub text: String,
    pub concept: ConceptId,
    pub term: u32,
    /// The concepts that claim the same text.
    pub others: Vec<ConceptId>,
}

/// Counts from compilation, for `coagtag check`.
#[derive(Debug, Clone, Default)]
pub struct CompileStats {
    /// Distinct normalised patterns in the automaton.
    pub patterns: usize,
    /// Terms as written (synonyms + abbreviations).
    pub terms: usize,
    /// Generated variants in use (not counting the terms as written).
    pub variants: usize,
    pub dropped: Vec<DroppedVariant>,
}

/// Per-thread buffers for scanning; reuse one per thread to avoid allocation.
#[derive(Debug, Default)]
pub struct Scratch {
    norm: Normalized,
    case: Normalized,
    cands: Vec<Cand>,
    excl: Vec<(u32, u32, ConceptId)>,
}

#[derive(Debug, Clone, Copy)]
struct Cand {
    s: u32,
    e: u32,
    entry: u32,
}

/// The compiled matcher. Cheap to share across threads (`&Matcher` is `Sync`).
#[derive(Debug, Clone)]
pub struct Matcher {
    ac: AhoCorasick,
    /// For each pattern id, its range in `entries`.
    ranges: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    /// The folded patterns, by pattern id.
    patterns: Vec<String>,
    pub stats: CompileStats,
}

impl Matcher {
    /// Compile an ontology with default options (variants on).
    pub fn new(ontology: &Ontology) -> Matcher {
        Matcher::with_options(ontology, CompileOptions::default())
    }

    pub fn with_options(ontology: &Ontology, opts: CompileOptions) -> Matcher {
        let mut by_pattern: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
        let mut stats = CompileStats::default();
        for cid in ontology.ids() {
            let c = ontology.concept(cid);
            for (ti, t) in c.terms.iter().enumerate() {
                stats.terms += 1;
                let abbr = t.kind == TermKind::Abbreviation;
                let canon = normalize::canonical(&t.text);
                let forms = if opts.variants {
                    variants::variants(&canon, abbr)
                } else {
                    vec![canon]
                };
                for (k, form) in forms.into_iter().enumerate() {
                    let folded = normalize::fold(&form);
                    by_pattern.entry(folded).or_default().push(Entry {
                        kind: EntryKind::Term,
                        concept: cid,
                        term: ti as u32,
                        variant: k > 0,
                        via: if abbr { Via::Abbreviation } else { Via::Synonym },
                        case: abbr.then(|| form.into_boxed_str()),
                    });
                }
            }
            for x in &c.excludes {
                let canon = normalize::canonical(x);
                let forms = if opts.variants {
                    variants::variants(&canon, false)
                } else {
                    vec![canon]
                };
                for form in forms {
                    by_pattern.entry(normalize::fold(&form)).or_default().push(Entry {
                        kind: EntryKind::Exclude,
                        concept: cid,
                        term: 0,
                        variant: false,
                        via: Via::Synonym,
                        case: None,
                    });
                }
            }
        }
        let mut patterns = Vec::with_capacity(by_pattern.len());
        let mut ranges = Vec::with_capacity(by_pattern.len());
        let mut entries = Vec::new();
        for (pattern, list) in by_pattern {
            let kept = resolve(&pattern, list, &mut stats);
            if kept.is_empty() {
                continue;
            }
            stats.variants += kept.iter().filter(|e| e.kind == EntryKind::Term && e.variant).count();
            let start = entries.len() as u32;
            entries.extend(kept);
            ranges.push((start, entries.len() as u32));
            patterns.push(pattern);
        }
        stats.patterns = patterns.len();
        let kind = if patterns.len() <= 20_000 {
            Some(AhoCorasickKind::DFA)
        } else {
            None
        };
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind(kind)
            .build(&patterns)
            .expect("patterns are non-empty strings; the automaton always builds");
        Matcher {
            ac,
            ranges,
            entries,
            patterns,
            stats,
        }
    }

    /// Number of patterns in the automaton.
    pub fn pattern_count(&self) -> usize {
        self.patterns.len()
    }

    /// Find the mentions in every section of a document, appending to `out` in document order.
    pub fn find_in_document(&self, doc: &Document, scratch: &mut Scratch, out: &mut Vec<Mention>) {
        let mut base = 0u32;
        for (i, section) in doc.sections.iter().enumerate() {
            self.find_in_text(&section.text, i as u32, base, scratch, out);
            base += section.text.chars().count() as u32 + 1;
        }
    }

    /// Find the mentions in one text. Offsets are `char_base` + character offsets in `text`.
    pub fn find_in_text(
        &self,
        text: &str,
        section: u32,
        char_base: u32,
        scratch: &mut Scratch,
        out: &mut Vec<Mention>,
    ) {
        let Scratch {
            norm,
            case,
            cands,
            excl,
        } = scratch;
        normalize::normalize_into(text, true, norm);
        cands.clear();
        excl.clear();
        let hay = norm.text.as_str();
        for m in self.ac.find_overlapping_iter(hay) {
            let (s, e) = (m.start(), m.end());
            if !is_boundary(hay, s, e) {
                continue;
            }
            let (a, b) = self.ranges[m.pattern().as_usize()];
            for ei in a..b {
                let entry = &self.entries[ei as usize];
                match entry.kind {
                    EntryKind::Exclude => excl.push((s as u32, e as u32, entry.concept)),
                    EntryKind::Term => {
                        if let Some(want) = &entry.case {
                            let (os, oe) = norm.original_span(text, s, e);
                            normalize::normalize_into(&text[os..oe], false, case);
                            if case.text != **want {
                                continue;
                            }
                        }
                        cands.push(Cand {
                            s: s as u32,
                            e: e as u32,
                            entry: ei,
                        });
                    }
                }
            }
        }
        if cands.is_empty() {
            return;
        }
        if !excl.is_empty() {
            let entries = &self.entries;
            cands.retain(|c| {
                let concept = entries[c.entry as usize].concept;
                !excl.iter().any(|&(xs, xe, xc)| xc == concept && xs <= c.s && c.e <= xe)
            });
        }
        // leftmost first, longest first, then declared terms before variants
        let entries = &self.entries;
        cands.sort_unstable_by_key(|c| {
            let en = &entries[c.entry as usize];
            (c.s, std::cmp::Reverse(c.e), en.concept, en.variant, en.via, en.term)
        });
        let mut counter = CharCounter::new(text);
        let mut last_end = 0u32;
        let mut i = 0;
        while i < cands.len() {
            let c = cands[i];
            if c.s < last_end {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < cands.len() && cands[j].s == c.s && cands[j].e == c.e {
                let en = &entries[cands[j].entry as usize];
                if j == i || entries[cands[j - 1].entry as usize].concept != en.concept {
                    let (os, oe) = norm.original_span(text, c.s as usize, c.e as usize);
                    let start = counter.chars_at(os) as u32;
                    let end = counter.chars_at(oe) as u32;
                    out.push(Mention {
                        start: char_base + start,
                        end: char_base + end,
                        concept: en.concept,
                        term: en.term,
                        section,
                        byte_start: os as u32,
                        byte_end: oe as u32,
                        variant: en.variant,
                        via: en.via,
                    });
                }
                j += 1;
            }
            last_end = c.e;
            i = j;
        }
    }

    /// Mentions in a free text (section 0, offsets from 0).
    pub fn find(&self, text: &str) -> Vec<Mention> {
        let mut out = Vec::new();
        self.find_in_text(text, 0, 0, &mut Scratch::default(), &mut out);
        out
    }
}

#[inline]
fn is_boundary(hay: &str, s: usize, e: usize) -> bool {
    let before = hay[..s].chars().next_back();
    let after = hay[e..].chars().next();
    !before.is_some_and(normalize::is_word_char) && !after.is_some_and(normalize::is_word_char)
}

/// Decide which entries of one pattern are used when several concepts claim it.
fn resolve(pattern: &str, mut list: Vec<Entry>, stats: &mut CompileStats) -> Vec<Entry> {
    // one entry per (kind, concept, case form): keep the declared one over a variant
    list.sort_by(|a, b| {
        (
            a.kind == EntryKind::Exclude,
            a.concept,
            &a.case,
            a.variant,
            a.via,
            a.term,
        )
            .cmp(&(
                b.kind == EntryKind::Exclude,
                b.concept,
                &b.case,
                b.variant,
                b.via,
                b.term,
            ))
    });
    list.dedup_by(|b, a| a.kind == b.kind && a.concept == b.concept && a.case == b.case);
    let term_concepts: Vec<ConceptId> = {
        let mut v: Vec<ConceptId> = list
            .iter()
            .filter(|e| e.kind == EntryKind::Term)
            .map(|e| e.concept)
            .collect();
        v.dedup();
        v
    };
    if term_concepts.len() <= 1 {
        return list;
    }
    let declared: Vec<ConceptId> = list
        .iter()
        .filter(|e| e.kind == EntryKind::Term && !e.variant)
        .map(|e| e.concept)
        .collect();
    let mut kept = Vec::with_capacity(list.len());
    for e in list {
        let clash = e.kind == EntryKind::Term
            && e.variant
            && !declared.contains(&e.concept)
            && term_concepts.iter().any(|&o| o != e.concept);
        if clash {
            stats.dropped.push(DroppedVariant {
                text: pattern.to_string(),
                concept: e.concept,
                term: e.term,
                others: term_concepts.iter().copied().filter(|&o| o != e.concept).collect(),
            });
        } else {
            kept.push(e);
        }
    }
    kept
}

/// Run every concept's example sentences; a sentence that does not tag as it says is a problem.
pub fn check_examples(ontology: &Ontology, matcher: &Matcher) -> Vec<Problem> {
    let mut problems = Vec::new();
    for cid in ontology.ids() {
        let c = ontology.concept(cid);
        for s in &c.examples_match {
            let found = matcher.find(s);
            if !found.iter().any(|m| m.concept == cid) {
                problems.push(example_problem(ontology, &c.loc, &c.id, s, &found, true));
            }
        }
        for s in &c.examples_no_match {
            let found = matcher.find(s);
            if found.iter().any(|m| m.concept == cid) {
                problems.push(example_problem(ontology, &c.loc, &c.id, s, &found, false));
            }
        }
    }
    problems
}

fn example_problem(
    ontology: &Ontology,
    loc: &Loc,
    id: &str,
    sentence: &str,
    found: &[Mention],
    should: bool,
) -> Problem {
    let what: Vec<String> = found
        .iter()
        .map(|m| {
            format!(
                "{:?} -> {}",
                &sentence[m.byte_start as usize..m.byte_end as usize],
                ontology.concept(m.concept).id
            )
        })
        .collect();
    let seen = if what.is_empty() {
        "no mentions".to_string()
    } else {
        what.join(", ")
    };
    Problem {
        loc: loc.clone(),
        concept: Some(id.to_string()),
        message: if should {
            format!("example {sentence:?} should tag as this concept but finds {seen}")
        } else {
            format!("example {sentence:?} must not tag as this concept but finds {seen}")
        },
        fix: Some(if should {
            "add the missing term (or fix the sentence)".into()
        } else {
            "add an `exclude:` phrase, make the term an abbreviation, or fix the sentence".into()
        }),
    }
}
