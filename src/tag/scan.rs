//! One pass of a DFA over a text, every occurrence of every pattern reported: the search of the
//! matcher ([`crate::tag::matcher`]) and of the sentence-level phrases ([`crate::tag::phrases`]).
//!
//! The DFA is filled as it is used. The crate's `dfa::DFA` computes the transition of every
//! state on every byte class when it is built: for the default ontology (about 75,000 states
//! and 64 classes) 433 M of the 3,802 M instructions of tagging pubmed21n1298's titles and
//! abstracts (issue 19's plain-text run), once per run whatever the input's size, while a search
//! takes a small part of those transitions. [`LazyDfa`] keeps the crate's noncontiguous NFA (its
//! trie, failure transitions and match lists: 65 M) and fills a cell of the same table the first
//! time a search takes it, from the NFA's own `next_state`: the same states and matches, in the
//! same order (BENCHMARKS.md, "Issue 19: the plain-text run, second pass").

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};

use aho_corasick::automaton::{Automaton, StateID};
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Anchored, Input, MatchKind};

/// How [`LazyDfa`] reads a text's bytes besides as themselves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Folding {
    /// ASCII letters match in either case (the crate's `ascii_case_insensitive`).
    pub ascii_case: bool,
    /// Tab, line feed, vertical tab, form feed and carriage return read as a space, as the
    /// normal form of [`crate::normalize`] has one of them between two other characters; so a
    /// text whose normal form differs from it only there and in the case of ASCII letters can
    /// be searched as it is. Ignored for patterns that hold such a byte, and by a search through
    /// the prefilter (see [`LazyDfa::reads_raw_text`]).
    pub white_space: bool,
}

impl Folding {
    /// The byte `b` reads as.
    #[inline]
    fn canonical(self, b: u8) -> u8 {
        if self.ascii_case && b.is_ascii_uppercase() {
            b.to_ascii_lowercase()
        } else if self.white_space && b.wrapping_sub(b'\t') < 5 {
            b' '
        } else {
            b
        }
    }
}

/// The bit of a cell of [`LazyDfa::table`] that marks a match state.
const MATCH: u32 = 1 << 31;

/// An Aho-Corasick DFA ([`MatchKind::Standard`], unanchored, every overlapping occurrence)
/// whose transitions are computed when first taken. `&LazyDfa` is `Sync`: a cell only ever
/// goes from unknown to its one value, whichever thread fills it, so what a search finds does
/// not depend on which searches ran before it.
pub struct LazyDfa {
    nfa: NFA,
    /// The class of every byte: one per byte that occurs in some pattern (as it reads, see
    /// [`Folding`]), and one for all the others, which lead from every state where the start
    /// state leads.
    classes: [u8; 256],
    /// A byte of every class: what the NFA is asked for.
    bytes: Vec<u8>,
    /// Classes per state.
    stride: usize,
    /// The NFA states the table has rows for: every one (a state past them, should the count
    /// below fall short, is searched through the NFA itself).
    rows: usize,
    /// Row `state * stride`, column class: 0 while unknown, else the row of the next state (never
    /// 0: the dead and fail states, which have the first two rows, are never taken), with
    /// [`MATCH`] set when it is a match state.
    table: Box<[AtomicU32]>,
    folding: Folding,
}

