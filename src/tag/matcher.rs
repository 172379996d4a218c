//! The compiled vocabulary: one Aho-Corasick automaton over normalised terms, plus the rules
//! the automaton cannot express (see `docs/matching.md`).
//!
//! Scanning a text:
//!
//! 1. fold the text into a normalised copy with an offset map ([`crate::normalize`]);
//! 2. find every occurrence of every pattern that starts a word, so that no valid shorter match
//!    is hidden by an invalid longer one: an anchored walk of the automaton from every position
//!    with no word character before it reports every pattern that starts there (the same
//!    candidates as an overlapping search followed by a left-boundary check, at a fraction of
//!    the cost, since most positions are inside words and are never visited);
//! 3. keep the candidates with no word character after them (whole words), confirm
//!    case-sensitive terms (abbreviations) against the original text, and drop candidates that lie
//!    inside one of their concept's `exclude` phrases;
//! 4. choose leftmost-longest, non-overlapping mentions among the valid candidates. A span that
//!    matches a term shared on purpose (`ambiguous:`) counts once for each concept.

pub mod trace;
mod trie;

pub use trace::MatchRule;

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use super::qualifiers::Qualifiers;
use super::scan::{Folding, LazyDfa};
use super::stage::{CaseForms, Context, Decision, Outcome, Recorder, Rule, Stage, StageId};
use crate::document::Document;
use crate::normalize::{self, CharCounter, Normalized};
use crate::ontology::{ConceptId, Loc, Ontology, Problem, Role, TermKind, variants};

/// How a mention was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Via {
    /// A synonym (case-insensitive) or one of its generated variants.
    Synonym,
    /// An abbreviation (case-sensitive) or one of its generated variants.
    Abbreviation,
    /// A short form the document itself defines for a long form that matched the concept
    /// ("neutrophil extracellular traps (NETs)"); see [`crate::tag::abbrev`].
    Definition,
}

impl Via {
    pub fn as_str(self) -> &'static str {
        match self {
            Via::Synonym => "synonym",
            Via::Abbreviation => "abbreviation",
            Via::Definition => "defined-abbreviation",
        }
    }
}

/// One mention of a concept in a document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
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
    /// Negated, hedged, which way it changed: set by the last stage ([`crate::tag::qualifiers`]),
    /// the defaults (affirmed, stated, none) before it.
    pub qualifiers: Qualifiers,
    /// Whether the mention evidences its categories, as [`crate::tag::roles`] decided.
    pub evidence: MentionEvidence,
}

/// What a mention is to its categories: the concept's role, and whether this mention counts
/// in the category roll-up (set by [`crate::tag::roles`]; before that stage, a mechanism that
/// counts).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct MentionEvidence {
    pub role: Role,
    pub in_rollup: bool,
}

impl Default for MentionEvidence {
    fn default() -> Self {
        MentionEvidence {
            role: Role::Mechanism,
            in_rollup: true,
        }
    }
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
    /// Distinct normalised patterns in use.
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

/// How the automaton finds the candidates (both find exactly the same ones).
///
/// A DFA makes one table lookup per byte, so an overlapping search over the whole text
/// followed by a left-boundary check is fastest; but its memory grows with states x byte classes,
/// which rules it out for large vocabularies. An NFA's unanchored search follows failure
/// transitions, which with hundreds of thousands of patterns costs more than the search itself;
/// walking anchored from each word start only never needs one, and skips the inside of words, so
/// a plain trie of the patterns serves (see `matcher::trie`), and it builds in a fraction of the time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EngineKind {
    /// DFA up to [`DFA_MAX_PATTERNS`] patterns, word-start trie above.
    Auto,
    /// Overlapping search with a DFA over the whole text.
    OverlappingDfa,
    /// Walks of a trie of the patterns from every word start.
    WordStartTrie,
}

#[derive(Debug, Clone)]
enum Engine {
    /// The DFA, and a trie of the same patterns for the searches anchored at a text's start
    /// ([`Matcher::find_at_start`]), which a DFA could serve only by doubling its states.
    OverlappingDfa(LazyDfa, trie::Trie),
    WordStartTrie(trie::Trie),
}

impl Engine {
    /// The trie of the patterns.
    fn trie(&self) -> &trie::Trie {
        match self {
            Engine::OverlappingDfa(_, t) | Engine::WordStartTrie(t) => t,
        }
    }
}

/// Where [`Matcher::find_in_text`] looks for candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Span {
    /// The whole text.
    Everywhere,
    /// Only at the text's first character, normalising the text from `prefix` bytes of its
    /// normal form on only as far as the walks from there can read (see
    /// [`Matcher::normalize_start`]; `usize::MAX`: the whole text).
    Start { prefix: usize },
}

/// The bytes of a text's normal form that [`Matcher::find_at_start`] makes first, doubled while
/// a walk from the first character runs past them. The abbreviation stage's texts (a long form
/// from one of its words, a space, and 80 bytes after the parenthesis) were normalised whole
/// before, about 1,400 instructions a text, where a walk reads a few bytes: see BENCHMARKS.md,
/// section `abrack`.
const START_PREFIX: usize = 32;

