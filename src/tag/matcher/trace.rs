//! Why each candidate did or did not become a mention: the matcher's rules replayed slowly and
//! recorded, for `coagtag explain` and `coagtag stats`.
//!
//! [`Matcher::trace`] finds the same mentions as [`Matcher::find`] (a test checks this on real
//! abstracts) and also every candidate that a rule rejected, with the rule.

use super::{EntryKind, Matcher, Via, is_boundary};
use crate::normalize::{self, CharCounter};
use crate::ontology::ConceptId;

/// The match stage's rules: why a candidate became a mention or did not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MatchRule {
    /// Kept: a whole word (in the ontology's case, for an abbreviation), inside no exclude phrase
    /// of its concept, and no other match took its place.
    Matched,
    /// A letter or digit stands right outside it (`TF` inside `TFPI`).
    NotWholeWord { before: Option<char>, after: Option<char> },
    /// An abbreviation whose case differs in the text (`Tf` for `TF`).
    CaseMismatch { found: String, want: String },
    /// It lies inside one of its concept's `exclude` phrases.
    Excluded { phrase: String },
    /// Another mention took its place: one starting earlier, or a longer one starting at the same
    /// place.
    Overlapped {
        by: ConceptId,
        by_text: String,
        longer: bool,
    },
}

impl MatchRule {
    /// A short description for people.
    pub fn describe(&self) -> String {
        match self {
            MatchRule::Matched => "a whole word, and no other match took its place".to_string(),
            MatchRule::NotWholeWord { before, after } => match (before, after) {
                (Some(b), Some(a)) => format!("not a whole word ({b:?} before, {a:?} after)"),
                (Some(b), None) => format!("not a whole word ({b:?} before)"),
                (None, Some(a)) => format!("not a whole word ({a:?} after)"),
                (None, None) => "not a whole word".to_string(),
            },
            MatchRule::CaseMismatch { found, want } => {
                format!("case differs: abbreviations match exactly ({found:?} in the text, {want:?} in the ontology)")
            }
            MatchRule::Excluded { phrase } => format!("inside the exclude phrase {phrase:?}"),
            MatchRule::Overlapped { by_text, longer, .. } => {
                if *longer {
                    format!("a longer match won ({by_text:?})")
                } else {
                    format!("an earlier match won ({by_text:?})")
                }
            }
        }
    }
}

/// One candidate and the rule that decided it. Offsets are characters (and bytes) of the traced text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Traced {
    pub start: u32,
    pub end: u32,
    pub byte_start: u32,
    pub byte_end: u32,
    pub concept: ConceptId,
    /// Index into the concept's terms.
    pub term: u32,
    pub variant: bool,
    pub via: Via,
    pub rule: MatchRule,
}

