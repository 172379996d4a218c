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

use std::ops::Range;

use super::matcher::Mention;
use super::phrases::{Hit, PhraseList};
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
    /// A `phrase:` cue: it governs the noun phrase after it only.
    phrase: bool,
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
    /// The cues' texts, searched with the roles stage's phrases in one automaton
    /// ([`crate::tag::phrases`], the first list): pattern ids index them.
    texts: Vec<String>,
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
                p.before |= matches!(cue.side, Side::Before | Side::Phrase | Side::Anywhere);
                p.after |= matches!(cue.side, Side::After | Side::Anywhere);
                p.phrase |= cue.side == Side::Phrase;
                continue;
            }
            patterns.push(Pattern {
                kind: cue.kind,
                before: matches!(cue.side, Side::Before | Side::Phrase | Side::Anywhere),
                after: matches!(cue.side, Side::After | Side::Anywhere),
                phrase: cue.side == Side::Phrase,
                prefix,
                open_start: !body.chars().next().is_some_and(is_word_char),
                open_end: !body.chars().last().is_some_and(is_word_char),
            });
            texts.push(body);
        }
        // the last pattern, found by hand, not by the automaton: a stop that ends a sentence the
        // splitter kept whole ("factor V. No evidence ...")
        patterns.push(Pattern {
            kind: CueKind::Terminator,
            before: true,
            after: true,
            phrase: false,
            prefix: false,
            open_start: true,
            open_end: true,
        });
        Cues { texts, patterns }
    }

    /// The cues' texts (lower case, a final `*` taken off), for [`crate::tag::phrases::Phrases`].
    pub fn texts(&self) -> &[String] {
        &self.texts
    }

    /// Every cue in `text[from..to]`, overlaps resolved longest first (then leftmost), in text
    /// order, given the phrases found there (`hits`; the cues are those with an id in `cues`,
    /// the list [`PhraseList::QualifierCues`]).
    fn find(&self, text: &str, (from, to): (usize, usize), hits: &[Hit], cues: &Range<u32>, out: &mut Vec<Found>) {
        out.clear();
        let hay = &text[from..to];
        for &(id, s, e) in hits {
            if !cues.contains(&id) {
                // another stage's phrase
                continue;
            }
            let p = self.patterns[(id - cues.start) as usize];
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
            // a cue word written with a capital inside the sentence is a name ("in May 2020")
            let name = word.chars().next().is_some_and(char::is_uppercase)
                && word.chars().skip(1).all(|c| !c.is_uppercase())
                && word.chars().any(|c| c.is_lowercase())
                && !word.contains(' ')
                && hay[..s]
                    .trim_end()
                    .rsplit(char::is_whitespace)
                    .next()
                    .and_then(|w| w.chars().next())
                    .is_some_and(char::is_lowercase);
            if ok_start && ok_end && !capitals && !name {
                out.push(Found {
                    start: from + s,
                    end: from + end,
                    pattern: id,
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
        // "but not" before an adverbial or a clause ("but not once they ...") contrasts two
        // clauses: it ends a clause like "but"; before a noun phrase ("X but not Y may ...") it
        // negates that phrase only
        let stop = (self.patterns.len() - 1) as u32;
        let mut split = Vec::new();
        for f in kept.iter_mut() {
            let t = &text[f.start..f.end];
            if t.len() == 7 && t.eq_ignore_ascii_case("but not") {
                let next = tokens(&text[f.end..to]).next().map_or("", |(_, w)| w);
                if next.is_empty() || is_in(next, CLAUSE_BREAKS) || is_in(next, ADVERBIALS) {
                    // "but" ends the clause, "not" still negates what follows it
                    split.push(Found {
                        start: f.start + 4,
                        end: f.end,
                        pattern: f.pattern,
                    });
                    *f = Found {
                        start: f.start,
                        end: f.start + 3,
                        pattern: stop,
                    };
                }
            }
        }
        kept.append(&mut split);
        // a stop followed by a capital inside the sentence: a sentence end the splitter did not see
        let stop = (self.patterns.len() - 1) as u32;
        for i in memchr::memchr_iter(b'.', hay.as_bytes()) {
            if hay.as_bytes().get(i + 1) != Some(&b' ') {
                continue;
            }
            let next = hay[i + 2..].chars().next();
            let prev = hay[..i].chars().next_back();
            if next.is_some_and(char::is_uppercase) && prev.is_some_and(|c| is_word_char(c) || c == ')') {
                kept.push(Found {
                    start: from + i,
                    end: from + i + 1,
                    pattern: stop,
                });
            }
        }
        kept.sort_by_key(|f| f.start);
        *out = kept;
    }

    /// The qualifiers of `m` given the cues of its sentence, and (when `explain`) the rule.
    /// `starts` holds the byte starts of the section's mentions, sorted (a comma before another
    /// mention is a list, not the end of a phrase).
    fn qualify(
        &self,
        text: &str,
        sentence: (usize, usize),
        found: &[Found],
        m: &Mention,
        starts: &[u32],
        explain: bool,
    ) -> (Qualifiers, Option<QualifierRule>) {
        let (ms, me) = (m.byte_start as usize, m.byte_end as usize);
        // the clause, and an island the mention is not in (a subordinate clause the sentence
        // opens with, a non-restrictive relative clause): its cues do not count
        let mut lo = sentence.0;
        let mut hi = sentence.1;
        let mut islands: [(usize, usize); 2] = [(0, 0); 2];
        let mut n_islands = 0;
        for f in found {
            let kind = self.patterns[f.pattern as usize].kind;
            let condition = kind == CueKind::Hedge
                && (text[f.start..f.end].eq_ignore_ascii_case("if")
                    || text[f.start..f.end].eq_ignore_ascii_case("unless"));
            // ", suggesting that ...": a participle hedge after a comma opens a clause of its own
            // that qualifies what follows it
            if kind == CueKind::Hedge
                && f.start >= me
                && text[..f.start].trim_end().ends_with(',')
                && tokens(&text[f.start..f.end])
                    .next()
                    .is_some_and(|(_, w)| w.len() > 4 && w.ends_with("ing"))
            {
                hi = hi.min(f.start);
                continue;
            }
            if kind != CueKind::Terminator && !condition {
                continue;
            }
            if condition {
                // "If X occurs, Y is given": the condition clause the sentence opens with is an
                // island; its "if" hedges what is inside only
                if !text[sentence.0..f.start].chars().any(is_word_char)
                    && let Some(comma) = clause_comma(text, f.end, sentence.1)
                    && !(ms >= f.end && me <= comma)
                    && n_islands < islands.len()
                {
                    islands[n_islands] = (f.start, comma);
                    n_islands += 1;
                }
                continue;
            }
            // a clause the sentence opens with ("Although X rose, Y did not"), and a relative
            // clause after a comma (", which ..."), end at their comma
            let opens = !text[sentence.0..f.start].chars().any(is_word_char);
            let relative = text[sentence.0..f.start].trim_end().ends_with(',') && is_relative(&text[f.start..f.end]);
            if opens || relative {
                let end = clause_comma(text, f.end, sentence.1);
                if let Some(comma) = end {
                    if ms >= f.end && me <= comma {
                        lo = lo.max(f.end);
                        hi = hi.min(comma);
                    } else if n_islands < islands.len() {
                        islands[n_islands] = (f.start, comma);
                        n_islands += 1;
                    }
                    continue;
                }
            }
            if f.end <= ms {
                lo = lo.max(f.end);
            } else if f.start >= me {
                hi = hi.min(f.start);
            }
        }
        // "To determine whether X, Y was measured": an infinitive of purpose the sentence opens
        // with ends at its comma, like an opening subordinate clause, when a clause follows the
        // comma (not the rest of a series: "To investigate if X was associated with death,
        // thrombosis, and the shift in Y.")
        if tokens(&text[sentence.0..sentence.1])
            .next()
            .is_some_and(|(_, t)| t.eq_ignore_ascii_case("to"))
            && let Some(comma) = clause_comma(text, sentence.0, sentence.1)
            && main_clause(&text[comma + 1..sentence.1])
        {
            if me <= comma {
                hi = hi.min(comma);
            } else if n_islands < islands.len() {
                islands[n_islands] = (sentence.0, comma);
                n_islands += 1;
            }
        }
        let islands = &islands[..n_islands];
        // the mention names the population or the condition of the statement ("patients on
        // heparin", "during inflammation"): only the cues inside that phrase are about it
        // the mention only modifies a noun after it ("VTE risk assessment tools", "the TXA
        // group"): only a cue right before it is about it. Both are looked for once, when a
        // negation or hedge cue is within reach (most mentions have none)
        let mut frames: Option<(usize, bool)> = None;
        // the nearest usable cue of each kind: (distance, after?, found)
        let mut best: [Option<(u32, bool, Found)>; 4] = [None; 4];
        let mut agent: Option<(u32, bool, Found)> = None;
        for f in found {
            if f.start < lo || f.end > hi {
                continue;
            }
            if islands.iter().any(|&(a, b)| f.start >= a && f.end <= b) {
                continue;
            }
            let p = self.patterns[f.pattern as usize];
            // the window first: words are counted only as far as it reaches (an agent must stand
            // right next to the mention); counting every gap to the widest window cost the stage
            // 4.6 M more instructions on the sepsis subset (BENCHMARKS.md)
            let (slot, window) = match p.kind {
                CueKind::Negation if p.phrase => (0, PHRASE_WINDOW),
                CueKind::Negation => (0, NEGATION_WINDOW),
                CueKind::Hedge if p.phrase => (1, HEDGE_WINDOW),
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
            // a `phrase:` cue's longer reach is forward only; after the mention it is a negation cue
            // like the others ("X ... with virtually no clotting activity")
            let window = if after && slot == 0 { NEGATION_WINDOW } else { window };
            // a clause-level negation reaches over a series to its last item ("did not induce
            // hemolysis, clotting, or platelet aggregation"), as far as a phrase cue
            let series = |gap: &str| {
                gap.contains(',')
                    && tokens(gap).last().is_some_and(|(_, t)| is_in(t, &["and", "or", "nor"]))
                    && phrase_reaches(gap, false)
            };
            let distance = if distance > window
                && slot == 0
                && !after
                && !p.phrase
                && series(&text[f.end..ms])
                && words(&text[f.end..ms], PHRASE_WINDOW) <= PHRASE_WINDOW
            {
                window
            } else {
                distance
            };
            if distance > window {
                continue;
            }
            // a cue inside brackets the mention is outside of ("coagulopathy (INR >2.5)")
            let gap = if after { &text[me..f.start] } else { &text[f.end..ms] };
            let (open, close) = gap.bytes().fold((0i32, 0i32), |(o, c), b| match b {
                b'(' | b'[' => (o + 1, c),
                b')' | b']' => (o, c + 1),
                _ => (o, c),
            });
            let inside = slot == 0 && close > open;
            if (after && (open > close || inside)) || (!after && close > open) {
                continue;
            }
            // a prefix cue ("non-") says something of the word it is attached to only
            // ("non-steroidal drugs or heparins", "the no-progesterone group")
            let hyphen = text[f.end..].starts_with('-');
            let prefix = text[f.start..f.end].ends_with('-') || hyphen;
            let attached = f.end == ms || (hyphen && f.end + 1 == ms);
            if !after && prefix && !attached {
                continue;
            }
            if slot <= 1 {
                // negation and hedging: is the statement about the mention?
                let (frame, modifier) =
                    *frames.get_or_insert_with(|| (frame_start(text, lo, ms), modifies_head(text, me, hi)));
                if frame > lo && (f.end <= frame || after) {
                    continue;
                }
                if modifier && (after || distance > 0) {
                    continue;
                }
                // a cue that is itself an item of a list ("age, female sex, no surgical repair,
                // ...") governs its own item only
                let item = {
                    let before = text[lo..f.start].trim_end();
                    before.ends_with(',') || before.ends_with(" and") || before.ends_with(" or")
                };
                // "no difference between patients on heparin and controls": the groups compared;
                // unless the phrase then names what differs ("no difference between the groups
                // for X", "... in terms of X", "... with regard to X")
                let mut gap = gap;
                if contains_ci(&text[f.start..f.end], "differ") && breaks(gap, COMPARED) {
                    match reopened(gap) {
                        Some(rest) if !after => gap = rest,
                        _ => continue,
                    }
                }
                if !after && p.phrase && !phrase_reaches(gap, item) {
                    continue;
                }
                if !after && !p.phrase && slot == 0 && breaks(gap, CLAUSE_BREAKS) {
                    continue;
                }
                if after && slot == 0 && !comma_list(text, me, f.start, starts) {
                    continue;
                }
                // "X and no Y", "X, not Y", "X with no Y": the cue opens a phrase of its own;
                // "X in patients not protected": it is said of the population noun before it
                if after && slot == 0 && {
                    let w = gap.trim_end();
                    w.ends_with(',')
                        || tokens(w)
                            .last()
                            .is_some_and(|(_, t)| is_in(t, &["and", "or", "with", "but", "nor"]) || is_in(t, HEADS))
                } {
                    continue;
                }
                // ", suggesting that ...", ", possibly ...": a hedge right after a comma qualifies
                // what follows it
                if after
                    && slot == 1
                    && gap.trim_end().ends_with(',')
                    && tokens(&text[f.start..f.end])
                        .next()
                        .is_some_and(|(_, w)| w.ends_with("ing") || w.ends_with("ly"))
                {
                    continue;
                }
                if slot == 1 && is_finding_could(text, lo, f) {
                    continue;
                }
                // "X ligands were identified ... that could be involved in Y": a hedge in a
                // relative clause after the mention's own passive or perfect verb group is said
                // of a noun of its predicate (the stated finding decides); not after a copula
                // and its noun ("X is one factor that may contribute": said of X)
                if after && slot == 1 && relative_after_verb(gap) {
                    continue;
                }
                // "Consistent with these observations, X ...": a hedge phrase that opens the
                // sentence ends at its comma
                if !after
                    && slot == 1
                    && p.phrase
                    && gap.contains(',')
                    && !text[sentence.0..f.start].chars().any(is_word_char)
                {
                    continue;
                }
                // "we did not measure X", "X was not assessed": the study's action is denied, not
                // the thing
                if slot == 0
                    && tokens(&text[f.end..hi])
                        .find(|(_, t)| !is_in(t, &["been", "yet", "directly", "specifically", "routinely"]))
                        .is_some_and(|(_, t)| is_in(t, STUDY_ACTIONS))
                {
                    continue;
                }
            } else if after && !comma_list(text, me, f.start, starts) {
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
        // and so does one before an agent noun ("FXIa inhibitors", "TNF antagonists"), or after a
        // participle and "by" that modifies a noun before them ("the response mediated by
        // TLR-2"); not the predicate's agent ("was induced by LPS")
        if let Some((_, after, f)) = agent
            && (after || names_agent(text, lo, &f))
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

/// A `phrase:` cue scopes this many words (a noun phrase with its list: "without any
/// concomitant destructive pulmonary disease or coagulopathy").
pub const PHRASE_WINDOW: u32 = 12;

/// The auxiliaries and modals of a verb group: with [`CLAUSE_BREAKS`] they end the noun phrase
/// a `phrase:` cue governs ([`is_phrase_break`]).
const VERB_GROUP: &[&str] = &[
    "is", "are", "was", "were", "be", "been", "being", "am", "has", "have", "had", "do", "does", "did", "can", "could",
    "may", "might", "will", "would", "should", "must", "shall",
];

/// Words that end the scope of a clause-level negation before the mention ("did not experience
/// recurrent VTE during anticoagulation"): a subordinate or relative clause, a comparison, a
/// condition.
const CLAUSE_BREAKS: &[&str] = &[
    "that",
    "which",
    "who",
    "whom",
    "whose",
    "where",
    "when",
    "whereas",
    "while",
    "because",
    "since",
    "although",
    "though",
    "if",
    "unless",
    "than",
    "versus",
    "vs",
    "compared",
    "during",
    "after",
    "before",
    "following",
    "among",
    "under",
    "despite",
    "throughout",
];

/// Nouns that make a mention before them a modifier naming a population, a group, an instrument
/// or a part ("sepsis patients", "the TXA group", "VTE risk assessment tools", "DIC score").
const HEADS: &[&str] = &[
    "patient",
    "patients",
    "subject",
    "subjects",
    "participant",
    "participants",
    "group",
    "groups",
    "arm",
    "arms",
    "cohort",
    "cohorts",
    "population",
    "populations",
    "cases",
    "mice",
    "rats",
    "animals",
    "women",
    "men",
    "children",
    "infants",
    "neonates",
    "users",
    "recipients",
    "survivors",
    "nonsurvivors",
    "non-survivors",
    "donors",
    "volunteers",
    "controls",
    "tool",
    "tools",
    "score",
    "scores",
    "scale",
    "scales",
    "model",
    "models",
    "assay",
    "assays",
    "kit",
    "kits",
    "guideline",
    "guidelines",
    "protocol",
    "protocols",
    "criteria",
    "trial",
    "trials",
    "study",
    "studies",
    "registry",
    "registries",
    "unit",
    "units",
    "ward",
    "wards",
    "strategy",
    "strategies",
    "program",
    "programs",
    "programme",
    "setting",
    "settings",
    "centre",
    "centres",
    "center",
    "centers",
    "test",
    "tests",
    "testing",
    // a part of the thing named as the head ("enzyme-antithrombin complexes", "an mtDNA
    // segment", "platelet glycoproteins"): the statement is about the part
    "complex",
    "complexes",
    "segment",
    "segments",
    "glycoprotein",
    "glycoproteins",
    "site",
    "sites",
];

/// Words that, after a population noun, introduce what the population has ("patients on
/// heparin", "patients with DIC").
const FRAME_LINKS: &[&str] = &[
    "with",
    "on",
    "receiving",
    "undergoing",
    "taking",
    "given",
    "treated",
    "without",
    "having",
    "who",
];

/// Nouns of an action taken on a thing or of a thing that acts on it: "X of <mention>" states
/// nothing of the mention itself.
const ACTIONS: &[&str] = &[
    "prevention",
    "treatment",
    "management",
    "therapy",
    "prophylaxis",
    "regulator",
    "regulators",
    "modulator",
    "modulators",
];

/// Prepositions that make what follows the condition of the statement ("during inflammation").
const FRAME_PREPS: &[&str] = &[
    "during",
    "under",
    "after",
    "following",
    "throughout",
    "before",
    "when",
    "once",
    "post",
];

/// Verbs that present what follows as a finding: a "could" after them is an ability found ("we
/// found that LPS could up-regulate ..."), not a possibility.
const FINDINGS: &[&str] = &[
    "found that",
    "find that",
    "finds that",
    "showed that",
    "show that",
    "shows that",
    "shown that",
    "demonstrated that",
    "demonstrate that",
    "demonstrates that",
    "revealed that",
    "reveal that",
    "reveals that",
    "observed that",
    "confirmed that",
];

/// The words of `s` (runs of word characters and inner hyphens), lower-cased on comparison, with
/// the punctuation between them: `(offset, token)`, a token being a word or one of `,;()[]`.
fn tokens(s: &str) -> impl Iterator<Item = (usize, &str)> + Clone {
    let mut i = 0;
    std::iter::from_fn(move || {
        let rest = &s[i..];
        let skip = rest.find(|c: char| !c.is_whitespace())?;
        let start = i + skip;
        let c = s[start..].chars().next()?;
        let end = if is_word_char(c) {
            start
                + s[start..]
                    .char_indices()
                    .find(|&(j, c)| {
                        !(is_word_char(c)
                            || ((c == '-' || c == '\'') && s[start + j + 1..].chars().next().is_some_and(is_word_char)))
                    })
                    .map_or(s.len() - start, |(j, _)| j)
        } else {
            start + c.len_utf8()
        };
        i = end;
        Some((start, &s[start..end]))
    })
}

fn is_in(word: &str, list: &[&str]) -> bool {
    // the lists hold short words: a long one is in none of them
    word.len() <= 15 && list.iter().any(|w| w.eq_ignore_ascii_case(word))
}

/// Whether a word ends the noun phrase a `phrase:` cue governs: a verb group, a subordinate or
/// relative clause, a comparison, a condition ("during", "after").
fn is_phrase_break(t: &str) -> bool {
    is_in(t, VERB_GROUP) || is_in(t, CLAUSE_BREAKS)
}

fn is_relative(t: &str) -> bool {
    t.eq_ignore_ascii_case("which") || t.eq_ignore_ascii_case("who")
}

/// Does a word of `list` stand in `gap`, outside brackets?
fn breaks(gap: &str, list: &[&str]) -> bool {
    let mut depth = 0u32;
    for (_, t) in tokens(gap) {
        match t {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            _ if depth == 0 && is_in(t, list) => return true,
            _ => {}
        }
    }
    false
}

/// Does the noun phrase a `phrase:` cue governs reach over `gap` to the mention? Not past a
/// verb group, a subordinate, comparison or condition word, nor a comma and a conjunction that
/// is no series ("versus no treatment/placebo, and LMWH versus UFH"); a series goes on ("no
/// thrombosis, bleeding, or DIC").
fn phrase_reaches(gap: &str, item: bool) -> bool {
    let mut depth = 0u32;
    let mut preps = 0;
    let mut commas = 0;
    let mut after_comma = false;
    let mut conjunction = false;
    let mut toks = tokens(gap).peekable();
    while let Some((_, t)) = toks.next() {
        match t {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            "," => {
                // a comma after the list's conjunction ends it ("without fat or a formula
                // ..., the fatty acid composition of platelets"); so does any comma when the
                // cue is an item of a list itself
                if (conjunction) || item {
                    return false;
                }
                commas += 1;
                after_comma = true;
                continue;
            }
            ";" => return false,
            _ => {
                if is_phrase_break(t) {
                    // "no difference was found in X": the phrase goes on after a passive of
                    // finding
                    let found = is_in(t, &["was", "were", "is", "are", "been"])
                        && toks.peek().is_some_and(|&(_, w)| is_in(w, FOUND));
                    if !found {
                        return false;
                    }
                }
                let conj = is_in(t, &["and", "or", "nor"]);
                if after_comma && commas == 1 && conj {
                    return false;
                }
                // "absent adhesiveness and a reduced aggregation": an indefinite article after the
                // conjunction opens a noun phrase the cue does not govern
                if conj && toks.peek().is_some_and(|&(_, w)| is_in(w, &["a", "an"])) {
                    return false;
                }
                // the head noun takes one prepositional complement ("no difference in",
                // "no protection to the lungs"); a second preposition opens a setting ("... in
                // resuscitating patients from septic shock"); "of" goes on
                if is_in(t, PREPOSITIONS) {
                    preps += 1;
                    if preps > 1 {
                        return false;
                    }
                }
                conjunction |= conj;
            }
        }
        after_comma = false;
    }
    true
}

/// Prepositions that head a complement or a setting ("of" is no such: it goes on with the noun).
const PREPOSITIONS: &[&str] = &[
    "in",
    "on",
    "to",
    "for",
    "with",
    "at",
    "from",
    "by",
    "into",
    "within",
    "between",
    "regarding",
    "about",
    "against",
    "toward",
    "towards",
    "across",
    "through",
    "via",
    "upon",
    "over",
    "beyond",
];

/// Verbs of a study's own actions: negated, they deny the action, not the thing acted on ("we
/// did not measure oxidative stress").
const STUDY_ACTIONS: &[&str] = &[
    "measure",
    "measured",
    "assess",
    "assessed",
    "evaluate",
    "evaluated",
    "examine",
    "examined",
    "investigate",
    "investigated",
    "study",
    "studied",
    "test",
    "tested",
    "analyse",
    "analysed",
    "analyze",
    "analyzed",
    "include",
    "included",
    "consider",
    "considered",
    "address",
    "addressed",
    "explore",
    "explored",
    "record",
    "recorded",
    "collect",
    "collected",
    "quantify",
    "quantified",
    "monitor",
    "monitored",
];

/// Words that introduce the groups compared after "no difference" ("between", "among").
const COMPARED: &[&str] = &["between", "among", "versus", "vs"];

/// Words that, after the groups compared, introduce what differs ("no difference between the
/// groups for X", "in terms of X", "with regard to X", "with respect to X", "regarding X").
const DIFFERS_IN: &[&str] = &["for", "regarding", "concerning", "terms", "regard", "respect"];

/// The part of `gap` (from a "no difference" cue to the mention) after the words that name what
/// differs, once the groups compared are named; `None` when the mention is one of the groups.
fn reopened(gap: &str) -> Option<&str> {
    let mut groups = false;
    let mut depth = 0u32;
    let mut toks = tokens(gap).peekable();
    let mut rest = None;
    while let Some((at, t)) = toks.next() {
        match t {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            _ if depth > 0 => {}
            _ if is_in(t, COMPARED) => {
                groups = true;
                rest = None;
            }
            _ if groups && is_in(t, DIFFERS_IN) => {
                // "in terms of", "with regard to": the phrase starts after the preposition
                let mut end = at + t.len();
                if let Some(&(a, w)) = toks.peek()
                    && is_in(w, &["of", "to"])
                {
                    end = a + w.len();
                }
                rest = Some(&gap[end..]);
            }
            _ => {}
        }
    }
    rest
}

/// Participles that, after "was"/"were", state that the phrase before them was (not) found.
const FOUND: &[&str] = &[
    "found",
    "observed",
    "seen",
    "noted",
    "detected",
    "identified",
    "shown",
    "demonstrated",
    "evident",
    "present",
    "apparent",
    "recorded",
    "reported",
    "noticed",
];

/// Words that follow the "-ing" of a participle phrase rather than an adjective's noun.
const PARTICIPLE_OBJECTS: &[&str] = &[
    "in", "to", "a", "an", "the", "from", "with", "by", "of", "on", "at", "for", "into", "that", "its", "their",
];

/// Words after "but not" that show it contrasts a clause, not a noun phrase.
const ADVERBIALS: &[&str] = &[
    "once", "in", "at", "on", "by", "for", "with", "to", "from", "as", "until", "yet", "always", "all",
];

/// Between the mention (ending at `me`) and a cue after it (at `cue`): no comma, or only commas
/// of a list of mentions (", fibrinogen and platelets were not"); a comma before anything else
/// ends the mention's phrase (", as evaluated by ..., was not reduced"; ", possibly at ...").
fn comma_list(text: &str, me: usize, cue: usize, starts: &[u32]) -> bool {
    let gap = &text[me..cue];
    if !gap.contains(',') {
        return true;
    }
    let mut depth = 0u32;
    let mut toks = tokens(gap).peekable();
    while let Some((_, t)) = toks.next() {
        match t {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            "," if depth == 0 => {
                let mut next = toks.peek().copied();
                if let Some((_, w)) = next
                    && is_in(w, &["and", "or"])
                {
                    toks.next();
                    next = toks.peek().copied();
                }
                match next {
                    Some((at, _)) if starts.binary_search(&((me + at) as u32)).is_ok() => {}
                    _ => return false,
                }
            }
            _ => {}
        }
    }
    true
}

/// Where the cues about a mention at `ms` may start: after a population noun and its link
/// ("patients on heparin", "patients without DIC": the cue inside counts) or a condition
/// preposition ("during inflammation") up to four words before it; else `lo`.
fn frame_start(text: &str, lo: usize, ms: usize) -> usize {
    // six words lie within the last 80 bytes but for long words; a word cut there is skipped
    let mut base = ms.saturating_sub(80).max(lo);
    while !text.is_char_boundary(base) {
        base += 1;
    }
    let cut = base > lo && text[..base].chars().next_back().is_some_and(is_word_char);
    // the last six words before the mention, after the last comma or bracket
    let mut last: [(usize, &str); 6] = [(0, ""); 6];
    let mut n = 0;
    for (i, (at, t)) in tokens(&text[base..ms]).enumerate() {
        if i == 0 && cut {
            continue;
        }
        if t.len() == 1 && !t.chars().all(is_word_char) {
            n = 0;
            continue;
        }
        if n == last.len() {
            last.rotate_left(1);
            n -= 1;
        }
        last[n] = (base + at, t);
        n += 1;
    }
    let words = &last[..n];
    for k in (0..words.len()).rev() {
        let (at, w) = words[k];
        if is_in(w, FRAME_PREPS) {
            return at + w.len();
        }
        // ("the groups with regard to X" names what differs, not what the groups have)
        if is_in(w, FRAME_LINKS)
            && k > 0
            && is_in(words[k - 1].1, HEADS)
            && !words.get(k + 1).is_some_and(|&(_, n)| is_in(n, &["regard", "respect"]))
        {
            return at;
        }
        // an action taken on the mention, or an agent named by it ("prevention and treatment of
        // sepsis do not seem attainable", "regulators of blood coagulation")
        if w.eq_ignore_ascii_case("of") && k > 0 && is_in(words[k - 1].1, ACTIONS) {
            return at;
        }
    }
    lo
}

/// Does a population, group or instrument noun follow the mention within its noun phrase (up to
/// three words, none a function word)?
fn modifies_head(text: &str, me: usize, hi: usize) -> bool {
    let after = &text[me..hi];
    for (_, t) in tokens(after)
        .filter(|(_, t)| !t.chars().all(|c| "-−/+".contains(c)))
        .take(3)
    {
        if !t.chars().next().is_some_and(is_word_char) {
            return false;
        }
        if is_in(t, HEADS) {
            return true;
        }
        if is_phrase_break(t)
            || is_in(
                t,
                &[
                    "of", "in", "and", "or", "to", "by", "for", "from", "at", "on", "with", "as",
                ],
            )
        {
            return false;
        }
    }
    false
}

/// Does `gap` (from a mention to a cue after it) end with a relative pronoun after a passive or
/// perfect verb group ("were identified ... that")?
fn relative_after_verb(gap: &str) -> bool {
    let (mut prev, mut last, mut verb) = ("", "", false);
    for (_, t) in tokens(gap) {
        verb |= is_in(prev, VERB_GROUP) && (t.len() > 3 && t.ends_with("ed") || is_in(t, FOUND));
        prev = t;
        last = t;
    }
    verb && is_in(last, &["that", "which"])
}

/// Does `rest` (what follows a comma) hold a clause of its own: a verb group or a subject
/// pronoun, before which no comma and conjunction continue a series?
fn main_clause(rest: &str) -> bool {
    let mut comma = false;
    for (_, t) in tokens(rest) {
        if is_in(t, VERB_GROUP) || is_in(t, &["we", "they", "i"]) {
            return true;
        }
        if comma && is_in(t, &["and", "or"]) {
            return false;
        }
        comma = t == ",";
    }
    false
}

/// Is the agent cue `f` before a mention a participle and "by" after a noun ("the response
/// mediated by"), not after an auxiliary ("was induced by") nor opening its clause?
fn names_agent(text: &str, lo: usize, f: &Found) -> bool {
    let cue = &text[f.start..f.end];
    if cue.len() < 4 || !cue[cue.len() - 3..].eq_ignore_ascii_case(" by") || f.start < lo {
        return false;
    }
    match tokens(&text[lo..f.start]).last() {
        Some((_, w)) => w.chars().next().is_some_and(is_word_char) && !is_in(w, VERB_GROUP) && !is_in(w, ADVERBS),
        None => false,
    }
}

/// Adverbs that stand between an auxiliary and its participle ("was not induced by", "is
/// mainly mediated by").
const ADVERBS: &[&str] = &[
    "not",
    "also",
    "mainly",
    "mostly",
    "largely",
    "partly",
    "partially",
    "primarily",
    "predominantly",
    "only",
    "possibly",
    "probably",
    "likely",
    "directly",
    "indirectly",
    "further",
    "strongly",
    "significantly",
    "often",
    "frequently",
    "commonly",
    "usually",
    "typically",
];

/// Does `hay` contain `needle` (ASCII case-insensitive)?
fn contains_ci(hay: &str, needle: &str) -> bool {
    hay.as_bytes()
        .windows(needle.len())
        .any(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// Is the hedge cue `f` a "could" after a verb of finding in its clause (an ability found)?
fn is_finding_could(text: &str, lo: usize, f: &Found) -> bool {
    if !text[f.start..f.end].eq_ignore_ascii_case("could") || f.start < lo {
        return false;
    }
    let before = text[lo..f.start].to_ascii_lowercase();
    FINDINGS.iter().any(|v| before.contains(v))
}

/// The comma that ends a clause opened at `from` (a subordinate clause the sentence opens with,
/// a relative clause): the first comma outside brackets that is not followed by a participle or
/// "including" (which go on with the clause); `None` when there is none before `to`.
fn clause_comma(text: &str, from: usize, to: usize) -> Option<usize> {
    let part = &text[from..to];
    let mut depth = 0u32;
    let mut toks = tokens(part).peekable();
    while let Some((at, t)) = toks.next() {
        match t {
            "(" | "[" => depth += 1,
            ")" | "]" => depth = depth.saturating_sub(1),
            "," if depth == 0 => {
                // a participle phrase goes on: "-ing" before a preposition or determiner
                // (", resulting in ..."), not an adjective before its noun (", underlying
                // conditions may ...")
                let mut ahead = toks.clone();
                let goes_on = match ahead.next() {
                    Some((_, w)) if w.eq_ignore_ascii_case("including") => true,
                    Some((_, w))
                        if w.len() > 4 && w.ends_with("ing") && w.chars().next().is_some_and(char::is_lowercase) =>
                    {
                        ahead.next().is_some_and(|(_, w)| is_in(w, PARTICIPLE_OBJECTS))
                    }
                    _ => false,
                };
                if !goes_on {
                    return Some(from + at);
                }
            }
            _ => {}
        }
    }
    None
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
    let bytes = gap.as_bytes();
    let mut i = 0;
    // bytes, not chars: an ASCII byte is decided without decoding (the stage's commonest loop),
    // by one look-up in a table of its classes (comparing it with each class's bytes cost 6.9 M
    // instructions on the sepsis subset, the table 4.9 M; BENCHMARKS.md)
    while i < bytes.len() && n <= limit {
        let b = bytes[i];
        let (space, word) = if b < 0x80 {
            let class = ASCII_CLASS[usize::from(b)];
            if class & (OPEN | CLOSE) != 0 {
                if class & OPEN != 0 {
                    depth += 1;
                } else {
                    depth = depth.saturating_sub(1);
                }
            }
            i += 1;
            (class & SPACE != 0, class & WORD != 0)
        } else {
            let c = gap[i..].chars().next().unwrap_or(' ');
            i += c.len_utf8();
            (c.is_whitespace(), is_word_char(c))
        };
        if space {
            in_word = false;
        } else if depth == 0 && word && !in_word {
            in_word = true;
            n += 1;
        }
    }
    n
}

/// The classes of the ASCII bytes for [`words`]: white space (as [`char::is_whitespace`]), a word
/// character (as [`is_word_char`]), an opening or a closing bracket.
const SPACE: u8 = 1;
const WORD: u8 = 2;
const OPEN: u8 = 4;
const CLOSE: u8 = 8;
const ASCII_CLASS: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = match c {
            b' ' | b'\t'..=b'\r' => SPACE,
            b'(' | b'[' => OPEN,
            b')' | b']' => CLOSE,
            _ if c.is_ascii_alphanumeric() => WORD,
            _ => 0,
        };
        b += 1;
    }
    t
};

/// The last stage: every mention gets its qualifiers; a mention with a non-default value is
/// recorded as changed, the others as kept, each with the cues and the clause.
impl Stage for Cues {
    const ID: StageId = StageId::Qualifiers;

    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mut mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        if self.texts.is_empty() {
            // an ontology without cues: nothing to qualify, nothing to explain
            return mentions;
        }
        let doc = cx.doc;
        let mut section = u32::MAX;
        let mut sentence_now = (usize::MAX, 0);
        let mut found: Vec<Found> = Vec::new();
        // the byte starts of each section's mentions, sorted
        let mut starts: Vec<u32> = Vec::new();
        for i in 0..mentions.len() {
            let m = mentions[i];
            let text = doc.sections[m.section as usize].text.as_str();
            if m.section != section {
                section = m.section;
                sentence_now = (usize::MAX, 0);
                starts.clear();
                starts.extend(mentions.iter().filter(|x| x.section == section).map(|x| x.byte_start));
                starts.sort_unstable();
            }
            let spans = cx.sentences(m.section as usize);
            let s = sentence::span_at(spans, m.byte_start as usize).unwrap_or((0, text.len()));
            // a mention across a sentence end (rare) keeps its own end
            let s = (s.0.min(m.byte_start as usize), s.1.max(m.byte_end as usize));
            if s != sentence_now {
                let cues = cx.phrases.range(PhraseList::QualifierCues);
                self.find(text, s, cx.phrases(m.section, s), &cues, &mut found);
                sentence_now = s;
            }
            let (mut q, mut rule) = self.qualify(text, s, &found, &m, &starts, rec.on());
            // an abbreviation in brackets right after a mention ("human umbilical vein
            // endothelial cells (HUVECs)") says what that mention says
            if i > 0 {
                let prev = mentions[i - 1];
                if prev.section == m.section
                    && prev.byte_end <= m.byte_start
                    && text[prev.byte_end as usize..m.byte_start as usize].trim() == "("
                    && text[m.byte_end as usize..].starts_with(')')
                    && prev.qualifiers != q
                {
                    q = prev.qualifiers;
                    if let Some(r) = rule.as_mut() {
                        r.polarity = q.polarity;
                        r.certainty = q.certainty;
                        r.direction = q.direction;
                        r.cues.clear();
                        r.scope = format!("the abbreviation of {:?} before it, qualified as that", prev.text(doc));
                    }
                }
            }
            let from = m;
            mentions[i].qualifiers = q;
            if let Some(rule) = rule {
                let outcome = if q == Qualifiers::default() {
                    Outcome::Kept
                } else {
                    Outcome::Changed { from }
                };
                let mention = mentions[i];
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

    #[test]
    fn the_ascii_classes_are_those_of_the_chars() {
        for b in 0u8..128 {
            let c = char::from(b);
            let class = ASCII_CLASS[usize::from(b)];
            assert_eq!(class & SPACE != 0, c.is_whitespace(), "{b}");
            assert_eq!(class & WORD != 0, is_word_char(c), "{b}");
            assert_eq!(class & OPEN != 0, c == '(' || c == '[', "{b}");
            assert_eq!(class & CLOSE != 0, c == ')' || c == ']', "{b}");
        }
    }

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
            // a phrase cue governs its noun phrase and its list, not a setting after it
            (
                "No thrombosis, bleeding or DIC occurred.",
                "DIC",
                "negated stated none |No|| ",
            ),
            (
                "Patients without DIC had lower D-dimer.",
                "DIC",
                "negated stated none |without|| ",
            ),
            (
                "There was no difference between patients on heparin and controls.",
                "heparin",
                "affirmed stated none ||| ",
            ),
            (
                "Heparin did not reduce bleeding during sepsis.",
                "bleeding",
                "negated stated none |not|| ",
            ),
            (
                "Heparin did not change bleeding during sepsis.",
                "sepsis",
                "affirmed stated none ||| ",
            ),
            ("D-dimer may rise during sepsis.", "sepsis", "affirmed stated none ||| "),
            // "non-" says something of the word it is attached to
            (
                "Non-steroidal drugs or heparin were given.",
                "heparin",
                "affirmed stated none ||| ",
            ),
            // a hedge after a comma qualifies what follows it
            (
                "D-dimer was elevated, suggesting that DIC may develop.",
                "D-dimer",
                "affirmed stated up ||| was elevated",
            ),
            // a modifier of a population noun
            (
                "Sepsis patients may develop DIC.",
                "Sepsis",
                "affirmed stated none ||| ",
            ),
            // "could" after a verb of finding is an ability found
            (
                "We found that LPS could up-regulate tissue factor expression.",
                "tissue factor expression",
                "affirmed stated up ||| up-regulate",
            ),
            // a condition clause the sentence opens with
            (
                "If bleeding occurs, heparin is stopped.",
                "bleeding",
                "affirmed hedged none ||If| ",
            ),
            (
                "If bleeding occurs, heparin is stopped.",
                "heparin",
                "affirmed stated none ||| ",
            ),
            // the groups compared, then what differs
            (
                "There was no difference between the two groups in terms of bleeding.",
                "bleeding",
                "negated stated none |no difference|| ",
            ),
            // a mention that names the agent of another thing
            (
                "The response mediated by TNF may be increased.",
                "TNF",
                "affirmed stated none ||| ",
            ),
            (
                "TNF inhibitors may reduce mortality.",
                "TNF",
                "affirmed stated none ||| ",
            ),
            // a part named as the head
            (
                "The antithrombin complex did not inhibit clotting.",
                "antithrombin",
                "affirmed stated none ||| ",
            ),
            // a clause-level negation over a series
            (
                "The particles did not induce hemolysis, clotting, or platelet aggregation.",
                "platelet aggregation",
                "negated stated none |not|| ",
            ),
            // the study's own action denied
            (
                "We did not measure oxidative stress.",
                "oxidative stress",
                "affirmed stated none ||| ",
            ),
            // an indefinite article after the conjunction opens a new noun phrase
            (
                "They had absent adhesion and a reduced platelet aggregation.",
                "platelet aggregation",
                "affirmed stated down ||| reduced",
            ),
            // an infinitive of purpose the sentence opens with
            (
                "To determine whether DIC develops, D-dimer was measured.",
                "D-dimer",
                "affirmed stated none ||| ",
            ),
            (
                "To investigate if D-dimer was associated with death, thrombosis, and bleeding.",
                "bleeding",
                "affirmed hedged none ||if| ",
            ),
            // a hedge in a relative clause after the mention's own verb group
            (
                "Platelets were found in the clot that may cause bleeding.",
                "Platelets",
                "affirmed stated none ||| ",
            ),
            // a hedge phrase that opens the sentence ends at its comma
            (
                "Consistent with these data, heparin was given.",
                "heparin",
                "affirmed stated none ||| ",
            ),
            // pseudo-triggers and knowledge gaps
            (
                "Cells were cultured in the presence or absence of heparin.",
                "heparin",
                "affirmed stated none ||| ",
            ),
            (
                "The role of IL-6 has not been thoroughly described.",
                "IL-6",
                "affirmed hedged none ||not been thoroughly described| ",
            ),
            (
                "Thrombin could no longer be generated.",
                "Thrombin",
                "negated stated none |could no longer|| ",
            ),
            (
                "There was no evidence to suggest an association of bleeding with heparin.",
                "bleeding",
                "negated stated none |no evidence to suggest|| ",
            ),
            (
                "D-dimer was not significantly associated with death.",
                "D-dimer",
                "negated stated none |not significantly|| ",
            ),
            // a negation right after a population noun is said of it
            (
                "Bleeding occurred in patients not given heparin.",
                "Bleeding",
                "affirmed stated none ||| ",
            ),
            // cues adopted from the ConText/NegEx lexicons and the `hedges` list (docs/qualifiers.md,
            // "Where the cue words come from")
            (
                "The patient didn't develop sepsis.",
                "sepsis",
                "negated stated none |didn't|| ",
            ),
            (
                "We cannot exclude sepsis.",
                "sepsis",
                "affirmed hedged none ||cannot exclude| ",
            ),
            (
                "Sepsis was not ruled out.",
                "Sepsis",
                "affirmed hedged none ||not ruled out| ",
            ),
            (
                "It is not certain that heparin reduces bleeding.",
                "heparin",
                "affirmed hedged none ||not certain| ",
            ),
            (
                "Congenital coagulation disorder was excluded.",
                "coagulation disorder",
                "negated stated none |was excluded|| ",
            ),
            (
                "The smear was suspicious for disseminated intravascular coagulation.",
                "disseminated intravascular coagulation",
                "affirmed hedged none ||suspicious| ",
            ),
            (
                "A cytokine storm conceivably contributes to organ failure.",
                "cytokine storm",
                "affirmed hedged none ||conceivably| ",
            ),
            (
                "Apart from sepsis, heparin may reduce bleeding.",
                "sepsis",
                "affirmed stated none ||| ",
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
