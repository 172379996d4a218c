//! The shape of a tagging stage, and the records of what it decided.
//!
//! A stage takes the document and the mentions so far and returns the mentions it passes on
//! ([`Stage::run`]). What it decided, and why, goes to a [`Recorder`] as [`Decision`]s: a
//! mention kept, dropped, added or changed, the [`Rule`] that decided it (each stage's own rule
//! enum, holding the text that decided it) and the mention itself. On the normal tagging path the
//! recorder is [`NoRecord`]: its methods are empty and inlined, and a decision is built only by a
//! closure that is then never called, so recording costs nothing there; `explain` runs the same
//! stages with a [`Log`] and prints what they recorded.
//!
//! Adding a stage: write it in a file of its own under `src/tag/` with a rule enum and an
//! `impl Stage`, add its variant to [`StageId`] and [`Rule`], and call it in
//! [`crate::tag::Tagger::tag_recorded`] where it runs.

use std::fmt;

use super::abbrev::{AbbreviationRule, Definition};
use super::longer_names::LongerNameRule;
use super::matcher::{MatchRule, Matcher, Mention, Scratch};
use super::phrases::{Hit, Phrases, SentenceHits};
use super::qualifiers::QualifierRule;
use super::roles::RoleRule;
use super::states::StateRule;
use crate::document::Document;
use crate::normalize::{self, Normalized};
use crate::ontology::Ontology;

/// What every stage sees of the document being tagged.
pub struct Context<'a> {
    pub doc: &'a Document,
    pub ontology: &'a Ontology,
    /// The compiled vocabulary, for stages that match text of their own (a long form alone).
    pub matcher: &'a Matcher,
    /// Per-thread buffers.
    pub scratch: &'a mut Scratch,
    /// Each section's sentences, split when a stage first asks (see [`Context::sentences`]).
    pub sentences: Vec<Option<Vec<(usize, usize)>>>,
    /// The phrases the sentence-level stages look for, compiled together.
    pub phrases: &'a Phrases,
    /// The phrases found so far, per sentence searched (see [`Context::phrases`]).
    hits: SentenceHits,
    /// The case-preserving normal forms of the sections that hold non-ASCII text, made once
    /// for every stage that reads them (see [`CaseForms`]).
    pub forms: CaseForms,
    /// The character offset at which each section starts ([`Document::section_starts`]),
    /// counted once for every stage: the matcher, the abbreviations and the states each counted
    /// them, 0.07 G instructions of the 2.68 G of issue 19's plain-text run (BENCHMARKS.md,
    /// "Issue 19: the plain-text run, third pass").
    pub section_starts: Vec<usize>,
}

impl<'a> Context<'a> {
    /// A context for tagging `doc`, no section split yet.
    pub fn new(
        doc: &'a Document,
        ontology: &'a Ontology,
        matcher: &'a Matcher,
        phrases: &'a Phrases,
        scratch: &'a mut Scratch,
    ) -> Self {
        Context {
            doc,
            ontology,
            matcher,
            scratch,
            sentences: Vec::new(),
            phrases,
            hits: SentenceHits::default(),
            forms: CaseForms::default(),
            section_starts: doc.section_starts(),
        }
    }

    /// Every phrase of every list of [`Phrases`] in `(from, to)` of section `section` (a
    /// sentence), offsets relative to `from`: searched once per document whichever stage asks.
    pub fn phrases(&mut self, section: u32, span: (usize, usize)) -> &[Hit] {
        let text = self.doc.sections[section as usize].text.as_str();
        self.hits.get(self.phrases, section, text, span)
    }

    /// The sentence spans of section `section` ([`crate::sentence::sentence_spans`]), split once
    /// per document whichever stages ask: roles and qualifiers both look within sentences, and
    /// splitting in each cost 13.5 M instructions on the sepsis subset, once 9.2 M (BENCHMARKS.md).
    pub fn sentences(&mut self, section: usize) -> &[(usize, usize)] {
        if self.sentences.len() < self.doc.sections.len() {
            self.sentences.resize(self.doc.sections.len(), None);
        }
        let text = self.doc.sections[section].text.as_str();
        self.sentences[section].get_or_insert_with(|| crate::sentence::sentence_spans(text))
    }
}

