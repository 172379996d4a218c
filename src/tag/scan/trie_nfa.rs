//! The Aho-Corasick automaton [`super::LazyDfa`] asks for its transitions, built from the
//! patterns sorted instead of inserted one by one.
//!
//! The crate's noncontiguous NFA inserts every pattern byte by byte, searching each state's
//! sorted list of transitions for the byte, then fills the failure transitions and copies every
//! state's matches down its failure chain: 64.5 M of the 207 M instructions of loading the
//! default ontology (11,208 patterns, 70,000 states). With the patterns sorted, every state's
//! children are made in byte order and a pattern shares with the one before it exactly the
//! states of their common prefix, so the trie is made without a search; a state that ends no
//! pattern shares its failure state's list of matches instead of copying it. The automaton is
//! the crate's ([`MatchKind::Standard`](aho_corasick::MatchKind::Standard), unanchored): the
//! same transitions and the same matches in the same order for every state, only the states
//! numbered otherwise (depth first in byte order); BENCHMARKS.md, branch `aload2`, has the
//! measurement and the property tests below compare it with the crate's.

use std::borrow::Cow;

/// The start state, which is also the trie's root.
pub(super) const ROOT: u32 = 0;

/// An Aho-Corasick automaton over non-empty patterns: a trie with failure transitions, and the
/// patterns matched at every state.
#[derive(Debug, Clone)]
pub(super) struct TrieNfa {
    /// The root's next state for every byte ([`ROOT`] where no pattern starts with it).
    root: Box<[u32; 256]>,
    /// The transitions of state `s` are `labels[first[s]..first[s + 1]]` (ascending bytes),
    /// leading to `targets[..]` at the same places.
    first: Vec<u32>,
    labels: Vec<u8>,
    targets: Vec<u32>,
    /// The failure transition of every state (the root's is itself).
    fail: Vec<u32>,
    /// The matches of state `s`: `matches[m..m + n]` for `(m, n) = found[s]`; the patterns that
    /// end at `s` in the order of their ids, then those of its failure state.
    found: Vec<(u32, u32)>,
    matches: Vec<u32>,
    /// The length of every pattern.
    lens: Vec<u32>,
    /// The length of the longest pattern (0 without patterns).
    longest: usize,
}

