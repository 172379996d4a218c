//! One pass of a DFA over a text, every occurrence of every pattern reported: the search of the
//! matcher ([`crate::tag::matcher`]) and of the sentence-level phrases ([`crate::tag::phrases`]).
//!
//! The DFA is filled as it is used. The crate's `dfa::DFA` computes the transition of every
//! state on every byte class when it is built: for the default ontology (about 75,000 states
//! and 64 classes) 433 M of the 3,802 M instructions of tagging pubmed21n1298's titles and
//! abstracts (issue 19's plain-text run), once per run whatever the input's size, while a search
//! takes a small part of those transitions. [`LazyDfa`] keeps an Aho-Corasick NFA (its trie,
//! failure transitions and match lists) and fills a cell of the same table the first time a
//! search takes it, from the NFA's `next_state`: the same states and matches, in the same order
//! (BENCHMARKS.md, "Issue 19: the plain-text run, second pass"). The NFA is the crate's
//! noncontiguous one where a prefilter may be kept, else a [`TrieNfa`] made from the sorted
//! patterns (64.5 M instructions to build the crate's for the default ontology, about 25 M for
//! this one: BENCHMARKS.md, branch `aload2`).

use std::borrow::Cow;
use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering, fence};

use aho_corasick::automaton::{Automaton, FindOverlappingIter, Prefilter, StateID};
use aho_corasick::nfa::noncontiguous::NFA;
use aho_corasick::{Anchored, Input, MatchError, MatchKind, PatternID};
use zerocopy::FromZeros;

mod trie_nfa;
use trie_nfa::TrieNfa;
pub(crate) use trie_nfa::sorted_order;

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
///
/// A state gets its row of the table when a search first reaches it, the rows handed out in
/// that order, not in the NFA's order of states: the states every text passes through (the
/// shallow ones, reached first) then share a few hundred kilobytes instead of being spread over
/// the whole table (19 MB for the default ontology), and the loop over the bytes, which waits
/// on a table look-up per byte, finds them in the processor's caches (BENCHMARKS.md, branch
/// `aspeed`).
pub struct LazyDfa {
    nfa: Nfa,
    /// The class of every byte: one per byte that occurs in some pattern (as it reads, see
    /// [`Folding`]), and one for all the others, which lead from every state where the start
    /// state leads.
    classes: [u8; 256],
    /// A byte of every class: what the NFA is asked for.
    bytes: Vec<u8>,
    /// Classes per state.
    stride: usize,
    /// The rows the table has: one for every NFA state, the first never used (a cell of 0 is
    /// unknown), and a few spare for rows handed out twice when two threads reach a state at
    /// once. A state that finds none left is searched through the NFA itself.
    rows: usize,
    /// By NFA state: the start of its row (`row * stride`), 0 while it has none.
    row_of: Box<[AtomicU32]>,
    /// By row: its NFA state.
    state_of: Box<[AtomicU32]>,
    /// The rows handed out so far.
    rows_used: AtomicU32,
    /// Row `row * stride`, column class: 0 while unknown, else the start of the next state's
    /// row, with [`MATCH`] set when it is a match state.
    table: Box<[AtomicU32]>,
    folding: Folding,
}

/// The lanes of [`LazyDfa::lanes`].
const LANES: usize = 4;

/// The shortest text searched in lanes (see [`LazyDfa::lanes`]), which must also be at least
/// `2 * LANES` times the longest pattern.
const LANES_FROM: usize = 256;

/// The matches a lane past the first keeps until the lanes before it are done (see
/// [`LazyDfa::lanes`]).
const KEPT: usize = 64;

/// Rows for states reached by two threads at once: each race loses one (a state that finds no
/// row left is searched through the NFA, which finds the same).
const SPARE_ROWS: usize = 64;

/// Past this many patterns the crate keeps a prefilter only when the patterns start with, or
/// hold as their rarest byte, at most three distinct bytes; such vocabularies are searched by
/// the table like any other (the same matches), and the crate's NFA is not built for them.
const PREFILTER_MAX_PATTERNS: usize = 128;

