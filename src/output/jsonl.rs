//! `--jsonl FILE`: one JSON object per article, for programs.
//!
//! ```json
//! {"id":"123","pmid":"123","year":"2020","journal":"Crit Care","doi":"10.1/x","licence":null,
//!  "title":"...","mentions":[{"concept":"tissue_factor","category":["coagulation_activation"],
//!    "text":"TF","term":"TF","section":"abstract","section_kind":"abstract","start":10,"end":12,
//!    "via":"abbreviation","role":"molecule","in_rollup":"yes","polarity":"affirmed",
//!    "certainty":"stated","direction":"up","polarity_cue":"","certainty_cue":"",
//!    "direction_cue":"increased"}]}
//! ```
//!
//! `category` lists every top-level ancestor (a concept may have several parents). Absent
//! metadata is `null`. Offsets are characters in the document's offset space; mentions are
//! in document order; articles in input order (every article, also those with no mention). Text
//! is written as it is (JSON needs no spreadsheet guard).

use std::io::{self, Write};

use serde::Serialize;

use super::Tagged;
use crate::ontology::Ontology;

#[derive(Serialize)]
struct ArticleJson<'a> {
    id: &'a str,
    pmid: Option<&'a str>,
    year: Option<&'a str>,
    journal: Option<&'a str>,
    doi: Option<&'a str>,
    licence: Option<&'a str>,
    title: Option<&'a str>,
    mentions: Vec<MentionJson<'a>>,
}

#[derive(Serialize)]
struct MentionJson<'a> {
    concept: &'a str,
    category: Vec<&'a str>,
    text: &'a str,
    term: &'a str,
    section: &'a str,
    section_kind: &'static str,
    start: u32,
    end: u32,
    via: &'static str,
    role: &'static str,
    in_rollup: &'static str,
    polarity: &'static str,
    certainty: &'static str,
    direction: &'static str,
    polarity_cue: &'a str,
    certainty_cue: &'a str,
    direction_cue: &'a str,
}

/// Streams one line per article.
pub struct JsonlWriter<'o, W: Write> {
    w: W,
    ontology: &'o Ontology,
}

impl<'o, W: Write> JsonlWriter<'o, W> {
    pub fn new(w: W, ontology: &'o Ontology) -> Self {
        JsonlWriter { w, ontology }
    }

    pub fn add(&mut self, art: Tagged<'_>) -> io::Result<()> {
        let doc = art.doc;
        let ont = self.ontology;
        let title = super::articles::title(doc);
        let obj = ArticleJson {
            id: &doc.id,
            pmid: doc.meta.pmid.as_deref(),
            year: doc.meta.year.as_deref(),
            journal: doc.meta.journal.as_deref(),
            doi: doc.meta.doi.as_deref(),
            licence: doc.meta.licence.as_deref(),
            title: (!title.is_empty()).then_some(title),
            mentions: art
                .mentions
                .iter()
                .map(|m| {
                    let c = ont.concept(m.concept);
                    let q = m.qualifiers;
                    let [polarity_cue, certainty_cue, direction_cue] = q.cues(doc, m);
                    MentionJson {
                        concept: &c.id,
                        category: c.categories.iter().map(|&k| ont.concept(k).id.as_str()).collect(),
                        text: m.text(doc),
                        term: &c.terms[m.term as usize].text,
                        section: &doc.sections[m.section as usize].name,
                        section_kind: doc.sections[m.section as usize].kind.name(),
                        start: m.start,
                        end: m.end,
                        via: m.via.as_str(),
                        role: m.evidence.role.as_str(),
                        in_rollup: if m.evidence.in_rollup { "yes" } else { "no" },
                        polarity: q.polarity.as_str(),
                        certainty: q.certainty.as_str(),
                        direction: q.direction.as_str(),
                        polarity_cue,
                        certainty_cue,
                        direction_cue,
                    }
                })
                .collect(),
        };
        serde_json::to_writer(&mut self.w, &obj).map_err(io::Error::other)?;
        self.w.write_all(b"\n")
    }

    /// The writer, to ask it how much was written.
    pub fn get_ref(&self) -> &W {
        &self.w
    }

    pub fn finish(mut self) -> io::Result<W> {
        self.w.flush()?;
        Ok(self.w)
    }
}