/// Vocabularies with more patterns than this use the word-start trie (see [`EngineKind`]).
pub const DFA_MAX_PATTERNS: usize = 20_000;

/// The compiled matcher. Cheap to share across threads (`&Matcher` is `Sync`).
#[derive(Debug, Clone)]
pub struct Matcher {
    engine: Engine,
    /// [`WORD`], [`FIRST`], [`NON_ASCII`] and [`LEAD`] flags of every byte value.
    classes: [u8; 256],
    /// For each pattern id, its range in `entries`.
    ranges: Vec<(u32, u32)>,
    entries: Vec<Entry>,
    pub stats: CompileStats,
}

impl Matcher {
    /// Compile an ontology with default options (variants on).
    pub fn new(ontology: &Ontology) -> Matcher {
        Matcher::with_options(ontology, CompileOptions::default())
    }

    pub fn with_options(ontology: &Ontology, opts: CompileOptions) -> Matcher {
        Matcher::with_engine(ontology, opts, EngineKind::Auto)
    }

    /// Compile with a chosen engine; [`EngineKind::Auto`] is right for every use but testing
    /// that the engines agree.
    pub fn with_engine(ontology: &Ontology, opts: CompileOptions, engine: EngineKind) -> Matcher {
        let mut stats = CompileStats {
            terms: ontology.concepts.iter().map(|c| c.terms.len()).sum(),
            ..CompileStats::default()
        };
        // Generating and folding the variants is most of the work for large vocabularies; it is
        // done on several threads in chunks of concepts, merged back in concept order, so the
        // result is the same as on one thread.
        let ids: Vec<ConceptId> = ontology.ids().collect();
        let threads = if stats.terms >= PARALLEL_MIN_TERMS {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        } else {
            1
        };
        let chunk = ids.len().div_ceil(threads).max(1);
        let parts: Vec<Vec<(String, Entry)>> = if threads > 1 {
            std::thread::scope(|scope| {
                let handles: Vec<_> = ids
                    .chunks(chunk)
                    .map(|part| scope.spawn(move || pattern_entries(ontology, part, opts)))
                    .collect();
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
                    .collect()
            })
        } else {
            vec![pattern_entries(ontology, &ids, opts)]
        };
        let (patterns, mut grouped) = group_by_pattern(parts);
        let kind = match engine {
            EngineKind::Auto if patterns.len() <= DFA_MAX_PATTERNS => EngineKind::OverlappingDfa,
            EngineKind::Auto => EngineKind::WordStartTrie,
            k => k,
        };
        // The automaton holds every pattern, also one whose entries are all dropped below (it
        // then finds nothing), so that it can be built while the entries are resolved.
        let (engine, (ranges, entries)) = std::thread::scope(|scope| {
            let build = || build_engine(kind, &patterns);
            let pending = (threads > 1).then(|| scope.spawn(build));
            let resolved = grouped.resolve_all(&patterns, &mut stats);
            let engine = match pending {
                Some(h) => h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)),
                None => build(),
            };
            (engine, resolved)
        });
        // report dropped variants in text order, whatever the order of the ontology
        stats.dropped.sort_by(|a, b| a.text.cmp(&b.text));
        let mut classes = [0u8; 256];
        for (b, class) in classes.iter_mut().enumerate() {
            let b = b as u8;
            if b.is_ascii_alphanumeric() {
                *class |= WORD;
            }
            if !b.is_ascii() {
                *class |= NON_ASCII;
            }
            if b >= 0xC0 {
                *class |= LEAD;
            }
        }
        for p in &patterns {
            classes[usize::from(p.as_bytes()[0])] |= FIRST;
        }
        Matcher {
            engine,
            classes,
            ranges,
            entries,
            stats,
        }
    }

    /// Number of distinct patterns in use (as [`CompileStats::patterns`]).
    pub fn pattern_count(&self) -> usize {
        self.stats.patterns
    }

    /// Find the mentions in every section of a document, appending to `out` in document order.
    pub fn find_in_document(&self, doc: &Document, scratch: &mut Scratch, out: &mut Vec<Mention>) {
        self.find_in_sections(doc, &doc.section_starts(), None, scratch, out);
    }

    /// [`Matcher::find_in_document`], the sections starting at the character offsets `starts`
    /// ([`Document::section_starts`]), searching the case-preserving normal forms of `forms`
    /// where they serve (see [`CaseForms`]) and leaving there those it makes.
    fn find_in_sections(
        &self,
        doc: &Document,
        starts: &[usize],
        mut forms: Option<&mut CaseForms>,
        scratch: &mut Scratch,
        out: &mut Vec<Mention>,
    ) {
        for ((i, section), &base) in doc.sections.iter().enumerate().zip(starts) {
            let text = section.text.as_str();
            self.find_in_span(
                text,
                i as u32,
                base as u32,
                scratch,
                out,
                Span::Everywhere,
                forms.as_deref_mut(),
            );
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
        self.find_in_span(text, section, char_base, scratch, out, Span::Everywhere, None);
    }

    /// The mentions of [`Matcher::find_with`] that begin at the text's first byte, found by
    /// walking the patterns from there only instead of searching the whole text: the same
    /// candidates, rules and choice, since every candidate that could begin there is found and
    /// the leftmost ones are chosen first. (The abbreviation stage reads terms written around a
    /// definition this way, 63,403 texts on pubmed21n1298: see BENCHMARKS.md.)
    pub fn find_at_start(&self, text: &str, scratch: &mut Scratch) -> Vec<Mention> {
        self.find_at_start_from(text, scratch, START_PREFIX)
    }

    /// [`Matcher::find_at_start`], normalising `prefix` bytes first (see [`Span::Start`]).
    fn find_at_start_from(&self, text: &str, scratch: &mut Scratch, prefix: usize) -> Vec<Mention> {
        let mut out = Vec::new();
        self.find_in_span(text, 0, 0, scratch, &mut out, Span::Start { prefix }, None);
        out
    }

    /// Normalise (folding) as much of `text` as the walks of [`Span::Start`] read: at least
    /// `prefix` bytes of its normal form, then twice as many while some walk from the first
    /// character runs out of bytes (more could match, or the next character decide whether a
    /// match ends a word). The walks then see the bytes, and find the candidates, they would
    /// in the whole normal form, of which this one is a prefix
    /// ([`normalize::normalize_prefix_into`]).
    fn normalize_start(&self, text: &str, prefix: usize, norm: &mut Normalized) {
        let trie = self.engine.trie();
        let mut min_len = prefix.max(1);
        while !normalize::normalize_prefix_into(text, true, min_len, norm) {
            let hay = norm.text.as_str();
            let bytes = hay.as_bytes();
            let runs_out = (0..bytes.len()).take_while(|&s| norm.map[s] == 0).any(|s| {
                hay.is_char_boundary(s) && is_left_boundary(hay, s) && trie.walk_from(bytes, s, &mut |_, _, _| {})
            });
            if !runs_out {
                return;
            }
            min_len = min_len.saturating_mul(2);
        }
    }

    /// The mentions in `text` (section `section`, its first character at `char_base`) within
    /// `span`, appended to `out`; `forms`: the document's case-preserving normal forms, to search
    /// the section's where it serves.
    #[allow(clippy::too_many_arguments)]
    fn find_in_span(
        &self,
        text: &str,
        section: u32,
        char_base: u32,
        scratch: &mut Scratch,
        out: &mut Vec<Mention>,
        span: Span,
        forms: Option<&mut CaseForms>,
    ) {
        let Scratch {
            norm,
            case,
            cands,
            excl,
        } = scratch;
        // A text whose folded normal form is its own bytes, lower-cased and with white space as a
        // space (ASCII, no two white space bytes together: 52% of the bytes of pubmed21n1298's
        // titles and abstracts) is searched as it is, through the DFA's folding, its offsets
        // those of the normal form: normalising it was 571 M instructions of the 3,445 M of
        // tagging them (BENCHMARKS.md, "Issue 19: the plain-text run, second pass"). So is the
        // case-preserving normal form of a non-ASCII text where the folded one is that form with
        // its ASCII capitals lower-cased (nearly every one): the abbreviation stage reads that
        // form too, and the text is normalised once for both (see `CaseForms`).
        let reads_raw =
            span == Span::Everywhere && matches!(&self.engine, Engine::OverlappingDfa(dfa, _) if dfa.reads_raw_text());
        // the normal form whose map leads back to `text` (None: `text` itself)
        let norm: Option<&Normalized> = if let Span::Start { prefix } = span {
            self.normalize_start(text, prefix, norm);
            Some(norm)
        } else if reads_raw && normalize::folds_byte_for_byte(text) {
            None
        } else if let Some(case_form) = forms
            .filter(|_| reads_raw)
            .and_then(|f| f.get_folding(section as usize, text))
        {
            Some(case_form)
        } else {
            normalize::normalize_into(text, true, norm);
            Some(norm)
        };
        cands.clear();
        excl.clear();
        // the text searched: that normal form, or `text`
        let hay = norm.map_or(text, |n| n.text.as_str());
        let mut on_match = |s: usize, e: usize, pattern: usize| {
            if !is_right_boundary(hay, e) {
                return;
            }
            let (a, b) = self.ranges[pattern];
            for ei in a..b {
                let entry = &self.entries[ei as usize];
                match entry.kind {
                    EntryKind::Exclude => excl.push((s as u32, e as u32, entry.concept)),
                    EntryKind::Term => {
                        if let Some(want) = &entry.case
                            && !case_matches(text, norm, s, e, want, case)
                        {
                            continue;
                        }
                        cands.push(Cand {
                            s: s as u32,
                            e: e as u32,
                            entry: ei,
                        });
                    }
                }
            }
        };
        match (&self.engine, span) {
            (_, Span::Start { .. }) => {
                let Some(norm) = norm else {
                    return;
                };
                // the bytes of the normalised text that come from the original's first
                // character (none if that character is dropped): a mention begins at byte 0 of
                // the original only if it begins at one of them
                let bytes = hay.as_bytes();
                let trie = self.engine.trie();
                for s in (0..bytes.len()).take_while(|&s| norm.map[s] == 0) {
                    if hay.is_char_boundary(s) && is_left_boundary(hay, s) {
                        trie.walk_from(bytes, s, &mut on_match);
                    }
                }
            }
            (Engine::OverlappingDfa(dfa, _), Span::Everywhere) => {
                dfa.overlapping(hay.as_bytes(), |pattern, start, end| {
                    if is_left_boundary(hay, start) {
                        on_match(start, end, pattern as usize);
                    }
                });
            }
            (Engine::WordStartTrie(t), Span::Everywhere) => walk_word_starts(t, hay, &self.classes, &mut on_match),
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
                    let (os, oe) = original_span(norm, text, c.s as usize, c.e as usize);
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
                        evidence: MentionEvidence::default(),
                        qualifiers: Qualifiers::default(),
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
        self.find_with(text, &mut Scratch::default())
    }

    /// [`Matcher::find`] with the caller's buffers (for a caller that matches many short texts).
    pub fn find_with(&self, text: &str, scratch: &mut Scratch) -> Vec<Mention> {
        let mut out = Vec::new();
        self.find_in_text(text, 0, 0, scratch, &mut out);
        out
    }
}

/// The first stage: every mention of a term in the document. Recording, it also replays the
/// rules on every candidate ([`Matcher::trace`]) and records each with the rule that decided it.
impl Stage for Matcher {
    const ID: StageId = StageId::Match;

    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mut mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        self.find_in_sections(
            cx.doc,
            &cx.section_starts,
            Some(&mut cx.forms),
            cx.scratch,
            &mut mentions,
        );
        if rec.on() {
            for ((i, section), &base) in cx.doc.sections.iter().enumerate().zip(&cx.section_starts) {
                let base = base as u32;
                for t in self.trace(&section.text) {
                    let mention = Mention {
                        start: base + t.start,
                        end: base + t.end,
                        concept: t.concept,
                        term: t.term,
                        section: i as u32,
                        byte_start: t.byte_start,
                        byte_end: t.byte_end,
                        variant: t.variant,
                        via: t.via,
                        evidence: MentionEvidence::default(),
                        qualifiers: Qualifiers::default(),
                    };
                    let outcome = if t.rule == MatchRule::Matched {
                        Outcome::Kept
                    } else {
                        Outcome::Dropped
                    };
                    rec.decide(|| Decision {
                        mention,
                        outcome,
                        rule: Rule::Match(t.rule),
                    });
                }
            }
        }
        mentions
    }
}