impl Matcher {
    /// Every candidate in `text` with the rule that decided it, ordered by start, then longest first.
    pub fn trace(&self, text: &str) -> Vec<Traced> {
        let norm = normalize::normalize(text, true);
        let hay = norm.text.as_str();
        let mut chars = CharCounter::new(text);
        let mut spans: Vec<(usize, usize, usize, usize)> = Vec::new(); // (s, e, os, oe) per candidate
        let mut out: Vec<Traced> = Vec::new();
        let mut excl: Vec<(usize, usize, ConceptId)> = Vec::new();
        let mut raw: Vec<(usize, usize, u32)> = Vec::new();
        self.all_occurrences(hay, &mut |s, e, pattern| {
            let (a, b) = self.ranges[pattern];
            for ei in a..b {
                raw.push((s, e, ei));
            }
        });
        raw.sort_by_key(|&(s, e, ei)| (s, std::cmp::Reverse(e), ei));
        for (s, e, ei) in raw {
            let entry = &self.entries[ei as usize];
            if entry.kind == EntryKind::Exclude {
                if is_boundary(hay, s, e) {
                    excl.push((s, e, entry.concept));
                }
                continue;
            }
            let (os, oe) = norm.original_span(text, s, e);
            let rule = if !is_boundary(hay, s, e) {
                let before = text[..os].chars().next_back().filter(|&c| normalize::is_word_char(c));
                let after = text[oe..].chars().next().filter(|&c| normalize::is_word_char(c));
                MatchRule::NotWholeWord { before, after }
            } else if let Some(want) = &entry.case {
                let found = normalize::canonical(&text[os..oe]);
                if found != **want {
                    MatchRule::CaseMismatch {
                        found: text[os..oe].to_string(),
                        want: want.to_string(),
                    }
                } else {
                    MatchRule::Matched
                }
            } else {
                MatchRule::Matched
            };
            let start = chars.chars_at(os) as u32;
            let end = chars.chars_at(oe) as u32;
            let traced = Traced {
                start,
                end,
                byte_start: os as u32,
                byte_end: oe as u32,
                concept: entry.concept,
                term: entry.term,
                variant: entry.variant,
                via: entry.via,
                rule,
            };
            // one candidate per (span, concept): the first entry (declared before variant) stands,
            // unless a later one passes where it failed (`vWF` and `VWF` share a pattern)
            let same = out
                .iter()
                .zip(&spans)
                .position(|(t, sp)| sp.0 == s && sp.1 == e && t.concept == entry.concept);
            match same {
                Some(i) if out[i].rule != MatchRule::Matched && traced.rule == MatchRule::Matched => out[i] = traced,
                Some(_) => {}
                None => {
                    out.push(traced);
                    spans.push((s, e, os, oe));
                }
            }
        }
        // exclusions
        for (t, sp) in out.iter_mut().zip(&spans) {
            if t.rule != MatchRule::Matched {
                continue;
            }
            if let Some(&(xs, xe, _)) = excl
                .iter()
                .find(|&&(xs, xe, xc)| xc == t.concept && xs <= sp.0 && sp.1 <= xe)
            {
                let (pos, poe) = norm.original_span(text, xs, xe);
                t.rule = MatchRule::Excluded {
                    phrase: text[pos..poe].to_string(),
                };
            }
        }
        // leftmost-longest selection among the valid candidates (same order as `find`)
        let mut order: Vec<usize> = (0..out.len()).filter(|&i| out[i].rule == MatchRule::Matched).collect();
        order.sort_by_key(|&i| {
            let t = &out[i];
            (
                spans[i].0,
                std::cmp::Reverse(spans[i].1),
                t.concept,
                t.variant,
                t.via,
                t.term,
            )
        });
        let mut chosen: Vec<usize> = Vec::new();
        let mut last_end = 0usize;
        let mut k = 0;
        while k < order.len() {
            let i = order[k];
            let (s, e) = (spans[i].0, spans[i].1);
            if s < last_end {
                let winner = *chosen
                    .iter()
                    .rev()
                    .find(|&&w| spans[w].0 < e && s < spans[w].1)
                    .expect("an overlapping winner");
                let longer = spans[winner].0 == s;
                out[i].rule = MatchRule::Overlapped {
                    by: out[winner].concept,
                    by_text: text[spans[winner].2..spans[winner].3].to_string(),
                    longer,
                };
                k += 1;
                continue;
            }
            while k < order.len() && spans[order[k]].0 == s && spans[order[k]].1 == e {
                chosen.push(order[k]);
                k += 1;
            }
            last_end = e;
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ontology::load_texts;

    const VOCAB: &str = "concepts:\n  - {id: tf, label: TF, synonyms: [tissue factor], abbreviations: [TF], exclude: [TF binding site]}\n  - {id: tfpi, label: TFPI, synonyms: [tissue factor pathway inhibitor]}\n";

    #[test]
    fn every_rule_is_named() {
        let o = load_texts(&[("v.yaml", VOCAB)]).unwrap();
        let m = Matcher::new(&o);
        let text = "TFPI, Tf, the TF binding site, tissue factor pathway inhibitor, TF";
        let got: Vec<(String, String, String)> = m
            .trace(text)
            .iter()
            .map(|t| {
                (
                    text[t.byte_start as usize..t.byte_end as usize].to_string(),
                    o.concept(t.concept).id.clone(),
                    t.rule.describe(),
                )
            })
            .collect();
        let want = [
            ("TF", "tf", "not a whole word ('P' after)"),
            (
                "Tf",
                "tf",
                "case differs: abbreviations match exactly (\"Tf\" in the text, \"TF\" in the ontology)",
            ),
            ("TF", "tf", "inside the exclude phrase \"TF binding site\""),
            (
                "tissue factor pathway inhibitor",
                "tfpi",
                "a whole word, and no other match took its place",
            ),
            (
                "tissue factor",
                "tf",
                "a longer match won (\"tissue factor pathway inhibitor\")",
            ),
            ("TF", "tf", "a whole word, and no other match took its place"),
        ];
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want);
    }
}