impl LazyDfa {
    /// The automaton of `patterns`; pattern `i` is reported as `i`. With `prefilter`, a small
    /// vocabulary gets the crate's prefilter (which skips the text where no pattern can start)
    /// and is searched by the crate's iterator, which uses it; a large one gets none.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P], mut folding: Folding, prefilter: bool) -> LazyDfa {
        // Patterns without capitals read ASCII case-insensitively through the byte classes alone
        // (a capital is read as its small letter): an NFA built case-insensitive has twice the
        // transitions on letters and took 87 M instructions more to build for the default
        // ontology. The prefilter is the NFA's own, so one that is kept must ignore case itself.
        let capitals = patterns.iter().any(|p| p.as_ref().iter().any(u8::is_ascii_uppercase));
        let build = |ascii_case: bool| {
            NFA::builder()
                .match_kind(MatchKind::Standard)
                .ascii_case_insensitive(ascii_case)
                .prefilter(prefilter)
                .build(patterns)
                .expect("the vocabulary's patterns fit an automaton")
        };
        let mut nfa = build(folding.ascii_case && capitals);
        if folding.ascii_case && !capitals && nfa.prefilter().is_some() {
            nfa = build(true);
        }
        if patterns
            .iter()
            .any(|p| p.as_ref().iter().any(|b| b.wrapping_sub(b'\t') < 5))
        {
            folding.white_space = false;
        }
        let mut used = [false; 256];
        for p in patterns {
            for &b in p.as_ref() {
                used[usize::from(folding.canonical(b))] = true;
            }
        }
        let mut classes = [0u8; 256];
        let mut bytes = Vec::new();
        let mut other = None;
        for b in (0..=255u8).filter(|&b| folding.canonical(b) == b) {
            let class = if used[usize::from(b)] {
                bytes.push(b);
                bytes.len() - 1
            } else {
                *other.get_or_insert_with(|| {
                    bytes.push(b);
                    bytes.len() - 1
                })
            };
            // at most 256 classes: 0 to 255
            classes[usize::from(b)] = class as u8;
        }
        for b in (0..=255u8).filter(|&b| folding.canonical(b) != b) {
            classes[usize::from(b)] = classes[usize::from(folding.canonical(b))];
        }
        let stride = bytes.len();
        // the NFA's states: dead, fail, the two start states, then one per distinct prefix
        let rows = 4 + distinct_prefixes(patterns, folding);
        // a row is below [`MATCH`]; past that (no vocabulary the matcher builds a DFA for comes
        // near), every state is searched through the NFA
        let rows = if rows * stride <= MATCH as usize { rows } else { 0 };
        let table = std::iter::repeat_with(|| AtomicU32::new(0))
            .take(rows * stride)
            .collect();
        LazyDfa {
            nfa,
            classes,
            bytes,
            stride,
            rows,
            table,
            folding,
        }
    }

    /// Whether [`LazyDfa::overlapping`] reads the text through the [`Folding`] (no prefilter):
    /// then a text may be searched as it is where its normal form differs from it only in what
    /// the folding reads the same.
    pub fn reads_raw_text(&self) -> bool {
        self.nfa.prefilter().is_none()
    }

    /// Every occurrence of every pattern in `hay` as `found(pattern, start, end)`: what
    /// `AhoCorasick::find_overlapping_iter` reports, in its order (by end, and at one end the
    /// longest first), from a loop of one table look-up per byte (filling the cell the first
    /// time). The crate's iterator keeps its place in a state it stores and reloads for every
    /// byte and returns from for every match: on the sepsis subset, the sentences' phrases
    /// cost 15.1 M instructions through it and 12.4 M in such a loop, the matcher's search of
    /// every span 69.9 M and 59.9 M (BENCHMARKS.md, "Issues 14 and 15 on the mention-dense
    /// corpus"). With a prefilter, the crate's iterator is used, which uses it.
    pub fn overlapping(&self, hay: &[u8], mut found: impl FnMut(u32, usize, usize)) {
        if self.nfa.prefilter().is_some() {
            if let Ok(matches) = self.nfa.try_find_overlapping_iter(Input::new(hay)) {
                for m in matches {
                    found(m.pattern().as_u32(), m.start(), m.end());
                }
            }
            return;
        }
        let Ok(start) = self.nfa.start_state(Anchored::No) else {
            return;
        };
        if start.as_usize() >= self.rows {
            self.through_nfa(start, hay, 0, &mut found);
            return;
        }
        let mut row = start.as_usize() * self.stride;
        for (i, &b) in hay.iter().enumerate() {
            let class = usize::from(self.classes[usize::from(b)]);
            let mut cell = self.table[row + class].load(Ordering::Relaxed);
            // one test for both an unknown cell (0) and a match state (the high bit): 12 -> 10
            // instructions a byte
            if cell.wrapping_sub(1) < MATCH - 1 {
                row = cell as usize;
                continue;
            }
            if cell == 0 {
                match self.fill(row, class) {
                    Some(c) => cell = c,
                    None => {
                        let sid = StateID::new(row / self.stride).expect("a state's row");
                        self.through_nfa(sid, hay, i, &mut found);
                        return;
                    }
                }
            }
            row = (cell & !MATCH) as usize;
            if cell & MATCH != 0 {
                self.report(row / self.stride, i + 1, &mut found);
            }
        }
    }

    /// The cell of `row` and `class`, computed and stored; None when the next state has no row
    /// (or is the dead state, which an unanchored search of this kind never reaches).
    #[cold]
    #[inline(never)]
    fn fill(&self, row: usize, class: usize) -> Option<u32> {
        let sid = StateID::new(row / self.stride).ok()?;
        let next = self.nfa.next_state(Anchored::No, sid, self.bytes[class]);
        if self.nfa.is_dead(next) || next.as_usize() >= self.rows {
            return None;
        }
        let next_row = (next.as_usize() * self.stride) as u32;
        let cell = if self.nfa.is_match(next) {
            next_row | MATCH
        } else {
            next_row
        };
        self.table[row + class].store(cell, Ordering::Relaxed);
        Some(cell)
    }

    /// The search from state `sid` at `hay[at..]`, every step asked of the NFA.
    #[cold]
    #[inline(never)]
    fn through_nfa(&self, mut sid: StateID, hay: &[u8], at: usize, found: &mut impl FnMut(u32, usize, usize)) {
        for (i, &b) in hay.iter().enumerate().skip(at) {
            let b = self.bytes[usize::from(self.classes[usize::from(b)])];
            sid = self.nfa.next_state(Anchored::No, sid, b);
            if self.nfa.is_dead(sid) {
                return;
            }
            if self.nfa.is_match(sid) {
                self.report(sid.as_usize(), i + 1, found);
            }
        }
    }

    /// The matches of match state `sid` at `end`. Out of line: the loop over the bytes then keeps
    /// its state in registers (inlined, the reporting made it spill the state to the stack and
    /// reload it for every byte).
    #[inline(never)]
    fn report(&self, sid: usize, end: usize, found: &mut impl FnMut(u32, usize, usize)) {
        let Ok(sid) = StateID::new(sid) else {
            return;
        };
        for k in 0..self.nfa.match_len(sid) {
            let pattern = self.nfa.match_pattern(sid, k);
            found(pattern.as_u32(), end - self.nfa.pattern_len(pattern), end);
        }
    }
}

