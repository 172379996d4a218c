//! The qualifier stage (runs last): is each mention negated, hedged, and does the sentence say it
//! went up or down? NegEx/ConText-style: cue words from the ontology's `qualifiers:` section
//! ([`crate::ontology::cues`]) scope over the mention when they stand in its clause, on the side
//! their list says, within a few words of it.
//!
//! For each mention:
//!
//! 1. its sentence ([`crate::sentence`]) is searched once for every cue (one Aho-Corasick
//!    automaton over all cues, whole words, case-insensitive; a final `*` in a cue matches a word
//!    start). Overlapping cues resolve longest first, so a pseudo-trigger ("not only", "no
//!    doubt") covers the trigger inside it, and "no significant" is one cue;
//! 2. the clause is the part of the sentence between the terminators ("but", "however", `;`,
//!    ...) around the mention; cues outside it do not count ("IL-6 rose but TNF did not"). A
//!    terminator that opens the sentence ("Although X rose, Y did not") ends its clause at the
//!    next comma;
//! 3. `polarity` is `negated` when a negation cue stands before the mention within
//!    [`NEGATION_WINDOW`] words (a `before:` cue) or after it (an `after:` cue); `certainty` is
//!    `hedged` likewise with a hedge cue within [`HEDGE_WINDOW`] words; the nearest cue decides
//!    and is recorded;
//! 4. `direction` is `none` for a negated mention and for an agent (an `agent:` cue right next
//!    to the mention: "inhibitor of X", "anti-X", "X antagonist", "X-induced Y" for X), and
//!    otherwise the nearest `up:` or `down:` cue within [`DIRECTION_WINDOW`] words (a cue before
//!    the mention wins a tie).
//!
//! Words inside the mention are never its cues ("thrombocytopenia" says no change of itself).
//! Distances count white-space separated words between the cue and the mention.

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use super::matcher::Mention;
use super::stage::{Context, Outcome, Recorder, Rule, Stage, StageId};
use crate::document::Document;
use crate::normalize::is_word_char;
use crate::ontology::Ontology;
use crate::ontology::cues::{CueKind, Side};
use crate::sentence;

/// A negation cue scopes this many words from the mention (NegEx uses five).
pub const NEGATION_WINDOW: u32 = 5;
/// A hedge cue scopes this many words from the mention.
pub const HEDGE_WINDOW: u32 = 20;
/// A change word scopes this many words from the mention.
pub const DIRECTION_WINDOW: u32 = 5;

/// Whether the mention is asserted or denied.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Polarity {
    #[default]
    Affirmed,
    Negated,
}

/// Whether the statement about the mention is a finding or a possibility.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Certainty {
    #[default]
    Stated,
    Hedged,
}

/// Which way the sentence says the mentioned thing changed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub enum Direction {
    #[default]
    None,
    Up,
    Down,
}

impl Polarity {
    pub fn as_str(self) -> &'static str {
        match self {
            Polarity::Affirmed => "affirmed",
            Polarity::Negated => "negated",
        }
    }
}

impl Certainty {
    pub fn as_str(self) -> &'static str {
        match self {
            Certainty::Stated => "stated",
            Certainty::Hedged => "hedged",
        }
    }
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::None => "none",
            Direction::Up => "up",
            Direction::Down => "down",
        }
    }
}

/// A cue's place: byte offsets within the mention's section (`start == end`: no cue).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct CueSpan {
    pub start: u32,
    pub end: u32,
}

impl CueSpan {
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// What the qualifier stage decided about a mention (the defaults until it has run).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
pub struct Qualifiers {
    pub polarity: Polarity,
    pub certainty: Certainty,
    pub direction: Direction,
    pub polarity_cue: CueSpan,
    pub certainty_cue: CueSpan,
    pub direction_cue: CueSpan,
}

impl Qualifiers {
    /// The text of a cue of `mention` (empty for none).
    pub fn cue<'d>(doc: &'d Document, mention: &Mention, span: CueSpan) -> &'d str {
        &doc.sections[mention.section as usize].text[span.start as usize..span.end as usize]
    }

    /// The three cue texts: polarity, certainty, direction.
    pub fn cues<'d>(&self, doc: &'d Document, mention: &Mention) -> [&'d str; 3] {
        [
            Qualifiers::cue(doc, mention, self.polarity_cue),
            Qualifiers::cue(doc, mention, self.certainty_cue),
            Qualifiers::cue(doc, mention, self.direction_cue),
        ]
    }
}

