//! The phrases the sentence-level stages look for, found in one pass over each sentence.
//!
//! The roles stage looks for eligibility phrases and process cues in the sentence of each
//! mention, the qualifier stage for its cue words in the same sentences. Each searched on its
//! own, the three passes cost 12.3 M + 5.9 M + 14.1 M instructions on the sepsis subset; one
//! automaton over all of them, searched once per sentence and the hits kept for the document
//! ([`crate::tag::Context::phrases`]), does the work of the three in one (BENCHMARKS.md, "Issues
//! 14 and 15 on the mention-dense corpus").
//!
//! Each stage gives its list ([`Phrases::new`]) and reads the hits of its own list back
//! ([`Phrases::range`]): the pattern ids of a list are its indices plus the list's offset, and
//! the hits of one list come in the order a search for that list alone reports them (by end,
//! then longest first), so the stages decide as before.

use std::ops::Range;

use super::scan::{Folding, LazyDfa};

/// The lists, in the order [`Phrases::new`] takes them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhraseList {
    /// The qualifier stage's cue words ([`crate::tag::qualifiers`]).
    QualifierCues = 0,
    /// The roles stage's process cues ([`crate::tag::roles`]).
    ProcessCues = 1,
    /// The roles stage's eligibility phrases ([`crate::tag::roles::ELIGIBILITY`]).
    Eligibility = 2,
}

/// A phrase found in a sentence: (pattern id, byte start, byte end), the offsets relative to the
/// text searched.
pub type Hit = (u32, usize, usize);

/// Every list, compiled into one automaton (ASCII case ignored, every overlapping occurrence).
#[derive(Debug, Clone, Default)]
pub struct Phrases {
    automaton: Option<LazyDfa>,
    /// Per list: its pattern ids.
    ranges: [Range<u32>; 3],
}

impl Phrases {
    /// Compile the lists (indexed by [`PhraseList`]).
    pub fn new(lists: [&[String]; 3]) -> Phrases {
        let mut ranges: [Range<u32>; 3] = Default::default();
        let mut all: Vec<&str> = Vec::new();
        for (range, list) in ranges.iter_mut().zip(lists) {
            let start = all.len() as u32;
            all.extend(list.iter().map(String::as_str));
            *range = start..all.len() as u32;
        }
        let automaton = (!all.is_empty()).then(|| {
            // a DFA: about twice as fast per sentence as the contiguous NFA the builder would
            // choose (BENCHMARKS.md), filled as it is used; no prefilter (its candidates are
            // every common letter: it measured the same)
            let folding = Folding {
                ascii_case: true,
                white_space: false,
            };
            LazyDfa::new(&all, folding, false)
        });
        Phrases { automaton, ranges }
    }

    /// The pattern ids of `list`: a hit's id less the range's start is its index in the list.
    pub fn range(&self, list: PhraseList) -> Range<u32> {
        self.ranges[list as usize].clone()
    }

    /// Append every phrase of every list in `text` to `out`, in the order an overlapping search
    /// reports them: by end, and at one end the longest first.
    pub fn find_into(&self, text: &str, out: &mut Vec<Hit>) {
        if let Some(dfa) = &self.automaton {
            dfa.overlapping(text.as_bytes(), |pattern, start, end| out.push((pattern, start, end)));
        }
    }
}

/// The phrases found in the sentences of one document, each sentence searched once whichever
/// stage asks first.
#[derive(Debug, Default)]
pub struct SentenceHits {
    /// Per text searched: (section, start, end) and its hits' range in `hits`, sorted.
    index: Vec<((u32, usize, usize), Range<usize>)>,
    hits: Vec<Hit>,
}

impl SentenceHits {
    /// The hits in `text[from..to]` of section `section` (offsets relative to `from`).
    pub fn get(&mut self, phrases: &Phrases, section: u32, text: &str, (from, to): (usize, usize)) -> &[Hit] {
        let key = (section, from, to);
        let range = match self.index.binary_search_by_key(&key, |(k, _)| *k) {
            Ok(i) => self.index[i].1.clone(),
            Err(i) => {
                let start = self.hits.len();
                phrases.find_into(&text[from..to], &mut self.hits);
                let range = start..self.hits.len();
                self.index.insert(i, (key, range.clone()));
                range
            }
        };
        &self.hits[range]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_list_reads_its_own_hits() {
        let q = vec!["not".to_string(), "increase".to_string()];
        let p = vec!["increas".to_string()];
        let e = vec!["were excluded".to_string()];
        let phrases = Phrases::new([&q, &p, &e]);
        assert_eq!(phrases.range(PhraseList::QualifierCues), 0..2);
        assert_eq!(phrases.range(PhraseList::ProcessCues), 2..3);
        assert_eq!(phrases.range(PhraseList::Eligibility), 3..4);
        let text = "X. Patients WERE excluded, not increased.";
        let mut hits = SentenceHits::default();
        let got = hits.get(&phrases, 0, text, (3, text.len())).to_vec();
        assert_eq!(got, vec![(3, 9, 22), (0, 24, 27), (2, 28, 35), (1, 28, 36)]);
        // asked again: the same hits, not searched again
        assert_eq!(hits.get(&phrases, 0, text, (3, text.len())), &got[..]);
        assert_eq!(hits.hits.len(), 4);
        // an empty list set finds nothing
        let none = Phrases::new([&[], &[], &[]]);
        assert!(SentenceHits::default().get(&none, 0, text, (0, 5)).is_empty());
    }
}