impl Matcher {
    /// Every occurrence of every pattern in the normalised text, whole word or not, as
    /// `f(start, end, pattern)`: the candidates [`trace`] explains. Slower than the search in
    /// [`Matcher::find_in_text`], which skips what cannot be a whole word.
    pub(crate) fn all_occurrences(&self, hay: &str, f: &mut impl FnMut(usize, usize, usize)) {
        match &self.engine {
            Engine::OverlappingDfa(dfa, _) => {
                dfa.overlapping(hay.as_bytes(), |pattern, start, end| f(start, end, pattern as usize));
            }
            Engine::WordStartTrie(t) => {
                let bytes = hay.as_bytes();
                for s in (0..bytes.len()).filter(|&s| hay.is_char_boundary(s)) {
                    t.walk_from(bytes, s, f);
                }
            }
        }
    }
}

/// No word character on either side of `s..e`.
#[inline]
pub(crate) fn is_boundary(hay: &str, s: usize, e: usize) -> bool {
    is_left_boundary(hay, s) && is_right_boundary(hay, e)
}

/// Byte classes for the walk over word starts: ASCII letters and digits, bytes that begin some
/// pattern, non-ASCII bytes, and the lead bytes of non-ASCII characters.
const WORD: u8 = 1;
const FIRST: u8 = 2;
const NON_ASCII: u8 = 4;
const LEAD: u8 = 8;

