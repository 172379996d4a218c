//! Measured accuracy: tag gold-standard corpora and score the mentions against their annotations.
//!
//! * [`gold`] parses PubTator files with their annotations;
//! * [`score`] computes strict and document-level precision, recall and F1;
//! * [`vocab`] builds an ontology from annotated corpora (`coagtag ontology from-pubtator`).
//!
//! Two systems can be scored on the same documents with the same vocabulary: [`System::Full`]
//! (coagtag as it tags: variants and abbreviation resolution) and [`System::Baseline`], a plain
//! exact-match dictionary: every term matched case-insensitively as whole words, no generated
//! variants, no abbreviation handling (abbreviations are ordinary case-insensitive terms, no
//! definitions, no conditions, no `exclude:` phrases), a term listed by several concepts counting
//! for each.
//!
//! ## Which id a concept stands for
//!
//! A concept's gold id is its first `xrefs:` entry, or its `id` when it has none
//! ([`Ontology::gold_id`]). Ids are compared after stripping a namespace prefix and upper-casing
//! (`MESH:D003920` = `D003920` = `d003920`), so concepts of an ontology made by
//! `ontology from-pubtator` (whose first xref is the corpus id) score directly, and a curated
//! ontology scores once the id system of the gold is its first xref.

pub mod gold;
pub mod score;
pub mod vocab;

use crate::document::Document;
use crate::ontology::{Ontology, TermKind};
use crate::tag::Tagger;
use crate::tag::matcher::{CompileOptions, Matcher, Mention, Scratch};
pub use gold::{GoldDoc, GoldError};
pub use score::{Evaluation, Prediction};

/// Which tagger to score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum System {
    /// coagtag as it tags: variants and abbreviation resolution.
    Full,
    /// The plain exact-match dictionary baseline.
    Baseline,
}

impl System {
    pub fn name(self) -> &'static str {
        match self {
            System::Full => "coagtag",
            System::Baseline => "baseline",
        }
    }
}

/// A compiled system ready to tag gold documents.
#[derive(Debug, Clone)]
pub struct Runner {
    system: System,
    ontology: Ontology,
    matcher: Option<Matcher>,
}

impl Runner {
    /// Prepare a system from a validated tagger.
    pub fn new(tagger: &Tagger, system: System) -> Runner {
        match system {
            System::Full => Runner {
                system,
                ontology: tagger.ontology.clone(),
                matcher: None,
            },
            System::Baseline => {
                let mut ontology = tagger.ontology.clone();
                for c in &mut ontology.concepts {
                    c.excludes.clear();
                    c.longer_name_words = Default::default();
                    for t in &mut c.terms {
                        t.kind = TermKind::Synonym;
                        t.condition = None;
                    }
                }
                let matcher = Matcher::with_options(&ontology, CompileOptions { variants: false });
                Runner {
                    system,
                    ontology,
                    matcher: Some(matcher),
                }
            }
        }
    }

    pub fn system(&self) -> System {
        self.system
    }

    /// The mentions in a document.
    pub fn mentions(&self, tagger: &Tagger, doc: &Document, scratch: &mut Scratch) -> Vec<Mention> {
        match &self.matcher {
            None => tagger.tag(doc, scratch),
            Some(m) => {
                let mut out = Vec::new();
                m.find_in_document(doc, scratch, &mut out);
                out
            }
        }
    }

    /// The mentions of a document as predictions to score.
    pub fn predict(&self, tagger: &Tagger, doc: &Document, scratch: &mut Scratch) -> Vec<Prediction> {
        self.mentions(tagger, doc, scratch)
            .iter()
            .map(|m| Prediction {
                start: m.start,
                end: m.end,
                text: m.text(doc).to_string(),
                kind: self.ontology.concept_type(m.concept).to_string(),
                gold_id: self.ontology.gold_id(m.concept).to_string(),
                concept: self.ontology.concept(m.concept).id.clone(),
                via: m.via.as_str(),
            })
            .collect()
    }
}

/// Tag every gold document with `system` and score the result.
pub fn evaluate(tagger: &Tagger, system: System, docs: &[GoldDoc]) -> Evaluation {
    let runner = Runner::new(tagger, system);
    let mut scratch = Scratch::default();
    let preds: Vec<Vec<Prediction>> = docs
        .iter()
        .map(|d| runner.predict(tagger, &d.document(), &mut scratch))
        .collect();
    score::score(docs, &preds)
}
