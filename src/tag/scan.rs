//! One pass of a DFA over a text, every occurrence of every pattern reported: the search of the
//! matcher ([`crate::tag::matcher`]) and of the sentence-level phrases ([`crate::tag::phrases`]).

use aho_corasick::automaton::Automaton;
use aho_corasick::automaton::StateID;
use aho_corasick::dfa::DFA;
use aho_corasick::{Anchored, Input};

/// Every occurrence of every pattern of `dfa` (built with [`aho_corasick::MatchKind::Standard`]
/// and an unanchored start) in `hay`, as `found(pattern, start, end)`: what
/// `AhoCorasick::find_overlapping_iter` reports, in its order (by end, and at one end the
/// longest first), from a loop of one table look-up per byte (12 instructions). The crate's
/// iterator keeps its place in a state it stores and reloads for every byte and returns from for
/// every match: on the sepsis subset, the sentences' phrases cost 15.1 M instructions through it
/// and 12.4 M here, the matcher's search of every span (`Matcher::find_in_span`, inclusive)
/// 69.9 M through it and 59.9 M here (BENCHMARKS.md, "Issues 14 and 15 on the mention-dense
/// corpus"). A DFA with a prefilter (a small vocabulary: the prefilter skips the text where no
/// pattern can start; the default vocabulary has none) is searched by the crate's iterator,
/// which uses it.
pub fn overlapping(dfa: &DFA, hay: &[u8], mut found: impl FnMut(u32, usize, usize)) {
    if dfa.prefilter().is_some() {
        if let Ok(matches) = dfa.try_find_overlapping_iter(Input::new(hay)) {
            for m in matches {
                found(m.pattern().as_u32(), m.start(), m.end());
            }
        }
        return;
    }
    let Ok(mut sid) = dfa.start_state(Anchored::No) else {
        return;
    };
    for (i, &b) in hay.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, b);
        if dfa.is_special(sid) {
            if dfa.is_dead(sid) {
                return;
            }
            if dfa.is_match(sid) {
                report(dfa, sid, i + 1, &mut found);
            }
        }
    }
}

/// The matches of match state `sid` at `end`. Out of line: the loop over the bytes then keeps
/// its state in registers (inlined, the reporting made it spill the state to the stack and
/// reload it for every byte).
#[inline(never)]
fn report(dfa: &DFA, sid: StateID, end: usize, found: &mut impl FnMut(u32, usize, usize)) {
    for k in 0..dfa.match_len(sid) {
        let pattern = dfa.match_pattern(sid, k);
        found(pattern.as_u32(), end - dfa.pattern_len(pattern), end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
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
        let dfa = DFA::builder()
            .ascii_case_insensitive(true)
            .match_kind(aho_corasick::MatchKind::Standard)
            .prefilter(prefilter)
            .build(patterns)
            .unwrap();
        let mut out = Vec::new();
        overlapping(&dfa, hay.as_bytes(), |p, s, e| out.push((p, s, e)));
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

    proptest! {
        #[test]
        fn the_same_as_the_crates_iterator(
            patterns in prop::collection::vec("[abAB é]{1,4}", 1..8),
            hay in "[abcAB é]{0,40}",
            prefilter in any::<bool>(),
        ) {
            prop_assert_eq!(scanned(&patterns, &hay, prefilter), reference(&patterns, &hay));
        }
    }
}
