//! `cooccurrence.csv`: how many articles mention both of two concepts (or categories).
//!
//! A long, sparse table: columns `level` (`concept` or `category`), `a`, `b` (ids, `a` before
//! or equal to `b` in ontology order) and `articles` (articles that mention both). Each
//! unordered pair appears once; the diagonal row `a = b` holds the articles that mention `a`
//! at all, so `articles(a,b) / articles(a,a)` is the share of `a`'s articles that also mention
//! `b`. Pairs that never co-occur have no row. Concept rows come first, then top-level category
//! rows (an article counts once per category pair however many concepts it mentions), each
//! sorted by `a` then `b` in ontology order. This loads into a spreadsheet pivot table or
//! `pandas.pivot` as a square matrix, and stays small when the ontology is large.

use std::collections::BTreeMap;
use std::io;

use super::Sink;
use super::{Digest, Tagged, categories};
use crate::ontology::Ontology;

pub const HEADER: [&str; 4] = ["level", "a", "b", "articles"];

/// Pair counts; writes at the end.
pub struct CooccurrenceWriter<'o, S: Sink> {
    sink: S,
    ontology: &'o Ontology,
    concepts: BTreeMap<(u32, u32), u64>,
    categories: BTreeMap<(u32, u32), u64>,
}

impl<'o, S: Sink> CooccurrenceWriter<'o, S> {
    pub fn new(sink: S, ontology: &'o Ontology) -> Self {
        CooccurrenceWriter {
            sink,
            ontology,
            concepts: BTreeMap::new(),
            categories: BTreeMap::new(),
        }
    }

    pub fn add(&mut self, art: Tagged<'_>) {
        self.add_digest(&Digest::of(art, 0));
    }

    /// Add an article by its digest (the same as [`CooccurrenceWriter::add`] on the article).
    /// A full text's categories count when the full-text rule holds.
    pub fn add_digest(&mut self, d: &Digest) {
        let ont = self.ontology;
        let mut concepts: Vec<u32> = d.mentions.iter().map(|m| m.concept).collect();
        concepts.dedup();
        let categories = categories::counting_categories(ont, d.full_text, d.evidence());
        for (map, ids) in [(&mut self.concepts, &concepts), (&mut self.categories, &categories)] {
            for (i, &a) in ids.iter().enumerate() {
                for &b in &ids[i..] {
                    *map.entry((a, b)).or_insert(0) += 1;
                }
            }
        }
    }

    pub fn finish(mut self) -> io::Result<S> {
        let s = &mut self.sink;
        for h in HEADER {
            s.text(h)?;
        }
        s.end_row()?;
        for (level, map) in [("concept", &self.concepts), ("category", &self.categories)] {
            for (&(a, b), &n) in map {
                s.text(level)?;
                s.text(&self.ontology.concepts[a as usize].id)?;
                s.text(&self.ontology.concepts[b as usize].id)?;
                s.int(n)?;
                s.end_row()?;
            }
        }
        s.finish()?;
        Ok(self.sink)
    }
}
