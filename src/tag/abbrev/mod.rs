//! The abbreviation stage: the short forms a document defines, and what they mean there.
//!
//! Abstracts define their own short forms ("neutrophil extracellular traps (NETs)") and reuse
//! common ones in other senses ("TF" for transcription factor). [`definitions`] finds what a
//! document defines; `resolve` applies the definitions and the ontology's conditional
//! abbreviations (`when: defined`, `when: context`) to the matcher's mentions: it drops listed
//! abbreviations the document defines as something else and conditional ones whose condition
//! fails, and adds the uses of defined short forms (and long forms that respell a name) as
//! mentions. Every decision is recorded with its [`AbbreviationRule`].

pub mod definitions;
mod resolve;

pub use definitions::{Definition, find_definitions, find_in_text};

use super::matcher::Mention;
use super::stage::{Context, Note, Recorder, Stage, StageId};
use crate::ontology::Ontology;

/// The abbreviation stage, set up for an ontology.
#[derive(Debug, Clone, Default)]
pub struct Abbreviations {
    /// The ontology's header says `kinds_are_distinct` (vocabularies built from annotated
    /// corpora): a long form whose head is a minor part of it names no concept.
    kinds_are_distinct: bool,
}

impl Abbreviations {
    pub fn new(ontology: &Ontology) -> Abbreviations {
        Abbreviations {
            kinds_are_distinct: ontology.headers.iter().any(|h| h.kinds_are_distinct),
        }
    }
}

impl Stage for Abbreviations {
    const ID: StageId = StageId::Abbreviations;

    fn run<R: Recorder>(&self, cx: &mut Context<'_>, mentions: Vec<Mention>, rec: &mut R) -> Vec<Mention> {
        // the sections' normal forms, made by the matcher or here (see `CaseForms`)
        let mut forms = std::mem::take(&mut cx.forms);
        let defs = definitions::find_definitions_with(cx.doc, &mut forms);
        for d in &defs {
            rec.note(|| Note::Definition(d.clone()));
        }
        let conditional = mentions.iter().any(|m| resolve::condition(cx.ontology, m).is_some());
        let mentions = if defs.is_empty() && !conditional {
            mentions
        } else {
            resolve::resolve(cx, &defs, &mut forms, self.kinds_are_distinct, mentions, rec)
        };
        cx.forms = forms;
        mentions
    }
}

/// The abbreviation stage's rules. `short` and `long` are the definition as the document writes
/// it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AbbreviationRule {
    /// Kept: a use of a short form the document defines as this concept.
    DefinedAsConcept { short: String, long: String },
    /// Kept: the document defines the short form by a long form of which a mention covers only
    /// the head; the ontology's reading of the short form stands.
    HeadOnly { short: String, long: String },
    /// Kept: a `when: context` abbreviation; `term`, one of its context terms, occurs in the
    /// document.
    ContextTerm { term: String },
    /// Dropped: a use of a short form the document defines as something else.
    DefinedOtherwise { short: String, long: String },
    /// Dropped: a `when: defined` abbreviation the document does not define as this concept.
    NotDefined,
    /// Dropped: a `when: context` abbreviation none of whose context terms occurs.
    NoContextTerm { terms: Vec<String> },
    /// Added: a use of a short form the document defines as this concept.
    ShortFormUse { short: String, long: String },
    /// Added: the document's long form, which spells a name of the concept its listed short form
    /// stands for ("torsade de pointes (TdP)"), where defined and where repeated.
    RespelledLongForm { short: String, long: String },
    /// Dropped (never added): where kinds are distinct, the long form's head names the concept
    /// but covers at most half of its words: a kind the vocabulary does not list.
    MinorHead { short: String, long: String },
    /// Dropped (never added): the use of the short form stands inside another mention.
    InsideMention { short: String, mention: String },
    /// Dropped (never added): a mention of something else stands where the long form is.
    LongFormHoldsMention { short: String, long: String },
    /// Added: a use of a short form whose long form is a name of the concept followed by
    /// `word`, one of its `head_words` ("endothelial glycocalyx layer (GCX)").
    HeadWordUse { short: String, long: String, word: String },
    /// Dropped (never added): the short form abbreviates only the words before the head of its
    /// long form, and this use stands before `word`: it is that modifier in another name ("GI
    /// tract" after "gastrointestinal bleeding (GI)").
    ModifierUse { short: String, long: String, word: String },
    /// Added: a term of the concept written with the definition inside it, `term` read without
    /// the parenthesis ("endoplasmic reticulum (ER) stress"); dropped: a mention inside it.
    BracketedTerm { short: String, term: String },
}

impl AbbreviationRule {
    /// The rule for people, with the definition that decided it.
    pub fn describe(&self) -> String {
        use AbbreviationRule::*;
        match self {
            DefinedAsConcept { short, long } | ShortFormUse { short, long } => {
                format!("the document defines {short:?} as {long:?}")
            }
            HeadOnly { short, long } => format!(
                "the document defines {short:?} as {long:?}, whose head alone names a concept: the ontology's reading stands"
            ),
            ContextTerm { term } => format!("its context term {term:?} occurs in the document (when: context)"),
            DefinedOtherwise { short, long } => {
                format!("the document defines {short:?} as {long:?}, not as this concept")
            }
            NotDefined => "counts only where the document defines it (when: defined)".to_string(),
            NoContextTerm { terms } => format!(
                "none of its context terms occurs in the document (when: context: {})",
                terms.join(", ")
            ),
            RespelledLongForm { short, .. } => {
                format!("the document's long form of {short:?}, which spells a name of the concept")
            }
            MinorHead { short, long } => format!(
                "the document defines {short:?} as {long:?}, a kind of what its head names (kinds_are_distinct)"
            ),
            InsideMention { short, mention } => format!("this use of {short:?} is inside the mention {mention:?}"),
            LongFormHoldsMention { short, long } => {
                format!("the long form {long:?} of {short:?} holds a mention of something else")
            }
            HeadWordUse { short, long, word } => format!(
                "the document defines {short:?} as {long:?}, a name of the concept and {word:?}, one of its head_words"
            ),
            ModifierUse { short, long, word } => format!(
                "the document defines {short:?} as {long:?} but abbreviates only the words before its head; here {short:?} stands in the name {:?}",
                format!("{short} {word}")
            ),
            BracketedTerm { short, term } => {
                format!("the term {term:?} is written with the definition of {short:?} inside it")
            }
        }
    }
}