/// One cue that decided a value, for `explain`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CueUse {
    /// `polarity`, `certainty`, `direction` (or `agent` for the cue that made it none).
    pub field: &'static str,
    pub text: String,
    pub side: Side,
    /// Words between the cue and the mention.
    pub distance: u32,
}

/// The qualifier stage's rule: the values, each cue that decided one, and the clause they were
/// looked for in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QualifierRule {
    pub polarity: Polarity,
    pub certainty: Certainty,
    pub direction: Direction,
    pub cues: Vec<CueUse>,
    /// The clause: the mention's scope.
    pub scope: String,
}

impl QualifierRule {
    pub fn describe(&self) -> String {
        let mut out = format!(
            "{}, {}, direction {}",
            self.polarity.as_str(),
            self.certainty.as_str(),
            self.direction.as_str()
        );
        if self.cues.is_empty() {
            out.push_str(" (no cue in its clause)");
        }
        for c in &self.cues {
            out.push_str(&format!(
                "; {} cue {:?} {} it ({} word{} away)",
                c.field,
                c.text,
                c.side.as_str(),
                c.distance,
                if c.distance == 1 { "" } else { "s" }
            ));
        }
        out.push_str(&format!("; scope: {:?}", self.scope));
        out
    }
}

/// One compiled cue pattern.
#[derive(Debug, Clone, Copy)]
struct Pattern {
    kind: CueKind,
    before: bool,
    after: bool,
    /// Written with a final `*`: any word that starts with it.
    prefix: bool,
    /// Needs no word boundary on that side (it starts / ends with punctuation).
    open_start: bool,
    open_end: bool,
}

/// A cue found in a sentence: byte offsets in the section text, and its pattern.
#[derive(Debug, Clone, Copy)]
struct Found {
    start: usize,
    end: usize,
    pattern: u32,
}

/// The stage, its cues compiled.
#[derive(Debug, Clone)]
pub struct Cues {
    automaton: Option<AhoCorasick>,
    patterns: Vec<Pattern>,
}

impl Cues {
    /// Compile the ontology's cues: one pattern per distinct text, its sides merged.
    pub fn new(ontology: &Ontology) -> Cues {
        let mut texts: Vec<String> = Vec::new();
        let mut patterns: Vec<Pattern> = Vec::new();
        for cue in &ontology.cues {
            let lower = cue.text.to_lowercase();
            let (body, prefix) = match lower.strip_suffix('*') {
                Some(b) => (b.trim_end().to_string(), true),
                None => (lower.clone(), false),
            };
            if let Some(i) = texts
                .iter()
                .zip(&patterns)
                .position(|(t, p)| *t == body && p.prefix == prefix)
            {
                let p = &mut patterns[i];
                p.before |= cue.side != Side::After;
                p.after |= cue.side != Side::Before;
                continue;
            }
            patterns.push(Pattern {
                kind: cue.kind,
                before: cue.side != Side::After,
                after: cue.side != Side::Before,
                prefix,
                open_start: !body.chars().next().is_some_and(is_word_char),
                open_end: !body.chars().last().is_some_and(is_word_char),
            });
            texts.push(body);
        }
        let automaton = if texts.is_empty() {
            None
        } else {
            Some(
                AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .match_kind(MatchKind::Standard)
                    // a DFA: built once per run (~25 M instructions for the default cues), then
                    // twice as fast per sentence as the contiguous NFA the builder would choose
                    // (37 M against 18 M instructions on the sepsis subset; BENCHMARKS.md)
                    .kind(Some(AhoCorasickKind::DFA))
                    .build(&texts)
                    .expect("cue patterns compile"),
            )
        };
        Cues { automaton, patterns }
    }