impl TrieNfa {
    /// The automaton of `patterns` read through `read` (a byte to byte map, as the folding
    /// reads them); pattern `i` is reported as `i`. None when a pattern is empty (the crate
    /// reports an empty pattern at every position, which this automaton does not model) or the
    /// states would not fit 32 bits.
    pub(super) fn new<P: AsRef<[u8]>>(patterns: &[P], read: impl Fn(u8) -> u8) -> Option<TrieNfa> {
        if patterns.iter().any(|p| p.as_ref().is_empty()) || patterns.len() >= u32::MAX as usize {
            return None;
        }
        let total: usize = patterns.iter().map(|p| p.as_ref().len()).sum();
        if total >= u32::MAX as usize {
            return None;
        }
        // borrowed where a pattern reads as itself (the matcher's, folded already: all of them)
        let read: Vec<Cow<[u8]>> = patterns
            .iter()
            .map(|p| {
                let p = p.as_ref();
                if p.iter().all(|&b| read(b) == b) {
                    Cow::Borrowed(p)
                } else {
                    Cow::Owned(p.iter().map(|&b| read(b)).collect())
                }
            })
            .collect();
        let order = sorted_order(&read);

        // The trie, states numbered as made (depth first, children in byte order): `edges`
        // holds (parent, byte, child) in that order, `ends` (state, pattern) in sorted pattern
        // order, so the patterns that end at one state come together, by id.
        let mut edges: Vec<(u32, u8, u32)> = Vec::new();
        let mut ends: Vec<(u32, u32)> = Vec::with_capacity(read.len());
        let mut path: Vec<u32> = vec![ROOT];
        let mut prev: &[u8] = &[];
        let mut states = 1u32;
        for &i in &order {
            let p: &[u8] = &read[i as usize];
            let common = p.iter().zip(prev).take_while(|(a, b)| a == b).count();
            path.truncate(common + 1);
            for &b in &p[common..] {
                let parent = *path.last().expect("the root is on the path");
                edges.push((parent, b, states));
                path.push(states);
                states += 1;
            }
            ends.push((*path.last().expect("the root is on the path"), i));
            prev = p;
        }
        let n = states as usize;

        // the transitions by state (a counting sort, stable: each state's stay in byte order)
        let mut first = vec![0u32; n + 1];
        for &(parent, _, _) in &edges {
            first[parent as usize + 1] += 1;
        }
        for s in 0..n {
            first[s + 1] += first[s];
        }
        let mut next_free: Vec<u32> = first[..n].to_vec();
        let mut labels = vec![0u8; edges.len()];
        let mut targets = vec![0u32; edges.len()];
        let mut root = Box::new([ROOT; 256]);
        for &(parent, b, child) in &edges {
            let at = &mut next_free[parent as usize];
            labels[*at as usize] = b;
            targets[*at as usize] = child;
            *at += 1;
            if parent == ROOT {
                root[usize::from(b)] = child;
            }
        }
        drop(edges);

        // the patterns that end at each state, by id
        let mut own = vec![(0u32, 0u32); n];
        let mut own_ids: Vec<u32> = Vec::with_capacity(ends.len());
        {
            let mut k = 0;
            while k < ends.len() {
                let s = ends[k].0;
                let start = own_ids.len() as u32;
                while k < ends.len() && ends[k].0 == s {
                    own_ids.push(ends[k].1);
                    k += 1;
                }
                own[s as usize] = (start, own_ids.len() as u32 - start);
            }
        }

        let mut nfa = TrieNfa {
            root,
            first,
            labels,
            targets,
            fail: vec![ROOT; n],
            found: vec![(0, 0); n],
            matches: Vec::with_capacity(own_ids.len()),
            lens: patterns.iter().map(|p| p.as_ref().len() as u32).collect(),
            longest: patterns.iter().map(|p| p.as_ref().len()).max().unwrap_or(0),
        };

        // Breadth first, as the crate: a state's failure state is shallower, so its failure
        // transition and its matches are known when the state is reached.
        let mut queue: Vec<u32> = Vec::with_capacity(n);
        queue.push(ROOT);
        let mut head = 0;
        while head < queue.len() {
            let s = queue[head];
            head += 1;
            let (a, b) = (nfa.first[s as usize] as usize, nfa.first[s as usize + 1] as usize);
            for k in a..b {
                let (byte, child) = (nfa.labels[k], nfa.targets[k]);
                queue.push(child);
                let fail = if s == ROOT {
                    ROOT
                } else {
                    let mut f = nfa.fail[s as usize];
                    loop {
                        if let Some(next) = nfa.child(f, byte) {
                            break next;
                        }
                        if f == ROOT {
                            break ROOT;
                        }
                        f = nfa.fail[f as usize];
                    }
                };
                nfa.fail[child as usize] = fail;
                let (m, len) = own[child as usize];
                let inherited = nfa.found[fail as usize];
                nfa.found[child as usize] = if len == 0 {
                    inherited
                } else {
                    let start = nfa.matches.len() as u32;
                    nfa.matches.extend_from_slice(&own_ids[m as usize..(m + len) as usize]);
                    let (fm, flen) = (inherited.0 as usize, inherited.1 as usize);
                    nfa.matches.extend_from_within(fm..fm + flen);
                    (start, len + inherited.1)
                };
            }
        }
        Some(nfa)
    }

    /// The states, the root included.
    pub(super) fn states(&self) -> usize {
        self.fail.len()
    }

    /// The patterns.
    pub(super) fn patterns(&self) -> usize {
        self.lens.len()
    }

    /// The trie's transition from `s` on `b`, if any (not the root's: see [`TrieNfa::next`]).
    #[inline]
    fn child(&self, s: u32, b: u8) -> Option<u32> {
        if s == ROOT {
            let next = self.root[usize::from(b)];
            return (next != ROOT).then_some(next);
        }
        let (a, z) = (self.first[s as usize] as usize, self.first[s as usize + 1] as usize);
        let labels = &self.labels[a..z];
        let k = if labels.len() <= 16 {
            labels.iter().position(|&l| l == b)?
        } else {
            labels.binary_search(&b).ok()?
        };
        Some(self.targets[a + k])
    }