/// Walk the trie from every position of `hay` that has no word character before it and whose
/// byte begins some pattern, calling `f(start, end, pattern)` for every pattern that starts there.
#[inline]
fn walk_word_starts(trie: &trie::Trie, hay: &str, classes: &[u8; 256], f: &mut impl FnMut(usize, usize, usize)) {
    let bytes = hay.as_bytes();
    // whether the character before position `s` is a word character
    let mut after_word = false;
    for (s, &b) in bytes.iter().enumerate() {
        let class = classes[usize::from(b)];
        if class & FIRST != 0 && !after_word {
            trie.walk_from(bytes, s, f);
        }
        if class & NON_ASCII == 0 {
            after_word = class & WORD != 0;
        } else if class & LEAD != 0 {
            after_word = hay[s..].chars().next().is_some_and(normalize::is_word_char);
        }
        // continuation bytes of a character leave `after_word` as its lead byte set it
    }
}

/// No word character right before `s`.
#[inline]
fn is_left_boundary(hay: &str, s: usize) -> bool {
    match s.checked_sub(1).map(|p| hay.as_bytes()[p]) {
        None => true,
        Some(b) if b < 0x80 => !b.is_ascii_alphanumeric(),
        Some(_) => !hay[..s].chars().next_back().is_some_and(normalize::is_word_char),
    }
}

