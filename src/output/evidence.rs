//! `evidence.csv`: one row per mention, so every matrix count can be traced to its text.
//!
//! Columns: `article_id`, `concept_id`, `label`, `category` (top-level ancestors, joined with
//! `; ` as xrefs are, when a concept has several parents), `text` (the
//! matched text as written), `term` (the ontology term it matched: a generated variant such as
//! a plural reports the term it came from), `section` (the section as the input names it:
//! `title`, `abstract`, `BACKGROUND`, or for full text `results: Platelet activation in septic
//! mice`), `section_kind` (its kind in the one table of every format, [`SectionKind`]:
//! `title`, `abstract`, `background`, ..., `caption`, `other`), `start` and `end` (character offsets in the document's offset space, see
//! [`crate::document`]), `sentence` (the sentence the mention stands in, white space collapsed;
//! see [`crate::sentence`]), `via` (`synonym`, `abbreviation`, ...), `role` (the concept's role:
//! `mechanism`, `molecule`, `participant`, `agent`, `context`) and `in_rollup` (`yes` | `no`:
//! whether the mention counted for its categories, [`crate::tag::roles`]), then the qualifiers
//! of [`crate::tag::qualifiers`]: `polarity` (`affirmed`/`negated`), `certainty`
//! (`stated`/`hedged`), `direction` (`up`/`down`/`none`) and the cue text that decided each
//! (`polarity_cue`, `certainty_cue`, `direction_cue`; empty if none). Rows follow the input
//! order of articles and the document order of mentions. For each article and concept, the
//! number of rows equals the matrix cell (with `--values counts`); for each article and category,
//! the rows with `in_rollup` yes are what `categories.csv` counts.

use std::io;

use super::{Sink, Tagged};
#[cfg(doc)]
use crate::document::SectionKind;
use crate::ontology::Ontology;
use crate::sentence::{display, sentence_spans, span_at};

pub const HEADER: [&str; 20] = [
    "article_id",
    "concept_id",
    "label",
    "category",
    "text",
    "term",
    "section",
    "section_kind",
    "start",
    "end",
    "sentence",
    "via",
    "role",
    "in_rollup",
    "polarity",
    "certainty",
    "direction",
    "polarity_cue",
    "certainty_cue",
    "direction_cue",
];

/// The sentence each mention of `art` stands in, white space collapsed, into `out` (one per
/// mention, in order); `spans` is scratch. Worked out once per article for every product that
/// shows the evidence (the CSV, the workbook's sheet, the report): on pubmed21n1298 three
/// times cost 0.39 G instructions (BENCHMARKS.md, issue 19).
pub fn sentences(art: Tagged<'_>, spans: &mut Vec<Option<Vec<(usize, usize)>>>, out: &mut Vec<String>) {
    let doc = art.doc;
    spans.clear();
    spans.resize(doc.sections.len(), None);
    out.clear();
    for m in art.mentions {
        let section = &doc.sections[m.section as usize];
        let spans = spans[m.section as usize].get_or_insert_with(|| sentence_spans(&section.text));
        out.push(match span_at(spans, m.byte_start as usize) {
            // a mention may run past a sentence end the splitter saw (rare): widen to it
            Some((s, e)) => display(&section.text[s.min(m.byte_start as usize)..e.max(m.byte_end as usize)]),
            None => display(m.text(doc)),
        });
    }
}

/// Streams evidence rows, one article at a time.
pub struct EvidenceWriter<'o, S: Sink> {
    sink: S,
    ontology: &'o Ontology,
    spans: Vec<Option<Vec<(usize, usize)>>>,
    sentences: Vec<String>,
    rows: u64,
}

impl<'o, S: Sink> EvidenceWriter<'o, S> {
    pub fn new(mut sink: S, ontology: &'o Ontology) -> io::Result<Self> {
        for h in HEADER {
            sink.text(h)?;
        }
        sink.end_row()?;
        Ok(EvidenceWriter {
            sink,
            ontology,
            spans: Vec::new(),
            sentences: Vec::new(),
            rows: 0,
        })
    }

    pub fn add(&mut self, art: Tagged<'_>) -> io::Result<()> {
        let doc = art.doc;
        let sentences = if art.sentences.len() == art.mentions.len() {
            art.sentences
        } else {
            self::sentences(art, &mut self.spans, &mut self.sentences);
            &self.sentences
        };
        for (m, sentence) in art.mentions.iter().zip(sentences) {
            let c = self.ontology.concept(m.concept);
            let section = &doc.sections[m.section as usize];
            let s = &mut self.sink;
            s.text(&doc.id)?;
            s.text(&c.id)?;
            s.text(&c.label)?;
            s.text(&self.ontology.category_ids(m.concept))?;
            s.text(m.text(doc))?;
            s.text(&c.terms[m.term as usize].text)?;
            s.text(&section.name)?;
            s.text(section.kind.name())?;
            s.int(u64::from(m.start))?;
            s.int(u64::from(m.end))?;
            s.text(sentence)?;
            s.text(m.via.as_str())?;
            s.text(m.evidence.role.as_str())?;
            s.text(if m.evidence.in_rollup { "yes" } else { "no" })?;
            let q = m.qualifiers;
            s.text(q.polarity.as_str())?;
            s.text(q.certainty.as_str())?;
            s.text(q.direction.as_str())?;
            for cue in q.cues(doc, m) {
                s.text(cue)?;
            }
            s.end_row()?;
            self.rows += 1;
        }
        Ok(())
    }

    /// Data rows written so far.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The sink, to ask it how much was written.
    pub fn sink_mut(&mut self) -> &mut S {
        &mut self.sink
    }

    pub fn finish(mut self) -> io::Result<S> {
        self.sink.finish()?;
        Ok(self.sink)
    }
}