/// The automaton [`LazyDfa`] fills its table from: the crate's noncontiguous NFA when a
/// prefilter may be kept, else the one made from the sorted patterns. Both answer with the
/// crate's types, so the search reads them alike. The questions of every match are inlined:
/// called, `match_pattern` cost 13.5 M instructions more on issue 19's run (a).
#[derive(Clone)]
enum Nfa {
    Crate(NFA),
    Trie(TrieNfa),
}

impl Nfa {
    fn start_state(&self, anchored: Anchored) -> Result<StateID, MatchError> {
        match self {
            Nfa::Crate(n) => n.start_state(anchored),
            Nfa::Trie(_) => Ok(StateID::ZERO),
        }
    }

    /// The next state (unanchored: the only search [`LazyDfa`] makes).
    #[inline(always)]
    fn next_state(&self, anchored: Anchored, sid: StateID, b: u8) -> StateID {
        match self {
            Nfa::Crate(n) => n.next_state(anchored, sid, b),
            Nfa::Trie(t) => trie_state(t.next(sid.as_u32(), b)),
        }
    }

    #[inline(always)]
    fn is_dead(&self, sid: StateID) -> bool {
        match self {
            Nfa::Crate(n) => n.is_dead(sid),
            Nfa::Trie(_) => false,
        }
    }

    #[inline(always)]
    fn is_match(&self, sid: StateID) -> bool {
        match self {
            Nfa::Crate(n) => n.is_match(sid),
            Nfa::Trie(t) => !t.matches(sid.as_u32()).is_empty(),
        }
    }

    #[inline(always)]
    fn match_len(&self, sid: StateID) -> usize {
        match self {
            Nfa::Crate(n) => n.match_len(sid),
            Nfa::Trie(t) => t.matches(sid.as_u32()).len(),
        }
    }

    #[inline(always)]
    fn match_pattern(&self, sid: StateID, k: usize) -> PatternID {
        match self {
            Nfa::Crate(n) => n.match_pattern(sid, k),
            Nfa::Trie(t) => PatternID::new_unchecked(t.matches(sid.as_u32())[k] as usize),
        }
    }

    #[inline(always)]
    fn pattern_len(&self, pattern: PatternID) -> usize {
        match self {
            Nfa::Crate(n) => n.pattern_len(pattern),
            Nfa::Trie(t) => t.pattern_len(pattern.as_u32()),
        }
    }

    /// The length of the longest pattern: how far before its part a lane starts.
    fn max_pattern_len(&self) -> usize {
        match self {
            Nfa::Crate(n) => n.max_pattern_len(),
            Nfa::Trie(t) => t.max_pattern_len(),
        }
    }

    fn prefilter(&self) -> Option<&Prefilter> {
        match self {
            Nfa::Crate(n) => n.prefilter(),
            Nfa::Trie(_) => None,
        }
    }

    /// The crate's iterator, which uses the prefilter (only the crate's NFA has one).
    fn try_find_overlapping_iter<'a, 'h>(
        &'a self,
        input: Input<'h>,
    ) -> Result<FindOverlappingIter<'a, 'h, NFA>, MatchError> {
        match self {
            Nfa::Crate(n) => n.try_find_overlapping_iter(input),
            Nfa::Trie(_) => Err(MatchError::unsupported_overlapping(MatchKind::Standard)),
        }
    }

    fn patterns_len(&self) -> usize {
        match self {
            Nfa::Crate(n) => n.patterns_len(),
            Nfa::Trie(t) => t.patterns(),
        }
    }
}

/// A state of a [`TrieNfa`] as the crate's type: its states are checked to fit when it is made.
#[inline]
fn trie_state(s: u32) -> StateID {
    StateID::new_unchecked(s as usize)
}

impl LazyDfa {
    /// The automaton of `patterns`; pattern `i` is reported as `i`. With `prefilter`, a small
    /// vocabulary gets the crate's prefilter (which skips the text where no pattern can start)
    /// and is searched by the crate's iterator, which uses it; a large one gets none.
    pub fn new<P: AsRef<[u8]>>(patterns: &[P], folding: Folding, prefilter: bool) -> LazyDfa {
        LazyDfa::build(patterns, folding, prefilter, None)
    }