/// No word character right after `e`.
#[inline]
fn is_right_boundary(hay: &str, e: usize) -> bool {
    match hay.as_bytes().get(e) {
        None => true,
        Some(&b) if b < 0x80 => !b.is_ascii_alphanumeric(),
        Some(_) => !hay[e..].chars().next().is_some_and(normalize::is_word_char),
    }
}

/// The span of `text` under the span `s..e` of its normal form `norm`; None: `text` is its own
/// normal form, byte for byte ([`normalize::folds_byte_for_byte`]).
#[inline]
fn original_span(norm: Option<&Normalized>, text: &str, s: usize, e: usize) -> (usize, usize) {
    norm.map_or((s, e), |n| n.original_span(text, s, e))
}

/// Whether the original text under the normalised span `s..e` shows the case-sensitive form
/// `want`. Plain ASCII spans are compared directly (the case-preserving normal form of ASCII
/// is the text itself with white space runs as one space); others are normalised.
#[inline]
fn case_matches(text: &str, norm: Option<&Normalized>, s: usize, e: usize, want: &str, buf: &mut Normalized) -> bool {
    let (os, oe) = original_span(norm, text, s, e);
    let orig = &text.as_bytes()[os..oe];
    if orig.is_ascii() && !orig.iter().any(|&b| b.is_ascii_whitespace() || b == 0x0b) {
        return orig == want.as_bytes();
    }
    normalize::normalize_into(&text[os..oe], false, buf);
    buf.text == want
}

/// Vocabularies with at least this many terms compile their variants on several threads.
const PARALLEL_MIN_TERMS: usize = 5_000;

/// The (folded pattern, entry) pairs of some concepts' terms, variants and excludes, in order.
fn pattern_entries(ontology: &Ontology, ids: &[ConceptId], opts: CompileOptions) -> Vec<(String, Entry)> {
    let mut out = Vec::new();
    let mut cache = variants::VariantCache::default();
    for &cid in ids {
        let c = ontology.concept(cid);
        for (ti, t) in c.terms.iter().enumerate() {
            let abbr = t.kind == TermKind::Abbreviation;
            let canon = normalize::canonical(&t.text);
            let forms = if opts.variants {
                variants::variants_with(&canon, abbr, &mut cache)
            } else {
                vec![canon]
            };
            for (k, form) in forms.into_iter().enumerate() {
                let folded = normalize::fold(&form);
                out.push((
                    folded,
                    Entry {
                        kind: EntryKind::Term,
                        concept: cid,
                        term: ti as u32,
                        variant: k > 0,
                        via: if abbr { Via::Abbreviation } else { Via::Synonym },
                        case: abbr.then(|| form.into_boxed_str()),
                    },
                ));
            }
        }
        for x in &c.excludes {
            let canon = normalize::canonical(x);
            let forms = if opts.variants {
                variants::variants_with(&canon, false, &mut cache)
            } else {
                vec![canon]
            };
            for form in forms {
                out.push((
                    normalize::fold(&form),
                    Entry {
                        kind: EntryKind::Exclude,
                        concept: cid,
                        term: 0,
                        variant: false,
                        via: Via::Synonym,
                        case: None,
                    },
                ));
            }
        }
    }
    out
}

fn build_engine(kind: EngineKind, patterns: &[String]) -> Engine {
    if kind == EngineKind::OverlappingDfa {
        let trie = trie::Trie::new(patterns);
        Engine::OverlappingDfa(
            // ASCII letters in either case and white space as a space, so that a text that is its
            // own normal form but for those is searched as it is (see `Matcher::find_in_span`);
            // the patterns, folded, hold neither capitals nor white space but spaces
            LazyDfa::with_prefixes(
                patterns,
                Folding {
                    ascii_case: true,
                    white_space: true,
                },
                true,
                trie.prefixes(),
            ),
            trie,
        )
    } else {
        Engine::WordStartTrie(trie::Trie::new(patterns))
    }
}

/// The entries of every distinct pattern, grouped by pattern in order of first appearance.
struct Grouped {
    /// Entries of pattern `k` are `entries[starts[k]..starts[k + 1]]`, in generation order.
    starts: Vec<u32>,
    entries: Vec<Option<Entry>>,
}