    /// Every cue in `text[from..to]`, overlaps resolved longest first (then leftmost), in text
    /// order.
    fn find(&self, text: &str, (from, to): (usize, usize), out: &mut Vec<Found>) {
        out.clear();
        let Some(ac) = &self.automaton else { return };
        let hay = &text[from..to];
        for m in ac.find_overlapping_iter(hay) {
            let p = self.patterns[m.pattern().as_usize()];
            let (s, e) = (m.start(), m.end());
            let ok_start = p.open_start || !hay[..s].chars().next_back().is_some_and(is_word_char);
            let mut end = e;
            if p.prefix {
                // the rest of the word
                end += hay[e..].find(|c: char| !is_word_char(c)).unwrap_or(hay.len() - e);
            }
            let ok_end = p.prefix || p.open_end || !hay[end..].chars().next().is_some_and(is_word_char);
            // a cue written in lower case is not an abbreviation in capitals ("NO": nitric oxide)
            let word = &hay[s..end];
            let capitals = word.len() <= 3
                && word.chars().filter(|c| c.is_alphabetic()).count() >= 2
                && !word.chars().any(char::is_lowercase);
            if ok_start && ok_end && !capitals {
                out.push(Found {
                    start: from + s,
                    end: from + end,
                    pattern: m.pattern().as_u32(),
                });
            }
        }
        // pseudo-triggers first (they cover the triggers inside them), then longest first; at
        // equal length the leftmost, then the kind listed first
        out.sort_by_key(|f| {
            (
                self.patterns[f.pattern as usize].kind != CueKind::Pseudo,
                std::cmp::Reverse(f.end - f.start),
                f.start,
                self.patterns[f.pattern as usize].kind,
            )
        });
        let mut kept: Vec<Found> = Vec::with_capacity(out.len());
        for f in out.drain(..) {
            // a hyphen agent ("-induced") qualifies the word before it and leaves its own word
            // to what follows ("LPS-induced TF": LPS an agent, TF induced)
            let free = |f: &Found| {
                let p = self.patterns[f.pattern as usize];
                p.kind == CueKind::Agent && p.open_start
            };
            if free(&f) || kept.iter().all(|k| free(k) || f.end <= k.start || f.start >= k.end) {
                kept.push(f);
            }
        }
        kept.sort_by_key(|f| f.start);
        *out = kept;
    }