    /// [`LazyDfa::new`], given the count of distinct non-empty prefixes of the patterns as
    /// written (what a trie of them has besides its root: [`crate::tag::matcher`] builds one
    /// anyway, so the patterns need not be sorted a second time to count them here; 12 M of the
    /// 256 M instructions of loading the default ontology, BENCHMARKS.md, branch `aload`). The
    /// patterns as read through the folding have at most as many (folding only merges
    /// prefixes): a larger count only sizes the table for states that never come.
    pub fn with_prefixes<P: AsRef<[u8]>>(
        patterns: &[P],
        folding: Folding,
        prefilter: bool,
        prefixes: usize,
    ) -> LazyDfa {
        LazyDfa::build(patterns, folding, prefilter, Some(prefixes))
    }

    /// [`LazyDfa::new`], with the count of prefixes if known.
    fn build<P: AsRef<[u8]>>(
        patterns: &[P],
        mut folding: Folding,
        prefilter: bool,
        prefixes: Option<usize>,
    ) -> LazyDfa {
        if patterns
            .iter()
            .any(|p| p.as_ref().iter().any(|b| b.wrapping_sub(b'\t') < 5))
        {
            folding.white_space = false;
        }
        // Without a prefilter (asked for none, or a vocabulary too large for the crate to keep
        // one), the automaton is made from the sorted patterns (see [`TrieNfa`]): the crate's
        // NFA took 64.5 M instructions of the 207 M of loading the default ontology, this one
        // about 10 M (BENCHMARKS.md, branch `aload2`). It reads the patterns through the folding
        // as the classes read the text.
        let own = (!prefilter || patterns.len() > PREFILTER_MAX_PATTERNS)
            .then(|| TrieNfa::new(patterns, |b| folding.canonical(b)))
            .flatten()
            .filter(|t| t.states() <= StateID::MAX.as_usize());
        let nfa = match own {
            Some(t) => Nfa::Trie(t),
            None => {
                // Patterns without capitals read ASCII case-insensitively through the byte
                // classes alone (a capital is read as its small letter): an NFA built
                // case-insensitive has twice the transitions on letters and took 87 M
                // instructions more to build for the default ontology. The prefilter is the
                // NFA's own, so one that is kept must ignore case itself.
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
                Nfa::Crate(nfa)
            }
        };
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
        let states = match &nfa {
            Nfa::Trie(t) => t.states(),
            // the NFA's states: dead, fail, the two start states, then one per distinct prefix
            Nfa::Crate(_) => 4 + prefixes.unwrap_or_else(|| distinct_prefixes(patterns, folding)),
        };
        let rows = 1 + states + SPARE_ROWS;
        // a row starts below [`MATCH`]; past that (no vocabulary the matcher builds a DFA for
        // comes near), every state is searched through the NFA
        let rows = if rows * stride <= MATCH as usize { rows } else { 0 };
        // allocated zeroed rather than written: the allocator hands out pages of zeros that are
        // touched only where a search fills a cell (rows are handed out as states are reached:
        // a run touches the first few thousand)
        let zeroed =
            |n: usize| <[AtomicU32] as FromZeros>::new_box_zeroed_with_elems(n).expect("memory for the DFA's table");
        let dfa = LazyDfa {
            nfa,
            classes,
            bytes,
            stride,
            rows,
            row_of: zeroed(if rows == 0 { 0 } else { states }),
            state_of: zeroed(rows),
            // row 0 is never handed out
            rows_used: AtomicU32::new(1),
            table: zeroed(rows * stride),
            folding,
        };
        if let Ok(start) = dfa.nfa.start_state(Anchored::No) {
            dfa.row_for(start);
        }
        dfa
    }