/// The distinct patterns in order of first appearance, and their entries. The hash index
/// borrows the patterns from `parts`, so nothing is copied; the entries are then placed by a
/// counting sort, so there is no list per pattern.
fn group_by_pattern(parts: Vec<Vec<(String, Entry)>>) -> (Vec<String>, Grouped) {
    let total: usize = parts.iter().map(Vec::len).sum();
    let mut slot_of: Vec<u32> = Vec::with_capacity(total);
    let mut counts: Vec<u32> = Vec::new();
    {
        let mut index: HashMap<&str, u32, BuildHasherDefault<variants::Fnv>> =
            HashMap::with_capacity_and_hasher(total, BuildHasherDefault::default());
        for (pattern, _) in parts.iter().flatten() {
            let next = counts.len() as u32;
            let slot = *index.entry(pattern.as_str()).or_insert(next);
            if slot == next {
                counts.push(0);
            }
            counts[slot as usize] += 1;
            slot_of.push(slot);
        }
    }
    let mut starts = Vec::with_capacity(counts.len() + 1);
    let mut at = 0u32;
    for &n in &counts {
        starts.push(at);
        at += n;
    }
    starts.push(at);
    // reuse `counts` as each pattern's next free place
    let distinct = counts.len();
    counts.copy_from_slice(&starts[..distinct]);
    let mut patterns = Vec::with_capacity(counts.len());
    let mut entries: Vec<Option<Entry>> = vec![None; total];
    for ((pattern, entry), slot) in parts.into_iter().flatten().zip(slot_of) {
        if slot as usize == patterns.len() {
            patterns.push(pattern);
        }
        let place = &mut counts[slot as usize];
        entries[*place as usize] = Some(entry);
        *place += 1;
    }
    (patterns, Grouped { starts, entries })
}

impl Grouped {
    /// Resolve every pattern's entries ([`resolve`]): the `(start, end)` range in the returned
    /// entries of every pattern, by pattern id.
    fn resolve_all(&mut self, patterns: &[String], stats: &mut CompileStats) -> (Vec<(u32, u32)>, Vec<Entry>) {
        let mut ranges = Vec::with_capacity(patterns.len());
        let mut entries = Vec::with_capacity(self.entries.len());
        let mut list = Vec::new();
        for (k, pattern) in patterns.iter().enumerate() {
            let (a, b) = (self.starts[k] as usize, self.starts[k + 1] as usize);
            list.clear();
            list.extend(self.entries[a..b].iter_mut().filter_map(Option::take));
            resolve(pattern, &mut list, stats);
            if !list.is_empty() {
                stats.patterns += 1;
            }
            stats.variants += list.iter().filter(|e| e.kind == EntryKind::Term && e.variant).count();
            let start = entries.len() as u32;
            entries.append(&mut list);
            ranges.push((start, entries.len() as u32));
        }
        (ranges, entries)
    }
}

/// Decide which entries of one pattern are used when several concepts claim it.
fn resolve(pattern: &str, list: &mut Vec<Entry>, stats: &mut CompileStats) {
    // nearly every pattern has one entry
    if list.len() <= 1 {
        return;
    }
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
        return;
    }
    let declared: Vec<ConceptId> = list
        .iter()
        .filter(|e| e.kind == EntryKind::Term && !e.variant)
        .map(|e| e.concept)
        .collect();
    list.retain(|e| {
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
        }
        !clash
    });
}

/// Run every concept's example sentences; a sentence that does not tag as it says is a problem.
pub fn check_examples(ontology: &Ontology, matcher: &Matcher) -> Vec<Problem> {
    check_examples_with(ontology, &|s| matcher.find(s))
}