/// The case-preserving normal forms ([`normalize::normalize`] without folding) of a
/// document's sections that hold non-ASCII text, each made once, when a stage first asks: the
/// matcher searches the form of a section whose folded form is its copy with ASCII capitals
/// lower-cased ([`normalize::folds_by_ascii_case`]: nearly every one) through its DFA, which
/// reads ASCII capitals as small letters, instead of folding the section again; the
/// abbreviation stage finds the definitions in it and then the uses of their short forms.
/// (Normalised twice, folded for the matcher and case-preserving for the abbreviations, the
/// sections cost 0.12 G instructions more of the 2.79 G of issue 19's plain-text run;
/// BENCHMARKS.md, "Issue 19: the plain-text run, third pass".) ASCII text is its own
/// case-preserving normal form but for runs of white space, which every reader of it reads the
/// same, and is not copied.
#[derive(Debug, Default)]
pub struct CaseForms {
    /// By section: not yet asked for, or the form (None for ASCII text) and whether it folds by
    /// ASCII case (learnt while normalising, [`normalize::normalize_case_into`]). Whether a
    /// text is ASCII is kept too: the abbreviation stage asks for every section's form several
    /// times, and testing the text each time was 9 M instructions of issue 19's plain-text run.
    forms: Vec<Option<Option<(Normalized, bool)>>>,
}

impl CaseForms {
    /// The normal form of section `section`, whose text is `text`; None for ASCII text.
    pub fn get(&mut self, section: usize, text: &str) -> Option<&Normalized> {
        self.entry(section, text).map(|(form, _)| form)
    }

    /// [`CaseForms::get`], only where the form folds by ASCII case
    /// ([`normalize::folds_by_ascii_case`]): the form the matcher searches.
    pub fn get_folding(&mut self, section: usize, text: &str) -> Option<&Normalized> {
        self.entry(section, text)
            .filter(|(_, folds)| *folds)
            .map(|(form, _)| form)
    }

    fn entry(&mut self, section: usize, text: &str) -> Option<&(Normalized, bool)> {
        if self.forms.len() <= section {
            self.forms.resize_with(section + 1, || None);
        }
        self.forms[section]
            .get_or_insert_with(|| {
                (!text.is_ascii()).then(|| {
                    let mut form = Normalized::default();
                    let folds = normalize::normalize_case_into(text, &mut form);
                    (form, folds)
                })
            })
            .as_ref()
    }
}

/// One step from a document to its mentions.
pub trait Stage {
    /// Which stage this is, in the records.
    const ID: StageId;

    /// The mentions passed on, in document order, given those so far (in document order).
    /// Every decision worth explaining goes to `rec`.
    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention>;
}

/// The stages, in the order they run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum StageId {
    /// [`crate::tag::matcher`]: terms found as whole words.
    Match,
    /// [`crate::tag::abbrev`]: definitions and conditional abbreviations.
    Abbreviations,
    /// [`crate::tag::states`]: states written as phrases ("EC dysfunction").
    States,
    /// [`crate::tag::longer_names`]: mentions inside longer names.
    LongerNames,
    /// [`crate::tag::roles`]: whether each mention evidences its categories.
    Roles,
    /// [`crate::tag::qualifiers`]: negated, hedged, which way it changed.
    Qualifiers,
}

impl StageId {
    pub fn name(self) -> &'static str {
        match self {
            StageId::Match => "match",
            StageId::Abbreviations => "abbreviations",
            StageId::States => "states",
            StageId::LongerNames => "longer names",
            StageId::Roles => "roles",
            StageId::Qualifiers => "qualifiers",
        }
    }
}

/// What a stage did with a mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Passed on, for the reason the rule gives.
    Kept,
    /// Not passed on (for the matcher: a candidate that did not become a mention).
    Dropped,
    /// A mention the stage made.
    Added,
    /// Passed on changed; the decision's mention is the new one.
    Changed { from: Mention },
}

impl Outcome {
    pub fn as_str(&self) -> &'static str {
        match self {
            Outcome::Kept => "kept",
            Outcome::Dropped => "dropped",
            Outcome::Added => "added",
            Outcome::Changed { .. } => "changed",
        }
    }
}