    /// The start of the row of state `sid`, handed out now if it has none; None when none is
    /// left (or `sid` is past the count of states).
    fn row_for(&self, sid: StateID) -> Option<u32> {
        let slot = self.row_of.get(sid.as_usize())?;
        let row = slot.load(Ordering::Acquire);
        if row != 0 {
            return Some(row);
        }
        // once the rows are all handed out the count stops growing (it cannot wrap round)
        if self.rows_used.load(Ordering::Relaxed) as usize >= self.rows {
            return None;
        }
        let new = self.rows_used.fetch_add(1, Ordering::Relaxed) as usize;
        if new >= self.rows {
            return None;
        }
        self.state_of[new].store(sid.as_u32(), Ordering::Relaxed);
        // `new * stride` is below [`MATCH`] (checked when built)
        let start = (new * self.stride) as u32;
        match slot.compare_exchange(0, start, Ordering::AcqRel, Ordering::Acquire) {
            Ok(_) => Some(start),
            // another thread gave the state a row first: row `new` stays unused
            Err(theirs) => Some(theirs),
        }
    }

    /// The NFA state of the row that starts at `row`, a row read from a cell or from
    /// `row_of`.
    fn state_at(&self, row: usize) -> StateID {
        // the state was stored before the row was handed on (released by the store of the
        // cell or of `row_of` that another thread then read, relaxed, in `overlapping`)
        fence(Ordering::Acquire);
        let sid = self.state_of[row / self.stride].load(Ordering::Relaxed);
        StateID::new(sid as usize).expect("a state of the NFA")
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
    ///
    /// A text of at least [`LANES_FROM`] bytes is read in [`LANES`] lanes (see
    /// [`LazyDfa::lanes`]): each byte's look-up waits on the one before it and most miss the
    /// first-level cache, so the loop is bound by the latency of memory, not by its
    /// instructions; lanes make more instructions (issue 19's plain-text run 1,839 M -> 1,907 M)
    /// but wait on several look-ups at once, and that run took 0.83-0.95 x the CPU time of
    /// one lane, 4 lanes 0.955-0.992 x that of 2, 8 no less than 4 (BENCHMARKS.md, branch
    /// `dfalanes`).
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
        let Some(row) = self
            .row_of
            .get(start.as_usize())
            .map(|r| r.load(Ordering::Acquire))
            .filter(|&r| r != 0)
        else {
            self.through_nfa(start, hay, 0, hay.len(), 0, &mut found);
            return;
        };
        let longest = self.nfa.max_pattern_len();
        if hay.len() >= LANES_FROM.max(2 * LANES * longest) && hay.len() <= u32::MAX as usize {
            self.lanes::<LANES>(row as usize, hay, longest, &mut found);
        } else {
            self.one_lane(row as usize, hay, 0, hay.len(), 0, &mut found);
        }
    }

