//! Tagging: from a document to its mentions, through the stages in the order they run.
//!
//! ```text
//! Document -> matcher -> abbrev -> states -> longer_names -> roles -> qualifiers -> mentions
//! ```
//!
//! * [`matcher`]: the compiled vocabulary finds every whole-word mention of a term (a new
//!   matching rule goes here);
//! * [`abbrev`]: the document's own abbreviation definitions and the ontology's conditional
//!   abbreviations are applied;
//! * [`states`]: states written as phrases ("EC dysfunction", "dysfunctional endothelium")
//!   become mentions of the state (`state_of:` in the ontology);
//! * [`longer_names`]: mentions that are only part of a longer name are dropped;
//! * [`roles`]: each mention's role, and whether it evidences its categories (the roll-up);
//! * [`qualifiers`]: each mention is qualified (negated? hedged? up or down?) by the cue words
//!   of its clause.
//!
//! Stages 5 and 6 look for phrases in the sentence of each mention (process cues, eligibility
//! phrases, qualifier cues): [`phrases`] compiles the lists into one automaton and finds them in
//! one pass per sentence, whichever stage asks first; [`scan`] is the pass of a DFA over a text
//! that the matcher and the phrases share.
//!
//! Each stage is a [`Stage`] ([`stage`] describes the shape): it takes the document and the
//! mentions so far and returns the mentions it passes on, recording what it decided and why
//! ([`Decision`]). [`Tagger::tag`] records nothing; [`Tagger::explain`] keeps every record, for
//! `coagtag explain`. A new stage is a new file here, called in [`Tagger::tag_recorded`].

pub mod abbrev;
pub mod longer_names;
pub mod matcher;
pub mod phrases;
pub mod qualifiers;
pub mod roles;
pub mod scan;
pub mod stage;
pub mod states;

use crate::document::{Document, Section};
use crate::ontology::{Ontology, OntologyErrors, OntologySource};
use abbrev::Abbreviations;
use longer_names::LongerNames;
use matcher::{Matcher, Mention, Scratch, check_examples_with};
use phrases::Phrases;
use qualifiers::Cues;
use roles::Roles;
pub use stage::{Context, Decision, Log, NoRecord, Note, Outcome, Recorder, Rule, Stage, StageId};
use states::States;

/// An ontology compiled for tagging, its examples verified: the stages, set up.
#[derive(Debug, Clone)]
pub struct Tagger {
    pub ontology: Ontology,
    /// Stage 1: the compiled vocabulary.
    pub matcher: Matcher,
    /// Stage 2: definitions and conditional abbreviations.
    pub abbreviations: Abbreviations,
    /// Stage 3: the ontology's `state_of:`, resolved per concept.
    pub states: States,
    /// Stage 4: the ontology's `longer_name_words`, resolved per concept.
    pub longer_names: LongerNames,
    /// Stage 5: roles and process cues, resolved per concept.
    pub roles: Roles,
    /// Stage 6: the qualifier cues, resolved.
    pub cues: Cues,
    /// The phrases stages 5 and 6 look for in a sentence (process cues, eligibility phrases,
    /// qualifier cues), compiled into one automaton.
    pub phrases: Phrases,
    /// Which of the stages that only annotate mentions run ([`Stages`]); all by default.
    pub stages: Stages,
}

/// The stages that only annotate the mentions the others found: roles (a mention's role and
/// roll-up) and qualifiers (negated, hedged, up or down). Neither adds, drops or moves a
/// mention, so a run whose products read neither can leave them out
/// ([`crate::output::products::ProductPaths::stages`]); the stages that decide what is a
/// mention always run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stages {
    pub roles: bool,
    pub qualifiers: bool,
}

impl Stages {
    /// Every stage (`explain`, and every product but the concept matrix).
    pub const ALL: Stages = Stages {
        roles: true,
        qualifiers: true,
    };
    /// The mentions alone, unannotated: their roles and qualifiers left at their defaults.
    pub const MENTIONS: Stages = Stages {
        roles: false,
        qualifiers: false,
    };
}

/// A document's mentions with every record the stages made (see [`Tagger::explain`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Explained {
    /// The mentions, as [`Tagger::tag`] returns them.
    pub mentions: Vec<Mention>,
    /// What each stage decided, stage by stage, in the order decided.
    pub decisions: Vec<Decision>,
    /// What the stages found besides (the abbreviations the document defines).
    pub notes: Vec<Note>,
}

impl Tagger {
    /// Load, validate and compile ontologies. Every problem, example sentences included, is
    /// reported together.
    pub fn load(sources: &[OntologySource]) -> Result<Tagger, OntologyErrors> {
        Tagger::from_ontology(crate::ontology::load(sources)?)
    }

    /// Compile an already loaded ontology and verify its example sentences.
    pub fn from_ontology(ontology: Ontology) -> Result<Tagger, OntologyErrors> {
        let roles = Roles::new(&ontology);
        let cues = Cues::new(&ontology);
        let eligibility: Vec<String> = roles::ELIGIBILITY.iter().map(|p| p.to_string()).collect();
        let tagger = Tagger {
            matcher: Matcher::new(&ontology),
            abbreviations: Abbreviations::new(&ontology),
            states: States::new(&ontology),
            longer_names: LongerNames::new(&ontology),
            phrases: Phrases::new([cues.texts(), roles.cue_texts(), &eligibility]),
            roles,
            cues,
            stages: Stages::ALL,
            ontology,
        };
        let problems = check_examples_with(&tagger.ontology, &|s| {
            let doc = Document::new("example", vec![Section::new("text", s)]);
            tagger.tag(&doc, &mut Scratch::default())
        });
        if problems.is_empty() {
            Ok(tagger)
        } else {
            Err(OntologyErrors(problems))
        }
    }

    /// The mentions in a document, in document order.
    pub fn tag(&self, doc: &Document, scratch: &mut Scratch) -> Vec<Mention> {
        self.tag_recorded(doc, scratch, &mut NoRecord, self.stages)
    }

    /// The mentions in a document, each stage's decisions going to `rec`, with the annotating
    /// stages `stages` ([`Tagger::tag`] runs those of [`Tagger::stages`], [`Tagger::explain`]
    /// every one). The stages, in the order they run.
    pub fn tag_recorded<R: Recorder>(
        &self,
        doc: &Document,
        scratch: &mut Scratch,
        rec: &mut R,
        stages: Stages,
    ) -> Vec<Mention> {
        let mut cx = Context::new(doc, &self.ontology, &self.matcher, &self.phrases, scratch);
        let mentions = self.matcher.run(&mut cx, Vec::new(), rec);
        let mentions = self.abbreviations.run(&mut cx, mentions, rec);
        let mentions = self.states.run(&mut cx, mentions, rec);
        let mentions = self.longer_names.run(&mut cx, mentions, rec);
        let mentions = match stages.roles {
            true => self.roles.run(&mut cx, mentions, rec),
            false => mentions,
        };
        match stages.qualifiers {
            true => self.cues.run(&mut cx, mentions, rec),
            false => mentions,
        }
    }

    /// The mentions in a document with every decision of every stage (slower: the matcher also
    /// replays its rules on every candidate). Every stage runs, whatever [`Tagger::stages`] says.
    pub fn explain(&self, doc: &Document) -> Explained {
        let mut log = Log::default();
        let mentions = self.tag_recorded(doc, &mut Scratch::default(), &mut log, Stages::ALL);
        Explained {
            mentions,
            decisions: log.decisions,
            notes: log.notes,
        }
    }
}