    /// The state after `s` on byte `b` (failure transitions followed).
    pub(super) fn next(&self, mut s: u32, b: u8) -> u32 {
        loop {
            if s == ROOT {
                return self.root[usize::from(b)];
            }
            if let Some(next) = self.child(s, b) {
                return next;
            }
            s = self.fail[s as usize];
        }
    }

    /// The patterns matched at `s`, longest first.
    pub(super) fn matches(&self, s: u32) -> &[u32] {
        let (m, n) = self.found[s as usize];
        &self.matches[m as usize..(m + n) as usize]
    }

    /// The length of pattern `p`.
    pub(super) fn pattern_len(&self, p: u32) -> usize {
        self.lens[p as usize] as usize
    }

    /// The length of the longest pattern (0 without patterns), as the crate's
    /// `Automaton::max_pattern_len`.
    pub(super) fn max_pattern_len(&self) -> usize {
        self.longest
    }
}

/// Pattern indices in byte order (shorter before longer when one is a prefix of the other; equal
/// patterns by index). Each index is sorted with its pattern's first eight bytes as a number, so
/// most comparisons never read the pattern; large lists are sorted in two halves on two threads
/// and merged. The trie of the matcher's terms and [`TrieNfa`] both number their states in
/// this order.
pub(crate) fn sorted_order<S: AsRef<[u8]> + Sync>(patterns: &[S]) -> Vec<u32> {
    let mut keyed: Vec<(u64, u32)> = patterns
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let p = p.as_ref();
            let mut head = [0u8; 8];
            let n = p.len().min(8);
            head[..n].copy_from_slice(&p[..n]);
            (u64::from_be_bytes(head), i as u32)
        })
        .collect();
    // zero padding keeps the order of the heads that of the patterns (zero is the least byte);
    // equal heads fall back to the whole patterns
    let cmp = |a: &(u64, u32), b: &(u64, u32)| {
        a.0.cmp(&b.0)
            .then_with(|| (patterns[a.1 as usize].as_ref(), a.1).cmp(&(patterns[b.1 as usize].as_ref(), b.1)))
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    if threads < 2 || keyed.len() < PARALLEL_SORT_MIN {
        keyed.sort_unstable_by(cmp);
        return keyed.into_iter().map(|(_, i)| i).collect();
    }
    let half = keyed.len() / 2;
    let (a, b) = keyed.split_at_mut(half);
    std::thread::scope(|scope| {
        let h = scope.spawn(|| a.sort_unstable_by(cmp));
        b.sort_unstable_by(cmp);
        h.join().unwrap_or_else(|e| std::panic::resume_unwind(e));
    });
    let (a, b) = keyed.split_at(half);
    let mut merged = Vec::with_capacity(keyed.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        if cmp(&a[i], &b[j]).is_le() {
            merged.push(a[i].1);
            i += 1;
        } else {
            merged.push(b[j].1);
            j += 1;
        }
    }
    merged.extend(a[i..].iter().map(|k| k.1));
    merged.extend(b[j..].iter().map(|k| k.1));
    merged
}

