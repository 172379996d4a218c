//! Tagging: from a document to its mentions, through the stages in the order they run.
//!
//! * [`matcher`]: the compiled vocabulary finds every whole-word mention of a term;
//! * [`abbrev`]: the document's own abbreviation definitions and the ontology's conditional
//!   abbreviations are applied;
//! * [`longer_names`]: mentions that are only part of a longer name are dropped.

pub mod abbrev;
pub mod longer_names;
pub mod matcher;

use crate::document::{Document, Section};
use crate::ontology::{ConceptId, Ontology, OntologyErrors, OntologySource};
use longer_names::LongerNames;
use matcher::{Matcher, Mention, Scratch, check_examples_with};

/// An ontology compiled for tagging, its examples verified.
#[derive(Debug, Clone)]
pub struct Tagger {
    pub ontology: Ontology,
    pub matcher: Matcher,
    /// The ontology's `longer_name_words`, resolved per concept.
    pub longer_names: LongerNames,
}

impl Tagger {
    /// Load, validate and compile ontologies. Every problem, example sentences included, is
    /// reported together.
    pub fn load(sources: &[OntologySource]) -> Result<Tagger, OntologyErrors> {
        Tagger::from_ontology(crate::ontology::load(sources)?)
    }

    /// Compile an already loaded ontology and verify its example sentences.
    pub fn from_ontology(ontology: Ontology) -> Result<Tagger, OntologyErrors> {
        let matcher = Matcher::new(&ontology);
        let longer_names = LongerNames::new(&ontology);
        let tagger = Tagger {
            ontology,
            matcher,
            longer_names,
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

    /// The mentions in a document, in document order: the matcher's, then the document's
    /// abbreviation definitions and the conditional abbreviations applied ([`abbrev::resolve`]),
    /// then the mentions that are part of a longer name removed ([`LongerNames::filter`]).
    pub fn tag(&self, doc: &Document, scratch: &mut Scratch) -> Vec<Mention> {
        let resolved = self.tag_before_longer_names(doc, scratch);
        self.longer_names.filter(&self.ontology, doc, resolved)
    }

    /// The mentions of [`Tagger::tag`] before the longer-name step (for `explain`).
    pub fn tag_before_longer_names(&self, doc: &Document, scratch: &mut Scratch) -> Vec<Mention> {
        let mut out = Vec::new();
        self.matcher.find_in_document(doc, scratch, &mut out);
        let defs = abbrev::find_definitions(doc);
        // what each long form names on its own, for the definitions whose long form no mention
        // covers (an exclude phrase or an overlapping match took it in the text)
        let alone: Vec<Vec<(ConceptId, u32)>> = defs
            .iter()
            .map(|d| {
                let covered = out
                    .iter()
                    .any(|m| m.section == d.section && m.byte_end == d.long_span.1 && m.byte_start <= d.long_span.0);
                if covered {
                    return Vec::new();
                }
                let mut named: Vec<(ConceptId, u32)> = self
                    .matcher
                    .find(&d.long)
                    .into_iter()
                    .filter(|m| {
                        m.byte_start == 0
                            && m.byte_end as usize == d.long.len()
                            && abbrev::condition(&self.ontology, m).is_none()
                    })
                    .map(|m| (m.concept, m.term))
                    .collect();
                named.sort_unstable();
                named.dedup_by_key(|x| x.0);
                named
            })
            .collect();
        abbrev::resolve(doc, &self.ontology, &defs, &alone, out)
    }
}