/// Why: one variant per stage, each holding that stage's own rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rule {
    Match(MatchRule),
    Abbreviations(AbbreviationRule),
    States(StateRule),
    LongerNames(LongerNameRule),
    Roles(RoleRule),
    Qualifiers(QualifierRule),
}

impl Rule {
    /// The stage the rule belongs to.
    pub fn stage(&self) -> StageId {
        match self {
            Rule::Match(_) => StageId::Match,
            Rule::Abbreviations(_) => StageId::Abbreviations,
            Rule::States(_) => StageId::States,
            Rule::LongerNames(_) => StageId::LongerNames,
            Rule::Roles(_) => StageId::Roles,
            Rule::Qualifiers(_) => StageId::Qualifiers,
        }
    }

    /// The rule for people, naming the text that decided it.
    pub fn describe(&self, ontology: &Ontology) -> String {
        match self {
            Rule::Match(r) => r.describe(),
            Rule::Abbreviations(r) => r.describe(),
            Rule::States(r) => r.describe(ontology),
            Rule::LongerNames(r) => r.describe(ontology),
            Rule::Roles(r) => r.describe(ontology),
            Rule::Qualifiers(r) => r.describe(),
        }
    }
}

/// One decision of one stage about one mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The mention decided about (a dropped one as it was; an added or changed one as it is now).
    pub mention: Mention,
    pub outcome: Outcome,
    pub rule: Rule,
}

impl Decision {
    pub fn stage(&self) -> StageId {
        self.rule.stage()
    }
}

/// What a stage found that is not a decision about one mention.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Note {
    /// An abbreviation the document defines.
    Definition(Definition),
}

/// Where stages send their records.
pub trait Recorder {
    /// Whether records are kept: a stage may skip work whose only use is a record.
    fn on(&self) -> bool;
    /// Record a decision; `decision` is called only when records are kept.
    fn decide(&mut self, decision: impl FnOnce() -> Decision);
    /// Record a finding; `note` is called only when records are kept.
    fn note(&mut self, note: impl FnOnce() -> Note);
}

/// The recorder of the normal tagging path: keeps nothing, costs nothing.
#[derive(Debug, Clone, Copy, Default)]
pub struct NoRecord;

impl Recorder for NoRecord {
    #[inline(always)]
    fn on(&self) -> bool {
        false
    }

    #[inline(always)]
    fn decide(&mut self, _: impl FnOnce() -> Decision) {}

    #[inline(always)]
    fn note(&mut self, _: impl FnOnce() -> Note) {}
}

/// Every record, in the order the stages made them (for `explain`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Log {
    pub decisions: Vec<Decision>,
    pub notes: Vec<Note>,
}

impl Recorder for Log {
    fn on(&self) -> bool {
        true
    }

    fn decide(&mut self, decision: impl FnOnce() -> Decision) {
        self.decisions.push(decision());
    }

    fn note(&mut self, note: impl FnOnce() -> Note) {
        self.notes.push(note());
    }
}

/// Record `outcome` by `rule` for `mention` (a shorthand for stages).
#[inline(always)]
pub fn decide<R: Recorder>(rec: &mut R, mention: &Mention, outcome: Outcome, rule: impl FnOnce() -> Rule) {
    rec.decide(|| Decision {
        mention: *mention,
        outcome,
        rule: rule(),
    });
}

impl fmt::Display for StageId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (section, text, whether it has a form): the form is the text's case-preserving normal
    /// form, asked for once or again, in any order of sections.
    #[test]
    fn case_forms_table() {
        let table: &[(usize, &str, bool)] = &[
            (2, "TNF-α  rises", true),
            (0, "plain  ASCII", false),
            (2, "TNF-α  rises", true),
            (1, "ﬁbrin", true),
            (0, "plain  ASCII", false),
            (5, "", false),
            (1, "ﬁbrin", true),
        ];
        let mut forms = CaseForms::default();
        for &(section, text, has) in table {
            let want = has.then(|| normalize::normalize(text, false));
            assert_eq!(forms.get(section, text), want.as_ref(), "{section} {text:?}");
        }
    }
}