/// Like [`check_examples`], tagging each sentence with `find` (e.g. matching plus abbreviation
/// resolution).
pub fn check_examples_with(ontology: &Ontology, find: &dyn Fn(&str) -> Vec<Mention>) -> Vec<Problem> {
    let mut problems = Vec::new();
    for cid in ontology.ids() {
        let c = ontology.concept(cid);
        for s in &c.examples_match {
            let found = find(s);
            if !found.iter().any(|m| m.concept == cid) {
                problems.push(example_problem(ontology, &c.loc, &c.id, s, &found, true));
            }
        }
        for s in &c.examples_no_match {
            let found = find(s);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::ontology::load_texts;
    use crate::tag::stage::{Context, Log};

    const VOCAB: &str = "concepts:
  - {id: tf, label: Tissue factor, synonyms: [tissue factor], abbreviations: [TF], exclude: [TF binding site]}
  - {id: tfpi, label: TFPI, synonyms: [tissue factor pathway inhibitor]}
  - {id: tnf, label: TNF-alpha, synonyms: [TNF-α]}
  - {id: platelet, label: Platelet, synonyms: [platelet]}
  - {id: platelets_disorder, label: Platelets disorder, synonyms: [platelets]}
";

    fn ont() -> Ontology {
        load_texts(&[("v.yaml", VOCAB)]).unwrap()
    }

    /// (text, whether `s..e` has no word character on either side)
    #[test]
    fn word_boundaries() {
        let table = [
            ("TF", 0, 2, true),
            ("xTF", 1, 3, false),
            ("TF1", 0, 2, false),
            ("(TF)", 1, 3, true),
            ("TF-1", 0, 2, true),
            ("éTF", 2, 4, false),
            ("αTF", 2, 4, false),
            ("– TF", 4, 6, true),
            ("TF\u{2009}x", 0, 2, true),
        ];
        for (hay, s, e, want) in table {
            assert_eq!(is_boundary(hay, s, e), want, "{hay:?} {s}..{e}");
        }
    }

    /// Both engines find exactly these mentions: (text, [(matched text, concept, via)]).
    #[test]
    fn both_engines_find_the_same_mentions() {
        let o = ont();
        type Case<'a> = (&'a str, &'a [(&'a str, &'a str, &'a str)]);
        let table: &[Case] = &[
            (
                "Tissue factor and TF.",
                &[("Tissue factor", "tf", "synonym"), ("TF", "tf", "abbreviation")],
            ),
            // leftmost-longest: the longer name wins
            (
                "tissue factor pathway inhibitor",
                &[("tissue factor pathway inhibitor", "tfpi", "synonym")],
            ),
            // case: abbreviations exactly, synonyms in any case
            ("Tf and tf, TISSUE FACTOR", &[("TISSUE FACTOR", "tf", "synonym")]),
            // an exclude phrase of the concept
            ("the TF binding site", &[]),
            // whole words only; generated variants: a plural, a Greek letter written out, the
            // hyphen left out
            (
                "TFPI, TFs, TNF-alpha, TNFα",
                &[
                    ("TFs", "tf", "abbreviation"),
                    ("TNF-alpha", "tnf", "synonym"),
                    ("TNFα", "tnf", "synonym"),
                ],
            ),
            // a plural variant claimed by another concept's term is that concept's
            (
                "platelets and a platelet",
                &[
                    ("platelets", "platelets_disorder", "synonym"),
                    ("platelet", "platelet", "synonym"),
                ],
            ),
        ];
        for engine in [EngineKind::OverlappingDfa, EngineKind::WordStartTrie] {
            let m = Matcher::with_engine(&o, CompileOptions::default(), engine);
            for (text, want) in table {
                let got: Vec<(&str, &str, &str)> = m
                    .find(text)
                    .iter()
                    .map(|x| {
                        (
                            &text[x.byte_start as usize..x.byte_end as usize],
                            o.concept(x.concept).id.as_str(),
                            x.via.as_str(),
                        )
                    })
                    .collect();
                assert_eq!(&got, want, "{engine:?}: {text:?}");
            }
        }
    }

    /// `find_at_start` is `find` less the mentions that do not begin at byte 0, on both engines.
    #[test]
    fn mentions_at_the_start_are_those_of_the_whole_search() {
        let o = ont();
        let texts = [
            "tissue factor pathway inhibitor and TF",
            "Tissue factor binding",
            "TF binding site of tissue factor",
            "TNF-α and platelets",
            "platelets",
            "xTF tissue factor",
            " tissue factor",
            "\u{AD}tissue factor",
            "TF",
            "",
        ];
        for engine in [EngineKind::OverlappingDfa, EngineKind::WordStartTrie] {
            let m = Matcher::with_engine(&o, CompileOptions::default(), engine);
            let mut scratch = Scratch::default();
            for text in texts {
                let mut want = m.find(text);
                want.retain(|x| x.byte_start == 0);
                assert_eq!(m.find_at_start(text, &mut scratch), want, "{engine:?}: {text:?}");
            }
        }
    }

    #[test]
    fn a_variant_another_concept_declares_is_dropped_and_reported() {
        let o = ont();
        let m = Matcher::new(&o);
        let dropped: Vec<(&str, &str, Vec<&str>)> = m
            .stats
            .dropped
            .iter()
            .map(|d| {
                (
                    d.text.as_str(),
                    o.concept(d.concept).id.as_str(),
                    d.others.iter().map(|&c| o.concept(c).id.as_str()).collect(),
                )
            })
            .collect();
        assert!(
            dropped.contains(&("platelets", "platelet", vec!["platelets_disorder"])),
            "{dropped:?}"
        );
        assert_eq!(m.stats.terms, 6);
    }

    /// Offsets are characters of the document (sections joined by one character) and bytes of
    /// the section.
    #[test]
    fn offsets_in_characters_and_bytes() {
        let m = Matcher::new(&ont());
        let doc = Document::new(
            "d",
            vec![Section::new("title", "Ünïcode TNF-α"), Section::new("abstract", "α TF")],
        );
        let mut out = Vec::new();
        m.find_in_document(&doc, &mut Scratch::default(), &mut out);
        let got: Vec<(u32, u32, u32, u32, u32)> = out
            .iter()
            .map(|x| (x.section, x.start, x.end, x.byte_start, x.byte_end))
            .collect();
        assert_eq!(got, vec![(0, 8, 13, 10, 16), (1, 16, 18, 3, 5)]);
    }

    proptest::proptest! {
        /// `find_at_start` normalises only as far as the walks from the first character read:
        /// the same mentions as the old search, which normalised the whole text (`usize::MAX`),
        /// and as the whole search less those that do not begin at byte 0, whatever the bytes
        /// normalised first, on both engines.
        #[test]
        fn the_start_search_reads_what_it_needs_of_the_normal_form(
            words in proptest::collection::vec(
                proptest::sample::select(vec![
                    "TF", "tissue", "factor", "tissue factor", "Tissue Factor pathway inhibitor", "TNF-α", "TNF",
                    "-", "alpha", "Α", "platelets", "platelet", "ﬁ", "İ", "é", "e\u{301}", " ", "  ", "\n", "(", ")",
                    "x", "\u{AD}",
                ]),
                0..10,
            ),
            prefix in 1usize..24,
        ) {
            let o = ont();
            let text = words.concat();
            for engine in [EngineKind::OverlappingDfa, EngineKind::WordStartTrie] {
                let m = Matcher::with_engine(&o, CompileOptions::default(), engine);
                let mut scratch = Scratch::default();
                let old = m.find_at_start_from(&text, &mut scratch, usize::MAX);
                proptest::prop_assert_eq!(&m.find_at_start_from(&text, &mut scratch, prefix), &old);
                proptest::prop_assert_eq!(&m.find_at_start(&text, &mut scratch), &old);
                let mut whole = m.find(&text);
                whole.retain(|x| x.byte_start == 0);
                proptest::prop_assert_eq!(&whole, &old);
            }
        }

        /// As a stage, the matcher searches the sections' case-preserving normal forms where they
        /// fold by ASCII case (`CaseForms`): the same mentions as folding every section, and the
        /// forms it leaves are those the abbreviation stage would make.
        #[test]
        fn searching_the_case_preserving_forms_finds_what_folding_finds(
            sections in proptest::collection::vec(
                proptest::collection::vec(
                    proptest::sample::select(vec![
                        "TF", "Tf", "tissue factor", "TISSUE FACTOR", "TNF-α", "TNF-Α", "TNFα", "TNF‐alpha",
                        "platelets", "ÉCOLE", "é", "±", "İ", "Ж", "ﬁ", " ", "  ", "\n", "(", ")", "x", "\u{AD}",
                    ]),
                    0..12,
                ),
                1..4,
            ),
        ) {
            let o = ont();
            let m = Matcher::new(&o);
            let doc = Document::new(
                "d",
                sections.iter().map(|words| Section::new("text", words.concat())).collect(),
            );
            let mut scratch = Scratch::default();
            let phrases = crate::tag::phrases::Phrases::default();
            let mut cx = Context::new(&doc, &o, &m, &phrases, &mut scratch);
            let mentions = m.run(&mut cx, Vec::new(), &mut crate::tag::stage::NoRecord);
            let mut folded = Vec::new();
            m.find_in_document(&doc, &mut Scratch::default(), &mut folded);
            proptest::prop_assert_eq!(mentions, folded);
            for (i, section) in doc.sections.iter().enumerate() {
                let want = (!section.text.is_ascii()).then(|| normalize::normalize(&section.text, false));
                proptest::prop_assert_eq!(cx.forms.get(i, &section.text).cloned(), want);
            }
        }
    }

    /// As a stage, the matcher records every candidate with the rule that decided it; its
    /// mentions are those of `find_in_document`.
    #[test]
    fn the_match_stage_records_every_candidate() {
        let o = ont();
        let m = Matcher::new(&o);
        let doc = Document::new(
            "d",
            vec![Section::new("title", "TF"), Section::new("abstract", "TFPI, Tf")],
        );
        let mut scratch = Scratch::default();
        let phrases = crate::tag::phrases::Phrases::default();
        let mut cx = Context::new(&doc, &o, &m, &phrases, &mut scratch);
        let mut log = Log::default();
        let mentions = m.run(&mut cx, Vec::new(), &mut log);
        let mut plain = Vec::new();
        m.find_in_document(&doc, &mut Scratch::default(), &mut plain);
        assert_eq!(mentions, plain);
        let got: Vec<(u32, u32, &str, String)> = log
            .decisions
            .iter()
            .map(|d| (d.mention.start, d.mention.end, d.outcome.as_str(), d.rule.describe(&o)))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    0,
                    2,
                    "kept",
                    "a whole word, and no other match took its place".to_string()
                ),
                (3, 5, "dropped", "not a whole word ('P' after)".to_string()),
                (
                    9,
                    11,
                    "dropped",
                    "case differs: abbreviations match exactly (\"Tf\" in the text, \"TF\" in the ontology)"
                        .to_string()
                ),
            ]
        );
    }
}