    /// The qualifiers of `m` given the cues of its sentence, and (when `explain`) the rule.
    fn qualify(
        &self,
        text: &str,
        sentence: (usize, usize),
        found: &[Found],
        m: &Mention,
        explain: bool,
    ) -> (Qualifiers, Option<QualifierRule>) {
        let (ms, me) = (m.byte_start as usize, m.byte_end as usize);
        // the clause
        let mut lo = sentence.0;
        let mut hi = sentence.1;
        for f in found {
            if self.patterns[f.pattern as usize].kind != CueKind::Terminator {
                continue;
            }
            if f.end <= ms {
                lo = lo.max(f.end);
            } else if f.start >= me {
                hi = hi.min(f.start);
            }
            // a clause the sentence opens with ("Although X rose, Y did not") ends at its comma
            let opens = !text[sentence.0..f.start].chars().any(is_word_char);
            if let Some(comma) = text[f.end..sentence.1].find(',').map(|i| f.end + i)
                && opens
            {
                if comma < ms {
                    lo = lo.max(comma + 1);
                } else if comma >= me {
                    hi = hi.min(comma);
                }
            }
        }
        // the nearest usable cue of each kind: (distance, after?, found)
        let mut best: [Option<(u32, bool, Found)>; 4] = [None; 4];
        let mut agent: Option<(u32, bool, Found)> = None;
        for f in found {
            if f.start < lo || f.end > hi {
                continue;
            }
            let p = self.patterns[f.pattern as usize];
            // the window first: words are counted only as far as it reaches (an agent must stand
            // right next to the mention); counting every gap to the widest window cost the stage
            // 4.6 M more instructions on the sepsis subset (BENCHMARKS.md)
            let (slot, window) = match p.kind {
                CueKind::Negation => (0, NEGATION_WINDOW),
                CueKind::Hedge => (1, HEDGE_WINDOW),
                CueKind::Up => (2, DIRECTION_WINDOW),
                CueKind::Down => (3, DIRECTION_WINDOW),
                CueKind::Agent => (AGENT, 0),
                CueKind::Pseudo | CueKind::Terminator => continue,
            };
            let (after, distance) = if f.end <= ms && p.before {
                (false, words(&text[f.end..ms], window))
            } else if f.start >= me && p.after {
                (true, words(&text[me..f.start], window))
            } else {
                continue;
            };
            if slot == AGENT {
                if distance == 0 && agent.is_none() {
                    agent = Some((0, after, *f));
                }
                continue;
            }
            if distance > window {
                continue;
            }
            let better = match best[slot] {
                None => true,
                Some((d, a, _)) => (distance, after) < (d, a),
            };
            if better {
                best[slot] = Some((distance, after, *f));
            }
        }
        // a mention joined by a hyphen to an agent word after it ("LPS-induced", "HMGB1-mediated")
        // only names what another thing is: nothing is said of it
        if let Some((_, true, f)) = agent
            && text[f.start..].starts_with('-')
        {
            let rule = explain.then(|| QualifierRule {
                polarity: Polarity::Affirmed,
                certainty: Certainty::Stated,
                direction: Direction::None,
                cues: vec![CueUse {
                    field: "agent",
                    text: text[f.start..f.end].to_string(),
                    side: Side::After,
                    distance: 0,
                }],
                scope: sentence::display(text[lo..hi].trim()),
            });
            return (Qualifiers::default(), rule);
        }
        let span = |f: &Found| CueSpan {
            start: f.start as u32,
            end: f.end as u32,
        };
        let mut q = Qualifiers::default();
        let mut uses: Vec<(&'static str, (u32, bool, Found))> = Vec::new();
        if let Some(b) = best[0] {
            q.polarity = Polarity::Negated;
            q.polarity_cue = span(&b.2);
            uses.push(("polarity", b));
        }
        if let Some(b) = best[1] {
            q.certainty = Certainty::Hedged;
            q.certainty_cue = span(&b.2);
            uses.push(("certainty", b));
        }
        if q.polarity == Polarity::Affirmed {
            if let Some(a) = agent {
                uses.push(("agent", a));
            } else {
                let direction = match (best[2], best[3]) {
                    (Some(u), Some(d)) if (d.0, d.1) < (u.0, u.1) => Some((Direction::Down, d)),
                    (Some(u), _) => Some((Direction::Up, u)),
                    (None, Some(d)) => Some((Direction::Down, d)),
                    (None, None) => None,
                };
                if let Some((dir, b)) = direction {
                    q.direction = dir;
                    q.direction_cue = span(&b.2);
                    uses.push(("direction", b));
                }
            }
        }
        let rule = explain.then(|| QualifierRule {
            polarity: q.polarity,
            certainty: q.certainty,
            direction: q.direction,
            cues: uses
                .iter()
                .map(|(field, (distance, after, f))| CueUse {
                    field,
                    text: text[f.start..f.end].to_string(),
                    side: if *after { Side::After } else { Side::Before },
                    distance: *distance,
                })
                .collect(),
            scope: sentence::display(text[lo..hi].trim()),
        });
        (q, rule)
    }
}

/// The slot of an agent cue in [`Cues::qualify`] (the four before it: negation, hedge, up, down).
const AGENT: usize = 4;

/// White-space separated words in `gap` that hold a word character, not counting those in
/// brackets (an abbreviation, a statistic, a reference: "D-dimer (DD, p < 0.05) rose"); past
/// `limit` the count stops (the cue is out of scope): the result is exact up to `limit`, and
/// greater than `limit` beyond it.
fn words(gap: &str, limit: u32) -> u32 {
    let mut depth = 0u32;
    let mut n = 0;
    let mut in_word = false;
    for c in gap.chars() {
        if n > limit {
            break;
        }
        match c {
            '(' | '[' => depth += 1,
            ')' | ']' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if c.is_whitespace() {
            in_word = false;
        } else if depth == 0 && is_word_char(c) && !in_word {
            in_word = true;
            n += 1;
        }
    }
    n
}

/// The last stage: every mention gets its qualifiers; a mention with a non-default value is
/// recorded as changed, the others as kept, each with the cues and the clause.
impl Stage for Cues {
    const ID: StageId = StageId::Qualifiers;

    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mut mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        if self.automaton.is_none() {
            // an ontology without cues: nothing to qualify, nothing to explain
            return mentions;
        }
        let doc = cx.doc;
        let mut section = u32::MAX;
        let mut sentence_now = (usize::MAX, 0);
        let mut found: Vec<Found> = Vec::new();
        for m in mentions.iter_mut() {
            let text = doc.sections[m.section as usize].text.as_str();
            if m.section != section {
                section = m.section;
                sentence_now = (usize::MAX, 0);
            }
            let spans = cx.sentences(m.section as usize);
            let s = sentence::span_at(spans, m.byte_start as usize).unwrap_or((0, text.len()));
            // a mention across a sentence end (rare) keeps its own end
            let s = (s.0.min(m.byte_start as usize), s.1.max(m.byte_end as usize));
            if s != sentence_now {
                self.find(text, s, &mut found);
                sentence_now = s;
            }
            let (q, rule) = self.qualify(text, s, &found, m, rec.on());
            let from = *m;
            m.qualifiers = q;
            if let Some(rule) = rule {
                let outcome = if q == Qualifiers::default() {
                    Outcome::Kept
                } else {
                    Outcome::Changed { from }
                };
                let mention = *m;
                rec.decide(|| super::stage::Decision {
                    mention,
                    outcome,
                    rule: Rule::Qualifiers(rule),
                });
            }
        }
        mentions
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Section;
    use crate::tag::Tagger;
    use crate::tag::matcher::Scratch;

    fn tagger() -> Tagger {
        Tagger::load(&[crate::ontology::OntologySource::Default]).unwrap()
    }

    /// (sentence, mention text, polarity, certainty, direction, cues)
    #[test]
    fn qualifies_mentions() {
        let t = tagger();
        let table: &[(&str, &str, &str)] = &[
            ("IL-6 rose but TNF did not.", "IL-6", "affirmed stated up ||| rose"),
            ("IL-6 rose but TNF did not.", "TNF", "negated stated none |not|| "),
            (
                "Plasma D-dimer did not increase.",
                "D-dimer",
                "negated stated none |not|| ",
            ),
            (
                "Increased D-dimer was found.",
                "D-dimer",
                "affirmed stated up ||| Increased",
            ),
            (
                "Tissue factor may be upregulated in sepsis.",
                "Tissue factor",
                "affirmed hedged up ||may| upregulated",
            ),
            (
                "An inhibitor of platelet aggregation was given.",
                "platelet aggregation",
                "affirmed stated none ||| ",
            ),
            (
                "Inhibition of platelet aggregation was seen.",
                "platelet aggregation",
                "affirmed stated down ||| Inhibition of",
            ),
            (
                "Heparin not only reduced thrombin but also increased bleeding.",
                "bleeding",
                "affirmed stated up ||| increased",
            ),
            (
                "There was no doubt that disseminated intravascular coagulation developed.",
                "disseminated intravascular coagulation",
                "affirmed stated none ||| ",
            ),
            (
                "LPS-induced tissue factor expression was measured.",
                "LPS",
                "affirmed stated none ||| ",
            ),
            (
                "LPS-induced tissue factor expression was measured.",
                "tissue factor expression",
                "affirmed stated up ||| induced",
            ),
            (
                "Patients received anti-TNF antibodies.",
                "TNF",
                "affirmed stated none ||| ",
            ),
            (
                "Antithrombin levels did not only fall but also stayed low.",
                "Antithrombin",
                "affirmed stated down ||| fall",
            ),
            (
                "Heparin did not reduce mortality; D-dimer fell.",
                "D-dimer",
                "affirmed stated down ||| fell",
            ),
            (
                "Whether neutrophil extracellular traps are released in sepsis is unknown.",
                "neutrophil extracellular traps",
                "affirmed hedged up ||Whether| released",
            ),
            (
                "Platelet counts decreased, whereas fibrinogen increased.",
                "fibrinogen",
                "affirmed stated up ||| increased",
            ),
            ("NO and D-dimer rose.", "D-dimer", "affirmed stated up ||| rose"),
            (
                "No significant difference in D-dimer was found.",
                "D-dimer",
                "negated stated none |No significant difference|| ",
            ),
        ];
        for (sentence, mention, want) in table {
            let doc = Document::new("t", vec![Section::new("text", *sentence)]);
            let ms = t.tag(&doc, &mut Scratch::default());
            let m = ms
                .iter()
                .find(|m| m.text(&doc) == *mention)
                .unwrap_or_else(|| panic!("{mention} not found in {sentence}"));
            let q = m.qualifiers;
            let [p, c, d] = q.cues(&doc, m);
            let got = format!(
                "{} {} {} |{p}|{c}| {d}",
                q.polarity.as_str(),
                q.certainty.as_str(),
                q.direction.as_str()
            );
            assert_eq!(got.trim_end(), want.trim_end(), "{sentence} / {mention}");
        }
    }
}