    /// The search of `hay` from the state whose row starts at `start` in `N` lanes that take a
    /// step each in one loop, so that their chains of dependent table look-ups wait on memory
    /// at the same time. Lane `j` reads `len` bytes from `j * (len - longest)` and reports the
    /// matches that end past where it began plus `longest` (lane 0: every match) and up to
    /// where lane `j + 1` begins to report (the last lane: to the end of `hay`). A state after
    /// reading at least `longest` bytes (the longest pattern's length) depends on those bytes
    /// alone (it is the longest of their suffixes that begins a pattern), so where a lane
    /// reports it is in the state one lane would be in. Lane 0 reports as it goes, the others
    /// keep their matches until the lanes before them are done, so that `found` sees them in
    /// the order of [`LazyDfa::one_lane`]. A lane whose next state has no row, or that has no
    /// room to keep another match, stops all the lanes where they are; each then finishes its
    /// part alone, in order.
    fn lanes<const N: usize>(
        &self,
        start: usize,
        hay: &[u8],
        longest: usize,
        found: &mut impl FnMut(u32, usize, usize),
    ) {
        // N * len - (N - 1) * longest <= hay.len(), the last lane reading the rest alone
        let len = (hay.len() + (N - 1) * longest) / N;
        let from: [usize; N] = std::array::from_fn(|j| j * (len - longest));
        // where each lane's matches begin to count (they end past it) and stop
        let min_end: [usize; N] = std::array::from_fn(|j| if j == 0 { 0 } else { from[j] + longest });
        let to: [usize; N] = std::array::from_fn(|j| if j + 1 == N { hay.len() } else { from[j] + len });
        let text: [&[u8]; N] = std::array::from_fn(|j| &hay[from[j]..from[j] + len]);
        let (table, classes) = (&self.table[..], &self.classes);
        // the match states of lanes 1.. as (row, end)
        let mut kept = [[(0u32, 0u32); KEPT]; N];
        let mut kept_len = [0usize; N];
        let mut row = [start; N];
        // bytes read by every lane, and by how many lanes (from lane 0) one more
        let (mut at, mut ahead) = (0, 0);
        'bytes: while at < len {
            let class: [usize; N] = std::array::from_fn(|j| usize::from(classes[usize::from(text[j][at])]));
            let cell: [u32; N] = std::array::from_fn(|j| table[row[j] + class[j]].load(Ordering::Relaxed));
            // none unknown nor a match state (see `one_lane`)
            if cell
                .iter()
                .fold(true, |plain, &c| plain & (c.wrapping_sub(1) < MATCH - 1))
            {
                for j in 0..N {
                    row[j] = cell[j] as usize;
                }
                at += 1;
                continue;
            }
            for j in 0..N {
                let Some(c) = self.cell(row[j], class[j], cell[j]) else {
                    break 'bytes;
                };
                let end = from[j] + at + 1;
                if c & MATCH != 0 && end > min_end[j] {
                    if j == 0 {
                        self.report(self.state_at((c & !MATCH) as usize), end, found);
                    } else if kept_len[j] == KEPT {
                        break 'bytes;
                    } else {
                        // `hay.len()` fits a u32 (see `overlapping`)
                        kept[j][kept_len[j]] = (c & !MATCH, end as u32);
                        kept_len[j] += 1;
                    }
                }
                row[j] = (c & !MATCH) as usize;
                ahead = j + 1;
            }
            at += 1;
            ahead = 0;
        }
        for j in 0..N {
            for &(r, end) in &kept[j][..kept_len[j]] {
                self.report(self.state_at(r as usize), end as usize, found);
            }
            let read = if j < ahead { at + 1 } else { at };
            self.one_lane(row[j], hay, from[j] + read, to[j], min_end[j], found);
        }
    }

    /// The search of `hay[from..to]` from the state whose row starts at `row`, reporting the
    /// matches that end past `min_end`.
    #[inline]
    fn one_lane(
        &self,
        mut row: usize,
        hay: &[u8],
        from: usize,
        to: usize,
        min_end: usize,
        found: &mut impl FnMut(u32, usize, usize),
    ) {
        let (table, classes) = (&self.table[..], &self.classes);
        for (i, &b) in hay[..to].iter().enumerate().skip(from) {
            let class = usize::from(classes[usize::from(b)]);
            // relaxed: the fence of `state_at` orders what follows from a cell filled by
            // another thread
            let mut cell = table[row + class].load(Ordering::Relaxed);
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
                        self.through_nfa(self.state_at(row), hay, i, to, min_end, found);
                        return;
                    }
                }
            }
            row = (cell & !MATCH) as usize;
            if cell & MATCH != 0 && i + 1 > min_end {
                self.report(self.state_at(row), i + 1, found);
            }
        }
    }

    /// `cell`, the cell of `row` and `class` as read, or if unknown, computed and stored; None
    /// when the next state has no row.
    #[inline]
    fn cell(&self, row: usize, class: usize, cell: u32) -> Option<u32> {
        if cell == 0 { self.fill(row, class) } else { Some(cell) }
    }

    /// The cell of `row` and `class`, computed and stored; None when the next state has no row
    /// (or is the dead state, which an unanchored search of this kind never reaches).
    #[cold]
    #[inline(never)]
    fn fill(&self, row: usize, class: usize) -> Option<u32> {
        let next = self.nfa.next_state(Anchored::No, self.state_at(row), self.bytes[class]);
        if self.nfa.is_dead(next) {
            return None;
        }
        let next_row = self.row_for(next)?;
        let cell = if self.nfa.is_match(next) {
            next_row | MATCH
        } else {
            next_row
        };
        self.table[row + class].store(cell, Ordering::Release);
        Some(cell)
    }

    /// The search from state `sid` of `hay[at..to]`, every step asked of the NFA, reporting the
    /// matches that end past `min_end`.
    #[cold]
    #[inline(never)]
    fn through_nfa(
        &self,
        mut sid: StateID,
        hay: &[u8],
        at: usize,
        to: usize,
        min_end: usize,
        found: &mut impl FnMut(u32, usize, usize),
    ) {
        for (i, &b) in hay[..to].iter().enumerate().skip(at) {
            let b = self.bytes[usize::from(self.classes[usize::from(b)])];
            sid = self.nfa.next_state(Anchored::No, sid, b);
            if self.nfa.is_dead(sid) {
                return;
            }
            if self.nfa.is_match(sid) && i + 1 > min_end {
                self.report(sid, i + 1, found);
            }
        }
    }

    /// The matches of match state `sid` at `end`. Out of line: the loop over the bytes then keeps
    /// its state in registers (inlined, the reporting made it spill the state to the stack and
    /// reload it for every byte).
    #[inline(never)]
    fn report(&self, sid: StateID, end: usize, found: &mut impl FnMut(u32, usize, usize)) {
        for k in 0..self.nfa.match_len(sid) {
            let pattern = self.nfa.match_pattern(sid, k);
            found(pattern.as_u32(), end - self.nfa.pattern_len(pattern), end);
        }
    }
}