/// Lists of at least this many patterns are sorted on two threads.
const PARALLEL_SORT_MIN: usize = 50_000;

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::automaton::Automaton;
    use aho_corasick::nfa::noncontiguous::NFA;
    use aho_corasick::{Anchored, MatchKind};
    use proptest::prelude::*;

    #[test]
    fn large_lists_sort_on_two_threads_like_one() {
        let pats: Vec<String> = (0..PARALLEL_SORT_MIN as u32 + 7)
            .map(|i| format!("{}", i.wrapping_mul(2_654_435_761) % 100_003))
            .collect();
        let order = sorted_order(&pats);
        let mut want: Vec<u32> = (0..pats.len() as u32).collect();
        want.sort_by_key(|&i| (pats[i as usize].as_bytes(), i));
        assert_eq!(order, want);
    }

    fn crate_nfa(patterns: &[&str], ascii_case: bool) -> NFA {
        NFA::builder()
            .match_kind(MatchKind::Standard)
            .ascii_case_insensitive(ascii_case)
            .build(patterns)
            .unwrap()
    }

    fn lower(b: u8) -> u8 {
        b.to_ascii_lowercase()
    }

    /// (end, pattern) of every match.
    type Found = Vec<(usize, u32)>;

    /// Every (end, pattern) this automaton and the crate's report walking `hay` from the start
    /// state, in their order.
    fn walks(patterns: &[&str], hay: &[u8], ascii_case: bool) -> (Found, Found) {
        let nfa = crate_nfa(patterns, ascii_case);
        let ours = if ascii_case {
            TrieNfa::new(patterns, lower).unwrap()
        } else {
            TrieNfa::new(patterns, |b| b).unwrap()
        };
        let (mut want, mut got) = (Vec::new(), Vec::new());
        let mut sid = nfa.start_state(Anchored::No).unwrap();
        let mut s = ROOT;
        for (i, &b) in hay.iter().enumerate() {
            sid = nfa.next_state(Anchored::No, sid, b);
            s = ours.next(s, if ascii_case { lower(b) } else { b });
            for k in 0..nfa.match_len(sid) {
                want.push((i + 1, nfa.match_pattern(sid, k).as_u32()));
            }
            for &p in ours.matches(s) {
                got.push((i + 1, p));
                assert_eq!(ours.pattern_len(p), patterns[p as usize].len());
            }
        }
        (got, want)
    }

    /// (patterns, text, what is found as (end, pattern))
    #[test]
    fn finds_every_occurrence_longest_first() {
        type Case<'a> = (&'a [&'a str], &'a str, &'a [(usize, u32)]);
        let table: &[Case] = &[
            (&["he", "she", "his", "hers"], "ushers", &[(4, 1), (4, 0), (6, 3)]),
            (&["a", "a", "aa"], "aa", &[(1, 0), (1, 1), (2, 2), (2, 0), (2, 1)]),
            (&["abc", "bc", "c"], "xabcx", &[(4, 0), (4, 1), (4, 2)]),
            (&["ab"], "", &[]),
            (&[], "abc", &[]),
        ];
        for &(patterns, hay, want) in table {
            let (got, crates) = walks(patterns, hay.as_bytes(), false);
            assert_eq!(got, want, "{patterns:?} {hay:?}");
            assert_eq!(crates, want, "{patterns:?} {hay:?}");
        }
    }

    /// A trie state for every distinct prefix, and none for an empty pattern (the crate's).
    #[test]
    fn states_and_empty_patterns() {
        assert_eq!(TrieNfa::new(&["ab", "ab", "abc", "b"], |b| b).unwrap().states(), 5);
        assert_eq!(TrieNfa::new(&["TF", "tf"], lower).unwrap().states(), 3);
        assert_eq!(TrieNfa::new(&["TF", "tf"], |b| b).unwrap().states(), 5);
        assert!(TrieNfa::new(&["a", ""], |b| b).is_none());
    }

    /// The longest pattern's length, as the crate's NFA gives it (the lanes start that far back).
    #[test]
    fn longest_pattern_as_the_crates() {
        for patterns in [&["ab", "abc", "b"][..], &["é", "tf"], &["x"], &[]] {
            let crates = aho_corasick::nfa::noncontiguous::NFA::new(patterns).unwrap();
            assert_eq!(
                TrieNfa::new(patterns, |b| b).unwrap().max_pattern_len(),
                aho_corasick::automaton::Automaton::max_pattern_len(&crates),
                "{patterns:?}"
            );
        }
    }

    proptest! {
        #[test]
        fn the_same_matches_as_the_crates_nfa(
            patterns in prop::collection::vec("[abcAB é]{1,6}", 1..40),
            hay in "[abcdAB é]{0,200}",
            ascii_case in any::<bool>(),
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let (got, want) = walks(&patterns, hay.as_bytes(), ascii_case);
            prop_assert_eq!(got, want);
        }

        #[test]
        fn the_same_matches_on_a_two_letter_alphabet(
            patterns in prop::collection::vec("[ab]{1,8}", 1..60),
            hay in "[abc]{0,300}",
        ) {
            let patterns: Vec<&str> = patterns.iter().map(String::as_str).collect();
            let (got, want) = walks(&patterns, hay.as_bytes(), false);
            prop_assert_eq!(got, want);
        }
    }
}
