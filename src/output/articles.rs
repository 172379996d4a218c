//! `articles.csv`: one row per article, to join the other products with bibliographic data.
//!
//! Columns: `article_id`, `pmid`, `year`, `journal`, `doi`, `licence` (full text), `title`
//! (empty where the input has none), `characters` (of the counted sections: all of them, or
//! those `--sections` keeps), `mentions` (mentions kept by the filters), `concepts` and
//! `categories` (distinct concepts and top-level categories mentioned; a full text's category
//! counts when the full-text rule holds, [`categories::full_text_rule`]). Rows follow the input
//! order; every article appears. The same paper read from PubMed (id = PMID) and from PMC (id =
//! PMCID) has two rows with the same `pmid`.

use std::io;

use super::{Sink, Tagged, categories};
use crate::ontology::Ontology;

pub const HEADER: [&str; 11] = [
    "article_id",
    "pmid",
    "year",
    "journal",
    "doi",
    "licence",
    "title",
    "characters",
    "mentions",
    "concepts",
    "categories",
];

/// Streams one row per article.
pub struct ArticlesWriter<'o, S: Sink> {
    sink: S,
    ontology: &'o Ontology,
    scratch: Vec<u32>,
}

impl<'o, S: Sink> ArticlesWriter<'o, S> {
    pub fn new(mut sink: S, ontology: &'o Ontology) -> io::Result<Self> {
        for h in HEADER {
            sink.text(h)?;
        }
        sink.end_row()?;
        Ok(ArticlesWriter {
            sink,
            ontology,
            scratch: Vec::new(),
        })
    }

    /// Add an article; `chars` are the characters of its counted sections.
    pub fn add(&mut self, art: Tagged<'_>, chars: u64) -> io::Result<()> {
        let doc = art.doc;
        let v = &mut self.scratch;
        v.clear();
        v.extend(art.mentions.iter().map(|m| m.concept.0));
        v.sort_unstable();
        v.dedup();
        let concepts = v.len() as u64;
        let ont = self.ontology;
        let categories = categories::counting_categories(
            ont,
            doc.meta.full_text,
            art.mentions.iter().map(|m| {
                let e = categories::Evidence {
                    kind: doc.sections[m.section as usize].kind,
                    counted: m.evidence.in_rollup,
                };
                (m.concept.0, e)
            }),
        )
        .len() as u64;
        let s = &mut self.sink;
        s.text(&doc.id)?;
        s.text(doc.meta.pmid.as_deref().unwrap_or(""))?;
        s.text(doc.meta.year.as_deref().unwrap_or(""))?;
        s.text(doc.meta.journal.as_deref().unwrap_or(""))?;
        s.text(doc.meta.doi.as_deref().unwrap_or(""))?;
        s.text(doc.meta.licence.as_deref().unwrap_or(""))?;
        s.text(title(doc))?;
        s.int(chars)?;
        s.int(art.mentions.len() as u64)?;
        s.int(concepts)?;
        s.int(categories)?;
        s.end_row()
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

/// The article's title: from the metadata, else its `title` section.
pub fn title(doc: &crate::Document) -> &str {
    doc.meta
        .title
        .as_deref()
        .or_else(|| {
            doc.sections
                .iter()
                .find(|s| s.name.eq_ignore_ascii_case("title"))
                .map(|s| s.text.as_str())
        })
        .unwrap_or("")
}