/// The distinct non-empty prefixes of the patterns as read through `folding`: the states of
/// their trie less its root.
fn distinct_prefixes<P: AsRef<[u8]>>(patterns: &[P], folding: Folding) -> usize {
    // borrowed where a pattern reads as itself (the matcher's, folded already: all of them)
    let mut read: Vec<Cow<[u8]>> = patterns
        .iter()
        .map(|p| {
            let p = p.as_ref();
            if p.iter().all(|&b| folding.canonical(b) == b) {
                Cow::Borrowed(p)
            } else {
                Cow::Owned(p.iter().map(|&b| folding.canonical(b)).collect())
            }
        })
        .collect();
    read.sort_unstable();
    read.dedup();
    let mut count = 0;
    let mut prev: &[u8] = &[];
    for p in read.iter().map(|p| &**p) {
        let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
        count += p.len() - common;
        prev = p;
    }
    count
}

/// A copy of the atomics' values.
fn copied(cells: &[AtomicU32]) -> Box<[AtomicU32]> {
    cells
        .iter()
        .map(|c| AtomicU32::new(c.load(Ordering::Relaxed)))
        .collect()
}

impl Clone for LazyDfa {
    fn clone(&self) -> LazyDfa {
        LazyDfa {
            nfa: self.nfa.clone(),
            classes: self.classes,
            bytes: self.bytes.clone(),
            stride: self.stride,
            rows: self.rows,
            row_of: copied(&self.row_of),
            state_of: copied(&self.state_of),
            rows_used: AtomicU32::new(self.rows_used.load(Ordering::Relaxed)),
            table: copied(&self.table),
            folding: self.folding,
        }
    }
}

impl fmt::Debug for LazyDfa {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let filled = self.table.iter().filter(|c| c.load(Ordering::Relaxed) != 0).count();
        f.debug_struct("LazyDfa")
            .field("patterns", &self.nfa.patterns_len())
            .field("states", &self.row_of.len())
            .field("rows_used", &self.rows_used.load(Ordering::Relaxed))
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

    /// The automaton of `patterns` (ASCII case ignored, no prefilter) with its table cut to its
    /// first `rows` states: the rest searched through the NFA.
    fn cut(patterns: &[String], rows: usize) -> LazyDfa {
        let mut dfa = LazyDfa::new(
            patterns,
            Folding {
                ascii_case: true,
                white_space: false,
            },
            false,
        );
        dfa.rows = rows.min(dfa.rows);
        dfa
    }

