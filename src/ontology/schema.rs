//! The on-disk shape of an ontology file (see `docs/ontology.md`). Unknown keys are errors.

use serde::{Deserialize, Serialize};

/// One YAML file: an optional header, concepts, and extensions of concepts defined elsewhere.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OntologyFile {
    pub ontology: Option<Header>,
    #[serde(default)]
    pub concepts: Vec<ConceptDef>,
    #[serde(default)]
    pub extend: Vec<Extension>,
    /// `process_cues:`: words that state a process of a category's participants, per concept id.
    #[serde(skip)]
    pub process_cues: Vec<CueList>,
}

/// One entry of `process_cues:` (a concept id and its cues), or the cues of an `extend:` entry.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CueList {
    pub id: String,
    pub cues: Vec<String>,
    pub line: usize,
}

/// Who made the vocabulary and from what.
#[derive(Debug, Clone, Default, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub id: String,
    #[serde(default)]
    pub name: String,
    #[serde(default)]
    pub version: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub sources: Vec<String>,
    /// A kind of a concept is another concept ("low-molecular-weight heparin" is not
    /// "heparin"), as in corpora normalised to fine-grained ids: a short form whose long form a
    /// concept names only by a minor head is then not read as that concept (see
    /// `docs/abbreviations.md`). Off by default: mechanism concepts take in their kinds.
    #[serde(default)]
    pub kinds_are_distinct: bool,
}

/// One concept as written.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConceptDef {
    pub id: String,
    pub label: String,
    /// `parent:` or `parents: [a, b]`, in the order written.
    #[serde(default)]
    pub parents: Vec<String>,
    /// `role:` (mechanism, molecule, participant, agent, context); inherited when absent.
    pub role: Option<String>,
    #[serde(default)]
    pub definition: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
    #[serde(default)]
    pub abbreviations: Vec<AbbreviationDef>,
    #[serde(default)]
    pub xrefs: Vec<String>,
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Terms this concept shares with another concept on purpose.
    #[serde(default)]
    pub ambiguous: Vec<String>,
    #[serde(default)]
    pub examples: Examples,
    /// Words next to a mention that show it is part of a longer name (see `docs/matching.md`).
    #[serde(default)]
    pub longer_name_words: NameWords,
    /// Words that may follow a term of the concept in a long form without changing what it
    /// names: "endothelial glycocalyx layer (GCX)" defines GCX as the glycocalyx (see
    /// `docs/abbreviations.md`).
    #[serde(default)]
    pub head_words: Vec<String>,
    /// A state of another concept written as a phrase: a mention of `concept` (or of one below
    /// it) with a `before` word directly before it or an `after` word directly after it is a
    /// mention of this concept ("dysfunctional endothelium", "EC dysfunction"; see
    /// `docs/matching.md`).
    #[serde(default)]
    pub state_of: Option<StateOf>,
}

/// `state_of:` of a concept (see [`ConceptDef::state_of`]).
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct StateOf {
    pub concept: String,
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub after: Vec<String>,
}

/// `longer_name_words:` of a concept: a mention of the concept (or of a concept below it)
/// directly after one of the `before` words, or directly before one of the `after` words, is
/// part of a longer name the vocabulary does not list ("muscle rigidity", "hepatic toxicity")
/// and does not count.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct NameWords {
    #[serde(default)]
    pub before: Vec<String>,
    #[serde(default)]
    pub after: Vec<String>,
}

impl NameWords {
    pub fn is_empty(&self) -> bool {
        self.before.is_empty() && self.after.is_empty()
    }
}

/// Sentences that must (and must not) tag as the concept.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    #[serde(default, rename = "match")]
    pub matches: Vec<String>,
    #[serde(default)]
    pub no_match: Vec<String>,
}

/// More terms for a concept defined in another file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    pub id: String,
    #[serde(default)]
    pub synonyms: Vec<String>,
    #[serde(default)]
    pub abbreviations: Vec<AbbreviationDef>,
    #[serde(default)]
    pub exclude: Vec<String>,
    #[serde(default)]
    pub ambiguous: Vec<String>,
    #[serde(default)]
    pub examples: Examples,
    /// More process cues for the concept's participants (see `process_cues:`).
    #[serde(default)]
    pub process_cues: Vec<String>,
}

/// An abbreviation as written: a plain string, or a conditional one
/// (`{term: TF, when: defined}`, `{term: ER, when: context, context: [estrogen, oestrogen]}`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(untagged)]
pub enum AbbreviationDef {
    Plain(String),
    Conditional(ConditionalAbbreviation),
}

impl AbbreviationDef {
    /// The abbreviation's text.
    pub fn term(&self) -> &str {
        match self {
            AbbreviationDef::Plain(t) => t,
            AbbreviationDef::Conditional(c) => &c.term,
        }
    }
}

impl From<&str> for AbbreviationDef {
    fn from(s: &str) -> Self {
        AbbreviationDef::Plain(s.to_string())
    }
}

impl From<String> for AbbreviationDef {
    fn from(s: String) -> Self {
        AbbreviationDef::Plain(s)
    }
}

/// An abbreviation that counts only under a condition (see `docs/abbreviations.md`).
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
#[serde(deny_unknown_fields)]
pub struct ConditionalAbbreviation {
    pub term: String,
    /// `defined` or `context`; checked by validation so the message can name the line.
    pub when: String,
    /// With `when: context`: terms of which at least one must occur in the document.
    #[serde(default)]
    pub context: Vec<String>,
}