/// The distinct non-empty prefixes of the patterns as read through `folding`: the states of
/// their trie less its root.
fn distinct_prefixes<P: AsRef<[u8]>>(patterns: &[P], folding: Folding) -> usize {
    let mut read: Vec<Vec<u8>> = patterns
        .iter()
        .map(|p| p.as_ref().iter().map(|&b| folding.canonical(b)).collect())
        .collect();
    read.sort_unstable();
    read.dedup();
    let mut count = 0;
    let mut prev: &[u8] = &[];
    for p in &read {
        let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
        count += p.len() - common;
        prev = p;
    }
    count
}

impl Clone for LazyDfa {
    fn clone(&self) -> LazyDfa {
        LazyDfa {
            nfa: self.nfa.clone(),
            classes: self.classes,
            bytes: self.bytes.clone(),
            stride: self.stride,
            rows: self.rows,
            table: self
                .table
                .iter()
                .map(|c| AtomicU32::new(c.load(Ordering::Relaxed)))
                .collect(),
            folding: self.folding,
        }
    }
}

impl fmt::Debug for LazyDfa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let filled = self.table.iter().filter(|c| c.load(Ordering::Relaxed) != 0).count();
        f.debug_struct("LazyDfa")
            .field("patterns", &self.nfa.patterns_len())
            .field("states", &self.rows)
            .field("classes", &self.stride)
            .field("filled", &filled)
            .field("folding", &self.folding)
            .finish()
    }
}
#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind};
    use proptest::prelude::*;

    /// What the crate's overlapping iterator reports.
    fn reference(patterns: &[String], hay: &str) -> Vec<(u32, usize, usize)> {
        let ac = AhoCorasick::builder()
            .ascii_case_insensitive(true)
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::NoncontiguousNFA))
            .build(patterns)
            .unwrap();
        ac.find_overlapping_iter(hay)
            .map(|m| (m.pattern().as_u32(), m.start(), m.end()))
            .collect()
    }

    fn scanned(patterns: &[String], hay: &str, prefilter: bool) -> Vec<(u32, usize, usize)> {
        let dfa = LazyDfa::new(
            patterns,
            Folding {
                ascii_case: true,
                white_space: false,
            },
            prefilter,
        );
        let mut out = Vec::new();
        dfa.overlapping(hay.as_bytes(), |p, s, e| out.push((p, s, e)));
        // searched again (the cells now filled): the same
        let mut again = Vec::new();
        dfa.overlapping(hay.as_bytes(), |p, s, e| again.push((p, s, e)));
        assert_eq!(again, out);
        out
    }

    /// The same search with the table cut to its first `rows` states: the rest through the NFA.
    fn scanned_short(patterns: &[String], hay: &str, rows: usize) -> Vec<(u32, usize, usize)> {
        let mut dfa = LazyDfa::new(
            patterns,
            Folding {
                ascii_case: true,
                white_space: false,
            },
            false,
        );
        dfa.rows = rows.min(dfa.rows);
        let mut out = Vec::new();
        dfa.overlapping(hay.as_bytes(), |p, s, e| out.push((p, s, e)));
        out
    }

    #[test]
    fn reports_every_occurrence_in_the_crates_order() {
        let patterns: Vec<String> = ["no", "not", "not only", "ot", "No", "increas", "increase", "é"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let hay = "Not only NO but nothing increased; not é.";
        let want = reference(&patterns, hay);
        assert_eq!(want.len(), 18);
        for prefilter in [false, true] {
            assert_eq!(scanned(&patterns, hay, prefilter), want, "prefilter {prefilter}");
        }
    }

    /// The table has a row for every state: walking any text (here each pattern, then the text
    /// past it) never leaves it.
    #[test]
    fn a_row_for_every_state() {
        let patterns: Vec<&str> = vec!["tissue factor", "tissue", "TF", "tnf-alpha", "é", "a\nb", "", "x y z"];
        for folding in [
            Folding::default(),
            Folding {
                ascii_case: true,
                white_space: false,
            },
            Folding {
                ascii_case: true,
                white_space: true,
            },
        ] {
            let dfa = LazyDfa::new(&patterns, folding, false);
            let start = dfa.nfa.start_state(Anchored::No).unwrap().as_usize();
            for p in &patterns {
                let mut row = start * dfa.stride;
                for b in p.bytes().chain(*b"tissue factor TISSUE") {
                    let class = usize::from(dfa.classes[usize::from(b)]);
                    let cell = dfa.fill(row, class).expect("a row for the next state");
                    row = (cell & !MATCH) as usize;
                }
            }
        }
    }

    /// Read through the folding, white space is a space and ASCII letters have one case: (text,
    /// what it finds, by pattern).
    #[test]
    fn folding_reads_white_space_as_a_space() {
        let patterns = ["tissue factor", "factor"];
        let table: &[(&str, Folding, &[u32])] = &[
            (
                "Tissue\nFactor",
                Folding {
                    ascii_case: true,
                    white_space: true,
                },
                &[0, 1],
            ),
            (
                "Tissue\tFactor",
                Folding {
                    ascii_case: true,
                    white_space: false,
                },
                &[1],
            ),
            (
                "Tissue\rfactor",
                Folding {
                    ascii_case: false,
                    white_space: true,
                },
                &[1],
            ),
            (
                "tissue\x0bfactor",
                Folding {
                    ascii_case: false,
                    white_space: true,
                },
                &[0, 1],
            ),
            (
                "tissue  factor",
                Folding {
                    ascii_case: true,
                    white_space: true,
                },
                &[1],
            ),
        ];
        for &(text, folding, want) in table {
            let dfa = LazyDfa::new(&patterns, folding, false);
            assert!(dfa.reads_raw_text());
            let mut got = Vec::new();
            dfa.overlapping(text.as_bytes(), |p, _, _| got.push(p));
            assert_eq!(got, want, "{text:?} {folding:?}");
        }
        // patterns that hold white space other than a space: not folded
        let dfa = LazyDfa::new(
            &["a\nb"],
            Folding {
                ascii_case: true,
                white_space: true,
            },
            false,
        );
        let mut got = Vec::new();
        dfa.overlapping(b"a b a\nb", |p, s, e| got.push((p, s, e)));
        assert_eq!(got, vec![(0, 4, 7)]);
    }

    proptest! {
        #[test]
        fn the_same_as_the_crates_iterator(
            patterns in prop::collection::vec("[abAB é]{1,4}", 1..8),
            hay in "[abcAB é]{0,40}",
            prefilter in any::<bool>(),
        ) {
            prop_assert_eq!(scanned(&patterns, &hay, prefilter), reference(&patterns, &hay));
        }

        #[test]
        fn states_past_the_table_are_searched_through_the_nfa(
            patterns in prop::collection::vec("[abAB é]{1,4}", 1..8),
            hay in "[abcAB é]{0,40}",
            rows in 0usize..12,
        ) {
            prop_assert_eq!(scanned_short(&patterns, &hay, rows), reference(&patterns, &hay));
        }
    }
}