    /// The same search with the table cut to its first `rows` states: the rest through the NFA.
    fn scanned_short(patterns: &[String], hay: &str, rows: usize) -> Vec<(u32, usize, usize)> {
        let dfa = cut(patterns, rows);
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
            let start = dfa.nfa.start_state(Anchored::No).unwrap();
            for p in &patterns {
                let mut row = dfa.row_for(start).unwrap() as usize;
                for b in p.bytes().chain(*b"tissue factor TISSUE") {
                    let class = usize::from(dfa.classes[usize::from(b)]);
                    let cell = dfa.fill(row, class).expect("a row for the next state");
                    row = (cell & !MATCH) as usize;
                }
            }
        }
    }

    /// (patterns, folding, the states of their trie less its root)
    #[test]
    fn distinct_prefixes_table() {
        let case = Folding {
            ascii_case: true,
            white_space: false,
        };
        let table: &[(&[&str], Folding, usize)] = &[
            (&[], Folding::default(), 0),
            (&["a"], Folding::default(), 1),
            (&["ab", "ab", "abc", "b"], Folding::default(), 4),
            (&["TF", "tf"], Folding::default(), 4),
            (&["TF", "tf"], case, 2),
            (&["Tf", "tnf", "TNFA"], case, 5),
            (
                &["a\tb", "a b"],
                Folding {
                    ascii_case: false,
                    white_space: true,
                },
                3,
            ),
        ];
        for &(patterns, folding, want) in table {
            assert_eq!(distinct_prefixes(patterns, folding), want, "{patterns:?} {folding:?}");
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

    /// Rows are handed out as states are reached: the start state's first, then in the order a
    /// text reaches them, whatever their numbers in the NFA.
    #[test]
    fn rows_in_the_order_states_are_reached() {
        let dfa = LazyDfa::new(
            &["zeta", "alpha", "beta"],
            Folding {
                ascii_case: true,
                white_space: false,
            },
            false,
        );
        let start = dfa.nfa.start_state(Anchored::No).unwrap();
        assert_eq!(dfa.row_for(start), Some(dfa.stride as u32));
        let mut found = Vec::new();
        dfa.overlapping(b"beta alpha", |p, s, e| found.push((p, s, e)));
        assert_eq!(found, [(2, 0, 4), (1, 5, 10)]);
        // the start state's row, then b, be, bet, beta, then a, al, alp, alph, alpha
        assert_eq!(dfa.rows_used.load(Ordering::Relaxed), 11);
        let states: Vec<u32> = (1..11).map(|r| dfa.state_at(r * dfa.stride).as_u32()).collect();
        let mut sorted = states.clone();
        sorted.sort_unstable();
        assert_eq!(states[0], start.as_u32());
        assert_ne!(states, sorted, "the automaton numbers alpha's states before beta's");
    }

    /// Threads searching one automaton at once, its table filling as they go (and, with few
    /// rows, running out of them): each finds what the crate's iterator finds.
    #[test]
    fn threads_share_one_table() {
        let patterns: Vec<String> = ["tissue factor", "factor", "fibrin", "fibrinogen", "TF", "tnf", "é"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let texts: Vec<String> = (0..16)
            .map(|i| {
                let words = ["fibrinogen", "tissue", "factor", "TNF", "é", "x", "fibrin", "tf"];
                (0..40)
                    .map(|k| words[(i * 7 + k * (i + 3)) % words.len()])
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .collect();
        for rows in [usize::MAX, 9, 3] {
            let mut dfa = LazyDfa::new(
                &patterns,
                Folding {
                    ascii_case: true,
                    white_space: false,
                },
                false,
            );
            dfa.rows = rows.min(dfa.rows);
            std::thread::scope(|scope| {
                for chunk in texts.chunks(4) {
                    let (dfa, patterns) = (&dfa, &patterns);
                    scope.spawn(move || {
                        for _ in 0..3 {
                            for t in chunk {
                                let mut got = Vec::new();
                                dfa.overlapping(t.as_bytes(), |p, s, e| got.push((p, s, e)));
                                assert_eq!(got, reference(patterns, t), "rows {rows}");
                            }
                        }
                    });
                }
            });
        }
    }

    /// `hay` searched in 2, 3 and 4 lanes by `dfa` (its table cut to `rows`), and in one.
    fn lanes_and_one(patterns: &[String], hay: &str, rows: usize) -> [Vec<(u32, usize, usize)>; 4] {
        let dfa = cut(patterns, rows);
        let start = dfa.row_for(dfa.nfa.start_state(Anchored::No).unwrap());
        let longest = dfa.nfa.max_pattern_len();
        let mut out: [Vec<(u32, usize, usize)>; 4] = Default::default();
        let Some(start) = start else {
            return out;
        };
        let (hay, start) = (hay.as_bytes(), start as usize);
        let [one, two, three, four] = &mut out;
        dfa.one_lane(start, hay, 0, hay.len(), 0, &mut |p, s, e| one.push((p, s, e)));
        dfa.lanes::<2>(start, hay, longest, &mut |p, s, e| two.push((p, s, e)));
        dfa.lanes::<3>(start, hay, longest, &mut |p, s, e| three.push((p, s, e)));
        dfa.lanes::<4>(start, hay, longest, &mut |p, s, e| four.push((p, s, e)));
        out
    }

    /// Texts long enough for lanes: what the crate's iterator finds, in its order, with
    /// more matches past the middle than lane 2 keeps and with states past the table.
    #[test]
    fn two_lanes_table() {
        let patterns: Vec<String> = ["a", "aa", "tissue factor", "factor", "é", "ab"]
            .iter()
            .map(|p| p.to_string())
            .collect();
        let texts = [
            "a".repeat(600),
            // the middle (296) inside "tissue factor", which lane 2 starts reading at 283
            format!("{}tissue factor{}", "x".repeat(290), "y".repeat(276)),
            "tissue factor é ab ".repeat(40),
            "b".repeat(255),
        ];
        for text in &texts {
            let want = reference(&patterns, text);
            assert_eq!(scanned(&patterns, text, false), want);
            for rows in [usize::MAX, 4, 2, 1] {
                for (lanes, got) in lanes_and_one(&patterns, text, rows).iter().enumerate() {
                    assert_eq!(got, &want, "{} lanes, rows {rows}", lanes + 1);
                }
            }
        }
        assert_eq!(reference(&patterns, &texts[0]).len(), 600 + 599);
        assert_eq!(
            reference(&patterns, &texts[1]),
            [(0, 298, 299), (2, 290, 303), (3, 297, 303)],
            "a match across the middle"
        );
    }

    proptest! {
        #[test]
        fn lanes_find_what_one_lane_finds(
            words in prop::collection::vec("[abAB é]{1,6}", 1..6),
            hay in "[abcAB é]{0,120}",
            picks in prop::collection::vec((any::<prop::sample::Index>(), 1usize..24), 0..6),
            rows in prop_oneof![Just(usize::MAX), 0usize..30],
        ) {
            // patterns from the text itself as well, some across its middle
            let chars: Vec<char> = hay.chars().collect();
            let mut patterns = words;
            for (at, len) in picks {
                if !chars.is_empty() {
                    let at = at.index(chars.len());
                    patterns.push(chars[at..chars.len().min(at + len)].iter().collect());
                }
            }
            let longest = patterns.iter().map(String::len).max().unwrap_or(0);
            prop_assume!(hay.len() >= longest);
            let [one, more @ ..] = lanes_and_one(&patterns, &hay, rows);
            for (lanes, got) in more.iter().enumerate() {
                prop_assert_eq!(got, &one, "{} lanes", lanes + 2);
            }
            if rows == usize::MAX {
                prop_assert_eq!(one, reference(&patterns, &hay));
            }
        }

        #[test]
        fn long_texts_the_same_as_the_crates_iterator(
            patterns in prop::collection::vec("[abAB é]{1,12}", 1..8),
            hay in "[abcAB é]{256,700}",
        ) {
            prop_assert_eq!(scanned(&patterns, &hay, false), reference(&patterns, &hay));
        }

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
